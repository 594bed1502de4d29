/*
 * sse.c - server-sent events and NDJSON, decoded incrementally.
 *
 * The SSE rules that matter in the wild (WHATWG, "Parsing an event
 * stream"): a line ends at CRLF, LF or CR; a line starting with ':' is a
 * comment (keep-alives); "field: value" or "field:value" (one optional
 * space is stripped); several data lines of one event are joined with
 * "\n"; a blank line dispatches the event.  Servers differ in whether they
 * end the stream with a blank line, so sse_finish dispatches what is left.
 *
 * Invariant: fn only ever sees complete lines, so a read that splits a
 * multi-byte character or a JSON escape never reaches the JSON parser.
 */
#include "amconfig.h"

#include "sse.h"

#include <string.h>

void
sse_init(struct sse *d, int ndjson, size_t cap, sse_event_fn fn, void *arg)
{
	memset(d, 0, sizeof *d);
	d->ndjson = ndjson;
	if (!cap)
		cap = 16u << 20;
	buf_init(&d->line, cap);
	buf_init(&d->data, cap);
	d->fn = fn;
	d->arg = arg;
}

void
sse_deinit(struct sse *d)
{
	buf_deinit(&d->line);
	buf_deinit(&d->data);
}

static int
dispatch(struct sse *d)
{
	int stop;

	if (!d->data.len && !d->event[0])
		return 0;
	d->events++;
	stop = d->fn(d->event[0] ? d->event : "message", d->data.data ? d->data.data : "",
		     d->data.len, d->arg);
	d->data.len = 0;
	if (d->data.data)
		d->data.data[0] = '\0';
	d->event[0] = '\0';
	return stop ? -1 : 0;
}

/* Handles one complete line (without its end). */
static int
line(struct sse *d, const char *s, size_t n)
{
	const char *colon, *v;
	size_t fl, vl;

	if (d->ndjson) {
		size_t a = 0;

		while (a < n && (s[a] == ' ' || s[a] == '\t'))
			a++;
		if (a == n)
			return 0; /* blank lines between objects */
		d->events++;
		return d->fn("line", s, n, d->arg) ? -1 : 0;
	}
	if (n == 0)
		return dispatch(d);
	if (s[0] == ':')
		return 0; /* a comment: ": keep-alive" */
	colon = memchr(s, ':', n);
	fl = colon ? (size_t)(colon - s) : n;
	v = colon ? colon + 1 : s + n;
	vl = colon ? n - fl - 1 : 0;
	if (vl && *v == ' ') {
		v++;
		vl--;
	}
	if (fl == 4 && memcmp(s, "data", 4) == 0) {
		if (d->data.len && buf_append(&d->data, "\n", 1) < 0)
			return -1;
		if (buf_append(&d->data, v, vl) < 0)
			return -1;
		if (!d->data.data)
			buf_append(&d->data, "", 0);
	} else if (fl == 5 && memcmp(s, "event", 5) == 0) {
		if (vl >= sizeof d->event)
			vl = sizeof d->event - 1;
		memcpy(d->event, v, vl);
		d->event[vl] = '\0';
	}
	/* id:, retry: and unknown fields are ignored. */
	return 0;
}

int
sse_feed(struct sse *d, const char *p, size_t n)
{
	size_t i, start = 0;
	int rc;

	if (d->failed)
		return -1;
	for (i = 0; i < n; i++) {
		if (p[i] != '\n' && p[i] != '\r')
			continue;
		if (p[i] == '\n' && d->cr && i == start && d->line.len == 0) {
			/* the LF of a CRLF split across reads, or right after CR */
			d->cr = 0;
			start = i + 1;
			continue;
		}
		if (buf_append(&d->line, p + start, i - start) < 0)
			goto toolong;
		rc = line(d, d->line.data ? d->line.data : "", d->line.len);
		d->line.len = 0;
		if (rc < 0) {
			d->failed = 1;
			return -1;
		}
		d->cr = p[i] == '\r';
		if (d->cr && i + 1 < n && p[i + 1] == '\n') {
			i++;
			d->cr = 0;
		}
		start = i + 1;
	}
	if (start < n) {
		d->cr = 0;
		if (buf_append(&d->line, p + start, n - start) < 0)
			goto toolong;
	}
	return 0;
toolong:
	d->failed = 1;
	return -1;
}

int
sse_finish(struct sse *d)
{
	int rc = 0;

	if (d->failed)
		return -1;
	if (d->line.len) {
		rc = line(d, d->line.data, d->line.len);
		d->line.len = 0;
	}
	if (rc == 0 && !d->ndjson)
		rc = dispatch(d);
	return rc;
}
