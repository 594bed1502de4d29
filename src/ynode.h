/*
 * ynode.h - a YAML document as a tree of nodes that remember where they are.
 */
#ifndef AMICUS_YNODE_H
#define AMICUS_YNODE_H

#include <stddef.h>

#include "diag.h"
#include "pool.h"

enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

/**
 * A node.  A map holds its keys and values alternately in items (key 2i,
 * value 2i+1); keys are always scalars.  Every node knows its file, line and
 * column (1-based), so a problem found after parsing is still reported where
 * it is.
 */
struct ynode {
	enum ynode_kind kind;
	const char *file;     /* borrowed from the document */
	int line, col;        /* where the node starts */
	const char *str;      /* scalar: its text, NUL-terminated */
	size_t len;           /* scalar: length of str in bytes */
	int plain;            /* scalar: written without quotes */
	struct ynode **items; /* seq: elements; map: key, value, key, value ... */
	size_t n;             /* seq: elements; map: pairs */
};

/** A parsed document; everything lives in its pool. */
struct ydoc {
	struct pool pool;
	const char *file;   /* in pool */
	struct ynode *root; /* NULL for an empty document */
	const char *text;   /* the file as read, NUL-terminated; in pool */
	size_t len;
};

/**
 * Parses the file at path (at most 4 MiB).  Returns 0 with doc filled, or -1
 * after adding the problem (syntax error with its place, alias, duplicate
 * key, too deep) to d; doc is then empty but must still be deinit'ed.
 * A document may not use aliases or hold more than one document.
 */
int ydoc_load_file(struct ydoc *doc, const char *path, struct diag *d);
/** As ydoc_load_file, from len bytes of text; name is used in messages. */
int ydoc_load_string(struct ydoc *doc, const char *name, const char *text, size_t len,
		     struct diag *d);
/** Frees the document. */
void ydoc_deinit(struct ydoc *doc);

/** The value for key in map, or NULL (also when map is not a map). */
const struct ynode *ynode_get(const struct ynode *map, const char *key);
/** Whether a scalar is YAML null (~, null, or empty and unquoted). */
int ynode_is_null(const struct ynode *n);
/** A name for the node's kind, for messages ("a string", "a list", "a mapping"). */
const char *ynode_kind_name(const struct ynode *n);

/** The keys a mapping may have. */
struct ykey {
	const char *name;
	int required;
};

/**
 * Reports every key of map that is not in keys (with the nearest known key
 * as a hint) and every required key that is missing.  what names the
 * mapping in messages ("key point", "backend").  Returns the number of
 * problems added.
 */
int ynode_check_keys(const struct ynode *map, const struct ykey *keys, size_t nkeys,
		     const char *what, struct diag *d);

/**
 * Typed access: each returns 0 and fills *out, or -1 after adding a problem
 * at the node's place to d.  name is the key, for the message.
 */
int ynode_string(const struct ynode *n, const char *name, struct diag *d, const char **out);
/** An integer in [min, max]. */
int ynode_int(const struct ynode *n, const char *name, long min, long max, struct diag *d,
	      long *out);
/** A finite number in [min, max]. */
int ynode_double(const struct ynode *n, const char *name, double min, double max, struct diag *d,
		 double *out);
/** true/false (also yes/no, on/off). */
int ynode_bool(const struct ynode *n, const char *name, struct diag *d, int *out);
/** Checks that n is a mapping (kind == YNODE_MAP); else a problem. */
int ynode_want_map(const struct ynode *n, const char *name, struct diag *d);
/** Checks that n is a sequence; else a problem. */
int ynode_want_seq(const struct ynode *n, const char *name, struct diag *d);

/** Adds an error at the node's place. */
void ynode_error(struct diag *d, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** Adds a warning at the node's place. */
void ynode_warn(struct diag *d, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
