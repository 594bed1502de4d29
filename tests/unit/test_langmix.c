/* Unit tests for langmix.c. */
#include "amconfig.h"

#include "langmix.h"
#include "testlib.h"

static struct langmix
measure(const char *text, const char *lang)
{
	struct pool p;
	struct ntext t;
	struct langmix m;

	pool_init(&p, 0);
	ntext_init(&t, &p, text, strlen(text));
	langmix_measure(&t, lang, NULL, 0, NULL, 0, 0.01, &m);
	pool_deinit(&p);
	return m;
}

START_TEST(test_pure_chinese)
{
	struct langmix m = measure("著作权包括发表权和署名权。", "zh");

	ck_assert_int_eq(m.latin_words, 0);
	ck_assert_int_eq(m.han_chars, 12);
	ck_assert(!m.flagged);
}
END_TEST

START_TEST(test_english_leak_is_flagged)
{
	struct langmix m =
		measure("根据著作权法，the author has the right of publication，即发表权。", "zh");

	ck_assert_int_eq(m.latin_words, 7);
	ck_assert(m.flagged);
	ck_assert_double_eq_tol(m.ratio, 7.0 / (7.0 + m.han_chars), 1e-9);
}
END_TEST

START_TEST(test_exclusions)
{
	/* Acronyms, party letters, model names, glosses, code, URLs, numbers. */
	struct langmix m =
		measure("A公司与B公司依TRIPS协定、PCT申请；合理使用（fair use）。我是Qwen。"
			"见 `git log` 与 https://example.com/x 以及 2nd 版",
			"zh");

	ck_assert_int_eq(m.latin_words, 0);
	ck_assert(!m.flagged);
}
END_TEST

START_TEST(test_english_answer_counts_han)
{
	struct langmix m = measure("The author has the right of publication 发表权.", "en");

	ck_assert_int_eq(m.han_chars, 3);
	ck_assert_int_eq(m.foreign, 3);
	ck_assert(m.flagged);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("langmix");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_pure_chinese);
	tcase_add_test(tc, test_english_leak_is_flagged);
	tcase_add_test(tc, test_exclusions);
	tcase_add_test(tc, test_english_answer_counts_han);
	suite_add_tcase(s, tc);
	return test_run(s);
}
