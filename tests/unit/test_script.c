/* test_script.c — the offline scriptwriter: storyboard invariants, captions, CTA time, LLM fallback. */
#include "testutil.h"

#include "onefish/article.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/log.h"
#include "onefish/storyboard.h"
#include "ingest/article_doc.h"
#include "script/caption.h"
#include "script/clause.h"
#include "script/cta.h"
#include "script/output.h"
#include "script/plan.h"
#include "script/rewrite.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Three comma-separated integers ("65,184,480,1"), read with strtol. Returns how many. */
static int three_numbers(const char *s, long *a, long *b, long *c)
{
	long *out[3] = {a, b, c};
	int n = 0;
	char *end;
	for (; n < 3; n++) {
		*out[n] = strtol(s, &end, 10);
		if (end == s)
			break;
		s = *end == ',' ? end + 1 : end;
	}
	return n;
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
	/* a hook, one body shot at least (a short video says fewer things whole rather than
	 * more in fragments), the call to action */
	assert_true(n >= 3 && n <= 40);
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
		/* body shots: a continued shot (one more caption page, or the next scene on
		 * the same photo) enters with a cut, and its move goes on where the last stopped */
		const char *tt = of_json_str(json_object_get(s, "transition"), "type");
		if (strcmp(of_json_str(s, "kind"), "body") == 0 && strcmp(tt, "cut") != 0)
			body++;
		if (i > 0 && strcmp(tt, "cut") == 0) {
			const json_t *pm = json_object_get(json_array_get(scenes, i - 1), "motion");
			assert_string_equal(of_json_str(s, "image"), of_json_str(json_array_get(scenes, i - 1), "image"));
			assert_true(fabs(json_number_value(json_object_get(json_object_get(s, "motion"), "from")) -
					 json_number_value(json_object_get(pm, "to"))) < 0.002 ||
				    strcmp(of_json_str(pm, "type"), "pan") == 0);
			/* one shot, one zoom speed: no sudden slow-down at a caption-page cut */
			const json_t *m = json_object_get(s, "motion");
			double pd = json_number_value(json_object_get(json_array_get(scenes, i - 1), "duration"));
			double pr = (json_number_value(json_object_get(pm, "to")) - json_number_value(json_object_get(pm, "from"))) / pd;
			double r = (json_number_value(json_object_get(m, "to")) - json_number_value(json_object_get(m, "from"))) / dur;
			if (strcmp(of_json_str(pm, "type"), "pan") != 0 && fabs(pr) > 1e-9)
				assert_true(fabs(r - pr) < 0.002);
		} else if (i > 0) {
			/* a crossfade never joins two framings of one photo (it shows it twice) */
			assert_string_not_equal(of_json_str(s, "image"), of_json_str(json_array_get(scenes, i - 1), "image"));
		}
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
	/* 3-6 planned; scenes that go on on the photo before (the fixture has one) enter with a cut */
	assert_true(body <= 6);
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

/* Week 47's p07 announced "this Thursday" (11-19); by the week's last post that live was over,
 * and the article's tense lint says so. Narrated in the video that promotes the 11-26 live it
 * would promise a second "周四晚8点", so it is no scene, and the end card carries the date. */
static void test_script__past_announcement_is_no_scene(void **state)
{
	char posts[512], art_dir[256], md[600];
	const char *root = getenv("ONEFISH_ROOT") ? getenv("ONEFISH_ROOT") : ".";
	(void)state;
	snprintf(posts, sizeof posts, "%s/examples/week-2026-47/posts.jsonl", root);
	snprintf(art_dir, sizeof art_dir, "%s", of_test_tmpdir());
	of_article_options ao = OF_ARTICLE_OPTIONS_INIT;
	ao.week = "2026-W47";
	const char *paths[] = {posts};
	assert_int_equal(of_article_build(paths, 1, &ao, art_dir, NULL), 0);
	snprintf(md, sizeof md, "%s/article.md", art_dir);
	char trace[600];
	snprintf(trace, sizeof trace, "%s/article.trace.json", art_dir);
	char *t = of_test_slurp(trace, NULL);
	assert_non_null(strstr(t, "\"category\": \"tense\"")); /* the premise: the lint flagged it */
	free(t);
	char dir[256];
	json_t *sb = build(md, 60, dir);
	const json_t *scenes = json_object_get(sb, "scenes");
	for (size_t i = 0; i < json_array_size(scenes); i++) {
		const char *narr = of_json_str(json_array_get(scenes, i), "narration");
		if (narr && strstr(narr, "11月19日（周四）晚8点"))
			fail_msg("scene %zu narrates the past live: %s", i + 1, narr);
	}
	const json_t *cap = json_object_get(json_array_get(scenes, json_array_size(scenes) - 1), "caption");
	assert_string_equal(json_string_value(json_array_get(cap, json_array_size(cap) - 1)), "11月26日20:00开播");
	json_decref(sb);
	of_test_rmtree(dir);
	of_test_rmtree(art_dir);
}

/* Times derive from frame counts: every start is its frame boundary rounded once, and the
 * total is the requested length to the frame, also in the 分镜表's header (QA: 29.999 s
 * for 900 frames; a start of 37.834 for frame 1135, 37.833 s). */
static void test_script__times_are_frame_boundaries(void **state)
{
	static const double targets[] = {15, 30, 45, 60, 90};
	char dir[256], p[600], want[64];
	(void)state;
	for (size_t t = 0; t < sizeof targets / sizeof *targets; t++) {
		json_t *sb = build(of_fixture("script/article.md"), targets[t], dir);
		const json_t *scenes = json_object_get(sb, "scenes");
		long frames = 0;
		for (size_t i = 0; i < json_array_size(scenes); i++) {
			const json_t *sc = json_array_get(scenes, i);
			double d = json_number_value(json_object_get(sc, "duration"));
			long f = lround(d * 30);
			assert_true(fabs(d - round(f * 1000.0 / 30) / 1000) < 1e-9); /* whole frames, 3 decimals */
			assert_true(fabs(json_number_value(json_object_get(sc, "start")) - round(frames * 1000.0 / 30) / 1000) < 1e-9);
			frames += f;
		}
		assert_int_equal(frames, lround(targets[t] * 30));
		assert_true(fabs(json_number_value(json_object_get(sb, "duration")) - targets[t]) < 1e-9);
		snprintf(p, sizeof p, "%s/script.md", dir);
		char *md = of_test_slurp(p, NULL);
		snprintf(want, sizeof want, "> 总时长 %.1fs ·", targets[t]);
		assert_non_null(strstr(md, want));
		free(md);
		json_decref(sb);
		of_test_rmtree(dir);
	}
}

/* subtitles.ass and timeline.fcpxml set captions as the video does (docs/storyboard.md,
 * "Subtitle styling"): the style's 66 px at 1080 wide in both (the timeline had 64), and
 * for vertical the margins of the safe zone, clear of the bottom 25 % and the right 17 %
 * where 抖音/视频号 draw their description and buttons. */
static void test_script__caption_style_in_ass_and_timeline(void **state)
{
	char dir[256], p[600];
	long font = 0, ml = 0, mr = 0, mv = 0;
	(void)state;
	json_t *sb = build(of_fixture("script/article.md"), 15, dir);
	snprintf(p, sizeof p, "%s/subtitles.ass", dir);
	char *ass = of_test_slurp(p, NULL), *st = strstr(ass, "\nStyle: Default,Noto Sans CJK SC,");
	assert_non_null(st);
	const char *f = st + strlen("\nStyle: Default,Noto Sans CJK SC,");
	font = strtol(f, NULL, 10);
	/* ...,Outline,Shadow,Alignment,MarginL,MarginR,MarginV,Encoding: the last four numbers */
	const char *eol = strchr(f, '\n'), *q = eol;
	int commas = 0;
	while (q > f && commas < 4)
		if (*--q == ',')
			commas++;
	assert_int_equal(three_numbers(q + 1, &ml, &mr, &mv), 3);
	assert_int_equal(font, 66);
	assert_int_equal(ml, 65);
	assert_int_equal(mr, 184);
	assert_int_equal(mv, 480);
	assert_true(mv >= 0.20 * 1920 && mr >= 0.15 * 1080);
	free(ass);
	/* every caption title's text style (the end card has the card's sizes: test_script_load.c) */
	snprintf(p, sizeof p, "%s/timeline.fcpxml", dir);
	xmlDocPtr doc = xmlReadFile(p, NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	int captions = 0;
	for (xmlNodePtr n = xmlDocGetRootElement(doc); n;) {
		if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST "text-style") == 0 &&
		    xmlStrcmp(n->parent->name, BAD_CAST "text-style-def") == 0) {
			xmlChar *title = xmlGetProp(n->parent->parent, BAD_CAST "name"), *size = xmlGetProp(n, BAD_CAST "fontSize");
			if (title && xmlStrcmp(title, BAD_CAST "caption") == 0) {
				assert_string_equal((const char *)size, "66");
				captions++;
			}
			xmlFree(title);
			xmlFree(size);
		}
		/* depth-first walk */
		if (n->children)
			n = n->children;
		else {
			while (n && !n->next)
				n = n->parent;
			n = n ? n->next : NULL;
		}
	}
	assert_true(captions >= 2);
	xmlFreeDoc(doc);
	json_decref(sb);
	of_test_rmtree(dir);
}

/* script.csv: the 分镜表 for Excel/WPS, one row a scene, in/out timecodes that meet, the
 * transition; a caption that looks like a formula is text (a leading apostrophe). */
static void test_script__sheet_for_spreadsheets(void **state)
{
	char dir[256], p[600];
	size_t len;
	(void)state;
	json_t *sb = build(of_fixture("script/article.md"), 30, dir);
	snprintf(p, sizeof p, "%s/script.csv", dir);
	char *csv = of_test_slurp(p, &len);
	assert_memory_equal(csv, "\xEF\xBB\xBF镜号,入点,出点,时长(秒),类型,画面,运镜,转场,字幕,口播\r\n",
			    strlen("\xEF\xBB\xBF镜号,入点,出点,时长(秒),类型,画面,运镜,转场,字幕,口播\r\n"));
	const json_t *scenes = json_object_get(sb, "scenes");
	size_t rows = 0;
	char prev_out[16] = "00:00:00:00";
	for (char *line = strstr(csv, "\r\n") + 2, *nl; *line; line = nl + 2) {
		assert_non_null(nl = strstr(line, "\r\n"));
		char in[16], out[16];
		assert_int_equal(sscanf(line, "%*[^,],%11[^,],%11[^,],", in, out), 2);
		assert_string_equal(in, prev_out); /* each scene starts where the last ended */
		snprintf(prev_out, sizeof prev_out, "%s", out);
		rows++;
	}
	assert_int_equal(rows, json_array_size(scenes));
	assert_string_equal(prev_out, "00:00:30:00");
	free(csv);
	/* a caption from a post that starts like a formula, with a comma and a quote */
	json_t *s0 = json_array_get(scenes, 1);
	json_object_set_new(s0, "caption", json_pack("[s]", "=HYPERLINK(\"x\"),1"));
	const of_segmenter *seg = NULL;
	assert_int_equal(of_segmenter_shared(&seg), 0);
	assert_int_equal(of_script_write_subtitles(sb, seg, dir), 0);
	csv = of_test_slurp(p, &len);
	assert_non_null(strstr(csv, ",\"'=HYPERLINK(\"\"x\"\"),1\","));
	free(csv);
	json_decref(sb);
	of_test_rmtree(dir);
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

/* Writes `body` as DIR/article.md beside three photos: a/x.jpg and b/x.jpg (one stem, other
 * bytes) and images/v-x.jpg (an article image named like a copy). */
static void photo_article(const char *dir, const char *body)
{
	const char *const photos[][2] = {{"p01-1.jpg", "a"}, {"p02-1.jpg", "b"}, {"p06-1.jpg", "images"}};
	char p[600], rel[64];
	for (size_t i = 0; i < 3; i++) {
		size_t len = 0;
		snprintf(rel, sizeof rel, "script/images/%s", photos[i][0]);
		char *data = of_test_slurp(of_fixture(rel), &len);
		snprintf(p, sizeof p, "%s/%s", dir, photos[i][1]);
		assert_int_equal(of_mkdirs(p), 0);
		snprintf(p, sizeof p, "%s/%s/%s", dir, photos[i][1], i == 2 ? "v-x.jpg" : "x.jpg");
		of_test_write(p, data, len);
		free(data);
	}
	snprintf(p, sizeof p, "%s/article.md", dir);
	of_test_write(p, body, strlen(body));
}

/* The copy each scene shows, by the sha256 of its bytes: "sha=name" lines, sorted by scene. */
static json_t *copies_by_bytes(const char *out)
{
	json_t *sb = NULL, *byname = json_object(), *scene;
	char p[600], sha[65];
	size_t i;
	snprintf(p, sizeof p, "%s/script.json", out);
	assert_int_equal(of_json_load(&sb, p, 1 << 20), 0);
	json_array_foreach(json_object_get(sb, "scenes"), i, scene) {
		const char *rel = of_json_str(scene, "image");
		assert_non_null(rel);
		if (strcmp(rel, "images/brand-background.jpg") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", out, rel);
		assert_int_equal(of_sha256_file(sha, p), 0);
		json_object_set_new(byname, sha, json_string(rel));
	}
	json_decref(sb);
	return byname;
}

/* A copy's name comes from the photo, never from its place in the article: images/v-STEM.ext,
 * with a hash of the source when two photos share a stem or an article image already has the
 * name. A photo moved or inserted before another renames nothing, and a copy an editor
 * retouched keeps its name (and is not written over). */
static void test_script__copy_names_from_the_photo(void **state)
{
	static const char first[] = "---\ntitle: 米粉三问\n---\n\n# 米粉三问\n\n"
				    "宝宝满6个月了，第一口辅食首选强化铁的米粉，冲调后是细腻的糊状。\n\n![](a/x.jpg)\n\n"
				    "先从米粉开始，一次只加一种新食物，观察三天没有异常再换下一种。\n\n![](b/x.jpg)\n\n"
				    "出现皮疹、腹泻或者呕吐，要先停掉这种食物，再听医生的建议。\n\n![](images/v-x.jpg)\n";
	static const char swapped[] = "---\ntitle: 米粉三问\n---\n\n# 米粉三问\n\n![](images/v-x.jpg)\n\n"
				      "宝宝满6个月了，第一口辅食首选强化铁的米粉，冲调后是细腻的糊状。\n\n![](./b/x.jpg)\n\n"
				      "先从米粉开始，一次只加一种新食物，观察三天没有异常再换下一种。\n\n![](a/x.jpg)\n\n"
				      "出现皮疹、腹泻或者呕吐，要先停掉这种食物，再听医生的建议。\n";
	of_script_options o = opts(30);
	char art[256], out[256], out2[256], md[600], p[600];
	const char *sha, *name;
	json_t *v, *one, *two;
	(void)state;
	snprintf(art, sizeof art, "%s", of_test_tmpdir());
	snprintf(out, sizeof out, "%s", of_test_tmpdir());
	snprintf(out2, sizeof out2, "%s", of_test_tmpdir());
	snprintf(md, sizeof md, "%s/article.md", art);
	photo_article(art, first);
	assert_int_equal(of_script_build(md, &o, out, NULL), 0);
	one = copies_by_bytes(out);
	assert_true(json_object_size(one) >= 2);
	json_object_foreach(one, sha, v) {
		name = json_string_value(v);
		/* not images/01-x.jpg nor the article's own images/v-x.jpg: v-x-HASH8.jpg */
		assert_int_equal(strncmp(name, "images/v-x-", 11), 0);
		assert_int_equal(strlen(name), strlen("images/v-x-12345678.jpg"));
	}
	/* the photos in another order, into a fresh folder: each keeps its name */
	photo_article(art, swapped);
	assert_int_equal(of_script_build(md, &o, out2, NULL), 0);
	two = copies_by_bytes(out2);
	json_object_foreach(two, sha, v)
		if (json_object_get(one, sha))
			assert_string_equal(json_string_value(v), json_string_value(json_object_get(one, sha)));
	/* an editor retouched a copy: a rerun into that folder keeps it, under the same name */
	json_object_foreach(two, sha, v) {
		size_t len = 0;
		json_t *sb = NULL, *scene;
		size_t i;
		int shown = 0;
		snprintf(p, sizeof p, "%s/%s", out2, json_string_value(v));
		char *data = of_test_slurp(p, &len), *again;
		data = realloc(data, len + 9);
		memcpy(data + len, "retouched", 9);
		of_test_write(p, data, len + 9);
		assert_int_equal(of_script_build(md, &o, out2, NULL), 0);
		again = of_test_slurp(p, &len);
		assert_memory_equal(again + len - 9, "retouched", 9);
		snprintf(p, sizeof p, "%s/script.json", out2);
		assert_int_equal(of_json_load(&sb, p, 1 << 20), 0);
		json_array_foreach(json_object_get(sb, "scenes"), i, scene)
			shown |= strcmp(of_json_str(scene, "image"), json_string_value(v)) == 0;
		assert_true(shown);
		json_decref(sb);
		free(again);
		free(data);
		break;
	}
	json_decref(one);
	json_decref(two);
	of_test_rmtree(art);
	of_test_rmtree(out);
	of_test_rmtree(out2);
}

static void test_script__bad_duration_rejected(void **state)
{
	static const double bad[] = {0, -5, 10000, NAN, 4.9, 600.5}; /* 5-600 s, as --duration and script.duration */
	size_t i;
	(void)state;
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
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
	/* a token longer than a line is cut at a connector, and every line keeps the width */
	{
		const char *lt = "toolchain/gnu-wch-mrs-toolchain-gcc12-bin: 工具链";
		size_t at = 0, len = strlen(lt);
		while (at < len) {
			assert_int_equal(of_caption_fill(seg, lt + at, len - at, 14, 2, lines, &n, &used), 0);
			assert_true(used > 0);
			for (i = 0; i < n; i++) {
				assert_true(of_caption_width(lines[i]) <= 14);
				free(lines[i]);
			}
			at += used;
		}
		assert_int_equal(of_caption_fill(seg, lt, len, 14, 2, lines, &n, &used), 0);
		assert_string_equal(lines[0], "toolchain/gnu-");
		assert_string_equal(lines[1], "wch-mrs-");
		for (i = 0; i < n; i++)
			free(lines[i]);
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

/* A rerun into the same folder never writes over an image copy an editor changed: kept, shown,
 * and not recorded in script.json as the stage's copy. */
static void test_script__rerun_keeps_edited_image_copy(void **state)
{
	of_script_options o = opts(30);
	json_t *sb;
	const char *dir = of_test_tmpdir();
	char path[512], d[256];
	const char *rel = NULL;
	size_t len = 0;
	(void)state;
	snprintf(d, sizeof d, "%s", dir);
	assert_int_equal(of_script_build(of_fixture("script/article.md"), &o, d, NULL), 0);
	snprintf(path, sizeof path, "%s/script.json", d);
	assert_int_equal(of_json_load(&sb, path, 1 << 20), 0);
	json_t *scene;
	size_t i;
	json_array_foreach(json_object_get(sb, "scenes"), i, scene)
		if (!rel && of_json_str(scene, "image") && strstr(of_json_str(scene, "image"), "brand") == NULL)
			rel = of_json_str(scene, "image");
	assert_non_null(rel);
	char name[256], copy[800];
	snprintf(name, sizeof name, "%s", rel);
	json_decref(sb);
	snprintf(copy, sizeof copy, "%s/%s", d, name);
	of_test_write(copy, "cropped", 7);
	assert_int_equal(of_script_build(of_fixture("script/article.md"), &o, d, NULL), 0);
	char *got = of_test_slurp(copy, &len);
	assert_int_equal(len, 7);
	assert_memory_equal(got, "cropped", 7);
	free(got);
	assert_int_equal(of_json_load(&sb, path, 1 << 20), 0);
	assert_null(json_object_get(json_object_get(json_object_get(sb, "generated"), "images"), name));
	int shown = 0;
	json_array_foreach(json_object_get(sb, "scenes"), i, scene)
		shown |= of_json_str(scene, "image") && strcmp(of_json_str(scene, "image"), name) == 0;
	assert_true(shown);
	json_decref(sb);
	of_test_rmtree(d);
}

/* An asset the stage needs cannot be found (ONEFISH_DATADIR names a folder without it, and this
 * test binary has no <exe>/../assets): of_script_build fails before writing anything, naming the
 * file and ONEFISH_DATADIR; of_script_refresh fails the same way instead of writing other captions. */
static void test_script__missing_asset_fails_untouched(void **state)
{
	static const char *const needed[] = {"styles/captions.json", "brand/background.jpg", NULL};
	char dir[256], p[600], data[600], *before, *after;
	const char *saved = getenv("ONEFISH_DATADIR");
	(void)state;
	if (!saved || !*saved)
		skip();
	char *keep = strdup(saved);
	json_t *sb = build(of_fixture("script/article.md"), 15, dir);
	json_decref(sb);
	snprintf(p, sizeof p, "%s/script.json", dir);
	before = of_test_slurp(p, NULL);
	for (int i = 0; needed[i]; i++) {
		/* a data folder holding the other needed asset, not this one */
		const char *other = needed[1 - i];
		char from[1200], to[1200], want[700], *bytes, *sub;
		size_t len;
		snprintf(data, sizeof data, "%s-assets", dir);
		snprintf(from, sizeof from, "%s/%s", keep, other);
		snprintf(to, sizeof to, "%s/%s", data, other);
		assert_non_null(sub = of_path_dirname(to));
		assert_int_equal(of_mkdirs(sub), 0);
		free(sub);
		bytes = of_test_slurp(from, &len);
		of_test_write(to, bytes, len);
		free(bytes);
		setenv("ONEFISH_DATADIR", data, 1);
		of_script_options o = opts(30); /* another duration: a run would rewrite every file */
		int rc = of_script_build(of_fixture("script/article.md"), &o, dir, NULL);
		snprintf(want, sizeof want, "%s/%s", data, needed[i]);
		assert_int_equal(rc, OF_ENOTFOUND);
		assert_string_equal(of_error_last()->path, want);
		assert_non_null(strstr(of_error_last()->message, "ONEFISH_DATADIR"));
		after = of_test_slurp(p, NULL);
		assert_string_equal(before, after);
		free(after);
		if (strcmp(needed[i], "styles/captions.json") == 0) {
			snprintf(want, sizeof want, "%s/refreshed", dir);
			assert_int_equal(of_script_refresh(p, want), OF_ENOTFOUND);
			snprintf(want, sizeof want, "%s/refreshed/subtitles.ass", dir);
			assert_int_equal(access(want, F_OK), -1);
		}
		setenv("ONEFISH_DATADIR", keep, 1);
		of_test_rmtree(data);
	}
	free(before);
	free(keep);
	of_test_rmtree(dir);
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


static void test_script__clause_rules(void **state)
{
	of_buf b;
	const char *s = "如果反复出现，请及时带宝宝就医；记住一句话：科学喂养不用急";
	size_t ends[8], n = of_clause_ends(s, ends, 8);
	(void)state;
	assert_int_equal(n, 4);
	assert_false(of_clause_standalone(s, 0, ends[0], 4, 20));       /* 如果… hangs on the next clause */
	assert_true(of_clause_standalone(s, ends[0], ends[1], 4, 20));  /* 请及时带宝宝就医 */
	assert_false(of_clause_standalone(s, ends[1], ends[2], 4, 20)); /* 记住一句话： announces the next */
	assert_false(of_clause_standalone(s, ends[0], ends[1], 4, 5));  /* over the budget */
	assert_true(of_clause_striking_number("28位妈妈说好"));
	assert_true(of_clause_striking_number("只要3.5元"));
	assert_false(of_clause_striking_number("这周四晚8点"));
	assert_false(of_clause_striking_number("11月26日"));
	assert_true(of_clause_is_question("真的吗？」"));
	assert_false(of_clause_is_question("真的。"));
	assert_false(of_clause_balanced("果果妈说：「宝宝吃完", 0, strlen("果果妈说：「宝宝吃完")));
	of_buf_init(&b, 1024);
	assert_int_equal(of_clause_put(&b, "此外，宝宝一天吃两顿，", strlen("此外，宝宝一天吃两顿，")), 0);
	assert_string_equal(of_buf_cstr(&b), "宝宝一天吃两顿。");
	assert_int_equal(of_clause_put(&b, "另外，奶是主食", strlen("另外，奶是主食")), 0);
	assert_string_equal(of_buf_cstr(&b), "宝宝一天吃两顿。另外，奶是主食。"); /* only a scene's first words */
	of_buf_free(&b);
	char *u = of_clause_strip_urls("详见 https://example.com/x?y=1 的说明");
	assert_string_equal(u, "详见 的说明");
	free(u);
	/* a bare 后 after what happened hangs like 以后 (QA: "宝宝吃了新食物后。" was a scene) */
	const char *h = "宝宝吃了新食物后，观察三天";
	n = of_clause_ends(h, ends, 8);
	assert_false(of_clause_standalone(h, 0, ends[0], 4, 20));
	assert_true(of_clause_standalone("坚持到最后", 0, strlen("坚持到最后"), 4, 20));
}

/* A bare figure is no hook (QA: "原价¥129" and "每盒250g" opened videos with no context). */
static void test_script__hook_is_no_bare_figure(void **state)
{
	(void)state;
	char dir[256], path[600];
	const char *md = "---\ntitle: 宝宝米粉上新的一周和它背后的故事\n---\n\n"
			 "原价¥129，直播间更便宜。每盒250g，够吃两周。\n\n"
			 "每一批原料都要留样送检，合格了才会进车间。\n\n第一批500台二十分钟就抢完了，第二批周一到仓。\n";
	snprintf(path, sizeof path, "%s/fig.md", of_test_tmpdir());
	of_test_write(path, md, strlen(md));
	json_t *sb = build(path, 30, dir);
	const char *hook = of_json_str(json_array_get(json_object_get(sb, "scenes"), 0), "narration");
	if (strstr(hook, "原价") || strstr(hook, "每盒"))
		fail_msg("hook is a bare figure: '%s'", hook);
	json_decref(sb);
}

/* A one-character negation, adverb or conjunction goes with the word after it on a
 * caption line or page (QA: a page ended "…营养强化剂不" and the next began "额外添加…"). */
static void test_script__caption_keeps_negation_with_its_verb(void **state)
{
	(void)state;
	const of_segmenter *seg = NULL;
	assert_int_equal(of_segmenter_shared(&seg), 0);
	const char *t = "这款米粉我们打磨了整整八个月只用大米加铁锌等营养强化剂不额外添加白砂糖和食盐也不添加任何香精色素";
	size_t len = strlen(t), at = 0;
	while (at < len) {
		char *lines[4];
		int nl = 0;
		size_t used = 0;
		assert_int_equal(of_caption_fill(seg, t + at, len - at, 14, 2, lines, &nl, &used), 0);
		assert_true(used > 0);
		for (int k = 0; k < nl; k++) {
			size_t l = strlen(lines[k]);
			if (l >= 3 && (strcmp(lines[k] + l - 3, "不") == 0 || strcmp(lines[k] + l - 3, "和") == 0))
				fail_msg("a caption line ends in a word that leans on the next: '%s'", lines[k]);
			free(lines[k]);
		}
		at += used;
	}
}


/* Property: for any mix of Chinese, numbers, Latin words, URLs, punctuation and emoji, every
 * cue has 1-2 lines of at most 14, and filling always makes progress to the end. */
static void test_script__caption_limits_on_random_text(void **state)
{
	static const char *const parts[] = {"宝宝", "辅食", "米粉", "3.5元", "11月26日", "20:00", "，", "。", "！",
					    "？", "「", "」", "（", "）", "iPhone", "RISC-V", "toolchain-gcc12-bin-extra-long",
					    "https://example.com/a?b=1", " ", "😊", "、", "1,000", "80%", "一次只加一种新食物",
					    "：", "…", "\xe3\x80\x80"};
	of_segmenter *seg;
	unsigned long long x = 88172645463325252ULL;
	int round;
	(void)state;
	assert_int_equal(of_segmenter_new(&seg), 0);
	for (round = 0; round < 1500; round++) {
		char text[1024];
		size_t len = 0, at = 0;
		int k, nparts;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		nparts = 1 + (int)(x % 24);
		for (k = 0; k < nparts; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			const char *p = parts[x % (sizeof parts / sizeof parts[0])];
			if (len + strlen(p) + 1 >= sizeof text)
				break;
			memcpy(text + len, p, strlen(p));
			len += strlen(p);
		}
		text[len] = '\0';
		int width = 6 + (int)(x % 9);
		while (at < len) {
			char *lines[2];
			int n, i;
			size_t used;
			assert_int_equal(of_caption_fill(seg, text + at, len - at, width, 2, lines, &n, &used), 0);
			if (used == 0)
				fail_msg("no progress at %zu in '%s' (width %d)", at, text, width);
			assert_true(n <= 2);
			for (i = 0; i < n; i++) {
				if (of_caption_width(lines[i]) > (size_t)width)
					fail_msg("line '%s' over %d in '%s'", lines[i], width, text);
				free(lines[i]);
			}
			at += used;
		}
	}
	of_segmenter_free(seg);
}


/* Property: random articles (sections, long and short sentences, questions, numbers, quotes)
 * at 15/30/60 s and several speech rates always give a valid storyboard. */
static void test_script__plan_invariants_on_random_articles(void **state)
{
	static const char *const sents[] = {
		"宝宝满6个月了，第一口辅食到底该吃什么？", "米粉是首选。", "一次只加一种新食物，观察三天没有异常再换下一种。",
		"果果妈说：「宝宝吃完还咂咂嘴，像在说还要！」", "上周有32位妈妈参加了试吃活动，其中28位说宝宝第一次就愿意张嘴。",
		"如果出现皮疹、腹泻或者呕吐，要先停掉这种食物，等症状消失一周后再少量尝试，并且记录下宝宝每一次的反应。",
		"这周四晚8点直播见。", "价格只要3.5元。", "详见https://example.com/x。", "好。", "😊😊", "iPhone 15 Pro 拍的。",
		"它适合6月龄以上的宝宝。", "为什么要先加铁？", "因为宝宝体内的铁储备在六个月左右基本用完了。"};
	of_segmenter *seg;
	unsigned long long x = 0x9E3779B97F4A7C15ULL;
	int round;
	(void)state;
	assert_int_equal(of_segmenter_new(&seg), 0);
	for (round = 0; round < 120; round++) {
		char md[8192];
		size_t len = 0;
		int k, nblocks;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		nblocks = 1 + (int)(x % 12);
		len += (size_t)snprintf(md, sizeof md, "# 标题%d\n\n", round);
		for (k = 0; k < nblocks && len < sizeof md - 600; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			if (x % 4 == 0)
				len += (size_t)snprintf(md + len, sizeof md - len, "## 小节%d\n\n", k);
			int ns = 1 + (int)((x >> 8) % 4), j;
			for (j = 0; j < ns; j++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				len += (size_t)snprintf(md + len, sizeof md - len, "%s", sents[x % (sizeof sents / sizeof sents[0])]);
			}
			len += (size_t)snprintf(md + len, sizeof md - len, "\n\n");
		}
		of_article_doc *doc = NULL;
		assert_int_equal(of_article_doc_parse_markdown(&doc, md, len, "random.md"), 0);
		for (int t = 0; t < 5; t++) {
			static const double durs[] = {7, 10, 15, 30, 60};
			of_script_options o = opts(durs[t]);
			json_t *sb = NULL;
			o.speech_rate = 3.0 + (double)(round % 4);
			if (round % 5 == 0) /* a long call to action must still fit the video */
				o.brand.live_cta = "点击下方预约按钮，周四晚上八点我们在视频号直播间不见不散，还有福利抽奖和专家答疑等着你";
			int rc = of_script_plan(&sb, doc, NULL, &o, seg, "images/brand-background.jpg");
			if (rc == OF_EINVALID) /* only emoji/links/short bits: nothing to narrate */
				continue;
			assert_int_equal(rc, 0);
			const json_t *scenes = json_object_get(sb, "scenes");
			size_t i, n = json_array_size(scenes);
			double sum = 0;
			assert_string_equal(of_json_str(json_array_get(scenes, 0), "kind"), "hook");
			assert_string_equal(of_json_str(json_array_get(scenes, n - 1), "kind"), "cta");
			for (i = 0; i < n; i++) {
				const json_t *sc = json_array_get(scenes, i);
				const char *narr = of_json_str(sc, "narration");
				double dur = json_number_value(json_object_get(sc, "duration"));
				const json_t *cap = json_object_get(sc, "caption");
				if (of_spoken_units(narr, strlen(narr)) > dur * o.speech_rate + 1e-9)
					fail_msg("round %d, %g s: scene %zu narration '%s' over %g s", round, durs[t], i, narr, dur);
				assert_true(dur > 0);
				assert_true(json_array_size(cap) <= 2);
				for (size_t c = 0; c < json_array_size(cap); c++)
					assert_true(of_caption_width(json_string_value(json_array_get(cap, c))) <= 14);
				assert_true(json_array_size(json_object_get(sc, "sources")) >= 1);
				sum += dur;
			}
			assert_true(json_number_value(json_object_get(json_array_get(scenes, 0), "duration")) <= 3.0);
			/* the scenes fill the asked length to within a frame, short videos included */
			if (fabs(sum - durs[t]) > 1.0 / 30)
				fail_msg("round %d, %g s: scenes last %g s", round, durs[t], sum);
			json_decref(sb);
		}
		of_article_doc_free(doc);
	}
	of_segmenter_free(seg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script__durations_hook_cta_sources),
		cmocka_unit_test(test_script__past_announcement_is_no_scene),
		cmocka_unit_test(test_script__times_are_frame_boundaries),
		cmocka_unit_test(test_script__caption_style_in_ass_and_timeline),
		cmocka_unit_test(test_script__sheet_for_spreadsheets),
		cmocka_unit_test(test_script__same_input_same_bytes),
		cmocka_unit_test(test_script__copy_names_from_the_photo),
		cmocka_unit_test(test_script__bad_duration_rejected),
		cmocka_unit_test(test_script__caption_never_splits_numbers),
		cmocka_unit_test(test_script__caption_breaks_at_punctuation),
		cmocka_unit_test(test_script__caption_limits_on_random_text),
		cmocka_unit_test(test_script__live_time_in_chinese),
		cmocka_unit_test(test_script__clause_rules),
		cmocka_unit_test(test_script__caption_keeps_negation_with_its_verb),
		cmocka_unit_test(test_script__hook_is_no_bare_figure),
		cmocka_unit_test(test_script__plan_invariants_on_random_articles),
		cmocka_unit_test(test_script__llm_failure_falls_back_offline),
		cmocka_unit_test(test_script__llm_answer_validated),
		cmocka_unit_test(test_script__missing_asset_fails_untouched),
		cmocka_unit_test(test_script__rerun_keeps_edited_image_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
