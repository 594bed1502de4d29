/* Unit tests for text.c: normalization with offsets, clauses and sentences. */
#include "amconfig.h"

#include "testlib.h"
#include "text.h"

START_TEST(test_fold_fullwidth_and_case)
{
	struct pool p;
	size_t n;
	char *s;

	pool_init(&p, 0);
	s = text_fold(&p, "ＡＢＣ１２３，Fair Use", strlen("ＡＢＣ１２３，Fair Use"), &n);
	ck_assert_str_eq(s, "abc123,fair use");
	s = text_fold(&p, "e\xCC\x81", 3, &n); /* e + combining acute composes */
	ck_assert_str_eq(s, "\xC3\xA9");
	s = text_fold(&p,
		      "a\xE2\x80\x8B"
		      "b",
		      5, &n); /* zero-width space is dropped */
	ck_assert_str_eq(s, "ab");
	s = text_fold(&p, "isn\xE2\x80\x99t", 7, &n); /* typographic apostrophe */
	ck_assert_str_eq(s, "isn't");
	pool_deinit(&p);
}
END_TEST

START_TEST(test_offsets_map_back)
{
	struct pool p;
	struct ntext t;
	const char *orig = "著作权ＡＢ发表权";
	const char *hit;
	size_t os, oe;

	pool_init(&p, 0);
	ntext_init(&t, &p, orig, strlen(orig));
	ck_assert_str_eq(t.s, "著作权ab发表权");
	hit = strstr(t.s, "发表权");
	ntext_to_orig(&t, (size_t)(hit - t.s), (size_t)(hit - t.s) + 9, &os, &oe);
	ck_assert_int_eq(os, strlen("著作权ＡＢ"));
	ck_assert_int_eq(oe, strlen(orig));
	hit = strstr(t.s, "ab");
	ntext_to_orig(&t, (size_t)(hit - t.s), (size_t)(hit - t.s) + 2, &os, &oe);
	ck_assert_int_eq(os, 9);
	ck_assert_int_eq(oe, 15); /* two full-width letters, three bytes each */
	pool_deinit(&p);
}
END_TEST

START_TEST(test_invalid_utf8)
{
	struct pool p;
	struct ntext t;
	const char orig[] = "ab\xFF\xC3"
			    "cd";

	pool_init(&p, 0);
	ntext_init(&t, &p, orig, sizeof orig - 1);
	ck_assert_str_eq(t.s, "ab\xEF\xBF\xBD\xEF\xBF\xBD"
			      "cd");
	pool_deinit(&p);
}
END_TEST

static size_t
clause_of(const struct ntext *t, const char *needle)
{
	const char *hit = strstr(t->s, needle);

	ck_assert_ptr_nonnull(hit);
	return ntext_clause_at(t, (size_t)(hit - t->s));
}

static size_t
sentence_of(const struct ntext *t, const char *needle)
{
	return t->clauses[clause_of(t, needle)].sentence;
}

START_TEST(test_clauses_and_sentences)
{
	struct pool p;
	struct ntext t;
	const char *s = "著作权不包括商标权，但包括发表权。专利权属于工业产权；商标权也是。";

	pool_init(&p, 0);
	ntext_init(&t, &p, s, strlen(s));
	ck_assert_uint_ne(clause_of(&t, "商标权"), clause_of(&t, "发表权"));
	ck_assert_uint_eq(sentence_of(&t, "商标权"), sentence_of(&t, "发表权"));
	ck_assert_uint_ne(sentence_of(&t, "发表权"), sentence_of(&t, "专利权"));
	/* ；ends a statement ... */
	ck_assert_uint_ne(sentence_of(&t, "专利权"), sentence_of(&t, "也是"));
	pool_deinit(&p);
	/* ... unless it separates the items of a list a colon opened. */
	s = "著作权包括：（一）发表权；（二）署名权；（十八）专利权。商标权另论。";
	pool_init(&p, 0);
	ntext_init(&t, &p, s, strlen(s));
	ck_assert_uint_eq(sentence_of(&t, "著作权包括"), sentence_of(&t, "专利权"));
	ck_assert_uint_ne(clause_of(&t, "署名权"), clause_of(&t, "专利权"));
	ck_assert_uint_ne(sentence_of(&t, "专利权"), sentence_of(&t, "商标权"));
	pool_deinit(&p);
}
END_TEST

START_TEST(test_english_periods)
{
	struct pool p;
	struct ntext t;
	const char *s =
		"See 17 U.S.C. § 106. Art. 10 applies. The value 9.11 is less than 9.9. Next";

	pool_init(&p, 0);
	ntext_init(&t, &p, s, strlen(s));
	ck_assert_uint_eq(sentence_of(&t, "see"), sentence_of(&t, "106"));
	ck_assert_uint_ne(sentence_of(&t, "106"), sentence_of(&t, "applies"));
	ck_assert_uint_eq(sentence_of(&t, "art."), sentence_of(&t, "applies"));
	ck_assert_uint_eq(sentence_of(&t, "9.11"), sentence_of(&t, "9.9"));
	ck_assert_uint_ne(sentence_of(&t, "9.9"), sentence_of(&t, "next"));
	pool_deinit(&p);
}
END_TEST

START_TEST(test_list_after_colon_is_one_sentence)
{
	struct pool p;
	struct ntext t;
	const char *s =
		"著作权包括以下权利：\n1. 发表权。\n2. 专利权\n\n另外，商标权不同。\n- 独立项";

	pool_init(&p, 0);
	ntext_init(&t, &p, s, strlen(s));
	ck_assert_uint_eq(sentence_of(&t, "著作权包括"), sentence_of(&t, "专利权"));
	ck_assert_uint_ne(clause_of(&t, "著作权包括"), clause_of(&t, "专利权"));
	ck_assert_uint_ne(sentence_of(&t, "专利权"), sentence_of(&t, "另外"));
	ck_assert_uint_ne(sentence_of(&t, "另外"), sentence_of(&t, "独立项"));
	pool_deinit(&p);
}
END_TEST

START_TEST(test_soft_wraps_and_answers)
{
	struct pool p;
	struct ntext t;
	const char *s = "著作权不包括\n专利权。\n\n- 发表权\n- 署名权\nNo. The cap changed.\nSee "
			"No. 5 below.";

	pool_init(&p, 0);
	ntext_init(&t, &p, s, strlen(s));
	/* A single line break inside a paragraph joins the lines. */
	ck_assert_uint_eq(clause_of(&t, "不包括"), clause_of(&t, "专利权"));
	/* List items stay apart. */
	ck_assert_uint_ne(clause_of(&t, "发表权"), clause_of(&t, "署名权"));
	/* "No." answers; "No. 5" numbers. */
	ck_assert_uint_ne(sentence_of(&t, "no."), sentence_of(&t, "the cap"));
	ck_assert_uint_eq(sentence_of(&t, "see"), sentence_of(&t, "5 below"));
	pool_deinit(&p);
}
END_TEST

START_TEST(test_questions)
{
	struct pool p;
	struct ntext t;
	const char *s =
		"著作权包括专利权吗？不包括。Does it include patents? No, 我是AI助手，有什么问题吗";

	pool_init(&p, 0);
	ntext_init(&t, &p, s, strlen(s));
	ck_assert(t.clauses[clause_of(&t, "专利权")].question);
	ck_assert(!t.clauses[clause_of(&t, "不包括")].question);
	ck_assert(t.clauses[clause_of(&t, "patents")].question);
	ck_assert(!t.clauses[clause_of(&t, "我是")].question);
	ck_assert(t.clauses[clause_of(&t, "有什么")].question);
	pool_deinit(&p);
}
END_TEST

START_TEST(test_sanitize)
{
	struct pool p;
	size_t n;
	char *s;

	pool_init(&p, 0);
	s = text_sanitize(&p, "ok\xFFok\xEF\xBF\xBD", 8, &n);
	ck_assert_str_eq(s, "ok\xEF\xBF\xBDok\xEF\xBF\xBD");
	pool_deinit(&p);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_fold_fullwidth_and_case);
	tcase_add_test(tc, test_offsets_map_back);
	tcase_add_test(tc, test_invalid_utf8);
	tcase_add_test(tc, test_clauses_and_sentences);
	tcase_add_test(tc, test_english_periods);
	tcase_add_test(tc, test_list_after_colon_is_one_sentence);
	tcase_add_test(tc, test_soft_wraps_and_answers);
	tcase_add_test(tc, test_questions);
	tcase_add_test(tc, test_sanitize);
	suite_add_tcase(s, tc);
	return test_run(s);
}
