/*
 * question.c - load questions/ into a bank.
 *
 * Each file is validated whole: every problem is reported with its line and
 * column, and a file with any error is left out of the bank entirely, so a
 * run never asks half a question.  Strings live in the bank's pool.
 */
#include "amconfig.h"

#include "question.h"
#include "sha256.h"
#include "util.h"
#include "ynode.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct ykey question_keys[] = {
	{"id", 1},    {"area", 1}, {"jurisdiction", 1}, {"language", 1}, {"version_of_law", 0},
	{"turns", 1}, {"tags", 0}, {"title", 0},        {"system", 0},   {"twin", 0},
	{"notes", 0},
};
static const struct ykey turn_keys[] = {{"ask", 1}, {"reference", 0}, {"note", 0}};

/* A required short identifier: letters, digits, '-', '_', '.', ':'. */
static int
check_ident(const struct ynode *n, const char *what, struct diag *d)
{
	const char *s = n->str;

	for (; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.' ||
		      *s == ':')) {
			ynode_error(d, n,
				    "%s '%s' may hold only letters, digits, '-', '_', '.' and ':'",
				    what, n->str);
			return -1;
		}
	}
	return 0;
}

static const char *
copy_str(struct pool *p, const struct ynode *m, const char *key, struct diag *d, int *errors)
{
	const struct ynode *v = ynode_get(m, key);
	const char *s;

	if (!v)
		return NULL;
	if (ynode_string(v, key, d, &s) < 0) {
		(*errors)++;
		return NULL;
	}
	return pool_strdup(p, s);
}

struct question *
question_load(struct pool *p, const char *path, struct diag *d)
{
	struct ydoc doc;
	struct question *q = NULL;
	const struct ynode *root, *v;
	struct diag mine;
	int errors = 0;
	size_t i;

	diag_init(&mine);
	if (ydoc_load_file(&doc, path, &mine) < 0)
		goto out;
	root = doc.root;
	if (!root) {
		diag_error(&mine, path, 1, 1,
			   "file is empty; a question needs id, area, "
			   "jurisdiction, language and turns");
		goto out;
	}
	if (ynode_want_map(root, "question", &mine) < 0)
		goto out;
	ynode_check_keys(root, question_keys, ARRAY_SIZE(question_keys), "question", &mine);
	q = pool_alloc(p, sizeof *q);
	q->file = pool_strdup(p, path);
	q->text = pool_strndup(p, doc.text, doc.len);
	sha256_hex(doc.text, doc.len, q->hash);
	q->line = root->line;
	q->col = root->col;
	q->id = copy_str(p, root, "id", &mine, &errors);
	if (q->id && check_ident(ynode_get(root, "id"), "id", &mine) < 0)
		errors++;
	q->area = copy_str(p, root, "area", &mine, &errors);
	if (q->area && check_ident(ynode_get(root, "area"), "area", &mine) < 0)
		errors++;
	q->jurisdiction = copy_str(p, root, "jurisdiction", &mine, &errors);
	q->language = copy_str(p, root, "language", &mine, &errors);
	if (q->language && strcmp(q->language, "zh") != 0 && strcmp(q->language, "en") != 0)
		ynode_error(&mine, ynode_get(root, "language"),
			    "language must be 'zh' or 'en', not '%s'", q->language);
	q->version_of_law = copy_str(p, root, "version_of_law", &mine, &errors);
	q->title = copy_str(p, root, "title", &mine, &errors);
	q->system = copy_str(p, root, "system", &mine, &errors);
	q->twin = copy_str(p, root, "twin", &mine, &errors);
	if ((v = ynode_get(root, "tags"))) {
		if (ynode_want_seq(v, "tags", &mine) == 0) {
			q->tags = pool_array(p, v->n ? v->n : 1, sizeof *q->tags);
			for (i = 0; i < v->n; i++) {
				const char *t;

				if (ynode_string(v->items[i], "tags", &mine, &t) == 0)
					q->tags[q->ntags++] = pool_strdup(p, t);
			}
		}
	}
	if ((v = ynode_get(root, "turns")) && ynode_want_seq(v, "turns", &mine) == 0) {
		if (v->n == 0)
			ynode_error(&mine, v, "turns: a question needs at least one turn");
		if (v->n > 32)
			ynode_error(&mine, v, "turns: at most 32 turns, not %zu", v->n);
		q->turns = pool_array(p, v->n ? v->n : 1, sizeof *q->turns);
		for (i = 0; i < v->n && i < 32; i++) {
			const struct ynode *t = v->items[i];
			struct question_turn *qt = &q->turns[q->nturns];

			if (ynode_want_map(t, "turn", &mine) < 0)
				continue;
			ynode_check_keys(t, turn_keys, ARRAY_SIZE(turn_keys), "turn", &mine);
			qt->line = t->line;
			qt->col = t->col;
			qt->ask = copy_str(p, t, "ask", &mine, &errors);
			qt->reference = copy_str(p, t, "reference", &mine, &errors);
			if (qt->ask && !qt->ask[0])
				ynode_error(&mine, ynode_get(t, "ask"),
					    "ask: the question is empty");
			q->nturns++;
		}
	}
out:
	if (mine.errors)
		q = NULL;
	diag_move(d, &mine);
	ydoc_deinit(&doc);
	return q;
}

/* --- directory walk ----------------------------------------------------- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
walk(const char *dir, const char *skip, int depth, char ***files, size_t *n, size_t *cap)
{
	DIR *dp;
	struct dirent *de;
	struct stat st;
	char *path;
	size_t len;
	int rc = 0;

	if (depth > 8)
		return 0;
	dp = opendir(dir);
	if (!dp)
		return -errno;
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.')
			continue;
		if (skip && strcmp(de->d_name, skip) == 0)
			continue;
		path = path_join(dir, de->d_name);
		if (stat(path, &st) < 0) {
			free(path);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			walk(path, skip, depth + 1, files, n, cap);
			free(path);
			continue;
		}
		len = strlen(de->d_name);
		if (!S_ISREG(st.st_mode) ||
		    !((len > 5 && strcmp(de->d_name + len - 5, ".yaml") == 0) ||
		      (len > 4 && strcmp(de->d_name + len - 4, ".yml") == 0))) {
			free(path);
			continue;
		}
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*files = xrealloc(*files, *cap * sizeof **files);
		}
		(*files)[(*n)++] = path;
	}
	closedir(dp);
	return rc;
}

int
yaml_files(const char *dir, const char *skip, char ***out, size_t *n)
{
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = walk(dir, skip, 0, out, n, &cap);
	if (rc < 0) {
		yaml_files_free(*out, *n);
		*out = NULL;
		*n = 0;
		return rc;
	}
	if (*n)
		qsort(*out, *n, sizeof **out, cmp_str);
	return 0;
}

void
yaml_files_free(char **files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
}

static int
cmp_question(const void *a, const void *b)
{
	const struct question *x = *(const struct question *const *)a;
	const struct question *y = *(const struct question *const *)b;

	return strcmp(x->id, y->id);
}

int
bank_load(struct bank *b, const char *dir, struct diag *d)
{
	char **files;
	size_t nfiles, i, cap;
	struct question *q;
	int rc, bad = 0;

	memset(b, 0, sizeof *b);
	pool_init(&b->pool, 0);
	b->dir = pool_strdup(&b->pool, dir);
	rc = yaml_files(dir, NULL, &files, &nfiles);
	if (rc < 0) {
		diag_error(d, dir, 0, 0, "cannot read the questions directory: %s", strerror(-rc));
		return -1;
	}
	cap = nfiles ? nfiles : 1;
	b->q = pool_array(&b->pool, cap, sizeof *b->q);
	for (i = 0; i < nfiles; i++) {
		q = question_load(&b->pool, files[i], d);
		if (!q) {
			bad = 1;
			continue;
		}
		b->q[b->n++] = q;
	}
	yaml_files_free(files, nfiles);
	qsort(b->q, b->n, sizeof *b->q, cmp_question);
	for (i = 1; i < b->n; i++) {
		if (strcmp(b->q[i]->id, b->q[i - 1]->id) == 0) {
			diag_error(d, b->q[i]->file, b->q[i]->line, b->q[i]->col,
				   "duplicate question id '%s' (also in %s)", b->q[i]->id,
				   b->q[i - 1]->file);
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

void
bank_deinit(struct bank *b)
{
	pool_deinit(&b->pool);
	memset(b, 0, sizeof *b);
}

static int
cmp_id(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct question *const *)elem)->id);
}

const struct question *
bank_find(const struct bank *b, const char *id)
{
	struct question **q = b->n ? bsearch(id, b->q, b->n, sizeof *b->q, cmp_id) : NULL;

	return q ? *q : NULL;
}

int
question_has_tag(const struct question *q, const char *tag)
{
	size_t i;

	for (i = 0; i < q->ntags; i++)
		if (strcmp(q->tags[i], tag) == 0)
			return 1;
	return 0;
}
