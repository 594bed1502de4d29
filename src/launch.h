/*
 * launch.h - start a run: look up each model's digest, then create the run
 * and its jobs.  Shared by amicus run, the scheduler and POST /api/runs.
 */
#ifndef AMICUS_LAUNCH_H
#define AMICUS_LAUNCH_H

#include <stdint.h>

#include "engine.h"

/** Called when the run exists (run > 0), or could not be made (run 0, error). */
typedef void (*launch_fn)(int64_t run, const char *error, void *arg);

/**
 * Starts a run of suite × models × samples for executor ("serve" or "cli"),
 * triggered by trigger ("cli", "api", "schedule:NAME").  models (NULL or
 * empty: every configured model) are checked now: an unknown model or suite
 * is an error returned at once (-1, err; fn never called).  Otherwise the
 * backends are asked for their models' digests, the run is created, and
 * fn is called.  Returns 0.
 */
int launch_run(struct engine *e, const char *trigger, const char *executor, const char *suite,
	       const char *const *models, size_t nmodels, int samples, launch_fn fn, void *arg,
	       struct am_err *err);

#endif
