/* testutil.c — fixture paths, temp folders, file helpers for unit tests. */
#include "testutil.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *root(void)
{
	const char *r = getenv("ONEFISH_ROOT");
	return r && r[0] ? r : ".";
}

const char *of_fixture(const char *rel)
{
	static char buf[4096];
	snprintf(buf, sizeof buf, "%s/tests/fixtures/%s", root(), rel);
	return buf;
}

const char *of_corpus(const char *rel)
{
	static char buf[4096];
	snprintf(buf, sizeof buf, "%s/../shared/corpus/%s", root(), rel);
	return access(buf, R_OK) == 0 ? buf : NULL;
}

const char *of_test_tmpdir(void)
{
	static char buf[256];
	snprintf(buf, sizeof buf, "/tmp/onefish-test-XXXXXX");
	if (!mkdtemp(buf))
		fail_msg("mkdtemp failed");
	return buf;
}

static int rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

void of_test_rmtree(const char *dir)
{
	nftw(dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

char *of_test_slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *data = malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, fp), (size_t)n);
	data[n] = '\0';
	fclose(fp);
	if (len)
		*len = (size_t)n;
	return data;
}

void of_test_write(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	if (!fp)
		fail_msg("cannot write %s", path);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
}
