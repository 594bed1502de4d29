/* Unit tests for loop.c: seq-rep-4 and repeated sentences. */
#include "amconfig.h"

#include "loop.h"
#include "testlib.h"

START_TEST(test_no_repetition)
{
	struct loop_stats s;

	loop_measure("abcdefg", 7, &s); /* one word: fewer than four tokens */
	ck_assert_double_eq(s.rep4, 0.0);
	loop_measure("著作权包括发表权", strlen("著作权包括发表权"), &s);
	ck_assert_double_eq(s.rep4, 0.0);
	ck_assert_int_eq(s.ngrams, 5);
	ck_assert(!s.repeated_sentence);
}
END_TEST

START_TEST(test_exact_value)
{
	struct loop_stats s;
	/* tokens: a b c d a b c d -> 5 four-grams, 4 unique: rep4 = 1 - 4/5 */
	const char *t = "a b c d a b c d";

	loop_measure(t, strlen(t), &s);
	ck_assert_int_eq(s.ngrams, 5);
	ck_assert_double_eq_tol(s.rep4, 0.2, 1e-12);
}
END_TEST

START_TEST(test_loop_and_sentence)
{
	struct loop_stats s;
	char buf[4096] = "";
	int i;

	for (i = 0; i < 10; i++)
		strcat(buf, "我需要再检查一下第十条的内容。");
	loop_measure(buf, strlen(buf), &s);
	ck_assert(s.rep4 > 0.8);
	ck_assert(s.repeated_sentence);
	ck_assert_int_eq(s.repeat_count, 10);
	ck_assert_int_eq(s.repeat_start, 0);
	ck_assert(strncmp(buf + s.repeat_end, "。", 3) == 0);
}
END_TEST

START_TEST(test_case_insensitive_words)
{
	struct loop_stats s;
	const char *t = "Wait. Let me check. wait. let me check. WAIT. LET ME CHECK.";

	loop_measure(t, strlen(t), &s);
	ck_assert(s.rep4 > 0.5);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("loop");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_no_repetition);
	tcase_add_test(tc, test_exact_value);
	tcase_add_test(tc, test_loop_and_sentence);
	tcase_add_test(tc, test_case_insensitive_words);
	suite_add_tcase(s, tc);
	return test_run(s);
}
