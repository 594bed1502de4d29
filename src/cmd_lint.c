/*
 * cmd_lint.c - amicus lint: check everything a user writes, report every
 * problem as file:line:column, exit 1 if there is any.
 */
#include "amconfig.h"

#include "catalog.h"
#include "cmd.h"
#include "config.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
	"  --strict         treat warnings as errors\n"
	"  -q, --quiet      print only problems, no summary\n"
	"  -h, --help       show this help\n"
	"\n"
	"Exit status: 0 no problems, 1 problems found, 2 usage error.\n";

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
		{NULL, 0, NULL, 0},
	};
	const char *qdir = NULL, *rdir = NULL, *spath = NULL, *cpath = NULL;
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

	diag_print(&d, stdout);
	failed = d.errors > 0 || (strict && d.warnings > 0);
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
