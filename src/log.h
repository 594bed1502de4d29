/*
 * log.h - one line per event, to stderr, with a level and a subsystem.
 */
#ifndef AMICUS_LOG_H
#define AMICUS_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/** Sets the most verbose level written (default LOG_INFO). */
void log_set_level(enum log_level level);
/** Parses "error", "warn", "info" or "debug"; returns -1 if unknown. */
int log_level_parse(const char *s);
/** Whether a message at level would be written. */
int log_enabled(enum log_level level);

/**
 * Writes "2026-11-29T02:00:00Z level subsystem: message".  Untrusted text
 * in the message (model output, request paths) must be passed through
 * log_safe first.  Formatting is skipped below the level.
 */
void log_write(enum log_level level, const char *subsystem, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_error(sub, ...) log_write(LOG_ERROR, sub, __VA_ARGS__)
#define log_warn(sub, ...) log_write(LOG_WARN, sub, __VA_ARGS__)
#define log_info(sub, ...) log_write(LOG_INFO, sub, __VA_ARGS__)
#define log_debug(sub, ...)                                     \
	do {                                                    \
		if (log_enabled(LOG_DEBUG))                     \
			log_write(LOG_DEBUG, sub, __VA_ARGS__); \
	} while (0)

/**
 * Copies at most max bytes of untrusted text s (n bytes) into out (cap
 * bytes) for a log line: control characters become '?', a cut is marked
 * with "...".  Returns out.
 */
char *log_safe(const char *s, size_t n, size_t max, char *out, size_t cap);

#endif
