/*
 * scheduler.h - the scheduler: starts runs when their cron expressions fire.
 */
#ifndef AMICUS_SCHEDULER_H
#define AMICUS_SCHEDULER_H

#include <stdint.h>
#include <time.h>
#include <uv.h>

#include "config.h"
#include "store.h"

/** Starts a run for a schedule; returns 0 when it could. */
typedef int (*sched_start_fn)(const struct config_schedule *s, void *arg);

struct sched;

/**
 * Starts watching cfg's schedules.  A schedule whose last fire (in the
 * store) is older than its latest due time was missed while the daemon was
 * down and, with catch_up, is started once now.  A schedule whose previous
 * run is still running is skipped (it never overlaps itself).
 */
int sched_start(struct sched **sp, uv_loop_t *loop, const struct config *cfg, struct store *st,
		sched_start_fn fn, void *arg);
/** When the next schedule fires (0 if none). */
time_t sched_next(const struct sched *s, const char **name);
/** Stops and frees the scheduler (the loop must run to close its timer). */
void sched_stop(struct sched **sp);

#endif
