/*
 * cron.c - parse cron expressions into bit sets, and find when they next fire.
 *
 * The usual semantics of Vixie cron: when both day of month and day of week
 * are restricted, a day matches if either does.
 *
 * cron_next() walks the calendar in wall-clock (local civil) time, not in
 * real time: year, month, day, hour and minute are nested loops, and a month,
 * day or hour that cannot match is skipped whole, so even "0 0 29 2 *" takes
 * a few hundred steps.  Each matching wall-clock minute is then mapped to
 * real time by wall_to_time(): its first occurrence if clocks fall back over
 * it, the end of the gap if clocks spring forward over it.  That map never
 * goes backwards as wall-clock time goes forwards, which is the invariant
 * the search relies on: walking from the wall-clock minute after `after`,
 * the first match whose real time is later than `after` is the answer, and
 * no earlier wall-clock minute can be.  Matches whose real time is not later
 * (the rest of a gap already fired at its end, a repeated hour already fired
 * in its first pass) are stepped over.
 *
 * Calendar arithmetic is done here (days_from_civil) rather than with
 * mktime(), whose choice for a time in a gap or overlap with tm_isdst = -1
 * varies between C libraries; only localtime_r() consults the time zone.
 */
#include "amconfig.h"

#include "cron.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const field_names[] = {"minute", "hour", "day of month", "month", "day of week"};
static const int lo_of[] = {0, 0, 1, 1, 0};
static const int hi_of[] = {59, 23, 31, 12, 7};
static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
				     "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const days[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

static int
read_value(const char **p, int field, int *out)
{
	const char *s = *p;
	char *end;
	long v;
	size_t i;

	if (isdigit((unsigned char)*s)) {
		v = strtol(s, &end, 10);
		if (end - s > 4)
			return -1;
		*p = end;
		*out = (int)v;
		return 0;
	}
	if (field == 3) {
		for (i = 0; i < 12; i++)
			if (strncasecmp(s, months[i], 3) == 0) {
				*p = s + 3;
				*out = (int)i + 1;
				return 0;
			}
	}
	if (field == 4) {
		for (i = 0; i < 7; i++)
			if (strncasecmp(s, days[i], 3) == 0) {
				*p = s + 3;
				*out = (int)i;
				return 0;
			}
	}
	return -1;
}

static int
parse_field(const char *s, int field, uint64_t *bits, int *any, char *err, size_t errlen)
{
	const char *p = s;
	int lo, hi, step, a, b, v, star, ranged;

	*bits = 0;
	*any = strcmp(s, "*") == 0;
	lo = lo_of[field];
	hi = hi_of[field];
	for (;;) {
		step = 1;
		star = *p == '*';
		ranged = 0;
		if (star) {
			a = lo;
			b = hi;
			p++;
		} else {
			if (read_value(&p, field, &a) < 0)
				goto bad;
			b = a;
			if (*p == '-') {
				ranged = 1;
				p++;
				if (read_value(&p, field, &b) < 0)
					goto bad;
			}
		}
		if (*p == '/') {
			char *end;

			p++;
			step = (int)strtol(p, &end, 10);
			if (end == p || step <= 0 || step > hi)
				goto bad;
			p = end;
			if (!star && !ranged)
				b = hi; /* "5/15" means 5-max/15 */
		}
		if (a < lo || b > hi || a > b) {
			snprintf(err, errlen, "%s: %d-%d is outside %d-%d", field_names[field], a,
				 b, lo, hi);
			return -1;
		}
		for (v = a; v <= b; v += step)
			*bits |= 1ULL << (field == 4 && v == 7 ? 0 : v);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\0')
			return 0;
		goto bad;
	}
bad:
	snprintf(err, errlen, "%s: cannot read '%s' (use *, 5, 1-5, */15, 1,15 or names)",
		 field_names[field], s);
	return -1;
}

int
cron_parse(const char *expr, struct cron *out, char *err, size_t errlen)
{
	static const struct {
		const char *name, *expr;
	} macros[] = {{"@hourly", "0 * * * *"},   {"@daily", "0 0 * * *"},
		      {"@midnight", "0 0 * * *"}, {"@weekly", "0 0 * * 0"},
		      {"@monthly", "0 0 1 * *"},  {"@yearly", "0 0 1 1 *"},
		      {"@annually", "0 0 1 1 *"}};
	char buf[256], *fields[6], *save = NULL, *tok;
	uint64_t bits[5];
	int any[5], n = 0, i;
	size_t k;

	memset(out, 0, sizeof *out);
	for (k = 0; k < ARRAY_SIZE(macros); k++)
		if (strcasecmp(expr, macros[k].name) == 0)
			expr = macros[k].expr;
	if (strlen(expr) >= sizeof buf) {
		snprintf(err, errlen, "cron expression too long");
		return -1;
	}
	strcpy(buf, expr);
	for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (n == 5) {
			n++;
			break;
		}
		fields[n++] = tok;
	}
	if (n != 5) {
		snprintf(err, errlen,
			 "cron needs five fields (minute hour day-of-month month day-of-week), "
			 "e.g. \"0 2 * * *\"");
		return -1;
	}
	for (i = 0; i < 5; i++)
		if (parse_field(fields[i], i, &bits[i], &any[i], err, errlen) < 0)
			return -1;
	out->minute = bits[0];
	out->hour = (uint32_t)bits[1];
	out->mday = (uint32_t)bits[2];
	out->month = (uint16_t)bits[3];
	out->wday = (uint8_t)bits[4];
	out->mday_any = (uint8_t)any[2];
	out->wday_any = (uint8_t)any[4];
	return 0;
}

/* Days from 1970-01-01 to y-m-d (m 1-12) in the proleptic Gregorian calendar. */
static long long
days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy;

	/* Count years from March, so that the leap day is the last day of a year. */
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static int
days_in_month(int y, int m)
{
	static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return n[m - 1];
}

static int
day_matches(const struct cron *c, int y, int m, int d)
{
	long long n = days_from_civil(y, m, d);
	int wday = (int)(((n + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
	int dom = (c->mday >> d) & 1;
	int dow = (c->wday >> wday) & 1;

	if (c->mday_any || c->wday_any)
		return dom && dow;
	return dom || dow;
}

/* Sets *off to how far local time is ahead of UTC at t, in seconds. */
static int
utc_offset(time_t t, long long *off)
{
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return -1;
	*off = days_from_civil(tm.tm_year + 1900LL, tm.tm_mon + 1, tm.tm_mday) * 86400 +
	       tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec - (long long)t;
	return 0;
}

/*
 * The real time at which wall-clock time `wall` (seconds since the epoch,
 * counted as if local time were UTC) fires: its first occurrence, or, when
 * clocks skip it, the instant the gap ends.  Offsets from UTC are within
 * about 15 hours, so the offsets a day either side are the ones in force
 * before and after any change that matters to `wall`.
 */
static int
wall_to_time(long long wall, time_t *out)
{
	long long off_a, off_b, off, lo, hi, mid;
	int found = 0;

	if (utc_offset((time_t)(wall - 86400), &off_a) < 0 ||
	    utc_offset((time_t)(wall + 86400), &off_b) < 0)
		return -1;
	/* Try each offset; the earliest that reproduces `wall` is the first occurrence. */
	if (utc_offset((time_t)(wall - off_a), &off) < 0)
		return -1;
	if (off == off_a) {
		*out = (time_t)(wall - off_a);
		found = 1;
	}
	if (off_b != off_a) {
		if (utc_offset((time_t)(wall - off_b), &off) < 0)
			return -1;
		if (off == off_b && (!found || wall - off_b < (long long)*out)) {
			*out = (time_t)(wall - off_b);
			found = 1;
		}
	}
	if (found)
		return 0;
	/*
	 * A gap: local time jumps over `wall` somewhere in (lo, hi].  Find the
	 * first instant whose local time is past `wall`.
	 */
	lo = wall - (off_a > off_b ? off_a : off_b);
	hi = wall - (off_a > off_b ? off_b : off_a);
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (utc_offset((time_t)mid, &off) < 0)
			return -1;
		if (mid + off > wall)
			hi = mid;
		else
			lo = mid;
	}
	*out = (time_t)hi;
	return 0;
}

/*
 * Whether c fires on day y-mon-d at or after h:mi, later than `after`: 1 and
 * *next set, 0 if not, -1 if local time cannot be computed.
 */
static int
next_in_day(const struct cron *c, int y, int mon, int d, int h, int mi, time_t after, time_t *next)
{
	const uint64_t minutes = c->minute & ((1ULL << 60) - 1);
	long long day = days_from_civil(y, mon, d) * 86400;
	time_t t;

	for (; h <= 23; h++, mi = 0) {
		if (!((c->hour >> h) & 1))
			continue;
		for (; mi <= 59; mi++) {
			if (!((minutes >> mi) & 1))
				continue;
			if (wall_to_time(day + h * 3600 + mi * 60, &t) < 0)
				return -1;
			if (t > after) {
				*next = t;
				return 1;
			}
		}
	}
	return 0;
}

int
cron_next(const struct cron *c, time_t after, time_t *next)
{
	struct tm tm;
	int y, mon, d, h, mi, end_y, rc;

	if (!(c->minute & ((1ULL << 60) - 1)) || !(c->hour & 0xFFFFFFu) || !(c->month & 0x1FFEu) ||
	    (!(c->mday & 0xFFFFFFFEu) && !(c->wday & 0x7Fu)))
		return -1;
	tzset();
	if (!localtime_r(&after, &tm))
		return -1;
	/* Start at the wall-clock minute after the one `after` falls in. */
	y = tm.tm_year + 1900;
	mon = tm.tm_mon + 1;
	d = tm.tm_mday;
	h = tm.tm_hour;
	mi = tm.tm_min + 1;
	end_y = y + 8;
	/* Each loop's step resets the fields below it to their first value. */
	for (; y <= end_y; y++, mon = 1, d = 1, h = 0, mi = 0) {
		for (; mon <= 12; mon++, d = 1, h = 0, mi = 0) {
			if (!((c->month >> mon) & 1))
				continue;
			for (; d <= days_in_month(y, mon); d++, h = 0, mi = 0) {
				if (!day_matches(c, y, mon, d))
					continue;
				rc = next_in_day(c, y, mon, d, h, mi, after, next);
				if (rc != 0)
					return rc > 0 ? 0 : -1;
			}
		}
	}
	return -1;
}
