/*
 * curlloop.h - libcurl's multi-socket interface driven by the libuv loop.
 */
#ifndef AMICUS_CURLLOOP_H
#define AMICUS_CURLLOOP_H

#include <curl/curl.h>
#include <uv.h>

struct curlloop;

/** Called on the loop when a transfer has finished (successfully or not). */
typedef void (*curlloop_done_fn)(CURL *easy, CURLcode result, void *arg);

/** Creates the multi handle and its timer on loop.  Returns 0 or -1. */
int curlloop_new(struct curlloop **cp, uv_loop_t *loop);

/**
 * Starts a transfer.  The easy handle stays the caller's: when it finishes,
 * it is removed from the multi handle and fn(easy, result, arg) is called;
 * the caller then cleans it up (or reuses it).  Returns 0, or -1 (fn is
 * then never called).
 */
int curlloop_add(struct curlloop *c, CURL *easy, curlloop_done_fn fn, void *arg);

/** Aborts a running transfer without calling its callback. */
void curlloop_remove(struct curlloop *c, CURL *easy);

/** Transfers running now. */
int curlloop_running(const struct curlloop *c);

/**
 * Aborts every transfer (without callbacks) and frees the curlloop once the
 * loop has closed its handles.  Sets *cp to NULL.
 */
void curlloop_close(struct curlloop **cp);

#endif
