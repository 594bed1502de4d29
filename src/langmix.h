/*
 * langmix.h - how much of an answer is in the wrong script.
 */
#ifndef AMICUS_LANGMIX_H
#define AMICUS_LANGMIX_H

#include <stddef.h>

#include "text.h"

/** Spans (normalized offsets) that are not counted: citations. */
struct langmix_skip {
	size_t start, end;
};

/** The result. */
struct langmix {
	double ratio;       /* foreign words / all words counted */
	long latin_words;   /* Latin-script words counted */
	long han_chars;     /* Han characters counted (each is a word) */
	long foreign;       /* the words in the wrong script: latin for zh, han for en */
	int flagged;        /* ratio above the threshold and at least two foreign words */
	size_t first_start; /* normalized span of the first foreign word, for evidence */
	size_t first_end;
};

/**
 * Measures the mix of the normalized answer t, expected in language "zh" or
 * "en".  A Han character counts as one word; a Latin word is a run of
 * letters (with inner digits, hyphens and apostrophes).  Not counted: the
 * skip spans (citations), code (``` blocks and `inline`), URLs and e-mail
 * addresses, numbers, single letters (甲、乙、A公司), acronyms of up to five
 * capitals as written (AI, PCT, WTO), a gloss of up to six Latin words in
 * parentheses right after Chinese ("合理使用（fair use）"), the built-in list
 * of model and legal names, and allow (extra words, any case).
 */
void langmix_measure(const struct ntext *t, const char *language, const struct langmix_skip *skip,
		     size_t nskip, const char *const *allow, size_t nallow, double threshold,
		     struct langmix *out);

#endif
