/* Unit tests for scheduler.c: catch-up after downtime and no overlap. */
#include "amconfig.h"

#include "scheduler.h"
#include "store.h"
#include "testlib.h"

#include <sqlite3.h>
#include <time.h>

#define DAY 86400

struct fires {
	int n;
	char last[64];
};

static int
count_fire(const struct config_schedule *s, void *arg)
{
	struct fires *f = arg;

	f->n++;
	snprintf(f->last, sizeof f->last, "%s", s->name);
	return 0;
}

/* A store in a private directory and one nightly schedule. */
struct fixture {
	struct store *st;
	struct config cfg;
	struct config_schedule sch;
	char *db;
};

static void
fixture_open(struct fixture *x, int catch_up)
{
	struct am_err err;

	x->db = test_file("sched.db", "");
	unlink(x->db);
	ck_assert_int_eq(store_open(&x->st, x->db, &err), 0);
	config_defaults(&x->cfg);
	memset(&x->sch, 0, sizeof x->sch);
	x->sch.name = "nightly";
	x->sch.cron = "0 3 * * *";
	x->sch.suite = "all";
	x->sch.samples = 1;
	x->sch.catch_up = catch_up;
	x->cfg.schedules = &x->sch;
	x->cfg.nschedules = 1;
}

static void
fixture_close(struct fixture *x)
{
	x->cfg.schedules = NULL;
	x->cfg.nschedules = 0;
	config_deinit(&x->cfg);
	store_close(&x->st);
	unlink(x->db);
	free(x->db);
}

/* Starts the scheduler, lets it close again, and returns how often it fired. */
static int
start_and_stop(struct fixture *x, struct fires *f, time_t *next)
{
	uv_loop_t loop;
	struct sched *s = NULL;

	uv_loop_init(&loop);
	memset(f, 0, sizeof *f);
	ck_assert_int_eq(sched_start(&s, &loop, &x->cfg, x->st, count_fire, f), 0);
	if (next)
		*next = sched_next(s, NULL);
	sched_stop(&s);
	uv_run(&loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
	return f->n;
}

START_TEST(test_first_start_sets_a_baseline)
{
	struct fixture x;
	struct fires f;
	time_t now = time(NULL), next;

	fixture_open(&x, 1);
	ck_assert_int_eq(start_and_stop(&x, &f, &next), 0);
	/* the first start is not a missed run, but it is remembered */
	ck_assert_int_ge(store_schedule_last(x.st, "nightly"), (int64_t)now);
	ck_assert_int_gt(next, now);
	ck_assert_int_le(next, now + DAY + 3600); /* a DST day is 25 hours */
	fixture_close(&x);
}
END_TEST

START_TEST(test_missed_runs_caught_up_once)
{
	struct fixture x;
	struct fires f;

	fixture_open(&x, 1);
	/* down for three nights: one run at start-up, not three */
	store_schedule_fired(x.st, "nightly", (int64_t)time(NULL) - 3 * DAY, 0);
	ck_assert_int_eq(start_and_stop(&x, &f, NULL), 1);
	ck_assert_str_eq(f.last, "nightly");
	fixture_close(&x);
}
END_TEST

START_TEST(test_nothing_missed_nothing_run)
{
	struct fixture x;
	struct fires f;

	fixture_open(&x, 1);
	/* fired a minute ago: the next fire is a day away */
	store_schedule_fired(x.st, "nightly", (int64_t)time(NULL) - 60, 0);
	ck_assert_int_eq(start_and_stop(&x, &f, NULL), 0);
	fixture_close(&x);
}
END_TEST

START_TEST(test_catch_up_off)
{
	struct fixture x;
	struct fires f;

	fixture_open(&x, 0);
	store_schedule_fired(x.st, "nightly", (int64_t)time(NULL) - 3 * DAY, 0);
	ck_assert_int_eq(start_and_stop(&x, &f, NULL), 0);
	fixture_close(&x);
}
END_TEST

START_TEST(test_never_overlaps_itself)
{
	struct fixture x;
	struct fires f;
	sqlite3 *db;
	int64_t before = (int64_t)time(NULL) - 3 * DAY;

	fixture_open(&x, 1);
	ck_assert_int_eq(sqlite3_open(x.db, &db), SQLITE_OK);
	ck_assert_int_eq(
		sqlite3_exec(db,
			     "INSERT INTO runs (id, created_at, status, trigger, executor, "
			     "suite, samples) VALUES (7, 0, 'running', 'schedule:nightly', "
			     "'serve', 'all', 1)",
			     NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	store_schedule_fired(x.st, "nightly", before, 7);
	ck_assert(store_schedule_running(x.st, "nightly"));
	/* missed, but its last run is still going: skipped, and the skip recorded */
	ck_assert_int_eq(start_and_stop(&x, &f, NULL), 0);
	ck_assert_int_gt(store_schedule_last(x.st, "nightly"), before);
	fixture_close(&x);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("scheduler");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_first_start_sets_a_baseline);
	tcase_add_test(tc, test_missed_runs_caught_up_once);
	tcase_add_test(tc, test_nothing_missed_nothing_run);
	tcase_add_test(tc, test_catch_up_off);
	tcase_add_test(tc, test_never_overlaps_itself);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
