/* test_render.c — unit tests for stages/render: script.json validation,
 * caption wrapping, safe image decoding (content probe, limits, EXIF). */
#include "testutil.h"

#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/segment.h"
#include "render/render_int.h"
#include "render/scene_lines.h"
#include "render/soundtrack.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int parse(const char *json, of_rscript **out)
{
	return of_rscript_parse(out, json, strlen(json), "script.json", ".");
}

/* Expects a failure with `code` whose message contains `needle`. */
static void expect_bad(const char *json, int code, const char *needle)
{
	of_rscript *s = NULL;
	int rc = parse(json, &s);
	if (rc != code || !strstr(of_error_last()->message, needle))
		fail_msg("want %d '%s', got %d '%s'", code, needle, rc, of_error_last()->message);
	assert_null(s);
	assert_string_equal(of_error_last()->path, "script.json");
}

static void test_render__script_ok(void **state)
{
	(void)state;
	of_rscript *s = NULL;
	const char *j = "{\"title\":\"标题\",\"scenes\":[{\"id\":\"s01\",\"kind\":\"hook\",\"duration\":2.5,"
			"\"caption\":[\"第一行\",\"第二行\"],\"motion\":{\"type\":\"zoom_out\",\"from\":1.2,\"to\":1.0,"
			"\"pan\":[0.2,0.8]},\"transition\":{\"type\":\"wipe\",\"duration\":0.4}},"
			"{\"kind\":\"cta\",\"start\":99,\"duration\":3,\"transition\":{\"type\":\"slide\",\"duration\":2}}]}";
	assert_int_equal(parse(j, &s), 0);
	assert_int_equal(s->n_scenes, 2);
	assert_string_equal(s->title, "标题");
	assert_int_equal(s->scenes[0].kind, OF_SCENE_HOOK);
	assert_int_equal(s->scenes[0].motion, OF_MOTION_ZOOM_OUT);
	assert_true(fabs(s->scenes[0].zoom_from - 1.2) < 1e-9);
	assert_true(fabs(s->scenes[0].pan_x - 0.2) < 1e-9);
	assert_string_equal(s->scenes[0].caption[1], "第二行");
	assert_int_equal(s->scenes[0].trans, OF_TRANS_WIPE);
	/* starts are recomputed from durations; a transition longer than half a neighbour is capped */
	assert_true(fabs(s->scenes[1].start - 2.5) < 1e-9);
	assert_true(fabs(s->duration - 5.5) < 1e-9);
	assert_true(fabs(s->scenes[1].trans_dur - 1.25) < 1e-9);
	assert_null(s->scenes[1].image);
	of_rscript_free(s);
}

static void test_render__script_rejects_bad_fields(void **state)
{
	(void)state;
	expect_bad("{\"scenes\":[]}", OF_EINVALID, "scenes: no scenes");
	expect_bad("{\"title\":1}", OF_EINVALID, "title: must be a string");
	expect_bad("[1]", OF_EINVALID, "must be a JSON object");
	expect_bad("{\"scenes\":[{\"duration\":2},{\"duration\":-1}]}", OF_EINVALID, "scenes[1].duration: must be > 0");
	expect_bad("{\"scenes\":[{\"duration\":0}]}", OF_EINVALID, "scenes[0].duration: must be > 0");
	expect_bad("{\"scenes\":[{\"duration\":1e300}]}", OF_ELIMIT, "scenes[0].duration: must be <=");
	expect_bad("{\"scenes\":[{\"duration\":\"3\"}]}", OF_EINVALID, "scenes[0].duration: must be a number");
	expect_bad("{\"scenes\":[{}]}", OF_EINVALID, "scenes[0].duration: missing");
	expect_bad("{\"scenes\":[{\"duration\":3,\"kind\":\"intro\"}]}", OF_EINVALID, "scenes[0].kind");
	expect_bad("{\"scenes\":[{\"duration\":3,\"motion\":{\"from\":0.5}}]}", OF_EINVALID, "scenes[0].motion.from");
	expect_bad("{\"scenes\":[{\"duration\":3,\"motion\":{\"pan\":[2,0]}}]}", OF_EINVALID, "scenes[0].motion.pan");
	expect_bad("{\"scenes\":[{\"duration\":3,\"caption\":[\"a\",\"b\",\"c\"]}]}", OF_EINVALID, "at most 2 lines");
	expect_bad("{\"scenes\":[{\"duration\":3,\"caption\":[\"a\",7]}]}", OF_EINVALID, "scenes[0].caption[1]");
	expect_bad("{\"scenes\":[{\"duration\":3,\"transition\":{\"duration\":-2}}]}", OF_EINVALID,
		   "scenes[0].transition.duration");
	expect_bad("{\"scenes\":[1,", OF_EINVALID, "expected");
}

static void test_render__script_caps(void **state)
{
	(void)state;
	size_t n = 10000, cap = n * 24 + 64;
	char *j = malloc(cap);
	size_t k = (size_t)snprintf(j, cap, "{\"scenes\":[");
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(j + k, cap - k, "%s{\"duration\":0.2}", i ? "," : "");
	snprintf(j + k, cap - k, "]}");
	expect_bad(j, OF_ELIMIT, "10000 scenes, at most");
	/* a 2,000-character caption */
	size_t clen = 2000 * 3 + 128;
	char *c = malloc(clen);
	k = (size_t)snprintf(c, clen, "{\"scenes\":[{\"duration\":3,\"caption\":[\"");
	for (int i = 0; i < 2000; i++)
		k += (size_t)snprintf(c + k, clen - k, "字");
	snprintf(c + k, clen - k, "\"]}]}");
	expect_bad(c, OF_ELIMIT, "scenes[0].caption[0]: 2000 characters");
	/* 300 scenes of 5 s = 1500 s > the video cap */
	k = (size_t)snprintf(j, cap, "{\"scenes\":[");
	for (size_t i = 0; i < 300; i++)
		k += (size_t)snprintf(j + k, cap - k, "%s{\"duration\":5}", i ? "," : "");
	snprintf(j + k, cap - k, "]}");
	expect_bad(j, OF_ELIMIT, "scenes: total 1500.0 s");
	free(c);
	free(j);
}

/* Counts lines of a wrapped caption and checks each against the width estimate. */
static int lines_of(const char *w, char out[][256], int max)
{
	int n = 0;
	const char *p = w;
	while (n < max) {
		const char *e = strstr(p, "\\N");
		size_t len = e ? (size_t)(e - p) : strlen(p);
		snprintf(out[n++], 256, "%.*s", (int)len, p);
		if (!e)
			break;
		p = e + 2;
	}
	return n;
}

static void test_render__wrap_cjk(void **state)
{
	(void)state;
	char l[8][256];
	/* 12 CJK glyphs of 60 px = 720 px: fits in 800, two balanced lines in 500 */
	char *w = of_caption_wrap("宝宝辅食添加全攻略直播间见", 60, 800, NULL);
	assert_int_equal(lines_of(w, l, 8), 1);
	free(w);
	w = of_caption_wrap("宝宝辅食添加全攻略直播间见", 60, 500, NULL);
	assert_int_equal(lines_of(w, l, 8), 2);
	free(w);
	/* never before closing punctuation, never inside a number */
	w = of_caption_wrap("宝宝六个月，2026年第一口辅食", 60, 360, NULL);
	int n = lines_of(w, l, 8);
	assert_true(n >= 2);
	for (int i = 0; i < n; i++) {
		assert_true(strncmp(l[i], "，", 3) != 0);
		assert_null(strstr(l[i], "20\\N"));
	}
	assert_non_null(strstr(w, "2026"));
	free(w);
	w = of_caption_wrap("", 60, 300, NULL);
	assert_string_equal(w, "");
	free(w);
	/* with the segmenter, lines break between words: 辅食 and 添加 stay whole */
	of_segmenter *seg = NULL;
	assert_int_equal(of_segmenter_new(&seg), 0);
	w = of_caption_wrap("宝宝辅食添加全攻略", 92, 780, seg);
	print_message("wrapped: %s\n", w);
	assert_null(strstr(w, "添\\N加"));
	assert_null(strstr(w, "辅\\N食"));
	assert_non_null(strstr(w, "\\N"));
	free(w);
	/* balanced, and after the comma rather than inside 红酒 */
	w = of_caption_wrap("午后时光：一杯红酒，一张老唱片", 66, 821, seg);
	assert_string_equal(w, "午后时光：一杯红酒，\\N一张老唱片");
	free(w);
	/* a title breaks where its author paused, the separator dropped at the line's end;
	 * parts that fit together share a line, a title that fits stays whole */
	w = of_caption_wrap_title("暖暖育儿说·本周精选｜米粉、辅食、直播", 92, 780, seg);
	assert_string_equal(w, "暖暖育儿说\\N本周精选\\N米粉、辅食、直播");
	free(w);
	w = of_caption_wrap_title("本周｜米粉 · 辅食｜直播预告和试吃", 92, 780, seg);
	assert_string_equal(w, "本周｜米粉 · 辅食\\N直播预告和试吃");
	free(w);
	w = of_caption_wrap_title("本周精选｜米粉", 92, 780, seg);
	assert_string_equal(w, "本周精选｜米粉");
	free(w);
	/* separators only at the ends, runs of them, a part wider than a line */
	w = of_caption_wrap_title("｜｜宝宝辅食添加全攻略直播间见 ——", 92, 780, seg);
	print_message("title: %s\n", w);
	assert_null(strstr(w, "｜"));
	assert_null(strstr(w, "—"));
	assert_non_null(strstr(w, "\\N"));
	free(w);
	w = of_caption_wrap_title("｜ · ｜", 92, 100, seg);
	assert_string_equal(w, "");
	free(w);
	/* random titles: nothing but separators, spaces and line breaks is ever lost or added */
	static const char *const atoms[] = {"米粉", "辅食", "直播", "宝宝", "、", "！", "｜", "|", "·", "・", "—",
					    "／", " ", "W47", "onefish", "2026"};
	unsigned rnd = 12345;
	for (int round = 0; round < 2000; round++) {
		char title[256] = "", want[256] = "", got[512] = "";
		int n_atoms = 1 + (int)((rnd = rnd * 1103515245u + 12345u) >> 16) % 14;
		for (int k = 0; k < n_atoms; k++) {
			const char *a = atoms[((rnd = rnd * 1103515245u + 12345u) >> 16) % 16];
			strcat(title, a);
			if (!strchr("|/ ", a[0]) && strcmp(a, "｜") && strcmp(a, "·") && strcmp(a, "・") &&
			    strcmp(a, "—") && strcmp(a, "／"))
				strcat(want, a);
		}
		w = of_caption_wrap_title(title, 92, 500, seg);
		assert_non_null(w);
		size_t g = 0;
		for (const char *c = w; *c;) {
			const char *const skip[] = {"\\N", "｜", "|", "·", "・", "—", "／", " "};
			size_t k, m = 0;
			for (k = 0; k < 8; k++)
				if (strncmp(c, skip[k], (m = strlen(skip[k]))) == 0)
					break;
			if (k < 8) {
				c += m;
				continue;
			}
			got[g++] = *c++;
		}
		got[g] = 0;
		if (strcmp(got, want) != 0)
			fail_msg("title '%s' wrapped as '%s'", title, w);
		free(w);
	}
	/* the script's 14-字 lines in the vertical safe zone (821 px at 66 px fits 12):
	 * set a little smaller so each stays one line, never below 80 %, then they wrap */
	const char *const page[] = {"上周直播间大家问得特别多的是", "过敏、便秘和米粉冲调"};
	double fs = of_caption_fit_size(page, 2, 66, 821);
	assert_true(fs < 66 && fs >= 0.8 * 66 && 14 * fs <= 821);
	w = of_caption_wrap(page[0], fs, 821, seg);
	assert_null(strstr(w, "\\N")); /* one line at that size */
	free(w);
	w = of_caption_wrap(page[0], 66, 821, seg);
	assert_non_null(strstr(w, "\\N")); /* two at the style's size: what the video used to show */
	free(w);
	const char *const short_page[] = {"8个月以上的宝宝", NULL};
	assert_true(of_caption_fit_size(short_page, 2, 66, 821) == 66);
	const char *const long_page[] = {"这一行字幕实在太长了以至于缩小到八成也放不下", NULL};
	assert_true(of_caption_fit_size(long_page, 2, 66, 821) == 66);
	of_segmenter_free(seg);
}

/* Rows of `f` with anything drawn on black: the first and the last. */
static void drawn_rows(const of_yuv *f, int *top, int *bottom)
{
	*top = -1;
	*bottom = -1;
	for (int y = 0; y < f->h; y++)
		for (int x = 0; x < f->w; x++)
			if (f->plane[0][(size_t)y * f->stride[0] + x] > 40) {
				if (*top < 0)
					*top = y;
				*bottom = y;
				break;
			}
}

/* Renders the hook (t = 1 s) and the end card (t = 4 s) of a storyboard with
 * a 120-character title and live card; returns the warnings. */
static size_t render_cards(const of_caption_style *st, int w, int h, int rows[4], char **ass)
{
	char title[400] = "", live[400] = "", cta[400] = "", json[2048];
	for (int i = 0; i < 13; i++)
		strcat(title, "宝宝辅食添加全攻略");
	strcat(title, "宝宝辅");
	for (int i = 0; i < 60; i++)
		strcat(live, "直播");
	for (int i = 0; i < 120; i++)
		strcat(cta, "点");
	snprintf(json, sizeof json,
		 "{\"title\":\"%s\",\"live\":{\"title\":\"%s\",\"time_text\":\"11月26日（周四）20:00\",\"cta\":\"%s\","
		 "\"platform\":\"视频号\"},\"scenes\":[{\"kind\":\"hook\",\"duration\":2},"
		 "{\"kind\":\"cta\",\"duration\":4}]}",
		 title, live, cta);
	of_rscript *s = NULL;
	assert_int_equal(parse(json, &s), 0);
	of_captions *c = NULL;
	size_t warns = 0;
	if (of_captions_new(&c, s, st, "Noto Sans CJK SC", 0xE8734A, w, h, &warns) != 0)
		fail_msg("%s", of_error_last()->message);
	of_yuv f;
	assert_int_equal(of_yuv_alloc(&f, w, h), 0);
	for (int k = 0; k < 2; k++) {
		of_yuv_fill(&f, 16, 128, 128);
		of_captions_draw(c, &f, k ? 4000 : 1000);
		drawn_rows(&f, &rows[2 * k], &rows[2 * k + 1]);
	}
	of_yuv_release(&f);
	*ass = strdup(of_captions_ass(c));
	of_captions_free(c);
	of_rscript_free(s);
	return warns;
}

/* The hook's title card ends above a two-line caption and the end card keeps to the safe
 * zone, however long the titles the storyboard allows (found by QA: a
 * 120-character title filled the frame and the end card ran off both edges). */
static void test_render__cards_fit_the_frame(void **state)
{
	(void)state;
	char *style = NULL, *ass = NULL;
	assert_int_equal(of_asset_path(&style, "styles/captions.json"), 0);
	static const char *const presets[] = {"vertical", "landscape", "square"};
	static const int dims[][2] = {{1080, 1920}, {1920, 1080}, {1080, 1080}};
	for (int p = 0; p < 3; p++) {
		int w = dims[p][0], h = dims[p][1], rows[4];
		of_caption_style st;
		assert_int_equal(of_caption_style_load(&st, style, presets[p], w, h), 0);
		size_t warns = render_cards(&st, w, h, rows, &ass);
		/* the storyboard's limits fit by setting the cards smaller: nothing cut */
		assert_int_equal(warns, 0);
		assert_null(strstr(ass, "…"));
		int slack = (int)(st.outline * 4 + 4); /* the box border and shadow */
		if (rows[0] < st.safe_t || rows[1] > h - st.safe_b - 2 * st.font_size)
			fail_msg("%s: hook title drawn on rows %d..%d of %d", presets[p], rows[0], rows[1], h);
		if (rows[2] < st.safe_t - slack || rows[3] > h - st.safe_b + slack)
			fail_msg("%s: end card drawn on rows %d..%d, safe zone %.0f..%.0f", presets[p], rows[2], rows[3],
				 st.safe_t, h - st.safe_b);
		free(ass);
	}

	/* A style with a huge title size: set at 60 %, the rest is cut with "…" and each
	 * cut field warned about once. */
	char *src = of_test_slurp(style, NULL), path[4096];
	char *at = strstr(src, "\"title_size\"");
	assert_non_null(at);
	char *num = strchr(at, ':') + 1, *end = strpbrk(num, ",}");
	size_t big_len = strlen(src) + 16;
	char *big = malloc(big_len);
	snprintf(big, big_len, "%.*s 400%s", (int)(num - src), src, end);
	snprintf(path, sizeof path, "%s/captions-big.json", of_test_tmpdir());
	of_test_write(path, big, strlen(big));
	of_caption_style st;
	assert_int_equal(of_caption_style_load(&st, path, "vertical", 1080, 1920), 0);
	int rows[4];
	size_t warns = render_cards(&st, 1080, 1920, rows, &ass);
	assert_true(warns >= 3); /* title, live.title, live.cta (and the time at this size) */
	assert_non_null(strstr(ass, "…"));
	if (rows[1] > 1920 - st.safe_b - 2 * st.font_size || rows[2] < st.safe_t - st.outline * 4 - 4 ||
	    rows[3] > 1920 - st.safe_b + st.outline * 4 + 4)
		fail_msg("big style: hook rows %d..%d, card rows %d..%d", rows[0], rows[1], rows[2], rows[3]);
	free(ass);
	free(big);
	free(src);
	free(style);
}

/* Emoji in a caption (an editor's script.md) cannot be drawn by libass, which
 * renders outlines: they are left out of the burned-in captions with a warning
 * naming the scene, and BMP symbols (★) stay for fontconfig's fallback. */
static char g_log_render[4096];

static void capture_render(const of_log_record *r, void *payload)
{
	(void)payload;
	size_t have = strlen(g_log_render);
	if (r->level >= OF_LOG_WARN)
		snprintf(g_log_render + have, sizeof g_log_render - have, "%s\n", r->message);
}

static void test_render__caption_emoji(void **state)
{
	(void)state;
	g_log_render[0] = 0;
	of_log_set_handler(capture_render, NULL);
	char *style = NULL;
	of_caption_style st;
	assert_int_equal(of_asset_path(&style, "styles/captions.json"), 0);
	assert_int_equal(of_caption_style_load(&st, style, "vertical", 1080, 1920), 0);
	of_rscript *s = NULL;
	assert_int_equal(parse("{\"scenes\":[{\"kind\":\"body\",\"duration\":2,\"caption\":[\"宝宝😀吃饭★\","
			       "\"一家人👨\u200d👩\u200d👧\"]},{\"kind\":\"body\",\"duration\":2,\"caption\":[\"没有表情\"]}]}",
			       &s),
			 0);
	of_captions *c = NULL;
	size_t warns = 0;
	assert_int_equal(of_captions_new(&c, s, &st, "Noto Sans CJK SC", 0xE8734A, 1080, 1920, &warns), 0);
	const char *ass = of_captions_ass(c);
	assert_int_equal(warns, 1);
	assert_non_null(strstr(g_log_render, "scenes[0].caption: emoji"));
	assert_non_null(strstr(ass, "宝宝吃饭★"));
	assert_non_null(strstr(ass, "一家人"));
	assert_null(strstr(ass, "\xF0\x9F"));      /* no pictograph */
	assert_null(strstr(ass, "\xE2\x80\x8D")); /* no joiner */
	of_captions_free(c);
	of_rscript_free(s);
	free(style);
	of_log_set_handler(NULL, NULL);
}

/* Narration that lengthens the video past the 1200 s cap is named as such
 * (QA: it failed as "mix: invalid duration"). A 1199.5 s silent scene and a
 * 0.5 s scene whose espeak narration needs about 2 s reach it without 20
 * minutes of speech. */
static void test_render__narration_over_the_cap(void **state)
{
	(void)state;
	of_rscript *s = NULL;
	assert_int_equal(parse("{\"scenes\":[{\"kind\":\"body\",\"duration\":1199.5},"
			       "{\"kind\":\"body\",\"duration\":0.5,\"narration\":\"宝宝辅食添加全攻略直播\"}]}",
			       &s),
			 0);
	of_video_options o = OF_VIDEO_OPTIONS_INIT;
	of_audio *mix = NULL;
	size_t warns = 0;
	int rc = of_soundtrack_build(&mix, s, &o, 30, 48000, &warns);
	if (rc == 0 && warns) { /* no espeak-ng here: nothing to lengthen */
		of_audio_free(mix);
		of_rscript_free(s);
		skip();
	}
	assert_int_equal(rc, OF_EINVALID);
	assert_null(mix);
	assert_non_null(strstr(of_error_last()->message, "over the 1200 s limit: shorten the narration"));
	of_rscript_free(s);
}

/* A small real JPEG (960x540) with an EXIF APP1 segment inserted, orientation 6. */
static unsigned char *jpeg_with_orientation(size_t *len, int orient)
{
	size_t n = 0;
	char *src = of_test_slurp(of_fixture("render/short/images/p02-1.jpg"), &n);
	static const unsigned char app1_head[] = {0xFF, 0xE1, 0x00, 34, 'E', 'x', 'i', 'f', 0, 0,
						  'M', 'M', 0, 0x2A, 0, 0, 0, 8, 0, 1};
	unsigned char entry[16] = {0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
	entry[9] = (unsigned char)orient;
	unsigned char *out = malloc(n + 64);
	memcpy(out, src, 2);
	memcpy(out + 2, app1_head, sizeof app1_head);
	memcpy(out + 2 + sizeof app1_head, entry, 16);
	memcpy(out + 2 + sizeof app1_head + 16, src + 2, n - 2);
	*len = n + sizeof app1_head + 16;
	free(src);
	return out;
}

static uint32_t px(const of_rimage *im, int x, int y)
{
	uint32_t v;
	memcpy(&v, im->rgba + ((size_t)y * im->w + x) * 4, 4);
	return v;
}

static void test_render__image_exif_orientation(void **state)
{
	(void)state;
	size_t n = 0;
	of_rimage *plain = NULL, *rot = NULL;
	assert_int_equal(of_rimage_load(&plain, of_fixture("render/short/images/p02-1.jpg"), OF_MAX_IMAGE_PIXELS, 0, 0, 0), 0);
	assert_int_equal(plain->w, 960);
	assert_int_equal(plain->h, 540);
	unsigned char *j = jpeg_with_orientation(&n, 6);
	assert_int_equal(of_rimage_decode(&rot, j, n, "rot.jpg", OF_MAX_IMAGE_PIXELS, 0, 0, 0), 0);
	assert_int_equal(rot->w, 540);
	assert_int_equal(rot->h, 960);
	/* EXIF 6: rotate 90° clockwise to display; the displayed top-left is the stored bottom-left */
	assert_int_equal(px(rot, 0, 0), px(plain, 0, 539));
	assert_int_equal(px(rot, 539, 0), px(plain, 0, 0));
	of_rimage_free(rot);
	free(j);
	of_rimage_free(plain);
}

static void test_render__image_hostile(void **state)
{
	(void)state;
	of_rimage *im = NULL;
	/* empty */
	assert_int_equal(of_rimage_decode(&im, (const uint8_t *)"", 0, "e.jpg", OF_MAX_IMAGE_PIXELS, 0, 0, 0), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "empty"));
	/* text named .png: the probe names what it found */
	const char *txt = "hello, this is not an image at all\n";
	assert_int_equal(of_rimage_decode(&im, (const uint8_t *)txt, strlen(txt), "t.png", OF_MAX_IMAGE_PIXELS, 0, 0, 0),
			 OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "detected"));
	assert_string_equal(of_error_last()->path, "t.png");
	/* truncated JPEG: an error or a partial picture, never a crash */
	size_t n = 0;
	char *jp = of_test_slurp(of_fixture("render/short/images/p02-1.jpg"), &n);
	int rc = of_rimage_decode(&im, (const uint8_t *)jp, 200, "cut.jpg", OF_MAX_IMAGE_PIXELS, 0, 0, 0);
	assert_true(rc == OF_EMEDIA || rc == 0);
	of_rimage_free(im);
	im = NULL;
	/* the pixel cap is enforced by the decoder before it allocates the picture */
	clock_t t0 = clock();
	rc = of_rimage_decode(&im, (const uint8_t *)jp, n, "big.jpg", 1000, 0, 0, 0);
	assert_int_equal(rc, OF_ELIMIT);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
	/* shrinking to a box keeps the aspect: covering it */
	assert_int_equal(of_rimage_decode(&im, (const uint8_t *)jp, n, "p.jpg", OF_MAX_IMAGE_PIXELS, 240, 240, 1), 0);
	assert_int_equal(im->h, 240);
	assert_int_equal(im->w, 427);
	of_rimage_free(im);
	/* fitting: the whole photo inside the box */
	assert_int_equal(of_rimage_decode(&im, (const uint8_t *)jp, n, "p.jpg", OF_MAX_IMAGE_PIXELS, 240, 240, 0), 0);
	assert_int_equal(im->w, 240);
	assert_int_equal(im->h, 135);
	of_rimage_free(im);
	free(jp);
}

/* Mean of one channel over a w/4 × h/2 cell of the picture (cells numbered row by row). */
static double cell_mean(const of_rimage *im, int cell, int ch)
{
	int cw = im->w / 4, chh = im->h / 2, x0 = (cell % 4) * cw, y0 = (cell / 4) * chh;
	double sum = 0;
	for (int y = y0; y < y0 + chh; y++)
		for (int x = x0; x < x0 + cw; x++)
			sum += im->rgba[((size_t)y * im->w + x) * 4 + ch];
	return sum / ((double)cw * chh);
}

/* Animated pictures: an APNG decodes to its first frame, as a GIF does; an animated
 * WebP, which Debian's FFmpeg 5.1 cannot decode, is named as what it is (it was
 * "not a JPEG/PNG…" and "image data not found"). */
static void test_render__image_animated(void **state)
{
	(void)state;
	of_rimage *im = NULL;
	assert_int_equal(of_rimage_load(&im, of_fixture("render/animated.apng"), OF_MAX_IMAGE_PIXELS, 0, 0, 0), 0);
	assert_int_equal(im->w, 64);
	assert_int_equal(im->h, 64);
	of_rimage_free(im);
	im = NULL;
	assert_true(of_rimage_load(&im, of_fixture("render/animated.webp"), OF_MAX_IMAGE_PIXELS, 0, 0, 0) < 0);
	assert_null(im);
	assert_non_null(strstr(of_error_last()->message, "an animated WebP"));
}

/* A CMYK JPEG (Adobe APP14, as ImageMagick writes it) decodes to the photo's real colours: not a
 * negative, and not clipped (libavcodec gives yuva444p flagged full range, which swscale must be
 * told: before, shadows came out 13 levels too dark). Then it renders into a scene canvas. */
static void test_render__image_cmyk(void **state)
{
	(void)state;
	of_rimage *cmyk = NULL, *rgb = NULL;
	assert_int_equal(of_rimage_load(&cmyk, of_fixture("render/cmyk.jpg"), OF_MAX_IMAGE_PIXELS, 0, 0, 0), 0);
	assert_int_equal(cmyk->w, 320);
	assert_int_equal(cmyk->h, 180);
	/* the same photo from its RGB original, scaled to the same size */
	assert_int_equal(of_rimage_load(&rgb, of_fixture("render/short/images/p02-1.jpg"), OF_MAX_IMAGE_PIXELS, 320, 180, 0), 0);
	assert_int_equal(rgb->w, 320);
	assert_int_equal(rgb->h, 180);
	for (int cell = 0; cell < 8; cell++)
		for (int ch = 0; ch < 3; ch++) {
			double a = cell_mean(cmyk, cell, ch), b = cell_mean(rgb, cell, ch);
			if (fabs(a - b) > 4)
				fail_msg("cell %d channel %d: CMYK %.1f, RGB %.1f", cell, ch, a, b);
		}
	/* the bottom half (dark foliage) stays dark and the top brighter: an inverted decode flips both */
	assert_true(cell_mean(cmyk, 4, 1) < 80 && cell_mean(cmyk, 1, 1) > 120);
	assert_int_equal(cmyk->rgba[3], 255);

	of_canvas c;
	memset(&c, 0, sizeof c);
	assert_int_equal(of_canvas_build(&c, cmyk, 270, 480, 1.1, OF_FILL_BLUR, 0xE8734A), 0);
	of_yuv f;
	assert_int_equal(of_yuv_alloc(&f, 270, 480), 0);
	of_kenburns(&f, &c, (of_view){1.0, 0.5, 0.5});
	/* the photo sits in the middle band; its luma there is that of the (dark) picture, not of a negative */
	long sum = 0;
	for (int x = 0; x < 270; x++)
		sum += f.plane[0][(size_t)260 * f.stride[0] + x];
	assert_true(sum / 270 < 100);
	of_yuv_release(&f);
	of_canvas_release(&c);
	of_kb_scratch_free();
	of_rimage_free(cmyk);
	of_rimage_free(rgb);
}

/* The cover is a feed thumbnail, seen at a quarter of its size: the hook in big type
 * (a glyph ≥ 5 % of the frame's height, ≥ 24 px at 1/4 of 1920) on a dark panel, at most
 * 3 lines, inside the central 3:4 that WeChat Channels' feed shows and its side margins;
 * the same bytes twice. (Before: the cover was the video's frame, the hook a 66 px caption.) */
static void cover_rows(const of_yuv *f, int x0, int x1, int *text_top, int *text_bottom, int *dark_top,
		       int *dark_bottom)
{
	*text_top = *text_bottom = *dark_top = *dark_bottom = -1;
	for (int y = 0; y < f->h; y++) {
		const uint8_t *r = f->plane[0] + (size_t)y * f->stride[0];
		int dark = 0, bright = 0, outside = 0;
		for (int x = x0 + 8; x < x1 - 8; x++) {
			dark += r[x] < 60;
			bright += r[x] > 200;
		}
		for (int x = 0; x < f->w; x++)
			outside += (x < x0 - 4 || x >= x1 + 4) && r[x] < 60;
		/* a panel row: dark but for the text and its antialiased edges, nothing dark outside */
		if ((dark > (x1 - x0) * 60 / 100 || (bright > 0 && *dark_bottom == y - 1)) && outside == 0) {
			if (*dark_top < 0)
				*dark_top = y;
			*dark_bottom = y;
		}
		if (bright > 0 && *dark_top >= 0 && y - *dark_bottom < 4) { /* text, inside the panel */
			if (*text_top < 0)
				*text_top = y;
			*text_bottom = y;
		}
	}
}

static void test_render__cover_hook_big(void **state)
{
	(void)state;
	static const int dims[][2] = {{1080, 1920}, {1920, 1080}, {1080, 1080}};
	static const char *const hooks[] = {"宝宝一天吃几顿辅食？",
					    "宝宝6个月了，第一口辅食到底吃什么？米粉、菜泥还是蛋黄？过敏了怎么办？三天观察法一次讲清楚",
					    "宝宝六个月以后第一口辅食到底先吃米粉菜泥还是蛋黄过敏了又该怎么观察处理"};
	for (int p = 0; p < 3; p++)
		for (int q = 0; q < 3; q++) {
			int w = dims[p][0], h = dims[p][1];
			char json[2048];
			snprintf(json, sizeof json,
				 "{\"title\":\"暖暖育儿说·本周精选｜米粉、辅食、辅食机\",\"scenes\":[{\"kind\":\"hook\","
				 "\"duration\":2,\"caption\":[\"%s\"]}]}",
				 hooks[q]);
			of_rscript *s = NULL;
			assert_int_equal(parse(json, &s), 0);
			of_captions *c = NULL;
			size_t warns = 0;
			if (of_captions_new_cover(&c, s, "Noto Sans CJK SC", 0xE8734A, w, h, &warns) != 0)
				fail_msg("%s", of_error_last()->message);
			const char *ass = of_captions_ass(c);
			/* at most 3 lines; the long hook is shortened with a warning */
			const char *hook = strstr(ass, "Hook,,");
			assert_non_null(hook);
			int lines = 1;
			for (const char *x = hook; *x && *x != '\n'; x++)
				lines += x[0] == '\\' && x[1] == 'N';
			assert_true(lines <= 3);
			if (q < 2)
				assert_int_equal(warns, 0);
			if (q == 1 && h > w) { /* too long: its first sentences */
				char *line = strndup(hook, strcspn(hook, "\n"));
				assert_non_null(strstr(line, "什么？"));
				assert_null(strstr(line, "米粉"));
				free(line);
			}
			if (q == 2 && h > w)
				assert_int_equal(warns, 1); /* one long sentence: shortened, ending in "…" */
			of_yuv f, g;
			assert_int_equal(of_yuv_alloc(&f, w, h), 0);
			assert_int_equal(of_yuv_alloc(&g, w, h), 0);
			of_yuv_fill(&f, 150, 128, 128); /* a mid-grey photo */
			of_yuv_fill(&g, 150, 128, 128);
			of_captions_draw(c, &f, 0);
			int tt, tb, dt, db, x0 = (int)(0.07 * w), x1 = w - (int)(0.07 * w);
			cover_rows(&f, x0, x1, &tt, &tb, &dt, &db);
			double vis_h = h * 3 > w * 4 ? w * 4.0 / 3.0 : h, vis_top = (h - vis_h) / 2;
			if (dt < 0 || tt < 0)
				fail_msg("%dx%d: no dark panel with text (rows %d..%d, text %d..%d)", w, h, dt, db, tt, tb);
			/* inside the 3:4 the feed shows, clear of its bottom 15 % (title and likes) */
			assert_true(dt >= vis_top + 0.05 * vis_h);
			assert_true(db <= vis_top + 0.85 * vis_h);
			/* big type: one line of glyphs is at least 5 % of the frame height (1/4 scale: 24 px at 1920) */
			int glyph = 0, run = 0;
			for (int y = tt; y <= tb; y++) {
				const uint8_t *r = f.plane[0] + (size_t)y * f.stride[0];
				int any = 0;
				for (int x = x0; x < x1 && !any; x++)
					any = r[x] > 200;
				run = any ? run + 1 : 0;
				if (run > glyph)
					glyph = run;
			}
			if (getenv("ONEFISH_TEST_DUMP")) {
				char name[64];
				snprintf(name, sizeof name, "/tmp/cover-%dx%d-%d.pgm", w, h, q);
				FILE *o = fopen(name, "wb");
				fprintf(o, "P5 %d %d 255\n", w, h);
				for (int y = 0; y < h; y++)
					fwrite(f.plane[0] + (size_t)y * f.stride[0], 1, (size_t)w, o);
				fclose(o);
			}
			/* 5 % of a 1920 frame (4 % for a long hook, at the smallest size) */
			if (glyph < (q ? 0.04 : 0.05) * 1920 * ((w < h ? w : h) / 1080.0))
				fail_msg("%dx%d: hook glyphs %d px tall", w, h, glyph);
			/* deterministic */
			of_captions *c2 = NULL;
			assert_int_equal(of_captions_new_cover(&c2, s, "Noto Sans CJK SC", 0xE8734A, w, h, &warns), 0);
			of_captions_draw(c2, &g, 0);
			for (int y = 0; y < h; y++)
				assert_memory_equal(f.plane[0] + (size_t)y * f.stride[0], g.plane[0] + (size_t)y * g.stride[0], (size_t)w);
			of_captions_free(c2);
			of_yuv_release(&f);
			of_yuv_release(&g);
			of_captions_free(c);
			of_rscript_free(s);
		}
}

/* The line of each scene's "image" in script.json, as onefish writes it and as a hand
 * or another tool may lay it out: strings holding brackets, quotes or the word "scenes"
 * do not confuse it; a scene without "image" gets the line of its '{'. */
static void test_render__scene_lines(void **state)
{
	unsigned long lines[4];
	(void)state;
	const char *ours = "{\n"
			   "  \"title\": \"scenes [ { \\\"image\\\": x\",\n"
			   "  \"live\": {\"scenes\": [{\"image\": \"no\"}]},\n"
			   "  \"scenes\": [\n"
			   "    {\n"
			   "      \"id\": \"s01\",\n"
			   "      \"sources\": [{\"image\": \"not this\"}],\n"
			   "      \"image\": \"images/a.jpg\"\n"
			   "    },\n"
			   "    {\"id\": \"s02\", \"caption\": [\"}{]\"],\n"
			   "     \"image\"  :  \"images/b.jpg\"},\n"
			   "    {\"id\": \"s03\"}\n"
			   "  ]\n"
			   "}\n";
	of_render__scene_lines(lines, 4, ours, strlen(ours));
	assert_int_equal(lines[0], 8);
	assert_int_equal(lines[1], 11);
	assert_int_equal(lines[2], 12); /* no "image": its '{' */
	assert_int_equal(lines[3], 0);  /* no such scene */
	/* one line, and text that is not JSON */
	const char *flat = "{\"scenes\": [{\"image\": \"a\"}, {\"image\": \"b\"}]}";
	of_render__scene_lines(lines, 2, flat, strlen(flat));
	assert_int_equal(lines[0], 1);
	assert_int_equal(lines[1], 1);
	of_render__scene_lines(lines, 2, "\"\\", 2);
	assert_int_equal(lines[0], 0);
	assert_int_equal(lines[1], 0);
}

/* brand.color → the brand background's gradient: the hue kept, white readable on it. */
static void test_render__brand_gradient(void **state)
{
	(void)state;
	uint32_t top, bottom;
	/* dark enough already: kept as is */
	of_render__brand_gradient(&top, &bottom, 0x8E3B5A);
	assert_int_equal(top, 0x8E3B5A);
	assert_true(of_render__contrast_white(bottom) > of_render__contrast_white(top));
	/* nearly so (white on #C06C84 is 3.7:1): darkened only as far as needed */
	of_render__brand_gradient(&top, &bottom, 0xC06C84);
	assert_true(of_render__contrast_white(top) >= OF_BRAND_BG_CONTRAST);
	assert_true(((top >> 16) & 255) >= 0xC0 * 85 / 100);
	assert_true(of_render__contrast_white(bottom) > of_render__contrast_white(top));
	/* a light tea green and a pale yellow are darkened until white reads on them */
	static const uint32_t light[] = {0x9BC48A, 0xF5E6A8, 0xFFFFFF, 0x7FB069};
	for (size_t i = 0; i < sizeof light / sizeof *light; i++) {
		of_render__brand_gradient(&top, &bottom, light[i]);
		assert_true(of_render__contrast_white(light[i]) < OF_BRAND_BG_CONTRAST);
		assert_true(of_render__contrast_white(top) >= OF_BRAND_BG_CONTRAST);
		/* same hue: the channels keep their order and (roughly) their ratios */
		int r0 = (int)(light[i] >> 16) & 255, g0 = (int)(light[i] >> 8) & 255;
		int r1 = (int)(top >> 16) & 255, g1 = (int)(top >> 8) & 255;
		assert_true((r0 >= g0) == (r1 >= g1) || abs(r1 - g1) <= 1);
		assert_true(abs(r1 * g0 - g1 * r0) <= 2 * (r0 > g0 ? r0 : g0));
	}
	of_render__brand_gradient(&top, &bottom, 0x9BC48A);
	assert_true(((top >> 8) & 255) > ((top >> 16) & 255)); /* still green */
	/* black stays black, and contrast is the WCAG ratio */
	of_render__brand_gradient(&top, &bottom, 0x000000);
	assert_int_equal(top, 0);
	assert_int_equal(bottom, 0);
	assert_true(fabs(of_render__contrast_white(0x000000) - 21.0) < 1e-9);
	assert_true(fabs(of_render__contrast_white(0xFFFFFF) - 1.0) < 1e-9);
}

/* The derived background is a JPEG of the asked size, the same bytes each time; a bad colour is refused. */
static void test_render__brand_background(void **state)
{
	(void)state;
	uint8_t *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	assert_int_equal(of_render_brand_background(&a, &la, "#5B7F3A", 108, 192), 0);
	assert_int_equal(of_render_brand_background(&b, &lb, "#5B7F3A", 108, 192), 0);
	assert_true(la > 100 && la == lb && memcmp(a, b, la) == 0);
	assert_true(a[0] == 0xFF && a[1] == 0xD8); /* SOI */
	free(a);
	free(b);
	assert_int_equal(of_render_brand_background(&a, &la, "green", 108, 192), OF_EINVALID);
	assert_null(a);
	assert_int_equal(of_render_brand_background(&a, &la, "#5B7F3A", 107, 192), OF_EINVALID);
	assert_null(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render__script_ok),
		cmocka_unit_test(test_render__script_rejects_bad_fields),
		cmocka_unit_test(test_render__script_caps),
		cmocka_unit_test(test_render__wrap_cjk),
		cmocka_unit_test(test_render__cards_fit_the_frame),
		cmocka_unit_test(test_render__cover_hook_big),
		cmocka_unit_test(test_render__caption_emoji),
		cmocka_unit_test(test_render__narration_over_the_cap),
		cmocka_unit_test(test_render__image_exif_orientation),
		cmocka_unit_test(test_render__image_hostile),
		cmocka_unit_test(test_render__image_animated),
		cmocka_unit_test(test_render__image_cmyk),
		cmocka_unit_test(test_render__scene_lines),
		cmocka_unit_test(test_render__brand_gradient),
		cmocka_unit_test(test_render__brand_background),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
