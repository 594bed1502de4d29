/* Unit tests for think.c: reasoning split and token estimates. */
#include "amconfig.h"

#include "testlib.h"
#include "think.h"

static void
split(const char *t, struct think_split *sp)
{
	think_split(t, strlen(t), sp);
}

START_TEST(test_forms)
{
	struct think_split sp;
	const char *a = "<think>想一想</think>答案";
	const char *b = "想一想</think>答案";
	const char *c = "<think>想一想，还没想完";
	const char *d = "只有答案";
	const char *e = "<THINK>x</think>y</think>z";

	split(a, &sp);
	ck_assert_int_eq(sp.reasoning_start, 7);
	ck_assert(strncmp(a + sp.answer_start, "答案", 6) == 0);
	ck_assert(!sp.unclosed);
	split(b, &sp);
	ck_assert_int_eq(sp.reasoning_start, 0);
	ck_assert_int_eq(sp.reasoning_end, strlen("想一想"));
	ck_assert(strcmp(b + sp.answer_start, "答案") == 0);
	split(c, &sp);
	ck_assert(sp.unclosed);
	ck_assert_int_eq(sp.answer_start, sp.answer_end);
	split(d, &sp);
	ck_assert_int_eq(sp.reasoning_end, 0);
	ck_assert_int_eq(sp.answer_end, strlen(d));
	split(e, &sp); /* the last closing tag ends the reasoning */
	ck_assert(strcmp(e + sp.answer_start, "z") == 0);
}
END_TEST

START_TEST(test_estimate)
{
	ck_assert_int_eq(tokens_estimate("著作权", strlen("著作权")), 3);
	ck_assert_int_eq(tokens_estimate("abcd efgh", 9), 2);
	ck_assert_int_eq(tokens_estimate("abcde", 5), 2);
	ck_assert_int_eq(tokens_estimate("", 0), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("think");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_forms);
	tcase_add_test(tc, test_estimate);
	suite_add_tcase(s, tc);
	return test_run(s);
}
