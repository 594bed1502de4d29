/*
 * config.h - amicus.yaml: backends, models, judge, schedules, thresholds.
 */
#ifndef AMICUS_CONFIG_H
#define AMICUS_CONFIG_H

#include <stddef.h>

#include "diag.h"
#include "pool.h"
#include "score.h"

enum backend_kind { BACKEND_OLLAMA, BACKEND_OPENAI, BACKEND_ANTHROPIC, BACKEND_DEMO };

/** Sampling settings sent with every request for a model; has_* says which are set. */
struct model_options {
	double temperature, top_p;
	long top_k, seed, num_ctx, max_tokens;
	int think;
	unsigned has_temperature : 1, has_top_p : 1, has_top_k : 1, has_seed : 1, has_num_ctx : 1,
		has_max_tokens : 1, has_think : 1;
};

struct config_model {
	const char *name;
	struct model_options options;
};

struct config_backend {
	const char *name;
	enum backend_kind kind;
	const char *url;         /* base URL; for openai the one that ends in /v1 */
	const char *api_key_env; /* name of the variable holding the key, or "" */
	long concurrency;        /* requests in flight (default 4) */
	long rpm;                /* requests per minute, 0 = no limit */
	long timeout_s;          /* whole-request timeout (default 600) */
	long retries;            /* retries after the first attempt (default 3) */
	long pause_s;            /* pause after 5 transient failures in a row (30; 0: never) */
	struct config_model *models;
	size_t nmodels;
	int line, col;
};

struct config_schedule {
	const char *name;
	const char *cron;    /* five fields, local time */
	const char *suite;   /* all, area:X, tag:X, lang:zh|en, or ids */
	const char **models; /* empty: every configured model */
	size_t nmodels;
	long samples; /* answers per question and model (default 1) */
	int catch_up; /* run once at start-up if a fire was missed (default 1) */
	int line, col;
};

struct config_thresholds {
	double suitable_pass_lower;          /* suitable: pass rate's lower bound >= this */
	double suitable_hallucination_upper; /* ... and hallucination rate's upper bound <= this */
	double review_pass;                  /* review: pass rate >= this */
	double review_hallucination;         /* ... and hallucination rate <= this */
};

/** The whole configuration; every string lives in pool. */
struct config {
	struct pool pool;
	const char *file;     /* NULL when running on defaults */
	const char *database; /* paths are resolved against the file's directory */
	const char *listen;   /* host:port */
	const char *token_env;
	const char *questions;
	const char *rubrics;
	const char *statutes; /* registry; default <rubrics>/statutes.yaml */
	const char *web;      /* the dashboard's files (default web/, else the installed ones) */
	struct config_backend *backends;
	size_t nbackends;
	const char *judge_backend, *judge_model; /* NULL when no judge */
	int judge_all_items;
	struct config_schedule *schedules;
	size_t nschedules;
	struct config_thresholds thresholds;
	struct score_options scoring;
};

/** Fills c with the defaults of DESIGN.md (no backend yet: see daemon). */
void config_defaults(struct config *c);

/**
 * Loads path over the defaults.  Returns 0, or -1 with every problem added
 * to d, and c left on defaults.  Always call config_deinit.
 */
int config_load(struct config *c, const char *path, struct diag *d);

/** Frees c. */
void config_deinit(struct config *c);

/** The backend with this name, or NULL. */
const struct config_backend *config_backend(const struct config *c, const char *name);

/** The backend that serves model name (first match), or NULL; *model set if found. */
const struct config_backend *config_find_model(const struct config *c, const char *name,
					       const struct config_model **model);

/** "ollama", "openai", "anthropic" or "demo". */
const char *backend_kind_name(enum backend_kind k);

#endif
