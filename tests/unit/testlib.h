/*
 * testlib.h - helpers shared by the unit tests.
 */
#ifndef AMICUS_TESTLIB_H
#define AMICUS_TESTLIB_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "diag.h"
#include "util.h"

static inline void
mkdir_p_one(const char *p)
{
	mkdir(p, 0700);
}

/* The directory of the test data (tests/data), from srcdir. */
static inline char *
test_data(const char *name)
{
	const char *srcdir = getenv("srcdir");

	return xasprintf("%s/tests/data/%s", srcdir ? srcdir : ".", name);
}

/* Writes content to a new file in a private temp directory; returns its path (malloc'd). */
static inline char *
test_file(const char *name, const char *content)
{
	static char dir[64];
	char *path;
	FILE *fp;

	if (!dir[0]) {
		strcpy(dir, "/tmp/amicus-test-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	path = xasprintf("%s/%s", dir, name);
	{
		/* make parent directories */
		char *slash = path + strlen(dir) + 1;

		while ((slash = strchr(slash, '/'))) {
			*slash = '\0';
			mkdir_p_one(path);
			*slash = '/';
			slash++;
		}
	}
	fp = fopen(path, "w");
	if (!fp)
		abort();
	fputs(content, fp);
	fclose(fp);
	return path;
}

/* Whether d has a problem at line (0: any line) whose message contains needle. */
static inline int
diag_has(const struct diag *d, int line, const char *needle)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if ((line == 0 || d->items[i].line == line) && strstr(d->items[i].message, needle))
			return 1;
	return 0;
}

/* Runs one suite; returns the exit status for main(). */
static inline int
test_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
