/*
 * aggregate.h - a finished run's figures per model and area, with their
 * intervals, per question, per key point, and the judge's agreement.
 */
#ifndef AMICUS_AGGREGATE_H
#define AMICUS_AGGREGATE_H

#include <sqlite3.h>
#include <stdint.h>

#include <jansson.h>

#include "config.h"
#include "diag.h"

/**
 * Computes and stores the aggregates, question_stats, keypoint_rates and
 * agreement rows of run from its answers, verdicts and jobs (replacing
 * any earlier ones).  The caller holds the transaction.  Returns 0, or -1
 * with err.
 */
int aggregate_run(sqlite3 *db, int64_t run, struct am_err *err);

/**
 * The key that groups a question with its translations: its id without a
 * trailing "-zh" or "-en" (cn-copyright-term-zh and cn-copyright-term-en
 * are one cluster).  Writes at most cap bytes to out.
 */
void aggregate_cluster_key(const char *question, char *out, size_t cap);

/**
 * The figures of run per model (area '*'), each with its areas under
 * "areas", as a JSON array.  Rates come with 95% intervals ("pass_ci":
 * [lo, hi], ...), so do mean score and coverage; "verdict" is the
 * suitability against t.  Counts of answers ("passed", ...) are per job.
 */
json_t *aggregate_summary_json(sqlite3 *db, int64_t run, const struct config_thresholds *t);

/**
 * How often match and judge agreed in run: {"n", "agree", "percent",
 * "kappa", "questions": [{"question", "n", "percent", "kappa"}, ...]}, or
 * JSON null when no item was put to the judge.
 */
json_t *aggregate_agreement_json(sqlite3 *db, int64_t run);

#endif
