/* test_common.c — unit tests for stages/common: error, buf, fileio, json, utf8. */
#include "testutil.h"

#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_error__format_with_location(void **state)
{
	char buf[256];
	(void)state;
	assert_int_equal(of_error_set_at(OF_EINVALID, "posts.jsonl", 7, 3, "bad %s", "record"), OF_EINVALID);
	assert_string_equal(of_error_format(of_error_last(), buf, sizeof buf), "posts.jsonl:7:3: bad record");
	of_error_set_at(OF_EINVALID, "a.xml", 9, 0, "x");
	assert_string_equal(of_error_format(of_error_last(), buf, sizeof buf), "a.xml:9: x");
	of_error_set(OF_ERROR, "plain");
	assert_string_equal(of_error_format(of_error_last(), buf, sizeof buf), "plain");
	assert_int_equal(of_error_set_oom(), OF_ENOMEM);
	assert_string_equal(of_error_last()->message, "out of memory");
	/* a temporary file of an atomic write is named as the file it becomes (QA: a full disk named
	 * ".video.mp4.tmp-Ab12Cd") */
	of_error_set(OF_ERROR, "out/w47/.video.mp4.tmp-Ab12Cd: No space left on device");
	assert_string_equal(of_error_last()->message, "out/w47/video.mp4: No space left on device");
	of_error_set_at(OF_ERROR, "out/.prompts.json.tmp-zz99ZZ", 0, 0, "write failed; '.a.tmp-x' stays");
	assert_string_equal(of_error_last()->path, "out/prompts.json");
	assert_string_equal(of_error_last()->message, "write failed; '.a.tmp-x' stays");
}

static void test_buf__limit_is_an_error(void **state)
{
	of_buf b;
	(void)state;
	of_buf_init(&b, 8);
	assert_int_equal(of_buf_puts(&b, "1234"), 0);
	assert_int_equal(of_buf_printf(&b, "%d", 5678), 0);
	assert_string_equal(of_buf_cstr(&b), "12345678");
	assert_int_equal(of_buf_putc(&b, 'x'), OF_ELIMIT);
	assert_int_equal(of_buf_len(&b), 8);
	of_buf_truncate(&b, 2);
	assert_string_equal(of_buf_cstr(&b), "12");
	size_t n;
	char *s = of_buf_detach(&b, &n);
	assert_string_equal(s, "12");
	assert_int_equal(n, 2);
	free(s);
	assert_string_equal(of_buf_cstr(&b), "");
	/* Long printf goes through the second pass. */
	of_buf_init(&b, 0);
	char big[600];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(of_buf_printf(&b, "<%s>", big), 0);
	assert_int_equal(of_buf_len(&b), 601);
	of_buf_free(&b);
}

static void test_fileio__atomic_write_and_read(void **state)
{
	(void)state;
	const char *dir = of_test_tmpdir();
	char *p = of_path_join(dir, "sub/deeper");
	assert_int_equal(of_mkdirs(p), 0);
	char *f = of_path_join(p, "out.txt");
	assert_int_equal(of_file_write_atomic(f, "hello", 5), 0);
	char *data;
	size_t len;
	assert_int_equal(of_file_read(&data, &len, f, 100), 0);
	assert_int_equal(len, 5);
	assert_string_equal(data, "hello");
	free(data);
	assert_int_equal(of_file_read(&data, &len, f, 4), OF_ELIMIT);
	/* the same write named by folder and file name */
	assert_int_equal(of_file_write_atomic_in(p, "in.txt", "hi", 2), 0);
	char *f2 = of_path_join(p, "in.txt");
	assert_int_equal(of_file_read(&data, &len, f2, 100), 0);
	assert_int_equal(len, 2);
	assert_memory_equal(data, "hi", 2);
	free(data);
	free(f2);
	assert_int_equal(of_file_read(&data, &len, p, 100), OF_EINVALID); /* a folder */
	char *missing = of_path_join(dir, "nope");
	assert_int_equal(of_file_read(&data, &len, missing, 100), OF_ENOTFOUND);
	/* Aborted writes leave nothing behind, and the old file stays. */
	of_atomic *a;
	assert_int_equal(of_atomic_open(&a, f), 0);
	fputs("partial", of_atomic_fp(a));
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s", of_atomic_tmp_path(a));
	assert_true(access(tmp, F_OK) == 0);
	of_atomic_abort(a);
	assert_true(access(tmp, F_OK) != 0);
	assert_int_equal(of_file_read(&data, &len, f, 100), 0);
	assert_string_equal(data, "hello");
	free(data);
	/* A FIFO is refused without blocking. */
	char *fifo = of_path_join(dir, "fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(of_file_read(&data, &len, fifo, 100), OF_EINVALID);
	free(fifo);
	free(missing);
	free(f);
	free(p);
	of_test_rmtree(dir);
}

static void test_fileio__resolve_inside_refuses_escapes(void **state)
{
	(void)state;
	const char *dir = of_test_tmpdir();
	char *img = of_path_join(dir, "a.jpg");
	of_test_write(img, "x", 1);
	char *link = of_path_join(dir, "evil.jpg");
	assert_int_equal(symlink("/etc/hostname", link), 0);
	char *out = NULL;
	assert_int_equal(of_path_resolve_inside(&out, dir, "a.jpg"), 0);
	assert_non_null(strstr(out, "a.jpg"));
	free(out);
	assert_int_equal(of_path_resolve_inside(&out, dir, "../../etc/passwd"), OF_EINVALID);
	assert_int_equal(of_path_resolve_inside(&out, dir, "/etc/passwd"), OF_EINVALID);
	assert_int_equal(of_path_resolve_inside(&out, dir, "evil.jpg"), OF_EINVALID);
	assert_int_equal(of_path_resolve_inside(&out, dir, "missing.jpg"), OF_ENOTFOUND);
	free(img);
	free(link);
	of_test_rmtree(dir);
}

/* The rule for files a cleanup may remove: plain names under the folder, no link on the way. */
static void test_fileio__own_file_refuses_links_and_escapes(void **state)
{
	(void)state;
	const char *dir = of_test_tmpdir();
	char *sub = of_path_join(dir, "images"), *img = of_path_join(dir, "images/a.jpg");
	char *out = of_path_join(dir, "outside"), *victim = of_path_join(dir, "outside/v.jpg");
	char *lnkdir = of_path_join(dir, "pack"), *lnk = of_path_join(dir, "pack/shared"), *flink = of_path_join(dir, "f.jpg");
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(mkdir(out, 0755), 0);
	assert_int_equal(mkdir(lnkdir, 0755), 0);
	of_test_write(img, "x", 1);
	of_test_write(victim, "v", 1);
	assert_int_equal(symlink(out, lnk), 0);
	assert_int_equal(symlink(victim, flink), 0);
	assert_true(of_path_is_own_file(dir, "images/a.jpg"));
	assert_false(of_path_is_own_file(dir, "images"));            /* a folder */
	assert_false(of_path_is_own_file(dir, "images/missing.jpg"));
	assert_false(of_path_is_own_file(lnkdir, "../outside/v.jpg")); /* .. */
	assert_false(of_path_is_own_file(dir, "images/../outside/v.jpg"));
	assert_false(of_path_is_own_file(dir, "./images/a.jpg"));
	assert_false(of_path_is_own_file(dir, "images//a.jpg"));
	assert_false(of_path_is_own_file(dir, victim));               /* absolute */
	assert_false(of_path_is_own_file(lnkdir, "shared/v.jpg"));   /* through a linked folder */
	assert_false(of_path_is_own_file(dir, "f.jpg"));             /* a link itself */
	assert_false(of_path_is_own_file(dir, "images\\a.jpg"));
	assert_false(of_path_is_own_file(dir, ""));
	free(sub);
	free(img);
	free(out);
	free(victim);
	free(lnkdir);
	free(lnk);
	free(flink);
	of_test_rmtree(dir);
}

static void test_fileio__hashes(void **state)
{
	char hex[65];
	(void)state;
	assert_int_equal(of_sha256_hex(hex, "abc", 3), 0);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_true(of_xxh64("abc", 3, 0) == 0x44bc2cf5ad770999ULL);
	char *dir = of_path_dirname("a/b/c.txt");
	assert_string_equal(dir, "a/b");
	free(dir);
	assert_string_equal(of_path_basename("a/b/c.txt"), "c.txt");
}

static void test_fileio__safe_part_keeps_every_script(void **state)
{
	char out[32];
	(void)state;
	const char *cn = "蛋糕 新品（1）.jpg";
	assert_int_equal(of_path_safe_part(out, sizeof out, cn, strlen(cn)), strlen("蛋糕_新品_1_.jpg"));
	assert_string_equal(out, "蛋糕_新品_1_.jpg");
	assert_int_equal(of_path_safe_part(out, sizeof out, "café ①.png", strlen("café ①.png")), strlen("café_①.png"));
	assert_string_equal(out, "café_①.png");
	/* path parts, shell and Markdown specials, invalid UTF-8: one '_' per byte or character */
	const char *bad = "a/b\\c$(x)[y]\xff.jpg";
	of_path_safe_part(out, sizeof out, bad, strlen(bad));
	assert_string_equal(out, "a_b_c__x__y__.jpg");
	/* a name longer than the buffer is cut between characters, never inside one */
	char small[8];
	assert_int_equal(of_path_safe_part(small, sizeof small, "面包面包", strlen("面包面包")), 6);
	assert_string_equal(small, "面包");
	assert_int_equal(of_path_safe_part(small, sizeof small, "", 0), 0);
	assert_string_equal(small, "");
}

static void test_json__errors_name_line_and_column(void **state)
{
	json_t *v = NULL;
	(void)state;
	const char *bad = "{\"a\": 1,\n \"b\": }";
	assert_int_equal(of_json_parse(&v, bad, strlen(bad), "x.json", 0), OF_EINVALID);
	assert_string_equal(of_error_last()->path, "x.json");
	assert_int_equal(of_error_last()->line, 2);
	assert_true(of_error_last()->col > 0);
	/* JSONL: line_base shifts jansson's line. */
	assert_int_equal(of_json_parse(&v, "{", 1, "p.jsonl", 4999), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 5000);
	/* Depth bomb is refused before jansson recurses. */
	char *deep = malloc(100001);
	memset(deep, '[', 100000);
	deep[100000] = '\0';
	assert_int_equal(of_json_parse(&v, deep, 100000, "deep.json", 0), OF_ELIMIT);
	free(deep);
	/* Embedded NUL and duplicate keys are refused. */
	assert_int_equal(of_json_parse(&v, "\"a\\u0000b\"", 10, "n.json", 0), OF_EINVALID);
	assert_int_equal(of_json_parse(&v, "{\"t\":1,\"t\":2}", 13, "d.json", 0), OF_EINVALID);
	/* Deterministic dump keeps insertion order and UTF-8. */
	assert_int_equal(of_json_parse(&v, "{\"z\":\"中文\",\"a\":[1,2]}", strlen("{\"z\":\"中文\",\"a\":[1,2]}"), "o.json", 0), 0);
	char *s = of_json_dump(v);
	assert_string_equal(s, "{\n  \"z\": \"中文\",\n  \"a\": [\n    1,\n    2\n  ]\n}\n");
	assert_int_equal(of_json_depth(v), 2);
	free(s);
	json_decref(v);
}

static void expect_line_error(const char *rec, unsigned long line, const char *msg)
{
	json_t *v = NULL;
	assert_int_equal(of_json_parse_line(&v, rec, strlen(rec), "p.jsonl", line), OF_EINVALID);
	assert_null(v);
	assert_string_equal(of_error_last()->path, "p.jsonl");
	assert_int_equal(of_error_last()->line, line);
	assert_true(of_error_last()->col > 0);
	if (strcmp(of_error_last()->message, msg) != 0)
		fail_msg("got '%s', want '%s'", of_error_last()->message, msg);
}

/* A JSONL record is one line: a cut record is reported as cut, at its line, never as "end of file". */
static void test_json__line_errors_speak_of_the_line(void **state)
{
	json_t *v = NULL;
	(void)state;
	expect_line_error("{\"id\":\"p04\",\"time\":\"2026-11", 4, "JSON record cut short: the line ends inside a string");
	expect_line_error("{\"id\":\"p04\",\"time\":", 4,
			  "JSON record cut short: the line ends before it is complete (a value expected)");
	expect_line_error("{\"id\":\"p04\",", 4,
			  "JSON record cut short: the line ends before it is complete (string or '}' expected)");
	expect_line_error("{\"id\":\"p04\"", 4, "JSON record cut short: the line ends before it is complete ('}' expected)");
	expect_line_error("[1,", 9, "JSON record cut short: the line ends before it is complete (']' expected)");
	expect_line_error("{\"a\":1}{\"b\":2}", 7000, "extra text after the JSON record near '{' (one record per line)");
	expect_line_error("{\"a\":1 \"b\":2}", 2, "'}' expected near '\"b\"'");
	assert_int_equal(of_json_parse_line(&v, "{\"a\":[1]}", 9, "p.jsonl", 3), 0);
	assert_true(json_is_array(json_object_get(v, "a")));
	json_decref(v);
	/* A whole document keeps jansson's wording: there the end of the text is the end of the file. */
	assert_int_equal(of_json_parse(&v, "{\"a\":", 5, "x.json", 0), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "end of file"));
}

/* of_json_parse_prefix: one value, whatever follows, and where it ended (the
 * comment readers step through a cut JSON array with it). */
static void test_json__prefix_says_where_the_value_ends(void **state)
{
	static const char arr[] = "{\"a\":[1,\"}\"]} , {\"b\":2}";
	json_t *v = NULL;
	size_t used = 0;
	(void)state;
	assert_int_equal(of_json_parse_prefix(&v, &used, arr, sizeof arr - 1, "a.json", 0), 0);
	assert_int_equal(used, 13); /* after the first object's '}' */
	assert_true(json_is_array(json_object_get(v, "a")));
	json_decref(v);
	assert_int_equal(of_json_parse_prefix(&v, &used, arr + 16, sizeof arr - 17, "a.json", 0), 0);
	assert_int_equal(used, 7);
	json_decref(v);
	assert_int_equal(of_json_parse_prefix(&v, &used, "  \"x\", 1", 8, "s.json", 0), 0); /* any type */
	assert_int_equal(used, 5);
	assert_string_equal(json_string_value(v), "x");
	json_decref(v);
	assert_int_equal(of_json_parse_prefix(&v, &used, "{\"a\":\"cut", 9, "c.json", 41), OF_EINVALID);
	assert_null(v);
	assert_int_equal(of_error_last()->line, 42);
	assert_int_equal(of_json_parse_prefix(&v, &used, "{\"t\":1,\"t\":2}", 13, "d.json", 0), OF_EINVALID);
}

/* of_json_array_slice: where one element of an array lies, stepping over strings
 * (escaped quotes, brackets and commas inside them) and nested values; the slice
 * parses as that element. */
static void test_json__array_slice_finds_one_element(void **state)
{
	static const char info[] = " [[0,\"a,]\\\"[\",{\"k\":[1,{\"x\":\"}\"}]}], \"te\\\\\\\"xt\" ,\n [7, \"名\", 1, 0] ,null]";
	size_t a = 0, b = 0;
	json_t *v = NULL;
	(void)state;
	assert_int_equal(of_json_array_slice(info, sizeof info - 1, 2, &a, &b), 0);
	assert_int_equal(of_json_parse(&v, info + a, b - a, "i.json", 0), 0);
	assert_true(json_is_array(v) && json_array_size(v) == 4);
	assert_int_equal(json_integer_value(json_array_get(v, 2)), 1);
	json_decref(v);
	assert_int_equal(of_json_array_slice(info, sizeof info - 1, 1, &a, &b), 0);
	size_t used = 0; /* not an array or object: of_json_parse_prefix takes any value */
	assert_int_equal(of_json_parse_prefix(&v, &used, info + a, b - a, "i.json", 0), 0);
	assert_string_equal(json_string_value(v), "te\\\"xt");
	json_decref(v);
	assert_int_equal(of_json_array_slice(info, sizeof info - 1, 0, &a, &b), 0);
	assert_int_equal(of_json_parse(&v, info + a, b - a, "i.json", 0), 0);
	assert_string_equal(json_string_value(json_array_get(v, 1)), "a,]\"[");
	json_decref(v);
	assert_int_equal(of_json_array_slice(info, sizeof info - 1, 3, &a, &b), 0); /* the last, before ']' */
	assert_int_equal(b - a, 4);
	/* no such element, not an array, cut short, an empty array, nesting past the cap */
	assert_int_equal(of_json_array_slice(info, sizeof info - 1, 4, &a, &b), -1);
	assert_int_equal(of_json_array_slice("{\"a\":1}", 7, 0, &a, &b), -1);
	assert_int_equal(of_json_array_slice("[1,\"2,3]", 8, 2, &a, &b), -1);
	assert_int_equal(of_json_array_slice("[1,[2,3", 7, 1, &a, &b), -1);
	assert_int_equal(of_json_array_slice("[]", 2, 0, &a, &b), -1);
	char deep[OF_MAX_JSON_DEPTH + 8];
	memset(deep, '[', sizeof deep);
	assert_int_equal(of_json_array_slice(deep, sizeof deep, 0, &a, &b), -1);
	char ok[2 * (OF_MAX_JSON_DEPTH - 1) + 4]; /* [[[…]]] at the cap, then a second element */
	size_t n = 0;
	for (int i = 0; i < OF_MAX_JSON_DEPTH; i++)
		ok[n++] = '[';
	for (int i = 0; i < OF_MAX_JSON_DEPTH - 1; i++)
		ok[n++] = ']';
	ok[n++] = ',';
	ok[n++] = '1';
	ok[n++] = ']';
	assert_int_equal(of_json_array_slice(ok, n, 1, &a, &b), 0);
	assert_int_equal(b - a, 1);
}

/* Reals print with a fixed precision: a time rounded to milliseconds keeps 3 decimals. */
static void test_json__reals_without_float_noise(void **state)
{
	(void)state;
	json_t *o = json_pack("{s:f, s:f, s:f, s:i}", "first", 367.985, "peak", 2640.0, "w", 0.1, "n", 3);
	char *line = of_json_dump_line(o), *doc = of_json_dump(o);
	assert_string_equal(line, "{\"first\":367.985,\"peak\":2640.0,\"w\":0.1,\"n\":3}");
	assert_non_null(strstr(doc, "\"first\": 367.985,\n"));
	free(line);
	free(doc);
	json_decref(o);
}

/* Times in run logs and events: rounded to the millisecond, never 10 digits of noise or an exponent. */
static void test_json__seconds_to_the_millisecond(void **state)
{
	(void)state;
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o}", "a", of_json_seconds(22.42718811), "b",
			      of_json_seconds(8.012900003e-5), "c", of_json_seconds(0.0995), "d", of_json_seconds(3600.1234),
			      "e", of_json_seconds(-1.0));
	char *line = of_json_dump_line(o);
	assert_string_equal(line, "{\"a\":22.427,\"b\":0.0,\"c\":0.1,\"d\":3600.123,\"e\":0.0}");
	free(line);
	json_decref(o);
}

/* The hot-path three-byte check never accepts what of_utf8_next rejects, and
 * accepts every valid sequence with its leads: checked over all lead and
 * continuation-class combinations. */
static void test_utf8__plain3_agrees_with_next(void **state)
{
	static const unsigned char tails[] = {0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
	(void)state;
	for (unsigned lead = 0x80; lead <= 0xFF; lead++)
		for (size_t a = 0; a < sizeof tails; a++)
			for (size_t b = 0; b < sizeof tails; b++) {
				unsigned char p[3] = {(unsigned char)lead, tails[a], tails[b]};
				int32_t cp;
				int k = of_utf8_next((const char *)p, 3, &cp);
				int fast = of_utf8_plain3(p, 3);
				if (fast && k != 3)
					fail_msg("plain3 accepts %02X %02X %02X, of_utf8_next gives %d", p[0], p[1], p[2], k);
				if (!fast && k == 3 && lead != 0xE0 && lead != 0xED)
					fail_msg("plain3 rejects valid %02X %02X %02X", p[0], p[1], p[2]);
				assert_int_equal(of_utf8_plain3(p, 2), 0); /* never reads past n */
			}
	assert_true(of_utf8_plain3((const unsigned char *)"宝", 3));
	assert_false(of_utf8_plain3((const unsigned char *)"\xED\xA0\x80", 3)); /* a surrogate */
}

static void test_utf8__nfkc_and_counts(void **state)
{
	char *out;
	size_t fixed;
	(void)state;
	/* Full-width letters and digits fold; a control char and an invalid byte are fixed. */
	const char in[] = "ＡＢＣ１２３\x08好\xff";
	assert_int_equal(of_utf8_nfkc(&out, in, sizeof in - 1, &fixed), 0);
	assert_string_equal(out, "ABC123好\xEF\xBF\xBD");
	assert_int_equal(fixed, 2);
	free(out);
	assert_int_equal(of_utf8_han_count("宝宝6个月", strlen("宝宝6个月")), 4);
	assert_int_equal(of_utf8_count("宝宝6个月", strlen("宝宝6个月")), 5);
	assert_int_equal(of_utf8_width("宝a", strlen("宝a")), 3);
	size_t bad;
	assert_false(of_utf8_valid("ab\xC0\xAF", 4, &bad)); /* overlong */
	assert_int_equal(bad, 2);
	assert_true(of_utf8_valid("宝宝", 6, NULL));
	assert_true(of_utf8_is_emoji(0x1F60A));
	assert_true(of_utf8_is_cjk_punct(0x3002));
	assert_int_equal(of_utf8_offset("宝宝ab", 8, 2), 6);
	/* what the author meant stays: ①②, 90℃, m², ½; full-width letters and digits still fold */
	char *kept = NULL;
	static const char keep_in[] = "①密封，②避光，水温90℃，面积20m²，½勺，ＡＢＣ１２３，3㎏";
	assert_int_equal(of_utf8_nfkc(&kept, keep_in, sizeof keep_in - 1, NULL), 0);
	assert_string_equal(kept, "①密封,②避光,水温90℃,面积20m²,½勺,ABC123,3㎏");
	free(kept);
	/* NFKC may make a text much longer than it was: ﷺ is 3 bytes, its NFKC 33 */
	assert_int_equal(of_utf8_nfkc(&kept, "\xEF\xB7\xBA", 3, NULL), 0);
	assert_int_equal(strlen(kept), 33);
	free(kept);
}

/* GB18030 in, UTF-8 out; what is not GB18030 names its byte; and which
 * non-UTF-8 data counts as a legacy encoding rather than broken UTF-8. */
static void test_utf8__gb18030_and_legacy(void **state)
{
	char *out;
	size_t n, at = 0;
	(void)state;
	/* 米粉 in GBK, an ASCII comma, and U+20000 (four bytes in GB18030) */
	const char gbk[] = "\xC3\xD7\xB7\xDB,\x95\x32\x82\x36";
	assert_int_equal(of_utf8_from_charset("GB18030", gbk, sizeof gbk - 1, &out, &n, &at), 0);
	assert_string_equal(out, "米粉,\xF0\xA0\x80\x80");
	assert_int_equal(n, strlen(out));
	free(out);
	assert_int_equal(of_utf8_from_charset("GB18030", "ab\xC3", 3, &out, &n, &at), OF_EINVALID); /* cut in a pair */
	assert_null(out);
	assert_int_equal(at, 2);
	assert_int_equal(of_utf8_from_charset("GB18030", "ab\xFF\xFF" "cd", 6, &out, &n, &at), OF_EINVALID);
	assert_int_equal(at, 2);
	/* an output over the first guess grows the buffer: CP936 maps the byte 0x80 to € (three bytes) */
	char euros[100];
	memset(euros, 0x80, sizeof euros);
	assert_int_equal(of_utf8_from_charset("CP936", euros, sizeof euros, &out, &n, NULL), 0);
	assert_int_equal(n, 300);
	assert_memory_equal(out + 297, "\xE2\x82\xAC", 3);
	free(out);
	assert_int_equal(of_utf8_from_charset("NO-SUCH-CHARSET", "a", 1, &out, &n, NULL), OF_EINVALID);
	assert_true(of_utf8_looks_legacy(gbk, sizeof gbk - 1));
	assert_false(of_utf8_looks_legacy("宝宝米粉", strlen("宝宝米粉")));      /* valid UTF-8 */
	assert_false(of_utf8_looks_legacy("宝宝米粉\xFF", strlen("宝宝米粉") + 1)); /* UTF-8, one bad byte */
	assert_false(of_utf8_looks_legacy("plain ascii", 11));
}

/* Held records come out by file and line, the rest after them, counted at once. */
static char g_seen[512];

static void seen(const of_log_record *r, void *payload)
{
	(void)payload;
	size_t l = strlen(g_seen);
	snprintf(g_seen + l, sizeof g_seen - l, "%s:%lu:%s|", r->path ? r->path : "-", r->line, r->message);
}

static void test_log__hold_sorts_by_line(void **state)
{
	(void)state;
	g_seen[0] = 0;
	of_log_set_handler(seen, NULL);
	of_log_reset_counts();
	of_log_hold();
	assert_int_equal(of_log_bad_record(0, "a.jsonl", 3, 0, "three"), 0);
	of_log_warn_at("b.jsonl", 1, 0, "b one");
	of_log(OF_LOG_WARN, "summary");
	of_log_warn_at("a.jsonl", 1, 0, "one");
	of_log_warn_at("a.jsonl", 2, 0, "two");
	assert_string_equal(g_seen, "");
	assert_int_equal(of_log_warning_count(), 4);
	assert_int_equal(of_log_bad_record_count(), 1);
	of_log_release();
	assert_string_equal(g_seen, "a.jsonl:1:one|a.jsonl:2:two|a.jsonl:3:three|b.jsonl:1:b one|-:0:summary|");
	/* not holding: straight through; a second release is harmless */
	g_seen[0] = 0;
	of_log_release();
	of_log_warn_at("a.jsonl", 9, 0, "nine");
	assert_string_equal(g_seen, "a.jsonl:9:nine|");
	of_log_set_handler(NULL, NULL);
	of_log_reset_counts();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error__format_with_location),
		cmocka_unit_test(test_buf__limit_is_an_error),
		cmocka_unit_test(test_fileio__atomic_write_and_read),
		cmocka_unit_test(test_fileio__resolve_inside_refuses_escapes),
		cmocka_unit_test(test_fileio__own_file_refuses_links_and_escapes),
		cmocka_unit_test(test_fileio__hashes),
		cmocka_unit_test(test_fileio__safe_part_keeps_every_script),
		cmocka_unit_test(test_json__errors_name_line_and_column),
		cmocka_unit_test(test_json__line_errors_speak_of_the_line),
		cmocka_unit_test(test_json__prefix_says_where_the_value_ends),
		cmocka_unit_test(test_json__array_slice_finds_one_element),
		cmocka_unit_test(test_json__reals_without_float_noise),
		cmocka_unit_test(test_json__seconds_to_the_millisecond),
		cmocka_unit_test(test_utf8__plain3_agrees_with_next),
		cmocka_unit_test(test_utf8__nfkc_and_counts),
		cmocka_unit_test(test_utf8__gb18030_and_legacy),
		cmocka_unit_test(test_log__hold_sorts_by_line),
	};
	return cmocka_run_group_tests_name("common", tests, NULL, NULL);
}
