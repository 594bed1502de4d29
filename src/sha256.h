/*
 * sha256.h - SHA-256, for content hashes of questions and rubrics.
 */
#ifndef AMICUS_SHA256_H
#define AMICUS_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	unsigned char buf[64];
	size_t nbuf;
};

/** Starts a hash. */
void sha256_init(struct sha256 *s);
/** Adds n bytes. */
void sha256_update(struct sha256 *s, const void *data, size_t n);
/** Finishes and writes the 32-byte digest. */
void sha256_final(struct sha256 *s, unsigned char out[32]);
/** Hashes n bytes into 64 lower-case hex digits and a NUL (hex: 65 bytes). */
void sha256_hex(const void *data, size_t n, char hex[65]);

#endif
