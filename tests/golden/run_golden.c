/*
 * run_golden.c - the golden scoring cases.
 *
 * Each directory under tests/golden/cases/ is one case:
 *   rubric.yaml    the rubric (a turn or several), or
 *   rubric         the name of a shared rubric in tests/golden/rubrics/
 *   answer.txt     what the model wrote, reasoning included
 *   expected.json  what `amicus score --json` must say
 *   args           optional: more arguments, one per line (--turn 2, --lang en)
 * The registry is tests/data/statutes.yaml.
 *
 * expected.json is compared as a subset: every key it has must be in the
 * output with an equal value (numbers within 1e-6).  Arrays of objects with
 * an "id" are matched by id (the output may have more); other arrays must
 * have the same length and match element by element.  A failing case
 * prints the path of the first difference and the whole output.
 */
#include "amconfig.h"

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "util.h"

static int match(json_t *want, json_t *got, char *path, size_t cap);

static int
match_array(json_t *want, json_t *got, char *path, size_t cap)
{
	size_t i, j, n = strlen(path);
	json_t *w, *g = NULL, *id;

	if (!json_is_array(got))
		return 0;
	w = json_array_get(want, 0);
	if (json_is_object(w) && json_object_get(w, "id")) {
		json_array_foreach(want, i, w)
		{
			id = json_object_get(w, "id");
			snprintf(path + n, cap - n, "[id=%s]", json_string_value(id));
			json_array_foreach(got, j,
					   g) if (json_equal(json_object_get(g, "id"), id)) break;
			if (j == json_array_size(got) || !match(w, g, path, cap))
				return 0;
			path[n] = '\0';
		}
		return 1;
	}
	if (json_array_size(want) != json_array_size(got)) {
		snprintf(path + n, cap - n, " (length %zu, want %zu)", json_array_size(got),
			 json_array_size(want));
		return 0;
	}
	json_array_foreach(want, i, w)
	{
		snprintf(path + n, cap - n, "[%zu]", i);
		if (!match(w, json_array_get(got, i), path, cap))
			return 0;
		path[n] = '\0';
	}
	return 1;
}

static int
match(json_t *want, json_t *got, char *path, size_t cap)
{
	const char *key;
	json_t *w;
	size_t n = strlen(path);

	if (!got)
		return 0;
	if (json_is_number(want) && json_is_number(got))
		return fabs(json_number_value(want) - json_number_value(got)) < 1e-6;
	if (json_is_object(want)) {
		if (!json_is_object(got))
			return 0;
		json_object_foreach(want, key, w)
		{
			snprintf(path + n, cap - n, ".%s", key);
			if (!match(w, json_object_get(got, key), path, cap))
				return 0;
			path[n] = '\0';
		}
		return 1;
	}
	if (json_is_array(want))
		return match_array(want, got, path, cap);
	return json_equal(want, got);
}

static char *
slurp_cmd(const char *cmd, int *status)
{
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *fp = popen(cmd, "r");

	buf_init(&b, 0);
	buf_append(&b, "", 0);
	if (!fp) {
		*status = -1;
		return buf_steal(&b);
	}
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_append(&b, chunk, n);
	*status = pclose(fp);
	return buf_steal(&b);
}

static int
run_case(const char *amicus, const char *srcdir, const char *dir, const char *name)
{
	char *cmd, *args = NULL, *argfile, *out, *exp, *rubric, *shared = NULL, path[512] = "";
	size_t alen, i, slen;
	json_t *want, *got;
	json_error_t jerr;
	int status, ok = 0;

	argfile = xasprintf("%s/%s/args", dir, name);
	if (file_read(argfile, 4096, &args, &alen) == 0) {
		for (i = 0; i < alen; i++)
			if (args[i] == '\n')
				args[i] = ' ';
	}
	rubric = xasprintf("%s/%s/rubric", dir, name);
	if (file_read(rubric, 256, &shared, &slen) == 0) {
		while (slen && (shared[slen - 1] == '\n' || shared[slen - 1] == ' '))
			shared[--slen] = '\0';
		free(rubric);
		rubric = xasprintf("%s/tests/golden/rubrics/%s.yaml", srcdir, shared);
	} else {
		free(rubric);
		rubric = xasprintf("%s/%s/rubric.yaml", dir, name);
	}
	cmd = xasprintf("'%s' score --rubric '%s' --statutes '%s/tests/data/statutes.yaml' "
			"--answer '%s/%s/answer.txt' --json %s 2>&1",
			amicus, rubric, srcdir, dir, name, args ? args : "");
	out = slurp_cmd(cmd, &status);
	exp = xasprintf("%s/%s/expected.json", dir, name);
	want = json_load_file(exp, 0, &jerr);
	got = json_loads(out, 0, NULL);
	if (!want) {
		printf("FAIL %s: expected.json: %s (line %d)\n", name, jerr.text, jerr.line);
	} else if (status != 0 || !got) {
		printf("FAIL %s: amicus exited %d\n%s\n", name, WEXITSTATUS(status), out);
	} else if (!match(want, got, path, sizeof path)) {
		printf("FAIL %s: differs at %s\n%s\n", name, path[0] ? path : "(top)", out);
	} else {
		printf("ok   %s\n", name);
		ok = 1;
	}
	json_decref(want);
	json_decref(got);
	free(cmd);
	free(rubric);
	free(shared);
	free(args);
	free(argfile);
	free(out);
	free(exp);
	return ok;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(void)
{
	const char *srcdir = getenv("srcdir"), *amicus = getenv("AMICUS");
	char *dir, **names = NULL;
	size_t n = 0, cap = 0, i, passed = 0;
	struct dirent *de;
	DIR *dp;

	if (!srcdir)
		srcdir = ".";
	if (!amicus)
		amicus = "./amicus";
	dir = xasprintf("%s/tests/golden/cases", srcdir);
	dp = opendir(dir);
	if (!dp) {
		printf("FAIL cannot open %s\n", dir);
		return 1;
	}
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dp);
	qsort(names, n, sizeof *names, cmp);
	for (i = 0; i < n; i++) {
		passed += run_case(amicus, srcdir, dir, names[i]);
		free(names[i]);
	}
	free(names);
	free(dir);
	printf("%zu of %zu golden cases pass\n", passed, n);
	return n > 0 && passed == n ? 0 : 1;
}
