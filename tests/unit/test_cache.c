/* test_cache.c — stage cache keys and input listing. */
#include "testutil.h"

#include "../../pipeline/cache.h"
#include "onefish/error.h"
#include "onefish/fileio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_cache__hashes_a_file(void **state)
{
	const char *dir = of_test_tmpdir();
	char p[400];
	of_cache_file f;
	(void)state;
	snprintf(p, sizeof p, "%s/abc", dir);
	of_test_write(p, "abc", 3);
	assert_int_equal(of_cache_hash_file(&f, p), 0);
	assert_string_equal(f.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(f.bytes, 3);
	assert_int_equal(strlen(f.xxh64), 16);
	assert_string_equal(f.xxh64, "44bc2cf5ad770999"); /* XXH64("abc", seed 0) */
	snprintf(p, sizeof p, "%s/none", dir);
	assert_int_equal(of_cache_hash_file(&f, p), OF_ENOTFOUND);
	of_test_rmtree(dir);
}

static void test_cache__key_depends_on_everything(void **state)
{
	of_cache_file a[2] = {{"posts.jsonl", "", "0000000000000001", 1}, {"images/x.jpg", "", "0000000000000002", 1}};
	char k0[17], k[17];
	(void)state;
	of_cache_key(k0, "0.1.0", "{\"top\": 8}", a, 2);
	of_cache_key(k, "0.1.0", "{\"top\": 8}", a, 2);
	assert_string_equal(k0, k); /* stable */
	of_cache_key(k, "0.1.1", "{\"top\": 8}", a, 2);
	assert_string_not_equal(k0, k); /* version */
	of_cache_key(k, "0.1.0", "{\"top\": 9}", a, 2);
	assert_string_not_equal(k0, k); /* settings */
	of_cache_key(k, "0.1.0", "{\"top\": 8}", a, 1);
	assert_string_not_equal(k0, k); /* an input gone */
	a[1].xxh64[15] = '3';
	of_cache_key(k, "0.1.0", "{\"top\": 8}", a, 2);
	assert_string_not_equal(k0, k); /* an input's bytes */
	a[1].xxh64[15] = '2';
	a[1].label = "images/y.jpg";
	of_cache_key(k, "0.1.0", "{\"top\": 8}", a, 2);
	assert_string_not_equal(k0, k); /* a renamed input */
}

static void test_cache__lists_folders_sorted_without_hidden(void **state)
{
	const char *dir = of_test_tmpdir();
	char p[400];
	of_pack_files f = {0};
	(void)state;
	const char *names[] = {"b.jpg", "a.jpg", ".hidden", "sub/c.jpg", ".a.jpg.tmp-123", NULL};
	snprintf(p, sizeof p, "%s/sub", dir);
	of_mkdirs(p);
	for (int i = 0; names[i]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		of_test_write(p, "x", 1);
	}
	assert_int_equal(of_cache_add_dir(&f, dir, "images"), 0);
	assert_int_equal(f.n, 3);
	assert_string_equal(f.labels[0], "images/a.jpg");
	assert_string_equal(f.labels[1], "images/b.jpg");
	assert_string_equal(f.labels[2], "images/sub/c.jpg");
	of_pack_files_clear(&f);
	snprintf(p, sizeof p, "%s/nope", dir);
	assert_int_equal(of_cache_add_dir(&f, p, ""), 0);
	assert_int_equal(f.n, 0);
	of_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache__hashes_a_file),
		cmocka_unit_test(test_cache__key_depends_on_everything),
		cmocka_unit_test(test_cache__lists_folders_sorted_without_hidden),
	};
	return cmocka_run_group_tests_name("cache", tests, NULL, NULL);
}
