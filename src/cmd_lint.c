/*
 * cmd_lint.c - amicus lint: check everything a user writes, report every
 * problem as file:line:column, exit 1 if there is any.
 */
#include "amconfig.h"

#include "catalog.h"
#include "cmd.h"
#include "config.h"
#include "util.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "score.h"

static const char help[] =
	"usage: amicus lint [--questions DIR] [--rubrics DIR] [--statutes FILE]\n"
	"                   [-c amicus.yaml] [--strict] [-q]\n"
	"\n"
	"Validates the question bank, the rubrics, the statute registry and the\n"
	"configuration, and reports every problem as file:line:column: message.\n"
	"\n"
	"Checks: YAML syntax and keys (with the nearest known key for a typo);\n"
	"question ids unique; every question has a rubric and every rubric a\n"
	"question, turn by turn; every law and article a rubric cites exists in\n"
	"the registry; regexes compile; points are numbers of the right sign;\n"
	"pass marks lie in [0, 1]; quotes of the law appear in the article's text.\n"
	"\n"
	"  --questions DIR  the question bank (default: from amicus.yaml, else ./questions)\n"
	"  --rubrics DIR    the rubrics (default: from amicus.yaml, else ./rubrics)\n"
	"  --statutes FILE  the statute registry (default: RUBRICS/statutes.yaml)\n"
	"  -c, --config F   also check this amicus.yaml (default: ./amicus.yaml if present)\n"
	"  --answers DIR    test the rubrics against example answers: every question's\n"
	"                   reference must pass, and DIR/<id>/<turn>/good-*.txt must\n"
	"                   pass and DIR/<id>/<turn>/wrong-*.txt must fail\n"
	"  --summary        print what the bank holds (by area, language, tag)\n"
	"  --strict         treat warnings as errors\n"
	"  -q, --quiet      print only problems, no summary\n"
	"  -h, --help       show this help\n"
	"\n"
	"Exit status: 0 no problems, 1 problems found, 2 usage error.\n";

/* Describes why a result passed or failed, for a message. */
static void
explain(const struct score_result *res, const struct rubric_turn *turn, char *out, size_t cap)
{
	size_t i, n = 0;
	int w;

	w = snprintf(out, cap, "score %.2f (pass mark %.2f)", res->score, turn->pass);
	n = w > 0 ? (size_t)w : 0;
	for (i = 0; i < res->nkeypoints && n < cap; i++)
		if (!res->keypoints[i].hit) {
			w = snprintf(out + n, cap - n, ", missed %s", res->keypoints[i].item->id);
			n += w > 0 ? (size_t)w : 0;
		}
	for (i = 0; i < res->nforbidden && n < cap; i++)
		if (res->forbidden[i].hit) {
			w = snprintf(out + n, cap - n, ", claims %s", res->forbidden[i].item->id);
			n += w > 0 ? (size_t)w : 0;
		}
	for (i = 0; i < res->ncitations && n < cap; i++) {
		const struct score_citation *c = &res->citations[i];

		if (!c->denied &&
		    (c->c.status == CITATION_NONEXISTENT || c->c.status == CITATION_MISGROUNDED)) {
			w = snprintf(out + n, cap - n, ", cites %s article %d (%s)",
				     c->c.law_name ? c->c.law_name : "?", c->c.article,
				     citation_status_name(c->c.status));
			n += w > 0 ? (size_t)w : 0;
		}
	}
}

/* Scores one text and reports it when the verdict is not the expected one. */
static int
check_one(const struct catalog *cat, const struct config *cfg, const struct question *q,
	  const struct rubric *r, int t, const char *text, size_t len, int want_pass,
	  const char *where, struct diag *d)
{
	const struct rubric_turn *turn = rubric_turn(r, t);
	struct score_result res;
	char why[1024];
	int ok;

	if (!turn)
		return 0;
	score_text(r, turn, t > 1 ? rubric_turn(r, t - 1) : NULL, &cat->statutes, text, len,
		   q->language, &cfg->scoring, &res, NULL);
	ok = !!res.passed == !!want_pass;
	if (!ok) {
		explain(&res, turn, why, sizeof why);
		diag_error(d, where, 0, 0, "%s answer to %s turn %d %s: %s",
			   want_pass ? "a correct" : "a wrong", q->id, t,
			   want_pass ? "fails" : "passes", why);
	}
	score_result_deinit(&res);
	return ok ? 0 : 1;
}

/* The rubric tests: references and DIR/<id>/<turn>/{good,wrong}-*.txt. */
static void
check_answers(const struct catalog *cat, const struct config *cfg, const char *dir, struct diag *d,
	      int *checked)
{
	const struct question *q;
	const struct rubric *r;
	struct dirent *de;
	size_t i;
	int t;
	DIR *dp;

	for (i = 0; i < cat->bank.n; i++) {
		q = cat->bank.q[i];
		r = rubric_set_find(&cat->rubrics, q->id);
		if (!r)
			continue;
		for (t = 1; t <= (int)q->nturns; t++) {
			const char *ref = q->turns[t - 1].reference;

			if (!ref)
				continue;
			check_one(cat, cfg, q, r, t, ref, strlen(ref), 1, q->file, d);
			(*checked)++;
			{
				char *tdir = xasprintf("%s/%s/%d", dir, q->id, t);

				dp = opendir(tdir);
				while (dp && (de = readdir(dp))) {
					size_t n = strlen(de->d_name);
					int good = strncmp(de->d_name, "good", 4) == 0;
					int wrong = strncmp(de->d_name, "wrong", 5) == 0;
					char *path, *text;
					size_t len;

					if ((!good && !wrong) || n < 5 ||
					    strcmp(de->d_name + n - 4, ".txt"))
						continue;
					path = xasprintf("%s/%s", tdir, de->d_name);
					if (file_read(path, 1u << 24, &text, &len) == 0) {
						check_one(cat, cfg, q, r, t, text, len, good, path,
							  d);
						(*checked)++;
						free(text);
					}
					free(path);
				}
				if (dp)
					closedir(dp);
				free(tdir);
			}
		}
	}
	/* Example answers for questions the bank does not have. */
	dp = opendir(dir);
	if (!dp) {
		diag_error(d, dir, 0, 0, "cannot read the answers directory");
		return;
	}
	while ((de = readdir(dp))) {
		char *sub;
		struct stat sb;

		if (de->d_name[0] == '.' || bank_find(&cat->bank, de->d_name))
			continue;
		sub = xasprintf("%s/%s", dir, de->d_name);
		if (stat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))
			diag_warn(d, dir, 0, 0, "answers for '%s', which is not a question",
				  de->d_name);
		free(sub);
	}
	closedir(dp);
}

static void
count(const char **keys, int *vals, size_t *n, size_t cap, const char *key)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(keys[i], key) == 0) {
			vals[i]++;
			return;
		}
	if (*n < cap) {
		keys[*n] = key;
		vals[(*n)++] = 1;
	}
}

/* One line per figure, for people and for scripts: "area copyright 23". */
static void
print_summary(const struct catalog *cat)
{
	enum { CAP = 256 };
	const char *areas[CAP], *langs[CAP], *tags[CAP], *lj[CAP];
	int na[CAP], nl[CAP], nt[CAP], nlj[CAP], multi = 0;
	size_t ka = 0, kl = 0, kt = 0, klj = 0, i, j;
	struct pool p;

	pool_init(&p, 0);
	for (i = 0; i < cat->bank.n; i++) {
		const struct question *q = cat->bank.q[i];

		count(areas, na, &ka, CAP, q->area);
		count(langs, nl, &kl, CAP, q->language);
		count(lj, nlj, &klj, CAP, pool_printf(&p, "%s %s", q->language, q->jurisdiction));
		for (j = 0; j < q->ntags; j++)
			count(tags, nt, &kt, CAP, q->tags[j]);
		multi += q->nturns > 1;
	}
	printf("questions %zu\n", cat->bank.n);
	printf("multi-turn %d\n", multi);
	for (i = 0; i < ka; i++)
		printf("area %s %d\n", areas[i], na[i]);
	for (i = 0; i < kl; i++)
		printf("language %s %d\n", langs[i], nl[i]);
	for (i = 0; i < klj; i++)
		printf("language-jurisdiction %s %d\n", lj[i], nlj[i]);
	for (i = 0; i < kt; i++)
		printf("tag %s %d\n", tags[i], nt[i]);
	pool_deinit(&p);
}

int
cmd_lint(int argc, char **argv)
{
	static const struct option opts[] = {
		{"questions", required_argument, NULL, 'Q'},
		{"rubrics", required_argument, NULL, 'R'},
		{"statutes", required_argument, NULL, 'S'},
		{"config", required_argument, NULL, 'c'},
		{"strict", no_argument, NULL, 's'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"answers", required_argument, NULL, 'A'},
		{"summary", no_argument, NULL, 'U'},
		{NULL, 0, NULL, 0},
	};
	const char *qdir = NULL, *rdir = NULL, *spath = NULL, *cpath = NULL, *answers = NULL;
	int summary = 0, checked = 0;
	struct config cfg;
	struct catalog cat;
	struct diag d;
	int strict = 0, quiet = 0, ch, failed;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "c:qh", opts, NULL)) != -1) {
		switch (ch) {
		case 'Q': qdir = optarg; break;
		case 'R': rdir = optarg; break;
		case 'S': spath = optarg; break;
		case 'c': cpath = optarg; break;
		case 's': strict = 1; break;
		case 'q': quiet = 1; break;
		case 'A': answers = optarg; break;
		case 'U': summary = 1; break;
		case 'h': fputs(help, stdout); return 0;
		default:
			return cmd_usage_error("lint", "unknown or incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error("lint", "unexpected argument '%s'", argv[optind]);

	diag_init(&d);
	config_defaults(&cfg);
	if (!cpath && access("amicus.yaml", F_OK) == 0)
		cpath = "amicus.yaml";
	if (cpath) {
		config_deinit(&cfg);
		config_load(&cfg, cpath, &d);
	}
	if (!qdir)
		qdir = cfg.questions;
	if (!rdir)
		rdir = cfg.rubrics;
	if (!spath)
		spath = cfg.statutes;
	catalog_load(&cat, qdir, rdir, spath, &d);
	catalog_check_sources(&cat, &d);
	catalog_check_provenance(&cat, &d);
	if (answers)
		check_answers(&cat, &cfg, answers, &d, &checked);
	if (summary)
		print_summary(&cat);

	diag_print(&d, stdout);
	failed = d.errors > 0 || (strict && d.warnings > 0);
	if (!quiet && answers)
		printf("amicus lint: %d answers checked against their rubrics\n", checked);
	if (!quiet)
		printf("amicus lint: %zu questions, %zu rubrics, %zu laws%s%s: %zu errors, %zu "
		       "warnings%s\n",
		       cat.bank.n, cat.rubrics.n, cat.statutes.n, cpath ? ", config " : "",
		       cpath ? cpath : "", d.errors, d.warnings, failed ? "" : " - ok");
	catalog_deinit(&cat);
	config_deinit(&cfg);
	diag_deinit(&d);
	return failed ? 1 : 0;
}
