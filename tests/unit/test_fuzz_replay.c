/* test_fuzz_replay.c — replays every file of tests/fuzz/corpus/<format>/ through
 * that format's fuzz target, so each seed and each crash ever found stays a
 * regression test in `make check` (and under `make sanitize`). The targets are
 * compiled into this file with their entry points renamed. */
#include "testutil.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LLVMFuzzerTestOneInput fuzz_config_one
#include "../fuzz/fuzz_config.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_json_one
#include "../fuzz/fuzz_json.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_utf8_one
#include "../fuzz/fuzz_utf8.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_path_one
#include "../fuzz/fuzz_path.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_lint_one
#include "../fuzz/fuzz_lint.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_template_one
#include "../fuzz/fuzz_template.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_segment_one
#include "../fuzz/fuzz_segment.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_url_one
#include "../fuzz/fuzz_url.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_posts_one
#include "../fuzz/fuzz_posts.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_article_one
#include "../fuzz/fuzz_article.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_storyboard_one
#include "../fuzz/fuzz_storyboard.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_comments_one
#include "../fuzz/fuzz_comments.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_image_one
#include "../fuzz/fuzz_image.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_analyze_one
#include "../fuzz/fuzz_analyze.c"
#undef LLVMFuzzerTestOneInput

typedef int (*fuzz_fn)(const uint8_t *, size_t);

/* Feeds every file of the format's corpus folder; returns how many. */
static int replay(const char *format, fuzz_fn fn)
{
	const char *root = getenv("ONEFISH_ROOT");
	char dir[4096];
	struct dirent **list;
	int files = 0;
	snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", root && root[0] ? root : ".", format);
	int n = scandir(dir, &list, NULL, alphasort);
	if (n < 0)
		fail_msg("no corpus folder %s", dir);
	for (int i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.') {
			char path[4400];
			size_t len;
			snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name);
			char *data = of_test_slurp(path, &len);
			fn((const uint8_t *)data, len);
			free(data);
			files++;
		}
		free(list[i]);
	}
	free(list);
	return files;
}

static void test_fuzz_replay__config(void **state) { (void)state; assert_true(replay("config", fuzz_config_one) > 0); }
static void test_fuzz_replay__json(void **state) { (void)state; assert_true(replay("json", fuzz_json_one) > 0); }
static void test_fuzz_replay__utf8(void **state) { (void)state; assert_true(replay("utf8", fuzz_utf8_one) > 0); }
static void test_fuzz_replay__path(void **state) { (void)state; assert_true(replay("path", fuzz_path_one) > 0); }
static void test_fuzz_replay__lint(void **state) { (void)state; assert_true(replay("lint", fuzz_lint_one) > 0); }
static void test_fuzz_replay__template(void **state) { (void)state; assert_true(replay("template", fuzz_template_one) > 0); }
static void test_fuzz_replay__segment(void **state) { (void)state; assert_true(replay("segment", fuzz_segment_one) > 0); }
static void test_fuzz_replay__url(void **state) { (void)state; assert_true(replay("url", fuzz_url_one) > 0); }
static void test_fuzz_replay__posts(void **state) { (void)state; assert_true(replay("posts", fuzz_posts_one) > 0); }
static void test_fuzz_replay__article(void **state) { (void)state; assert_true(replay("article", fuzz_article_one) > 0); }
static void test_fuzz_replay__storyboard(void **state) { (void)state; assert_true(replay("storyboard", fuzz_storyboard_one) > 0); }
static void test_fuzz_replay__comments(void **state) { (void)state; assert_true(replay("comments", fuzz_comments_one) > 0); }
static void test_fuzz_replay__image(void **state) { (void)state; assert_true(replay("image", fuzz_image_one) > 0); }
static void test_fuzz_replay__analyze(void **state) { (void)state; assert_true(replay("analyze", fuzz_analyze_one) > 0); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fuzz_replay__config),
		cmocka_unit_test(test_fuzz_replay__json),
		cmocka_unit_test(test_fuzz_replay__utf8),
		cmocka_unit_test(test_fuzz_replay__path),
		cmocka_unit_test(test_fuzz_replay__lint),
		cmocka_unit_test(test_fuzz_replay__template),
		cmocka_unit_test(test_fuzz_replay__segment),
		cmocka_unit_test(test_fuzz_replay__url),
		cmocka_unit_test(test_fuzz_replay__posts),
		cmocka_unit_test(test_fuzz_replay__article),
		cmocka_unit_test(test_fuzz_replay__storyboard),
		cmocka_unit_test(test_fuzz_replay__comments),
		cmocka_unit_test(test_fuzz_replay__image),
		cmocka_unit_test(test_fuzz_replay__analyze),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	of_test_rmtree(of_fuzz_tmpdir());
	return rc;
}
