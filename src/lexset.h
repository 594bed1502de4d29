/*
 * lexset.h - find which of many short strings occurs at a position.
 */
#ifndef AMICUS_LEXSET_H
#define AMICUS_LEXSET_H

#include <stddef.h>
#include <stdint.h>

/** One string of the set and the value it stands for. */
struct lexset_entry {
	const char *w;                  /* borrowed; must outlive the set */
	uint32_t len;                   /* bytes, at least 2 */
	uint32_t key;                   /* its first character, or its first two ASCII bytes */
	uint8_t bound_start, bound_end; /* must begin / end at a word boundary */
	intptr_t value;
};

/**
 * A set of strings looked up by position: the scan of a text asks "which
 * entry starts here?" at every character, so most positions must be
 * rejected by one bitmap test of their first two bytes.  Entries that start
 * or end with a letter or digit of a spaced script match whole words only.
 */
struct lexset {
	struct lexset_entry *e;
	size_t n, cap;
	int built;
	uint8_t has_key[65536 / 8];
};

/** Initializes an empty set. */
void lexset_init(struct lexset *ls);
/** Frees the set (not the strings). */
void lexset_deinit(struct lexset *ls);
/** Adds w (len bytes, borrowed; entries shorter than 2 bytes are ignored). */
void lexset_add(struct lexset *ls, const char *w, size_t len, intptr_t value);
/** Sorts the set for lookup; call after the last add. */
void lexset_build(struct lexset *ls);
/**
 * Calls fn for every entry whose bytes occur in s at byte i, longest first,
 * without the word-boundary rules (the caller has its own).  Stops when fn
 * returns nonzero.
 */
void lexset_each(const struct lexset *ls, const char *s, size_t len, size_t i,
		 int (*fn)(const struct lexset_entry *e, void *arg), void *arg);

/** Whether any entry may start at byte i (the bitmap test alone). */
static inline int lexset_maybe(const struct lexset *ls, const char *s, size_t len, size_t i);

/** The part of lexset_match after the bitmap test; use lexset_match. */
const struct lexset_entry *lexset_lookup(const struct lexset *ls, const char *s, size_t len,
					 size_t i, uint32_t key);

/** The key of the text at s (n >= 2 bytes): its first character when that
 * is a three-byte one (all of CJK), else its first two bytes. */
static inline uint32_t
lexset_key(const unsigned char *s, size_t n)
{
	if (n >= 3 && (s[0] & 0xF0) == 0xE0)
		return ((uint32_t)s[0] << 16) | ((uint32_t)s[1] << 8) | s[2];
	return ((uint32_t)s[0] << 8) | s[1];
}

/** The key's bit in the bitmap. */
static inline uint16_t
lexset_bit(uint32_t key)
{
	return (uint16_t)((key * 2654435761u) >> 16);
}

static inline int
lexset_maybe(const struct lexset *ls, const char *s, size_t len, size_t i)
{
	uint16_t b;

	if (i + 1 >= len)
		return 0;
	b = lexset_bit(lexset_key((const unsigned char *)s + i, len - i));
	return (ls->has_key[b >> 3] >> (b & 7)) & 1;
}

/**
 * The longest entry that occurs in s (len bytes) at byte i, or NULL.
 * Inline: called at every character of an answer, and most are rejected
 * by one bit.
 */
static inline const struct lexset_entry *
lexset_match(const struct lexset *ls, const char *s, size_t len, size_t i)
{
	uint32_t key;
	uint16_t b;

	if (i + 1 >= len)
		return NULL;
	key = lexset_key((const unsigned char *)s + i, len - i);
	b = lexset_bit(key);
	if (!(ls->has_key[b >> 3] & (1u << (b & 7))))
		return NULL;
	return lexset_lookup(ls, s, len, i, key);
}

#endif
