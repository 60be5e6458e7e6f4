/* test_segment.c — friso word segmentation behind of_segment. */
#include "testutil.h"

#include "onefish/segment.h"

#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *seg(const of_segmenter *s, const char *text)
{
	of_token *t;
	size_t n, i, at = 0, covered = 0;
	static char buf[4096];
	assert_int_equal(of_segment(s, text, strlen(text), &t, &n), 0);
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		assert_int_equal(t[i].offset, covered); /* every byte, in order */
		covered += t[i].len;
		if (t[i].kind == OF_TOKEN_SPACE)
			continue;
		at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%.*s", at ? "/" : "", (int)t[i].len,
				       text + t[i].offset);
	}
	assert_int_equal(covered, strlen(text));
	free(t);
	return buf;
}

static int have_dict(void)
{
	struct stat st;
	return stat("/usr/share/friso/dict/UTF-8/friso.lex.ini", &st) == 0;
}

static void test_segment__friso_words(void **state)
{
	of_segmenter *s;
	(void)state;
	if (!have_dict())
		skip();
	assert_int_equal(of_segmenter_new(&s), 0);
	assert_string_equal(seg(s, "宝宝到底吃什么"), "宝宝/到底/吃/什么");
	assert_string_equal(seg(s, "中国人民银行的营养专家"), "中国/人民银行/的/营养/专家");
	of_segmenter_free(s);
}

static void test_segment__numbers_and_urls_whole(void **state)
{
	of_segmenter *s;
	(void)state;
	assert_int_equal(of_segmenter_new(&s), 0);
	assert_string_equal(seg(s, "3.5元"), "3.5/元");
	assert_string_equal(seg(s, "20:00开播，1,000人，涨12.5%。"), "20:00/开播/，/1,000/人/，/涨/12.5%/。");
	assert_string_equal(seg(s, "见https://ex.com/a?b=1。"), "见/https://ex.com/a?b=1/。");
	assert_string_equal(seg(s, "iPhone 15 Pro"), "iPhone/15/Pro");
	of_segmenter_free(s);
}

static void test_segment__fallback_without_dictionary(void **state)
{
	of_segmenter *s;
	(void)state;
	setenv("ONEFISH_FRISO_DIR", "/nonexistent/friso", 1);
	assert_int_equal(of_segmenter_new(&s), 0);
	unsetenv("ONEFISH_FRISO_DIR");
	assert_string_equal(seg(s, "宝宝吃饭3.5元"), "宝/宝/吃/饭/3.5/元");
	of_segmenter_free(s);
}

static void test_segment__empty_and_invalid(void **state)
{
	of_segmenter *s;
	of_token *t;
	size_t n;
	(void)state;
	assert_int_equal(of_segmenter_new(&s), 0);
	assert_int_equal(of_segment(s, "", 0, &t, &n), 0);
	assert_int_equal(n, 0);
	free(t);
	assert_string_equal(seg(s, "a\xff\xfe宝"), "a/\xff/\xfe/宝");
	of_segmenter_free(s);
}

/* Threads asking at once get one segmenter, loaded once, that splits like a new one. */
static void *ask_shared(void *arg)
{
	const of_segmenter **out = arg;
	return of_segmenter_shared(out) == 0 ? (void *)out : NULL;
}

static void test_segment__shared_instance(void **state)
{
	const of_segmenter *got[4], *again;
	pthread_t th[4];
	void *ok;
	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, ask_shared, &got[i]), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], &ok), 0);
		assert_non_null(ok);
		assert_non_null(got[i]);
		assert_ptr_equal(got[i], got[0]);
	}
	assert_int_equal(of_segmenter_shared(&again), 0);
	assert_ptr_equal(again, got[0]);
	if (have_dict())
		assert_string_equal(seg(again, "宝宝到底吃什么"), "宝宝/到底/吃/什么");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_segment__friso_words),
		cmocka_unit_test(test_segment__numbers_and_urls_whole),
		cmocka_unit_test(test_segment__fallback_without_dictionary),
		cmocka_unit_test(test_segment__empty_and_invalid),
		cmocka_unit_test(test_segment__shared_instance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
