/* test_config.c — onefish.yaml parsing and validation. */
#include "testutil.h"

#include "onefish/config.h"
#include "onefish/error.h"
#include "onefish/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse(of_config **cfg, const char *yaml)
{
	return of_config_parse(cfg, yaml, strlen(yaml), "onefish.yaml");
}

static void test_config__reads_values(void **state)
{
	of_config *cfg;
	const char *const *items;
	(void)state;
	assert_int_equal(parse(&cfg, "name: w47\nbrand:\n  name: 暖暖母婴\nvideo:\n  crf: 20\n"
				     "comments:\n  - a.xml\n  - b.xml\nposts: posts.jsonl\nstrict: yes\n"), 0);
	assert_string_equal(of_config_str(cfg, "name", NULL), "w47");
	assert_string_equal(of_config_str(cfg, "brand.name", NULL), "暖暖母婴");
	assert_true(of_config_num(cfg, "video.crf", 23) == 20);
	assert_true(of_config_num(cfg, "video.fps", 30) == 30);
	assert_int_equal(of_config_list(cfg, "comments", &items), 2);
	assert_string_equal(items[1], "b.xml");
	assert_int_equal(of_config_list(cfg, "posts", &items), 1);
	assert_true(of_config_bool(cfg, "strict", 0));
	assert_int_equal(of_config_line(cfg, "video.crf"), 5);
	of_config_free(cfg);
}

static void test_config__unknown_key_suggests(void **state)
{
	of_config *cfg;
	(void)state;
	assert_int_equal(parse(&cfg, "video:\n  preset: vertical\n  prest: x\n"), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 3);
	assert_int_equal(of_error_last()->col, 3);
	assert_non_null(strstr(of_error_last()->message, "unknown key 'video.prest'"));
	assert_non_null(strstr(of_error_last()->message, "did you mean 'video.preset'"));
	assert_int_equal(parse(&cfg, "tehme: warm\n"), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "did you mean 'theme'"));
	assert_int_equal(parse(&cfg, "zzzzzzzz: 1\n"), OF_EINVALID);
	assert_null(strstr(of_error_last()->message, "did you mean"));
}

/* Every unknown name gets the nearest key: a section, a list key, a swapped pair of
 * letters, a key of another section, and a word that is no key (width → the preset). */
static void test_config__suggests_sections_lists_and_other_sections(void **state)
{
	of_config *cfg;
	(void)state;
	assert_int_equal(parse(&cfg, "vidoe:\n  preset: vertical\n"), OF_EINVALID);
	assert_string_equal(of_error_last()->message, "unknown section 'vidoe' (did you mean 'video'?)");
	assert_int_equal(of_error_last()->line, 1);
	assert_int_equal(parse(&cfg, "brand:\n  nmae: [a]\n"), OF_EINVALID);
	assert_string_equal(of_error_last()->message, "unknown key 'brand.nmae' (did you mean 'brand.name'?)");
	assert_int_equal(parse(&cfg, "commnets: [a.xml]\n"), OF_EINVALID);
	assert_string_equal(of_error_last()->message, "unknown key 'commnets' (did you mean 'comments'?)");
	assert_int_equal(parse(&cfg, "video:\n  widht: 1080\n"), OF_EINVALID);
	assert_string_equal(of_error_last()->message,
			    "unknown key 'video.widht' (did you mean 'video.preset'? it sets the frame size: vertical, "
			    "landscape or square)");
	assert_int_equal(parse(&cfg, "video:\n  duration: 30\n"), OF_EINVALID);
	assert_string_equal(of_error_last()->message, "unknown key 'video.duration' (did you mean 'script.duration'?)");
	assert_int_equal(parse(&cfg, "preset: vertical\n"), OF_EINVALID);
	assert_string_equal(of_error_last()->message, "unknown key 'preset' (did you mean 'video.preset'?)");
	/* title is live.title and article.title: no guess between them */
	assert_int_equal(parse(&cfg, "brand:\n  title: x\n"), OF_EINVALID);
	assert_string_equal(of_error_last()->message, "unknown key 'brand.title'");
	assert_int_equal(parse(&cfg, "video:\n  crf_max: 3\n"), OF_EINVALID);
	assert_string_equal(of_error_last()->message, "unknown key 'video.crf_max'");
}

static void test_config__types_ranges_and_hostile(void **state)
{
	of_config *cfg;
	(void)state;
	assert_int_equal(parse(&cfg, "video:\n  fps: 0\n"), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "outside"));
	assert_int_equal(parse(&cfg, "video:\n  crf: abc\n"), OF_EINVALID);
	assert_int_equal(parse(&cfg, "video:\n  preset: diagonal\n"), OF_EINVALID);
	assert_int_equal(parse(&cfg, "name: a\nname: b\n"), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "duplicate"));
	assert_int_equal(parse(&cfg, "brand: x\n"), OF_EINVALID);
	assert_int_equal(parse(&cfg, "- a\n- b\n"), OF_EINVALID);
	assert_int_equal(parse(&cfg, "name: [unclosed\n"), OF_EINVALID);
	assert_int_equal(of_error_last()->line > 0, 1);
	/* Anchors bomb: aliases are refused outright. */
	assert_int_equal(parse(&cfg, "a: &a [x, x]\nb: &b [*a, *a]\n"), OF_EINVALID);
	assert_int_equal(parse(&cfg, "name: &n x\ntheme: *n\n"), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "alias"));
	/* Empty file is a valid empty config. */
	assert_int_equal(parse(&cfg, ""), 0);
	assert_null(of_config_str(cfg, "name", NULL));
	of_config_free(cfg);
}

static void expect_bad(const char *yaml, unsigned long line, unsigned long col, const char *needle)
{
	of_config *cfg = NULL;
	assert_int_equal(parse(&cfg, yaml), OF_EINVALID);
	assert_null(cfg);
	assert_string_equal(of_error_last()->path, "onefish.yaml");
	assert_int_equal(of_error_last()->line, line);
	assert_int_equal(of_error_last()->col, col);
	if (!strstr(of_error_last()->message, needle))
		fail_msg("'%s' lacks '%s'", of_error_last()->message, needle);
}

static void expect_ok(const char *yaml)
{
	of_config *cfg = NULL;
	if (parse(&cfg, yaml) != 0)
		fail_msg("refused %s: %s", yaml, of_error_last()->message);
	of_config_free(cfg);
}

/* Weeks and times are checked where the config is read, not later by a stage. */
static void test_config__weeks_and_times_are_real(void **state)
{
	(void)state;
	expect_ok("week: 2026-W47\n");
	expect_ok("week: 2026-W53\n"); /* 2026 starts on a Thursday: 53 weeks */
	expect_ok("week: 2020-W53\n");
	expect_bad("name: x\nweek: 2026-W57\n", 2, 1, "2026 has ISO weeks 1..53");
	expect_bad("week: 2025-W53\n", 1, 1, "2025 has ISO weeks 1..52");
	expect_bad("week: 2026-W00\n", 1, 1, "ISO weeks 1..53");
	expect_bad("week: 2026-47\n", 1, 1, "must be an ISO week like 2026-W47");
	expect_bad("week: W47\n", 1, 1, "must be an ISO week");
	expect_ok("live:\n  time: 2026-11-26T20:00:00+08:00\n");
	expect_ok("live:\n  time: 2028-02-29 20:00\n");
	expect_ok("since: 2026-11-16\nuntil: 2026-11-23T00:00Z\n");
	expect_bad("live:\n  title: x\n  time: 2026-11-31T20:00:00+08:00\n", 3, 3, "2026-11 has no day 31 (it has 30 days)");
	expect_bad("live:\n  time: 2026-02-29\n", 2, 3, "2026-02 has no day 29 (it has 28 days)");
	expect_bad("live:\n  time: 2026-11-26T24:00\n", 2, 3, "must be a real date or date-time");
	expect_bad("live:\n  time: 2026-13-01\n", 2, 3, "must be a real date or date-time");
	expect_bad("live:\n  time: next thursday\n", 2, 3, "got 'next thursday'");
	expect_bad("since: 2026-11-16T09:75\n", 1, 1, "'since' must be a real date");
	expect_bad("until: 2026-04-31\n", 1, 1, "2026-04 has no day 31");
}

/* A URL that ends up in an <img src> other people's editors fetch. */
/* Values written into the WeChat CSS and the video's cards: a colour is #RRGGBB, the end card's
 * texts fit what the video accepts (check fails on them, not the video stage after the article). */
static void test_config__colours_and_card_lengths(void **state)
{
	(void)state;
	expect_bad("brand:\n  color: \"#E8734\"\n", 2, 3, "must be a colour #RRGGBB, got '#E8734'");
	expect_bad("brand:\n  color: red\n", 2, 3, "must be a colour #RRGGBB");
	/* values valid alone but not together, and the theme names `check` must know */
	expect_bad("article:\n  min_chars: 600\n  max_chars: 300\n", 3, 3,
		   "'article.min_chars' (600) must not exceed 'article.max_chars' (300)");
	expect_bad("article:\n  min_chars: 1600\n", 2, 3, "(the default of the other)");
	expect_bad("theme: bogus\n", 1, 1, "'theme' must be one of warm|fresh|minimal, got 'bogus'");
	char big[1024] = "live:\n  title: ";
	for (int i = 0; i < 121; i++)
		strcat(big, "宝");
	strcat(big, "\n");
	expect_bad(big, 2, 3, "'live.title' is 121 characters, at most 120 allowed");
	of_config *cfg = NULL;
	static const char ok[] = "brand:\n  color: \"#e8734A\"\nlive:\n  title: 宝宝辅食添加全攻略\n";
	assert_int_equal(of_config_parse(&cfg, ok, sizeof ok - 1, "t.yaml"), 0);
	of_config_free(cfg);
}

static void test_config__urls_are_plain_http(void **state)
{
	(void)state;
	expect_ok("article:\n  image_base_url: https://cdn.example.com/w47/\n");
	expect_ok("article:\n  image_base_url: http://oss.example.cn:8080/a/b?x=1\n");
	expect_bad("article:\n  image_base_url: javascript:alert(1)\n", 2, 3, "must be an http(s) URL");
	expect_bad("article:\n  image_base_url: file:///home/me/images\n", 2, 3, "must be an http(s) URL");
	expect_bad("article:\n  image_base_url: https://\n", 2, 3, "must be an http(s) URL");
	expect_bad("article:\n  image_base_url: https:///path\n", 2, 3, "must be an http(s) URL");
	expect_bad("article:\n  image_base_url: \"https://a.cn/x y\"\n", 2, 3, "got 'https://a.cn/x y'");
	expect_bad("article:\n  image_base_url: \"https://a.cn/\\\"><script>\"\n", 2, 3, "must be an http(s) URL");
	expect_bad("article:\n  image_base_url: images/\n", 2, 3, "must be an http(s) URL");
}

static void test_config__edit_distance(void **state)
{
	(void)state;
	assert_int_equal(of_config_edit_distance("widht", "width"), 1); /* a swap is one edit */
	assert_int_equal(of_config_edit_distance("vidoe", "video"), 1);
	assert_int_equal(of_config_edit_distance("ab", "ba"), 1);
	assert_int_equal(of_config_edit_distance("abc", "ca"), 3);
	assert_int_equal(of_config_edit_distance("", "abc"), 3);
	assert_int_equal(of_config_edit_distance("直播", "直播间"), 1);
}

static void test_config__example_pack_is_valid(void **state)
{
	of_config *cfg;
	char path[4096];
	(void)state;
	const char *root = getenv("ONEFISH_ROOT");
	snprintf(path, sizeof path, "%s/examples/week-2026-47/onefish.yaml", root ? root : ".");
	assert_int_equal(of_config_load(&cfg, path), 0);
	assert_non_null(of_config_str(cfg, "live.title", NULL));
	of_config_free(cfg);
}

/* A path key is relative to the config file's folder, whatever the current directory
 * (`cd elsewhere && onefish video /tmp/x/script.json` read video.music from elsewhere). */
static void test_config__paths_are_relative_to_its_folder(void **state)
{
	of_config *cfg;
	char dir[300], yaml[400], want[400], *p = NULL;
	(void)state;
	snprintf(dir, sizeof dir, "%s", of_test_tmpdir());
	snprintf(yaml, sizeof yaml, "%s/onefish.yaml", dir);
	snprintf(want, sizeof want, "%s/silence.wav", dir);
	of_test_write(yaml, "video:\n  music: silence.wav\n", strlen("video:\n  music: silence.wav\n"));
	of_test_write(want, "RIFF", 4);
	assert_int_equal(chdir("/"), 0);
	assert_int_equal(of_config_load(&cfg, yaml), 0);
	assert_int_equal(of_config_path(&p, cfg, "video.music"), 0);
	assert_non_null(p);
	assert_string_equal(p, want);
	free(p);
	p = (char *)1;
	assert_int_equal(of_config_path(&p, cfg, "brand.logo"), 0); /* unset */
	assert_null(p);
	of_config_free(cfg);
	/* a missing file is the caller's to report, by the path tried */
	of_test_write(yaml, "video:\n  music: gone.wav\n", strlen("video:\n  music: gone.wav\n"));
	assert_int_equal(of_config_load(&cfg, yaml), 0);
	assert_int_equal(of_config_path(&p, cfg, "video.music"), 0);
	assert_non_null(strstr(p, "/gone.wav"));
	assert_true(strncmp(p, dir, strlen(dir)) == 0);
	free(p);
	of_config_free(cfg);
	/* out of the pack folder: refused with the config line, as `run` refuses it */
	of_test_write(yaml, "voice:\n  engine: none\nvideo:\n  music: /etc/passwd\n",
		      strlen("voice:\n  engine: none\nvideo:\n  music: /etc/passwd\n"));
	assert_int_equal(of_config_load(&cfg, yaml), 0);
	assert_int_equal(of_config_path(&p, cfg, "video.music"), OF_EINVALID);
	assert_null(p);
	assert_int_equal(of_error_last()->line, 4);
	assert_non_null(strstr(of_error_last()->message, "inside the pack folder"));
	of_config_free(cfg);
	of_test_rmtree(dir);
}

/* Every bad key and value of a file is named, each at its line, in file order;
 * the error then says how many. A list or section under a bad key is passed
 * over whole (its keys are not reported as top-level ones). */
static char g_logged[2048];

static void logged(const of_log_record *r, void *payload)
{
	(void)payload;
	size_t l = strlen(g_logged);
	snprintf(g_logged + l, sizeof g_logged - l, "%s:%lu:%lu: %s%s\n", r->path ? r->path : "-", r->line, r->col,
		 r->level == OF_LOG_ERROR ? "error: " : "", r->message);
}

static void test_config__reports_every_error(void **state)
{
	of_config *cfg;
	(void)state;
	g_logged[0] = 0;
	of_log_set_handler(logged, NULL);
	assert_int_equal(parse(&cfg, "name: x\nweek: 2026-W54\nvidoe:\n  preset: a\n  fps: 3\nvideo:\n  widht: 1080\n"
				     "  crf: 99\ncomments: {a: b}\ntheme: warm\n"),
			 OF_EINVALID);
	assert_string_equal(of_error_last()->message, "5 errors in the config (each is named above)");
	assert_string_equal(of_error_last()->path, "onefish.yaml");
	assert_string_equal(g_logged,
			    "onefish.yaml:2:1: error: 'week' is '2026-W54', but 2026 has ISO weeks 1..53\n"
			    "onefish.yaml:3:1: error: unknown section 'vidoe' (did you mean 'video'?)\n"
			    "onefish.yaml:7:3: error: unknown key 'video.widht' (did you mean 'video.preset'? it sets the "
			    "frame size: vertical, landscape or square)\n"
			    "onefish.yaml:8:3: error: 'video.crf' is 99, outside 0..51\n"
			    "onefish.yaml:9:1: error: 'comments' takes a value, not a section\n");
	/* a bad value is not checked again with its neighbour: one error, as it was */
	g_logged[0] = 0;
	assert_int_equal(parse(&cfg, "article:\n  min_chars: 800\n  max_chars: -1\n"), OF_EINVALID);
	assert_string_equal(of_error_last()->message, "'article.max_chars' is -1, outside 100..50000");
	assert_string_equal(g_logged, "");
	/* a section nested past the limit under a bad key stops the reading, at its place */
	char deep[4096] = "vidoe: ";
	for (int i = 0; i < 500; i++)
		strcat(deep, "{a: ");
	assert_int_equal(parse(&cfg, deep), OF_EINVALID);
	assert_string_equal(of_error_last()->message, "nesting too deep");
	assert_non_null(strstr(g_logged, "unknown section 'vidoe'"));
	of_log_set_handler(NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config__reads_values),
		cmocka_unit_test(test_config__unknown_key_suggests),
		cmocka_unit_test(test_config__suggests_sections_lists_and_other_sections),
		cmocka_unit_test(test_config__types_ranges_and_hostile),
		cmocka_unit_test(test_config__weeks_and_times_are_real),
		cmocka_unit_test(test_config__colours_and_card_lengths),
		cmocka_unit_test(test_config__urls_are_plain_http),
		cmocka_unit_test(test_config__edit_distance),
		cmocka_unit_test(test_config__example_pack_is_valid),
		cmocka_unit_test(test_config__paths_are_relative_to_its_folder),
		cmocka_unit_test(test_config__reports_every_error),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
