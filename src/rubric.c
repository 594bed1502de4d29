/*
 * rubric.c - load and validate rubrics.
 *
 * A rubric is legal content written by a lawyer, so the loader is strict
 * about what would silently change a score (a points value that is not a
 * number, a forbidden claim with positive points, a regex that does not
 * compile or that matches empty text) and reports all of it at once with
 * file:line:column.  Match terms are compiled here, once, so scoring an
 * answer never parses a pattern.
 *
 * Turn numbers are the keys of `turns:` (1, 2, ...).  `quote:` terms are
 * matched like `any:` terms and are also kept apart, so `amicus lint` can
 * check that they appear verbatim in the article the item cites.
 */
#include "amconfig.h"

#include "rubric.h"
#include "sha256.h"
#include "question.h"
#include "util.h"
#include "ynode.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct ykey rubric_keys[] = {
	{"question", 1}, {"pass", 0},   {"turns", 1},    {"allow_latin", 0},
	{"version", 0},  {"author", 0}, {"reviewed", 0}, {"notes", 0},
};
static const struct ykey turn_keys[] = {
	{"source", 0},    {"keypoints", 0}, {"forbidden", 0},
	{"citations", 0}, {"pass", 0},      {"note", 0},
};
static const struct ykey keypoint_keys[] = {
	{"negation", 0}, {"id", 1},     {"points", 1}, {"any", 0},       {"all", 0},
	{"quote", 0},    {"source", 0}, {"note", 0},   {"criterion", 0},
};
static const struct ykey forbidden_keys[] = {
	{"negation", 0}, {"id", 1},     {"points", 1}, {"claim", 1}, {"any", 1},
	{"near", 0},     {"source", 0}, {"note", 0},   {"all", 0},   {"criterion", 0},
};
static const struct ykey citations_keys[] = {{"expect", 0}, {"allow", 0}};
static const struct ykey cite_keys[] = {{"law", 1}, {"article", 0}, {"note", 0}};
static const struct ykey source_keys[] = {{"law", 1}, {"article", 0}, {"version", 0}, {"note", 0}};

static char *
trim_dup(struct pool *p, const char *s, size_t n)
{
	while (n && (isspace((unsigned char)*s) || *s == ','))
		s++, n--;
	while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ','))
		n--;
	/* Drop book-title marks around a Chinese law name. */
	if (n >= 6 && memcmp(s, "《", 3) == 0) {
		const char *close = memmem(s, n, "》", 3);

		if (close) {
			n = (size_t)(close - s) - 3;
			s += 3;
		}
	}
	return pool_strndup(p, s, n);
}

/* Reads "106" or "106A" at t into out; returns the end, or NULL. */
static const char *
read_section(const char *t, struct rubric_source *out)
{
	const char *e = t;
	char art[16];

	while (isdigit((unsigned char)*e))
		e++;
	if (isupper((unsigned char)*e))
		e++;
	if (e == t || (size_t)(e - t) >= sizeof art)
		return NULL;
	memcpy(art, t, (size_t)(e - t));
	art[e - t] = '\0';
	return statute_parse_article(art, &out->article, &out->sub) == 0 ? e : NULL;
}

int
rubric_parse_source(struct pool *p, const char *s, struct rubric_source *out)
{
	const char *di, *t, *e;
	size_t n = strlen(s);
	char art[64];

	memset(out, 0, sizeof *out);
	if (strcasecmp(s, "none") == 0 || strcmp(s, "无") == 0) {
		out->none = 1;
		return 0;
	}
	/* 著作权法 第十条[第一款…] */
	for (di = strstr(s, "第"); di; di = strstr(di + 3, "第")) {
		t = strstr(di, "条");
		if (!t)
			break;
		e = t + 3;
		if (strncmp(e, "之", 3) == 0) {
			e += 3;
			while (*e && (unsigned char)*e >= 0x80 && strncmp(e, "第", 3) != 0 &&
			       strncmp(e, "款", 3) != 0)
				e += 3;
		}
		if ((size_t)(e - di) >= sizeof art)
			return -1;
		memcpy(art, di, (size_t)(e - di));
		art[e - di] = '\0';
		if (statute_parse_article(art, &out->article, &out->sub) == 0) {
			out->law_name = di > s ? trim_dup(p, s, (size_t)(di - s)) : NULL;
			if (out->law_name && !out->law_name[0])
				out->law_name = NULL;
			return 0;
		}
	}
	/* 17 U.S.C. § 106 */
	if ((di = strstr(s, "§"))) {
		t = di + 2;
		while (*t == ' ' || strncmp(t, "§", 2) == 0)
			t += *t == ' ' ? 1 : 2;
		if (!(e = read_section(t, out)))
			return -1;
		out->law_name = di > s ? trim_dup(p, s, (size_t)(di - s)) : NULL;
		return 0;
	}
	/* Article 10 of the Copyright Law / Copyright Law Article 10 */
	{
		static const char *const words[] = {"article ", "art. ", "section ", "sec. "};
		const char *hit = NULL;
		size_t i, wl = 0;

		for (i = 0; i < ARRAY_SIZE(words) && !hit; i++) {
			const char *q;

			for (q = s; *q; q++) {
				if (strncasecmp(q, words[i], strlen(words[i])) == 0) {
					hit = q;
					wl = strlen(words[i]);
					break;
				}
			}
		}
		if (hit) {
			if (!(e = read_section(hit + wl, out)))
				return -1;
			if (strncasecmp(e, " of the ", 8) == 0)
				out->law_name = trim_dup(p, e + 8, strlen(e + 8));
			else if (strncasecmp(e, " of ", 4) == 0)
				out->law_name = trim_dup(p, e + 4, strlen(e + 4));
			else if (hit > s)
				out->law_name = trim_dup(p, s, (size_t)(hit - s));
			return 0;
		}
	}
	/* A law alone. */
	out->law_name = trim_dup(p, s, n);
	return out->law_name[0] ? 0 : -1;
}

static void
load_source(struct pool *p, const struct ynode *v, struct rubric_source *src, struct diag *d)
{
	const struct ynode *a;

	memset(src, 0, sizeof *src);
	src->line = v->line;
	src->col = v->col;
	if (v->kind == YNODE_SCALAR && !ynode_is_null(v)) {
		if (rubric_parse_source(p, v->str, src) < 0)
			ynode_error(d, v,
				    "source: cannot read '%s' (write e.g. \"著作权法 第十条\", "
				    "\"17 U.S.C. "
				    "§ 106\" or none)",
				    v->str);
		src->line = v->line;
		src->col = v->col;
		return;
	}
	if (v->kind != YNODE_MAP) {
		ynode_error(d, v, "source must be text or a mapping with law and article, not %s",
			    ynode_kind_name(v));
		return;
	}
	ynode_check_keys(v, source_keys, ARRAY_SIZE(source_keys), "source", d);
	if ((a = ynode_get(v, "law")) && a->kind == YNODE_SCALAR)
		src->law_name = pool_strdup(p, a->str);
	if ((a = ynode_get(v, "version")) && a->kind == YNODE_SCALAR)
		src->version = pool_strdup(p, a->str);
	if ((a = ynode_get(v, "article"))) {
		if (a->kind != YNODE_SCALAR ||
		    statute_parse_article(a->str, &src->article, &src->sub) < 0)
			ynode_error(d, a,
				    "article: cannot read '%s' (write 10, 第十条, 120之一 or 106A)",
				    a->kind == YNODE_SCALAR ? a->str : ynode_kind_name(a));
	}
}

/* Reads a list of match terms (a single string is a list of one). */
static struct term *
load_terms(struct pool *p, const struct ynode *v, const char *key, size_t *n, struct diag *d,
	   const char ***raw, int **lines, int **cols)
{
	struct term *terms;
	const struct ynode *const *items;
	const struct ynode *one[1];
	size_t count, i;
	char err[512];
	size_t off;

	*n = 0;
	if (v->kind == YNODE_SCALAR && !ynode_is_null(v)) {
		one[0] = v;
		items = one;
		count = 1;
	} else if (v->kind == YNODE_SEQ) {
		items = (const struct ynode *const *)v->items;
		count = v->n;
	} else {
		ynode_error(d, v, "'%s' must be a list of terms, not %s", key, ynode_kind_name(v));
		return NULL;
	}
	if (count == 0) {
		ynode_error(d, v, "'%s' is an empty list", key);
		return NULL;
	}
	terms = pool_array(p, count, sizeof *terms);
	if (raw) {
		*raw = pool_array(p, count, sizeof **raw);
		*lines = pool_array(p, count, sizeof **lines);
		*cols = pool_array(p, count, sizeof **cols);
	}
	for (i = 0; i < count; i++) {
		const struct ynode *t = items[i];

		if (t->kind != YNODE_SCALAR || ynode_is_null(t)) {
			ynode_error(d, t, "'%s': each term must be text, not %s", key,
				    ynode_kind_name(t));
			continue;
		}
		if (term_compile(&terms[*n], p, t->str, err, sizeof err, &off) < 0) {
			if (off)
				ynode_error(d, t, "%s: %s (at character %zu of the term)", key, err,
					    off);
			else
				ynode_error(d, t, "%s: %s", key, err);
			continue;
		}
		if (raw) {
			(*raw)[*n] = terms[*n].src;
			(*lines)[*n] = t->line;
			(*cols)[*n] = t->col;
		}
		(*n)++;
	}
	return terms;
}

static int
load_item(struct pool *p, const struct ynode *m, struct rubric_item *it, int forbidden,
	  struct diag *d)
{
	const struct ynode *v;
	const char *id;
	double pts;
	size_t before = d->errors;

	memset(it, 0, sizeof *it);
	if (ynode_want_map(m, forbidden ? "forbidden claim" : "key point", d) < 0)
		return -1;
	it->line = m->line;
	it->col = m->col;
	if (forbidden)
		ynode_check_keys(m, forbidden_keys, ARRAY_SIZE(forbidden_keys), "forbidden claim",
				 d);
	else
		ynode_check_keys(m, keypoint_keys, ARRAY_SIZE(keypoint_keys), "key point", d);
	if ((v = ynode_get(m, "id")) && ynode_string(v, "id", d, &id) == 0)
		it->id = pool_strdup(p, id);
	if ((v = ynode_get(m, "points")) && ynode_double(v, "points", -1000, 1000, d, &pts) == 0) {
		if (forbidden && pts >= 0)
			ynode_error(
				d, v,
				"points of a forbidden claim must be negative (e.g. -5), not %g",
				pts);
		else if (!forbidden && pts <= 0)
			ynode_error(d, v,
				    "points of a key point must be positive, not %g (a false claim "
				    "belongs under forbidden:)",
				    pts);
		it->points = pts;
	}
	if ((v = ynode_get(m, "claim")) && v->kind == YNODE_SCALAR)
		it->claim = pool_strdup(p, v->str);
	if ((v = ynode_get(m, "criterion")) && v->kind == YNODE_SCALAR)
		it->criterion = pool_strdup(p, v->str);
	if ((v = ynode_get(m, "negation"))) {
		/* "ignore": a point stated as a denial (what is NOT protected). */
		if (v->kind == YNODE_SCALAR && strcmp(v->str, "ignore") == 0)
			it->negation_ignore = 1;
		else if (!(v->kind == YNODE_SCALAR && strcmp(v->str, "apply") == 0))
			ynode_error(d, v, "negation must be 'apply' (the default) or 'ignore'");
	}
	if ((v = ynode_get(m, "any")))
		it->any = load_terms(p, v, "any", &it->nany, d, NULL, NULL, NULL);
	if ((v = ynode_get(m, "all")))
		it->all = load_terms(p, v, "all", &it->nall, d, NULL, NULL, NULL);
	if ((v = ynode_get(m, "near")))
		it->near = load_terms(p, v, "near", &it->nnear, d, NULL, NULL, NULL);
	if ((v = ynode_get(m, "quote"))) {
		size_t nq;
		struct term *q = load_terms(p, v, "quote", &nq, d, &it->quotes, &it->quote_line,
					    &it->quote_col);

		it->nquotes = nq;
		if (q && nq) {
			/* Quotes count as `any` terms too. */
			struct term *merged = pool_array(p, it->nany + nq, sizeof *merged);

			if (it->nany)
				memcpy(merged, it->any, it->nany * sizeof *merged);
			memcpy(merged + it->nany, q, nq * sizeof *merged);
			it->any = merged;
			it->nany += nq;
		}
	}
	if (!forbidden && !ynode_get(m, "any") && !ynode_get(m, "all") && !ynode_get(m, "quote"))
		ynode_error(d, m, "key point '%s' needs match terms: any, all or quote",
			    it->id ? it->id : "?");
	if ((v = ynode_get(m, "source")))
		load_source(p, v, &it->source, d);
	return d->errors > before ? -1 : 0;
}

static void
load_cites(struct pool *p, const struct ynode *v, const char *key, struct rubric_cite **out,
	   size_t *n, struct diag *d)
{
	size_t i;

	*n = 0;
	if (ynode_want_seq(v, key, d) < 0)
		return;
	*out = pool_array(p, v->n ? v->n : 1, sizeof **out);
	for (i = 0; i < v->n; i++) {
		const struct ynode *c = v->items[i], *a;
		struct rubric_cite *rc = &(*out)[*n];

		if (ynode_want_map(c, "citation", d) < 0)
			continue;
		ynode_check_keys(c, cite_keys, ARRAY_SIZE(cite_keys), "citation", d);
		rc->line = c->line;
		rc->col = c->col;
		if ((a = ynode_get(c, "law")) && a->kind == YNODE_SCALAR && !ynode_is_null(a))
			rc->law_name = pool_strdup(p, a->str);
		if ((a = ynode_get(c, "article"))) {
			if (a->kind != YNODE_SCALAR ||
			    statute_parse_article(a->str, &rc->article, &rc->sub) < 0) {
				ynode_error(d, a,
					    "article: cannot read '%s' (write 10, 第十条, 120之一 "
					    "or 106A)",
					    a->kind == YNODE_SCALAR ? a->str : ynode_kind_name(a));
				continue;
			}
		}
		if (rc->law_name)
			(*n)++;
	}
}

static void
lexset_free(void *ls)
{
	lexset_deinit(ls);
}

/* Gives every term of a turn a slot and indexes the literal ones, so the
 * scorer finds all literal terms in one pass over an answer. */
static void
index_turn(struct pool *p, struct rubric_turn *t)
{
	struct rubric_item *it;
	struct term *lists[3];
	size_t counts[3], i, j, k, n = 0;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < t->nkeypoints + t->nforbidden; i++) {
			it = i < t->nkeypoints ? &t->keypoints[i]
					       : &t->forbidden[i - t->nkeypoints];
			lists[0] = it->any, counts[0] = it->nany;
			lists[1] = it->all, counts[1] = it->nall;
			lists[2] = it->near, counts[2] = it->nnear;
			for (j = 0; j < 3; j++) {
				size_t m;

				for (m = 0; m < counts[j]; m++) {
					struct term *term = &lists[j][m];

					if (k == 0) {
						n++;
						continue;
					}
					term->slot = (int)t->nterms;
					t->terms[t->nterms++] = term;
					if (term->lit)
						lexset_add(&t->literals, term->lit, term->litlen,
							   term->slot);
				}
			}
		}
		if (k == 0) {
			t->terms = pool_array(p, n ? n : 1, sizeof *t->terms);
			lexset_init(&t->literals);
		}
	}
	lexset_build(&t->literals);
	pool_defer(p, lexset_free, &t->literals);
}

static int
cmp_turn(const void *a, const void *b)
{
	const struct rubric_turn *x = a, *y = b;

	return x->turn - y->turn;
}

static void
load_items(struct pool *p, const struct ynode *v, const char *key, int forbidden,
	   struct rubric_item **out, size_t *n, struct diag *d)
{
	size_t i, j;

	*n = 0;
	if (ynode_want_seq(v, key, d) < 0)
		return;
	*out = pool_array(p, v->n ? v->n : 1, sizeof **out);
	for (i = 0; i < v->n; i++) {
		if (load_item(p, v->items[i], &(*out)[*n], forbidden, d) == 0)
			(*n)++;
	}
	for (i = 0; i < *n; i++)
		for (j = 0; j < i; j++)
			if ((*out)[i].id && (*out)[j].id && strcmp((*out)[i].id, (*out)[j].id) == 0)
				diag_error(d, v->file, (*out)[i].line, (*out)[i].col,
					   "duplicate %s id '%s' in this turn (first at line %d)",
					   forbidden ? "forbidden claim" : "key point",
					   (*out)[i].id, (*out)[j].line);
}

struct rubric *
rubric_load(struct pool *p, const char *path, struct diag *d)
{
	struct ydoc doc;
	struct rubric *r = NULL;
	const struct ynode *root, *v, *turns;
	struct diag mine;
	size_t i, j;
	long tn;

	diag_init(&mine);
	if (ydoc_load_file(&doc, path, &mine) < 0)
		goto out;
	root = doc.root;
	if (!root) {
		diag_error(&mine, path, 1, 1, "file is empty; a rubric needs question and turns");
		goto out;
	}
	if (ynode_want_map(root, "rubric", &mine) < 0)
		goto out;
	ynode_check_keys(root, rubric_keys, ARRAY_SIZE(rubric_keys), "rubric", &mine);
	r = pool_alloc(p, sizeof *r);
	r->file = pool_strdup(p, path);
	r->text = pool_strndup(p, doc.text, doc.len);
	sha256_hex(doc.text, doc.len, r->hash);
	r->line = root->line;
	r->col = root->col;
	r->pass = 0.8;
	if ((v = ynode_get(root, "question")) && v->kind == YNODE_SCALAR && !ynode_is_null(v))
		r->question = pool_strdup(p, v->str);
	else if (v)
		ynode_error(&mine, v, "'question' must be the question's id");
	if ((v = ynode_get(root, "pass")))
		ynode_double(v, "pass", 0, 1, &mine, &r->pass);
	if ((v = ynode_get(root, "version")) && v->kind == YNODE_SCALAR)
		r->version = pool_strdup(p, v->str);
	if ((v = ynode_get(root, "allow_latin")) && ynode_want_seq(v, "allow_latin", &mine) == 0) {
		r->allow_latin = pool_array(p, v->n ? v->n : 1, sizeof *r->allow_latin);
		for (i = 0; i < v->n; i++)
			if (v->items[i]->kind == YNODE_SCALAR)
				r->allow_latin[r->nallow_latin++] =
					pool_strdup(p, v->items[i]->str);
	}
	turns = ynode_get(root, "turns");
	if (turns && ynode_want_map(turns, "turns", &mine) == 0) {
		if (turns->n == 0)
			ynode_error(&mine, turns, "turns: the rubric has no turn");
		r->turns = pool_array(p, turns->n ? turns->n : 1, sizeof *r->turns);
		for (i = 0; i < turns->n; i++) {
			const struct ynode *k = turns->items[2 * i], *t = turns->items[2 * i + 1];
			struct rubric_turn *rt = &r->turns[r->nturns];
			const struct ynode *c;

			if (ynode_int(k, "turn number", 1, 32, &mine, &tn) < 0)
				continue;
			if (ynode_want_map(t, "turn", &mine) < 0)
				continue;
			ynode_check_keys(t, turn_keys, ARRAY_SIZE(turn_keys), "turn", &mine);
			rt->turn = (int)tn;
			rt->line = t->line;
			rt->col = t->col;
			rt->pass = -1;
			if ((v = ynode_get(t, "pass")))
				ynode_double(v, "pass", 0, 1, &mine, &rt->pass);
			if ((v = ynode_get(t, "source")))
				load_source(p, v, &rt->source, &mine);
			if ((v = ynode_get(t, "keypoints")))
				load_items(p, v, "keypoints", 0, &rt->keypoints, &rt->nkeypoints,
					   &mine);
			if ((v = ynode_get(t, "forbidden")))
				load_items(p, v, "forbidden", 1, &rt->forbidden, &rt->nforbidden,
					   &mine);
			if ((c = ynode_get(t, "citations")) &&
			    ynode_want_map(c, "citations", &mine) == 0) {
				ynode_check_keys(c, citations_keys, ARRAY_SIZE(citations_keys),
						 "citations", &mine);
				if ((v = ynode_get(c, "expect")))
					load_cites(p, v, "expect", &rt->expect, &rt->nexpect,
						   &mine);
				if ((v = ynode_get(c, "allow")))
					load_cites(p, v, "allow", &rt->allow, &rt->nallow, &mine);
			}
			if (!rt->nkeypoints && !rt->nforbidden && !ynode_get(t, "keypoints") &&
			    !ynode_get(t, "forbidden"))
				ynode_error(&mine, t,
					    "turn %ld has neither keypoints nor forbidden claims",
					    tn);
			for (j = 0; j < rt->nkeypoints; j++)
				rt->positive += rt->keypoints[j].points;
			r->nturns++;
		}
		qsort(r->turns, r->nturns, sizeof *r->turns, cmp_turn);
		for (i = 1; i < r->nturns; i++)
			if (r->turns[i].turn == r->turns[i - 1].turn)
				diag_error(&mine, path, r->turns[i].line, r->turns[i].col,
					   "turn %d appears twice", r->turns[i].turn);
		for (i = 0; i < r->nturns; i++) {
			if (r->turns[i].pass < 0)
				r->turns[i].pass = r->pass;
			index_turn(p, &r->turns[i]); /* after the sort: the index is not moved */
		}
	}
out:
	if (mine.errors)
		r = NULL;
	diag_move(d, &mine);
	ydoc_deinit(&doc);
	return r;
}

static int
cmp_rubric(const void *a, const void *b)
{
	const struct rubric *x = *(const struct rubric *const *)a;
	const struct rubric *y = *(const struct rubric *const *)b;

	return strcmp(x->question, y->question);
}

int
rubric_set_load(struct rubric_set *rs, const char *dir, struct diag *d)
{
	char **files;
	size_t nfiles, i;
	struct rubric *r;
	int rc, bad = 0;

	memset(rs, 0, sizeof *rs);
	pool_init(&rs->pool, 0);
	rs->dir = pool_strdup(&rs->pool, dir);
	rc = yaml_files(dir, "statutes", &files, &nfiles);
	if (rc < 0) {
		diag_error(d, dir, 0, 0, "cannot read the rubrics directory: %s", strerror(-rc));
		return -1;
	}
	rs->r = pool_array(&rs->pool, nfiles ? nfiles : 1, sizeof *rs->r);
	for (i = 0; i < nfiles; i++) {
		const char *base = strrchr(files[i], '/');

		base = base ? base + 1 : files[i];
		if (strcmp(base, "statutes.yaml") == 0 || strcmp(base, "statutes.yml") == 0)
			continue;
		r = rubric_load(&rs->pool, files[i], d);
		if (!r) {
			bad = 1;
			continue;
		}
		rs->r[rs->n++] = r;
	}
	yaml_files_free(files, nfiles);
	qsort(rs->r, rs->n, sizeof *rs->r, cmp_rubric);
	for (i = 1; i < rs->n; i++) {
		if (strcmp(rs->r[i]->question, rs->r[i - 1]->question) == 0) {
			diag_error(d, rs->r[i]->file, rs->r[i]->line, rs->r[i]->col,
				   "a second rubric for question '%s' (also %s)",
				   rs->r[i]->question, rs->r[i - 1]->file);
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

void
rubric_set_deinit(struct rubric_set *rs)
{
	pool_deinit(&rs->pool);
	memset(rs, 0, sizeof *rs);
}

static int
cmp_question_id(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct rubric *const *)elem)->question);
}

const struct rubric *
rubric_set_find(const struct rubric_set *rs, const char *question)
{
	struct rubric **r =
		rs->n ? bsearch(question, rs->r, rs->n, sizeof *rs->r, cmp_question_id) : NULL;

	return r ? *r : NULL;
}

const struct rubric_turn *
rubric_turn(const struct rubric *r, int n)
{
	size_t i;

	for (i = 0; i < r->nturns; i++)
		if (r->turns[i].turn == n)
			return &r->turns[i];
	return NULL;
}

/* Resolves one law reference; reports unknown laws and missing articles. */
static int
bind_one(const struct statutes *st, const char *file, const char *law_name, int article, int sub,
	 int line, int col, const struct law **out, const char *what, struct diag *d)
{
	char name[64];

	*out = NULL;
	if (!law_name)
		return 0;
	*out = statutes_find(st, law_name, strlen(law_name));
	if (!*out) {
		if (d)
			diag_error(d, file, line, col,
				   "%s names the law '%s', which is not in the statute registry",
				   what, law_name);
		return 1;
	}
	if (article && !law_has_article(*out, article, sub)) {
		law_article_name(*out, article, sub, name, sizeof name);
		if (d)
			diag_error(d, file, line, col,
				   "%s cites %s %s, which does not exist (%s has %s)", what,
				   (*out)->name, name, (*out)->name, (*out)->articles_spec);
		return 1;
	}
	return 0;
}

int
rubric_bind(struct rubric *r, const struct statutes *st, struct diag *d)
{
	struct rubric_turn *t;
	struct rubric_item *it;
	size_t i, j;
	int problems = 0;

	for (i = 0; i < r->nturns; i++) {
		t = &r->turns[i];
		problems +=
			bind_one(st, r->file, t->source.law_name, t->source.article, t->source.sub,
				 t->source.line, t->source.col, &t->source.law, "source", d);
		for (j = 0; j < t->nkeypoints + t->nforbidden; j++) {
			it = j < t->nkeypoints ? &t->keypoints[j]
					       : &t->forbidden[j - t->nkeypoints];
			/* A source without a law inherits the turn's law. */
			if (!it->source.law_name && it->source.article && t->source.law_name)
				it->source.law_name = t->source.law_name;
			problems += bind_one(st, r->file, it->source.law_name, it->source.article,
					     it->source.sub, it->source.line, it->source.col,
					     &it->source.law, "source", d);
		}
		for (j = 0; j < t->nexpect; j++)
			problems +=
				bind_one(st, r->file, t->expect[j].law_name, t->expect[j].article,
					 t->expect[j].sub, t->expect[j].line, t->expect[j].col,
					 &t->expect[j].law, "citations.expect", d);
		for (j = 0; j < t->nallow; j++)
			problems += bind_one(st, r->file, t->allow[j].law_name, t->allow[j].article,
					     t->allow[j].sub, t->allow[j].line, t->allow[j].col,
					     &t->allow[j].law, "citations.allow", d);
	}
	return problems;
}
