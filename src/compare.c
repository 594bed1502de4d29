/*
 * compare.c - two models on the same questions, paired.
 *
 * Comparing two pass rates as if they came from different questions
 * throws away what a paired design knows: most questions are easy or
 * hard for both.  So only the questions both models answered count, the
 * pass difference is tested with the exact McNemar test on the
 * discordant questions, and the mean score difference gets a bootstrap
 * interval that resamples questions (and their translations) together,
 * each time taking both models' scores of the same question.
 *
 * Everything is read from question_stats, which holds one row per model
 * and question of a finished run.
 */
#include "amconfig.h"

#include "compare.h"
#include "aggregate.h"
#include "stats.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One question both models answered. */
struct pair {
	char question[256], area[128];
	double score_a, score_b;
	int pass_a, pass_b;
	int hall_a, hall_b; /* samples that hallucinated */
};

/* The figures of a set of pairs (all of them, or one area's). */
static json_t *
figures(const struct pair *p, size_t n, const char *area)
{
	double *d = xcalloc(n ? n : 1, sizeof *d), sa = 0, sb = 0, ma, mb;
	int *cl = xcalloc(n ? n : 1, sizeof *cl);
	char **keys = xcalloc(n ? n : 1, sizeof *keys);
	long pa = 0, pb = 0, only_a = 0, only_b = 0;
	size_t i, k, nk = 0, m = 0;
	struct interval ci = {NAN, NAN};
	json_t *o;

	for (i = 0; i < n; i++) {
		char key[256];

		if (area && strcmp(p[i].area, area) != 0)
			continue;
		sa += p[i].score_a;
		sb += p[i].score_b;
		pa += p[i].pass_a;
		pb += p[i].pass_b;
		only_a += p[i].pass_a && !p[i].pass_b;
		only_b += !p[i].pass_a && p[i].pass_b;
		aggregate_cluster_key(p[i].question, key, sizeof key);
		for (k = 0; k < nk && strcmp(keys[k], key) != 0; k++)
			;
		if (k == nk)
			keys[nk++] = xstrdup(key);
		cl[m] = (int)k;
		d[m++] = p[i].score_a - p[i].score_b;
	}
	ma = m ? sa / (double)m : NAN;
	mb = m ? sb / (double)m : NAN;
	if (m)
		stats_bootstrap_mean(d, cl, m, nk, STATS_BOOTSTRAP_B, STATS_SEED, &ci);
	o = json_pack("{s:s, s:I, s:f, s:f, s:f, s:I, s:I, s:f}", "area", area ? area : "*",
		      "questions", (json_int_t)m, "pass_rate_a", m ? (double)pa / (double)m : 0.0,
		      "pass_rate_b", m ? (double)pb / (double)m : 0.0, "pass_difference",
		      m ? (double)(pa - pb) / (double)m : 0.0, "only_a_passed", (json_int_t)only_a,
		      "only_b_passed", (json_int_t)only_b, "mcnemar_p",
		      stats_mcnemar_exact(only_a, only_b));
	json_object_set_new(o, "mean_score_a", isnan(ma) ? json_null() : json_real(ma));
	json_object_set_new(o, "mean_score_b", isnan(mb) ? json_null() : json_real(mb));
	json_object_set_new(o, "score_difference", isnan(ma) ? json_null() : json_real(ma - mb));
	json_object_set_new(o, "score_difference_ci",
			    isnan(ci.lo) ? json_null() : json_pack("[f, f]", ci.lo, ci.hi));
	for (k = 0; k < nk; k++)
		free(keys[k]);
	free(keys);
	free(cl);
	free(d);
	return o;
}

/* Prepares sql and binds ?1 run, ?2 a, ?3 b. */
static sqlite3_stmt *
prepare_ab(sqlite3 *db, const char *sql, int64_t run, const char *a, const char *b,
	   struct am_err *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		am_err_set(err, "%s", sqlite3_errmsg(db));
		return NULL;
	}
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, b, -1, SQLITE_STATIC);
	return st;
}

json_t *
compare_models(sqlite3 *db, int64_t run, const char *a, const char *b, struct am_err *err)
{
	sqlite3_stmt *st;
	struct pair *p = NULL;
	size_t n = 0, cap = 0, i;
	json_t *out = NULL, *areas, *dis;
	int found_a = 0, found_b = 0;

	st = prepare_ab(db,
			"SELECT model, count(*) FROM question_stats WHERE run_id = ?1 AND "
			"model IN (?2, ?3) GROUP BY model",
			run, a, b, err);
	if (!st)
		return NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		found_a |= strcmp((const char *)sqlite3_column_text(st, 0), a) == 0;
		found_b |= strcmp((const char *)sqlite3_column_text(st, 0), b) == 0;
	}
	sqlite3_finalize(st);
	if (!found_a || !found_b) {
		am_err_set(err,
			   "run %lld has no answers of %s (is it finished, and is the model "
			   "spelled as in amicus.yaml?)",
			   (long long)run, !found_a ? a : b);
		return NULL;
	}
	st = prepare_ab(db,
			"SELECT x.question, x.area, x.mean_score, y.mean_score, "
			"2 * x.passed > x.samples, 2 * y.passed > y.samples, "
			"x.hallucinated, y.hallucinated "
			"FROM question_stats x JOIN question_stats y "
			"ON y.run_id = x.run_id AND y.question = x.question "
			"WHERE x.run_id = ?1 AND x.model = ?2 AND y.model = ?3 "
			"ORDER BY x.area, x.question",
			run, a, b, err);
	if (!st)
		return NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			p = xrealloc(p, cap * sizeof *p);
		}
		snprintf(p[n].question, sizeof p[n].question, "%s", sqlite3_column_text(st, 0));
		snprintf(p[n].area, sizeof p[n].area, "%s", sqlite3_column_text(st, 1));
		p[n].score_a = sqlite3_column_double(st, 2);
		p[n].score_b = sqlite3_column_double(st, 3);
		p[n].pass_a = sqlite3_column_int(st, 4);
		p[n].pass_b = sqlite3_column_int(st, 5);
		p[n].hall_a = sqlite3_column_int(st, 6);
		p[n].hall_b = sqlite3_column_int(st, 7);
		n++;
	}
	sqlite3_finalize(st);

	out = json_pack("{s:I, s:s, s:s, s:o}", "run_id", (json_int_t)run, "a", a, "b", b,
			"overall", figures(p, n, NULL));
	areas = json_array();
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(p[i].area, p[i - 1].area) != 0)
			json_array_append_new(areas, figures(p, n, p[i].area));
	json_object_set_new(out, "areas", areas);
	dis = json_array();
	for (i = 0; i < n; i++)
		if (p[i].pass_a != p[i].pass_b)
			json_array_append_new(
				dis,
				json_pack("{s:s, s:s, s:b, s:b, s:f, s:f, s:i, s:i}", "question",
					  p[i].question, "area", p[i].area, "a_passed", p[i].pass_a,
					  "b_passed", p[i].pass_b, "score_a", p[i].score_a,
					  "score_b", p[i].score_b, "a_hallucinated", p[i].hall_a,
					  "b_hallucinated", p[i].hall_b));
	json_object_set_new(out, "disagreements", dis);
	free(p);
	return out;
}
