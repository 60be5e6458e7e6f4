/* test_suggest.c — the nearest known word to a misspelt one (config keys, commands, options). */
#include "testutil.h"

#include "../../pipeline/suggest.h"

#include <string.h>

static void test_suggest__distance(void **state)
{
	(void)state;
	assert_int_equal(of_suggest_distance("atricle", "article"), 1); /* a swap is one edit */
	assert_int_equal(of_suggest_distance("rn", "run"), 1);
	assert_int_equal(of_suggest_distance("froce", "force"), 1);
	assert_int_equal(of_suggest_distance("", "run"), 3);
	assert_int_equal(of_suggest_distance("直播", "直播间"), 1); /* code points, not bytes */
}

static void test_suggest__nearest(void **state)
{
	static const char *const commands[] = {"run", "article", "script", "video", "prompts", "review", "check",
						"help", "version"};
	static const char *const options[] = {"out", "since", "until", "engine", "force"};
	const size_t nc = sizeof commands / sizeof *commands, no = sizeof options / sizeof *options;
	(void)state;
	assert_string_equal(of_suggest_nearest("atricle", commands, nc), "article");
	assert_string_equal(of_suggest_nearest("rn", commands, nc), "run");
	assert_string_equal(of_suggest_nearest("promts", commands, nc), "prompts");
	assert_string_equal(of_suggest_nearest("sinse", options, no), "since");
	assert_string_equal(of_suggest_nearest("froce", options, no), "force");
	assert_null(of_suggest_nearest("frobnicate", commands, nc));
	assert_null(of_suggest_nearest("pack", commands, nc)); /* 'run' is a hint of main.c, not a near word */
	assert_null(of_suggest_nearest("xy", commands, nc));   /* short words: one edit at most */
	assert_null(of_suggest_nearest("run", commands, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suggest__distance),
		cmocka_unit_test(test_suggest__nearest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
