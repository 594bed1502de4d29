/*
 * backend.c - the machinery every backend shares: a queue of calls under a
 * concurrency limit, a requests-per-minute limit and a pause after repeated
 * failures; streaming transfers through libcurl on the loop; retries with
 * exponential backoff and jitter; and one result per call.
 *
 * Life of a call:
 *
 *   backend_chat -> queued -> dispatch (slot free, rate allows, not paused)
 *        -> running: transfer (or demo timer) -> finished
 *              ok                          -> callback
 *              transient failure, tries left -> waiting (timer) -> queued
 *              otherwise                   -> callback with the error
 *
 * What the server sends decides how we read it, not what we asked for: a
 * 2xx with a stream content type is decoded as a stream; anything else is
 * kept (capped) as an error body.  Errors can also come inside a 200
 * stream; the protocol's event handler reports them through call_fail.
 *
 * Invariants: fn is called exactly once per accepted call; a call's memory
 * is freed only in its timer's close callback; every buffer that grows from
 * the network has a cap.
 */
#include "amconfig.h"

#include "backend.h"
#include "backend_int.h"
#include "log.h"
#include "sha256.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define RPM_WINDOW_MS 60000
#define PAUSE_AFTER 5 /* consecutive transient failures before a pause */
#define CONNECT_TIMEOUT_MS 10000
#define STALL_SECONDS 120 /* a stream that sends nothing for this long is dead */

static const double buckets[] = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

struct backend {
	uv_loop_t *loop;
	struct curlloop *cl;
	const struct config_backend *cfg;
	const struct catalog *cat;
	const struct proto *proto; /* NULL for the demo */
	char *key;                 /* API key from the environment, or NULL */
	struct call *calls;        /* every call not yet finished */
	int running;               /* calls under way */
	int queued;
	uint64_t *starts; /* ring of recent start times (ms), for rpm */
	size_t nstarts, start_head;
	int failures;          /* consecutive */
	uint64_t paused_until; /* ms */
	uv_timer_t wake;       /* wakes dispatch when the rate or a pause allows */
	int closing;
	struct backend_stats stats;
};

static uint64_t
now_ms(void)
{
	return now_ns() / 1000000u;
}

const struct config_backend *
backend_config(const struct backend *b)
{
	return b->cfg;
}

const struct backend_stats *
backend_stats(const struct backend *b)
{
	return &b->stats;
}

int
backend_busy(const struct backend *b)
{
	return b->running + b->queued;
}

/* --- calls ---------------------------------------------------------------- */

static void
on_call_closed(uv_handle_t *h)
{
	struct call *c = h->data;
	size_t i;

	free(c->model);
	free(c->system);
	free(c->question);
	for (i = 0; i < c->nmsgs; i++) {
		free((char *)c->msgs[i].role);
		free((char *)c->msgs[i].content);
	}
	free(c->msgs);
	free(c->url);
	free(c->body);
	free(c->usage_json);
	if (c->hdrs)
		curl_slist_free_all(c->hdrs);
	if (c->easy)
		curl_easy_cleanup(c->easy);
	sse_deinit(&c->dec);
	buf_deinit(&c->content);
	buf_deinit(&c->reasoning);
	buf_deinit(&c->errbody);
	free(c);
}

static void
unlink_call(struct call *c)
{
	struct backend *b = c->b;

	if (c->prev)
		c->prev->next = c->next;
	else if (b->calls == c)
		b->calls = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->next = c->prev = NULL;
}

static void
free_call(struct call *c)
{
	unlink_call(c);
	uv_timer_stop(&c->timer);
	uv_close((uv_handle_t *)&c->timer, on_call_closed);
}

void
call_content(struct call *c, const char *s, size_t n)
{
	if (!n)
		return;
	if (!c->t_first)
		c->t_first = now_ns();
	if (c->content.len + c->reasoning.len + n > RESPONSE_MAX ||
	    buf_append(&c->content, s, n) < 0)
		call_fail(c, 0, "the response exceeds the size cap (%u MiB)", RESPONSE_MAX >> 20);
}

void
call_reasoning(struct call *c, const char *s, size_t n)
{
	if (!n)
		return;
	if (!c->t_first)
		c->t_first = now_ns();
	if (c->content.len + c->reasoning.len + n > RESPONSE_MAX ||
	    buf_append(&c->reasoning, s, n) < 0)
		call_fail(c, 0, "the response exceeds the size cap (%u MiB)", RESPONSE_MAX >> 20);
}

void
call_fail(struct call *c, int retryable, const char *fmt, ...)
{
	va_list ap;

	if (c->error[0])
		return; /* the first failure is the one to report */
	va_start(ap, fmt);
	vsnprintf(c->error, sizeof c->error, fmt, ap);
	va_end(ap);
	c->retryable = retryable;
}

/* --- error bodies ----------------------------------------------------------- */

void
error_message(json_t *root, char *out, size_t cap, int *quota)
{
	json_t *e = json_object_get(root, "error"), *m, *t, *code;

	out[0] = '\0';
	if (json_is_string(e)) { /* Ollama: {"error": "..."} */
		snprintf(out, cap, "%s", json_string_value(e));
		return;
	}
	if (!json_is_object(e) && json_is_string(json_object_get(root, "message")))
		e = root;
	if (!json_is_object(e))
		return;
	m = json_object_get(e, "message");
	t = json_object_get(e, "type");
	code = json_object_get(e, "code");
	snprintf(out, cap, "%s%s%s", json_is_string(m) ? json_string_value(m) : "error",
		 json_is_string(t) ? " (" : "", json_is_string(t) ? json_string_value(t) : "");
	if (json_is_string(t))
		strncat(out, ")", cap - strlen(out) - 1);
	if (quota &&
	    ((json_is_string(code) && strcmp(json_string_value(code), "insufficient_quota") == 0) ||
	     (json_is_string(t) && strcmp(json_string_value(t), "insufficient_quota") == 0)))
		*quota = 1;
}

json_t *
messages_json(const struct call *c, int with_system)
{
	json_t *a = json_array();
	size_t i;

	if (with_system && c->system)
		json_array_append_new(
			a, json_pack("{s:s, s:s}", "role", "system", "content", c->system));
	for (i = 0; i < c->nmsgs; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "role", c->msgs[i].role, "content",
						   c->msgs[i].content));
	return a;
}

/* --- the transfer ------------------------------------------------------------ */

static int
on_event(const char *event, const char *data, size_t len, void *arg)
{
	struct call *c = arg;

	return c->b->proto->event(c, event, data, len) < 0 || c->error[0] ? 1 : 0;
}

json_t *
call_event_json(struct call *c, const char *what, const char *data, size_t len)
{
	json_error_t je;
	json_t *root = json_loadb(data, len, 0, &je);

	if (json_is_object(root))
		return root;
	if (root)
		call_fail(c, 1, "malformed %s from %s: not a JSON object", what, c->url);
	else
		call_fail(c, 1, "malformed %s from %s: %.200s (position %d)", what, c->url, je.text,
			  je.position);
	json_decref(root);
	return NULL;
}

/* Parses "Retry-After: 120" or an HTTP date, and "retry-after-ms: 250". */
static double
parse_retry_after(const char *v, int ms)
{
	struct tm tm;
	char *end;
	double d;
	time_t t;

	while (*v == ' ')
		v++;
	d = strtod(v, &end);
	if (end != v && d >= 0)
		return ms ? d / 1000.0 : d;
	memset(&tm, 0, sizeof tm);
	if (strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm)) {
		t = timegm(&tm) - time(NULL);
		return t > 0 ? (double)t : 0;
	}
	return -1;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct call *c = arg;
	size_t len = size * n, k;
	char line[256];

	if (len >= sizeof line)
		return len;
	memcpy(line, p, len);
	line[len] = '\0';
	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		line[--len] = '\0';
	if (strncmp(line, "HTTP/", 5) == 0) {
		/* A new response (after a 100 Continue or a redirect): start over. */
		char *sp = strchr(line, ' ');

		c->status = sp ? atoi(sp + 1) : 0;
		c->ctype[0] = '\0';
		c->retry_after = -1;
		return size * n;
	}
	if (strncasecmp(line, "content-type:", 13) == 0) {
		const char *v = line + 13;

		while (*v == ' ')
			v++;
		for (k = 0; v[k] && k + 1 < sizeof c->ctype; k++)
			c->ctype[k] = (char)tolower((unsigned char)v[k]);
		c->ctype[k] = '\0';
	} else if (strncasecmp(line, "retry-after-ms:", 15) == 0) {
		c->retry_after = parse_retry_after(line + 15, 1);
	} else if (strncasecmp(line, "retry-after:", 12) == 0 && c->retry_after < 0) {
		c->retry_after = parse_retry_after(line + 12, 0);
	}
	return size * n;
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct call *c = arg;
	size_t len = size * n;

	if (!c->streaming && !c->errbody.len && !c->content.len) {
		/* The first bytes: decide how to read them. */
		c->streaming = c->status >= 200 && c->status < 300 &&
			       (strstr(c->ctype, "event-stream") || strstr(c->ctype, "ndjson") ||
				strstr(c->ctype, "json") || !c->ctype[0]);
	}
	if (!c->streaming) {
		/* An error body: keep the start of it for its message. */
		if (c->errbody.len < ERRBODY_MAX)
			buf_append(&c->errbody, p,
				   len < ERRBODY_MAX - c->errbody.len
					   ? len
					   : ERRBODY_MAX - c->errbody.len);
		return len;
	}
	if (sse_feed(&c->dec, p, len) < 0 && !c->error[0])
		call_fail(c, 1, "the stream has a line longer than %u MiB", RESPONSE_MAX >> 20);
	/* A failure stops the transfer: returning short makes curl abort. */
	return c->error[0] ? 0 : len;
}

static void dispatch(struct backend *b);
static void finish(struct call *c);

static void
on_transfer_done(CURL *easy, CURLcode rc, void *arg)
{
	struct call *c = arg;
	char msg[256];

	(void)easy;
	c->running = 0;
	c->b->running--;
	if (c->error[0]) {
		/* decided while streaming */
	} else if (rc != CURLE_OK) {
		snprintf(msg, sizeof msg, "%s", curl_easy_strerror(rc));
		call_fail(c, rc != CURLE_URL_MALFORMAT && rc != CURLE_UNSUPPORTED_PROTOCOL,
			  "%s: %s", c->url, msg);
	} else if (c->status < 200 || c->status >= 300) {
		json_t *root =
			json_loadb(c->errbody.data ? c->errbody.data : "", c->errbody.len, 0, NULL);
		char em[384];
		int retry;

		em[0] = '\0';
		if (root)
			error_message(root, em, sizeof em, &c->quota);
		json_decref(root);
		/* Quota and billing errors do not go away by waiting, whatever the
		 * status (Ollama's proxy says so in words, Anthropic with a 400). */
		if (strstr(em, "quota") || strstr(em, "credit balance") || strstr(em, "billing"))
			c->quota = 1;
		if (!em[0]) {
			/* An HTML error page or an empty body: say what it was. */
			snprintf(em, sizeof em, "%s",
				 strstr(c->ctype, "html") ? "an HTML error page"
							  : "no error message");
		}
		retry = (c->status == 408 || c->status == 409 || c->status == 425 ||
			 c->status == 429 || c->status >= 500) &&
			!c->quota;
		call_fail(c, retry, "HTTP %d from %s: %s", c->status, c->url, em);
	} else {
		if (sse_finish(&c->dec) < 0 && !c->error[0])
			call_fail(c, 1, "the stream ended inside an unreadable event");
		if (!c->error[0] && !c->done_seen)
			call_fail(c, 1,
				  "the stream ended without a finish (truncated after %zu bytes)",
				  c->content.len + c->reasoning.len);
	}
	finish(c);
}

static int
start_transfer(struct call *c)
{
	struct backend *b = c->b;
	char *url = NULL, *body = NULL;
	struct curl_slist *hdrs = NULL;

	free(c->url);
	free(c->body);
	if (c->hdrs)
		curl_slist_free_all(c->hdrs);
	c->url = c->body = NULL;
	c->hdrs = NULL;
	if (b->proto->build(c, b->cfg, b->key, &url, &hdrs, &body) < 0) {
		call_fail(c, 0, "cannot build the request");
		return -1;
	}
	c->url = url;
	c->body = body;
	c->hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	c->hdrs = curl_slist_append(c->hdrs, "Expect:");
	if (!c->easy)
		c->easy = curl_easy_init();
	else
		curl_easy_reset(c->easy);
	curl_easy_setopt(c->easy, CURLOPT_URL, c->url);
	curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, c->hdrs);
	curl_easy_setopt(c->easy, CURLOPT_POSTFIELDS, c->body);
	curl_easy_setopt(c->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(c->body));
	curl_easy_setopt(c->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c->easy, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c->easy, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(c->easy, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
	curl_easy_setopt(c->easy, CURLOPT_TIMEOUT_MS, b->cfg->timeout_s * 1000L);
	curl_easy_setopt(c->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c->easy, CURLOPT_LOW_SPEED_TIME, (long)STALL_SECONDS);
	curl_easy_setopt(c->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->easy, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c->easy, CURLOPT_TCP_KEEPALIVE, 1L);
	sse_deinit(&c->dec);
	sse_init(&c->dec, b->proto->ndjson, RESPONSE_MAX, on_event, c);
	if (curlloop_add(b->cl, c->easy, on_transfer_done, c) < 0) {
		call_fail(c, 1, "cannot start the transfer");
		return -1;
	}
	return 0;
}

/* Resets what one attempt accumulates. */
static void
reset_attempt(struct call *c)
{
	c->content.len = c->reasoning.len = c->errbody.len = 0;
	if (c->content.data)
		c->content.data[0] = '\0';
	if (c->reasoning.data)
		c->reasoning.data[0] = '\0';
	c->status = 0;
	c->ctype[0] = '\0';
	c->retry_after = -1;
	c->streaming = 0;
	c->finish[0] = '\0';
	c->prompt_tokens = c->completion_tokens = c->reasoning_tokens = -1;
	c->tokens_per_s = 0;
	free(c->usage_json);
	c->usage_json = NULL;
	c->error[0] = '\0';
	c->retryable = 0;
	c->quota = 0;
	c->done_seen = 0;
	c->t_first = 0;
}

static void
on_demo_timer(uv_timer_t *t)
{
	struct call *c = t->data;

	c->running = 0;
	c->b->running--;
	demo_answer(c, c->b->cat);
	finish(c);
}

static void
start(struct call *c)
{
	struct backend *b = c->b;

	reset_attempt(c);
	c->attempts++;
	c->running = 1;
	b->running++;
	b->stats.requests++;
	b->stats.in_flight++;
	c->t_start = now_ns();
	if (b->nstarts) {
		b->starts[b->start_head] = now_ms();
		b->start_head = (b->start_head + 1) % b->nstarts;
	}
	if (!b->proto) {
		/* The demo "thinks" for a while, deterministically per question. */
		uint64_t h = 14695981039346656037ULL;
		const char *q = c->question ? c->question : "";

		for (; *q; q++)
			h = (h ^ (unsigned char)*q) * 1099511628211ULL;
		uv_timer_start(&c->timer, on_demo_timer, 20 + h % 60 + (uint64_t)c->turn * 10, 0);
		return;
	}
	if (start_transfer(c) < 0) {
		c->running = 0;
		b->running--;
		finish(c);
	}
}

/* Whether the rate limit allows a start now; else *wait_ms until it does. */
static int
rate_allows(struct backend *b, uint64_t *wait_ms)
{
	uint64_t oldest, now = now_ms();

	if (b->paused_until > now) {
		*wait_ms = b->paused_until - now;
		return 0;
	}
	if (!b->nstarts)
		return 1;
	oldest = b->starts[b->start_head]; /* the slot the next start overwrites */
	if (oldest && now - oldest < RPM_WINDOW_MS) {
		*wait_ms = RPM_WINDOW_MS - (now - oldest);
		return 0;
	}
	return 1;
}

static void
on_wake(uv_timer_t *t)
{
	dispatch(t->data);
}

static void
dispatch(struct backend *b)
{
	struct call *c;
	uint64_t wait;

	if (b->closing)
		return;
	for (c = b->calls; c && b->running < b->cfg->concurrency; c = c->next) {
		if (!c->queued)
			continue;
		if (!rate_allows(b, &wait)) {
			uv_timer_start(&b->wake, on_wake, wait + 1, 0);
			return;
		}
		c->queued = 0;
		b->queued--;
		start(c);
	}
}

static void
on_retry_timer(uv_timer_t *t)
{
	struct call *c = t->data;

	c->queued = 1;
	c->b->queued++;
	dispatch(c->b);
}

/* Seconds to wait before attempt n+1: what the server asked, else backoff. */
static double
backoff(const struct call *c)
{
	double base = 1.0 * pow(2.0, c->attempts - 1), jitter;

	if (c->retry_after >= 0)
		return c->retry_after > 300 ? 300 : c->retry_after;
	if (c->status == 503 || c->status == 529)
		base *= 2; /* overloaded: back off harder */
	if (base > 60)
		base = 60;
	jitter = base * 0.25 * ((double)(now_ns() % 1000) / 1000.0);
	return base + jitter;
}

static void
record_latency(struct backend *b, double seconds)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(buckets) && seconds > buckets[i]; i++)
		;
	b->stats.latency_buckets[i]++;
	b->stats.latency_sum += seconds;
	b->stats.latency_count++;
}

static void
finish(struct call *c)
{
	struct backend *b = c->b;
	struct chat_result r;
	double total_ms = (double)(now_ns() - c->t_start) / 1e6;

	b->stats.in_flight--;
	record_latency(b, total_ms / 1000.0);
	if (c->error[0]) {
		b->stats.errors++;
		/*
		 * Only transient failures say the backend itself is unwell; a
		 * model it does not have or a key it refuses is that job's
		 * error and must not hold up the backend's other models.
		 */
		if (c->retryable)
			b->failures++;
		if (b->failures >= PAUSE_AFTER && b->proto && b->cfg->pause_s > 0) {
			b->paused_until = now_ms() + (uint64_t)b->cfg->pause_s * 1000;
			log_warn("backend", "%s: %d transient failures in a row; pausing for %ld s",
				 b->cfg->name, b->failures, b->cfg->pause_s);
			b->failures = 0;
		}
		if (c->retryable && c->attempts <= b->cfg->retries && !b->closing) {
			double wait = backoff(c);

			b->stats.retries++;
			log_info("backend", "%s: %s; retry %d of %ld in %.1f s", b->cfg->name,
				 c->error, c->attempts, b->cfg->retries, wait);
			uv_timer_start(&c->timer, on_retry_timer, (uint64_t)(wait * 1000), 0);
			dispatch(b);
			return;
		}
	} else {
		b->failures = 0;
	}
	memset(&r, 0, sizeof r);
	r.ok = !c->error[0];
	r.content = c->content.data ? c->content.data : "";
	r.content_len = c->content.len;
	r.reasoning = c->reasoning.data ? c->reasoning.data : "";
	r.reasoning_len = c->reasoning.len;
	r.finish_reason = c->finish[0] ? c->finish : NULL;
	r.prompt_tokens = c->prompt_tokens;
	r.completion_tokens = c->completion_tokens;
	r.reasoning_tokens = c->reasoning_tokens;
	r.ttft_ms = c->t_first ? (double)(c->t_first - c->t_start) / 1e6 : total_ms;
	r.total_ms = total_ms;
	r.tokens_per_s = c->tokens_per_s;
	if (r.tokens_per_s <= 0 && c->completion_tokens > 0 && c->t_first &&
	    total_ms > r.ttft_ms + 1)
		r.tokens_per_s = (double)c->completion_tokens / ((total_ms - r.ttft_ms) / 1000.0);
	r.usage_json = c->usage_json;
	r.http_status = c->status;
	r.attempts = c->attempts;
	r.error = c->error[0] ? c->error : NULL;
	/* Out of the list first: the callback may cancel everything. */
	unlink_call(c);
	c->fn(&r, c->arg);
	uv_timer_stop(&c->timer);
	uv_close((uv_handle_t *)&c->timer, on_call_closed);
	dispatch(b);
}

int
backend_chat(struct backend *b, const struct chat_request *req, backend_done_fn fn, void *arg)
{
	struct call *c;
	size_t i;

	if (b->closing)
		return -1;
	c = xcalloc(1, sizeof *c);
	c->b = b;
	uv_timer_init(b->loop, &c->timer);
	c->timer.data = c;
	c->model = xstrdup(req->model);
	c->system = req->system ? xstrdup(req->system) : NULL;
	c->question = req->question ? xstrdup(req->question) : NULL;
	c->turn = req->turn;
	if (req->options)
		c->opt = *req->options;
	c->msgs = xcalloc(req->nmessages ? req->nmessages : 1, sizeof *c->msgs);
	for (i = 0; i < req->nmessages; i++) {
		c->msgs[i].role = xstrdup(req->messages[i].role);
		c->msgs[i].content = xstrdup(req->messages[i].content);
	}
	c->nmsgs = req->nmessages;
	c->fn = fn;
	c->arg = arg;
	buf_init(&c->content, RESPONSE_MAX);
	buf_init(&c->reasoning, RESPONSE_MAX);
	buf_init(&c->errbody, ERRBODY_MAX);
	sse_init(&c->dec, b->proto ? b->proto->ndjson : 0, RESPONSE_MAX, on_event, c);
	c->retry_after = -1;
	c->next = b->calls;
	if (b->calls)
		b->calls->prev = c;
	b->calls = c;
	c->queued = 1;
	b->queued++;
	dispatch(b);
	return 0;
}

/* --- models ------------------------------------------------------------------ */

struct models_req {
	struct backend *b;
	CURL *easy;
	struct curl_slist *hdrs;
	struct buf body;
	backend_models_fn fn;
	void *arg;
	char *url;
};

static size_t
on_models_body(char *p, size_t size, size_t n, void *arg)
{
	struct models_req *m = arg;

	return buf_append(&m->body, p, size * n) < 0 ? 0 : size * n;
}

static void
on_models_done(CURL *easy, CURLcode rc, void *arg)
{
	struct models_req *m = arg;
	struct backend_model list[256];
	char err[512];
	long status = 0;
	json_t *root;
	int n = -1;

	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
	if (rc != CURLE_OK) {
		snprintf(err, sizeof err, "%s: %s", m->url, curl_easy_strerror(rc));
	} else if (status != 200) {
		snprintf(err, sizeof err, "%s: HTTP %ld", m->url, status);
	} else if (!(root = json_loadb(m->body.data ? m->body.data : "", m->body.len, 0, NULL))) {
		snprintf(err, sizeof err, "%s: the model list is not JSON", m->url);
	} else {
		n = m->b->proto->models_parse(root, list, (int)ARRAY_SIZE(list));
		json_decref(root);
		if (n < 0)
			snprintf(err, sizeof err, "%s: cannot read the model list", m->url);
	}
	m->fn(n >= 0 ? list : NULL, n, n >= 0 ? NULL : err, m->arg);
	curl_easy_cleanup(easy);
	if (m->hdrs)
		curl_slist_free_all(m->hdrs);
	buf_deinit(&m->body);
	free(m->url);
	free(m);
}

static void
on_demo_models(uv_timer_t *t)
{
	struct models_req *m = t->data;
	struct backend_model list[2];

	memset(list, 0, sizeof list);
	snprintf(list[0].name, sizeof list[0].name, "demo-direct");
	snprintf(list[0].digest, sizeof list[0].digest, "simulated-direct-1");
	snprintf(list[1].name, sizeof list[1].name, "demo-reasoner");
	snprintf(list[1].digest, sizeof list[1].digest, "simulated-reasoner-1");
	m->fn(list, 2, NULL, m->arg);
	uv_close((uv_handle_t *)t, (uv_close_cb)free);
	free(m);
}

int
backend_models(struct backend *b, backend_models_fn fn, void *arg)
{
	struct models_req *m = xcalloc(1, sizeof *m);
	struct curl_slist *h = NULL;

	m->b = b;
	m->fn = fn;
	m->arg = arg;
	if (!b->proto) {
		uv_timer_t *t = xmalloc(sizeof *t);

		uv_timer_init(b->loop, t);
		t->data = m;
		uv_timer_start(t, on_demo_models, 0, 0);
		return 0;
	}
	m->url = b->proto->models_url(b->cfg);
	buf_init(&m->body, 4u << 20);
	m->easy = curl_easy_init();
	curl_easy_setopt(m->easy, CURLOPT_URL, m->url);
	curl_easy_setopt(m->easy, CURLOPT_WRITEFUNCTION, on_models_body);
	curl_easy_setopt(m->easy, CURLOPT_WRITEDATA, m);
	curl_easy_setopt(m->easy, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
	curl_easy_setopt(m->easy, CURLOPT_TIMEOUT_MS, 15000L);
	curl_easy_setopt(m->easy, CURLOPT_NOSIGNAL, 1L);
	if (b->key && b->cfg->kind == BACKEND_ANTHROPIC) {
		char *hk = xasprintf("x-api-key: %s", b->key);

		h = curl_slist_append(h, hk);
		h = curl_slist_append(h, "anthropic-version: 2023-06-01");
		free(hk);
	} else if (b->key) {
		char *hk = xasprintf("Authorization: Bearer %s", b->key);

		h = curl_slist_append(h, hk);
		free(hk);
	}
	m->hdrs = h;
	if (h)
		curl_easy_setopt(m->easy, CURLOPT_HTTPHEADER, h);
	if (curlloop_add(b->cl, m->easy, on_models_done, m) < 0) {
		if (h)
			curl_slist_free_all(h);
		curl_easy_cleanup(m->easy);
		buf_deinit(&m->body);
		free(m->url);
		free(m);
		return -1;
	}
	return 0;
}

/* --- life -------------------------------------------------------------------- */

int
backend_new(struct backend **bp, uv_loop_t *loop, struct curlloop *cl,
	    const struct config_backend *cfg, const struct catalog *cat)
{
	struct backend *b = xcalloc(1, sizeof *b);
	const char *key;

	b->loop = loop;
	b->cl = cl;
	b->cfg = cfg;
	b->cat = cat;
	switch (cfg->kind) {
	case BACKEND_OLLAMA: b->proto = &proto_ollama; break;
	case BACKEND_OPENAI: b->proto = &proto_openai; break;
	case BACKEND_ANTHROPIC: b->proto = &proto_anthropic; break;
	default: b->proto = NULL; break;
	}
	if (cfg->api_key_env && cfg->api_key_env[0] && (key = getenv(cfg->api_key_env)) && *key)
		b->key = xstrdup(key);
	if (cfg->rpm > 0) {
		b->nstarts = (size_t)cfg->rpm;
		b->starts = xcalloc(b->nstarts, sizeof *b->starts);
	}
	uv_timer_init(loop, &b->wake);
	b->wake.data = b;
	*bp = b;
	return 0;
}

void
backend_cancel_all(struct backend *b)
{
	struct call *c, *next;

	for (c = b->calls; c; c = next) {
		next = c->next;
		if (c->running) {
			if (c->easy)
				curlloop_remove(b->cl, c->easy);
			b->running--;
			b->stats.in_flight--;
		}
		if (c->queued)
			b->queued--;
		free_call(c);
	}
	uv_timer_stop(&b->wake);
}

static void
on_wake_closed(uv_handle_t *h)
{
	struct backend *b = h->data;

	free(b->starts);
	free(b->key);
	free(b);
}

void
backend_free(struct backend **bp)
{
	struct backend *b = *bp;

	if (!b)
		return;
	*bp = NULL;
	backend_cancel_all(b);
	b->closing = 1;
	uv_close((uv_handle_t *)&b->wake, on_wake_closed);
}

char *
backend_options_json(const struct config_backend *b, const struct model_options *o)
{
	json_t *j = json_object();
	char *s;

	json_object_set_new(j, "backend", json_string(b->name));
	json_object_set_new(j, "kind", json_string(backend_kind_name(b->kind)));
	if (o->has_temperature)
		json_object_set_new(j, "temperature", json_real(o->temperature));
	if (o->has_top_p)
		json_object_set_new(j, "top_p", json_real(o->top_p));
	if (o->has_top_k)
		json_object_set_new(j, "top_k", json_integer(o->top_k));
	if (o->has_seed)
		json_object_set_new(j, "seed", json_integer(o->seed));
	if (o->has_num_ctx)
		json_object_set_new(j, "num_ctx", json_integer(o->num_ctx));
	if (o->has_max_tokens)
		json_object_set_new(j, "max_tokens", json_integer(o->max_tokens));
	json_object_set_new(j, "think", json_boolean(o->has_think && o->think));
	s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}
