/*
 * engine.c - set up what `amicus run` and `amicus serve` share.
 *
 * With no configuration file, amicus runs on the defaults of DESIGN.md:
 * ./amicus.db, ./questions and ./rubrics, and a backend found by asking:
 * an Ollama at 127.0.0.1:11434 if one answers (with the models it has),
 * otherwise the built-in demo backend, whose two models are simulated.
 */
#include "amconfig.h"

#include "engine.h"
#include "log.h"
#include "util.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static size_t
on_probe_body(char *p, size_t size, size_t n, void *arg)
{
	return buf_append(arg, p, size * n) < 0 ? 0 : size * n;
}

/* Asks an Ollama at url for its models; fills up to cap names. */
static int
probe_ollama(struct pool *p, const char *url, const char **names, int cap)
{
	CURL *easy = curl_easy_init();
	struct buf body;
	char *u = xasprintf("%s/api/tags", url);
	json_t *root, *models, *m;
	long status = 0;
	size_t i;
	int n = -1;

	buf_init(&body, 1u << 20);
	curl_easy_setopt(easy, CURLOPT_URL, u);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_probe_body);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, 800L);
	curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 2000L);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	if (curl_easy_perform(easy) == CURLE_OK &&
	    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status == 200 &&
	    (root = json_loadb(body.data ? body.data : "", body.len, 0, NULL))) {
		models = json_object_get(root, "models");
		n = 0;
		json_array_foreach(models, i, m)
		{
			json_t *name = json_object_get(m, "name");

			if (json_is_string(name) && n < cap)
				names[n++] = pool_strdup(p, json_string_value(name));
		}
		json_decref(root);
	}
	curl_easy_cleanup(easy);
	buf_deinit(&body);
	free(u);
	return n;
}

int
engine_default_backends(struct config *c)
{
	struct config_backend *b;
	const char *names[16];
	int n, i;

	n = probe_ollama(&c->pool, "http://127.0.0.1:11434", names, (int)ARRAY_SIZE(names));
	c->backends = pool_array(&c->pool, 1, sizeof *c->backends);
	c->nbackends = 1;
	b = &c->backends[0];
	b->concurrency = 4;
	b->timeout_s = 600;
	b->retries = 3;
	b->api_key_env = "";
	if (n > 0) {
		b->name = "local";
		b->kind = BACKEND_OLLAMA;
		b->url = "http://127.0.0.1:11434";
		b->models = pool_array(&c->pool, (size_t)n, sizeof *b->models);
		for (i = 0; i < n; i++)
			b->models[b->nmodels++].name = names[i];
		log_info("engine", "no backend configured: using the Ollama at %s (%d models)",
			 b->url, n);
	} else {
		b->name = "demo";
		b->kind = BACKEND_DEMO;
		b->concurrency = 8;
		b->models = pool_array(&c->pool, 2, sizeof *b->models);
		b->models[0].name = "demo-direct";
		b->models[1].name = "demo-reasoner";
		b->nmodels = 2;
		log_info("engine", "no backend configured and no Ollama at 127.0.0.1:11434: using "
				   "the demo backend (simulated models)");
	}
	return n > 0;
}

int
engine_open(struct engine *e, uv_loop_t *loop, const char *path, struct diag *d, struct am_err *err)
{
	memset(e, 0, sizeof *e);
	e->loop = loop;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (path) {
		e->cfg_path = xstrdup(path);
		if (config_load(&e->cfg, path, d) < 0) {
			am_err_set(err, "%s has problems", path);
			return -1;
		}
	} else {
		config_defaults(&e->cfg);
	}
	if (!e->cfg.nbackends)
		e->probed_ollama = engine_default_backends(&e->cfg);
	if (catalog_load(&e->cat, e->cfg.questions, e->cfg.rubrics, e->cfg.statutes, d) < 0 &&
	    e->cat.bank.n == 0) {
		am_err_set(err, "no question could be loaded from %s", e->cfg.questions);
		return -1;
	}
	if (store_open(&e->store, e->cfg.database, err) < 0)
		return -1;
	return 0;
}

int
engine_start_backends(struct engine *e, struct am_err *err)
{
	size_t i;

	if (curlloop_new(&e->cl, e->loop) < 0)
		return am_err_set(err, "cannot start libcurl");
	e->nbackends = e->cfg.nbackends;
	e->backends = xcalloc(e->nbackends ? e->nbackends : 1, sizeof *e->backends);
	for (i = 0; i < e->nbackends; i++)
		if (backend_new(&e->backends[i], e->loop, e->cl, &e->cfg.backends[i], &e->cat) < 0)
			return am_err_set(err, "cannot start backend %s", e->cfg.backends[i].name);
	return 0;
}

void
engine_stop_backends(struct engine *e)
{
	size_t i;

	for (i = 0; i < e->nbackends; i++)
		backend_free(&e->backends[i]);
	free(e->backends);
	e->backends = NULL;
	e->nbackends = 0;
	curlloop_close(&e->cl);
}

void
engine_close(struct engine *e)
{
	engine_stop_backends(e);
	store_close(&e->store);
	catalog_deinit(&e->cat);
	config_deinit(&e->cfg);
	free(e->cfg_path);
	curl_global_cleanup();
}

int
engine_backend_of(const struct engine *e, const char *model)
{
	const struct config_backend *b = config_find_model(&e->cfg, model, NULL);

	return b ? (int)(b - e->cfg.backends) : -1;
}
