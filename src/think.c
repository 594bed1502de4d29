/*
 * think.c - find inline reasoning.
 *
 * Only the first opening tag and the last closing tag matter: a model that
 * writes "</think>" inside its reasoning and again after it has finished
 * thinking only at the last one.  Tags are matched case-insensitively.
 */
#include "amconfig.h"

#include "think.h"
#include "util.h"

#include <string.h>
#include <strings.h>

static const char *
find_ci(const char *s, size_t len, const char *needle, size_t from)
{
	size_t n = strlen(needle), i;

	for (i = from; i + n <= len; i++)
		if (s[i] == '<' && strncasecmp(s + i, needle, n) == 0)
			return s + i;
	return NULL;
}

static const char *
rfind_ci(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	if (len < n)
		return NULL;
	for (i = len - n + 1; i-- > 0;)
		if (s[i] == '<' && strncasecmp(s + i, needle, n) == 0)
			return s + i;
	return NULL;
}

void
think_split(const char *text, size_t len, struct think_split *out)
{
	static const char *const opens[] = {"<think>", "<thinking>"};
	static const char *const closes[] = {"</think>", "</thinking>"};
	const char *open = NULL, *close = NULL, *o, *c;
	size_t open_len = 0, close_len = 0, i;

	memset(out, 0, sizeof *out);
	for (i = 0; i < ARRAY_SIZE(opens); i++) {
		o = find_ci(text, len, opens[i], 0);
		if (o && (!open || o < open)) {
			open = o;
			open_len = strlen(opens[i]);
		}
		c = rfind_ci(text, len, closes[i]);
		if (c && (!close || c > close)) {
			close = c;
			close_len = strlen(closes[i]);
		}
	}
	if (close && open && open > close)
		open = NULL; /* a stray opening tag after the reasoning ended */
	if (close) {
		out->reasoning_start = open ? (size_t)(open - text) + open_len : 0;
		out->reasoning_end = (size_t)(close - text);
		out->answer_start = (size_t)(close - text) + close_len;
		out->answer_end = len;
		return;
	}
	if (open) {
		out->reasoning_start = (size_t)(open - text) + open_len;
		out->reasoning_end = len;
		out->answer_start = out->answer_end = len;
		out->unclosed = 1;
		return;
	}
	out->answer_start = 0;
	out->answer_end = len;
}

long
tokens_estimate(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	long han = 0, other = 0;
	size_t i = 0;
	int32_t cp;

	/* By lead byte where that decides, decoding only the rest. */
	while (i < len) {
		unsigned char c = p[i];

		if (c < 0x80) {
			other += c != ' ' && c != '\n' && c != '\t' && c != '\r';
			i++;
			continue;
		}
		i += (size_t)utf8_decode(p + i, len - i, &cp);
		if (is_han(cp))
			han++;
		else if (cp != 0x3000)
			other++;
	}
	return han + (other + 3) / 4;
}
