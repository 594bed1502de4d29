/*
 * store.h - the SQLite database: runs, jobs, answers, verdicts, aggregates.
 */
#ifndef AMICUS_STORE_H
#define AMICUS_STORE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

#include "catalog.h"
#include "config.h"
#include "diag.h"
#include "score.h"

struct store;

/** Opens (creating and migrating) the database at path, in WAL mode. */
int store_open(struct store **sp, const char *path, struct am_err *err);
/** Closes the database; *sp becomes NULL. */
void store_close(struct store **sp);
/**
 * The database handle, for modules that read it (aggregate, compare).
 * Borrowed; valid until store_close.
 */
sqlite3 *store_db(struct store *s);
/** The newest run, whatever its status, or 0. */
int64_t store_last_run(struct store *s);
/** The newest finished run (status done), or 0. */
int64_t store_latest_run(struct store *s);
/** The schema version the database is at. */
int store_schema_version(struct store *s);

/** A model as a run sees it. */
struct run_model {
	const char *name;
	const char *backend;      /* backend name */
	const char *kind;         /* ollama, openai, anthropic, demo */
	const char *digest;       /* model digest or fingerprint, or NULL */
	const char *options_json; /* the sampling settings sent */
	int simulated;            /* the demo backend */
};

/** What a run asks. */
struct run_spec {
	const char *trigger;  /* "cli", "api", "schedule:NAME" */
	const char *executor; /* "serve" or "cli": who executes its jobs */
	const char *suite;    /* as written */
	int samples;
	const struct run_model *models;
	size_t nmodels;
	const struct question *const *questions; /* the suite, resolved */
	size_t nquestions;
};

/**
 * Creates a run and all its jobs (questions × models × samples) as
 * 'pending', stores every question and rubric text by content hash, and
 * records each model's digest beside its previous one, in one transaction.
 */
int store_run_create(struct store *s, const struct run_spec *spec, const struct catalog *cat,
		     int64_t *run_id, struct am_err *err);

/** A job taken for execution. */
struct job {
	int64_t id, run_id;
	char model[256];
	char question[256];
	int sample;
	int attempts;
};

/**
 * Takes up to max pending jobs of run (0: of every run whose executor is
 * `executor`), oldest first, and marks them 'inflight'.  Returns the number
 * taken (0 .. max), or -1.
 */
int store_jobs_take(struct store *s, int64_t run, const char *executor, struct job *out, int max,
		    struct am_err *err);

/** What a finished turn of a job produced. */
struct turn_result {
	const char *content, *reasoning; /* as the model wrote them */
	size_t content_len, reasoning_len;
	const struct score_result *score;
	double ttft_ms, total_ms, tokens_per_s;
	const char *finish_reason;
	const char *usage_json; /* as the backend reported, or NULL */
};

/**
 * Stores a job's answers (one per turn) with their verdicts, citations and
 * metrics and marks the job 'done', in one transaction.  A job that is not
 * 'inflight' any more (it went back to pending, or is done already) is left
 * alone and -2 returned: a job never gets two answers.  -1: the database
 * could not be written (err says why).
 */
int store_job_done(struct store *s, int64_t job, const struct turn_result *turns, size_t nturns,
		   struct am_err *err);
/**
 * Groups the store_job_done and store_job_error calls that follow into one
 * transaction (one commit for many jobs); each job still lands whole or
 * not at all.  store_batch_end commits; if that fails, none of the batch
 * is stored.  store_batch_abort rolls the batch back.
 */
int store_batch_begin(struct store *s, struct am_err *err);
int store_batch_end(struct store *s, struct am_err *err);
void store_batch_abort(struct store *s);
/** Marks a job 'error' with its message (it has no answer). */
int store_job_error(struct store *s, int64_t job, const char *message, struct am_err *err);
/** Puts an in-flight job back to 'pending' (shutdown, or a retry later). */
int store_job_release(struct store *s, int64_t job, struct am_err *err);
/**
 * At start-up: jobs left 'inflight' by an executor that is gone go back to
 * 'pending'.  Returns how many.
 */
int store_recover(struct store *s, const char *executor, struct am_err *err);

/**
 * If run has no pending or in-flight job left, computes its aggregates per
 * model × area (and area '*'), marks it 'done', and returns 1; else 0.
 */
int store_run_finish_if_complete(struct store *s, int64_t run, struct am_err *err);
/** Marks a run 'failed' (or 'cancelled') with a note. */
int store_run_fail(struct store *s, int64_t run, const char *status, const char *note,
		   struct am_err *err);

/** Job counts of a run. */
struct run_counts {
	int64_t total, pending, inflight, done, error;
};
int store_run_counts(struct store *s, int64_t run, struct run_counts *c, struct am_err *err);

/** The run as JSON (id, status, times, counts, models with digests and changes). */
json_t *store_run_json(struct store *s, int64_t run);
/** Recent runs, newest first, as a JSON array. */
json_t *store_runs_json(struct store *s, int limit);
/** The figures of a run per model and area, with intervals (aggregate_summary_json). */
json_t *store_run_summary_json(struct store *s, int64_t run, const struct config_thresholds *t);
/** Match against judge in a run (aggregate_agreement_json), or JSON null. */
json_t *store_run_agreement_json(struct store *s, int64_t run);

/** The digest recorded for model at its latest earlier run, or NULL (malloc'd). */
char *store_previous_digest(struct store *s, const char *model);

/** Job counts by state over all runs, for /metrics. */
int store_job_states(struct store *s, int64_t *pending, int64_t *inflight, int64_t *done,
		     int64_t *error);

/** Runs by status over all runs, for /metrics. */
int store_run_states(struct store *s, int64_t *running, int64_t *done, int64_t *failed,
		     int64_t *cancelled);

/**
 * A cached judge verdict for (answer_hash, item_hash, judge_model): returns
 * 1 and fills *met and expl (cap bytes), or 0 when there is none.
 */
int store_judge_get(struct store *s, const char *answer_hash, const char *item_hash,
		    const char *judge_model, int *met, char *expl, size_t cap);
/** Caches a judge verdict. */
int store_judge_put(struct store *s, const char *answer_hash, const char *item_hash,
		    const char *judge_model, int met, const char *expl, struct am_err *err);

/** The last time a schedule fired (unix seconds), or 0. */
int64_t store_schedule_last(struct store *s, const char *name);
/** Records that a schedule fired at t and started run. */
int store_schedule_fired(struct store *s, const char *name, int64_t t, int64_t run);
/** Whether a run started by this schedule is still running. */
int store_schedule_running(struct store *s, const char *name);

#endif
