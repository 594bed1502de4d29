/*
 * question.h - the question bank: one YAML file per question.
 */
#ifndef AMICUS_QUESTION_H
#define AMICUS_QUESTION_H

#include <stddef.h>

#include "diag.h"
#include "pool.h"

/** One turn of a conversation. */
struct question_turn {
	const char *ask;       /* what the user says */
	const char *reference; /* a correct answer written from the statute, or NULL */
	int line, col;
};

/** A question, as in questions/<area>/<id>.yaml. */
struct question {
	const char *id;
	const char *area;           /* legal area; the dashboard groups by it */
	const char *jurisdiction;   /* CN, US, ... */
	const char *language;       /* zh or en: the language the answer must be in */
	const char *version_of_law; /* the law's version the answer depends on, or NULL */
	const char *title;          /* short title for lists, or NULL */
	const char *system;         /* system prompt, or NULL */
	const char *twin;           /* id of the same question in the other language, or NULL */
	const char **tags;
	size_t ntags;
	struct question_turn *turns;
	size_t nturns;
	const char *file; /* path it was loaded from */
	const char *text; /* the file as read, stored with results */
	char hash[65];    /* SHA-256 of text: results point at the exact version */
	int line, col;
};

/** All questions of a directory tree. */
struct bank {
	struct pool pool;
	struct question **q; /* sorted by id */
	size_t n;
	const char *dir;
};

/**
 * Loads one question file into p.  Returns the question, or NULL with every
 * problem of the file added to d.
 */
struct question *question_load(struct pool *p, const char *path, struct diag *d);

/**
 * Loads every *.yaml file under dir (recursively, in a stable order).  Files
 * with problems are reported to d and left out; duplicate ids are reported.
 * Returns 0 when every file loaded, -1 otherwise (the good ones are kept).
 * A missing directory is a problem.  Always call bank_deinit.
 */
int bank_load(struct bank *b, const char *dir, struct diag *d);
/** Frees the bank. */
void bank_deinit(struct bank *b);
/** The question with this id, or NULL. */
const struct question *bank_find(const struct bank *b, const char *id);
/** Whether q has the tag. */
int question_has_tag(const struct question *q, const char *tag);

/**
 * Lists the *.yaml and *.yml files under dir, recursively, sorted, skipping
 * names that start with '.'; skip (may be NULL) is a file or directory name
 * to leave out.  Returns 0 and a malloc'd array of malloc'd paths, or -errno.
 */
int yaml_files(const char *dir, const char *skip, char ***out, size_t *n);
/** Frees what yaml_files returned. */
void yaml_files_free(char **files, size_t n);

#endif
