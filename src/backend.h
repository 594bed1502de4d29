/*
 * backend.h - asking a model: one interface over Ollama, OpenAI-compatible
 * servers, Anthropic and the built-in demo.
 */
#ifndef AMICUS_BACKEND_H
#define AMICUS_BACKEND_H

#include <stddef.h>
#include <uv.h>

#include "catalog.h"
#include "config.h"
#include "curlloop.h"

/** One message of a conversation. */
struct chat_message {
	const char *role; /* "user" or "assistant" */
	const char *content;
};

/** A request: everything is borrowed until backend_chat returns (it copies). */
struct chat_request {
	const char *model;
	const struct model_options *options;
	const char *system; /* or NULL */
	const struct chat_message *messages;
	size_t nmessages;
	const char *question; /* demo only: the question id ... */
	int turn;             /* ... and the turn being asked */
};

/** What came back.  Owned by the backend; valid during the callback. */
struct chat_result {
	int ok;              /* a complete answer (the stream finished) */
	const char *content; /* the answer as streamed (may hold <think>) */
	size_t content_len;
	const char *reasoning; /* reasoning the server sent apart, or "" */
	size_t reasoning_len;
	const char *finish_reason; /* "stop", "length", ... or NULL */
	long prompt_tokens;        /* -1 when the server did not say */
	long completion_tokens;
	long reasoning_tokens;
	double ttft_ms; /* request start to the first token */
	double total_ms;
	double tokens_per_s;    /* output tokens per second, 0 if unknown */
	const char *usage_json; /* the usage the server reported, or NULL */
	int http_status;        /* 0 when no response */
	int attempts;           /* 1 + retries used */
	const char *error;      /* when !ok: what went wrong, for a person */
};

/** Called once per backend_chat, on the loop. */
typedef void (*backend_done_fn)(const struct chat_result *res, void *arg);

/** A model a backend offers. */
struct backend_model {
	char name[256];
	char digest[128]; /* digest or fingerprint, "" if none */
};

/** Called once per backend_models. n = -1 with error set when unreachable. */
typedef void (*backend_models_fn)(const struct backend_model *models, int n, const char *error,
				  void *arg);

struct backend;

/** Backend-wide counters, for /metrics. */
struct backend_stats {
	uint64_t requests, errors, retries, in_flight;
	uint64_t latency_buckets[12]; /* le 0.1 0.25 0.5 1 2.5 5 10 30 60 120 300 +Inf s */
	double latency_sum;
	uint64_t latency_count;
};

/**
 * Creates a backend for cfg (which must outlive it).  Network kinds use cl;
 * the demo answers from cat's reference answers.  Returns 0 or -1.
 */
int backend_new(struct backend **bp, uv_loop_t *loop, struct curlloop *cl,
		const struct config_backend *cfg, const struct catalog *cat);

/**
 * Asks for a chat completion.  It waits its turn under the backend's
 * concurrency and rate limits, and retries transient failures (connection
 * errors, 429, 5xx, 529, a stream cut short) with exponential backoff, as
 * Retry-After says, up to the configured retries.  fn is called exactly
 * once.  Returns 0, or -1 (fn never called).
 */
int backend_chat(struct backend *b, const struct chat_request *req, backend_done_fn fn, void *arg);

/** Lists the models and their digests (Ollama /api/tags, /v1/models). */
int backend_models(struct backend *b, backend_models_fn fn, void *arg);

/** Cancels every request, queued or running, without calling back. */
void backend_cancel_all(struct backend *b);

/** The backend's configuration. */
const struct config_backend *backend_config(const struct backend *b);
/** Its counters. */
const struct backend_stats *backend_stats(const struct backend *b);
/** Requests queued or in flight. */
int backend_busy(const struct backend *b);

/** Cancels everything and frees the backend once its handles are closed. */
void backend_free(struct backend **bp);

/** The sampling settings a model is asked with, as JSON text (malloc'd). */
char *backend_options_json(const struct config_backend *b, const struct model_options *o);

#endif
