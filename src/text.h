/*
 * text.h - an answer normalized for matching, with a map back to the
 * original bytes and its clauses and sentences.
 */
#ifndef AMICUS_TEXT_H
#define AMICUS_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "pool.h"

/** A clause: a stretch between clause punctuation, inside one sentence. */
struct text_clause {
	uint32_t start, end; /* normalized byte offsets, end exclusive */
	uint32_t sentence;   /* index of its sentence */
	uint8_t question;    /* ends in '?' or 吗: asks rather than asserts */
};

/**
 * Text normalized as the matcher sees it: Unicode NFKC with case folding,
 * default-ignorable characters removed, typographic apostrophes made ASCII.
 * Every normalized byte remembers the span of original bytes it came from,
 * so a match can be shown in the text the model wrote.
 */
struct ntext {
	const char *orig; /* borrowed */
	size_t orig_len;
	char *s; /* normalized, NUL-terminated; in the pool */
	size_t len;
	uint32_t *from; /* per normalized byte: start of its original span */
	uint32_t *to;   /* per normalized byte: end of its original span */
	struct text_clause *clauses;
	size_t nclauses;
	size_t nsentences;
};

/**
 * Normalizes len bytes of orig (which need not be valid UTF-8: an invalid
 * byte becomes U+FFFD) and splits it into clauses and sentences.  All memory
 * comes from p; orig must outlive t.  Texts longer than 1 GiB are cut.
 */
void ntext_init(struct ntext *t, struct pool *p, const char *orig, size_t len);

/** Maps the normalized span [ns, ne) to the original span [*os, *oe). */
void ntext_to_orig(const struct ntext *t, size_t ns, size_t ne, size_t *os, size_t *oe);

/** Index of the clause containing normalized offset pos (nclauses if none). */
size_t ntext_clause_at(const struct ntext *t, size_t pos);

/**
 * Normalizes s as ntext_init does, without the map: for match terms and
 * names.  Returns a NUL-terminated string in p; its length in *outlen.
 */
char *text_fold(struct pool *p, const char *s, size_t len, size_t *outlen);

/**
 * Copies n bytes of s into p with every invalid UTF-8 sequence replaced by
 * U+FFFD, so the result can go into JSON or HTML.  Length in *outlen.
 */
char *text_sanitize(struct pool *p, const char *s, size_t n, size_t *outlen);

/** The code point that ends just before byte pos of s (0 at the start). */
int32_t text_cp_before(const char *s, size_t pos);
/** The code point that starts at byte pos of s (len bytes; 0 at the end). */
int32_t text_cp_at(const char *s, size_t len, size_t pos);
/** Whether cp is a letter or digit of any script other than Han. */
int text_is_wordchar(int32_t cp);

#endif
