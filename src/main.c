/*
 * main.c - the amicus binary: dispatch to a subcommand.
 */
#include "amconfig.h"

#include "cmd.h"
#include "util.h"

#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"lint", cmd_lint, "validate questions, rubrics, statutes and amicus.yaml"},
	{"score", cmd_score, "score one answer against a question's rubric"},
	{"serve", cmd_serve, "run the daemon: schedules, runs, the API and the dashboard"},
	{"run", cmd_run, "run one evaluation now and print a summary"},
	{"backends", cmd_backends, "show each backend: reachable or not, its models, digests"},
	{"compare", cmd_compare, "compare two models of a run, paired (McNemar, bootstrap)"},
	{"report", cmd_report, "write the model-suitability report (pdf, html, md, csv, json)"},
};

static void
usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: amicus <command> [options]\n"
		    "\n"
		    "amicus measures how well language models answer legal questions.\n"
		    "\n"
		    "commands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(fp, "\n"
		    "Run 'amicus <command> --help' for a command's options.\n"
		    "Exit status: 0 success, 1 problems found or failure, 2 usage error.\n");
}

int
cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "amicus %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'amicus %s --help'.\n", cmd);
	return 2;
}

int
main(int argc, char **argv)
{
	size_t i;

	/* A file over the size limit (ulimit -f) is an error to report, as a full
	 * disk is (SQLite says so), not a signal that kills a nightly run. */
	signal(SIGXFSZ, SIG_IGN);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("amicus %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "amicus: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
