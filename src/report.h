/*
 * report.h - the model-suitability report: what it says (report_build)
 * and how it is written (pdf, html, md, csv, json).
 */
#ifndef AMICUS_REPORT_H
#define AMICUS_REPORT_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

#include "catalog.h"
#include "config.h"
#include "diag.h"
#include "util.h"

/** What to report on. */
struct report_options {
	int64_t run;               /* the run (0: the newest finished) */
	const char *const *models; /* only these models (NULL: all of the run) */
	size_t nmodels;
	const char *area; /* only this legal area (NULL: all) */
	const char *lang; /* "zh" or "en" */
	int examples;     /* hallucination examples per model (default 3) */
};

/**
 * The report's content as one JSON object (the json format is exactly
 * this).  Its keys:
 *   "lang", "title", "generated_at", "run" {id, created_at, finished_at,
 *   suite, samples, trigger}, "thresholds" {...}, "simulated" (bool: a
 *   demo model is in it), "models" [names],
 *   "summary": [{model, area, questions, answers, samples, verdict,
 *     pass_rate, pass_ci, hallucination_rate, hallucination_ci,
 *     mean_score, score_ci, errors}]  one row per model x area (area "*"
 *     first for each model),
 *   "comparisons": [{a, b, overall: C, areas: [C]}] for every pair,
 *   "hallucinations": [{model, count, examples: [{answer_id, question,
 *     area, ask, turn, score, claims: [{item, claim, quote, law}],
 *     citations: [{text, status}]}], bad_citations: [{text, law,
 *     article, status, count}]}],
 *   "behaviour": [{model, reasoning_share, reasoning_tokens,
 *     answer_tokens, loop_rate, mix_rate, followup_ignored_rate,
 *     truncation_rate, abstention_rate, p50_ms, p95_ms, tokens_per_s}],
 *   "reviews": {count, overruled, match: {n, agree}, judge: {n, agree}},
 *   "agreement": match against judge (aggregate_agreement_json) or null,
 *   "method": {questions, rubrics_hash, questions_hash, samples,
 *     judge: {backend, model} or null, models: [{model, backend, kind,
 *     digest, options, simulated}], started, finished},
 *   "answers": [{id, model, question, area, turn, sample, score, passed,
 *     hallucinated, abstained, truncated, loop, mix}]
 * Returns NULL with err when there is no such run (or none finished).
 */
json_t *report_build(sqlite3 *db, const struct catalog *cat, const struct config *cfg,
		     const struct report_options *o, struct am_err *err);

/** The formats. */
enum report_format {
	REPORT_PDF,
	REPORT_HTML,
	REPORT_MD,
	REPORT_CSV,         /* one row per model x area */
	REPORT_CSV_ANSWERS, /* one row per answer */
	REPORT_JSON,
};

/** "pdf", "html", "md", "csv", "csv-answers" or "json" into *f; -1 when none. */
int report_format_parse(const char *s, enum report_format *f);
/** Its MIME type and file extension. */
const char *report_format_type(enum report_format f);
const char *report_format_ext(enum report_format f);

/**
 * Writes the report m in format f into out.  Pure: no I/O but what the
 * PDF renderer needs (fonts).  Returns 0, or -1 with err.
 */
int report_render(const json_t *m, enum report_format f, struct buf *out, struct am_err *err);

/** The renderers (report_render picks one). */
int report_render_md(const json_t *m, struct buf *out, struct am_err *err);
int report_render_csv(const json_t *m, struct buf *out, struct am_err *err);
int report_render_csv_answers(const json_t *m, struct buf *out, struct am_err *err);
int report_render_html(const json_t *m, struct buf *out, struct am_err *err);
int report_render_pdf(const json_t *m, struct buf *out, struct am_err *err);

/**
 * A label of the report in the report's language: key is the English
 * label ("Summary", "suitable", ...); returns the Chinese one for zh when
 * the table has it, else key.
 */
const char *report_label(const json_t *m, const char *key);

/**
 * A verdict key ("suitable", "review", "not_suitable", "too_few") as the
 * report's reader reads it ("Use with review", "需人工复核", ...).
 */
const char *report_verdict(const json_t *m, const char *key);

#endif
