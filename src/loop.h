/*
 * loop.h - does a text repeat itself?
 */
#ifndef AMICUS_LOOP_H
#define AMICUS_LOOP_H

#include <stddef.h>

/** How repetitive one text is. */
struct loop_stats {
	double rep4;           /* 1 - unique 4-grams / all 4-grams; 0 with fewer than 4 tokens */
	size_t ngrams;         /* 4-grams counted */
	int repeated_sentence; /* some sentence occurs three times or more */
	size_t repeat_start;   /* the first occurrence of the most repeated sentence */
	size_t repeat_end;     /* (byte offsets into the text) */
	int repeat_count;      /* how often it occurs */
};

/**
 * Measures seq-rep-4 over len bytes of s: tokens are Han characters and
 * runs of letters or digits (case-insensitive), so Chinese is measured in
 * characters and other languages in words.  A sentence (ended by 。！？.!?;
 * or a line break, at least 8 bytes after trimming) that occurs three times
 * or more sets repeated_sentence.  Reads at most the first 4 MiB.  Pure;
 * allocates scratch memory and frees it.
 */
void loop_measure(const char *s, size_t len, struct loop_stats *out);

#endif
