/*
 * backend_ollama.c - Ollama's native API: POST /api/chat, an NDJSON stream.
 *
 * Every request says `think` explicitly: Ollama turns thinking on by
 * default for models that can think, and we must measure what we asked
 * for.  Reasoning arrives in message.thinking, the answer in
 * message.content; the last line has done: true with done_reason and the
 * counts and durations (nanoseconds).  An error can arrive as a line
 * {"error": "..."} after a 200.
 */
#include "amconfig.h"

#include "backend_int.h"

#include <string.h>

static int
build(struct call *c, const struct config_backend *cfg, const char *key, char **url,
      struct curl_slist **hdrs, char **body)
{
	json_t *j = json_object(), *opt = json_object();

	*url = xasprintf("%s/api/chat", cfg->url);
	json_object_set_new(j, "model", json_string(c->model));
	json_object_set_new(j, "messages", messages_json(c, 1));
	json_object_set_new(j, "stream", json_true());
	json_object_set_new(j, "think", json_boolean(c->opt.has_think && c->opt.think));
	if (c->opt.has_temperature)
		json_object_set_new(opt, "temperature", json_real(c->opt.temperature));
	if (c->opt.has_top_p)
		json_object_set_new(opt, "top_p", json_real(c->opt.top_p));
	if (c->opt.has_top_k)
		json_object_set_new(opt, "top_k", json_integer(c->opt.top_k));
	if (c->opt.has_seed)
		json_object_set_new(opt, "seed", json_integer(c->opt.seed));
	if (c->opt.has_num_ctx)
		json_object_set_new(opt, "num_ctx", json_integer(c->opt.num_ctx));
	if (c->opt.has_max_tokens)
		json_object_set_new(opt, "num_predict", json_integer(c->opt.max_tokens));
	json_object_set_new(j, "options", opt);
	*body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	*hdrs = NULL;
	if (key) {
		char *h = xasprintf("Authorization: Bearer %s", key);

		*hdrs = curl_slist_append(NULL, h);
		free(h);
	}
	return *body ? 0 : -1;
}

static long
int_of(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_integer(v) ? (long)json_integer_value(v) : -1;
}

static int
event(struct call *c, const char *ev, const char *data, size_t len)
{
	json_t *root = call_event_json(c, "NDJSON line", data, len), *msg, *v;
	char em[384];

	(void)ev;
	if (!root)
		return -1;
	if (json_object_get(root, "error")) {
		error_message(root, em, sizeof em, NULL);
		call_fail(c, 1, "the stream from %s failed: %s", c->url, em);
		json_decref(root);
		return -1;
	}
	msg = json_object_get(root, "message");
	if ((v = json_object_get(msg, "thinking")) && json_is_string(v))
		call_reasoning(c, json_string_value(v), json_string_length(v));
	if ((v = json_object_get(msg, "content")) && json_is_string(v))
		call_content(c, json_string_value(v), json_string_length(v));
	if (json_is_true(json_object_get(root, "done"))) {
		long ev_count = int_of(root, "eval_count"), ev_ns = int_of(root, "eval_duration");
		json_t *usage = json_object();
		const char *keys[] = {"prompt_eval_count", "eval_count",           "total_duration",
				      "load_duration",     "prompt_eval_duration", "eval_duration"};
		size_t i;

		c->done_seen = 1;
		v = json_object_get(root, "done_reason");
		snprintf(c->finish, sizeof c->finish, "%s",
			 json_is_string(v) ? json_string_value(v) : "stop");
		c->prompt_tokens = int_of(root, "prompt_eval_count");
		c->completion_tokens = ev_count;
		if (ev_count > 0 && ev_ns > 0)
			c->tokens_per_s = (double)ev_count / ((double)ev_ns / 1e9);
		for (i = 0; i < ARRAY_SIZE(keys); i++)
			if (json_is_integer(json_object_get(root, keys[i])))
				json_object_set(usage, keys[i], json_object_get(root, keys[i]));
		free(c->usage_json);
		c->usage_json = json_dumps(usage, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(usage);
	}
	json_decref(root);
	return 0;
}

static char *
models_url(const struct config_backend *cfg)
{
	return xasprintf("%s/api/tags", cfg->url);
}

static int
models_parse(json_t *root, struct backend_model *out, int cap)
{
	json_t *models = json_object_get(root, "models"), *m;
	size_t i;
	int n = 0;

	if (!json_is_array(models))
		return -1;
	json_array_foreach(models, i, m)
	{
		json_t *name = json_object_get(m, "name"), *digest = json_object_get(m, "digest");

		if (n == cap || !json_is_string(name))
			continue;
		snprintf(out[n].name, sizeof out[n].name, "%s", json_string_value(name));
		snprintf(out[n].digest, sizeof out[n].digest, "%s",
			 json_is_string(digest) ? json_string_value(digest) : "");
		n++;
	}
	return n;
}

const struct proto proto_ollama = {
	.ndjson = 1,
	.build = build,
	.event = event,
	.models_url = models_url,
	.models_parse = models_parse,
};
