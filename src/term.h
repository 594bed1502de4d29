/*
 * term.h - a match term of a rubric: a literal or a /regex/.
 */
#ifndef AMICUS_TERM_H
#define AMICUS_TERM_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

#include "pool.h"
#include "text.h"

/**
 * A compiled term.  A literal is folded like the answer (NFKC + case fold)
 * and matched as a substring; where it begins or ends with a letter or digit
 * of a spaced script it must begin at a word boundary and end at one (an
 * English plural "s", "es" or "'s" may follow).  A term written "/.../" is a
 * PCRE2 pattern in UTF and UCP modes, case-insensitive, run on the folded
 * text.
 */
struct term {
	const char *src; /* as written in the rubric; in the pool */
	const char *lit; /* folded literal, NULL for a regex */
	size_t litlen;
	int bound_start; /* a literal that needs a word boundary before it */
	int bound_end;   /* ... and after it */
	pcre2_code *re;  /* a regex; freed with the pool */
	int slot;        /* its index among the terms of its rubric turn */
};

/**
 * Compiles src into t, allocating from p.  Returns 0, or -1 with a message
 * in err (errlen bytes) and *erroff set to the byte offset of the problem
 * within src (0 when unknown).
 */
int term_compile(struct term *t, struct pool *p, const char *src, char *err, size_t errlen,
		 size_t *erroff);

/** Called for each match [start, end) in normalized offsets; nonzero stops. */
typedef int (*term_match_fn)(size_t start, size_t end, void *arg);

/**
 * Calls fn for each non-overlapping match of t in the normalized text,
 * left to right.  md is scratch match data (term_match_data()).  Returns the
 * number of matches reported.  A regex that exceeds the match limit on a
 * hostile text stops with the matches found so far.
 */
size_t term_each(const struct term *t, const struct ntext *nt, pcre2_match_data *md,
		 term_match_fn fn, void *arg);

/**
 * Whether the literal t, found at byte at of the folded text s (len bytes),
 * is a match: the word-boundary rules above hold.
 */
int term_literal_ok(const struct term *t, const char *s, size_t len, size_t at);

/** Whether t matches anywhere in s (len bytes, already folded). */
int term_matches_folded(const struct term *t, const char *s, size_t len, pcre2_match_data *md);

/** Scratch match data for term_each; free with pcre2_match_data_free. */
pcre2_match_data *term_match_data(void);

#endif
