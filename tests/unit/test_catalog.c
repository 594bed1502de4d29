/* Unit tests for catalog.c (and question.c): cross-file checks. */
#include "amconfig.h"

#include "catalog.h"
#include "testlib.h"

START_TEST(test_cross_checks)
{
	struct catalog c;
	struct diag d;
	char *q1 =
		test_file("cat/q/a/one.yaml", "id: one\narea: a\njurisdiction: CN\nlanguage: zh\n"
					      "twin: missing-twin\n"
					      "turns: [{ask: 问一}, {ask: 问二}]\n");
	char *q2 =
		test_file("cat/q/a/two.yaml",
			  "id: two\narea: a\njurisdiction: CN\nlanguage: fr\nturns: [{ask: x}]\n");
	char *r1 = test_file(
		"cat/r/a/one.yaml",
		"question: one\nturns:\n  1: {keypoints: [{id: k, points: 1, any: [x]}]}\n"
		"  3: {keypoints: [{id: k, points: 1, any: [x]}]}\n");
	char *r2 = test_file(
		"cat/r/a/orphan.yaml",
		"question: orphan\nturns:\n  1: {keypoints: [{id: k, points: 1, any: [x]}]}\n");
	char *qd = path_dir(q1), *rd = path_dir(r1);
	char *qroot = path_dir(qd), *rroot = path_dir(rd);

	diag_init(&d);
	ck_assert_int_eq(catalog_load(&c, qroot, rroot, NULL, &d), -1);
	diag_print(&d, stderr);
	ck_assert(diag_has(&d, 0, "language must be 'zh' or 'en'"));
	ck_assert(diag_has(&d, 0, "twin: no question 'missing-twin'"));
	ck_assert(diag_has(&d, 0, "turn 2 of question 'one' has no rubric"));
	ck_assert(diag_has(&d, 0, "turn 3 is past the question's last turn"));
	ck_assert(diag_has(&d, 0, "rubric for unknown question 'orphan'"));
	ck_assert_int_eq(c.bank.n, 1); /* the bad file is left out whole */
	catalog_deinit(&c);
	diag_deinit(&d);
	free(q1), free(q2), free(r1), free(r2), free(qd), free(rd), free(qroot), free(rroot);
}
END_TEST

START_TEST(test_quote_check)
{
	struct catalog c;
	struct diag d;
	char *q = test_file("src/q/x/q.yaml",
			    "id: q\narea: x\njurisdiction: CN\nlanguage: zh\nturns: [{ask: 问}]\n");
	char *law = test_file("src/r/statutes/law.md",
			      "# 某法\n\n第一条 为了测试，制定本法。\n\n第二条 "
			      "著作权属于作者，本法另有规定的除外。\n");
	char *reg = test_file("src/r/statutes.yaml",
			      "laws:\n  - {id: t, name: 测试法, jurisdiction: CN, version: '1', "
			      "articles: '1-2', text: statutes/law.md}\n");
	char *r = test_file("src/r/x/q.yaml",
			    "question: q\nturns:\n  1:\n    source: 测试法 第二条\n    keypoints:\n"
			    "      - {id: ok, points: 1, quote: [著作权属于作者]}\n"
			    "      - {id: bad, points: 1, quote: [著作权属于国家]}\n"
			    "      - {id: nosrc, points: 1, quote: [为了测试], source: 测试法}\n");
	char *qroot = xstrdup(q), *rroot = xstrdup(r);

	*strstr(qroot, "/x/q.yaml") = '\0';
	*strstr(rroot, "/x/q.yaml") = '\0';
	diag_init(&d);
	ck_assert_int_eq(catalog_load(&c, qroot, rroot, NULL, &d), 0);
	ck_assert_int_eq(catalog_check_sources(&c, &d), 2);
	diag_print(&d, stderr);
	ck_assert(diag_has(&d, 0, "quote '著作权属于国家' is not in the text of 测试法 第二条"));
	ck_assert(diag_has(&d, 0, "key point 'nosrc' quotes the law but names no article"));
	ck_assert(!diag_has(&d, 0, "著作权属于作者"));
	catalog_deinit(&c);
	diag_deinit(&d);
	free(q), free(law), free(reg), free(r), free(qroot), free(rroot);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("catalog");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_cross_checks);
	tcase_add_test(tc, test_quote_check);
	suite_add_tcase(s, tc);
	return test_run(s);
}
