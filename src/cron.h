/*
 * cron.h - five-field cron expressions: parsing, and when they next fire.
 */
#ifndef AMICUS_CRON_H
#define AMICUS_CRON_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/**
 * A parsed expression: one bit per allowed value of each field.
 * Fields: minute 0-59, hour 0-23, day of month 1-31, month 1-12, day of
 * week 0-6 (Sunday = 0; 7 is read as 0).
 */
struct cron {
	uint64_t minute;
	uint32_t hour;
	uint32_t mday;
	uint16_t month;
	uint8_t wday;
	uint8_t mday_any; /* day of month was '*' */
	uint8_t wday_any; /* day of week was '*' */
};

/**
 * Parses "m h dom mon dow" with '*', lists (1,15), ranges (1-5), steps
 * (0-30/5, or a star with a step) and names (jan-dec, sun-sat), or one of @hourly, @daily,
 * @midnight, @weekly, @monthly, @yearly, @annually.  Returns 0, or -1 with
 * a message naming the field in err.
 */
int cron_parse(const char *expr, struct cron *out, char *err, size_t errlen);

/**
 * The first minute strictly after `after` at which the expression fires, in
 * local time (the TZ of the process, re-read with tzset()), as a time_t in
 * *next, which is left alone on failure.  Returns 0, or -1 when it never
 * fires, e.g. "0 0 30 2 *" (or when local time cannot be computed).  The
 * search looks at least eight years ahead, so that "0 0 29 2 *" still works
 * across 2100, which is not a leap year.
 *
 * A day matches as in Vixie cron: when both day of month and day of week are
 * restricted (neither is '*'), either may match; otherwise the restricted one
 * must.
 *
 * Fire times are wall-clock minutes, and each wall-clock minute fires at most
 * once:
 *  - a minute that does not exist (the gap when clocks spring forward, e.g.
 *    02:00-02:59 when 02:00 becomes 03:00) fires at the end of the gap, 03:00
 *    local; all the minutes of one gap, and 03:00 itself, fire there once;
 *  - a minute that happens twice (when clocks fall back, e.g. 01:00-01:59
 *    when 02:00 becomes 01:00) fires at its first occurrence only.  So a
 *    daily job at 01:30 fires once that day, and an every-15-minutes job
 *    fires 4 times in the repeated hour, not 8: not during its second pass.
 * (cronie differs here: it runs jobs with a wildcard minute or hour during
 * both passes.)
 */
int cron_next(const struct cron *c, time_t after, time_t *next);

#endif
