/* test_script_html.c — article readers: HTML (WeChat, generic, share pages, deleted pages) and Markdown details. */
#include "testutil.h"

#include "ingest/article_doc.h"
#include "onefish/error.h"
#include "onefish/fileio.h"

#include <stdlib.h>
#include <string.h>

static of_article_doc *load_ok(const char *path)
{
	of_article_doc *d = NULL;
	int rc = of_article_doc_load(&d, path);
	if (rc != 0)
		fail_msg("%s: %s", path, of_error_last()->message);
	return d;
}

static size_t count(const of_article_doc *d, int kind)
{
	size_t i, n = 0;
	for (i = 0; i < d->n_blocks; i++)
		n += d->blocks[i].kind == kind;
	return n;
}

static int any_text(const of_article_doc *d, const char *needle)
{
	size_t i;
	for (i = 0; i < d->n_blocks; i++)
		if (strstr(d->blocks[i].text, needle))
			return 1;
	return 0;
}

static void test_script_html__generic_article(void **state)
{
	(void)state;
	of_article_doc *d = load_ok(of_fixture("script/generic.html"));
	assert_string_equal(d->title, "冬天宝宝洗澡的五个细节"); /* the h1, not <title> with the site name */
	assert_int_equal(count(d, OF_BLOCK_HEADING), 4);
	assert_int_equal(count(d, OF_BLOCK_PARA), 4);
	assert_int_equal(count(d, OF_BLOCK_IMAGE), 1);
	assert_string_equal(d->image, "images/p01-1.jpg");
	assert_false(any_text(d, "不应出现")); /* scripts are not text */
	assert_false(any_text(d, "首页"));     /* navigation is outside <article> */
	assert_false(any_text(d, "版权所有"));
	of_article_doc_free(d);
}

static void test_script_html__wechat_js_content_and_lazy_images(void **state)
{
	(void)state;
	of_article_doc *d = load_ok(of_fixture("script/wechat-mini.html"));
	assert_string_equal(d->title, "辅食第一口，为什么是高铁米粉？");
	assert_true(any_text(d, "母乳里的铁含量很低，每升只有0.3毫克左右，远远不够。"));
	assert_false(any_text(d, "微信扫一扫"));
	/* data-src wins over the data: placeholder */
	size_t i;
	int found = 0;
	for (i = 0; i < d->n_blocks; i++)
		if (d->blocks[i].image && strcmp(d->blocks[i].image, "images/p02-1.jpg") == 0)
			found = 1;
	assert_true(found);
	assert_string_equal(d->image, "https://mmbiz.qpic.cn/mmbiz_jpg/cover/0?wx_fmt=jpeg");
	of_article_doc_free(d);
}

static void test_script_html__no_body_rejected(void **state)
{
	of_article_doc *d = NULL;
	const char *pages[] = {"<html><head><title>空</title></head></html>", "<html><body><div></div></body></html>",
			       "", "\x00\x01\x02 not html"};
	size_t i;
	(void)state;
	for (i = 0; i < 4; i++) {
		assert_int_equal(of_article_doc_parse_html(&d, pages[i], strlen(pages[i]), "page.html"), OF_EINVALID);
		assert_null(d);
	}
}

static void test_script_html__deleted_and_expired_pages(void **state)
{
	of_article_doc *d = NULL;
	const char *del = of_corpus("wechat-article-html/wae-deleted-by-author-06.html");
	(void)state;
	if (!del)
		skip();
	assert_int_equal(of_article_doc_load(&d, del), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "deleted by the author"));
	const char *exp = of_corpus("wechat-article-html/wechatsogou-article_detail_expired.html");
	assert_int_equal(of_article_doc_load(&d, exp), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "链接已过期"));
	assert_null(d);
}

static void test_script_html__wechat_corpus_pages(void **state)
{
	(void)state;
	const char *normal = of_corpus("wechat-article-html/wae-normal-04-boyuanba-finance.html");
	if (!normal)
		skip();
	of_article_doc *d = load_ok(normal);
	assert_string_equal(d->title, "好险，就差1.5点，两手准备");
	assert_true(count(d, OF_BLOCK_PARA) >= 5);
	assert_true(count(d, OF_BLOCK_IMAGE) >= 1);
	of_article_doc_free(d);
	/* image-share page: the text lives in the content_noencode string */
	d = load_ok(of_corpus("wechat-article-html/wae-imageshare-03-shenguang-salary.html"));
	assert_true(any_text(d, "还是打工好，每月稳定到账工资"));
	assert_false(any_text(d, "\\x0a"));
	of_article_doc_free(d);
}

/* The share page's JsDecode string is unescaped as JavaScript would: \\u escapes
 * (with surrogate pairs) become characters, a \\x00 does not end the text, markup
 * spelled with escapes is a line break, an escape that is not one stays as written. */
static void test_script_html__wechat_share_escapes(void **state)
{
	static const char page[] =
		"<html><head><meta property=\"og:title\" content=\"分享\"></head><body><script>var x = {"
		"content_noencode: JsDecode('第一句\\u4e2d\\u6587。\\x00第二句\\x3c/p\\x3e第三句\\ud83d\\ude00。"
		"\\x每次加一勺。\\x0a最后\\'一句\\'。')};</script></body></html>";
	of_article_doc *d = NULL;
	(void)state;
	assert_int_equal(of_article_doc_parse_html(&d, page, sizeof page - 1, "share.html"), 0);
	assert_true(any_text(d, "第一句中文。第二句"));
	assert_true(any_text(d, "第三句\xF0\x9F\x98\x80。\\x每次加一勺。"));
	assert_true(any_text(d, "最后'一句'。"));
	for (size_t i = 0; i < d->n_blocks; i++)
		assert_null(strstr(d->blocks[i].text, "</p>"));
	of_article_doc_free(d);
}

static void test_script_html__refused_schemes(void **state)
{
	of_article_doc *d = NULL;
	(void)state;
	assert_int_equal(of_article_doc_load(&d, "file:///etc/passwd"), OF_EINVALID);
	assert_int_equal(of_article_doc_load(&d, "ftp://example.com/a.html"), OF_EINVALID);
	assert_int_equal(of_article_doc_load(&d, "gopher://x/"), OF_EINVALID);
	assert_null(d);
}

static void test_script_html__markdown_front_matter_and_lines(void **state)
{
	of_article_doc *d = NULL;
	const char *md = "---\ntitle: 标题\nsummary: 摘要\n---\n\n# 文中标题\n\n第一段，第一行\n第二行。\n\n## 小节\n\n![图](a.jpg)\n\n> 引用里的话。\n\n- 列表一项。\n";
	(void)state;
	assert_int_equal(of_article_doc_parse_markdown(&d, md, strlen(md), "a.md"), 0);
	assert_string_equal(d->title, "标题");
	assert_string_equal(d->summary, "摘要");
	assert_int_equal(d->blocks[1].kind, OF_BLOCK_PARA);
	assert_string_equal(d->blocks[1].text, "第一段，第一行第二行。"); /* Chinese lines join without a space */
	assert_int_equal(d->blocks[1].line, 8);                          /* file line, after the front matter */
	assert_int_equal(d->blocks[2].kind, OF_BLOCK_HEADING);
	assert_int_equal(d->blocks[3].kind, OF_BLOCK_IMAGE);
	assert_int_equal(d->blocks[3].section, 1);
	assert_true(d->n_blocks == 6);
	of_article_doc_free(d);
	const char *bad = "---\ntitle: [oops\n---\ntext\n";
	assert_int_equal(of_article_doc_parse_markdown(&d, bad, strlen(bad), "b.md"), OF_EINVALID);
	assert_string_equal(of_error_last()->path, "b.md");
	assert_true(of_error_last()->line >= 2);
	/* an edit that deleted the closing '---' is an error, not "title: …" published as text */
	const char *open_fm = "---\ntitle: 标题\nsummary: 摘要\n\n# 文中标题\n\n第一段。\n";
	assert_int_equal(of_article_doc_parse_markdown(&d, open_fm, strlen(open_fm), "c.md"), OF_EINVALID);
	assert_null(d);
	assert_non_null(strstr(of_error_last()->message, "is not closed"));
	assert_int_equal(of_error_last()->line, 1);
	/* a document that starts with a thematic break is still Markdown */
	const char *rule = "---\n\n第一段。\n";
	assert_int_equal(of_article_doc_parse_markdown(&d, rule, strlen(rule), "d.md"), 0);
	of_article_doc_free(d);
	const char *link = "---\nhttps://example.com/a 是原文。\n";
	assert_int_equal(of_article_doc_parse_markdown(&d, link, strlen(link), "e.md"), 0);
	of_article_doc_free(d);
}


/* Every prefix of the fixtures, and byte-flipped copies, parse or fail cleanly (no crash, no leak). */
static void test_script_html__truncated_and_mangled_inputs(void **state)
{
	const char *files[] = {"script/article.md", "script/generic.html", "script/wechat-mini.html"};
	size_t f, len, cut;
	(void)state;
	for (f = 0; f < 3; f++) {
		char *data = of_test_slurp(of_fixture(files[f]), &len);
		int html = strstr(files[f], ".html") != NULL;
		for (cut = 0; cut <= len; cut += 7) {
			of_article_doc *d = NULL;
			char *copy = malloc(cut + 1);
			memcpy(copy, data, cut);
			copy[cut] = '\0';
			if (cut > 10)
				copy[cut / 2] ^= (char)0xA5; /* an invalid byte in the middle */
			int rc = html ? of_article_doc_parse_html(&d, copy, cut, "x.html")
				      : of_article_doc_parse_markdown(&d, copy, cut, "x.md");
			assert_true(rc == 0 || rc == OF_EINVALID || rc == OF_ELIMIT);
			assert_true((rc == 0) == (d != NULL));
			of_article_doc_free(d);
			free(copy);
		}
		free(data);
	}
}

static void test_script_html__front_matter_caps(void **state)
{
	of_article_doc *d = NULL;
	char buf[4096];
	size_t n = 0, i;
	(void)state;
	n += (size_t)snprintf(buf, sizeof buf, "---\ntitle: ");
	for (i = 0; i < 40; i++)
		buf[n++] = '{';
	n += (size_t)snprintf(buf + n, sizeof buf - n, "a: 1");
	for (i = 0; i < 40; i++)
		buf[n++] = '}';
	n += (size_t)snprintf(buf + n, sizeof buf - n, "\n---\n正文。\n");
	assert_int_equal(of_article_doc_parse_markdown(&d, buf, n, "deep.md"), OF_ELIMIT);
	assert_non_null(strstr(of_error_last()->message, "deeper"));
	assert_null(d);
}


static void test_script_html__hostile_nesting_and_attributes(void **state)
{
	of_article_doc *d = NULL;
	size_t n = 0, i, cap = 2000000;
	char *h = malloc(cap);
	(void)state;
	n += (size_t)snprintf(h, cap, "<html><body>");
	for (i = 0; i < 100000; i++)
		n += (size_t)snprintf(h + n, cap - n, "<div>");
	n += (size_t)snprintf(h + n, cap - n, "<p>宝宝吃饭了。今天天气很好。</p></body></html>");
	assert_int_equal(of_article_doc_parse_html(&d, h, n, "deep.html"), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "depth"));
	assert_null(strstr(of_error_last()->message, "HUGE"));
	n = (size_t)snprintf(h, cap, "<html><body><p ");
	for (i = 0; i < 20000; i++)
		n += (size_t)snprintf(h + n, cap - n, "a%zu=1 ", i);
	n += (size_t)snprintf(h + n, cap - n, ">宝宝吃饭了。</p></body></html>");
	assert_int_equal(of_article_doc_parse_html(&d, h, n, "attrs.html"), OF_ELIMIT);
	assert_null(d);
	free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_html__generic_article),
		cmocka_unit_test(test_script_html__wechat_js_content_and_lazy_images),
		cmocka_unit_test(test_script_html__no_body_rejected),
		cmocka_unit_test(test_script_html__deleted_and_expired_pages),
		cmocka_unit_test(test_script_html__wechat_corpus_pages),
		cmocka_unit_test(test_script_html__wechat_share_escapes),
		cmocka_unit_test(test_script_html__refused_schemes),
		cmocka_unit_test(test_script_html__markdown_front_matter_and_lines),
		cmocka_unit_test(test_script_html__truncated_and_mangled_inputs),
		cmocka_unit_test(test_script_html__front_matter_caps),
		cmocka_unit_test(test_script_html__hostile_nesting_and_attributes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
