/*
 * diag.h - problems found in files a user wrote, and single errors.
 */
#ifndef AMICUS_DIAG_H
#define AMICUS_DIAG_H

#include <stdio.h>

enum diag_level { DIAG_ERROR, DIAG_WARNING };

/** One problem: where it is and what it is. */
struct diag_item {
	enum diag_level level;
	char *file;    /* malloc'd; may be NULL */
	int line;      /* 1-based; 0 when unknown */
	int col;       /* 1-based; 0 when unknown */
	char *message; /* malloc'd; includes any hint */
};

/**
 * A list of problems.  Loaders add every problem they find to it rather than
 * stopping at the first, so a user fixes a file in one pass.
 */
struct diag {
	struct diag_item *items;
	size_t n, cap;
	size_t errors;   /* items with DIAG_ERROR */
	size_t warnings; /* items with DIAG_WARNING */
	size_t limit;    /* stop recording after this many (0 = 1000) */
	size_t dropped;  /* problems not recorded because of limit */
};

/** Initializes an empty list. */
void diag_init(struct diag *d);
/** Frees every item. */
void diag_deinit(struct diag *d);
/** Adds an error at file:line:col (file may be NULL, line/col 0). */
void diag_error(struct diag *d, const char *file, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/** Adds a warning at file:line:col. */
void diag_warn(struct diag *d, const char *file, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/** Prints each item as "file:line:col: error: message", in the order found. */
void diag_print(const struct diag *d, FILE *fp);
/** Moves every item of src to the end of dst; src is left empty. */
void diag_move(struct diag *dst, struct diag *src);

/**
 * A single error from a boundary call (config, store, backend, http): a
 * message a user can act on.  The callee fills it; the caller decides
 * whether to log or print it.
 */
struct am_err {
	char msg[512];
};

/** Formats msg into err (err may be NULL). Returns -1, for `return am_err_set(...)`. */
int am_err_set(struct am_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
