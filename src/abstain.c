/*
 * abstain.c - refusals, in Chinese and English.
 *
 * A refusal phrase alone does not make an abstention: good answers often end
 * with "建议咨询专业律师".  The scorer counts an answer as abstained only
 * when it is empty or when it refuses and hits no key point; this module
 * only finds the phrase.  Patterns run on folded text (lower case, ASCII
 * punctuation).
 */
#include "amconfig.h"

#include "abstain.h"
#include "util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>

static const char pattern[] =
	"(?:"
	/* Chinese */
	"(?:抱歉|对不起|很遗憾|不好意思)[^。!?\\n]{0,30}(?:无法|不能|不便|没办法|不可以)"
	"|我(?:无法|不能|不便|没办法|不可以)(?:回答|提供|给出|就此|对此|帮助|协助|解答)"
	"|作为(?:一个)?(?:ai|人工智能|语言模型|ai助手|大模型)[^。!?\\n]{0,20}(?:无法|不能|不便)"
	"|(?:无法|不能)(?:回答|解答)(?:这个|该|此|您的)?问题"
	"|我不(?:知道|清楚|确定)(?:答案|这个问题)?"
	"|超出了我的(?:能力|知识)范围"
	/* English */
	"|\\bi(?:'m| am) (?:sorry|afraid)\\b[^.!?\\n]{0,60}\\b(?:can't|cannot|unable|not able)\\b"
	"|\\bi (?:can't|cannot|am unable to|am not able to|won't be able to|'m unable to|'m not "
	"able "
	"to) "
	"(?:answer|help|provide|give|offer|assist|comment)\\b"
	"|\\bas an ai\\b[^.!?\\n]{0,60}\\b(?:can't|cannot|unable|not able)\\b"
	"|\\bi don't know\\b|\\bi do not know\\b"
	"|\\bi'm not (?:a lawyer|qualified)\\b[^.!?\\n]{0,40}\\b(?:can't|cannot)\\b"
	")";

static pcre2_code *re;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
init(void)
{
	PCRE2_SIZE off;
	int ec;

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &ec,
			   &off, NULL);
	if (!re)
		abort(); /* a bug in the pattern, caught by the unit test */
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
}

int
abstain_find(const struct ntext *t, size_t *start, size_t *end)
{
	pcre2_match_data *md;
	PCRE2_SIZE *ov;
	int rc;

	pthread_once(&once, init);
	md = pcre2_match_data_create(2, NULL);
	rc = pcre2_match(re, (PCRE2_SPTR)t->s, t->len, 0, PCRE2_NO_UTF_CHECK, md, NULL);
	if (rc >= 0) {
		ov = pcre2_get_ovector_pointer(md);
		*start = ov[0];
		*end = ov[1];
	}
	pcre2_match_data_free(md);
	return rc >= 0;
}
