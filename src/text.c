/*
 * text.c - normalization with an offset map, and clause segmentation.
 *
 * Matching compares folded text (NFKC + case folding), but evidence must
 * point into the text the model wrote.  We therefore normalize one
 * "combining sequence" at a time (a starter and the combining marks after
 * it): each sequence is decomposed with compatibility mappings and case
 * folding, recomposed, and every output byte records the original span of
 * its sequence.  Mapping a match back is then two array reads.  Sequences
 * that compose across starters (Hangul jamo written out) are left as they
 * are; legal text in Chinese and English does not contain them.
 *
 * Segmentation works on the normalized text, where full-width punctuation
 * has become ASCII (，→ ,  ；→ ;  ！→ !  ？→ ?) and 。 stays itself.
 *
 *   clause    ends at , ; 。 ! ? a sentence-ending '.' or a line break
 *   sentence  ends at 。 ! ? ; a sentence-ending '.' or a line break
 *
 * Two refinements keep what belongs together in one sentence:
 *   - a '.' ends a sentence only when followed by space or the end, and not
 *     after an abbreviation (U.S.C., Art., No., e.g.) or a list number;
 *   - a ; after a colon in the same sentence separates list items, not
 *     statements ("著作权包括：（一）发表权；……；（十八）专利权");
 *   - a line that ends in a colon opens a list: the list items that follow
 *     ("- x", "1. x", "(一) x", "一、x") stay in its sentence, so that in
 *     "著作权包括：\n1. 发表权\n...\n18. 专利权" the claim and its verb meet.
 *
 * Invariant: clauses are in order, do not overlap, and each lies within
 * one sentence; sentence indices never decrease.
 */
#include "amconfig.h"

#include "text.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define TEXT_MAX (1u << 30)
#define SEQ_MAX 32

#define NORM_OPTS \
	(UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_STABLE)

struct out {
	char *s;
	uint32_t *from, *to;
	size_t len, cap;
	int want_map;
};

static void
out_reserve(struct out *o, size_t n)
{
	size_t old = o->cap;

	if (o->len + n + 1 <= o->cap)
		return;
	while (o->len + n + 1 > o->cap)
		o->cap = o->cap ? o->cap * 2 : 256;
	o->s = xrealloc(o->s, o->cap);
	/* PCRE2's JIT reads whole words, past the end of the text: let what it
	 * reads there be defined, so memcheck sees no use of garbage. */
	memset(o->s + old, 0, o->cap - old);
	if (o->want_map) {
		o->from = xrealloc(o->from, o->cap * sizeof *o->from);
		o->to = xrealloc(o->to, o->cap * sizeof *o->to);
	}
}

static void
out_put(struct out *o, const char *bytes, size_t n, size_t from, size_t to)
{
	size_t i, at;

	if (o->len + n + 1 > o->cap)
		out_reserve(o, n);
	at = o->len;
	for (i = 0; i < n; i++)
		o->s[at + i] = bytes[i];
	if (o->want_map) {
		for (i = 0; i < n; i++) {
			o->from[at + i] = (uint32_t)from;
			o->to[at + i] = (uint32_t)to;
		}
	}
	o->len = at + n;
}

static int
is_combining(int32_t cp)
{
	return cp >= 0x300 && utf8proc_get_property(cp)->combining_class != 0;
}

/* Whether the character at s starts with a combining mark (3-byte forms). */
static int
is_combining_at(const unsigned char *s, size_t n)
{
	int32_t cp;

	utf8_decode(s, n, &cp);
	return is_combining(cp);
}

/* Our own mappings, applied before Unicode's: typographic apostrophes. */
static int32_t
premap(int32_t cp)
{
	if (cp == 0x2018 || cp == 0x2019 || cp == 0x2032)
		return '\'';
	return cp;
}

static void
normalize(struct out *o, const char *orig, size_t len)
{
	const unsigned char *s = (const unsigned char *)orig;
	int32_t seq[SEQ_MAX], buf[SEQ_MAX * 18 + 8], cp;
	size_t i = 0, j, nseq;
	utf8proc_ssize_t nd, r, k;
	char enc[4];
	int l, bound;

	if (len > TEXT_MAX)
		len = TEXT_MAX;
	out_reserve(o, len + len / 8 + 16);
	while (i < len) {
		if (s[i] < 0x80 && (i + 1 == len || s[i + 1] < 0x80)) {
			/* ASCII followed by ASCII: no composition possible. */
			char c = (char)tolower(s[i]);

			if (o->len + 2 > o->cap)
				out_reserve(o, 1);
			o->s[o->len] = c;
			if (o->want_map) {
				o->from[o->len] = (uint32_t)i;
				o->to[o->len] = (uint32_t)(i + 1);
			}
			o->len++;
			i++;
			continue;
		}
		j = i;
		l = utf8_decode(s + j, len - j, &cp);
		/* Fast paths for what Chinese text is made of, when no combining
		 * mark follows: Han ideographs and CJK punctuation are already
		 * NFKC and have no case; full-width ASCII maps to ASCII. */
		if (i + (size_t)l == len || s[i + (size_t)l] < 0xCC ||
		    (s[i + (size_t)l] >= 0xE4 && s[i + (size_t)l] <= 0xE9) ||
		    (s[i + (size_t)l] >= 0xE0 &&
		     !is_combining_at(s + i + l, len - i - (size_t)l))) {
			if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3001 && cp <= 0x3011) ||
			    (cp >= 0x3400 && cp <= 0x4DBF)) {
				out_put(o, (const char *)s + i, (size_t)l, i, i + (size_t)l);
				i += (size_t)l;
				continue;
			}
			if (cp >= 0xFF01 && cp <= 0xFF5E) {
				char c = (char)tolower(cp - 0xFEE0);

				out_put(o, &c, 1, i, i + (size_t)l);
				i += (size_t)l;
				continue;
			}
		}
		seq[0] = premap(cp);
		nseq = 1;
		j += (size_t)l;
		while (j < len && nseq < SEQ_MAX) {
			l = utf8_decode(s + j, len - j, &cp);
			if (!is_combining(cp))
				break;
			seq[nseq++] = cp;
			j += (size_t)l;
		}
		nd = 0;
		for (k = 0; k < (utf8proc_ssize_t)nseq; k++) {
			bound = 0;
			r = utf8proc_decompose_char(seq[k], buf + nd,
						    (utf8proc_ssize_t)ARRAY_SIZE(buf) - nd,
						    NORM_OPTS, &bound);
			if (r < 0 || r > (utf8proc_ssize_t)ARRAY_SIZE(buf) - nd) {
				buf[nd++] =
					seq[k]; /* cannot happen with our buffer; keep the char */
				continue;
			}
			nd += r;
		}
		if (nd > 0) {
			r = utf8proc_normalize_utf32(buf, nd, NORM_OPTS);
			if (r >= 0)
				nd = r;
		}
		for (k = 0; k < nd; k++) {
			l = utf8_encode(buf[k], enc);
			out_put(o, enc, (size_t)l, i, j);
		}
		i = j;
	}
	out_reserve(o, 0);
	o->s[o->len] = '\0';
}

char *
text_fold(struct pool *p, const char *s, size_t len, size_t *outlen)
{
	struct out o = {0};
	char *r;

	normalize(&o, s, len);
	r = pool_strndup(p, o.s, o.len);
	if (outlen)
		*outlen = o.len;
	free(o.s);
	return r;
}

char *
text_sanitize(struct pool *p, const char *s, size_t n, size_t *outlen)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0;
	char *out = pool_alloc(p, n * 3 + 1);
	int32_t cp;
	int l;

	while (i < n) {
		l = utf8_decode(u + i, n - i, &cp);
		if (cp == 0xFFFD && !(l == 3 && u[i] == 0xEF)) {
			o += (size_t)utf8_encode(0xFFFD, out + o);
		} else {
			memcpy(out + o, s + i, (size_t)l);
			o += (size_t)l;
		}
		i += (size_t)l;
	}
	out[o] = '\0';
	if (outlen)
		*outlen = o;
	return out;
}

int32_t
text_cp_before(const char *s, size_t pos)
{
	size_t b = pos;
	int32_t cp;

	if (pos == 0)
		return 0;
	b--;
	while (b > 0 && pos - b < 4 && ((unsigned char)s[b] & 0xC0) == 0x80)
		b--;
	utf8_decode((const unsigned char *)s + b, pos - b, &cp);
	return cp;
}

int32_t
text_cp_at(const char *s, size_t len, size_t pos)
{
	int32_t cp;

	if (pos >= len)
		return 0;
	utf8_decode((const unsigned char *)s + pos, len - pos, &cp);
	return cp;
}

int
text_is_wordchar(int32_t cp)
{
	if (cp < 0x80)
		return isalnum(cp) || cp == '_';
	if (is_han(cp))
		return 0;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_MN: return 1;
	default: return 0;
	}
}

/* --- segmentation -------------------------------------------------------- */

static const char *const abbrevs[] = {
	"art", "arts", "sec", "secs", "para",  "paras", "v",    "vs",     "cf",
	"inc", "co",   "ltd", "corp", "mr",    "mrs",   "ms",   "dr",     "st",
	"jr",  "sr",   "ch",  "cl",   "p",     "pp",    "ibid", "approx", "fig",
	"vol", "e.g",  "i.e", "u.s",  "u.s.c", "et al", "al",   "id",
};

/* Whether the '.' at s[pos] ends a sentence. */
static int
period_ends_sentence(const char *s, size_t len, size_t pos, size_t line_start)
{
	size_t w = pos, k;
	int32_t next = text_cp_at(s, len, pos + 1);
	int digits = 1;

	if (next && next != ' ' && next != '\t' && next != '\n' && next != '\r' && next != '"' &&
	    next != ')' && next != '*' && !is_han(next))
		return 0;
	/* The word before the period, letters, digits and inner periods. */
	while (w > line_start && (isalnum((unsigned char)s[w - 1]) || s[w - 1] == '.'))
		w--;
	if (w == pos)
		return 1;
	for (k = w; k < pos; k++)
		if (!isdigit((unsigned char)s[k]))
			digits = 0;
	if (digits) {
		/* "1. item" at the start of a line is a list number. */
		size_t b = w;

		while (b > line_start && (s[b - 1] == ' ' || s[b - 1] == '\t'))
			b--;
		return b != line_start;
	}
	if (pos - w == 1 && isalpha((unsigned char)s[w]))
		return 0; /* an initial: "U.S." "J. Smith" */
	if ((pos - w == 2 && strncmp(s + w, "no", 2) == 0) ||
	    (pos - w == 3 && strncmp(s + w, "nos", 3) == 0)) {
		/* "No. 5" is a number; "No. The cap ..." is an answer. */
		size_t k2 = pos + 1;

		while (k2 < len && s[k2] == ' ')
			k2++;
		return !(k2 < len && isdigit((unsigned char)s[k2]));
	}
	for (k = 0; k < ARRAY_SIZE(abbrevs); k++)
		if (strlen(abbrevs[k]) == pos - w && memcmp(abbrevs[k], s + w, pos - w) == 0)
			return 0;
	return 1;
}

static int
is_cn_digit(int32_t cp)
{
	switch (cp) {
	case 0x4E00:
	case 0x4E8C:
	case 0x4E09:
	case 0x56DB:
	case 0x4E94: /* 一二三四五 */
	case 0x516D:
	case 0x4E03:
	case 0x516B:
	case 0x4E5D:
	case 0x5341: /* 六七八九十 */ return 1;
	default: return 0;
	}
}

/* Whether the line [ls, le) starts like a list item. */
static int
is_list_item(const char *s, size_t ls, size_t le)
{
	size_t i = ls, d;
	int32_t cp;

	while (i < le && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= le)
		return 0;
	if ((s[i] == '-' || s[i] == '*' || s[i] == '+') && i + 1 < le && s[i + 1] == ' ')
		return 1;
	cp = text_cp_at(s, le, i);
	if (cp == 0x2022 || cp == 0xB7 || cp == 0x25CF)
		return 1;
	d = i;
	while (d < le && isdigit((unsigned char)s[d]))
		d++;
	if (d > i && d < le && (s[d] == '.' || s[d] == ')' || text_cp_at(s, le, d) == 0x3001))
		return 1;
	if (s[i] == '(') {
		/* (1) or (一) */
		size_t k = i + 1;

		while (k < le && s[k] != ')' && k - i < 16)
			k++;
		return k < le && s[k] == ')' && k > i + 1;
	}
	/* 一、 二、 ... */
	d = i;
	while (d < le && is_cn_digit(text_cp_at(s, le, d)))
		d += 3;
	return d > i && text_cp_at(s, le, d) == 0x3001;
}

/* Whether [i, le) holds only spaces. */
static int
rest_blank(const char *s, size_t i, size_t le)
{
	for (; i < le; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Whether the line [ls, le) ends in a colon (ignoring spaces and markup). */
static int
ends_with_colon(const char *s, size_t ls, size_t le)
{
	while (le > ls &&
	       (s[le - 1] == ' ' || s[le - 1] == '\t' || s[le - 1] == '*' || s[le - 1] == '\r'))
		le--;
	return le > ls && s[le - 1] == ':';
}

struct seg {
	struct ntext *t;
	struct text_clause *c;
	size_t n, cap;
	uint32_t sentence;
	size_t start;      /* start of the open clause */
	int sentence_used; /* the current sentence has a clause */
	int colon;         /* the current sentence has a colon */
};

static void
seg_close(struct seg *g, size_t end, int question)
{
	struct text_clause *c;

	if (end > g->start) {
		if (g->n == g->cap) {
			g->cap = g->cap ? g->cap * 2 : 32;
			g->c = xrealloc(g->c, g->cap * sizeof *g->c);
		}
		c = &g->c[g->n++];
		c->start = (uint32_t)g->start;
		c->end = (uint32_t)end;
		c->sentence = g->sentence;
		c->question = (uint8_t)question;
		g->sentence_used = 1;
	}
}

static void
seg_sentence(struct seg *g)
{
	if (g->sentence_used) {
		g->sentence++;
		g->sentence_used = 0;
	}
	g->colon = 0;
}

/* Whether the clause [start, end) ends with 吗, ignoring spaces. */
static int
ends_with_ma(const char *s, size_t start, size_t end)
{
	while (end > start && (s[end - 1] == ' ' || s[end - 1] == '*'))
		end--;
	return end >= start + 3 && memcmp(s + end - 3, "\xe5\x90\x97", 3) == 0;
}

/* Whether a line ends where a sentence or a list does (。！？.!?;：:), so the
 * next line cannot continue it. */
static int
line_closed(const char *s, size_t ls, size_t le)
{
	int32_t cp;

	while (le > ls &&
	       (s[le - 1] == ' ' || s[le - 1] == '\t' || s[le - 1] == '\r' || s[le - 1] == '*'))
		le--;
	if (le == ls)
		return 1;
	cp = text_cp_before(s, le);
	return cp == 0x3002 || cp == '.' || cp == '!' || cp == '?' || cp == ';' || cp == ':';
}

static int
dash_break(const char *s, size_t ls, size_t le, size_t i, int32_t cp, int l)
{
	/* " - ", " – ", " — " between words, or the Chinese "——". */
	if (cp == 0x2014 && text_cp_at(s, le, i + (size_t)l) == 0x2014)
		return 1;
	if (cp != '-' && cp != 0x2013 && cp != 0x2014)
		return 0;
	return i > ls && s[i - 1] == ' ' && i + (size_t)l < le && s[i + (size_t)l] == ' ';
}

static void
segment(struct ntext *t)
{
	struct seg g = {.t = t};
	const char *s = t->s;
	size_t len = t->len, ls = 0, le, i, open_end = 0;
	int in_list = 0, prev_colon = 0, item, blank, heading, soft, can_continue = 0;
	int32_t cp;
	int l;

	while (ls < len) {
		{
			const char *nl = memchr(s + ls, '\n', len - ls);

			le = nl ? (size_t)(nl - s) : len;
		}
		item = is_list_item(s, ls, le);
		blank = 1;
		for (i = ls; i < le && blank; i++)
			if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
				blank = 0;
		heading = !blank && s[ls] == '#';
		/* A single line break inside a paragraph is a soft wrap (Markdown's
		 * rule): the line goes on the clause of the one before. */
		soft = can_continue && !blank && !item && !heading;
		if (!soft && can_continue)
			seg_close(&g, open_end, ends_with_ma(s, g.start, open_end));
		if (!blank && !soft) {
			/* Does this line continue the previous sentence? */
			if ((prev_colon && item) || (in_list && item))
				in_list = 1;
			else {
				in_list = 0;
				seg_sentence(&g);
			}
		}
		if (!soft)
			g.start = ls;
		for (i = ls; i < le; i += (size_t)l) {
			l = utf8_decode((const unsigned char *)s + i, le - i, &cp);
			switch (cp) {
			case ',':
				if (i > ls && i + 1 < le && isdigit((unsigned char)s[i - 1]) &&
				    isdigit((unsigned char)s[i + 1]))
					break; /* 1,000 */
					       /* fall through */
			case ';':
				/* ； separates statements, unless it separates the items of
				 * a list that a colon opened in this sentence. */
				seg_close(&g, i, 0);
				g.start = i + (size_t)l;
				if (cp == ';' && !g.colon && !in_list)
					seg_sentence(&g);
				break;
			case ':':
				/* A colon ends a clause (a negation does not reach past
				 * it) but not the sentence: what follows explains it. */
				seg_close(&g, i, 0);
				g.start = i + (size_t)l;
				g.colon = 1;
				break;
			case '.':
				if (!period_ends_sentence(s, le, i, ls))
					break;
				/* fall through */
			case 0x3002: /* 。 */
			case '!':
			case '?':
				seg_close(&g, i, cp == '?' || ends_with_ma(s, g.start, i));
				g.start = i + (size_t)l;
				/* In a list a full stop ends an item, not the sentence the
				 * colon opened; but text after it on the same line is no
				 * item any more ("（十七）……报酬。Note that ……"). */
				if (in_list && !rest_blank(s, i + (size_t)l, le))
					in_list = 0;
				if (!in_list)
					seg_sentence(&g);
				break;
			default:
				if (dash_break(s, ls, le, i, cp, l)) {
					seg_close(&g, i, 0);
					g.start = i + (size_t)l;
				}
				break;
			}
		}
		can_continue = !blank && !heading && !line_closed(s, ls, le);
		if (can_continue)
			open_end = le;
		else
			seg_close(&g, le, ends_with_ma(s, g.start, le));
		if (!blank)
			prev_colon = ends_with_colon(s, ls, le);
		ls = le + 1;
	}
	if (can_continue)
		seg_close(&g, open_end, ends_with_ma(s, g.start, open_end));
	t->clauses = g.c;
	t->nclauses = g.n;
	t->nsentences = g.n ? g.c[g.n - 1].sentence + 1 : 0;
}

static void
free_ptr(void *p)
{
	free(p);
}

void
ntext_init(struct ntext *t, struct pool *p, const char *orig, size_t len)
{
	struct out o = {0};

	o.want_map = 1;
	normalize(&o, orig, len);
	memset(t, 0, sizeof *t);
	t->orig = orig;
	t->orig_len = len;
	t->s = o.s;
	t->len = o.len;
	t->from = o.from;
	t->to = o.to;
	pool_defer(p, free_ptr, o.s);
	pool_defer(p, free_ptr, o.from);
	pool_defer(p, free_ptr, o.to);
	segment(t);
	pool_defer(p, free_ptr, t->clauses);
}

void
ntext_to_orig(const struct ntext *t, size_t ns, size_t ne, size_t *os, size_t *oe)
{
	if (ns >= t->len || ne <= ns) {
		*os = *oe = ns >= t->len ? t->orig_len : t->from[ns];
		return;
	}
	*os = t->from[ns];
	*oe = t->to[ne - 1];
}

size_t
ntext_clause_at(const struct ntext *t, size_t pos)
{
	size_t lo = 0, hi = t->nclauses, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (t->clauses[mid].end <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->nclauses && t->clauses[lo].start <= pos)
		return lo;
	return t->nclauses;
}
