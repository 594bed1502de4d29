/*
 * Unit tests for cron_next(): when a cron expression next fires.
 *
 * Expected times are written as UTC calendar literals and converted with
 * timegm(), which does not consult the time zone, so they do not share code
 * or assumptions with cron.c; comments give the local time they stand for.
 * The UTC cases are also checked against a brute-force search that steps
 * through every minute.  The DST cases need the tzdata zone files.
 */
#include "amconfig.h"

#include <time.h>

#include "cron.h"
#include "testlib.h"

#define NEVER ((time_t)-1)

static void
set_tz(const char *tz)
{
	char path[256];
	const char *dir = getenv("TZDIR");

	if (tz[0] != '<' && strchr(tz, '/')) {
		snprintf(path, sizeof path, "%s/%s", dir ? dir : "/usr/share/zoneinfo", tz);
		ck_assert_msg(access(path, R_OK) == 0, "%s is missing: install tzdata", path);
	}
	ck_assert_int_eq(setenv("TZ", tz, 1), 0);
	tzset();
}

/* A UTC calendar time (month 1-12) as a time_t, independent of TZ. */
static time_t
utc(int y, int mon, int d, int h, int mi)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return timegm(&tm);
}

static const char *
show(time_t t, char *buf, size_t len)
{
	struct tm u, l;
	char a[32], b[40];

	if (t == NEVER)
		return "never";
	gmtime_r(&t, &u);
	localtime_r(&t, &l);
	strftime(a, sizeof a, "%Y-%m-%d %H:%M:%SZ", &u);
	strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S %Z", &l);
	snprintf(buf, len, "%s (%s)", a, b);
	return buf;
}

static struct cron
parse(const char *expr)
{
	struct cron c;
	char err[256];

	ck_assert_msg(cron_parse(expr, &c, err, sizeof err) == 0, "%s: %s", expr, err);
	return c;
}

/* cron_next() of expr after `after`, or NEVER when it returns -1. */
static time_t
next_of(const char *expr, time_t after)
{
	struct cron c = parse(expr);
	time_t t = 12345;
	int rc = cron_next(&c, after, &t);

	ck_assert_msg(rc == 0 || rc == -1, "%s: cron_next returned %d", expr, rc);
	return rc == 0 ? t : NEVER;
}

/* Asserts that expr, after `after`, next fires at `want` (NEVER: not at all). */
#define ck_next(expr, after, want)                                                  \
	do {                                                                        \
		time_t a_ = (after), w_ = (want), g_ = next_of((expr), a_);         \
		char sa_[80], sw_[80], sg_[80];                                     \
                                                                                    \
		ck_assert_msg(g_ == w_, "\"%s\" after %s: got %s, want %s", (expr), \
			      show(a_, sa_, sizeof sa_), show(g_, sg_, sizeof sg_), \
			      show(w_, sw_, sizeof sw_));                           \
	} while (0)

/*
 * Asserts that the successive fires of expr after `from` are want[0..n-1]:
 * each one is asked for after the one before.
 */
static void
check_walk(const char *expr, time_t from, const time_t *want, size_t n)
{
	time_t t = from;
	size_t i;

	for (i = 0; i < n; i++) {
		ck_next(expr, t, want[i]);
		t = want[i];
	}
}

START_TEST(test_every_minute)
{
	set_tz("UTC");
	ck_next("* * * * *", utc(2026, 1, 1, 0, 0), utc(2026, 1, 1, 0, 1));
	ck_next("* * * * *", utc(2026, 1, 1, 0, 0) + 30, utc(2026, 1, 1, 0, 1));
	ck_next("* * * * *", utc(2026, 1, 1, 0, 0) - 1, utc(2026, 1, 1, 0, 0));
	ck_next("* * * * *", utc(2026, 12, 31, 23, 59), utc(2027, 1, 1, 0, 0));
}
END_TEST

START_TEST(test_daily)
{
	set_tz("UTC");
	ck_next("0 2 * * *", utc(2026, 3, 10, 1, 59), utc(2026, 3, 10, 2, 0));
	ck_next("0 2 * * *", utc(2026, 3, 10, 2, 0) - 1, utc(2026, 3, 10, 2, 0));
	ck_next("0 2 * * *", utc(2026, 3, 10, 2, 0), utc(2026, 3, 11, 2, 0));
	ck_next("0 2 * * *", utc(2026, 3, 10, 2, 0) + 1, utc(2026, 3, 11, 2, 0));
	ck_next("0 2 * * *", utc(2026, 12, 31, 3, 0), utc(2027, 1, 1, 2, 0));
	ck_next("@daily", utc(2026, 2, 28, 12, 0), utc(2026, 3, 1, 0, 0));
	ck_next("@hourly", utc(2026, 2, 28, 23, 0), utc(2026, 3, 1, 0, 0));
}
END_TEST

START_TEST(test_steps_and_ranges)
{
	set_tz("UTC");
	/* 2026-01-02 is a Friday. */
	ck_next("*/15 9-17 * * 1-5", utc(2026, 1, 2, 10, 7), utc(2026, 1, 2, 10, 15));
	ck_next("*/15 9-17 * * 1-5", utc(2026, 1, 2, 17, 45), utc(2026, 1, 5, 9, 0));
	ck_next("*/15 9-17 * * 1-5", utc(2026, 1, 2, 8, 0), utc(2026, 1, 2, 9, 0));
	ck_next("5/20 * * * *", utc(2026, 1, 2, 10, 6), utc(2026, 1, 2, 10, 25));
	ck_next("5/20 * * * *", utc(2026, 1, 2, 10, 45), utc(2026, 1, 2, 11, 5));
	ck_next("0 9-17/4 * * *", utc(2026, 1, 2, 13, 0), utc(2026, 1, 2, 17, 0));
	ck_next("0 9-17/4 * * *", utc(2026, 1, 2, 17, 0), utc(2026, 1, 3, 9, 0));
	ck_next("0,30 8 1-7 * *", utc(2026, 1, 7, 8, 30), utc(2026, 2, 1, 8, 0));
	ck_next("10-12 0 * * *", utc(2026, 1, 7, 0, 11), utc(2026, 1, 7, 0, 12));
	ck_next("10-12 0 * * *", utc(2026, 1, 7, 0, 12), utc(2026, 1, 8, 0, 10));
	ck_next("0 0 */10 * *", utc(2026, 1, 21, 0, 0), utc(2026, 1, 31, 0, 0));
	ck_next("0 0 */10 * *", utc(2026, 1, 31, 0, 0), utc(2026, 2, 1, 0, 0));
}
END_TEST

START_TEST(test_short_months)
{
	set_tz("UTC");
	/* The 31st skips February, April, June, September and November. */
	ck_next("0 0 31 * *", utc(2026, 1, 31, 0, 0), utc(2026, 3, 31, 0, 0));
	ck_next("0 0 31 * *", utc(2026, 3, 31, 0, 0), utc(2026, 5, 31, 0, 0));
	ck_next("0 0 31 * *", utc(2026, 7, 31, 0, 0), utc(2026, 8, 31, 0, 0));
	ck_next("0 0 31 * *", utc(2026, 8, 31, 0, 0), utc(2026, 10, 31, 0, 0));
	ck_next("0 0 31 * *", utc(2026, 12, 31, 0, 0), utc(2027, 1, 31, 0, 0));
	ck_next("0 0 30 * *", utc(2026, 1, 30, 0, 0), utc(2026, 3, 30, 0, 0));
	ck_next("0 0 30 * *", utc(2028, 1, 30, 0, 0), utc(2028, 3, 30, 0, 0));
}
END_TEST

START_TEST(test_leap_day)
{
	set_tz("UTC");
	ck_next("0 0 29 2 *", utc(2026, 1, 1, 0, 0), utc(2028, 2, 29, 0, 0));
	ck_next("0 0 29 2 *", utc(2028, 2, 28, 12, 0), utc(2028, 2, 29, 0, 0));
	ck_next("0 0 29 2 *", utc(2028, 2, 29, 0, 0), utc(2032, 2, 29, 0, 0));
	/* 2100 is not a leap year: eight years from one Feb 29 to the next. */
	ck_next("0 0 29 2 *", utc(2096, 3, 1, 0, 0), utc(2104, 2, 29, 0, 0));
	ck_next("0 0 29 2 *", utc(2000, 1, 1, 0, 0), utc(2000, 2, 29, 0, 0));
	ck_next("0 0 28-31 2 *", utc(2026, 2, 28, 0, 0), utc(2027, 2, 28, 0, 0));
	ck_next("0 0 28-31 2 *", utc(2028, 2, 28, 0, 0), utc(2028, 2, 29, 0, 0));
}
END_TEST

START_TEST(test_leap_day_is_fast)
{
	struct cron c = parse("0 0 29 2 *");
	time_t t, after = utc(2026, 1, 1, 0, 0);
	struct tm tm;
	int i;

	set_tz("UTC");
	/* Ten thousand queries spread over 2026-2053: well within Check's timeout. */
	for (i = 0; i < 10000; i++, after += 86400 + 3607) {
		ck_assert_int_eq(cron_next(&c, after, &t), 0);
		gmtime_r(&t, &tm);
		ck_assert(tm.tm_mon == 1 && tm.tm_mday == 29 && tm.tm_hour == 0 && tm.tm_min == 0);
		ck_assert(t > after && t - after <= 4 * 366 * 86400);
	}
}
END_TEST

START_TEST(test_either_day)
{
	set_tz("UTC");
	/* Both restricted: the 1st or a Monday.  2026-05-01 is a Friday, 05-04 a Monday. */
	ck_next("0 0 1 * 1", utc(2026, 4, 28, 0, 0), utc(2026, 5, 1, 0, 0));
	ck_next("0 0 1 * 1", utc(2026, 5, 1, 0, 0), utc(2026, 5, 4, 0, 0));
	ck_next("0 0 1 * 1", utc(2026, 5, 4, 0, 0), utc(2026, 5, 11, 0, 0));
	ck_next("0 0 1 * 1", utc(2026, 5, 25, 0, 0), utc(2026, 6, 1, 0, 0));
	/* One restricted: only that one counts. */
	ck_next("0 0 * * 1", utc(2026, 4, 28, 0, 0), utc(2026, 5, 4, 0, 0));
	ck_next("0 0 1 * *", utc(2026, 5, 1, 0, 0), utc(2026, 6, 1, 0, 0));
	/* 13th or a Friday, with 2026-02-06 and 02-13 both Fridays. */
	ck_next("0 0 13 * 5", utc(2026, 2, 1, 0, 0), utc(2026, 2, 6, 0, 0));
	ck_next("0 0 13 * 5", utc(2026, 2, 13, 0, 0), utc(2026, 2, 20, 0, 0));
	/* Restricted by month too: the 29th of February or any Monday in it. */
	ck_next("0 0 29 2 mon", utc(2026, 3, 1, 0, 0), utc(2027, 2, 1, 0, 0));
}
END_TEST

START_TEST(test_names)
{
	set_tz("UTC");
	/* 2026-07-01 is a Wednesday. */
	ck_next("30 8 * jan,jul mon-fri", utc(2026, 2, 1, 0, 0), utc(2026, 7, 1, 8, 30));
	ck_next("30 8 * JAN,Jul Mon-Fri", utc(2026, 7, 3, 8, 30), utc(2026, 7, 6, 8, 30));
	ck_next("0 12 * * sun", utc(2026, 1, 1, 0, 0), utc(2026, 1, 4, 12, 0));
	ck_next("0 0 1 dec *", utc(2026, 1, 1, 0, 0), utc(2026, 12, 1, 0, 0));
	ck_next("@yearly", utc(2026, 1, 1, 0, 0), utc(2027, 1, 1, 0, 0));
	ck_next("@monthly", utc(2026, 1, 31, 23, 59), utc(2026, 2, 1, 0, 0));
}
END_TEST

START_TEST(test_weekly)
{
	set_tz("UTC");
	/* 2026-01-07 is a Wednesday; 01-04 and 01-11 are Sundays. */
	ck_next("@weekly", utc(2026, 1, 7, 10, 0), utc(2026, 1, 11, 0, 0));
	ck_next("@weekly", utc(2026, 1, 4, 0, 0) - 1, utc(2026, 1, 4, 0, 0));
	ck_next("@weekly", utc(2026, 1, 4, 0, 0), utc(2026, 1, 11, 0, 0));
	ck_next("0 0 * * 7", utc(2026, 1, 7, 10, 0), utc(2026, 1, 11, 0, 0));
}
END_TEST

START_TEST(test_never)
{
	struct cron c;
	time_t t = 42;

	set_tz("UTC");
	ck_next("0 0 30 2 *", utc(2026, 1, 1, 0, 0), NEVER);
	ck_next("0 0 31 2,4,6,9,11 *", utc(2026, 1, 1, 0, 0), NEVER);
	/* The day of week makes the 30th of February unnecessary. */
	ck_next("0 0 30 2 mon", utc(2026, 1, 1, 0, 0), utc(2026, 2, 2, 0, 0));
	/* An empty set (not something cron_parse makes) fires never, and *next is left alone. */
	c = parse("* * * * *");
	c.hour = 0;
	ck_assert_int_eq(cron_next(&c, utc(2026, 1, 1, 0, 0), &t), -1);
	ck_assert_int_eq(t, 42);
}
END_TEST

/*
 * The brute-force reference: in UTC every minute exists once, so step
 * through real minutes and match the fields one by one.
 */
static time_t
brute_next(const struct cron *c, time_t after, long max_minutes)
{
	time_t t = after - (after % 60 + 60) % 60 + 60;
	struct tm tm;
	long i;
	int dom, dow;

	for (i = 0; i < max_minutes; i++, t += 60) {
		gmtime_r(&t, &tm);
		dom = (c->mday >> tm.tm_mday) & 1;
		dow = (c->wday >> tm.tm_wday) & 1;
		if (((c->minute >> tm.tm_min) & 1) && ((c->hour >> tm.tm_hour) & 1) &&
		    ((c->month >> (tm.tm_mon + 1)) & 1) &&
		    ((c->mday_any || c->wday_any) ? dom && dow : dom || dow))
			return t;
	}
	return NEVER;
}

START_TEST(test_against_brute_force)
{
	static const char *const exprs[] = {
		"* * * * *",         "7 * * * *",
		"*/15 9-17 * * 1-5", "0 0 1 * 1",
		"0 0 13 * 5",        "30 23 31 * *",
		"0 12 * 2 *",        "59 23 * * 0",
		"0 0 1,15 * wed",    "5/20 3-4 * jan,dec sat",
		"0 0 29 2 *",
	};
	/* Start points around month and year ends, a leap day, and mid-minute. */
	const time_t starts[] = {
		utc(2026, 1, 1, 0, 0),    utc(2027, 12, 31, 23, 59) + 30,
		utc(2028, 2, 28, 23, 58), utc(2028, 2, 29, 12, 0),
		utc(2026, 4, 30, 23, 59), utc(2026, 6, 14, 8, 53) + 59,
	};
	size_t i, j;

	set_tz("UTC");
	for (i = 0; i < ARRAY_SIZE(exprs); i++) {
		struct cron c = parse(exprs[i]);

		for (j = 0; j < ARRAY_SIZE(starts); j++)
			ck_next(exprs[i], starts[j], brute_next(&c, starts[j], 5L * 366 * 1440));
	}
}
END_TEST

/* New York, 2026-03-08: 02:00 EST (07:00Z) becomes 03:00 EDT. */
START_TEST(test_dst_spring_new_york)
{
	const time_t quarter[] = {
		utc(2026, 3, 8, 6, 45), /* 01:45 EST */
		utc(2026, 3, 8, 7, 0),  /* 03:00 EDT: 02:00-02:45 all fire here, once */
		utc(2026, 3, 8, 7, 15), /* 03:15 EDT */
	};
	const time_t hourly[] = {
		utc(2026, 3, 8, 6, 0), /* 01:00 EST */
		utc(2026, 3, 8, 7, 0), /* 03:00 EDT, for 02:00 and 03:00 */
		utc(2026, 3, 8, 8, 0), /* 04:00 EDT */
	};

	set_tz("America/New_York");
	ck_next("30 2 * * *", utc(2026, 3, 7, 5, 0), utc(2026, 3, 7, 7, 30)); /* 02:30 EST */
	ck_next("30 2 * * *", utc(2026, 3, 7, 7, 30), utc(2026, 3, 8, 7, 0)); /* 03:00 EDT */
	ck_next("30 2 * * *", utc(2026, 3, 8, 7, 0), utc(2026, 3, 9, 6, 30)); /* 02:30 EDT */
	ck_next("30 2 * * *", utc(2026, 3, 9, 6, 30), utc(2026, 3, 10, 6, 30));
	ck_next("0 2 * * *", utc(2026, 3, 8, 5, 0), utc(2026, 3, 8, 7, 0));
	ck_next("0 3 * * *", utc(2026, 3, 8, 5, 0), utc(2026, 3, 8, 7, 0));
	ck_next("0 1 * * *", utc(2026, 3, 8, 5, 0), utc(2026, 3, 8, 6, 0)); /* 01:00 EST */
	check_walk("*/15 * * * *", utc(2026, 3, 8, 6, 30), quarter, ARRAY_SIZE(quarter));
	check_walk("0 * * * *", utc(2026, 3, 8, 5, 30), hourly, ARRAY_SIZE(hourly));
}
END_TEST

/* New York, 2026-11-01: 02:00 EDT (06:00Z) becomes 01:00 EST; 01:00-01:59 happen twice. */
START_TEST(test_dst_fall_new_york)
{
	const time_t quarter[] = {
		utc(2026, 11, 1, 5, 0),  /* 01:00 EDT */
		utc(2026, 11, 1, 5, 15), /* 01:15 EDT */
		utc(2026, 11, 1, 5, 30), /* 01:30 EDT */
		utc(2026, 11, 1, 5, 45), /* 01:45 EDT; not again at 01:00-01:45 EST */
		utc(2026, 11, 1, 7, 0),  /* 02:00 EST */
		utc(2026, 11, 1, 7, 15), /* 02:15 EST */
	};

	set_tz("America/New_York");
	ck_next("30 1 * * *", utc(2026, 11, 1, 4, 0), utc(2026, 11, 1, 5, 30));  /* 01:30 EDT */
	ck_next("30 1 * * *", utc(2026, 11, 1, 5, 30), utc(2026, 11, 2, 6, 30)); /* 01:30 EST */
	/* Asked during the second pass, it has already fired. */
	ck_next("30 1 * * *", utc(2026, 11, 1, 6, 0), utc(2026, 11, 2, 6, 30));
	ck_next("30 1 * * *", utc(2026, 11, 1, 6, 45), utc(2026, 11, 2, 6, 30));
	ck_next("0 2 * * *", utc(2026, 11, 1, 4, 0), utc(2026, 11, 1, 7, 0)); /* 02:00 EST */
	ck_next("0 0 * * *", utc(2026, 11, 1, 3, 0), utc(2026, 11, 1, 4, 0)); /* 00:00 EDT */
	ck_next("0 0 * * *", utc(2026, 11, 1, 4, 0), utc(2026, 11, 2, 5, 0)); /* 00:00 EST */
	check_walk("*/15 * * * *", utc(2026, 11, 1, 4, 45), quarter, ARRAY_SIZE(quarter));
	ck_next("*/15 * * * *", utc(2026, 11, 1, 6, 10), utc(2026, 11, 1, 7, 0));
	ck_next("* * * * *", utc(2026, 11, 1, 5, 59), utc(2026, 11, 1, 7, 0));
}
END_TEST

/* Berlin, 2026-03-29: 02:00 CET (01:00Z) becomes 03:00 CEST. */
START_TEST(test_dst_spring_berlin)
{
	set_tz("Europe/Berlin");
	ck_next("30 2 * * *", utc(2026, 3, 27, 23, 0), utc(2026, 3, 28, 1, 30)); /* 02:30 CET */
	ck_next("30 2 * * *", utc(2026, 3, 28, 1, 30), utc(2026, 3, 29, 1, 0));  /* 03:00 CEST */
	ck_next("30 2 * * *", utc(2026, 3, 29, 1, 0), utc(2026, 3, 30, 0, 30));  /* 02:30 CEST */
	ck_next("*/15 * * * *", utc(2026, 3, 29, 0, 45), utc(2026, 3, 29, 1, 0));
	ck_next("*/15 * * * *", utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 1, 15));
	ck_next("0 3 * * *", utc(2026, 3, 28, 23, 0), utc(2026, 3, 29, 1, 0)); /* 03:00 CEST */
}
END_TEST

/* Berlin, 2026-10-25: 03:00 CEST (01:00Z) becomes 02:00 CET; 02:00-02:59 happen twice. */
START_TEST(test_dst_fall_berlin)
{
	const time_t quarter[] = {
		utc(2026, 10, 25, 0, 0),  /* 02:00 CEST */
		utc(2026, 10, 25, 0, 15), /* 02:15 CEST */
		utc(2026, 10, 25, 0, 30), /* 02:30 CEST */
		utc(2026, 10, 25, 0, 45), /* 02:45 CEST */
		utc(2026, 10, 25, 2, 0),  /* 03:00 CET */
	};

	set_tz("Europe/Berlin");
	ck_next("30 2 * * *", utc(2026, 10, 24, 22, 0), utc(2026, 10, 25, 0, 30));  /* 02:30 CEST */
	ck_next("30 2 * * *", utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30));  /* 02:30 CET */
	ck_next("30 1 * * *", utc(2026, 10, 24, 22, 0), utc(2026, 10, 24, 23, 30)); /* 01:30 CEST */
	ck_next("30 1 * * *", utc(2026, 10, 24, 23, 30), utc(2026, 10, 26, 0, 30)); /* 01:30 CET */
	check_walk("*/15 * * * *", utc(2026, 10, 24, 23, 45), quarter, ARRAY_SIZE(quarter));
}
END_TEST

/* A zone whose clocks spring forward at midnight: the day's first fire is at 01:00. */
START_TEST(test_dst_midnight_gap)
{
	/* UTC-3, summer time UTC-2 from the first Sunday of November at 00:00 (2026-11-01). */
	set_tz("<-03>3<-02>,M11.1.0/0,M2.3.0/0");
	ck_next("@daily", utc(2026, 10, 31, 15, 0), utc(2026, 11, 1, 3, 0)); /* 01:00 -02 */
	ck_next("@daily", utc(2026, 11, 1, 3, 0), utc(2026, 11, 2, 2, 0));   /* 00:00 -02 */
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cron");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_every_minute);
	tcase_add_test(tc, test_daily);
	tcase_add_test(tc, test_steps_and_ranges);
	tcase_add_test(tc, test_short_months);
	tcase_add_test(tc, test_leap_day);
	tcase_add_test(tc, test_leap_day_is_fast);
	tcase_add_test(tc, test_either_day);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_weekly);
	tcase_add_test(tc, test_never);
	tcase_add_test(tc, test_against_brute_force);
	tcase_add_test(tc, test_dst_spring_new_york);
	tcase_add_test(tc, test_dst_fall_new_york);
	tcase_add_test(tc, test_dst_spring_berlin);
	tcase_add_test(tc, test_dst_fall_berlin);
	tcase_add_test(tc, test_dst_midnight_gap);
	suite_add_tcase(s, tc);
	return test_run(s);
}
