/* test_json_hostile.c — SAFE-INPUT rows 15-20 at the JSON layer (of_json_parse /
 * of_json_load): every hostile document is refused with origin:line:col, in
 * bounded time, without a stack overflow or a silently truncated string. */
#include "testutil.h"

#include "onefish/error.h"
#include "onefish/json.h"
#include "onefish/limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse(const char *s, size_t len, unsigned long line_base, json_t **v)
{
	return of_json_parse(v, s, len, "h.json", line_base);
}

static void expect_refused(const char *s, size_t len, int code, unsigned long line, const char *needle)
{
	json_t *v = NULL;
	assert_int_equal(parse(s, len, 0, &v), code);
	assert_null(v);
	assert_string_equal(of_error_last()->path, "h.json");
	assert_int_equal(of_error_last()->line, line);
	if (needle && !strstr(of_error_last()->message, needle))
		fail_msg("message '%s' lacks '%s'", of_error_last()->message, needle);
}

/* Row 15: '[' x 100,000 is a depth-limit error, before jansson recurses. */
static void test_json_hostile__depth_bomb(void **state)
{
	(void)state;
	size_t n = 100000;
	char *s = malloc(n);
	memset(s, '[', n);
	expect_refused(s, n, OF_ELIMIT, 1, "deeper than");
	assert_int_equal(of_error_last()->col, OF_MAX_JSON_DEPTH + 1);
	memset(s, '{', n);
	expect_refused(s, n, OF_ELIMIT, 1, "deeper than");
	free(s);
	/* Brackets inside strings do not count. */
	json_t *v = NULL;
	const char *ok = "{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"\"}";
	assert_int_equal(parse(ok, strlen(ok), 0, &v), 0);
	json_decref(v);
}

/* Limit - 1, limit, limit + 1. */
static void test_json_hostile__depth_at_limit(void **state)
{
	(void)state;
	char s[2 * OF_MAX_JSON_DEPTH + 8];
	for (int d = OF_MAX_JSON_DEPTH - 1; d <= OF_MAX_JSON_DEPTH + 1; d++) {
		json_t *v = NULL;
		memset(s, '[', (size_t)d);
		memset(s + d, ']', (size_t)d);
		int rc = parse(s, 2 * (size_t)d, 0, &v);
		assert_int_equal(rc, d <= OF_MAX_JSON_DEPTH ? 0 : OF_ELIMIT);
		json_decref(v);
	}
}

/* Row 17: lone surrogate, embedded NUL, overlong UTF-8. */
static void test_json_hostile__bad_strings(void **state)
{
	(void)state;
	expect_refused("{\"t\":\"\\ud800\"}", 14, OF_EINVALID, 1, "invalid Unicode");
	expect_refused("{\"t\":\"a\\u0000b\"}", 16, OF_EINVALID, 1, "\\u0000");
	expect_refused("{\"t\":\"\xC0\xAF\"}", 10, OF_EINVALID, 1, NULL);
	expect_refused("{\"t\":\"\xFF\xFE\"}", 10, OF_EINVALID, 1, NULL);
	/* A raw NUL byte in the buffer: refused, never a silently shortened string. */
	expect_refused("{\"t\":\"a\0b\"}", 11, OF_EINVALID, 1, NULL);
}

/* Row 18: duplicate keys are refused (documented rule), naming the line. */
static void test_json_hostile__duplicate_keys(void **state)
{
	(void)state;
	expect_refused("{\n\"text\":\"a\",\n\"text\":\"b\"}", 25, OF_EINVALID, 3, "duplicate");
}

/* Row 19: numbers out of range are errors; -0 and big ids as strings are fine. */
static void test_json_hostile__numbers(void **state)
{
	json_t *v = NULL;
	(void)state;
	expect_refused("{\"time\":1e400}", 14, OF_EINVALID, 1, "overflow");
	expect_refused("{\"id\":123456789012345678901234567890}", 37, OF_EINVALID, 1, "too big");
	assert_int_equal(parse("{\"a\":-0,\"id\":\"123456789012345678901234567890\"}", 46, 0, &v), 0);
	assert_string_equal(json_string_value(json_object_get(v, "id")), "123456789012345678901234567890");
	json_decref(v);
}

/* Row 16: a JSONL record's error carries its own line (line_base). */
static void test_json_hostile__record_line(void **state)
{
	json_t *v = NULL;
	(void)state;
	assert_int_equal(parse("{\"a\":1}{\"b\":", 12, 6999, &v), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 7000);
	assert_int_equal(parse("{\"id\":\"p05000\",\"te", 18, 4999, &v), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 5000);
}

/* Row 20: a BOM is skipped by of_json_load; CRLF and trailing blank lines are whitespace. */
static void test_json_hostile__bom_crlf(void **state)
{
	json_t *v = NULL;
	(void)state;
	const char *dir = of_test_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/bom.json", dir);
	of_test_write(path, "\xEF\xBB\xBF{\"a\":\r\n1}\r\n\r\n  \r\n", 20);
	assert_int_equal(of_json_load(&v, path, 1024), 0);
	assert_int_equal(json_integer_value(json_object_get(v, "a")), 1);
	json_decref(v);
	/* Over the cap: OF_ELIMIT naming the file, nothing parsed. */
	assert_int_equal(of_json_load(&v, path, 8), OF_ELIMIT);
	assert_string_equal(of_error_last()->path, path);
	of_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_hostile__depth_bomb),
		cmocka_unit_test(test_json_hostile__depth_at_limit),
		cmocka_unit_test(test_json_hostile__bad_strings),
		cmocka_unit_test(test_json_hostile__duplicate_keys),
		cmocka_unit_test(test_json_hostile__numbers),
		cmocka_unit_test(test_json_hostile__record_line),
		cmocka_unit_test(test_json_hostile__bom_crlf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
