/*
 * stats.c - intervals, paired tests and suitability verdicts.
 *
 * The figures a lawyer reads are rates over a few dozen questions, so each
 * comes with a 95% interval:
 *   - rates (pass, hallucination, abstention, ...): Wilson score intervals,
 *     which stay inside [0, 1] and behave at 0/n and n/n where the normal
 *     approximation does not;
 *   - means (score, coverage) and paired differences of means: percentile
 *     bootstrap over clusters of questions, so that K samples of one
 *     question, or its zh and en twins, count as one piece of evidence;
 *   - paired pass/fail of two models: the exact McNemar test.
 * The bootstrap uses its own generator (xoshiro256**, seeded by
 * splitmix64) and a fixed seed: a report printed twice shows the same
 * interval.
 */
#include "amconfig.h"

#include "stats.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define Z95 1.959963984540054
#define EPS 1e-9

struct interval
stats_wilson(double k, double n)
{
	struct interval r = {0, 1};
	double p, z2 = Z95 * Z95, denom, centre, half;

	if (n <= 0)
		return r;
	if (k < 0)
		k = 0;
	if (k > n)
		k = n;
	p = k / n;
	denom = 1 + z2 / n;
	centre = (p + z2 / (2 * n)) / denom;
	half = Z95 * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
	r.lo = centre - half < 0 ? 0 : centre - half;
	r.hi = centre + half > 1 ? 1 : centre + half;
	/* At 0/n and n/n the bound is exact; keep rounding from blurring it. */
	if (k == 0)
		r.lo = 0;
	if (k == n)
		r.hi = 1;
	return r;
}

/* --- the generator ------------------------------------------------------ */

struct rng {
	uint64_t s[4];
};

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static void
rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* Uniform in [0, n), without modulo bias (rejection). */
static size_t
rng_below(struct rng *r, size_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, x;

	do
		x = rng_next(r);
	while (x >= limit);
	return (size_t)(x % n);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Type-7 quantile of sorted v[0..n). */
static double
quantile(const double *v, size_t n, double q)
{
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)floor(h);

	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

int
stats_bootstrap_mean(const double *values, const int *cluster, size_t n, size_t nclusters,
		     unsigned B, uint64_t seed, struct interval *out)
{
	double *csum = NULL, *means = NULL;
	size_t *ccount = NULL, i, c, b;
	struct rng r;
	int rc = -1;

	out->lo = out->hi = NAN;
	if (n == 0)
		return 0;
	if (nclusters == 0 || B == 0)
		return -1;
	csum = xcalloc(nclusters, sizeof *csum);
	ccount = xcalloc(nclusters, sizeof *ccount);
	for (i = 0; i < n; i++) {
		if (cluster[i] < 0 || (size_t)cluster[i] >= nclusters)
			goto out;
		csum[cluster[i]] += values[i];
		ccount[cluster[i]]++;
	}
	/* Only clusters that hold a value take part in the resampling. */
	for (i = c = 0; i < nclusters; i++)
		if (ccount[i]) {
			csum[c] = csum[i];
			ccount[c++] = ccount[i];
		}
	means = xcalloc(B, sizeof *means);
	rng_seed(&r, seed);
	for (b = 0; b < B; b++) {
		double sum = 0;
		size_t cnt = 0, k;

		for (i = 0; i < c; i++) {
			k = rng_below(&r, c);
			sum += csum[k];
			cnt += ccount[k];
		}
		means[b] = sum / (double)cnt;
	}
	qsort(means, B, sizeof *means, cmp_double);
	out->lo = quantile(means, B, 0.025);
	out->hi = quantile(means, B, 0.975);
	rc = 0;
out:
	free(csum);
	free(ccount);
	free(means);
	return rc;
}

/* log Γ(x), without lgamma's global signgam (x > 0 here). */
static double
log_gamma(double x)
{
	int sign;

	return lgamma_r(x, &sign);
}

/* log C(n, k): exact enough for the tail sums below. */
static double
log_choose(long n, long k)
{
	return log_gamma((double)n + 1) - log_gamma((double)k + 1) - log_gamma((double)(n - k) + 1);
}

double
stats_mcnemar_exact(long b, long c)
{
	long n = b + c, m = b < c ? b : c, i;
	double p = 0;

	if (b < 0 || c < 0)
		return NAN;
	if (n == 0)
		return 1;
	for (i = 0; i <= m; i++)
		p += exp(log_choose(n, i) - (double)n * M_LN2);
	p *= 2;
	return p > 1 ? 1 : p;
}

void
stats_mean_sd(const double *v, size_t n, double *mean, double *sd)
{
	double m = 0, ss = 0;
	size_t i;

	for (i = 0; i < n; i++)
		m += v[i];
	m = n ? m / (double)n : NAN;
	for (i = 0; i < n; i++)
		ss += (v[i] - m) * (v[i] - m);
	*mean = m;
	*sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
}

enum stats_verdict
stats_verdict(double passed, double hallucinated, double n, long nquestions,
	      const struct config_thresholds *t)
{
	struct interval p, h;

	if (nquestions < STATS_MIN_QUESTIONS || n <= 0)
		return VERDICT_TOO_FEW;
	p = stats_wilson(passed, n);
	h = stats_wilson(hallucinated, n);
	if (p.lo >= t->suitable_pass_lower - EPS && h.hi <= t->suitable_hallucination_upper + EPS)
		return VERDICT_SUITABLE;
	if (passed / n >= t->review_pass - EPS && hallucinated / n <= t->review_hallucination + EPS)
		return VERDICT_REVIEW;
	return VERDICT_NOT_SUITABLE;
}

const char *
stats_verdict_name(enum stats_verdict v)
{
	switch (v) {
	case VERDICT_SUITABLE: return "suitable";
	case VERDICT_REVIEW: return "review";
	case VERDICT_NOT_SUITABLE: return "not_suitable";
	default: return "too_few";
	}
}
