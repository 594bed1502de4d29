/*
 * score.h - grade one answer against the rubric of its turn.
 */
#ifndef AMICUS_SCORE_H
#define AMICUS_SCORE_H

#include <jansson.h>
#include <stddef.h>

#include "citation.h"
#include "langmix.h"
#include "loop.h"
#include "pool.h"
#include "rubric.h"
#include "statute.h"

/** Tunable thresholds (amicus.yaml may set them; these are the defaults). */
struct score_options {
	double mix_threshold;   /* language_mix.flagged above this ratio (0.01) */
	double loop_threshold;  /* loop.flagged when seq-rep-4 exceeds this (0.5) */
	size_t loop_min_ngrams; /* ... over at least this many 4-grams (20) */
};

/** Defaults for score_options. */
void score_options_default(struct score_options *o);

/** What was said, and what the backend reported about it. */
struct score_input {
	const char *answer; /* the answer, reasoning removed */
	size_t answer_len;
	const char *reasoning; /* the reasoning, or NULL */
	size_t reasoning_len;
	int reasoning_unclosed; /* a <think> that never closed */
	int finish_length;      /* the backend stopped at its token limit */
	long reasoning_tokens;  /* from the backend's usage, -1 if unknown */
	long answer_tokens;     /* from the backend's usage, -1 if unknown */
	const char *language;   /* "zh" or "en": the language expected */
};

/** A span of the answer (byte offsets into score_input.answer). */
struct score_span {
	size_t start, end;
};

/** How an item's verdict was reached. */
enum score_method {
	METHOD_MATCH,       /* by matching terms */
	METHOD_JUDGE,       /* by the judge model */
	METHOD_JUDGE_ERROR, /* the judge failed: the match verdict stands */
	METHOD_REVIEW,      /* a lawyer's ruling */
};

/** The verdict on one key point or forbidden claim. */
struct score_item {
	const struct rubric_item *item;
	int hit;               /* key point met / forbidden claim made: the verdict */
	struct score_span *ev; /* evidence, at most 8 spans */
	size_t nev;
	int match_hit; /* what matching said */
	int candidate; /* forbidden: its terms occur, but denied or without a near term */
	int judge_hit; /* what the judge said, or -1 */
	enum score_method method;
	const char *explanation; /* the judge's, or its error; in the result's pool */
};

/** A citation found in the answer, with its verdict. */
struct score_citation {
	struct citation c;      /* start/end are normalized offsets */
	struct score_span span; /* the same in the answer */
	int denied; /* its clause denies it ("没有第七十条"): not a hallucination */
};

/** Everything measured about one answer. */
struct score_result {
	struct pool pool; /* owns everything below */
	int turn;
	int scored;      /* 0 when the turn has no rubric */
	double score;    /* (met points + triggered negative points) / positive points */
	double coverage; /* met points / positive points, in [0, 1] */
	int passed, hallucinated, abstained, truncated_in_reasoning;
	long reasoning_tokens, answer_tokens;
	int tokens_estimated; /* the counts above are estimates */
	struct score_item *keypoints;
	size_t nkeypoints;
	struct score_item *forbidden;
	size_t nforbidden;
	struct score_citation *citations;
	size_t ncitations;
	struct langmix mix;
	struct score_span mix_first; /* first foreign word in the answer */
	struct loop_stats loop_reasoning, loop_answer;
	int loop_flagged;
	struct score_span abstain_span; /* the refusal, when abstained */
	int followup_checked;           /* turn >= 2 with a previous rubric */
	int followup_ignored;
	double prev_coverage; /* coverage of the previous turn's key points */
};

/**
 * Scores in against turn (of rubric r).  prev is the previous turn's rubric
 * for the follow-up check, or NULL.  st resolves citations (may be an empty
 * registry).  Pure: reads its inputs, writes only *out.  Always call
 * score_result_deinit on out.  Returns 0.
 */
int score_answer(const struct rubric *r, const struct rubric_turn *turn,
		 const struct rubric_turn *prev, const struct statutes *st,
		 const struct score_input *in, const struct score_options *opt,
		 struct score_result *out);

/**
 * Scores text as a model wrote it: an inline <think>…</think> (or only its
 * closing tag, or an opening one never closed) is split off as reasoning
 * and only the answer is scored.  *answer_at is set to the answer's offset
 * in text (result spans are relative to it).  Token counts are estimated.
 */
int score_text(const struct rubric *r, const struct rubric_turn *turn,
	       const struct rubric_turn *prev, const struct statutes *st, const char *text,
	       size_t len, const char *language, const struct score_options *opt,
	       struct score_result *out, size_t *answer_at);

/**
 * Whether matching left item i undecided (forbidden: 1 for claims), so a
 * judge should look at it: a key point it did not find, a forbidden claim
 * whose terms occur but which it did not find made.  With all, every item.
 */
int score_item_undecided(const struct score_item *si, int forbidden, int all);

/**
 * Records the judge's verdict on an item (met, with its explanation, or
 * error != NULL when the judge failed; the match verdict then stands).
 * Call score_rescore once every verdict is in.
 */
void score_item_judged(struct score_result *res, struct score_item *si, int met,
		       const char *explanation, const char *error);

/**
 * Computes score, coverage, passed and hallucinated again from the items'
 * verdicts (after a judge or a reviewer changed some) and the citations.
 */
void score_rescore(const struct rubric_turn *turn, struct score_result *res);

/** "match", "judge", "judge_error" or "review". */
const char *score_method_name(enum score_method m);

/** Frees a result. */
void score_result_deinit(struct score_result *out);

/**
 * The result as JSON (the `amicus score --json` contract): score, coverage,
 * passed, hallucinated, abstained, truncated_in_reasoning, reasoning_tokens,
 * answer_tokens, keypoints, forbidden, citations, language_mix, loop, and
 * more.  Offsets are the answer's plus base (the answer's offset in the
 * text the user gave).  answer is the text the spans point into.
 */
json_t *score_result_json(const struct score_result *res, const char *answer, size_t base);

#endif
