/*
 * think.h - reasoning written inline in an answer, and token estimates.
 */
#ifndef AMICUS_THINK_H
#define AMICUS_THINK_H

#include <stddef.h>

/** Where the reasoning and the answer lie in a text, as byte offsets. */
struct think_split {
	size_t reasoning_start, reasoning_end; /* equal when there is no reasoning */
	size_t answer_start, answer_end;
	int unclosed; /* a <think> was opened and never closed: the answer is empty */
};

/**
 * Splits text into reasoning and answer.  Reasoning models write
 * "<think>…</think>answer"; some templates put the opening tag in the prompt,
 * so the output holds only "…</think>answer"; a model cut off while thinking
 * leaves "<think>…" with no close.  <thinking> is read like <think>.  Text
 * without tags is all answer.
 */
void think_split(const char *text, size_t len, struct think_split *out);

/**
 * Estimates the tokens a model spent on len bytes of text, for backends that
 * report no usage: one per Han character, one per four other characters
 * (not counting white space), rounded up.
 */
long tokens_estimate(const char *s, size_t len);

#endif
