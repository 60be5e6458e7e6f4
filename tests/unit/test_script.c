/* test_script.c — the offline scriptwriter: storyboard invariants, captions, CTA time, LLM fallback. */
#include "testutil.h"

#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/log.h"
#include "onefish/storyboard.h"
#include "script/caption.h"
#include "script/plan.h"
#include "script/rewrite.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static of_script_options opts(double duration)
{
	of_script_options o = OF_SCRIPT_OPTIONS_INIT;
	o.duration = duration;
	o.brand.name = "暖暖母婴";
	o.brand.live_title = "宝宝辅食添加全攻略直播";
	o.brand.live_time = "2026-11-26T20:00:00+08:00";
	o.brand.live_platform = "视频号";
	o.brand.live_cta = "点击预约，周四晚8点直播间见";
	return o;
}

static json_t *build(const char *article, double duration, char *dir_out)
{
	of_script_options o = opts(duration);
	of_stage_stats st = {0};
	json_t *sb = NULL;
	const char *dir = of_test_tmpdir();
	char path[512];
	snprintf(dir_out, 256, "%s", dir);
	assert_int_equal(of_script_build(article, &o, dir, &st), 0);
	snprintf(path, sizeof path, "%s/script.json", dir);
	assert_int_equal(of_json_load(&sb, path, 1 << 20), 0);
	return sb;
}

/* Every rule of docs/storyboard.md that a generated storyboard must keep. */
static void check_storyboard(const json_t *sb, double target)
{
	of_segmenter *seg;
	const json_t *scenes = json_object_get(sb, "scenes");
	size_t i, n = json_array_size(scenes), body = 0;
	double sum = 0, rate = json_number_value(json_object_get(sb, "speech_rate"));
	assert_int_equal(of_segmenter_new(&seg), 0);
	assert_int_equal(json_integer_value(json_object_get(sb, "version")), 1);
	assert_true(n >= 5 && n <= 8);
	assert_string_equal(of_json_str(json_array_get(scenes, 0), "kind"), "hook");
	assert_string_equal(of_json_str(json_array_get(scenes, n - 1), "kind"), "cta");
	assert_true(json_number_value(json_object_get(json_array_get(scenes, 0), "duration")) <= 3.0 + 1e-9);
	for (i = 0; i < n; i++) {
		const json_t *s = json_array_get(scenes, i);
		const json_t *cap = json_object_get(s, "caption");
		double start = json_number_value(json_object_get(s, "start"));
		double dur = json_number_value(json_object_get(s, "duration"));
		const char *narr = of_json_str(s, "narration");
		size_t k;
		assert_true(fabs(start - sum) < 0.002); /* contiguous */
		assert_true(dur > 0);
		sum += dur;
		if (strcmp(of_json_str(s, "kind"), "body") == 0)
			body++;
		assert_non_null(narr);
		/* the narration fits its time at the speech rate */
		assert_true(of_spoken_units(narr, strlen(narr)) <= dur * rate + 1e-9);
		assert_true(json_array_size(cap) >= 1 && json_array_size(cap) <= 2);
		for (k = 0; k < json_array_size(cap); k++)
			assert_true(of_caption_width(json_string_value(json_array_get(cap, k))) <= 14);
		assert_true(json_array_size(json_object_get(s, "sources")) >= 1);
		assert_non_null(of_json_str(s, "image"));
		assert_true(strlen(of_json_str(s, "image")) > 0);
		assert_non_null(of_json_str(json_object_get(s, "motion"), "type"));
		assert_non_null(of_json_str(json_object_get(s, "transition"), "type"));
	}
	assert_true(body >= 3 && body <= 6);
	assert_true(fabs(sum - target) <= 0.05 * target);
	assert_true(fabs(json_number_value(json_object_get(sb, "duration")) - target) <= 0.05 * target);
	of_segmenter_free(seg);
}

static void test_script__durations_hook_cta_sources(void **state)
{
	static const double targets[] = {15, 30, 60};
	size_t t;
	char dir[256];
	(void)state;
	for (t = 0; t < 3; t++) {
		json_t *sb = build(of_fixture("script/article.md"), targets[t], dir);
		check_storyboard(sb, targets[t]);
		/* images were copied beside script.json and are relative to it */
		const char *img = of_json_str(json_array_get(json_object_get(sb, "scenes"), 1), "image");
		char p[600];
		snprintf(p, sizeof p, "%s/%s", dir, img);
		assert_true(of_path_is_file(p));
		assert_string_equal(of_json_str(json_object_get(sb, "live"), "time_text"), "11月26日（周四）20:00");
		json_decref(sb);
		of_test_rmtree(dir);
	}
}

static void test_script__same_input_same_bytes(void **state)
{
	char d1[256], d2[256], p[600];
	size_t a, b;
	const char *files[] = {"script.json", "script.md", "subtitles.srt", "subtitles.ass", "timeline.fcpxml"};
	size_t i;
	(void)state;
	json_decref(build(of_fixture("script/article.md"), 30, d1));
	json_decref(build(of_fixture("script/article.md"), 30, d2));
	for (i = 0; i < 5; i++) {
		snprintf(p, sizeof p, "%s/%s", d1, files[i]);
		char *x = of_test_slurp(p, &a);
		snprintf(p, sizeof p, "%s/%s", d2, files[i]);
		char *y = of_test_slurp(p, &b);
		assert_int_equal(a, b);
		assert_memory_equal(x, y, a);
		free(x);
		free(y);
	}
	of_test_rmtree(d1);
	of_test_rmtree(d2);
}

static void test_script__bad_duration_rejected(void **state)
{
	static const double bad[] = {0, -5, 10000, NAN};
	size_t i;
	(void)state;
	for (i = 0; i < 4; i++) {
		of_script_options o = opts(bad[i]);
		assert_int_equal(of_script_build(of_fixture("script/article.md"), &o, "/tmp/onefish-never", NULL),
				 OF_EINVALID);
	}
	assert_false(of_path_is_dir("/tmp/onefish-never"));
}

static void test_script__caption_never_splits_numbers(void **state)
{
	of_segmenter *seg;
	char *lines[2];
	int n, i;
	size_t used;
	const char *t = "活动价格只要3.5元，直播时间是11月26日20:00，名额1,000个";
	(void)state;
	assert_int_equal(of_segmenter_new(&seg), 0);
	for (int width = 6; width <= 14; width++) {
		size_t at = 0, len = strlen(t);
		while (at < len) {
			assert_int_equal(of_caption_fill(seg, t + at, len - at, width, 2, lines, &n, &used), 0);
			assert_true(used > 0);
			for (i = 0; i < n; i++) {
				size_t l = strlen(lines[i]);
				assert_true(of_caption_width(lines[i]) <= (size_t)width);
				/* no line starts or ends inside a number: the neighbours of a cut are never two digits
				 * or a digit and . , : */
				assert_false(strchr(".,:", lines[i][0]) != NULL);
				char last = lines[i][l - 1], first = lines[i][0];
				(void)first;
				if (last >= '0' && last <= '9') {
					/* a line ending in a digit must be followed by a non-number (end or text) */
					const char *pos = strstr(t + at, lines[i]);
					assert_non_null(pos);
					char nx = pos[l];
					assert_false((nx >= '0' && nx <= '9') || nx == '.' || nx == ':' || nx == ',');
				}
				free(lines[i]);
			}
			at += used;
		}
	}
	/* "3.5元" and "11月26日" stay whole */
	assert_int_equal(of_caption_fill(seg, "只要3.5元", strlen("只要3.5元"), 4, 2, lines, &n, &used), 0);
	assert_int_equal(n, 2);
	assert_string_equal(lines[0], "只要");
	assert_string_equal(lines[1], "3.5元");
	free(lines[0]);
	free(lines[1]);
	of_segmenter_free(seg);
}

static void test_script__caption_breaks_at_punctuation(void **state)
{
	of_segmenter *seg;
	char *lines[2];
	int n;
	size_t used;
	const char *t = "辅食不是比赛，每个宝宝都有自己的节奏。";
	(void)state;
	assert_int_equal(of_segmenter_new(&seg), 0);
	assert_int_equal(of_caption_fill(seg, t, strlen(t), 14, 2, lines, &n, &used), 0);
	assert_int_equal(n, 2);
	assert_string_equal(lines[0], "辅食不是比赛");
	assert_string_equal(lines[1], "每个宝宝都有自己的节奏");
	assert_int_equal(used, strlen(t));
	free(lines[0]);
	free(lines[1]);
	of_segmenter_free(seg);
}

static void test_script__live_time_in_chinese(void **state)
{
	char b[128];
	(void)state;
	assert_int_equal(of_script_format_live_time("2026-11-26T20:00:00+08:00", b, sizeof b), 0);
	assert_string_equal(b, "11月26日（周四）20:00");
	assert_int_equal(of_script_format_live_time("2024-02-29", b, sizeof b), 0);
	assert_string_equal(b, "2月29日（周四）");
	assert_int_equal(of_script_format_live_time("next thursday", b, sizeof b), OF_EINVALID);
	assert_string_equal(b, "next thursday");
}

static void test_script__llm_failure_falls_back_offline(void **state)
{
	of_script_options o = opts(30);
	of_stage_stats st = {0};
	json_t *sb;
	const char *dir = of_test_tmpdir();
	char path[512], d[256];
	(void)state;
	snprintf(d, sizeof d, "%s", dir);
	o.flags.engine_llm = 1;
	o.flags.llm_endpoint = "http://127.0.0.1:9/v1";
	o.flags.llm_model = "none";
	assert_int_equal(of_script_build(of_fixture("script/article.md"), &o, d, &st), 0);
	assert_true(st.warnings >= 1);
	snprintf(path, sizeof path, "%s/script.json", d);
	assert_int_equal(of_json_load(&sb, path, 1 << 20), 0);
	assert_string_equal(of_json_str(sb, "engine"), "offline");
	check_storyboard(sb, 30);
	json_decref(sb);
	of_test_rmtree(d);
}

static void test_script__llm_answer_validated(void **state)
{
	of_segmenter *seg;
	char d[256];
	json_t *sb;
	(void)state;
	assert_int_equal(of_segmenter_new(&seg), 0);
	sb = build(of_fixture("script/article.md"), 15, d);
	size_t n = json_array_size(json_object_get(sb, "scenes")), i;
	char good[8192], at = 0;
	(void)at;
	/* a valid answer: every id, short spoken narration */
	size_t len = (size_t)snprintf(good, sizeof good, "好的，这是结果：```json\n{\"scenes\":[");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(good + len, sizeof good - len, "%s{\"id\":\"s%02zu\",\"narration\":\"宝妈们看过来\"}",
					i ? "," : "", i + 1);
	snprintf(good + len, sizeof good - len, "]}\n```");
	/* wrong scene count, wrong id, too long */
	assert_int_equal(of_script_apply_rewrite(sb, "{\"scenes\":[]}", seg), OF_EINVALID);
	assert_int_equal(of_script_apply_rewrite(sb, "not json at all", seg), OF_EINVALID);
	char bad[8192];
	snprintf(bad, sizeof bad, "%s", good);
	char *p = strstr(bad, "s01");
	p[2] = '9';
	assert_int_equal(of_script_apply_rewrite(sb, bad, seg), OF_EINVALID);
	assert_string_equal(of_json_str(sb, "engine"), "offline");
	snprintf(bad, sizeof bad, "%s", good);
	p = strstr(bad, "宝妈们看过来");
	char longer[8192];
	snprintf(longer, sizeof longer, "%.*s%s%s", (int)(p - bad),
		 bad, "宝妈们看过来宝妈们看过来宝妈们看过来宝妈们看过来宝妈们看过来宝妈们看过来", p + strlen("宝妈们看过来"));
	assert_int_equal(of_script_apply_rewrite(sb, longer, seg), OF_EINVALID);
	assert_int_equal(of_script_apply_rewrite(sb, good, seg), 0);
	assert_string_equal(of_json_str(sb, "engine"), "llm");
	assert_string_equal(of_json_str(json_array_get(json_object_get(sb, "scenes"), 1), "narration"), "宝妈们看过来");
	json_decref(sb);
	of_test_rmtree(d);
	of_segmenter_free(seg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script__durations_hook_cta_sources),
		cmocka_unit_test(test_script__same_input_same_bytes),
		cmocka_unit_test(test_script__bad_duration_rejected),
		cmocka_unit_test(test_script__caption_never_splits_numbers),
		cmocka_unit_test(test_script__caption_breaks_at_punctuation),
		cmocka_unit_test(test_script__live_time_in_chinese),
		cmocka_unit_test(test_script__llm_failure_falls_back_offline),
		cmocka_unit_test(test_script__llm_answer_validated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
