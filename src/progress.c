/*
 * progress.c - done/total, errors, rate and time left.
 *
 * On a terminal one line is redrawn at most ten times a second; in a log
 * (CI, cron, systemd) a line is printed each time another tenth of the jobs
 * is done, so the log stays short and says how far a night's run got.
 */
#include "amconfig.h"

#include "progress.h"
#include "util.h"

#include <unistd.h>

void
progress_init(struct progress *p, FILE *fp, int64_t total)
{
	p->fp = fp;
	p->tty = isatty(fileno(fp));
	p->total = total;
	p->done = p->errors = 0;
	p->started = now_ns();
	p->last_decile = 0;
	p->last_draw = 0;
}

static void
eta(char *out, size_t cap, double seconds)
{
	long s = (long)(seconds + 0.5);

	if (seconds < 0 || seconds > 1e7)
		snprintf(out, cap, "--:--");
	else if (s >= 3600)
		snprintf(out, cap, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(out, cap, "%ld:%02ld", s / 60, s % 60);
}

static void
draw(struct progress *p, int final)
{
	double elapsed = (double)(now_ns() - p->started) / 1e9;
	double rate = elapsed > 0 ? (double)p->done / elapsed : 0;
	double left = rate > 0 ? (double)(p->total - p->done) / rate : -1;
	char t[32];
	int width = 30, fill, i;

	eta(t, sizeof t, final ? elapsed : left);
	if (p->tty) {
		fill = p->total ? (int)(width * p->done / p->total) : width;
		fputc('\r', p->fp);
		fputc('[', p->fp);
		for (i = 0; i < width; i++)
			fputc(i < fill ? '#' : '-', p->fp);
		fprintf(p->fp, "] %lld/%lld  errors %lld  %.1f/s  %s %s ", (long long)p->done,
			(long long)p->total, (long long)p->errors, rate, final ? "took" : "ETA", t);
		if (final)
			fputc('\n', p->fp);
	} else {
		fprintf(p->fp, "amicus run: %lld/%lld jobs (%lld%%), %lld errors, %.1f/s, %s %s\n",
			(long long)p->done, (long long)p->total,
			p->total ? (long long)(100 * p->done / p->total) : 100LL,
			(long long)p->errors, rate, final ? "took" : "ETA", t);
	}
	fflush(p->fp);
}

void
progress_step(struct progress *p, int ok)
{
	uint64_t now = now_ns();
	int decile;

	p->done++;
	if (!ok)
		p->errors++;
	if (p->tty) {
		if (now - p->last_draw > 100000000u || p->done == p->total) {
			p->last_draw = now;
			draw(p, 0);
		}
		return;
	}
	decile = p->total ? (int)(10 * p->done / p->total) : 10;
	if (decile > p->last_decile) {
		p->last_decile = decile;
		draw(p, 0);
	}
}

void
progress_end(struct progress *p)
{
	if (p->tty)
		draw(p, 1);
}
