/*
 * web.h - the dashboard's files, served from memory.
 */
#ifndef AMICUS_WEB_H
#define AMICUS_WEB_H

#include "diag.h"
#include "http.h"

struct web;

/**
 * Reads the regular files under dir (not following symbolic links, not
 * hidden files, at most WEB_MAX_FILES files of WEB_MAX_FILE bytes) into
 * memory.  A missing dir gives an empty set (every request 404s with a
 * hint).  Returns 0, or -1 with err.
 */
int web_load(struct web **wp, const char *dir, struct am_err *err);
#define WEB_MAX_FILES 256
#define WEB_MAX_FILE (4u << 20)

/** Frees the files; *wp becomes NULL. */
void web_free(struct web **wp);

/** The directory the files came from ("" when none). */
const char *web_dir(const struct web *w);

/**
 * Answers a GET or HEAD for r->path from the files: "/" is index.html; the
 * Content-Type follows the extension; an ETag and If-None-Match give 304.
 * A path with a ".." segment, a backslash or a hidden segment is 404, as is
 * anything not loaded.  Never touches the file system.
 */
void web_serve(const struct web *w, struct http_request *r);

#endif
