/*
 * pool.c - region allocation.
 *
 * Loaded questions and rubrics, a YAML tree and the result of scoring one
 * answer are each a web of small objects that live and die together; a pool
 * makes their lifetime one call and spares the scorer's hot path a malloc
 * per evidence span.  Chunks grow: a request larger than a quarter of a
 * chunk gets a chunk of its own.
 */
#include "amconfig.h"

#include "pool.h"
#include "util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_ALIGN 16
#define POOL_DEFAULT_CHUNK 16384

struct pool_chunk {
	struct pool_chunk *next;
	size_t size; /* usable bytes after the header */
	size_t used;
	/* data follows, aligned */
};

struct pool_defer {
	struct pool_defer *next;
	void (*fn)(void *);
	void *arg;
};

#define CHUNK_HDR ((sizeof(struct pool_chunk) + POOL_ALIGN - 1) & ~(size_t)(POOL_ALIGN - 1))

void
pool_init(struct pool *p, size_t chunk_size)
{
	p->chunks = NULL;
	p->defers = NULL;
	p->chunk_size = chunk_size ? chunk_size : POOL_DEFAULT_CHUNK;
}

static void
run_defers(struct pool *p)
{
	struct pool_defer *d = p->defers, *next;

	/* The records live in the pool itself: call them all before freeing. */
	for (; d; d = next) {
		next = d->next;
		d->fn(d->arg);
	}
	p->defers = NULL;
}

void
pool_deinit(struct pool *p)
{
	struct pool_chunk *c, *next;

	run_defers(p);
	for (c = p->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	p->chunks = NULL;
}

void
pool_reset(struct pool *p)
{
	struct pool_chunk *c, *next, *keep = NULL;

	run_defers(p);
	for (c = p->chunks; c; c = next) {
		next = c->next;
		if (!next) {
			keep = c; /* the oldest chunk is an ordinary one */
			break;
		}
		free(c);
	}
	if (keep) {
		keep->used = 0;
		keep->next = NULL;
	}
	p->chunks = keep;
}

void *
pool_alloc(struct pool *p, size_t n)
{
	struct pool_chunk *c = p->chunks;
	size_t need = (n + POOL_ALIGN - 1) & ~(size_t)(POOL_ALIGN - 1);
	size_t size;
	char *mem;

	if (need < n)
		abort();
	if (!c || c->size - c->used < need) {
		if (need > p->chunk_size / 4) {
			/* A big request gets its own chunk, behind the current one. */
			c = xmalloc(CHUNK_HDR + need);
			c->size = need;
			c->used = 0;
			if (p->chunks) {
				c->next = p->chunks->next;
				p->chunks->next = c;
			} else {
				c->next = NULL;
				p->chunks = c;
			}
			c->used = need;
			mem = (char *)c + CHUNK_HDR;
			memset(mem, 0, need);
			return mem;
		}
		size = p->chunk_size;
		c = xmalloc(CHUNK_HDR + size);
		c->size = size;
		c->used = 0;
		c->next = p->chunks;
		p->chunks = c;
	}
	mem = (char *)c + CHUNK_HDR + c->used;
	c->used += need;
	memset(mem, 0, n);
	return mem;
}

void *
pool_array(struct pool *p, size_t n, size_t sz)
{
	if (sz && n > SIZE_MAX / sz)
		abort();
	return pool_alloc(p, n * sz);
}

char *
pool_strndup(struct pool *p, const char *s, size_t n)
{
	char *d = pool_alloc(p, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *
pool_strdup(struct pool *p, const char *s)
{
	return s ? pool_strndup(p, s, strlen(s)) : NULL;
}

char *
pool_printf(struct pool *p, const char *fmt, ...)
{
	va_list ap;
	char *d;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return pool_strdup(p, "");
	d = pool_alloc(p, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(d, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return d;
}

void *
pool_grow(struct pool *p, void *a, size_t n, size_t *cap, size_t sz)
{
	void *b;

	if (n < *cap)
		return a;
	b = pool_array(p, *cap ? *cap * 2 : 8, sz);
	if (*cap)
		memcpy(b, a, *cap * sz);
	*cap = *cap ? *cap * 2 : 8;
	return b;
}

void
pool_defer(struct pool *p, void (*fn)(void *), void *arg)
{
	struct pool_defer *d = pool_alloc(p, sizeof *d);

	d->fn = fn;
	d->arg = arg;
	d->next = p->defers;
	p->defers = d;
}
