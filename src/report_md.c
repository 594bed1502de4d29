/*
 * report_md.c - the report as Markdown (for a memo) and as CSV (for a
 * spreadsheet).
 *
 * Both are written from the report model alone (report_build).  Model
 * output only reaches them as quotes, which are escaped for the format:
 * Markdown table cells lose their pipes and line breaks, CSV fields are
 * quoted with doubled quotes and a leading =, +, - or @ is defused so a
 * spreadsheet does not take a quote for a formula.
 */
#include "amconfig.h"

#include "report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *
str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static double
num(const json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* "87% [78-93]" or "-" */
static void
pct_ci(struct buf *b, const json_t *o, const char *rate, const char *ci)
{
	json_t *c = json_object_get(o, ci);
	double v = num(o, rate);

	if (isnan(v)) {
		buf_puts(b, "-");
		return;
	}
	buf_printf(b, "%.0f%%", 100 * v);
	if (json_array_size(c) == 2)
		buf_printf(b, " [%.0f–%.0f]", 100 * json_number_value(json_array_get(c, 0)),
			   100 * json_number_value(json_array_get(c, 1)));
}

static void
score_ci(struct buf *b, const json_t *o, const char *v, const char *ci)
{
	json_t *c = json_object_get(o, ci);
	double x = num(o, v);

	if (isnan(x)) {
		buf_puts(b, "-");
		return;
	}
	buf_printf(b, "%.2f", x);
	if (json_array_size(c) == 2)
		buf_printf(b, " [%.2f–%.2f]", json_number_value(json_array_get(c, 0)),
			   json_number_value(json_array_get(c, 1)));
}

/* Text from a model or the bank inside a Markdown table cell or line. */
static void
md_text(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			buf_puts(b, "\\|");
		else if (*s == '\n' || *s == '\r')
			buf_puts(b, " ");
		else if (*s == '<')
			buf_puts(b, "&lt;");
		else if (*s == '*' || *s == '_' || *s == '`' || *s == '[' || *s == ']')
			buf_printf(b, "\\%c", *s);
		else
			buf_append(b, s, 1);
	}
}

/* " 12% |" or " - |": a missing figure is a dash, not nan. */
static void
cell_pct(struct buf *b, double v)
{
	if (isnan(v))
		buf_puts(b, " - |");
	else
		buf_printf(b, " %.0f%% |", 100 * v);
}

/* " 1.25 s |" with the given decimals and unit, or " - |". */
static void
cell_num(struct buf *b, double v, int decimals, const char *unit)
{
	if (isnan(v))
		buf_puts(b, " - |");
	else
		buf_printf(b, " %.*f%s |", decimals, v, unit);
}

static const char *
area_name(const json_t *m, const char *area)
{
	return report_label(m, strcmp(area, "*") == 0 ? "All areas" : area);
}

static void
date(struct buf *b, json_int_t t)
{
	char s[32];
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(s, sizeof s, "%Y-%m-%d %H:%M", &tm);
	buf_puts(b, s);
}

int
report_render_md(const json_t *m, struct buf *b, struct am_err *err)
{
	const json_t *run = json_object_get(m, "run"), *th = json_object_get(m, "thresholds");
	json_t *r, *c, *h, *x, *y;
	size_t i, j, k;

	(void)err;
#define L(k) report_label(m, k)
	buf_printf(b, "# %s\n\n", str(m, "title"));
	buf_printf(b, "%s %lld · ", L("Run"),
		   (long long)json_integer_value(json_object_get(run, "id")));
	date(b, json_integer_value(json_object_get(run, "finished_at")));
	buf_printf(b, " · %s: %lld\n\n", L("Samples per question"),
		   (long long)json_integer_value(json_object_get(run, "samples")));
	if (json_is_true(json_object_get(m, "simulated")))
		buf_printf(b, "> **%s.** %s\n\n", L("Simulated results"),
			   L("Results of the built-in demo backend are simulated: they are not "
			     "measurements of any real model."));

	buf_printf(
		b,
		"## %s\n\n| %s | %s | %s | %s | %s | %s | %s |\n|---|---|---:|---|---|---|---|\n",
		L("Summary"), L("Model"), L("Area"), L("Questions"), L("Verdict"), L("Pass rate"),
		L("Hallucination rate"), L("Mean score"));
	json_array_foreach(json_object_get(m, "summary"), i, r)
	{
		buf_puts(b, "| ");
		md_text(b, str(r, "model"));
		buf_printf(b, " | %s | %.0f | **%s** | ", area_name(m, str(r, "area")),
			   num(r, "questions"), report_verdict(m, str(r, "verdict")));
		pct_ci(b, r, "pass_rate", "pass_ci");
		buf_puts(b, " | ");
		pct_ci(b, r, "hallucination_rate", "hallucination_ci");
		buf_puts(b, " | ");
		score_ci(b, r, "mean_score", "score_ci");
		buf_puts(b, " |\n");
	}
	buf_printf(
		b, "\n%s: %s (%s ≥ %.0f%%, %s ≤ %.0f%%; %s: %.0f%% / %.0f%%; %s < %lld).\n%s\n\n",
		L("Thresholds"),
		L("suitable: the pass rate's lower bound reaches the bar and the hallucination "
		  "rate's upper bound stays under it; use with review: the point estimates reach "
		  "the review thresholds; too few: fewer questions in the area than the minimum."),
		L("Pass rate"), 100 * num(th, "suitable_pass_lower"), L("Hallucination rate"),
		100 * num(th, "suitable_hallucination_upper"), L("review"),
		100 * num(th, "review_pass"), 100 * num(th, "review_hallucination"), L("Questions"),
		(long long)json_integer_value(json_object_get(th, "min_questions")),
		L("Intervals are 95%: Wilson for rates, a bootstrap over questions for mean "
		  "scores; a question asked several times counts once."));

	if (json_array_size(json_object_get(m, "comparisons"))) {
		buf_printf(
			b,
			"## %s\n\n%s\n\n| A | B | %s | %s | %s | %s | %s "
			"|\n|---|---|---|---:|---|---|---|\n",
			L("Comparison of models"),
			L("Paired on the questions both models answered: McNemar's exact test "
			  "on the questions only one passed; a paired bootstrap interval for the "
			  "score difference."),
			L("Area"), L("Questions"), L("Pass rate"), L("McNemar p"),
			L("Score difference"));
		json_array_foreach(json_object_get(m, "comparisons"), i, c)
		{
			for (k = 0; k <= json_array_size(json_object_get(c, "areas")); k++) {
				json_t *f = k ? json_array_get(json_object_get(c, "areas"), k - 1)
					      : json_object_get(c, "overall");
				json_t *ci = json_object_get(f, "score_difference_ci");

				buf_puts(b, "| ");
				md_text(b, str(c, "a"));
				buf_puts(b, " | ");
				md_text(b, str(c, "b"));
				buf_printf(b,
					   " | %s | %.0f | %.0f%% vs %.0f%% (%+.0f) | %.3g | %+.2f",
					   area_name(m, str(f, "area")), num(f, "questions"),
					   100 * num(f, "pass_rate_a"), 100 * num(f, "pass_rate_b"),
					   100 * num(f, "pass_difference"), num(f, "mcnemar_p"),
					   num(f, "score_difference"));
				if (json_array_size(ci) == 2)
					buf_printf(b, " [%+.2f, %+.2f]",
						   json_number_value(json_array_get(ci, 0)),
						   json_number_value(json_array_get(ci, 1)));
				buf_puts(b, " |\n");
			}
		}
		buf_puts(b, "\n");
	}

	buf_printf(b, "## %s\n\n", L("Hallucinations, with evidence"));
	json_array_foreach(json_object_get(m, "hallucinations"), i, h)
	{
		buf_puts(b, "### ");
		md_text(b, str(h, "model"));
		buf_printf(b, " (%lld)\n\n",
			   (long long)json_integer_value(json_object_get(h, "count")));
		if (!json_array_size(json_object_get(h, "examples")))
			buf_printf(b, "%s\n\n", L("No hallucination found."));
		json_array_foreach(json_object_get(h, "examples"), j, x)
		{
			buf_printf(b, "- **%s** `%s`: ", L("Question"), str(x, "question"));
			md_text(b, str(x, "ask"));
			buf_puts(b, "\n");
			json_array_foreach(json_object_get(x, "claims"), k, y)
			{
				buf_printf(b, "  - %s: “", L("Answer"));
				md_text(b, str(y, "quote"));
				buf_printf(b, "” — %s: ", L("False claim"));
				md_text(b, str(y, "claim"));
				if (*str(y, "law")) {
					buf_printf(b, " (%s: ", L("Law"));
					md_text(b, str(y, "law"));
					buf_puts(b, ")");
				}
				buf_puts(b, "\n");
			}
			json_array_foreach(json_object_get(x, "citations"), k, y)
			{
				buf_printf(b, "  - %s: ", L("Bad citations"));
				md_text(b, str(y, "text"));
				buf_printf(b, " (%s)\n", L(str(y, "status")));
			}
		}
		if (json_array_size(json_object_get(h, "bad_citations"))) {
			buf_printf(b, "\n%s: ", L("Bad citations"));
			json_array_foreach(json_object_get(h, "bad_citations"), j, y)
			{
				buf_puts(b, j ? "; " : "");
				md_text(b, str(y, "text"));
				buf_printf(
					b, " (%s, ×%lld)", L(str(y, "status")),
					(long long)json_integer_value(json_object_get(y, "count")));
			}
			buf_puts(b, "\n");
		}
		buf_puts(b, "\n");
	}

	buf_printf(b,
		   "## %s\n\n| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n"
		   "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
		   L("Behaviour"), L("Model"), L("Reasoning share"), L("Reasoning tokens"),
		   L("Loops"), L("Language mix"), L("Ignored follow-ups"), L("Truncated"),
		   L("Latency p50"), L("Latency p95"), L("Tokens per second"));
	json_array_foreach(json_object_get(m, "behaviour"), i, r)
	{
		buf_puts(b, "| ");
		md_text(b, str(r, "model"));
		buf_puts(b, " |");
		cell_pct(b, num(r, "reasoning_share"));
		cell_num(b, num(r, "reasoning_tokens"), 0, "");
		cell_pct(b, num(r, "loop_rate"));
		cell_pct(b, num(r, "mix_rate"));
		cell_pct(b, num(r, "followup_ignored_rate"));
		cell_pct(b, num(r, "truncation_rate"));
		cell_num(b, num(r, "p50_ms") / 1000, 2, " s");
		cell_num(b, num(r, "p95_ms") / 1000, 2, " s");
		cell_num(b, num(r, "tokens_per_s"), 1, "");
		buf_puts(b, "\n");
	}

	r = json_object_get(m, "reviews");
	buf_printf(b, "\n## %s\n\n", L("Lawyers' reviews"));
	if (!json_integer_value(json_object_get(r, "count")))
		buf_printf(b, "%s\n", L("No review yet."));
	else
		buf_printf(b, "%s: %lld (%s: %lld); %s: %lld / %lld; %s: %lld / %lld.\n",
			   L("Verdicts ruled on by lawyers"),
			   (long long)json_integer_value(json_object_get(r, "count")),
			   L("overruled"),
			   (long long)json_integer_value(json_object_get(r, "overruled")),
			   L("matching agreed with the lawyers"),
			   (long long)json_integer_value(
				   json_object_get(json_object_get(r, "match"), "agree")),
			   (long long)json_integer_value(
				   json_object_get(json_object_get(r, "match"), "n")),
			   L("the judge agreed with the lawyers"),
			   (long long)json_integer_value(
				   json_object_get(json_object_get(r, "judge"), "agree")),
			   (long long)json_integer_value(
				   json_object_get(json_object_get(r, "judge"), "n")));

	r = json_object_get(m, "method");
	buf_printf(b, "\n## %s\n\n", L("Method"));
	buf_printf(b, "- %s: %lld, %s %s\n", L("Question bank"),
		   (long long)json_integer_value(json_object_get(r, "questions")),
		   L("content hash"), str(r, "questions_hash"));
	buf_printf(b, "- %s: %s\n", L("Rubric says"), str(r, "rubrics_hash"));
	buf_printf(b, "- %s: %lld\n", L("Samples per question"),
		   (long long)json_integer_value(json_object_get(r, "samples")));
	buf_printf(b, "- %s: ", L("Judge model"));
	if (json_is_object(json_object_get(r, "judge")))
		md_text(b, str(json_object_get(r, "judge"), "model"));
	else
		buf_puts(b, L("none"));
	buf_puts(b, "\n");
	json_array_foreach(json_object_get(r, "models"), i, x)
	{
		char *opt =
			json_dumps(json_object_get(x, "options"), JSON_COMPACT | JSON_SORT_KEYS);

		buf_puts(b, "- ");
		md_text(b, str(x, "model"));
		buf_printf(b, " (%s%s): %s `%s`, %s `%s`\n", str(x, "kind"),
			   json_is_true(json_object_get(x, "simulated")) ? ", simulated" : "",
			   L("Digest"), *str(x, "digest") ? str(x, "digest") : "-", L("Settings"),
			   opt ? opt : "{}");
		free(opt);
	}
	buf_printf(b, "- %s: ", L("Generated"));
	date(b, json_integer_value(json_object_get(m, "generated_at")));
	buf_puts(b, "\n");
#undef L
	return 0;
}

/* --- CSV -------------------------------------------------------------------------- */

static void
csv_field(struct buf *b, const char *s)
{
	buf_puts(b, "\"");
	if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@'))
		buf_puts(b, "'");
	for (; s && *s; s++) {
		if (*s == '"')
			buf_puts(b, "\"\"");
		else
			buf_append(b, s, 1);
	}
	buf_puts(b, "\"");
}

static void
csv_num(struct buf *b, double v)
{
	if (!isnan(v))
		buf_printf(b, "%.6f", v);
}

/* End i (0 or 1) of an interval, NAN when there is none. */
static double
ci_end(const json_t *ci, size_t i)
{
	return json_array_size(ci) == 2 ? json_number_value(json_array_get(ci, i)) : NAN;
}

int
report_render_csv(const json_t *m, struct buf *b, struct am_err *err)
{
	json_t *r;
	size_t i;

	(void)err;
	buf_puts(b, "run,model,area,questions,answers,samples,verdict,pass_rate,pass_lo,pass_hi,"
		    "hallucination_rate,hallucination_lo,hallucination_hi,mean_score,score_lo,"
		    "score_hi,errors,simulated\r\n");
	json_array_foreach(json_object_get(m, "summary"), i, r)
	{
		json_t *pc = json_object_get(r, "pass_ci"),
		       *hc = json_object_get(r, "hallucination_ci"),
		       *sc = json_object_get(r, "score_ci");

		buf_printf(b, "%lld,",
			   (long long)json_integer_value(
				   json_object_get(json_object_get(m, "run"), "id")));
		csv_field(b, str(r, "model"));
		buf_puts(b, ",");
		csv_field(b, str(r, "area"));
		buf_printf(b, ",%.0f,%.0f,%.0f,%s,", num(r, "questions"), num(r, "answers"),
			   num(r, "samples"), str(r, "verdict"));
		csv_num(b, num(r, "pass_rate"));
		buf_puts(b, ",");
		csv_num(b, ci_end(pc, 0));
		buf_puts(b, ",");
		csv_num(b, ci_end(pc, 1));
		buf_puts(b, ",");
		csv_num(b, num(r, "hallucination_rate"));
		buf_puts(b, ",");
		csv_num(b, ci_end(hc, 0));
		buf_puts(b, ",");
		csv_num(b, ci_end(hc, 1));
		buf_puts(b, ",");
		csv_num(b, num(r, "mean_score"));
		buf_puts(b, ",");
		csv_num(b, ci_end(sc, 0));
		buf_puts(b, ",");
		csv_num(b, ci_end(sc, 1));
		buf_printf(b, ",%.0f,%d\r\n", num(r, "errors"),
			   json_is_true(json_object_get(r, "simulated")));
	}
	return 0;
}

int
report_render_csv_answers(const json_t *m, struct buf *b, struct am_err *err)
{
	static const char *const flags[] = {"passed",    "hallucinated", "abstained",
					    "truncated", "loop",         "mix"};
	json_t *r;
	size_t i, k;

	(void)err;
	buf_puts(b, "run,answer_id,model,question,area,turn,sample,score,passed,hallucinated,"
		    "abstained,truncated,loop,mix\r\n");
	json_array_foreach(json_object_get(m, "answers"), i, r)
	{
		buf_printf(b, "%lld,%lld,",
			   (long long)json_integer_value(
				   json_object_get(json_object_get(m, "run"), "id")),
			   (long long)json_integer_value(json_object_get(r, "id")));
		csv_field(b, str(r, "model"));
		buf_puts(b, ",");
		csv_field(b, str(r, "question"));
		buf_puts(b, ",");
		csv_field(b, str(r, "area"));
		buf_printf(b, ",%.0f,%.0f,%.6f", num(r, "turn"), num(r, "sample"), num(r, "score"));
		for (k = 0; k < ARRAY_SIZE(flags); k++)
			buf_printf(b, ",%d", json_is_true(json_object_get(r, flags[k])));
		buf_puts(b, "\r\n");
	}
	return 0;
}
