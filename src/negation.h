/*
 * negation.h - does a clause deny what a match found in it?
 */
#ifndef AMICUS_NEGATION_H
#define AMICUS_NEGATION_H

#include <stddef.h>
#include <stdint.h>

#include "pool.h"
#include "text.h"

/** What a hit is being tested for. */
enum negation_mode {
	/* A key point: is the term stated, not denied?  Prohibitions
	 * ("署名权不得转让", "cannot be transferred") do not deny the term. */
	NEGATION_AFFIRM,
	/* A forbidden claim: does the clause assert it?  Any negation or
	 * prohibition in the clause, before or after the term, withdraws it. */
	NEGATION_CLAIM,
	/* The rubric says negation does not matter for this item. */
	NEGATION_IGNORE,
};

/** One negation cue found in the text. */
struct negation_cue {
	uint32_t start, end; /* normalized byte offsets */
	uint16_t kind;       /* internal: negator, denial, modal, breaker ... */
};

/** The cues of one text, in order; computed once, asked many times. */
struct negation {
	struct negation_cue *cues;
	size_t n;
};

/** Finds every cue in the normalized text t; memory from p. */
void negation_scan(struct negation *ng, struct pool *p, const struct ntext *t);

/**
 * Whether the match [start, end) (normalized offsets) is negated within its
 * clause, under the given mode.  Cues inside the match itself never count,
 * so a term may itself say "无需登记".
 */
int negation_applies(const struct negation *ng, const struct ntext *t, size_t start, size_t end,
		     enum negation_mode mode);

/**
 * As negation_applies, but cues that lie wholly inside [xstart, xend) do not
 * count: they belong to another term of the same claim ("不受本法保护" does
 * not deny "禁止出版" in the claim that such works are unprotected).
 */
int negation_applies_except(const struct negation *ng, const struct ntext *t, size_t start,
			    size_t end, enum negation_mode mode, size_t xstart, size_t xend);

#endif
