/*
 * rubric.h - a lawyer's rubric for one question: key points, forbidden
 * claims and expected citations, per turn.
 */
#ifndef AMICUS_RUBRIC_H
#define AMICUS_RUBRIC_H

#include <stddef.h>

#include "diag.h"
#include "pool.h"
#include "lexset.h"
#include "statute.h"
#include "term.h"

/** Where a point of law comes from: a law and an article. */
struct rubric_source {
	const char *law_name;  /* as written, or NULL */
	const struct law *law; /* resolved by rubric_bind, or NULL */
	int article, sub;      /* 0 when only the law is named */
	const char *version;   /* version of the law, or NULL */
	int none;              /* written "none": deliberately no source */
	int line, col;
};

/** A key point (points > 0) or a forbidden claim (points < 0). */
struct rubric_item {
	const char *id;
	double points;
	const char *claim;     /* forbidden: the false statement, in words */
	const char *criterion; /* what the judge is asked, or NULL */
	struct term *any;      /* hit when any of these matches (quotes included) */
	size_t nany;
	struct term *all; /* ... and all of these */
	size_t nall;
	struct term *near; /* forbidden: one must be in the same sentence */
	size_t nnear;
	const char **quotes; /* terms that quote the statute verbatim */
	int *quote_line, *quote_col;
	size_t nquotes;
	struct rubric_source source;
	int negation_ignore; /* `negation: ignore`: a hit counts even in a denial */
	int line, col;
};

/** A citation the rubric expects or allows. */
struct rubric_cite {
	const char *law_name;
	const struct law *law; /* resolved by rubric_bind */
	int article, sub;
	int line, col;
};

/** The rubric of one turn. */
struct rubric_turn {
	int turn;    /* 1-based */
	double pass; /* pass mark for this turn */
	struct rubric_source source;
	struct rubric_item *keypoints;
	size_t nkeypoints;
	struct rubric_item *forbidden;
	size_t nforbidden;
	struct rubric_cite *expect;
	size_t nexpect;
	struct rubric_cite *allow;
	size_t nallow;
	double positive;     /* sum of key point points */
	struct term **terms; /* every term of the turn, by its slot */
	size_t nterms;
	struct lexset literals; /* the literal terms, for one pass over an answer */
	int line, col;
};

/** A rubric (rubrics/<area>/<question id>.yaml). */
struct rubric {
	const char *question;     /* the question id */
	double pass;              /* default pass mark for every turn */
	const char *version;      /* the author's version label, or NULL */
	const char **allow_latin; /* Latin words that do not count as mixing */
	size_t nallow_latin;
	struct rubric_turn *turns; /* sorted by turn */
	size_t nturns;
	const char *file;
	const char *text; /* the file as read, stored with results */
	char hash[65];    /* SHA-256 of text */
	int line, col;
};

/** Every rubric of a directory tree. */
struct rubric_set {
	struct pool pool;
	struct rubric **r; /* sorted by question id */
	size_t n;
	const char *dir;
};

/**
 * Loads one rubric file into p.  Returns it, or NULL with every problem
 * (unknown keys, points that are not numbers, regexes that do not compile,
 * a pass mark outside [0, 1]) added to d.
 */
struct rubric *rubric_load(struct pool *p, const char *path, struct diag *d);

/**
 * Loads every rubric under dir, except statutes.yaml and the statutes/
 * directory.  Returns 0 when all loaded, -1 otherwise (good ones kept).
 */
int rubric_set_load(struct rubric_set *rs, const char *dir, struct diag *d);
/** Frees the set. */
void rubric_set_deinit(struct rubric_set *rs);
/** The rubric for a question id, or NULL. */
const struct rubric *rubric_set_find(const struct rubric_set *rs, const char *question);

/**
 * Resolves every law named by r (sources, expected and allowed citations)
 * against the registry.  Unknown laws and articles that do not exist are
 * added to d (if d is not NULL).  Returns the number of problems.
 */
int rubric_bind(struct rubric *r, const struct statutes *st, struct diag *d);

/** The rubric of turn n, or NULL. */
const struct rubric_turn *rubric_turn(const struct rubric *r, int n);

/**
 * Parses a source written as text ("著作权法 第十条", "17 U.S.C. § 106",
 * "Article 10 of the Copyright Law", "none").  Returns 0 or -1.
 */
int rubric_parse_source(struct pool *p, const char *s, struct rubric_source *out);

#endif
