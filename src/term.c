/*
 * term.c - literal and regex match terms.
 *
 * Both kinds run on folded text (see text.h), so a rubric author writes
 * "发表权" or "Fair Use" once and matches full-width, upper-case and
 * composed variants alike.  Regexes are JIT-compiled when PCRE2 can, and
 * every match runs under a match and depth limit: the answer is untrusted
 * text and a pattern with nested quantifiers must not hang the scorer.
 */
#include "amconfig.h"

#include "term.h"
#include "util.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define MATCH_LIMIT 200000
#define DEPTH_LIMIT 5000

static pcre2_match_context *mctx;
static pthread_once_t mctx_once = PTHREAD_ONCE_INIT;

static void
mctx_init(void)
{
	mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(mctx, DEPTH_LIMIT);
}

static pcre2_match_context *
match_context(void)
{
	pthread_once(&mctx_once, mctx_init);
	return mctx;
}

pcre2_match_data *
term_match_data(void)
{
	pcre2_match_data *md = pcre2_match_data_create(16, NULL);

	if (!md)
		xmalloc(SIZE_MAX); /* aborts with the out-of-memory message */
	return md;
}

static void
free_code(void *re)
{
	pcre2_code_free(re);
}

static int
is_regex(const char *s)
{
	size_t n = strlen(s);

	return n >= 3 && s[0] == '/' && s[n - 1] == '/';
}

int
term_compile(struct term *t, struct pool *p, const char *src, char *err, size_t errlen,
	     size_t *erroff)
{
	pcre2_match_data *md;
	PCRE2_SIZE off;
	int ec, rc;
	size_t n;

	memset(t, 0, sizeof *t);
	t->src = pool_strdup(p, src);
	*erroff = 0;
	n = strlen(src);
	if (n == 0) {
		snprintf(err, errlen, "empty match term");
		return -1;
	}
	if (is_regex(src)) {
		t->re = pcre2_compile((PCRE2_SPTR)src + 1, n - 2,
				      PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS |
					      PCRE2_MATCH_INVALID_UTF,
				      &ec, &off, NULL);
		if (!t->re) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(ec, msg, sizeof msg);
			snprintf(err, errlen, "bad regex: %s", (const char *)msg);
			*erroff = off + 1;
			return -1;
		}
		pool_defer(p, free_code, t->re);
		pcre2_jit_compile(t->re, PCRE2_JIT_COMPLETE);
		/* A pattern that matches nothing at all would "hit" every answer. */
		md = pcre2_match_data_create_from_pattern(t->re, NULL);
		rc = pcre2_match(t->re, (PCRE2_SPTR) "", 0, 0, 0, md, match_context());
		pcre2_match_data_free(md);
		if (rc >= 0) {
			snprintf(err, errlen,
				 "regex %s matches empty text; it would hit every answer", src);
			return -1;
		}
		return 0;
	}
	t->lit = text_fold(p, src, n, &t->litlen);
	if (t->litlen == 0) {
		snprintf(err, errlen, "match term '%s' is empty after normalization", src);
		return -1;
	}
	t->bound_start = text_is_wordchar(text_cp_at(t->lit, t->litlen, 0));
	t->bound_end = text_is_wordchar(text_cp_before(t->lit, t->litlen));
	return 0;
}

/* Length of an English plural or possessive suffix at s[pos], or 0. */
static size_t
plural_suffix(const char *s, size_t len, size_t pos)
{
	static const char *const sfx[] = {"'s", "es", "s"};
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(sfx); i++) {
		n = strlen(sfx[i]);
		if (pos + n <= len && memcmp(s + pos, sfx[i], n) == 0 &&
		    !text_is_wordchar(text_cp_at(s, len, pos + n)))
			return n;
	}
	return 0;
}

int
term_literal_ok(const struct term *t, const char *s, size_t len, size_t at)
{
	int32_t before, after;
	size_t end = at + t->litlen;

	if (t->bound_start) {
		before = text_cp_before(s, at);
		if (text_is_wordchar(before))
			return 0;
	}
	if (t->bound_end) {
		after = text_cp_at(s, len, end);
		if (text_is_wordchar(after) &&
		    !(after < 0x80 && (t->lit[t->litlen - 1] | 0x20) >= 'a' &&
		      (t->lit[t->litlen - 1] | 0x20) <= 'z' && plural_suffix(s, len, end)))
			return 0;
	}
	return 1;
}

size_t
term_each(const struct term *t, const struct ntext *nt, pcre2_match_data *md, term_match_fn fn,
	  void *arg)
{
	const char *s = nt->s, *hit;
	size_t len = nt->len, pos = 0, count = 0;
	PCRE2_SIZE *ov;
	int rc;

	if (t->lit) {
		while (pos + t->litlen <= len) {
			hit = memmem(s + pos, len - pos, t->lit, t->litlen);
			if (!hit)
				break;
			pos = (size_t)(hit - s);
			if (term_literal_ok(t, s, len, pos)) {
				count++;
				if (fn(pos, pos + t->litlen, arg))
					break;
				pos += t->litlen;
			} else {
				pos++;
			}
		}
		return count;
	}
	while (pos <= len) {
		rc = pcre2_match(t->re, (PCRE2_SPTR)s, len, pos, PCRE2_NO_UTF_CHECK, md,
				 match_context());
		if (rc < 0)
			break; /* no match, or a limit on a hostile text */
		ov = pcre2_get_ovector_pointer(md);
		if (ov[1] <= ov[0]) {
			/* An empty match inside the text: step to the next character. */
			pos = ov[0] + 1;
			while (pos < len && ((unsigned char)s[pos] & 0xC0) == 0x80)
				pos++;
			continue;
		}
		count++;
		if (fn(ov[0], ov[1], arg))
			break;
		pos = ov[1];
	}
	return count;
}

int
term_matches_folded(const struct term *t, const char *s, size_t len, pcre2_match_data *md)
{
	const char *hit;
	size_t pos = 0;

	if (t->lit) {
		while ((hit = memmem(s + pos, len - pos, t->lit, t->litlen))) {
			pos = (size_t)(hit - s);
			if (term_literal_ok(t, s, len, pos))
				return 1;
			pos++;
		}
		return 0;
	}
	return pcre2_match(t->re, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, md, match_context()) >=
	       0;
}
