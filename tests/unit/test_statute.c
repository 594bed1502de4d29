/* Unit tests for statute.c: the registry, its article lists and its texts. */
#include "amconfig.h"

#include "statute.h"
#include "testlib.h"

START_TEST(test_articles_spec)
{
	struct statutes st;
	struct diag d;
	char *path = test_file(
		"reg/ok.yaml",
		"laws:\n"
		"  - {id: a, name: 甲法, jurisdiction: CN, version: '1', articles: '1-5, 8, "
		"3之一'}\n"
		"  - {id: u, name: 17 U.S.C., jurisdiction: US, version: '1', articles: '101-122, "
		"106A'}\n"
		"  - {id: d, name: 丙法, jurisdiction: CN, version: '1', articles: '1-9, 11', "
		"deleted: '10'}\n");
	const struct law *l;
	char name[64];

	diag_init(&d);
	ck_assert_int_eq(statutes_load(&st, path, &d), 0);
	l = statutes_by_id(&st, "a");
	ck_assert_int_eq(l->article_count, 7);
	ck_assert(law_has_article(l, 5, 0));
	ck_assert(!law_has_article(l, 6, 0));
	ck_assert(law_has_article(l, 8, 0));
	ck_assert(law_has_article(l, 3, 1));
	ck_assert(!law_has_article(l, 3, 2));
	law_article_name(l, 3, 1, name, sizeof name);
	ck_assert_str_eq(name, "第三条之一");
	l = statutes_by_id(&st, "u");
	ck_assert(law_has_article(l, 106, 1));
	law_article_name(l, 106, 1, name, sizeof name);
	ck_assert_str_eq(name, "§ 106A");
	ck_assert_ptr_eq(
		statutes_find(&st, "《中华人民共和国甲法》", strlen("《中华人民共和国甲法》")),
		statutes_by_id(&st, "a"));
	ck_assert_ptr_eq(statutes_find(&st, "17 usc", 6), statutes_by_id(&st, "u"));
	ck_assert(!law_has_article(statutes_by_id(&st, "d"), 10, 0));
	ck_assert(law_article_deleted(statutes_by_id(&st, "d"), 10, 0));
	ck_assert(!law_article_deleted(statutes_by_id(&st, "d"), 9, 0));
	statutes_deinit(&st);
	diag_deinit(&d);
	free(path);
}
END_TEST

START_TEST(test_bad_registry_rejected_whole)
{
	struct statutes st;
	struct diag d;
	char *path = test_file(
		"reg/bad.yaml",
		"laws:\n"
		"  - {id: a, name: 甲法, jurisdiction: CN, version: '1', articles: '1-5, 4-9'}\n"
		"  - {id: b, name: 乙法, jurisdiction: CN, version: '1', articles: '2之一, "
		"2之一'}\n"
		"  - {id: c, name: 丙法, jurisdiction: CN, version: '1', articles: 'x'}\n"
		"  - {id: e, name: 戊法, jurisdiction: CN, version: '1', articles: '1'}\n"
		"  - {id: e, name: 丁法, jurisdiction: CN, version: '1', articles: '1', "
		"superseded_by: "
		"zz}\n");

	diag_init(&d);
	ck_assert_int_eq(statutes_load(&st, path, &d), -1);
	ck_assert(diag_has(&d, 0, "overlaps"));
	ck_assert(diag_has(&d, 0, "listed twice"));
	ck_assert(diag_has(&d, 0, "cannot read 'x'"));
	ck_assert(diag_has(&d, 0, "duplicate law id 'e'"));
	ck_assert(diag_has(&d, 0, "no law with id 'zz'"));
	ck_assert_int_eq(st.n, 0);
	statutes_deinit(&st);
	diag_deinit(&d);
	free(path);
}
END_TEST

START_TEST(test_texts_against_list)
{
	struct statutes st;
	struct diag d;
	size_t len;
	const char *body;
	char *text =
		test_file("reg2/t.md",
			  "# 甲法\n\n## 第一章 总则\n\n第一条 第一条的内容。\n\n第二条 （删去）\n\n"
			  "第三条 第三条的内容。\n\n第二款的内容。\n\n第三条之一 新增的内容。\n\n"
			  "第四条 未列出的条文。\n");
	char *path =
		test_file("reg2/s.yaml", "laws:\n"
					 "  - {id: a, name: 甲法, jurisdiction: CN, version: '1', "
					 "articles: '1-3, 3之一, 3之二', text: t.md}\n");

	diag_init(&d);
	ck_assert_int_eq(statutes_load(&st, path, &d), 0);
	ck_assert_int_eq(statutes_load_texts(&st, &d), 3);
	diag_print(&d, stderr);
	ck_assert(diag_has(&d, 0, "lists 第二条, which its text marks deleted"));
	ck_assert(diag_has(&d, 0, "lists 第三条之二, which its text lacks"));
	ck_assert(diag_has(&d, 0, "its text has 第四条, which 'articles' does not list"));
	body = law_article_body(statutes_by_id(&st, "a"), 3, 0, &len);
	ck_assert_ptr_nonnull(body);
	ck_assert(memmem(body, len, "第二款的内容", strlen("第二款的内容")) != NULL);
	ck_assert(memmem(body, len, "新增", strlen("新增")) == NULL);
	statutes_deinit(&st);
	diag_deinit(&d);
	free(text);
	free(path);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("statute");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_articles_spec);
	tcase_add_test(tc, test_bad_registry_rejected_whole);
	tcase_add_test(tc, test_texts_against_list);
	suite_add_tcase(s, tc);
	return test_run(s);
}
