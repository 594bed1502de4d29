/* Unit tests for config.c and cron.c parsing. */
#include "amconfig.h"

#include "config.h"
#include "cron.h"
#include "testlib.h"

START_TEST(test_defaults)
{
	struct config c;

	config_defaults(&c);
	ck_assert_str_eq(c.listen, "127.0.0.1:8470");
	ck_assert_str_eq(c.database, "amicus.db");
	ck_assert_double_eq(c.thresholds.suitable_pass_lower, 0.8);
	ck_assert_double_eq(c.thresholds.review_hallucination, 0.15);
	config_deinit(&c);
}
END_TEST

START_TEST(test_full_file)
{
	struct config c;
	struct diag d;
	const struct config_model *m;
	char *path = test_file(
		"cfg/amicus.yaml",
		"database: data/amicus.db\n"
		"listen: 127.0.0.1:9000\n"
		"backends:\n"
		"  - name: local\n"
		"    kind: ollama\n"
		"    models:\n"
		"      - name: qwen2.5:7b\n"
		"      - name: deepseek-r1:7b\n"
		"        options: {temperature: 0.6, top_p: 0.95, max_tokens: 8192, think: true}\n"
		"  - {name: cloud, kind: openai, url: 'http://127.0.0.1:1/v1', models: [gpt-x], "
		"pause_s: 0}\n"
		"judge: {backend: local, model: qwen2.5:32b}\n"
		"schedules:\n"
		"  - {name: nightly, cron: '0 2 * * *', suite: all, models: [qwen2.5:7b], samples: "
		"3}\n"
		"thresholds:\n"
		"  suitable: {pass_lower: 0.9, hallucination_upper: 0.02}\n");

	diag_init(&d);
	ck_assert_int_eq(config_load(&c, path, &d), 0);
	ck_assert(strstr(c.database, "cfg/data/amicus.db") != NULL);
	ck_assert_str_eq(c.listen, "127.0.0.1:9000");
	ck_assert_int_eq(c.nbackends, 2);
	ck_assert_str_eq(c.backends[0].url, "http://127.0.0.1:11434");
	ck_assert_int_eq(c.backends[0].pause_s, 30);
	ck_assert_int_eq(c.backends[1].pause_s, 0);
	ck_assert_ptr_eq(config_find_model(&c, "deepseek-r1:7b", &m), &c.backends[0]);
	ck_assert(m->options.has_think && m->options.think);
	ck_assert_int_eq(m->options.max_tokens, 8192);
	ck_assert_int_eq(c.schedules[0].samples, 3);
	ck_assert_double_eq(c.thresholds.suitable_pass_lower, 0.9);
	ck_assert_double_eq(c.thresholds.review_pass, 0.6);
	config_deinit(&c);
	diag_deinit(&d);
	free(path);
}
END_TEST

START_TEST(test_bad_file_keeps_defaults)
{
	struct config c;
	struct diag d;
	char *path = test_file("cfg/bad.yaml", "listen: nowhere\n"
					       "backends:\n"
					       "  - {name: a, kind: olama, concurency: 3}\n"
					       "  - {name: a, kind: openai}\n"
					       "schedules:\n"
					       "  - {name: s, cron: '61 * * * *', models: [nope]}\n"
					       "judge: {backend: b, model: m}\n");

	diag_init(&d);
	ck_assert_int_eq(config_load(&c, path, &d), -1);
	diag_print(&d, stderr);
	ck_assert_int_ge(d.errors, 7);
	ck_assert_str_eq(c.listen, "127.0.0.1:8470");
	ck_assert_int_eq(c.nbackends, 0);
	config_deinit(&c);
	diag_deinit(&d);
	free(path);
}
END_TEST

START_TEST(test_cron_parse)
{
	struct cron c;
	char err[256];

	ck_assert_int_eq(cron_parse("0 2 * * *", &c, err, sizeof err), 0);
	ck_assert_uint_eq(c.minute, 1);
	ck_assert_uint_eq(c.hour, 1u << 2);
	ck_assert(c.mday_any && c.wday_any);
	ck_assert_int_eq(cron_parse("*/15 9-17 1,15 jan-mar mon-fri", &c, err, sizeof err), 0);
	ck_assert_uint_eq(c.minute, (1ull << 0) | (1ull << 15) | (1ull << 30) | (1ull << 45));
	ck_assert_uint_eq(c.month, (1u << 1) | (1u << 2) | (1u << 3));
	ck_assert_uint_eq(c.wday, 0x3E);
	ck_assert_int_eq(cron_parse("0 0 * * 7", &c, err, sizeof err), 0);
	ck_assert_uint_eq(c.wday, 1);
	ck_assert_int_eq(cron_parse("@daily", &c, err, sizeof err), 0);
	ck_assert_int_eq(cron_parse("5/20 * * * *", &c, err, sizeof err), 0);
	ck_assert_uint_eq(c.minute, (1ull << 5) | (1ull << 25) | (1ull << 45));
	ck_assert_int_eq(cron_parse("0 2 * *", &c, err, sizeof err), -1);
	ck_assert(strstr(err, "five fields") != NULL);
	ck_assert_int_eq(cron_parse("60 * * * *", &c, err, sizeof err), -1);
	ck_assert(strstr(err, "minute") != NULL);
	ck_assert_int_eq(cron_parse("* * * foo *", &c, err, sizeof err), -1);
	ck_assert(strstr(err, "month") != NULL);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_full_file);
	tcase_add_test(tc, test_bad_file_keeps_defaults);
	tcase_add_test(tc, test_cron_parse);
	suite_add_tcase(s, tc);
	return test_run(s);
}
