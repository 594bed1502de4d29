/*
 * catalog.h - the question bank, its rubrics and the statute registry,
 * loaded together and checked against each other.
 */
#ifndef AMICUS_CATALOG_H
#define AMICUS_CATALOG_H

#include "diag.h"
#include "question.h"
#include "rubric.h"
#include "statute.h"

/** Everything a run asks and scores with. */
struct catalog {
	struct bank bank;
	struct rubric_set rubrics;
	struct statutes statutes;
	const char *statutes_path; /* in the bank's pool; NULL when there is none */
};

/**
 * Loads questions from qdir, rubrics from rdir and the registry from
 * statutes_path (NULL: <rdir>/statutes.yaml if it exists).  Binds every
 * rubric to the registry and checks the three against each other: every
 * question has a rubric and every rubric a question; every turn of a
 * question has a rubric turn and no rubric turn lies past the last turn;
 * twins exist; every cited law and article exists.  Every problem goes to
 * d; files with problems are left out, the rest is usable.  Returns 0 when
 * there was no error.  Always call catalog_deinit.
 */
int catalog_load(struct catalog *c, const char *qdir, const char *rdir, const char *statutes_path,
		 struct diag *d);

/**
 * Loads the statute texts and checks every quote: each `quote:` term must
 * appear in the text of the article its item (or turn) cites.  Returns the
 * number of problems added to d.
 */
int catalog_check_sources(struct catalog *c, struct diag *d);

/**
 * Adds a warning for every key point that names no source (neither its own
 * nor its turn's).  Returns the number of warnings.
 */
int catalog_check_provenance(const struct catalog *c, struct diag *d);

/**
 * The questions of a suite: "all", "area:NAME", "tag:NAME", "lang:zh|en",
 * or a comma-separated list of question ids.  Fills out (malloc'd; caller
 * frees) with n questions in id order.  Returns 0, or -1 with the reason in
 * err (an unknown id or an empty suite).
 */
int catalog_suite(const struct catalog *c, const char *suite, const struct question ***out,
		  size_t *n, struct am_err *err);

/** Frees the catalog. */
void catalog_deinit(struct catalog *c);

#endif
