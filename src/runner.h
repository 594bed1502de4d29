/*
 * runner.h - executes the jobs of runs: asks each question turn by turn,
 * scores every answer as it arrives, stores the results.
 */
#ifndef AMICUS_RUNNER_H
#define AMICUS_RUNNER_H

#include <stdint.h>
#include <uv.h>

#include "backend.h"
#include "catalog.h"
#include "config.h"
#include "store.h"

struct runner;

/** What the runner tells its owner. */
struct runner_hooks {
	/* A job of run finished (done or error). */
	void (*job_done)(int64_t run, int ok, void *arg);
	/* run has no job left; its aggregates are stored. */
	void (*run_done)(int64_t run, void *arg);
	/* The database refused a write (full disk, I/O error): why.  Jobs it
	 * could not store stay in flight there and are redone after a restart. */
	void (*store_failed)(const char *why, void *arg);
	void *arg;
};

/**
 * Creates a runner.  It executes the pending jobs of run (or, with run 0,
 * of every running run whose executor is `executor`), as many at once as
 * the backends' concurrency allows.  backends[i] serves cfg->backends[i].
 * Everything passed in must outlive the runner.
 */
int runner_new(struct runner **rp, uv_loop_t *loop, struct store *st, const struct catalog *cat,
	       const struct config *cfg, struct backend **backends, const char *executor,
	       int64_t run, const struct runner_hooks *hooks);

/** Looks for pending jobs now (after a run was created). */
void runner_kick(struct runner *r);

/** Jobs being executed now. */
int runner_active(const struct runner *r);

/**
 * Stops: jobs in flight go back to 'pending' (another start finishes
 * them), and nothing new is taken.  The backends' requests must be
 * cancelled by the caller.
 */
void runner_stop(struct runner *r);

/** Frees a stopped runner once its handles are closed. */
void runner_free(struct runner **rp);

#endif
