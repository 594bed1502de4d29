/*
 * citation.h - find the statute citations in an answer and check them.
 */
#ifndef AMICUS_CITATION_H
#define AMICUS_CITATION_H

#include <stddef.h>

#include "pool.h"
#include "rubric.h"
#include "statute.h"
#include "text.h"

enum citation_status {
	CITATION_VALID,       /* the article exists and the rubric does not contradict it */
	CITATION_NONEXISTENT, /* the law is known and has no such article */
	CITATION_MISGROUNDED, /* a real article, but not where the rubric grounds this point */
	CITATION_UNKNOWN_LAW, /* a law the registry does not know (or none named) */
};

/** One citation found in an answer. */
struct citation {
	size_t start, end;     /* normalized byte offsets of the citation text */
	const struct law *law; /* NULL when unknown */
	const char *law_name;  /* the name as written when the law is unknown, or NULL */
	int article, sub;      /* sub: 之一 = 1, § 106A = 1 */
	int paragraph, item;   /* 第一款 第五项, (a)(1); 0 when absent */
	int bare;              /* no law named beside it: resolved from context */
	enum citation_status status;
};

/**
 * Extracts the citations of the normalized answer t, resolving each to a
 * law: the law named right before it (著作权法第十条, 17 U.S.C. § 106) or
 * after it (Article 10 of the Copyright Law), else the law named last
 * before it in the answer, else default_law (the rubric's source law; may
 * be NULL).  Finds at most 64.  Returns the count; *out is in p.  Statuses
 * are left unset; see citation_classify.
 */
size_t citation_extract(const struct ntext *t, struct pool *p, const struct statutes *st,
			const struct law *default_law, struct citation **out);

/**
 * Classifies each citation against the registry and, when turn is not NULL,
 * against the articles the turn grounds its points in (expected and allowed
 * citations, the turn's and the items' sources).  A citation of a law the
 * turn grounds in, at an article the turn does not name, is misgrounded;
 * a law the turn names without an article accepts every article.
 */
void citation_classify(struct citation *c, size_t n, const struct rubric_turn *turn);

/** "valid", "nonexistent", "misgrounded" or "unknown_law". */
const char *citation_status_name(enum citation_status s);

#endif
