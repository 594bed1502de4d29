/*
 * cmd.h - the subcommands of the amicus binary.
 *
 * Each takes the arguments after its name (argv[0] is the command name) and
 * returns the process exit status: 0 success, 1 a failure the user should
 * look at (problems found, a run that could not complete), 2 a usage error.
 */
#ifndef AMICUS_CMD_H
#define AMICUS_CMD_H

/** amicus lint: validate questions, rubrics, statutes and config. */
int cmd_lint(int argc, char **argv);
/** amicus score: score one answer against a rubric. */
int cmd_score(int argc, char **argv);

/** amicus run: one evaluation now. */
int cmd_run(int argc, char **argv);

/** amicus serve: the daemon. */
int cmd_serve(int argc, char **argv);
/** amicus backends: reachability, models and digests. */
int cmd_backends(int argc, char **argv);
/** amicus compare: two models of one run, paired. */
int cmd_compare(int argc, char **argv);
/** amicus report: the model-suitability report. */
int cmd_report(int argc, char **argv);

/** Prints "amicus CMD: message" and a hint to stderr; returns 2. */
int cmd_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
