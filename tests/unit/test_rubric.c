/* Unit tests for rubric.c: loading, validation with places, sources. */
#include "amconfig.h"

#include "rubric.h"
#include "testlib.h"

START_TEST(test_every_problem_reported_and_file_rejected)
{
	struct pool p;
	struct diag d;
	char *path = test_file("bad/r.yaml",
			       "question: q\n"                                      /* 1 */
			       "pass: 1.5\n"                                        /* 2 */
			       "turns:\n"                                           /* 3 */
			       "  1:\n"                                             /* 4 */
			       "    keypoints:\n"                                   /* 5 */
			       "      - {id: a, point: 1, any: [x]}\n"              /* 6 */
			       "      - {id: b, points: one, any: [x]}\n"           /* 7 */
			       "      - {id: c, points: 1, any: [\"/(x/\"]}\n"      /* 8 */
			       "      - {id: d, points: 1, any: [y]}\n"             /* 9 */
			       "      - {id: d, points: 1, any: [z]}\n"             /* 10 */
			       "    forbidden:\n"                                   /* 11 */
			       "      - {id: f, points: 5, claim: z, any: [z]}\n"); /* 12 */

	pool_init(&p, 0);
	diag_init(&d);
	ck_assert_ptr_null(rubric_load(&p, path, &d));
	diag_print(&d, stderr);
	ck_assert(diag_has(&d, 2, "'pass' must be between 0 and 1"));
	ck_assert(diag_has(&d, 6, "unknown key 'point' in key point (did you mean 'points'?)"));
	ck_assert(diag_has(&d, 6, "missing the key 'points'"));
	ck_assert(diag_has(&d, 7, "'points' must be a number, not 'one'"));
	ck_assert(diag_has(&d, 8, "bad regex"));
	ck_assert(diag_has(&d, 10, "duplicate key point id 'd'"));
	ck_assert(diag_has(&d, 12, "must be negative"));
	ck_assert_str_eq(d.items[0].file, path);
	diag_deinit(&d);
	pool_deinit(&p);
	free(path);
}
END_TEST

START_TEST(test_sources)
{
	struct pool p;
	struct rubric_source s;

	pool_init(&p, 0);
	ck_assert_int_eq(rubric_parse_source(&p, "著作权法 第十条", &s), 0);
	ck_assert_str_eq(s.law_name, "著作权法");
	ck_assert_int_eq(s.article, 10);
	ck_assert_int_eq(rubric_parse_source(&p, "《刑法》第一百二十条之一第一款", &s), 0);
	ck_assert_str_eq(s.law_name, "刑法");
	ck_assert_int_eq(s.article, 120);
	ck_assert_int_eq(s.sub, 1);
	ck_assert_int_eq(rubric_parse_source(&p, "17 U.S.C. § 106A", &s), 0);
	ck_assert_str_eq(s.law_name, "17 U.S.C.");
	ck_assert_int_eq(s.article, 106);
	ck_assert_int_eq(s.sub, 1);
	ck_assert_int_eq(rubric_parse_source(&p, "Article 188 of the Civil Code", &s), 0);
	ck_assert_str_eq(s.law_name, "Civil Code");
	ck_assert_int_eq(s.article, 188);
	ck_assert_int_eq(rubric_parse_source(&p, "民法典", &s), 0);
	ck_assert_int_eq(s.article, 0);
	ck_assert_int_eq(rubric_parse_source(&p, "none", &s), 0);
	ck_assert(s.none);
	pool_deinit(&p);
}
END_TEST

START_TEST(test_bind_reports_missing_articles)
{
	struct pool p;
	struct diag d;
	struct statutes st;
	struct rubric *r;
	char *sp = test_data("statutes.yaml");
	char *path = test_file(
		"bind/r.yaml",
		"question: q\n"
		"turns:\n"
		"  1:\n"
		"    source: 著作权法 第七十条\n"
		"    keypoints:\n"
		"      - {id: a, points: 1, any: [x], source: 知识产权法 第一条}\n"
		"    citations:\n"
		"      expect: [{law: 刑法, article: 199}, {law: 刑法, article: 120之一}]\n");

	pool_init(&p, 0);
	diag_init(&d);
	ck_assert_int_eq(statutes_load(&st, sp, &d), 0);
	r = rubric_load(&p, path, &d);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(rubric_bind(r, &st, &d), 3);
	ck_assert(diag_has(&d, 4, "第七十条, which does not exist"));
	ck_assert(diag_has(&d, 6, "'知识产权法', which is not in the statute registry"));
	ck_assert(diag_has(&d, 8, "第一百九十九条"));
	statutes_deinit(&st);
	diag_deinit(&d);
	pool_deinit(&p);
	free(path);
	free(sp);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rubric");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_every_problem_reported_and_file_rejected);
	tcase_add_test(tc, test_sources);
	tcase_add_test(tc, test_bind_reports_missing_articles);
	suite_add_tcase(s, tc);
	return test_run(s);
}
