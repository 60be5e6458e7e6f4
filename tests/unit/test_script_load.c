/* test_script_load.c — edits flow back: script.md / script.json edits reach the video stage. */
#include "testutil.h"

#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/log.h"
#include "onefish/storyboard.h"
#include "script/timeline.h"

#include "../../pipeline/video_run.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];

static void generate(void)
{
	of_script_options o = OF_SCRIPT_OPTIONS_INIT;
	o.duration = 30;
	o.brand.live_title = "宝宝辅食添加全攻略直播";
	o.brand.live_time = "2026-11-26T20:00:00+08:00";
	o.brand.live_cta = "点击预约，周四晚8点直播间见";
	snprintf(dir, sizeof dir, "%s", of_test_tmpdir());
	assert_int_equal(of_script_build(of_fixture("script/article.md"), &o, dir, NULL), 0);
}

static const char *path(const char *name)
{
	static char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return p;
}

/* Replaces the `row`-th table row (1-based) of script.md with `text`; returns its line number. */
static unsigned long edit_row(int row, const char *text)
{
	size_t len;
	char *md = of_test_slurp(path("script.md"), &len), *out = malloc(len + strlen(text) + 2);
	char *line = md, *o = out;
	unsigned long ln = 0, hit = 0;
	int rows = -2; /* header and separator first */
	while (line && *line) {
		char *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line) : strlen(line);
		ln++;
		if (line[0] == '|')
			rows++;
		if (line[0] == '|' && rows == row) {
			memcpy(o, text, strlen(text));
			o += strlen(text);
			*o++ = '\n';
			hit = ln;
		} else {
			memcpy(o, line, l);
			o += l;
			*o++ = '\n';
		}
		line = nl ? nl + 1 : NULL;
	}
	of_test_write(path("script.md"), out, (size_t)(o - out));
	free(md);
	free(out);
	assert_true(hit > 0);
	return hit;
}

static void test_script_load__unedited_is_the_json(void **state)
{
	json_t *sb, *raw;
	(void)state;
	generate();
	assert_int_equal(of_storyboard_load(&sb, path("script.json")), 0);
	assert_int_equal(of_json_load(&raw, path("script.json"), 1 << 20), 0);
	assert_true(json_equal(json_object_get(sb, "scenes"), json_object_get(raw, "scenes")));
	json_decref(sb);
	json_decref(raw);
	of_test_rmtree(dir);
}

static void test_script_load__md_edit_applied(void **state)
{
	json_t *sb;
	(void)state;
	generate();
	/* a Latin caption is measured as the video sets it: 19 characters, about 11 字 wide (QA) */
	edit_row(2, "| 2 | 5s | 随便写 | Organic Rice Cereal / 第二行 | 这是编辑改过的口播，带一个 \\| 竖线。 |");
	assert_int_equal(of_storyboard_load(&sb, path("script.json")), 0);
	json_t *s = json_array_get(json_object_get(sb, "scenes"), 1);
	assert_string_equal(of_json_str(s, "narration"), "这是编辑改过的口播，带一个 | 竖线。");
	assert_true(fabs(json_number_value(json_object_get(s, "duration")) - 5.0) < 1e-9);
	assert_int_equal(json_array_size(json_object_get(s, "caption")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(s, "caption"), 0)), "Organic Rice Cereal");
	assert_string_equal(json_string_value(json_array_get(json_object_get(s, "caption"), 1)), "第二行");
	/* starts follow the new duration */
	json_t *s3 = json_array_get(json_object_get(sb, "scenes"), 2);
	double want = json_number_value(json_object_get(s, "start")) + 5.0;
	assert_true(fabs(json_number_value(json_object_get(s3, "start")) - want) < 0.002);
	double total = 0;
	for (size_t i = 0; i < json_array_size(json_object_get(sb, "scenes")); i++)
		total += json_number_value(json_object_get(json_array_get(json_object_get(sb, "scenes"), i), "duration"));
	assert_true(fabs(json_number_value(json_object_get(sb, "duration")) - total) < 0.002);
	json_decref(sb);
	of_test_rmtree(dir);
}

static void expect_bad_row(int row, const char *text, const char *needle)
{
	json_t *sb = NULL;
	generate();
	unsigned long ln = edit_row(row, text);
	assert_int_equal(of_storyboard_load(&sb, path("script.json")), OF_EINVALID);
	assert_null(sb);
	assert_int_equal(of_error_last()->line, ln);
	assert_non_null(strstr(of_error_last()->path, "script.md"));
	assert_non_null(strstr(of_error_last()->message, needle));
	of_test_rmtree(dir);
}

static void test_script_load__malformed_rows_named_by_line(void **state)
{
	(void)state;
	expect_bad_row(3, "| 3 | 4s | 画面 | 少了一格 |", "expected 5 cells");
	expect_bad_row(1, "| 99 | 3s | x | 字幕 | 口播 |", "not a scene number");
	expect_bad_row(2, "| 2 | 三秒 | x | 字幕 | 口播 |", "not a duration");
	expect_bad_row(2, "| 2 | 500s | x | 字幕 | 口播 |", "not a duration");
	/* strtod would read these as 16 s, infinity and 10 s */
	expect_bad_row(2, "| 2 | 0x10 | x | 字幕 | 口播 |", "not a duration");
	expect_bad_row(2, "| 2 | inf | x | 字幕 | 口播 |", "not a duration");
	expect_bad_row(2, "| 2 | 1e1s | x | 字幕 | 口播 |", "not a duration");
	/* a row typed with full-width bars is named on its own line */
	expect_bad_row(2, "｜ 2 ｜ 3s ｜ x ｜ 字幕 ｜ 口播 ｜", "full-width ｜");
	expect_bad_row(2, "| 2 | 3s | x | 这一行字幕实在是太长了超过十四个字了 | 口播 |", "longer than 14");
	expect_bad_row(2, "| 2 | 3s | x | Organic Rice Cereal and more oats | 口播 |", "longer than 14");
	expect_bad_row(2, "| 2 | 3s | x | 一 / 二 / 三 | 口播 |", "more than 2 lines");
	expect_bad_row(2, "| 2 | 3s | x | 字幕 |  |", "口播 is empty");
	{
		char row[8000];
		int o = snprintf(row, sizeof row, "| 2 | 3s | x | 字幕 | ");
		for (int k = 0; k < 2001; k++)
			o += snprintf(row + o, sizeof row - (size_t)o, "字");
		snprintf(row + o, sizeof row - (size_t)o, " |");
		expect_bad_row(2, row, "口播 is 2001 characters");
	}
	/* row 2 renumbered 1 (a copy-paste slip): named, not applied over scene 1 */
	expect_bad_row(2, "| 1 | 3s | x | 字幕 | 口播 |", "序号 1 is also the row on line");
}

/* Rows without the outer bars are rows, as in GFM (QA: a row without its trailing |
 * was rejected as "the 分镜表 has 0 rows but script.json has 4 scenes", on the last line). */
static void test_script_load__rows_without_outer_bars(void **state)
{
	json_t *sb;
	(void)state;
	generate();
	edit_row(1, "| 1 | 4s | 画面 | 字幕一 | 没有结尾竖线的口播");
	edit_row(3, "| 3 | 3s | 画面 | 字幕三 | 结尾是转义的竖线 \\|");
	edit_row(2, "2 | 5s | 画面 | 字幕二 | 两边都没有竖线的口播"); /* last: edit_row counts rows by their bar */
	if (of_storyboard_load(&sb, path("script.json")) != 0)
		fail_msg("%s", of_error_last()->message);
	json_t *sc = json_object_get(sb, "scenes");
	assert_string_equal(of_json_str(json_array_get(sc, 0), "narration"), "没有结尾竖线的口播");
	assert_string_equal(of_json_str(json_array_get(sc, 1), "narration"), "两边都没有竖线的口播");
	assert_string_equal(of_json_str(json_array_get(sc, 2), "narration"), "结尾是转义的竖线 |");
	assert_true(fabs(json_number_value(json_object_get(json_array_get(sc, 1), "duration")) - 5.0) < 1e-9);
	assert_string_equal(json_string_value(json_array_get(json_object_get(json_array_get(sc, 0), "caption"), 0)),
			    "字幕一");
	size_t n = json_array_size(sc);
	json_decref(sb);
	of_test_rmtree(dir);
	/* a row that still cannot be read is named by its line, with the reason */
	char row[128];
	snprintf(row, sizeof row, "%zu  3s  画面  字幕  口播", n);
	expect_bad_row((int)n, row, "this line is not a table row");
	expect_bad_row((int)n, "", "a blank line ends a table");
	expect_bad_row(2, "| 2 | 3s | x | 字幕", "expected 5 cells");
}

static void test_script_load__json_edit_used_and_validated(void **state)
{
	json_t *sb, *raw;
	(void)state;
	generate();
	assert_int_equal(of_json_load(&raw, path("script.json"), 1 << 20), 0);
	json_t *s = json_array_get(json_object_get(raw, "scenes"), 1);
	json_object_set_new(s, "narration", json_string("JSON 里改的口播"));
	assert_int_equal(of_json_write(path("script.json"), raw), 0);
	assert_int_equal(of_storyboard_load(&sb, path("script.json")), 0);
	assert_string_equal(of_json_str(json_array_get(json_object_get(sb, "scenes"), 1), "narration"), "JSON 里改的口播");
	json_decref(sb);
	/* an image escaping the folder is refused */
	json_object_set_new(s, "image", json_string("../../etc/passwd"));
	assert_int_equal(of_json_write(path("script.json"), raw), 0);
	assert_int_equal(of_storyboard_load(&sb, path("script.json")), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "image"));
	json_object_set_new(s, "image", json_string("images/x.jpg"));
	json_object_set_new(s, "duration", json_real(-1));
	assert_int_equal(of_json_write(path("script.json"), raw), 0);
	assert_int_equal(of_storyboard_load(&sb, path("script.json")), OF_EINVALID);
	/* text XML cannot carry (timeline.fcpxml) is refused at load, not written into the timeline */
	json_object_set_new(s, "duration", json_real(2.5));
	json_object_set_new(s, "caption", json_pack("[s]", "a&<b>\"\xEF\xBF\xBE"));
	assert_int_equal(of_json_write(path("script.json"), raw), 0);
	assert_int_equal(of_storyboard_load(&sb, path("script.json")), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "caption"));
	json_object_set_new(s, "caption", json_pack("[s]", "a&<b>"));
	json_object_set_new(s, "narration", json_string("口播\x01"));
	assert_int_equal(of_json_write(path("script.json"), raw), 0);
	assert_int_equal(of_storyboard_load(&sb, path("script.json")), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "narration"));
	json_decref(raw);
	of_test_rmtree(dir);
}

static char g_log[8192];

static void capture(const of_log_record *r, void *payload)
{
	(void)payload;
	if (r->level < OF_LOG_WARN)
		return;
	size_t have = strlen(g_log);
	snprintf(g_log + have, sizeof g_log - have, "%s:%lu: %s\n", r->path ? r->path : "", r->line, r->message);
}

static const char *caption0(const json_t *sb, size_t scene)
{
	return json_string_value(json_array_get(json_object_get(json_array_get(json_object_get(sb, "scenes"), scene), "caption"), 0));
}

/* An editor changes script.json and another row of script.md: both edits are used. Only
 * the cells of script.md that differ from the table script.json wrote are applied; where
 * both changed the same cell, the table wins and a warning names the scene. */
static void test_script_load__json_and_md_edits_merge(void **state)
{
	json_t *sb, *raw, *s2, *s4;
	char row[512];
	(void)state;
	generate();
	assert_int_equal(of_json_load(&raw, path("script.json"), 1 << 20), 0);
	s2 = json_array_get(json_object_get(raw, "scenes"), 1);
	s4 = json_array_get(json_object_get(raw, "scenes"), 3);
	json_object_set_new(s2, "caption", json_pack("[s]", "JSON里改的字幕"));
	json_object_set_new(s4, "narration", json_string("JSON 里改的第四段口播。"));
	assert_int_equal(of_json_write(path("script.json"), raw), 0);
	/* script.md: row 4's caption is rewritten, its 口播 cell left as generated */
	{
		size_t len;
		char *md = of_test_slurp(path("script.md"), &len), *l = strstr(md, "\n| 4 |");
		assert_non_null(l);
		char *e = strchr(l + 1, '\n');
		snprintf(row, sizeof row, "%.*s", (int)(e ? e - l - 1 : (long)strlen(l + 1)), l + 1);
		free(md);
	}
	{
		/* cells: "", 序号, 时长, 画面, 字幕, 口播, "" */
		char *cells[8] = {0}, *p = row;
		int n = 0;
		while (n < 8 && (cells[n++] = p) && (p = strchr(p, '|')) != NULL)
			*p++ = '\0';
		assert_true(n >= 6);
		char edited[600];
		snprintf(edited, sizeof edited, "|%s|%s|%s| 表里改的第四幕 |%s|", cells[1], cells[2], cells[3], cells[5]);
		edit_row(4, edited);
	}
	g_log[0] = '\0';
	of_log_set_handler(capture, NULL);
	assert_int_equal(of_storyboard_load(&sb, path("script.json")), 0);
	assert_string_equal(caption0(sb, 1), "JSON里改的字幕");         /* the JSON edit survives */
	assert_string_equal(caption0(sb, 3), "表里改的第四幕");          /* the table edit is applied */
	assert_string_equal(of_json_str(json_array_get(json_object_get(sb, "scenes"), 3), "narration"),
			    "JSON 里改的第四段口播。");                  /* its untouched 口播 cell: JSON's */
	assert_null(strstr(g_log, "replaced"));
	json_decref(sb);
	/* the same cell edited in both: script.md's row wins, and the scene is named */
	json_object_set_new(s4, "caption", json_pack("[s]", "JSON也改了第四幕"));
	assert_int_equal(of_json_write(path("script.json"), raw), 0);
	g_log[0] = '\0';
	assert_int_equal(of_storyboard_load(&sb, path("script.json")), 0);
	assert_string_equal(caption0(sb, 3), "表里改的第四幕");
	assert_non_null(strstr(g_log, "scene 4: script.json's caption (字幕)"));
	assert_null(strstr(g_log, "scene 2"));
	of_log_set_handler(NULL, NULL);
	json_decref(sb);
	json_decref(raw);
	of_test_rmtree(dir);
}

/* An older script.json (no cell hashes) edited by hand: the table it wrote cannot be made
 * again, so every row that differs from it is applied, as before, but each scene whose
 * script.json value is replaced is named. */
static void test_script_load__older_json_edit_replaced_is_named(void **state)
{
	json_t *sb, *raw;
	(void)state;
	generate();
	assert_int_equal(of_json_load(&raw, path("script.json"), 1 << 20), 0);
	json_object_del(json_object_get(raw, "generated"), "script_md_cells");
	json_object_set_new(json_array_get(json_object_get(raw, "scenes"), 1), "caption", json_pack("[s]", "JSON里改的字幕"));
	assert_int_equal(of_json_write(path("script.json"), raw), 0);
	edit_row(3, "| 3 | 4s | x | 表里改的第三幕 | 表里改的口播。 |");
	g_log[0] = '\0';
	of_log_set_handler(capture, NULL);
	assert_int_equal(of_storyboard_load(&sb, path("script.json")), 0);
	of_log_set_handler(NULL, NULL);
	assert_string_equal(caption0(sb, 2), "表里改的第三幕");
	assert_string_not_equal(caption0(sb, 1), "JSON里改的字幕"); /* row 2's generated caption is back */
	assert_non_null(strstr(g_log, "scene 2: script.json's caption (字幕)"));
	json_decref(sb);
	json_decref(raw);
	of_test_rmtree(dir);
}

/* After a script.md edit, timeline.fcpxml and subtitles.* are made again from the edited
 * storyboard (the pack's script stage follows the edit with it): the timeline's titles are
 * the edited caption, its clip the edited length; script.md and script.json are untouched. */
static void test_script_load__refresh_follows_the_edit(void **state)
{
	char out[512], p[600], *tl, *md_before, *md_after, *srt;
	(void)state;
	generate();
	tl = of_test_slurp(path("timeline.fcpxml"), NULL);
	assert_null(strstr(tl, "编辑改的字幕"));
	free(tl);
	edit_row(2, "| 2 | 5s | 随便写 | 编辑改的字幕 / 第二行 | 这是编辑改过的口播。 |");
	md_before = of_test_slurp(path("script.md"), NULL);
	snprintf(out, sizeof out, "%s/work", dir);
	assert_int_equal(of_script_refresh(path("script.json"), out), 0);
	snprintf(p, sizeof p, "%s/timeline.fcpxml", out);
	tl = of_test_slurp(p, NULL);
	assert_non_null(strstr(tl, "编辑改的字幕"));
	assert_non_null(strstr(tl, "duration=\"150/30s\"")); /* 5 s */
	free(tl);
	snprintf(p, sizeof p, "%s/subtitles.srt", out);
	srt = of_test_slurp(p, NULL);
	assert_non_null(strstr(srt, "这是编辑改过的口播"));
	free(srt);
	snprintf(p, sizeof p, "%s/script.md", out);
	assert_false(of_path_is_file(p)); /* the editor's files are not rewritten */
	snprintf(p, sizeof p, "%s/script.json", out);
	assert_false(of_path_is_file(p));
	md_after = of_test_slurp(path("script.md"), NULL);
	assert_string_equal(md_before, md_after);
	free(md_before);
	free(md_after);
	/* a malformed row is named, as the video stage names it */
	edit_row(2, "| 2 | abc | x | 字幕 | 口播 |");
	assert_int_equal(of_script_refresh(path("script.json"), out), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->path, "script.md"));
	of_test_rmtree(dir);
}

/* `onefish video` refreshes the script folder itself (of_script_refresh_beside): the
 * timeline and subtitles follow an edit in place, atomically (no scratch left), a file
 * the editor changed is kept byte for byte, the next refresh knows its own files, and a
 * pack's folder (manifest.json) is left to `onefish run`. */
static void test_script_load__refresh_beside_keeps_edits(void **state)
{
	size_t written = 9, kept = 9, len_before, len_after;
	char *tl, *vtt_before, *vtt_after;
	(void)state;
	generate();
	edit_row(2, "| 2 | 5s | 随便写 | 编辑改的字幕 / 第二行 | 这是编辑改过的口播。 |");
	/* the editor re-timed subtitles.vtt by hand */
	vtt_before = of_test_slurp(path("subtitles.vtt"), &len_before);
	of_test_write(path("subtitles.vtt"), "WEBVTT\n\n00:00.000 --> 00:01.000\n我自己改的\n", 48);
	free(vtt_before);
	vtt_before = of_test_slurp(path("subtitles.vtt"), &len_before);
	assert_int_equal(of_script_refresh_beside(path("script.json"), NULL, NULL, &written, &kept, NULL), 0);
	tl = of_test_slurp(path("timeline.fcpxml"), NULL);
	assert_non_null(strstr(tl, "编辑改的字幕"));
	assert_non_null(strstr(tl, "duration=\"150/30s\""));
	free(tl);
	char *srt = of_test_slurp(path("subtitles.srt"), NULL);
	assert_non_null(strstr(srt, "这是编辑改过的口播"));
	free(srt);
	vtt_after = of_test_slurp(path("subtitles.vtt"), &len_after);
	assert_int_equal(len_before, len_after);
	assert_memory_equal(vtt_before, vtt_after, len_after); /* kept */
	free(vtt_before);
	free(vtt_after);
	assert_int_equal(kept, 1);
	assert_true(written >= 3); /* timeline, srt, ass (and the csv) */
	assert_true(of_path_is_file(path(".onefish/derived.json")));
	/* nothing temporary left beside them */
	char cmd[600];
	snprintf(cmd, sizeof cmd, "ls -A '%s' '%s/.onefish' | grep -q refresh", dir, dir);
	assert_int_not_equal(system(cmd), 0);
	/* again: its own files are known (the record), the edited one still kept */
	edit_row(2, "| 2 | 5s | 随便写 | 又改了一次 / 第二行 | 这是编辑改过的口播。 |");
	assert_int_equal(of_script_refresh_beside(path("script.json"), NULL, NULL, &written, &kept, NULL), 0);
	tl = of_test_slurp(path("timeline.fcpxml"), NULL);
	assert_non_null(strstr(tl, "又改了一次"));
	free(tl);
	assert_int_equal(kept, 1);
	/* a timeline the editor changed after that is kept too */
	of_test_write(path("timeline.fcpxml"), "<fcpxml/>", 9);
	edit_row(2, "| 2 | 5s | 随便写 | 第三次 / 第二行 | 这是编辑改过的口播。 |");
	char *names = NULL;
	assert_int_equal(of_script_refresh_beside(path("script.json"), NULL, NULL, &written, &kept, &names), 0);
	tl = of_test_slurp(path("timeline.fcpxml"), NULL);
	assert_string_equal(tl, "<fcpxml/>");
	free(tl);
	assert_int_equal(kept, 2);
	/* the names are the files written, not the kept timeline (QA: only script.csv changed,
	 * and the note said "1 file … follow the video (timeline.fcpxml, subtitles.*)") */
	assert_non_null(names);
	assert_string_equal(names, "script.csv");
	assert_int_equal(written, 1);
	free(names);
	names = (char *)"x";
	assert_int_equal(of_script_refresh_beside(path("script.json"), NULL, NULL, &written, &kept, &names), 0);
	assert_int_equal(written, 0); /* nothing changed: nothing written, no names */
	assert_null(names);
	/* a pack's folder: its run refreshes it, never this */
	of_test_write(path("manifest.json"), "{}", 2);
	unlink(path("subtitles.srt"));
	assert_int_equal(of_script_refresh_beside(path("script.json"), NULL, NULL, &written, &kept, NULL), 0);
	assert_int_equal(written, 0);
	assert_false(of_path_is_file(path("subtitles.srt")));
	/* a script.json onefish script did not write (no "generated" record): its folder is left alone */
	unlink(path("manifest.json"));
	json_t *raw = NULL;
	assert_int_equal(of_json_load(&raw, path("script.json"), 1 << 20), 0);
	json_object_del(raw, "generated");
	assert_int_equal(of_json_write(path("script.json"), raw), 0);
	json_decref(raw);
	assert_int_equal(of_script_refresh_beside(path("script.json"), NULL, NULL, &written, &kept, NULL), 0);
	assert_int_equal(written, 0);
	assert_false(of_path_is_file(path("subtitles.srt")));
	of_test_rmtree(dir);
}

/* After `onefish video` lengthened a scene (its narration overran), the script folder's subtitles
 * and script.csv follow the rendered lengths, as the timeline does: one folder, one timing. */
static void test_script_load__refresh_beside_follows_rendered_lengths(void **state)
{
	json_t *sb = NULL;
	size_t written = 0, kept = 0;
	(void)state;
	generate();
	assert_int_equal(of_storyboard_load(&sb, path("script.json")), 0);
	size_t n = json_array_size(json_object_get(sb, "scenes"));
	long *frames = calloc(n, sizeof *frames), total = 0;
	for (size_t i = 0; i < n; i++) {
		frames[i] = lround(json_number_value(json_object_get(json_array_get(json_object_get(sb, "scenes"), i),
								     "duration")) * 30) + (i == 1 ? 150 : 0); /* s02 5 s longer */
		total += frames[i];
	}
	of_timeline_media m = {frames, n, NULL, NULL, 0, 0, 0, 48000};
	assert_int_equal(of_script_refresh_beside(path("script.json"), sb, &m, &written, &kept, NULL), 0);
	assert_int_equal(kept, 0);
	/* the last cue of subtitles.srt ends where the video does */
	char *srt = of_test_slurp(path("subtitles.srt"), NULL), want[64], *last = NULL;
	long ms = total * 1000 / 30;
	snprintf(want, sizeof want, "--> %02ld:%02ld:%02ld,%03ld", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
	for (char *p = strstr(srt, "--> "); p; p = strstr(p + 1, "--> "))
		last = p;
	assert_non_null(last);
	if (strncmp(last, want, strlen(want)) != 0)
		print_error("last cue %.30s, want %s\n", last, want);
	assert_memory_equal(last, want, strlen(want));
	free(srt);
	/* and script.csv's last 出点 too (HH:MM:SS:FF at 30 fps) */
	char *csv = of_test_slurp(path("script.csv"), NULL), tc[32];
	snprintf(tc, sizeof tc, "%02ld:%02ld:%02ld:%02ld", total / 30 / 3600, total / 30 / 60 % 60, total / 30 % 60, total % 30);
	if (!strstr(csv, tc))
		print_error("script.csv lacks %s:\n%s\n", tc, csv);
	assert_non_null(strstr(csv, tc));
	free(csv);
	free(frames);
	json_decref(sb);
	of_test_rmtree(dir);
}

/* The attribute `name` of the first element `el` under `n` whose attribute `ka` is `kv`. */
static xmlNodePtr find_el(xmlNodePtr n, const char *el, const char *ka, const char *kv)
{
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, el) == 0) {
			xmlChar *v = ka ? xmlGetProp(n, BAD_CAST ka) : NULL;
			int hit = !ka || (v && strcmp((const char *)v, kv) == 0);
			xmlFree(v);
			if (hit)
				return n;
		}
		xmlNodePtr c = find_el(n->children, el, ka, kv);
		if (c)
			return c;
	}
	return NULL;
}

static int attr_is(xmlNodePtr n, const char *a, const char *want)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST a);
	int ok = v && strcmp((const char *)v, want) == 0;
	if (!ok)
		print_error("%s=\"%s\", want \"%s\"\n", a, v ? (const char *)v : "(none)", want);
	xmlFree(v);
	return ok;
}

/* timeline.fcpxml is FCPXML 1.9 (no DTD for it ships with Debian: parsed and checked here):
 * titles sit where the video burns the captions in (Position: bottom centre of the vertical
 * safe zone, 480 px up, 184 px off the right, from the frame's centre), and with the video's
 * media the scenes last as rendered and the narration and music are audio assets, each an
 * asset-clip below the video (lanes -1, -2) the whole video long. */
/* `onefish video`'s note names the files written and agrees with their number (QA: "1 file
 * of the script folder follow the video (timeline.fcpxml, subtitles.*)" for script.csv alone). */
static void test_script_load__refresh_note(void **state)
{
	char note[512];
	(void)state;
	of_pipeline__refresh_note(note, sizeof note, 1, "script.csv");
	assert_string_equal(note, "video: script.csv of the script folder follows the video");
	of_pipeline__refresh_note(note, sizeof note, 2, "subtitles.srt, script.csv");
	assert_string_equal(note, "video: 2 files of the script folder follow the video (subtitles.srt, script.csv)");
}

static void test_script_load__timeline_positions_and_audio(void **state)
{
	json_t *sb = NULL;
	char out[512], p[600];
	(void)state;
	generate();
	assert_int_equal(of_storyboard_load(&sb, path("script.json")), 0);
	size_t n = json_array_size(json_object_get(sb, "scenes"));
	long *frames = calloc(n, sizeof *frames), total = 0;
	for (size_t i = 0; i < n; i++) {
		frames[i] = lround(json_number_value(json_object_get(json_array_get(json_object_get(sb, "scenes"), i),
								     "duration")) * 30) + (i == 1 ? 15 : 0); /* s02 lengthened */
		total += frames[i];
	}
	/* an image name with a space, # and Chinese: a URL in src, as the audio's */
	json_object_set_new(json_array_get(json_object_get(sb, "scenes"), 0), "image", json_string("images/我的 照片#1.jpg"));
	of_timeline_media m = {frames, n, "../video/narration.wav", "../video/music.wav", 1, 2, total * 1600, 48000};
	snprintf(out, sizeof out, "%s/tl", dir);
	assert_int_equal(of_mkdirs(out), 0);
	assert_int_equal(of_script_write_timeline(sb, out, &m), 0);
	snprintf(p, sizeof p, "%s/timeline.fcpxml", out);
	xmlDocPtr doc = xmlReadFile(p, NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)root->name, "fcpxml");
	assert_true(attr_is(root, "version", "1.9"));
	/* titles: one line at -447, two lines at -414 (66 px lines, bottom at 480 px), x -60 */
	int titles = 0;
	for (xmlNodePtr v = find_el(root, "spine", NULL, NULL)->children; v; v = v->next) {
		if (v->type != XML_ELEMENT_NODE)
			continue;
		xmlNodePtr t = find_el(v->children, "title", "name", "caption");
		if (!t)
			continue;
		xmlNodePtr pos = find_el(t->children, "param", "name", "Position");
		assert_non_null(pos);
		assert_true(attr_is(pos, "key", "9999/999166631/999166633/1/100/101"));
		/* the param comes before the text (the DTD's order) */
		xmlNodePtr first = t->children;
		while (first && first->type != XML_ELEMENT_NODE)
			first = first->next;
		assert_string_equal((const char *)first->name, "param");
		titles++;
		xmlChar *val = xmlGetProp(pos, BAD_CAST "value");
		assert_true(strcmp((const char *)val, "-60 -447") == 0 || strcmp((const char *)val, "-60 -414") == 0);
		xmlFree(val);
	}
	assert_true(titles >= 3);
	/* the scenes last as rendered: s02 is 15 frames longer, the sequence is the total */
	char want[64];
	snprintf(want, sizeof want, "%ld/30s", total);
	assert_true(attr_is(find_el(root, "sequence", NULL, NULL), "duration", want));
	snprintf(want, sizeof want, "%ld/30s", frames[1]);
	assert_true(attr_is(find_el(root, "video", "name", "s02"), "duration", want));
	/* audio: assets with their media, clips on lanes below the video, the whole video long */
	xmlNodePtr na = find_el(root, "asset", "name", "narration.wav"), ma = find_el(root, "asset", "name", "music.wav");
	assert_non_null(na);
	assert_non_null(ma);
	assert_true(attr_is(na, "hasAudio", "1") && attr_is(na, "audioChannels", "1") && attr_is(na, "audioRate", "48000"));
	assert_true(attr_is(ma, "audioChannels", "2"));
	snprintf(want, sizeof want, "%ld/48000s", total * 1600);
	assert_true(attr_is(na, "duration", want));
	assert_true(attr_is(find_el(na->children, "media-rep", NULL, NULL), "src", "../video/narration.wav"));
	xmlNodePtr ia = find_el(root, "asset", "name", "我的 照片#1.jpg");
	assert_non_null(ia);
	assert_true(attr_is(find_el(ia->children, "media-rep", NULL, NULL), "src",
			    "./images/%E6%88%91%E7%9A%84%20%E7%85%A7%E7%89%87%231.jpg"));
	xmlChar *nid = xmlGetProp(na, BAD_CAST "id"), *mid = xmlGetProp(ma, BAD_CAST "id");
	xmlNodePtr nc = find_el(root, "asset-clip", "ref", (const char *)nid);
	xmlNodePtr mc = find_el(root, "asset-clip", "ref", (const char *)mid);
	assert_non_null(nc);
	assert_non_null(mc);
	assert_true(attr_is(nc, "lane", "-1") && attr_is(mc, "lane", "-2"));
	snprintf(want, sizeof want, "%ld/30s", total);
	assert_true(attr_is(nc, "duration", want) && attr_is(mc, "duration", want));
	assert_true(attr_is(nc, "offset", "0s") && attr_is(nc->parent, "name", "s01"));
	assert_true(attr_is(nc, "audioRole", "dialogue") && attr_is(mc, "audioRole", "music"));
	xmlFree(nid);
	xmlFree(mid);
	xmlFreeDoc(doc);
	/* without media: no audio, the storyboard's durations */
	assert_int_equal(of_script_write_timeline(sb, out, NULL), 0);
	char *tl = of_test_slurp(p, NULL);
	assert_null(strstr(tl, "asset-clip"));
	assert_non_null(strstr(tl, "9999/999166631/999166633/1/100/101"));
	free(tl);
	free(frames);
	json_decref(sb);
	of_test_rmtree(dir);
}

/* The CTA scene's title in timeline.fcpxml is the end card the video draws there
 * (stages/render/captions.c): live.title, live.time_text, live.cta and live.platform, one
 * line each, centred, at the card's sizes; not the scene's caption, which the video does
 * not show. Without live.title and live.cta the video shows the caption, and so does the
 * timeline. */
static void test_script_load__timeline_end_card(void **state)
{
	json_t *sb = NULL;
	char out[512], p[600];
	(void)state;
	generate();
	assert_int_equal(of_storyboard_load(&sb, path("script.json")), 0);
	json_t *live = json_object_get(sb, "live"), *scenes = json_object_get(sb, "scenes");
	json_object_set_new(live, "platform", json_string("视频号直播"));
	json_t *cta = json_array_get(scenes, json_array_size(scenes) - 1);
	assert_string_equal(of_json_str(cta, "kind"), "cta");
	const char *time_text = of_json_str(live, "time_text");
	assert_non_null(time_text);
	snprintf(out, sizeof out, "%s/tl", dir);
	assert_int_equal(of_mkdirs(out), 0);
	assert_int_equal(of_script_write_timeline(sb, out, NULL), 0);
	snprintf(p, sizeof p, "%s/timeline.fcpxml", out);
	xmlDocPtr doc = xmlReadFile(p, NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	xmlNodePtr clip = find_el(root, "video", "name", of_json_str(cta, "id"));
	if (!clip)
		clip = find_el(root, "gap", "name", of_json_str(cta, "id"));
	assert_non_null(clip);
	xmlNodePtr t = find_el(clip->children, "title", NULL, NULL);
	assert_non_null(t);
	assert_true(attr_is(t, "name", "end card"));
	xmlChar *text = xmlNodeGetContent(find_el(t->children, "text", NULL, NULL));
	char want[1024];
	snprintf(want, sizeof want, "%s\n%s\n%s\n%s", "宝宝辅食添加全攻略直播", time_text, "点击预约，周四晚8点直播间见",
		 "视频号直播");
	assert_string_equal((const char *)text, want);
	xmlFree(text);
	/* centred as the video's card (between the safe margins), at its sizes: 92 × 0.9 = 83 px
	 * for the title, then 0.6, 0.7 and 0.5 of 92 */
	assert_true(attr_is(find_el(t->children, "param", "name", "Position"), "value", "-60 0"));
	static const char *const px[] = {"83", "55", "64", "46"};
	int k = 0;
	for (xmlNodePtr r = find_el(t->children, "text", NULL, NULL)->children; r; r = r->next) {
		if (r->type != XML_ELEMENT_NODE)
			continue;
		assert_true(k < 4);
		xmlChar *ref = xmlGetProp(r, BAD_CAST "ref");
		xmlNodePtr def = find_el(t->children, "text-style-def", "id", (const char *)ref);
		xmlFree(ref);
		assert_non_null(def);
		assert_true(attr_is(find_el(def->children, "text-style", NULL, NULL), "fontSize", px[k]));
		k++;
	}
	assert_int_equal(k, 4);
	xmlFreeDoc(doc);
	/* no live.title and no live.cta: the video shows the caption there, and so does the timeline */
	json_object_del(live, "title");
	json_object_del(live, "cta");
	assert_int_equal(of_script_write_timeline(sb, out, NULL), 0);
	doc = xmlReadFile(p, NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	root = xmlDocGetRootElement(doc);
	clip = find_el(root, "video", "name", of_json_str(cta, "id"));
	if (!clip)
		clip = find_el(root, "gap", "name", of_json_str(cta, "id"));
	t = find_el(clip->children, "title", NULL, NULL);
	assert_non_null(t);
	assert_true(attr_is(t, "name", "caption"));
	text = xmlNodeGetContent(find_el(t->children, "text", NULL, NULL));
	assert_non_null(strstr((const char *)text, json_string_value(json_array_get(json_object_get(cta, "caption"), 0))));
	xmlFree(text);
	xmlFreeDoc(doc);
	json_decref(sb);
	of_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_load__unedited_is_the_json),
		cmocka_unit_test(test_script_load__md_edit_applied),
		cmocka_unit_test(test_script_load__malformed_rows_named_by_line),
		cmocka_unit_test(test_script_load__rows_without_outer_bars),
		cmocka_unit_test(test_script_load__json_edit_used_and_validated),
		cmocka_unit_test(test_script_load__refresh_follows_the_edit),
		cmocka_unit_test(test_script_load__refresh_beside_keeps_edits),
		cmocka_unit_test(test_script_load__refresh_beside_follows_rendered_lengths),
		cmocka_unit_test(test_script_load__refresh_note),
		cmocka_unit_test(test_script_load__timeline_positions_and_audio),
		cmocka_unit_test(test_script_load__timeline_end_card),
		cmocka_unit_test(test_script_load__json_and_md_edits_merge),
		cmocka_unit_test(test_script_load__older_json_edit_replaced_is_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
