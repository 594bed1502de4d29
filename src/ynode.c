/*
 * ynode.c - parse YAML with libyaml into a tree of located nodes.
 *
 * The loaders for questions, rubrics, statutes and amicus.yaml validate a
 * tree rather than events, so that they can report every problem of a file
 * in one pass and name its line and column.  The tree is built from
 * libyaml's event stream with an explicit stack, so a deeply nested hostile
 * file cannot overflow the C stack; depth, file size and node count are
 * capped, and aliases are refused outright (they are the "billion laughs"
 * amplifier and no file of ours needs them).
 */
#include "amconfig.h"

#include "ynode.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#define YDOC_MAX_BYTES (4u << 20)
#define YDOC_MAX_DEPTH 64
#define YDOC_MAX_NODES 200000

struct frame {
	struct ynode *node;
	struct ynode **items; /* growing; moved into the node on close */
	size_t n, cap;
};

static void
frame_push_item(struct frame *f, struct ynode *item)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->items = xrealloc(f->items, f->cap * sizeof *f->items);
	}
	f->items[f->n++] = item;
}

static struct ynode *
node_new(struct ydoc *doc, enum ynode_kind kind, yaml_mark_t mark)
{
	struct ynode *n = pool_alloc(&doc->pool, sizeof *n);

	n->kind = kind;
	n->file = doc->file;
	n->line = (int)mark.line + 1;
	n->col = (int)mark.column + 1;
	return n;
}

/*
 * Adds item to the innermost open collection.  For a mapping, a key that is
 * not a scalar, or one already present, is a problem.
 */
static int
attach(struct ydoc *doc, struct frame *top, struct ynode *item, struct diag *d)
{
	size_t i;

	if (!top) {
		doc->root = item;
		return 0;
	}
	if (top->node->kind == YNODE_MAP && top->n % 2 == 0) {
		if (item->kind != YNODE_SCALAR) {
			ynode_error(d, item, "a mapping key must be a plain value, not %s",
				    ynode_kind_name(item));
			return -1;
		}
		for (i = 0; i < top->n; i += 2) {
			if (strcmp(top->items[i]->str, item->str) == 0) {
				ynode_error(d, item, "duplicate key '%s' (first at line %d)",
					    item->str, top->items[i]->line);
				return -1;
			}
		}
	}
	frame_push_item(top, item);
	return 0;
}

static void
close_frame(struct ydoc *doc, struct frame *f)
{
	struct ynode *n = f->node;

	n->items = pool_array(&doc->pool, f->n ? f->n : 1, sizeof *n->items);
	if (f->n)
		memcpy(n->items, f->items, f->n * sizeof *n->items);
	n->n = n->kind == YNODE_MAP ? f->n / 2 : f->n;
	free(f->items);
	f->items = NULL;
}

int
ydoc_load_string(struct ydoc *doc, const char *name, const char *text, size_t len, struct diag *d)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct frame stack[YDOC_MAX_DEPTH];
	size_t depth = 0, nodes = 0, docs = 0, i;
	struct ynode *n;
	int rc = -1, done = 0;

	pool_init(&doc->pool, 0);
	doc->file = pool_strdup(&doc->pool, name);
	doc->root = NULL;
	doc->text = NULL;
	doc->len = 0;

	if (len > YDOC_MAX_BYTES) {
		diag_error(d, name, 0, 0, "file is larger than %u bytes", YDOC_MAX_BYTES);
		return -1;
	}
	if (!yaml_parser_initialize(&parser))
		abort();
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			const char *ctx = parser.context ? parser.context : NULL;
			yaml_mark_t m = parser.problem_mark;

			if (ctx)
				diag_error(d, name, (int)m.line + 1, (int)m.column + 1,
					   "YAML syntax: %s %s",
					   parser.problem ? parser.problem : "error", ctx);
			else
				diag_error(d, name, (int)m.line + 1, (int)m.column + 1,
					   "YAML syntax: %s",
					   parser.problem ? parser.problem : "error");
			goto out;
		}
		struct frame *top = depth ? &stack[depth - 1] : NULL;

		switch (ev.type) {
		case YAML_STREAM_END_EVENT: done = 1; break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				diag_error(d, name, (int)ev.start_mark.line + 1,
					   (int)ev.start_mark.column + 1,
					   "only one YAML document per file");
				yaml_event_delete(&ev);
				goto out;
			}
			break;
		case YAML_ALIAS_EVENT:
			diag_error(d, name, (int)ev.start_mark.line + 1,
				   (int)ev.start_mark.column + 1,
				   "aliases (*%s) are not supported; write the value out",
				   (const char *)ev.data.alias.anchor);
			yaml_event_delete(&ev);
			goto out;
		case YAML_SCALAR_EVENT:
			if (++nodes > YDOC_MAX_NODES)
				goto too_many;
			n = node_new(doc, YNODE_SCALAR, ev.start_mark);
			n->str = pool_strndup(&doc->pool, (const char *)ev.data.scalar.value,
					      ev.data.scalar.length);
			n->len = ev.data.scalar.length;
			n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			if (memchr(n->str, '\0', n->len)) {
				ynode_error(d, n, "value contains a NUL character");
				yaml_event_delete(&ev);
				goto out;
			}
			if (attach(doc, top, n, d) < 0) {
				yaml_event_delete(&ev);
				goto out;
			}
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++nodes > YDOC_MAX_NODES)
				goto too_many;
			if (depth == YDOC_MAX_DEPTH) {
				diag_error(d, name, (int)ev.start_mark.line + 1,
					   (int)ev.start_mark.column + 1,
					   "nested more than %d levels deep", YDOC_MAX_DEPTH);
				yaml_event_delete(&ev);
				goto out;
			}
			n = node_new(doc,
				     ev.type == YAML_SEQUENCE_START_EVENT ? YNODE_SEQ : YNODE_MAP,
				     ev.start_mark);
			if (attach(doc, top, n, d) < 0) {
				yaml_event_delete(&ev);
				goto out;
			}
			stack[depth].node = n;
			stack[depth].items = NULL;
			stack[depth].n = stack[depth].cap = 0;
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: close_frame(doc, &stack[--depth]); break;
		default: break;
		}
		yaml_event_delete(&ev);
		continue;
	too_many:
		diag_error(d, name, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
			   "more than %d values in one file", YDOC_MAX_NODES);
		yaml_event_delete(&ev);
		goto out;
	}
	rc = 0;
	doc->text = pool_strndup(&doc->pool, text, len);
	doc->len = len;
out:
	for (i = 0; i < depth; i++)
		free(stack[i].items);
	yaml_parser_delete(&parser);
	if (rc < 0)
		doc->root = NULL;
	return rc;
}

int
ydoc_load_file(struct ydoc *doc, const char *path, struct diag *d)
{
	char *text;
	size_t len;
	int rc;

	rc = file_read(path, YDOC_MAX_BYTES, &text, &len);
	if (rc < 0) {
		pool_init(&doc->pool, 0);
		doc->file = pool_strdup(&doc->pool, path);
		doc->root = NULL;
		if (rc == -EFBIG)
			diag_error(d, path, 0, 0, "file is larger than %u bytes", YDOC_MAX_BYTES);
		else
			diag_error(d, path, 0, 0, "cannot read: %s", strerror(-rc));
		return -1;
	}
	rc = ydoc_load_string(doc, path, text, len, d);
	free(text);
	return rc;
}

void
ydoc_deinit(struct ydoc *doc)
{
	pool_deinit(&doc->pool);
	doc->root = NULL;
}

const struct ynode *
ynode_get(const struct ynode *map, const char *key)
{
	size_t i;

	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (strcmp(map->items[2 * i]->str, key) == 0)
			return map->items[2 * i + 1];
	return NULL;
}

int
ynode_is_null(const struct ynode *n)
{
	if (!n)
		return 1;
	if (n->kind != YNODE_SCALAR || !n->plain)
		return 0;
	return n->len == 0 || strcmp(n->str, "~") == 0 || strcasecmp(n->str, "null") == 0;
}

const char *
ynode_kind_name(const struct ynode *n)
{
	if (!n)
		return "nothing";
	switch (n->kind) {
	case YNODE_SEQ: return "a list";
	case YNODE_MAP: return "a mapping";
	default: return ynode_is_null(n) ? "an empty value" : "a single value";
	}
}

static void
ynode_vadd(struct diag *d, enum diag_level level, const struct ynode *n, const char *fmt,
	   va_list ap)
{
	char msg[1536];

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (level == DIAG_ERROR)
		diag_error(d, n ? n->file : NULL, n ? n->line : 0, n ? n->col : 0, "%s", msg);
	else
		diag_warn(d, n ? n->file : NULL, n ? n->line : 0, n ? n->col : 0, "%s", msg);
}

void
ynode_error(struct diag *d, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ynode_vadd(d, DIAG_ERROR, n, fmt, ap);
	va_end(ap);
}

void
ynode_warn(struct diag *d, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ynode_vadd(d, DIAG_WARNING, n, fmt, ap);
	va_end(ap);
}

int
ynode_check_keys(const struct ynode *map, const struct ykey *keys, size_t nkeys, const char *what,
		 struct diag *d)
{
	const struct ynode *k;
	const char *best;
	int problems = 0, dist, bestd;
	size_t i, j;

	if (!map || map->kind != YNODE_MAP)
		return 0;
	for (i = 0; i < map->n; i++) {
		k = map->items[2 * i];
		for (j = 0; j < nkeys; j++)
			if (strcmp(k->str, keys[j].name) == 0)
				break;
		if (j < nkeys)
			continue;
		best = NULL;
		bestd = 3;
		for (j = 0; j < nkeys; j++) {
			dist = edit_distance(k->str, keys[j].name, 2);
			if (dist < bestd) {
				bestd = dist;
				best = keys[j].name;
			}
		}
		if (best)
			ynode_error(d, k, "unknown key '%s' in %s (did you mean '%s'?)", k->str,
				    what, best);
		else
			ynode_error(d, k, "unknown key '%s' in %s", k->str, what);
		problems++;
	}
	for (j = 0; j < nkeys; j++) {
		if (keys[j].required && !ynode_get(map, keys[j].name)) {
			ynode_error(d, map, "%s is missing the key '%s'", what, keys[j].name);
			problems++;
		}
	}
	return problems;
}

int
ynode_want_map(const struct ynode *n, const char *name, struct diag *d)
{
	if (n && n->kind == YNODE_MAP)
		return 0;
	ynode_error(d, n, "'%s' must be a mapping (key: value lines), not %s", name,
		    ynode_kind_name(n));
	return -1;
}

int
ynode_want_seq(const struct ynode *n, const char *name, struct diag *d)
{
	if (n && n->kind == YNODE_SEQ)
		return 0;
	ynode_error(d, n, "'%s' must be a list, not %s", name, ynode_kind_name(n));
	return -1;
}

int
ynode_string(const struct ynode *n, const char *name, struct diag *d, const char **out)
{
	if (!n || n->kind != YNODE_SCALAR || ynode_is_null(n)) {
		ynode_error(d, n, "'%s' must be text, not %s", name, ynode_kind_name(n));
		return -1;
	}
	*out = n->str;
	return 0;
}

int
ynode_int(const struct ynode *n, const char *name, long min, long max, struct diag *d, long *out)
{
	char *end;
	long v;

	if (!n || n->kind != YNODE_SCALAR || ynode_is_null(n)) {
		ynode_error(d, n, "'%s' must be a whole number, not %s", name, ynode_kind_name(n));
		return -1;
	}
	errno = 0;
	v = strtol(n->str, &end, 10);
	if (errno || end == n->str || *end) {
		ynode_error(d, n, "'%s' must be a whole number, not '%s'", name, n->str);
		return -1;
	}
	if (v < min || v > max) {
		ynode_error(d, n, "'%s' must be between %ld and %ld, not %ld", name, min, max, v);
		return -1;
	}
	*out = v;
	return 0;
}

int
ynode_double(const struct ynode *n, const char *name, double min, double max, struct diag *d,
	     double *out)
{
	char *end;
	double v;

	if (!n || n->kind != YNODE_SCALAR || ynode_is_null(n)) {
		ynode_error(d, n, "'%s' must be a number, not %s", name, ynode_kind_name(n));
		return -1;
	}
	errno = 0;
	v = strtod(n->str, &end);
	if (errno || end == n->str || *end || !isfinite(v) || !n->plain) {
		ynode_error(d, n, "'%s' must be a number, not '%s'", name, n->str);
		return -1;
	}
	if (v < min || v > max) {
		ynode_error(d, n, "'%s' must be between %g and %g, not %g", name, min, max, v);
		return -1;
	}
	*out = v;
	return 0;
}

int
ynode_bool(const struct ynode *n, const char *name, struct diag *d, int *out)
{
	static const char *yes[] = {"true", "yes", "on"}, *no[] = {"false", "no", "off"};
	size_t i;

	if (n && n->kind == YNODE_SCALAR) {
		for (i = 0; i < ARRAY_SIZE(yes); i++) {
			if (strcasecmp(n->str, yes[i]) == 0) {
				*out = 1;
				return 0;
			}
			if (strcasecmp(n->str, no[i]) == 0) {
				*out = 0;
				return 0;
			}
		}
	}
	ynode_error(d, n, "'%s' must be true or false, not %s", name,
		    n && n->kind == YNODE_SCALAR ? n->str : ynode_kind_name(n));
	return -1;
}
