/* Unit tests for citation.c: extraction, resolution, classification. */
#include "amconfig.h"

#include "citation.h"
#include "testlib.h"

static struct statutes st;

static void
setup(void)
{
	struct diag d;
	char *path = test_data("statutes.yaml");

	diag_init(&d);
	ck_assert_int_eq(statutes_load(&st, path, &d), 0);
	diag_deinit(&d);
	free(path);
}

static void
teardown(void)
{
	statutes_deinit(&st);
}

struct want {
	const char *law; /* law id, or NULL for unknown */
	int article, sub;
};

/* Extracts from text and checks the list against want (n entries). */
static void
check(const char *text, const char *default_law, const struct want *want, size_t n)
{
	struct pool p;
	struct ntext t;
	struct citation *c;
	size_t got, i;

	pool_init(&p, 0);
	ntext_init(&t, &p, text, strlen(text));
	got = citation_extract(&t, &p, &st, default_law ? statutes_by_id(&st, default_law) : NULL,
			       &c);
	ck_assert_msg(got == n, "\"%s\": %zu citations, want %zu", text, got, n);
	for (i = 0; i < n; i++) {
		ck_assert_msg(c[i].article == want[i].article && c[i].sub == want[i].sub,
			      "\"%s\" #%zu: article %d-%d, want %d-%d", text, i, c[i].article,
			      c[i].sub, want[i].article, want[i].sub);
		if (want[i].law)
			ck_assert_msg(c[i].law && strcmp(c[i].law->id, want[i].law) == 0,
				      "\"%s\" #%zu: law %s, want %s", text, i,
				      c[i].law ? c[i].law->id : "(none)", want[i].law);
		else
			ck_assert_msg(!c[i].law, "\"%s\" #%zu: law %s, want none", text, i,
				      c[i].law->id);
	}
	pool_deinit(&p);
}

#define W(...) ((const struct want[]){__VA_ARGS__})
#define N(...) (sizeof((const struct want[]){__VA_ARGS__}) / sizeof(struct want))
#define CHECK(text, def, ...) check(text, def, W(__VA_ARGS__), N(__VA_ARGS__))

START_TEST(test_chinese_forms)
{
	CHECK("依照《著作权法》第十条", NULL, {"cn-copyright", 10, 0});
	CHECK("著作权法第10条规定", NULL, {"cn-copyright", 10, 0});
	CHECK("《中华人民共和国著作权法》第十条第一款第五项", NULL, {"cn-copyright", 10, 0});
	CHECK("民法典第一千二百六十条", NULL, {"cn-civil-code", 1260, 0});
	CHECK("刑法第一百二十条之一", NULL, {"cn-criminal", 120, 1});
	CHECK("《著作权法》第十条至第十二条", NULL, {"cn-copyright", 10, 0},
	      {"cn-copyright", 11, 0}, {"cn-copyright", 12, 0});
	CHECK("著作权法第二十二条、第二十三条", NULL, {"cn-copyright", 22, 0},
	      {"cn-copyright", 23, 0});
	CHECK("ＦＵＬＬ：著作权法第１０条", NULL, {"cn-copyright", 10, 0});
}
END_TEST

START_TEST(test_items_are_not_articles)
{
	check("前款第五项至第十七项规定的权利", "cn-copyright", NULL, 0);
	check("第五项至第十七项", NULL, NULL, 0);
}
END_TEST

START_TEST(test_bare_refers_to_last_law_or_default)
{
	CHECK("根据民法典，第一百八十八条规定", NULL, {"cn-civil-code", 188, 0});
	CHECK("第十条规定了十七项权利", "cn-copyright", {"cn-copyright", 10, 0});
	CHECK("第十条规定了十七项权利", NULL, {NULL, 10, 0});
	/* A list number opening a line is not a citation. */
	check("第一条：先看合同\n第二条：再看法律", "cn-copyright", NULL, 0);
}
END_TEST

START_TEST(test_names_that_are_not_names)
{
	/* 公司法定代表人 is not 公司法; lower-case "copyright law" is not a title. */
	CHECK("公司法定代表人依照第十条签字", "cn-copyright", {"cn-copyright", 10, 0});
	CHECK("Under copyright law, Section 107 allows fair use", "us-copyright",
	      {"us-copyright", 107, 0});
	CHECK("Article 10 of the Copyright Law", "us-copyright", {"cn-copyright", 10, 0});
	/* Two laws named 公司法: the one in force wins. */
	CHECK("公司法第二百五十条", NULL, {"cn-company", 250, 0});
}
END_TEST

START_TEST(test_laws_the_registry_lacks)
{
	/* Named without 《》: unknown, not the law named before. */
	CHECK("著作权法规定了这些权利，反不正当竞争法第十条另有规定", NULL, {NULL, 10, 0});
	CHECK("依照民法典第五百八十五条和合同编通则解释第六十五条", NULL, {"cn-civil-code", 585, 0},
	      {NULL, 65, 0});
	CHECK("根据本法第十条", "cn-copyright", {"cn-copyright", 10, 0});
	CHECK("Section 230 of the Communications Decency Act protects platforms", "us-copyright",
	      {NULL, 230, 0});
	CHECK("Under 47 U.S.C. § 230, platforms are immune", "us-copyright", {NULL, 230, 0});
	CHECK("Article 65 of the SPC Interpretation on Contracts", "cn-civil-code", {NULL, 65, 0});
}
END_TEST

START_TEST(test_versions_and_history)
{
	/* A year or 旧/原 before a name picks the older law of that name. */
	CHECK("2018年公司法第七十八条曾要求二人以上", NULL, {"cn-company-2018", 78, 0});
	CHECK("旧公司法第七十八条", NULL, {"cn-company-2018", 78, 0});
	CHECK("公司法第九十二条", NULL, {"cn-company", 92, 0});
	/* A superseded law mentioned in passing does not capture a bare article. */
	CHECK("旧的合同法规定不同，现行第五百八十五条规定", "cn-civil-code",
	      {"cn-civil-code", 585, 0});
}
END_TEST

START_TEST(test_range_text_covers_the_range)
{
	struct pool p;
	struct ntext t;
	struct citation *c;
	const char *text = "《著作权法》第十条至第十二条";
	size_t n, i;

	pool_init(&p, 0);
	ntext_init(&t, &p, text, strlen(text));
	n = citation_extract(&t, &p, &st, NULL, &c);
	ck_assert_int_eq(n, 3);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(c[i].start, 0);
		ck_assert_int_eq(c[i].end, t.len);
	}
	pool_deinit(&p);
}
END_TEST

START_TEST(test_unknown_law_in_title_marks)
{
	CHECK("《知识产权法》第十条", "cn-copyright", {NULL, 10, 0});
}
END_TEST

START_TEST(test_english_forms)
{
	CHECK("Under 17 U.S.C. § 106, the owner", NULL, {"us-copyright", 106, 0});
	CHECK("see §§ 106-107 of Title 17", NULL, {"us-copyright", 106, 0},
	      {"us-copyright", 107, 0});
	CHECK("Section 107 of the Copyright Act", NULL, {"us-copyright", 107, 0});
	CHECK("17 USC 106A protects", NULL, {"us-copyright", 106, 1});
	CHECK("Article 10 of the PRC Copyright Law", NULL, {"cn-copyright", 10, 0});
	CHECK("Art. 10 lists the rights", "cn-copyright", {"cn-copyright", 10, 0});
	CHECK("Articles 10 and 11 of the Copyright Law", NULL, {"cn-copyright", 10, 0},
	      {"cn-copyright", 11, 0});
	CHECK("section 106(1) of the Copyright Act", NULL, {"us-copyright", 106, 0});
}
END_TEST

START_TEST(test_classify)
{
	struct pool p;
	struct ntext t;
	struct citation *c;
	struct rubric_turn turn;
	struct rubric_cite expect = {0};
	const char *text =
		"《著作权法》第十条、第七十条、第二十条；《知识产权法》第一条；民法典第十条";
	size_t n;

	memset(&turn, 0, sizeof turn);
	expect.law = statutes_by_id(&st, "cn-copyright");
	expect.article = 10;
	turn.expect = &expect;
	turn.nexpect = 1;
	pool_init(&p, 0);
	ntext_init(&t, &p, text, strlen(text));
	n = citation_extract(&t, &p, &st, NULL, &c);
	citation_classify(c, n, &turn);
	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(c[0].status, CITATION_VALID);
	ck_assert_int_eq(c[1].status, CITATION_NONEXISTENT); /* the law has 67 articles */
	ck_assert_int_eq(c[2].status, CITATION_MISGROUNDED);
	ck_assert_int_eq(c[3].status, CITATION_UNKNOWN_LAW);
	ck_assert_int_eq(c[4].status, CITATION_VALID); /* a law the rubric does not ground in */
	pool_deinit(&p);
}
END_TEST

START_TEST(test_superseded_name_prefers_current)
{
	const struct law *l = statutes_find(&st, "公司法", strlen("公司法"));

	ck_assert_ptr_nonnull(l);
	ck_assert_str_eq(l->id, "cn-company");
	ck_assert(law_has_article(statutes_by_id(&st, "cn-criminal"), 120, 1));
	ck_assert(!law_has_article(statutes_by_id(&st, "cn-criminal"), 199, 0));
	ck_assert(law_has_article(statutes_by_id(&st, "cn-criminal"), 198, 0));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("citation");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_chinese_forms);
	tcase_add_test(tc, test_items_are_not_articles);
	tcase_add_test(tc, test_bare_refers_to_last_law_or_default);
	tcase_add_test(tc, test_names_that_are_not_names);
	tcase_add_test(tc, test_laws_the_registry_lacks);
	tcase_add_test(tc, test_versions_and_history);
	tcase_add_test(tc, test_range_text_covers_the_range);
	tcase_add_test(tc, test_unknown_law_in_title_marks);
	tcase_add_test(tc, test_english_forms);
	tcase_add_test(tc, test_classify);
	tcase_add_test(tc, test_superseded_name_prefers_current);
	suite_add_tcase(s, tc);
	return test_run(s);
}
