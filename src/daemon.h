/*
 * daemon.h - amicus serve: the engine, the runner, the scheduler and the
 * HTTP server on one loop, until a signal stops it.
 */
#ifndef AMICUS_DAEMON_H
#define AMICUS_DAEMON_H

#include <stdint.h>
#include <time.h>
#include <uv.h>

#include "engine.h"
#include "http.h"
#include "runner.h"
#include "scheduler.h"
#include "events.h"
#include "web.h"

struct daemon {
	uv_loop_t *loop;
	struct engine e;
	struct runner *runner;
	struct sched *sched;
	struct http_server *http;
	struct web *web;             /* the dashboard's files */
	struct events *events;       /* progress streams */
	const char *listen_override; /* --listen, or NULL */
	time_t started;
	int stopping;
	uv_signal_t sigterm, sigint, sighup;
	uint64_t gen; /* bumped when stored figures change: caches key on it */
	char store_error[300]; /* the last write the database refused ... */
	time_t store_error_at; /* ... and when */
	struct {      /* the leaderboard as last sent, for its run and gen */
		int64_t run;
		uint64_t gen;
		char *body;
		size_t len;
	} board;
	struct { /* /api/health as last built */
		uint64_t gen, at;
		char *body;
		size_t len;
	} health;
	struct { /* answer counts of finished runs, by filter */
		char key[600];
		uint64_t gen;
		int64_t total;
	} counts[32];
	struct { /* counters for /metrics */
		uint64_t runs_started, jobs_done, jobs_failed, reloads, reload_errors;
	} stats;
};

/**
 * Runs the daemon with the configuration at path (NULL: defaults) until
 * SIGTERM or SIGINT.  SIGHUP reloads the configuration; a configuration with
 * problems is reported and the old one kept.  Returns the exit status.
 */
int daemon_run(const char *path, const char *listen_override);

/** Starts a run (for the API and the scheduler); fn gets the run id. */
int daemon_launch(struct daemon *d, const char *trigger, const char *suite,
		  const char *const *models, size_t nmodels, int samples,
		  void (*fn)(int64_t run, const char *error, void *arg), void *arg,
		  struct am_err *err);

#endif
