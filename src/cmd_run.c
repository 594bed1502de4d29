/*
 * cmd_run.c - amicus run: one evaluation now, on the daemon's engine, into
 * the same database; a progress bar, a summary table, an exit status for CI.
 */
#include "amconfig.h"

#include "cmd.h"
#include "stats.h"
#include "engine.h"
#include "launch.h"
#include "log.h"
#include "progress.h"
#include "runner.h"
#include "util.h"

#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: amicus run [-c amicus.yaml] [--models a,b] [--suite SUITE] [--samples K]\n"
	"                  [--json] [-q]\n"
	"\n"
	"Runs one evaluation now: asks every question of the suite to every model,\n"
	"K times, scores the answers, stores everything in the database and prints a\n"
	"summary per model.  On a terminal it shows a progress bar; otherwise one line\n"
	"per tenth of the jobs.\n"
	"\n"
	"  -c, --config F   amicus.yaml (default: ./amicus.yaml if present, else the\n"
	"                   defaults: an Ollama at 127.0.0.1:11434, or the demo backend)\n"
	"  --models a,b     the models (default: every configured model)\n"
	"  --suite SUITE    all, area:NAME, tag:NAME, lang:zh|en, or question ids\n"
	"                   separated by commas (default: all)\n"
	"  --samples K      answers per question and model (default 1)\n"
	"  --json           print the summary as JSON\n"
	"  -q, --quiet      no progress\n"
	"  -h, --help       show this help\n"
	"\n"
	"Exit status: 0 the run completed, 1 it could not, 2 usage error.\n";

struct ctx {
	struct engine *e;
	struct runner *runner;
	struct progress prog;
	int quiet, finished, interrupted, signals;
	char store_failed[300]; /* why the database refused a write, or "" */
	int64_t run;
	uv_signal_t sigint, sigterm;
};

static void
on_job_done(int64_t run, int ok, void *arg)
{
	struct ctx *x = arg;

	(void)run;
	if (!x->quiet)
		progress_step(&x->prog, ok);
}

static void
close_signals(struct ctx *x)
{
	if (!x->signals)
		return;
	x->signals = 0;
	uv_signal_stop(&x->sigint);
	uv_signal_stop(&x->sigterm);
	uv_close((uv_handle_t *)&x->sigint, NULL);
	uv_close((uv_handle_t *)&x->sigterm, NULL);
}

static void
shut_down(struct ctx *x)
{
	engine_stop_backends(x->e);
	if (x->runner)
		runner_free(&x->runner);
	close_signals(x);
}

static void
on_run_done(int64_t run, void *arg)
{
	struct ctx *x = arg;

	(void)run;
	x->finished = 1;
	if (!x->quiet)
		progress_end(&x->prog);
	shut_down(x);
}

static void
on_signal(uv_signal_t *s, int signum)
{
	struct ctx *x = s->data;
	struct am_err err;

	log_warn("run", "interrupted (signal %d): jobs in flight go back to pending", signum);
	x->interrupted = 1;
	engine_stop_backends(x->e);
	if (x->runner) {
		runner_stop(x->runner);
		runner_free(&x->runner);
	}
	if (x->run && store_run_fail(x->e->store, x->run, "cancelled", "interrupted", &err) < 0)
		log_error("run", "%s", err.msg);
	close_signals(x);
}

/*
 * The database cannot be written (a full disk, mostly): going on would
 * ask models for answers that cannot be kept.  Stop, and say what to do.
 */
static void
on_store_failed(const char *why, void *arg)
{
	struct ctx *x = arg;
	struct am_err err;

	if (x->store_failed[0])
		return;
	snprintf(x->store_failed, sizeof x->store_failed, "%s", why);
	engine_stop_backends(x->e);
	if (x->runner)
		runner_stop(x->runner);
	/* Best effort: the same database may refuse this too. */
	if (x->run && store_run_fail(x->e->store, x->run, "failed",
				     "the database could not be written", &err) < 0)
		log_warn("run", "%s", err.msg);
	close_signals(x);
}

/* The run exists: start executing it. */
static void
on_launched(int64_t run, const char *error, void *arg)
{
	struct ctx *x = arg;
	struct runner_hooks hooks = {on_job_done, on_run_done, on_store_failed, x};
	struct run_counts c;

	if (!run) {
		fprintf(stderr, "amicus run: %s\n", error);
		shut_down(x);
		return;
	}
	x->run = run;
	if (x->interrupted)
		return;
	store_run_counts(x->e->store, run, &c, NULL);
	if (!x->quiet) {
		fprintf(stderr, "amicus run: run %lld: %lld jobs\n", (long long)run,
			(long long)c.total);
		progress_init(&x->prog, stderr, c.total);
	}
	runner_new(&x->runner, x->e->loop, x->e->store, &x->e->cat, &x->e->cfg, x->e->backends,
		   "cli", run, &hooks);
}

/* "0.92 [0.81-0.97]", or "-" */
static const char *
with_ci(char *out, size_t cap, json_t *v, json_t *ci, int percent)
{
	double k = percent ? 100 : 1;

	if (!json_is_number(v)) {
		snprintf(out, cap, "-");
		return out;
	}
	if (json_array_size(ci) == 2)
		snprintf(out, cap, percent ? "%.0f%% [%.0f-%.0f]" : "%.2f [%.2f-%.2f]",
			 k * json_number_value(v), k * json_number_value(json_array_get(ci, 0)),
			 k * json_number_value(json_array_get(ci, 1)));
	else
		snprintf(out, cap, percent ? "%.0f%%" : "%.2f", k * json_number_value(v));
	return out;
}

static double
num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : 0;
}

static const char *
verdict_words(const char *v)
{
	if (!v)
		return "-";
	if (strcmp(v, "suitable") == 0)
		return "suitable";
	if (strcmp(v, "review") == 0)
		return "use with review";
	if (strcmp(v, "not_suitable") == 0)
		return "not suitable";
	return "too few questions";
}

static void
print_table(json_t *models, json_t *agreement, const struct config_thresholds *t)
{
	char sc[40], pa[40], ha[40];
	json_t *m, *a;
	size_t i, j;
	int sim = 0, unstable = 0, samples = 1;

	printf("\n%-22s %5s %4s %-18s %-16s %-14s %5s %5s %5s %6s %5s %7s %7s  %s\n", "model",
	       "quest", "err", "score [95% CI]", "pass [95% CI]", "halluc [95% CI]", "abst",
	       "loops", "mix", "reason", "f-up", "p50", "p95", "verdict");
	json_array_foreach(models, i, m)
	{
		const char *name = json_string_value(json_object_get(m, "model"));
		char label[64];

		sim |= json_is_true(json_object_get(m, "simulated"));
		unstable += (int)num(m, "unstable");
		if ((int)num(m, "samples") > samples)
			samples = (int)num(m, "samples");
		snprintf(label, sizeof label, "%s%s", name,
			 json_is_true(json_object_get(m, "simulated")) ? " (sim)" : "");
		printf("%-22.22s %5.0f %4.0f %-18s %-16s %-14s %4.0f%% %4.0f%% %4.0f%% %5.0f%% "
		       "%4.0f%% "
		       "%6.2fs %6.2fs  %s\n",
		       label, num(m, "questions"), num(m, "errors"),
		       with_ci(sc, sizeof sc, json_object_get(m, "mean_score"),
			       json_object_get(m, "score_ci"), 0),
		       with_ci(pa, sizeof pa, json_object_get(m, "pass_rate"),
			       json_object_get(m, "pass_ci"), 1),
		       with_ci(ha, sizeof ha, json_object_get(m, "hallucination_rate"),
			       json_object_get(m, "hallucination_ci"), 1),
		       100 * num(m, "abstention_rate"), 100 * num(m, "loop_rate"),
		       100 * num(m, "mix_rate"), 100 * num(m, "reasoning_share"),
		       100 * num(m, "followup_ignored_rate"), num(m, "p50_ms") / 1000,
		       num(m, "p95_ms") / 1000,
		       verdict_words(json_string_value(json_object_get(m, "verdict"))));
	}

	/* Suitability per area: one line per model and area. */
	printf("\nby area:\n");
	json_array_foreach(models, i, m)
	{
		json_array_foreach(json_object_get(m, "areas"), j, a)
		{
			printf("  %-22.22s %-16.16s %3.0f q  pass %-16s halluc %-14s %s\n",
			       json_string_value(json_object_get(m, "model")),
			       json_string_value(json_object_get(a, "area")), num(a, "questions"),
			       with_ci(pa, sizeof pa, json_object_get(a, "pass_rate"),
				       json_object_get(a, "pass_ci"), 1),
			       with_ci(ha, sizeof ha, json_object_get(a, "hallucination_rate"),
				       json_object_get(a, "hallucination_ci"), 1),
			       verdict_words(json_string_value(json_object_get(a, "verdict"))));
		}
	}
	printf("\nsuitable: pass rate's lower bound >= %.0f%% and hallucination rate's upper "
	       "bound <= %.0f%%;\nuse with review: pass rate >= %.0f%% and hallucination rate <= "
	       "%.0f%%; fewer than %d questions: too few.\n",
	       100 * t->suitable_pass_lower, 100 * t->suitable_hallucination_upper,
	       100 * t->review_pass, 100 * t->review_hallucination, STATS_MIN_QUESTIONS);
	printf("Intervals are 95%%: Wilson for rates, bootstrap over questions for scores.\n");
	if (samples > 1) {
		printf("%d samples per question; %d question%s unstable (samples disagree on "
		       "passing)%s\n",
		       samples, unstable, unstable == 1 ? "" : "s", unstable ? ":" : ".");
		json_array_foreach(models, i, m)
		{
			json_array_foreach(json_object_get(m, "unstable_questions"), j, a)
			{
				printf("  %-22.22s %-40s passed %lld of %lld, score %.2f +/- "
				       "%.2f\n",
				       json_string_value(json_object_get(m, "model")),
				       json_string_value(json_object_get(a, "question")),
				       (long long)num(a, "passed"), (long long)num(a, "samples"),
				       num(a, "mean_score"), num(a, "sd_score"));
			}
		}
	}
	if (json_is_object(agreement))
		printf("judge: agreed with matching on %.0f of %.0f items (%.1f%%), Cohen's kappa "
		       "%s.\n",
		       num(agreement, "agree"), num(agreement, "n"), num(agreement, "percent"),
		       json_is_number(json_object_get(agreement, "kappa"))
			       ? (snprintf(sc, sizeof sc, "%.2f", num(agreement, "kappa")), sc)
			       : "undefined (one side all hits or all misses)");
	if (sim)
		printf("\n(sim): the demo backend's simulated answers, not measurements of any "
		       "real model.\n");
}

int
cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'}, {"models", required_argument, NULL, 'm'},
		{"suite", required_argument, NULL, 's'},  {"samples", required_argument, NULL, 'k'},
		{"json", no_argument, NULL, 'j'},         {"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	const char *cpath = NULL, *models = NULL, *suite = "all";
	const char *names[64];
	struct engine e;
	struct ctx x;
	struct diag d;
	struct am_err err;
	uv_loop_t loop;
	size_t nnames = 0;
	int samples = 1, json = 0, ch, status = 1;
	char *end, *list = NULL, *save = NULL, *m;

	memset(&x, 0, sizeof x);
	memset(&e, 0, sizeof e);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "c:qh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': cpath = optarg; break;
		case 'm': models = optarg; break;
		case 's': suite = optarg; break;
		case 'k':
			samples = (int)strtol(optarg, &end, 10);
			if (*end || samples < 1 || samples > 100)
				return cmd_usage_error(
					"run", "--samples must be 1 to 100, not '%s'", optarg);
			break;
		case 'j': json = 1; break;
		case 'q': x.quiet = 1; break;
		case 'h': fputs(help, stdout); return 0;
		default:
			return cmd_usage_error("run", "unknown or incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error("run", "unexpected argument '%s'", argv[optind]);
	if (!cpath && access("amicus.yaml", F_OK) == 0)
		cpath = "amicus.yaml";

	uv_loop_init(&loop);
	diag_init(&d);
	if (engine_open(&e, &loop, cpath, &d, &err) < 0) {
		diag_print(&d, stderr);
		fprintf(stderr, "amicus run: %s\n", err.msg);
		goto out;
	}
	if (d.errors)
		diag_print(&d, stderr); /* files left out of the bank */
	x.e = &e;
	if (models) {
		list = xstrdup(models);
		for (m = strtok_r(list, ",", &save); m && nnames < ARRAY_SIZE(names);
		     m = strtok_r(NULL, ",", &save))
			names[nnames++] = m;
	}
	if (engine_start_backends(&e, &err) < 0) {
		fprintf(stderr, "amicus run: %s\n", err.msg);
		goto out;
	}
	if (launch_run(&e, "cli", "cli", suite, names, nnames, samples, on_launched, &x, &err) <
	    0) {
		fprintf(stderr, "amicus run: %s\n", err.msg);
		goto out;
	}
	uv_signal_init(&loop, &x.sigint);
	uv_signal_init(&loop, &x.sigterm);
	x.sigint.data = x.sigterm.data = &x;
	uv_signal_start(&x.sigint, on_signal, SIGINT);
	uv_signal_start(&x.sigterm, on_signal, SIGTERM);
	x.signals = 1;
	uv_run(&loop, UV_RUN_DEFAULT);

	if (x.store_failed[0]) {
		struct run_counts c;

		store_run_counts(e.store, x.run, &c, NULL);
		fprintf(stderr,
			"amicus run: cannot write the database: %s (is the disk full?).\n"
			"Run %lld stops here; the %lld answers stored before are kept.\n",
			x.store_failed, (long long)x.run, (long long)c.done);
		status = 1;
	} else if (x.run && x.finished) {
		json_t *summary = store_run_summary_json(e.store, x.run, &e.cfg.thresholds);
		json_t *agreement = store_run_agreement_json(e.store, x.run);
		struct run_counts c;

		store_run_counts(e.store, x.run, &c, NULL);
		if (json) {
			json_t *o = json_pack(
				"{s:I, s:s, s:I, s:I, s:I, s:O, s:O}", "run_id", (json_int_t)x.run,
				"status", c.error && !c.done ? "failed" : "done", "jobs",
				(json_int_t)c.total, "done", (json_int_t)c.done, "errors",
				(json_int_t)c.error, "models", summary, "agreement", agreement);

			json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			putchar('\n');
			json_decref(o);
		} else {
			printf("run %lld: %lld answers, %lld errors\n", (long long)x.run,
			       (long long)c.done, (long long)c.error);
			print_table(summary, agreement, &e.cfg.thresholds);
		}
		json_decref(summary);
		json_decref(agreement);
		status = c.done > 0 ? 0 : 1;
	}
out:
	engine_stop_backends(&e);
	if (x.runner)
		runner_free(&x.runner);
	uv_run(&loop, UV_RUN_DEFAULT);
	if (x.signals)
		close_signals(&x);
	free(list);
	engine_close(&e);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	diag_deinit(&d);
	return status;
}
