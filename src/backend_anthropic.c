/*
 * backend_anthropic.c - Anthropic's Messages API, streamed as SSE events:
 * message_start, content_block_start/delta/stop (text_delta,
 * thinking_delta), message_delta (stop_reason, output tokens),
 * message_stop, ping, and error.  529 means overloaded.
 */
#include "amconfig.h"

#include "backend_int.h"

#include <string.h>

#define DEFAULT_MAX_TOKENS 4096

static int
build(struct call *c, const struct config_backend *cfg, const char *key, char **url,
      struct curl_slist **hdrs, char **body)
{
	json_t *j = json_object();
	long max = c->opt.has_max_tokens ? c->opt.max_tokens : DEFAULT_MAX_TOKENS;
	struct curl_slist *h = NULL;
	char *kh;

	*url = xasprintf("%s/v1/messages", cfg->url);
	json_object_set_new(j, "model", json_string(c->model));
	json_object_set_new(j, "max_tokens", json_integer(max));
	if (c->system)
		json_object_set_new(j, "system", json_string(c->system));
	json_object_set_new(j, "messages", messages_json(c, 0));
	json_object_set_new(j, "stream", json_true());
	if (c->opt.has_think && c->opt.think)
		json_object_set_new(j, "thinking",
				    json_pack("{s:s, s:I}", "type", "enabled", "budget_tokens",
					      (json_int_t)(max > 2048 ? max / 2 : 1024)));
	else if (c->opt.has_temperature)
		json_object_set_new(j, "temperature", json_real(c->opt.temperature));
	if (c->opt.has_top_p && !(c->opt.has_think && c->opt.think))
		json_object_set_new(j, "top_p", json_real(c->opt.top_p));
	*body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	h = curl_slist_append(h, "anthropic-version: 2023-06-01");
	if (key) {
		kh = xasprintf("x-api-key: %s", key);
		h = curl_slist_append(h, kh);
		free(kh);
	}
	*hdrs = h;
	return *body ? 0 : -1;
}

static int
event(struct call *c, const char *ev, const char *data, size_t len)
{
	json_t *root = call_event_json(c, "event", data, len), *d, *v, *u;
	const char *type;
	char em[384];

	if (!root)
		return -1;
	type = json_string_value(json_object_get(root, "type"));
	if (!type)
		type = ev;
	if (strcmp(type, "error") == 0 || strcmp(ev, "error") == 0) {
		error_message(root, em, sizeof em, NULL);
		call_fail(c, 1, "the stream from %s failed: %s", c->url, em);
		json_decref(root);
		return -1;
	}
	if (strcmp(type, "message_start") == 0) {
		u = json_object_get(json_object_get(root, "message"), "usage");
		if (json_is_integer(v = json_object_get(u, "input_tokens")))
			c->prompt_tokens = (long)json_integer_value(v);
	} else if (strcmp(type, "content_block_delta") == 0) {
		d = json_object_get(root, "delta");
		type = json_string_value(json_object_get(d, "type"));
		if (type && strcmp(type, "text_delta") == 0 &&
		    json_is_string(v = json_object_get(d, "text")))
			call_content(c, json_string_value(v), json_string_length(v));
		else if (type && strcmp(type, "thinking_delta") == 0 &&
			 json_is_string(v = json_object_get(d, "thinking")))
			call_reasoning(c, json_string_value(v), json_string_length(v));
	} else if (strcmp(type, "message_delta") == 0) {
		d = json_object_get(root, "delta");
		if (json_is_string(v = json_object_get(d, "stop_reason")))
			snprintf(c->finish, sizeof c->finish, "%s", json_string_value(v));
		u = json_object_get(root, "usage");
		if (json_is_integer(v = json_object_get(u, "output_tokens")))
			c->completion_tokens = (long)json_integer_value(v);
		if (json_is_object(u)) {
			free(c->usage_json);
			c->usage_json = json_dumps(u, JSON_COMPACT | JSON_SORT_KEYS);
		}
	} else if (strcmp(type, "message_stop") == 0) {
		c->done_seen = 1;
		if (!c->finish[0])
			snprintf(c->finish, sizeof c->finish, "end_turn");
	}
	json_decref(root);
	return 0;
}

static char *
models_url(const struct config_backend *cfg)
{
	return xasprintf("%s/v1/models", cfg->url);
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

		if (n == cap || !json_is_string(id))
			continue;
		snprintf(out[n].name, sizeof out[n].name, "%s", json_string_value(id));
		snprintf(out[n].digest, sizeof out[n].digest, "%s", json_string_value(id));
		n++;
	}
	return n;
}

const struct proto proto_anthropic = {
	.ndjson = 0,
	.build = build,
	.event = event,
	.models_url = models_url,
	.models_parse = models_parse,
};
