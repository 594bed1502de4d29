/*
 * cron.c - parse cron expressions into bit sets.
 *
 * The usual semantics of Vixie cron: when both day of month and day of week
 * are restricted, a day matches if either does.
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
