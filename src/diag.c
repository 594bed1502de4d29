/*
 * diag.c - lists of problems with their places.
 *
 * Every message a loader produces names the file, line and column, so an
 * editor can jump to it; the list keeps the order problems were found in and
 * is capped, so a hostile file of a million bad keys cannot exhaust memory.
 */
#include "amconfig.h"

#include "diag.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void
diag_init(struct diag *d)
{
	memset(d, 0, sizeof *d);
}

void
diag_deinit(struct diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].message);
	}
	free(d->items);
	memset(d, 0, sizeof *d);
}

static void
diag_vadd(struct diag *d, enum diag_level level, const char *file, int line, int col,
	  const char *fmt, va_list ap)
{
	struct diag_item *it;
	size_t limit = d->limit ? d->limit : 1000;
	char msg[2048];

	if (level == DIAG_ERROR)
		d->errors++;
	else
		d->warnings++;
	if (d->n >= limit) {
		d->dropped++;
		return;
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = xrealloc(d->items, d->cap * sizeof *d->items);
	}
	vsnprintf(msg, sizeof msg, fmt, ap);
	it = &d->items[d->n++];
	it->level = level;
	it->file = file ? xstrdup(file) : NULL;
	it->line = line;
	it->col = col;
	it->message = xstrdup(msg);
}

void
diag_error(struct diag *d, const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, DIAG_ERROR, file, line, col, fmt, ap);
	va_end(ap);
}

void
diag_warn(struct diag *d, const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, DIAG_WARNING, file, line, col, fmt, ap);
	va_end(ap);
}

void
diag_print(const struct diag *d, FILE *fp)
{
	const struct diag_item *it;
	const char *kind;
	size_t i;

	for (i = 0; i < d->n; i++) {
		it = &d->items[i];
		kind = it->level == DIAG_ERROR ? "error" : "warning";
		if (it->file && it->line)
			fprintf(fp, "%s:%d:%d: %s: %s\n", it->file, it->line, it->col, kind,
				it->message);
		else if (it->file)
			fprintf(fp, "%s: %s: %s\n", it->file, kind, it->message);
		else
			fprintf(fp, "%s: %s\n", kind, it->message);
	}
	if (d->dropped)
		fprintf(fp, "... and %zu more problems not shown\n", d->dropped);
}

void
diag_move(struct diag *dst, struct diag *src)
{
	size_t i;
	size_t limit = dst->limit ? dst->limit : 1000;

	for (i = 0; i < src->n; i++) {
		if (dst->n >= limit) {
			dst->dropped++;
			free(src->items[i].file);
			free(src->items[i].message);
			continue;
		}
		if (dst->n == dst->cap) {
			dst->cap = dst->cap ? dst->cap * 2 : 16;
			dst->items = xrealloc(dst->items, dst->cap * sizeof *dst->items);
		}
		dst->items[dst->n++] = src->items[i];
	}
	dst->errors += src->errors;
	dst->warnings += src->warnings;
	dst->dropped += src->dropped;
	free(src->items);
	memset(src, 0, sizeof *src);
}

int
am_err_set(struct am_err *err, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return -1;
}
