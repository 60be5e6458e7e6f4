/* test_fileio_faults.c — disk and resource faults around the atomic writers:
 * a full disk (RLIMIT_FSIZE), an unwritable folder, an interrupted run. Every
 * case checks the clear error, that earlier outputs are intact, and that no
 * temporary file is left behind. */
#include "testutil.h"

#include "onefish/error.h"
#include "onefish/fileio.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Number of entries in `dir` whose name starts with '.' and holds ".tmp-". */
static int count_tmp(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] == '.' && strstr(e->d_name, ".tmp-") != NULL;
	closedir(d);
	return n;
}

static char *path_in(const char *dir, const char *name)
{
	char *p = of_path_join(dir, name);
	assert_non_null(p);
	return p;
}

/* In a child (the limit must not leak into the test process): an earlier output
 * is written, then a big one runs into a 64 KiB file-size limit. */
static int child_disk_full(const char *dir, int streamed)
{
	struct rlimit rl = {64 * 1024, 64 * 1024};
	char *a = of_path_join(dir, "a.txt"), *b = of_path_join(dir, "b.txt");
	size_t big = 1024 * 1024;
	char *data = malloc(big);
	int rc;
	if (!a || !b || !data)
		return 10;
	memset(data, 'x', big);
	signal(SIGXFSZ, SIG_IGN);
	if (of_file_write_atomic(a, "earlier output\n", 15) != 0)
		return 11;
	if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
		return 12;
	if (!streamed) {
		rc = of_file_write_atomic(b, data, big);
	} else {
		of_atomic *w;
		if (of_atomic_open(&w, b) != 0)
			return 13;
		for (int i = 0; i < 64; i++)
			fwrite(data, 1, big / 64, of_atomic_fp(w));
		rc = of_atomic_commit(w);
	}
	if (rc != OF_ERROR)
		return 14;
	if (strcmp(of_error_last()->path, b) != 0 || !strstr(of_error_last()->message, "write failed"))
		return 15;
	free(a);
	free(b);
	free(data);
	return 0;
}

static void run_disk_full(int streamed)
{
	char dir[256];
	snprintf(dir, sizeof dir, "%s", of_test_tmpdir());
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_disk_full(dir, streamed));
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	char *a = path_in(dir, "a.txt"), *b = path_in(dir, "b.txt");
	size_t len;
	char *got = of_test_slurp(a, &len);
	assert_string_equal(got, "earlier output\n");
	assert_false(of_path_is_file(b));
	assert_int_equal(count_tmp(dir), 0);
	free(got);
	free(a);
	free(b);
	of_test_rmtree(dir);
}

static void test_fileio_faults__disk_full_write(void **state)
{
	(void)state;
	run_disk_full(0);
}

static void test_fileio_faults__disk_full_streamed(void **state)
{
	(void)state;
	run_disk_full(1);
}

static void test_fileio_faults__unwritable_folder(void **state)
{
	char dir[256];
	(void)state;
	snprintf(dir, sizeof dir, "%s", of_test_tmpdir());
	char *file = path_in(dir, "file"), *under = path_in(file, "out.json");
	of_test_write(file, "x", 1);
	/* A regular file where the folder should be: unwritable even for root. */
	assert_int_equal(of_file_write_atomic(under, "{}", 2), OF_ERROR);
	assert_string_equal(of_error_last()->path, under);
	assert_non_null(strstr(of_error_last()->message, "cannot create temporary file"));
	assert_int_equal(of_mkdirs(under), OF_ERROR);
	/* A read-only folder, where permissions apply (not as root). */
	char *ro = path_in(dir, "ro"), *in_ro = path_in(ro, "out.json");
	assert_int_equal(of_mkdirs(ro), 0);
	chmod(ro, 0555);
	if (access(ro, W_OK) != 0) {
		assert_int_equal(of_file_write_atomic(in_ro, "{}", 2), OF_ERROR);
		assert_non_null(strstr(of_error_last()->message, "Permission denied"));
	}
	chmod(ro, 0755);
	assert_int_equal(count_tmp(dir), 0);
	assert_int_equal(count_tmp(ro), 0);
	free(file);
	free(under);
	free(ro);
	free(in_ro);
	of_test_rmtree(dir);
}

static void test_fileio_faults__existing_output_survives_failure(void **state)
{
	char dir[256];
	(void)state;
	snprintf(dir, sizeof dir, "%s", of_test_tmpdir());
	char *out = path_in(dir, "out.txt");
	assert_int_equal(of_file_write_atomic(out, "v1\n", 3), 0);
	/* An aborted rewrite leaves the previous version in place. */
	of_atomic *w;
	assert_int_equal(of_atomic_open(&w, out), 0);
	fputs("half of v2", of_atomic_fp(w));
	fflush(of_atomic_fp(w));
	assert_int_equal(count_tmp(dir), 1);
	of_atomic_abort(w);
	size_t len;
	char *got = of_test_slurp(out, &len);
	assert_string_equal(got, "v1\n");
	assert_int_equal(count_tmp(dir), 0);
	free(got);
	free(out);
	of_test_rmtree(dir);
}

static void test_fileio_faults__interrupt_cleans_temporaries(void **state)
{
	char dir[256];
	(void)state;
	snprintf(dir, sizeof dir, "%s", of_test_tmpdir());
	char *p1 = path_in(dir, "video.mp4"), *p2 = path_in(dir, "cover.jpg");
	of_atomic *w1, *w2;
	assert_int_equal(of_atomic_open(&w1, p1), 0);
	assert_int_equal(of_atomic_open(&w2, p2), 0);
	assert_int_equal(count_tmp(dir), 2);
	/* What the SIGINT/SIGTERM handler in main.c calls. */
	of_atomic_cleanup_all();
	assert_int_equal(count_tmp(dir), 0);
	of_atomic_abort(w1);
	of_atomic_abort(w2);
	assert_false(of_path_is_file(p1));
	free(p1);
	free(p2);
	of_test_rmtree(dir);
}

static void test_fileio_faults__read_caps_at_exact_size(void **state)
{
	char dir[256];
	(void)state;
	snprintf(dir, sizeof dir, "%s", of_test_tmpdir());
	char *p = path_in(dir, "in.txt"), *got = NULL;
	size_t len = 0;
	of_test_write(p, "0123456789", 10);
	assert_int_equal(of_file_read(&got, &len, p, 11), 0); /* limit + 1 */
	free(got);
	assert_int_equal(of_file_read(&got, &len, p, 10), 0); /* exactly the limit (was refused) */
	assert_int_equal(len, 10);
	free(got);
	assert_int_equal(of_file_read(&got, &len, p, 9), OF_ELIMIT); /* limit - 1 */
	assert_null(got);
	free(p);
	of_test_rmtree(dir);
}

/* SAFE-INPUT 52: an output name that is a symlink (planted, or left by an editor)
 * is replaced by a regular file; whatever it pointed to is never written. */
static void test_fileio_faults__output_symlink_not_followed(void **state)
{
	char dir[256];
	(void)state;
	snprintf(dir, sizeof dir, "%s", of_test_tmpdir());
	char *victim = path_in(dir, "victim"), *out = path_in(dir, "article.md");
	of_test_write(victim, "precious\n", 9);
	assert_int_equal(symlink(victim, out), 0);
	assert_int_equal(of_file_write_atomic(out, "new\n", 4), 0);
	size_t len;
	char *v = of_test_slurp(victim, &len), *o = of_test_slurp(out, &len);
	assert_string_equal(v, "precious\n");
	assert_string_equal(o, "new\n");
	struct stat st;
	assert_int_equal(lstat(out, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	free(v);
	free(o);
	free(victim);
	free(out);
	of_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fileio_faults__disk_full_write),
		cmocka_unit_test(test_fileio_faults__disk_full_streamed),
		cmocka_unit_test(test_fileio_faults__unwritable_folder),
		cmocka_unit_test(test_fileio_faults__existing_output_survives_failure),
		cmocka_unit_test(test_fileio_faults__interrupt_cleans_temporaries),
		cmocka_unit_test(test_fileio_faults__read_caps_at_exact_size),
		cmocka_unit_test(test_fileio_faults__output_symlink_not_followed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
