/*
 * pool.h - a region allocator: many small allocations, one free.
 */
#ifndef AMICUS_POOL_H
#define AMICUS_POOL_H

#include <stddef.h>

struct pool_chunk;
struct pool_defer;

/**
 * A pool hands out memory from large chunks and frees it all at once in
 * pool_deinit.  Objects that own memory outside the pool (a compiled regex)
 * register a destructor with pool_defer.  Allocation failure aborts.
 */
struct pool {
	struct pool_chunk *chunks; /* newest first */
	struct pool_defer *defers; /* run newest first by pool_deinit */
	size_t chunk_size;         /* size of an ordinary chunk */
};

/** Initializes an empty pool whose chunks are chunk_size bytes (0 = default). */
void pool_init(struct pool *p, size_t chunk_size);
/** Runs the registered destructors and frees every chunk. */
void pool_deinit(struct pool *p);
/** Frees everything and leaves the pool empty but usable; keeps the first chunk. */
void pool_reset(struct pool *p);
/** Returns n bytes aligned for any type; zeroed.  Lives until pool_deinit. */
void *pool_alloc(struct pool *p, size_t n);
/** Returns an array of n elements of size sz, zeroed; aborts on overflow. */
void *pool_array(struct pool *p, size_t n, size_t sz);
/** Copies s into the pool. */
char *pool_strdup(struct pool *p, const char *s);
/** Copies n bytes of s into the pool and adds a NUL. */
char *pool_strndup(struct pool *p, const char *s, size_t n);
/** Formats into the pool like printf. */
char *pool_printf(struct pool *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/**
 * Makes room for element n of an array a (element size sz, capacity *cap)
 * that lives in p: returns a, or a copy twice as large (the old one is
 * abandoned to the pool) with *cap updated.
 */
void *pool_grow(struct pool *p, void *a, size_t n, size_t *cap, size_t sz);
/** Calls fn(arg) when the pool is freed or reset. */
void pool_defer(struct pool *p, void (*fn)(void *), void *arg);

#endif
