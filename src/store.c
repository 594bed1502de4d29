/*
 * store.c - everything amicus remembers, in one SQLite database.
 *
 * The database is opened in WAL mode so that the dashboard reads while the
 * runner writes.  The schema lives here, as numbered migrations applied in
 * one transaction each and recorded in PRAGMA user_version.
 *
 * Invariants (see DESIGN.md, "Storage"):
 *   - a run creates all its jobs as 'pending' in one transaction;
 *   - a job goes pending -> inflight -> done | error; an answer set (one row
 *     per turn), its verdicts, citations and metrics land with 'done' in one
 *     transaction, and only while the job is 'inflight', so a job never gets
 *     two answers (UNIQUE(job_id, turn) says so too);
 *   - at start-up, jobs an executor left 'inflight' go back to 'pending';
 *   - questions and rubrics are stored by the SHA-256 of their text, and
 *     every job names the hashes it was asked and scored with;
 *   - the dashboard reads pre-aggregated rows (aggregates) or indexed
 *     columns, never a scan of answer text.
 *
 * Model output is bound as parameters, never spliced into SQL.
 */
#include "amconfig.h"

#include "store.h"
#include "aggregate.h"
#include "util.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Prepared statements are kept and reused: parsing SQL cost more than
 * running it.  An entry is busy from prep() to done(); a statement wanted
 * while its entry is busy (or the cache is full) is prepared afresh and
 * finalized by done().
 */
#define STMT_CACHE 64

struct cached {
	const char *sql;
	sqlite3_stmt *st;
	int busy;
};

struct store {
	sqlite3 *db;
	char *path;
	struct cached cache[STMT_CACHE];
	size_t ncache;
	int batch; /* inside store_batch_begin .. store_batch_end */
};

static const char *const migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE texts (\n"
	"  hash TEXT PRIMARY KEY,\n"
	"  kind TEXT NOT NULL,\n"
	"  ref TEXT NOT NULL,\n"
	"  body TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE runs (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  finished_at INTEGER,\n"
	"  status TEXT NOT NULL DEFAULT 'running',\n"
	"  trigger TEXT NOT NULL,\n"
	"  executor TEXT NOT NULL,\n"
	"  suite TEXT NOT NULL,\n"
	"  samples INTEGER NOT NULL,\n"
	"  jobs_total INTEGER NOT NULL DEFAULT 0,\n"
	"  note TEXT\n"
	");\n"
	"CREATE TABLE run_models (\n"
	"  run_id INTEGER NOT NULL REFERENCES runs(id),\n"
	"  model TEXT NOT NULL,\n"
	"  backend TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  digest TEXT,\n"
	"  previous_digest TEXT,\n"
	"  changed INTEGER NOT NULL DEFAULT 0,\n"
	"  simulated INTEGER NOT NULL DEFAULT 0,\n"
	"  options TEXT NOT NULL DEFAULT '{}',\n"
	"  PRIMARY KEY (run_id, model)\n"
	");\n"
	"CREATE TABLE jobs (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  run_id INTEGER NOT NULL REFERENCES runs(id),\n"
	"  model TEXT NOT NULL,\n"
	"  question TEXT NOT NULL,\n"
	"  area TEXT NOT NULL,\n"
	"  language TEXT NOT NULL,\n"
	"  question_hash TEXT NOT NULL REFERENCES texts(hash),\n"
	"  rubric_hash TEXT NOT NULL REFERENCES texts(hash),\n"
	"  sample INTEGER NOT NULL,\n"
	"  state TEXT NOT NULL DEFAULT 'pending'\n"
	"    CHECK (state IN ('pending', 'inflight', 'done', 'error')),\n"
	"  attempts INTEGER NOT NULL DEFAULT 0,\n"
	"  error TEXT,\n"
	"  started_at INTEGER,\n"
	"  finished_at INTEGER,\n"
	"  UNIQUE (run_id, model, question, sample)\n"
	");\n"
	"CREATE INDEX jobs_run_state ON jobs(run_id, state);\n"
	"CREATE INDEX jobs_state ON jobs(state);\n"
	"CREATE TABLE answers (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  job_id INTEGER NOT NULL REFERENCES jobs(id),\n"
	"  turn INTEGER NOT NULL,\n"
	"  run_id INTEGER NOT NULL,\n"
	"  model TEXT NOT NULL,\n"
	"  question TEXT NOT NULL,\n"
	"  area TEXT NOT NULL,\n"
	"  content TEXT NOT NULL,\n"
	"  reasoning TEXT NOT NULL,\n"
	"  score REAL, coverage REAL,\n"
	"  passed INTEGER NOT NULL, hallucinated INTEGER NOT NULL,\n"
	"  abstained INTEGER NOT NULL, truncated INTEGER NOT NULL,\n"
	"  reasoning_tokens INTEGER, answer_tokens INTEGER, tokens_estimated INTEGER,\n"
	"  rep4_reasoning REAL, rep4_answer REAL, loop INTEGER NOT NULL,\n"
	"  mix_ratio REAL, mix INTEGER NOT NULL,\n"
	"  followup_checked INTEGER NOT NULL, followup_ignored INTEGER NOT NULL,\n"
	"  ttft_ms REAL, total_ms REAL, tokens_per_s REAL,\n"
	"  finish_reason TEXT, usage TEXT,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  UNIQUE (job_id, turn)\n"
	");\n"
	"CREATE INDEX answers_run_model ON answers(run_id, model);\n"
	"CREATE INDEX answers_question ON answers(question, run_id);\n"
	"CREATE TABLE verdicts (\n"
	"  answer_id INTEGER NOT NULL REFERENCES answers(id),\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('keypoint', 'forbidden')),\n"
	"  item TEXT NOT NULL,\n"
	"  points REAL NOT NULL,\n"
	"  hit INTEGER NOT NULL,\n"
	"  method TEXT NOT NULL DEFAULT 'match',\n"
	"  evidence TEXT NOT NULL DEFAULT '[]',\n"
	"  PRIMARY KEY (answer_id, kind, item)\n"
	");\n"
	"CREATE TABLE citations (\n"
	"  answer_id INTEGER NOT NULL REFERENCES answers(id),\n"
	"  seq INTEGER NOT NULL,\n"
	"  text TEXT NOT NULL,\n"
	"  law TEXT, law_id TEXT, article INTEGER, sub INTEGER,\n"
	"  status TEXT NOT NULL, denied INTEGER NOT NULL DEFAULT 0,\n"
	"  start INTEGER, \"end\" INTEGER,\n"
	"  PRIMARY KEY (answer_id, seq)\n"
	");\n"
	"CREATE TABLE aggregates (\n"
	"  run_id INTEGER NOT NULL,\n"
	"  model TEXT NOT NULL,\n"
	"  area TEXT NOT NULL,\n"
	"  questions INTEGER NOT NULL, answers INTEGER NOT NULL, errors INTEGER NOT NULL,\n"
	"  mean_score REAL, passed INTEGER NOT NULL, hallucinated INTEGER NOT NULL,\n"
	"  abstained INTEGER NOT NULL, loops INTEGER NOT NULL, mixed INTEGER NOT NULL,\n"
	"  truncated INTEGER NOT NULL,\n"
	"  followup_checked INTEGER NOT NULL, followup_ignored INTEGER NOT NULL,\n"
	"  reasoning_share REAL, reasoning_tokens REAL, answer_tokens REAL,\n"
	"  p50_ms REAL, p95_ms REAL, ttft_p50_ms REAL, tokens_per_s REAL,\n"
	"  PRIMARY KEY (run_id, model, area)\n"
	");\n"
	"CREATE TABLE schedule_state (\n"
	"  name TEXT PRIMARY KEY,\n"
	"  last_fire INTEGER NOT NULL,\n"
	"  last_run INTEGER\n"
	");\n",

	/* 2: the judge, intervals, consistency across samples */
	"ALTER TABLE verdicts ADD COLUMN match_hit INTEGER;\n"
	"ALTER TABLE verdicts ADD COLUMN judge_hit INTEGER;\n"
	"ALTER TABLE verdicts ADD COLUMN explanation TEXT;\n"
	"UPDATE verdicts SET match_hit = hit;\n"
	"CREATE TABLE judge_cache (\n"
	"  answer_hash TEXT NOT NULL,\n"
	"  item_hash TEXT NOT NULL,\n"
	"  judge_model TEXT NOT NULL,\n"
	"  met INTEGER NOT NULL,\n"
	"  explanation TEXT NOT NULL,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  PRIMARY KEY (answer_hash, item_hash, judge_model)\n"
	");\n"
	/* Rates per question (k of n questions, a question's K samples counting
	 * as the share that succeeded) with Wilson intervals; mean score and
	 * coverage with cluster bootstrap intervals. */
	"ALTER TABLE aggregates ADD COLUMN samples INTEGER;\n"
	"ALTER TABLE aggregates ADD COLUMN q_passed REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN q_hallucinated REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN q_abstained REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN q_loops REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN q_mixed REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN q_truncated REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN q_followup_checked REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN q_followup_ignored REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN pass_lo REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN pass_hi REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN hallucination_lo REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN hallucination_hi REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN abstention_lo REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN abstention_hi REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN loop_lo REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN loop_hi REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN mix_lo REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN mix_hi REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN followup_lo REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN followup_hi REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN score_lo REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN score_hi REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN mean_coverage REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN coverage_lo REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN coverage_hi REAL;\n"
	"ALTER TABLE aggregates ADD COLUMN unstable INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE aggregates ADD COLUMN judged INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE aggregates ADD COLUMN judge_errors INTEGER NOT NULL DEFAULT 0;\n"
	"CREATE TABLE question_stats (\n"
	"  run_id INTEGER NOT NULL,\n"
	"  model TEXT NOT NULL,\n"
	"  question TEXT NOT NULL,\n"
	"  area TEXT NOT NULL,\n"
	"  samples INTEGER NOT NULL,\n"
	"  mean_score REAL, sd_score REAL, min_score REAL, max_score REAL,\n"
	"  passed INTEGER NOT NULL,\n"
	"  hallucinated INTEGER NOT NULL,\n"
	"  unstable INTEGER NOT NULL,\n"
	"  PRIMARY KEY (run_id, model, question)\n"
	");\n"
	"CREATE TABLE keypoint_rates (\n"
	"  run_id INTEGER NOT NULL,\n"
	"  model TEXT NOT NULL,\n"
	"  question TEXT NOT NULL,\n"
	"  turn INTEGER NOT NULL,\n"
	"  item TEXT NOT NULL,\n"
	"  hits INTEGER NOT NULL,\n"
	"  n INTEGER NOT NULL,\n"
	"  PRIMARY KEY (run_id, model, question, turn, item)\n"
	");\n"
	/* Match against judge where both gave a verdict: a 2x2 table per
	 * question (question '*': all of them). */
	"CREATE TABLE agreement (\n"
	"  run_id INTEGER NOT NULL,\n"
	"  question TEXT NOT NULL,\n"
	"  both_hit INTEGER NOT NULL, match_only INTEGER NOT NULL,\n"
	"  judge_only INTEGER NOT NULL, both_miss INTEGER NOT NULL,\n"
	"  PRIMARY KEY (run_id, question)\n"
	");\n"
	"CREATE INDEX verdicts_judged ON verdicts(answer_id) WHERE judge_hit IS NOT NULL;\n",

	/* 3: lawyers' rulings on verdicts */
	"CREATE TABLE reviews (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  answer_id INTEGER NOT NULL REFERENCES answers(id),\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('keypoint', 'forbidden')),\n"
	"  item TEXT NOT NULL,\n"
	"  hit INTEGER NOT NULL,\n"
	"  original_hit INTEGER NOT NULL,\n"
	"  reason TEXT NOT NULL,\n"
	"  reviewer TEXT NOT NULL,\n"
	"  created_at INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX reviews_answer ON reviews(answer_id, kind, item);\n",

	/* 4: a finished run keeps its job counts; answers of a run in id order */
	"ALTER TABLE runs ADD COLUMN jobs_done INTEGER;\n"
	"ALTER TABLE runs ADD COLUMN jobs_error INTEGER;\n"
	"UPDATE runs SET jobs_done = (SELECT count(*) FROM jobs WHERE run_id = runs.id AND "
	"state = 'done'), jobs_error = (SELECT count(*) FROM jobs WHERE run_id = runs.id AND "
	"state = 'error') WHERE status IN ('done', 'failed');\n"
	"CREATE INDEX answers_run ON answers(run_id);\n"
	"CREATE INDEX answers_run_hallucinated ON answers(run_id, hallucinated);\n"
	"CREATE INDEX answers_run_passed ON answers(run_id, passed);\n",
};

static int
exec(struct store *s, const char *sql, struct am_err *err)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		am_err_set(err, "%s: %s", s->path, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static sqlite3_stmt *
prep(struct store *s, const char *sql, struct am_err *err)
{
	sqlite3_stmt *st = NULL;
	size_t i;

	for (i = 0; i < s->ncache; i++) {
		struct cached *c = &s->cache[i];

		if (!c->busy && (c->sql == sql || strcmp(c->sql, sql) == 0)) {
			c->busy = 1;
			return c->st;
		}
	}
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		am_err_set(err, "%s: %s", s->path, sqlite3_errmsg(s->db));
		return NULL;
	}
	if (s->ncache < STMT_CACHE) {
		struct cached *c = &s->cache[s->ncache++];

		c->sql = xstrdup(sql);
		c->st = st;
		c->busy = 1;
	}
	return st;
}

/* Gives a statement from prep() back: reset for its next use. */
static void
unprep(struct store *s, sqlite3_stmt *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < s->ncache; i++)
		if (s->cache[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			s->cache[i].busy = 0;
			return;
		}
	sqlite3_finalize(st);
}

/* Steps a statement that returns no rows; gives it back. */
static int
run1(struct store *s, sqlite3_stmt *st, struct am_err *err)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		am_err_set(err, "%s: %s", s->path, sqlite3_errmsg(s->db));
		unprep(s, st);
		return -1;
	}
	unprep(s, st);
	return 0;
}

/* BEGIN IMMEDIATE, COMMIT or ROLLBACK, from the cache. */
static int
tx(struct store *s, const char *sql, struct am_err *err)
{
	sqlite3_stmt *st = prep(s, sql, err);

	return st ? run1(s, st, err) : -1;
}

sqlite3 *
store_db(struct store *s)
{
	return s->db;
}

int64_t
store_last_run(struct store *s)
{
	sqlite3_stmt *st = prep(s, "SELECT max(id) FROM runs", NULL);
	int64_t id = 0;

	if (!st)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	unprep(s, st);
	return id;
}

int64_t
store_latest_run(struct store *s)
{
	sqlite3_stmt *st = prep(s, "SELECT max(id) FROM runs WHERE status = 'done'", NULL);
	int64_t id = 0;

	if (!st)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	unprep(s, st);
	return id;
}

int
store_schema_version(struct store *s)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
migrate(struct store *s, struct am_err *err)
{
	int v = store_schema_version(s), target = (int)ARRAY_SIZE(migrations);
	char pragma[64];

	if (v < 0)
		return am_err_set(err, "%s: cannot read the schema version: %s", s->path,
				  sqlite3_errmsg(s->db));
	if (v > target)
		return am_err_set(err,
				  "%s: the database is at schema %d, newer than this amicus (%d); "
				  "upgrade amicus",
				  s->path, v, target);
	for (; v < target; v++) {
		if (tx(s, "BEGIN IMMEDIATE", err) < 0)
			return -1;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
		if (exec(s, migrations[v], err) < 0 || exec(s, pragma, err) < 0) {
			tx(s, "ROLLBACK", NULL);
			return -1;
		}
		if (tx(s, "COMMIT", err) < 0)
			return -1;
	}
	return 0;
}

static void
free_store(struct store *s)
{
	size_t i;

	for (i = 0; i < s->ncache; i++) {
		sqlite3_finalize(s->cache[i].st);
		free((char *)s->cache[i].sql);
	}
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int
store_open(struct store **sp, const char *path, struct am_err *err)
{
	struct store *s = xcalloc(1, sizeof *s);

	*sp = NULL;
	s->path = xstrdup(path);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		am_err_set(err, "cannot open the database %s: %s", path,
			   s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	/* Another process (amicus run beside amicus serve) may hold a write lock
	 * for a moment: wait rather than fail. */
	sqlite3_busy_timeout(s->db, 10000);
	if (exec(s, "PRAGMA journal_mode = WAL", err) < 0 ||
	    exec(s, "PRAGMA synchronous = NORMAL", err) < 0 ||
	    exec(s, "PRAGMA foreign_keys = ON", err) < 0 || migrate(s, err) < 0)
		goto fail;
	*sp = s;
	return 0;
fail:
	free_store(s);
	return -1;
}

void
store_close(struct store **sp)
{
	struct store *s = *sp;

	if (!s)
		return;
	free_store(s);
	*sp = NULL;
}

static int64_t
now_s(void)
{
	return (int64_t)time(NULL);
}

/* --- runs and jobs ------------------------------------------------------ */

static int
put_text(struct store *s, const char *hash, const char *kind, const char *ref, const char *body,
	 struct am_err *err)
{
	sqlite3_stmt *st = prep(
		s, "INSERT OR IGNORE INTO texts (hash, kind, ref, body) VALUES (?, ?, ?, ?)", err);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
	return run1(s, st, err);
}

char *
store_previous_digest(struct store *s, const char *model)
{
	sqlite3_stmt *st;
	char *d = NULL;

	st = prep(s,
		  "SELECT digest FROM run_models WHERE model = ? AND digest IS NOT NULL "
		  "ORDER BY run_id DESC LIMIT 1",
		  NULL);
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		d = xstrdup((const char *)sqlite3_column_text(st, 0));
	unprep(s, st);
	return d;
}

int
store_run_create(struct store *s, const struct run_spec *spec, const struct catalog *cat,
		 int64_t *run_id, struct am_err *err)
{
	sqlite3_stmt *st = NULL, *job = NULL;
	const struct question *q;
	const struct rubric *r;
	char *prev;
	size_t i, m;
	int k, n = 0;

	if (tx(s, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	st = prep(s,
		  "INSERT INTO runs (created_at, trigger, executor, suite, samples) "
		  "VALUES (?, ?, ?, ?, ?)",
		  err);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, now_s());
	sqlite3_bind_text(st, 2, spec->trigger, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, spec->executor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, spec->suite, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, spec->samples);
	if (run1(s, st, err) < 0)
		goto fail;
	*run_id = sqlite3_last_insert_rowid(s->db);

	for (m = 0; m < spec->nmodels; m++) {
		const struct run_model *rm = &spec->models[m];

		prev = store_previous_digest(s, rm->name);
		st = prep(
			s,
			"INSERT INTO run_models (run_id, model, backend, kind, digest, "
			"previous_digest, changed, simulated, options) VALUES (?,?,?,?,?,?,?,?,?)",
			err);
		if (!st) {
			free(prev);
			goto fail;
		}
		sqlite3_bind_int64(st, 1, *run_id);
		sqlite3_bind_text(st, 2, rm->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, rm->backend, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, rm->kind, -1, SQLITE_STATIC);
		if (rm->digest)
			sqlite3_bind_text(st, 5, rm->digest, -1, SQLITE_STATIC);
		if (prev)
			sqlite3_bind_text(st, 6, prev, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 7, prev && rm->digest && strcmp(prev, rm->digest) != 0);
		sqlite3_bind_int(st, 8, rm->simulated);
		sqlite3_bind_text(st, 9, rm->options_json ? rm->options_json : "{}", -1,
				  SQLITE_STATIC);
		free(prev);
		if (run1(s, st, err) < 0)
			goto fail;
	}

	job = prep(s,
		   "INSERT INTO jobs (run_id, model, question, area, language, question_hash, "
		   "rubric_hash, sample) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		   err);
	if (!job)
		goto fail;
	for (i = 0; i < spec->nquestions; i++) {
		q = spec->questions[i];
		r = rubric_set_find(&cat->rubrics, q->id);
		if (!r)
			continue;
		if (put_text(s, q->hash, "question", q->id, q->text, err) < 0 ||
		    put_text(s, r->hash, "rubric", q->id, r->text, err) < 0)
			goto fail;
		for (m = 0; m < spec->nmodels; m++) {
			for (k = 1; k <= spec->samples; k++) {
				sqlite3_reset(job);
				sqlite3_bind_int64(job, 1, *run_id);
				sqlite3_bind_text(job, 2, spec->models[m].name, -1, SQLITE_STATIC);
				sqlite3_bind_text(job, 3, q->id, -1, SQLITE_STATIC);
				sqlite3_bind_text(job, 4, q->area, -1, SQLITE_STATIC);
				sqlite3_bind_text(job, 5, q->language, -1, SQLITE_STATIC);
				sqlite3_bind_text(job, 6, q->hash, -1, SQLITE_STATIC);
				sqlite3_bind_text(job, 7, r->hash, -1, SQLITE_STATIC);
				sqlite3_bind_int(job, 8, k);
				if (sqlite3_step(job) != SQLITE_DONE) {
					am_err_set(err, "%s: %s", s->path, sqlite3_errmsg(s->db));
					goto fail;
				}
				n++;
			}
		}
	}
	unprep(s, job);
	job = NULL;
	st = prep(s, "UPDATE runs SET jobs_total = ? WHERE id = ?", err);
	if (!st)
		goto fail;
	sqlite3_bind_int(st, 1, n);
	sqlite3_bind_int64(st, 2, *run_id);
	if (run1(s, st, err) < 0 || tx(s, "COMMIT", err) < 0)
		goto fail;
	return 0;
fail:
	unprep(s, job);
	tx(s, "ROLLBACK", NULL);
	return -1;
}

int
store_jobs_take(struct store *s, int64_t run, const char *executor, struct job *out, int max,
		struct am_err *err)
{
	sqlite3_stmt *st, *up;
	int n = 0;

	if (max <= 0)
		return 0;
	if (tx(s, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	if (run)
		st = prep(s,
			  "SELECT id, run_id, model, question, sample, attempts FROM jobs "
			  "WHERE run_id = ? AND state = 'pending' ORDER BY id LIMIT ?",
			  err);
	else
		st = prep(s,
			  "SELECT j.id, j.run_id, j.model, j.question, j.sample, j.attempts "
			  "FROM jobs j JOIN runs r ON r.id = j.run_id "
			  "WHERE j.state = 'pending' AND r.executor = ? AND r.status = 'running' "
			  "ORDER BY j.id LIMIT ?",
			  err);
	up = prep(s,
		  "UPDATE jobs SET state = 'inflight', attempts = attempts + 1, started_at = ? "
		  "WHERE id = ? AND state = 'pending'",
		  err);
	if (!st || !up)
		goto fail;
	if (run)
		sqlite3_bind_int64(st, 1, run);
	else
		sqlite3_bind_text(st, 1, executor, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, max);
	while (n < max && sqlite3_step(st) == SQLITE_ROW) {
		struct job *j = &out[n];

		j->id = sqlite3_column_int64(st, 0);
		j->run_id = sqlite3_column_int64(st, 1);
		snprintf(j->model, sizeof j->model, "%s", sqlite3_column_text(st, 2));
		snprintf(j->question, sizeof j->question, "%s", sqlite3_column_text(st, 3));
		j->sample = sqlite3_column_int(st, 4);
		j->attempts = sqlite3_column_int(st, 5) + 1;
		sqlite3_reset(up);
		sqlite3_bind_int64(up, 1, now_s());
		sqlite3_bind_int64(up, 2, j->id);
		if (sqlite3_step(up) != SQLITE_DONE) {
			am_err_set(err, "%s: %s", s->path, sqlite3_errmsg(s->db));
			goto fail;
		}
		n++;
	}
	unprep(s, st);
	unprep(s, up);
	if (tx(s, "COMMIT", err) < 0) {
		tx(s, "ROLLBACK", NULL);
		return -1;
	}
	return n;
fail:
	unprep(s, st);
	unprep(s, up);
	tx(s, "ROLLBACK", NULL);
	return -1;
}

/* The evidence spans of a verdict as JSON text: [[start, end], ...]. */
static char *
evidence_json(const struct score_item *si)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	buf_puts(&b, "[");
	for (i = 0; i < si->nev; i++)
		buf_printf(&b, "%s[%zu,%zu]", i ? "," : "", si->ev[i].start, si->ev[i].end);
	buf_puts(&b, "]");
	return buf_steal(&b);
}

static int
put_turn(struct store *s, int64_t job, int turn, const struct turn_result *t, sqlite3_stmt *ans,
	 sqlite3_stmt *ver, sqlite3_stmt *cit, struct am_err *err)
{
	const struct score_result *r = t->score;
	int64_t answer_id;
	size_t i;
	int c = 1;

	sqlite3_reset(ans);
	sqlite3_bind_int64(ans, c++, job);
	sqlite3_bind_int(ans, c++, turn);
	sqlite3_bind_int64(ans, c++, job);
	sqlite3_bind_text(ans, c++, t->content ? t->content : "", (int)t->content_len,
			  SQLITE_STATIC);
	sqlite3_bind_text(ans, c++, t->reasoning ? t->reasoning : "", (int)t->reasoning_len,
			  SQLITE_STATIC);
	if (r->scored) {
		sqlite3_bind_double(ans, c++, r->score);
		sqlite3_bind_double(ans, c++, r->coverage);
	} else {
		sqlite3_bind_null(ans, c++);
		sqlite3_bind_null(ans, c++);
	}
	sqlite3_bind_int(ans, c++, r->passed);
	sqlite3_bind_int(ans, c++, r->hallucinated);
	sqlite3_bind_int(ans, c++, r->abstained);
	sqlite3_bind_int(ans, c++, r->truncated_in_reasoning);
	sqlite3_bind_int64(ans, c++, r->reasoning_tokens);
	sqlite3_bind_int64(ans, c++, r->answer_tokens);
	sqlite3_bind_int(ans, c++, r->tokens_estimated);
	sqlite3_bind_double(ans, c++, r->loop_reasoning.rep4);
	sqlite3_bind_double(ans, c++, r->loop_answer.rep4);
	sqlite3_bind_int(ans, c++, r->loop_flagged);
	sqlite3_bind_double(ans, c++, r->mix.ratio);
	sqlite3_bind_int(ans, c++, r->mix.flagged);
	sqlite3_bind_int(ans, c++, r->followup_checked);
	sqlite3_bind_int(ans, c++, r->followup_ignored);
	sqlite3_bind_double(ans, c++, t->ttft_ms);
	sqlite3_bind_double(ans, c++, t->total_ms);
	sqlite3_bind_double(ans, c++, t->tokens_per_s);
	if (t->finish_reason)
		sqlite3_bind_text(ans, c++, t->finish_reason, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(ans, c++);
	if (t->usage_json)
		sqlite3_bind_text(ans, c++, t->usage_json, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(ans, c++);
	sqlite3_bind_int64(ans, c++, now_s());
	if (sqlite3_step(ans) != SQLITE_DONE)
		return am_err_set(err, "%s: %s", s->path, sqlite3_errmsg(s->db));
	answer_id = sqlite3_last_insert_rowid(s->db);

	for (i = 0; i < r->nkeypoints + r->nforbidden; i++) {
		const struct score_item *si =
			i < r->nkeypoints ? &r->keypoints[i] : &r->forbidden[i - r->nkeypoints];
		char *ev = evidence_json(si);

		sqlite3_reset(ver);
		sqlite3_bind_int64(ver, 1, answer_id);
		sqlite3_bind_text(ver, 2, i < r->nkeypoints ? "keypoint" : "forbidden", -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(ver, 3, si->item->id, -1, SQLITE_STATIC);
		sqlite3_bind_double(ver, 4, si->item->points);
		sqlite3_bind_int(ver, 5, si->hit);
		sqlite3_bind_text(ver, 6, ev, -1, free);
		sqlite3_bind_text(ver, 7, score_method_name(si->method), -1, SQLITE_STATIC);
		sqlite3_bind_int(ver, 8, si->match_hit);
		if (si->judge_hit >= 0)
			sqlite3_bind_int(ver, 9, si->judge_hit);
		else
			sqlite3_bind_null(ver, 9);
		if (si->explanation)
			sqlite3_bind_text(ver, 10, si->explanation, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(ver, 10);
		if (sqlite3_step(ver) != SQLITE_DONE)
			return am_err_set(err, "%s: %s", s->path, sqlite3_errmsg(s->db));
	}
	for (i = 0; i < r->ncitations; i++) {
		const struct score_citation *sc = &r->citations[i];

		sqlite3_reset(cit);
		sqlite3_bind_int64(cit, 1, answer_id);
		sqlite3_bind_int(cit, 2, (int)i);
		sqlite3_bind_text(cit, 3, t->content + sc->span.start,
				  (int)(sc->span.end - sc->span.start), SQLITE_STATIC);
		if (sc->c.law_name)
			sqlite3_bind_text(cit, 4, sc->c.law_name, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(cit, 4);
		if (sc->c.law)
			sqlite3_bind_text(cit, 5, sc->c.law->id, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(cit, 5);
		sqlite3_bind_int(cit, 6, sc->c.article);
		sqlite3_bind_int(cit, 7, sc->c.sub);
		sqlite3_bind_text(cit, 8, citation_status_name(sc->c.status), -1, SQLITE_STATIC);
		sqlite3_bind_int(cit, 9, sc->denied);
		sqlite3_bind_int64(cit, 10, (sqlite3_int64)sc->span.start);
		sqlite3_bind_int64(cit, 11, (sqlite3_int64)sc->span.end);
		if (sqlite3_step(cit) != SQLITE_DONE)
			return am_err_set(err, "%s: %s", s->path, sqlite3_errmsg(s->db));
	}
	return 0;
}

/* Undoes one job's writes: its savepoint inside a batch, else its transaction. */
static void
job_rollback(struct store *s)
{
	if (s->batch) {
		tx(s, "ROLLBACK TO job", NULL);
		tx(s, "RELEASE job", NULL);
	} else {
		tx(s, "ROLLBACK", NULL);
	}
}

int
store_job_done(struct store *s, int64_t job, const struct turn_result *turns, size_t nturns,
	       struct am_err *err)
{
	sqlite3_stmt *claim = NULL, *ans = NULL, *ver = NULL, *cit = NULL;
	size_t i;
	int rc = -1;

	if (tx(s, s->batch ? "SAVEPOINT job" : "BEGIN IMMEDIATE", err) < 0)
		return -1;
	claim = prep(s,
		     "UPDATE jobs SET state = 'done', finished_at = ?, error = NULL "
		     "WHERE id = ? AND state = 'inflight'",
		     err);
	ans = prep(
		s,
		"INSERT INTO answers (job_id, turn, run_id, model, question, area, content, "
		"reasoning, score, coverage, passed, hallucinated, abstained, truncated, "
		"reasoning_tokens, answer_tokens, tokens_estimated, rep4_reasoning, rep4_answer, "
		"loop, mix_ratio, mix, followup_checked, followup_ignored, ttft_ms, total_ms, "
		"tokens_per_s, finish_reason, usage, created_at) "
		"SELECT ?1, ?2, run_id, model, question, area, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
		"?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27 "
		"FROM jobs WHERE id = ?3",
		err);
	ver = prep(s,
		   "INSERT INTO verdicts (answer_id, kind, item, points, hit, evidence, method, "
		   "match_hit, judge_hit, explanation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		   err);
	cit = prep(
		s,
		"INSERT INTO citations (answer_id, seq, text, law, law_id, article, sub, status, "
		"denied, start, \"end\") VALUES (?,?,?,?,?,?,?,?,?,?,?)",
		err);
	if (!claim || !ans || !ver || !cit)
		goto fail;
	sqlite3_bind_int64(claim, 1, now_s());
	sqlite3_bind_int64(claim, 2, job);
	if (sqlite3_step(claim) != SQLITE_DONE) {
		am_err_set(err, "%s: %s", s->path, sqlite3_errmsg(s->db));
		goto fail;
	}
	if (sqlite3_changes(s->db) != 1) {
		am_err_set(err, "job %lld is not in flight; its answer is not stored twice",
			   (long long)job);
		rc = -2;
		goto fail;
	}
	for (i = 0; i < nturns; i++)
		if (put_turn(s, job, (int)i + 1, &turns[i], ans, ver, cit, err) < 0)
			goto fail;
	unprep(s, claim);
	unprep(s, ans);
	unprep(s, ver);
	unprep(s, cit);
	if (tx(s, s->batch ? "RELEASE job" : "COMMIT", err) < 0) {
		job_rollback(s);
		return -1;
	}
	return 0;
fail:
	unprep(s, claim);
	unprep(s, ans);
	unprep(s, ver);
	unprep(s, cit);
	job_rollback(s);
	return rc;
}

int
store_batch_begin(struct store *s, struct am_err *err)
{
	if (s->batch)
		return 0;
	if (tx(s, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	s->batch = 1;
	return 0;
}

int
store_batch_end(struct store *s, struct am_err *err)
{
	if (!s->batch)
		return 0;
	s->batch = 0;
	if (tx(s, "COMMIT", err) < 0) {
		tx(s, "ROLLBACK", NULL);
		return -1;
	}
	return 0;
}

void
store_batch_abort(struct store *s)
{
	if (!s->batch)
		return;
	s->batch = 0;
	tx(s, "ROLLBACK", NULL);
}

static int
set_state(struct store *s, int64_t job, const char *sql, const char *text, struct am_err *err)
{
	sqlite3_stmt *st = prep(s, sql, err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, job);
	if (text)
		sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, text ? 3 : 2, now_s());
	return run1(s, st, err);
}

int
store_job_error(struct store *s, int64_t job, const char *message, struct am_err *err)
{
	return set_state(s, job,
			 "UPDATE jobs SET state = 'error', error = ?2, finished_at = ?3 "
			 "WHERE id = ?1 AND state = 'inflight'",
			 message, err);
}

int
store_job_release(struct store *s, int64_t job, struct am_err *err)
{
	return set_state(s, job,
			 "UPDATE jobs SET state = 'pending', started_at = NULL "
			 "WHERE id = ?1 AND state = 'inflight' AND ?2 IS NOT NULL",
			 NULL, err);
}

int
store_recover(struct store *s, const char *executor, struct am_err *err)
{
	sqlite3_stmt *st = prep(s,
				"UPDATE jobs SET state = 'pending', started_at = NULL "
				"WHERE state = 'inflight' AND run_id IN "
				"(SELECT id FROM runs WHERE executor = ?)",
				err);
	int64_t runs[64];
	int n, nruns = 0, i;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, executor, -1, SQLITE_STATIC);
	if (run1(s, st, err) < 0)
		return -1;
	n = sqlite3_changes(s->db);
	/*
	 * A run whose last job was stored just before the process died has
	 * nothing left to do but was never marked done: finish it now.
	 */
	st = prep(s,
		  "SELECT r.id FROM runs r WHERE r.status = 'running' AND r.executor = ? AND "
		  "NOT EXISTS (SELECT 1 FROM jobs j WHERE j.run_id = r.id AND "
		  "j.state IN ('pending', 'inflight')) LIMIT 64",
		  err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, executor, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		runs[nruns++] = sqlite3_column_int64(st, 0);
	unprep(s, st);
	for (i = 0; i < nruns; i++)
		if (store_run_finish_if_complete(s, runs[i], err) < 0)
			return -1;
	return n;
}

int
store_run_counts(struct store *s, int64_t run, struct run_counts *c, struct am_err *err)
{
	sqlite3_stmt *st;
	const char *state;
	int64_t n;

	memset(c, 0, sizeof *c);
	/* A finished run's counts no longer change: they were kept when it finished. */
	st = prep(s,
		  "SELECT jobs_done, jobs_error FROM runs WHERE id = ? AND status IN ('done', "
		  "'failed') AND jobs_done IS NOT NULL",
		  err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	if (sqlite3_step(st) == SQLITE_ROW) {
		c->done = sqlite3_column_int64(st, 0);
		c->error = sqlite3_column_int64(st, 1);
		c->total = c->done + c->error;
		unprep(s, st);
		return 0;
	}
	unprep(s, st);
	st = prep(s, "SELECT state, count(*) FROM jobs WHERE run_id = ? GROUP BY state", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		state = (const char *)sqlite3_column_text(st, 0);
		n = sqlite3_column_int64(st, 1);
		c->total += n;
		if (strcmp(state, "pending") == 0)
			c->pending = n;
		else if (strcmp(state, "inflight") == 0)
			c->inflight = n;
		else if (strcmp(state, "done") == 0)
			c->done = n;
		else
			c->error = n;
	}
	unprep(s, st);
	return 0;
}

int
store_job_states(struct store *s, int64_t *pending, int64_t *inflight, int64_t *done,
		 int64_t *error)
{
	sqlite3_stmt *st = prep(s, "SELECT state, count(*) FROM jobs GROUP BY state", NULL);
	const char *state;

	*pending = *inflight = *done = *error = 0;
	if (!st)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		state = (const char *)sqlite3_column_text(st, 0);
		if (strcmp(state, "pending") == 0)
			*pending = sqlite3_column_int64(st, 1);
		else if (strcmp(state, "inflight") == 0)
			*inflight = sqlite3_column_int64(st, 1);
		else if (strcmp(state, "done") == 0)
			*done = sqlite3_column_int64(st, 1);
		else
			*error = sqlite3_column_int64(st, 1);
	}
	unprep(s, st);
	return 0;
}

int
store_run_states(struct store *s, int64_t *running, int64_t *done, int64_t *failed,
		 int64_t *cancelled)
{
	sqlite3_stmt *st = prep(s, "SELECT status, count(*) FROM runs GROUP BY status", NULL);
	const char *status;

	*running = *done = *failed = *cancelled = 0;
	if (!st)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		status = (const char *)sqlite3_column_text(st, 0);
		if (strcmp(status, "running") == 0)
			*running = sqlite3_column_int64(st, 1);
		else if (strcmp(status, "done") == 0)
			*done = sqlite3_column_int64(st, 1);
		else if (strcmp(status, "failed") == 0)
			*failed = sqlite3_column_int64(st, 1);
		else
			*cancelled = sqlite3_column_int64(st, 1);
	}
	unprep(s, st);
	return 0;
}

int
store_run_finish_if_complete(struct store *s, int64_t run, struct am_err *err)
{
	struct run_counts c;
	sqlite3_stmt *st;
	int open;

	/* Asked after every job: an index lookup, not a count of the run. */
	st = prep(s,
		  "SELECT EXISTS (SELECT 1 FROM jobs WHERE run_id = ?1 AND state = 'pending') "
		  "OR EXISTS (SELECT 1 FROM jobs WHERE run_id = ?1 AND state = 'inflight')",
		  err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	open = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 1;
	unprep(s, st);
	if (open)
		return 0;
	if (store_run_counts(s, run, &c, err) < 0)
		return -1;
	if (c.pending || c.inflight)
		return 0;
	if (tx(s, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	if (aggregate_run(s->db, run, err) < 0)
		goto fail;
	st = prep(s,
		  "UPDATE runs SET status = CASE WHEN ?2 > 0 AND ?3 = 0 THEN 'failed' ELSE 'done' "
		  "END, finished_at = ?4, jobs_done = ?3, jobs_error = ?2 "
		  "WHERE id = ?1 AND status = 'running'",
		  err);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, c.error);
	sqlite3_bind_int64(st, 3, c.done);
	sqlite3_bind_int64(st, 4, now_s());
	if (run1(s, st, err) < 0 || tx(s, "COMMIT", err) < 0)
		goto fail;
	return 1;
fail:
	tx(s, "ROLLBACK", NULL);
	return -1;
}

int
store_run_fail(struct store *s, int64_t run, const char *status, const char *note,
	       struct am_err *err)
{
	sqlite3_stmt *st = prep(s,
				"UPDATE runs SET status = ?2, note = ?3, finished_at = ?4 "
				"WHERE id = ?1 AND status = 'running'",
				err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now_s());
	return run1(s, st, err);
}

/* --- JSON views ------------------------------------------------------------ */

static json_t *
col_json(sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(st, i));
	case SQLITE_FLOAT: return json_real(sqlite3_column_double(st, i));
	case SQLITE_TEXT:
		return json_stringn((const char *)sqlite3_column_text(st, i),
				    (size_t)sqlite3_column_bytes(st, i));
	default: return json_null();
	}
}

/* A row as an object, keyed by column names. */
static json_t *
row_json(sqlite3_stmt *st)
{
	json_t *o = json_object();
	int i, n = sqlite3_column_count(st);

	for (i = 0; i < n; i++)
		json_object_set_new(o, sqlite3_column_name(st, i), col_json(st, i));
	return o;
}

json_t *
store_run_json(struct store *s, int64_t run)
{
	sqlite3_stmt *st;
	json_t *o = NULL, *models;
	struct run_counts c;

	st = prep(s,
		  "SELECT id, created_at, finished_at, status, trigger, executor, suite, samples, "
		  "jobs_total, note FROM runs WHERE id = ?",
		  NULL);
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, run);
	if (sqlite3_step(st) == SQLITE_ROW)
		o = row_json(st);
	unprep(s, st);
	if (!o)
		return NULL;
	if (store_run_counts(s, run, &c, NULL) == 0)
		json_object_set_new(o, "jobs",
				    json_pack("{s:I, s:I, s:I, s:I, s:I}", "total", c.total,
					      "pending", c.pending, "inflight", c.inflight, "done",
					      c.done, "error", c.error));
	models = json_array();
	st = prep(
		s,
		"SELECT model, backend, kind, digest, previous_digest, changed, simulated, options "
		"FROM run_models WHERE run_id = ? ORDER BY model",
		NULL);
	if (st) {
		sqlite3_bind_int64(st, 1, run);
		while (sqlite3_step(st) == SQLITE_ROW) {
			json_t *m = row_json(st);
			json_t *opt = json_loads(json_string_value(json_object_get(m, "options")),
						 0, NULL);

			json_object_set_new(m, "changed", json_boolean(sqlite3_column_int(st, 5)));
			json_object_set_new(m, "simulated",
					    json_boolean(sqlite3_column_int(st, 6)));
			json_object_set_new(m, "options", opt ? opt : json_object());
			json_array_append_new(models, m);
		}
		unprep(s, st);
	}
	json_object_set_new(o, "models", models);
	return o;
}

json_t *
store_runs_json(struct store *s, int limit)
{
	sqlite3_stmt *st;
	json_t *a = json_array();

	st = prep(s, "SELECT id FROM runs ORDER BY id DESC LIMIT ?", NULL);
	if (!st)
		return a;
	sqlite3_bind_int(st, 1, limit);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *r = store_run_json(s, sqlite3_column_int64(st, 0));

		if (r)
			json_array_append_new(a, r);
	}
	unprep(s, st);
	return a;
}

json_t *
store_run_summary_json(struct store *s, int64_t run, const struct config_thresholds *t)
{
	return aggregate_summary_json(s->db, run, t);
}

json_t *
store_run_agreement_json(struct store *s, int64_t run)
{
	return aggregate_agreement_json(s->db, run);
}

/* --- the judge's cache ------------------------------------------------------ */

int
store_judge_get(struct store *s, const char *answer_hash, const char *item_hash,
		const char *judge_model, int *met, char *expl, size_t cap)
{
	sqlite3_stmt *st = prep(s,
				"SELECT met, explanation FROM judge_cache WHERE answer_hash = ? "
				"AND item_hash = ? AND judge_model = ?",
				NULL);
	int found = 0;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, answer_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, item_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, judge_model, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*met = sqlite3_column_int(st, 0);
		snprintf(expl, cap, "%s", (const char *)sqlite3_column_text(st, 1));
		found = 1;
	}
	unprep(s, st);
	return found;
}

int
store_judge_put(struct store *s, const char *answer_hash, const char *item_hash,
		const char *judge_model, int met, const char *expl, struct am_err *err)
{
	sqlite3_stmt *st = prep(s,
				"INSERT OR REPLACE INTO judge_cache (answer_hash, item_hash, "
				"judge_model, met, explanation, created_at) VALUES (?,?,?,?,?,?)",
				err);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, answer_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, item_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, judge_model, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, met);
	sqlite3_bind_text(st, 5, expl, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, now_s());
	return run1(s, st, err);
}

/* --- schedules ------------------------------------------------------------- */

int64_t
store_schedule_last(struct store *s, const char *name)
{
	sqlite3_stmt *st = prep(s, "SELECT last_fire FROM schedule_state WHERE name = ?", NULL);
	int64_t t = 0;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		t = sqlite3_column_int64(st, 0);
	unprep(s, st);
	return t;
}

int
store_schedule_fired(struct store *s, const char *name, int64_t t, int64_t run)
{
	sqlite3_stmt *st =
		prep(s,
		     "INSERT INTO schedule_state (name, last_fire, last_run) VALUES (?,?,?) "
		     "ON CONFLICT(name) DO UPDATE SET last_fire = excluded.last_fire, "
		     "last_run = excluded.last_run",
		     NULL);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t);
	sqlite3_bind_int64(st, 3, run);
	return run1(s, st, NULL);
}

int
store_schedule_running(struct store *s, const char *name)
{
	sqlite3_stmt *st = prep(s,
				"SELECT 1 FROM schedule_state st JOIN runs r ON r.id = st.last_run "
				"WHERE st.name = ? AND r.status = 'running'",
				NULL);
	int running = 0;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	running = sqlite3_step(st) == SQLITE_ROW;
	unprep(s, st);
	return running;
}
