/*
 * cmd_serve.c - amicus serve: the daemon.
 */
#include "amconfig.h"

#include "cmd.h"
#include "daemon.h"
#include "log.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: amicus serve [-c amicus.yaml] [--listen HOST:PORT] [--log-level LEVEL]\n"
	"\n"
	"Runs the daemon: the scheduler, the runner and the HTTP server (JSON API,\n"
	"/metrics and, when installed, the dashboard) on one event loop.\n"
	"\n"
	"With no configuration file it runs on the defaults: ./amicus.db,\n"
	"http://127.0.0.1:8470, ./questions and ./rubrics, an Ollama at\n"
	"127.0.0.1:11434 if one answers, otherwise the built-in demo backend.\n"
	"\n"
	"  -c, --config F      amicus.yaml (default: ./amicus.yaml if present)\n"
	"  --listen HOST:PORT  where to listen (default: from amicus.yaml, else\n"
	"                      127.0.0.1:8470; port 0 picks a free port)\n"
	"  --log-level L       error, warn, info (default) or debug\n"
	"  -h, --help          show this help\n"
	"\n"
	"Signals: SIGTERM and SIGINT stop it (jobs in flight go back to pending);\n"
	"SIGHUP reloads amicus.yaml and the question bank (a file with problems is\n"
	"reported and the running configuration kept).\n"
	"\n"
	"Exit status: 0 stopped by a signal, 1 could not start, 2 usage error.\n";

int
cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"listen", required_argument, NULL, 'l'},
		{"log-level", required_argument, NULL, 'L'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *cpath = NULL, *listen = NULL;
	int ch, level;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': cpath = optarg; break;
		case 'l': listen = optarg; break;
		case 'L':
			level = log_level_parse(optarg);
			if (level < 0)
				return cmd_usage_error("serve",
						       "--log-level must be error, warn, info or "
						       "debug, not '%s'",
						       optarg);
			log_set_level((enum log_level)level);
			break;
		case 'h': fputs(help, stdout); return 0;
		default:
			return cmd_usage_error("serve", "unknown or incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error("serve", "unexpected argument '%s'", argv[optind]);
	if (!cpath && access("amicus.yaml", F_OK) == 0)
		cpath = "amicus.yaml";
	return daemon_run(cpath, listen);
}
