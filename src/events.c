/*
 * events.c - a run's progress as server-sent events.
 *
 * One timer serves every stream: each tick reads the job counts of the
 * runs someone watches (one indexed query per run, not per subscriber)
 * and sends a progress event to each stream whose run changed.  A run
 * that is no longer running gets its last event and "end", and the
 * stream is closed.  A client that goes away is dropped in on_gone, one
 * that reads too slowly when http_stream_send says so.
 */
#include "amconfig.h"

#include "events.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct sub {
	struct events *ev;
	struct http_request *r;
	int64_t run;
	struct run_counts last; /* what it was last sent */
	int sent;
	struct sub *next;
};

struct events {
	uv_timer_t timer; /* first: timer.data = this */
	struct store *st;
	struct sub *subs;
	int nsubs;
	int closing;
};

static void
unlink_sub(struct events *ev, struct sub *s)
{
	struct sub **p;

	for (p = &ev->subs; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			ev->nsubs--;
			break;
		}
	if (!ev->subs)
		uv_timer_stop(&ev->timer);
}

static void
on_gone(void *arg)
{
	struct sub *s = arg;

	unlink_sub(s->ev, s);
	free(s);
}

/* Sends the run's state to s; 1 when the run is over (the stream ended). */
static int
send_state(struct sub *s, const struct run_counts *c, const char *status)
{
	char buf[512];
	int n, over = strcmp(status, "running") != 0;

	n = snprintf(buf, sizeof buf,
		     "event: progress\ndata: {\"run_id\":%lld,\"status\":\"%s\",\"jobs\":"
		     "{\"total\":%lld,\"pending\":%lld,\"inflight\":%lld,\"done\":%lld,"
		     "\"error\":%lld}}\n\n%s",
		     (long long)s->run, status, (long long)c->total, (long long)c->pending,
		     (long long)c->inflight, (long long)c->done, (long long)c->error,
		     over ? "event: end\ndata: {}\n\n" : "");
	if (http_stream_send(s->r, buf, (size_t)n) < 0)
		return -1; /* gone or too slow: the stream is over */
	s->last = *c;
	s->sent = 1;
	if (over) {
		http_stream_end(s->r);
		return 1;
	}
	return 0;
}

/* The run's status ("running", "done", ...), into out. */
static void
run_status(struct store *st, int64_t run, char *out, size_t cap)
{
	json_t *o = store_run_json(st, run);

	snprintf(out, cap, "%s", o ? json_string_value(json_object_get(o, "status")) : "gone");
	json_decref(o);
}

static void
on_tick(uv_timer_t *t)
{
	struct events *ev = t->data;
	struct sub *s, *next, *done = NULL;
	struct run_counts c;
	int64_t run = 0;
	char status[32] = "";

	/* Subscribers of one run are asked about it once per tick. */
	for (s = ev->subs; s; s = next) {
		next = s->next;
		if (s->run != run) {
			run = s->run;
			if (store_run_counts(ev->st, run, &c, NULL) < 0)
				continue;
			run_status(ev->st, run, status, sizeof status);
		}
		if (s->sent && memcmp(&c, &s->last, sizeof c) == 0 &&
		    strcmp(status, "running") == 0)
			continue;
		if (send_state(s, &c, status) != 0) {
			unlink_sub(ev, s);
			s->next = done;
			done = s;
		}
	}
	while (done) {
		next = done->next;
		free(done);
		done = next;
	}
}

int
events_new(struct events **ep, uv_loop_t *loop, struct store *st)
{
	struct events *ev = xcalloc(1, sizeof *ev);

	ev->st = st;
	uv_timer_init(loop, &ev->timer);
	ev->timer.data = ev;
	*ep = ev;
	return 0;
}

void
events_subscribe(struct events *ev, struct http_request *r, int64_t run)
{
	struct sub *s, **p;

	if (ev->nsubs >= EVENTS_MAX_SUBS) {
		http_respond_error(r, 503, "too many event streams; try again later");
		return;
	}
	s = xcalloc(1, sizeof *s);
	s->ev = ev;
	s->r = r;
	s->run = run;
	if (http_stream_begin(r, "text/event-stream", on_gone, s) < 0) {
		free(s);
		return;
	}
	/* Kept sorted by run, so that a tick reads each run once. */
	for (p = &ev->subs; *p && (*p)->run < run; p = &(*p)->next)
		;
	s->next = *p;
	*p = s;
	ev->nsubs++;
	if (!uv_is_active((uv_handle_t *)&ev->timer))
		uv_timer_start(&ev->timer, on_tick, 0, EVENTS_TICK_MS);
}

static void
on_closed(uv_handle_t *h)
{
	free(h->data);
}

void
events_free(struct events **ep)
{
	struct events *ev = *ep;
	struct sub *s, *next;

	if (!ev)
		return;
	*ep = NULL;
	for (s = ev->subs; s; s = next) {
		next = s->next;
		http_stream_end(s->r);
		free(s);
	}
	ev->subs = NULL;
	uv_timer_stop(&ev->timer);
	uv_close((uv_handle_t *)&ev->timer, on_closed);
}
