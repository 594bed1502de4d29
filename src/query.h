/*
 * query.h - what the dashboard reads: models, leaderboard, answers,
 * questions, trends, reviews, as JSON.
 */
#ifndef AMICUS_QUERY_H
#define AMICUS_QUERY_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

#include "catalog.h"
#include "config.h"

/** The newest finished run, or 0. */
int64_t query_latest_run(sqlite3 *db);

/** A run's headline: {id, status, created_at, finished_at, suite, samples, trigger} or null. */
json_t *query_run_brief(sqlite3 *db, int64_t run);

/** Every model configured (cfg) or seen in a run: docs/api.md, /api/models. */
json_t *query_models(sqlite3 *db, const struct config *cfg);

/** /api/leaderboard for run (0: none finished). */
json_t *query_leaderboard(sqlite3 *db, int64_t run, const struct config_thresholds *t);

/** Filters of /api/answers; NULL or -1 for "any". */
struct answer_filter {
	int64_t run;
	const char *model, *question, *area;
	int passed, hallucinated;
	int page, per_page;
};

/**
 * /api/answers: a page of answers.  When total >= 0 it is used as the
 * number of matching answers (a count remembered by the caller) instead
 * of counting them again.
 */
json_t *query_answers(sqlite3 *db, const struct answer_filter *f, int64_t total);

/** /api/answers/{id}: one answer in full, or NULL when there is none. */
json_t *query_answer(sqlite3 *db, const struct catalog *cat, int64_t id);

/** /api/questions: the bank, with each model's pass rate in run. */
json_t *query_questions(sqlite3 *db, const struct catalog *cat, int64_t run);

/** /api/questions/{id}: the question, its rubric and every answer of run; NULL if unknown. */
json_t *query_question(sqlite3 *db, const struct catalog *cat, const char *id, int64_t run);

/**
 * /api/trends: metric (an aggregates figure, see docs/api.md) per model
 * over the last limit finished runs.  NULL when metric is not one.
 */
json_t *query_trends(sqlite3 *db, const char *metric, const char *model, const char *area,
		     int limit);

/** /api/reviews: the rulings of run (0: all) and question (NULL: all), and agreement. */
json_t *query_reviews(sqlite3 *db, int64_t run, const char *question);

#endif
