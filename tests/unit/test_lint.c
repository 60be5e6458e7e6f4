/* test_lint.c — copy lint over assets/lexicons/adlaw.tsv: longest match,
 * allow-listed everyday words, ordinals (第一批) versus rankings (第一品牌),
 * offsets, and a bad lexicon line. */
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

/* 第一 followed by a measure word or time noun counts order (week 47 p09:
 * 第一批500台); before a noun or at the end of a phrase it claims a rank. */
static void test_lint__ordinals_are_not_rankings(void **state)
{
	static const char *const ordinals[] = {
		"第一批500台二十分钟就抢完了！", "第一次给宝宝加辅食", "第一天", "第一步先准备米粉",
		"第一口吃得很香", "第一周一天一顿", "宝宝第一个月", "第一时间回复大家", "第一百天纪念",
		"第一轮试吃", "第1批", "第一组：开合跳30秒", "第一泡就很甜", "第一杯先温杯",
		/* heading list items: 第二 opens the next point */
		"第一，满六个月再加。第二，先从米粉开始。", "第一、选材；第二、清洗", "第一: 早睡. 第二: 早起",
	};
	static const char *const rankings[] = {
		"第一品牌", "全网第一", "销量行业第一。", "行业第一名", "排名第一位", "第一，", "第一款国货", "国内第一个",
		"我们是第一，第二名差得远", /* 第二 not heading a point */
	};
	of_lint *l = NULL;
	(void)state;
	assert_int_equal(of_lint_new(&l, NULL), 0);
	for (size_t k = 0; k < sizeof ordinals / sizeof ordinals[0]; k++)
		if (of_lint_scan(l, ordinals[k], strlen(ordinals[k]), NULL, NULL) != 0)
			fail_msg("'%s' flagged as a ranking", ordinals[k]);
	for (size_t k = 0; k < sizeof rankings / sizeof rankings[0]; k++) {
		hits hs = {0};
		if (of_lint_scan(l, rankings[k], strlen(rankings[k]), collect, &hs) != 1)
			fail_msg("'%s': %zu hits, want 1", rankings[k], hs.n);
		assert_true(strstr(hs.terms[0], "第一") != NULL);
	}
	/* the measure words are not terms themselves; the rest of p09 still hits */
	const char *p09 = "第一批500台二十分钟就抢完了！这是我们做过最用心的一款产品，是全网最好用的辅食机，销量行业第一。第二批周一到仓。";
	hits hs = {0};
	assert_int_equal(of_lint_scan(l, p09, strlen(p09), collect, &hs), 3);
	assert_string_equal(hs.terms[0], "最");
	assert_string_equal(hs.terms[1], "最好");
	assert_string_equal(hs.terms[2], "第一");
	of_lint_free(l);
}

/* A custom lexicon's "ordinal" rows apply to its own ordinal terms. */
static void test_lint__custom_ordinal_rows(void **state)
{
	const char *dir = of_test_tmpdir();
	char path[512];
	const char *lex = "第一\t删除排名\tabsolute\n批\t\tordinal\n";
	of_lint *l = NULL;
	(void)state;
	snprintf(path, sizeof path, "%s/lex.tsv", dir);
	of_test_write(path, lex, strlen(lex));
	assert_int_equal(of_lint_new(&l, path), 0);
	assert_int_equal(of_lint_scan(l, "第一批", strlen("第一批"), NULL, NULL), 0);
	assert_int_equal(of_lint_scan(l, "第一次", strlen("第一次"), NULL, NULL), 1);
	assert_int_equal(of_lint_scan(l, "一批货", strlen("一批货"), NULL, NULL), 0);
	of_lint_free(l);
	of_test_rmtree(dir);
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

/* QA (a tea shop): 「特殊人群最好先问问医生」 was flagged, where 最好 is "had better" before a
 * verb phrase, not the superlative "best". */
static void test_lint__modal_zuihao_is_not_a_superlative(void **state)
{
	static const struct {
		const char *s;
		size_t hits;
	} t[] = {
		{"特殊人群最好先问问医生。", 0},
		{"孕妇最好别喝浓茶。", 0},
		{"晚上最好不要喝太多。", 0},
		{"泡岩茶最好用沸水。", 0},
		{"米粉最好用温水冲。", 0},
		{"辅食最好在两餐奶之间吃。", 0},
		{"最好问问医生再加。", 0},
		{"宝宝最好少吃盐。", 0},
		{"最好是用纸箱存。", 0},
		/* the superlative */
		{"这是最好的米粉。", 1},
		{"全网最好用的辅食机。", 1},
		{"全网最好用！", 1},
		{"全网最好用", 1},
		{"这款茶最好喝了。", 1},
		{"口感最好。", 1},
		{"我们家的效果最好，", 1},
		{"给宝宝最好的。", 1},
		{"最好品质的白茶。", 1},
	};
	of_lint *l = NULL;
	(void)state;
	assert_int_equal(of_lint_new(&l, NULL), 0);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		size_t n = of_lint_scan(l, t[i].s, strlen(t[i].s), NULL, NULL);
		if (n != t[i].hits)
			fail_msg("of_lint_scan(%s) = %zu hits, want %zu", t[i].s, n, t[i].hits);
	}
	of_lint_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lint__absolute_terms_longest_match),
		cmocka_unit_test(test_lint__everyday_words_are_allowed),
		cmocka_unit_test(test_lint__ordinals_are_not_rankings),
		cmocka_unit_test(test_lint__custom_ordinal_rows),
		cmocka_unit_test(test_lint__custom_lexicon_and_errors),
		cmocka_unit_test(test_lint__modal_zuihao_is_not_a_superlative),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
