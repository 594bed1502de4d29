/*
 * api.c - the JSON API and /metrics.
 *
 * Every error is JSON: {"error": "...", "status": N}.  When the variable
 * named by token_env (AMICUS_TOKEN by default) is set, every route but
 * /api/health wants "Authorization: Bearer <token>"; the comparison takes
 * the same time whatever the guess.  Inputs are checked for type and range
 * before anything is done with them; SQL only ever sees bound parameters.
 */
#include "amconfig.h"

#include "api.h"
#include "compare.h"
#include "events.h"
#include "launch.h"
#include "log.h"
#include "query.h"
#include "report.h"
#include "review.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIST 500

static int
token_set(const struct daemon *d)
{
	const char *v =
		d->e.cfg.token_env && *d->e.cfg.token_env ? getenv(d->e.cfg.token_env) : NULL;

	return v && *v;
}

/* Whether the server listens on a loopback address only. */
static int
loopback_only(const struct daemon *d)
{
	const char *l = d->listen_override ? d->listen_override : d->e.cfg.listen;

	return strncmp(l, "127.", 4) == 0 || strncmp(l, "[::1]:", 6) == 0 ||
	       strncmp(l, "localhost:", 10) == 0;
}

/*
 * Requests that change something (start a run, overrule a verdict) need
 * the token when one is set; without one, only a loopback-only server
 * takes them, since anyone who can reach the port could send them.
 */
static int
writes_allowed(const struct daemon *d)
{
	return token_set(d) || loopback_only(d);
}

static int
refuse_writes(const struct daemon *d, struct http_request *r)
{
	if (writes_allowed(d))
		return 0;
	http_respond_error(r, 403,
			   "this server listens beyond loopback without a token: set %s to allow "
			   "starting runs and reviews",
			   d->e.cfg.token_env ? d->e.cfg.token_env : "AMICUS_TOKEN");
	return 1;
}

/* ?run=ID|latest (default latest) into *run (0: none finished); -1 on a bad value. */
static int
run_param(struct daemon *d, const struct http_request *r, int64_t *run)
{
	char buf[32];
	const char *v = http_query(r, "run", buf, sizeof buf);

	if (!v || !*v || strcmp(v, "latest") == 0) {
		*run = query_latest_run(store_db(d->e.store));
		return 0;
	}
	*run = 0;
	for (; *v; v++) {
		if (*v < '0' || *v > '9' || *run > INT64_MAX / 10 - 10)
			return -1;
		*run = *run * 10 + (*v - '0');
	}
	return *run > 0 ? 0 : -1;
}

static int
token_ok(const struct daemon *d, const struct http_request *r)
{
	const char *want =
		d->e.cfg.token_env && *d->e.cfg.token_env ? getenv(d->e.cfg.token_env) : NULL;
	const char *got = http_header(r, "authorization");
	size_t i, wl, gl;
	unsigned diff = 0;

	if (!want || !*want)
		return 1;
	if (!got || strncmp(got, "Bearer ", 7) != 0)
		return 0;
	got += 7;
	wl = strlen(want);
	gl = strlen(got);
	diff = (unsigned)(wl ^ gl);
	for (i = 0; i < wl; i++)
		diff |= (unsigned char)want[i] ^ (unsigned char)(i < gl ? got[i] : 0);
	return diff == 0;
}

/* Parses a positive id from s (all of it); 0 when it is not one. */
static int64_t
parse_id(const char *s)
{
	char *end;
	long long v;

	if (!*s || *s == '-' || *s == '+')
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v <= 0)
		return 0;
	return (int64_t)v;
}

static int
query_int(const struct http_request *r, const char *key, int def, int min, int max, int *out)
{
	char buf[32];
	const char *v = http_query(r, key, buf, sizeof buf);
	char *end;
	long n;

	*out = def;
	if (!v)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || !*v || n < min || n > max)
		return -1;
	*out = (int)n;
	return 0;
}

/*
 * Monitors poll /api/health often; its answer is rebuilt at most every
 * HEALTH_TTL_MS (or when the figures move), so a busy poller costs a
 * copy, not a dozen queries.
 */
#define HEALTH_TTL_MS 200

static void health_build(struct daemon *d);

static void
health(struct daemon *d, struct http_request *r)
{
	uint64_t now = uv_now(d->loop);

	if (!d->health.body || d->health.gen != d->gen || now - d->health.at >= HEALTH_TTL_MS) {
		health_build(d);
		d->health.gen = d->gen;
		d->health.at = now;
	}
	http_respond(r, 200, "application/json", d->health.body, d->health.len,
		     "Cache-Control: no-store\r\n");
}

static void
health_build(struct daemon *d)
{
	json_t *backends = json_array(), *o;
	const char *next_name = NULL;
	time_t next = d->sched ? sched_next(d->sched, &next_name) : 0;
	int64_t running, done, failed, cancelled;
	size_t i;

	for (i = 0; i < d->e.cfg.nbackends; i++) {
		const struct config_backend *b = &d->e.cfg.backends[i];
		json_t *models = json_array();
		size_t k;

		for (k = 0; k < b->nmodels; k++)
			json_array_append_new(models, json_string(b->models[k].name));
		json_array_append_new(
			backends, json_pack("{s:s, s:s, s:o, s:i, s:b}", "name", b->name, "kind",
					    backend_kind_name(b->kind), "models", models, "busy",
					    i < d->e.nbackends ? backend_busy(d->e.backends[i]) : 0,
					    "simulated", b->kind == BACKEND_DEMO));
	}
	store_run_states(d->e.store, &running, &done, &failed, &cancelled);
	o = json_pack("{s:s, s:s, s:I, s:s?, s:I, s:i, s:o, s:I, s:i}", "status", "ok", "version",
		      PACKAGE_VERSION, "uptime_s", (json_int_t)(time(NULL) - d->started), "config",
		      d->e.cfg_path, "questions", (json_int_t)d->e.cat.bank.n, "schema",
		      store_schema_version(d->e.store), "backends", backends, "runs_running",
		      (json_int_t)running, "jobs_active", d->runner ? runner_active(d->runner) : 0);
	if (next)
		json_object_set_new(
			o, "next_schedule",
			json_pack("{s:s, s:I}", "name", next_name, "at", (json_int_t)next));
	json_object_set_new(o, "last_run",
			    query_run_brief(store_db(d->e.store), store_last_run(d->e.store)));
	/* A write refused in the last ten minutes (a full disk): say so. */
	if (d->store_error[0] && time(NULL) - d->store_error_at < 600) {
		json_object_set_new(o, "status", json_string("degraded"));
		json_object_set_new(o, "store_error",
				    json_pack("{s:s, s:I}", "message", d->store_error, "at",
					      (json_int_t)d->store_error_at));
	}
	json_object_set_new(o, "auth",
			    json_pack("{s:b, s:b}", "token_required", token_set(d),
				      "writes_allowed", writes_allowed(d)));
	free(d->health.body);
	d->health.body = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_SORT_KEYS);
	d->health.len = d->health.body ? strlen(d->health.body) : 0;
	json_decref(o);
}

static void
runs_list(struct daemon *d, struct http_request *r)
{
	int limit;

	if (query_int(r, "limit", 50, 1, MAX_LIST, &limit) < 0) {
		http_respond_error(r, 400, "limit must be a whole number from 1 to %d", MAX_LIST);
		return;
	}
	http_respond_json(r, 200, json_pack("{s:o}", "runs", store_runs_json(d->e.store, limit)));
}

static void
run_get(struct daemon *d, struct http_request *r, const char *id)
{
	int64_t run = parse_id(id);
	json_t *o;

	if (!run) {
		http_respond_error(r, 400, "a run id is a positive whole number");
		return;
	}
	o = store_run_json(d->e.store, run);
	if (!o) {
		http_respond_error(r, 404, "no run %lld", (long long)run);
		return;
	}
	json_object_set_new(o, "summary",
			    store_run_summary_json(d->e.store, run, &d->e.cfg.thresholds));
	json_object_set_new(o, "agreement", store_run_agreement_json(d->e.store, run));
	http_respond_json(r, 200, o);
}

static void
on_launched(int64_t run, const char *error, void *arg)
{
	struct http_request *r = arg;

	if (!run) {
		http_respond_error(r, 500, "%s", error ? error : "the run could not be created");
		return;
	}
	http_respond_json(r, 202,
			  json_pack("{s:I, s:s}", "run_id", (json_int_t)run, "status", "running"));
}

static void
runs_post(struct daemon *d, struct http_request *r)
{
	json_error_t jerr;
	json_t *body = NULL, *models, *suite, *samples, *m;
	const char *names[64];
	struct am_err err;
	size_t n = 0, i;
	int k = 1;

	if (refuse_writes(d, r))
		return;
	if (r->body_len) {
		body = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
		if (!body) {
			http_respond_error(r, 400, "the body is not JSON: %s (line %d)", jerr.text,
					   jerr.line);
			return;
		}
	} else {
		body = json_object();
	}
	if (!json_is_object(body)) {
		json_decref(body);
		http_respond_error(r, 400, "the body must be a JSON object");
		return;
	}
	models = json_object_get(body, "models");
	suite = json_object_get(body, "suite");
	samples = json_object_get(body, "samples");
	if (models && !json_is_null(models)) {
		if (!json_is_array(models) || json_array_size(models) > ARRAY_SIZE(names)) {
			json_decref(body);
			http_respond_error(r, 400, "models must be a list of up to %zu model names",
					   ARRAY_SIZE(names));
			return;
		}
		json_array_foreach(models, i, m)
		{
			if (!json_is_string(m) || json_string_length(m) == 0 ||
			    json_string_length(m) > 200) {
				json_decref(body);
				http_respond_error(r, 400, "models[%zu] must be a model name", i);
				return;
			}
			names[n++] = json_string_value(m);
		}
	}
	if (suite && !json_is_null(suite) &&
	    (!json_is_string(suite) || json_string_length(suite) > 4000)) {
		json_decref(body);
		http_respond_error(r, 400,
				   "suite must be text: all, area:NAME, tag:NAME, lang:zh|en "
				   "or question ids");
		return;
	}
	if (samples && !json_is_null(samples)) {
		if (!json_is_integer(samples) || json_integer_value(samples) < 1 ||
		    json_integer_value(samples) > 100) {
			json_decref(body);
			http_respond_error(r, 400, "samples must be a whole number from 1 to 100");
			return;
		}
		k = (int)json_integer_value(samples);
	}
	if (daemon_launch(d, "api", suite ? json_string_value(suite) : "all", names, n, k,
			  on_launched, r, &err) < 0) {
		json_decref(body);
		http_respond_error(r, 422, "%s", err.msg);
		return;
	}
	json_decref(body);
}

/* Escapes a Prometheus label value. */
static void
label(struct buf *b, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			buf_printf(b, "\\%c", *v);
		else if (*v == '\n')
			buf_puts(b, "\\n");
		else
			buf_append(b, v, 1);
	}
}

static void
metrics(struct daemon *d, struct http_request *r)
{
	static const char *const les[] = {"0.1", "0.25", "0.5", "1",   "2.5", "5",
					  "10",  "30",   "60",  "120", "300", "+Inf"};
	const struct http_stats *hs = d->http ? http_server_stats(d->http) : NULL;
	int64_t running, done, failed, cancelled, pending, inflight, jdone, jerror;
	struct buf b;
	size_t i, k;

	buf_init(&b, 0);
	store_run_states(d->e.store, &running, &done, &failed, &cancelled);
	store_job_states(d->e.store, &pending, &inflight, &jdone, &jerror);
	buf_printf(&b,
		   "# HELP amicus_runs Runs in the database, by status.\n"
		   "# TYPE amicus_runs gauge\n"
		   "amicus_runs{status=\"running\"} %lld\namicus_runs{status=\"done\"} %lld\n"
		   "amicus_runs{status=\"failed\"} %lld\namicus_runs{status=\"cancelled\"} %lld\n"
		   "# HELP amicus_runs_started_total Runs this daemon started.\n"
		   "# TYPE amicus_runs_started_total counter\n"
		   "amicus_runs_started_total %llu\n"
		   "# HELP amicus_jobs Jobs in the database, by state.\n"
		   "# TYPE amicus_jobs gauge\n"
		   "amicus_jobs{state=\"pending\"} %lld\namicus_jobs{state=\"inflight\"} %lld\n"
		   "amicus_jobs{state=\"done\"} %lld\namicus_jobs{state=\"error\"} %lld\n"
		   "# HELP amicus_jobs_finished_total Jobs this daemon finished, by outcome.\n"
		   "# TYPE amicus_jobs_finished_total counter\n"
		   "amicus_jobs_finished_total{outcome=\"done\"} %llu\n"
		   "amicus_jobs_finished_total{outcome=\"error\"} %llu\n"
		   "# HELP amicus_config_reloads_total Configuration reloads, by outcome.\n"
		   "# TYPE amicus_config_reloads_total counter\n"
		   "amicus_config_reloads_total{outcome=\"ok\"} %llu\n"
		   "amicus_config_reloads_total{outcome=\"rejected\"} %llu\n",
		   (long long)running, (long long)done, (long long)failed, (long long)cancelled,
		   (unsigned long long)d->stats.runs_started, (long long)pending,
		   (long long)inflight, (long long)jdone, (long long)jerror,
		   (unsigned long long)d->stats.jobs_done, (unsigned long long)d->stats.jobs_failed,
		   (unsigned long long)d->stats.reloads,
		   (unsigned long long)d->stats.reload_errors);
	buf_puts(&b, "# HELP amicus_backend_requests_total Requests sent to a backend.\n"
		     "# TYPE amicus_backend_requests_total counter\n"
		     "# HELP amicus_backend_errors_total Requests that failed.\n"
		     "# TYPE amicus_backend_errors_total counter\n"
		     "# HELP amicus_backend_retries_total Requests retried.\n"
		     "# TYPE amicus_backend_retries_total counter\n"
		     "# HELP amicus_backend_in_flight Requests under way.\n"
		     "# TYPE amicus_backend_in_flight gauge\n"
		     "# HELP amicus_backend_latency_seconds Time to a complete answer.\n"
		     "# TYPE amicus_backend_latency_seconds histogram\n");
	for (i = 0; i < d->e.nbackends; i++) {
		const struct backend_stats *s = backend_stats(d->e.backends[i]);
		const char *name = d->e.cfg.backends[i].name;
		uint64_t cum = 0;

#define LINE(metric, value)                                                \
	do {                                                               \
		buf_puts(&b, metric "{backend=\"");                        \
		label(&b, name);                                           \
		buf_printf(&b, "\"} %llu\n", (unsigned long long)(value)); \
	} while (0)
		LINE("amicus_backend_requests_total", s->requests);
		LINE("amicus_backend_errors_total", s->errors);
		LINE("amicus_backend_retries_total", s->retries);
		LINE("amicus_backend_in_flight", s->in_flight);
#undef LINE
		for (k = 0; k < ARRAY_SIZE(les); k++) {
			cum += s->latency_buckets[k];
			buf_puts(&b, "amicus_backend_latency_seconds_bucket{backend=\"");
			label(&b, name);
			buf_printf(&b, "\",le=\"%s\"} %llu\n", les[k], (unsigned long long)cum);
		}
		buf_puts(&b, "amicus_backend_latency_seconds_sum{backend=\"");
		label(&b, name);
		buf_printf(&b, "\"} %.6f\n", s->latency_sum);
		buf_puts(&b, "amicus_backend_latency_seconds_count{backend=\"");
		label(&b, name);
		buf_printf(&b, "\"} %llu\n", (unsigned long long)s->latency_count);
	}
	if (hs)
		buf_printf(&b,
			   "# HELP amicus_http_requests_total HTTP requests received.\n"
			   "# TYPE amicus_http_requests_total counter\n"
			   "amicus_http_requests_total %llu\n"
			   "# HELP amicus_http_responses_total HTTP responses, by class.\n"
			   "# TYPE amicus_http_responses_total counter\n"
			   "amicus_http_responses_total{class=\"2xx\"} %llu\n"
			   "amicus_http_responses_total{class=\"3xx\"} %llu\n"
			   "amicus_http_responses_total{class=\"4xx\"} %llu\n"
			   "amicus_http_responses_total{class=\"5xx\"} %llu\n"
			   "# HELP amicus_http_connections Open HTTP connections.\n"
			   "# TYPE amicus_http_connections gauge\n"
			   "amicus_http_connections %llu\n",
			   (unsigned long long)hs->requests, (unsigned long long)hs->responses_2xx,
			   (unsigned long long)hs->responses_3xx,
			   (unsigned long long)hs->responses_4xx,
			   (unsigned long long)hs->responses_5xx,
			   (unsigned long long)hs->connections_open);
	http_respond(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len,
		     "Cache-Control: no-store\r\n");
	buf_deinit(&b);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void
bad_run(struct http_request *r)
{
	http_respond_error(r, 400, "run must be a run id or 'latest'");
}

static void
run_events(struct daemon *d, struct http_request *r, const char *idpath)
{
	char id[32];
	size_t n = strcspn(idpath, "/");
	int64_t run;
	json_t *o;

	if (n >= sizeof id) {
		http_respond_error(r, 400, "a run id is a positive whole number");
		return;
	}
	memcpy(id, idpath, n);
	id[n] = '\0';
	run = parse_id(id);
	if (!run) {
		http_respond_error(r, 400, "a run id is a positive whole number");
		return;
	}
	o = store_run_json(d->e.store, run);
	if (!o) {
		http_respond_error(r, 404, "no run %lld", (long long)run);
		return;
	}
	json_decref(o);
	events_subscribe(d->events, r, run);
}

static void
leaderboard(struct daemon *d, struct http_request *r)
{
	int64_t run;

	if (run_param(d, r, &run) < 0) {
		bad_run(r);
		return;
	}
	/* The figures of a finished run change only with a review or a reload. */
	if (!d->board.body || d->board.run != run || d->board.gen != d->gen) {
		json_t *o = query_leaderboard(store_db(d->e.store), run, &d->e.cfg.thresholds);
		char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_SORT_KEYS);

		json_decref(o);
		if (!s) {
			http_respond_error(r, 500, "the leaderboard could not be written");
			return;
		}
		free(d->board.body);
		d->board.body = s;
		d->board.len = strlen(s);
		d->board.run = run;
		d->board.gen = d->gen;
	}
	http_respond(r, 200, "application/json", d->board.body, d->board.len,
		     "Cache-Control: no-store\r\n");
}

/* ?key=0|1 into *v (-1 when absent); -1 on anything else. */
static int
flag_param(const struct http_request *r, const char *key, int *v)
{
	return query_int(r, key, -1, 0, 1, v);
}

/*
 * Counting the answers of a large run is the slow part of a page; the
 * count of a finished run only changes with a review, so it is kept,
 * per filter, until d->gen moves.
 */
static void
answers_page(struct daemon *d, struct http_request *r, const struct answer_filter *f)
{
	char key[sizeof d->counts[0].key];
	size_t slot = 0, i;
	int64_t total = -1;
	json_t *o, *run = query_run_brief(store_db(d->e.store), f->run);
	int finished = json_is_object(run) &&
		       strcmp(json_string_value(json_object_get(run, "status")), "running") != 0;

	json_decref(run);
	snprintf(key, sizeof key, "%lld|%s|%s|%s|%d|%d", (long long)f->run,
		 f->model ? f->model : "", f->question ? f->question : "", f->area ? f->area : "",
		 f->passed, f->hallucinated);
	for (i = 0; finished && i < ARRAY_SIZE(d->counts); i++) {
		if (d->counts[i].gen == d->gen && strcmp(d->counts[i].key, key) == 0) {
			total = d->counts[i].total;
			break;
		}
		if (d->counts[i].gen != d->gen || d->counts[i].total < d->counts[slot].total)
			slot = i; /* a stale entry, or the cheapest to count again */
	}
	o = query_answers(store_db(d->e.store), f, total);
	if (!o) {
		http_respond_error(r, 500, "the answers could not be read");
		return;
	}
	if (finished && total < 0) {
		snprintf(d->counts[slot].key, sizeof d->counts[slot].key, "%s", key);
		d->counts[slot].gen = d->gen;
		d->counts[slot].total = json_integer_value(json_object_get(o, "total"));
	}
	http_respond_json(r, 200, o);
}

static void
answers(struct daemon *d, struct http_request *r)
{
	struct answer_filter f;
	char model[256], question[256], area[128];

	memset(&f, 0, sizeof f);
	if (run_param(d, r, &f.run) < 0) {
		bad_run(r);
		return;
	}
	f.model = http_query(r, "model", model, sizeof model);
	f.question = http_query(r, "question", question, sizeof question);
	f.area = http_query(r, "area", area, sizeof area);
	if (flag_param(r, "passed", &f.passed) < 0 ||
	    flag_param(r, "hallucinated", &f.hallucinated) < 0) {
		http_respond_error(r, 400, "passed and hallucinated are 0 or 1");
		return;
	}
	if (query_int(r, "page", 1, 1, 1000000, &f.page) < 0 ||
	    query_int(r, "per_page", 50, 1, 200, &f.per_page) < 0) {
		http_respond_error(r, 400, "page is 1 or more, per_page 1 to 200");
		return;
	}
	if (f.model && !*f.model)
		f.model = NULL;
	if (f.question && !*f.question)
		f.question = NULL;
	if (f.area && !*f.area)
		f.area = NULL;
	answers_page(d, r, &f);
}

static void
answer(struct daemon *d, struct http_request *r, const char *id)
{
	int64_t n = parse_id(id);
	json_t *o;

	if (!n) {
		http_respond_error(r, 400, "an answer id is a positive whole number");
		return;
	}
	o = query_answer(store_db(d->e.store), &d->e.cat, n);
	if (!o)
		http_respond_error(r, 404, "no answer %lld", (long long)n);
	else
		http_respond_json(r, 200, o);
}

static void
questions(struct daemon *d, struct http_request *r)
{
	int64_t run;

	if (run_param(d, r, &run) < 0) {
		bad_run(r);
		return;
	}
	http_respond_json(r, 200, query_questions(store_db(d->e.store), &d->e.cat, run));
}

static void
question(struct daemon *d, struct http_request *r, const char *id)
{
	int64_t run;
	json_t *o;

	if (run_param(d, r, &run) < 0) {
		bad_run(r);
		return;
	}
	o = query_question(store_db(d->e.store), &d->e.cat, id, run);
	if (!o)
		http_respond_error(r, 404, "no question %.200s in the bank", id);
	else
		http_respond_json(r, 200, o);
}

static void
compare(struct daemon *d, struct http_request *r)
{
	char a[256], b[256];
	const char *ma = http_query(r, "a", a, sizeof a), *mb = http_query(r, "b", b, sizeof b);
	struct am_err err;
	int64_t run;
	json_t *o;

	if (run_param(d, r, &run) < 0) {
		bad_run(r);
		return;
	}
	if (!ma || !mb || !*ma || !*mb || strcmp(ma, mb) == 0) {
		http_respond_error(r, 400, "name two different models: ?a=MODEL&b=MODEL");
		return;
	}
	if (!run) {
		http_respond_error(r, 404, "no run has finished yet");
		return;
	}
	o = compare_models(store_db(d->e.store), run, ma, mb, &err);
	if (!o)
		http_respond_error(r, 404, "%s", err.msg);
	else
		http_respond_json(r, 200, o);
}

static void
trends(struct daemon *d, struct http_request *r)
{
	char metric[64], model[256], area[128];
	const char *me = http_query(r, "metric", metric, sizeof metric);
	const char *mo = http_query(r, "model", model, sizeof model);
	const char *ar = http_query(r, "area", area, sizeof area);
	int limit;
	json_t *o;

	if (query_int(r, "limit", 30, 1, 1000, &limit) < 0) {
		http_respond_error(r, 400, "limit is 1 to 1000");
		return;
	}
	o = query_trends(store_db(d->e.store), me && *me ? me : "pass_rate", mo && *mo ? mo : NULL,
			 ar && *ar ? ar : "*", limit);
	if (!o)
		http_respond_error(r, 400,
				   "metric is one of pass_rate, hallucination_rate, mean_score, "
				   "abstention_rate, loop_rate, mix_rate, reasoning_share, p50_ms");
	else
		http_respond_json(r, 200, o);
}

static void
reviews_get(struct daemon *d, struct http_request *r)
{
	char q[256], buf[32];
	const char *question = http_query(r, "question", q, sizeof q);
	int64_t run = 0;

	/* Here no run means every run, not the latest. */
	if (http_query(r, "run", buf, sizeof buf) && run_param(d, r, &run) < 0) {
		bad_run(r);
		return;
	}
	http_respond_json(
		r, 200,
		query_reviews(store_db(d->e.store), run, question && *question ? question : NULL));
}

/* A string field of 1..max characters (code points), or NULL. */
static const char *
text_field(json_t *o, const char *key, size_t max)
{
	json_t *v = json_object_get(o, key);
	const char *s = json_string_value(v);
	size_t n = 0;

	if (!s || !*s)
		return NULL;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n <= max ? json_string_value(v) : NULL;
}

static void
reviews_post(struct daemon *d, struct http_request *r)
{
	struct review_ruling rv;
	json_error_t jerr;
	struct am_err err;
	json_t *body, *out = NULL, *id, *hit;
	enum review_error e;

	if (refuse_writes(d, r))
		return;
	body = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(body)) {
		json_decref(body);
		http_respond_error(r, 400, "the body must be a JSON object: %s", jerr.text);
		return;
	}
	memset(&rv, 0, sizeof rv);
	id = json_object_get(body, "answer_id");
	hit = json_object_get(body, "hit");
	rv.kind = json_string_value(json_object_get(body, "kind"));
	rv.item = text_field(body, "item", 200);
	rv.reason = text_field(body, "reason", 1000);
	rv.reviewer = text_field(body, "reviewer", 100);
	if (!json_is_integer(id) || json_integer_value(id) <= 0 || !json_is_boolean(hit) ||
	    !rv.kind || (strcmp(rv.kind, "keypoint") != 0 && strcmp(rv.kind, "forbidden") != 0) ||
	    !rv.item) {
		json_decref(body);
		http_respond_error(r, 400,
				   "a review is {answer_id, kind: keypoint|forbidden, item, hit: "
				   "true|false, reason, reviewer}");
		return;
	}
	if (!rv.reason || !rv.reviewer) {
		json_decref(body);
		http_respond_error(r, 400,
				   "a review needs a reason (1 to 1000 characters) and the "
				   "reviewer's name (1 to 100)");
		return;
	}
	rv.answer_id = json_integer_value(id);
	rv.hit = json_is_true(hit);
	e = review_add(store_db(d->e.store), &d->e.cat, &rv, &out, &err);
	json_decref(body);
	if (e == REVIEW_OK) {
		d->gen++;
		log_info("api", "review of answer %lld", (long long)rv.answer_id);
		http_respond_json(r, 201, out);
	} else {
		http_respond_error(r,
				   e == REVIEW_NOT_FOUND ? 404
				   : e == REVIEW_GONE    ? 409
							 : 500,
				   "%s", err.msg);
	}
}

/* --- the report: built on the loop, rendered on the thread pool ---------------- */

struct report_work {
	uv_work_t w;
	struct http_request *r;
	json_t *m; /* owned by the work until it is done */
	enum report_format f;
	struct buf out;
	struct am_err err;
	int rc;
	int64_t run;
};

/* Pango and fontconfig are safest one layout at a time. */
static uv_mutex_t render_lock;
static uv_once_t render_once = UV_ONCE_INIT;

static void
render_lock_init(void)
{
	uv_mutex_init(&render_lock);
}

static void
on_render(uv_work_t *w)
{
	struct report_work *rw = w->data;

	uv_once(&render_once, render_lock_init);
	uv_mutex_lock(&render_lock);
	rw->rc = report_render(rw->m, rw->f, &rw->out, &rw->err);
	uv_mutex_unlock(&render_lock);
}

static void
on_rendered(uv_work_t *w, int status)
{
	struct report_work *rw = w->data;
	char extra[200];

	if (status < 0 || rw->rc < 0) {
		http_respond_error(rw->r, 500, "the report could not be written: %s",
				   status < 0 ? "cancelled" : rw->err.msg);
	} else {
		snprintf(extra, sizeof extra,
			 "Content-Disposition: %s; filename=\"amicus-report-%lld%s.%s\"\r\n"
			 "Cache-Control: no-store\r\n",
			 rw->f == REPORT_HTML || rw->f == REPORT_JSON ? "inline" : "attachment",
			 (long long)rw->run, rw->f == REPORT_CSV_ANSWERS ? "-answers" : "",
			 report_format_ext(rw->f));
		http_respond(rw->r, 200, report_format_type(rw->f), rw->out.data, rw->out.len,
			     extra);
	}
	json_decref(rw->m);
	buf_deinit(&rw->out);
	free(rw);
}

static void
report(struct daemon *d, struct http_request *r)
{
	char fmt[32], lang[8], models[2048], area[128], *save = NULL, *tok;
	const char *f = http_query(r, "format", fmt, sizeof fmt);
	const char *l = http_query(r, "lang", lang, sizeof lang);
	const char *ms = http_query(r, "models", models, sizeof models);
	const char *ar = http_query(r, "area", area, sizeof area);
	const char *names[64];
	struct report_options o;
	struct report_work *rw;
	struct am_err err;

	memset(&o, 0, sizeof o);
	if (run_param(d, r, &o.run) < 0) {
		bad_run(r);
		return;
	}
	rw = xcalloc(1, sizeof *rw);
	if (!f || report_format_parse(f, &rw->f) < 0) {
		free(rw);
		http_respond_error(r, 400, "format is pdf, html, md, csv, csv-answers or json");
		return;
	}
	if (l && strcmp(l, "zh") != 0 && strcmp(l, "en") != 0) {
		free(rw);
		http_respond_error(r, 400, "lang is zh or en");
		return;
	}
	o.lang = l ? l : "en";
	o.area = ar && *ar ? ar : NULL;
	for (tok = ms ? strtok_r(models, ",", &save) : NULL; tok && o.nmodels < ARRAY_SIZE(names);
	     tok = strtok_r(NULL, ",", &save))
		names[o.nmodels++] = tok;
	o.models = o.nmodels ? names : NULL;
	rw->m = report_build(store_db(d->e.store), &d->e.cat, &d->e.cfg, &o, &err);
	if (!rw->m) {
		free(rw);
		http_respond_error(r, 404, "%s", err.msg);
		return;
	}
	rw->r = r;
	rw->run = json_integer_value(json_object_get(json_object_get(rw->m, "run"), "id"));
	rw->w.data = rw;
	buf_init(&rw->out, 0);
	if (uv_queue_work(d->loop, &rw->w, on_render, on_rendered) < 0) {
		json_decref(rw->m);
		free(rw);
		http_respond_error(r, 503, "the report cannot be written now");
	}
}

void
api_handle(struct http_request *r, void *arg)
{
	struct daemon *d = arg;
	const char *p = r->path;
	int get = strcmp(r->method, "GET") == 0 || r->head;
	int post = strcmp(r->method, "POST") == 0;

	if (strcmp(p, "/api/health") == 0) {
		if (!get)
			http_respond_error(r, 405, "use GET");
		else
			health(d, r);
		return;
	}
	if (strcmp(p, "/metrics") != 0 && strncmp(p, "/api/", 5) != 0) {
		if (!get)
			http_respond_error(r, 405, "use GET");
		else
			web_serve(d->web, r);
		return;
	}
	if (!token_ok(d, r)) {
		static const char msg[] =
			"{\"error\":\"a valid token is required\",\"status\":401}\n";

		http_respond(r, 401, "application/json", msg, sizeof msg - 1,
			     "WWW-Authenticate: Bearer\r\n");
		return;
	}
	if (strcmp(p, "/metrics") == 0) {
		if (!get)
			http_respond_error(r, 405, "use GET");
		else
			metrics(d, r);
	} else if (strcmp(p, "/api/runs") == 0) {
		if (get)
			runs_list(d, r);
		else if (post)
			runs_post(d, r);
		else
			http_respond_error(r, 405, "use GET or POST");
	} else if (strncmp(p, "/api/runs/", 10) == 0 && !strchr(p + 10, '/')) {
		if (!get)
			http_respond_error(r, 405, "use GET");
		else
			run_get(d, r, p + 10);
	} else if (strncmp(p, "/api/runs/", 10) == 0 && ends_with(p, "/events") &&
		   strchr(p + 10, '/') == p + strlen(p) - 7) {
		if (!get)
			http_respond_error(r, 405, "use GET");
		else
			run_events(d, r, p + 10);
	} else if (strcmp(p, "/api/reviews") == 0) {
		if (get)
			reviews_get(d, r);
		else if (post)
			reviews_post(d, r);
		else
			http_respond_error(r, 405, "use GET or POST");
	} else if (!get) {
		http_respond_error(r, 405, "use GET");
	} else if (strcmp(p, "/api/models") == 0) {
		http_respond_json(r, 200, query_models(store_db(d->e.store), &d->e.cfg));
	} else if (strcmp(p, "/api/leaderboard") == 0) {
		leaderboard(d, r);
	} else if (strcmp(p, "/api/answers") == 0) {
		answers(d, r);
	} else if (strncmp(p, "/api/answers/", 13) == 0) {
		answer(d, r, p + 13);
	} else if (strcmp(p, "/api/questions") == 0) {
		questions(d, r);
	} else if (strncmp(p, "/api/questions/", 15) == 0) {
		question(d, r, p + 15);
	} else if (strcmp(p, "/api/compare") == 0) {
		compare(d, r);
	} else if (strcmp(p, "/api/trends") == 0) {
		trends(d, r);
	} else if (strcmp(p, "/api/report") == 0) {
		report(d, r);
	} else {
		http_respond_error(r, 404, "no such endpoint: %.200s", p);
	}
}
