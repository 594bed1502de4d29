/*
 * cmd_backends.c - amicus backends: for each configured backend, whether
 * it answers, its models and their digests.
 */
#include "amconfig.h"

#include "cmd.h"
#include "engine.h"
#include "log.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: amicus backends [-c amicus.yaml] [--json]\n"
	"\n"
	"Asks each configured backend for its models: whether it is reachable, the\n"
	"models it offers with their digest (Ollama) or fingerprint (OpenAI-compatible\n"
	"servers), and whether each model amicus.yaml names is among them.\n"
	"\n"
	"  -c, --config F   amicus.yaml (default: ./amicus.yaml, else the defaults)\n"
	"  --json           print JSON\n"
	"  -h, --help       show this help\n"
	"\n"
	"Exit status: 0 every backend answered, 1 one did not, 2 usage error.\n";

struct ask {
	struct engine *e;
	size_t i;
	json_t *out;
	int *unreachable;
};

static void
on_models(const struct backend_model *list, int n, const char *error, void *arg)
{
	struct ask *a = arg;
	const struct config_backend *b = &a->e->cfg.backends[a->i];
	json_t *o = json_array_get(a->out, a->i), *offered = json_array(),
	       *configured = json_array();
	size_t k;
	int j;

	json_object_set_new(o, "reachable", json_boolean(n >= 0));
	if (n < 0) {
		json_object_set_new(o, "error", json_string(error ? error : "no answer"));
		(*a->unreachable)++;
	}
	for (j = 0; j < n; j++)
		json_array_append_new(offered, json_pack("{s:s, s:s}", "name", list[j].name,
							 "digest", list[j].digest));
	for (k = 0; k < b->nmodels; k++) {
		const char *name = b->models[k].name;
		const char *digest = NULL;
		size_t ml = strlen(name);

		for (j = 0; j < n; j++)
			if (strcmp(list[j].name, name) == 0 ||
			    (strncmp(list[j].name, name, ml) == 0 &&
			     strcmp(list[j].name + ml, ":latest") == 0))
				digest = list[j].digest;
		json_array_append_new(configured, json_pack("{s:s, s:b, s:s?}", "name", name,
							    "available", digest != NULL, "digest",
							    digest && *digest ? digest : NULL));
	}
	json_object_set_new(o, "models", offered);
	json_object_set_new(o, "configured", configured);
	free(a);
}

static void
print_text(json_t *out)
{
	json_t *b, *m;
	size_t i, k;

	json_array_foreach(out, i, b)
	{
		int sim = json_is_true(json_object_get(b, "simulated"));

		printf("%s (%s%s) %s: %s\n", json_string_value(json_object_get(b, "name")),
		       json_string_value(json_object_get(b, "kind")), sim ? ", simulated" : "",
		       json_string_value(json_object_get(b, "url"))
			       ? json_string_value(json_object_get(b, "url"))
			       : "in-process",
		       json_is_true(json_object_get(b, "reachable")) ? "reachable"
								     : "NOT reachable");
		if (json_object_get(b, "error")) {
			char safe[400];
			const char *e = json_string_value(json_object_get(b, "error"));

			printf("  %s\n", log_safe(e, strlen(e), 300, safe, sizeof safe));
		}
		json_array_foreach(json_object_get(b, "configured"), k, m)
		{
			const char *d = json_string_value(json_object_get(m, "digest"));

			printf("  %-32s %s %s\n", json_string_value(json_object_get(m, "name")),
			       json_is_true(json_object_get(m, "available")) ? "available  "
									     : "not offered",
			       d ? d : "");
		}
		k = json_array_size(json_object_get(b, "models"));
		printf("  (the backend offers %zu model%s)\n", k, k == 1 ? "" : "s");
	}
}

int
cmd_backends(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *cpath = NULL;
	struct engine e;
	struct diag d;
	struct am_err err;
	uv_loop_t loop;
	json_t *out = json_array();
	int json = 0, ch, unreachable = 0, status = 1;
	size_t i;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': cpath = optarg; break;
		case 'j': json = 1; break;
		case 'h':
			fputs(help, stdout);
			json_decref(out);
			return 0;
		default:
			json_decref(out);
			return cmd_usage_error("backends", "unknown or incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc) {
		json_decref(out);
		return cmd_usage_error("backends", "unexpected argument '%s'", argv[optind]);
	}
	if (!cpath && access("amicus.yaml", F_OK) == 0)
		cpath = "amicus.yaml";
	uv_loop_init(&loop);
	diag_init(&d);
	if (engine_open(&e, &loop, cpath, &d, &err) < 0 || engine_start_backends(&e, &err) < 0) {
		diag_print(&d, stderr);
		fprintf(stderr, "amicus backends: %s\n", err.msg);
		goto out;
	}
	for (i = 0; i < e.cfg.nbackends; i++) {
		const struct config_backend *b = &e.cfg.backends[i];
		struct ask *a = xcalloc(1, sizeof *a);

		json_array_append_new(out, json_pack("{s:s, s:s, s:s?, s:b}", "name", b->name,
						     "kind", backend_kind_name(b->kind), "url",
						     b->url, "simulated", b->kind == BACKEND_DEMO));
		a->e = &e;
		a->i = i;
		a->out = out;
		a->unreachable = &unreachable;
		if (backend_models(e.backends[i], on_models, a) < 0)
			free(a);
	}
	uv_run(&loop, UV_RUN_DEFAULT);
	if (json) {
		json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else {
		print_text(out);
	}
	status = unreachable ? 1 : 0;
out:
	engine_stop_backends(&e);
	uv_run(&loop, UV_RUN_DEFAULT);
	engine_close(&e);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	diag_deinit(&d);
	json_decref(out);
	return status;
}
