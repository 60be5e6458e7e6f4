/* test_script_pages.c — captions that say the whole narration (caption pages, split
 * scenes), no fragment narration, and each scene's photo from the article trace. */
#include "testutil.h"

#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/storyboard.h"
#include "script/caption.h"
#include "script/clause.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Non-zero if byte offset `at` of `text` is a boundary between two segmenter tokens. */
static int token_boundary(const of_segmenter *seg, const char *text, size_t at)
{
	of_token *t = NULL;
	size_t n = 0, i;
	int ok = at == 0 || at == strlen(text);
	assert_int_equal(of_segment(seg, text, strlen(text), &t, &n), 0);
	for (i = 0; i < n && !ok; i++)
		if (t[i].offset == at || t[i].offset + t[i].len == at)
			ok = 1;
	free(t);
	return ok;
}

/* Concatenated pages are the text; each fits one caption; each ends between words. */
static size_t check_pages(const of_segmenter *seg, const char *text, size_t *ends)
{
	size_t n = 0, i, a = 0;
	assert_int_equal(of_caption_pages(seg, text, strlen(text), OF_CAPTION_LINE_MAX, OF_CAPTION_LINES_MAX, ends, 16, &n),
			 0);
	assert_true(n >= 1);
	assert_int_equal(ends[n - 1], strlen(text));
	for (i = 0; i < n; i++) {
		char *p = strndup(text + a, ends[i] - a);
		assert_true(ends[i] > a);
		assert_true(of_caption_fits(seg, p, OF_CAPTION_LINE_MAX, OF_CAPTION_LINES_MAX));
		assert_true(token_boundary(seg, text, ends[i]));
		free(p);
		a = ends[i];
	}
	return n;
}

static void test_script_pages__pages_cover_the_text_and_end_at_clauses(void **state)
{
	of_segmenter *seg;
	size_t ends[16], n;
	char *lines[2];
	int nl, k;
	size_t used;
	(void)state;
	assert_int_equal(of_segmenter_new(&seg), 0);
	/* The audit's edited paragraph: one page, 检测 kept with 第三方. */
	const char *edit = "【编辑改过的段落】我们把每一批米粉都送去第三方检测。";
	assert_int_equal(check_pages(seg, edit, ends), 1);
	assert_int_equal(of_caption_fill(seg, edit, strlen(edit), 14, 2, lines, &nl, &used), 0);
	assert_int_equal(used, strlen(edit));
	assert_int_equal(nl, 2);
	assert_non_null(strstr(lines[1], "第三方检测"));
	for (k = 0; k < nl; k++)
		free(lines[k]);
	/* The demo's answer: two pages, the first ending at a clause. */
	const char *ans = "6到7个月一天一到两顿，8到9个月两顿，10个月以后两到三顿。";
	n = check_pages(seg, ans, ends);
	assert_int_equal(n, 2);
	assert_int_equal(ends[0], strlen("6到7个月一天一到两顿，8到9个月两顿，"));
	/* A line break between words when the comma would push the end off the caption. */
	const char *sold = "昨晚直播一开价，第一批500台二十分钟就抢完了！";
	assert_int_equal(check_pages(seg, sold, ends), 1);
	assert_true(of_caption_fits(seg, sold, 14, 2));
	/* A long run of sentences: pages end at sentence ends where they can. */
	const char *many = "先从强化铁的米粉开始，一次只加一种新食物，观察三天没有异常再换下一种。顺序大致是米粉、菜泥、果泥，"
			   "再到肉泥、蛋黄和鱼泥。性状从稀到稠、从细到粗，量也从一两勺慢慢往上加。";
	n = check_pages(seg, many, ends);
	assert_true(n >= 3);
	for (size_t i = 0; i + 1 < (size_t)n; i++) /* every page but the last ends at a clause or sentence end */
		if (memcmp(many + ends[i] - 3, "，", 3) != 0 && memcmp(many + ends[i] - 3, "。", 3) != 0)
			fail_msg("page %zu ends mid-clause: '%.*s'", i, (int)ends[i], many);
	/* One clause longer than a caption, no punctuation: still covered, between words. */
	const char *run = "宝宝辅食添加全攻略直播间里营养师会现场演示用辅食机蒸南瓜泥和鸡肉泥给大家看看具体怎么做";
	assert_true(check_pages(seg, run, ends) >= 2);
	of_segmenter_free(seg);
}

/* QA: the mini week's 30 s script cut 「寄出。」 off its sentence into a 0.70 s shot of its own (a
 * full first page, then the 2 字 left): a flash no voice can fit. No page is under
 * OF_CAPTION_PAGE_MIN_UNITS 字 when a cut can avoid it: the cut moves to balance the pages. */
static void test_script_pages__no_fragment_page(void **state)
{
	of_segmenter *seg;
	size_t ends[16], n, i, a;
	(void)state;
	assert_int_equal(of_segmenter_new(&seg), 0);
	static const char *const texts[] = {
		"上周直播送出的米粉试用装11月23日（周一）已经全部寄出。",
		"上周直播送出的米粉试用装11月23日（周一）已经全部寄出，收到的宝妈记得拍照反馈哦。",
		"第一批500台二十分钟就抢完了，第二批周一到仓，我们会按下单顺序发货，好的。",
		"先从强化铁的米粉开始，一次只加一种新食物，观察三天没有异常再换下一种。好。",
		NULL,
	};
	for (size_t t = 0; texts[t]; t++) {
		n = check_pages(seg, texts[t], ends);
		for (i = 0, a = 0; i < n; a = ends[i++])
			if (n > 1 && of_spoken_units(texts[t] + a, ends[i] - a) < OF_CAPTION_PAGE_MIN_UNITS)
				fail_msg("「%s」: page %zu is 「%.*s」", texts[t], i + 1, (int)(ends[i] - a), texts[t] + a);
	}
	/* the cut goes where the sentence allows: before the date, not inside 米粉试用装 */
	const char *sent = texts[0];
	assert_int_equal(check_pages(seg, sent, ends), 2);
	assert_int_equal(ends[0], strlen("上周直播送出的米粉试用装"));
	/* a page the greedy fill ended between two words ends at the better cut of the two pages:
	 * not 「…已经全部」 / 「寄出，收到的…」 but after the date */
	assert_int_equal(check_pages(seg, texts[1], ends), 2);
	assert_int_equal(ends[0], strlen("上周直播送出的米粉试用装11月23日（周一）"));
	of_segmenter_free(seg);
}

static void test_script_pages__fragments_and_context(void **state)
{
	(void)state;
	const char *s = "8个月以上的宝宝，每天可以少量喝点白开水。";
	size_t comma = strlen("8个月以上的宝宝，");
	assert_true(of_clause_topic_only(s, 0, comma));
	assert_false(of_clause_complete_end(s, comma));
	assert_true(of_clause_complete_end(s, strlen(s)));
	assert_false(of_clause_standalone(s, 0, comma, 0, 100));
	assert_false(of_clause_topic_only("每天可以少量喝点白开水。", 0, strlen("每天可以少量喝点白开水。")));
	assert_false(of_clause_topic_only("这是我们最用心的产品", 0, strlen("这是我们最用心的产品")));
	assert_false(of_clause_complete_end("加辅食以后，大便变干。", strlen("加辅食以后，")));
	assert_false(of_clause_complete_end("吃完觉得合适，再考虑入正装就好。", strlen("吃完觉得合适，")));
	assert_true(of_clause_complete_end("加辅食以后大便变干，很多时候是水分不够。", strlen("加辅食以后大便变干，")));
	/* 时 at the end of 小时/及时 is not a dangling "when" */
	assert_true(of_clause_complete_end("宝宝每天要睡14个小时，大人也是。", strlen("宝宝每天要睡14个小时，")));
	assert_true(of_clause_complete_end("发现过敏要及时，别拖。", strlen("发现过敏要及时，")));
	assert_false(of_clause_complete_end("宝宝吃饭时，大人别玩手机。", strlen("宝宝吃饭时，")));
	assert_true(of_clause_needs_context("答：可以，用温热的母乳就行，别用开水冲。"));
	assert_true(of_clause_needs_context("可以，用温热的母乳就行，别用开水冲。"));
	assert_true(of_clause_needs_context("此外，说说辅食过敏这件事。"));
	assert_true(of_clause_needs_context("整理了后台问得多的三个问题。")); /* announces, says nothing */
	assert_false(of_clause_needs_context("整理了后台问得多的三个问题：一天几顿、能不能用母乳冲、冲多稠。"));
	assert_false(of_clause_needs_context("说说辅食过敏这件事：宝宝吃了新食物后如果嘴巴周围发红、身上起小疹子，先停掉。"));
	assert_false(of_clause_needs_context("宝宝吃了新食物后，如果嘴巴周围发红，先停掉这种食物。"));
	/* pointing back at a question the video may not show */
	assert_true(of_clause_needs_context("这个问题其实很简单，6个月以后就可以开始。"));
	assert_true(of_clause_needs_context("对此，营养师的建议是先少量尝试。"));
	assert_true(of_clause_needs_context("另外，这种情况要及时就医。"));
	assert_false(of_clause_needs_context("遇到这个问题的妈妈很多，先别着急。"));
	/* greetings: nothing to narrate over a scene */
	assert_true(of_clause_is_greeting("周一早上好！"));
	assert_true(of_clause_is_greeting("大家晚上好呀～"));
	assert_true(of_clause_is_greeting("早安☀️"));
	assert_false(of_clause_is_greeting("晚一点吃也好。"));
	assert_false(of_clause_is_greeting("宝宝胃口好。"));
	assert_false(of_clause_is_greeting("周一早上好，今天聊聊宝宝第一口辅食该怎么选。"));
	assert_false(of_clause_standalone("从稻田到米粉厂，每一批原料都要留样。", 0, strlen("从稻田到米粉厂，"), 0, 100));
}

static const char *ARTICLE =
	"---\ntitle: 本周精选\n---\n\n# 本周精选\n\n## 米粉与辅食\n\n"
	"高铁原味米粉今天正式上架啦！这款米粉我们打磨了整整八个月，只用大米加铁、锌等营养强化剂，不额外添加白砂糖和食盐。\n\n"
	"![](images/pa-1.jpg)\n\n"
	"另外，宝宝便秘是这周后台问得特别多的问题。加辅食以后大便变干，很多时候是膳食纤维和水分不够。"
	"可以试试西梅泥、火龙果泥、南瓜泥，米粉也别冲得太稠。8个月以上的宝宝，每天可以少量喝点白开水。\n\n"
	"此外，下班路上看到特别好看的夕阳，拍给大家看看。秋天的傍晚天空一层一层地变红，特别安静。\n\n"
	"![](images/pc-1.jpg)\n";

/* Paragraph texts as the trace has them (cmark's plain text of each paragraph). */
static const char *TRACE =
	"{\"version\": 1, \"article\": \"article.md\", \"paragraphs\": ["
	"{\"para\": 1, \"line\": 9, \"text\": \"高铁原味米粉今天正式上架啦！这款米粉我们打磨了整整八个月，只用大米加铁、锌等营养强化剂，不额外添加白砂糖和食盐。\", "
	"\"sources\": [{\"post\": \"pa\"}]},"
	"{\"para\": 2, \"line\": 13, \"text\": \"另外，宝宝便秘是这周后台问得特别多的问题。加辅食以后大便变干，很多时候是膳食纤维和水分不够。"
	"可以试试西梅泥、火龙果泥、南瓜泥，米粉也别冲得太稠。8个月以上的宝宝，每天可以少量喝点白开水。\", "
	"\"sources\": [{\"post\": \"pb\"}]},"
	"{\"para\": 3, \"line\": 15, \"text\": \"此外，下班路上看到特别好看的夕阳，拍给大家看看。秋天的傍晚天空一层一层地变红，特别安静。\", "
	"\"sources\": [{\"post\": \"pc\"}]}],"
	"\"images\": [{\"line\": 11, \"post\": \"pa\", \"path\": \"images/pa-1.jpg\"}, "
	"{\"line\": 17, \"post\": \"pc\", \"path\": \"images/pc-1.jpg\"}]}";

static void write_article(const char *dir, int with_trace)
{
	char p[600];
	static const char jpeg[] = "\xFF\xD8\xFF\xE0 not really a photo";
	snprintf(p, sizeof p, "%s/images", dir);
	assert_int_equal(of_mkdirs(p), 0);
	snprintf(p, sizeof p, "%s/images/pa-1.jpg", dir);
	of_test_write(p, jpeg, sizeof jpeg - 1);
	snprintf(p, sizeof p, "%s/images/pc-1.jpg", dir);
	of_test_write(p, jpeg, sizeof jpeg - 1);
	snprintf(p, sizeof p, "%s/article.md", dir);
	of_test_write(p, ARTICLE, strlen(ARTICLE));
	snprintf(p, sizeof p, "%s/article.trace.json", dir);
	if (with_trace)
		of_test_write(p, TRACE, strlen(TRACE));
	else
		remove(p);
}

/* The picture of the scenes that narrate post pb (便秘/白开水), which has no photo. */
static void pb_images(const char *dir, double duration, int with_trace, char *img, size_t n)
{
	char in[600], out[600], js[700];
	of_script_options o = OF_SCRIPT_OPTIONS_INIT;
	of_stage_stats st = {0};
	json_t *sb = NULL;
	size_t i;
	o.duration = duration;
	o.flags.no_isolate = 1;
	write_article(dir, with_trace);
	snprintf(in, sizeof in, "%s/article.md", dir);
	snprintf(out, sizeof out, "%s/out%d", dir, with_trace);
	assert_int_equal(of_script_build(in, &o, out, &st), 0);
	snprintf(js, sizeof js, "%s/script.json", out);
	assert_int_equal(of_json_load(&sb, js, 1 << 20), 0);
	img[0] = '\0';
	const json_t *sc = json_object_get(sb, "scenes");
	long frames = 0;
	for (i = 0; i < json_array_size(sc); i++) {
		const json_t *s = json_array_get(sc, i);
		const char *src = of_json_str(json_array_get(json_object_get(s, "sources"), 0), "text");
		const char *image = of_json_str(s, "image");
		frames += lround(json_number_value(json_object_get(s, "duration")) * 30);
		if (strcmp(of_json_str(s, "kind"), "cta") == 0 || !src ||
		    !json_object_get(json_array_get(json_object_get(s, "sources"), 0), "paragraph"))
			continue; /* the call to action, the title as hook: the article's image */
		if (strstr(src, "米粉今天") || strstr(src, "打磨"))
			assert_non_null(strstr(image, "pa-1"));
		else if (strstr(src, "夕阳") || strstr(src, "傍晚"))
			assert_non_null(strstr(image, "pc-1"));
		else if (!img[0])
			snprintf(img, n, "%s", image);
	}
	assert_int_equal(frames, lround(duration * 30));
	json_decref(sb);
}

static void test_script_pages__scene_photo_from_the_trace(void **state)
{
	char img[256];
	(void)state;
	const char *dir = of_test_tmpdir();
	char d[256];
	snprintf(d, sizeof d, "%s", dir);
	/* With the trace: pb has no photo, so its scenes show the brand background, not pc's sunset. */
	pb_images(d, 60, 1, img, sizeof img);
	assert_true(img[0]);
	assert_non_null(strstr(img, "brand-background"));
	/* Without it: the photo after the paragraph (the article stage's layout). */
	pb_images(d, 60, 0, img, sizeof img);
	assert_non_null(strstr(img, "pc-1"));
	of_test_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_pages__pages_cover_the_text_and_end_at_clauses),
		cmocka_unit_test(test_script_pages__no_fragment_page),
		cmocka_unit_test(test_script_pages__fragments_and_context),
		cmocka_unit_test(test_script_pages__scene_photo_from_the_trace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
