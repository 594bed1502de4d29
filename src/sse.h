/*
 * sse.h - decoders for the streams model servers send: server-sent events
 * (OpenAI, Anthropic) and newline-delimited JSON (Ollama).
 */
#ifndef AMICUS_SSE_H
#define AMICUS_SSE_H

#include <stddef.h>

#include "util.h"

/**
 * Called for each complete event.  SSE: event is its `event:` field (or
 * "message"), data the joined `data:` lines.  NDJSON: event is "line", data
 * one non-empty line.  data is NUL-terminated and valid until the call
 * returns.  Return nonzero to stop decoding (the feed returns -1).
 */
typedef int (*sse_event_fn)(const char *event, const char *data, size_t len, void *arg);

/**
 * A decoder.  Bytes arrive in pieces of any size (split inside a line, a
 * UTF-8 character or a \uXXXX escape); only complete lines are handled.
 * Lines end in LF, CRLF or CR.  Memory is capped: a line or an event longer
 * than the cap is an error.
 */
struct sse {
	int ndjson;      /* 1: newline-delimited JSON; 0: server-sent events */
	struct buf line; /* the line being assembled */
	struct buf data; /* SSE: the data of the event being assembled */
	char event[64];  /* SSE: its event type */
	int cr;          /* the last byte was CR: an LF right after it is no new line */
	sse_event_fn fn;
	void *arg;
	size_t events; /* events delivered */
	int failed;    /* a line was over the cap */
};

/** Starts a decoder; cap bounds one line and one event (0 = 16 MiB). */
void sse_init(struct sse *d, int ndjson, size_t cap, sse_event_fn fn, void *arg);
/** Frees its buffers. */
void sse_deinit(struct sse *d);
/** Feeds n bytes.  Returns 0, or -1 when fn stopped it or a line was too long. */
int sse_feed(struct sse *d, const char *p, size_t n);
/**
 * The stream has ended: a last line without a line end is handled, and an
 * SSE event not yet closed by a blank line is delivered.  Returns as
 * sse_feed.
 */
int sse_finish(struct sse *d);

#endif
