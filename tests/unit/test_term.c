/* Unit tests for term.c: literal and regex terms on folded text. */
#include "amconfig.h"

#include "term.h"
#include "testlib.h"

static int
count_cb(size_t start, size_t end, void *arg)
{
	(void)start;
	(void)end;
	(*(int *)arg)++;
	return 0;
}

static int
matches(const char *term, const char *text)
{
	struct pool p;
	struct term t;
	struct ntext nt;
	pcre2_match_data *md = term_match_data();
	char err[256];
	size_t off;
	int n = 0;

	pool_init(&p, 0);
	ck_assert_msg(term_compile(&t, &p, term, err, sizeof err, &off) == 0, "%s: %s", term, err);
	ntext_init(&nt, &p, text, strlen(text));
	term_each(&t, &nt, md, count_cb, &n);
	pcre2_match_data_free(md);
	pool_deinit(&p);
	return n;
}

START_TEST(test_literals)
{
	ck_assert_int_eq(matches("发表权", "著作权包括发表权、署名权，发表权"), 2);
	ck_assert_int_eq(matches("Fair Use", "FAIR USE is a defence; ｆａｉｒ ｕｓｅ again"), 2);
	ck_assert_int_eq(matches("patent", "patents and patent rights"), 2);
	ck_assert_int_eq(matches("patent", "patently wrong"), 0);
	ck_assert_int_eq(matches("art", "an article"), 0);
	ck_assert_int_eq(matches("work", "the work's author"), 1);
	ck_assert_int_eq(matches("50", "1950 and 50"), 1);
	ck_assert_int_eq(matches("五十年", "五十年"), 1);
}
END_TEST

START_TEST(test_regex)
{
	ck_assert_int_eq(matches("/(五十|50)\\s*年/", "保护期为50 年，或五十年"), 2);
	ck_assert_int_eq(matches("/life\\s*\\+\\s*70/", "Life + 70 years"), 1);
	ck_assert_int_eq(matches("/我是.{0,20}(模型|助手|ai)/", "我是一个AI助手"), 1);
}
END_TEST

START_TEST(test_rejects)
{
	struct pool p;
	struct term t;
	char err[256];
	size_t off;

	pool_init(&p, 0);
	ck_assert_int_eq(term_compile(&t, &p, "/(unclosed/", err, sizeof err, &off), -1);
	ck_assert(strstr(err, "bad regex") != NULL);
	ck_assert_int_gt(off, 0);
	ck_assert_int_eq(term_compile(&t, &p, "/a*/", err, sizeof err, &off), -1);
	ck_assert(strstr(err, "empty") != NULL);
	ck_assert_int_eq(term_compile(&t, &p, "", err, sizeof err, &off), -1);
	ck_assert_int_eq(term_compile(&t, &p, "\xE2\x80\x8B", err, sizeof err, &off), -1);
	pool_deinit(&p);
}
END_TEST

START_TEST(test_hostile_regex_terminates)
{
	/* Catastrophic backtracking stops at the match limit instead of hanging. */
	char text[4096];

	memset(text, 'a', sizeof text - 2);
	text[sizeof text - 2] = '!';
	text[sizeof text - 1] = '\0';
	ck_assert_int_eq(matches("/(a+)+$/", text), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("term");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_literals);
	tcase_add_test(tc, test_regex);
	tcase_add_test(tc, test_rejects);
	tcase_add_test(tc, test_hostile_regex_terminates);
	suite_add_tcase(s, tc);
	return test_run(s);
}
