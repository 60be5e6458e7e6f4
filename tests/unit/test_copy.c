/* test_copy.c — unit tests for stages/common/copy.c: a stage's copies in its output folder
 * are replaced and removed only while they are as onefish recorded writing them. */
#include "testutil.h"

#include "onefish/copy.h"
#include "onefish/error.h"
#include "onefish/fileio.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *in(const char *dir, const char *rel)
{
	char *p = of_path_join(dir, rel);
	assert_non_null(p);
	return p;
}

static void assert_bytes(const char *path, const char *want)
{
	size_t len = 0;
	char *got = of_test_slurp(path, &len);
	assert_non_null(got);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(got, want, len);
	free(got);
}

static void sha_of(char hex[65], const char *s)
{
	assert_int_equal(of_sha256_hex(hex, s, strlen(s)), 0);
}

/* Written when missing (its folder made), when still as recorded; the same bytes are left as
 * they are; an edited copy or one no record names is kept with its bytes. */
static void test_copy__write_keeps_what_an_editor_changed(void **state)
{
	(void)state;
	const char *dir = of_test_tmpdir();
	char *a = in(dir, "images/a.jpg"), rec[65], other[65];
	of_copy_result r;
	assert_int_equal(of_copy_write(&r, dir, "images/a.jpg", "one", 3, NULL), 0);
	assert_int_equal(r, OF_COPY_WRITTEN);
	assert_bytes(a, "one");
	sha_of(rec, "one");
	assert_int_equal(of_copy_write(&r, dir, "images/a.jpg", "one", 3, rec), 0);
	assert_int_equal(r, OF_COPY_SAME);
	assert_int_equal(of_copy_write(&r, dir, "images/a.jpg", "two", 3, rec), 0); /* as recorded: ours */
	assert_int_equal(r, OF_COPY_WRITTEN);
	assert_bytes(a, "two");
	/* the editor cropped it: the record says "two" was written, the disk holds "cropped" */
	sha_of(rec, "two");
	of_test_write(a, "cropped", 7);
	assert_int_equal(of_copy_write(&r, dir, "images/a.jpg", "three", 5, rec), 0);
	assert_int_equal(r, OF_COPY_EDITED);
	assert_true(of_copy_kept(r));
	assert_bytes(a, "cropped");
	/* no record of it (an older onefish, a file put there): kept too */
	assert_int_equal(of_copy_write(&r, dir, "images/a.jpg", "three", 5, NULL), 0);
	assert_int_equal(r, OF_COPY_UNKNOWN);
	assert_bytes(a, "cropped");
	/* deleted by hand: written again */
	sha_of(other, "cropped");
	assert_int_equal(unlink(a), 0);
	assert_int_equal(of_copy_write(&r, dir, "images/a.jpg", "three", 5, other), 0);
	assert_int_equal(r, OF_COPY_WRITTEN);
	assert_false(of_copy_kept(r));
	assert_bytes(a, "three");
	free(a);
	of_test_rmtree(dir);
}

/* Never through a link: a copy replaced by a link to a file outside stays a link and the file
 * keeps its bytes; a linked images/ folder, "..", an absolute name are refused. */
static void test_copy__write_refuses_links_and_escapes(void **state)
{
	(void)state;
	const char *dir = of_test_tmpdir();
	char *out = in(dir, "out"), *outside = in(dir, "outside"), *victim = in(dir, "outside/v.jpg");
	char *img = in(dir, "out/images"), *link = in(dir, "out/images/a.jpg"), *out2 = in(dir, "out2");
	char *img2 = in(dir, "out2/images"), rec[65];
	struct stat st;
	of_copy_result r;
	assert_int_equal(mkdir(out, 0755), 0);
	assert_int_equal(mkdir(outside, 0755), 0);
	assert_int_equal(mkdir(img, 0755), 0);
	assert_int_equal(mkdir(out2, 0755), 0);
	of_test_write(victim, "victim", 6);
	sha_of(rec, "victim"); /* even a record naming the target's bytes does not make it ours */
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(of_copy_write(&r, out, "images/a.jpg", "new", 3, rec), 0);
	assert_int_equal(r, OF_COPY_LINK);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_bytes(victim, "victim");
	assert_int_equal(of_copy_remove(out, "images/a.jpg", rec), 0);
	assert_int_equal(lstat(link, &st), 0);
	/* images/ itself a link to the outside folder */
	assert_int_equal(symlink(outside, img2), 0);
	assert_int_equal(of_copy_write(&r, out2, "images/v.jpg", "new", 3, rec), OF_ERROR);
	assert_non_null(strstr(of_error_last()->message, "symbolic link"));
	assert_int_equal(of_copy_mkdir(out2, "images"), OF_ERROR);
	assert_int_equal(of_copy_mkdir(out, "images"), 0);
	assert_int_equal(of_copy_mkdir(out, "../outside"), OF_EINVALID);
	assert_bytes(victim, "victim");
	assert_int_equal(of_copy_remove(out2, "images/v.jpg", rec), 0);
	assert_bytes(victim, "victim");
	/* names that leave the folder */
	assert_int_equal(of_copy_write(&r, out, "../outside/v.jpg", "new", 3, rec), OF_EINVALID);
	assert_int_equal(of_copy_write(&r, out, "images/../../outside/v.jpg", "new", 3, rec), OF_EINVALID);
	assert_int_equal(of_copy_write(&r, out, victim, "new", 3, rec), OF_EINVALID);
	assert_int_equal(of_copy_write(&r, out, "images\\v.jpg", "new", 3, rec), OF_EINVALID);
	assert_int_equal(of_copy_write(&r, out, "", "new", 3, rec), OF_EINVALID);
	assert_int_equal(of_copy_remove(out, "../outside/v.jpg", rec), 0);
	assert_int_equal(of_copy_remove(out, victim, rec), 0);
	assert_bytes(victim, "victim");
	free(out);
	free(outside);
	free(victim);
	free(img);
	free(link);
	free(out2);
	free(img2);
	of_test_rmtree(dir);
}

/* Removed only while its bytes are the recorded ones. */
static void test_copy__remove_only_as_recorded(void **state)
{
	(void)state;
	const char *dir = of_test_tmpdir();
	char *a = in(dir, "images/a.jpg"), rec[65];
	of_copy_result r;
	assert_int_equal(of_copy_write(&r, dir, "images/a.jpg", "one", 3, NULL), 0);
	sha_of(rec, "one");
	of_test_write(a, "cropped", 7);
	assert_int_equal(of_copy_remove(dir, "images/a.jpg", rec), 0);
	assert_bytes(a, "cropped");
	assert_int_equal(of_copy_remove(dir, "images/a.jpg", NULL), 0);
	of_test_write(a, "one", 3);
	assert_int_equal(of_copy_remove(dir, "images/./a.jpg", rec), 0);
	assert_int_equal(of_copy_remove(dir, "images/a.jpg", rec), 1);
	assert_int_equal(access(a, F_OK), -1);
	assert_int_equal(of_copy_remove(dir, "images/a.jpg", rec), 0); /* gone already */
	free(a);
	of_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy__write_keeps_what_an_editor_changed),
		cmocka_unit_test(test_copy__write_refuses_links_and_escapes),
		cmocka_unit_test(test_copy__remove_only_as_recorded),
	};
	return cmocka_run_group_tests_name("copy", tests, NULL, NULL);
}
