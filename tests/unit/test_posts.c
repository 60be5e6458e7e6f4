/* test_posts.c — the post readers: JSONL, CSV, Markdown folder, HTML export,
 * and ISO 8601 times, with the bad inputs of issue 3. */
#include "testutil.h"

#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/post.h"
#include "ingest/html_img.h"
#include "ingest/posts_int.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Captures bad-record and warning lines as "path:line: message". */
static char g_log[16384];

static void capture(const of_log_record *r, void *payload)
{
	char line[1200];
	(void)payload;
	if (r->event != OF_EV_BAD_RECORD && r->level < OF_LOG_WARN)
		return;
	snprintf(line, sizeof line, "%s:%lu: %s\n", r->path ? r->path : "", r->line, r->message);
	size_t have = strlen(g_log), add = strlen(line);
	if (have + add < sizeof g_log)
		memcpy(g_log + have, line, add + 1);
}

static int setup(void **state)
{
	(void)state;
	g_log[0] = 0;
	of_log_set_handler(capture, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	of_log_set_handler(NULL, NULL);
	return 0;
}

static int parse_jsonl(of_posts *p, const char *data, int strict, of_posts_read_stats *st)
{
	of_posts_read_options o = OF_POSTS_READ_OPTIONS_INIT;
	o.strict = strict;
	return of_posts_parse_jsonl(p, data, strlen(data), "posts.jsonl", ".", &o, st);
}

static void test_posts__jsonl_good_with_bom_crlf_blank(void **state)
{
	of_posts p;
	of_posts_read_stats st = {0};
	(void)state;
	of_posts_init(&p);
	const char *data = "\xEF\xBB\xBF{\"id\":\"a\",\"time\":\"2026-11-16T09:30:00+08:00\",\"text\":\"你好\",\"likes\":3,"
			   "\"images\":[\"i.jpg\"],\"tags\":[\"育儿\"],\"comments\":[{\"user\":\"u\",\"text\":\"t\"}]}\r\n"
			   "\r\n   \n"
			   "{\"id\":7,\"text\":\"第二条\"}\n";
	assert_int_equal(parse_jsonl(&p, data, 0, &st), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(st.records, 2);
	assert_int_equal(st.bad, 0);
	assert_string_equal(p.items[0].id, "a");
	assert_string_equal(p.items[0].text, "你好");
	assert_int_equal(p.items[0].likes, 3);
	assert_int_equal(p.items[0].n_images, 1);
	assert_int_equal(p.items[0].n_tags, 1);
	assert_int_equal(p.items[0].n_comments, 1);
	assert_true(p.items[0].has_time);
	assert_int_equal(p.items[0].epoch, 1794792600LL);
	assert_string_equal(p.items[1].id, "7");
	assert_int_equal(p.items[1].line, 4);
	of_posts_free(&p);
}

static void test_posts__jsonl_broken_line_between_good_ones(void **state)
{
	of_posts p;
	of_posts_read_stats st = {0};
	char msg[512];
	(void)state;
	const char *data = "{\"id\":\"a\",\"text\":\"一\"}\n{\"id\":\"b\",\"text\": oops}\n{\"id\":\"c\",\"text\":\"三\"}\n";
	of_posts_init(&p);
	assert_int_equal(parse_jsonl(&p, data, 0, &st), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(st.bad, 1);
	assert_non_null(strstr(g_log, "posts.jsonl:2:"));
	of_posts_free(&p);
	of_posts_init(&p);
	assert_int_equal(parse_jsonl(&p, data, 1, NULL), OF_EINVALID);
	of_error_format(of_error_last(), msg, sizeof msg);
	assert_true(strncmp(msg, "posts.jsonl:2:", 14) == 0);
	of_posts_free(&p);
}

static void test_posts__jsonl_invalid_utf8_line(void **state)
{
	of_posts p;
	of_posts_read_stats st = {0};
	(void)state;
	of_posts_init(&p);
	assert_int_equal(parse_jsonl(&p, "{\"id\":\"a\",\"text\":\"ok\"}\n{\"id\":\"b\",\"text\":\"\xC3\x28\"}\n", 0, &st), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(st.bad, 1);
	assert_non_null(strstr(g_log, "posts.jsonl:2: invalid UTF-8"));
	of_posts_free(&p);
}

static void test_posts__jsonl_u2028_does_not_split(void **state)
{
	of_posts p;
	(void)state;
	of_posts_init(&p);
	assert_int_equal(parse_jsonl(&p, "{\"id\":\"a\",\"text\":\"上一行\xE2\x80\xA8下一行\"}\n", 0, NULL), 0);
	assert_int_equal(p.n, 1);
	assert_non_null(strstr(p.items[0].text, "\xE2\x80\xA8"));
	of_posts_free(&p);
}

static void test_posts__jsonl_duplicate_ids(void **state)
{
	of_posts p;
	of_posts_read_stats st = {0};
	(void)state;
	of_posts_init(&p);
	assert_int_equal(parse_jsonl(&p, "{\"id\":\"a\",\"text\":\"一\"}\n{\"id\":\"a\",\"text\":\"二\"}\n", 0, &st), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.items[0].text, "一");
	assert_int_equal(st.bad, 1);
	assert_non_null(strstr(g_log, "posts.jsonl:2: duplicate id 'a' (first at posts.jsonl:1)"));
	of_posts_free(&p);
	of_posts_init(&p);
	assert_int_equal(parse_jsonl(&p, "{\"id\":\"a\",\"text\":\"一\"}\n{\"id\":\"a\",\"text\":\"二\"}\n", 1, NULL), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 2);
	of_posts_free(&p);
}

static void test_posts__jsonl_5mb_post_is_capped(void **state)
{
	of_posts p;
	of_posts_read_stats st = {0};
	size_t n = 5 * 1024 * 1024;
	char *data = malloc(n + 64);
	(void)state;
	assert_non_null(data);
	size_t k = (size_t)snprintf(data, 64, "{\"id\":\"big\",\"text\":\"");
	memset(data + k, 'a', n);
	memcpy(data + k + n, "\"}\n{\"id\":\"s\",\"text\":\"小\"}\n", 27);
	of_posts_init(&p);
	assert_int_equal(parse_jsonl(&p, data, 0, &st), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(st.bad, 1);
	assert_non_null(strstr(g_log, "over the 1048576-byte limit"));
	of_posts_free(&p);
	of_posts_init(&p);
	assert_int_equal(parse_jsonl(&p, data, 1, NULL), OF_ELIMIT);
	assert_int_equal(of_error_last()->line, 1);
	of_posts_free(&p);
	free(data);
}

static void test_posts__jsonl_empty_and_emoji_only(void **state)
{
	of_posts p;
	of_posts_read_stats st = {0};
	(void)state;
	of_posts_init(&p);
	assert_int_equal(parse_jsonl(&p, "", 0, &st), 0);
	assert_int_equal(p.n, 0);
	assert_int_equal(st.records, 0);
	/* emoji-only text is a valid record; the article stage decides it has no prose */
	assert_int_equal(parse_jsonl(&p, "{\"id\":\"e\",\"text\":\"\xF0\x9F\x8E\x89\xF0\x9F\x8E\x89\"}\n", 0, &st), 0);
	assert_int_equal(p.n, 1);
	/* no text and no images is a bad record */
	assert_int_equal(parse_jsonl(&p, "{\"id\":\"x\"}\n", 0, &st), 0);
	assert_int_equal(st.bad, 1);
	of_posts_free(&p);
}

static void test_posts__future_and_unparsable_time_warn(void **state)
{
	of_posts p;
	of_posts_read_options o = OF_POSTS_READ_OPTIONS_INIT;
	const char *data = "{\"id\":\"f\",\"time\":\"2099-01-01T00:00:00Z\",\"text\":\"未来\"}\n"
			   "{\"id\":\"u\",\"time\":\"下周二\",\"text\":\"看不懂\"}\n";
	(void)state;
	o.now = 1794792600LL;
	of_posts_init(&p);
	assert_int_equal(of_posts_parse_jsonl(&p, data, strlen(data), "t.jsonl", ".", &o, NULL), 0);
	assert_int_equal(p.n, 2);
	assert_true(p.items[0].has_time);
	assert_false(p.items[1].has_time);
	assert_non_null(strstr(g_log, "t.jsonl:1: post 'f': time 2099-01-01T00:00:00Z is in the future"));
	assert_non_null(strstr(g_log, "t.jsonl:2: post 'u': cannot read time '下周二' (expected"));
	of_posts_free(&p);
}

static void test_posts__time_and_week(void **state)
{
	long long t, a, b;
	int off;
	(void)state;
	assert_int_equal(of_post_parse_time("2026-11-16T09:30:00+08:00", &t, &off), 0);
	assert_int_equal(t, 1794792600LL);
	assert_int_equal(off, 480);
	assert_int_equal(of_post_parse_time("2026-11-16T01:30:00Z", &t, NULL), 0);
	assert_int_equal(t, 1794792600LL);
	assert_int_equal(of_post_parse_time("2026-11-16 09:30", &t, NULL), 0); /* no zone: UTC+8 */
	assert_int_equal(t, 1794792600LL);
	assert_int_equal(of_post_parse_time("2026-11-16", &t, NULL), 0);
	assert_int_equal(of_post_parse_time("2026-02-30", &t, NULL), OF_EINVALID);
	/* a spreadsheet's form: slashes, one-digit fields; the same instant as ISO */
	long long iso;
	assert_int_equal(of_post_parse_time("2026-11-08 07:05", &iso, NULL), 0);
	assert_int_equal(of_post_parse_time("2026/11/8 7:05", &t, NULL), 0);
	assert_true(t == iso);
	assert_int_equal(of_post_parse_time("2026/11/08 07:05:00", &t, NULL), 0);
	assert_true(t == iso);
	assert_int_equal(of_post_parse_time("2026/11-08", &t, NULL), OF_EINVALID);
	assert_int_equal(of_post_parse_time("2026/11/08T07:05", &t, NULL), OF_EINVALID);
	assert_int_equal(of_post_parse_time("2026-11-8", &t, NULL), OF_EINVALID);
	/* a one-digit hour after a space, and the Chinese date form WPS writes */
	assert_int_equal(of_post_parse_time("2026-11-08 7:05", &t, NULL), 0);
	assert_true(t == iso);
	assert_int_equal(of_post_parse_time("2026年11月8日 7:05", &t, NULL), 0);
	assert_true(t == iso);
	assert_int_equal(of_post_parse_time("2026年11月8日7:05", &t, NULL), 0);
	assert_true(t == iso);
	assert_int_equal(of_post_parse_time("2026-11-08T7:05", &t, NULL), OF_EINVALID);
	assert_int_equal(of_post_parse_time("2026年13月8日", &t, NULL), OF_EINVALID);
	assert_string_equal(of_post_time_problem("2026-11-31 08:00"), "2026-11 has no day 31");
	assert_string_equal(of_post_time_problem("2026-12-31T25:00:00+08:00"), "25:00 is not a time of day");
	assert_string_equal(of_post_time_problem("2026/13/01"), "there is no month 13");
	assert_int_equal(of_post_parse_time("2026-11-16T25:00", &t, NULL), OF_EINVALID);
	assert_int_equal(of_post_parse_time("yesterday", &t, NULL), OF_EINVALID);
	assert_int_equal(of_post_parse_iso_week("2026-W47", &a, &b), 0);
	assert_int_equal(of_post_parse_time("2026-11-16", &t, NULL), 0);
	assert_int_equal(a, t); /* Monday 16 November 2026, 00:00 +08:00 */
	assert_int_equal(b - a, 7 * 86400);
	assert_int_equal(of_post_parse_iso_week("2025-W53", &a, &b), OF_EINVALID); /* 2025 has 52 weeks */
	assert_int_equal(of_post_parse_iso_week("2026-W53", &a, &b), 0);          /* 2026 starts on a Thursday: 53 */
	assert_int_equal(of_post_parse_iso_week("2020-W53", &a, &b), 0);
	assert_int_equal(of_post_parse_iso_week("2026-47", &a, &b), OF_EINVALID);
}

static int parse_csv(of_posts *p, const char *data, size_t len, int strict, of_posts_read_stats *st)
{
	of_posts_read_options o = OF_POSTS_READ_OPTIONS_INIT;
	o.strict = strict;
	return of_posts_parse_csv(p, data, len, "posts.csv", ".", &o, st);
}

static void test_posts__csv_quoted_field_spanning_lines(void **state)
{
	of_posts p;
	of_posts_read_stats st = {0};
	const char *data = "\xEF\xBB\xBFid,time,text,images,likes,tags\r\n"
			   "p1,2026-11-16T09:30:00+08:00,\"第一行，\r\n第二行说\"\"你好\"\"\",a.jpg;b.jpg,12,育儿;米粉\r\n"
			   "p2,,简单一条,,,\r\n";
	(void)state;
	of_posts_init(&p);
	assert_int_equal(parse_csv(&p, data, strlen(data), 0, &st), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.items[0].text, "第一行，\n第二行说\"你好\"");
	assert_int_equal(p.items[0].n_images, 2);
	assert_string_equal(p.items[0].images[1], "b.jpg");
	assert_int_equal(p.items[0].n_tags, 2);
	assert_int_equal(p.items[0].likes, 12);
	assert_int_equal(p.items[1].line, 4); /* the record after a two-line one */
	of_posts_free(&p);
	/* separators are whole characters: 包 and 面 share bytes with "，" and must not split */
	const char *tags = "id,time,text,images,tags\np1,2026/11/18 7:30,全麦欧包上新了。,a.jpg；b.jpg,欧包;面包、新品，全麦\n";
	of_posts_init(&p);
	assert_int_equal(parse_csv(&p, tags, strlen(tags), 0, &st), 0);
	assert_int_equal(p.items[0].n_tags, 4);
	assert_string_equal(p.items[0].tags[0], "欧包");
	assert_string_equal(p.items[0].tags[1], "面包");
	assert_string_equal(p.items[0].tags[3], "全麦");
	assert_int_equal(p.items[0].n_images, 2);
	assert_string_equal(p.items[0].images[1], "b.jpg");
	of_posts_free(&p);
	/* a Chinese team's headers, padded; no id column: rows are named by their line */
	const char *zh = "ID , 时间,内容,图片,点赞\nb1,2026/11/18 7:30,周三早上烤了全麦欧包。,a.jpg,12\n";
	of_posts_init(&p);
	assert_int_equal(parse_csv(&p, zh, strlen(zh), 0, &st), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.items[0].id, "b1");
	assert_true(p.items[0].has_time);
	assert_string_equal(p.items[0].text, "周三早上烤了全麦欧包。");
	assert_int_equal(p.items[0].likes, 12);
	of_posts_free(&p);
	/* counts as spreadsheets write them, and their empty rows */
	const char *counts = "id,text,likes\na,全麦欧包上新了。,\" 1,234 \"\nb,肉桂卷出炉了。,12.0\n,,\nc,可颂今天半价。,1.2万\nd,司康饼。,12.5\n";
	of_posts_init(&p);
	of_posts_read_stats cst = {0};
	assert_int_equal(parse_csv(&p, counts, strlen(counts), 0, &cst), 0);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.items[0].likes, 1234);
	assert_int_equal(p.items[1].likes, 12);
	assert_int_equal(p.items[2].likes, 12000);
	assert_int_equal(cst.bad, 1); /* 12.5 is no count; the empty row is no record */
	assert_int_equal(cst.records, 4);
	of_posts_free(&p);
	/* Excel's "Unicode text": UTF-16 with a BOM, tab-separated, CRLF */
	static const char u16[] = "\xFF\xFE" "i\0d\0\t\0t\0e\0x\0t\0\r\0\n\0" "a\0\t\0\x68\x54\x68\x54\r\0\n\0";
	of_posts_init(&p);
	assert_int_equal(parse_csv(&p, u16, sizeof u16 - 1, 0, &st), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.items[0].id, "a");
	assert_string_equal(p.items[0].text, "周周"); /* U+5468 twice */
	of_posts_free(&p);
	const char *noid = "时间,正文\n2026-11-18 08:00,周三早上烤了全麦欧包。\n";
	of_posts_init(&p);
	assert_int_equal(parse_csv(&p, noid, strlen(noid), 0, &st), 0);
	assert_string_equal(p.items[0].id, "row-2");
	of_posts_free(&p);
	const char *notext = "id,time,标题\np1,2026-11-18 08:00,周三\n";
	of_posts_init(&p);
	assert_int_equal(parse_csv(&p, notext, strlen(notext), 0, &st), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "no text column"));
	of_posts_free(&p);
}

static void test_posts__csv_unterminated_quote_names_its_line(void **state)
{
	of_posts p;
	const char *data = "id,text\np1,好的\np2,\"没有结束\np3,第三条\n";
	(void)state;
	of_posts_init(&p);
	assert_int_equal(parse_csv(&p, data, strlen(data), 1, NULL), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 3);
	assert_non_null(strstr(of_error_last()->message, "unterminated"));
	of_posts_free(&p);
}

/* Two columns of one name (QA: the second 'text' silently won): the file is refused, naming both. */
static void test_posts__csv_duplicate_column(void **state)
{
	of_posts p;
	const char *data = "id,text,TEXT\np1,第一列,第二列\n";
	(void)state;
	of_posts_init(&p);
	assert_int_equal(parse_csv(&p, data, strlen(data), 1, NULL), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 1);
	assert_non_null(strstr(of_error_last()->message, "names 'text' twice (columns 2 and 3)"));
	of_posts_free(&p);
}

/* SAFE-INPUT row 22: a quote opened at line 10 of a 10,000-line file is one bad
 * record named at line 10; the 9,998 other rows are still read. */
static void test_posts__csv_unterminated_quote_loses_nothing_else(void **state)
{
	of_posts p;
	of_posts_read_stats st = {0};
	size_t cap = 10000 * 40, n = 0;
	char *data = malloc(cap);
	(void)state;
	assert_non_null(data);
	n += (size_t)snprintf(data + n, cap - n, "id,text\n");
	for (int k = 2; k <= 10000; k++)
		n += (size_t)snprintf(data + n, cap - n, k == 10 ? "p%d,\"坏的引号\n" : "p%d,第%d条帖子。\n", k, k);
	of_posts_init(&p);
	assert_int_equal(parse_csv(&p, data, n, 0, &st), 0);
	assert_int_equal(p.n, 9998);
	assert_int_equal(st.bad, 1);
	assert_string_equal(p.items[8].id, "p11");
	of_posts_free(&p);
	of_posts_init(&p);
	assert_int_equal(parse_csv(&p, data, n, 1, NULL), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 10);
	of_posts_free(&p);
	free(data);
}

static void test_posts__csv_gb18030(void **state)
{
	of_posts p;
	const char *utf8 = "id,text,likes\nq1,宝宝辅食添加顺序，一次说清楚。,5\n";
	char gb[256], *in = (char *)utf8, *out = gb;
	size_t in_left = strlen(utf8), out_left = sizeof gb;
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	(void)state;
	assert_true(cd != (iconv_t)-1);
	assert_true(iconv(cd, &in, &in_left, &out, &out_left) != (size_t)-1);
	iconv_close(cd);
	of_posts_init(&p);
	assert_int_equal(parse_csv(&p, gb, sizeof gb - out_left, 0, NULL), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.items[0].text, "宝宝辅食添加顺序，一次说清楚。");
	of_posts_free(&p);
}

/* A UTF-8 file with one stray byte (0xFF, a NUL) is neither UTF-8 nor GB18030:
 * it is read as UTF-8, the byte replaced by U+FFFD, every post kept (it used to
 * refuse the whole file at the wrong line). */
static void test_posts__csv_stray_byte(void **state)
{
	static const char csv[] = "id,text\na,宝宝第一次吃米粉。\nb,辅食添加\xFF的顺序。\nc,米粉\0冲好后要尽快吃完。\n";
	of_posts p;
	(void)state;
	of_posts_init(&p);
	assert_int_equal(parse_csv(&p, csv, sizeof csv - 1, 0, NULL), 0);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.items[1].text, "辅食添加\xEF\xBF\xBD的顺序。");
	assert_int_equal(p.items[1].line, 3);
	assert_string_equal(p.items[2].text, "米粉\xEF\xBF\xBD冲好后要尽快吃完。");
	of_posts_free(&p);
}

static void test_posts__markdown_folder(void **state)
{
	of_posts p;
	of_posts_read_stats st = {0};
	char path[512];
	const char *dir = of_test_tmpdir();
	(void)state;
	snprintf(path, sizeof path, "%s/b-post.md", dir);
	const char *b = "---\nid: m2\ntime: 2026-11-17T08:00:00+08:00\ntags: [米粉, 用户故事]\nlikes: 9\n---\n"
			"朵朵八个月，**换了米粉**一周。\n\n![图](images/m2.jpg)\n";
	of_test_write(path, b, strlen(b));
	snprintf(path, sizeof path, "%s/a-post.md", dir);
	const char *a = "没有 front matter 的一条，也可以。\n";
	of_test_write(path, a, strlen(a));
	snprintf(path, sizeof path, "%s/c-bad.md", dir);
	const char *c = "---\nid: [unclosed\n---\n正文\n";
	of_test_write(path, c, strlen(c));
	of_posts_init(&p);
	assert_int_equal(of_posts_load(&p, dir, NULL, &st), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.items[0].id, "a-post"); /* files in name order; id from the file name */
	assert_string_equal(p.items[1].id, "m2");
	assert_non_null(strstr(p.items[1].text, "换了米粉"));
	assert_null(strstr(p.items[1].text, "**"));
	assert_int_equal(p.items[1].n_images, 1);
	assert_string_equal(p.items[1].images[0], "images/m2.jpg");
	/* the body image's own line, for messages about it (line 9 of the file) */
	assert_non_null(p.items[1].image_lines);
	assert_int_equal(p.items[1].image_lines[0], 9);
	assert_null(p.items[0].image_lines);
	/* lines and numbered lists come through as in the other formats; markup does not */
	of_posts q;
	of_posts_read_stats qs = {0};
	const char *lst = "本周新品如下：\n\n1. 抹茶红豆卷\n2. 海盐奶盖戚风\n\n第一行\n第二行<br>第三行 <span>好</span>\n";
	of_posts_init(&q);
	assert_int_equal(of_posts_parse_markdown(&q, lst, strlen(lst), "l.md", ".", NULL, &qs), 0);
	assert_non_null(strstr(q.items[0].text, "1. 抹茶红豆卷\n"));
	assert_non_null(strstr(q.items[0].text, "2. 海盐奶盖戚风\n"));
	assert_non_null(strstr(q.items[0].text, "第一行\n第二行\n第三行"));
	assert_null(strstr(q.items[0].text, "<"));
	of_posts_free(&q);
	assert_int_equal(p.items[1].n_tags, 2);
	assert_int_equal(p.items[1].likes, 9);
	assert_int_equal(st.bad, 1);
	assert_non_null(strstr(g_log, "c-bad.md:"));
	of_posts_free(&p);
	of_test_rmtree(dir);
}

/* A Markdown post saved as GBK (Notepad, WPS) is read as GB18030, like a CSV;
 * bytes that are neither are a bad record naming the encoding, not "no usable text". */
static void test_posts__markdown_gbk(void **state)
{
	of_posts p;
	of_posts_read_stats st = {0};
	(void)state;
	/* 宝宝吃米粉 in GBK */
	const char gbk[] = "---\nid: g\n---\n\xB1\xA6\xB1\xA6\xB3\xD4\xC3\xD7\xB7\xDB\n";
	const char junk[] = "---\nid: z\n---\n\xFF\xFE\xFD\x80\n";
	of_posts_init(&p);
	assert_int_equal(of_posts_parse_markdown(&p, gbk, sizeof gbk - 1, "g.md", ".", NULL, &st), 0);
	assert_int_equal(p.n, 1);
	assert_non_null(strstr(p.items[0].text, "宝宝吃米粉"));
	assert_int_equal(of_posts_parse_markdown(&p, junk, sizeof junk - 1, "z.md", ".", NULL, &st), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(st.records, 2);
	assert_int_equal(st.bad, 1);
	assert_non_null(strstr(g_log, "z.md:1: not UTF-8 text (nor GB18030)"));
	of_posts_free(&p);
}

/* Front matter problems name the line they are on (libyaml's marks): a bad time its `time:` line,
 * broken YAML the parser's reason and place, a bad likes its line (QA: all were line 1, or no reason). */
static void test_posts__markdown_front_matter_lines(void **state)
{
	of_posts p;
	of_posts_read_stats st = {0};
	(void)state;
	const char *t = "---\nid: s3\ntime: 2026-11-18 25:00\nauthor: a\n---\n面膜不是敷得越多越好。\n";
	const char *y = "---\nid: s7\ntime: 2026-11-31T10:00\ntags: [a, b\n---\n正文\n";
	const char *l = "---\nid: s8\n\nlikes: abc\n---\n正文正文\n";
	of_posts_init(&p);
	assert_int_equal(of_posts_parse_markdown(&p, t, strlen(t), "s3.md", ".", NULL, &st), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.items[0].time_line, 3);
	assert_non_null(strstr(g_log, "s3.md:3: post 's3': cannot read time '2026-11-18 25:00'"));
	assert_int_equal(of_posts_parse_markdown(&p, y, strlen(y), "s7.md", ".", NULL, &st), 0);
	assert_non_null(strstr(g_log, "s7.md:5: front matter is not valid YAML: did not find expected ',' or ']' "
				      "(while parsing a flow sequence started at line 4)"));
	assert_int_equal(of_posts_parse_markdown(&p, l, strlen(l), "s8.md", ".", NULL, &st), 0);
	assert_non_null(strstr(g_log, "s8.md:4: likes is not a whole number"));
	assert_int_equal(p.n, 1);
	assert_int_equal(st.bad, 2);
	of_posts_free(&p);
}

static void test_posts__html_export(void **state)
{
	of_posts p;
	const char *html =
		"<!DOCTYPE html><html><body><h1>导出</h1>\n"
		"<div class=\"post moments\" data-id=\"h1\" data-time=\"2026-11-16T09:30:00+08:00\" data-likes=\"12\">\n"
		"  <div class=\"text\">米粉上架啦！&lt;script&gt;alert(1)&lt;/script&gt;<br>第二行</div>\n"
		"  <script>var tracking = 1;</script>\n"
		"  <img src=\"images/h1.jpg\"><span class=\"tag\">#新品#</span>\n"
		"</div>\n"
		"<div class=\"post\" data-id=\"h2\"><p>第二条，没有 text 类。</p></div>\n"
		"</body></html>\n";
	(void)state;
	of_posts_init(&p);
	assert_int_equal(of_posts_parse_html(&p, html, strlen(html), "export.html", ".", NULL, NULL), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.items[0].id, "h1");
	assert_int_equal(p.items[0].likes, 12);
	assert_non_null(strstr(p.items[0].text, "<script>alert(1)</script>")); /* escaped text stays text */
	assert_null(strstr(p.items[0].text, "tracking"));                     /* real scripts are not prose */
	assert_int_equal(p.items[0].n_images, 1);
	assert_int_equal(p.items[0].n_tags, 1);
	assert_string_equal(p.items[0].tags[0], "新品");
	assert_int_equal(p.items[0].line, 2);
	assert_non_null(strstr(p.items[1].text, "第二条"));
	of_posts_free(&p);
	of_posts_init(&p);
	assert_int_equal(of_posts_parse_html(&p, "<html><body><p>x</p></body></html>", 34, "e.html", ".", NULL, NULL),
			 OF_EINVALID);
	of_posts_free(&p);
	/* a page saved as GBK: 全麦欧包 in GBK bytes, read as Chinese, not as replacement characters */
	static const char gbk[] = "<html><head><meta charset=gbk></head><body><div class=\"post\" data-id=\"g1\"><p>"
				  "\xC8\xAB\xC2\xF3\xC5\xB7\xB0\xFC</p></div></body></html>";
	of_posts_init(&p);
	assert_int_equal(of_posts_parse_html(&p, gbk, sizeof gbk - 1, "g.html", ".", NULL, NULL), 0);
	assert_non_null(strstr(p.items[0].text, "全麦欧包"));
	of_posts_free(&p);
}

/* Each <img> of an HTML post carries its own line (where libxml2 puts the element: the line
 * its start tag ends on), so a warning about a picture points at it, not at the post; past
 * line 65535, where libxml2 2.9.14's own line counter stops, the lines are still right. */
static void test_posts__html_image_lines(void **state)
{
	of_posts p;
	const char *html = "<html><body>\n"
			   "<div class=\"post\" data-id=\"a\"><p class=\"text\">第一条</p>\n"
			   "  <img src=\"images/a1.jpg\">\n"
			   "\n"
			   "  <p><img data-src=\"images/a2.jpg\" src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\"></p>\n"
			   "</div>\n"
			   "<div class=\"post\" data-id=\"b\"><img src=\"images/b1.jpg\"><img\n"
			   " src=\"images/b2.jpg\"></div>\n"
			   "</body></html>\n";
	(void)state;
	of_posts_init(&p);
	assert_int_equal(of_posts_parse_html(&p, html, strlen(html), "lines.html", ".", NULL, NULL), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.items[0].line, 2);
	assert_int_equal(p.items[0].n_images, 2);
	assert_non_null(p.items[0].image_lines);
	assert_int_equal(p.items[0].image_lines[0], 3);
	assert_int_equal(p.items[0].image_lines[1], 5);
	assert_int_equal(p.items[1].line, 7);
	assert_int_equal(p.items[1].image_lines[0], 7);
	assert_int_equal(p.items[1].image_lines[1], 8); /* a start tag over two lines: its end */
	of_posts_free(&p);

	/* 70,000 lines of text before the post */
	of_buf b;
	of_buf_init(&b, 1 << 20);
	of_buf_puts(&b, "<html><body><div class=\"intro\">\n");
	for (int i = 0; i < 70000; i++)
		of_buf_puts(&b, "x\n");
	of_buf_puts(&b, "</div>\n<div class=\"post\" data-id=\"late\"><p>第七万行</p>\n<img src=\"images/l.jpg\">\n"
			"<img\n src=\"images/m.jpg\">\n</div></body></html>\n");
	of_posts_init(&p);
	assert_int_equal(of_posts_parse_html(&p, of_buf_cstr(&b), of_buf_len(&b), "big.html", ".", NULL, NULL), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.items[0].line, 70003);
	assert_int_equal(p.items[0].n_images, 2);
	assert_int_equal(p.items[0].image_lines[0], 70004);
	assert_int_equal(p.items[0].image_lines[1], 70006);
	of_posts_free(&p);
	of_buf_free(&b);
}

/* srcset's largest candidate ("" when none is usable), or "LIMIT" when the attribute is over a cap. */
static const char *pick(const char *srcset)
{
	static char got[512];
	char *u = NULL;
	int rc = of_html_srcset_pick(&u, srcset, NULL);
	if (rc == OF_ELIMIT)
		return "LIMIT";
	assert_int_equal(rc, 0);
	snprintf(got, sizeof got, "%s", u ? u : "");
	free(u);
	return got;
}

static int skip_data(const char *url)
{
	return strncmp(url, "data:", 5) == 0;
}

/* The srcset microsyntax, by the HTML standard's parsing rules: the largest `w`, else the largest
 * `x` (none is 1x), else the first; commas inside URLs, trailing commas, parentheses, and bad
 * descriptors (dropped candidates) as a browser reads them; bounded in length and count. */
static void test_posts__srcset_pick(void **state)
{
	(void)state;
	assert_string_equal(pick("a-640.jpg 640w, a-1280.jpg 1280w, a-320.jpg 320w"), "a-1280.jpg");
	assert_string_equal(pick("a.jpg, a@2x.jpg 2x, a@1.5x.jpg 1.5x"), "a@2x.jpg");
	assert_string_equal(pick("first.jpg, second.jpg"), "first.jpg");
	assert_string_equal(pick("  \n\tonly.jpg  "), "only.jpg");
	assert_string_equal(pick("a.jpg 1x,b.jpg 2x"), "b.jpg");                 /* no space after the comma */
	assert_string_equal(pick("a.jpg,b.jpg 2x"), "a.jpg,b.jpg");              /* a comma inside a URL stays */
	assert_string_equal(pick("https://mmbiz.qpic.cn/a/640?wx_fmt=jpeg&tp=webp,1 640w, "
				 "https://mmbiz.qpic.cn/a/1080?x=1,2 1080w"),
			    "https://mmbiz.qpic.cn/a/1080?x=1,2");
	assert_string_equal(pick("a.jpg,, b.jpg 2x"), "b.jpg");                 /* commas ending a URL end it */
	assert_string_equal(pick("a.jpg 3x,"), "a.jpg");
	assert_string_equal(pick(",,, a.jpg"), "a.jpg");
	assert_string_equal(pick("a.jpg 100w, b.jpg 100w"), "a.jpg");           /* equals: the first */
	assert_string_equal(pick("a.jpg 3x, b.jpg 200w"), "b.jpg");             /* a width wins over densities */
	assert_string_equal(pick("a.jpg .5x, b.jpg 15e-1x, c.jpg 1.2x"), "b.jpg");
	assert_string_equal(pick("a.jpg 1e1x, b.jpg 9x"), "a.jpg");
	/* candidates a browser drops */
	assert_string_equal(pick("big.jpg 2000q, ok.jpg 300w"), "ok.jpg");
	assert_string_equal(pick("bad.jpg 0w, ok.jpg 10w"), "ok.jpg");
	assert_string_equal(pick("bad.jpg 1w 2x, ok.jpg 5w"), "ok.jpg");
	assert_string_equal(pick("bad.jpg 5000w 10w, ok.jpg 5w"), "ok.jpg");
	assert_string_equal(pick("bad.jpg -1x, ok.jpg 0.5x"), "ok.jpg");
	assert_string_equal(pick("bad.jpg 1.x, ok.jpg"), "ok.jpg");
	assert_string_equal(pick("bad.jpg +2x, ok.jpg"), "ok.jpg");
	assert_string_equal(pick("bad.jpg 2.5w, ok.jpg 1w"), "ok.jpg");
	assert_string_equal(pick("a.jpg 100w 50h, b.jpg 50h"), "a.jpg");        /* h needs a w */
	/* parentheses keep a comma in the descriptors: "more)" is no URL */
	assert_string_equal(pick("a.jpg 900w (junk, more), b.jpg 200w"), "b.jpg");
	assert_string_equal(pick(""), "");
	assert_string_equal(pick(" , ,\t"), "");
	assert_string_equal(pick("x.jpg 0q"), "");
	/* placeholders are passed over */
	char *u = NULL;
	assert_int_equal(of_html_srcset_pick(&u, "data:image/gif;base64,R0lGOD 4x, real.jpg 1x", skip_data), 0);
	assert_string_equal(u, "real.jpg");
	free(u);
	assert_int_equal(of_html_srcset_pick(&u, "data:image/gif;base64,R0lGOD", skip_data), 0);
	assert_null(u);
	/* bounded: length and count, at the limit and one past it */
	char *big = malloc(OF_MAX_SRCSET_BYTES + 2);
	assert_non_null(big);
	memset(big, 'a', OF_MAX_SRCSET_BYTES);
	big[OF_MAX_SRCSET_BYTES] = '\0';
	assert_int_equal(of_html_srcset_pick(&u, big, NULL), 0);
	assert_int_equal(strlen(u), OF_MAX_SRCSET_BYTES);
	free(u);
	big[OF_MAX_SRCSET_BYTES] = 'a';
	big[OF_MAX_SRCSET_BYTES + 1] = '\0';
	assert_string_equal(pick(big), "LIMIT");
	free(big);
	of_buf b;
	of_buf_init(&b, 1 << 16);
	for (int i = 1; i <= OF_MAX_SRCSET_CANDIDATES; i++) {
		char c[32];
		snprintf(c, sizeof c, "%si%d.jpg %dw", i > 1 ? ", " : "", i, i);
		of_buf_puts(&b, c);
	}
	char want[32];
	snprintf(want, sizeof want, "i%d.jpg", OF_MAX_SRCSET_CANDIDATES);
	assert_string_equal(pick(of_buf_cstr(&b)), want);
	of_buf_puts(&b, ", one-more.jpg 1w");
	assert_string_equal(pick(of_buf_cstr(&b)), "LIMIT");
	of_buf_free(&b);
}

/* An <img> whose src is absent or a placeholder shows srcset's largest picture (its own, a
 * lazy loader's data-srcset, then a lazy single address, then a <picture>'s <source> of a type
 * we read); a real src still wins. The image is named at the line of the element it came from. */
static void test_posts__html_srcset(void **state)
{
	of_posts p;
	const char *html =
		"<html><body><div class=\"post\" data-id=\"s\"><p>图</p>\n"
		"<img srcset=\"images/s-640.jpg 640w, images/s-1280.jpg 1280w\" src=\"data:image/gif;base64,R0lG\">\n"
		"<img src=\"images/real.jpg\" srcset=\"images/big.jpg 2000w\">\n"
		"<img data-srcset=\"images/l-1x.jpg, images/l-2x.jpg 2x\" data-src=\"images/l.jpg\" src=\"images/blank.gif\">\n"
		"<img srcset=\"data:image/gif;base64,AAAA\" data-src=\"images/d.jpg\">\n"
		"<picture>\n"
		"  <source type=\"image/avif\" srcset=\"images/p.avif 2x\">\n"
		"  <source srcset=\"images/p-1x.webp, images/p-2x.webp 2x\" type=\" IMAGE/WEBP \">\n"
		"  <img src=\"data:image/svg+xml,%3Csvg%3E\">\n"
		"</picture>\n"
		"<picture><source data-srcset=\"images/q.jpg 800w\"><img alt=\"q\"></picture>\n"
		"<picture><source srcset=\"images/r-big.jpg 2x\"><img src=\"images/r.jpg\"></picture>\n"
		"<img srcset=\"images/bad.jpg 12q\" src=\"images/lazy-1x1.png\">\n"
		/* a <picture>'s sources stand for its first <img> only */
		"<picture><source srcset=\"images/t.jpg\"><img src=\"\"><img src=\"images/blank.gif\"></picture>\n"
		"</div></body></html>\n";
	(void)state;
	of_posts_init(&p);
	assert_int_equal(of_posts_parse_html(&p, html, strlen(html), "srcset.html", ".", NULL, NULL), 0);
	assert_int_equal(p.n, 1);
	const of_post *q = &p.items[0];
	const char *want[] = {"images/s-1280.jpg", "images/real.jpg", "images/l-2x.jpg", "images/d.jpg",
			      "images/p-2x.webp", "images/q.jpg", "images/r.jpg", "images/lazy-1x1.png",
			      "images/t.jpg", "images/blank.gif"};
	const unsigned long lines[] = {2, 3, 4, 5, 8, 11, 12, 13, 14, 14};
	assert_int_equal(q->n_images, 10);
	for (size_t i = 0; i < 10; i++) {
		assert_string_equal(q->images[i], want[i]);
		assert_int_equal(q->image_lines[i], lines[i]);
	}
	of_posts_free(&p);

	/* a srcset over the caps is not read, with a warning at its line; the post is kept */
	of_buf b;
	of_buf_init(&b, 1 << 20);
	of_buf_puts(&b, "<html><body><div class=\"post\" data-id=\"big\"><p>大</p>\n<img srcset=\"");
	for (size_t i = 0; i < OF_MAX_SRCSET_BYTES; i += 16)
		of_buf_puts(&b, "images/aaaa.jpg,");
	of_buf_puts(&b, " 2x\" data-src=\"images/fallback.jpg\"></div></body></html>\n");
	g_log[0] = 0;
	of_posts_init(&p);
	assert_int_equal(of_posts_parse_html(&p, of_buf_cstr(&b), of_buf_len(&b), "big.html", ".", NULL, NULL), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.items[0].n_images, 1);
	assert_string_equal(p.items[0].images[0], "images/fallback.jpg");
	assert_non_null(strstr(g_log, "big.html:2: post 'big': <img srcset> not read: srcset is "));
	of_posts_free(&p);
	of_buf_free(&b);
}

/* A post nested in a post (a forwarded post) is read as a post of its own, with a
 * warning; its text, photos and tags are not the outer post's (QA: it was dropped). */
static void test_posts__html_nested_post(void **state)
{
	of_posts p;
	of_posts_read_stats st = {0};
	const char *html = "<html><body>\n"
			   "<div class=\"post\" data-id=\"o\"><div class=\"text\">外层的帖子内容。</div>\n"
			   "<div class=\"post\" data-id=\"i\"><p>嵌套的帖子内容。</p><img src=\"images/i.jpg\">"
			   "<span class=\"tag\">转发</span></div>\n"
			   "</div></body></html>";
	(void)state;
	of_posts_init(&p);
	assert_int_equal(of_posts_parse_html(&p, html, strlen(html), "e.html", ".", NULL, &st), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(st.records, 2);
	assert_string_equal(p.items[0].id, "o");
	assert_null(strstr(p.items[0].text, "嵌套"));
	assert_int_equal(p.items[0].n_images, 0);
	assert_int_equal(p.items[0].n_tags, 0);
	assert_string_equal(p.items[1].id, "i");
	assert_non_null(strstr(p.items[1].text, "嵌套的帖子内容"));
	assert_int_equal(p.items[1].n_images, 1);
	assert_non_null(strstr(g_log, "e.html:3: a post inside the post at line 2"));
	of_posts_free(&p);
}

/* Lazy-loading pages (WeChat articles, most exporters) keep the picture in data-src
 * and a placeholder in src: the picture is read, a real src still wins, and a lazy
 * value that is no picture (data:, javascript:) is not taken. */
static void test_posts__html_lazy_images(void **state)
{
	of_posts p;
	const char *html =
		"<html><body><div class=\"post\" data-id=\"w\"><p>懒加载的图片。</p>\n"
		"<img data-src=\"https://mmbiz.qpic.cn/mmbiz_jpg/a/640?wx_fmt=jpeg\" src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\">\n"
		"<img data-src=\"images/w2.jpg\">\n"
		"<img data-src=\"images/w3.jpg\" src=\"\">\n"
		"<img data-original=\"images/w4.jpg\" src=\"images/blank.gif\">\n"
		"<img data-src=\"https://cdn.example.com/remote.jpg\" src=\"page_files/saved.jpg\">\n"
		"<img data-src=\"javascript:alert(1)\" src=\"data:image/svg+xml,%3Csvg%3E\">\n"
		"<img data-actualsrc=\"images/w7.jpg\" src=\"images/loading.gif?v=2\">\n"
		/* photos whose names merely start like a placeholder are photos (QA: dropped) */
		"<img data-src=\"images/grey-sweater.jpg\" src=\"images/lazy-1x1.png\">\n"
		"<img src=\"images/gray-cat.jpg\" data-src=\"images/other.jpg\">\n"
		"</div></body></html>";
	(void)state;
	of_posts_init(&p);
	assert_int_equal(of_posts_parse_html(&p, html, strlen(html), "lazy.html", ".", NULL, NULL), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.items[0].n_images, 9);
	assert_string_equal(p.items[0].images[0], "https://mmbiz.qpic.cn/mmbiz_jpg/a/640?wx_fmt=jpeg");
	assert_string_equal(p.items[0].images[1], "images/w2.jpg");
	assert_string_equal(p.items[0].images[2], "images/w3.jpg");
	assert_string_equal(p.items[0].images[3], "images/w4.jpg");
	assert_string_equal(p.items[0].images[4], "page_files/saved.jpg"); /* the saved copy, local */
	assert_string_equal(p.items[0].images[5], "data:image/svg+xml,%3Csvg%3E"); /* src as before */
	assert_string_equal(p.items[0].images[6], "images/w7.jpg");
	assert_string_equal(p.items[0].images[7], "images/grey-sweater.jpg");
	assert_string_equal(p.items[0].images[8], "images/gray-cat.jpg");
	for (size_t i = 0; i < p.items[0].n_images; i++)
		assert_null(strstr(p.items[0].images[i], "javascript"));
	of_posts_free(&p);
}

/* A link's http(s) target is part of what a post says: it follows the link's words
 * (as in a plain-text post); javascript:, data:, relative and hashtag links keep only
 * their words, and an autolink is not written twice. */
static void test_posts__html_link_targets(void **state)
{
	of_posts p;
	const char *html =
		"<html><body><div class=\"post\" data-id=\"l\"><div class=\"text\">"
		"新品上架，去<a href=\" HTTPS://shop.example.com/p/47?from=moments \">暖暖旗舰店</a>看看！<br>"
		"<a href=\"javascript:alert('x')\">点我</a>、<a href=\"data:text/html,hi\">这里</a>、"
		"<a href=\"/local/page\">本地</a>、<a href=\"https://evil.test@good.example/\">假链接</a>。<br>"
		"原文 <a href=\"https://mp.weixin.qq.com/s/abc\">https://mp.weixin.qq.com/s/abc</a><br>"
		"<a href=\"https://weibo.example/topic\">#新品#</a> <a href=\"https://x.example/中文 页\">中文</a><br>"
		"<a href=\"https://a.example/1\">A</a>bc <a href=\"https://pic.example/\"><img src=\"images/l.jpg\"></a>"
		"</div><span class=\"tag\"><a href=\"https://weibo.example/t\">米粉</a></span></div></body></html>";
	(void)state;
	of_posts_init(&p);
	assert_int_equal(of_posts_parse_html(&p, html, strlen(html), "links.html", ".", NULL, NULL), 0);
	const char *t = p.items[0].text;
	assert_non_null(strstr(t, "去暖暖旗舰店 https://shop.example.com/p/47?from=moments 看看！\n"));
	assert_non_null(strstr(t, "点我、这里、本地、假链接。\n"));
	assert_null(strstr(t, "javascript"));
	assert_null(strstr(t, "data:"));
	assert_null(strstr(t, "evil"));
	assert_non_null(strstr(t, "原文 https://mp.weixin.qq.com/s/abc\n"));
	assert_null(strstr(t, "weibo"));
	assert_non_null(strstr(t, "中文 https://x.example/%E4%B8%AD%E6%96%87%20%E9%A1%B5\n"));
	assert_non_null(strstr(t, "A https://a.example/1 bc https://pic.example/"));
	assert_int_equal(p.items[0].n_tags, 1);
	assert_string_equal(p.items[0].tags[0], "米粉");
	of_posts_free(&p);
}

/* The Markdown reader writes a link's target the same way as the HTML reader. */
static void test_posts__markdown_link_targets(void **state)
{
	of_posts p;
	const char *md = "---\nid: k\n---\n去[暖暖旗舰店](https://shop.example.com/p/47)看看，"
			 "[点我](javascript:alert(1))，<https://mp.weixin.qq.com/s/abc>，"
			 "[A](https://a.example/1)**bc**。\n";
	(void)state;
	of_posts_init(&p);
	assert_int_equal(of_posts_parse_markdown(&p, md, strlen(md), "k.md", ".", NULL, NULL), 0);
	const char *t = p.items[0].text;
	assert_non_null(strstr(t, "去暖暖旗舰店 https://shop.example.com/p/47 看看，点我，https://mp.weixin.qq.com/s/abc，"));
	assert_null(strstr(t, "javascript"));
	assert_non_null(strstr(t, "A https://a.example/1 bc。"));
	of_posts_free(&p);
}

/* Resolves `rel` for a post read from `origin` in `base`; returns the code, and in `tail`
 * the last two parts of the real path found ("" when none). */
static int find_image(char tail[256], const char *base, const char *origin, const char *rel)
{
	of_post p = {0};
	char *real = NULL, *imgs[1] = {(char *)rel};
	p.id = "p";
	p.origin = origin;
	p.base_dir = base;
	p.line = 1;
	p.images = imgs;
	p.n_images = 1;
	int rc = of_post_resolve_image(&real, &p, 0, NULL);
	tail[0] = 0;
	if (real) {
		const char *e = real + strlen(real), *q = e;
		for (int parts = 0; q > real && parts < 2; q--)
			if (q[-1] == '/' && ++parts == 2)
				break;
		snprintf(tail, 256, "%s", q);
	}
	assert_true(rc == 0 ? real != NULL : real == NULL);
	free(real);
	return rc;
}

/* A posts file written on Windows names images\0101.jpg or .\photos\a.jpg: found, with '\'
 * read as '/' only when the path is not found as written (a Linux name may hold a '\');
 * ..\ out of the folder is refused exactly as ../ is; C:\… is named as a Windows path. */
static void test_posts__image_windows_paths(void **state)
{
	char dir[512], base[600], path[700], tail[256], why[600];
	(void)state;
	snprintf(dir, sizeof dir, "%s", of_test_tmpdir());
	snprintf(base, sizeof base, "%s/pack", dir);
	const char *dirs[] = {"pack/images", "pack/photos", "pack/odd", "pack/posts", "outside", NULL};
	const char *files[] = {"pack/images/0101.jpg", "pack/photos/a.jpg", "pack/odd\\name.jpg", "pack/odd/name.jpg",
			       "pack/posts/x.md", "outside/secret.jpg", NULL};
	for (int i = 0; dirs[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, dirs[i]);
		assert_int_equal(of_mkdirs(path), 0);
	}
	for (int i = 0; files[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		of_test_write(path, "x", 1);
	}
	snprintf(path, sizeof path, "%s/pack/images/link.jpg", dir);
	assert_int_equal(symlink("../../outside/secret.jpg", path), 0);

	assert_int_equal(find_image(tail, base, "posts.csv", "images\\0101.jpg"), 0);
	assert_string_equal(tail, "images/0101.jpg");
	assert_int_equal(find_image(tail, base, "posts.jsonl", ".\\photos\\a.jpg"), 0);
	assert_string_equal(tail, "photos/a.jpg");
	assert_int_equal(find_image(tail, base, "posts.csv", "images/sub\\..\\0101.jpg"), OF_ENOTFOUND);
	/* as written first: the file whose name holds a '\' wins over odd/name.jpg */
	assert_int_equal(find_image(tail, base, "posts.csv", "odd\\name.jpg"), 0);
	assert_string_equal(tail, "pack/odd\\name.jpg");
	/* out of the folder: the same answer as with '/' */
	assert_int_equal(find_image(tail, base, "posts.csv", "../outside/secret.jpg"), OF_EINVALID);
	assert_int_equal(find_image(tail, base, "posts.csv", "..\\outside\\secret.jpg"), OF_EINVALID);
	assert_int_equal(find_image(tail, base, "posts.csv", "images\\..\\..\\outside\\secret.jpg"), OF_EINVALID);
	assert_int_equal(find_image(tail, base, "posts.csv", "images\\link.jpg"), OF_EINVALID);
	/* deep enough to reach / from any temporary folder */
	const char *deep_fwd = "../../../../../../../../../../../../etc/passwd";
	const char *deep_back = "..\\..\\..\\..\\..\\..\\..\\..\\..\\..\\..\\..\\etc\\passwd";
	assert_int_equal(find_image(tail, base, "posts.csv", deep_back), find_image(tail, base, "posts.csv", deep_fwd));
	assert_int_equal(find_image(tail, base, "posts.csv", deep_back), OF_EINVALID);
	assert_string_equal(of_post_image_problem(why, sizeof why, deep_back, OF_EINVALID), "is outside the posts folder");
	/* a Markdown post in posts/ naming the pack's images the Windows way */
	snprintf(path, sizeof path, "%s/posts", base);
	assert_int_equal(find_image(tail, path, "x.md", "..\\images\\0101.jpg"), 0);
	assert_string_equal(tail, "images/0101.jpg");
	/* not found either way: the message names both spellings */
	assert_int_equal(find_image(tail, base, "posts.csv", "images\\nope.jpg"), OF_ENOTFOUND);
	assert_string_equal(of_post_image_problem(why, sizeof why, "images\\nope.jpg", OF_ENOTFOUND),
			    "not found (nor as 'images/nope.jpg')");
	assert_string_equal(of_post_image_problem(why, sizeof why, "images/nope.jpg", OF_ENOTFOUND), "not found");
	/* a Windows absolute path: never rewritten, and named as what it is */
	assert_true(of_post_image_is_windows_absolute("C:\\Users\\lily\\0101.jpg"));
	assert_true(of_post_image_is_windows_absolute("d:/photos/a.jpg"));
	assert_true(of_post_image_is_windows_absolute("\\\\nas\\share\\a.jpg"));
	assert_true(of_post_image_is_windows_absolute("\\photos\\a.jpg"));
	assert_false(of_post_image_is_windows_absolute("images\\0101.jpg"));
	assert_false(of_post_image_is_windows_absolute("c.jpg"));
	/* remote: http(s) only, the scheme's case ignored as in any URL; anything else is a local path */
	assert_true(of_post_image_is_remote("https://mmbiz.qpic.cn/a/640"));
	assert_true(of_post_image_is_remote("HTTP://example.com/a.jpg"));
	assert_true(of_post_image_is_remote("Https://example.com/a.jpg"));
	assert_false(of_post_image_is_remote("file:///etc/passwd"));
	assert_false(of_post_image_is_remote("ftp://example.com/a.jpg"));
	assert_false(of_post_image_is_remote("httpx://example.com/a.jpg"));
	assert_false(of_post_image_is_remote("images/http://a.jpg"));
	assert_int_equal(find_image(tail, base, "posts.csv", "C:\\Users\\lily\\Pictures\\0101.jpg"), OF_ENOTFOUND);
	assert_int_equal(find_image(tail, base, "posts.csv", "\\images\\0101.jpg"), OF_ENOTFOUND);
	of_post_image_problem(why, sizeof why, "C:\\Users\\lily\\Pictures\\0101.jpg", OF_ENOTFOUND);
	assert_non_null(strstr(why, "absolute Windows path (drive C:)"));
	assert_non_null(strstr(why, "such as images\\0101.jpg"));
	of_post_image_problem(why, sizeof why, "\\\\nas\\share\\a.jpg", OF_ENOTFOUND);
	assert_non_null(strstr(why, "(a network share)"));
	of_test_rmtree(dir);
}

/* A post written on Windows names IMAGES\0101.JPG for images/0101.jpg: when the path is not
 * there as written (nor with '\' as '/'), each missing part is matched with its ASCII letters'
 * case ignored, with a warning naming the name on disk; an exact name always wins; two names
 * that differ only in case refuse the image, naming both; no folder outside the posts folder
 * is listed and a symlink out found that way is refused as it is when written exactly. */
static void test_posts__image_case_insensitive(void **state)
{
	char dir[512], base[600], path[700], tail[256];
	(void)state;
	snprintf(dir, sizeof dir, "%s", of_test_tmpdir());
	snprintf(base, sizeof base, "%s/pack", dir);
	const char *dirs[] = {"pack/images", "pack/Photos/Sub", "pack/dup", "pack/posts", "outside", NULL};
	const char *files[] = {"pack/images/0101.jpg", "pack/Photos/Sub/a.JPG", "pack/dup/x.jpg", "pack/dup/X.JPG",
			       "pack/dup/exact.jpg", "pack/dup/EXACT.jpg", "pack/images/\xc3\xa4pfel.jpg",
			       "outside/secret.jpg", NULL};
	for (int i = 0; dirs[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, dirs[i]);
		assert_int_equal(of_mkdirs(path), 0);
	}
	for (int i = 0; files[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		of_test_write(path, "x", 1);
	}
	snprintf(path, sizeof path, "%s/pack/images/link.jpg", dir);
	assert_int_equal(symlink("../../outside/secret.jpg", path), 0);

	/* the Windows export: '\' and capitals; a warning at the post's line names the real name */
	assert_int_equal(find_image(tail, base, "posts.csv", "IMAGES\\0101.JPG"), 0);
	assert_string_equal(tail, "images/0101.jpg");
	assert_non_null(strstr(g_log, "posts.csv:1: post 'p': image 'IMAGES\\0101.JPG' found as 'images/0101.jpg'"));
	assert_int_equal(find_image(tail, base, "posts.jsonl", "photos/sub/A.jpg"), 0);
	assert_string_equal(tail, "Sub/a.JPG");
	assert_non_null(strstr(g_log, "found as 'Photos/Sub/a.JPG'"));
	/* written exactly: found as it is, no warning, even beside a name differing in case */
	g_log[0] = 0;
	assert_int_equal(find_image(tail, base, "posts.csv", "images/0101.jpg"), 0);
	assert_int_equal(find_image(tail, base, "posts.csv", "dup/x.jpg"), 0);
	assert_string_equal(tail, "dup/x.jpg");
	assert_int_equal(find_image(tail, base, "posts.csv", "dup/EXACT.jpg"), 0);
	assert_string_equal(tail, "dup/EXACT.jpg");
	assert_string_equal(g_log, "");
	/* two entries match and neither is written so: refused, both named, every time */
	for (int k = 0; k < 2; k++) {
		assert_int_equal(find_image(tail, base, "posts.csv", "dup\\X.jpg"), OF_EINVALID);
		assert_string_equal(of_error_last()->message,
				    "image 'dup\\X.jpg' matches both 'dup/X.JPG' and 'dup/x.jpg', names that differ only "
				    "in case (neither is written so): rename one");
		assert_string_equal(of_error_last()->path, "posts.csv");
		assert_int_equal(of_error_last()->line, 1);
	}
	assert_int_equal(find_image(tail, base, "posts.csv", "dup/Exact.JPG"), OF_EINVALID);
	/* ASCII letters only: Ä is not ä */
	assert_int_equal(find_image(tail, base, "posts.csv", "images/\xc3\x84pfel.jpg"), OF_ENOTFOUND);
	assert_int_equal(find_image(tail, base, "posts.csv", "IMAGES/\xc3\xa4PFEL.jpg"), 0);
	/* the containment rule holds: a symlink out found with case ignored is refused as when
	 * written exactly; a folder outside is never listed (not found, not read) */
	assert_int_equal(find_image(tail, base, "posts.csv", "images/LINK.JPG"), OF_EINVALID);
	assert_string_equal(of_error_last()->message, "image 'images/LINK.JPG' is outside the posts folder");
	assert_int_equal(find_image(tail, base, "posts.csv", "../outside/SECRET.JPG"), OF_ENOTFOUND);
	assert_int_equal(find_image(tail, base, "posts.csv", "..\\OUTSIDE\\secret.jpg"), OF_ENOTFOUND);
	assert_int_equal(find_image(tail, base, "posts.csv", "images/../../OUTSIDE/secret.jpg"), OF_ENOTFOUND);
	/* not found any way: the message is the one it always was */
	assert_int_equal(find_image(tail, base, "posts.csv", "IMAGES\\nope.jpg"), OF_ENOTFOUND);
	assert_string_equal(of_error_last()->message, "image 'IMAGES\\nope.jpg' not found (nor as 'IMAGES/nope.jpg')");
	/* a Windows absolute path is never rewritten, folded or not */
	assert_int_equal(find_image(tail, base, "posts.csv", "C:\\IMAGES\\0101.JPG"), OF_ENOTFOUND);
	/* a Markdown post in posts/ naming the pack's images from its own folder */
	g_log[0] = 0;
	snprintf(path, sizeof path, "%s/posts", base);
	assert_int_equal(find_image(tail, path, "x.md", "..\\IMAGES\\0101.JPG"), 0);
	assert_string_equal(tail, "images/0101.jpg");
	assert_non_null(strstr(g_log, "found as '../images/0101.jpg'"));
	of_test_rmtree(dir);
}

static void test_posts__load_missing_file(void **state)
{
	of_posts p;
	(void)state;
	of_posts_init(&p);
	assert_int_equal(of_posts_load(&p, "/nonexistent/posts.jsonl", NULL, NULL), OF_ENOTFOUND);
	of_posts_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_posts__jsonl_good_with_bom_crlf_blank, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__jsonl_broken_line_between_good_ones, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__jsonl_invalid_utf8_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__jsonl_u2028_does_not_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__jsonl_duplicate_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__jsonl_5mb_post_is_capped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__jsonl_empty_and_emoji_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__future_and_unparsable_time_warn, setup, teardown),
		cmocka_unit_test(test_posts__time_and_week),
		cmocka_unit_test_setup_teardown(test_posts__csv_quoted_field_spanning_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__csv_unterminated_quote_names_its_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__csv_duplicate_column, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__markdown_gbk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__markdown_front_matter_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__html_nested_post, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__csv_unterminated_quote_loses_nothing_else, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__csv_gb18030, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__csv_stray_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__markdown_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__html_export, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__html_image_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__srcset_pick, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__html_srcset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__html_lazy_images, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__html_link_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__markdown_link_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__image_windows_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__image_case_insensitive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posts__load_missing_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
