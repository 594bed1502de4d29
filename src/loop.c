/*
 * loop.c - seq-rep-4 and repeated sentences.
 *
 * seq-rep-4 (Welleck et al., 2019) is the share of 4-grams that repeat an
 * earlier one: natural prose scores near 0, a model stuck in a loop near 1.
 * 4-grams are hashed to 64 bits and counted in an open-addressing set, so
 * the cost is linear and the memory bounded by the input cap.  Sentences are
 * hashed the same way to find one repeated three times, which catches a
 * loop of long sentences that seq-rep-4 dilutes.
 */
#include "amconfig.h"

#include "loop.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define LOOP_MAX_BYTES (4u << 20)
#define MIN_SENTENCE 8

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t
fnv(const unsigned char *s, size_t n, int fold)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= fold ? (unsigned char)tolower(s[i]) : s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static uint64_t
rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

/* A set of 64-bit hashes with counts; 0 marks an empty slot.  It grows
 * when half full, so its size follows what is in it, not the input. */
struct hset {
	uint64_t *keys;
	uint32_t *counts;
	size_t cap, used;
};

static void
hset_init(struct hset *h, size_t n)
{
	h->cap = 64;
	while (h->cap < n * 2)
		h->cap *= 2;
	h->used = 0;
	h->keys = xcalloc(h->cap, sizeof *h->keys);
	h->counts = xmalloc(h->cap * sizeof *h->counts);
}

static void
hset_free(struct hset *h)
{
	free(h->keys);
	free(h->counts);
}

static uint32_t hset_add(struct hset *h, uint64_t key);

static void
hset_grow(struct hset *h)
{
	struct hset old = *h;
	size_t i, k;

	h->cap *= 2;
	h->used = 0;
	h->keys = xcalloc(h->cap, sizeof *h->keys);
	h->counts = xmalloc(h->cap * sizeof *h->counts);
	for (i = 0; i < old.cap; i++) {
		if (!old.keys[i])
			continue;
		for (k = old.keys[i] & (h->cap - 1); h->keys[k]; k = (k + 1) & (h->cap - 1))
			;
		h->keys[k] = old.keys[i];
		h->counts[k] = old.counts[i];
		h->used++;
	}
	hset_free(&old);
}

/* Adds key; returns its count after adding. */
static uint32_t
hset_add(struct hset *h, uint64_t key)
{
	size_t i;

	if (key == 0)
		key = 1;
	if (2 * (h->used + 1) > h->cap)
		hset_grow(h);
	for (i = key & (h->cap - 1);; i = (i + 1) & (h->cap - 1)) {
		if (h->keys[i] == key)
			return ++h->counts[i];
		if (h->keys[i] == 0) {
			h->keys[i] = key;
			h->counts[i] = 1;
			h->used++;
			return 1;
		}
	}
}

/* Token hashes of s: Han characters and letter/digit runs. */
static size_t
tokenize(const unsigned char *s, size_t len, uint64_t **out)
{
	size_t i = 0, n = 0, cap = len / 3 + 8;
	uint64_t *t = xmalloc(cap * sizeof *t), h;
	int32_t cp;
	int l;

	while (i < len) {
		unsigned char c = s[i];

		if (c < 0x80) {
			if (!isalnum(c)) {
				i++;
				continue;
			}
			/* An ASCII word or number, case-folded. */
			h = 1469598103934665603ULL;
			while (i < len && s[i] < 0x80 && isalnum(s[i])) {
				h = (h ^ (uint64_t)(s[i] | (isalpha(s[i]) ? 0x20 : 0))) *
				    1099511628211ULL;
				i++;
			}
		} else {
			l = utf8_decode(s + i, len - i, &cp);
			if (is_han(cp)) {
				h = (uint64_t)cp;
				i += (size_t)l;
			} else if (is_latin(cp)) {
				size_t start = i;

				while (i < len) {
					l = utf8_decode(s + i, len - i, &cp);
					if (!(is_latin(cp) || (cp < 0x80 && isalnum(cp))))
						break;
					i += (size_t)l;
				}
				h = fnv(s + start, i - start, 1);
			} else {
				i += (size_t)l;
				continue;
			}
		}
		if (n == cap) {
			cap *= 2;
			t = xrealloc(t, cap * sizeof *t);
		}
		t[n++] = mix64(h);
	}
	*out = t;
	return n;
}

/* Bytes that can end a sentence, or start one of 。！？； (E3 80 82, EF BC ..). */
static const unsigned char maybe_end[256] = {
	['\n'] = 1, ['!'] = 1, ['?'] = 1, [';'] = 1, ['.'] = 1, [0xE3] = 1, [0xEF] = 1,
};

static int
sentence_end(const unsigned char *s, size_t len, size_t i, size_t *adv)
{
	*adv = 1;
	if (s[i] == '\n' || s[i] == '!' || s[i] == '?' || s[i] == ';')
		return 1;
	if (s[i] == '.' && (i + 1 == len || s[i + 1] == ' ' || s[i + 1] == '\n'))
		return 1;
	if (i + 3 <= len && s[i] == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x82) { /* 。 */
		*adv = 3;
		return 1;
	}
	if (i + 3 <= len && s[i] == 0xEF && s[i + 1] == 0xBC &&
	    (s[i + 2] == 0x81 || s[i + 2] == 0x9F || s[i + 2] == 0x9B)) { /* ！？； */
		*adv = 3;
		return 1;
	}
	return 0;
}

typedef int (*sentence_fn)(size_t a, size_t b, uint64_t key, void *arg);

/* Calls fn for each trimmed sentence of at least MIN_SENTENCE bytes. */
static void
each_sentence(const unsigned char *s, size_t len, sentence_fn fn, void *arg)
{
	size_t i = 0, start = 0, adv = 1, a, b;

	while (i <= len) {
		if (i < len && (!maybe_end[s[i]] || !sentence_end(s, len, i, &adv))) {
			i++;
			continue;
		}
		if (i == len)
			adv = 1;
		a = start;
		b = i;
		while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' || s[a] == '*' ||
				 s[a] == '-' || s[a] == '#'))
			a++;
		while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r'))
			b--;
		if (b - a >= MIN_SENTENCE && fn(a, b, mix64(fnv(s + a, b - a, 1)), arg))
			return;
		i += adv;
		start = i;
	}
}

struct count_ctx {
	struct hset h;
	uint64_t best;
	uint32_t best_count;
};

static int
count_sentence(size_t a, size_t b, uint64_t key, void *arg)
{
	struct count_ctx *c = arg;
	uint32_t n = hset_add(&c->h, key);

	(void)a;
	(void)b;
	if (n > c->best_count) {
		c->best_count = n;
		c->best = key;
	}
	return 0;
}

struct find_ctx {
	uint64_t key;
	size_t a, b;
};

static int
find_sentence(size_t a, size_t b, uint64_t key, void *arg)
{
	struct find_ctx *f = arg;

	if (key != f->key)
		return 0;
	f->a = a;
	f->b = b;
	return 1;
}

static void
sentences(const unsigned char *s, size_t len, struct loop_stats *out)
{
	struct count_ctx c = {0};
	struct find_ctx f = {0};

	hset_init(&c.h, 16);
	each_sentence(s, len, count_sentence, &c);
	hset_free(&c.h);
	if (c.best_count < 2)
		return;
	out->repeat_count = (int)c.best_count;
	out->repeated_sentence = c.best_count >= 3;
	f.key = c.best;
	each_sentence(s, len, find_sentence, &f);
	out->repeat_start = f.a;
	out->repeat_end = f.b;
}

void
loop_measure(const char *text, size_t len, struct loop_stats *out)
{
	const unsigned char *s = (const unsigned char *)text;
	struct hset h;
	uint64_t *tok, g;
	size_t n, i, unique = 0;

	memset(out, 0, sizeof *out);
	if (!text || len == 0)
		return;
	if (len > LOOP_MAX_BYTES)
		len = LOOP_MAX_BYTES;
	n = tokenize(s, len, &tok);
	if (n >= 4) {
		hset_init(&h, n);
		for (i = 0; i + 4 <= n; i++) {
			/* Each token's hash rotated by its place in the 4-gram. */
			g = tok[i] ^ rotl(tok[i + 1], 16) ^ rotl(tok[i + 2], 32) ^
			    rotl(tok[i + 3], 48);
			if (hset_add(&h, g) == 1)
				unique++;
		}
		out->ngrams = n - 3;
		out->rep4 = 1.0 - (double)unique / (double)out->ngrams;
		hset_free(&h);
	}
	free(tok);
	sentences(s, len, out);
}
