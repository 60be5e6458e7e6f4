/* test_render_cues.c — unit tests for stages/render/cues.c: the video's subtitle
 * cues (one list for the mov_text track and captions.srt / captions.vtt). */
#include "testutil.h"

#include "onefish/fileio.h"
#include "render/render_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static of_rscript *parse(const char *json)
{
	of_rscript *s = NULL;
	assert_int_equal(of_rscript_parse(&s, json, strlen(json), "script.json", "."), 0);
	return s;
}

/* Caption lines joined by a newline, braces made spaces and a backslash full-width, a scene without text left out,
 * the end card says what it shows (title, time · platform, call to action), not the scene's caption. */
static void test_render_cues__text(void **state)
{
	(void)state;
	of_rscript *s = parse("{\"live\":{\"cta\":\"点击预约 <直播> & 见\"},\"scenes\":["
			      "{\"kind\":\"hook\",\"duration\":2.5,\"caption\":[\"一{\\\\b1}行\",\"二行\"]},"
			      "{\"duration\":1.5},"
			      "{\"kind\":\"cta\",\"duration\":3}]}");
	of_cue *c = NULL;
	size_t n = 0;
	assert_int_equal(of_cues_build(s, &c, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].text, "一 ＼b1 行\n二行"); /* no ASS escape left in the track's text */
	assert_int_equal(c[0].start_ms, 0);
	assert_int_equal(c[0].end_ms, 2500);
	assert_string_equal(c[1].text, "点击预约 <直播> & 见");
	assert_int_equal(c[1].start_ms, 4000);
	assert_int_equal(c[1].end_ms, 7000);
	of_cues_free(c, n);
	of_rscript_free(s);
	s = parse("{\"live\":{\"title\":\"辅食直播\",\"time_text\":\"11月26日（周四）20:00\",\"platform\":\"视频号\","
		  "\"cta\":\"点击预约\"},\"scenes\":[{\"kind\":\"cta\",\"duration\":3,\"caption\":[\"辅食直播\",\"周四20:00开播\"]}]}");
	assert_int_equal(of_cues_build(s, &c, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].text, "辅食直播\n11月26日（周四）20:00 · 视频号\n点击预约");
	of_cues_free(c, n);
	of_rscript_free(s);
}

/* Scene times that are not whole milliseconds: each cue ends on the millisecond the next
 * begins (no 1 ms gaps or overlaps from rounding start and duration separately). */
static void test_render_cues__contiguous(void **state)
{
	(void)state;
	of_rscript *s = parse("{\"scenes\":[{\"duration\":0.3335,\"caption\":[\"甲\"]},"
			      "{\"duration\":0.3335,\"caption\":[\"乙\"]},{\"duration\":0.3335,\"caption\":[\"丙\"]}]}");
	of_cue *c = NULL;
	size_t n = 0;
	assert_int_equal(of_cues_build(s, &c, &n), 0);
	assert_int_equal(n, 3);
	for (size_t i = 1; i < n; i++)
		assert_int_equal(c[i].start_ms, c[i - 1].end_ms);
	assert_int_equal(c[2].end_ms, 1001); /* round(1.0005 s) */
	of_cues_free(c, n);
	of_rscript_free(s);
}

/* A storyboard's durations are whole frames written with 3 decimals (148 frames at 30 fps:
 * 4.933): cue boundaries are the frame boundaries, each rounded once (296 frames: 9.867 s,
 * 444: 14.800 s), not sums of rounded durations (9.866, 14.799), and the last cue ends
 * with the picture. */
static void test_render_cues__frame_boundaries(void **state)
{
	(void)state;
	of_rscript *s = parse("{\"fps\":30,\"scenes\":[{\"duration\":4.933,\"caption\":[\"甲\"]},"
			      "{\"duration\":4.933,\"caption\":[\"乙\"]},{\"duration\":4.933,\"caption\":[\"丙\"]},"
			      "{\"duration\":0.25,\"caption\":[\"丁\"]}]}");
	of_cue *c = NULL;
	size_t n = 0;
	assert_int_equal(of_cues_build(s, &c, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(c[0].end_ms, 4933);
	assert_int_equal(c[1].end_ms, 9867);
	assert_int_equal(c[2].end_ms, 14800); /* 444 frames */
	/* not within half a millisecond of a frame: kept as written */
	assert_int_equal(c[3].end_ms, 15050); /* 7.5 frames */
	assert_true(fabs(s->duration - (444.0 / 30 + 0.25)) < 1e-9);
	of_cues_free(c, n);
	of_rscript_free(s);
}

/* captions.srt and captions.vtt, byte for byte: SRT numbered with commas, VTT with a header,
 * dots and &, <, > escaped. Never video.srt / video.vtt: players (mpv, VLC, PotPlayer) load
 * those with video.mp4 and draw them over the burned-in captions. */
static void test_render_cues__write(void **state)
{
	(void)state;
	of_rscript *s = parse("{\"live\":{\"cta\":\"A<B & C\"},\"scenes\":["
			      "{\"duration\":61.25,\"caption\":[\"第一行\",\"第二行\"]},{\"kind\":\"cta\",\"duration\":58.75}]}");
	of_cue *c = NULL;
	size_t n = 0;
	const char *dir = of_test_tmpdir();
	assert_int_equal(of_cues_build(s, &c, &n), 0);
	assert_int_equal(of_cues_write(c, n, dir), 0);
	char *p = of_path_join(dir, "captions.srt"), *q = of_path_join(dir, "captions.vtt");
	char *old1 = of_path_join(dir, "video.srt"), *old2 = of_path_join(dir, "video.vtt");
	assert_false(of_path_is_file(old1));
	assert_false(of_path_is_file(old2));
	free(old1);
	free(old2);
	char *srt = of_test_slurp(p, NULL), *vtt = of_test_slurp(q, NULL);
	assert_non_null(srt);
	assert_non_null(vtt);
	assert_string_equal(srt, "1\n00:00:00,000 --> 00:01:01,250\n第一行\n第二行\n\n"
				 "2\n00:01:01,250 --> 00:02:00,000\nA<B & C\n\n");
	assert_string_equal(vtt, "WEBVTT\n\n00:00:00.000 --> 00:01:01.250\n第一行\n第二行\n\n"
				 "00:01:01.250 --> 00:02:00.000\nA&lt;B &amp; C\n\n");
	free(srt);
	free(vtt);
	free(p);
	free(q);
	of_cues_free(c, n);
	of_rscript_free(s);
	of_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_cues__text),
		cmocka_unit_test(test_render_cues__contiguous),
		cmocka_unit_test(test_render_cues__frame_boundaries),
		cmocka_unit_test(test_render_cues__write),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
