/* test_hardening.c — regression tests for bugs found in the core while
 * hardening (fuzzing, sanitizers, hostile inputs); see docs/ROBUSTNESS.md. */
#include "testutil.h"

#include "onefish/config.h"
#include "onefish/error.h"
#include "onefish/guard.h"
#include "onefish/limits.h"
#include "onefish/lint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An element holding `n` attributes, as HTML or XML text on line 3. */
static char *many_attrs(size_t n, int valueless)
{
	size_t cap = n * 16 + 128, at = 0;
	char *s = malloc(cap);
	at += (size_t)snprintf(s + at, cap - at, "<html>\n<body>\n<p class=\"x y z\"");
	for (size_t i = 0; i < n; i++)
		at += (size_t)snprintf(s + at, cap - at, valueless ? " a%zu" : " a%zu='1 2'", i);
	snprintf(s + at, cap - at, ">text</p></body></html>\n");
	return s;
}

/* cmark 0.30.2 took 15 s of CPU on "- " x 30,000 (under the size cap). */
static void test_hardening__markdown_guard(void **state)
{
	(void)state;
	char buf[4096];
	for (size_t depth = 99; depth <= 101; depth++) {
		size_t at = (size_t)snprintf(buf, sizeof buf, "# t\n\n");
		for (size_t i = 0; i < depth; i++)
			at += (size_t)snprintf(buf + at, sizeof buf - at, i % 3 == 0 ? "- " : i % 3 == 1 ? "> - " : "12. ");
		snprintf(buf + at, sizeof buf - at, "x\n");
		int rc = of_guard_markdown(buf, strlen(buf), "a.md", 100, 20000);
		assert_int_equal(rc, depth <= 100 ? 0 : OF_ELIMIT);
		if (rc)
			assert_int_equal(of_error_last()->line, 3);
	}
	/* Ordinary Markdown: emphasis, rules, numbers and dashes in text are not nesting. */
	const char *md = "- a\n  - b\n    - c\n\n***\n\n1999. was a year\n-5 degrees\n>quote\n";
	assert_int_equal(of_guard_markdown(md, strlen(md), "a.md", 3, 20000), 0);
	assert_int_equal(of_guard_markdown("[a][b][c]", 9, "a.md", 3, 3), 0);
	assert_int_equal(of_guard_markdown("[a][b][c]\n[", 11, "a.md", 3, 3), OF_ELIMIT);
	assert_int_equal(of_error_last()->line, 2);
}

/* libxml2 2.9.14 took over a minute on 200,000 attributes in an HTML posts export. */
static void test_hardening__markup_attribute_guard(void **state)
{
	(void)state;
	const size_t max = OF_MAX_MARKUP_ATTRS;
	for (int valueless = 0; valueless < 2; valueless++) {
		char *ok = many_attrs(max - 1, valueless), *edge = many_attrs(max - 2, valueless),
		     *over = many_attrs(max, valueless), *bomb = many_attrs(200000, valueless);
		/* The class attribute counts too: max - 1 + 1 = max is allowed, max + 1 is not. */
		assert_int_equal(of_guard_markup(edge, strlen(edge), "p.html", max), 0);
		assert_int_equal(of_guard_markup(ok, strlen(ok), "p.html", max), 0);
		assert_int_equal(of_guard_markup(over, strlen(over), "p.html", max), OF_ELIMIT);
		assert_int_equal(of_guard_markup(bomb, strlen(bomb), "p.html", max), OF_ELIMIT);
		assert_string_equal(of_error_last()->path, "p.html");
		assert_int_equal(of_error_last()->line, 3);
		/* Fed in chunks of 1 and 7 bytes (a streaming reader): the same verdicts. */
		for (size_t step = 1; step <= 7; step += 6) {
			of_markup_guard g;
			int rc = 0;
			of_guard_markup_init(&g, "s.xml", max);
			for (size_t i = 0; i < strlen(over) && rc == 0; i += step)
				rc = of_guard_markup_feed(&g, over + i, strlen(over) - i < step ? strlen(over) - i : step);
			assert_int_equal(rc, OF_ELIMIT);
			assert_int_equal(of_error_last()->line, 3);
			of_guard_markup_init(&g, "s.xml", max);
			rc = 0;
			for (size_t i = 0; i < strlen(ok) && rc == 0; i += step)
				rc = of_guard_markup_feed(&g, ok + i, strlen(ok) - i < step ? strlen(ok) - i : step);
			assert_int_equal(rc, 0);
		}
		free(ok);
		free(edge);
		free(over);
		free(bomb);
	}
	/* Script text, comments, end tags and quoted '>' are not attributes. */
	const char *page = "<!DOCTYPE html><!-- a b c d -->\n<script>if (a<b && c>d) x = '<i a b c>';</script>"
			   "<a href=\"x > y\" title='a=b c d'>t</a></html>";
	assert_int_equal(of_guard_markup(page, strlen(page), "p.html", 3), 0);
	assert_int_equal(of_guard_markup(page, strlen(page), "p.html", 1), OF_ELIMIT);
	/* Newlines in text and inside quoted values (skipped in bulk) still count
	 * toward the line of the element, whatever the chunk boundaries. */
	const char *log = "<i>\n<d p=\"1,\n2\">a\nb</d>\n\n<d p='x\ny'>c</d>\n<d a b c>z</d>\n</i>\n";
	for (size_t step = 1; step <= strlen(log); step++) {
		of_markup_guard g;
		int rc = 0;
		of_guard_markup_init(&g, "s.xml", 2);
		for (size_t i = 0; i < strlen(log) && rc == 0; i += step)
			rc = of_guard_markup_feed(&g, log + i, strlen(log) - i < step ? strlen(log) - i : step);
		assert_int_equal(rc, OF_ELIMIT);
		assert_int_equal(of_error_last()->line, 8);
	}
}


/* lint.c used strtok_r, which skips blank lines: errors named the wrong line. */
static void test_hardening__lint_error_line_counts_blank_lines(void **state)
{
	(void)state;
	const char *dir = of_test_tmpdir();
	char path[512];
	of_lint *l = NULL;
	snprintf(path, sizeof path, "%s/lex.tsv", dir);
	const char *lex1 = "最\t很\n\n# c\n\n\tbad\n";
	of_test_write(path, lex1, strlen(lex1));
	assert_int_equal(of_lint_new(&l, path), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 5);
	/* A last line without a newline still counts. */
	const char *lex2 = "最\t很\r\n\r\n最近\t\tallow";
	of_test_write(path, lex2, strlen(lex2));
	assert_int_equal(of_lint_new(&l, path), 0);
	assert_int_equal(of_lint_scan(l, "最近最好", 12, NULL, NULL), 1);
	of_lint_free(l);
	of_test_rmtree(dir);
}

/* Found by fuzz_lint: an empty lexicon called qsort(NULL, 0) (UB), and a NUL
 * byte silently cut the lexicon short. */
static void test_hardening__lint_empty_and_nul(void **state)
{
	(void)state;
	const char *dir = of_test_tmpdir();
	char path[512];
	of_lint *l = NULL;
	snprintf(path, sizeof path, "%s/lex.tsv", dir);
	of_test_write(path, "# only a comment\n", 17);
	assert_int_equal(of_lint_new(&l, path), 0);
	assert_int_equal(of_lint_scan(l, "最好", 6, NULL, NULL), 0);
	of_lint_free(l);
	of_test_write(path, "最\t很\n第一\0\t首\n顶级\t很好\n", 34);
	assert_int_equal(of_lint_new(&l, path), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 2);
	assert_non_null(strstr(of_error_last()->message, "NUL"));
	of_test_rmtree(dir);
}

/* libyaml reader errors (bad UTF-8, control characters) carry an offset, not
 * a mark: config errors said 1:1 whatever the place. */
static void test_hardening__config_reader_error_line(void **state)
{
	of_config *cfg = NULL;
	(void)state;
	const char bad_utf8[] = "name: ok\nbrand:\n  name: \xff\xfe\n";
	assert_int_equal(of_config_parse(&cfg, bad_utf8, sizeof bad_utf8 - 1, "c.yaml"), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 3);
	assert_int_equal(of_error_last()->col, 9);
	const char ctrl[] = "name: 宝宝\x01\n";
	assert_int_equal(of_config_parse(&cfg, ctrl, sizeof ctrl - 1, "c.yaml"), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 1);
	assert_int_equal(of_error_last()->col, 9); /* columns count characters, not bytes */
}

/* A key longer than the dotted-key buffer was silently truncated (and failed
 * the -O1 build with -Werror=format-truncation). */
static void test_hardening__config_long_key(void **state)
{
	of_config *cfg = NULL;
	char yaml[700];
	(void)state;
	memset(yaml, 'k', sizeof yaml);
	memcpy(yaml, "video:\n  ", 9);
	memcpy(yaml + sizeof yaml - 4, ": 1\n", 4);
	assert_int_equal(of_config_parse(&cfg, yaml, sizeof yaml, "c.yaml"), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "key longer than"));
	assert_int_equal(of_error_last()->line, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hardening__markup_attribute_guard),
		cmocka_unit_test(test_hardening__markdown_guard),
		cmocka_unit_test(test_hardening__lint_error_line_counts_blank_lines),
		cmocka_unit_test(test_hardening__lint_empty_and_nul),
		cmocka_unit_test(test_hardening__config_reader_error_line),
		cmocka_unit_test(test_hardening__config_long_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
