/* scene_photo.c — the picture of each scene. The trace (trace.c) names the posts of
 * a paragraph and of every photo, which is right for the article onefish wrote; once
 * an editor rewrites a paragraph, removes a photo or adds their own, the article as
 * edited says which photo goes with which text, so the photo placed with the
 * paragraph is used, and a scene left with the brand background is warned about. */
#include "script/scene_photo.h"
#include "onefish/json.h"
#include "onefish/log.h"

#include <string.h>

/* The photo next to block `bi` in its section: the article puts a post's photo
 * after its text, so the first one after it, else the last one before it. */
static const char *adjacent_image(const of_article_doc *doc, size_t bi)
{
	int sec = doc->blocks[bi].section;
	size_t j;
	for (j = bi + 1; j < doc->n_blocks && doc->blocks[j].section == sec; j++)
		if (doc->blocks[j].image)
			return doc->blocks[j].image;
	for (j = bi + 1; j-- > 0;) {
		if (doc->blocks[j].section != sec)
			break;
		if (doc->blocks[j].image)
			return doc->blocks[j].image;
	}
	return NULL;
}

/* A photo the editor put right after block `bi` (in the image blocks that follow it): one
 * the trace names no post of. NULL if none. */
static const char *editor_image_after(const of_article_doc *doc, const of_script_block_src *bs, size_t bi)
{
	size_t j;
	for (j = bi + 1; j < doc->n_blocks && doc->blocks[j].kind == OF_BLOCK_IMAGE &&
			 doc->blocks[j].section == doc->blocks[bi].section;
	     j++)
		if (doc->blocks[j].image && !bs[j].traced_image)
			return doc->blocks[j].image;
	return NULL;
}

/* The block index of source `i` in `sources`, or -1 (not an article paragraph). */
static long source_block(const of_article_doc *doc, const json_t *sources, size_t i)
{
	const json_t *p = json_object_get(json_array_get(sources, i), "paragraph");
	if (!json_is_integer(p) || json_integer_value(p) < 0 || (size_t)json_integer_value(p) >= doc->n_blocks)
		return -1;
	return (long)json_integer_value(p);
}

const char *of_script_scene_photo(const of_article_doc *doc, const of_script_block_src *bs, const json_t *sources,
				  int cta, const char *avoid, const char *brand_bg)
{
	size_t i, n = cta ? 0 : json_array_size(sources);
	int k, post_without_photo = 0;
	const char *first = NULL, *img;
	long bi;
	for (i = 0; bs && i < n; i++) /* 1. the editor's own photo placed after its paragraph */
		if ((bi = source_block(doc, sources, i)) >= 0 && (img = editor_image_after(doc, bs, (size_t)bi)))
			return img;
	for (i = 0; bs && i < n; i++) { /* 2. a photo of its posts */
		if ((bi = source_block(doc, sources, i)) < 0 || !bs[bi].known)
			continue;
		for (k = 0; k < bs[bi].n_images; k++) {
			img = doc->blocks[bs[bi].images[k]].image;
			if (!img)
				continue; /* not fetched or not usable */
			if (!first)
				first = img;
			if (!avoid || strcmp(img, avoid) != 0)
				return img; /* a post with several photos: another one than the scene before */
		}
	}
	if (first)
		return first;
	for (i = 0; i < n; i++) { /* 3. the photo placed with it */
		if ((bi = source_block(doc, sources, i)) < 0)
			continue;
		if (bs && bs[bi].known && !bs[bi].doc_edited && (bs[bi].n_sources > 0 || bs[bi].templated)) {
			post_without_photo = 1;
			continue;
		}
		if ((img = adjacent_image(doc, (size_t)bi)))
			return img;
	}
	/* 4. its posts have no photo: not another post's, which would show the wrong thing */
	if (post_without_photo && brand_bg)
		return brand_bg;
	return doc->image ? doc->image : brand_bg; /* 5. */
}

void of_script_warn_brand_scenes(const json_t *sb, const of_article_doc *doc, const char *brand_bg,
				 size_t *warnings)
{
	const json_t *scenes = json_object_get(sb, "scenes");
	size_t i = 0, n = json_array_size(scenes);
	if (!brand_bg)
		return;
	while (i < n) {
		const json_t *s = json_array_get(scenes, i);
		const char *img = of_json_str(s, "image"), *kind = of_json_str(s, "kind");
		if (!img || strcmp(img, brand_bg) != 0 || (kind && strcmp(kind, "cta") == 0)) {
			i++;
			continue;
		}
		/* this scene and the next ones of the same paragraph (the pages of a shot) */
		long bi = source_block(doc, json_object_get(s, "sources"), 0);
		unsigned long line = bi >= 0 ? doc->blocks[bi].line : 0;
		char ids[256] = "";
		size_t used = 0, count = 0;
		for (; i < n; i++) {
			const json_t *t = json_array_get(scenes, i);
			const char *timg = of_json_str(t, "image"), *tk = of_json_str(t, "kind"), *id = of_json_str(t, "id");
			if (count > 0 && (!timg || strcmp(timg, brand_bg) != 0 || (tk && strcmp(tk, "cta") == 0) ||
					  source_block(doc, json_object_get(t, "sources"), 0) != bi))
				break;
			int w = snprintf(ids + used, sizeof ids - used, "%s%s", count ? ", " : "", id ? id : "?");
			if (w > 0 && (size_t)w < sizeof ids - used)
				used += (size_t)w;
			count++;
		}
		of_log_warn_at(doc->origin, line, 0,
			       "%s %s %s the brand background: no photo of the article goes with %s "
			       "(put one after it)",
			       count == 1 ? "scene" : "scenes", ids, count == 1 ? "shows" : "show",
			       bi >= 0 ? "this paragraph" : "its title");
		if (warnings)
			(*warnings)++;
	}
}
