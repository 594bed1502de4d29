/*
 * report.c - what the model-suitability report says.
 *
 * report_build gathers everything once, from the stored aggregates and
 * question rows, the verdicts with their evidence, the reviews and the
 * run's models, into one JSON object; every format is written from that
 * object alone, so the five formats cannot disagree.  The worst
 * hallucinations are chosen by score (lowest first), each quoting the
 * answer's own words (the evidence spans), the rubric's false claim and
 * the law the point rests on.
 */
#include "amconfig.h"

#include "report.h"
#include "aggregate.h"
#include "cnnum.h"
#include "compare.h"
#include "query.h"
#include "sha256.h"
#include "stats.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --- labels ----------------------------------------------------------------- */

static const struct {
	const char *en, *zh;
} labels[] = {
	{"Model suitability report", "模型适用性评估报告"},
	{"Legal question answering", "法律问答"},
	{"Summary", "结论摘要"},
	{"Model", "模型"},
	{"Area", "领域"},
	{"All areas", "全部领域"},
	{"Questions", "题数"},
	{"Answers", "回答数"},
	{"Verdict", "结论"},
	{"Pass rate", "通过率"},
	{"Hallucination rate", "幻觉率"},
	{"Mean score", "平均得分"},
	{"95% interval", "95% 置信区间"},
	{"suitable", "适用"},
	{"review", "需人工复核"},
	{"not_suitable", "不适用"},
	{"too_few", "题数不足"},
	{"Thresholds", "判定标准"},
	{"Comparison of models", "模型对比"},
	{"Difference", "差值"},
	{"Only A passed", "仅 A 通过"},
	{"Only B passed", "仅 B 通过"},
	{"McNemar p", "McNemar p 值"},
	{"Score difference", "得分差"},
	{"Hallucinations, with evidence", "幻觉与证据"},
	{"Answer", "回答"},
	{"Question", "问题"},
	{"False claim", "错误陈述"},
	{"Rubric says", "评分标准"},
	{"Law", "法律依据"},
	{"Bad citations", "错误引用"},
	{"nonexistent", "不存在的条文"},
	{"misgrounded", "引用错位"},
	{"Behaviour", "行为表现"},
	{"Reasoning share", "推理占比"},
	{"Reasoning tokens", "推理 token"},
	{"Answer tokens", "回答 token"},
	{"Loops", "推理循环"},
	{"Language mix", "中英混杂"},
	{"Ignored follow-ups", "忽略追问"},
	{"Truncated", "截断"},
	{"Abstentions", "拒答"},
	{"Latency p50", "延迟 p50"},
	{"Latency p95", "延迟 p95"},
	{"Tokens per second", "每秒 token"},
	{"Lawyers' reviews", "律师复核"},
	{"Method", "方法"},
	{"Run", "评测批次"},
	{"Samples per question", "每题采样次数"},
	{"Judge model", "评审模型"},
	{"none", "无"},
	{"Digest", "模型版本标识"},
	{"Settings", "采样设置"},
	{"Generated", "生成时间"},
	{"Page", "第"},
	{"of", "页，共"},
	{"simulated", "模拟"},
	{"Simulated results", "模拟结果"},
	{"Results of the built-in demo backend are simulated: they are not measurements of any "
	 "real model.",
	 "内置演示后端的结果是模拟数据，不是对任何真实模型的测量。"},
	{"suitable: the pass rate's lower bound reaches the bar and the hallucination rate's "
	 "upper bound stays under it; use with review: the point estimates reach the review "
	 "thresholds; too few: fewer questions in the area than the minimum.",
	 "适用：通过率的置信下限达到标准，且幻觉率的置信上限不超过标准；需人工复核：通过率与幻觉率"
	 "的点估计达到"
	 "复核标准；题数不足：该领域题数少于最低要求。"},
	{"Intervals are 95%: Wilson for rates, a bootstrap over questions for mean scores; a "
	 "question asked several times counts once.",
	 "区间为 95% 置信区间：比率用 Wilson 区间，平均得分用按题目重抽样的 "
	 "bootstrap；同一题目多次采样只计一次。"},
	{"Paired on the questions both models answered: McNemar's exact test on the questions "
	 "only one passed; a paired bootstrap interval for the score difference.",
	 "在两模型都回答的题目上配对比较：对仅一方通过的题目做 McNemar 精确检验；得分差给出配对 "
	 "bootstrap "
	 "区间。"},
	{"verdicts overruled by lawyers", "项评分被律师改判"},
	{"matching agreed with the lawyers", "关键词匹配与律师一致"},
	{"the judge agreed with the lawyers", "评审模型与律师一致"},
	{"No review yet.", "尚无律师复核。"},
	{"No hallucination found.", "未发现幻觉。"},
	{"Question bank", "题库"},
	{"content hash", "内容哈希"},
	{": ", "："},
	{"Suitable", "适用"},
	{"Use with review", "需人工复核"},
	{"Not suitable", "不适用"},
	{"Too few questions", "题数不足"},
	{"Rubrics", "评分标准"},
	{"Verdicts ruled on by lawyers", "经律师复核的评分项"},
	{"overruled", "其中改判"},
	{"Keyword matching agreed with the lawyers", "关键词匹配与律师一致"},
	{"The judge model agreed with the lawyers", "评审模型与律师一致"},
	{"Hallucinated answers", "含幻觉的回答"},
	{"Pass and hallucination rates, with 95% intervals", "通过率与幻觉率（含 95% 置信区间）"},
	{"The error bars are the 95% intervals.", "误差线为 95% 置信区间。"},
	{"Dashed line: the threshold for suitable.", "虚线为“适用”的判定标准。"},
	/* legal areas, as the bank names them */
	{"copyright", "著作权"},
	{"trademark", "商标"},
	{"patent", "专利"},
	{"contract", "合同与民法总则"},
	{"family", "婚姻家庭与继承"},
	{"labour", "劳动"},
	{"company", "公司"},
	{"criminal", "刑法"},
	{"civil-procedure", "民事诉讼"},
	{"us-copyright", "美国版权法"},
	{"probe", "探针题"},
};

const char *
report_label(const json_t *m, const char *key)
{
	const char *lang = json_string_value(json_object_get(m, "lang"));
	size_t i;

	if (!lang || strcmp(lang, "zh") != 0)
		return key;
	for (i = 0; i < ARRAY_SIZE(labels); i++)
		if (strcmp(labels[i].en, key) == 0)
			return labels[i].zh;
	return key;
}

const char *
report_verdict(const json_t *m, const char *key)
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

	for (i = 0; key && i < ARRAY_SIZE(words); i++)
		if (strcmp(words[i].key, key) == 0)
			return report_label(m, words[i].word);
	return key ? key : "-";
}

/* --- formats -------------------------------------------------------------- */

static const struct {
	const char *name, *type, *ext;
} formats[] = {
	[REPORT_PDF] = {"pdf", "application/pdf", "pdf"},
	[REPORT_HTML] = {"html", "text/html; charset=utf-8", "html"},
	[REPORT_MD] = {"md", "text/markdown; charset=utf-8", "md"},
	[REPORT_CSV] = {"csv", "text/csv; charset=utf-8", "csv"},
	[REPORT_CSV_ANSWERS] = {"csv-answers", "text/csv; charset=utf-8", "csv"},
	[REPORT_JSON] = {"json", "application/json", "json"},
};

int
report_format_parse(const char *s, enum report_format *f)
{
	size_t i;

	for (i = 0; s && i < ARRAY_SIZE(formats); i++)
		if (strcmp(formats[i].name, s) == 0) {
			*f = (enum report_format)i;
			return 0;
		}
	return -1;
}

const char *
report_format_type(enum report_format f)
{
	return formats[f].type;
}

const char *
report_format_ext(enum report_format f)
{
	return formats[f].ext;
}

int
report_render(const json_t *m, enum report_format f, struct buf *out, struct am_err *err)
{
	char *s;

	switch (f) {
	case REPORT_PDF: return report_render_pdf(m, out, err);
	case REPORT_HTML: return report_render_html(m, out, err);
	case REPORT_MD: return report_render_md(m, out, err);
	case REPORT_CSV: return report_render_csv(m, out, err);
	case REPORT_CSV_ANSWERS: return report_render_csv_answers(m, out, err);
	default:
		s = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (!s)
			return am_err_set(err, "the report cannot be written as JSON");
		buf_puts(out, s);
		buf_puts(out, "\n");
		free(s);
		return 0;
	}
}

/* --- building ------------------------------------------------------------------- */

static int
wanted(const struct report_options *o, const char *model)
{
	size_t i;

	if (!o->models || !o->nmodels)
		return 1;
	for (i = 0; i < o->nmodels; i++)
		if (strcmp(o->models[i], model) == 0)
			return 1;
	return 0;
}

static json_t *
pick(json_t *row, const char *const *keys, size_t n)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *v = json_object_get(row, keys[i]);

		json_object_set(o, keys[i], v ? v : json_null());
	}
	return o;
}

/* The summary rows and the behaviour panel, from the stored aggregates. */
static void
build_summary(json_t *rep, json_t *models_json, const struct report_options *o)
{
	static const char *const skeys[] = {
		"model",
		"area",
		"questions",
		"answers",
		"samples",
		"verdict",
		"pass_rate",
		"pass_ci",
		"hallucination_rate",
		"hallucination_ci",
		"mean_score",
		"score_ci",
		"errors",
		"simulated",
	};
	static const char *const bkeys[] = {
		"model",
		"reasoning_share",
		"reasoning_tokens",
		"answer_tokens",
		"loop_rate",
		"mix_rate",
		"followup_ignored_rate",
		"truncation_rate",
		"abstention_rate",
		"p50_ms",
		"p95_ms",
		"tokens_per_s",
		"simulated",
	};
	json_t *summary = json_array(), *behaviour = json_array(), *names = json_array(), *m, *a;
	size_t i, j;
	int sim = 0;

	json_array_foreach(models_json, i, m)
	{
		const char *name = json_string_value(json_object_get(m, "model"));

		if (!wanted(o, name))
			continue;
		json_array_append_new(names, json_string(name));
		sim |= json_is_true(json_object_get(m, "simulated"));
		if (!o->area)
			json_array_append_new(summary, pick(m, skeys, ARRAY_SIZE(skeys)));
		json_array_foreach(json_object_get(m, "areas"), j, a)
		{
			if (o->area &&
			    strcmp(o->area, json_string_value(json_object_get(a, "area"))))
				continue;
			json_array_append_new(summary, pick(a, skeys, ARRAY_SIZE(skeys)));
			if (o->area)
				json_array_append_new(behaviour, pick(a, bkeys, ARRAY_SIZE(bkeys)));
		}
		if (!o->area)
			json_array_append_new(behaviour, pick(m, bkeys, ARRAY_SIZE(bkeys)));
	}
	json_object_set_new(rep, "models", names);
	json_object_set_new(rep, "simulated", json_boolean(sim));
	json_object_set_new(rep, "summary", summary);
	json_object_set_new(rep, "behaviour", behaviour);
}

static void
build_comparisons(json_t *rep, sqlite3 *db, int64_t run, const struct report_options *o)
{
	json_t *names = json_object_get(rep, "models"), *list = json_array();
	size_t i, j, k;

	for (i = 0; i < json_array_size(names); i++)
		for (j = i + 1; j < json_array_size(names); j++) {
			const char *a = json_string_value(json_array_get(names, i));
			const char *b = json_string_value(json_array_get(names, j));
			struct am_err err;
			json_t *c = compare_models(db, run, a, b, &err), *areas, *x;

			if (!c)
				continue;
			if (o->area) { /* keep only that area */
				areas = json_array();
				json_array_foreach(json_object_get(c, "areas"), k, x)
				{
					if (strcmp(json_string_value(json_object_get(x, "area")),
						   o->area) == 0)
						json_array_append(areas, x);
				}
				json_object_set_new(c, "areas", areas);
			}
			json_object_del(c, "run_id");
			json_array_append_new(list, c);
		}
	json_object_set_new(rep, "comparisons", list);
}

/* The law a rubric item rests on, in words, or NULL. */
static char *
item_law(const struct catalog *cat, const char *question, int turn, const char *item,
	 const char *lang)
{
	const struct rubric *r = rubric_set_find(&cat->rubrics, question);
	const struct rubric_turn *t = r ? rubric_turn(r, turn) : NULL;
	const struct rubric_source *s = NULL;
	size_t i;

	for (i = 0; t && i < t->nforbidden; i++)
		if (strcmp(t->forbidden[i].id, item) == 0 && t->forbidden[i].source.law_name)
			s = &t->forbidden[i].source;
	if (!s && t && t->source.law_name)
		s = &t->source;
	if (!s)
		return NULL;
	if (s->article <= 0)
		return xstrdup(s->law_name);
	if (strcmp(lang, "zh") == 0 && (!s->law || strcmp(s->law->jurisdiction, "CN") == 0)) {
		char num[64];

		cnnum_format(s->article, num, sizeof num);
		return xasprintf("%s 第%s条", s->law_name, num);
	}
	return s->law && strcmp(s->law->jurisdiction, "US") == 0
		       ? xasprintf("%s § %d", s->law_name, s->article)
		       : xasprintf("%s, article %d", s->law_name, s->article);
}

static const char *
item_claim(const struct catalog *cat, const char *question, int turn, const char *item)
{
	const struct rubric *r = rubric_set_find(&cat->rubrics, question);
	const struct rubric_turn *t = r ? rubric_turn(r, turn) : NULL;
	size_t i;

	for (i = 0; t && i < t->nforbidden; i++)
		if (strcmp(t->forbidden[i].id, item) == 0)
			return t->forbidden[i].claim;
	return NULL;
}

/* The answer's own words at the first evidence span of a verdict. */
static json_t *
quote(json_t *answer, json_t *verdict)
{
	json_t *ev = json_array_get(json_object_get(verdict, "evidence"), 0);
	const char *content = json_string_value(json_object_get(answer, "content"));
	size_t len = content ? strlen(content) : 0;
	json_int_t s, e, from, to;
	char *q;
	json_t *r;

	if (!ev || !content)
		return json_null();
	s = json_integer_value(json_object_get(ev, "start"));
	e = json_integer_value(json_object_get(ev, "end"));
	if (s < 0 || e < s || (size_t)e > len)
		return json_null();
	/* The sentence around it: back to the previous full stop, on to the next. */
	for (from = s; from > 0 && s - from < 240; from--)
		if (memcmp(content + from - 1, "\n", 1) == 0 ||
		    (from >= 3 && memcmp(content + from - 3, "。", 3) == 0))
			break;
	while (from < s && ((unsigned char)content[from] & 0xC0) == 0x80)
		from++;
	for (to = e; (size_t)to < len && to - e < 240; to++)
		if (content[to] == '\n' ||
		    ((size_t)to + 3 <= len && memcmp(content + to, "。", 3) == 0)) {
			to += content[to] == '\n' ? 0 : 3;
			break;
		}
	while ((size_t)to < len && ((unsigned char)content[to] & 0xC0) == 0x80)
		to++;
	q = xstrndup(content + from, (size_t)(to - from));
	r = json_string(q);
	free(q);
	return r ? r : json_null();
}

static void
build_hallucinations(json_t *rep, sqlite3 *db, const struct catalog *cat, int64_t run,
		     const struct report_options *o)
{
	json_t *names = json_object_get(rep, "models"), *list = json_array();
	const char *lang = o->lang;
	size_t i;

	for (i = 0; i < json_array_size(names); i++) {
		const char *model = json_string_value(json_array_get(names, i));
		json_t *entry, *examples = json_array(), *bad = json_array();
		sqlite3_stmt *st = NULL;
		int64_t count = 0;

		if (sqlite3_prepare_v2(
			    db,
			    "SELECT count(*) FROM answers WHERE run_id = ?1 AND model = ?2 "
			    "AND hallucinated = 1 AND (?3 IS NULL OR area = ?3)",
			    -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, run);
			sqlite3_bind_text(st, 2, model, -1, SQLITE_STATIC);
			if (o->area)
				sqlite3_bind_text(st, 3, o->area, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				count = sqlite3_column_int64(st, 0);
		}
		sqlite3_finalize(st);
		/* The worst: lowest score first, one per question. */
		if (sqlite3_prepare_v2(
			    db,
			    "SELECT id FROM answers a WHERE run_id = ?1 AND model = ?2 AND "
			    "hallucinated = 1 AND (?3 IS NULL OR area = ?3) AND id = (SELECT "
			    "min(id) FROM answers b WHERE b.run_id = a.run_id AND b.model = "
			    "a.model AND b.question = a.question AND b.hallucinated = 1) "
			    "ORDER BY score, question LIMIT ?4",
			    -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, run);
			sqlite3_bind_text(st, 2, model, -1, SQLITE_STATIC);
			if (o->area)
				sqlite3_bind_text(st, 3, o->area, -1, SQLITE_STATIC);
			sqlite3_bind_int(st, 4, o->examples > 0 ? o->examples : 3);
			while (sqlite3_step(st) == SQLITE_ROW) {
				json_t *a = query_answer(db, cat, sqlite3_column_int64(st, 0)), *v,
				       *c;
				json_t *claims = json_array(), *cites = json_array();
				const char *q;
				const struct question *qq;
				int turn;
				size_t k;

				if (!a)
					continue;
				q = json_string_value(json_object_get(a, "question"));
				turn = (int)json_integer_value(json_object_get(a, "turn"));
				qq = bank_find(&cat->bank, q);
				json_array_foreach(json_object_get(a, "verdicts"), k, v)
				{
					const char *item =
						json_string_value(json_object_get(v, "item"));
					const char *claim;
					char *law;

					if (strcmp(json_string_value(json_object_get(v, "kind")),
						   "forbidden") != 0 ||
					    !json_is_true(json_object_get(v, "hit")))
						continue;
					claim = item_claim(cat, q, turn, item);
					law = item_law(cat, q, turn, item, lang);
					json_array_append_new(
						claims, json_pack("{s:s, s:s?, s:o, s:s?}", "item",
								  item, "claim", claim, "quote",
								  quote(a, v), "law", law));
					free(law);
				}
				json_array_foreach(json_object_get(a, "citations"), k, c)
				{
					const char *status =
						json_string_value(json_object_get(c, "status"));

					if (json_is_true(json_object_get(c, "denied")) ||
					    (strcmp(status, "nonexistent") != 0 &&
					     strcmp(status, "misgrounded") != 0))
						continue;
					json_array_append_new(cites,
							      json_pack("{s:O, s:s}", "text",
									json_object_get(c, "text"),
									"status", status));
				}
				json_array_append_new(
					examples,
					json_pack("{s:O, s:s, s:O, s:s?, s:i, s:O, s:o, s:o}",
						  "answer_id", json_object_get(a, "id"), "question",
						  q, "area", json_object_get(a, "area"), "ask",
						  qq && turn >= 1 && (size_t)turn <= qq->nturns
							  ? qq->turns[turn - 1].ask
							  : NULL,
						  "turn", turn, "score",
						  json_object_get(a, "score"), "claims", claims,
						  "citations", cites));
				json_decref(a);
			}
		}
		sqlite3_finalize(st);
		/* Every bad citation the model made, most frequent first. */
		if (sqlite3_prepare_v2(
			    db,
			    "SELECT c.text, c.law, c.article, c.status, count(*) FROM "
			    "citations c JOIN answers a ON a.id = c.answer_id WHERE "
			    "a.run_id = ?1 AND a.model = ?2 AND (?3 IS NULL OR a.area = ?3) "
			    "AND c.denied = 0 AND c.status IN ('nonexistent', 'misgrounded') "
			    "GROUP BY c.text, c.status ORDER BY count(*) DESC, c.text LIMIT 20",
			    -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, run);
			sqlite3_bind_text(st, 2, model, -1, SQLITE_STATIC);
			if (o->area)
				sqlite3_bind_text(st, 3, o->area, -1, SQLITE_STATIC);
			while (sqlite3_step(st) == SQLITE_ROW)
				json_array_append_new(
					bad,
					json_pack("{s:s, s:s?, s:i, s:s, s:I}", "text",
						  (const char *)sqlite3_column_text(st, 0), "law",
						  (const char *)sqlite3_column_text(st, 1),
						  "article", sqlite3_column_int(st, 2), "status",
						  (const char *)sqlite3_column_text(st, 3), "count",
						  (json_int_t)sqlite3_column_int64(st, 4)));
		}
		sqlite3_finalize(st);
		entry = json_pack("{s:s, s:I, s:o, s:o}", "model", model, "count",
				  (json_int_t)count, "examples", examples, "bad_citations", bad);
		json_array_append_new(list, entry);
	}
	json_object_set_new(rep, "hallucinations", list);
}

static void
build_reviews(json_t *rep, sqlite3 *db, int64_t run)
{
	json_t *r = query_reviews(db, run, NULL), *ag = json_object_get(r, "agreement"), *v;
	json_int_t overruled = 0;
	size_t i;

	/* A ruling may confirm the verdict it looked at: only a changed one counts. */
	json_array_foreach(json_object_get(r, "reviews"), i, v)
	{
		overruled += json_is_true(json_object_get(v, "hit")) !=
			     json_is_true(json_object_get(v, "original_hit"));
	}
	json_object_set_new(rep, "reviews",
			    json_pack("{s:I, s:I, s:O, s:O}", "count",
				      (json_int_t)json_array_size(json_object_get(r, "reviews")),
				      "overruled", overruled, "match", json_object_get(ag, "match"),
				      "judge", json_object_get(ag, "judge")));
	json_decref(r);
}

static void
build_method(json_t *rep, sqlite3 *db, const struct config *cfg, int64_t run,
	     const struct report_options *o)
{
	json_t *models = json_array(), *m;
	sqlite3_stmt *st = NULL;
	json_t *qn = json_null(), *qh = json_null(), *rh = json_null();

	if (sqlite3_prepare_v2(db,
			       "SELECT model, backend, kind, digest, options, simulated FROM "
			       "run_models WHERE run_id = ? ORDER BY model",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, run);
		while (sqlite3_step(st) == SQLITE_ROW) {
			json_error_t je;
			json_t *opt = json_loads((const char *)sqlite3_column_text(st, 4), 0, &je);

			if (!wanted(o, (const char *)sqlite3_column_text(st, 0))) {
				json_decref(opt);
				continue;
			}
			m = json_pack("{s:s, s:s, s:s, s:s?, s:o, s:b}", "model",
				      (const char *)sqlite3_column_text(st, 0), "backend",
				      (const char *)sqlite3_column_text(st, 1), "kind",
				      (const char *)sqlite3_column_text(st, 2), "digest",
				      (const char *)sqlite3_column_text(st, 3), "options",
				      opt ? opt : json_object(), "simulated",
				      sqlite3_column_int(st, 5));
			json_array_append_new(models, m);
		}
	}
	sqlite3_finalize(st);
	/* The exact texts: one hash over the question hashes, one over the rubric hashes. */
	if (sqlite3_prepare_v2(
		    db,
		    "SELECT count(DISTINCT question), group_concat(DISTINCT question_hash), "
		    "group_concat(DISTINCT rubric_hash) FROM (SELECT question, "
		    "question_hash, rubric_hash FROM jobs WHERE run_id = ? ORDER BY "
		    "question)",
		    -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, run);
		if (sqlite3_step(st) == SQLITE_ROW) {
			char h1[65], h2[65];
			const char *a = (const char *)sqlite3_column_text(st, 1);
			const char *b = (const char *)sqlite3_column_text(st, 2);

			sha256_hex(a ? a : "", a ? strlen(a) : 0, h1);
			sha256_hex(b ? b : "", b ? strlen(b) : 0, h2);
			qn = json_integer(sqlite3_column_int64(st, 0));
			qh = json_string(h1);
			rh = json_string(h2);
		}
	}
	sqlite3_finalize(st);
	json_object_set_new(
		rep, "method",
		json_pack("{s:o, s:o, s:o, s:O, s:o, s:o, s:O, s:O}", "questions", qn,
			  "questions_hash", qh, "rubrics_hash", rh, "samples",
			  json_object_get(json_object_get(rep, "run"), "samples"), "judge",
			  cfg->judge_model ? json_pack("{s:s, s:s}", "backend", cfg->judge_backend,
						       "model", cfg->judge_model)
					   : json_null(),
			  "models", models, "started",
			  json_object_get(json_object_get(rep, "run"), "created_at"), "finished",
			  json_object_get(json_object_get(rep, "run"), "finished_at")));
}

static void
build_answers(json_t *rep, sqlite3 *db, int64_t run, const struct report_options *o)
{
	json_t *list = json_array();
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(
		    db,
		    "SELECT a.id, a.model, a.question, a.area, a.turn, j.sample, a.score, "
		    "a.passed, a.hallucinated, a.abstained, a.truncated, a.loop, a.mix "
		    "FROM answers a JOIN jobs j ON j.id = a.job_id WHERE a.run_id = ?1 "
		    "AND (?2 IS NULL OR a.area = ?2) ORDER BY a.model, a.question, "
		    "j.sample, a.turn",
		    -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, run);
		if (o->area)
			sqlite3_bind_text(st, 2, o->area, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			if (!wanted(o, (const char *)sqlite3_column_text(st, 1)))
				continue;
			json_array_append_new(
				list,
				json_pack("{s:I, s:s, s:s, s:s, s:i, s:i, s:f, s:b, s:b, s:b, s:b, "
					  "s:b, "
					  "s:b}",
					  "id", (json_int_t)sqlite3_column_int64(st, 0), "model",
					  (const char *)sqlite3_column_text(st, 1), "question",
					  (const char *)sqlite3_column_text(st, 2), "area",
					  (const char *)sqlite3_column_text(st, 3), "turn",
					  sqlite3_column_int(st, 4), "sample",
					  sqlite3_column_int(st, 5), "score",
					  sqlite3_column_double(st, 6), "passed",
					  sqlite3_column_int(st, 7), "hallucinated",
					  sqlite3_column_int(st, 8), "abstained",
					  sqlite3_column_int(st, 9), "truncated",
					  sqlite3_column_int(st, 10), "loop",
					  sqlite3_column_int(st, 11), "mix",
					  sqlite3_column_int(st, 12)));
		}
	}
	sqlite3_finalize(st);
	json_object_set_new(rep, "answers", list);
}

json_t *
report_build(sqlite3 *db, const struct catalog *cat, const struct config *cfg,
	     const struct report_options *o, struct am_err *err)
{
	int64_t run = o->run ? o->run : query_latest_run(db);
	json_t *rep, *runj, *models;
	const char *lang = o->lang && strcmp(o->lang, "zh") == 0 ? "zh" : "en";
	struct report_options opt = *o;

	opt.lang = lang;
	if (!run)
		return am_err_set(err, "no run has finished yet"), NULL;
	runj = query_run_brief(db, run);
	if (json_is_null(runj)) {
		json_decref(runj);
		am_err_set(err, "there is no run %lld", (long long)run);
		return NULL;
	}
	if (strcmp(json_string_value(json_object_get(runj, "status")), "done") != 0) {
		am_err_set(err, "run %lld is %s, not finished", (long long)run,
			   json_string_value(json_object_get(runj, "status")));
		json_decref(runj);
		return NULL;
	}
	rep = json_pack("{s:s, s:I, s:o, s:{s:f, s:f, s:f, s:f, s:i}}", "lang", lang,
			"generated_at", (json_int_t)time(NULL), "run", runj, "thresholds",
			"suitable_pass_lower", cfg->thresholds.suitable_pass_lower,
			"suitable_hallucination_upper",
			cfg->thresholds.suitable_hallucination_upper, "review_pass",
			cfg->thresholds.review_pass, "review_hallucination",
			cfg->thresholds.review_hallucination, "min_questions", STATS_MIN_QUESTIONS);
	json_object_set_new(rep, "title",
			    json_string(report_label(rep, "Model suitability report")));
	json_object_set_new(rep, "area", o->area ? json_string(o->area) : json_null());
	models = aggregate_summary_json(db, run, &cfg->thresholds);
	build_summary(rep, models, &opt);
	json_decref(models);
	if (!json_array_size(json_object_get(rep, "summary"))) {
		am_err_set(err, "run %lld has nothing for %s", (long long)run,
			   o->area ? o->area : "these models");
		json_decref(rep);
		return NULL;
	}
	build_comparisons(rep, db, run, &opt);
	build_hallucinations(rep, db, cat, run, &opt);
	build_reviews(rep, db, run);
	json_object_set_new(rep, "agreement", aggregate_agreement_json(db, run));
	build_method(rep, db, cfg, run, &opt);
	build_answers(rep, db, run, &opt);
	return rep;
}
