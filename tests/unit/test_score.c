/* Unit tests for score.c: the definitions of DESIGN.md, end to end. */
#include "amconfig.h"

#include "score.h"
#include "testlib.h"

static struct statutes st;
static struct pool rp;
static struct rubric *r;

static const char rubric_yaml[] =
	"question: q\n"
	"pass: 0.6\n"
	"turns:\n"
	"  1:\n"
	"    source: 著作权法 第十条\n"
	"    keypoints:\n"
	"      - {id: a, points: 2, any: [发表权]}\n"
	"      - {id: b, points: 1, any: [署名权]}\n"
	"      - {id: c, points: 1, all: [复制权, 发行权]}\n"
	"    forbidden:\n"
	"      - {id: patent, points: -2, claim: 著作权包括专利权, any: [专利权], near: "
	"[著作权包括]}\n"
	"    citations:\n"
	"      expect: [{law: 著作权法, article: 10}]\n"
	"  2:\n"
	"    keypoints:\n"
	"      - {id: who, points: 1, source: none, any: [\"/我是.{0,20}(模型|助手)/\"]}\n"
	"  3:\n"
	"    forbidden:\n"
	"      - {id: bad, points: -1, claim: x, any: [九点一一更大]}\n"
	"      - {id: transfer, points: -1, claim: 署名权可以转让, any: [署名权], near: [转让]}\n"
	"      - {id: unprotected, points: -1, claim: 违禁作品不受保护, any: [不受本法保护],\n"
	"         near: [禁止出版]}\n";

static void
setup(void)
{
	struct diag d;
	char *path = test_data("statutes.yaml"), *rpath;

	diag_init(&d);
	ck_assert_int_eq(statutes_load(&st, path, &d), 0);
	rpath = test_file("score/q.yaml", rubric_yaml);
	pool_init(&rp, 0);
	r = rubric_load(&rp, rpath, &d);
	diag_print(&d, stderr);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(rubric_bind(r, &st, &d), 0);
	diag_deinit(&d);
	free(path);
	free(rpath);
}

static void
teardown(void)
{
	pool_deinit(&rp);
	statutes_deinit(&st);
}

static void
score(int turn, const char *answer, struct score_result *res)
{
	struct score_input in = {0};

	in.answer = answer;
	in.answer_len = strlen(answer);
	in.reasoning_tokens = -1;
	in.answer_tokens = -1;
	in.language = "zh";
	score_answer(r, rubric_turn(r, turn), turn > 1 ? rubric_turn(r, turn - 1) : NULL, &st, &in,
		     NULL, res);
}

START_TEST(test_full_marks)
{
	struct score_result res;

	score(1, "根据《著作权法》第十条，著作权包括发表权、署名权、复制权和发行权。", &res);
	ck_assert_double_eq_tol(res.score, 1.0, 1e-9);
	ck_assert_double_eq_tol(res.coverage, 1.0, 1e-9);
	ck_assert(res.passed);
	ck_assert(!res.hallucinated);
	ck_assert_int_eq(res.ncitations, 1);
	ck_assert_int_eq(res.citations[0].c.status, CITATION_VALID);
	score_result_deinit(&res);
}
END_TEST

START_TEST(test_partial_and_all_terms)
{
	struct score_result res;

	/* 发表权 (2) + 复制权 alone (the "all" point needs 发行权 too) */
	score(1, "著作权包括发表权和复制权。", &res);
	ck_assert_double_eq_tol(res.coverage, 0.5, 1e-9);
	ck_assert(!res.keypoints[2].hit);
	ck_assert_int_eq(res.keypoints[2].nev, 0);
	ck_assert(!res.passed);
	score_result_deinit(&res);
}
END_TEST

START_TEST(test_forbidden_lowers_score_and_fails)
{
	struct score_result res;
	const char *a = "著作权包括发表权、署名权、复制权、发行权和专利权。";

	score(1, a, &res);
	ck_assert(res.forbidden[0].hit);
	ck_assert(res.hallucinated);
	ck_assert_double_eq_tol(res.coverage, 1.0, 1e-9);
	ck_assert_double_eq_tol(res.score, (4.0 - 2.0) / 4.0, 1e-9);
	ck_assert(!res.passed);
	/* The evidence points at the words in the answer. */
	ck_assert_int_ge(res.forbidden[0].nev, 1);
	ck_assert(strncmp(a + res.forbidden[0].ev[0].start, "专利权", 9) == 0 ||
		  strncmp(a + res.forbidden[0].ev[0].start, "著作权包括", 15) == 0);
	score_result_deinit(&res);
}
END_TEST

START_TEST(test_denial_does_not_trigger)
{
	struct score_result res;

	score(1, "著作权包括发表权、署名权、复制权、发行权，著作权不包括专利权。", &res);
	ck_assert(!res.forbidden[0].hit);
	ck_assert(res.passed);
	score_result_deinit(&res);
}
END_TEST

START_TEST(test_bad_citations_hallucinate)
{
	struct score_result res;

	score(1, "依照著作权法第七十条，著作权包括发表权、署名权、复制权、发行权。", &res);
	ck_assert(res.hallucinated);
	ck_assert(!res.passed);
	ck_assert_int_eq(res.citations[0].c.status, CITATION_NONEXISTENT);
	score_result_deinit(&res);
	score(1, "依照著作权法第二十条，著作权包括发表权、署名权、复制权、发行权。", &res);
	ck_assert_int_eq(res.citations[0].c.status, CITATION_MISGROUNDED);
	ck_assert(res.hallucinated);
	score_result_deinit(&res);
}
END_TEST

START_TEST(test_abstention)
{
	struct score_result res;

	score(1, "抱歉，我无法提供法律意见，建议咨询专业律师。", &res);
	ck_assert(res.abstained);
	ck_assert(!res.passed);
	score_result_deinit(&res);
	score(1, "   \n", &res);
	ck_assert(res.abstained);
	score_result_deinit(&res);
	/* A good answer that recommends a lawyer has not abstained. */
	score(1, "著作权包括发表权。我无法就您的具体案件给出意见，建议咨询律师。", &res);
	ck_assert(!res.abstained);
	score_result_deinit(&res);
}
END_TEST

START_TEST(test_truncated_is_not_abstained)
{
	struct score_result res;
	struct score_input in = {0};

	in.answer = "";
	in.reasoning = "让我想想……";
	in.reasoning_len = strlen(in.reasoning);
	in.reasoning_unclosed = 1;
	in.reasoning_tokens = in.answer_tokens = -1;
	in.language = "zh";
	score_answer(r, rubric_turn(r, 1), NULL, &st, &in, NULL, &res);
	ck_assert(res.truncated_in_reasoning);
	ck_assert(!res.abstained);
	ck_assert(!res.passed);
	ck_assert_int_gt(res.reasoning_tokens, 0);
	ck_assert(res.tokens_estimated);
	score_result_deinit(&res);
}
END_TEST

START_TEST(test_followup_ignored)
{
	struct score_result res;

	/* Turn 2 asks who the model is; this answer repeats turn 1. */
	score(2, "著作权包括发表权、署名权、复制权和发行权。", &res);
	ck_assert(res.followup_checked);
	ck_assert(res.followup_ignored);
	ck_assert(!res.passed);
	score_result_deinit(&res);
	score(2, "我是一个人工智能助手，由某公司开发的语言模型。", &res);
	ck_assert(!res.followup_ignored);
	ck_assert(res.passed);
	score_result_deinit(&res);
}
END_TEST

START_TEST(test_no_positive_points)
{
	struct score_result res;

	score(3, "没有问题。", &res);
	ck_assert_double_eq_tol(res.score, 1.0, 1e-9);
	ck_assert(res.passed);
	score_result_deinit(&res);
	score(3, "九点一一更大。", &res);
	ck_assert_double_eq_tol(res.score, 0.0, 1e-9);
	ck_assert(!res.passed);
	score_result_deinit(&res);
}
END_TEST

START_TEST(test_claims_judged_in_pairs)
{
	struct score_result res;

	/* The prohibition withdraws the claim through its near term. */
	score(3, "署名权不得转让。", &res);
	ck_assert(!res.forbidden[1].hit);
	score_result_deinit(&res);
	score(3, "署名权可以转让给他人。", &res);
	ck_assert(res.forbidden[1].hit);
	score_result_deinit(&res);
	/* A negation inside the claim's own words does not deny its other term. */
	score(3, "依法禁止出版的作品不受本法保护。", &res);
	ck_assert(res.forbidden[2].hit);
	score_result_deinit(&res);
	score(3, "依法禁止出版的作品并非不受本法保护，这一规定已在2010年删除。", &res);
	ck_assert(!res.forbidden[2].hit);
	score_result_deinit(&res);
}
END_TEST

START_TEST(test_json_contract)
{
	struct score_result res;
	json_t *j;
	const char *keys[] = {"score",
			      "coverage",
			      "passed",
			      "hallucinated",
			      "abstained",
			      "truncated_in_reasoning",
			      "reasoning_tokens",
			      "answer_tokens",
			      "keypoints",
			      "forbidden",
			      "citations",
			      "language_mix",
			      "loop"};
	size_t i;

	score(1, "《著作权法》第十条：发表权。", &res);
	j = score_result_json(&res, "《著作权法》第十条：发表权。", 0);
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		ck_assert_msg(json_object_get(j, keys[i]) != NULL, "missing %s", keys[i]);
	ck_assert(json_is_array(
		json_object_get(json_array_get(json_object_get(j, "keypoints"), 0), "evidence")));
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(json_object_get(j, "citations"), 0), "status")),
			 "valid");
	ck_assert(json_object_get(json_object_get(j, "language_mix"), "ratio") != NULL);
	ck_assert(json_object_get(json_object_get(j, "loop"), "rep4_answer") != NULL);
	json_decref(j);
	score_result_deinit(&res);
}
END_TEST

START_TEST(test_judge_verdicts_rescore)
{
	struct score_result res;

	/* 发表权 (2) and 复制权 without 发行权: the "all" point missed, coverage 0.5. */
	score(1, "著作权包括发表权和复制权，作者还可以署上自己的名字。", &res);
	ck_assert(!res.keypoints[1].hit); /* 署名权 in other words */
	ck_assert(score_item_undecided(&res.keypoints[1], 0, 0));
	ck_assert(!score_item_undecided(&res.keypoints[0], 0, 0)); /* matched: decided */
	ck_assert(score_item_undecided(&res.keypoints[0], 0, 1));  /* items: all */
	ck_assert(!score_item_undecided(&res.forbidden[0], 1, 0)); /* no 专利权 at all */
	ck_assert_double_eq_tol(res.score, 0.5, 1e-9);
	ck_assert(!res.passed);

	/* The judge finds 署名权 said in other words: 3 of 4 points, passes 0.6. */
	score_item_judged(&res, &res.keypoints[1], 1, "回答提到作者署名。", NULL);
	score_rescore(rubric_turn(r, 1), &res);
	ck_assert_int_eq(res.keypoints[1].method, METHOD_JUDGE);
	ck_assert_int_eq(res.keypoints[1].match_hit, 0);
	ck_assert_int_eq(res.keypoints[1].judge_hit, 1);
	ck_assert_str_eq(res.keypoints[1].explanation, "回答提到作者署名。");
	ck_assert_double_eq_tol(res.score, 0.75, 1e-9);
	ck_assert(res.passed);

	/* A judge that failed leaves the match verdict and says why. */
	score_item_judged(&res, &res.keypoints[2], 1, NULL, "no JSON in the reply");
	score_rescore(rubric_turn(r, 1), &res);
	ck_assert_int_eq(res.keypoints[2].method, METHOD_JUDGE_ERROR);
	ck_assert(!res.keypoints[2].hit);
	ck_assert_double_eq_tol(res.score, 0.75, 1e-9);

	/* The judge says the answer makes the forbidden claim: hallucinated, failed. */
	score_item_judged(&res, &res.forbidden[0], 1, "claims patents", NULL);
	score_rescore(rubric_turn(r, 1), &res);
	ck_assert(res.hallucinated);
	ck_assert(!res.passed);
	ck_assert_double_eq_tol(res.score, (3.0 - 2.0) / 4.0, 1e-9);
	score_result_deinit(&res);

	/* A denied claim: its terms occur, matching did not find it made; the judge may look. */
	score(1, "著作权不包括专利权。", &res);
	ck_assert(!res.forbidden[0].hit);
	ck_assert(score_item_undecided(&res.forbidden[0], 1, 0));
	score_result_deinit(&res);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("score");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_full_marks);
	tcase_add_test(tc, test_partial_and_all_terms);
	tcase_add_test(tc, test_forbidden_lowers_score_and_fails);
	tcase_add_test(tc, test_denial_does_not_trigger);
	tcase_add_test(tc, test_bad_citations_hallucinate);
	tcase_add_test(tc, test_abstention);
	tcase_add_test(tc, test_truncated_is_not_abstained);
	tcase_add_test(tc, test_followup_ignored);
	tcase_add_test(tc, test_no_positive_points);
	tcase_add_test(tc, test_claims_judged_in_pairs);
	tcase_add_test(tc, test_json_contract);
	tcase_add_test(tc, test_judge_verdicts_rescore);
	suite_add_tcase(s, tc);
	return test_run(s);
}
