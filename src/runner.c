/*
 * runner.c - the execution of runs.
 *
 * A job is one question asked to one model once (one sample).  The runner
 * takes pending jobs from the store (marking them in flight), asks turn 1,
 * scores the answer as it arrives, asks turn 2 with the model's own first
 * answer (without its reasoning) in the conversation, and so on; when the
 * last turn is scored, every answer of the job, its verdicts and metrics
 * and its 'done' land in the store in one transaction.  A backend error
 * that survives the backend's retries makes the job an error with its
 * message, never a zero score.
 *
 * The runner keeps as many jobs going as the backends can serve at once
 * (their concurrency), plus as many again queued in the backends, so a
 * slot that frees up never waits for the store.
 *
 * Finished jobs are stored in batches: every FLUSH_MS (or at once when
 * FLUSH_MAX are waiting) one transaction stores them all, each job whole
 * or not at all.  One commit per batch instead of one per job is most of
 * what the store costs.
 *
 * With a judge configured, each turn's undecided items (or all of them)
 * go to the judge model once the turn is scored, one call per item,
 * through the judge's backend like any other request; the turn goes on
 * when every verdict is in.  A judge that fails leaves the match verdict
 * and a note; it never fails the job.  Verdicts are cached by (answer,
 * item, judge model), so a re-run of the same answers costs nothing.
 *
 * If the process dies, jobs in flight (and finished ones still waiting
 * for their batch) are found 'inflight' at the next start and go back to
 * 'pending' (store_recover): nothing is lost and no job is answered twice.
 * runner_stop stores the waiting batch before it lets the others go.
 */
#include "amconfig.h"

#include "runner.h"
#include "judge.h"
#include "log.h"
#include "sha256.h"
#include "think.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TURNS 32
#define POLL_MS 2000
#define FLUSH_MS 20
#define FLUSH_MAX 128

/* One turn's outcome, kept until the job is stored. */
struct turn {
	char *answer; /* the answer, reasoning removed */
	size_t answer_len;
	char *reasoning;
	size_t reasoning_len;
	struct score_result score;
	int scored;
	double ttft_ms, total_ms, tokens_per_s;
	char *finish, *usage;
};

struct rjob {
	struct runner *r;
	struct rjob *next, *prev;
	struct job j;
	const struct question *q;
	const struct rubric *rub;
	const struct config_backend *cb;
	const struct config_model *cm;
	struct backend *b;
	int turn; /* the turn being asked, 1-based */
	struct turn turns[MAX_TURNS];
	char *error;          /* when finished: the error, or NULL for an answer */
	struct jcall *jcalls; /* the current turn's judge calls */
	int njcalls;
	int judging; /* judge calls still out */
};

/* One rubric item put to the judge. */
struct jcall {
	struct rjob *rj;
	struct score_item *si;
	int forbidden;
	int tries;
	char *system, *user;
	char ahash[65], ihash[65];
};

struct runner {
	uv_loop_t *loop;
	struct store *st;
	const struct catalog *cat;
	const struct config *cfg;
	struct backend **backends;
	const char *executor;
	int64_t run;
	struct runner_hooks hooks;
	struct rjob *jobs;  /* being asked */
	struct rjob *ready; /* finished, waiting for their batch (via next) */
	int active;
	int nready;
	int capacity;
	int stopped;
	int pumping;
	int open_handles;
	uv_timer_t poll;                /* looks for jobs now and then, and soon after a kick */
	uv_timer_t flush;               /* stores the finished jobs */
	char trouble[256];              /* the last store failure logged ... */
	uint64_t trouble_at;            /* ... and when (uv_now) */
	struct backend *judge;          /* the judge's backend, or NULL: no judge */
	const char *judge_model;        /* its model */
	struct model_options judge_opt; /* the sampling settings sent to it */
	int judge_all;                  /* judge every item, not only the undecided */
};

static void pump(struct runner *r);
static void ask(struct rjob *rj);
static void job_finished(struct rjob *rj, const char *error);

static void
turn_free(struct turn *t)
{
	free(t->answer);
	free(t->reasoning);
	free(t->finish);
	free(t->usage);
	if (t->scored)
		score_result_deinit(&t->score);
	memset(t, 0, sizeof *t);
}

/* Takes a job off the list of jobs being asked. */
static void
job_unlink(struct rjob *rj)
{
	struct runner *r = rj->r;

	if (rj->prev)
		rj->prev->next = rj->next;
	else
		r->jobs = rj->next;
	if (rj->next)
		rj->next->prev = rj->prev;
	rj->next = rj->prev = NULL;
	r->active--;
}

static void
jcalls_free(struct rjob *rj)
{
	int i;

	for (i = 0; i < rj->njcalls; i++) {
		free(rj->jcalls[i].system);
		free(rj->jcalls[i].user);
	}
	free(rj->jcalls);
	rj->jcalls = NULL;
	rj->njcalls = 0;
}

static void
job_free(struct rjob *rj)
{
	int i;

	jcalls_free(rj);
	for (i = 0; i < MAX_TURNS; i++)
		turn_free(&rj->turns[i]);
	free(rj->error);
	free(rj);
}

static void on_flush(uv_timer_t *t);

/* The job is finished (answered, or error != NULL): queue it for the store. */
static void
job_finished(struct rjob *rj, const char *error)
{
	struct runner *r = rj->r;

	job_unlink(rj);
	rj->error = error ? xstrdup(error) : NULL;
	rj->next = r->ready;
	r->ready = rj;
	r->nready++;
	if (r->nready >= FLUSH_MAX)
		uv_timer_start(&r->flush, on_flush, 0, 0);
	else if (!uv_is_active((uv_handle_t *)&r->flush))
		uv_timer_start(&r->flush, on_flush, FLUSH_MS, 0);
}

static void
job_error(struct rjob *rj, const char *msg)
{
	char safe[600];

	log_safe(msg, strlen(msg), 500, safe, sizeof safe);
	log_warn("runner", "job %lld (%s, %s, sample %d): %s", (long long)rj->j.id, rj->j.model,
		 rj->j.question, rj->j.sample, safe);
	job_finished(rj, msg);
}

/*
 * The database refused a write: a full disk, an I/O error, a lock held
 * past the busy timeout.  Logged once a minute per message (not once per
 * job), and the owner told: amicus run gives up with the reason, the
 * daemon goes on and tries again.
 */
static void
store_trouble(struct runner *r, const char *msg)
{
	uint64_t now = uv_now(r->loop);

	if (strcmp(msg, r->trouble) != 0 || now - r->trouble_at >= 60000) {
		log_error("runner", "cannot write the database: %s", msg);
		snprintf(r->trouble, sizeof r->trouble, "%s", msg);
		r->trouble_at = now;
	}
	if (r->hooks.store_failed)
		r->hooks.store_failed(msg, r->hooks.arg);
}

/* Writes one finished job; returns 1 when it was stored as done. */
static int
job_store(struct rjob *rj)
{
	struct turn_result tr[MAX_TURNS];
	struct am_err err;
	int i, n = rj->turn;

	if (rj->error) {
		if (store_job_error(rj->r->st, rj->j.id, rj->error, &err) < 0)
			store_trouble(rj->r, err.msg);
		return 0;
	}
	memset(tr, 0, sizeof tr);
	for (i = 0; i < n; i++) {
		struct turn *t = &rj->turns[i];

		tr[i].content = t->answer;
		tr[i].content_len = t->answer_len;
		tr[i].reasoning = t->reasoning;
		tr[i].reasoning_len = t->reasoning_len;
		tr[i].score = &t->score;
		tr[i].ttft_ms = t->ttft_ms;
		tr[i].total_ms = t->total_ms;
		tr[i].tokens_per_s = t->tokens_per_s;
		tr[i].finish_reason = t->finish;
		tr[i].usage_json = t->usage;
	}
	switch (store_job_done(rj->r->st, rj->j.id, tr, (size_t)n, &err)) {
	case 0: return 1;
	case -2: log_warn("runner", "%s", err.msg); return 0;
	default: store_trouble(rj->r, err.msg); return 0;
	}
}

/*
 * Stores every finished job in one transaction.  If the batch cannot
 * commit, each job is tried again on its own, so one bad job does not
 * hold back the others.  Then the owner hears of each job and of each run
 * that has nothing left; with hooks 0 (stopping) only the store is told.
 */
static void
flush(struct runner *r, int hooks)
{
	struct rjob *list = r->ready, *rj, *next;
	int64_t runs[16];
	size_t nruns = 0, i;
	struct am_err err;
	int batch, ok;

	r->ready = NULL;
	r->nready = 0;
	if (!list)
		return;
	batch = store_batch_begin(r->st, &err) == 0;
	if (!batch)
		log_warn("runner", "%s; storing jobs one by one", err.msg);
	for (rj = list; rj; rj = rj->next)
		job_store(rj);
	if (batch && store_batch_end(r->st, &err) < 0) {
		log_warn("runner", "%s; storing jobs one by one", err.msg);
		batch = 0;
		for (rj = list; rj; rj = rj->next)
			job_store(rj);
	}
	for (rj = list; rj; rj = next) {
		next = rj->next;
		ok = !rj->error;
		for (i = 0; i < nruns && runs[i] != rj->j.run_id; i++)
			;
		if (i == nruns && nruns < ARRAY_SIZE(runs))
			runs[nruns++] = rj->j.run_id;
		if (hooks && r->hooks.job_done)
			r->hooks.job_done(rj->j.run_id, ok, r->hooks.arg);
		job_free(rj);
	}
	for (i = 0; i < nruns; i++) {
		int done = store_run_finish_if_complete(r->st, runs[i], &err);

		if (done < 0)
			log_error("runner", "run %lld: %s", (long long)runs[i], err.msg);
		else if (done && hooks && r->hooks.run_done)
			r->hooks.run_done(runs[i], r->hooks.arg);
	}
}

static void
on_flush(uv_timer_t *t)
{
	struct runner *r = t->data;

	flush(r, 1);
	if (!r->stopped)
		pump(r);
}

/* The current turn is scored (and judged): ask the next, or finish. */
static void
turn_done(struct rjob *rj)
{
	jcalls_free(rj);
	if (rj->turn < (int)rj->q->nturns && rj->turn < MAX_TURNS) {
		rj->turn++;
		ask(rj);
		return;
	}
	job_finished(rj, NULL);
}

static int judge_send(struct jcall *jc);

/* One verdict is in (or failed); the last one rescores the turn. */
static void
judge_settled(struct jcall *jc, int met, const char *explanation, const char *error)
{
	struct rjob *rj = jc->rj;
	struct turn *t = &rj->turns[rj->turn - 1];

	if (error)
		log_warn("runner", "job %lld: judge: %s", (long long)rj->j.id, error);
	score_item_judged(&t->score, jc->si, met, explanation, error);
	if (--rj->judging > 0)
		return;
	score_rescore(rubric_turn(rj->rub, rj->turn), &t->score);
	turn_done(rj);
}

static void
on_judged(const struct chat_result *res, void *arg)
{
	struct jcall *jc = arg;
	struct rjob *rj = jc->rj;
	struct runner *r = rj->r;
	char expl[JUDGE_EXPLANATION_MAX], msg[600];
	struct am_err err;
	int met = 0;

	if (r->stopped)
		return;
	if (!res->ok) {
		snprintf(msg, sizeof msg, "the judge failed: %s", res->error ? res->error : "?");
		judge_settled(jc, 0, NULL, msg);
		return;
	}
	if (judge_parse(res->content, res->content_len, &met, expl, sizeof expl, &err) < 0) {
		if (++jc->tries < JUDGE_TRIES && judge_send(jc) == 0)
			return;
		snprintf(msg, sizeof msg, "after %d tries: %s", jc->tries, err.msg);
		judge_settled(jc, 0, NULL, msg);
		return;
	}
	if (store_judge_put(r->st, jc->ahash, jc->ihash, r->judge_model, met, expl, &err) < 0)
		log_warn("runner", "judge cache: %s", err.msg);
	judge_settled(jc, met, expl, NULL);
}

/* Sends a judge call; -1 when the backend refuses it (no callback then). */
static int
judge_send(struct jcall *jc)
{
	struct runner *r = jc->rj->r;
	struct chat_message m = {"user", jc->user};
	struct chat_request req;

	memset(&req, 0, sizeof req);
	req.model = r->judge_model;
	req.options = &r->judge_opt;
	req.system = jc->system;
	req.messages = &m;
	req.nmessages = 1;
	return backend_chat(r->judge, &req, on_judged, jc);
}

/*
 * Puts the current turn's undecided items to the judge.  Cached verdicts
 * apply at once.  Returns the number of calls sent (the turn waits for
 * them), or 0 when nothing is left to wait for.
 */
static int
judge_turn(struct rjob *rj)
{
	struct runner *r = rj->r;
	struct turn *t = &rj->turns[rj->turn - 1];
	struct score_result *res = &t->score;
	const char *asks[MAX_TURNS], *answers[MAX_TURNS];
	const char *lang = rj->q->language;
	char *question, expl[JUDGE_EXPLANATION_MAX];
	int i, k, n = 0, cached = 0, met;

	if (!r->judge || !res->scored)
		return 0;
	for (i = 0; i < rj->turn; i++) {
		asks[i] = rj->q->turns[i].ask;
		answers[i] = rj->turns[i].answer;
	}
	question = judge_question(asks, answers, rj->turn, lang);
	rj->jcalls = xcalloc(res->nkeypoints + res->nforbidden + 1, sizeof *rj->jcalls);
	for (k = 0; k < 2; k++) {
		size_t m = k ? res->nforbidden : res->nkeypoints, j;

		for (j = 0; j < m; j++) {
			struct score_item *si = k ? &res->forbidden[j] : &res->keypoints[j];
			struct jcall *jc = &rj->jcalls[n];
			struct judge_ask a;
			struct sha256 h;
			unsigned char d[32];
			char *crit;
			int b;

			if (!score_item_undecided(si, k, r->judge_all))
				continue;
			crit = judge_criterion(si->item, k, lang);
			memset(&a, 0, sizeof a);
			a.language = lang;
			a.question = question;
			a.reference = rj->q->turns[rj->turn - 1].reference;
			a.answer = t->answer;
			a.answer_len = t->answer_len;
			a.criterion = crit;
			a.forbidden = k;
			jc->rj = rj;
			jc->si = si;
			jc->forbidden = k;
			judge_prompt(&a, &jc->system, &jc->user);
			sha256_hex(t->answer, t->answer_len, jc->ahash);
			/* The item as the judge sees it: the prompt without the answer. */
			sha256_init(&h);
			sha256_update(&h, jc->system, strlen(jc->system) + 1);
			sha256_update(&h, a.question, strlen(a.question) + 1);
			if (a.reference)
				sha256_update(&h, a.reference, strlen(a.reference));
			sha256_update(&h, "", 1);
			sha256_update(&h, k ? "forbidden" : "keypoint", k ? 10 : 9);
			sha256_update(&h, crit, strlen(crit));
			sha256_final(&h, d);
			free(crit);
			for (b = 0; b < 32; b++)
				snprintf(jc->ihash + 2 * b, 3, "%02x", d[b]);
			n++;
			if (store_judge_get(r->st, jc->ahash, jc->ihash, r->judge_model, &met, expl,
					    sizeof expl)) {
				score_item_judged(res, si, met, expl, NULL);
				jc->si = NULL; /* settled */
				cached++;
			}
		}
	}
	free(question);
	rj->njcalls = n;
	rj->judging = n - cached;
	if (rj->judging == 0) {
		if (cached)
			score_rescore(rubric_turn(rj->rub, rj->turn), res);
		return 0;
	}
	/* A call that cannot be sent is settled here, not through judge_settled,
	 * which would move the job on while this loop still walks its calls. */
	for (i = 0; i < n; i++)
		if (rj->jcalls[i].si && judge_send(&rj->jcalls[i]) < 0) {
			score_item_judged(res, rj->jcalls[i].si, 0, NULL,
					  "the judge's backend is shutting down");
			rj->judging--;
		}
	if (rj->judging == 0) {
		score_rescore(rubric_turn(rj->rub, rj->turn), res);
		return 0;
	}
	return rj->judging;
}

static void
on_answer(const struct chat_result *res, void *arg)
{
	struct rjob *rj = arg;
	struct turn *t = &rj->turns[rj->turn - 1];
	struct think_split sp;
	struct score_input in;
	struct buf reasoning;
	const struct rubric_turn *rt, *prev;

	if (rj->r->stopped)
		return;
	if (!res->ok) {
		job_error(rj, res->error ? res->error : "the backend failed");
		return;
	}
	/* The answer may carry its reasoning inline: <think>…</think>. */
	think_split(res->content, res->content_len, &sp);
	buf_init(&reasoning, 0);
	buf_append(&reasoning, res->reasoning, res->reasoning_len);
	if (sp.reasoning_end > sp.reasoning_start) {
		if (reasoning.len)
			buf_append(&reasoning, "\n", 1);
		buf_append(&reasoning, res->content + sp.reasoning_start,
			   sp.reasoning_end - sp.reasoning_start);
	}
	t->answer = xstrndup(res->content + sp.answer_start, sp.answer_end - sp.answer_start);
	t->answer_len = sp.answer_end - sp.answer_start;
	t->reasoning_len = reasoning.len;
	t->reasoning = buf_steal(&reasoning);
	t->ttft_ms = res->ttft_ms;
	t->total_ms = res->total_ms;
	t->tokens_per_s = res->tokens_per_s;
	t->finish = res->finish_reason ? xstrdup(res->finish_reason) : NULL;
	t->usage = res->usage_json ? xstrdup(res->usage_json) : NULL;

	memset(&in, 0, sizeof in);
	in.answer = t->answer;
	in.answer_len = t->answer_len;
	in.reasoning = t->reasoning;
	in.reasoning_len = t->reasoning_len;
	in.reasoning_unclosed = sp.unclosed;
	in.finish_length = res->finish_reason && (strcmp(res->finish_reason, "length") == 0 ||
						  strcmp(res->finish_reason, "max_tokens") == 0);
	in.reasoning_tokens = res->reasoning_tokens;
	in.answer_tokens = res->completion_tokens >= 0 && res->reasoning_tokens >= 0
				   ? res->completion_tokens - res->reasoning_tokens
				   : -1;
	if (res->reasoning_tokens < 0 && res->completion_tokens >= 0 && !t->reasoning_len)
		in.answer_tokens = res->completion_tokens; /* no reasoning at all */
	in.language = rj->q->language;
	rt = rubric_turn(rj->rub, rj->turn);
	prev = rj->turn > 1 ? rubric_turn(rj->rub, rj->turn - 1) : NULL;
	score_answer(rj->rub, rt, prev, &rj->r->cat->statutes, &in, &rj->r->cfg->scoring,
		     &t->score);
	t->scored = 1;
	if (judge_turn(rj) > 0)
		return; /* goes on in on_judged */
	turn_done(rj);
}

/* Asks the current turn: the questions so far and the model's own answers. */
static void
ask(struct rjob *rj)
{
	struct chat_message msgs[2 * MAX_TURNS];
	struct chat_request req;
	size_t n = 0;
	int i;

	for (i = 0; i < rj->turn; i++) {
		msgs[n].role = "user";
		msgs[n++].content = rj->q->turns[i].ask;
		if (i + 1 < rj->turn) {
			msgs[n].role = "assistant";
			msgs[n++].content = rj->turns[i].answer ? rj->turns[i].answer : "";
		}
	}
	memset(&req, 0, sizeof req);
	req.model = rj->j.model;
	req.options = rj->cm ? &rj->cm->options : NULL;
	req.system = rj->q->system;
	req.messages = msgs;
	req.nmessages = n;
	req.question = rj->q->id;
	req.turn = rj->turn;
	if (backend_chat(rj->b, &req, on_answer, rj) < 0)
		job_error(rj, "the backend is shutting down");
}

static void
start_job(struct runner *r, const struct job *j)
{
	struct rjob *rj = xcalloc(1, sizeof *rj);
	size_t i;

	rj->r = r;
	rj->j = *j;
	rj->turn = 1;
	rj->next = r->jobs;
	if (r->jobs)
		r->jobs->prev = rj;
	r->jobs = rj;
	r->active++;
	rj->q = bank_find(&r->cat->bank, j->question);
	rj->rub = rj->q ? rubric_set_find(&r->cat->rubrics, j->question) : NULL;
	rj->cb = config_find_model(r->cfg, j->model, &rj->cm);
	for (i = 0; rj->cb && i < r->cfg->nbackends; i++)
		if (&r->cfg->backends[i] == rj->cb)
			rj->b = r->backends[i];
	if (!rj->q || !rj->rub) {
		job_error(rj, "the question or its rubric is no longer in the bank");
		return;
	}
	if (!rj->b) {
		job_error(rj, "no configured backend serves this model");
		return;
	}
	ask(rj);
}

static void
pump(struct runner *r)
{
	struct job jobs[64];
	struct am_err err;
	int n, i, want;

	if (r->stopped || r->pumping)
		return;
	r->pumping = 1;
	while (r->active < r->capacity) {
		want = r->capacity - r->active;
		if (want > (int)ARRAY_SIZE(jobs))
			want = (int)ARRAY_SIZE(jobs);
		n = store_jobs_take(r->st, r->run, r->executor, jobs, want, &err);
		if (n < 0) {
			store_trouble(r, err.msg);
			break;
		}
		for (i = 0; i < n; i++)
			start_job(r, &jobs[i]);
		if (n < want)
			break;
	}
	r->pumping = 0;
}

static void
on_poll(uv_timer_t *t)
{
	pump(t->data);
}

int
runner_new(struct runner **rp, uv_loop_t *loop, struct store *st, const struct catalog *cat,
	   const struct config *cfg, struct backend **backends, const char *executor, int64_t run,
	   const struct runner_hooks *hooks)
{
	struct runner *r = xcalloc(1, sizeof *r);
	size_t i;

	r->loop = loop;
	r->st = st;
	r->cat = cat;
	r->cfg = cfg;
	r->backends = backends;
	r->executor = executor;
	r->run = run;
	if (hooks)
		r->hooks = *hooks;
	for (i = 0; i < cfg->nbackends; i++)
		r->capacity += 2 * (int)cfg->backends[i].concurrency;
	if (cfg->judge_backend && cfg->judge_model) {
		for (i = 0; i < cfg->nbackends; i++)
			if (strcmp(cfg->backends[i].name, cfg->judge_backend) == 0)
				r->judge = backends[i];
		r->judge_model = cfg->judge_model;
		r->judge_all = cfg->judge_all_items;
		/* Its own settings where amicus.yaml lists it; else greedy, no thinking. */
		r->judge_opt.has_temperature = 1;
		r->judge_opt.has_think = 1;
		for (i = 0; r->judge && i < cfg->nbackends; i++) {
			const struct config_backend *b = &cfg->backends[i];
			size_t k;

			if (backends[i] != r->judge)
				continue;
			for (k = 0; k < b->nmodels; k++)
				if (strcmp(b->models[k].name, cfg->judge_model) == 0)
					r->judge_opt = b->models[k].options;
		}
	}
	if (r->capacity < 1)
		r->capacity = 1;
	uv_timer_init(loop, &r->poll);
	uv_timer_init(loop, &r->flush);
	r->poll.data = r->flush.data = r;
	r->open_handles = 2;
	uv_timer_start(&r->poll, on_poll, 0, POLL_MS);
	*rp = r;
	return 0;
}

void
runner_kick(struct runner *r)
{
	if (!r->stopped)
		uv_timer_start(&r->poll, on_poll, 0, POLL_MS);
}

int
runner_active(const struct runner *r)
{
	return r->active;
}

void
runner_stop(struct runner *r)
{
	struct am_err err;
	int released = 0;

	r->stopped = 1;
	uv_timer_stop(&r->poll);
	uv_timer_stop(&r->flush);
	flush(r, 0); /* answers that arrived are kept */
	while (r->jobs) {
		struct rjob *rj = r->jobs;

		if (store_job_release(r->st, rj->j.id, &err) < 0)
			log_error("runner", "job %lld: %s", (long long)rj->j.id, err.msg);
		else
			released++;
		job_unlink(rj);
		job_free(rj);
	}
	if (released)
		log_info("runner", "%d jobs in flight go back to pending", released);
}

static void
on_closed(uv_handle_t *h)
{
	struct runner *r = h->data;

	if (--r->open_handles == 0)
		free(r);
}

void
runner_free(struct runner **rp)
{
	struct runner *r = *rp;

	if (!r)
		return;
	*rp = NULL;
	if (!r->stopped)
		runner_stop(r);
	uv_close((uv_handle_t *)&r->poll, on_closed);
	uv_close((uv_handle_t *)&r->flush, on_closed);
}
