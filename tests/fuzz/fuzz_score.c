/*
 * fuzz_score.c - the scorer, the citation extractor and the judge's reply
 * parser on arbitrary text.  The rubric is the bank's cn-copyright-rights-zh
 * (17 key points, forbidden claims with near terms, expected citations)
 * with the bank's statute registry, loaded once.
 */
#include "amconfig.h"

#include "catalog.h"
#include "judge.h"
#include "score.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct catalog cat;
static const struct rubric *rub;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *src = getenv("srcdir") ? getenv("srcdir") : ".";
	char q[4096], r[4096], s[4096];
	struct diag d;

	(void)argc;
	(void)argv;
	snprintf(q, sizeof q, "%s/questions", src);
	snprintf(r, sizeof r, "%s/rubrics", src);
	snprintf(s, sizeof s, "%s/rubrics/statutes.yaml", src);
	diag_init(&d);
	catalog_load(&cat, q, r, s, &d);
	diag_deinit(&d);
	rub = rubric_set_find(&cat.rubrics, "cn-copyright-rights-zh");
	if (!rub)
		abort(); /* run from the source tree, or set srcdir */
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct score_result res;
	struct score_options opt;
	char expl[JUDGE_EXPLANATION_MAX];
	struct am_err err;
	size_t at;
	int met;

	score_options_default(&opt);
	score_text(rub, rubric_turn(rub, 1), NULL, &cat.statutes, (const char *)d, n,
		   n && (d[0] & 1) ? "en" : "zh", &opt, &res, &at);
	/* Every span points into the answer. */
	for (size_t i = 0; i < res.nkeypoints; i++)
		for (size_t k = 0; k < res.keypoints[i].nev; k++)
			if (res.keypoints[i].ev[k].end > n - at ||
			    res.keypoints[i].ev[k].start > res.keypoints[i].ev[k].end)
				__builtin_trap();
	if (res.score > 1.0 + 1e-9 || res.coverage < 0 || res.coverage > 1.0 + 1e-9)
		__builtin_trap();
	json_decref(score_result_json(&res, (const char *)d + at, at));
	score_result_deinit(&res);
	judge_parse((const char *)d, n, &met, expl, sizeof expl, &err);
	return 0;
}
