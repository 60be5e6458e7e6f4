/* fuzz_path.c — path helpers and of_path_resolve_inside against a small tree
 * holding a symlink that escapes it: a resolved path never leaves the root.
 * Also round-trips the input through of_file_write_atomic / of_file_read. */
#include "fuzz.h"
#include "onefish/fileio.h"

#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path_fuzz_root[256], path_fuzz_real[4096];

static void path_fuzz_setup(void)
{
	char p[512];
	const char *tmp = of_fuzz_tmpdir();
	FILE *fp;
	snprintf(path_fuzz_root, sizeof path_fuzz_root, "%s/pack", tmp);
	mkdir(path_fuzz_root, 0755);
	snprintf(p, sizeof p, "%s/images", path_fuzz_root);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/images/a.jpg", path_fuzz_root);
	if ((fp = fopen(p, "w")))
		fclose(fp);
	snprintf(p, sizeof p, "%s/secret", tmp);
	if ((fp = fopen(p, "w")))
		fclose(fp);
	snprintf(p, sizeof p, "%s/images/out", path_fuzz_root);
	if (symlink("../../secret", p) != 0) { /* exists from an earlier run: fine */ }
	snprintf(p, sizeof p, "%s/etc", path_fuzz_root);
	if (symlink("/etc", p) != 0) { }
	snprintf(p, sizeof p, "%s/loop", path_fuzz_root);
	if (symlink("loop", p) != 0) { }
	if (!realpath(path_fuzz_root, path_fuzz_real))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = of_fuzz_cstr(data, size);
	if (!path_fuzz_root[0])
		path_fuzz_setup();

	/* Each line is one relative path as it would appear in a post or config. */
	char *save = NULL;
	for (char *rel = strtok_r(s, "\n", &save); rel; rel = strtok_r(NULL, "\n", &save)) {
		char *out = NULL, *dir, *joined;
		int rc = of_path_resolve_inside(&out, path_fuzz_root, rel);
		if (rc == 0) {
			size_t n = strlen(path_fuzz_real);
			OF_FUZZ_CHECK(strncmp(out, path_fuzz_real, n) == 0);
			OF_FUZZ_CHECK(out[n] == '/' || out[n] == '\0');
			free(out);
		} else {
			of_fuzz_check_error(rc);
			OF_FUZZ_CHECK(out == NULL);
		}
		OF_FUZZ_CHECK(strchr(of_path_basename(rel), '/') == NULL);
		OF_FUZZ_CHECK((dir = of_path_dirname(rel)) != NULL);
		OF_FUZZ_CHECK((joined = of_path_join(dir, of_path_basename(rel))) != NULL);
		free(dir);
		free(joined);
	}
	free(s);

	/* The bytes survive an atomic write and a capped read; one byte under the cap is refused.
	 * Only for one input in 8 (by length): the fsync makes this 100x slower than the rest. */
	if (size % 8 != 0)
		return 0;
	char file[512], *back = NULL;
	size_t len = 0;
	snprintf(file, sizeof file, "%s/data.bin", of_fuzz_tmpdir());
	OF_FUZZ_CHECK(of_file_write_atomic(file, data, size) == 0);
	OF_FUZZ_CHECK(of_file_read(&back, &len, file, size) == 0);
	OF_FUZZ_CHECK(len == size && (size == 0 || memcmp(back, data, size) == 0) && back[len] == '\0');
	free(back);
	if (size > 0) {
		OF_FUZZ_CHECK(of_file_read(&back, &len, file, size - 1) == OF_ELIMIT);
		OF_FUZZ_CHECK(back == NULL);
	}
	return 0;
}
