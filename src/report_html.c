/*
 * report_html.c - the report as one self-contained HTML page.
 *
 * The page is what a partner opens or prints: the verdicts first (a
 * model x area grid of coloured badges, then a chart of the pass and
 * hallucination rates with their 95% intervals as inline SVG), then the
 * same sections, in the same order and with the same numbers, as the
 * Markdown report (report_md.c).  It loads nothing: the CSS is inline,
 * the charts are inline SVG, there are no fonts, scripts or images, and
 * the only links are anchors within the page.
 *
 * Invariants: every string that comes from the model (the report's JSON:
 * model names, questions, the answers' quotes, claims, citations) goes
 * through html_text, which escapes & < > " ' and drops control
 * characters; a verdict is always printed as a word, so the badges read
 * in black and white too; a missing number prints as "-".  The page is
 * built in a private buffer and appended to out at the end, so out's cap
 * bounds it and a failed render leaves out as it was.
 */
#include "amconfig.h"

#include "report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define L(k) report_label(m, k)

/* The chart's geometry, in SVG user units (the SVG scales to the page). */
enum {
	CH_W = 1000,    /* width */
	CH_LABEL = 170, /* area names, left of the bars */
	CH_BAR = 280,   /* one panel's bar length at 100% */
	CH_PASS = 178,  /* where the pass panel starts */
	CH_HAL = 590,   /* where the hallucination panel starts */
	CH_TOP = 46,    /* the panels' titles and ticks above the rows */
	CH_ROW = 20,    /* one model x area row */
};

/* clang-format off */
static const char css[] =
	"*{box-sizing:border-box}"
	"body{margin:0;background:#fff;color:#1a1a1a;font:14px/1.5 'Noto Sans CJK SC','Noto Sans SC',"
	"'PingFang SC','Microsoft YaHei',system-ui,sans-serif}"
	"main{max-width:1040px;margin:0 auto;padding:32px 24px}"
	"h1{font-size:26px;margin:0}"
	".sub{color:#555;margin:0 0 16px}"
	"h2{font-size:20px;border-bottom:2px solid #1a1a1a;padding-bottom:4px;margin:40px 0 12px}"
	"h3{font-size:16px;margin:24px 0 8px}"
	".sim{border:3px solid #b3261e;background:#fdecea;padding:12px 16px;margin:16px 0;font-size:16px}"
	".sim strong{color:#8c1d17}"
	"table{border-collapse:collapse;width:100%;margin:8px 0 14px;font-size:13px}"
	"th,td{border-bottom:1px solid #d0d0d0;padding:5px 8px;text-align:left;vertical-align:top}"
	"th{background:#f0f0f0;border-bottom:2px solid #888;font-weight:600}"
	".n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
	"tr.all td{font-weight:600;border-top:2px solid #888}"
	".grid td,.grid th{text-align:center}.grid td:first-child,.grid th:first-child{text-align:left}"
	/* the verdicts: a word in a tinted box, the border style tells them apart in grey */
	".badge{display:inline-block;padding:1px 8px;border:2px solid;border-radius:4px;"
	"font-weight:700;white-space:nowrap}"
	".v-suitable{background:#e3f3e6;color:#14532d;border-color:#1e7b34}"
	".v-review{background:#fff3dc;color:#5c3600;border-color:#c77c00;border-style:dashed}"
	".v-not_suitable{background:#fbe4e2;color:#7a1610;border-color:#b3261e;border-width:3px;border-style:double}"
	".v-too_few{background:#eee;color:#404040;border-color:#8a8a8a;border-style:dotted}"
	".ex{border:1px solid #d0d0d0;border-radius:4px;padding:8px 12px;margin:10px 0}"
	".ex p{margin:4px 0}"
	"blockquote{margin:6px 0;padding:6px 12px;border-left:4px solid #b3261e;background:#faf4f3;"
	"white-space:pre-wrap;overflow-wrap:anywhere}"
	".law{color:#333}.muted{color:#555}.m{white-space:nowrap}"
	"code{font-family:'DejaVu Sans Mono',monospace;font-size:12px;overflow-wrap:anywhere}"
	"figure{margin:12px 0}figcaption{color:#555;font-size:12px}"
	"svg{width:100%;height:auto}svg text{font-family:inherit}"
	/* print: A4, each major section on a new page, rows and examples kept whole */
	"@page{size:A4;margin:15mm}"
	"@media print{body{font-size:10pt}main{max-width:none;padding:0}"
	".major{break-before:page}h2,h3{break-after:avoid}"
	"tr,.ex,figure,.sim{break-inside:avoid}thead{display:table-header-group}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";
/* clang-format on */

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

static json_int_t
inum(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* Text into HTML: the five special characters escaped, control characters dropped. */
static void
html_text(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '&')
			buf_puts(b, "&amp;");
		else if (c == '<')
			buf_puts(b, "&lt;");
		else if (c == '>')
			buf_puts(b, "&gt;");
		else if (c == '"')
			buf_puts(b, "&quot;");
		else if (c == '\'')
			buf_puts(b, "&#39;");
		else if (c >= 0x20 || c == '\n' || c == '\t')
			buf_append(b, s, 1);
		else if (c == '\r')
			continue;
		else
			buf_puts(b, " ");
	}
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

	if (t <= 0) { /* missing */
		buf_puts(b, "-");
		return;
	}
	localtime_r(&tt, &tm);
	strftime(s, sizeof s, "%Y-%m-%d %H:%M", &tm);
	buf_puts(b, s);
}

/* "87% [78–93]" (a rate), "0.94 [0.91–0.97]" (a score) or "-". */
static void
value_ci(struct buf *b, const json_t *o, const char *v, const char *ci, int rate)
{
	json_t *c = json_object_get(o, ci);
	double x = num(o, v), k = rate ? 100 : 1;
	int d = rate ? 0 : 2;

	if (isnan(x)) {
		buf_puts(b, "-");
		return;
	}
	buf_printf(b, "%.*f%s", d, k * x, rate ? "%" : "");
	if (json_array_size(c) == 2)
		buf_printf(b, " [%.*f–%.*f]", d, k * json_number_value(json_array_get(c, 0)), d,
			   k * json_number_value(json_array_get(c, 1)));
}

/* Numbers formatted like printf (at most 127 bytes), or "-" when a value is missing. */
static void __attribute__((format(printf, 3, 4)))
or_dash(struct buf *b, int missing, const char *fmt, ...)
{
	char s[128];
	va_list ap;

	if (missing) {
		buf_puts(b, "-");
		return;
	}
	va_start(ap, fmt);
	vsnprintf(s, sizeof s, fmt, ap);
	va_end(ap);
	buf_puts(b, s);
}

/*
 * The thresholds in numbers, "(Pass rate ≥ 80%, Hallucination rate ≤ 5%;
 * review: 60% / 15%; Questions < 10)", "-" for a missing one; lt: "<" as
 * the format wants it.
 */
static void
thresholds(struct buf *b, const json_t *m, const char *lt)
{
	static const char *const keys[] = {"suitable_pass_lower", "suitable_hallucination_upper",
					   "review_pass", "review_hallucination"};
	const json_t *th = json_object_get(m, "thresholds");
	char v[5][32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (isnan(num(th, keys[i])))
			snprintf(v[i], sizeof v[i], "-");
		else
			snprintf(v[i], sizeof v[i], "%.0f%%", 100 * num(th, keys[i]));
	if (json_is_integer(json_object_get(th, "min_questions")))
		snprintf(v[4], sizeof v[4], "%lld", (long long)inum(th, "min_questions"));
	else
		snprintf(v[4], sizeof v[4], "-");
	buf_printf(b, "(%s ≥ %s, %s ≤ %s; %s: %s / %s; %s %s %s)", report_label(m, "Pass rate"),
		   v[0], report_label(m, "Hallucination rate"), v[1], report_label(m, "review"),
		   v[2], v[3], report_label(m, "Questions"), lt, v[4]);
}

/* The verdict as a badge: the colour says it on screen, the word on paper. */
static void
badge(struct buf *b, const json_t *m, const char *verdict)
{
	static const struct {
		const char *key, *word;
	} words[] = {
		{"suitable", "Suitable"},
		{"review", "Use with review"},
		{"not_suitable", "Not suitable"},
		{"too_few", "Too few questions"},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (strcmp(words[i].key, verdict) == 0) {
			buf_printf(b, "<span class=\"badge v-%s\">%s</span>", words[i].key,
				   L(words[i].word));
			return;
		}
	buf_puts(b, "<span class=\"badge v-too_few\">");
	html_text(b, *verdict ? verdict : "-");
	buf_puts(b, "</span>");
}

/* The summary row of model and area, or NULL. */
static json_t *
find_row(const json_t *summary, const char *model, const char *area)
{
	json_t *r;
	size_t i;

	json_array_foreach(summary, i, r)
	{
		if (strcmp(str(r, "model"), model) == 0 && strcmp(str(r, "area"), area) == 0)
			return r;
	}
	return NULL;
}

/* The verdicts at a glance: one row per area, one column per model. */
static void
verdict_grid(struct buf *b, const json_t *m)
{
	json_t *summary = json_object_get(m, "summary"), *models = json_object_get(m, "models");
	json_t *areas = json_array(), *r, *a;
	size_t i, j;

	json_array_foreach(summary, i, r)
	{
		int seen = 0;

		json_array_foreach(areas, j, a)
		{
			seen |= strcmp(json_string_value(a), str(r, "area")) == 0;
		}
		if (!seen)
			json_array_append_new(areas, json_string(str(r, "area")));
	}
	buf_printf(b, "<table class=\"grid\"><thead><tr><th>%s</th>", L("Area"));
	json_array_foreach(models, j, a)
	{
		buf_puts(b, "<th>");
		html_text(b, json_string_value(a));
		buf_puts(b, "</th>");
	}
	buf_puts(b, "</tr></thead><tbody>\n");
	json_array_foreach(areas, i, a)
	{
		const char *area = json_string_value(a);
		json_t *mm;

		buf_printf(b, "<tr%s><td>", strcmp(area, "*") == 0 ? " class=\"all\"" : "");
		html_text(b, area_name(m, area));
		buf_puts(b, "</td>");
		json_array_foreach(models, j, mm)
		{
			r = find_row(summary, json_string_value(mm), area);
			buf_puts(b, "<td>");
			if (r)
				badge(b, m, str(r, "verdict"));
			else
				buf_puts(b, "-");
			buf_puts(b, "</td>");
		}
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</tbody></table>\n");
	json_decref(areas);
}

/* One bar with its interval as an error bar, in a panel starting at x0. */
static void
svg_bar(struct buf *b, const json_t *r, const char *rate, const char *ci, int x0, int y,
	const char *fill)
{
	json_t *c = json_object_get(r, ci);
	double v = num(r, rate);

	if (!isnan(v))
		buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"10\" fill=\"%s\"/>",
			   x0, y + 5, fmax(0, fmin(1, v)) * CH_BAR, fill);
	if (json_array_size(c) == 2) {
		double lo = x0 + fmax(0, fmin(1, json_number_value(json_array_get(c, 0)))) * CH_BAR;
		double hi = x0 + fmax(0, fmin(1, json_number_value(json_array_get(c, 1)))) * CH_BAR;

		buf_printf(b,
			   "<path d=\"M%.1f %dH%.1fM%.1f %dV%dM%.1f %dV%d\" stroke=\"#222\" "
			   "stroke-width=\"1.5\" fill=\"none\"/>",
			   lo, y + 10, hi, lo, y + 4, y + 16, hi, y + 4, y + 16);
	}
	buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\">", x0 + CH_BAR + 6, y + 14);
	value_ci(b, r, rate, ci, 1);
	buf_puts(b, "</text>");
}

/* A panel's title, ticks and the dashed line of the threshold for "suitable". */
static void
svg_panel(struct buf *b, const char *title, int x0, double bar, int height)
{
	int t;

	buf_printf(b, "<text x=\"%d\" y=\"14\" font-size=\"13\" font-weight=\"600\">", x0);
	html_text(b, title);
	buf_puts(b, "</text>");
	for (t = 0; t <= 100; t += 25)
		buf_printf(b,
			   "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
			   "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#555\" "
			   "text-anchor=\"middle\">%d%%</text>",
			   x0 + t * CH_BAR / 100.0, x0 + t * CH_BAR / 100.0, CH_TOP - 6, height - 4,
			   x0 + t * CH_BAR / 100.0, CH_TOP - 10, t);
	if (!isnan(bar))
		buf_printf(b,
			   "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#1a1a1a\" "
			   "stroke-dasharray=\"4 3\"/>",
			   x0 + bar * CH_BAR, x0 + bar * CH_BAR, CH_TOP - 6, height - 4);
}

/* Pass and hallucination rates per model and area, with their intervals. */
static void
rate_chart(struct buf *b, const json_t *m)
{
	json_t *summary = json_object_get(m, "summary"), *th = json_object_get(m, "thresholds");
	json_t *r;
	const char *model = NULL;
	size_t i, groups = 0;
	int y, height;

	json_array_foreach(summary, i, r)
	{
		if (!model || strcmp(model, str(r, "model")) != 0)
			groups++;
		model = str(r, "model");
	}
	height = CH_TOP + (int)(json_array_size(summary) + groups) * CH_ROW + 8;
	buf_printf(b, "<figure><svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">", CH_W,
		   height, L("Pass and hallucination rates, with 95% intervals"));
	svg_panel(b, L("Pass rate"), CH_PASS, num(th, "suitable_pass_lower"), height);
	svg_panel(b, L("Hallucination rate"), CH_HAL, num(th, "suitable_hallucination_upper"),
		  height);
	y = CH_TOP;
	model = NULL;
	json_array_foreach(summary, i, r)
	{
		if (!model || strcmp(model, str(r, "model")) != 0) {
			model = str(r, "model");
			buf_printf(b,
				   "<text x=\"0\" y=\"%d\" font-size=\"12\" font-weight=\"700\">",
				   y + 14);
			html_text(b, model);
			buf_puts(b, "</text>");
			y += CH_ROW;
		}
		buf_printf(b, "<text x=\"12\" y=\"%d\" font-size=\"11\"%s>", y + 14,
			   strcmp(str(r, "area"), "*") == 0 ? " font-weight=\"600\"" : "");
		html_text(b, area_name(m, str(r, "area")));
		buf_puts(b, "</text>");
		svg_bar(b, r, "pass_rate", "pass_ci", CH_PASS, y, "#6f97c4");
		svg_bar(b, r, "hallucination_rate", "hallucination_ci", CH_HAL, y, "#d98c85");
		y += CH_ROW;
	}
	buf_printf(b, "</svg><figcaption>%s %s</figcaption></figure>\n",
		   L("The error bars are the 95% intervals."),
		   L("Dashed line: the threshold for suitable."));
}

static void
summary(struct buf *b, const json_t *m)
{
	json_t *r;
	size_t i;

	buf_printf(b, "<section id=\"summary\"><h2>%s</h2>\n", L("Summary"));
	verdict_grid(b, m);
	buf_printf(b, "<h3>%s</h3>\n", L("Pass and hallucination rates, with 95% intervals"));
	rate_chart(b, m);
	buf_printf(b,
		   "<table><thead><tr><th>%s</th><th>%s</th><th class=\"n\">%s</th><th>%s</th>"
		   "<th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
		   "</tr></thead><tbody>\n",
		   L("Model"), L("Area"), L("Questions"), L("Verdict"), L("Pass rate"),
		   L("Hallucination rate"), L("Mean score"));
	json_array_foreach(json_object_get(m, "summary"), i, r)
	{
		buf_printf(b, "<tr%s><td class=\"m\">",
			   strcmp(str(r, "area"), "*") == 0 ? " class=\"all\"" : "");
		html_text(b, str(r, "model"));
		buf_puts(b, "</td><td>");
		html_text(b, area_name(m, str(r, "area")));
		buf_puts(b, "</td><td class=\"n\">");
		or_dash(b, isnan(num(r, "questions")), "%.0f", num(r, "questions"));
		buf_puts(b, "</td><td>");
		badge(b, m, str(r, "verdict"));
		buf_puts(b, "</td><td class=\"n\">");
		value_ci(b, r, "pass_rate", "pass_ci", 1);
		buf_puts(b, "</td><td class=\"n\">");
		value_ci(b, r, "hallucination_rate", "hallucination_ci", 1);
		buf_puts(b, "</td><td class=\"n\">");
		value_ci(b, r, "mean_score", "score_ci", 0);
		buf_puts(b, "</td></tr>\n");
	}
	buf_printf(
		b, "</tbody></table>\n<p><strong>%s%s</strong>%s ", L("Thresholds"), L(": "),
		L("suitable: the pass rate's lower bound reaches the bar and the hallucination "
		  "rate's upper bound stays under it; use with review: the point estimates reach "
		  "the review thresholds; too few: fewer questions in the area than the minimum."));
	thresholds(b, m, "&lt;");
	buf_printf(b, ".</p>\n<p class=\"muted\">%s</p></section>\n",
		   L("Intervals are 95%: Wilson for rates, a bootstrap over questions for mean "
		     "scores; a question asked several times counts once."));
}

static void
comparisons(struct buf *b, const json_t *m)
{
	json_t *c, *f, *ci;
	size_t i, k;

	if (!json_array_size(json_object_get(m, "comparisons")))
		return;
	buf_printf(b, "<section id=\"comparison\" class=\"major\"><h2>%s</h2>\n<p>%s</p>\n",
		   L("Comparison of models"),
		   L("Paired on the questions both models answered: McNemar's exact test on the "
		     "questions only one passed; a paired bootstrap interval for the score "
		     "difference."));
	json_array_foreach(json_object_get(m, "comparisons"), i, c)
	{
		buf_puts(b, "<h3>A: ");
		html_text(b, str(c, "a"));
		buf_puts(b, " · B: ");
		html_text(b, str(c, "b"));
		buf_printf(b,
			   "</h3>\n<table><thead><tr><th>%s</th><th class=\"n\">%s</th>"
			   "<th class=\"n\">%s (A vs B)</th><th class=\"n\">%s</th>"
			   "<th class=\"n\">%s</th></tr></thead><tbody>\n",
			   L("Area"), L("Questions"), L("Pass rate"), L("McNemar p"),
			   L("Score difference"));
		for (k = 0; k <= json_array_size(json_object_get(c, "areas")); k++) {
			f = k ? json_array_get(json_object_get(c, "areas"), k - 1)
			      : json_object_get(c, "overall");
			ci = json_object_get(f, "score_difference_ci");
			buf_printf(b, "<tr%s><td>", k ? "" : " class=\"all\"");
			html_text(b, area_name(m, str(f, "area")));
			buf_puts(b, "</td><td class=\"n\">");
			or_dash(b, isnan(num(f, "questions")), "%.0f", num(f, "questions"));
			buf_puts(b, "</td><td class=\"n\">");
			or_dash(b, isnan(num(f, "pass_rate_a") + num(f, "pass_rate_b")),
				"%.0f%% vs %.0f%% (%+.0f)", 100 * num(f, "pass_rate_a"),
				100 * num(f, "pass_rate_b"), 100 * num(f, "pass_difference"));
			buf_puts(b, "</td><td class=\"n\">");
			or_dash(b, isnan(num(f, "mcnemar_p")), "%.3g", num(f, "mcnemar_p"));
			buf_puts(b, "</td><td class=\"n\">");
			or_dash(b, isnan(num(f, "score_difference")), "%+.2f",
				num(f, "score_difference"));
			if (json_array_size(ci) == 2)
				buf_printf(b, " [%+.2f, %+.2f]",
					   json_number_value(json_array_get(ci, 0)),
					   json_number_value(json_array_get(ci, 1)));
			buf_puts(b, "</td></tr>\n");
		}
		buf_puts(b, "</tbody></table>\n");
	}
	buf_puts(b, "</section>\n");
}

/* One hallucinated answer: the question, then each false claim with its evidence. */
static void
example(struct buf *b, const json_t *m, const json_t *x)
{
	json_t *y;
	size_t k;

	buf_printf(b, "<div class=\"ex\"><p><strong>%s</strong> <code>", L("Question"));
	html_text(b, str(x, "question"));
	buf_puts(b, "</code> <span class=\"muted\">(");
	html_text(b, area_name(m, str(x, "area")));
	buf_puts(b, ")</span><br>");
	html_text(b, str(x, "ask"));
	buf_puts(b, "</p>\n");
	json_array_foreach(json_object_get(x, "claims"), k, y)
	{
		buf_printf(b, "<p><strong>%s%s</strong></p><blockquote>“", L("Answer"), L(": "));
		html_text(b, *str(y, "quote") ? str(y, "quote") : "-");
		buf_printf(b, "”</blockquote><p><strong>%s%s</strong>", L("False claim"), L(": "));
		html_text(b, *str(y, "claim") ? str(y, "claim") : "-");
		if (*str(y, "law")) {
			buf_printf(b, "<br><span class=\"law\"><strong>%s%s</strong>", L("Law"),
				   L(": "));
			html_text(b, str(y, "law"));
			buf_puts(b, "</span>");
		}
		buf_puts(b, "</p>\n");
	}
	json_array_foreach(json_object_get(x, "citations"), k, y)
	{
		buf_printf(b, "<p><strong>%s%s</strong>", L("Bad citations"), L(": "));
		html_text(b, str(y, "text"));
		buf_puts(b, " (");
		html_text(b, L(str(y, "status")));
		buf_puts(b, ")</p>\n");
	}
	buf_puts(b, "</div>\n");
}

static void
hallucinations(struct buf *b, const json_t *m)
{
	json_t *h, *x, *y;
	size_t i, j;

	buf_printf(b, "<section id=\"hallucinations\" class=\"major\"><h2>%s</h2>\n",
		   L("Hallucinations, with evidence"));
	json_array_foreach(json_object_get(m, "hallucinations"), i, h)
	{
		buf_puts(b, "<h3>");
		html_text(b, str(h, "model"));
		buf_printf(b, "</h3>\n<p>%s%s<strong>%lld</strong></p>\n",
			   L("Hallucinated answers"), L(": "), (long long)inum(h, "count"));
		if (!json_array_size(json_object_get(h, "examples")))
			buf_printf(b, "<p>%s</p>\n", L("No hallucination found."));
		json_array_foreach(json_object_get(h, "examples"), j, x)
		{
			example(b, m, x);
		}
		if (!json_array_size(json_object_get(h, "bad_citations")))
			continue;
		buf_printf(b, "<p><strong>%s%s</strong>", L("Bad citations"), L(": "));
		json_array_foreach(json_object_get(h, "bad_citations"), j, y)
		{
			buf_puts(b, j ? "; " : "");
			html_text(b, str(y, "text"));
			buf_puts(b, " (");
			html_text(b, L(str(y, "status")));
			buf_printf(b, ", ×%lld)", (long long)inum(y, "count"));
		}
		buf_puts(b, "</p>\n");
	}
	buf_puts(b, "</section>\n");
}

static void
behaviour(struct buf *b, const json_t *m)
{
	static const struct {
		const char *head, *key;
		double scale;
		int digits;
		const char *unit;
	} k[] = {
		{"Reasoning share", "reasoning_share", 100, 0, "%"},
		{"Reasoning tokens", "reasoning_tokens", 1, 0, ""},
		{"Loops", "loop_rate", 100, 0, "%"},
		{"Language mix", "mix_rate", 100, 0, "%"},
		{"Ignored follow-ups", "followup_ignored_rate", 100, 0, "%"},
		{"Truncated", "truncation_rate", 100, 0, "%"},
		{"Latency p50", "p50_ms", 0.001, 2, " s"},
		{"Latency p95", "p95_ms", 0.001, 2, " s"},
		{"Tokens per second", "tokens_per_s", 1, 1, ""},
	};
	json_t *r;
	size_t i, j;

	buf_printf(b,
		   "<section id=\"behaviour\" class=\"major\"><h2>%s</h2>\n<table><thead><tr>"
		   "<th>%s</th>",
		   L("Behaviour"), L("Model"));
	for (j = 0; j < ARRAY_SIZE(k); j++)
		buf_printf(b, "<th class=\"n\">%s</th>", L(k[j].head));
	buf_puts(b, "</tr></thead><tbody>\n");
	json_array_foreach(json_object_get(m, "behaviour"), i, r)
	{
		buf_puts(b, "<tr><td class=\"m\">");
		html_text(b, str(r, "model"));
		for (j = 0; j < ARRAY_SIZE(k); j++) {
			buf_puts(b, "</td><td class=\"n\">");
			or_dash(b, isnan(num(r, k[j].key)), "%.*f%s", k[j].digits,
				k[j].scale * num(r, k[j].key), k[j].unit);
		}
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody></table></section>\n");
}

static void
reviews(struct buf *b, const json_t *m)
{
	const json_t *r = json_object_get(m, "reviews");
	const json_t *mt = json_object_get(r, "match"), *jd = json_object_get(r, "judge");

	buf_printf(b, "<section id=\"reviews\"><h2>%s</h2>\n", L("Lawyers' reviews"));
	if (!inum(r, "count")) {
		buf_printf(b, "<p>%s</p></section>\n", L("No review yet."));
		return;
	}
	buf_printf(b,
		   "<table><tbody><tr><th>%s</th><td class=\"n\">%lld</td></tr>\n"
		   "<tr><th>%s</th><td class=\"n\">%lld / %lld</td></tr>\n"
		   "<tr><th>%s</th><td class=\"n\">%lld / "
		   "%lld</td></tr>\n</tbody></table></section>\n",
		   L("Verdicts ruled on by lawyers"), (long long)inum(r, "count"),
		   L("Keyword matching agreed with the lawyers"), (long long)inum(mt, "agree"),
		   (long long)inum(mt, "n"), L("The judge model agreed with the lawyers"),
		   (long long)inum(jd, "agree"), (long long)inum(jd, "n"));
}

static void
method(struct buf *b, const json_t *m)
{
	const json_t *r = json_object_get(m, "method"), *judge = json_object_get(r, "judge");
	json_t *x;
	size_t i;

	buf_printf(b, "<section id=\"method\" class=\"major\"><h2>%s</h2>\n<table><tbody>\n",
		   L("Method"));
	buf_printf(b, "<tr><th>%s</th><td>%lld, %s <code>", L("Question bank"),
		   (long long)inum(r, "questions"), L("content hash"));
	html_text(b, *str(r, "questions_hash") ? str(r, "questions_hash") : "-");
	buf_printf(b, "</code></td></tr>\n<tr><th>%s</th><td>%s <code>", L("Rubrics"),
		   L("content hash"));
	html_text(b, *str(r, "rubrics_hash") ? str(r, "rubrics_hash") : "-");
	buf_printf(b, "</code></td></tr>\n<tr><th>%s</th><td>%lld</td></tr>\n<tr><th>%s</th><td>",
		   L("Samples per question"), (long long)inum(r, "samples"), L("Judge model"));
	html_text(b, json_is_object(judge) ? str(judge, "model") : L("none"));
	buf_puts(b, "</td></tr>\n");
	json_array_foreach(json_object_get(r, "models"), i, x)
	{
		char *opt =
			json_dumps(json_object_get(x, "options"), JSON_COMPACT | JSON_SORT_KEYS);

		buf_puts(b, "<tr><th>");
		html_text(b, str(x, "model"));
		buf_puts(b, "</th><td>");
		html_text(b, str(x, "kind"));
		if (json_is_true(json_object_get(x, "simulated")))
			buf_printf(b, ", <strong>%s</strong>", L("simulated"));
		buf_printf(b, "<br>%s%s<code>", L("Digest"), L(": "));
		html_text(b, *str(x, "digest") ? str(x, "digest") : "-");
		buf_printf(b, "</code><br>%s%s<code>", L("Settings"), L(": "));
		html_text(b, opt ? opt : "{}");
		buf_puts(b, "</code></td></tr>\n");
		free(opt);
	}
	buf_printf(b, "<tr><th>%s</th><td>", L("Generated"));
	date(b, inum(m, "generated_at"));
	buf_puts(b, "</td></tr>\n</tbody></table></section>\n");
}

int
report_render_html(const json_t *m, struct buf *out, struct am_err *err)
{
	const json_t *run = json_object_get(m, "run");
	struct buf b;
	int rc = 0;

	if (!json_is_object(m))
		return am_err_set(err, "html: the report is not a JSON object");
	buf_init(&b, 0);
	buf_printf(&b,
		   "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">\n"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		   "<title>",
		   strcmp(str(m, "lang"), "zh") == 0 ? "zh-CN" : "en");
	html_text(&b, str(m, "title"));
	buf_printf(&b, "</title>\n<style>%s</style></head>\n<body><main>\n<header><h1>", css);
	html_text(&b, str(m, "title"));
	buf_printf(&b, "</h1>\n<p class=\"sub\">%s · %s %lld · ", L("Legal question answering"),
		   L("Run"), (long long)inum(run, "id"));
	date(&b, inum(run, "finished_at"));
	buf_printf(&b, " · %s%s%lld", L("Samples per question"), L(": "),
		   (long long)inum(run, "samples"));
	if (*str(m, "area")) {
		buf_printf(&b, " · %s%s", L("Area"), L(": "));
		html_text(&b, area_name(m, str(m, "area")));
	}
	buf_puts(&b, "</p></header>\n");
	if (json_is_true(json_object_get(m, "simulated")))
		buf_printf(&b,
			   "<div class=\"sim\" role=\"alert\"><strong>%s</strong><br>%s</div>\n",
			   L("Simulated results"),
			   L("Results of the built-in demo backend are simulated: they are not "
			     "measurements of any real model."));
	summary(&b, m);
	comparisons(&b, m);
	hallucinations(&b, m);
	behaviour(&b, m);
	reviews(&b, m);
	method(&b, m);
	buf_puts(&b, "</main></body></html>\n");
	if (buf_append(out, b.data, b.len) < 0)
		rc = am_err_set(err,
				"html: the report is larger than the output allows (%zu bytes)",
				b.len);
	buf_deinit(&b);
	return rc;
}
