/* Unit tests for sse.c: SSE and NDJSON framing as servers send it. */
#include "amconfig.h"

#include "sse.h"
#include "testlib.h"

struct got {
	char events[16][64];
	char data[16][256];
	int n;
};

static int
collect(const char *event, const char *data, size_t len, void *arg)
{
	struct got *g = arg;

	if (g->n < 16) {
		snprintf(g->events[g->n], sizeof g->events[0], "%s", event);
		snprintf(g->data[g->n], sizeof g->data[0], "%.*s", (int)len, data);
	}
	g->n++;
	return 0;
}

/* Feeds text in pieces of `step` bytes (0: all at once). */
static struct got
decode(int ndjson, const char *text, size_t step)
{
	struct got g;
	struct sse d;
	size_t n = strlen(text), i;

	memset(&g, 0, sizeof g);
	sse_init(&d, ndjson, 0, collect, &g);
	if (!step)
		step = n ? n : 1;
	for (i = 0; i < n; i += step)
		ck_assert_int_eq(sse_feed(&d, text + i, i + step <= n ? step : n - i), 0);
	ck_assert_int_eq(sse_finish(&d), 0);
	sse_deinit(&d);
	return g;
}

START_TEST(test_sse_line_endings_and_pieces)
{
	const char *forms[] = {
		"data: {\"a\":1}\n\ndata: {\"b\":\"\\u4e2d\"}\n\ndata: [DONE]\n\n",
		"data: {\"a\":1}\r\n\r\ndata: {\"b\":\"\\u4e2d\"}\r\n\r\ndata: [DONE]\r\n\r\n",
		"data: {\"a\":1}\r\rdata: {\"b\":\"\\u4e2d\"}\r\rdata: [DONE]\r\r",
		"data:{\"a\":1}\n\ndata:{\"b\":\"\\u4e2d\"}\n\ndata:[DONE]\n\n",
		": keep-alive\n\ndata: {\"a\":1}\n\n: ping\ndata: {\"b\":\"\\u4e2d\"}\n\ndata: "
		"[DONE]\n\n",
	};
	size_t f, step;

	for (f = 0; f < ARRAY_SIZE(forms); f++) {
		for (step = 0; step <= 3; step++) {
			struct got g = decode(0, forms[f], step);

			ck_assert_msg(g.n == 3, "form %zu step %zu: %d events", f, step, g.n);
			ck_assert_str_eq(g.data[0], "{\"a\":1}");
			ck_assert_str_eq(g.data[1], "{\"b\":\"\\u4e2d\"}");
			ck_assert_str_eq(g.data[2], "[DONE]");
			ck_assert_str_eq(g.events[0], "message");
		}
	}
}
END_TEST

START_TEST(test_sse_events_multiline_and_unterminated)
{
	struct got g = decode(0,
			      "event: message_start\ndata: {\"x\":1}\n\nevent: ping\ndata: {}\n\n"
			      "data: line1\ndata: line2\n\nevent: message_stop\ndata: {}",
			      0);

	ck_assert_int_eq(g.n, 4);
	ck_assert_str_eq(g.events[0], "message_start");
	ck_assert_str_eq(g.events[1], "ping");
	ck_assert_str_eq(g.data[2], "line1\nline2");
	/* No blank line at the end: the last event still arrives. */
	ck_assert_str_eq(g.events[3], "message_stop");
}
END_TEST

START_TEST(test_ndjson)
{
	const char *text =
		"{\"message\":{\"content\":\"著作\"}}\n\n{\"message\":{\"content\":\"权\"}}\r\n"
		"{\"done\":true}";
	size_t step;

	for (step = 0; step <= 2; step++) {
		struct got g = decode(1, text, step);

		ck_assert_int_eq(g.n, 3);
		ck_assert_str_eq(g.data[0], "{\"message\":{\"content\":\"著作\"}}");
		ck_assert_str_eq(g.data[2], "{\"done\":true}");
	}
}
END_TEST

START_TEST(test_caps)
{
	struct got g;
	struct sse d;
	char big[300];

	memset(&g, 0, sizeof g);
	memset(big, 'x', sizeof big);
	sse_init(&d, 1, 100, collect, &g);
	ck_assert_int_eq(sse_feed(&d, big, sizeof big), -1);
	ck_assert_int_eq(sse_feed(&d, "\n", 1), -1);
	sse_deinit(&d);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sse");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_sse_line_endings_and_pieces);
	tcase_add_test(tc, test_sse_events_multiline_and_unterminated);
	tcase_add_test(tc, test_ndjson);
	tcase_add_test(tc, test_caps);
	suite_add_tcase(s, tc);
	return test_run(s);
}
