/*
 * cmd_report.c - amicus report: the model-suitability report of a run.
 */
#include "amconfig.h"

#include "cmd.h"
#include "catalog.h"
#include "config.h"
#include "report.h"
#include "store.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: amicus report [-c amicus.yaml] [--run ID|latest] [--models a,b] [--area AREA]\n"
	"                     [--lang zh|en] --format pdf|html|md|csv|csv-answers|json [-o FILE]\n"
	"\n"
	"Writes the model-suitability report of a finished run: per model and legal area\n"
	"the verdict (suitable, use with review, not suitable, too few questions) with\n"
	"pass and hallucination rates, their 95% intervals and the sample sizes; the\n"
	"paired comparison of the models; the worst hallucinations quoting the answers'\n"
	"own words and the law they contradict; behaviour (reasoning, loops, language\n"
	"mixing, latency); lawyers' reviews; and the method (question and rubric\n"
	"hashes, samples, model digests and settings, judge).\n"
	"\n"
	"  -c, --config F   amicus.yaml (default: ./amicus.yaml if present, else the defaults)\n"
	"  --run ID         the run (default: latest, the newest finished run)\n"
	"  --models a,b     only these models\n"
	"  --area AREA      only this legal area\n"
	"  --lang zh|en     the report's language (default en)\n"
	"  --format F       pdf (A4), html (self-contained), md, csv (model x area),\n"
	"                   csv-answers (one row per answer) or json\n"
	"  -o, --output F   write to F (default: standard output, except pdf:\n"
	"                   amicus-report-RUN.pdf)\n"
	"  -h, --help       show this help\n"
	"\n"
	"Exit status: 0 written, 1 no such run or it could not be written, 2 usage error.\n";

int
cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'}, {"run", required_argument, NULL, 'r'},
		{"models", required_argument, NULL, 'm'}, {"area", required_argument, NULL, 'a'},
		{"lang", required_argument, NULL, 'l'},	  {"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *cpath = NULL, *runs = "latest", *fmt = NULL, *output = NULL;
	const char *names[64];
	struct report_options o;
	enum report_format f = REPORT_MD;
	struct config cfg;
	struct catalog cat;
	struct store *st = NULL;
	struct diag d;
	struct am_err err;
	struct buf b;
	json_t *m = NULL;
	char *list = NULL, *save = NULL, *tok, *end, *outname = NULL;
	int ch, status = 1, have_cat = 0;
	FILE *fp;

	memset(&o, 0, sizeof o);
	o.lang = "en";
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': cpath = optarg; break;
		case 'r': runs = optarg; break;
		case 'm':
			free(list);
			list = xstrdup(optarg);
			break;
		case 'a': o.area = optarg; break;
		case 'l': o.lang = optarg; break;
		case 'f': fmt = optarg; break;
		case 'o': output = optarg; break;
		case 'h': fputs(help, stdout); free(list); return 0;
		default: free(list); return cmd_usage_error("report", "unknown option");
		}
	}
	if (optind < argc) {
		free(list);
		return cmd_usage_error("report", "unexpected argument '%s'", argv[optind]);
	}
	if (!fmt || report_format_parse(fmt, &f) < 0) {
		free(list);
		return cmd_usage_error("report", "--format is pdf, html, md, csv, csv-answers or json");
	}
	if (strcmp(o.lang, "zh") != 0 && strcmp(o.lang, "en") != 0) {
		free(list);
		return cmd_usage_error("report", "--lang is zh or en");
	}
	if (strcmp(runs, "latest") != 0) {
		o.run = strtoll(runs, &end, 10);
		if (*end || o.run <= 0) {
			free(list);
			return cmd_usage_error("report", "--run wants a run id or 'latest'");
		}
	}
	for (tok = list ? strtok_r(list, ",", &save) : NULL; tok && o.nmodels < ARRAY_SIZE(names);
	     tok = strtok_r(NULL, ",", &save))
		names[o.nmodels++] = tok;
	o.models = o.nmodels ? names : NULL;
	if (!cpath && access("amicus.yaml", F_OK) == 0)
		cpath = "amicus.yaml";
	diag_init(&d);
	config_defaults(&cfg);
	buf_init(&b, 0);
	if (cpath && config_load(&cfg, cpath, &d) < 0) {
		diag_print(&d, stderr);
		goto out;
	}
	catalog_load(&cat, cfg.questions, cfg.rubrics, cfg.statutes, &d);
	have_cat = 1;
	if (store_open(&st, cfg.database, &err) < 0) {
		fprintf(stderr, "amicus report: %s\n", err.msg);
		goto out;
	}
	m = report_build(store_db(st), &cat, &cfg, &o, &err);
	if (!m) {
		fprintf(stderr, "amicus report: %s\n", err.msg);
		goto out;
	}
	if (report_render(m, f, &b, &err) < 0) {
		fprintf(stderr, "amicus report: %s\n", err.msg);
		goto out;
	}
	if (!output && f == REPORT_PDF) {
		outname = xasprintf("amicus-report-%lld.pdf",
				    (long long)json_integer_value(
					    json_object_get(json_object_get(m, "run"), "id")));
		output = outname;
	}
	fp = output && strcmp(output, "-") != 0 ? fopen(output, "wb") : stdout;
	if (!fp) {
		fprintf(stderr, "amicus report: %s: %s\n", output, strerror(errno));
		goto out;
	}
	if (fwrite(b.data ? b.data : "", 1, b.len, fp) != b.len || (fp != stdout && fclose(fp))) {
		fprintf(stderr, "amicus report: %s: %s\n", output ? output : "stdout", strerror(errno));
		goto out;
	}
	if (fp != stdout)
		fprintf(stderr, "amicus report: wrote %s (%zu bytes)\n", output, b.len);
	status = 0;
out:
	json_decref(m);
	buf_deinit(&b);
	store_close(&st);
	if (have_cat)
		catalog_deinit(&cat);
	config_deinit(&cfg);
	diag_deinit(&d);
	free(outname);
	free(list);
	return status;
}
