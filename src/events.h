/*
 * events.h - a run's progress as server-sent events.
 */
#ifndef AMICUS_EVENTS_H
#define AMICUS_EVENTS_H

#include <stdint.h>
#include <uv.h>

#include "http.h"
#include "store.h"

struct events;

/** Creates the broadcaster; it reads progress from st. */
int events_new(struct events **ep, uv_loop_t *loop, struct store *st);

/**
 * Streams run's progress to r: a progress event now, then whenever it
 * changes (checked EVENTS_TICK_MS apart), and when the run ends a last
 * progress event and "event: end".  At most EVENTS_MAX_SUBS streams; past
 * that r gets 503.
 */
void events_subscribe(struct events *ev, struct http_request *r, int64_t run);
#define EVENTS_TICK_MS 250
#define EVENTS_MAX_SUBS 256

/** Ends every stream and frees the broadcaster once its timer is closed. */
void events_free(struct events **ep);

#endif
