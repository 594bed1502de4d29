/* Unit tests for abstain.c: refusal phrases. */
#include "amconfig.h"

#include "abstain.h"
#include "testlib.h"

static int
refuses(const char *text)
{
	struct pool p;
	struct ntext t;
	size_t s, e;
	int r;

	pool_init(&p, 0);
	ntext_init(&t, &p, text, strlen(text));
	r = abstain_find(&t, &s, &e);
	pool_deinit(&p);
	return r;
}

START_TEST(test_refusals)
{
	ck_assert(refuses("抱歉，我无法回答这个问题。"));
	ck_assert(refuses("作为一个AI语言模型，我不能提供法律意见。"));
	ck_assert(refuses("我不知道。"));
	ck_assert(refuses("I'm sorry, but I cannot provide legal advice."));
	ck_assert(refuses("I can't answer that."));
	ck_assert(refuses("As an AI, I am not able to give legal opinions."));
}
END_TEST

START_TEST(test_not_refusals)
{
	ck_assert(!refuses("著作权包括发表权、署名权等。"));
	ck_assert(!refuses("建议您咨询专业律师。"));
	ck_assert(!refuses("The author cannot transfer moral rights."));
	ck_assert(!refuses("当事人不能证明的，应承担不利后果。"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("abstain");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_not_refusals);
	suite_add_tcase(s, tc);
	return test_run(s);
}
