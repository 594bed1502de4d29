/*
 * fuzz_sse.c - the SSE and NDJSON decoders on arbitrary bytes, fed in
 * pieces whose sizes come from the input itself: any split must give the
 * same events as one piece, and nothing may read or write out of bounds.
 */
#include "amconfig.h"

#include "sse.h"

#include <stdint.h>
#include <string.h>

struct tally {
	size_t events, bytes;
};

static int
on_event(const char *event, const char *data, size_t len, void *arg)
{
	struct tally *t = arg;

	t->events++;
	t->bytes += len + strlen(event) + (data[len] == '\0' ? 0 : 1);
	return 0;
}

static struct tally
decode(int ndjson, const uint8_t *d, size_t n, size_t step)
{
	struct tally t = {0, 0};
	struct sse s;
	size_t i;

	sse_init(&s, ndjson, 4096, on_event, &t);
	for (i = 0; i < n; i += step)
		if (sse_feed(&s, (const char *)d + i, n - i < step ? n - i : step) < 0)
			break;
	sse_finish(&s);
	sse_deinit(&s);
	return t;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct tally whole, split;
	int ndjson;
	size_t step;

	if (n < 2)
		return 0;
	ndjson = d[0] & 1;
	step = (size_t)(d[1] % 7) + 1;
	whole = decode(ndjson, d + 2, n - 2, n);
	split = decode(ndjson, d + 2, n - 2, step);
	/* Splitting the stream must not change what it says. */
	if (whole.events != split.events || whole.bytes != split.bytes)
		__builtin_trap();
	return 0;
}
