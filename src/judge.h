/*
 * judge.h - a judge model's verdict on one rubric item: the prompt and the
 * parsing of its reply.
 */
#ifndef AMICUS_JUDGE_H
#define AMICUS_JUDGE_H

#include <stddef.h>

#include "diag.h"
#include "rubric.h"

/** Tries per item: a reply that cannot be parsed is asked again. */
#define JUDGE_TRIES 3
/** Bytes of the judge's explanation kept. */
#define JUDGE_EXPLANATION_MAX 1000

/** What the judge is shown for one item. */
struct judge_ask {
	const char *language;  /* "zh" or "en": the question's language */
	const char *question;  /* the conversation's questions so far (judge_question) */
	const char *reference; /* the reference answer of the turn, or NULL */
	const char *answer;    /* the answer, reasoning removed */
	size_t answer_len;
	const char *criterion; /* judge_criterion() */
	int forbidden;         /* a forbidden claim: met means the answer makes it */
};

/**
 * What the judge is asked about an item: a key point's `criterion`, or a
 * forbidden claim's `claim` ("回答声称：…" / "The answer claims: …"); a key
 * point without one gets a criterion built from its first literal term and
 * its source.  Returns malloc'd; caller frees.
 */
char *judge_criterion(const struct rubric_item *it, int forbidden, const char *language);

/**
 * The questions of turns 1..turn of a conversation, with the model's own
 * earlier answers between them, as the judge is shown them.  asks[i] and
 * answers[i] are turn i+1's question and answer (answers may hold NULLs).
 * Returns malloc'd; caller frees.
 */
char *judge_question(const char *const *asks, const char *const *answers, int turn,
		     const char *language);

/**
 * The system and user messages for a (see the format in judge.c).  Both
 * malloc'd; caller frees.  The answer is bounded and any "</answer>" in it
 * is defused, so an answer cannot close its own section.
 */
void judge_prompt(const struct judge_ask *a, char **system, char **user);

/**
 * Reads a judge's reply: reasoning (<think>…</think>) is dropped, and the
 * first JSON object with "criteria_met" is taken, wherever it stands (in a
 * code fence, amid prose).  criteria_met may be a boolean, "true"/"false"
 * or "yes"/"no" (any case), or 0/1.  Sets *met and copies the explanation
 * (bounded, control characters removed) into expl.  Returns 0, or -1 with
 * err saying what was wrong with the reply.
 */
int judge_parse(const char *reply, size_t len, int *met, char *expl, size_t cap,
		struct am_err *err);

#endif
