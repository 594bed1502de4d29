/*
 * cmd_compare.c - amicus compare: two models of one run, paired.
 */
#include "amconfig.h"

#include "cmd.h"
#include "compare.h"
#include "config.h"
#include "store.h"
#include "util.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: amicus compare [-c amicus.yaml] [--run ID|latest] --a MODEL --b MODEL [--json]\n"
	"\n"
	"Compares two models on the questions both answered in one run: each one's\n"
	"pass rate and mean score, the difference in pass rate with the exact McNemar\n"
	"p-value, the difference in mean score with a paired bootstrap 95% interval,\n"
	"overall and per area, and the questions where one passed and the other did\n"
	"not.  A question with several samples counts as passed when more than half\n"
	"of them passed.\n"
	"\n"
	"  -c, --config F   amicus.yaml (default: ./amicus.yaml if present, else the defaults)\n"
	"  --run ID         the run (default: latest, the newest finished run)\n"
	"  --a MODEL        the first model\n"
	"  --b MODEL        the second model\n"
	"  --json           print JSON\n"
	"  -h, --help       show this help\n"
	"\n"
	"Exit status: 0 compared, 1 no such run or model, 2 usage error.\n";

static double
num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void
print_row(json_t *f)
{
	json_t *ci = json_object_get(f, "score_difference_ci");
	char cis[48] = "";

	if (json_array_size(ci) == 2)
		snprintf(cis, sizeof cis, "[%+.2f, %+.2f]",
			 json_number_value(json_array_get(ci, 0)),
			 json_number_value(json_array_get(ci, 1)));
	printf("%-16.16s %4.0f  %4.0f%% %4.0f%% %+5.0f pts  %3.0f/%-3.0f p=%-6.3g  %5.2f %5.2f "
	       "%+6.2f %s\n",
	       json_string_value(json_object_get(f, "area")), num(f, "questions"),
	       100 * num(f, "pass_rate_a"), 100 * num(f, "pass_rate_b"),
	       100 * num(f, "pass_difference"), num(f, "only_a_passed"), num(f, "only_b_passed"),
	       num(f, "mcnemar_p"), num(f, "mean_score_a"), num(f, "mean_score_b"),
	       num(f, "score_difference"), cis);
}

int
cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"run", required_argument, NULL, 'r'},
		{"a", required_argument, NULL, 'a'},
		{"b", required_argument, NULL, 'b'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *cpath = NULL, *runs = "latest", *a = NULL, *b = NULL;
	struct config cfg;
	struct store *st = NULL;
	struct diag d;
	struct am_err err;
	json_t *out = NULL, *f;
	int64_t run;
	size_t i;
	int ch, json = 0, status = 1;
	char *end;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': cpath = optarg; break;
		case 'r': runs = optarg; break;
		case 'a': a = optarg; break;
		case 'b': b = optarg; break;
		case 'j': json = 1; break;
		case 'h': fputs(help, stdout); return 0;
		default: return cmd_usage_error("compare", "unknown option");
		}
	}
	if (optind < argc)
		return cmd_usage_error("compare", "unexpected argument '%s'", argv[optind]);
	if (!a || !b)
		return cmd_usage_error("compare", "name the two models with --a and --b");
	if (strcmp(a, b) == 0)
		return cmd_usage_error("compare", "--a and --b name the same model");
	if (!cpath && access("amicus.yaml", F_OK) == 0)
		cpath = "amicus.yaml";
	diag_init(&d);
	config_defaults(&cfg);
	if (cpath && config_load(&cfg, cpath, &d) < 0) {
		diag_print(&d, stderr);
		goto out;
	}
	if (store_open(&st, cfg.database, &err) < 0) {
		fprintf(stderr, "amicus compare: %s\n", err.msg);
		goto out;
	}
	if (strcmp(runs, "latest") == 0) {
		run = store_latest_run(st);
		if (!run) {
			fprintf(stderr, "amicus compare: %s has no finished run yet\n",
				cfg.database);
			goto out;
		}
	} else {
		run = strtoll(runs, &end, 10);
		if (*end || run <= 0) {
			status = cmd_usage_error(
				"compare", "--run wants a run id or 'latest', not '%s'", runs);
			goto out;
		}
	}
	out = compare_models(store_db(st), run, a, b, &err);
	if (!out) {
		fprintf(stderr, "amicus compare: %s\n", err.msg);
		goto out;
	}
	status = 0;
	if (json) {
		json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		goto out;
	}
	printf("run %lld: a = %s, b = %s, on the questions both answered\n\n", (long long)run, a,
	       b);
	printf("%-16s %4s  %5s %5s %9s  %-7s %-8s %5s %5s %6s %s\n", "area", "q", "pass a", "b",
	       "a - b", "only a/b", "McNemar", "score a", "b", "a - b", "[95% CI]");
	print_row(json_object_get(out, "overall"));
	json_array_foreach(json_object_get(out, "areas"), i, f) print_row(f);
	if (json_array_size(json_object_get(out, "disagreements"))) {
		printf("\nwhere they disagree:\n");
		json_array_foreach(json_object_get(out, "disagreements"), i, f)
		{
			int ap = json_is_true(json_object_get(f, "a_passed"));
			const char *w = ap ? b : a, *lk = ap ? "b_hallucinated" : "a_hallucinated";

			printf("  %-40s %-16s %s passed (score %.2f), %s failed (score %.2f%s)\n",
			       json_string_value(json_object_get(f, "question")),
			       json_string_value(json_object_get(f, "area")), ap ? a : b,
			       num(f, ap ? "score_a" : "score_b"), w,
			       num(f, ap ? "score_b" : "score_a"),
			       num(f, lk) > 0 ? ", hallucinated" : "");
		}
	}
	printf("\nMcNemar: exact two-sided p on the questions only one model passed; the score\n"
	       "interval is a paired bootstrap over questions (a question and its translation\n"
	       "resampled together).\n");
out:
	json_decref(out);
	store_close(&st);
	config_deinit(&cfg);
	diag_deinit(&d);
	return status;
}
