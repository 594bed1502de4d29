/*
 * util.h - allocation that cannot fail, bounded buffers, files.
 */
#ifndef AMICUS_UTIL_H
#define AMICUS_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/** malloc that aborts the process when memory is exhausted. */
void *xmalloc(size_t n);
/** calloc that aborts on exhaustion or on n * size overflow. */
void *xcalloc(size_t n, size_t size);
/** realloc that aborts on exhaustion. */
void *xrealloc(void *p, size_t n);
/** Returns a malloc'd copy of s; caller frees. */
char *xstrdup(const char *s);
/** Returns a malloc'd, NUL-terminated copy of the first n bytes of s. */
char *xstrndup(const char *s, size_t n);
/** Returns a malloc'd string formatted like printf; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * A growable byte buffer with a size cap.  The content is always
 * NUL-terminated (the NUL is not counted in len).  Appends past the cap fail
 * with -1 and leave the buffer as it was.
 */
struct buf {
	char *data;   /* owned; NULL until the first append */
	size_t len;   /* bytes in use, not counting the NUL */
	size_t cap;   /* bytes allocated */
	size_t limit; /* the most len may reach; 0 means SIZE_MAX */
};

/** Initializes b empty, with the given cap on its length (0 = none). */
void buf_init(struct buf *b, size_t limit);
/** Frees the content and leaves b empty and reusable. */
void buf_deinit(struct buf *b);
/** Appends n bytes. Returns 0, or -1 when the cap would be exceeded. */
int buf_append(struct buf *b, const void *p, size_t n);
/** Appends a NUL-terminated string. Returns as buf_append. */
int buf_puts(struct buf *b, const char *s);
/** Appends formatted text. Returns as buf_append. */
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Takes the content away from b (malloc'd; caller frees) and empties b. */
char *buf_steal(struct buf *b);

/**
 * Reads a whole file of at most limit bytes.  Returns 0 and a malloc'd,
 * NUL-terminated copy in *out (length in *len); or -errno on failure
 * (-EFBIG when the file is larger than limit).
 */
int file_read(const char *path, size_t limit, char **out, size_t *len);

/** Joins a directory and a relative path; an absolute rel is returned as is. malloc'd. */
char *path_join(const char *dir, const char *rel);
/** The directory part of path ("." when there is none). malloc'd. */
char *path_dir(const char *path);

/** The general case of utf8_decode; use utf8_decode. */
int utf8_decode_slow(const unsigned char *s, size_t n, int32_t *cp);

/**
 * Decodes one UTF-8 code point at s (n bytes available).  Returns its length
 * in bytes (1-4) and the code point in *cp; an invalid or truncated sequence
 * yields length 1 and *cp = 0xFFFD.  Inline: every scan of an answer calls it
 * once per character.
 */
static inline int
utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	/* A three-byte sequence (all of CJK) without surrogates or overlongs. */
	if (n >= 3 && (s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
	    s[0] != 0xE0 && s[0] != 0xED) {
		*cp = ((int32_t)(s[0] & 0x0F) << 12) | ((int32_t)(s[1] & 0x3F) << 6) |
		      (s[2] & 0x3F);
		return 3;
	}
	return utf8_decode_slow(s, n, cp);
}
/** Encodes cp as UTF-8 into out (at least 4 bytes). Returns the length. */
int utf8_encode(int32_t cp, char *out);
/**
 * The longest prefix of s (at least max bytes long) of at most max bytes
 * that does not end inside a UTF-8 character.
 */
size_t utf8_trim(const char *s, size_t max);
/** Whether cp is a Han ideograph (CJK unified ideographs and extensions). */
static inline int
is_han(int32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x20000 && cp <= 0x323AF) || (cp >= 0xF900 && cp <= 0xFAFF) || cp == 0x3007;
}
/** Whether cp is a letter of the Latin script (ASCII and Latin supplements). */
int is_latin(int32_t cp);

/** Levenshtein distance of two short strings, capped at cap + 1. */
int edit_distance(const char *a, const char *b, int cap);

/** Monotonic clock in nanoseconds. */
uint64_t now_ns(void);

#endif
