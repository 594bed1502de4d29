/*
 * compare.h - two models on the same questions, paired.
 */
#ifndef AMICUS_COMPARE_H
#define AMICUS_COMPARE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

#include "diag.h"

/**
 * Compares models a and b of run on the questions both answered: overall
 * and per area, each model's pass rate and mean score, the difference in
 * pass rate with the exact McNemar p-value, the difference in mean score
 * with a paired cluster-bootstrap 95% interval; and the questions where
 * they disagree on passing.  A question counts as passed by a model when
 * more than half of its samples passed.  Returns a new JSON object, or
 * NULL with err (no such run, or a model with no answers in it).
 */
json_t *compare_models(sqlite3 *db, int64_t run, const char *a, const char *b, struct am_err *err);

#endif
