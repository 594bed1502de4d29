/*
 * config.c - load amicus.yaml.
 *
 * One table of keys per mapping and one place for every default, as in
 * pgbouncer.  Relative paths (database, questions, rubrics, statutes, web)
 * are resolved against the directory of the config file, so `amicus serve
 * -c /etc/amicus/amicus.yaml` means the same wherever it is started.  A
 * file with any problem is rejected whole and the defaults stay in force:
 * SIGHUP with a broken file must not leave the daemon half reconfigured.
 */
#include "amconfig.h"

#include "config.h"
#include "cron.h"
#include "util.h"
#include "ynode.h"

#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

static const struct ykey top_keys[] = {
	{"database", 0}, {"listen", 0},    {"token_env", 0},  {"questions", 0},
	{"rubrics", 0},  {"statutes", 0},  {"web", 0},        {"backends", 0},
	{"judge", 0},    {"schedules", 0}, {"thresholds", 0}, {"scoring", 0},
};
static const struct ykey backend_keys[] = {
	{"name", 1}, {"kind", 1},      {"url", 0},     {"api_key_env", 0}, {"concurrency", 0},
	{"rpm", 0},  {"timeout_s", 0}, {"retries", 0}, {"pause_s", 0},     {"models", 0},
};
static const struct ykey model_keys[] = {{"name", 1}, {"options", 0}};
static const struct ykey option_keys[] = {
	{"temperature", 0}, {"top_p", 0},      {"top_k", 0},       {"seed", 0},
	{"num_ctx", 0},     {"max_tokens", 0}, {"num_predict", 0}, {"think", 0},
};
static const struct ykey judge_keys[] = {{"backend", 1}, {"model", 1}, {"items", 0}};
static const struct ykey schedule_keys[] = {
	{"name", 1}, {"cron", 1}, {"suite", 0}, {"models", 0}, {"samples", 0}, {"catch_up", 0},
};
static const struct ykey thresholds_keys[] = {{"suitable", 0}, {"review", 0}};
static const struct ykey suitable_keys[] = {{"pass_lower", 0}, {"hallucination_upper", 0}};
static const struct ykey review_keys[] = {{"pass", 0}, {"hallucination", 0}};
static const struct ykey scoring_keys[] = {{"language_mix_threshold", 0}, {"loop_threshold", 0}};

/*
 * A directory left at its default: where it is expected (beside the file,
 * or in the working directory), else the copy `make install` put in
 * PKGDATADIR, so that an installed amicus finds its question bank.
 */
static const char *
installed_default(struct config *c, const char *path, const char *name)
{
	struct stat sb;
	char *alt;
	const char *r = path;

	if (stat(path, &sb) == 0)
		return path;
	alt = path_join(PKGDATADIR, name);
	if (stat(alt, &sb) == 0 && S_ISDIR(sb.st_mode))
		r = pool_strdup(&c->pool, alt);
	free(alt);
	return r;
}

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	pool_init(&c->pool, 0);
	c->database = "amicus.db";
	c->listen = "127.0.0.1:8470";
	c->token_env = "AMICUS_TOKEN";
	c->questions = installed_default(c, "questions", "questions");
	c->rubrics = installed_default(c, "rubrics", "rubrics");
	c->web = installed_default(c, "web", "web");
	c->thresholds.suitable_pass_lower = 0.8;
	c->thresholds.suitable_hallucination_upper = 0.05;
	c->thresholds.review_pass = 0.6;
	c->thresholds.review_hallucination = 0.15;
	score_options_default(&c->scoring);
}

void
config_deinit(struct config *c)
{
	pool_deinit(&c->pool);
	memset(c, 0, sizeof *c);
}

const char *
backend_kind_name(enum backend_kind k)
{
	switch (k) {
	case BACKEND_OLLAMA: return "ollama";
	case BACKEND_OPENAI: return "openai";
	case BACKEND_ANTHROPIC: return "anthropic";
	default: return "demo";
	}
}

const struct config_backend *
config_backend(const struct config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nbackends; i++)
		if (strcmp(c->backends[i].name, name) == 0)
			return &c->backends[i];
	return NULL;
}

const struct config_backend *
config_find_model(const struct config *c, const char *name, const struct config_model **model)
{
	size_t i, j;

	for (i = 0; i < c->nbackends; i++)
		for (j = 0; j < c->backends[i].nmodels; j++)
			if (strcmp(c->backends[i].models[j].name, name) == 0) {
				if (model)
					*model = &c->backends[i].models[j];
				return &c->backends[i];
			}
	return NULL;
}

/* Helpers that copy into the config's pool. */
static const char *
str_at(struct config *c, const struct ynode *m, const char *key, const char *def, struct diag *d)
{
	const struct ynode *v = ynode_get(m, key);
	const char *s;

	if (!v)
		return def;
	if (v->kind == YNODE_SCALAR && v->len == 0 && !v->plain)
		return "";
	if (ynode_string(v, key, d, &s) < 0)
		return def;
	return pool_strdup(&c->pool, s);
}

static const char *
path_at(struct config *c, const struct ynode *m, const char *key, const char *def, const char *dir,
	struct diag *d)
{
	const char *s = str_at(c, m, key, NULL, d);
	char *full;
	const char *r;

	if (!s)
		s = def;
	if (!s)
		return NULL;
	full = path_join(dir, s);
	r = pool_strdup(&c->pool, full);
	free(full);
	return r;
}

static long
long_at(const struct ynode *m, const char *key, long def, long min, long max, struct diag *d)
{
	const struct ynode *v = ynode_get(m, key);
	long out = def;

	if (v && ynode_int(v, key, min, max, d, &out) < 0)
		return def;
	return out;
}

static double
double_at(const struct ynode *m, const char *key, double def, double min, double max,
	  struct diag *d)
{
	const struct ynode *v = ynode_get(m, key);
	double out = def;

	if (v && ynode_double(v, key, min, max, d, &out) < 0)
		return def;
	return out;
}

static void
load_options(const struct ynode *v, struct model_options *o, struct diag *d)
{
	const struct ynode *x;
	long l;

	if (ynode_want_map(v, "options", d) < 0)
		return;
	ynode_check_keys(v, option_keys, ARRAY_SIZE(option_keys), "options", d);
	if ((x = ynode_get(v, "temperature")) &&
	    ynode_double(x, "temperature", 0, 2, d, &o->temperature) == 0)
		o->has_temperature = 1;
	if ((x = ynode_get(v, "top_p")) && ynode_double(x, "top_p", 0, 1, d, &o->top_p) == 0)
		o->has_top_p = 1;
	if ((x = ynode_get(v, "top_k")) && ynode_int(x, "top_k", 0, 100000, d, &o->top_k) == 0)
		o->has_top_k = 1;
	if ((x = ynode_get(v, "seed")) && ynode_int(x, "seed", -1, 0x7fffffffL, d, &o->seed) == 0)
		o->has_seed = 1;
	if ((x = ynode_get(v, "num_ctx")) &&
	    ynode_int(x, "num_ctx", 1, 10000000, d, &o->num_ctx) == 0)
		o->has_num_ctx = 1;
	if ((x = ynode_get(v, "max_tokens")) &&
	    ynode_int(x, "max_tokens", 1, 10000000, d, &o->max_tokens) == 0)
		o->has_max_tokens = 1;
	if ((x = ynode_get(v, "num_predict")) &&
	    ynode_int(x, "num_predict", -2, 10000000, d, &l) == 0) {
		if (o->has_max_tokens)
			ynode_error(d, x, "give max_tokens or num_predict, not both");
		o->max_tokens = l;
		o->has_max_tokens = 1;
	}
	if ((x = ynode_get(v, "think")) && ynode_bool(x, "think", d, &o->think) == 0)
		o->has_think = 1;
}

static void
load_backend(struct config *c, const struct ynode *m, struct config_backend *b, struct diag *d)
{
	static const char *const kinds[] = {"ollama", "openai", "anthropic", "demo"};
	static const char *const default_url[] = {"http://127.0.0.1:11434", NULL,
						  "https://api.anthropic.com", NULL};
	const struct ynode *v, *models;
	const char *kind;
	size_t i, j;

	memset(b, 0, sizeof *b);
	if (ynode_want_map(m, "backend", d) < 0)
		return;
	ynode_check_keys(m, backend_keys, ARRAY_SIZE(backend_keys), "backend", d);
	b->line = m->line;
	b->col = m->col;
	b->name = str_at(c, m, "name", NULL, d);
	kind = str_at(c, m, "kind", "", d);
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (strcmp(kind, kinds[i]) == 0)
			break;
	if (i == ARRAY_SIZE(kinds)) {
		if ((v = ynode_get(m, "kind")))
			ynode_error(d, v,
				    "kind must be ollama, openai, anthropic or demo, not '%s'",
				    kind);
		i = 0;
	}
	b->kind = (enum backend_kind)i;
	b->url = str_at(c, m, "url", default_url[i], d);
	if (b->kind == BACKEND_OPENAI && !b->url)
		ynode_error(d, m, "an openai backend needs url (the base URL ending in /v1)");
	if (b->url && strncmp(b->url, "http://", 7) != 0 && strncmp(b->url, "https://", 8) != 0)
		ynode_error(d, ynode_get(m, "url"),
			    "url must start with http:// or https://, not '%s'", b->url);
	b->api_key_env = str_at(c, m, "api_key_env", "", d);
	b->concurrency = long_at(m, "concurrency", 4, 1, 4096, d);
	b->rpm = long_at(m, "rpm", 0, 0, 1000000, d);
	b->timeout_s = long_at(m, "timeout_s", 600, 1, 86400, d);
	b->retries = long_at(m, "retries", 3, 0, 100, d);
	b->pause_s = long_at(m, "pause_s", 30, 0, 3600, d);
	models = ynode_get(m, "models");
	if (models && ynode_want_seq(models, "models", d) == 0) {
		b->models = pool_array(&c->pool, models->n ? models->n : 1, sizeof *b->models);
		for (i = 0; i < models->n; i++) {
			const struct ynode *mm = models->items[i];
			struct config_model *cm = &b->models[b->nmodels];

			if (mm->kind == YNODE_SCALAR && !ynode_is_null(mm)) {
				cm->name = pool_strdup(&c->pool, mm->str); /* a bare name */
				b->nmodels++;
				continue;
			}
			if (ynode_want_map(mm, "model", d) < 0)
				continue;
			ynode_check_keys(mm, model_keys, ARRAY_SIZE(model_keys), "model", d);
			cm->name = str_at(c, mm, "name", NULL, d);
			if ((v = ynode_get(mm, "options")))
				load_options(v, &cm->options, d);
			if (cm->name)
				b->nmodels++;
		}
		for (i = 0; i < b->nmodels; i++)
			for (j = 0; j < i; j++)
				if (strcmp(b->models[i].name, b->models[j].name) == 0)
					ynode_error(d, models->items[i],
						    "model '%s' is listed twice",
						    b->models[i].name);
	}
}

static void
load_schedule(struct config *c, const struct ynode *m, struct config_schedule *s, struct diag *d)
{
	const struct ynode *v;
	struct cron cr;
	char err[256];
	size_t i;

	memset(s, 0, sizeof *s);
	if (ynode_want_map(m, "schedule", d) < 0)
		return;
	ynode_check_keys(m, schedule_keys, ARRAY_SIZE(schedule_keys), "schedule", d);
	s->line = m->line;
	s->col = m->col;
	s->name = str_at(c, m, "name", NULL, d);
	s->cron = str_at(c, m, "cron", NULL, d);
	if (s->cron && cron_parse(s->cron, &cr, err, sizeof err) < 0)
		ynode_error(d, ynode_get(m, "cron"), "cron: %s", err);
	s->suite = str_at(c, m, "suite", "all", d);
	s->samples = long_at(m, "samples", 1, 1, 100, d);
	s->catch_up = 1;
	if ((v = ynode_get(m, "catch_up")))
		ynode_bool(v, "catch_up", d, &s->catch_up);
	if ((v = ynode_get(m, "models")) && ynode_want_seq(v, "models", d) == 0) {
		s->models = pool_array(&c->pool, v->n ? v->n : 1, sizeof *s->models);
		for (i = 0; i < v->n; i++) {
			const char *name;

			if (ynode_string(v->items[i], "models", d, &name) == 0)
				s->models[s->nmodels++] = pool_strdup(&c->pool, name);
		}
	}
}

int
config_load(struct config *c, const char *path, struct diag *d)
{
	struct ydoc doc;
	const struct ynode *root, *v, *w;
	struct diag mine;
	char *dir;
	size_t i, j;
	int rc = -1;

	config_defaults(c);
	diag_init(&mine);
	dir = path_dir(path);
	if (ydoc_load_file(&doc, path, &mine) < 0)
		goto out;
	root = doc.root;
	if (!root) {
		/* An empty file is a valid file on defaults. */
		rc = 0;
		goto resolve;
	}
	if (ynode_want_map(root, "config", &mine) < 0)
		goto out;
	ynode_check_keys(root, top_keys, ARRAY_SIZE(top_keys), "amicus.yaml", &mine);
	c->listen = str_at(c, root, "listen", c->listen, &mine);
	{
		const char *colon = strrchr(c->listen, ':');
		long port = colon ? strtol(colon + 1, NULL, 10) : 0;

		if (!colon || colon == c->listen || port < 1 || port > 65535)
			ynode_error(&mine, ynode_get(root, "listen"),
				    "listen must be host:port, e.g. 127.0.0.1:8470, not '%s'",
				    c->listen);
	}
	c->token_env = str_at(c, root, "token_env", c->token_env, &mine);
	if ((v = ynode_get(root, "backends")) && ynode_want_seq(v, "backends", &mine) == 0) {
		c->backends = pool_array(&c->pool, v->n ? v->n : 1, sizeof *c->backends);
		for (i = 0; i < v->n; i++)
			load_backend(c, v->items[i], &c->backends[c->nbackends++], &mine);
		for (i = 0; i < c->nbackends; i++)
			for (j = 0; j < i; j++)
				if (c->backends[i].name && c->backends[j].name &&
				    strcmp(c->backends[i].name, c->backends[j].name) == 0)
					diag_error(&mine, path, c->backends[i].line,
						   c->backends[i].col,
						   "backend name '%s' is used twice (first at line "
						   "%d)",
						   c->backends[i].name, c->backends[j].line);
	}
	if ((v = ynode_get(root, "judge")) && !ynode_is_null(v) &&
	    ynode_want_map(v, "judge", &mine) == 0) {
		ynode_check_keys(v, judge_keys, ARRAY_SIZE(judge_keys), "judge", &mine);
		c->judge_backend = str_at(c, v, "backend", NULL, &mine);
		c->judge_model = str_at(c, v, "model", NULL, &mine);
		if ((w = ynode_get(v, "items"))) {
			if (w->kind == YNODE_SCALAR && strcmp(w->str, "all") == 0)
				c->judge_all_items = 1;
			else if (!(w->kind == YNODE_SCALAR && strcmp(w->str, "undecided") == 0))
				ynode_error(&mine, w, "judge.items must be 'undecided' or 'all'");
		}
		if (c->judge_backend && !config_backend(c, c->judge_backend))
			ynode_error(&mine, ynode_get(v, "backend"), "judge: no backend named '%s'",
				    c->judge_backend);
	}
	if ((v = ynode_get(root, "schedules")) && ynode_want_seq(v, "schedules", &mine) == 0) {
		c->schedules = pool_array(&c->pool, v->n ? v->n : 1, sizeof *c->schedules);
		for (i = 0; i < v->n; i++) {
			struct config_schedule *s = &c->schedules[c->nschedules++];

			load_schedule(c, v->items[i], s, &mine);
			for (j = 0; j < s->nmodels; j++)
				if (!config_find_model(c, s->models[j], NULL))
					diag_error(&mine, path, s->line, s->col,
						   "schedule '%s': no backend lists the model '%s'",
						   s->name ? s->name : "?", s->models[j]);
		}
		for (i = 0; i < c->nschedules; i++)
			for (j = 0; j < i; j++)
				if (c->schedules[i].name && c->schedules[j].name &&
				    strcmp(c->schedules[i].name, c->schedules[j].name) == 0)
					diag_error(&mine, path, c->schedules[i].line,
						   c->schedules[i].col,
						   "schedule name '%s' is used twice",
						   c->schedules[i].name);
	}
	if ((v = ynode_get(root, "thresholds")) && ynode_want_map(v, "thresholds", &mine) == 0) {
		ynode_check_keys(v, thresholds_keys, ARRAY_SIZE(thresholds_keys), "thresholds",
				 &mine);
		if ((w = ynode_get(v, "suitable")) && ynode_want_map(w, "suitable", &mine) == 0) {
			ynode_check_keys(w, suitable_keys, ARRAY_SIZE(suitable_keys), "suitable",
					 &mine);
			c->thresholds.suitable_pass_lower = double_at(
				w, "pass_lower", c->thresholds.suitable_pass_lower, 0, 1, &mine);
			c->thresholds.suitable_hallucination_upper =
				double_at(w, "hallucination_upper",
					  c->thresholds.suitable_hallucination_upper, 0, 1, &mine);
		}
		if ((w = ynode_get(v, "review")) && ynode_want_map(w, "review", &mine) == 0) {
			ynode_check_keys(w, review_keys, ARRAY_SIZE(review_keys), "review", &mine);
			c->thresholds.review_pass =
				double_at(w, "pass", c->thresholds.review_pass, 0, 1, &mine);
			c->thresholds.review_hallucination =
				double_at(w, "hallucination", c->thresholds.review_hallucination, 0,
					  1, &mine);
		}
	}
	if ((v = ynode_get(root, "scoring")) && ynode_want_map(v, "scoring", &mine) == 0) {
		ynode_check_keys(v, scoring_keys, ARRAY_SIZE(scoring_keys), "scoring", &mine);
		c->scoring.mix_threshold = double_at(v, "language_mix_threshold",
						     c->scoring.mix_threshold, 0, 1, &mine);
		c->scoring.loop_threshold =
			double_at(v, "loop_threshold", c->scoring.loop_threshold, 0, 1, &mine);
	}
	rc = 0;
resolve:
	c->file = pool_strdup(&c->pool, path);
	c->database = path_at(c, root, "database", c->database, dir, &mine);
	c->questions = path_at(c, root, "questions", c->questions, dir, &mine);
	c->rubrics = path_at(c, root, "rubrics", c->rubrics, dir, &mine);
	if (!ynode_get(root, "questions"))
		c->questions = installed_default(c, c->questions, "questions");
	if (!ynode_get(root, "rubrics"))
		c->rubrics = installed_default(c, c->rubrics, "rubrics");
	c->statutes = path_at(c, root, "statutes", NULL, dir, &mine);
	c->web = path_at(c, root, "web", "web", dir, &mine);
	if (!ynode_get(root, "web"))
		c->web = installed_default(c, c->web, "web");
out:
	if (mine.errors)
		rc = -1;
	diag_move(d, &mine);
	ydoc_deinit(&doc);
	free(dir);
	if (rc < 0) {
		config_deinit(c);
		config_defaults(c);
	}
	return rc;
}
