/*
 * catalog.c - load and cross-check questions, rubrics and statutes.
 *
 * Each file is validated alone by its loader; what can only be checked
 * across files is checked here: that questions and rubrics pair up turn by
 * turn, that twins exist, that every law and article a rubric cites exists,
 * and (on request, for lint) that quotations match the statute text.
 */
#include "amconfig.h"

#include "catalog.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
catalog_load(struct catalog *c, const char *qdir, const char *rdir, const char *statutes_path,
	     struct diag *d)
{
	const struct question *q;
	const struct rubric *r;
	char *def = NULL;
	size_t i;
	int t, rc = 0;
	size_t errors_before = d->errors;

	memset(c, 0, sizeof *c);
	if (bank_load(&c->bank, qdir, d) < 0)
		rc = -1;
	if (rubric_set_load(&c->rubrics, rdir, d) < 0)
		rc = -1;
	if (!statutes_path) {
		def = path_join(rdir, "statutes.yaml");
		if (access(def, F_OK) == 0)
			statutes_path = def;
	}
	if (statutes_path) {
		c->statutes_path = pool_strdup(&c->bank.pool, statutes_path);
		if (statutes_load(&c->statutes, statutes_path, d) < 0)
			rc = -1;
	} else {
		statutes_init_empty(&c->statutes);
		diag_warn(d, rdir, 0, 0,
			  "no statutes.yaml here: citations cannot be checked and will be "
			  "reported as unknown_law");
	}
	free(def);

	/* A registry that failed to load would make every citation "unknown":
	 * say so once instead of once per rubric. */
	if (statutes_path && c->statutes.n == 0) {
		diag_error(
			d, statutes_path, 0, 0,
			"the statute registry did not load; rubrics were not checked against it");
		for (i = 0; i < c->rubrics.n; i++)
			rubric_bind(c->rubrics.r[i], &c->statutes, NULL);
	} else {
		for (i = 0; i < c->rubrics.n; i++)
			if (rubric_bind(c->rubrics.r[i], &c->statutes, d))
				rc = -1;
	}

	for (i = 0; i < c->bank.n; i++) {
		q = c->bank.q[i];
		r = rubric_set_find(&c->rubrics, q->id);
		if (q->twin) {
			const struct question *tw = bank_find(&c->bank, q->twin);

			if (!tw)
				diag_error(d, q->file, q->line, q->col, "twin: no question '%s'",
					   q->twin);
			else if (strcmp(tw->language, q->language) == 0)
				diag_error(d, q->file, q->line, q->col,
					   "twin '%s' is in the same language (%s)", q->twin,
					   q->language);
		}
		if (!r) {
			diag_error(
				d, q->file, q->line, q->col,
				"question '%s' has no rubric (expected a rubric with question: %s "
				"under %s)",
				q->id, q->id, rdir);
			continue;
		}
		for (t = 1; t <= (int)q->nturns; t++)
			if (!rubric_turn(r, t))
				diag_error(
					d, r->file, r->line, r->col,
					"turn %d of question '%s' has no rubric (add turns: %d:)",
					t, q->id, t);
		if (r->nturns && r->turns[r->nturns - 1].turn > (int)q->nturns)
			diag_error(d, r->file, r->turns[r->nturns - 1].line,
				   r->turns[r->nturns - 1].col,
				   "turn %d is past the question's last turn (%zu)",
				   r->turns[r->nturns - 1].turn, q->nturns);
	}
	for (i = 0; i < c->rubrics.n; i++) {
		r = c->rubrics.r[i];
		if (!bank_find(&c->bank, r->question))
			diag_error(d, r->file, r->line, r->col, "rubric for unknown question '%s'",
				   r->question);
	}
	if (d->errors > errors_before)
		rc = -1;
	return rc;
}

/* Folds and drops white space, for comparing a quote with the statute. */
static char *
squeeze(struct pool *p, const char *s, size_t n, size_t *out)
{
	size_t len, i, o = 0;
	char *f = text_fold(p, s, n, &len);

	for (i = 0; i < len; i++)
		if (f[i] != ' ' && f[i] != '\n' && f[i] != '\t' && f[i] != '\r')
			f[o++] = f[i];
	f[o] = '\0';
	*out = o;
	return f;
}

static int
check_item_quotes(const struct rubric *r, const struct rubric_turn *t, const struct rubric_item *it,
		  struct diag *d)
{
	const struct rubric_source *src = it->source.law ? &it->source : &t->source;
	struct pool p;
	const char *body;
	size_t blen, flen, qlen, i;
	char *fbody, *fq, name[64];
	int problems = 0;

	if (!it->nquotes)
		return 0;
	if (!src->law || !src->article) {
		diag_error(d, r->file, it->line, it->col,
			   "key point '%s' quotes the law but names no article to check the quote "
			   "against (add source:)",
			   it->id);
		return 1;
	}
	if (!src->law->ntext_paths) {
		diag_warn(d, r->file, it->line, it->col,
			  "key point '%s': %s has no text in the registry; its quotes are not "
			  "checked",
			  it->id, src->law->name);
		return 0;
	}
	law_article_name(src->law, src->article, src->sub, name, sizeof name);
	body = law_article_body(src->law, src->article, src->sub, &blen);
	if (!body) {
		diag_error(d, r->file, it->line, it->col,
			   "key point '%s': %s %s is not in its text", it->id, src->law->name,
			   name);
		return 1;
	}
	pool_init(&p, 0);
	fbody = squeeze(&p, body, blen, &flen);
	for (i = 0; i < it->nquotes; i++) {
		fq = squeeze(&p, it->quotes[i], strlen(it->quotes[i]), &qlen);
		if (!qlen || !memmem(fbody, flen, fq, qlen)) {
			diag_error(d, r->file, it->quote_line[i], it->quote_col[i],
				   "quote '%s' is not in the text of %s %s", it->quotes[i],
				   src->law->name, name);
			problems++;
		}
	}
	pool_deinit(&p);
	return problems;
}

int
catalog_check_sources(struct catalog *c, struct diag *d)
{
	const struct rubric *r;
	const struct rubric_turn *t;
	size_t i, j, k;
	int problems;

	problems = statutes_load_texts(&c->statutes, d);
	for (i = 0; i < c->rubrics.n; i++) {
		r = c->rubrics.r[i];
		for (j = 0; j < r->nturns; j++) {
			t = &r->turns[j];
			for (k = 0; k < t->nkeypoints; k++)
				problems += check_item_quotes(r, t, &t->keypoints[k], d);
			for (k = 0; k < t->nforbidden; k++)
				problems += check_item_quotes(r, t, &t->forbidden[k], d);
		}
	}
	return problems;
}

int
catalog_check_provenance(const struct catalog *c, struct diag *d)
{
	const struct rubric *r;
	const struct rubric_turn *t;
	const struct rubric_item *it;
	size_t i, j, k;
	int n = 0;

	for (i = 0; i < c->rubrics.n; i++) {
		r = c->rubrics.r[i];
		for (j = 0; j < r->nturns; j++) {
			t = &r->turns[j];
			for (k = 0; k < t->nkeypoints; k++) {
				it = &t->keypoints[k];
				if (it->source.law_name || it->source.none || t->source.law_name ||
				    t->source.none)
					continue;
				diag_warn(d, r->file, it->line, it->col,
					  "key point '%s' names no source (law and article); add "
					  "source: "
					  "or source: none",
					  it->id);
				n++;
			}
		}
	}
	return n;
}

int
catalog_suite(const struct catalog *c, const char *suite, const struct question ***out, size_t *n,
	      struct am_err *err)
{
	const struct question **qs = xcalloc(c->bank.n ? c->bank.n : 1, sizeof *qs);
	const struct question *q;
	size_t i, k = 0;
	const char *v;

	*out = NULL;
	*n = 0;
	if (!suite || !*suite || strcmp(suite, "all") == 0) {
		for (i = 0; i < c->bank.n; i++)
			qs[k++] = c->bank.q[i];
	} else if (strncmp(suite, "area:", 5) == 0 || strncmp(suite, "tag:", 4) == 0 ||
		   strncmp(suite, "lang:", 5) == 0) {
		v = strchr(suite, ':') + 1;
		for (i = 0; i < c->bank.n; i++) {
			q = c->bank.q[i];
			if ((suite[0] == 'a' && strcmp(q->area, v) == 0) ||
			    (suite[0] == 't' && question_has_tag(q, v)) ||
			    (suite[0] == 'l' && strcmp(q->language, v) == 0))
				qs[k++] = q;
		}
	} else {
		char *list = xstrdup(suite), *save = NULL, *id;

		for (id = strtok_r(list, ", ", &save); id; id = strtok_r(NULL, ", ", &save)) {
			q = bank_find(&c->bank, id);
			if (!q) {
				am_err_set(err, "suite: no question '%s' in the bank", id);
				free(list);
				free(qs);
				return -1;
			}
			for (i = 0; i < k && qs[i] != q; i++)
				;
			if (i == k)
				qs[k++] = q;
		}
		free(list);
	}
	if (!k) {
		free(qs);
		return am_err_set(err,
				  "suite '%s' has no question (use all, area:NAME, tag:NAME, "
				  "lang:zh|en or question ids)",
				  suite);
	}
	*out = qs;
	*n = k;
	return 0;
}

void
catalog_deinit(struct catalog *c)
{
	bank_deinit(&c->bank);
	rubric_set_deinit(&c->rubrics);
	statutes_deinit(&c->statutes);
	memset(c, 0, sizeof *c);
}
