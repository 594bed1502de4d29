/*
 * judge.c - a judge model's verdict on one rubric item.
 *
 * As in HealthBench, the judge sees one item at a time: the question, the
 * reference answer, the answer (without its reasoning) and the criterion,
 * and answers JSON {"criteria_met": bool, "explanation": "…"} with the
 * explanation in the question's language.  The user message is
 *
 *   <question>…</question>
 *   <reference>…</reference>
 *   <answer>…</answer>
 *   <criterion kind="keypoint|forbidden">…</criterion>
 *
 * The answer is untrusted: it is cut at JUDGE_ANSWER_MAX bytes and a
 * "</answer>" inside it is written "</ answer>", so it cannot end its own
 * section and pose as the criterion.
 *
 * Judges wrap their JSON in many ways (reasoning first, a code fence,
 * prose around it), so judge_parse looks for the first object that has
 * "criteria_met" anywhere in what is left once the reasoning is dropped.
 */
#include "amconfig.h"

#include "judge.h"
#include "cnnum.h"
#include "statute.h"
#include "think.h"
#include "util.h"

#include <ctype.h>
#include <jansson.h>
#include <string.h>
#include <strings.h>

#define JUDGE_ANSWER_MAX (64 * 1024)
#define PARSE_BUDGET (16u << 20) /* bytes the JSON parser may read per reply */
#define MAX_OPENERS 4            /* '{' tried before each */

static int
is_zh(const char *language)
{
	return language && strcmp(language, "zh") == 0;
}

char *
judge_criterion(const struct rubric_item *it, int forbidden, const char *language)
{
	const char *term = NULL;
	char art[256] = "";
	size_t i;

	if (forbidden)
		return xasprintf(is_zh(language) ? "回答声称：%s" : "The answer claims: %s",
				 it->claim ? it->claim : it->id);
	if (it->criterion)
		return xstrdup(it->criterion);
	for (i = 0; i < it->nany && !term; i++)
		if (it->any[i].lit)
			term = it->any[i].src;
	if (it->source.law_name && it->source.article > 0) {
		if (is_zh(language)) {
			char num[64];

			cnnum_format(it->source.article, num, sizeof num);
			snprintf(art, sizeof art, "（%s第%s条）", it->source.law_name, num);
		} else {
			snprintf(art, sizeof art, " (%s, article %d)", it->source.law_name,
				 it->source.article);
		}
	}
	if (is_zh(language))
		return term ? xasprintf("回答指出「%s」%s。", term, art)
			    : xasprintf("回答涵盖要点 %s%s。", it->id, art);
	return term ? xasprintf("The answer states \"%s\"%s.", term, art)
		    : xasprintf("The answer covers the point '%s'%s.", it->id, art);
}

char *
judge_question(const char *const *asks, const char *const *answers, int turn, const char *language)
{
	struct buf b;
	int i;

	buf_init(&b, 0);
	if (turn <= 1) {
		buf_puts(&b, asks[0] ? asks[0] : "");
		return buf_steal(&b);
	}
	for (i = 0; i < turn; i++) {
		buf_printf(&b, is_zh(language) ? "第%d轮提问：%s\n" : "Turn %d question: %s\n",
			   i + 1, asks[i] ? asks[i] : "");
		if (i + 1 < turn && answers && answers[i]) {
			size_t n = strlen(answers[i]);

			if (n > 2000) /* bounded, but not inside a character */
				n = utf8_trim(answers[i], 2000);
			buf_printf(&b,
				   is_zh(language) ? "第%d轮回答：%.*s\n"
						   : "Turn %d answer: %.*s\n",
				   i + 1, (int)n, answers[i]);
		}
	}
	buf_printf(&b,
		   is_zh(language) ? "（评判第%d轮的回答。）" : "(Grade the answer to turn %d.)",
		   turn);
	return buf_steal(&b);
}

/*
 * Appends s with every closing section tag ("</question", "</reference",
 * "</answer", "</criterion", in any case) written with a space after the
 * slash, so untrusted text cannot end its section and forge the next.
 */
static void
put_defused(struct buf *b, const char *s, size_t n)
{
	static const char *const tags[] = {"question", "reference", "answer", "criterion"};
	size_t i, k, from = 0;

	for (i = 0; i + 1 < n; i++) {
		if (s[i] != '<' || s[i + 1] != '/')
			continue;
		for (k = 0; k < ARRAY_SIZE(tags); k++) {
			size_t tl = strlen(tags[k]);

			if (i + 2 + tl <= n && strncasecmp(s + i + 2, tags[k], tl) == 0)
				break;
		}
		if (k == ARRAY_SIZE(tags))
			continue;
		buf_append(b, s + from, i + 2 - from);
		buf_puts(b, " ");
		from = i + 2;
	}
	buf_append(b, s + from, n - from);
}

void
judge_prompt(const struct judge_ask *a, char **system, char **user)
{
	struct buf b;
	size_t n = a->answer_len;

	if (is_zh(a->language))
		*system = xstrdup(
			"你是法律问答的评分员。下面给出一个问题、一份参考答案、一个待评的回答和一条"
			"评分标准。"
			"只根据待评的回答判断它是否满足这条标准；参考答案只用来帮助你理解标准。"
			"kind 为 forbidden 的标准是一句错误的说法：回答作出了这种说法时 "
			"criteria_met 为 "
			"true，回答否认或没有提到时为 false。"
			"只回复一个 JSON 对象，不要别的文字："
			"{\"criteria_met\": true 或 false, \"explanation\": \"一两句话的理由\"}。"
			"explanation 用中文写。");
	else
		*system = xstrdup("You grade answers to legal questions. You are given a question, "
				  "a reference "
				  "answer, the answer to grade and one criterion. Judge only "
				  "whether the answer "
				  "to grade meets the criterion; the reference only helps you "
				  "understand it. A "
				  "criterion of kind forbidden is a false statement: criteria_met "
				  "is true when "
				  "the answer makes that statement, false when it denies it or "
				  "does not make it. "
				  "Reply with one JSON object and nothing else: "
				  "{\"criteria_met\": true or false, \"explanation\": \"one or two "
				  "sentences\"}. "
				  "Write the explanation in English.");
	if (n > JUDGE_ANSWER_MAX)
		n = utf8_trim(a->answer, JUDGE_ANSWER_MAX);
	buf_init(&b, 0);
	buf_puts(&b, "<question>\n");
	if (a->question)
		put_defused(&b, a->question, strlen(a->question));
	buf_puts(&b, "\n</question>\n<reference>\n");
	if (a->reference)
		put_defused(&b, a->reference, strlen(a->reference));
	buf_puts(&b, "\n</reference>\n<answer>\n");
	put_defused(&b, a->answer, n);
	buf_printf(&b, "\n</answer>\n<criterion kind=\"%s\">\n%s\n</criterion>\n",
		   a->forbidden ? "forbidden" : "keypoint", a->criterion);
	*user = buf_steal(&b);
}

/* criteria_met as a judge may write it; -1 when it is none of them. */
static int
truth(const json_t *v)
{
	const char *s;

	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1))
		return (int)json_integer_value(v);
	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0)
		return 1;
	if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0)
		return 0;
	return -1;
}

/* Copies n bytes of s into out (cap bytes), control characters as spaces, UTF-8 kept whole. */
static void
copy_explanation(const char *s, size_t n, char *out, size_t cap)
{
	size_t i;

	if (n > cap - 1)
		n = utf8_trim(s, cap - 1);
	for (i = 0; i < n; i++)
		out[i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
	out[n] = '\0';
}

int
judge_parse(const char *reply, size_t len, int *met, char *expl, size_t cap, struct am_err *err)
{
	struct think_split sp;
	const char *s, *p, *end;
	int bad_value = 0;
	long budget = PARSE_BUDGET;

	expl[0] = '\0';
	think_split(reply, len, &sp);
	if (sp.unclosed)
		return am_err_set(err, "the judge's reply is all reasoning (<think> never closed)");
	s = reply + sp.answer_start;
	end = reply + sp.answer_end;
	/*
	 * Try the objects that can hold the key: for each "criteria_met", the
	 * nearest few '{' before it.  Parsing from every '{' would make a reply
	 * of nested brackets quadratic; a budget of bytes parsed bounds even
	 * a reply made of decoys.
	 */
	for (p = s; budget > 0 && p < end && (p = memmem(p, (size_t)(end - p), "criteria_met", 12));
	     p += 12) {
		const char *q = p;
		int tries;

		for (tries = 0; tries < MAX_OPENERS && q > s; tries++) {
			json_error_t je;
			json_t *o, *v, *e;
			int t;

			while (q > s && *--q != '{')
				;
			if (*q != '{')
				break;
			o = json_loadb(q, (size_t)(end - q), JSON_DISABLE_EOF_CHECK, &je);
			budget -= je.position > 0 ? (long)je.position : 1;
			v = json_is_object(o) ? json_object_get(o, "criteria_met") : NULL;
			if (!v) {
				json_decref(o);
				continue;
			}
			t = truth(v);
			if (t < 0) {
				bad_value = 1;
				json_decref(o);
				break;
			}
			*met = t;
			e = json_object_get(o, "explanation");
			if (json_is_string(e))
				copy_explanation(json_string_value(e), strlen(json_string_value(e)),
						 expl, cap);
			json_decref(o);
			return 0;
		}
	}
	if (bad_value)
		return am_err_set(err, "the judge's criteria_met is not true or false");
	{
		char head[120];
		size_t n = (size_t)(end - s);

		if (n > 80)
			n = utf8_trim(s, 80);
		/* [s, end) need not be NUL-terminated: copy n bytes, no strlen */
		copy_explanation(s, n, head, sizeof head);
		return am_err_set(err,
				  "no JSON object with criteria_met in the judge's reply: \"%s%s\"",
				  head, (size_t)(end - s) > n ? "…" : "");
	}
}
