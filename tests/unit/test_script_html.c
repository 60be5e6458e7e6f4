/* test_script_html.c — article readers: HTML (WeChat, generic, share pages, deleted pages) and Markdown details. */
#include "testutil.h"

#include "ingest/article_doc.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/sandbox.h"
#include "onefish/storyboard.h"
#include "onefish/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Warnings logged while a test runs, "line: message" one a line. */
static of_buf logged;

static void capture(const of_log_record *r, void *payload)
{
	char at[32];
	(void)payload;
	if (r->level != OF_LOG_WARN)
		return;
	snprintf(at, sizeof at, "%lu: ", r->line);
	of_buf_puts(&logged, at);
	of_buf_puts(&logged, r->message);
	of_buf_putc(&logged, '\n');
}

/* The image block naming `image`, or fails the test. */
static const of_article_block *image_block(const of_article_doc *d, const char *image)
{
	for (size_t i = 0; i < d->n_blocks; i++)
		if (d->blocks[i].kind == OF_BLOCK_IMAGE && d->blocks[i].image && !strcmp(d->blocks[i].image, image))
			return &d->blocks[i];
	fail_msg("no image block for %s", image);
	return NULL;
}

/* An article page's <img> is read as the posts export's is (docs/article.md): a real src
 * wins; when src is absent or a placeholder, srcset's largest, data-srcset, data-src and the
 * other lazy addresses, then its <picture>'s first readable <source srcset>; an inline data:
 * picture is no photo. Paths are kept as written (a Windows '\' and the case too: the script
 * stage looks them up), each at the line of the element that named it. */
static void test_script_html__img_srcset_picture_lazy(void **state)
{
	(void)state;
	of_article_doc *d = NULL;
	const char *html =
		"<html><head><meta charset=\"utf-8\"><meta property=\"og:image\" content=\"images/cover.jpg\">"
		"</head><body><article>\n"                                                                          /* 1 */
		"<h1>宝宝辅食第一口</h1>\n"                                                                         /* 2 */
		"<p>宝宝辅食第一口，米粉最合适，温水冲调，先从一勺开始。</p>\n"                                    /* 3 */
		"<img srcset=\"images/a-640.jpg 640w, images/a-1280.jpg 1280w\">\n"                                  /* 4 */
		"<p>辅食添加的顺序：先米粉，再菜泥，最后果泥和肉泥。</p>\n"                                        /* 5 */
		"<img src=\"images/blank.gif\" data-srcset=\"images/b.jpg, images/b-2x.jpg 2x\">\n"                 /* 6 */
		"<picture>\n"                                                                                        /* 7 */
		"<source type=\"image/avif\" srcset=\"images/c.avif\">\n"                                           /* 8 */
		"<source srcset=\"images/c-640.webp 640w, images/c-1280.webp 1280w\">\n"                            /* 9 */
		"<img src=\"\" alt=\"米粉\"></picture>\n"                                                           /* 10 */
		"<img src=\"images/real.jpg\" data-src=\"https://mmbiz.qpic.cn/x/0?wx_fmt=jpeg\">\n"                /* 11 */
		"<img data-src=\"images/photo.jpg\" src=\"data:image/svg+xml,%3Csvg%3E\">\n"                       /* 12 */
		"<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\">\n"                                         /* 13 */
		"<p>米粉冲好后要尽快吃完，放久了容易滋生细菌哦。</p>\n"                                            /* 14 */
		"<img src=\"IMAGES\\Case.JPG\"><img srcset=\"images\\win-1x.jpg, images\\win-2x.jpg 2x\">\n"      /* 15 */
		"</article></body></html>\n";
	assert_int_equal(of_article_doc_parse_html(&d, html, strlen(html), "page.html"), 0);
	assert_int_equal(count(d, OF_BLOCK_IMAGE), 7); /* the data: picture is none */
	assert_int_equal(image_block(d, "images/a-1280.jpg")->line, 4);
	assert_int_equal(image_block(d, "images/a-1280.jpg")->image_line, 4);
	assert_int_equal(image_block(d, "images/b-2x.jpg")->image_line, 6);
	/* the <source> that named it gives the line; the AVIF one is passed over */
	assert_int_equal(image_block(d, "images/c-1280.webp")->image_line, 9);
	assert_string_equal(image_block(d, "images/c-1280.webp")->text, "米粉");
	assert_int_equal(image_block(d, "images/real.jpg")->image_line, 11);
	assert_int_equal(image_block(d, "images/photo.jpg")->image_line, 12);
	assert_int_equal(image_block(d, "IMAGES\\Case.JPG")->image_line, 15);
	assert_int_equal(image_block(d, "images\\win-2x.jpg")->image_line, 15);
	for (size_t i = 0; i < d->n_blocks; i++)
		assert_true(!d->blocks[i].image || strncmp(d->blocks[i].image, "data:", 5) != 0);
	assert_string_equal(d->image, "images/cover.jpg");
	assert_int_equal(d->image_line, 1);
	of_article_doc_free(d);

	/* a <picture>'s sources stand for its first <img> only; a second <img> keeps its own src */
	const char *two = "<html><body><article><p>宝宝辅食第一口，米粉最合适，温水冲调。</p>\n"
			  "<picture><source srcset=\"images/p-2x.jpg 2x\"><img src=\"\"><img src=\"blank.gif\"></picture>"
			  "</article></body></html>";
	assert_int_equal(of_article_doc_parse_html(&d, two, strlen(two), "two.html"), 0);
	assert_int_equal(count(d, OF_BLOCK_IMAGE), 2);
	image_block(d, "images/p-2x.jpg");
	image_block(d, "blank.gif");
	of_article_doc_free(d);

	/* a srcset over the caps is not read, with a warning at its <img>'s line */
	of_buf big;
	of_buf_init(&big, 1 << 22);
	of_buf_puts(&big, "<html><body><article><p>宝宝辅食第一口，米粉最合适，温水冲调。</p>\n\n<img srcset=\"");
	for (int k = 0; k < 2000; k++) {
		char c[48];
		snprintf(c, sizeof c, "%simages/x%d.jpg %dw", k ? ", " : "", k, k + 1);
		of_buf_puts(&big, c);
	}
	of_buf_puts(&big, "\" src=\"images/fallback.jpg\" data-src=\"images/photo.jpg\"></article></body></html>");
	of_buf_init(&logged, 1 << 16);
	of_log_set_handler(capture, NULL);
	assert_int_equal(of_article_doc_parse_html(&d, of_buf_cstr(&big), of_buf_len(&big), "big.html"), 0);
	of_log_set_handler(NULL, NULL);
	/* a real src wins: the srcset is not even read */
	image_block(d, "images/fallback.jpg");
	assert_string_equal(of_buf_cstr(&logged), "");
	of_article_doc_free(d);
	of_buf_truncate(&big, 0);
	of_buf_puts(&big, "<html><body><article><p>宝宝辅食第一口，米粉最合适，温水冲调。</p>\n\n<img srcset=\"");
	for (int k = 0; k < 2000; k++) {
		char c[48];
		snprintf(c, sizeof c, "%simages/x%d.jpg %dw", k ? ", " : "", k, k + 1);
		of_buf_puts(&big, c);
	}
	of_buf_puts(&big, "\" data-src=\"images/photo.jpg\"></article></body></html>");
	of_log_set_handler(capture, NULL);
	assert_int_equal(of_article_doc_parse_html(&d, of_buf_cstr(&big), of_buf_len(&big), "big.html"), 0);
	of_log_set_handler(NULL, NULL);
	image_block(d, "images/photo.jpg");
	assert_non_null(strstr(of_buf_cstr(&logged), "3: <img srcset> not read: srcset is "));
	assert_non_null(strstr(of_buf_cstr(&logged), "over the 16384-byte limit"));
	of_article_doc_free(d);
	of_buf_free(&big);
	of_buf_free(&logged);
}

/* An <img> past line 65,535 keeps its own line (libxml2 2.9.14 stops counting there), and the
 * page is still read as htmlReadMemory reads it. */
static void test_script_html__img_lines_past_65535(void **state)
{
	(void)state;
	of_article_doc *d = NULL;
	of_buf b;
	of_buf_init(&b, 1 << 20);
	of_buf_puts(&b, "<html><body><article>\n<p>宝宝辅食第一口，米粉最合适，温水冲调，先从一勺开始。</p>\n<div>\n");
	for (int i = 0; i < 70000; i++)
		of_buf_puts(&b, "<br>\n");
	of_buf_puts(&b, "</div>\n<img src=\"images/l.jpg\">\n<picture>\n<source srcset=\"images/m.jpg 2x\">\n<img\n src=\"\">"
			"</picture></article></body></html>\n");
	assert_int_equal(of_article_doc_parse_html(&d, of_buf_cstr(&b), of_buf_len(&b), "long.html"), 0);
	/* no charset declared: read as UTF-8, as htmlReadMemory reads it (not Latin-1) */
	assert_true(any_text(d, "宝宝辅食第一口"));
	assert_int_equal(image_block(d, "images/l.jpg")->image_line, 70005);
	assert_int_equal(image_block(d, "images/m.jpg")->image_line, 70007);
	of_article_doc_free(d);
	of_buf_free(&b);
}

/* A Markdown article's image keeps its path as written (images\0101.jpg, IMAGES/A.JPG: the
 * script stage looks it up) and its own line, also when it is not the paragraph's first line,
 * also in the front matter; the same through the parse worker. */
static void test_script_html__markdown_image_lines(void **state)
{
	(void)state;
	const char *md = "---\n"                           /* 1 */
			 "title: 宝宝辅食\n"                 /* 2 */
			 "cover: images\\cover.jpg\n"        /* 3 */
			 "---\n"                             /* 4 */
			 "宝宝辅食第一口，米粉最合适。\n"    /* 5 */
			 "温水冲调，先从一勺开始。\n"        /* 6 */
			 "![米粉](images\\0101.jpg)\n"       /* 7 */
			 "\n"                                /* 8 */
			 "![](IMAGES/P02-1.JPG)\n";          /* 9 */
	char dir[256], path[320];
	snprintf(dir, sizeof dir, "%s", of_test_tmpdir());
	snprintf(path, sizeof path, "%s/a.md", dir);
	of_test_write(path, md, strlen(md));
	for (int iso = 0; iso < 2; iso++) {
		of_article_doc *d = NULL;
		of_sandbox_limits lim = OF_SANDBOX_LIMITS_INIT;
		assert_int_equal(of_article_doc_load_iso(&d, path, NULL, iso ? &lim : NULL), 0);
		const of_article_block *b = NULL;
		for (size_t i = 0; i < d->n_blocks; i++)
			if (d->blocks[i].image && !strcmp(d->blocks[i].image, "images\\0101.jpg"))
				b = &d->blocks[i];
		assert_non_null(b);
		assert_int_equal(b->kind, OF_BLOCK_PARA);
		assert_int_equal(b->line, 5);       /* the paragraph's */
		assert_int_equal(b->image_line, 7); /* the image's own */
		assert_int_equal(image_block(d, "IMAGES/P02-1.JPG")->image_line, 9);
		assert_string_equal(d->image, "images\\cover.jpg");
		assert_int_equal(d->image_line, 3);
		of_article_doc_free(d);
	}
	of_test_rmtree(dir);
}

/* Runs `onefish script` on article `name` (written with `text` into `dir`/art), offline, with
 * the warnings captured in `logged`; returns its exit code and in `photo` the name of the
 * photo its scenes show ("" when they show only the brand background). */
static int script_photo(char photo[128], const char *dir, const char *name, const char *text, int strict)
{
	static int run;
	char path[512], out[512], json[600];
	of_script_options o = OF_SCRIPT_OPTIONS_INIT;
	of_stage_stats st = {0};
	json_t *sb = NULL;
	o.duration = 15;
	o.fetch_images = 0;
	o.flags.strict = strict;
	snprintf(path, sizeof path, "%s/art/%s", dir, name);
	snprintf(out, sizeof out, "%s/out-%d", dir, run++);
	of_test_write(path, text, strlen(text));
	of_buf_truncate(&logged, 0);
	of_log_set_handler(capture, NULL);
	int rc = of_script_build(path, &o, out, &st);
	of_log_set_handler(NULL, NULL);
	photo[0] = 0;
	snprintf(json, sizeof json, "%s/script.json", out);
	if (rc == 0 && of_json_load(&sb, json, 1 << 22) == 0) {
		const json_t *sc;
		size_t i;
		json_array_foreach(json_object_get(sb, "scenes"), i, sc) {
			const char *im = of_json_str(sc, "image");
			if (im && !strstr(im, "brand-background") && strncmp(im, "images/v-", 9) == 0)
				snprintf(photo, 128, "%s", im + 9); /* images/v-name.ext */
		}
	}
	json_decref(sb);
	return rc;
}

/* The script stage finds an article's images as the article stage finds the posts' (one lookup,
 * image_path.h): a path written on Windows (images\0101.jpg), a name in the wrong case
 * (IMAGES/0101.JPG, found with a warning at the image's own line naming the name on disk),
 * from a Markdown article and from a page's srcset, <picture><source srcset> and data-src; two
 * names that differ only in case are refused (a failure under --strict); nothing outside the
 * article's folder is used, also when found with the case ignored or through '\'. */
static void test_script_html__images_found_as_posts_are(void **state)
{
	(void)state;
	char dir[256], path[512], photo[128];
	char *jpg = NULL;
	size_t jl = 0;
	snprintf(dir, sizeof dir, "%s", of_test_tmpdir());
	const char *dirs[] = {"art/images", "art/photos", "art/dup", "outside", NULL};
	for (int i = 0; dirs[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, dirs[i]);
		assert_int_equal(of_mkdirs(path), 0);
	}
	snprintf(path, sizeof path, "%s/examples/week-2026-47/images/p01-1.jpg", getenv("ONEFISH_ROOT") ? getenv("ONEFISH_ROOT") : ".");
	assert_int_equal(of_file_read(&jpg, &jl, path, 1 << 24), 0);
	const char *files[] = {"art/images/0101.jpg", "art/photos/a.jpg", "art/dup/x.jpg", "art/dup/X.JPG", "outside/secret.jpg", NULL};
	for (int i = 0; files[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		of_test_write(path, jpg, jl);
	}
	free(jpg);
	snprintf(path, sizeof path, "%s/art/images/link.jpg", dir);
	assert_int_equal(symlink("../../outside/secret.jpg", path), 0);
	of_buf_init(&logged, 1 << 16);

	/* Markdown: the image is on line 5 */
	static const struct {
		const char *written, *photo, *warning;
	} md[] = {
		{"images\\0101.jpg", "0101.jpg", NULL},
		{"IMAGES/0101.JPG", "0101.jpg",
		 "5: image 'IMAGES/0101.JPG' found as 'images/0101.jpg' (the name differs in case: write it as it is on disk)"},
		{".\\PHOTOS\\A.jpg", "a.jpg", "5: image '.\\PHOTOS\\A.jpg' found as './photos/a.jpg'"},
		{"dup\\X.jpg", "", "5: image 'dup\\X.jpg' matches both 'dup/X.JPG' and 'dup/x.jpg', names that differ only in case"},
		{"images\\LINK.JPG", "", "5: image 'images\\LINK.JPG' is outside the article's folder; not used"},
		{"..\\outside\\secret.jpg", "", "5: image '..\\outside\\secret.jpg' is outside the article's folder"},
		{"images/nope.jpg", "", "5: image 'images/nope.jpg' not found; not used"},
		{"images\\nope.jpg", "", "5: image 'images\\nope.jpg' not found (nor as 'images/nope.jpg'); not used"},
	};
	for (size_t i = 0; i < sizeof md / sizeof md[0]; i++) {
		char text[1024];
		snprintf(text, sizeof text,
			 "# 宝宝辅食\n\n宝宝辅食第一口，米粉最合适，温水冲调，先从一勺开始。\n\n![米粉](%s)\n\n"
			 "辅食添加的顺序：先米粉，再菜泥，最后果泥和肉泥。\n\n米粉冲好后要尽快吃完，放久了容易滋生细菌哦。\n",
			 md[i].written);
		assert_int_equal(script_photo(photo, dir, "a.md", text, 0), 0);
		if (strcmp(photo, md[i].photo) != 0 || (md[i].warning && !strstr(of_buf_cstr(&logged), md[i].warning)) ||
		    (!md[i].warning && strstr(of_buf_cstr(&logged), "image")))
			fail_msg("%s: shows '%s', logged:\n%s", md[i].written, photo, of_buf_cstr(&logged));
		assert_null(strstr(photo, "secret"));
	}

	/* HTML: the image's element is on line 4 */
	static const struct {
		const char *img, *photo, *warning;
	} html[] = {
		{"<img srcset=\"IMAGES\\0101.JPG 2x, images/none.jpg 1x\">", "0101.jpg",
		 "4: image 'IMAGES\\0101.JPG' found as 'images/0101.jpg'"},
		{"<picture><source type=\"image/avif\" srcset=\"x.avif\">\n<source srcset=\"Images/0101.jpg 1280w, images/none.jpg 640w\">"
		 "<img src=\"\"></picture>",
		 "0101.jpg", "5: image 'Images/0101.jpg' found as 'images/0101.jpg'"},
		{"<img src=\"data:image/svg+xml,%3Csvg%3E\" data-src=\"photos\\a.jpg\">", "a.jpg", NULL},
		{"<img src=\"images/blank.gif\" data-srcset=\"../outside/secret.jpg 2x, images/0101.jpg 1x\">", "",
		 "4: image '../outside/secret.jpg' is outside the article's folder"},
		{"<img srcset=\"file:///etc/passwd 2x\">", "", "4: image 'file:///etc/passwd' not found"},
		{"<picture><source srcset=\"images\\link.jpg\"><img src=\"\"></picture>", "",
		 "4: image 'images\\link.jpg' is outside the article's folder"},
		{"<img srcset=\"dup/X.jpg\">", "", "4: image 'dup/X.jpg' matches both"},
	};
	for (size_t i = 0; i < sizeof html / sizeof html[0]; i++) {
		char text[1024];
		snprintf(text, sizeof text,
			 "<html><head><meta charset=\"utf-8\"></head><body><article>\n<h1>宝宝辅食</h1>\n"
			 "<p>宝宝辅食第一口，米粉最合适，温水冲调，先从一勺开始。</p>\n%s\n"
			 "<p>辅食添加的顺序：先米粉，再菜泥，最后果泥和肉泥。</p>\n<p>米粉冲好后要尽快吃完，放久了容易滋生细菌哦。</p>\n"
			 "</article></body></html>\n",
			 html[i].img);
		assert_int_equal(script_photo(photo, dir, "a.html", text, 0), 0);
		if (strcmp(photo, html[i].photo) != 0 || (html[i].warning && !strstr(of_buf_cstr(&logged), html[i].warning)) ||
		    (!html[i].warning && strstr(of_buf_cstr(&logged), "image")))
			fail_msg("%s: shows '%s', logged:\n%s", html[i].img, photo, of_buf_cstr(&logged));
	}

	/* --strict: an ambiguous name fails the stage like a missing one; a case-only find does not */
	assert_int_equal(script_photo(photo, dir, "s.md",
				      "# 宝宝辅食\n\n宝宝辅食第一口，米粉最合适，温水冲调，先从一勺开始。\n\n![](dup\\X.jpg)\n\n"
				      "辅食添加的顺序：先米粉，再菜泥，最后果泥和肉泥。\n",
				      1),
			 OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "matches both 'dup/X.JPG' and 'dup/x.jpg'"));
	assert_int_equal(of_error_last()->line, 5);
	assert_int_equal(script_photo(photo, dir, "s.md",
				      "# 宝宝辅食\n\n宝宝辅食第一口，米粉最合适，温水冲调，先从一勺开始。\n\n![](IMAGES\\0101.JPG)\n\n"
				      "辅食添加的顺序：先米粉，再菜泥，最后果泥和肉泥。\n",
				      1),
			 0);
	assert_string_equal(photo, "0101.jpg");
	of_buf_free(&logged);
	of_test_rmtree(dir);
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
		cmocka_unit_test(test_script_html__img_srcset_picture_lazy),
		cmocka_unit_test(test_script_html__img_lines_past_65535),
		cmocka_unit_test(test_script_html__markdown_image_lines),
		cmocka_unit_test(test_script_html__images_found_as_posts_are),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
