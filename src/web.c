/*
 * web.c - the dashboard's files, served from memory.
 *
 * The files are read once, at start-up and on SIGHUP, by walking the web
 * directory: only regular files (lstat, so a symbolic link is never
 * followed out of the tree), no hidden names, bounded in number and size.
 * A request is then answered by looking its path up in that table, so no
 * request can reach the file system: "..", "%2e%2e" (decoded by http.c
 * before we see it), a NUL or a symlink to /etc lead nowhere because
 * nothing but the table is ever consulted.  Each file carries an ETag
 * (a hash of its bytes); a matching If-None-Match gets 304.
 */
#include "amconfig.h"

#include "web.h"
#include "sha256.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sys/stat.h>

struct webfile {
	char *path; /* "/js/app.js" */
	char *data;
	size_t len;
	const char *type;
	char etag[20]; /* "\"" 16 hex "\"" */
};

struct web {
	char *dir;
	struct webfile *f;
	size_t n;
};

static const struct {
	const char *ext, *type;
} types[] = {
	{".html", "text/html; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".mjs", "text/javascript; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".json", "application/json"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".ico", "image/x-icon"},
	{".txt", "text/plain; charset=utf-8"},
	{".woff2", "font/woff2"},
};

static const char *
type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	size_t i;

	for (i = 0; dot && i < ARRAY_SIZE(types); i++)
		if (strcasecmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static int
add_file(struct web *w, const char *full, const char *rel, off_t size, struct am_err *err)
{
	struct webfile *f;
	unsigned char d[32];
	FILE *fp;
	int i;

	if (w->n == WEB_MAX_FILES)
		return am_err_set(err, "%s: more than %d files", w->dir, WEB_MAX_FILES);
	if (size < 0 || (size_t)size > WEB_MAX_FILE)
		return am_err_set(err, "%s: over %u bytes", full, WEB_MAX_FILE);
	fp = fopen(full, "rb");
	if (!fp)
		return am_err_set(err, "%s: %s", full, strerror(errno));
	w->f = xrealloc(w->f, (w->n + 1) * sizeof *w->f);
	f = &w->f[w->n];
	memset(f, 0, sizeof *f);
	f->data = xmalloc((size_t)size + 1);
	f->len = fread(f->data, 1, (size_t)size, fp);
	fclose(fp);
	f->path = xasprintf("/%s", rel);
	f->type = type_of(rel);
	{
		struct sha256 h;

		sha256_init(&h);
		sha256_update(&h, f->data, f->len);
		sha256_final(&h, d);
	}
	f->etag[0] = '"';
	for (i = 0; i < 8; i++)
		snprintf(f->etag + 1 + 2 * i, 3, "%02x", d[i]);
	f->etag[17] = '"';
	f->etag[18] = '\0';
	w->n++;
	return 0;
}

/* Adds the regular files under dir/rel, depth-first, up to 8 levels. */
static int
walk(struct web *w, const char *rel, int depth, struct am_err *err)
{
	char *path = *rel ? xasprintf("%s/%s", w->dir, rel) : xstrdup(w->dir);
	struct dirent *de;
	DIR *dp;
	int rc = 0;

	dp = opendir(path);
	if (!dp) {
		free(path);
		return depth == 0 && errno == ENOENT
			       ? 0
			       : am_err_set(err, "%s: %s", w->dir, strerror(errno));
	}
	while (rc == 0 && (de = readdir(dp))) {
		struct stat sb;
		char *full, *sub;

		if (de->d_name[0] == '.')
			continue; /* ., .., and hidden files */
		full = xasprintf("%s/%s", path, de->d_name);
		sub = *rel ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
		if (lstat(full, &sb) == 0) {
			if (S_ISREG(sb.st_mode))
				rc = add_file(w, full, sub, sb.st_size, err);
			else if (S_ISDIR(sb.st_mode) && depth < 8)
				rc = walk(w, sub, depth + 1, err);
		}
		free(full);
		free(sub);
	}
	closedir(dp);
	free(path);
	return rc;
}

int
web_load(struct web **wp, const char *dir, struct am_err *err)
{
	struct web *w = xcalloc(1, sizeof *w);

	w->dir = xstrdup(dir ? dir : "");
	if (dir && walk(w, "", 0, err) < 0) {
		web_free(&w);
		return -1;
	}
	*wp = w;
	return 0;
}

void
web_free(struct web **wp)
{
	struct web *w = *wp;
	size_t i;

	if (!w)
		return;
	for (i = 0; i < w->n; i++) {
		free(w->f[i].path);
		free(w->f[i].data);
	}
	free(w->f);
	free(w->dir);
	free(w);
	*wp = NULL;
}

const char *
web_dir(const struct web *w)
{
	return w ? w->dir : "";
}

void
web_serve(const struct web *w, struct http_request *r)
{
	const char *path = strcmp(r->path, "/") == 0 ? "/index.html" : r->path;
	const char *inm = http_header(r, "if-none-match");
	char extra[512];
	size_t i;

	for (i = 0; w && i < w->n; i++)
		if (strcmp(w->f[i].path, path) == 0)
			break;
	if (!w || i == w->n) {
		if (!w || !w->n)
			http_respond_error(r, 404,
					   "no dashboard files here (set web: in amicus.yaml "
					   "to the web/ directory of amicus)");
		else
			http_respond_error(r, 404, "not found");
		return;
	}
	/* Revalidate every time (the ETag makes that cheap), and let the pages
	 * run nothing but their own scripts, whatever a model wrote. */
	snprintf(extra, sizeof extra,
		 "ETag: %s\r\nCache-Control: no-cache\r\nReferrer-Policy: no-referrer\r\n"
		 "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src "
		 "'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
		 "base-uri 'none'; frame-ancestors 'none'\r\n",
		 w->f[i].etag);
	if (inm && strstr(inm, w->f[i].etag)) {
		http_respond(r, 304, NULL, NULL, 0, extra);
		return;
	}
	http_respond(r, 200, w->f[i].type, w->f[i].data, w->f[i].len, extra);
}
