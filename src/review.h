/*
 * review.h - a lawyer's ruling on a verdict.
 */
#ifndef AMICUS_REVIEW_H
#define AMICUS_REVIEW_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

#include "catalog.h"
#include "diag.h"

/** What a lawyer rules. */
struct review_ruling {
	int64_t answer_id;
	const char *kind; /* "keypoint" or "forbidden" */
	const char *item;
	int hit;
	const char *reason, *reviewer;
};

/** Why a ruling was refused. */
enum review_error {
	REVIEW_OK,
	REVIEW_NOT_FOUND, /* no such answer or item */
	REVIEW_GONE,      /* the question left the bank: its pass mark is unknown */
	REVIEW_FAILED,    /* the database */
};

/**
 * Records the ruling and applies it, in one transaction: the item's
 * verdict becomes the ruling (method "review"; match and judge verdicts
 * kept), the answer's score, coverage, passed and hallucinated are
 * computed again, and so are its run's aggregates when the run is done.
 * On success *out is {"review": {...}, "answer": {"score", "coverage",
 * "passed", "hallucinated"}}.  Returns REVIEW_OK or why not, with err.
 */
enum review_error review_add(sqlite3 *db, const struct catalog *cat, const struct review_ruling *r,
			     json_t **out, struct am_err *err);

#endif
