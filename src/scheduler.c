/*
 * scheduler.c - cron schedules on a single timer.
 *
 * Each schedule's next fire time is computed with cron_next (local time,
 * correct across DST changes); one uv_timer waits for the earliest.  When
 * it fires, every schedule that is due starts its run, unless that
 * schedule's previous run is still running (a schedule never overlaps
 * itself: a nightly run that takes 25 hours skips a night rather than
 * doubling the load).  Fire times are recorded in the store, so a restart
 * knows what it missed: with catch_up (the default), a schedule that should
 * have fired while the daemon was down runs once at start-up.
 *
 * The timer is re-armed at most an hour ahead, so a changed clock (NTP, a
 * suspended machine) is noticed within the hour.
 */
#include "amconfig.h"

#include "scheduler.h"
#include "cron.h"
#include "log.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_WAIT_MS (3600u * 1000u)

struct entry {
	const struct config_schedule *cs;
	struct cron cron;
	time_t next;
};

struct sched {
	uv_timer_t timer; /* first: timer.data = this */
	const struct config *cfg;
	struct store *st;
	sched_start_fn fn;
	void *arg;
	struct entry *e;
	size_t n;
};

static void arm(struct sched *s);

static void
fire(struct sched *s, struct entry *e, time_t when)
{
	if (store_schedule_running(s->st, e->cs->name)) {
		log_warn("sched", "schedule %s: its previous run is still running; skipped",
			 e->cs->name);
		store_schedule_fired(s->st, e->cs->name, (int64_t)when, 0);
		return;
	}
	log_info("sched", "schedule %s fires: suite %s, %ld samples", e->cs->name, e->cs->suite,
		 e->cs->samples);
	if (s->fn(e->cs, s->arg) < 0)
		log_error("sched", "schedule %s: the run could not start", e->cs->name);
	/* the starter records the fire with its run id */
}

static void
on_timer(uv_timer_t *t)
{
	struct sched *s = t->data;
	time_t now = time(NULL);
	size_t i;

	for (i = 0; i < s->n; i++) {
		struct entry *e = &s->e[i];

		if (e->next && e->next <= now) {
			fire(s, e, e->next);
			if (cron_next(&e->cron, now, &e->next) < 0)
				e->next = 0;
		}
	}
	arm(s);
}

static void
arm(struct sched *s)
{
	time_t now = time(NULL), first = 0;
	uint64_t wait;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->e[i].next && (!first || s->e[i].next < first))
			first = s->e[i].next;
	if (!first)
		return;
	wait = first > now ? (uint64_t)(first - now) * 1000u : 0;
	if (wait > MAX_WAIT_MS)
		wait = MAX_WAIT_MS;
	uv_timer_start(&s->timer, on_timer, wait, 0);
}

int
sched_start(struct sched **sp, uv_loop_t *loop, const struct config *cfg, struct store *st,
	    sched_start_fn fn, void *arg)
{
	struct sched *s = xcalloc(1, sizeof *s);
	time_t now = time(NULL), due;
	char err[256];
	size_t i;

	s->cfg = cfg;
	s->st = st;
	s->fn = fn;
	s->arg = arg;
	s->e = xcalloc(cfg->nschedules ? cfg->nschedules : 1, sizeof *s->e);
	uv_timer_init(loop, &s->timer);
	s->timer.data = s;
	for (i = 0; i < cfg->nschedules; i++) {
		struct entry *e = &s->e[s->n];
		int64_t last;

		e->cs = &cfg->schedules[i];
		if (cron_parse(e->cs->cron, &e->cron, err, sizeof err) < 0)
			continue; /* config_load rejected it already */
		if (cron_next(&e->cron, now, &e->next) < 0)
			e->next = 0;
		s->n++;
		/*
		 * Missed while we were down? The first fire after the last one.
		 * A schedule seen for the first time gets now as its baseline, so
		 * that a fire missed before its first run is caught up too.
		 */
		last = store_schedule_last(st, e->cs->name);
		if (last == 0)
			store_schedule_fired(st, e->cs->name, (int64_t)now, 0);
		if (e->cs->catch_up && last > 0 && cron_next(&e->cron, (time_t)last, &due) == 0 &&
		    due <= now) {
			log_info("sched",
				 "schedule %s missed its run at %lld while amicus was down; "
				 "running it now",
				 e->cs->name, (long long)due);
			fire(s, e, due);
		}
	}
	arm(s);
	*sp = s;
	return 0;
}

time_t
sched_next(const struct sched *s, const char **name)
{
	time_t first = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->e[i].next && (!first || s->e[i].next < first)) {
			first = s->e[i].next;
			if (name)
				*name = s->e[i].cs->name;
		}
	return first;
}

static void
on_closed(uv_handle_t *h)
{
	struct sched *s = h->data;

	free(s->e);
	free(s);
}

void
sched_stop(struct sched **sp)
{
	struct sched *s = *sp;

	if (!s)
		return;
	*sp = NULL;
	uv_timer_stop(&s->timer);
	uv_close((uv_handle_t *)&s->timer, on_closed);
}
