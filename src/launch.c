/*
 * launch.c - from "run these models on this suite" to a run in the store.
 *
 * A run records which model answered: each model's digest (Ollama) or
 * fingerprint (OpenAI-compatible) is asked for first, and compared with
 * the digest the model had at its previous run, so a model that silently
 * changed is noticed.  A backend that does not answer does not stop the
 * run: its digest is unknown, and its jobs will say why they failed.
 */
#include "amconfig.h"

#include "launch.h"
#include "log.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct launch {
	struct engine *e;
	char *trigger, *executor, *suite;
	const struct question **qs;
	size_t nq;
	char **models;
	char **digests;
	size_t nmodels;
	int samples;
	int waiting; /* backends still to answer */
	launch_fn fn;
	void *arg;
};

struct ask {
	struct launch *l;
	size_t backend;
};

static void
launch_free(struct launch *l)
{
	size_t i;

	for (i = 0; i < l->nmodels; i++) {
		free(l->models[i]);
		if (l->digests)
			free(l->digests[i]);
	}
	free(l->models);
	free(l->digests);
	free(l->qs);
	free(l->trigger);
	free(l->executor);
	free(l->suite);
	free(l);
}

static void
create(struct launch *l)
{
	struct run_model *rm = xcalloc(l->nmodels, sizeof *rm);
	struct run_spec spec;
	struct am_err err;
	int64_t run = 0;
	size_t i;

	for (i = 0; i < l->nmodels; i++) {
		const struct config_model *cm;
		const struct config_backend *cb = config_find_model(&l->e->cfg, l->models[i], &cm);

		rm[i].name = l->models[i];
		rm[i].backend = cb->name;
		rm[i].kind = backend_kind_name(cb->kind);
		rm[i].digest = l->digests[i];
		rm[i].options_json = backend_options_json(cb, &cm->options);
		rm[i].simulated = cb->kind == BACKEND_DEMO;
	}
	memset(&spec, 0, sizeof spec);
	spec.trigger = l->trigger;
	spec.executor = l->executor;
	spec.suite = l->suite;
	spec.samples = l->samples;
	spec.models = rm;
	spec.nmodels = l->nmodels;
	spec.questions = l->qs;
	spec.nquestions = l->nq;
	if (store_run_create(l->e->store, &spec, &l->e->cat, &run, &err) < 0)
		l->fn(0, err.msg, l->arg);
	else
		l->fn(run, NULL, l->arg);
	for (i = 0; i < l->nmodels; i++)
		free((char *)rm[i].options_json);
	free(rm);
	launch_free(l);
}

static void
on_models(const struct backend_model *list, int n, const char *error, void *arg)
{
	struct ask *a = arg;
	struct launch *l = a->l;
	size_t i, ml;
	int k;

	if (n < 0 && error) {
		char safe[400];

		log_warn("launch", "backend %s: %s", l->e->cfg.backends[a->backend].name,
			 log_safe(error, strlen(error), 300, safe, sizeof safe));
	}
	for (i = 0; i < l->nmodels; i++) {
		if (engine_backend_of(l->e, l->models[i]) != (int)a->backend)
			continue;
		ml = strlen(l->models[i]);
		/* The exact name first; then "qwen2.5" for Ollama's "qwen2.5:latest". */
		for (k = 0; k < n && !l->digests[i]; k++)
			if (strcmp(list[k].name, l->models[i]) == 0 && list[k].digest[0])
				l->digests[i] = xstrdup(list[k].digest);
		for (k = 0; k < n && !l->digests[i]; k++)
			if (strncmp(list[k].name, l->models[i], ml) == 0 &&
			    strcmp(list[k].name + ml, ":latest") == 0 && list[k].digest[0])
				l->digests[i] = xstrdup(list[k].digest);
	}
	free(a);
	if (--l->waiting == 0)
		create(l);
}

int
launch_run(struct engine *e, const char *trigger, const char *executor, const char *suite,
	   const char *const *models, size_t nmodels, int samples, launch_fn fn, void *arg,
	   struct am_err *err)
{
	struct launch *l = xcalloc(1, sizeof *l);
	size_t i, k, cap = 0;

	l->e = e;
	l->fn = fn;
	l->arg = arg;
	l->samples = samples < 1 ? 1 : samples;
	l->trigger = xstrdup(trigger);
	l->executor = xstrdup(executor);
	l->suite = xstrdup(suite && *suite ? suite : "all");
	if (catalog_suite(&e->cat, l->suite, &l->qs, &l->nq, err) < 0)
		goto fail;
	for (i = 0; i < e->cfg.nbackends; i++)
		cap += e->cfg.backends[i].nmodels;
	cap += nmodels;
	l->models = xcalloc(cap ? cap : 1, sizeof *l->models);
	if (nmodels) {
		for (i = 0; i < nmodels; i++) {
			if (engine_backend_of(e, models[i]) < 0) {
				am_err_set(err, "no configured backend serves the model '%s'",
					   models[i]);
				goto fail;
			}
			for (k = 0; k < l->nmodels && strcmp(l->models[k], models[i]); k++)
				;
			if (k == l->nmodels)
				l->models[l->nmodels++] = xstrdup(models[i]);
		}
	} else {
		for (i = 0; i < e->cfg.nbackends; i++)
			for (k = 0; k < e->cfg.backends[i].nmodels; k++)
				l->models[l->nmodels++] =
					xstrdup(e->cfg.backends[i].models[k].name);
	}
	if (!l->nmodels) {
		am_err_set(err, "no model to run: add models to a backend in amicus.yaml");
		goto fail;
	}
	l->digests = xcalloc(l->nmodels, sizeof *l->digests);
	/* One question per backend that serves a model of the run. */
	l->waiting = 1; /* held until every question is out */
	for (i = 0; i < e->nbackends; i++) {
		struct ask *a;
		int used = 0;

		for (k = 0; k < l->nmodels; k++)
			used |= engine_backend_of(e, l->models[k]) == (int)i;
		if (!used)
			continue;
		a = xcalloc(1, sizeof *a);
		a->l = l;
		a->backend = i;
		l->waiting++;
		if (backend_models(e->backends[i], on_models, a) < 0) {
			free(a);
			l->waiting--;
		}
	}
	if (--l->waiting == 0)
		create(l);
	return 0;
fail:
	launch_free(l);
	return -1;
}
