/*
 * fuzz_yaml.c - the YAML loaders on arbitrary bytes: the tree builder, and
 * (through a file, as amicus reads them) a rubric, a question and
 * amicus.yaml.  The first byte chooses the loader (0 rubric, 1 question,
 * 2 amicus.yaml), the rest is the file.  Whatever the input, a loader
 * either loads or reports problems; it never crashes, leaks or half-loads.
 */
#include "amconfig.h"

#include "config.h"
#include "question.h"
#include "rubric.h"
#include "ynode.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(path, sizeof path, "/tmp/amicus-fuzz-yaml-%d.yaml", (int)getpid());
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct ydoc doc;
	struct diag dg;
	struct pool p;
	FILE *fp;

	diag_init(&dg);
	if (n < 1)
		return 0;
	ydoc_load_string(&doc, "fuzz.yaml", (const char *)d + 1, n - 1, &dg);
	ydoc_deinit(&doc); /* loaded or not */
	fp = fopen(path, "wb");
	if (!fp)
		abort();
	fwrite(d + 1, 1, n - 1, fp);
	fclose(fp);
	pool_init(&p, 0);
	switch (d[0] % 3) {
	case 0: rubric_load(&p, path, &dg); break;
	case 1: question_load(&p, path, &dg); break;
	default: {
		struct config c;

		config_load(&c, path, &dg);
		config_deinit(&c);
		break;
	}
	}
	pool_deinit(&p);
	diag_deinit(&dg);
	return 0;
}
