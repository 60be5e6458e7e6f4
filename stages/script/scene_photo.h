/* scene_photo.h — which picture a scene shows: a photo the article places with the
 * paragraph its words came from, a photo of that paragraph's posts (the article
 * trace), the article's image, else the brand background, which is warned about
 * (private to the script stage). */
#ifndef ONEFISH_SCRIPT_SCENE_PHOTO_H
#define ONEFISH_SCRIPT_SCENE_PHOTO_H

#include "ingest/article_doc.h"
#include "script/trace.h"

#include <jansson.h>
#include <stddef.h>

/**
 * The picture for a scene whose text came from `sources` (storyboard sources:
 * {"paragraph": block index, …}), in this order:
 *  1. a photo the editor added (one the trace names no post of) in the image blocks
 *     right after one of its paragraphs;
 *  2. a photo of its paragraphs' posts still in the article (the trace), another one
 *     than `avoid` (the previous scene's) when they have several;
 *  3. for a paragraph the trace does not know (or `bs` NULL), one the editor wrote
 *     (no sources), or any paragraph of an article edited by hand (the refreshed trace
 *     lists only the photos still in it, so a post's removed photo cannot be told from
 *     none): the photo placed with it, the first after it in its section, else the
 *     last before it (the article stage puts a post's photo after its text);
 *  4. a paragraph of a post without a photo in an article as onefish wrote it:
 *     `brand_bg` (never another post's photo);
 *  5. the article's image, else `brand_bg`.
 * A `cta` scene shows the article's image, else `brand_bg`.
 * Returns a string borrowed from `doc` or `brand_bg` (NULL only when both are).
 */
const char *of_script_scene_photo(const of_article_doc *doc, const of_script_block_src *bs, const json_t *sources,
				  int cta, const char *avoid, const char *brand_bg);

/**
 * Warns about every scene of storyboard `sb` (other than the call to action) that
 * shows `brand_bg`: one warning per paragraph, at its line in `doc->origin`, naming
 * the scenes (`article.md:31: warning: scenes s01, s02 show the brand background: …`).
 * `*warnings` (may be NULL) is increased by the number of warnings. Borrowed arguments.
 */
void of_script_warn_brand_scenes(const json_t *sb, const of_article_doc *doc, const char *brand_bg,
				 size_t *warnings);

#endif
