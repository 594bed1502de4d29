/*
 * cron.h - five-field cron expressions.
 */
#ifndef AMICUS_CRON_H
#define AMICUS_CRON_H

#include <stddef.h>
#include <stdint.h>

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

#endif
