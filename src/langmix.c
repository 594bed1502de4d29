/*
 * langmix.c - language mixing.
 *
 * Distilled reasoning models drift into English in the middle of a Chinese
 * answer ("根据著作权法，the author has the right of…").  We count words by
 * script on the normalized answer and leave out what is Latin by nature in
 * Chinese legal writing: citations of foreign law, acronyms, party letters,
 * model names, code and glossed terms.  For an answer expected in English
 * the same count is made the other way round: Han characters are foreign.
 */
#include "amconfig.h"

#include "langmix.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const builtin_allow[] = {
	"qwen",    "deepseek", "chatgpt",  "openai", "gpt",      "llama",    "claude",  "anthropic",
	"gemini",  "ollama",   "alibaba",  "tongyi", "qianwen",  "kimi",     "mistral", "glm",
	"chatglm", "ernie",    "baichuan", "yi",     "internlm", "app",      "wifi",    "email",
	"trips",   "wipo",     "wto",      "pct",    "berne",    "madrid",   "hague",   "ip",
	"et",      "al",       "ibid",     "id",     "usc",      "u.s.c",    "llc",     "inc",
	"ltd",     "co",       "vs",       "v",      "pdf",      "url",      "http",    "https",
	"www",     "com",      "cn",       "org",    "json",     "markdown", "ai",      "ok",
};

static int
in_list(const char *w, size_t n, const char *const *list, size_t nlist)
{
	size_t i;

	for (i = 0; i < nlist; i++)
		if ((list[i][0] | 0x20) == (w[0] | 0x20) && strlen(list[i]) == n &&
		    strncasecmp(list[i], w, n) == 0)
			return 1;
	return 0;
}

static int
allowed(const char *w, size_t n, const char *const *allow, size_t nallow)
{
	return in_list(w, n, builtin_allow, ARRAY_SIZE(builtin_allow)) ||
	       in_list(w, n, allow, nallow);
}

/* Marks code, URLs and e-mail addresses in a per-byte mask. */
static void
mask_code_and_links(const char *s, size_t len, unsigned char *mask)
{
	size_t i = 0, j;
	const char *end;

	while (i < len) {
		if (len - i >= 3 && memcmp(s + i, "```", 3) == 0) {
			end = memmem(s + i + 3, len - i - 3, "```", 3);
			j = end ? (size_t)(end - s) + 3 : len;
			memset(mask + i, 1, j - i);
			i = j;
			continue;
		}
		if (s[i] == '`') {
			end = memchr(s + i + 1, '`', len - i - 1);
			if (end && memchr(s + i + 1, '\n', (size_t)(end - s) - i - 1) == NULL) {
				j = (size_t)(end - s) + 1;
				memset(mask + i, 1, j - i);
				i = j;
				continue;
			}
		}
		if ((len - i >= 7 && memcmp(s + i, "http://", 7) == 0) ||
		    (len - i >= 8 && memcmp(s + i, "https://", 8) == 0) ||
		    (len - i >= 4 && memcmp(s + i, "www.", 4) == 0)) {
			j = i;
			while (j < len && (unsigned char)s[j] > ' ' && (unsigned char)s[j] < 0x80)
				j++;
			memset(mask + i, 1, j - i);
			i = j;
			continue;
		}
		if (s[i] == '@' && i > 0 && isalnum((unsigned char)s[i - 1])) {
			size_t a = i, b = i + 1;

			while (a > 0 && (isalnum((unsigned char)s[a - 1]) || s[a - 1] == '.' ||
					 s[a - 1] == '_' || s[a - 1] == '-'))
				a--;
			while (b < len &&
			       (isalnum((unsigned char)s[b]) || s[b] == '.' || s[b] == '-'))
				b++;
			memset(mask + a, 1, b - a);
			i = b;
			continue;
		}
		i++;
	}
}

/* Whether the original text of [ns, ne) is an acronym: 2-5 capitals. */
static int
acronym(const struct ntext *t, size_t ns, size_t ne)
{
	size_t os, oe, i;

	ntext_to_orig(t, ns, ne, &os, &oe);
	if (oe - os < 2 || oe - os > 5)
		return 0;
	for (i = os; i < oe; i++)
		if (!isupper((unsigned char)t->orig[i]) && !isdigit((unsigned char)t->orig[i]))
			return 0;
	return 1;
}

/* Whether [ws, we) sits in a short parenthesized gloss after Han text. */
static int
gloss(const char *s, size_t len, size_t ws, size_t we)
{
	size_t a = ws, b = we;
	int words = 0, in_word = 0;
	int32_t before;

	while (a > 0 && s[a - 1] != '(' && s[a - 1] != '\n' && ws - a < 80) {
		if (!(isalnum((unsigned char)s[a - 1]) || s[a - 1] == ' ' || s[a - 1] == '-' ||
		      s[a - 1] == '\'' || s[a - 1] == ',' || s[a - 1] == '.'))
			return 0;
		a--;
	}
	if (a == 0 || s[a - 1] != '(')
		return 0;
	before = text_cp_before(s, a - 1);
	if (!is_han(before) && before != 0x300B && before != '"')
		return 0;
	while (b < len && s[b] != ')' && b - we < 80) {
		if (!(isalnum((unsigned char)s[b]) || s[b] == ' ' || s[b] == '-' || s[b] == '\'' ||
		      s[b] == ',' || s[b] == '.'))
			return 0;
		b++;
	}
	if (b >= len || s[b] != ')')
		return 0;
	for (size_t i = a; i < b; i++) {
		int w = isalpha((unsigned char)s[i]) != 0;

		if (w && !in_word)
			words++;
		in_word = w;
	}
	return words <= 6;
}

void
langmix_measure(const struct ntext *t, const char *language, const struct langmix_skip *skip,
		size_t nskip, const char *const *allow, size_t nallow, double threshold,
		struct langmix *out)
{
	const char *s = t->s;
	size_t len = t->len, i = 0, ws, k;
	unsigned char *mask;
	int32_t cp;
	int l, en = language && strcmp(language, "en") == 0;
	long words;

	memset(out, 0, sizeof *out);
	if (!len)
		return;
	mask = xcalloc(len, 1);
	/* Code, links and addresses are rare: look only where one can be. */
	if (memchr(s, '`', len) || memchr(s, '@', len) || memmem(s, len, "http", 4) ||
	    memmem(s, len, "www.", 4))
		mask_code_and_links(s, len, mask);
	for (k = 0; k < nskip; k++)
		if (skip[k].start < len)
			memset(mask + skip[k].start, 1,
			       (skip[k].end < len ? skip[k].end : len) - skip[k].start);
	while (i < len) {
		l = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (is_han(cp)) {
			if (!mask[i]) {
				out->han_chars++;
				if (en && !out->first_end) {
					out->first_start = i;
					out->first_end = i + (size_t)l;
				}
			}
			i += (size_t)l;
			continue;
		}
		if (!is_latin(cp)) {
			/* Skip numbers with their letters ("3a", "2nd") and everything else. */
			if (cp < 0x80 && isdigit(cp)) {
				while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '.'))
					i++;
				continue;
			}
			i += (size_t)l;
			continue;
		}
		ws = i;
		while (i < len) {
			l = utf8_decode((const unsigned char *)s + i, len - i, &cp);
			if (!(is_latin(cp) || (cp < 0x80 && isdigit(cp)) ||
			      ((cp == '-' || cp == '\'') && i + 1 < len &&
			       isalpha((unsigned char)s[i + 1]))))
				break;
			i += (size_t)l;
		}
		if (mask[ws] || i - ws < 2 || allowed(s + ws, i - ws, allow, nallow) ||
		    acronym(t, ws, i) || gloss(s, len, ws, i))
			continue;
		out->latin_words++;
		if (!en && !out->first_end) {
			out->first_start = ws;
			out->first_end = i;
		}
	}
	free(mask);
	words = out->latin_words + out->han_chars;
	out->foreign = en ? out->han_chars : out->latin_words;
	out->ratio = words ? (double)out->foreign / (double)words : 0.0;
	out->flagged = out->ratio > threshold && out->foreign >= 2;
}
