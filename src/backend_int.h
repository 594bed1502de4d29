/*
 * backend_int.h - what the protocol files share with backend.c.  Not part
 * of the backend interface.
 */
#ifndef AMICUS_BACKEND_INT_H
#define AMICUS_BACKEND_INT_H

#include <curl/curl.h>
#include <jansson.h>

#include "backend.h"
#include "sse.h"
#include "util.h"

/* Caps on what a server may send us. */
#define RESPONSE_MAX (8u << 20) /* answer + reasoning */
#define ERRBODY_MAX (64u << 10) /* an error body we keep for its message */

/* One request: queued, in flight, waiting to retry, or finished. */
struct call {
	uv_timer_t timer; /* first: timer.data = this; retry and demo delays */
	struct backend *b;
	struct call *next, *prev; /* in the backend's list of calls */
	int queued;               /* waiting for a slot */
	int running;              /* a transfer (or demo answer) is under way */
	/* the request, copied */
	char *model, *system, *question;
	struct model_options opt;
	struct chat_message *msgs;
	size_t nmsgs;
	int turn;
	backend_done_fn fn;
	void *arg;
	int attempts;
	/* the transfer */
	CURL *easy;
	struct curl_slist *hdrs;
	char *url, *body;
	struct sse dec;
	int status;         /* HTTP status of the last response */
	char ctype[128];    /* its Content-Type */
	double retry_after; /* seconds the server asked us to wait, -1 none */
	int streaming;      /* the body is a stream we decode (else: kept as error body) */
	struct buf content, reasoning, errbody;
	char finish[32]; /* finish reason, "" until one arrives */
	long prompt_tokens, completion_tokens, reasoning_tokens;
	double tokens_per_s;
	char *usage_json;
	char error[512];           /* a failure, "" if none */
	int retryable;             /* the failure is worth another attempt */
	int quota;                 /* a 429 that will not go away (insufficient_quota) */
	int done_seen;             /* the stream said it was complete */
	uint64_t t_start, t_first; /* ns */
};

/* What differs between protocols. */
struct proto {
	int ndjson; /* NDJSON stream (Ollama), else SSE */
	/* The request: URL, headers, body (malloc'd). */
	int (*build)(struct call *c, const struct config_backend *cfg, const char *key, char **url,
		     struct curl_slist **hdrs, char **body);
	/* One decoded event of a successful response. Returns -1 to stop. */
	int (*event)(struct call *c, const char *event, const char *data, size_t len);
	/* The models list: URL and how to read it. */
	char *(*models_url)(const struct config_backend *cfg);
	int (*models_parse)(json_t *root, struct backend_model *out, int cap);
};

extern const struct proto proto_ollama, proto_openai, proto_anthropic;

/* Helpers for the protocols. */
void call_content(struct call *c, const char *s, size_t n);
void call_reasoning(struct call *c, const char *s, size_t n);
void call_fail(struct call *c, int retryable, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The message of an error object in any of the shapes servers use. */
void error_message(json_t *root, char *out, size_t cap, int *quota);
/* A JSON body for the messages of c, in OpenAI's shape (also Ollama's). */
json_t *messages_json(const struct call *c, int with_system);

/* The demo backend: answers from the bank, on a timer. */
void demo_answer(struct call *c, const struct catalog *cat);

#endif/**
 * Parses one event's data as a JSON object.  On anything else the call
 * fails (retryable) with what was wrong and where, e.g. "malformed NDJSON
 * line from URL: unable to decode byte 0xff near '...' (position 41)",
 * and NULL is returned.  what names the unit ("NDJSON line", "event").
 */
json_t *call_event_json(struct call *c, const char *what, const char *data, size_t len);


