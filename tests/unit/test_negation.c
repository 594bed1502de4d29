/* Unit tests for negation.c: which matches a clause denies. */
#include "amconfig.h"

#include "negation.h"
#include "testlib.h"

struct ncase {
	const char *text;
	const char *term; /* first occurrence is tested */
	int affirm;       /* expected negated under NEGATION_AFFIRM */
	int claim;        /* expected negated under NEGATION_CLAIM */
};

static const struct ncase cases[] = {
	{"著作权包括发表权", "发表权", 0, 0},
	{"著作权不包括专利权", "专利权", 1, 1},
	{"专利权不属于著作权", "专利权", 1, 1},
	{"专利权并不是著作权的一部分", "专利权", 1, 1},
	{"著作权不仅包括发表权，还包括署名权", "发表权", 0, 0},
	{"不但有署名权，还有发表权", "署名权", 0, 0},
	/* A prohibition after a term does not deny the term itself; a claim
	 * "署名权可以转让" is withdrawn through its near term 转让 (test_score). */
	{"署名权不得转让", "署名权", 0, 0},
	{"署名权不得转让", "转让", 0, 1},
	{"作者的署名权不能转让", "署名权", 0, 0},
	{"著作权自动产生，无需登记", "登记", 0, 1},
	{"著作权不包括商标权，但包括专利权", "专利权", 0, 0},
	{"著作权不包括商标权但包括专利权", "专利权", 0, 0},
	{"著作权不包括商标权但包括专利权", "商标权", 1, 1},
	{"没有登记的作品也享有著作权", "享有著作权", 0, 0},
	{"不动产物权的设立应当登记", "物权", 0, 0},
	{"不可抗力是法定的免责事由", "不可抗力", 0, 0},
	{"因不可抗力不能履行合同的", "合同", 0, 1},
	{"试用期不得超过六个月", "六个月", 0, 0},
	{"劳动合同期限不满三个月的，不得约定试用期", "三个月", 0, 0},
	{"未成年人的监护人", "监护人", 0, 0},
	{"无期徒刑", "徒刑", 0, 0},
	{"未经著作权人许可，复制其作品", "复制", 0, 0},
	{"Copyright does not include patents", "patents", 1, 1},
	{"Patents are not part of copyright", "patents", 1, 1},
	{"The right of attribution cannot be transferred", "attribution", 0, 0},
	{"The right of attribution cannot be transferred", "transferred", 0, 1},
	{"Copyright includes not only reproduction", "reproduction", 0, 0},
	{"The rights include, but are not limited to, reproduction", "reproduction", 0, 0},
	{"including but not limited to reproduction and distribution", "distribution", 0, 0},
	{"Registration is not required", "registration", 1, 1},
	{"No registration is required", "registration", 1, 1},
	{"It covers everything except patents", "patents", 1, 1},
	{"Copyright does not cover trademarks but it does cover books", "books", 0, 0},
	{"Notwithstanding section 107, the owner has rights", "rights", 0, 0},
	{"著作权法第十条不包括专利权。著作权包括发表权", "发表权", 0, 0},
	{"有人认为著作权包括专利权", "专利权", 0, 1},
	/* A cue that runs into the match stands before it. */
	{"专利权不属于著作权", "属于著作权", 1, 1},
	{"当事人不能上诉", "能上诉", 1, 1},
	{"不可以追诉", "可以追诉", 1, 1},
	/* Colons, dashes and parentheses end a negation's reach. */
	{"这个前提不对：刑法第199条已经删除", "删除", 0, 0},
	{"Not anymore - the cap is now five million", "five million", 0, 0},
	{"一般不判死刑（特别残忍手段致人死亡的除外）", "特别残忍手段", 0, 0},
	/* A plain negator stops at 的, at a new predicate and at 、 (key points). */
	{"不收费、不营利的免费表演", "免费表演", 0, 1},
	{"公司逾期不签合同要付二倍工资", "二倍工资", 0, 1},
	{"专利长期无正当理由未实施、专利权滥用构成垄断", "垄断", 0, 1},
	{"法律并没有规定要提前三个月", "提前三个月", 1, 1},
	{"著作权不包括专利权、商标权", "商标权", 1, 1},
	/* Words with a negator inside that deny nothing. */
	{"已满十二周岁未满十四周岁的人应当负刑事责任", "刑事责任", 0, 0},
	{"当事人不服一审判决的可以上诉", "一审判决", 0, 0},
	{"不得低于约定工资的百分之八十并不得低于最低工资标准", "最低工资标准", 0, 1},
	{"无法预见、无法避免并且无法克服的客观情况", "客观情况", 0, 1},
	/* English: no/without end at the verb for key points; subordinate clauses. */
	{"Parties without a domicile in China get thirty days", "thirty days", 0, 1},
	{"No probation period may be agreed for a specific task", "specific task", 0, 1},
	{"A court will not protect a right if more than twenty years have passed", "twenty years",
	 0, 0},
	{"A marriage on a false date of birth is invalid", "invalid", 0, 0},
	{"Valid for 20 years from the filing date and cannot be renewed", "20 years", 0, 0},
	{"People often say section 106 has five rights", "five rights", 0, 1},
};

START_TEST(test_cases)
{
	struct pool p;
	struct ntext t;
	struct negation ng;
	const char *hit;
	size_t i, start, tl;
	struct pool tp;
	char *folded;
	int a, c;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		pool_init(&p, 0);
		pool_init(&tp, 0);
		ntext_init(&t, &p, cases[i].text, strlen(cases[i].text));
		negation_scan(&ng, &p, &t);
		folded = text_fold(&tp, cases[i].term, strlen(cases[i].term), &tl);
		hit = strstr(t.s, folded);
		ck_assert_msg(hit != NULL, "case %zu: term not found", i);
		start = (size_t)(hit - t.s);
		a = negation_applies(&ng, &t, start, start + tl, NEGATION_AFFIRM);
		c = negation_applies(&ng, &t, start, start + tl, NEGATION_CLAIM);
		ck_assert_msg(a == cases[i].affirm, "\"%s\" / %s: affirm-negated %d, want %d",
			      cases[i].text, cases[i].term, a, cases[i].affirm);
		ck_assert_msg(c == cases[i].claim, "\"%s\" / %s: claim-negated %d, want %d",
			      cases[i].text, cases[i].term, c, cases[i].claim);
		pool_deinit(&tp);
		pool_deinit(&p);
	}
}
END_TEST

START_TEST(test_cue_inside_term_ignored)
{
	struct pool p;
	struct ntext t;
	struct negation ng;
	const char *s = "著作权无需登记";
	const char *hit;

	pool_init(&p, 0);
	ntext_init(&t, &p, s, strlen(s));
	negation_scan(&ng, &p, &t);
	hit = strstr(t.s, "无需登记");
	ck_assert(!negation_applies(&ng, &t, (size_t)(hit - t.s), (size_t)(hit - t.s) + 12,
				    NEGATION_AFFIRM));
	ck_assert(!negation_applies(&ng, &t, (size_t)(hit - t.s), (size_t)(hit - t.s) + 12,
				    NEGATION_CLAIM));
	pool_deinit(&p);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("negation");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_cases);
	tcase_add_test(tc, test_cue_inside_term_ignored);
	suite_add_tcase(s, tc);
	return test_run(s);
}
