/*
 * engine.h - everything a run needs, set up once: configuration, the
 * question bank, the database, the event loop, the backends.
 */
#ifndef AMICUS_ENGINE_H
#define AMICUS_ENGINE_H

#include <uv.h>

#include "backend.h"
#include "catalog.h"
#include "config.h"
#include "curlloop.h"
#include "store.h"

struct engine {
	uv_loop_t *loop;
	struct config cfg;
	char *cfg_path; /* NULL: running on defaults */
	struct catalog cat;
	struct store *store;
	struct curlloop *cl;
	struct backend **backends; /* one per cfg.backends */
	size_t nbackends;
	int probed_ollama; /* defaults: an Ollama answered */
};

/**
 * Loads the configuration at path (NULL: the defaults of DESIGN.md, with an
 * Ollama at 127.0.0.1:11434 if one answers, else the demo backend), the
 * question bank, and opens the database.  Problems with the files go to d.
 * Returns 0, or -1 with the reason in err.
 */
int engine_open(struct engine *e, uv_loop_t *loop, const char *path, struct diag *d,
		struct am_err *err);

/**
 * Gives a configuration without backends the default one: the Ollama at
 * 127.0.0.1:11434 with its models if it answers, else the demo backend.
 * Returns 1 when an Ollama answered.
 */
int engine_default_backends(struct config *c);

/** Creates the curl loop and one backend per configured backend. */
int engine_start_backends(struct engine *e, struct am_err *err);

/** Cancels every request and frees the backends (run the loop after). */
void engine_stop_backends(struct engine *e);

/** Closes everything; the loop must be run to completion after. */
void engine_close(struct engine *e);

/** The backend index that serves a model, or -1. */
int engine_backend_of(const struct engine *e, const char *model);

#endif
