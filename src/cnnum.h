/*
 * cnnum.h - Chinese numerals, both ways.
 */
#ifndef AMICUS_CNNUM_H
#define AMICUS_CNNUM_H

#include <stddef.h>

/**
 * Parses a number written in Chinese numerals (一 … 九, 十 百 千 万, 零/〇,
 * 两) or in ASCII digits, from len bytes of s.  Digit strings without units
 * ("二〇二一") are read positionally.  Returns the value, or -1 when s is
 * not a number or exceeds 99,999,999.
 */
long cnnum_parse(const char *s, size_t len);

/**
 * Writes n (1 … 99,999,999) in Chinese numerals into out (cap bytes, NUL-
 * terminated), the way statutes write article numbers: 十, 十五, 一百零五,
 * 一千二百六十.  Returns the length, or -1 if n is out of range or out is
 * too small.
 */
int cnnum_format(long n, char *out, size_t cap);

/** Whether the code point is one of the characters cnnum_parse reads. */
int cnnum_is_char(int cp);

#endif
