/*
 * progress.h - a run's progress on a terminal, or one line per 10%.
 */
#ifndef AMICUS_PROGRESS_H
#define AMICUS_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

struct progress {
	FILE *fp;
	int tty; /* redraw one line; else print at each 10% */
	int64_t total, done, errors;
	uint64_t started; /* ns */
	int last_decile;
	uint64_t last_draw;
};

/** Starts showing progress of total jobs on fp. */
void progress_init(struct progress *p, FILE *fp, int64_t total);
/** One job finished (ok or not). */
void progress_step(struct progress *p, int ok);
/** The run is over: the final line. */
void progress_end(struct progress *p);

#endif
