/*
 * statute.c - load rubrics/statutes.yaml and answer "does this article
 * exist?" and "which law is this name?".
 *
 * A law's articles are written as a list of numbers and ranges
 * ("1-198, 200-452, 17之一, 120之一") and kept as sorted ranges plus a list
 * of sub-articles, so 1,260 articles of the Civil Code cost one range.
 * Names are matched on a key that ignores case, width, spaces, dots and
 * book-title marks, so 《中华人民共和国著作权法》, 著作权法 and
 * "PRC Copyright Law" find the same entry once listed as aliases.
 *
 * When a law names its text (`text: statutes/x.md`, relative to the
 * registry), statutes_load_texts splits it into articles at lines that
 * start with 第…条; the lint source check quotes against those.
 */
#include "amconfig.h"

#include "statute.h"
#include "cnnum.h"
#include "text.h"
#include "util.h"
#include "ynode.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATUTE_TEXT_MAX (16u << 20)

static const struct ykey top_keys[] = {{"laws", 1}};
static const struct ykey law_keys[] = {
	{"id", 1},      {"name", 1},     {"aliases", 0}, {"jurisdiction", 1},
	{"version", 1}, {"articles", 1}, {"text", 0},    {"superseded_by", 0},
	{"title", 0},   {"note", 0},     {"deleted", 0},
};

void
statutes_init_empty(struct statutes *st)
{
	memset(st, 0, sizeof *st);
	pool_init(&st->pool, 0);
	lexset_init(&st->names);
	lexset_build(&st->names);
}

void
statutes_deinit(struct statutes *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		free(st->laws[i].text);
		free(st->laws[i].arts);
	}
	lexset_deinit(&st->names);
	pool_deinit(&st->pool);
	memset(st, 0, sizeof *st);
}

/* Folds a name to its lookup key: letters, digits and Han only. */
static char *
name_key(struct pool *p, const char *s, size_t len, size_t *klen)
{
	size_t flen, i, o = 0;
	char *f = text_fold(p, s, len, &flen);
	int32_t cp;
	int l;

	for (i = 0; i < flen; i += (size_t)l) {
		l = utf8_decode((const unsigned char *)f + i, flen - i, &cp);
		if (text_is_wordchar(cp) || is_han(cp)) {
			memmove(f + o, f + i, (size_t)l);
			o += (size_t)l;
		}
	}
	f[o] = '\0';
	*klen = o;
	return f;
}

static int
parse_num(const char *s, size_t len, long *out)
{
	long v = cnnum_parse(s, len);

	if (v <= 0 || v > 100000)
		return -1;
	*out = v;
	return 0;
}

int
statute_parse_article(const char *s, int *article, int *sub)
{
	const char *p = s, *e, *zhi;
	size_t len = strlen(s);
	long a, b = 0;

	/* Strip 第 … 条, §, "Art.", "Article", "Section", spaces. */
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "§", 2) == 0)
		p += 2;
	else if (strncmp(p, "第", 3) == 0)
		p += 3;
	else if (strncasecmp(p, "article", 7) == 0)
		p += 7;
	else if (strncasecmp(p, "section", 7) == 0)
		p += 7;
	else if (strncasecmp(p, "art.", 4) == 0)
		p += 4;
	while (*p == ' ')
		p++;
	e = s + len;
	while (e > p && e[-1] == ' ')
		e--;
	zhi = NULL;
	{
		const char *t = strstr(p, "条");

		if (t && t < e) {
			const char *after = t + 3;

			if (after < e && strncmp(after, "之", 3) == 0)
				zhi = after + 3;
			else if (after != e)
				return -1;
			e = t;
		} else {
			t = strstr(p, "之");
			if (t && t < e) {
				zhi = t + 3;
				e = t;
			}
		}
	}
	if (zhi) {
		const char *ze = s + len;

		while (ze > zhi && ze[-1] == ' ')
			ze--;
		if (parse_num(zhi, (size_t)(ze - zhi), &b) < 0 || b > 50)
			return -1;
	} else if (e > p && isupper((unsigned char)e[-1]) && e - p >= 2 &&
		   isdigit((unsigned char)e[-2])) {
		b = e[-1] - 'A' + 1;
		e--;
	}
	if (e <= p || parse_num(p, (size_t)(e - p), &a) < 0)
		return -1;
	*article = (int)a;
	*sub = (int)b;
	return 0;
}

static int
cmp_range(const void *x, const void *y)
{
	const struct law_range *a = x, *b = y;

	return a->from < b->from ? -1 : a->from > b->from;
}

/* Parses the articles spec of l from node n. */
static int
parse_articles(struct law *l, struct pool *p, const struct ynode *n, struct diag *d)
{
	const char *s = n->str, *tok, *end;
	size_t cap_r = 0, cap_s = 0, i;
	int errors = 0, a, sub, a2, s2;
	char one[64];

	while (*s) {
		while (*s == ' ' || *s == ',')
			s++;
		if (strncmp(s, "，", 3) == 0 || strncmp(s, "、", 3) == 0) {
			s += 3;
			continue;
		}
		if (!*s)
			break;
		tok = s;
		while (*s && *s != ',' && strncmp(s, "，", 3) != 0 && strncmp(s, "、", 3) != 0)
			s++;
		end = s;
		while (end > tok && end[-1] == ' ')
			end--;
		if ((size_t)(end - tok) >= sizeof one) {
			ynode_error(d, n, "articles: item too long: '%.*s'", (int)(end - tok), tok);
			errors++;
			continue;
		}
		memcpy(one, tok, (size_t)(end - tok));
		one[end - tok] = '\0';
		/* A range "N-M" (also with an en dash). */
		{
			char *dash = strchr(one, '-');
			char *ndash = strstr(one, "–");

			if (ndash && !dash) {
				*ndash = '-';
				memmove(ndash + 1, ndash + 3, strlen(ndash + 3) + 1);
				dash = ndash;
			}
			if (dash) {
				*dash = '\0';
				if (statute_parse_article(one, &a, &sub) < 0 ||
				    statute_parse_article(dash + 1, &a2, &s2) < 0 || sub || s2 ||
				    a2 < a) {
					ynode_error(d, n,
						    "articles: bad range '%s-%s' (write e.g. 1-67)",
						    one, dash + 1);
					errors++;
					continue;
				}
				l->ranges = pool_grow(p, l->ranges, l->nranges, &cap_r,
						      sizeof *l->ranges);
				l->ranges[l->nranges].from = a;
				l->ranges[l->nranges].to = a2;
				l->nranges++;
				continue;
			}
		}
		if (statute_parse_article(one, &a, &sub) < 0) {
			ynode_error(
				d, n,
				"articles: cannot read '%s' (write numbers and ranges: 1-198, 200, "
				"120之一, 106A)",
				one);
			errors++;
			continue;
		}
		if (sub) {
			l->subs = pool_grow(p, l->subs, l->nsubs, &cap_s, sizeof *l->subs);
			l->subs[l->nsubs].article = a;
			l->subs[l->nsubs].sub = sub;
			l->nsubs++;
		} else {
			l->ranges = pool_grow(p, l->ranges, l->nranges, &cap_r, sizeof *l->ranges);
			l->ranges[l->nranges].from = a;
			l->ranges[l->nranges].to = a;
			l->nranges++;
		}
	}
	if (l->nranges)
		qsort(l->ranges, l->nranges, sizeof *l->ranges, cmp_range);
	for (i = 1; i < l->nranges; i++) {
		if (l->ranges[i].from <= l->ranges[i - 1].to) {
			ynode_error(d, n, "articles: %d-%d overlaps %d-%d", l->ranges[i].from,
				    l->ranges[i].to, l->ranges[i - 1].from, l->ranges[i - 1].to);
			errors++;
		}
	}
	for (i = 0; i < l->nsubs; i++) {
		size_t j;

		for (j = 0; j < i; j++)
			if (l->subs[i].article == l->subs[j].article &&
			    l->subs[i].sub == l->subs[j].sub) {
				ynode_error(d, n, "articles: %d之%d is listed twice",
					    l->subs[i].article, l->subs[i].sub);
				errors++;
			}
	}
	l->article_count = (int)l->nsubs;
	for (i = 0; i < l->nranges; i++)
		l->article_count += l->ranges[i].to - l->ranges[i].from + 1;
	if (!errors && l->article_count == 0) {
		ynode_error(d, n, "articles: no article listed");
		errors++;
	}
	return errors ? -1 : 0;
}

int
law_article_deleted(const struct law *l, int article, int sub)
{
	size_t i;

	if (sub)
		return 0;
	for (i = 0; i < l->ndeleted; i++)
		if (l->deleted[i].from <= article && article <= l->deleted[i].to)
			return 1;
	return 0;
}

int
law_has_article(const struct law *l, int article, int sub)
{
	size_t lo = 0, hi = l->nranges, mid, i;

	if (sub) {
		for (i = 0; i < l->nsubs; i++)
			if (l->subs[i].article == article && l->subs[i].sub == sub)
				return 1;
		return 0;
	}
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (l->ranges[mid].to < article)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->nranges && l->ranges[lo].from <= article;
}

void
law_article_name(const struct law *l, int article, int sub, char *out, size_t cap)
{
	char num[64], subn[32];

	if (l && strcmp(l->jurisdiction, "CN") == 0) {
		if (cnnum_format(article, num, sizeof num) < 0)
			snprintf(num, sizeof num, "%d", article);
		if (sub && cnnum_format(sub, subn, sizeof subn) > 0)
			snprintf(out, cap, "第%s条之%s", num, subn);
		else
			snprintf(out, cap, "第%s条", num);
		return;
	}
	if (l && strcmp(l->jurisdiction, "US") == 0) {
		if (sub >= 1 && sub <= 26)
			snprintf(out, cap, "§ %d%c", article, 'A' + sub - 1);
		else
			snprintf(out, cap, "§ %d", article);
		return;
	}
	if (sub)
		snprintf(out, cap, "Art. %d-%d", article, sub);
	else
		snprintf(out, cap, "Art. %d", article);
}

/*
 * Adds a name to the answer scan.  Names are searched for in folded answers
 * as written (no key stripping), so "17 u.s.c." and "17 usc" are different
 * entries.  A name that another, current law already has is not added for
 * a superseded law: 公司法 in an answer means the law in force.
 */
static void
add_name(struct statutes *st, const char *name, size_t idx, size_t *cap)
{
	size_t flen, i;
	char *f = text_fold(&st->pool, name, strlen(name), &flen);

	for (i = 0; i < st->nnames; i++) {
		size_t olen;
		const char *o = text_fold(&st->pool, st->names_of[i].written,
					  strlen(st->names_of[i].written), &olen);

		if (olen == flen && memcmp(o, f, flen) == 0)
			return; /* current laws are added first, so the first one stays */
	}
	st->names_of = pool_grow(&st->pool, st->names_of, st->nnames, cap, sizeof *st->names_of);
	st->names_of[st->nnames].law = &st->laws[idx];
	st->names_of[st->nnames].written = name;
	lexset_add(&st->names, f, flen, (intptr_t)st->nnames);
	st->nnames++;
}

/* Adds the lookup keys of a law's names (and 中华人民共和国 + name for CN). */
static void
add_keys(struct statutes *st, const struct law *l, size_t *cap)
{
	size_t j, k, n = 1 + l->naliases + 1;

	for (j = 0; j < n; j++) {
		const char *nm;

		if (j == 0)
			nm = l->name;
		else if (j <= l->naliases)
			nm = l->aliases[j - 1];
		else if (strcmp(l->jurisdiction, "CN") == 0)
			nm = pool_printf(&st->pool, "中华人民共和国%s", l->name);
		else
			break;
		st->keys = pool_grow(&st->pool, st->keys, st->nkeys, cap, sizeof *st->keys);
		st->keys[st->nkeys].key = name_key(&st->pool, nm, strlen(nm), &k);
		st->keys[st->nkeys].len = k;
		st->keys[st->nkeys].law = l;
		st->nkeys++;
	}
}

static int
load_law(struct statutes *st, struct law *l, const struct ynode *m, const char *dir, struct diag *d)
{
	const struct ynode *v;
	int errors = 0;
	size_t i;

	if (ynode_want_map(m, "law", d) < 0)
		return -1;
	errors += ynode_check_keys(m, law_keys, ARRAY_SIZE(law_keys), "law", d);
	l->line = m->line;
	l->col = m->col;
	if ((v = ynode_get(m, "id")) && ynode_string(v, "id", d, &l->id) < 0)
		errors++;
	if ((v = ynode_get(m, "name")) && ynode_string(v, "name", d, &l->name) < 0)
		errors++;
	if ((v = ynode_get(m, "jurisdiction")) &&
	    ynode_string(v, "jurisdiction", d, &l->jurisdiction) < 0)
		errors++;
	if ((v = ynode_get(m, "version")) && ynode_string(v, "version", d, &l->version) < 0)
		errors++;
	if ((v = ynode_get(m, "superseded_by")) &&
	    ynode_string(v, "superseded_by", d, &l->superseded_by) < 0)
		errors++;
	if ((v = ynode_get(m, "text"))) {
		/* One file, or a list of files read in order (the Civil Code's books). */
		const struct ynode *const *items = (const struct ynode *const *)v->items;
		size_t count = v->n;

		if (v->kind == YNODE_SCALAR) {
			items = &v;
			count = 1;
		} else if (v->kind != YNODE_SEQ) {
			ynode_error(d, v, "'text' must be a file name or a list of them");
			errors++;
			count = 0;
		}
		l->text_paths = pool_array(&st->pool, count ? count : 1, sizeof *l->text_paths);
		for (i = 0; i < count; i++) {
			const char *t;

			if (ynode_string(items[i], "text", d, &t) < 0) {
				errors++;
			} else {
				char *full = path_join(dir, t);

				l->text_paths[l->ntext_paths++] = pool_strdup(&st->pool, full);
				free(full);
			}
		}
	}
	if ((v = ynode_get(m, "aliases"))) {
		if (ynode_want_seq(v, "aliases", d) < 0) {
			errors++;
		} else {
			l->aliases = pool_array(&st->pool, v->n ? v->n : 1, sizeof *l->aliases);
			for (i = 0; i < v->n; i++) {
				if (ynode_string(v->items[i], "aliases", d,
						 &l->aliases[l->naliases]) < 0)
					errors++;
				else
					l->naliases++;
			}
		}
	}
	if ((v = ynode_get(m, "deleted"))) {
		/* Articles repealed in place (刑法 第一百九十九条): they do not exist,
		 * but an answer that says they were deleted is right. */
		struct law tmp;

		memset(&tmp, 0, sizeof tmp);
		if (v->kind != YNODE_SCALAR || parse_articles(&tmp, &st->pool, v, d) < 0 ||
		    tmp.nsubs) {
			if (v->kind != YNODE_SCALAR || tmp.nsubs)
				ynode_error(
					d, v,
					"'deleted' must list plain article numbers, like \"199\"");
			errors++;
		} else {
			l->deleted = tmp.ranges;
			l->ndeleted = tmp.nranges;
		}
	}
	if ((v = ynode_get(m, "articles"))) {
		if (v->kind != YNODE_SCALAR || ynode_is_null(v)) {
			ynode_error(d, v, "'articles' must be text like \"1-67\", not %s",
				    ynode_kind_name(v));
			errors++;
		} else {
			l->articles_spec = v->str;
			if (parse_articles(l, &st->pool, v, d) < 0)
				errors++;
		}
	}
	return errors ? -1 : 0;
}

int
statutes_load(struct statutes *st, const char *path, struct diag *d)
{
	struct ydoc doc;
	const struct ynode *laws;
	struct diag mine;
	char *dir = NULL;
	size_t i, j, k, klen, klen2, ncap = 0, kcap = 0;
	int rc = -1;

	statutes_init_empty(st);
	st->file = pool_strdup(&st->pool, path);
	diag_init(&mine);
	if (ydoc_load_file(&doc, path, &mine) < 0)
		goto out;
	if (!doc.root) {
		diag_error(&mine, path, 1, 1, "file is empty; expected 'laws:' and a list of laws");
		goto out;
	}
	if (ynode_want_map(doc.root, "statutes file", &mine) < 0)
		goto out;
	ynode_check_keys(doc.root, top_keys, ARRAY_SIZE(top_keys), "statutes file", &mine);
	laws = ynode_get(doc.root, "laws");
	if (!laws || ynode_want_seq(laws, "laws", &mine) < 0)
		goto out;
	/* The law structs point into the document's strings: move them. */
	dir = path_dir(path);
	st->laws = pool_array(&st->pool, laws->n ? laws->n : 1, sizeof *st->laws);
	for (i = 0; i < laws->n; i++) {
		struct law *l = &st->laws[st->n];

		if (load_law(st, l, laws->items[i], dir, &mine) == 0)
			st->n++;
		else
			memset(l, 0, sizeof *l);
	}
	/* Copy strings out of the YAML document, which is freed below. */
	for (i = 0; i < st->n; i++) {
		struct law *l = &st->laws[i];

		l->id = pool_strdup(&st->pool, l->id);
		l->name = pool_strdup(&st->pool, l->name);
		l->jurisdiction = pool_strdup(&st->pool, l->jurisdiction);
		l->version = pool_strdup(&st->pool, l->version);
		l->superseded_by = pool_strdup(&st->pool, l->superseded_by);
		l->articles_spec = pool_strdup(&st->pool, l->articles_spec);
		for (j = 0; j < l->naliases; j++)
			l->aliases[j] = pool_strdup(&st->pool, l->aliases[j]);
	}
	/* Ids unique; names unique unless one supersedes the other. */
	for (i = 0; i < st->n; i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(st->laws[i].id, st->laws[j].id) == 0)
				diag_error(&mine, path, st->laws[i].line, st->laws[i].col,
					   "duplicate law id '%s' (first at line %d)",
					   st->laws[i].id, st->laws[j].line);
		}
		if (st->laws[i].superseded_by && !statutes_by_id(st, st->laws[i].superseded_by))
			diag_error(&mine, path, st->laws[i].line, st->laws[i].col,
				   "superseded_by: no law with id '%s'", st->laws[i].superseded_by);
	}
	for (i = 0; i < st->n; i++) {
		const char *ki =
			name_key(&st->pool, st->laws[i].name, strlen(st->laws[i].name), &klen);

		for (j = 0; j < i; j++) {
			for (k = 0; k <= st->laws[j].naliases; k++) {
				const char *nm =
					k == 0 ? st->laws[j].name : st->laws[j].aliases[k - 1];
				const char *kj = name_key(&st->pool, nm, strlen(nm), &klen2);

				if (klen == klen2 && memcmp(ki, kj, klen) == 0 &&
				    !st->laws[i].superseded_by && !st->laws[j].superseded_by)
					diag_error(&mine, path, st->laws[i].line, st->laws[i].col,
						   "law '%s' has the same name as '%s' (line %d); "
						   "mark "
						   "the older one superseded_by the newer",
						   st->laws[i].id, st->laws[j].id,
						   st->laws[j].line);
			}
		}
	}
	if (mine.errors)
		goto out;
	for (i = 0; i < st->n; i++)
		add_keys(st, &st->laws[i], &kcap);
	/* Current laws first, so a superseded namesake never shadows them. */
	for (k = 0; k < 2; k++) {
		for (i = 0; i < st->n; i++) {
			struct law *l = &st->laws[i];

			if (!!l->superseded_by != (int)k)
				continue;
			add_name(st, l->name, i, &ncap);
			for (j = 0; j < l->naliases; j++)
				add_name(st, l->aliases[j], i, &ncap);
			if (strcmp(l->jurisdiction, "CN") == 0 &&
			    strncmp(l->name, "中华人民共和国", 21) != 0)
				add_name(st, pool_printf(&st->pool, "中华人民共和国%s", l->name), i,
					 &ncap);
		}
	}
	lexset_build(&st->names);
	rc = 0;
out:
	if (mine.errors)
		rc = -1;
	diag_move(d, &mine);
	ydoc_deinit(&doc);
	free(dir);
	if (rc < 0) {
		statutes_deinit(st);
		statutes_init_empty(st);
		st->file = pool_strdup(&st->pool, path);
	}
	return rc;
}

const struct law *
statutes_version_of(const struct statutes *st, const struct law *l, const char *year)
{
	const struct law *best = NULL, *o;
	size_t i;

	if (year && strncmp(l->version, year, 4) == 0)
		return l;
	for (i = 0; i < st->n; i++) {
		o = &st->laws[i];
		if (o == l || strcmp(o->name, l->name) != 0)
			continue;
		if (year) {
			if (strncmp(o->version, year, 4) == 0)
				return o;
		} else if (o->superseded_by && (!best || strcmp(o->version, best->version) > 0)) {
			best = o;
		}
	}
	return best ? best : l;
}

const struct law *
statutes_by_id(const struct statutes *st, const char *id)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (st->laws[i].id && strcmp(st->laws[i].id, id) == 0)
			return &st->laws[i];
	return NULL;
}

const struct law *
statutes_find(const struct statutes *st, const char *name, size_t len)
{
	struct pool p;
	const struct law *best = NULL;
	const char *key;
	size_t klen, i;

	if (len > 256)
		return NULL;
	pool_init(&p, 1024);
	key = name_key(&p, name, len, &klen);
	for (i = 0; i < st->nkeys && klen; i++) {
		const struct law_key *k = &st->keys[i];

		if (k->len == klen && memcmp(k->key, key, klen) == 0 &&
		    (!best || (best->superseded_by && !k->law->superseded_by)))
			best = k->law;
	}
	pool_deinit(&p);
	return best;
}

/* --- statute texts --------------------------------------------------------- */

/* If the line at s (len bytes) opens an article ("第十条 …"), fills and returns 1. */
static int
article_header(const char *s, size_t len, int *article, int *sub)
{
	size_t i = 3, j;
	long a, b = 0;

	if (len < 9 || memcmp(s, "第", 3) != 0)
		return 0;
	j = i;
	while (j + 3 <= len && memcmp(s + j, "条", 3) != 0) {
		int32_t cp;
		int l = utf8_decode((const unsigned char *)s + j, len - j, &cp);

		if (!cnnum_is_char(cp))
			return 0;
		j += (size_t)l;
	}
	if (j + 3 > len || j == i)
		return 0;
	a = cnnum_parse(s + i, j - i);
	if (a <= 0)
		return 0;
	j += 3;
	if (j + 3 <= len && memcmp(s + j, "之", 3) == 0) {
		size_t k = j + 3;

		while (k < len) {
			int32_t cp;
			int l = utf8_decode((const unsigned char *)s + k, len - k, &cp);

			if (!cnnum_is_char(cp))
				break;
			k += (size_t)l;
		}
		b = cnnum_parse(s + j + 3, k - j - 3);
		if (b <= 0)
			return 0;
		j = k;
	}
	/* The header is followed by a space (ASCII or ideographic) or the end. */
	if (j < len && s[j] != ' ' && memcmp(s + j, "\xe3\x80\x80", 3) != 0)
		return 0;
	*article = (int)a;
	*sub = (int)b;
	return 1;
}

/* Whether the line is a heading that ends an article (# …, 第一章, 第二节 …). */
static int
heading(const char *s, size_t len)
{
	static const char *const units[] = {"章", "节", "编", "分编"};
	size_t j = 3, k;

	if (len && s[0] == '#')
		return 1;
	if (len < 9 || memcmp(s, "第", 3) != 0)
		return 0;
	while (j + 3 <= len) {
		int32_t cp;

		utf8_decode((const unsigned char *)s + j, len - j, &cp);
		if (!cnnum_is_char(cp))
			break;
		j += 3;
	}
	for (k = 0; k < ARRAY_SIZE(units); k++)
		if (j + strlen(units[k]) <= len && memcmp(s + j, units[k], strlen(units[k])) == 0)
			return 1;
	return 0;
}

#define MAX_TEXT_PROBLEMS 20

/* A deleted article keeps its number with a body like "（删去）" or "（本条删除）". */
static int
article_deleted(const struct law *l, const struct law_article_text *a)
{
	size_t n = a->end - a->start;
	const char *body = l->text + a->start;

	return n < 64 && (memmem(body, n, "删去", 6) || memmem(body, n, "删除", 6));
}

/* Reports one text problem, or counts it silently past the cap; returns 1. */
static int
text_problem(struct diag *d, const char *regfile, const struct law *l, int so_far, const char *fmt,
	     ...)
{
	char msg[512];
	va_list ap;

	if (so_far < MAX_TEXT_PROBLEMS) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		diag_error(d, regfile, l->line, l->col, "law '%s': %s", l->id, msg);
	}
	return 1;
}

/* Checks that a listed article is in the text and not deleted there. */
static int
check_listed(struct diag *d, const char *regfile, const struct law *l, int article, int sub,
	     int so_far)
{
	char name[64];
	size_t i;

	for (i = 0; i < l->narts; i++)
		if (l->arts[i].article == article && l->arts[i].sub == sub)
			break;
	law_article_name(l, article, sub, name, sizeof name);
	if (i == l->narts)
		return text_problem(d, regfile, l, so_far,
				    "'articles' lists %s, which its text lacks", name);
	if (article_deleted(l, &l->arts[i]))
		return text_problem(d, regfile, l, so_far,
				    "'articles' lists %s, which its text marks deleted", name);
	return 0;
}

static int
load_text(struct law *l, const char *regfile, struct diag *d)
{
	size_t pos = 0, le, cap = 0, i;
	int article, sub, rc, problems = 0;
	char name[64];

	struct buf all;

	buf_init(&all, STATUTE_TEXT_MAX);
	for (i = 0; i < l->ntext_paths; i++) {
		char *one;
		size_t n;

		rc = file_read(l->text_paths[i], STATUTE_TEXT_MAX, &one, &n);
		if (rc < 0) {
			diag_error(d, regfile, l->line, l->col, "law '%s': cannot read text %s: %s",
				   l->id, l->text_paths[i], strerror(-rc));
			buf_deinit(&all);
			return 1;
		}
		if (buf_append(&all, one, n) < 0 || buf_append(&all, "\n", 1) < 0) {
			free(one);
			diag_error(d, regfile, l->line, l->col, "law '%s': its text is too large",
				   l->id);
			buf_deinit(&all);
			return 1;
		}
		free(one);
	}
	l->text_len = all.len;
	l->text = buf_steal(&all);
	while (pos < l->text_len) {
		le = pos;
		while (le < l->text_len && l->text[le] != '\n')
			le++;
		if (article_header(l->text + pos, le - pos, &article, &sub)) {
			if (l->narts && l->arts[l->narts - 1].end == 0)
				l->arts[l->narts - 1].end = pos;
			if (l->narts == cap) {
				cap = cap ? cap * 2 : 64;
				l->arts = xrealloc(l->arts, cap * sizeof *l->arts);
			}
			l->arts[l->narts].article = article;
			l->arts[l->narts].sub = sub;
			l->arts[l->narts].start = pos;
			l->arts[l->narts].end = 0;
			l->narts++;
		} else if (heading(l->text + pos, le - pos) && l->narts &&
			   l->arts[l->narts - 1].end == 0) {
			l->arts[l->narts - 1].end = pos;
		}
		pos = le + 1;
	}
	if (l->narts && l->arts[l->narts - 1].end == 0)
		l->arts[l->narts - 1].end = l->text_len;
	/* Articles in the text that the registry lacks, and the reverse. */
	for (i = 0; i < l->narts; i++) {
		struct law_article_text *a = &l->arts[i];

		if (!article_deleted(l, a) && !law_has_article(l, a->article, a->sub)) {
			law_article_name(l, a->article, a->sub, name, sizeof name);
			problems += text_problem(d, regfile, l, problems,
						 "its text has %s, which 'articles' does not list",
						 name);
		}
	}
	for (i = 0; i < l->nranges; i++)
		for (article = l->ranges[i].from; article <= l->ranges[i].to; article++)
			problems += check_listed(d, regfile, l, article, 0, problems);
	for (i = 0; i < l->nsubs; i++)
		problems +=
			check_listed(d, regfile, l, l->subs[i].article, l->subs[i].sub, problems);
	if (problems > MAX_TEXT_PROBLEMS)
		diag_error(d, regfile, l->line, l->col, "law '%s': %d more problems with its text",
			   l->id, problems - MAX_TEXT_PROBLEMS);
	return problems;
}

int
statutes_load_texts(struct statutes *st, struct diag *d)
{
	size_t i;
	int problems = 0;

	for (i = 0; i < st->n; i++)
		if (st->laws[i].ntext_paths && !st->laws[i].text)
			problems += load_text(&st->laws[i], st->file, d);
	return problems;
}

const char *
law_article_body(const struct law *l, int article, int sub, size_t *len)
{
	size_t i;

	for (i = 0; i < l->narts; i++) {
		if (l->arts[i].article == article && l->arts[i].sub == sub) {
			*len = l->arts[i].end - l->arts[i].start;
			return l->text + l->arts[i].start;
		}
	}
	return NULL;
}
