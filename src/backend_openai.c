/*
 * backend_openai.c - OpenAI-compatible chat completions, streamed as SSE:
 * vLLM, llama.cpp's server, LM Studio, DeepSeek, Qwen's compatible mode,
 * OpenRouter and Ollama's /v1.
 *
 * What servers differ in: reasoning arrives as delta.reasoning_content
 * (DeepSeek, llama.cpp, older vLLM), delta.reasoning (Ollama /v1, newer
 * vLLM) or inline <think> in content; content can be null; usage comes in
 * a chunk whose choices is empty, in the finish chunk, or not at all; the
 * stream may end after the finish reason without [DONE].  An error can
 * arrive as data: {"error": {...}} after a 200.
 */
#include "amconfig.h"

#include "backend_int.h"
#include "sha256.h"

#include <string.h>

static int
build(struct call *c, const struct config_backend *cfg, const char *key, char **url,
      struct curl_slist **hdrs, char **body)
{
	json_t *j = json_object();
	size_t n = strlen(cfg->url);

	*url = xasprintf("%.*s/chat/completions", (int)(n && cfg->url[n - 1] == '/' ? n - 1 : n),
			 cfg->url);
	json_object_set_new(j, "model", json_string(c->model));
	json_object_set_new(j, "messages", messages_json(c, 1));
	json_object_set_new(j, "stream", json_true());
	json_object_set_new(j, "stream_options", json_pack("{s:b}", "include_usage", 1));
	if (c->opt.has_temperature)
		json_object_set_new(j, "temperature", json_real(c->opt.temperature));
	if (c->opt.has_top_p)
		json_object_set_new(j, "top_p", json_real(c->opt.top_p));
	if (c->opt.has_seed)
		json_object_set_new(j, "seed", json_integer(c->opt.seed));
	if (c->opt.has_max_tokens)
		json_object_set_new(j, "max_tokens", json_integer(c->opt.max_tokens));
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

static void
usage(struct call *c, json_t *u)
{
	json_t *v, *d;

	if (!json_is_object(u))
		return;
	if (json_is_integer(v = json_object_get(u, "prompt_tokens")))
		c->prompt_tokens = (long)json_integer_value(v);
	if (json_is_integer(v = json_object_get(u, "completion_tokens")))
		c->completion_tokens = (long)json_integer_value(v);
	d = json_object_get(u, "completion_tokens_details");
	if (json_is_integer(v = json_object_get(d, "reasoning_tokens")))
		c->reasoning_tokens = (long)json_integer_value(v);
	free(c->usage_json);
	c->usage_json = json_dumps(u, JSON_COMPACT | JSON_SORT_KEYS);
}

static int
event(struct call *c, const char *ev, const char *data, size_t len)
{
	json_t *root, *choices, *ch, *delta, *v;
	char em[384];
	size_t i;

	(void)ev;
	if (len == 6 && memcmp(data, "[DONE]", 6) == 0) {
		if (c->finish[0])
			c->done_seen = 1;
		return 0;
	}
	root = call_event_json(c, "event", data, len);
	if (!root)
		return -1;
	if (json_object_get(root, "error")) {
		error_message(root, em, sizeof em, &c->quota);
		call_fail(c, !c->quota, "the stream from %s failed: %s", c->url, em);
		json_decref(root);
		return -1;
	}
	choices = json_object_get(root, "choices");
	json_array_foreach(choices, i, ch)
	{
		delta = json_object_get(ch, "delta");
		if (!delta)
			delta = json_object_get(ch, "message"); /* a server that does not stream */
		if (json_is_string(v = json_object_get(delta, "reasoning_content")))
			call_reasoning(c, json_string_value(v), json_string_length(v));
		else if (json_is_string(v = json_object_get(delta, "reasoning")))
			call_reasoning(c, json_string_value(v), json_string_length(v));
		if (json_is_string(v = json_object_get(delta, "content")))
			call_content(c, json_string_value(v), json_string_length(v));
		if (json_is_string(v = json_object_get(ch, "finish_reason"))) {
			snprintf(c->finish, sizeof c->finish, "%s", json_string_value(v));
			/* Complete even if [DONE] never comes. */
			c->done_seen = 1;
		}
	}
	usage(c, json_object_get(root, "usage"));
	json_decref(root);
	return 0;
}

static char *
models_url(const struct config_backend *cfg)
{
	size_t n = strlen(cfg->url);

	return xasprintf("%.*s/models", (int)(n && cfg->url[n - 1] == '/' ? n - 1 : n), cfg->url);
}

static int
models_parse(json_t *root, struct backend_model *out, int cap)
{
	json_t *data = json_object_get(root, "data"), *m;
	size_t i;
	int n = 0;

	if (!json_is_array(data))
		return -1;
	json_array_foreach(data, i, m)
	{
		json_t *id = json_object_get(m, "id");
		char *dump, hex[65];

		if (n == cap || !json_is_string(id))
			continue;
		snprintf(out[n].name, sizeof out[n].name, "%s", json_string_value(id));
		/* No digest in this API: a fingerprint of what the server says of it. */
		dump = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
		sha256_hex(dump, strlen(dump), hex);
		snprintf(out[n].digest, sizeof out[n].digest, "fp:%.16s", hex);
		free(dump);
		n++;
	}
	return n;
}

const struct proto proto_openai = {
	.ndjson = 0,
	.build = build,
	.event = event,
	.models_url = models_url,
	.models_parse = models_parse,
};
