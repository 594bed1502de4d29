/* Unit tests for ynode.c: YAML into located nodes, and what is refused. */
#include "amconfig.h"

#include "testlib.h"
#include "ynode.h"

static int
load(const char *text, struct diag *d, struct ydoc *doc)
{
	diag_init(d);
	return ydoc_load_string(doc, "t.yaml", text, strlen(text), d);
}

START_TEST(test_tree_and_places)
{
	struct ydoc doc;
	struct diag d;
	const struct ynode *n;

	ck_assert_int_eq(load("a: 1\nb:\n  - x\n  - 'y'\n", &d, &doc), 0);
	n = ynode_get(doc.root, "b");
	ck_assert_int_eq(n->kind, YNODE_SEQ);
	ck_assert_int_eq(n->n, 2);
	ck_assert_int_eq(n->items[1]->line, 4);
	ck_assert_int_eq(n->items[1]->col, 5);
	ck_assert(!n->items[1]->plain);
	ydoc_deinit(&doc);
	diag_deinit(&d);
}
END_TEST

START_TEST(test_syntax_error_has_place)
{
	struct ydoc doc;
	struct diag d;

	ck_assert_int_eq(load("a: [1, 2\nb: 3\n", &d, &doc), -1);
	ck_assert_int_eq(d.n, 1);
	ck_assert_str_eq(d.items[0].file, "t.yaml");
	ck_assert_int_gt(d.items[0].line, 0);
	ck_assert(strstr(d.items[0].message, "YAML syntax") != NULL);
	ydoc_deinit(&doc);
	diag_deinit(&d);
}
END_TEST

START_TEST(test_refusals)
{
	struct ydoc doc;
	struct diag d;
	char deep[400];
	int i;

	ck_assert_int_eq(load("a: &x 1\nb: *x\n", &d, &doc), -1);
	ck_assert(strstr(d.items[0].message, "aliases") != NULL);
	ydoc_deinit(&doc);
	diag_deinit(&d);
	ck_assert_int_eq(load("a: 1\na: 2\n", &d, &doc), -1);
	ck_assert(strstr(d.items[0].message, "duplicate key 'a'") != NULL);
	ck_assert_int_eq(d.items[0].line, 2);
	ydoc_deinit(&doc);
	diag_deinit(&d);
	for (i = 0; i < 150; i++)
		deep[i] = '[';
	deep[150] = '\0';
	ck_assert_int_eq(load(deep, &d, &doc), -1);
	ydoc_deinit(&doc);
	diag_deinit(&d);
	ck_assert_int_eq(load("a: 1\n---\nb: 2\n", &d, &doc), -1);
	ydoc_deinit(&doc);
	diag_deinit(&d);
}
END_TEST

START_TEST(test_unknown_key_hint_and_all_problems)
{
	static const struct ykey keys[] = {{"points", 1}, {"id", 1}, {"any", 0}};
	struct ydoc doc;
	struct diag d;

	ck_assert_int_eq(load("point: 1\nanny: [x]\nzzzz: 3\n", &d, &doc), 0);
	ck_assert_int_eq(ynode_check_keys(doc.root, keys, 3, "key point", &d), 5);
	ck_assert(strstr(d.items[0].message, "did you mean 'points'") != NULL);
	ck_assert_int_eq(d.items[0].line, 1);
	ck_assert(strstr(d.items[1].message, "did you mean 'any'") != NULL);
	ck_assert(strstr(d.items[2].message, "did you mean") == NULL);
	ck_assert(strstr(d.items[3].message, "missing the key 'points'") != NULL);
	ydoc_deinit(&doc);
	diag_deinit(&d);
}
END_TEST

START_TEST(test_typed_access)
{
	struct ydoc doc;
	struct diag d;
	long l;
	double x;
	int b;
	const char *s;

	ck_assert_int_eq(load("n: 12\nf: 0.5\nbad: abc\nq: '7'\nt: yes\nl: [1]\n", &d, &doc), 0);
	ck_assert_int_eq(ynode_int(ynode_get(doc.root, "n"), "n", 0, 100, &d, &l), 0);
	ck_assert_int_eq(l, 12);
	ck_assert_int_eq(ynode_int(ynode_get(doc.root, "n"), "n", 0, 10, &d, &l), -1);
	ck_assert_int_eq(ynode_double(ynode_get(doc.root, "f"), "f", 0, 1, &d, &x), 0);
	ck_assert_int_eq(ynode_double(ynode_get(doc.root, "bad"), "bad", 0, 1, &d, &x), -1);
	ck_assert(strstr(d.items[d.n - 1].message, "must be a number, not 'abc'") != NULL);
	ck_assert_int_eq(ynode_double(ynode_get(doc.root, "q"), "q", 0, 10, &d, &x), -1);
	ck_assert_int_eq(ynode_bool(ynode_get(doc.root, "t"), "t", &d, &b), 0);
	ck_assert_int_eq(b, 1);
	ck_assert_int_eq(ynode_string(ynode_get(doc.root, "l"), "l", &d, &s), -1);
	ydoc_deinit(&doc);
	diag_deinit(&d);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ynode");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_tree_and_places);
	tcase_add_test(tc, test_syntax_error_has_place);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_unknown_key_hint_and_all_problems);
	tcase_add_test(tc, test_typed_access);
	suite_add_tcase(s, tc);
	return test_run(s);
}
