/*
 * backend_demo.c - the built-in demo backend: two simulated models that
 * answer from the question bank's reference answers, with faults chosen
 * deterministically per question, so a first run shows what amicus
 * measures without any model server:
 *
 *   demo-direct    the reference; for some questions half of it (key points
 *                  dropped) or with a false claim from the rubric added;
 *   demo-reasoner  an inline <think> that, for some questions, loops; an
 *                  answer with English words mixed into Chinese; on some
 *                  follow-up turns, the previous turn's answer again.
 *
 * These answers are not measurements of any real model; everything that
 * shows them marks them as simulated.
 */
#include "amconfig.h"

#include "backend_int.h"
#include "rubric.h"
#include "think.h"

#include <string.h>

static uint64_t
hash(const char *a, const char *b)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *a; a++)
		h = (h ^ (unsigned char)*a) * 1099511628211ULL;
	for (; *b; b++)
		h = (h ^ (unsigned char)*b) * 1099511628211ULL;
	return h ^ (h >> 29);
}

/* The first half of text, cut after a sentence end (。 . ！ ？ or a line). */
static size_t
first_half(const char *s)
{
	size_t n = strlen(s), i, best = n;

	for (i = n / 2; i < n; i++) {
		if (s[i] == '\n' || s[i] == '.' ||
		    (i + 3 <= n && (memcmp(s + i, "。", 3) == 0 || memcmp(s + i, "；", 3) == 0))) {
			best = i + (s[i] == '\n' || s[i] == '.' ? 1 : 3);
			break;
		}
	}
	return best;
}

/* Mixes English into Chinese text: a phrase before every other sentence. */
static void
mix_english(struct buf *out, const char *s)
{
	static const char *const phrases[] = {"In addition, ", "However, ", "Note that ",
					      "In other words, "};
	size_t i = 0, n = strlen(s), k = 0;
	int sentence = 0;

	while (i < n) {
		if (sentence % 2 == 1 &&
		    (i == 0 || s[i - 1] == '\n' || (i >= 3 && memcmp(s + i - 3, "。", 3) == 0))) {
			buf_puts(out, phrases[k++ % ARRAY_SIZE(phrases)]);
			sentence++;
		}
		if (i + 3 <= n && memcmp(s + i, "。", 3) == 0)
			sentence++;
		buf_append(out, s + i, 1);
		i++;
	}
}

void
demo_answer(struct call *c, const struct catalog *cat)
{
	const struct question *q = c->question ? bank_find(&cat->bank, c->question) : NULL;
	const struct rubric *r = q ? rubric_set_find(&cat->rubrics, q->id) : NULL;
	const struct rubric_turn *rt = r ? rubric_turn(r, c->turn) : NULL;
	const char *ref = NULL;
	int zh = q ? strcmp(q->language, "zh") == 0 : 1;
	int reasoner = strstr(c->model, "reasoner") != NULL;
	uint64_t h = hash(c->question ? c->question : "", c->model);
	struct buf a;
	size_t i;

	if (!q || c->turn < 1 || c->turn > (int)q->nturns || !q->turns[c->turn - 1].reference) {
		call_content(c, zh ? "我不确定这个问题的答案。" : "I am not sure of the answer.",
			     zh ? strlen("我不确定这个问题的答案。") : 28);
		goto done;
	}
	ref = q->turns[c->turn - 1].reference;
	buf_init(&a, 0);
	if (!reasoner) {
		if (h % 5 == 0)
			buf_append(&a, ref, first_half(ref)); /* key points dropped */
		else
			buf_puts(&a, ref);
		if (h % 7 == 1 && rt && rt->nforbidden && rt->forbidden[0].claim)
			buf_printf(&a, zh ? "\n此外，%s。" : "\nAlso, %s.", rt->forbidden[0].claim);
	} else {
		buf_puts(&a, "<think>\n");
		if (h % 3 == 0) {
			for (i = 0; i < 8; i++)
				buf_puts(&a, zh ? "让我再检查一下这个问题的法律依据。\n"
						: "Let me check the legal basis again.\n");
			buf_puts(&a,
				 "Wait, let me recall the exact article. Wait, let me recall the "
				 "exact article. Wait, let me recall the exact article.\n");
		} else {
			buf_puts(&a, zh ? "用户问的是一个法律问题，我需要找到相关条文。\n"
					: "The user asks a legal question; find the statute.\n");
		}
		buf_puts(&a, "</think>\n\n");
		if (c->turn >= 2 && h % 3 == 2 && q->turns[c->turn - 2].reference)
			buf_puts(&a, q->turns[c->turn - 2].reference); /* ignores the follow-up */
		else if (zh && h % 4 == 1)
			mix_english(&a, ref);
		else
			buf_puts(&a, ref);
	}
	call_content(c, a.data, a.len);
	buf_deinit(&a);
done:
	snprintf(c->finish, sizeof c->finish, "stop");
	c->done_seen = 1;
	c->prompt_tokens = 0;
	for (i = 0; i < c->nmsgs; i++)
		c->prompt_tokens += tokens_estimate(c->msgs[i].content, strlen(c->msgs[i].content));
	c->completion_tokens =
		tokens_estimate(c->content.data ? c->content.data : "", c->content.len);
	free(c->usage_json);
	c->usage_json = xasprintf("{\"completion_tokens\":%ld,\"prompt_tokens\":%ld,"
				  "\"simulated\":true}",
				  c->completion_tokens, c->prompt_tokens);
}
