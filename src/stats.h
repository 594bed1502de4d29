/*
 * stats.h - intervals, paired tests and suitability verdicts.
 *
 * Pure functions, no I/O.  Everything that resamples takes a seed, so the
 * same data always gives the same interval.
 */
#ifndef AMICUS_STATS_H
#define AMICUS_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

/** The seed amicus uses for every bootstrap. */
#define STATS_SEED UINT64_C(0x616d69637573)
/** Bootstrap resamples. */
#define STATS_BOOTSTRAP_B 2000

/** A 95% interval. */
struct interval {
	double lo, hi;
};

/**
 * The 95% Wilson score interval of a proportion: k successes in n trials
 * (z = 1.959963984540054).  k may be fractional (a question answered K
 * times counts as one trial whose outcome is the share of its samples
 * that succeeded).  n <= 0 gives [0, 1].
 */
struct interval stats_wilson(double k, double n);

/**
 * The 95% percentile bootstrap interval of the mean of values[0..n),
 * resampling whole clusters: cluster[i] (0 .. nclusters-1) is the cluster
 * of values[i] (a question's zh/en twins form one cluster).  B resamples
 * with the xoshiro256** generator seeded from seed through splitmix64;
 * the interval's ends are the type-7 (linear) quantiles 0.025 and 0.975
 * of the resampled means; clusters that hold no value take no part.  n == 0
 * gives [NAN, NAN].  Returns 0, or -1 on bad arguments (a cluster index out
 * of range, no clusters, B == 0).
 */
int stats_bootstrap_mean(const double *values, const int *cluster, size_t n, size_t nclusters,
			 unsigned B, uint64_t seed, struct interval *out);

/**
 * The exact two-sided McNemar p-value for b pairs where only A passed and c
 * where only B passed: min(1, 2 P(X <= min(b, c))), X ~ Binomial(b + c, 1/2).
 * b + c == 0 gives 1; a negative count gives NAN.
 */
double stats_mcnemar_exact(long b, long c);

/** Mean and sample standard deviation (n - 1); sd 0 when n < 2. */
void stats_mean_sd(const double *v, size_t n, double *mean, double *sd);

/** The suitability of a model for an area. */
enum stats_verdict {
	VERDICT_SUITABLE,     /* pass lower bound and hallucination upper bound clear the bar */
	VERDICT_REVIEW,       /* the point estimates reach the review thresholds */
	VERDICT_NOT_SUITABLE, /* neither */
	VERDICT_TOO_FEW,      /* fewer than STATS_MIN_QUESTIONS questions */
};

/** Fewer questions than this in an area: no verdict. */
#define STATS_MIN_QUESTIONS 10

/**
 * The verdict from the pass and hallucination rates (k of n, as for
 * stats_wilson) over nquestions questions, against t:
 *   too few       nquestions < STATS_MIN_QUESTIONS, or n <= 0;
 *   suitable      Wilson lower bound of pass >= t->suitable_pass_lower and
 *                 Wilson upper bound of hallucination <= t->suitable_hallucination_upper;
 *   review        pass k/n >= t->review_pass and hallucination k/n <= t->review_hallucination;
 *   not suitable  otherwise.
 * Comparisons allow 1e-9 of rounding.
 */
enum stats_verdict stats_verdict(double passed, double hallucinated, double n, long nquestions,
				 const struct config_thresholds *t);

/** "suitable", "review", "not_suitable" or "too_few". */
const char *stats_verdict_name(enum stats_verdict v);

#endif
