/*
 * Unit tests for stats.c.
 *
 * The expected values were worked out from the contract in stats.h, not
 * from the implementation: by hand where short, otherwise with python3 and
 * its standard library only (math, fractions, statistics).  The formulas
 * used are quoted next to each value.  z = 1.959963984540054 throughout.
 *
 * Wilson (k of n, p = k/n):
 *   centre = (p + z^2/(2n)) / (1 + z^2/n)
 *   half   = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/(4n^2))
 *   [max(0, centre - half), min(1, centre + half)]
 * Closed forms used as hand checks: 0/n gives [0, z^2/(n + z^2)], n/n gives
 * [n/(n + z^2), 1].
 */
#include "amconfig.h"

#include <math.h>

#include "config.h"
#include "stats.h"
#include "testlib.h"

#define WILSON_TOL 1e-4

static void
check_wilson(double k, double n, double lo, double hi)
{
	struct interval r = stats_wilson(k, n);

	ck_assert_msg(fabs(r.lo - lo) <= WILSON_TOL, "wilson(%g, %g).lo = %.10f, want %.10f", k, n,
		      r.lo, lo);
	ck_assert_msg(fabs(r.hi - hi) <= WILSON_TOL, "wilson(%g, %g).hi = %.10f, want %.10f", k, n,
		      r.hi, hi);
	ck_assert(r.lo >= 0 && r.lo <= r.hi && r.hi <= 1);
}

START_TEST(test_wilson_edges)
{
	/* 0/10: lo = 0 (centre == half exactly), hi = z^2/(10 + z^2) = 0.2775327999 */
	check_wilson(0, 10, 0, 0.2775327999);
	/* 10/10: lo = 10/(10 + z^2) = 0.7224672001, hi = 1 */
	check_wilson(10, 10, 0.7224672001, 1);
	/* 1/1: lo = 1/(1 + z^2) = 0.2065493144, hi = 1 */
	check_wilson(1, 1, 0.2065493144, 1);
	/* n <= 0: [0, 1] by the contract */
	check_wilson(0, 0, 0, 1);
	check_wilson(3, 0, 0, 1);
	check_wilson(0, -5, 0, 1);
	/* k > n is clamped to n: 12/10 is 10/10 */
	check_wilson(12, 10, 0.7224672001, 1);
}
END_TEST

START_TEST(test_wilson_interior)
{
	/* python3, the formula above: 7/20 -> [0.1811918241, 0.5671457233] */
	check_wilson(7, 20, 0.1811918241, 0.5671457233);
	/* 50/100 -> [0.4038315304, 0.5961684696], symmetric about 0.5 */
	check_wilson(50, 100, 0.4038315304, 0.5961684696);
	/* fractional k, p = 7.5/20 = 0.375 -> [0.1997708557, 0.5905104338] */
	check_wilson(7.5, 20, 0.1997708557, 0.5905104338);
	/* 28/40 -> [0.5456998118, 0.8192515477] */
	check_wilson(28, 40, 0.5456998118, 0.8192515477);
}
END_TEST

START_TEST(test_wilson_symmetry)
{
	/* By the formula, (k, n) and (n - k, n) mirror about 1/2. */
	struct interval a = stats_wilson(7, 20), b = stats_wilson(13, 20);

	ck_assert_double_eq_tol(a.lo, 1 - b.hi, 1e-12);
	ck_assert_double_eq_tol(a.hi, 1 - b.lo, 1e-12);
}
END_TEST

/*
 * McNemar: p = min(1, 2 * sum_{i <= min(b,c)} C(b+c, i) / 2^(b+c)), computed
 * exactly with math.comb and fractions.Fraction, then rounded to double.
 */
START_TEST(test_mcnemar_small)
{
	/* b + c == 0: 1 by the contract */
	ck_assert_double_eq(stats_mcnemar_exact(0, 0), 1);
	/* (1, 9): 2 * (1 + 10) / 1024 = 11/512 */
	ck_assert_double_eq_tol(stats_mcnemar_exact(1, 9), 11.0 / 512, 1e-12);
	/* (0, 5): 2 * 1/32 = 1/16 */
	ck_assert_double_eq_tol(stats_mcnemar_exact(0, 5), 1.0 / 16, 1e-12);
	/* (3, 3): 2 * P(X <= 3 | n = 6) = 2 * 42/64 > 1, capped to 1 */
	ck_assert_double_eq_tol(stats_mcnemar_exact(3, 3), 1, 1e-12);
	/* (0, 1): 2 * 1/2 = 1 */
	ck_assert_double_eq_tol(stats_mcnemar_exact(0, 1), 1, 1e-12);
	/* (5, 6): 2 * P(X <= 5 | n = 11) = 2 * 1/2 = 1 */
	ck_assert_double_eq_tol(stats_mcnemar_exact(5, 6), 1, 1e-12);
	/* (2, 8): 2 * (1 + 10 + 45) / 1024 = 112/1024 = 7/64 */
	ck_assert_double_eq_tol(stats_mcnemar_exact(2, 8), 7.0 / 64, 1e-12);
	/* (10, 20): Fraction -> 26504551/268435456 = 0.098737146705389023 */
	ck_assert_double_eq_tol(stats_mcnemar_exact(10, 20), 26504551.0 / 268435456, 1e-12);
}
END_TEST

START_TEST(test_mcnemar_large)
{
	/*
	 * (100, 140): 2^240 overflows every integer type and C(240, 100) is
	 * ~1e70, so this catches naive factorials.  Exact Fraction, rounded:
	 * 0.011664092317677663.
	 */
	double p = stats_mcnemar_exact(100, 140);

	ck_assert_msg(fabs(p - 0.011664092317677663) <= 1e-9 * 0.011664092317677663,
		      "mcnemar(100, 140) = %.17g", p);
}
END_TEST

START_TEST(test_mcnemar_symmetry)
{
	static const long pairs[][2] = {{1, 9}, {0, 5}, {2, 8}, {10, 20}, {100, 140}, {7, 7}};
	size_t i;

	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		ck_assert_double_eq(stats_mcnemar_exact(pairs[i][0], pairs[i][1]),
				    stats_mcnemar_exact(pairs[i][1], pairs[i][0]));
}
END_TEST

START_TEST(test_mean_sd)
{
	/* sum 40, mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; sd = sqrt(32/7) */
	static const double v[] = {2, 4, 4, 4, 5, 5, 7, 9};
	/* 1e9 + {4, 7, 13, 16}: mean 1e9 + 10, deviations -6 -3 3 6, sd = sqrt(90/3) =
	 * sqrt(30); a one-pass sum of squares loses this to cancellation */
	static const double big[] = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
	double mean = -1, sd = -1;

	stats_mean_sd(v, 8, &mean, &sd);
	ck_assert_double_eq_tol(mean, 5, 1e-12);
	ck_assert_double_eq_tol(sd, 2.138089935299395, 1e-12);

	stats_mean_sd(big, 4, &mean, &sd);
	ck_assert_double_eq_tol(mean, 1e9 + 10, 1e-6);
	ck_assert_double_eq_tol(sd, 5.477225575051661, 1e-6);

	/* n = 1: sd 0 */
	mean = sd = -1;
	stats_mean_sd(v + 7, 1, &mean, &sd);
	ck_assert_double_eq(mean, 9);
	ck_assert_double_eq(sd, 0);

	/* n = 0: sd 0 (n < 2); the mean is not specified */
	sd = -1;
	stats_mean_sd(v, 0, &mean, &sd);
	ck_assert_double_eq(sd, 0);
}
END_TEST

/* ---- bootstrap ------------------------------------------------------------ */

/* Each value its own cluster. */
static int *
own_clusters(size_t n)
{
	int *c = malloc(n * sizeof *c);
	size_t i;

	ck_assert_ptr_nonnull(c);
	for (i = 0; i < n; i++)
		c[i] = (int)i;
	return c;
}

/* A typical, uneven data set in [0, 1]: (i * 7 mod 20) / 19, i < 20. */
static void
typical_data(double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = (double)((i * 7) % 20) / 19;
}

START_TEST(test_bootstrap_empty)
{
	double v[1] = {0};
	int c[1] = {0};
	struct interval r = {0, 0};

	ck_assert_int_eq(stats_bootstrap_mean(v, c, 0, 0, 100, STATS_SEED, &r), 0);
	ck_assert(isnan(r.lo));
	ck_assert(isnan(r.hi));
}
END_TEST

START_TEST(test_bootstrap_bad_cluster)
{
	double v[3] = {0.1, 0.2, 0.3};
	int c[3] = {0, 1, 2};
	struct interval r;

	/* index == nclusters is out of range */
	ck_assert_int_eq(stats_bootstrap_mean(v, c, 3, 2, 100, STATS_SEED, &r), -1);
	c[2] = -1;
	ck_assert_int_eq(stats_bootstrap_mean(v, c, 3, 3, 100, STATS_SEED, &r), -1);
	c[2] = 2;
	ck_assert_int_eq(stats_bootstrap_mean(v, c, 3, 3, 100, STATS_SEED, &r), 0);
}
END_TEST

START_TEST(test_bootstrap_constant)
{
	/* Every resample mean of 0.75s is 0.75 (exact in binary), and so are both quantiles. */
	double v[12];
	int *c = own_clusters(12);
	struct interval r;
	size_t i;

	for (i = 0; i < 12; i++)
		v[i] = 0.75;
	ck_assert_int_eq(stats_bootstrap_mean(v, c, 12, 12, STATS_BOOTSTRAP_B, STATS_SEED, &r), 0);
	ck_assert_double_eq(r.lo, r.hi);
	ck_assert_double_eq_tol(r.lo, 0.75, 1e-12);
	free(c);
}
END_TEST

START_TEST(test_bootstrap_reproducible)
{
	double v[20];
	int *c = own_clusters(20);
	struct interval a, b, d;

	typical_data(v, 20);
	ck_assert_int_eq(stats_bootstrap_mean(v, c, 20, 20, 500, STATS_SEED, &a), 0);
	ck_assert_int_eq(stats_bootstrap_mean(v, c, 20, 20, 500, STATS_SEED, &b), 0);
	ck_assert_double_eq(a.lo, b.lo);
	ck_assert_double_eq(a.hi, b.hi);
	/* 20 distinct-ish values, 500 resamples: another seed moves the quantiles
	 * (equal at both ends only by a fluke of probability ~0) */
	ck_assert_int_eq(stats_bootstrap_mean(v, c, 20, 20, 500, STATS_SEED + 1, &d), 0);
	ck_assert(a.lo != d.lo || a.hi != d.hi);
	free(c);
}
END_TEST

START_TEST(test_bootstrap_contains_mean)
{
	double v[20], mean, sd;
	int *c = own_clusters(20);
	struct interval r;

	typical_data(v, 20);
	stats_mean_sd(v, 20, &mean, &sd);
	ck_assert_int_eq(stats_bootstrap_mean(v, c, 20, 20, STATS_BOOTSTRAP_B, STATS_SEED, &r), 0);
	ck_assert_msg(r.lo < mean && mean < r.hi, "[%g, %g] misses %g", r.lo, r.hi, mean);
	ck_assert(r.lo >= 0 && r.hi <= 1);
	free(c);
}
END_TEST

START_TEST(test_bootstrap_clusters_matter)
{
	/*
	 * 30 values, each duplicated (as a zh/en twin pair would be).  As 30
	 * clusters of 2 the resample mean averages 30 independent draws, so its
	 * sd is sigma/sqrt(30); as 60 separate clusters it averages 60 draws,
	 * sd sigma/sqrt(60).  The clustered interval is therefore about
	 * sqrt(2) = 1.41 times as wide; treating twins as independent would
	 * overstate the information in the data.  The ratio is checked loosely
	 * (> 1.15): the bootstrap noise on each width with B = 2000 is a few
	 * per cent.
	 */
	double v[60];
	int clustered[60], separate[60];
	struct interval rc, rs;
	size_t i;

	for (i = 0; i < 30; i++) {
		v[2 * i] = v[2 * i + 1] = (double)((i * 11) % 30) / 29;
		clustered[2 * i] = clustered[2 * i + 1] = (int)i;
		separate[2 * i] = (int)(2 * i);
		separate[2 * i + 1] = (int)(2 * i + 1);
	}
	ck_assert_int_eq(
		stats_bootstrap_mean(v, clustered, 60, 30, STATS_BOOTSTRAP_B, STATS_SEED, &rc), 0);
	ck_assert_int_eq(
		stats_bootstrap_mean(v, separate, 60, 60, STATS_BOOTSTRAP_B, STATS_SEED, &rs), 0);
	ck_assert_msg(rc.hi - rc.lo > 1.15 * (rs.hi - rs.lo), "clustered %g, separate %g",
		      rc.hi - rc.lo, rs.hi - rs.lo);
}
END_TEST

START_TEST(test_bootstrap_unit_range)
{
	/* Skewed 0/1 data near the top: the percentile interval stays in [0, 1]. */
	double v[15];
	int *c = own_clusters(15);
	struct interval r;
	size_t i;

	for (i = 0; i < 15; i++)
		v[i] = i == 0 ? 0 : 1;
	ck_assert_int_eq(stats_bootstrap_mean(v, c, 15, 15, STATS_BOOTSTRAP_B, STATS_SEED, &r), 0);
	ck_assert(r.lo >= 0 && r.lo <= r.hi && r.hi <= 1);
	free(c);
}
END_TEST

START_TEST(test_bootstrap_type7)
{
	/*
	 * The type-7 quantile of B = 2 sorted means m1 <= m2 is
	 * m1 + (B - 1) q (m2 - m1): lo = m1 + 0.025 (m2 - m1) and hi = m1 +
	 * 0.975 (m2 - m1), whatever the generator draws.  With the values 0 and
	 * 1 as two clusters, every resample mean is 0, 1/2 or 1, so (lo, hi)
	 * must be one of those six combinations.  Over 20 seeds, m1 != m2 has
	 * probability 1 - (1/16 + 1/4 + 1/16) = 5/8 each, so at least one seed
	 * shows the interpolation (all 20 equal: (3/8)^20 ~ 3e-9).
	 */
	static const double grid[] = {0, 0.5, 1};
	double v[2] = {0, 1};
	int c[2] = {0, 1};
	struct interval r;
	int spread = 0;
	uint64_t seed;
	size_t a, b;

	for (seed = 1; seed <= 20; seed++) {
		int found = 0;

		ck_assert_int_eq(stats_bootstrap_mean(v, c, 2, 2, 2, seed, &r), 0);
		for (a = 0; a < 3; a++)
			for (b = a; b < 3; b++)
				if (fabs(r.lo - (grid[a] + 0.025 * (grid[b] - grid[a]))) < 1e-12 &&
				    fabs(r.hi - (grid[a] + 0.975 * (grid[b] - grid[a]))) < 1e-12)
					found = 1;
		ck_assert_msg(found, "seed %d: [%.17g, %.17g] is no type-7 pair", (int)seed, r.lo,
			      r.hi);
		spread |= r.lo != r.hi;
	}
	ck_assert(spread);
}
END_TEST

START_TEST(test_bootstrap_normal_approx)
{
	/*
	 * 40 values, 28 ones, each its own cluster: the resample mean is
	 * Binomial(40, 0.7)/40.  Normal approximation with the plug-in sd:
	 * 0.7 -+ z sqrt(0.7 * 0.3 / 40) = [0.5579871, 0.8420129].  (The exact
	 * binomial 2.5%/97.5% quantiles are 0.55 and 0.825.)  A python
	 * simulation of 300 such bootstraps (random.Random, B = 2000, type-7
	 * quantiles) never strayed more than 0.017 from the normal interval;
	 * 0.03 is the tolerance.
	 */
	double v[40];
	int *c = own_clusters(40);
	struct interval r;
	size_t i;

	for (i = 0; i < 40; i++)
		v[i] = i < 28 ? 1 : 0;
	ck_assert_int_eq(stats_bootstrap_mean(v, c, 40, 40, STATS_BOOTSTRAP_B, STATS_SEED, &r), 0);
	ck_assert_msg(fabs(r.lo - 0.5579871) <= 0.03, "lo %g", r.lo);
	ck_assert_msg(fabs(r.hi - 0.8420129) <= 0.03, "hi %g", r.hi);
	free(c);
}
END_TEST

/* ---- verdict -------------------------------------------------------------- */

static struct config_thresholds defaults;

static void
setup_thresholds(void)
{
	struct config c;

	config_defaults(&c);
	defaults = c.thresholds;
	config_deinit(&c);
	/* the values the boundaries below were computed for */
	ck_assert_double_eq(defaults.suitable_pass_lower, 0.8);
	ck_assert_double_eq(defaults.suitable_hallucination_upper, 0.05);
	ck_assert_double_eq(defaults.review_pass, 0.6);
	ck_assert_double_eq(defaults.review_hallucination, 0.15);
}

START_TEST(test_verdict_too_few)
{
	/* 9 questions: too few whatever the rates; 10: a verdict.  10/10 has
	 * Wilson lo = 0.7225 < 0.8, so it is review (p = 1, h = 0). */
	ck_assert_int_eq(stats_verdict(9, 0, 9, 9, &defaults), VERDICT_TOO_FEW);
	ck_assert_int_eq(stats_verdict(100, 0, 100, 9, &defaults), VERDICT_TOO_FEW);
	ck_assert_int_eq(stats_verdict(10, 0, 10, 10, &defaults), VERDICT_REVIEW);
	ck_assert_int_eq(stats_verdict(0, 0, 0, 0, &defaults), VERDICT_TOO_FEW);
}
END_TEST

START_TEST(test_verdict_suitable_pass_boundary)
{
	/*
	 * n = 80, 0 hallucinations (Wilson hi of 0/80 = z^2/(80 + z^2) =
	 * 0.0458 <= 0.05).  python3, scanning k = 0..80 with the Wilson formula:
	 * the smallest k with lo >= 0.8 is 72 (lo 0.8148931); 71 gives
	 * 0.7998178, short by 1.8e-4 (far more than the 1e-9 allowance).  71/80 =
	 * 0.8875 >= 0.6, so 71 is review.
	 */
	ck_assert_int_eq(stats_verdict(72, 0, 80, 80, &defaults), VERDICT_SUITABLE);
	ck_assert_int_eq(stats_verdict(71, 0, 80, 80, &defaults), VERDICT_REVIEW);
	/*
	 * Fractional pass counts: bisection on the formula puts lo = 0.8 at
	 * k = 71.01218032; k -+ 1e-4 give lo 0.7999985 / 0.8000015, i.e. 1.5e-6
	 * either side of the bar (still 1500 times the 1e-9 allowance).
	 */
	ck_assert_int_eq(stats_verdict(71.0121803 + 1e-4, 0, 80, 80, &defaults), VERDICT_SUITABLE);
	ck_assert_int_eq(stats_verdict(71.0121803 - 1e-4, 0, 80, 80, &defaults), VERDICT_REVIEW);
}
END_TEST

START_TEST(test_verdict_suitable_hallucination_boundary)
{
	/*
	 * 0/n has Wilson hi = z^2/(n + z^2), which is <= 0.05 iff n >= 19 z^2 =
	 * 72.988: 0/72 -> 0.0506512 (just above), 0/73 -> 0.0499920 (just
	 * below).  With everything passed (lo = n/(n + z^2) ~ 0.95) the
	 * hallucination bound alone decides; 0/72 falls back to review.
	 */
	ck_assert_int_eq(stats_verdict(73, 0, 73, 73, &defaults), VERDICT_SUITABLE);
	ck_assert_int_eq(stats_verdict(72, 0, 72, 72, &defaults), VERDICT_REVIEW);
	/* 1/80: hi 0.0674627 > 0.05, h = 0.0125 <= 0.15, p = 0.9 -> review */
	ck_assert_int_eq(stats_verdict(72, 1, 80, 80, &defaults), VERDICT_REVIEW);
	/* fractional (bisection): hi = 0.05 at h = 0.17932682 of 80; h -+ 1e-4 give
	 * hi 0.0499977 / 0.0500023 */
	ck_assert_int_eq(stats_verdict(72, 0.1793268 - 1e-4, 80, 80, &defaults), VERDICT_SUITABLE);
	ck_assert_int_eq(stats_verdict(72, 0.1793268 + 1e-4, 80, 80, &defaults), VERDICT_REVIEW);
}
END_TEST

START_TEST(test_verdict_review_boundary)
{
	/* 12/20 = 0.6 and 3/20 = 0.15 exactly at the review thresholds.  Not
	 * suitable: Wilson lo of 12/20 is 0.3866, hi of 3/20 is 0.3604. */
	ck_assert_int_eq(stats_verdict(12, 3, 20, 20, &defaults), VERDICT_REVIEW);
	/* a hair below 0.6 (5e-13, well inside the 1e-9 allowance) still reviews */
	ck_assert_int_eq(stats_verdict(12 - 1e-11, 3, 20, 20, &defaults), VERDICT_REVIEW);
	ck_assert_int_eq(stats_verdict(12, 3 + 1e-11, 20, 20, &defaults), VERDICT_REVIEW);
	/* just below on pass (11/20 = 0.55, or 11.99/20 = 0.5995) */
	ck_assert_int_eq(stats_verdict(11, 3, 20, 20, &defaults), VERDICT_NOT_SUITABLE);
	ck_assert_int_eq(stats_verdict(11.99, 3, 20, 20, &defaults), VERDICT_NOT_SUITABLE);
	/* just above on hallucination (4/20 = 0.2, or 3.01/20 = 0.1505) */
	ck_assert_int_eq(stats_verdict(12, 4, 20, 20, &defaults), VERDICT_NOT_SUITABLE);
	ck_assert_int_eq(stats_verdict(12, 3.01, 20, 20, &defaults), VERDICT_NOT_SUITABLE);
	/* nothing passed */
	ck_assert_int_eq(stats_verdict(0, 0, 20, 20, &defaults), VERDICT_NOT_SUITABLE);
}
END_TEST

START_TEST(test_verdict_name)
{
	ck_assert_str_eq(stats_verdict_name(VERDICT_SUITABLE), "suitable");
	ck_assert_str_eq(stats_verdict_name(VERDICT_REVIEW), "review");
	ck_assert_str_eq(stats_verdict_name(VERDICT_NOT_SUITABLE), "not_suitable");
	ck_assert_str_eq(stats_verdict_name(VERDICT_TOO_FEW), "too_few");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("core");
	TCase *tv = tcase_create("verdict");

	tcase_add_test(tc, test_wilson_edges);
	tcase_add_test(tc, test_wilson_interior);
	tcase_add_test(tc, test_wilson_symmetry);
	tcase_add_test(tc, test_mcnemar_small);
	tcase_add_test(tc, test_mcnemar_large);
	tcase_add_test(tc, test_mcnemar_symmetry);
	tcase_add_test(tc, test_mean_sd);
	tcase_add_test(tc, test_bootstrap_empty);
	tcase_add_test(tc, test_bootstrap_bad_cluster);
	tcase_add_test(tc, test_bootstrap_constant);
	tcase_add_test(tc, test_bootstrap_reproducible);
	tcase_add_test(tc, test_bootstrap_contains_mean);
	tcase_add_test(tc, test_bootstrap_clusters_matter);
	tcase_add_test(tc, test_bootstrap_unit_range);
	tcase_add_test(tc, test_bootstrap_type7);
	tcase_add_test(tc, test_bootstrap_normal_approx);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tv, setup_thresholds, NULL);
	tcase_add_test(tv, test_verdict_too_few);
	tcase_add_test(tv, test_verdict_suitable_pass_boundary);
	tcase_add_test(tv, test_verdict_suitable_hallucination_boundary);
	tcase_add_test(tv, test_verdict_review_boundary);
	tcase_add_test(tv, test_verdict_name);
	suite_add_tcase(s, tv);
	return test_run(s);
}
