/*
 * review.c - a lawyer's ruling on a verdict.
 *
 * A ruling never destroys evidence: the verdict row keeps what matching
 * and the judge said (match_hit, judge_hit), the review row keeps the
 * verdict it overruled (original_hit), and only the verdict in force
 * (hit, method) changes.  From it the answer is scored again exactly as
 * score.c does (score_rescore), using the points stored with each
 * verdict, the pass mark of the question's rubric and the citations; the
 * run's aggregates follow, so every figure from then on uses the ruling.
 */
#include "amconfig.h"

#include "review.h"
#include "aggregate.h"
#include "util.h"

#include <string.h>
#include <time.h>

static int
exec1(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* Scores answer again from its verdicts; fills the figures. */
static int
rescore(sqlite3 *db, int64_t answer, double pass, double *score, double *coverage, int *passed,
	int *hallucinated)
{
	sqlite3_stmt *st = NULL;
	double met, neg, positive;
	int rc = -1;

	if (sqlite3_prepare_v2(
		    db,
		    "SELECT coalesce(sum(CASE WHEN kind = 'keypoint' AND hit THEN points END), 0), "
		    "coalesce(sum(CASE WHEN kind = 'forbidden' AND hit THEN points END), 0), "
		    "coalesce(sum(CASE WHEN kind = 'keypoint' THEN points END), 0), "
		    "coalesce(max(kind = 'forbidden' AND hit), 0) OR EXISTS (SELECT 1 FROM "
		    "citations c "
		    "WHERE c.answer_id = ?1 AND c.denied = 0 AND c.status IN ('nonexistent', "
		    "'misgrounded')) FROM verdicts WHERE answer_id = ?1",
		    -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, answer);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto out;
	met = sqlite3_column_double(st, 0);
	neg = sqlite3_column_double(st, 1);
	positive = sqlite3_column_double(st, 2);
	*hallucinated = sqlite3_column_int(st, 3) != 0;
	/* As score_rescore. */
	if (positive > 0) {
		*coverage = met / positive;
		*score = (met + neg) / positive;
	} else {
		*coverage = 1;
		*score = *hallucinated ? 0 : 1;
	}
	*passed = *score >= pass - 1e-9 && !*hallucinated;
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(db,
			       "UPDATE answers SET score = ?2, coverage = ?3, passed = ?4, "
			       "hallucinated = ?5 WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, answer);
	sqlite3_bind_double(st, 2, *score);
	sqlite3_bind_double(st, 3, *coverage);
	sqlite3_bind_int(st, 4, *passed);
	sqlite3_bind_int(st, 5, *hallucinated);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(st);
	return rc;
}

enum review_error
review_add(sqlite3 *db, const struct catalog *cat, const struct review_ruling *r, json_t **out,
	   struct am_err *err)
{
	sqlite3_stmt *st = NULL;
	const struct rubric *rub;
	const struct rubric_turn *t;
	enum review_error rc = REVIEW_FAILED;
	int64_t run = 0, review;
	int turn = 0, original = 0, passed = 0, hallucinated = 0, run_done = 0;
	double score = 0, coverage = 0;
	char question[256] = "";

	*out = NULL;
	if (exec1(db, "BEGIN IMMEDIATE") < 0) {
		am_err_set(err, "%s", sqlite3_errmsg(db));
		return REVIEW_FAILED;
	}
	/* The verdict as it stands before any ruling: the judge's, else matching's. */
	if (sqlite3_prepare_v2(
		    db,
		    "SELECT a.run_id, a.question, a.turn, coalesce(v.judge_hit, v.match_hit, "
		    "v.hit), r.status = 'done' FROM verdicts v JOIN answers a ON a.id = "
		    "v.answer_id JOIN runs r ON r.id = a.run_id WHERE v.answer_id = ? AND "
		    "v.kind = ? AND v.item = ?",
		    -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, r->answer_id);
	sqlite3_bind_text(st, 2, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->item, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		am_err_set(err, "answer %lld has no %s '%s'", (long long)r->answer_id, r->kind,
			   r->item);
		rc = REVIEW_NOT_FOUND;
		goto fail;
	}
	run = sqlite3_column_int64(st, 0);
	snprintf(question, sizeof question, "%s", sqlite3_column_text(st, 1));
	turn = sqlite3_column_int(st, 2);
	original = sqlite3_column_int(st, 3);
	run_done = sqlite3_column_int(st, 4);
	sqlite3_finalize(st);
	st = NULL;
	rub = rubric_set_find(&cat->rubrics, question);
	t = rub ? rubric_turn(rub, turn) : NULL;
	if (!t) {
		am_err_set(err,
			   "the question %s (turn %d) is no longer in the bank: its pass mark "
			   "is unknown",
			   question, turn);
		rc = REVIEW_GONE;
		goto fail;
	}
	if (sqlite3_prepare_v2(
		    db,
		    "INSERT INTO reviews (answer_id, kind, item, hit, original_hit, reason, "
		    "reviewer, created_at) VALUES (?,?,?,?,?,?,?,?)",
		    -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, r->answer_id);
	sqlite3_bind_text(st, 2, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->item, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, r->hit);
	sqlite3_bind_int(st, 5, original);
	sqlite3_bind_text(st, 6, r->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->reviewer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, (int64_t)time(NULL));
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	review = sqlite3_last_insert_rowid(db);
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(
		    db,
		    "UPDATE verdicts SET hit = ?4, method = 'review' WHERE answer_id = ?1 "
		    "AND kind = ?2 AND item = ?3",
		    -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, r->answer_id);
	sqlite3_bind_text(st, 2, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->item, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, r->hit);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	st = NULL;
	if (rescore(db, r->answer_id, t->pass, &score, &coverage, &passed, &hallucinated) < 0)
		goto fail;
	if (run_done && aggregate_run(db, run, err) < 0)
		goto fail_err;
	if (exec1(db, "COMMIT") < 0)
		goto fail;
	*out = json_pack("{s:{s:I, s:I, s:s, s:s, s:b, s:b, s:s, s:s}, s:{s:f, s:f, s:b, s:b}}",
			 "review", "id", (json_int_t)review, "answer_id", (json_int_t)r->answer_id,
			 "kind", r->kind, "item", r->item, "hit", r->hit, "original_hit", original,
			 "reason", r->reason, "reviewer", r->reviewer, "answer", "score", score,
			 "coverage", coverage, "passed", passed, "hallucinated", hallucinated);
	return REVIEW_OK;
fail:
	if (rc == REVIEW_FAILED)
		am_err_set(err, "%s", sqlite3_errmsg(db));
fail_err:
	sqlite3_finalize(st);
	exec1(db, "ROLLBACK");
	return rc;
}
