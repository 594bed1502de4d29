/* Unit tests for cnnum.c: Chinese numerals both ways. */
#include "amconfig.h"

#include "cnnum.h"
#include "testlib.h"

static const struct {
	const char *text;
	long value;
} cases[] = {
	{"一", 1},
	{"十", 10},
	{"十五", 15},
	{"二十", 20},
	{"一百", 100},
	{"一百零五", 105},
	{"一百一十", 110},
	{"一百二十", 120},
	{"六十七", 67},
	{"一千二百六十", 1260},
	{"一千零一", 1001},
	{"一千零一十", 1010},
	{"九千九百九十九", 9999},
	{"两百", 200},
	{"一万零五", 10005},
	{"五百万", 5000000},
	{"二〇二一", 2021},
	{"10", 10},
	{"1260", 1260},
	{"零", 0},
	{"三十", 30},
	{"一百九十九", 199},
	{"二百八十七", 287},
};

START_TEST(test_parse)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		ck_assert_msg(cnnum_parse(cases[i].text, strlen(cases[i].text)) == cases[i].value,
			      "%s: got %ld, want %ld", cases[i].text,
			      cnnum_parse(cases[i].text, strlen(cases[i].text)), cases[i].value);
}
END_TEST

START_TEST(test_parse_rejects)
{
	ck_assert_int_eq(cnnum_parse("", 0), -1);
	ck_assert_int_eq(cnnum_parse("十a", 4), -1);
	ck_assert_int_eq(cnnum_parse("条", 3), -1);
	ck_assert_int_eq(cnnum_parse("999999999", 9), -1);
	/* Found by fuzzing: digits before a unit overflowed a long. */
	ck_assert_int_eq(cnnum_parse("99999999999999999999万", strlen("99999999999999999999万")),
			 -1);
	ck_assert_int_eq(
		cnnum_parse("9999万9999万9999万9999万", strlen("9999万9999万9999万9999万")), -1);
}
END_TEST

START_TEST(test_format_roundtrip)
{
	char buf[64];
	long n;

	ck_assert_int_gt(cnnum_format(10, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "十");
	cnnum_format(15, buf, sizeof buf);
	ck_assert_str_eq(buf, "十五");
	cnnum_format(105, buf, sizeof buf);
	ck_assert_str_eq(buf, "一百零五");
	cnnum_format(110, buf, sizeof buf);
	ck_assert_str_eq(buf, "一百一十");
	cnnum_format(1260, buf, sizeof buf);
	ck_assert_str_eq(buf, "一千二百六十");
	cnnum_format(1001, buf, sizeof buf);
	ck_assert_str_eq(buf, "一千零一");
	/* Every number up to 9999 reads back as itself. */
	for (n = 1; n <= 9999; n++) {
		ck_assert_int_gt(cnnum_format(n, buf, sizeof buf), 0);
		ck_assert_msg(cnnum_parse(buf, strlen(buf)) == n, "%ld -> %s -> %ld", n, buf,
			      cnnum_parse(buf, strlen(buf)));
	}
	ck_assert_int_eq(cnnum_format(0, buf, sizeof buf), -1);
	ck_assert_int_eq(cnnum_format(15, buf, 3), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cnnum");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_parse_rejects);
	tcase_add_test(tc, test_format_roundtrip);
	suite_add_tcase(s, tc);
	return test_run(s);
}
