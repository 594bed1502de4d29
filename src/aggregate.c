/*
 * aggregate.c - a finished run's figures, as the dashboard and the report
 * read them.
 *
 * The unit of evidence is the question.  A job (one sample of a question,
 * all its turns) is folded into one outcome: passed when every turn
 * passed, hallucinated (abstained, looping, ...) when any turn was, its
 * score the mean of its turns.  A question asked K times then counts as
 * one trial whose outcome is the share of its samples that succeeded, so
 * rates are k of n questions with k fractional, and their Wilson
 * intervals do not pretend that K samples are K independent questions.
 * Mean score and coverage get a bootstrap interval that resamples
 * clusters of questions: a question and its translation are one cluster.
 *
 * Rows are read sorted by model and question, so each question's samples
 * arrive together and memory stays proportional to the questions, not
 * the answers.  Latencies are per turn (every request counts).
 */
#include "amconfig.h"

#include "aggregate.h"
#include "stats.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rates kept per question and per model × area, in this order. */
enum rate { R_PASS, R_HALL, R_ABST, R_LOOP, R_MIX, R_TRUNC, R_FCHECK, R_FIGNORE, NRATES };

struct dvec {
	double *v;
	size_t n, cap;
};

static void
dvec_push(struct dvec *d, double x)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = xrealloc(d->v, d->cap * sizeof *d->v);
	}
	d->v[d->n++] = x;
}

/* The figures of one model × area while they are summed. */
struct agg {
	char model[256], area[128];
	int64_t jobs, errors, judged, judge_errors, unstable, samples;
	int64_t counts[NRATES];      /* jobs with the outcome */
	double q[NRATES];            /* questions, each weighted by its share */
	struct dvec score, coverage; /* per question: the mean of its samples */
	int *cluster;                /* per question: its cluster's index */
	size_t ncluster_cap;
	char **ckeys; /* cluster keys, by index */
	size_t nckeys;
	struct dvec lat, ttft; /* per turn */
	double rshare_sum, rtok, atok, tps_sum;
	int64_t rshare_n, tps_n;
};

struct aggs {
	struct agg *a;
	size_t n, cap;
};

static struct agg *
agg_get(struct aggs *as, const char *model, const char *area)
{
	struct agg *a;
	size_t i;

	for (i = 0; i < as->n; i++)
		if (strcmp(as->a[i].model, model) == 0 && strcmp(as->a[i].area, area) == 0)
			return &as->a[i];
	if (as->n == as->cap) {
		as->cap = as->cap ? as->cap * 2 : 16;
		as->a = xrealloc(as->a, as->cap * sizeof *as->a);
	}
	a = &as->a[as->n++];
	memset(a, 0, sizeof *a);
	snprintf(a->model, sizeof a->model, "%s", model);
	snprintf(a->area, sizeof a->area, "%s", area);
	return a;
}

static void
agg_free(struct agg *a)
{
	size_t i;

	free(a->score.v);
	free(a->coverage.v);
	free(a->cluster);
	for (i = 0; i < a->nckeys; i++)
		free(a->ckeys[i]);
	free(a->ckeys);
	free(a->lat.v);
	free(a->ttft.v);
}

void
aggregate_cluster_key(const char *question, char *out, size_t cap)
{
	size_t n = strlen(question);

	if (n > 3 && (strcmp(question + n - 3, "-zh") == 0 || strcmp(question + n - 3, "-en") == 0))
		n -= 3;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, question, n);
	out[n] = '\0';
}

static int
cluster_of(struct agg *a, const char *question)
{
	char key[256];
	size_t i;

	aggregate_cluster_key(question, key, sizeof key);
	for (i = 0; i < a->nckeys; i++)
		if (strcmp(a->ckeys[i], key) == 0)
			return (int)i;
	a->ckeys = xrealloc(a->ckeys, (a->nckeys + 1) * sizeof *a->ckeys);
	a->ckeys[a->nckeys] = xstrdup(key);
	return (int)a->nckeys++;
}

/* One job, its turns folded. */
struct job {
	int64_t id;
	int turns;
	double score, coverage; /* sums over turns */
	int out[NRATES];
};

/* One question of one model: its samples. */
struct question {
	char model[256], area[128], name[256];
	struct dvec scores; /* per sample */
	double coverage_sum;
	int64_t counts[NRATES];
};

static void
question_reset(struct question *q, const char *model, const char *area, const char *name)
{
	snprintf(q->model, sizeof q->model, "%s", model);
	snprintf(q->area, sizeof q->area, "%s", area);
	snprintf(q->name, sizeof q->name, "%s", name);
	q->scores.n = 0;
	q->coverage_sum = 0;
	memset(q->counts, 0, sizeof q->counts);
}

static void
job_into_question(const struct job *j, struct question *q)
{
	int r;

	if (!j->turns)
		return;
	dvec_push(&q->scores, j->score / j->turns);
	q->coverage_sum += j->coverage / j->turns;
	for (r = 0; r < NRATES; r++)
		q->counts[r] += j->out[r];
}

/* A question is complete: store its row and add it to its model's figures. */
static int
question_done(sqlite3 *db, sqlite3_stmt *ins, int64_t run, struct question *q, struct aggs *as)
{
	const char *areas[2] = {q->area, "*"};
	double n = (double)q->scores.n, mean, sd, lo = INFINITY, hi = -INFINITY;
	size_t i;
	int k, r, unstable;

	if (!q->scores.n)
		return 0;
	stats_mean_sd(q->scores.v, q->scores.n, &mean, &sd);
	for (i = 0; i < q->scores.n; i++) {
		lo = q->scores.v[i] < lo ? q->scores.v[i] : lo;
		hi = q->scores.v[i] > hi ? q->scores.v[i] : hi;
	}
	/* Its samples disagree on whether it passed. */
	unstable = q->counts[R_PASS] > 0 && q->counts[R_PASS] < (int64_t)q->scores.n;
	sqlite3_reset(ins);
	sqlite3_bind_int64(ins, 1, run);
	sqlite3_bind_text(ins, 2, q->model, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 3, q->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 4, q->area, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 5, (int64_t)q->scores.n);
	sqlite3_bind_double(ins, 6, mean);
	sqlite3_bind_double(ins, 7, sd);
	sqlite3_bind_double(ins, 8, lo);
	sqlite3_bind_double(ins, 9, hi);
	sqlite3_bind_int64(ins, 10, q->counts[R_PASS]);
	sqlite3_bind_int64(ins, 11, q->counts[R_HALL]);
	sqlite3_bind_int(ins, 12, unstable);
	if (sqlite3_step(ins) != SQLITE_DONE)
		return -1;
	(void)db;
	for (k = 0; k < 2; k++) {
		struct agg *a = agg_get(as, q->model, areas[k]);

		a->jobs += (int64_t)q->scores.n;
		if ((int64_t)q->scores.n > a->samples)
			a->samples = (int64_t)q->scores.n;
		a->unstable += unstable;
		for (r = 0; r < NRATES; r++) {
			a->counts[r] += q->counts[r];
			a->q[r] += (double)q->counts[r] / n;
		}
		if (a->score.n == a->ncluster_cap) {
			a->ncluster_cap = a->ncluster_cap ? 2 * a->ncluster_cap : 64;
			a->cluster = xrealloc(a->cluster, a->ncluster_cap * sizeof *a->cluster);
		}
		a->cluster[a->score.n] = cluster_of(a, q->name);
		dvec_push(&a->score, mean);
		dvec_push(&a->coverage, q->coverage_sum / n);
	}
	return 0;
}

/* Per-turn figures: latency, time to first token, reasoning share, speed. */
static void
turn_into(struct aggs *as, const char *model, const char *area, sqlite3_stmt *st)
{
	const char *areas[2] = {area, "*"};
	double rt = sqlite3_column_double(st, 15), at = sqlite3_column_double(st, 16);
	int k;

	for (k = 0; k < 2; k++) {
		struct agg *a = agg_get(as, model, areas[k]);

		if (rt + at > 0) {
			a->rshare_sum += rt / (rt + at);
			a->rshare_n++;
		}
		a->rtok += rt;
		a->atok += at;
		if (sqlite3_column_type(st, 17) != SQLITE_NULL)
			dvec_push(&a->lat, sqlite3_column_double(st, 17));
		if (sqlite3_column_type(st, 18) != SQLITE_NULL)
			dvec_push(&a->ttft, sqlite3_column_double(st, 18));
		if (sqlite3_column_double(st, 19) > 0) {
			a->tps_sum += sqlite3_column_double(st, 19);
			a->tps_n++;
		}
	}
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

/* The p-th percentile (0..1) of v, nearest rank; NAN when empty. */
static double
percentile(struct dvec *d, double p)
{
	size_t k;

	if (!d->n)
		return NAN;
	qsort(d->v, d->n, sizeof *d->v, cmp_double);
	k = (size_t)ceil(p * (double)d->n);
	if (k < 1)
		k = 1;
	return d->v[k - 1];
}

static void
bind_real(sqlite3_stmt *st, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_double(st, i, v);
}

/* Reads the answers, question by question, into the question rows and aggs. */
static int
read_answers(sqlite3 *db, int64_t run, struct aggs *as, struct am_err *err)
{
	sqlite3_stmt *st = NULL, *ins = NULL;
	struct question q;
	struct job j;
	int rc = -1, have_q = 0;

	memset(&q, 0, sizeof q);
	memset(&j, 0, sizeof j);
	if (sqlite3_prepare_v2(
		    db,
		    "SELECT job_id, model, area, question, turn, score, coverage, passed, "
		    "hallucinated, abstained, loop, mix, truncated, followup_checked, "
		    "followup_ignored, reasoning_tokens, answer_tokens, total_ms, ttft_ms, "
		    "tokens_per_s FROM answers WHERE run_id = ? "
		    "ORDER BY model, question, job_id, turn",
		    -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(
		    db,
		    "INSERT OR REPLACE INTO question_stats (run_id, model, question, area, "
		    "samples, mean_score, sd_score, min_score, max_score, passed, "
		    "hallucinated, unstable) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
		    -1, &ins, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *model = (const char *)sqlite3_column_text(st, 1);
		const char *area = (const char *)sqlite3_column_text(st, 2);
		const char *name = (const char *)sqlite3_column_text(st, 3);
		int r;

		if (id != j.id) {
			job_into_question(&j, &q);
			memset(&j, 0, sizeof j);
			j.id = id;
			j.out[R_PASS] = 1;
		}
		if (!have_q || strcmp(q.model, model) != 0 || strcmp(q.name, name) != 0) {
			if (have_q && question_done(db, ins, run, &q, as) < 0)
				goto out;
			question_reset(&q, model, area, name);
			have_q = 1;
		}
		j.turns++;
		j.score += sqlite3_column_double(st, 5);
		j.coverage += sqlite3_column_double(st, 6);
		j.out[R_PASS] &= sqlite3_column_int(st, 7) != 0;
		for (r = R_HALL; r < NRATES; r++)
			j.out[r] |= sqlite3_column_int(st, 8 + r - R_HALL) != 0;
		turn_into(as, model, area, st);
	}
	job_into_question(&j, &q);
	if (have_q && question_done(db, ins, run, &q, as) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		am_err_set(err, "aggregates of run %lld: %s", (long long)run, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_finalize(ins);
	free(q.scores.v);
	return rc;
}

/* Errors, and the judge's work, per model × area. */
static int
read_counts(sqlite3 *db, int64_t run, struct aggs *as, struct am_err *err)
{
	static const char *const sql[] = {
		"SELECT model, area, count(*) FROM jobs WHERE run_id = ? AND state = 'error' "
		"GROUP BY model, area",
		"SELECT a.model, a.area, count(*) FROM verdicts v JOIN answers a "
		"ON a.id = v.answer_id WHERE a.run_id = ? AND v.method = 'judge' "
		"GROUP BY a.model, a.area",
		"SELECT a.model, a.area, count(*) FROM verdicts v JOIN answers a "
		"ON a.id = v.answer_id WHERE a.run_id = ? AND v.method = 'judge_error' "
		"GROUP BY a.model, a.area",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sql); i++) {
		sqlite3_stmt *st;

		if (sqlite3_prepare_v2(db, sql[i], -1, &st, NULL) != SQLITE_OK)
			return am_err_set(err, "aggregates: %s", sqlite3_errmsg(db));
		sqlite3_bind_int64(st, 1, run);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *model = (const char *)sqlite3_column_text(st, 0);
			const char *area = (const char *)sqlite3_column_text(st, 1);
			int64_t n = sqlite3_column_int64(st, 2);
			const char *areas[2] = {area, "*"};
			int k;

			/* One at a time: agg_get may move the array. */
			for (k = 0; k < 2; k++) {
				struct agg *a = agg_get(as, model, areas[k]);

				if (i == 0)
					a->errors += n;
				else if (i == 1)
					a->judged += n;
				else
					a->judge_errors += n;
			}
		}
		sqlite3_finalize(st);
	}
	return 0;
}

static int
write_aggs(sqlite3 *db, int64_t run, struct aggs *as, struct am_err *err)
{
	sqlite3_stmt *ins = NULL;
	size_t i;
	int rc = -1;

	if (sqlite3_prepare_v2(
		    db,
		    "INSERT OR REPLACE INTO aggregates (run_id, model, area, questions, answers, "
		    "errors, mean_score, passed, hallucinated, abstained, loops, mixed, truncated, "
		    "followup_checked, followup_ignored, reasoning_share, reasoning_tokens, "
		    "answer_tokens, p50_ms, p95_ms, ttft_p50_ms, tokens_per_s, samples, q_passed, "
		    "q_hallucinated, q_abstained, q_loops, q_mixed, q_truncated, "
		    "q_followup_checked, "
		    "q_followup_ignored, pass_lo, pass_hi, hallucination_lo, hallucination_hi, "
		    "abstention_lo, abstention_hi, loop_lo, loop_hi, mix_lo, mix_hi, followup_lo, "
		    "followup_hi, score_lo, score_hi, mean_coverage, coverage_lo, coverage_hi, "
		    "unstable, judged, judge_errors) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
		    "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		    -1, &ins, NULL) != SQLITE_OK)
		goto out;
	for (i = 0; i < as->n; i++) {
		struct agg *a = &as->a[i];
		double nq = (double)a->score.n, mean = NAN, cov = NAN, sd;
		struct interval w, sci, cci;
		int c = 1, r;

		if (a->score.n) {
			stats_mean_sd(a->score.v, a->score.n, &mean, &sd);
			stats_mean_sd(a->coverage.v, a->coverage.n, &cov, &sd);
		}
		stats_bootstrap_mean(a->score.v, a->cluster, a->score.n, a->nckeys,
				     STATS_BOOTSTRAP_B, STATS_SEED, &sci);
		stats_bootstrap_mean(a->coverage.v, a->cluster, a->coverage.n, a->nckeys,
				     STATS_BOOTSTRAP_B, STATS_SEED, &cci);
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, c++, run);
		sqlite3_bind_text(ins, c++, a->model, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, c++, a->area, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, c++, (int64_t)a->score.n);
		sqlite3_bind_int64(ins, c++, a->jobs);
		sqlite3_bind_int64(ins, c++, a->errors);
		bind_real(ins, c++, mean);
		for (r = R_PASS; r <= R_FIGNORE; r++)
			if (r != R_FCHECK && r != R_FIGNORE)
				sqlite3_bind_int64(ins, c++, a->counts[r]);
		sqlite3_bind_int64(ins, c++, a->counts[R_FCHECK]);
		sqlite3_bind_int64(ins, c++, a->counts[R_FIGNORE]);
		bind_real(ins, c++, a->rshare_n ? a->rshare_sum / (double)a->rshare_n : NAN);
		bind_real(ins, c++, a->jobs ? a->rtok / (double)a->jobs : 0);
		bind_real(ins, c++, a->jobs ? a->atok / (double)a->jobs : 0);
		bind_real(ins, c++, percentile(&a->lat, 0.5));
		bind_real(ins, c++, percentile(&a->lat, 0.95));
		bind_real(ins, c++, percentile(&a->ttft, 0.5));
		bind_real(ins, c++, a->tps_n ? a->tps_sum / (double)a->tps_n : NAN);
		sqlite3_bind_int64(ins, c++, a->samples);
		for (r = 0; r < NRATES; r++)
			sqlite3_bind_double(ins, c++, a->q[r]);
		for (r = R_PASS; r <= R_MIX; r++) {
			w = stats_wilson(a->q[r], nq);
			bind_real(ins, c++, nq > 0 ? w.lo : NAN);
			bind_real(ins, c++, nq > 0 ? w.hi : NAN);
		}
		/* Ignored follow-ups: out of the questions where it was checked. */
		w = stats_wilson(a->q[R_FIGNORE], a->q[R_FCHECK]);
		bind_real(ins, c++, a->q[R_FCHECK] > 0 ? w.lo : NAN);
		bind_real(ins, c++, a->q[R_FCHECK] > 0 ? w.hi : NAN);
		bind_real(ins, c++, sci.lo);
		bind_real(ins, c++, sci.hi);
		bind_real(ins, c++, cov);
		bind_real(ins, c++, cci.lo);
		bind_real(ins, c++, cci.hi);
		sqlite3_bind_int64(ins, c++, a->unstable);
		sqlite3_bind_int64(ins, c++, a->judged);
		sqlite3_bind_int64(ins, c++, a->judge_errors);
		if (sqlite3_step(ins) != SQLITE_DONE)
			goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		am_err_set(err, "aggregates of run %lld: %s", (long long)run, sqlite3_errmsg(db));
	sqlite3_finalize(ins);
	return rc;
}

/* Key point hit rates, and match against judge, straight from the verdicts. */
static int
write_tables(sqlite3 *db, int64_t run, struct am_err *err)
{
	static const char *const sql[] = {
		"DELETE FROM keypoint_rates WHERE run_id = ?1",
		"INSERT INTO keypoint_rates (run_id, model, question, turn, item, hits, n) "
		"SELECT ?1, a.model, a.question, a.turn, v.item, sum(v.hit), count(*) "
		"FROM verdicts v JOIN answers a ON a.id = v.answer_id "
		"WHERE a.run_id = ?1 AND v.kind = 'keypoint' "
		"GROUP BY a.model, a.question, a.turn, v.item",
		"DELETE FROM agreement WHERE run_id = ?1",
		"INSERT INTO agreement (run_id, question, both_hit, match_only, judge_only, "
		"both_miss) SELECT ?1, a.question, "
		"sum(v.match_hit = 1 AND v.judge_hit = 1), sum(v.match_hit = 1 AND v.judge_hit = "
		"0), "
		"sum(v.match_hit = 0 AND v.judge_hit = 1), sum(v.match_hit = 0 AND v.judge_hit = "
		"0) "
		"FROM verdicts v JOIN answers a ON a.id = v.answer_id "
		"WHERE a.run_id = ?1 AND v.judge_hit IS NOT NULL GROUP BY a.question",
		"INSERT INTO agreement (run_id, question, both_hit, match_only, judge_only, "
		"both_miss) SELECT ?1, '*', sum(both_hit), sum(match_only), sum(judge_only), "
		"sum(both_miss) FROM agreement WHERE run_id = ?1 HAVING count(*) > 0",
		"DELETE FROM question_stats WHERE run_id = ?1",
		"DELETE FROM aggregates WHERE run_id = ?1",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sql); i++) {
		sqlite3_stmt *st;
		int rc;

		if (sqlite3_prepare_v2(db, sql[i], -1, &st, NULL) != SQLITE_OK)
			return am_err_set(err, "aggregates: %s", sqlite3_errmsg(db));
		sqlite3_bind_int64(st, 1, run);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return am_err_set(err, "aggregates: %s", sqlite3_errmsg(db));
	}
	return 0;
}

int
aggregate_run(sqlite3 *db, int64_t run, struct am_err *err)
{
	struct aggs as = {0};
	size_t i;
	int rc = -1;

	if (write_tables(db, run, err) < 0 || read_answers(db, run, &as, err) < 0 ||
	    read_counts(db, run, &as, err) < 0 || write_aggs(db, run, &as, err) < 0)
		goto out;
	rc = 0;
out:
	for (i = 0; i < as.n; i++)
		agg_free(&as.a[i]);
	free(as.a);
	return rc;
}

/* --- reading ---------------------------------------------------------------- */

static double
col_real(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

static json_t *
real_json(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *
ci_json(sqlite3_stmt *st, int lo)
{
	if (sqlite3_column_type(st, lo) == SQLITE_NULL)
		return json_null();
	return json_pack("[f, f]", sqlite3_column_double(st, lo),
			 sqlite3_column_double(st, lo + 1));
}

#define SUMMARY_COLUMNS                                                                            \
	"g.model, g.area, g.questions, g.answers, g.samples, g.errors, g.mean_score, g.score_lo, " \
	"g.score_hi, g.mean_coverage, g.coverage_lo, g.coverage_hi, g.q_passed, g.pass_lo, "       \
	"g.pass_hi, g.q_hallucinated, g.hallucination_lo, g.hallucination_hi, g.q_abstained, "     \
	"g.abstention_lo, g.abstention_hi, g.q_loops, g.loop_lo, g.loop_hi, g.q_mixed, "           \
	"g.mix_lo, g.mix_hi, g.q_truncated, g.q_followup_checked, g.q_followup_ignored, "          \
	"g.followup_lo, g.followup_hi, g.passed, g.hallucinated, g.abstained, g.loops, g.mixed, "  \
	"g.truncated, g.followup_checked, g.followup_ignored, g.reasoning_share, "                 \
	"g.reasoning_tokens, g.answer_tokens, g.p50_ms, g.p95_ms, g.ttft_p50_ms, "                 \
	"g.tokens_per_s, g.unstable, g.judged, g.judge_errors, m.simulated, m.digest, m.changed"

/* One aggregates row (SUMMARY_COLUMNS) as JSON. */
static json_t *
summary_row(sqlite3_stmt *st, const struct config_thresholds *t)
{
	static const char *const counts[] = {
		"passed", "hallucinated", "abstained",        "loops",
		"mixed",  "truncated",    "followup_checked", "followup_ignored"};
	static const char *const tail[] = {"reasoning_share", "reasoning_tokens", "answer_tokens",
					   "p50_ms",          "p95_ms",           "ttft_p50_ms",
					   "tokens_per_s"};
	double nq = (double)sqlite3_column_int64(st, 2), fc = col_real(st, 28);
	json_t *o = json_object();
	size_t i;

#define RATE(k) (nq > 0 ? json_real(col_real(st, k) / nq) : json_null())
	json_object_set_new(o, "model", json_string((const char *)sqlite3_column_text(st, 0)));
	json_object_set_new(o, "area", json_string((const char *)sqlite3_column_text(st, 1)));
	json_object_set_new(o, "questions", json_integer(sqlite3_column_int64(st, 2)));
	json_object_set_new(o, "answers", json_integer(sqlite3_column_int64(st, 3)));
	json_object_set_new(o, "samples", json_integer(sqlite3_column_int64(st, 4)));
	json_object_set_new(o, "errors", json_integer(sqlite3_column_int64(st, 5)));
	json_object_set_new(o, "mean_score", real_json(col_real(st, 6)));
	json_object_set_new(o, "score_ci", ci_json(st, 7));
	json_object_set_new(o, "mean_coverage", real_json(col_real(st, 9)));
	json_object_set_new(o, "coverage_ci", ci_json(st, 10));
	json_object_set_new(o, "pass_rate", RATE(12));
	json_object_set_new(o, "pass_ci", ci_json(st, 13));
	json_object_set_new(o, "hallucination_rate", RATE(15));
	json_object_set_new(o, "hallucination_ci", ci_json(st, 16));
	json_object_set_new(o, "abstention_rate", RATE(18));
	json_object_set_new(o, "abstention_ci", ci_json(st, 19));
	json_object_set_new(o, "loop_rate", RATE(21));
	json_object_set_new(o, "loop_ci", ci_json(st, 22));
	json_object_set_new(o, "mix_rate", RATE(24));
	json_object_set_new(o, "mix_ci", ci_json(st, 25));
	json_object_set_new(o, "truncation_rate", RATE(27));
	json_object_set_new(o, "followup_checked_questions", real_json(fc));
	json_object_set_new(o, "followup_ignored_rate",
			    fc > 0 ? json_real(col_real(st, 29) / fc) : json_null());
	json_object_set_new(o, "followup_ci", ci_json(st, 30));
	for (i = 0; i < ARRAY_SIZE(counts); i++)
		json_object_set_new(o, counts[i],
				    json_integer(sqlite3_column_int64(st, 32 + (int)i)));
	for (i = 0; i < ARRAY_SIZE(tail); i++)
		json_object_set_new(o, tail[i], real_json(col_real(st, 40 + (int)i)));
	json_object_set_new(o, "unstable", json_integer(sqlite3_column_int64(st, 47)));
	json_object_set_new(o, "judged", json_integer(sqlite3_column_int64(st, 48)));
	json_object_set_new(o, "judge_errors", json_integer(sqlite3_column_int64(st, 49)));
	json_object_set_new(o, "simulated", json_boolean(sqlite3_column_int(st, 50)));
	json_object_set_new(o, "digest",
			    sqlite3_column_type(st, 51) == SQLITE_NULL
				    ? json_null()
				    : json_string((const char *)sqlite3_column_text(st, 51)));
	json_object_set_new(o, "changed", json_boolean(sqlite3_column_int(st, 52)));
	json_object_set_new(o, "verdict",
			    json_string(stats_verdict_name(
				    stats_verdict(col_real(st, 12), col_real(st, 15), nq,
						  (long)sqlite3_column_int64(st, 2), t))));
#undef RATE
	return o;
}

json_t *
aggregate_summary_json(sqlite3 *db, int64_t run, const struct config_thresholds *t)
{
	sqlite3_stmt *st = NULL;
	json_t *models = json_array(), *o, *m;
	size_t i;

	if (sqlite3_prepare_v2(db,
			       "SELECT " SUMMARY_COLUMNS
			       " FROM aggregates g LEFT JOIN run_models m "
			       "ON m.run_id = g.run_id AND m.model = g.model WHERE g.run_id = ? "
			       "ORDER BY g.model, g.area <> '*', g.area",
			       -1, &st, NULL) != SQLITE_OK)
		return models;
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		o = summary_row(st, t);
		if (strcmp(json_string_value(json_object_get(o, "area")), "*") == 0) {
			json_object_set_new(o, "areas", json_array());
			json_array_append_new(models, o);
			continue;
		}
		/* An area row: under its model, which comes first ('*' sorts first). */
		m = NULL;
		json_array_foreach(models, i, m)
		{
			if (json_equal(json_object_get(m, "model"), json_object_get(o, "model")))
				break;
			m = NULL;
		}
		if (m)
			json_array_append(json_object_get(m, "areas"), o);
		json_decref(o);
	}
	sqlite3_finalize(st);
	/* The questions whose samples disagree on passing, per model. */
	if (sqlite3_prepare_v2(db,
			       "SELECT model, question, samples, passed, mean_score, sd_score "
			       "FROM question_stats WHERE run_id = ? AND unstable = 1 "
			       "ORDER BY model, question",
			       -1, &st, NULL) != SQLITE_OK)
		return models;
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_array_foreach(models, i, m)
		{
			json_t *list;

			if (strcmp(json_string_value(json_object_get(m, "model")),
				   (const char *)sqlite3_column_text(st, 0)) != 0)
				continue;
			list = json_object_get(m, "unstable_questions");
			if (!list) {
				list = json_array();
				json_object_set_new(m, "unstable_questions", list);
			}
			json_array_append_new(
				list, json_pack("{s:s, s:I, s:I, s:f, s:f}", "question",
						(const char *)sqlite3_column_text(st, 1), "samples",
						(json_int_t)sqlite3_column_int64(st, 2), "passed",
						(json_int_t)sqlite3_column_int64(st, 3),
						"mean_score", sqlite3_column_double(st, 4),
						"sd_score", sqlite3_column_double(st, 5)));
			break;
		}
	}
	sqlite3_finalize(st);
	return models;
}

static json_t *
agreement_row(int64_t bh, int64_t mo, int64_t jo, int64_t bm)
{
	int64_t n = bh + mo + jo + bm;
	double po, pe, pm, pj, k;

	if (n == 0)
		return json_null();
	po = (double)(bh + bm) / (double)n;
	pm = (double)(bh + mo) / (double)n; /* matching says hit */
	pj = (double)(bh + jo) / (double)n; /* the judge says hit */
	pe = pm * pj + (1 - pm) * (1 - pj);
	k = pe < 1 ? (po - pe) / (1 - pe) : NAN; /* all on one side: kappa undefined */
	return json_pack("{s:I, s:I, s:f, s:o, s:I, s:I, s:I, s:I}", "n", (json_int_t)n, "agree",
			 (json_int_t)(bh + bm), "percent", 100 * po, "kappa", real_json(k),
			 "both_hit", (json_int_t)bh, "match_only", (json_int_t)mo, "judge_only",
			 (json_int_t)jo, "both_miss", (json_int_t)bm);
}

json_t *
aggregate_agreement_json(sqlite3 *db, int64_t run)
{
	sqlite3_stmt *st = NULL;
	json_t *all = NULL, *qs = json_array();

	if (sqlite3_prepare_v2(db,
			       "SELECT question, both_hit, match_only, judge_only, both_miss "
			       "FROM agreement WHERE run_id = ? ORDER BY question",
			       -1, &st, NULL) != SQLITE_OK) {
		json_decref(qs);
		return json_null();
	}
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *q = (const char *)sqlite3_column_text(st, 0);
		json_t *row =
			agreement_row(sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
				      sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4));

		if (json_is_null(row))
			continue;
		if (strcmp(q, "*") == 0) {
			all = row;
			continue;
		}
		json_object_set_new(row, "question", json_string(q));
		json_array_append_new(qs, row);
	}
	sqlite3_finalize(st);
	if (!all) {
		json_decref(qs);
		return json_null();
	}
	json_object_set_new(all, "questions", qs);
	return all;
}
