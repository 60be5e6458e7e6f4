/* test_script_scene_photo.c — which picture a scene shows once an editor changed the
 * article (scene_photo.c), and the warning for a scene left with the brand background. */
#include "testutil.h"

#include "ingest/article_doc.h"
#include "onefish/log.h"
#include "script/scene_photo.h"
#include "script/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BG "images/brand-background.jpg"

/* An article shaped like the example week's first section:
 *  0 # title              1 para (p04)        2 ![](a.jpg) (p04)
 *  3 para (p03)           4 ![](b.jpg) (p03)  5 para (p06, the Q&A: its photo deleted)
 *  6 para (p10)           7 ![](c.jpg) (p10)  8 ## next section   9 para (p05: no photo) */
static of_article_doc *example(of_script_block_src **bs_out)
{
	of_article_doc *d = of_article_doc_new("article.md");
	of_script_block_src *bs = calloc(10, sizeof *bs);
	assert_non_null(d);
	assert_non_null(bs);
	assert_int_equal(of_article_doc_add(d, OF_BLOCK_HEADING, 1, "标题", NULL, 0, 9), 0);
	assert_int_equal(of_article_doc_add(d, OF_BLOCK_PARA, 0, "基地", NULL, 0, 11), 0);
	assert_int_equal(of_article_doc_add(d, OF_BLOCK_IMAGE, 0, "", "images/01-a.jpg", 0, 13), 0);
	assert_int_equal(of_article_doc_add(d, OF_BLOCK_PARA, 0, "朵朵", NULL, 0, 15), 0);
	assert_int_equal(of_article_doc_add(d, OF_BLOCK_IMAGE, 0, "", "images/02-b.jpg", 0, 17), 0);
	assert_int_equal(of_article_doc_add(d, OF_BLOCK_PARA, 0, "问答", NULL, 0, 19), 0);
	assert_int_equal(of_article_doc_add(d, OF_BLOCK_PARA, 0, "小满", NULL, 0, 21), 0);
	assert_int_equal(of_article_doc_add(d, OF_BLOCK_IMAGE, 0, "", "images/03-c.jpg", 0, 23), 0);
	assert_int_equal(of_article_doc_add(d, OF_BLOCK_HEADING, 2, "下一节", NULL, 1, 25), 0);
	assert_int_equal(of_article_doc_add(d, OF_BLOCK_PARA, 0, "便秘", NULL, 1, 27), 0);
	for (int i = 1; i <= 9; i++)
		if (d->blocks[i].kind == OF_BLOCK_PARA)
			bs[i].known = 1, bs[i].n_sources = 1;
	bs[1].n_images = 1, bs[1].images[0] = 2;
	bs[3].n_images = 1, bs[3].images[0] = 4;
	bs[6].n_images = 1, bs[6].images[0] = 7;
	bs[2].traced_image = bs[4].traced_image = bs[7].traced_image = 1;
	*bs_out = bs;
	return d;
}

static json_t *from(int block)
{
	return json_pack("[{s:i,s:i,s:s}]", "paragraph", block, "sentence", 0, "text", "…");
}

static const char *photo(of_article_doc *d, of_script_block_src *bs, int block)
{
	json_t *src = from(block);
	const char *img = of_script_scene_photo(d, bs, src, 0, NULL, BG);
	json_decref(src);
	return img;
}

static void set_edited(of_script_block_src *bs, int edited)
{
	for (int i = 0; i < 10; i++)
		bs[i].doc_edited = edited;
}

static void test_script_scene_photo__as_written_the_trace_decides(void **state)
{
	of_script_block_src *bs;
	of_article_doc *d = example(&bs);
	(void)state;
	assert_string_equal(photo(d, bs, 1), "images/01-a.jpg");
	assert_string_equal(photo(d, bs, 6), "images/03-c.jpg");
	/* a post without a photo, in the article as onefish wrote it: never another post's photo */
	assert_string_equal(photo(d, bs, 9), BG);
	/* the call to action: the article's image, else the brand background */
	json_t *src = from(1);
	assert_string_equal(of_script_scene_photo(d, bs, src, 1, NULL, BG), BG);
	json_decref(src);
	/* no trace at all: the photo after the paragraph in its section, else the one before */
	assert_string_equal(photo(d, NULL, 5), "images/03-c.jpg");
	assert_string_equal(photo(d, NULL, 9), BG); /* none in its section, no article image */
	of_article_doc_free(d);
	free(bs);
}

/* The hook's paragraph lost its photo (the editor deleted the line): the refreshed trace
 * lists no photo of its post any more; the photo placed with it in its section is used. */
static void test_script_scene_photo__a_deleted_photo_takes_the_one_placed_near(void **state)
{
	of_script_block_src *bs;
	of_article_doc *d = example(&bs);
	(void)state;
	assert_string_equal(photo(d, bs, 5), BG); /* as onefish wrote it: a post without a photo */
	set_edited(bs, 1);
	assert_string_equal(photo(d, bs, 5), "images/03-c.jpg"); /* after it, in its section */
	/* a paragraph last in its section: the photo before it */
	free(d->blocks[7].image);
	d->blocks[7].image = NULL;
	bs[6].n_images = 0;
	assert_string_equal(photo(d, bs, 5), "images/02-b.jpg");
	/* an edited article with no photo in the section: the article's image, else the brand background */
	assert_string_equal(photo(d, bs, 9), BG);
	d->image = strdup("images/00-cover.jpg");
	assert_string_equal(photo(d, bs, 9), "images/00-cover.jpg");
	of_article_doc_free(d);
	free(bs);
}

/* A paragraph the editor wrote (no sources) shows the photo after it, as edited. */
static void test_script_scene_photo__a_rewritten_paragraph_takes_the_photo_after_it(void **state)
{
	of_script_block_src *bs;
	of_article_doc *d = example(&bs);
	(void)state;
	bs[3].n_sources = 0;
	bs[3].n_images = 0;
	assert_string_equal(photo(d, bs, 3), "images/02-b.jpg");
	of_article_doc_free(d);
	free(bs);
}

/* A photo the editor added right after a paragraph (no post of it in the trace) is shown,
 * even where the paragraph's post still has its own. */
static void test_script_scene_photo__the_editors_photo_after_the_paragraph(void **state)
{
	of_script_block_src *bs;
	of_article_doc *d = example(&bs);
	(void)state;
	/* block 2 becomes the editor's photo, after the paragraph of post p04 */
	free(d->blocks[2].image);
	d->blocks[2].image = strdup("images/01-editor.jpg");
	bs[2].traced_image = 0;
	bs[1].images[0] = 4; /* p04's own photo, still in the article elsewhere */
	assert_string_equal(photo(d, bs, 1), "images/01-editor.jpg");
	of_article_doc_free(d);
	free(bs);
}

struct seen {
	char text[8][512];
	int n;
};

static void capture(const of_log_record *r, void *payload)
{
	struct seen *s = payload;
	if (r->level == OF_LOG_WARN && s->n < 8)
		snprintf(s->text[s->n++], sizeof s->text[0], "%s:%lu: %s", r->path ? r->path : "", r->line, r->message);
}

/* One warning per paragraph, at its line, naming the scenes (as script.md numbers them). */
static void test_script_scene_photo__brand_background_is_warned_with_scene_and_line(void **state)
{
	of_script_block_src *bs;
	of_article_doc *d = example(&bs);
	struct seen seen = {.n = 0};
	size_t warnings = 0;
	(void)state;
	json_t *sb = json_pack(
		"{s:[{s:s,s:s,s:s,s:[{s:i}]},{s:s,s:s,s:s,s:[{s:i}]},{s:s,s:s,s:s,s:[{s:i}]},{s:s,s:s,s:s,s:[{s:i}]},"
		"{s:s,s:s,s:s,s:[{s:s}]}]}",
		"scenes", "id", "s01", "kind", "hook", "image", BG, "sources", "paragraph", 5, "id", "s02", "kind", "body",
		"image", BG, "sources", "paragraph", 5, "id", "s03", "kind", "body", "image", "images/03-c.jpg", "sources",
		"paragraph", 6, "id", "s04", "kind", "body", "image", BG, "sources", "paragraph", 9, "id", "s05", "kind",
		"cta", "image", BG, "sources", "config", "live.cta");
	assert_non_null(sb);
	of_log_set_handler(capture, &seen);
	of_script_warn_brand_scenes(sb, d, BG, &warnings);
	of_log_set_handler(NULL, NULL);
	assert_int_equal(warnings, 2);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.text[0], "article.md:19: scenes s01, s02 show the brand background: no photo of the "
					  "article goes with this paragraph (put one after it)");
	assert_string_equal(seen.text[1], "article.md:27: scene s04 shows the brand background: no photo of the "
					  "article goes with this paragraph (put one after it)");
	json_decref(sb);
	of_article_doc_free(d);
	free(bs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_scene_photo__as_written_the_trace_decides),
		cmocka_unit_test(test_script_scene_photo__a_deleted_photo_takes_the_one_placed_near),
		cmocka_unit_test(test_script_scene_photo__a_rewritten_paragraph_takes_the_photo_after_it),
		cmocka_unit_test(test_script_scene_photo__the_editors_photo_after_the_paragraph),
		cmocka_unit_test(test_script_scene_photo__brand_background_is_warned_with_scene_and_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
