/*
 * log.c - the daemon's log.
 *
 * Lines go to stderr, which systemd's journal (or the terminal) collects.
 * A line is written with one write(2) so lines from the loop and the
 * thread pool never interleave.  Nothing that comes from a model or a
 * client reaches the log unbounded or with control characters in it.
 */
#include "amconfig.h"

#include "log.h"
#include "util.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static enum log_level max_level = LOG_INFO;

void
log_set_level(enum log_level level)
{
	max_level = level;
}

int
log_level_parse(const char *s)
{
	static const char *const names[] = {"error", "warn", "info", "debug"};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (strcasecmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

int
log_enabled(enum log_level level)
{
	return level <= max_level;
}

void
log_write(enum log_level level, const char *subsystem, const char *fmt, ...)
{
	static const char *const names[] = {"error", "warn", "info", "debug"};
	char line[2048];
	struct tm tm;
	time_t now;
	va_list ap;
	int n, m;

	if (level > max_level)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02dZ %s %s: ", tm.tm_year + 1900,
		     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, names[level],
		     subsystem);
	if (n < 0 || (size_t)n >= sizeof line)
		return;
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

char *
log_safe(const char *s, size_t n, size_t max, char *out, size_t cap)
{
	size_t i = 0, o = 0;
	int32_t cp;
	int l;

	if (cap == 0)
		return out;
	while (i < n && o + 8 < cap) {
		l = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (i + (size_t)l > max) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
		    (cp == 0xFFFD && l == 1)) {
			out[o++] = '?';
		} else {
			memcpy(out + o, s + i, (size_t)l);
			o += (size_t)l;
		}
		i += (size_t)l;
	}
	out[o] = '\0';
	return out;
}
