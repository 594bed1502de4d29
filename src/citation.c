/*
 * citation.c - citations in Chinese and English legal answers.
 *
 * Forms read (on folded text, so full-width digits are ASCII):
 *
 *   《著作权法》第十条   著作权法第10条   中华人民共和国民法典第一千二百六十条
 *   第十条第一款第五项   刑法第一百二十条之一   第十条至第十二条 (a range)
 *   article 10 of the copyright law   art. 10   articles 10 and 11
 *   17 u.s.c. § 106   §§ 106-107   section 107   section 106(1)
 *
 * "第五项至第十七项" are items, not articles, and are not read as articles;
 * a list number at the start of a line ("第一条：…") is not a citation.
 *
 * Each citation is resolved to a law in this order: a law named right
 * before it; for English forms, a law named right after it ("of the
 * Copyright Law"); the law named last before it in the answer; the rubric's
 * source law.  Law names come from the registry (names and aliases) and
 * from book-title marks: 《X》 names X even when the registry does not know
 * it, and then the citation is "unknown_law", not "nonexistent".
 */
#include "amconfig.h"

#include "citation.h"
#include "cnnum.h"
#include "util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CITATIONS 64
#define MAX_MENTIONS 64
#define MAX_RANGE 20

#define CN_NUM "[零〇一二两三四五六七八九十百千万0-9]+"

static const char zh_pattern[] =
	"第\\s*(" CN_NUM ")\\s*条(?:\\s*之\\s*([一二三四五六七八九十0-9]+))?"
	"(?:\\s*第\\s*(" CN_NUM ")\\s*款)?(?:\\s*第\\s*(" CN_NUM ")\\s*项)?";
static const char en_pattern[] =
	"(?:\\b(?:articles?|arts?\\.?)\\s*|§§?\\s*|\\bsections?\\s+|\\bsecs?\\.\\s*"
	"|\\bu\\.?s\\.?c\\.?\\s*(?:§§?\\s*)?)"
	"(\\d{1,5})([a-z])?(?![a-z0-9])((?:\\s*\\([a-z0-9]{1,4}\\))*)";
/* One more number of an English list: ", 107", " and 108", "-107", " to 110". */
static const char en_more_pattern[] = "\\G\\s*(,|\\band\\b|\\bor\\b|\\bto\\b|\\bthrough\\b|-|–|—)"
				      "\\s*(?:§\\s*)?(\\d{1,5})([a-z])?(?![a-z0-9])";

static pcre2_code *re_zh, *re_en, *re_en_more;
static pcre2_match_context *mctx;
static pthread_once_t re_once = PTHREAD_ONCE_INIT;

static pcre2_code *
compile(const char *pat)
{
	PCRE2_SIZE off;
	int ec;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_UCP, &ec, &off, NULL);

	if (!re)
		abort(); /* a bug in the patterns above, caught by any test */
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

static void
re_init(void)
{
	re_zh = compile(zh_pattern);
	re_en = compile(en_pattern);
	re_en_more = compile(en_more_pattern);
	mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mctx, 100000);
}

const char *
citation_status_name(enum citation_status s)
{
	switch (s) {
	case CITATION_VALID: return "valid";
	case CITATION_NONEXISTENT: return "nonexistent";
	case CITATION_MISGROUNDED: return "misgrounded";
	default: return "unknown_law";
	}
}

struct mention {
	size_t start, end;
	const struct law *law; /* NULL: a 《title》 the registry does not know */
	const char *name;      /* the title, for unknown laws */
};

struct ctx {
	const struct ntext *t;
	struct pool *p;
	const struct statutes *st;
	const struct law *default_law;
	struct mention m[MAX_MENTIONS];
	size_t nm;
	struct citation *c;
	size_t nc;
};

static const struct mention *
add_mention(struct ctx *x, size_t start, size_t end, const struct law *law, const char *name)
{
	struct mention *m;

	if (x->nm == MAX_MENTIONS)
		return NULL;
	m = &x->m[x->nm++];
	m->start = start;
	m->end = end;
	m->law = law;
	m->name = name;
	return m;
}

/*
 * Whether a registry name found at [start, end) of the folded text is used
 * as a name there.  An English name must have its capitals in the answer
 * ("the Copyright Law", not "under copyright law"); a Chinese name ending in
 * 法 must not run on into a longer word (劳动法律, 公司法定代表人, 刑法学).
 */
static int
name_used(const struct ntext *t, size_t start, size_t end, const char *written)
{
	static const char *const runs_on[] = {"律", "规", "定", "人", "院", "官", "学",
					      "理", "治", "庭", "务", "制", "系"};
	size_t i, n = strlen(written), os, oe;
	int ascii = 1;

	for (i = 0; i < n; i++)
		if ((unsigned char)written[i] >= 0x80)
			ascii = 0;
	if (ascii && n == end - start) {
		for (i = 0; i < n; i++) {
			if (!isupper((unsigned char)written[i]))
				continue;
			ntext_to_orig(t, start + i, start + i + 1, &os, &oe);
			if (oe == os + 1 && !isupper((unsigned char)t->orig[os]))
				return 0;
		}
		return 1;
	}
	if (end >= 3 && memcmp(t->s + end - 3, "法", 3) == 0) {
		for (i = 0; i < ARRAY_SIZE(runs_on); i++)
			if (t->len - end >= 3 && memcmp(t->s + end, runs_on[i], 3) == 0)
				return 0;
	}
	return 1;
}

/*
 * Which version of a law the words before it name: "2018年公司法",
 * "2018年修正的公司法", "the 2018 Company Law" (a year), "旧公司法",
 * "修订前的公司法", "原《公司法》" (the older one).  *start moves to the
 * beginning of those words.
 */
static const struct law *
versioned(struct ctx *x, size_t *start, const struct law *l)
{
	static const char *const older[] = {"修订前的", "修正前的", "修改前的", "原来的",
					    "旧",       "原",       "老"};
	static const char *const year_tail[] = {"年修正的", "年修订的", "年修改的",
						"年的",     "年",       " "};
	const char *s = x->t->s;
	size_t p = *start, k, tl;
	char year[5];

	for (k = 0; k < ARRAY_SIZE(year_tail); k++) {
		tl = strlen(year_tail[k]);
		if (p >= tl + 4 && memcmp(s + p - tl, year_tail[k], tl) == 0 &&
		    isdigit((unsigned char)s[p - tl - 4]) &&
		    isdigit((unsigned char)s[p - tl - 1]) &&
		    (p - tl - 4 == 0 || !isdigit((unsigned char)s[p - tl - 5]))) {
			memcpy(year, s + p - tl - 4, 4);
			year[4] = '\0';
			if (!isdigit((unsigned char)year[1]) || !isdigit((unsigned char)year[2]))
				continue;
			*start = p - tl - 4;
			return statutes_version_of(x->st, l, year);
		}
	}
	for (k = 0; k < ARRAY_SIZE(older); k++) {
		tl = strlen(older[k]);
		if (p >= tl && memcmp(s + p - tl, older[k], tl) == 0) {
			*start = p - tl;
			return statutes_version_of(x->st, l, NULL);
		}
	}
	return l;
}

/* Law names: 《…》 titles first, then registry names outside them. */
static void
find_mentions(struct ctx *x)
{
	const char *s = x->t->s, *open, *close;
	size_t len = x->t->len, i = 0, title_end = 0;
	const struct lexset_entry *e;
	const struct law_name *nm;

	while (i < len) {
		if (len - i >= 3 && memcmp(s + i, "《", 3) == 0) {
			open = s + i + 3;
			close = memmem(open,
				       (size_t)(s + len - open) < 120 ? (size_t)(s + len - open)
								      : 120,
				       "》", 3);
			if (close && close > open) {
				const struct law *law =
					statutes_find(x->st, open, (size_t)(close - open));
				size_t vs = i;

				if (law)
					law = versioned(x, &vs, law);
				add_mention(x, vs, (size_t)(close - s) + 3, law,
					    law ? NULL
						: pool_strndup(x->p, open, (size_t)(close - open)));
				title_end = (size_t)(close - s) + 3;
				i = title_end;
				continue;
			}
		}
		if (i >= title_end && x->st->names.n) {
			e = lexset_match(&x->st->names, s, len, i);
			if (e) {
				nm = &x->st->names_of[e->value];
				if (name_used(x->t, i, i + e->len, nm->written)) {
					size_t vs = i;
					const struct law *l = versioned(x, &vs, nm->law);

					add_mention(x, vs, i + e->len, l, NULL);
					i += e->len;
					continue;
				}
			}
		}
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
	}
}

/* The mention that ends at pos, allowing spaces, 的 and commas between. */
static const struct mention *
mention_ending_at(const struct ctx *x, size_t pos)
{
	const char *s = x->t->s;
	size_t i;

	static const char *const skip3[] = {"的", "」", "』", "”"};
	size_t k;

	for (;;) {
		if (pos > 0 && (s[pos - 1] == ' ' || s[pos - 1] == ',' || s[pos - 1] == '\t' ||
				s[pos - 1] == '"' || s[pos - 1] == ')')) {
			pos--;
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(skip3); k++)
			if (pos >= 3 && memcmp(s + pos - 3, skip3[k], 3) == 0)
				break;
		if (k < ARRAY_SIZE(skip3)) {
			pos -= 3;
			continue;
		}
		break;
	}
	for (i = 0; i < x->nm; i++)
		if (x->m[i].end == pos)
			return &x->m[i];
	return NULL;
}

/* For English: "of the Copyright Law" right after the citation. */
static const struct mention *
mention_after(const struct ctx *x, size_t pos)
{
	static const char *const links[] = {" of the prc ", " of the ", " under the ", " in the ",
					    " of ",         " under ",  " in ",        ", "};
	const char *s = x->t->s;
	size_t len = x->t->len, i, j, l;

	while (pos < len && s[pos] == ' ')
		pos++;
	if (pos > 0 && s[pos - 1] == ' ')
		pos--;
	for (j = 0; j < ARRAY_SIZE(links); j++) {
		l = strlen(links[j]);
		if (pos + l <= len && memcmp(s + pos, links[j], l) == 0) {
			for (i = 0; i < x->nm; i++)
				if (x->m[i].start == pos + l)
					return &x->m[i];
			/* "of the 2020 copyright law": allow a short gap. */
			for (i = 0; i < x->nm; i++)
				if (x->m[i].start > pos + l && x->m[i].start <= pos + l + 12 &&
				    !memchr(s + pos + l, ',', x->m[i].start - pos - l) &&
				    !memchr(s + pos + l, '.', x->m[i].start - pos - l))
					return &x->m[i];
		}
	}
	return NULL;
}

/*
 * A law named right before pos that the registry does not know:
 * "反不正当竞争法第十条", "著作权法实施条例第十条".  The name is the run of Han
 * characters before pos, after a verb like 根据 or 依照; it must end like a
 * law (法, 条例, 规定, 解释, 办法, 公约, 规则, 决定) and must not be 本法, 该法.
 * Returns a new mention with no law, or NULL.
 */
static const struct mention *
unknown_name_before(struct ctx *x, size_t pos)
{
	static const char *const endings[] = {"法",   "条例", "规定", "解释", "办法",
					      "公约", "规则", "决定", "规章", "通则"};
	static const char *const own[] = {"本法",   "该法",   "此法",   "同法",   "上述法",
					  "前述法", "本条例", "该条例", "本规定", "该解释"};
	static const char *const verbs[] = {"根据", "依照", "依据", "按照", "参照",
					    "违反", "适用", "依",   "按",   "见",
					    "即",   "和",   "与",   "及",   "或"};
	const char *s = x->t->s;
	size_t b = pos, k, n;
	int32_t cp;

	if (b >= 3 && memcmp(s + b - 3, "的", 3) == 0)
		b -= 3;
	n = b;
	while (n >= 3 && n + 60 > b) {
		cp = text_cp_before(s, n);
		if (!is_han(cp))
			break;
		n -= 3;
	}
	if (n == b)
		return NULL;
	for (k = 0; k < ARRAY_SIZE(endings); k++) {
		size_t el = strlen(endings[k]);

		if (b - n >= el && memcmp(s + b - el, endings[k], el) == 0)
			break;
	}
	if (k == ARRAY_SIZE(endings))
		return NULL;
	for (k = 0; k < ARRAY_SIZE(own); k++) {
		size_t ol = strlen(own[k]);

		if (b - n >= ol && memcmp(s + b - ol, own[k], ol) == 0)
			return NULL; /* 本法: the law named before */
	}
	/* Start after the last verb in the run. */
	for (k = 0; k < ARRAY_SIZE(verbs); k++) {
		size_t vl = strlen(verbs[k]);
		const char *v = memmem(s + n, b - n, verbs[k], vl);

		while (v) {
			const char *next = memmem(v + vl, (size_t)(s + b - v - vl), verbs[k], vl);

			if (!next)
				break;
			v = next;
		}
		if (v && (size_t)(v - s) + vl < b)
			n = (size_t)(v - s) + vl;
	}
	if (b - n < 6)
		return NULL;
	return add_mention(x, n, b, NULL, pool_strndup(x->p, s + n, b - n));
}

/* "47 U.S.C." right before pos: a title of the U.S. Code the registry lacks. */
static const struct mention *
unknown_title_before(struct ctx *x, size_t pos)
{
	const char *s = x->t->s;
	size_t len = x->t->len, b = pos, e, d;

	if (len - pos >= 3 && (memcmp(s + pos, "usc", 3) == 0 || memcmp(s + pos, "u.s", 3) == 0)) {
		/* The match of "47 usc 230" starts at the title's "usc". */
		b = pos;
		while (b < len && (s[b] == '.' || s[b] == 'u' || s[b] == 's' || s[b] == 'c'))
			b++;
		pos = b;
	}
	b = pos;
	while (b > 0 && (s[b - 1] == ' ' || (unsigned char)s[b - 1] == 0xA7 ||
			 (unsigned char)s[b - 1] == 0xC2))
		b--;
	e = b;
	while (b > 0 && (s[b - 1] == '.' || s[b - 1] == 'u' || s[b - 1] == 's' || s[b - 1] == 'c'))
		b--;
	if (e - b < 3 || !(memmem(s + b, e - b, "usc", 3) || memmem(s + b, e - b, "u.s.c", 5)))
		return NULL;
	d = b;
	while (d > 0 && s[d - 1] == ' ')
		d--;
	while (d > 0 && isdigit((unsigned char)s[d - 1]))
		d--;
	if (d == b || !isdigit((unsigned char)s[d]))
		return NULL;
	return add_mention(x, d, e, NULL, pool_strndup(x->p, x->t->s + d, e - d));
}

/*
 * "of the Communications Decency Act" right after end: a law the registry
 * does not know, named by capitalized words that end in Act, Law, Code ...
 */
static const struct mention *
unknown_act_after(struct ctx *x, size_t end)
{
	static const char *const kinds[] = {"act",
					    "law",
					    "code",
					    "convention",
					    "treaty",
					    "regulation",
					    "regulations",
					    "rules",
					    "constitution",
					    "directive",
					    "statute",
					    "interpretation",
					    "interpretations",
					    "provisions",
					    "measures",
					    "opinions",
					    "decision",
					    "principles"};
	const char *s = x->t->s;
	size_t len = x->t->len, p = end, w, os, oe, k, last = 0, name_start;
	int words = 0;

	while (p < len && s[p] == ' ')
		p++;
	if (len - p >= 7 && memcmp(s + p, "of the ", 7) == 0)
		p += 7;
	else if (len - p >= 3 && memcmp(s + p, "of ", 3) == 0)
		p += 3;
	else
		return NULL;
	name_start = p;
	while (p < len && words < 8) {
		w = p;
		while (p < len && isalpha((unsigned char)s[p]))
			p++;
		if (p == w)
			break;
		ntext_to_orig(x->t, w, w + 1, &os, &oe);
		if (!isupper((unsigned char)x->t->orig[os]))
			break;
		words++;
		for (k = 0; k < ARRAY_SIZE(kinds); k++)
			if (p - w == strlen(kinds[k]) && memcmp(s + w, kinds[k], p - w) == 0)
				last = p;
		if (p < len && s[p] == ' ')
			p++;
		else
			break;
	}
	if (!last)
		return NULL;
	return add_mention(x, name_start, last, NULL,
			   pool_strndup(x->p, s + name_start, last - name_start));
}

/* The mention that contains pos ("17 u.s.c. 106" starts inside "17 u.s.c."). */
static const struct mention *
mention_covering(const struct ctx *x, size_t pos)
{
	size_t i;

	for (i = 0; i < x->nm; i++)
		if (x->m[i].start < pos && x->m[i].end > pos)
			return &x->m[i];
	return NULL;
}

/*
 * The law a bare 第十条 refers to: the one named last before it, unless that
 * one is a superseded law mentioned in passing ("旧的民法通则规定两年，现行
 * 第一百八十八条……") and the rubric names the law in force.
 */
static const struct mention *
mention_last_before(const struct ctx *x, size_t pos)
{
	const struct mention *best = NULL;
	size_t i;

	for (i = 0; i < x->nm; i++)
		if (x->m[i].end <= pos && (!best || x->m[i].end > best->end))
			best = &x->m[i];
	if (best && best->law && best->law->superseded_by && x->default_law)
		return NULL;
	return best;
}

static void
add_citation(struct ctx *x, size_t start, size_t end, int article, int sub, int para, int item,
	     const struct mention *m, int bare)
{
	struct citation *c;

	if (x->nc == MAX_CITATIONS || article <= 0)
		return;
	c = &x->c[x->nc++];
	memset(c, 0, sizeof *c);
	/* The citation's text includes the law named right before or after it. */
	if (m && !bare && m->start < start && (m->end > start || start - m->end <= 12))
		start = m->start; /* also "17 u.s.c. 106", matched from inside the name */
	else if (m && !bare && m->start >= end && m->start - end <= 16)
		end = m->end;
	c->start = start;
	c->end = end;
	c->article = article;
	c->sub = sub;
	c->paragraph = para;
	c->item = item;
	c->bare = bare;
	if (m) {
		c->law = m->law;
		c->law_name = m->law ? m->law->name : m->name;
	} else if (x->default_law) {
		c->law = x->default_law;
		c->law_name = x->default_law->name;
	}
}

static long
group_num(const char *s, PCRE2_SIZE *ov, int g)
{
	if (ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] <= ov[2 * g])
		return 0;
	return cnnum_parse(s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
}

/* "第一条：" or "第一条，" opening a line: a list number, not a citation. */
static int
list_number(const char *s, size_t len, size_t start, size_t end)
{
	size_t b = start;

	while (b > 0 && (s[b - 1] == ' ' || s[b - 1] == '*' || s[b - 1] == '#'))
		b--;
	if (b > 0 && s[b - 1] != '\n')
		return 0;
	return end < len && (s[end] == ':' || s[end] == ',' || s[end] == '.' ||
			     (len - end >= 3 && memcmp(s + end, "、", 3) == 0));
}

static void
extract_zh(struct ctx *x, pcre2_match_data *md)
{
	const char *s = x->t->s;
	size_t len = x->t->len, pos = 0, prev_end = 0;
	long a, sub, para, item, prev_a = 0;
	const struct mention *m, *prev_m = NULL;
	size_t range_first = (size_t)-1;
	PCRE2_SIZE *ov;
	int bare, rc;

	while (pos < len && (rc = pcre2_match(re_zh, (PCRE2_SPTR)s, len, pos, PCRE2_NO_UTF_CHECK,
					      md, mctx)) > 0) {
		ov = pcre2_get_ovector_pointer(md);
		a = group_num(s, ov, 1);
		sub = group_num(s, ov, 2);
		para = group_num(s, ov, 3);
		item = group_num(s, ov, 4);
		pos = ov[1];
		if (a <= 0 || list_number(s, len, ov[0], ov[1]))
			continue;
		m = mention_ending_at(x, ov[0]);
		bare = !m;
		if (!m) {
			/* 第十条至第十二条: the second end of a range takes the first's law. */
			size_t gap = ov[0] - prev_end;
			int range = prev_a && gap <= 6 &&
				    ((gap == 3 && (memcmp(s + prev_end, "至", 3) == 0 ||
						   memcmp(s + prev_end, "到", 3) == 0)) ||
				     (gap == 1 && (s[prev_end] == '-' || s[prev_end] == '~')));
			int list = prev_a && gap == 3 &&
				   (memcmp(s + prev_end, "、", 3) == 0 ||
				    memcmp(s + prev_end, "和", 3) == 0 ||
				    memcmp(s + prev_end, "及", 3) == 0);

			if (range || list) {
				m = prev_m;
				bare = prev_m ? 0 : 1;
			}
			if (range && !sub && a > prev_a && a - prev_a <= MAX_RANGE) {
				long k;

				range_first = x->nc ? x->nc - 1 : 0;
				for (k = prev_a + 1; k < a; k++)
					add_citation(x, ov[0], ov[1], (int)k, 0, 0, 0, m, bare);
			}
			if (!m)
				m = unknown_name_before(x, ov[0]);
			if (!m)
				m = mention_last_before(x, ov[0]);
		}
		add_citation(x, ov[0], ov[1], (int)a, (int)sub, (int)para, (int)item, m, bare);
		if (range_first != (size_t)-1) {
			/* Every article of a range shows the range: 第十条至第十二条. */
			size_t j;

			for (j = range_first + 1; j < x->nc; j++) {
				x->c[j].start = x->c[range_first].start;
				x->c[j].end = ov[1];
			}
			x->c[range_first].end = ov[1];
			range_first = (size_t)-1;
		}
		prev_end = ov[1];
		prev_a = sub ? 0 : a;
		prev_m = m;
	}
}

static int
letter_sub(const char *s, PCRE2_SIZE *ov, int g)
{
	if (ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] != ov[2 * g] + 1)
		return 0;
	return s[ov[2 * g]] - 'a' + 1;
}

/* Reads "(1)" or "(a)" from the start of s (len bytes): the paragraph. */
static int
paren_number(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] == ' ')
		i++;
	if (i + 2 < len && s[i] == '(' && isdigit((unsigned char)s[i + 1]))
		return atoi(s + i + 1);
	return 0;
}

static void
extract_en(struct ctx *x, pcre2_match_data *md)
{
	const char *s = x->t->s;
	size_t len = x->t->len, pos = 0, end;
	const struct mention *m;
	long a, a2, k;
	int sub, sub2, bare, rc, nums[MAX_RANGE + 2], subs[MAX_RANGE + 2], nn, para;
	PCRE2_SIZE *ov, mstart;

	while (pos < len && (rc = pcre2_match(re_en, (PCRE2_SPTR)s, len, pos, PCRE2_NO_UTF_CHECK,
					      md, mctx)) > 0) {
		ov = pcre2_get_ovector_pointer(md);
		mstart = ov[0];
		a = group_num(s, ov, 1);
		sub = letter_sub(s, ov, 2);
		para = ov[6] != PCRE2_UNSET ? paren_number(s + ov[6], ov[7] - ov[6]) : 0;
		end = ov[1];
		nn = 0;
		nums[nn] = (int)a;
		subs[nn++] = sub;
		/* More numbers of a list or range. */
		for (;;) {
			rc = pcre2_match(re_en_more, (PCRE2_SPTR)s, len, end, PCRE2_NO_UTF_CHECK,
					 md, mctx);
			if (rc <= 0 || nn >= MAX_RANGE)
				break;
			ov = pcre2_get_ovector_pointer(md);
			a2 = group_num(s, ov, 2);
			sub2 = letter_sub(s, ov, 3);
			if (s[ov[2]] == '-' || s[ov[2]] == 't' || (unsigned char)s[ov[2]] == 0xE2) {
				/* a range: fill in what lies between */
				for (k = nums[nn - 1] + 1; k < a2 && nn < MAX_RANGE && !sub2; k++) {
					subs[nn] = 0;
					nums[nn++] = (int)k;
				}
			}
			if (nn < MAX_RANGE) {
				subs[nn] = sub2;
				nums[nn++] = (int)a2;
			}
			end = ov[1];
		}
		pos = end;
		m = mention_ending_at(x, mstart);
		if (!m)
			m = mention_covering(x, mstart);
		if (!m)
			m = unknown_title_before(x, mstart);
		if (!m)
			m = mention_after(x, end);
		if (!m)
			m = unknown_act_after(x, end);
		bare = !m;
		if (!m)
			m = mention_last_before(x, mstart);
		for (k = 0; k < nn; k++)
			add_citation(x, mstart, end, nums[k], subs[k], k == 0 ? para : 0, 0, m,
				     bare);
	}
}

static int
cmp_citation(const void *a, const void *b)
{
	const struct citation *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->article - y->article;
}

size_t
citation_extract(const struct ntext *t, struct pool *p, const struct statutes *st,
		 const struct law *default_law, struct citation **out)
{
	struct ctx *x;
	pcre2_match_data *md;
	int zh, en;

	pthread_once(&re_once, re_init);
	*out = NULL;
	/* Run each form only where something can start it. */
	zh = memmem(t->s, t->len, "条", 3) != NULL;
	en = memchr(t->s, 0xA7, t->len) || memmem(t->s, t->len, "art", 3) ||
	     memmem(t->s, t->len, "sec", 3) || memmem(t->s, t->len, "usc", 3) ||
	     memmem(t->s, t->len, "u.s.c", 5);
	if (!zh && !en)
		return 0;
	x = pool_alloc(p, sizeof *x);
	x->t = t;
	x->p = p;
	x->st = st;
	x->default_law = default_law;
	x->c = pool_array(p, MAX_CITATIONS, sizeof *x->c);
	find_mentions(x);
	md = pcre2_match_data_create(16, NULL);
	if (zh)
		extract_zh(x, md);
	if (en)
		extract_en(x, md);
	pcre2_match_data_free(md);
	if (x->nc > 1)
		qsort(x->c, x->nc, sizeof *x->c, cmp_citation);
	*out = x->c;
	return x->nc;
}

/* What the grounds of a turn say about one citation. */
struct grounding {
	int exact; /* the turn names this very article */
	int named; /* the turn names this law at some article */
	int open;  /* the turn names this law without an article */
};

static void
ground(struct grounding *g, const struct citation *c, const struct law *l, int article, int sub)
{
	if (!l || l != c->law)
		return;
	g->named = 1;
	if (article == 0)
		g->open = 1;
	else if (article == c->article && sub == c->sub)
		g->exact = 1;
}

static void
grounding_of(const struct rubric_turn *t, const struct citation *c, struct grounding *g)
{
	size_t i;

	memset(g, 0, sizeof *g);
	ground(g, c, t->source.law, t->source.article, t->source.sub);
	for (i = 0; i < t->nkeypoints; i++)
		ground(g, c, t->keypoints[i].source.law, t->keypoints[i].source.article,
		       t->keypoints[i].source.sub);
	for (i = 0; i < t->nforbidden; i++)
		ground(g, c, t->forbidden[i].source.law, t->forbidden[i].source.article,
		       t->forbidden[i].source.sub);
	for (i = 0; i < t->nexpect; i++)
		ground(g, c, t->expect[i].law, t->expect[i].article, t->expect[i].sub);
	for (i = 0; i < t->nallow; i++)
		ground(g, c, t->allow[i].law, t->allow[i].article, t->allow[i].sub);
}

void
citation_classify(struct citation *c, size_t n, const struct rubric_turn *turn)
{
	struct grounding g;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!c[i].law) {
			c[i].status = CITATION_UNKNOWN_LAW;
			continue;
		}
		if (!law_has_article(c[i].law, c[i].article, c[i].sub)) {
			c[i].status = CITATION_NONEXISTENT;
			continue;
		}
		c[i].status = CITATION_VALID;
		if (turn) {
			grounding_of(turn, &c[i], &g);
			if (g.named && !g.open && !g.exact)
				c[i].status = CITATION_MISGROUNDED;
		}
	}
}
