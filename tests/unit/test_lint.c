/* test_lint.c — copy lint over assets/lexicons/adlaw.tsv: longest match,
 * allow-listed everyday words, offsets, and a bad lexicon line. */
#include "testutil.h"

#include "onefish/error.h"
#include "onefish/lint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct hits {
	char terms[16][64];
	size_t offsets[16];
	size_t n;
} hits;

static void collect(const of_lint_hit *h, void *payload)
{
	hits *hs = payload;
	if (hs->n < 16) {
		snprintf(hs->terms[hs->n], sizeof hs->terms[0], "%s", h->term);
		hs->offsets[hs->n++] = h->offset;
	}
	assert_non_null(h->suggestion);
	assert_string_equal(h->category, "absolute");
}

static void test_lint__absolute_terms_longest_match(void **state)
{
	of_lint *l = NULL;
	hits hs = {0};
	(void)state;
	assert_int_equal(of_lint_new(&l, NULL), 0);
	const char *t = "这是全网最好用的辅食机，销量行业第一，100%天然。";
	assert_int_equal(of_lint_scan(l, t, strlen(t), collect, &hs), 3);
	assert_string_equal(hs.terms[0], "最好");
	assert_string_equal(hs.terms[1], "第一");
	assert_string_equal(hs.terms[2], "100%");
	assert_int_equal(hs.offsets[0], strlen("这是全网"));
	of_lint_free(l);
}

static void test_lint__everyday_words_are_allowed(void **state)
{
	of_lint *l = NULL;
	(void)state;
	assert_int_equal(of_lint_new(&l, NULL), 0);
	const char *t = "最近第一次给宝宝加辅食，第一口吃得很香。";
	assert_int_equal(of_lint_scan(l, t, strlen(t), NULL, NULL), 0);
	of_lint_free(l);
}

static void test_lint__custom_lexicon_and_errors(void **state)
{
	const char *dir = of_test_tmpdir();
	char path[512];
	of_lint *l = NULL;
	(void)state;
	snprintf(path, sizeof path, "%s/lex.tsv", dir);
	of_test_write(path, "# comment\n神奇\t删除\tabsolute\n", strlen("# comment\n神奇\t删除\tabsolute\n"));
	assert_int_equal(of_lint_new(&l, path), 0);
	assert_int_equal(of_lint_scan(l, "神奇的米粉", strlen("神奇的米粉"), NULL, NULL), 1);
	of_lint_free(l);
	snprintf(path, sizeof path, "%s/none.tsv", dir);
	assert_int_equal(of_lint_new(&l, path), OF_ENOTFOUND);
	assert_null(l);
	of_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lint__absolute_terms_longest_match),
		cmocka_unit_test(test_lint__everyday_words_are_allowed),
		cmocka_unit_test(test_lint__custom_lexicon_and_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
