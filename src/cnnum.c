/*
 * cnnum.c - reading and writing Chinese numerals.
 *
 * Statutes number their articles in Chinese (第一千二百六十条), models cite
 * them either way (第1260条), so the citation check reads both.  Reading is
 * the usual accumulator: a digit waits for its unit (十 百 千); 万 closes a
 * section; 零 only holds a place; a leading 十 means 一十.
 */
#include "amconfig.h"

#include "cnnum.h"
#include "util.h"

#include <stdint.h>
#include <string.h>

static int
digit_of(int32_t cp)
{
	switch (cp) {
	case 0x96F6: /* 零 */
	case 0x3007: /* 〇 */ return 0;
	case 0x4E00: return 1; /* 一 */
	case 0x4E8C: return 2; /* 二 */
	case 0x4E24: return 2; /* 两 */
	case 0x4E09: return 3; /* 三 */
	case 0x56DB: return 4; /* 四 */
	case 0x4E94: return 5; /* 五 */
	case 0x516D: return 6; /* 六 */
	case 0x4E03: return 7; /* 七 */
	case 0x516B: return 8; /* 八 */
	case 0x4E5D: return 9; /* 九 */
	default:
		if (cp >= '0' && cp <= '9')
			return cp - '0';
		return -1;
	}
}

static int
unit_of(int32_t cp)
{
	switch (cp) {
	case 0x5341: return 10;    /* 十 */
	case 0x767E: return 100;   /* 百 */
	case 0x5343: return 1000;  /* 千 */
	case 0x4E07: return 10000; /* 万 */
	default: return 0;
	}
}

int
cnnum_is_char(int cp)
{
	return digit_of(cp) >= 0 || unit_of(cp) > 0;
}

long
cnnum_parse(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	long total = 0, section = 0, digit = -1, positional = 0;
	int32_t cp;
	size_t i = 0;
	int l, d, u, any_unit = 0, n = 0;

	if (len == 0)
		return -1;
	/* Pass 1: is there a unit at all? Without one, digits are positional. */
	for (i = 0; i < len; i += (size_t)l) {
		l = utf8_decode(p + i, len - i, &cp);
		if (unit_of(cp))
			any_unit = 1;
		else if (digit_of(cp) < 0)
			return -1;
		n++;
	}
	if (!any_unit) {
		for (i = 0; i < len; i += (size_t)l) {
			l = utf8_decode(p + i, len - i, &cp);
			positional = positional * 10 + digit_of(cp);
			if (positional > 99999999)
				return -1;
		}
		return positional;
	}
	for (i = 0; i < len; i += (size_t)l) {
		l = utf8_decode(p + i, len - i, &cp);
		d = digit_of(cp);
		if (d >= 0) {
			if (cp >= '0' && cp <= '9' && digit > 0)
				digit = digit * 10 + d; /* "1千" is rare; "12万" is not */
			else
				digit = d;
			if (digit > 99999999)
				return -1; /* no article or amount we read is that large */
			continue;
		}
		u = unit_of(cp);
		if (u == 10000) {
			section += digit > 0 ? digit : 0;
			if (section == 0)
				section = 1;
			total += section * 10000;
			if (total > 999999999999L)
				return -1;
			section = 0;
			digit = -1;
			continue;
		}
		if (digit < 0)
			digit = 1; /* 十五 = 一十五 */
		section += digit * u;
		digit = -1;
	}
	if (digit > 0)
		section += digit;
	total += section;
	if (total > 99999999)
		return -1;
	return total;
}

static const char *const cn_digit[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
static const char *const cn_unit[] = {"", "十", "百", "千"};

/* Writes 1..9999 into b; leading says whether this is the number's start. */
static void
format_section(struct buf *b, long n, int leading)
{
	int digits[4], i, zero = 0, started = 0;

	for (i = 0; i < 4; i++) {
		digits[i] = (int)(n % 10);
		n /= 10;
	}
	for (i = 3; i >= 0; i--) {
		if (digits[i] == 0) {
			if (started)
				zero = 1;
			continue;
		}
		if (zero || (!started && !leading && i < 3)) {
			buf_puts(b, cn_digit[0]);
			zero = 0;
		}
		/* 十五, not 一十五, when 十 opens the number. */
		if (!(i == 1 && digits[i] == 1 && !started && leading))
			buf_puts(b, cn_digit[digits[i]]);
		buf_puts(b, cn_unit[i]);
		started = 1;
	}
}

int
cnnum_format(long n, char *out, size_t cap)
{
	struct buf b;
	int len;

	if (n < 1 || n > 99999999 || cap == 0)
		return -1;
	buf_init(&b, 0);
	if (n >= 10000) {
		format_section(&b, n / 10000, 1);
		buf_puts(&b, "万");
		if (n % 10000)
			format_section(&b, n % 10000, 0);
	} else {
		format_section(&b, n, 1);
	}
	if (b.len + 1 > cap) {
		buf_deinit(&b);
		return -1;
	}
	memcpy(out, b.data, b.len + 1);
	len = (int)b.len;
	buf_deinit(&b);
	return len;
}
