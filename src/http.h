/*
 * http.h - a small HTTP/1.1 server on the libuv loop, parsing with llhttp.
 */
#ifndef AMICUS_HTTP_H
#define AMICUS_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "diag.h"

/** Limits; past them a request is refused with the right status. */
#define HTTP_MAX_TARGET 8192         /* request target: 414 */
#define HTTP_MAX_HEADERS_BYTES 32768 /* all header lines: 431 */
#define HTTP_MAX_HEADERS 100         /* header lines: 431 */
#define HTTP_MAX_BODY (1u << 20)     /* 413 */

struct http_conn;
struct http_server;

struct http_header {
	char *name; /* lower case */
	char *value;
};

/** A request, valid until its response is sent. */
struct http_request {
	struct http_conn *conn;
	const char *method; /* "GET", "POST", ... */
	char *target;       /* as sent: path and query */
	char *path;         /* percent-decoded path, no query; never holds a NUL */
	char *query;        /* the raw query ("" if none) */
	struct http_header headers[HTTP_MAX_HEADERS];
	size_t nheaders;
	char *body;
	size_t body_len;
	int keep_alive;
	int head; /* HEAD: send headers only */
};

/** Handles a request; must (now or later) answer it with http_respond*. */
typedef void (*http_handler_fn)(struct http_request *req, void *arg);

/**
 * Listens on host:port and calls fn for each request, one at a time per
 * connection, in order (pipelined requests wait for the previous
 * response).  Returns 0, or -1 with the reason in err.
 */
int http_server_start(struct http_server **sp, uv_loop_t *loop, const char *host, int port,
		      http_handler_fn fn, void *arg, struct am_err *err);
/** The port actually bound (useful with port 0). */
int http_server_port(const struct http_server *s);
/** Closes the listener and every connection; frees the server later. */
void http_server_stop(struct http_server **sp);

/** Counters for /metrics. */
struct http_stats {
	uint64_t requests, responses_2xx, responses_3xx, responses_4xx, responses_5xx;
	uint64_t connections_open, connections_total, rejected;
};
const struct http_stats *http_server_stats(const struct http_server *s);

/** The value of a header (name in lower case), or NULL. */
const char *http_header(const struct http_request *r, const char *name);
/**
 * The percent-decoded value of query parameter key, into buf (cap bytes);
 * NULL when absent or when it does not fit or holds a NUL.
 */
const char *http_query(const struct http_request *r, const char *key, char *buf, size_t cap);

/**
 * Sends the response: status, content type, body (copied), and extra header
 * lines (each ending in "\r\n", or NULL).  Ends the request.
 */
void http_respond(struct http_request *r, int status, const char *type, const char *body,
		  size_t len, const char *extra);
/** Sends json (stolen) with the status. */
void http_respond_json(struct http_request *r, int status, json_t *json);
/** Sends {"error": message} with the status. */
void http_respond_error(struct http_request *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * Starts a streamed response (server-sent events): headers now, then
 * http_stream_send for each piece.  The request stays open until
 * http_stream_end or until the client goes away, when on_gone(arg) is
 * called (and the stream must not be used after).  Returns 0, or -1 when
 * the connection is gone already (on_gone is then never called).
 */
int http_stream_begin(struct http_request *r, const char *type, void (*on_gone)(void *arg),
		      void *arg);
/**
 * Sends len bytes of the stream.  -1 when the client is gone or too slow:
 * the stream is over, and on_gone is not called for it.
 */
int http_stream_send(struct http_request *r, const char *data, size_t len);
/** Ends a stream. */
void http_stream_end(struct http_request *r);

#endif
