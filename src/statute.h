/*
 * statute.h - the registry of laws the citation check knows
 * (rubrics/statutes.yaml): names, aliases, versions, which articles exist,
 * and where available the text of each article.
 */
#ifndef AMICUS_STATUTE_H
#define AMICUS_STATUTE_H

#include <stddef.h>

#include "diag.h"
#include "lexset.h"
#include "pool.h"

/** A run of existing articles [from, to] without sub-articles. */
struct law_range {
	int from, to;
};

/** An article with a suffix: 第一百二十条之一 (120, 1), § 106A (106, 1). */
struct law_sub {
	int article, sub;
};

/** The text of one article, as offsets into the law's text. */
struct law_article_text {
	int article, sub;
	size_t start, end;
};

/** One law (or one title of a code). */
struct law {
	const char *id;   /* unique, e.g. cn-copyright */
	const char *name; /* e.g. 著作权法, 17 U.S.C. */
	const char **aliases;
	size_t naliases;
	const char *jurisdiction;  /* CN, US, ... */
	const char *version;       /* date or year of the version */
	const char *superseded_by; /* id of the law that replaced this one, or NULL */
	const char *articles_spec; /* as written */
	struct law_range *ranges;
	size_t nranges;
	struct law_sub *subs;
	size_t nsubs;
	int article_count;         /* articles that exist, sub-articles included */
	struct law_range *deleted; /* plain articles the law has deleted (`deleted:`) */
	size_t ndeleted;
	const char **text_paths; /* statute text (Markdown), in order; may be several files */
	size_t ntext_paths;
	char *text; /* loaded by statutes_load_texts: the files, joined */
	size_t text_len;
	struct law_article_text *arts;
	size_t narts;
	int line, col; /* where it is defined */
};

/** A name or alias of a law, as the answers are searched for it. */
struct law_name {
	const struct law *law;
	const char *written; /* as in the registry, for its capital letters */
};

/** A name reduced to letters, digits and Han, for statutes_find. */
struct law_key {
	const char *key;
	size_t len;
	const struct law *law;
};

/** The registry. */
struct statutes {
	struct pool pool;
	const char *file; /* path it was loaded from */
	struct law *laws;
	size_t n;
	struct law_name *names_of; /* lexset values index this */
	size_t nnames;
	struct lexset names;  /* folded names and aliases -> index into names_of */
	struct law_key *keys; /* lookup keys of every name and alias, for statutes_find */
	size_t nkeys;
};

/**
 * Loads the registry at path.  Returns 0, or -1 with every problem added to
 * d (the registry is then empty; nothing is half-loaded).  Always call
 * statutes_deinit.
 */
int statutes_load(struct statutes *st, const char *path, struct diag *d);
/** Initializes an empty registry (no laws known). */
void statutes_init_empty(struct statutes *st);
/** Frees the registry. */
void statutes_deinit(struct statutes *st);

/**
 * Finds a law by name or alias (case, width, spaces, dots and 《》 are
 * ignored).  Among laws with the same name the one not superseded wins.
 * Returns NULL when unknown.
 */
const struct law *statutes_find(const struct statutes *st, const char *name, size_t len);
/**
 * The version of l that a text means when it names a year ("2018年公司法",
 * year = "2018") or an older version ("旧公司法", "修订前的公司法": year =
 * NULL): a law with l's name whose version begins with the year, or the
 * newest superseded one.  Returns l when there is none.
 */
const struct law *statutes_version_of(const struct statutes *st, const struct law *l,
				      const char *year);
/** Finds a law by id. */
const struct law *statutes_by_id(const struct statutes *st, const char *id);

/** Whether the registry lists (article, sub) among the law's deleted articles. */
int law_article_deleted(const struct law *l, int article, int sub);
/** Whether the law has article (article, sub); sub 0 is the plain article. */
int law_has_article(const struct law *l, int article, int sub);
/** Writes "第十条", "第一百二十条之一", "§ 106A" or "Art. 10" for the article. */
void law_article_name(const struct law *l, int article, int sub, char *out, size_t cap);

/**
 * Loads the statute texts that laws name with `text:` and indexes their
 * articles.  Problems (unreadable file, an article in the text that the
 * registry says does not exist, or the reverse) are added to d.  Returns
 * the number of problems.
 */
int statutes_load_texts(struct statutes *st, struct diag *d);
/** The text of an article, or NULL (len in *len) if no text is loaded. */
const char *law_article_body(const struct law *l, int article, int sub, size_t *len);

/** Parses "第十条", "10", "120之一", "106A"; returns 0 and fills, or -1. */
int statute_parse_article(const char *s, int *article, int *sub);

#endif
