/*
 * lexset.c - a sorted table of short strings with a prefix bitmap.
 *
 * Used for negation cues and for law names: both are scanned for at every
 * character of an answer, so the common case, no entry here, costs one bit
 * test.  Entries are sorted by their first two bytes and, among those, by
 * length, longest first, so the first entry that matches is the longest.
 */
#include "amconfig.h"

#include "lexset.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void
lexset_init(struct lexset *ls)
{
	memset(ls, 0, sizeof *ls);
}

void
lexset_deinit(struct lexset *ls)
{
	free(ls->e);
	memset(ls, 0, sizeof *ls);
}

void
lexset_add(struct lexset *ls, const char *w, size_t len, intptr_t value)
{
	struct lexset_entry *e;

	if (len < 2)
		return;
	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 64;
		ls->e = xrealloc(ls->e, ls->cap * sizeof *ls->e);
	}
	e = &ls->e[ls->n++];
	e->w = w;
	e->len = (uint32_t)len;
	e->key = lexset_key((const unsigned char *)w, len);
	e->bound_start = (uint8_t)text_is_wordchar(text_cp_at(w, len, 0));
	e->bound_end = (uint8_t)text_is_wordchar(text_cp_before(w, len));
	e->value = value;
	ls->built = 0;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct lexset_entry *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->len != y->len)
		return x->len > y->len ? -1 : 1;
	return 0;
}

void
lexset_build(struct lexset *ls)
{
	size_t i;
	uint16_t b;

	if (ls->n)
		qsort(ls->e, ls->n, sizeof *ls->e, cmp_entry);
	memset(ls->has_key, 0, sizeof ls->has_key);
	for (i = 0; i < ls->n; i++) {
		b = lexset_bit(ls->e[i].key);
		ls->has_key[b >> 3] |= (uint8_t)(1u << (b & 7));
	}
	ls->built = 1;
}

/* The first entry with this key. */
static size_t
first_with_key(const struct lexset *ls, uint32_t key)
{
	size_t lo = 0, hi = ls->n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (ls->e[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
lexset_each(const struct lexset *ls, const char *s, size_t len, size_t i,
	    int (*fn)(const struct lexset_entry *e, void *arg), void *arg)
{
	const struct lexset_entry *e;
	uint32_t key;
	size_t k;

	if (i + 1 >= len || !ls->n)
		return;
	key = lexset_key((const unsigned char *)s + i, len - i);
	for (k = first_with_key(ls, key); k < ls->n && ls->e[k].key == key; k++) {
		e = &ls->e[k];
		if (e->len <= len - i && memcmp(s + i, e->w, e->len) == 0 && fn(e, arg))
			return;
	}
}

const struct lexset_entry *
lexset_lookup(const struct lexset *ls, const char *s, size_t len, size_t i, uint32_t key)
{
	const struct lexset_entry *e;
	size_t lo;

	for (lo = first_with_key(ls, key); lo < ls->n && ls->e[lo].key == key; lo++) {
		e = &ls->e[lo];
		if (e->len > len - i || memcmp(s + i, e->w, e->len) != 0)
			continue;
		if (e->bound_start && text_is_wordchar(text_cp_before(s, i)))
			continue;
		if (e->bound_end && text_is_wordchar(text_cp_at(s, len, i + e->len)))
			continue;
		return e;
	}
	return NULL;
}
