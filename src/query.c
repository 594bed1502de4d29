/*
 * query.c - what the dashboard reads, as JSON.
 *
 * Every query reads pre-aggregated rows (aggregates, question_stats) or
 * goes through an index (answers by run and model or question, verdicts
 * and citations by answer, reviews by answer); none scans answer text.
 * Model output is returned as JSON strings, never interpreted; spans are
 * byte offsets into it.  Statements are prepared per call: these are read
 * by people, a few per second at most.
 */
#include "amconfig.h"

#include "query.h"
#include "aggregate.h"
#include "stats.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* --- small helpers ---------------------------------------------------------- */

static sqlite3_stmt *
prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	return st;
}

/* A TEXT column as a JSON string; invalid UTF-8 (it should not occur) as null. */
static json_t *
col_str(sqlite3_stmt *st, int i)
{
	json_t *s;

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	s = json_stringn((const char *)sqlite3_column_text(st, i),
			 (size_t)sqlite3_column_bytes(st, i));
	return s ? s : json_null();
}

static json_t *
col_json(sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(st, i));
	case SQLITE_FLOAT: return json_real(sqlite3_column_double(st, i));
	case SQLITE_TEXT: return col_str(st, i);
	default: return json_null();
	}
}

/* A row as an object keyed by column names; columns named is_* become booleans. */
static json_t *
row_json(sqlite3_stmt *st)
{
	json_t *o = json_object();
	int i, n = sqlite3_column_count(st);

	for (i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(st, i);

		if (strncmp(name, "is_", 3) == 0)
			json_object_set_new(o, name + 3,
					    sqlite3_column_type(st, i) == SQLITE_NULL
						    ? json_null()
						    : json_boolean(sqlite3_column_int(st, i)));
		else
			json_object_set_new(o, name, col_json(st, i));
	}
	return o;
}

/* Every row of a bound statement, as an array; finalizes it. */
static json_t *
rows_json(sqlite3_stmt *st)
{
	json_t *a = json_array();

	while (st && sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, row_json(st));
	sqlite3_finalize(st);
	return a;
}

int64_t
query_latest_run(sqlite3 *db)
{
	sqlite3_stmt *st = prep(db, "SELECT max(id) FROM runs WHERE status = 'done'");
	int64_t id = 0;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

json_t *
query_run_brief(sqlite3 *db, int64_t run)
{
	sqlite3_stmt *st = prep(db, "SELECT id, status, created_at, finished_at, suite, samples, "
				    "trigger FROM runs WHERE id = ?");
	json_t *o = json_null();

	if (!st)
		return o;
	sqlite3_bind_int64(st, 1, run);
	if (sqlite3_step(st) == SQLITE_ROW) {
		json_decref(o);
		o = row_json(st);
	}
	sqlite3_finalize(st);
	return o;
}

/* --- models and the leaderboard -------------------------------------------- */

json_t *
query_models(sqlite3 *db, const struct config *cfg)
{
	sqlite3_stmt *st;
	json_t *models = json_array(), *m;
	size_t i, k, j;

	/* Each model's latest run, newest first. */
	st = prep(db,
		  "SELECT m.model, m.backend, m.kind, m.digest, m.previous_digest, "
		  "m.changed AS is_changed, m.simulated AS is_simulated, m.run_id AS last_run, "
		  "r.created_at AS last_run_at FROM run_models m JOIN runs r ON r.id = m.run_id "
		  "WHERE m.run_id = (SELECT max(run_id) FROM run_models x WHERE x.model = m.model) "
		  "ORDER BY m.run_id DESC, m.model");
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		m = row_json(st);
		json_object_set_new(m, "configured", json_false());
		json_array_append_new(models, m);
	}
	sqlite3_finalize(st);
	for (i = 0; i < cfg->nbackends; i++) {
		const struct config_backend *b = &cfg->backends[i];

		for (k = 0; k < b->nmodels; k++) {
			m = NULL;
			json_array_foreach(models, j, m)
			{
				if (strcmp(json_string_value(json_object_get(m, "model")),
					   b->models[k].name) == 0)
					break;
				m = NULL;
			}
			if (!m) {
				m = json_pack("{s:s, s:s, s:s, s:b, s:n, s:n, s:b, s:n, s:n}",
					      "model", b->models[k].name, "backend", b->name,
					      "kind", backend_kind_name(b->kind), "simulated",
					      b->kind == BACKEND_DEMO, "digest", "previous_digest",
					      "changed", 0, "last_run", "last_run_at");
				json_array_append_new(models, m);
			}
			json_object_set_new(m, "configured", json_true());
		}
	}
	return json_pack("{s:o}", "models", models);
}

json_t *
query_leaderboard(sqlite3 *db, int64_t run, const struct config_thresholds *t)
{
	json_t *o, *areas = json_array();
	sqlite3_stmt *st;

	if (!run)
		return json_pack("{s:n, s:[], s:[], s:n}", "run", "models", "areas", "agreement");
	st = prep(db, "SELECT DISTINCT area FROM aggregates WHERE run_id = ? AND area <> '*' "
		      "ORDER BY area");
	if (st) {
		sqlite3_bind_int64(st, 1, run);
		while (sqlite3_step(st) == SQLITE_ROW)
			json_array_append_new(areas, col_str(st, 0));
		sqlite3_finalize(st);
	}
	o = json_pack("{s:o, s:{s:f, s:f, s:f, s:f, s:i}, s:o, s:o, s:o}", "run",
		      query_run_brief(db, run), "thresholds", "suitable_pass_lower",
		      t->suitable_pass_lower, "suitable_hallucination_upper",
		      t->suitable_hallucination_upper, "review_pass", t->review_pass,
		      "review_hallucination", t->review_hallucination, "min_questions",
		      STATS_MIN_QUESTIONS, "models", aggregate_summary_json(db, run, t), "areas",
		      areas, "agreement", aggregate_agreement_json(db, run));
	return o;
}

/* --- answers ------------------------------------------------------------------ */

#define ANSWER_COLUMNS                                                                       \
	"a.id, a.run_id, a.job_id, a.model, a.question, a.area, a.turn, j.sample, a.score, " \
	"a.coverage, a.passed AS is_passed, a.hallucinated AS is_hallucinated, "             \
	"a.abstained AS is_abstained, a.truncated AS is_truncated, a.loop AS is_loop, "      \
	"a.mix AS is_mix, a.followup_ignored AS is_followup_ignored, a.total_ms"

/*
 * The WHERE clause of a filter: only the conditions in use, so that the
 * planner sees "hallucinated = ?" and picks its index.  Every value is
 * bound (?1 run, ?2 model, ?3 question, ?4 passed, ?5 hallucinated, ?8 area).
 */
static void
answer_where(struct buf *b, const struct answer_filter *f)
{
	buf_puts(b, "WHERE a.run_id = ?1");
	if (f->model)
		buf_puts(b, " AND a.model = ?2");
	if (f->question)
		buf_puts(b, " AND a.question = ?3");
	if (f->area)
		buf_puts(b, " AND a.area = ?8");
	if (f->passed >= 0)
		buf_puts(b, " AND a.passed = ?4");
	if (f->hallucinated >= 0)
		buf_puts(b, " AND a.hallucinated = ?5");
}

static void
answer_bind(sqlite3_stmt *st, const struct answer_filter *f)
{
	sqlite3_bind_int64(st, 1, f->run);
	if (f->model)
		sqlite3_bind_text(st, 2, f->model, -1, SQLITE_STATIC);
	if (f->question)
		sqlite3_bind_text(st, 3, f->question, -1, SQLITE_STATIC);
	if (f->area)
		sqlite3_bind_text(st, 8, f->area, -1, SQLITE_STATIC);
	if (f->passed >= 0)
		sqlite3_bind_int(st, 4, f->passed);
	if (f->hallucinated >= 0)
		sqlite3_bind_int(st, 5, f->hallucinated);
}

json_t *
query_answers(sqlite3 *db, const struct answer_filter *f, int64_t total)
{
	sqlite3_stmt *st;
	struct buf b;
	json_t *list;

	buf_init(&b, 0);
	if (total < 0) {
		total = 0;
		buf_puts(&b, "SELECT count(*) FROM answers a ");
		answer_where(&b, f);
		st = prep(db, b.data);
		if (!st) {
			buf_deinit(&b);
			return NULL;
		}
		answer_bind(st, f);
		if (sqlite3_step(st) == SQLITE_ROW)
			total = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		b.len = 0;
	}
	/* The page's ids first, from the index alone, then only those rows. */
	buf_puts(&b, "SELECT " ANSWER_COLUMNS ", substr(a.content, 1, 200) AS excerpt "
		     "FROM answers a JOIN jobs j ON j.id = a.job_id WHERE a.id IN "
		     "(SELECT a.id FROM answers a ");
	answer_where(&b, f);
	buf_puts(&b, " ORDER BY a.id DESC LIMIT ?6 OFFSET ?7) ORDER BY a.id DESC");
	st = prep(db, b.data);
	buf_deinit(&b);
	if (!st)
		return NULL;
	answer_bind(st, f);
	sqlite3_bind_int(st, 6, f->per_page);
	sqlite3_bind_int64(st, 7, (int64_t)(f->page - 1) * f->per_page);
	list = rows_json(st);
	return json_pack("{s:I, s:I, s:i, s:i, s:o}", "run_id", (json_int_t)f->run, "total",
			 (json_int_t)total, "page", f->page, "per_page", f->per_page, "answers",
			 list);
}

/* The byte span [s, e) of content as a string, or null when it is not whole UTF-8. */
static json_t *
span_text(const char *content, size_t len, int64_t s, int64_t e)
{
	json_t *t;

	if (s < 0 || e < s || (size_t)e > len)
		return json_null();
	t = json_stringn(content + s, (size_t)(e - s));
	return t ? t : json_null();
}

/* The criterion of an item, from the bank (NULL when not known). */
static const char *
item_criterion(const struct catalog *cat, const char *question, int turn, const char *kind,
	       const char *item)
{
	const struct rubric *r = cat ? rubric_set_find(&cat->rubrics, question) : NULL;
	const struct rubric_turn *t = r ? rubric_turn(r, turn) : NULL;
	int forbidden = strcmp(kind, "forbidden") == 0;
	size_t i, n = t ? (forbidden ? t->nforbidden : t->nkeypoints) : 0;

	for (i = 0; i < n; i++) {
		const struct rubric_item *it = forbidden ? &t->forbidden[i] : &t->keypoints[i];

		if (strcmp(it->id, item) == 0)
			return forbidden ? it->claim : it->criterion;
	}
	return NULL;
}

static json_t *
verdicts_json(sqlite3 *db, const struct catalog *cat, int64_t answer, const char *question,
	      int turn, const char *content, size_t len)
{
	sqlite3_stmt *st;
	json_t *a = json_array();

	st = prep(db,
		  "SELECT v.kind, v.item, v.points, v.hit, v.method, v.match_hit, v.judge_hit, "
		  "v.explanation, v.evidence, r.id, r.hit, r.reason, r.reviewer, r.created_at, "
		  "r.original_hit FROM verdicts v LEFT JOIN reviews r ON r.id = (SELECT max(id) "
		  "FROM reviews x WHERE x.answer_id = v.answer_id AND x.kind = v.kind AND "
		  "x.item = v.item) WHERE v.answer_id = ? ORDER BY v.kind DESC, v.rowid");
	if (!st)
		return a;
	sqlite3_bind_int64(st, 1, answer);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);
		const char *item = (const char *)sqlite3_column_text(st, 1);
		const char *crit = item_criterion(cat, question, turn, kind, item);
		json_t *ev = json_array(), *spans, *sp, *v;
		json_error_t je;
		size_t i;

		spans = json_loads((const char *)sqlite3_column_text(st, 8), 0, &je);
		json_array_foreach(spans, i, sp)
		{
			int64_t s = json_integer_value(json_array_get(sp, 0)),
				e = json_integer_value(json_array_get(sp, 1));

			json_array_append_new(ev, json_pack("{s:I, s:I, s:o}", "start",
							    (json_int_t)s, "end", (json_int_t)e,
							    "text", span_text(content, len, s, e)));
		}
		json_decref(spans);
		v = json_pack("{s:o, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:o}", "kind",
			      col_str(st, 0), "item", col_str(st, 1), "points", col_json(st, 2),
			      "hit", sqlite3_column_int(st, 3), "method", col_str(st, 4),
			      "match_hit", col_json(st, 5), "judge_hit", col_json(st, 6),
			      "explanation", col_str(st, 7), "evidence", ev);
		json_object_set_new(v, "criterion", crit ? json_string(crit) : json_null());
		json_object_set_new(
			v, "review",
			sqlite3_column_type(st, 9) == SQLITE_NULL
				? json_null()
				: json_pack("{s:o, s:b, s:o, s:o, s:o, s:b}", "id", col_json(st, 9),
					    "hit", sqlite3_column_int(st, 10), "reason",
					    col_str(st, 11), "reviewer", col_str(st, 12),
					    "created_at", col_json(st, 13), "original_hit",
					    sqlite3_column_int(st, 14)));
		json_array_append_new(a, v);
	}
	sqlite3_finalize(st);
	return a;
}

static json_t *
citations_json(sqlite3 *db, int64_t answer)
{
	sqlite3_stmt *st = prep(db, "SELECT seq, text, law, law_id, article, sub, status, "
				    "denied AS is_denied, start, \"end\" FROM citations "
				    "WHERE answer_id = ? ORDER BY seq");

	if (st)
		sqlite3_bind_int64(st, 1, answer);
	return rows_json(st);
}

/* The answers of a statement whose first columns are ANSWER_COLUMNS + the rest. */
static json_t *
full_answers(sqlite3 *db, const struct catalog *cat, sqlite3_stmt *st)
{
	json_t *a = json_array();

	while (st && sqlite3_step(st) == SQLITE_ROW) {
		json_t *o = row_json(st);
		int64_t id = sqlite3_column_int64(st, 0);
		const char *q = (const char *)sqlite3_column_text(st, 4);
		int turn = sqlite3_column_int(st, 6);
		const char *content = (const char *)sqlite3_column_text(st, 18);
		size_t len = (size_t)sqlite3_column_bytes(st, 18);

		json_object_set_new(o, "verdicts",
				    verdicts_json(db, cat, id, q, turn, content, len));
		json_object_set_new(o, "citations", citations_json(db, id));
		json_array_append_new(a, o);
	}
	sqlite3_finalize(st);
	return a;
}

#define FULL_COLUMNS                                                                     \
	ANSWER_COLUMNS ", a.content, a.reasoning, a.finish_reason, a.usage, a.ttft_ms, " \
		       "a.tokens_per_s, a.reasoning_tokens, a.answer_tokens, "           \
		       "a.tokens_estimated AS is_tokens_estimated, a.rep4_reasoning, "   \
		       "a.rep4_answer, a.mix_ratio"

json_t *
query_answer(sqlite3 *db, const struct catalog *cat, int64_t id)
{
	sqlite3_stmt *st = prep(db, "SELECT " FULL_COLUMNS " FROM answers a JOIN jobs j "
				    "ON j.id = a.job_id WHERE a.id = ?");
	json_t *a, *o;

	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	a = full_answers(db, cat, st);
	o = json_array_get(a, 0);
	if (o)
		json_incref(o);
	json_decref(a);
	return o;
}

/* --- questions ------------------------------------------------------------------ */

static json_t *
question_brief(const struct question *q)
{
	json_t *tags = json_array(), *turns = json_array();
	size_t i;

	for (i = 0; i < q->ntags; i++)
		json_array_append_new(tags, json_string(q->tags[i]));
	for (i = 0; i < q->nturns; i++)
		json_array_append_new(turns, json_string(q->turns[i].ask));
	return json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:o, s:o}", "id", q->id, "area",
			 q->area, "language", q->language, "jurisdiction", q->jurisdiction,
			 "version_of_law", q->version_of_law, "twin", q->twin, "tags", tags,
			 "turns", turns);
}

json_t *
query_questions(sqlite3 *db, const struct catalog *cat, int64_t run)
{
	json_t *list = json_array();
	sqlite3_stmt *st = prep(db, "SELECT question, model, CAST(passed AS REAL) / samples "
				    "FROM question_stats WHERE run_id = ? ORDER BY question");
	size_t i;

	for (i = 0; i < cat->bank.n; i++) {
		json_t *o = question_brief(cat->bank.q[i]);

		json_object_set_new(o, "pass_rates", json_object());
		json_array_append_new(list, o);
	}
	if (st) {
		sqlite3_bind_int64(st, 1, run);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *q = (const char *)sqlite3_column_text(st, 0);
			json_t *o;

			json_array_foreach(list, i, o)
			{
				if (strcmp(json_string_value(json_object_get(o, "id")), q) == 0) {
					json_object_set_new(
						json_object_get(o, "pass_rates"),
						(const char *)sqlite3_column_text(st, 1),
						json_real(sqlite3_column_double(st, 2)));
					break;
				}
			}
		}
		sqlite3_finalize(st);
	}
	return json_pack("{s:I, s:o}", "run_id", (json_int_t)run, "questions", list);
}

static json_t *
source_json(const struct rubric_source *s)
{
	if (s->none)
		return json_string("none");
	if (!s->law_name)
		return json_null();
	return json_pack("{s:s, s:i, s:i, s:s?}", "law", s->law_name, "article", s->article, "sub",
			 s->sub, "version", s->version);
}

static json_t *
rubric_json(const struct rubric *r)
{
	json_t *turns = json_array();
	size_t i, k;

	for (i = 0; r && i < r->nturns; i++) {
		const struct rubric_turn *t = &r->turns[i];
		json_t *kp = json_array(), *fb = json_array();

		for (k = 0; k < t->nkeypoints; k++)
			json_array_append_new(kp, json_pack("{s:s, s:f, s:s?, s:o}", "id",
							    t->keypoints[k].id, "points",
							    t->keypoints[k].points, "criterion",
							    t->keypoints[k].criterion, "source",
							    source_json(&t->keypoints[k].source)));
		for (k = 0; k < t->nforbidden; k++)
			json_array_append_new(fb, json_pack("{s:s, s:f, s:s?}", "id",
							    t->forbidden[k].id, "points",
							    t->forbidden[k].points, "claim",
							    t->forbidden[k].claim));
		json_array_append_new(turns,
				      json_pack("{s:i, s:f, s:o, s:o, s:o}", "turn", t->turn,
						"pass", t->pass, "source", source_json(&t->source),
						"keypoints", kp, "forbidden", fb));
	}
	return json_pack("{s:f, s:s?, s:o}", "pass", r ? r->pass : 0.0, "version",
			 r ? r->version : NULL, "turns", turns);
}

json_t *
query_question(sqlite3 *db, const struct catalog *cat, const char *id, int64_t run)
{
	const struct question *q = bank_find(&cat->bank, id);
	json_t *qj, *turns, *o;
	sqlite3_stmt *st;
	size_t i;

	if (!q)
		return NULL;
	qj = question_brief(q);
	turns = json_array();
	for (i = 0; i < q->nturns; i++)
		json_array_append_new(turns, json_pack("{s:s, s:s?}", "ask", q->turns[i].ask,
						       "reference", q->turns[i].reference));
	json_object_set_new(qj, "turns", turns);
	st = prep(db, "SELECT " FULL_COLUMNS " FROM answers a JOIN jobs j ON j.id = a.job_id "
		      "WHERE a.question = ?1 AND a.run_id = ?2 ORDER BY a.model, j.sample, a.turn");
	if (st) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, run);
	}
	o = json_pack("{s:o, s:o, s:I, s:o}", "question", qj, "rubric",
		      rubric_json(rubric_set_find(&cat->rubrics, id)), "run_id", (json_int_t)run,
		      "answers", full_answers(db, cat, st));
	return o;
}

/* --- trends ---------------------------------------------------------------------- */

json_t *
query_trends(sqlite3 *db, const char *metric, const char *model, const char *area, int limit)
{
	static const struct {
		const char *name, *value, *lo, *hi;
	} metrics[] = {
		{"pass_rate", "q_passed / questions", "pass_lo", "pass_hi"},
		{"hallucination_rate", "q_hallucinated / questions", "hallucination_lo",
		 "hallucination_hi"},
		{"mean_score", "mean_score", "score_lo", "score_hi"},
		{"abstention_rate", "q_abstained / questions", "abstention_lo", "abstention_hi"},
		{"loop_rate", "q_loops / questions", "loop_lo", "loop_hi"},
		{"mix_rate", "q_mixed / questions", "mix_lo", "mix_hi"},
		{"reasoning_share", "reasoning_share", "NULL", "NULL"},
		{"p50_ms", "p50_ms", "NULL", "NULL"},
	};
	json_t *series = json_array(), *cur = NULL;
	sqlite3_stmt *st;
	size_t i;
	char *sql;

	for (i = 0; i < ARRAY_SIZE(metrics) && strcmp(metrics[i].name, metric) != 0; i++)
		;
	if (i == ARRAY_SIZE(metrics)) {
		json_decref(series);
		return NULL;
	}
	/* The column names come from the table above, never from the request. */
	sql = xasprintf("SELECT g.model, g.run_id, r.created_at, CASE WHEN g.questions > 0 THEN "
			"%s END, %s, %s FROM aggregates g JOIN runs r ON r.id = g.run_id "
			"WHERE r.status = 'done' AND g.area = ?1 AND (?2 IS NULL OR g.model = ?2) "
			"AND g.run_id IN (SELECT id FROM runs WHERE status = 'done' "
			"ORDER BY id DESC LIMIT ?3) ORDER BY g.model, g.run_id",
			metrics[i].value, metrics[i].lo, metrics[i].hi);
	st = prep(db, sql);
	free(sql);
	if (!st) {
		json_decref(series);
		return NULL;
	}
	sqlite3_bind_text(st, 1, area, -1, SQLITE_STATIC);
	if (model)
		sqlite3_bind_text(st, 2, model, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, limit);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0);
		json_t *ci = sqlite3_column_type(st, 4) == SQLITE_NULL
				     ? json_null()
				     : json_pack("[f, f]", sqlite3_column_double(st, 4),
						 sqlite3_column_double(st, 5));

		if (!cur || strcmp(json_string_value(json_object_get(cur, "model")), m) != 0) {
			cur = json_pack("{s:s, s:[]}", "model", m, "points");
			json_array_append_new(series, cur);
		}
		json_array_append_new(json_object_get(cur, "points"),
				      json_pack("{s:o, s:o, s:o, s:o}", "run_id", col_json(st, 1),
						"at", col_json(st, 2), "value", col_json(st, 3),
						"ci", ci));
	}
	sqlite3_finalize(st);
	return json_pack("{s:s, s:s, s:o}", "metric", metric, "area", area, "series", series);
}

/* --- reviews ------------------------------------------------------------------------ */

static json_t *
tally(int64_t n, int64_t agree)
{
	return json_pack("{s:I, s:I}", "n", (json_int_t)n, "agree", (json_int_t)agree);
}

json_t *
query_reviews(sqlite3 *db, int64_t run, const char *question)
{
	sqlite3_stmt *st;
	json_t *list, *per = json_array();
	int64_t mn = 0, ma = 0, jn = 0, ja = 0;

	/* The rulings in force (the latest per item), with what they overruled. */
	static const char in_force[] =
		"FROM reviews rv JOIN answers a ON a.id = rv.answer_id "
		"JOIN verdicts v ON v.answer_id = rv.answer_id AND v.kind = rv.kind "
		"AND v.item = rv.item WHERE rv.id = (SELECT max(id) FROM reviews x "
		"WHERE x.answer_id = rv.answer_id AND x.kind = rv.kind AND x.item = rv.item) "
		"AND (?1 = 0 OR a.run_id = ?1) AND (?2 IS NULL OR a.question = ?2)";
	char *sql = xasprintf("SELECT rv.id, rv.answer_id, a.run_id, a.model, a.question, a.turn, "
			      "rv.kind, rv.item, rv.hit AS is_hit, rv.original_hit AS "
			      "is_original_hit, v.match_hit AS is_match_hit, v.judge_hit AS "
			      "is_judge_hit, rv.reason, rv.reviewer, rv.created_at %s "
			      "ORDER BY rv.id DESC LIMIT 1000",
			      in_force);

	st = prep(db, sql);
	free(sql);
	if (st) {
		sqlite3_bind_int64(st, 1, run);
		if (question)
			sqlite3_bind_text(st, 2, question, -1, SQLITE_STATIC);
	}
	list = rows_json(st);
	sql = xasprintf("SELECT a.question, count(v.match_hit), sum(v.match_hit = rv.hit), "
			"count(v.judge_hit), sum(v.judge_hit = rv.hit) %s GROUP BY a.question "
			"ORDER BY a.question",
			in_force);
	st = prep(db, sql);
	free(sql);
	if (st) {
		sqlite3_bind_int64(st, 1, run);
		if (question)
			sqlite3_bind_text(st, 2, question, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			int64_t a = sqlite3_column_int64(st, 1), b = sqlite3_column_int64(st, 2),
				c = sqlite3_column_int64(st, 3), d = sqlite3_column_int64(st, 4);

			mn += a, ma += b, jn += c, ja += d;
			json_array_append_new(per, json_pack("{s:o, s:o, s:o}", "question",
							     col_str(st, 0), "match", tally(a, b),
							     "judge", tally(c, d)));
		}
		sqlite3_finalize(st);
	}
	return json_pack("{s:o, s:{s:o, s:o, s:o}}", "reviews", list, "agreement", "match",
			 tally(mn, ma), "judge", tally(jn, ja), "questions", per);
}
