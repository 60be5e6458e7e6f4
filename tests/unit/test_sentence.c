/* test_sentence.c — Chinese sentence splitting. */
#include "testutil.h"

#include "onefish/sentence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Splits and joins the sentences with '|' for easy comparison. */
static char *split(const char *text, int nl)
{
	of_sentence *s;
	size_t n, i, at = 0;
	static char buf[4096];
	assert_int_equal(of_sentence_split(&s, &n, text, strlen(text), nl), 0);
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%.*s", i ? "|" : "", (int)s[i].len,
				       text + s[i].offset);
	}
	free(s);
	return buf;
}

static void test_sentence__basic_terminators(void **state)
{
	(void)state;
	assert_string_equal(split("今天天气好。我们去公园吧！你来吗？来；不来……算了", 0),
			    "今天天气好。|我们去公园吧！|你来吗？|来；|不来……|算了");
}

static void test_sentence__keeps_numbers(void **state)
{
	(void)state;
	assert_string_equal(split("米粉3.5元一盒。共1,000盒，涨了12.5%。", 0), "米粉3.5元一盒。|共1,000盒，涨了12.5%。");
	assert_string_equal(split("版本 v1.2.3 已发布. Next one soon.", 0), "版本 v1.2.3 已发布.|Next one soon.");
}

/* The full stop of a title or an initial does not end a sentence (QA: "营养师Dr." was a scene of its own). */
static void test_sentence__abbreviations(void **state)
{
	(void)state;
	assert_string_equal(split("我们的营养师Dr. Zhou说：要少量。Mr. Li and J. K. Rowling came. Then go.", 0),
			    "我们的营养师Dr. Zhou说：要少量。|Mr. Li and J. K. Rowling came.|Then go.");
	/* a word ending like a title is still the end of its sentence */
	assert_string_equal(split("Call the doctor. Tomorrow is fine.", 0), "Call the doctor.|Tomorrow is fine.");
}

static void test_sentence__keeps_urls(void **state)
{
	(void)state;
	assert_string_equal(split("详见https://example.com/a.html?x=1!y 或 www.ex.cn/p。谢谢。", 0),
			    "详见https://example.com/a.html?x=1!y 或 www.ex.cn/p。|谢谢。");
	assert_string_equal(split("See http://a.org/x. Then go.", 0), "See http://a.org/x.|Then go.");
}

static void test_sentence__closing_quotes_stay(void **state)
{
	(void)state;
	assert_string_equal(split("妈妈说：「吃饭了。」宝宝笑了。", 0), "妈妈说：「吃饭了。」|宝宝笑了。");
	assert_string_equal(split("他问“真的吗？”我点头（没错！）然后走了", 0), "他问“真的吗？”|我点头（没错！）|然后走了");
}

static void test_sentence__newlines(void **state)
{
	(void)state;
	assert_string_equal(split("第一行\n还是第一句。\n\n第二段", 0), "第一行\n还是第一句。|第二段");
	assert_string_equal(split("第一行\n第二行", 1), "第一行|第二行");
	assert_string_equal(split("  \n \n", 0), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sentence__basic_terminators),
		cmocka_unit_test(test_sentence__keeps_numbers),
		cmocka_unit_test(test_sentence__abbreviations),
		cmocka_unit_test(test_sentence__keeps_urls),
		cmocka_unit_test(test_sentence__closing_quotes_stay),
		cmocka_unit_test(test_sentence__newlines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
