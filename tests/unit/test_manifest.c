/* test_manifest.c — telling human edits from onefish's own files. */
#include "testutil.h"

#include "../../pipeline/manifest.h"
#include "onefish/fileio.h"
#include "onefish/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_manifest__edited_names(void **state)
{
	char *s;
	(void)state;
	s = of_manifest_edited_name("article.md", 1);
	assert_string_equal(s, "article.edited.md");
	free(s);
	s = of_manifest_edited_name("article.md", 3);
	assert_string_equal(s, "article.edited-3.md");
	free(s);
	s = of_manifest_edited_name("images/p01-1.jpg", 1);
	assert_string_equal(s, "images/p01-1.edited.jpg");
	free(s);
	s = of_manifest_edited_name("README", 1);
	assert_string_equal(s, "README.edited");
	free(s);
	s = of_manifest_edited_name("dir.v2/notes", 1);
	assert_string_equal(s, "dir.v2/notes.edited");
	free(s);
}

static void test_manifest__file_states(void **state)
{
	const char *dir = of_test_tmpdir();
	char p[400], sha[65], disk[65];
	json_t *outs = json_object(), *pending = json_object();
	(void)state;
	snprintf(p, sizeof p, "%s/a.md", dir);
	of_test_write(p, "gen", 3);
	of_sha256_hex(sha, "gen", 3);
	json_object_set_new(outs, "a.md", json_pack("{s:s,s:i,s:s}", "sha256", sha, "bytes", 3, "stage", "article"));
	assert_int_equal(of_manifest_file_state(outs, NULL, dir, "a.md", disk), OF_OUT_GENERATED);
	assert_string_equal(disk, sha);
	of_test_write(p, "edited", 6);
	assert_int_equal(of_manifest_file_state(outs, NULL, dir, "a.md", disk), OF_OUT_EDITED);
	/* A file installed by an interrupted run is ours, not an edit. */
	json_object_set_new(pending, "a.md", json_string(disk));
	assert_int_equal(of_manifest_file_state(outs, pending, dir, "a.md", disk), OF_OUT_GENERATED);
	assert_int_equal(of_manifest_file_state(outs, NULL, dir, "b.md", disk), OF_OUT_MISSING);
	snprintf(p, sizeof p, "%s/c.md", dir);
	of_test_write(p, "x", 1);
	assert_int_equal(of_manifest_file_state(outs, NULL, dir, "c.md", disk), OF_OUT_UNKNOWN);
	json_decref(outs);
	json_decref(pending);
	of_test_rmtree(dir);
}

static void test_manifest__write_only_when_changed(void **state)
{
	const char *dir = of_test_tmpdir();
	char p[400];
	struct stat a, b;
	json_t *m = json_pack("{s:s}", "pack", "w");
	(void)state;
	snprintf(p, sizeof p, "%s/manifest.json", dir);
	assert_int_equal(of_manifest_write_if_changed(p, m), 0);
	assert_int_equal(stat(p, &a), 0);
	usleep(20000);
	assert_int_equal(of_manifest_write_if_changed(p, m), 0);
	assert_int_equal(stat(p, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino); /* not replaced */
	json_object_set_new(m, "pack", json_string("v"));
	assert_int_equal(of_manifest_write_if_changed(p, m), 0);
	char *text = of_test_slurp(p, NULL);
	assert_non_null(strstr(text, "\"v\""));
	free(text);
	/* A corrupt manifest is ignored with a warning, never trusted. */
	of_test_write(p, "{broken", 7);
	assert_null(of_manifest_load(dir));
	json_decref(m);
	of_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_manifest__edited_names),
		cmocka_unit_test(test_manifest__file_states),
		cmocka_unit_test(test_manifest__write_only_when_changed),
	};
	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
