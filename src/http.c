/*
 * http.c - HTTP/1.1 for the API and the dashboard.
 *
 * One uv_tcp_t per connection; bytes go straight into llhttp, whose
 * callbacks assemble the request under hard caps (target 8 KiB, headers
 * 32 KiB and 100 lines, body 1 MiB), answering 414, 431 or 413 when a
 * client goes past them and 400 for anything llhttp refuses (which includes
 * Content-Length with Transfer-Encoding and a repeated Content-Length: the
 * request-smuggling shapes).  When a request is complete the parser is
 * paused and the handler called; bytes of a pipelined next request wait
 * until the response is on its way, so responses go out in order.
 *
 * Timeouts keep slow clients from holding anything: the headers of a
 * request must arrive within HEADER_MS (else 408 and close), its body
 * within BODY_MS, and an idle keep-alive connection is closed after
 * IDLE_MS.  Each connection has its own timer, so one slow client never
 * stalls another.  Connections past MAX_CONNS are closed at once.
 *
 * State of a connection:
 *
 *   reading --message complete--> handling --respond--> reading (keep-alive)
 *      |                              |                  \--> closing
 *      +--limit/error--> closing      +--stream begin--> streaming --end/gone--> closing
 *
 * Invariant: a connection's memory is freed only in its close callback;
 * the request's strings live until its response has been written.
 */
#include "amconfig.h"

#include "http.h"
#include "log.h"
#include "util.h"

#include <ctype.h>
#include <llhttp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HEADER_MS 10000
#define BODY_MS 30000
#define IDLE_MS 30000
#define MAX_CONNS 8192
#define STREAM_QUEUE_MAX (1u << 20)

struct http_server {
	uv_tcp_t tcp; /* first: tcp.data = this */
	uv_loop_t *loop;
	http_handler_fn fn;
	void *arg;
	struct http_conn *conns;
	int port;
	int stopping;
	struct http_stats stats;
};

struct http_conn {
	uv_tcp_t tcp; /* first: tcp.data = this */
	struct http_server *srv;
	struct http_conn *next, *prev;
	llhttp_t parser;
	uv_timer_t timer; /* header, body and idle timeouts */
	int handles;      /* open handles: tcp and timer */
	struct http_request req;
	struct buf target, field, value, body;
	size_t header_bytes;
	int error_status;      /* a limit broken: answer this and close */
	const char *exec_base; /* the buffer llhttp_execute is reading ... */
	char exec_last;        /* ... and the last byte of the one before */
	int handling;          /* a request waits for its response */
	int in_dispatch;       /* inside the handler, called from drive() */
	int streaming;
	int closing;
	struct buf pending; /* input that arrived while handling */
	void (*on_gone)(void *);
	void *gone_arg;
};

static llhttp_settings_t settings;

/* --- connection life ---------------------------------------------------- */

static void
reset_request(struct http_conn *c)
{
	size_t i;

	for (i = 0; i < c->req.nheaders; i++) {
		free(c->req.headers[i].name);
		free(c->req.headers[i].value);
	}
	free(c->req.target);
	free(c->req.path);
	free(c->req.query);
	free(c->req.body);
	memset(&c->req, 0, sizeof c->req);
	c->req.conn = c;
	c->target.len = c->field.len = c->value.len = c->body.len = 0;
	c->header_bytes = 0;
	c->error_status = 0;
}

static void
conn_free(struct http_conn *c)
{
	reset_request(c);
	buf_deinit(&c->target);
	buf_deinit(&c->field);
	buf_deinit(&c->value);
	buf_deinit(&c->body);
	buf_deinit(&c->pending);
	free(c);
}

static void
on_handle_closed(uv_handle_t *h)
{
	struct http_conn *c = h->data;

	if (--c->handles > 0)
		return;
	/* A handler still holds the request (it answers later): the memory
	 * stays until it does, see http_respond. */
	if (c->handling && !c->streaming)
		return;
	conn_free(c);
}

static void
conn_close(struct http_conn *c)
{
	struct http_server *s = c->srv;

	if (c->closing)
		return;
	c->closing = 1;
	if (c->streaming && c->on_gone) {
		void (*gone)(void *) = c->on_gone;

		c->on_gone = NULL;
		gone(c->gone_arg);
	}
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->stats.connections_open--;
	uv_timer_stop(&c->timer);
	uv_close((uv_handle_t *)&c->timer, on_handle_closed);
	uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
}

static void
on_timeout(uv_timer_t *t)
{
	struct http_conn *c = t->data;

	if (c->handling || c->streaming)
		return; /* the handler has the request; it answers in time */
	if (c->target.len || c->req.method) {
		/* Part of a request and then nothing: a slow or stuck client. */
		http_respond(&c->req, 408, "application/json", "{\"error\":\"request timeout\"}\n",
			     27, NULL);
		return;
	}
	conn_close(c); /* idle */
}

/* --- writing ------------------------------------------------------------ */

struct wreq {
	uv_write_t w;
	int close_after;
	char data[];
};

static void
on_written(uv_write_t *w, int status)
{
	struct wreq *wr = (struct wreq *)w;
	struct http_conn *c = w->handle->data;

	if ((status < 0 || wr->close_after) && !c->closing)
		conn_close(c);
	free(wr);
}

static int
send_bytes(struct http_conn *c, const char *p, size_t n, int close_after)
{
	struct wreq *wr;
	uv_buf_t b;

	if (c->closing)
		return -1;
	wr = xmalloc(sizeof *wr + n);
	memcpy(wr->data, p, n);
	wr->close_after = close_after;
	b = uv_buf_init(wr->data, (unsigned)n);
	if (uv_write(&wr->w, (uv_stream_t *)&c->tcp, &b, 1, on_written) < 0) {
		free(wr);
		conn_close(c);
		return -1;
	}
	return 0;
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	default: return "Status";
	}
}

static void resume(struct http_conn *c);

static void
count_status(struct http_server *s, int status)
{
	if (status < 300)
		s->stats.responses_2xx++;
	else if (status < 400)
		s->stats.responses_3xx++;
	else if (status < 500)
		s->stats.responses_4xx++;
	else
		s->stats.responses_5xx++;
}

void
http_respond(struct http_request *r, int status, const char *type, const char *body, size_t len,
	     const char *extra)
{
	struct http_conn *c = r->conn;
	struct buf b;
	int keep = r->keep_alive && !c->error_status && status != 408 && !c->srv->stopping;

	if (c->closing) {
		/* The client went away while we worked: nothing to send. */
		if (c->handling) {
			c->handling = 0;
			if (c->handles == 0)
				conn_free(c);
		}
		return;
	}
	if (!c->handling && !c->error_status && status != 408)
		return; /* answered already */
	count_status(c->srv, status);
	buf_init(&b, 0);
	buf_printf(&b, "HTTP/1.1 %d %s\r\n", status, reason(status));
	if (status != 304) /* Not Modified: no body, so no length or type of one */
		buf_printf(&b, "Content-Type: %s\r\nContent-Length: %zu\r\n",
			   type ? type : "text/plain; charset=utf-8", len);
	buf_printf(&b, "Connection: %s\r\nX-Content-Type-Options: nosniff\r\n%s\r\n",
		   keep ? "keep-alive" : "close", extra ? extra : "");
	if (!r->head && len)
		buf_append(&b, body, len);
	send_bytes(c, b.data, b.len, !keep);
	buf_deinit(&b);
	c->handling = 0;
	if (keep) {
		reset_request(c);
		uv_timer_start(&c->timer, on_timeout, IDLE_MS, 0);
		resume(c);
	}
}

void
http_respond_json(struct http_request *r, int status, json_t *json)
{
	char *s = json_dumps(json, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_SORT_KEYS);
	size_t n = s ? strlen(s) : 0;

	json_decref(json);
	if (!s) {
		http_respond(r, 500, "application/json", "{\"error\":\"cannot encode\"}\n", 26,
			     "Cache-Control: no-store\r\n");
		return;
	}
	s = xrealloc(s, n + 2);
	s[n++] = '\n';
	http_respond(r, status, "application/json", s, n, "Cache-Control: no-store\r\n");
	free(s);
}

void
http_respond_error(struct http_request *r, int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	http_respond_json(r, status, json_pack("{s:s, s:i}", "error", msg, "status", status));
}

int
http_stream_begin(struct http_request *r, const char *type, void (*on_gone)(void *), void *arg)
{
	struct http_conn *c = r->conn;
	char head[512];
	int n;

	n = snprintf(head, sizeof head,
		     "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nCache-Control: no-store\r\n"
		     "Connection: close\r\nX-Accel-Buffering: no\r\n"
		     "X-Content-Type-Options: nosniff\r\n\r\n",
		     type);
	count_status(c->srv, 200);
	c->streaming = 1;
	uv_timer_stop(&c->timer);
	if (send_bytes(c, head, (size_t)n, 0) < 0)
		return -1; /* on_gone is never called then */
	c->on_gone = on_gone;
	c->gone_arg = arg;
	return 0;
}

int
http_stream_send(struct http_request *r, const char *data, size_t len)
{
	struct http_conn *c = r->conn;
	void (*gone)(void *);

	if (c->closing)
		return -1;
	if (uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp) > STREAM_QUEUE_MAX) {
		/* The client does not read: drop it rather than buffer forever. */
		c->on_gone = NULL;
		conn_close(c);
		return -1;
	}
	/* A failed write closes the connection; the caller learns it from -1,
	 * not from on_gone in the middle of its own call. */
	gone = c->on_gone;
	c->on_gone = NULL;
	if (send_bytes(c, data, len, 0) < 0)
		return -1;
	c->on_gone = gone;
	return 0;
}

void
http_stream_end(struct http_request *r)
{
	struct http_conn *c = r->conn;

	c->on_gone = NULL;
	c->streaming = 0;
	c->handling = 0;
	send_bytes(c, "", 0, 1);
}

/* --- reading ------------------------------------------------------------- */

static int
on_message_begin(llhttp_t *p)
{
	struct http_conn *c = p->data;

	reset_request(c);
	uv_timer_start(&c->timer, on_timeout, HEADER_MS, 0);
	c->srv->stats.requests++;
	return 0;
}

static int
on_url(llhttp_t *p, const char *at, size_t n)
{
	struct http_conn *c = p->data;

	if (buf_append(&c->target, at, n) < 0) {
		c->error_status = 414;
		return HPE_USER;
	}
	return 0;
}

static int
header_bytes(struct http_conn *c, size_t n)
{
	c->header_bytes += n;
	if (c->header_bytes > HTTP_MAX_HEADERS_BYTES) {
		c->error_status = 431;
		return HPE_USER;
	}
	return 0;
}

/* Whether [s, s+n) is an HTTP token (RFC 9110 5.6.2). */
static int
is_token(const char *s, size_t n)
{
	static const char extra[] = "!#$%&'*+-.^_`|~";
	size_t i;

	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !memchr(extra, s[i], sizeof extra - 1))
			return 0;
	return 1;
}

static int
on_header_field(llhttp_t *p, const char *at, size_t n)
{
	struct http_conn *c = p->data;

	if (header_bytes(c, n) || buf_append(&c->field, at, n) < 0)
		return HPE_USER;
	return 0;
}

static int
on_header_value(llhttp_t *p, const char *at, size_t n)
{
	struct http_conn *c = p->data;
	char before = at > c->exec_base ? at[-1] : c->exec_last;

	/* llhttp passes a value folded onto the next line (obs-fold) on as a
	 * piece that starts right after a line break: refuse it. */
	if (before == '\n') {
		c->error_status = 400;
		return HPE_USER;
	}
	if (header_bytes(c, n) || buf_append(&c->value, at, n) < 0)
		return HPE_USER;
	return 0;
}

static int
on_header_value_complete(llhttp_t *p)
{
	struct http_conn *c = p->data;
	struct http_header *h;
	size_t i;

	if (c->req.nheaders == HTTP_MAX_HEADERS) {
		c->error_status = 431;
		return HPE_USER;
	}
	/* A name must be a token, and a value must not be folded over lines
	 * (RFC 9112 5.2): what a proxy in front might read differently. */
	if (!c->field.len || !is_token(c->field.data, c->field.len) ||
	    memchr(c->value.data ? c->value.data : "", '\r', c->value.len) ||
	    memchr(c->value.data ? c->value.data : "", '\n', c->value.len)) {
		c->error_status = 400;
		return HPE_USER;
	}
	h = &c->req.headers[c->req.nheaders++];
	h->name = xstrndup(c->field.data ? c->field.data : "", c->field.len);
	for (i = 0; h->name[i]; i++)
		h->name[i] = (char)tolower((unsigned char)h->name[i]);
	h->value = xstrndup(c->value.data ? c->value.data : "", c->value.len);
	c->field.len = c->value.len = 0;
	return 0;
}

static int
on_headers_complete(llhttp_t *p)
{
	struct http_conn *c = p->data;
	const char *cl = http_header(&c->req, "content-length");

	if (cl && strtoull(cl, NULL, 10) > HTTP_MAX_BODY) {
		c->error_status = 413;
		return HPE_USER;
	}
	uv_timer_start(&c->timer, on_timeout, BODY_MS, 0);
	return 0;
}

static int
on_body(llhttp_t *p, const char *at, size_t n)
{
	struct http_conn *c = p->data;

	if (buf_append(&c->body, at, n) < 0) {
		c->error_status = 413;
		return HPE_USER;
	}
	return 0;
}

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Percent-decodes n bytes of s; NULL when malformed or when it holds a NUL. */
static char *
pct_decode(const char *s, size_t n, int plus_is_space)
{
	char *out = xmalloc(n + 1);
	size_t i, o = 0;
	int h, l;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (n - i < 3 || (h = hexval((unsigned char)s[i + 1])) < 0 ||
			    (l = hexval((unsigned char)s[i + 2])) < 0)
				goto bad;
			out[o] = (char)(h * 16 + l);
			if (!out[o])
				goto bad;
			o++;
			i += 2;
		} else if (s[i] == '+' && plus_is_space) {
			out[o++] = ' ';
		} else if (!s[i]) {
			goto bad;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

static int
on_message_complete(llhttp_t *p)
{
	struct http_conn *c = p->data;
	struct http_request *r = &c->req;
	const char *q, *t;
	size_t tl;

	r->method = llhttp_method_name((llhttp_method_t)llhttp_get_method(p));
	r->head = strcmp(r->method, "HEAD") == 0;
	r->keep_alive = llhttp_should_keep_alive(p);
	r->target = xstrndup(c->target.data ? c->target.data : "", c->target.len);
	r->body_len = c->body.len;
	r->body = xstrndup(c->body.data ? c->body.data : "", c->body.len);
	t = r->target;
	tl = strlen(t);
	if (tl != c->target.len) {
		c->error_status = 400; /* a NUL in the target */
		return HPE_USER;
	}
	q = strchr(t, '?');
	r->query = xstrdup(q ? q + 1 : "");
	r->path = pct_decode(t, q ? (size_t)(q - t) : tl, 0);
	if (!r->path || r->path[0] != '/') {
		c->error_status = 400;
		return HPE_USER;
	}
	c->handling = 1;
	uv_timer_stop(&c->timer);
	return HPE_PAUSED;
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b);
static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b);

/* Answers a request the parser refused, or one past a limit, and closes. */
static void
refuse(struct http_conn *c)
{
	char msg[256];

	if (!c->error_status)
		c->error_status = 400;
	c->handling = 1;
	c->req.keep_alive = 0;
	snprintf(msg, sizeof msg, "{\"error\":\"%s\",\"status\":%d}\n",
		 c->error_status == 414   ? "request target too long"
		 : c->error_status == 431 ? "request headers too large"
		 : c->error_status == 413 ? "request body too large"
					  : "malformed request",
		 c->error_status);
	http_respond(&c->req, c->error_status, "application/json", msg, strlen(msg), NULL);
}

/*
 * Runs the parser over bytes and dispatches each complete request.  A
 * handler that answers at once lets the loop go on with the next pipelined
 * request (no recursion, however many are queued); one that answers later
 * leaves the rest in c->pending for resume().
 */
static void
drive(struct http_conn *c, const char *data, size_t n)
{
	struct buf own;
	llhttp_errno_t e;
	const char *pos;

	buf_init(&own, 0);
	while (!c->closing) {
		c->exec_base = data;
		e = llhttp_execute(&c->parser, data, n);
		if (n)
			c->exec_last = data[n - 1];
		if (e == HPE_OK)
			break;
		if (e != HPE_PAUSED) {
			refuse(c);
			break;
		}
		pos = llhttp_get_error_pos(&c->parser);
		c->pending.len = 0;
		if (pos && pos < data + n)
			buf_append(&c->pending, pos, (size_t)(data + n - pos));
		uv_read_stop((uv_stream_t *)&c->tcp);
		c->in_dispatch = 1;
		c->srv->fn(&c->req, c->srv->arg);
		c->in_dispatch = 0;
		if (c->handling || c->closing)
			break; /* answered later: resume() goes on */
		llhttp_resume(&c->parser);
		buf_deinit(&own);
		own = c->pending;
		buf_init(&c->pending, 0);
		data = own.data ? own.data : "";
		n = own.len;
		if (!n)
			break;
	}
	buf_deinit(&own);
	if (!c->handling && !c->streaming && !c->closing)
		uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

static void
resume(struct http_conn *c)
{
	struct buf rest;

	if (c->closing || c->in_dispatch)
		return; /* drive() goes on by itself */
	llhttp_resume(&c->parser);
	rest = c->pending;
	buf_init(&c->pending, 0);
	drive(c, rest.data ? rest.data : "", rest.len);
	buf_deinit(&rest);
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	(void)h;
	b->base = xmalloc(suggested);
	b->len = suggested;
}

static void
on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b)
{
	struct http_conn *c = st->data;

	if (n > 0)
		drive(c, b->base, (size_t)n);
	else if (n < 0)
		conn_close(c);
	free(b->base);
}

static void
on_connection(uv_stream_t *ls, int status)
{
	struct http_server *s = ls->data;
	struct http_conn *c;

	if (status < 0)
		return;
	c = xcalloc(1, sizeof *c);
	c->srv = s;
	uv_tcp_init(s->loop, &c->tcp);
	c->tcp.data = c;
	c->handles = 1;
	if (uv_accept(ls, (uv_stream_t *)&c->tcp) < 0 || s->stats.connections_open >= MAX_CONNS ||
	    s->stopping) {
		s->stats.rejected++;
		uv_close((uv_handle_t *)&c->tcp, (uv_close_cb)free);
		return;
	}
	uv_timer_init(s->loop, &c->timer);
	c->timer.data = c;
	c->handles = 2;
	llhttp_init(&c->parser, HTTP_REQUEST, &settings);
	c->parser.data = c;
	buf_init(&c->target, HTTP_MAX_TARGET);
	buf_init(&c->field, HTTP_MAX_HEADERS_BYTES);
	buf_init(&c->value, HTTP_MAX_HEADERS_BYTES);
	buf_init(&c->body, HTTP_MAX_BODY);
	buf_init(&c->pending, 0);
	c->req.conn = c;
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	s->stats.connections_open++;
	s->stats.connections_total++;
	uv_tcp_nodelay(&c->tcp, 1);
	uv_timer_start(&c->timer, on_timeout, HEADER_MS, 0);
	uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

int
http_server_start(struct http_server **sp, uv_loop_t *loop, const char *host, int port,
		  http_handler_fn fn, void *arg, struct am_err *err)
{
	struct http_server *s = xcalloc(1, sizeof *s);
	struct sockaddr_storage addr;
	struct sockaddr_storage bound;
	int len = sizeof bound, rc;

	llhttp_settings_init(&settings);
	settings.on_message_begin = on_message_begin;
	settings.on_url = on_url;
	settings.on_header_field = on_header_field;
	settings.on_header_value = on_header_value;
	settings.on_header_value_complete = on_header_value_complete;
	settings.on_headers_complete = on_headers_complete;
	settings.on_body = on_body;
	settings.on_message_complete = on_message_complete;
	s->loop = loop;
	s->fn = fn;
	s->arg = arg;
	if (uv_ip4_addr(host, port, (struct sockaddr_in *)&addr) < 0 &&
	    uv_ip6_addr(host, port, (struct sockaddr_in6 *)&addr) < 0) {
		free(s);
		return am_err_set(err, "listen: '%s' is not an IP address", host);
	}
	uv_tcp_init(loop, &s->tcp);
	s->tcp.data = s;
	if ((rc = uv_tcp_bind(&s->tcp, (struct sockaddr *)&addr, 0)) < 0 ||
	    (rc = uv_listen((uv_stream_t *)&s->tcp, 511, on_connection)) < 0) {
		am_err_set(err, "cannot listen on %s:%d: %s", host, port, uv_strerror(rc));
		uv_close((uv_handle_t *)&s->tcp, (uv_close_cb)free);
		return -1;
	}
	uv_tcp_getsockname(&s->tcp, (struct sockaddr *)&bound, &len);
	s->port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
	*sp = s;
	return 0;
}

int
http_server_port(const struct http_server *s)
{
	return s->port;
}

const struct http_stats *
http_server_stats(const struct http_server *s)
{
	return &s->stats;
}

void
http_server_stop(struct http_server **sp)
{
	struct http_server *s = *sp;

	if (!s)
		return;
	*sp = NULL;
	s->stopping = 1;
	while (s->conns)
		conn_close(s->conns);
	uv_close((uv_handle_t *)&s->tcp, (uv_close_cb)free);
}

const char *
http_header(const struct http_request *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++)
		if (strcmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

const char *
http_query(const struct http_request *r, const char *key, char *buf, size_t cap)
{
	const char *q = r->query, *amp, *eq;
	size_t kl = strlen(key);
	char *v;

	while (q && *q) {
		amp = strchr(q, '&');
		eq = memchr(q, '=', amp ? (size_t)(amp - q) : strlen(q));
		if (eq && (size_t)(eq - q) == kl && memcmp(q, key, kl) == 0) {
			size_t vl = amp ? (size_t)(amp - eq - 1) : strlen(eq + 1);

			v = pct_decode(eq + 1, vl, 1);
			if (!v || strlen(v) + 1 > cap) {
				free(v);
				return NULL;
			}
			strcpy(buf, v);
			free(v);
			return buf;
		}
		q = amp ? amp + 1 : NULL;
	}
	return NULL;
}
