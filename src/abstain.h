/*
 * abstain.h - did the model decline to answer?
 */
#ifndef AMICUS_ABSTAIN_H
#define AMICUS_ABSTAIN_H

#include <stddef.h>

#include "text.h"

/**
 * Looks for a refusal in the normalized answer ("我无法回答", "作为AI，我不能
 * 提供法律意见", "I cannot provide legal advice", "I'm not able to answer").
 * Returns 1 and the normalized span of the first refusal, or 0.  Whether the
 * answer abstained also depends on what else it says; see score.c.
 */
int abstain_find(const struct ntext *t, size_t *start, size_t *end);

#endif
