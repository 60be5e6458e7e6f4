/* plan.h — the offline scriptwriter: article → storyboard JSON (private to the script stage). */
#ifndef ONEFISH_SCRIPT_PLAN_H
#define ONEFISH_SCRIPT_PLAN_H

#include "ingest/article_doc.h"
#include "script/trace.h"
#include "onefish/segment.h"
#include "onefish/storyboard.h"

#include <jansson.h>

/**
 * Plans the storyboard for `doc`: hook scene (≤ 3 s), 1–6 body shots of whole sentences in article
 * order, live-stream call to action; narration sized to the speech rate; total
 * frames = round(duration × fps). Block images must already be paths relative
 * to the output folder (or NULL); `bs` (NULL: none) is what the article trace says
 * about each block (trace.h): a scene shows a photo of its own posts;
 * `fallback_image` is used where a scene has none.
 * Caller releases `*out` with json_decref().
 * @return 0, OF_EINVALID (no text to narrate, bad duration), OF_ENOMEM.
 */
int of_script_plan(json_t **out, const of_article_doc *doc, const of_script_block_src *bs, const of_script_options *o,
		   const of_segmenter *seg, const char *fallback_image);

/** Frame size of a preset: vertical 1080×1920 (default), landscape 1920×1080, square 1080×1080. */
void of_script_frame_size(const char *preset, int *w, int *h);

#endif
