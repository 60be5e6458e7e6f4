/* pages.h — one caption page per scene (private to the script stage). */
#ifndef ONEFISH_SCRIPT_PAGES_H
#define ONEFISH_SCRIPT_PAGES_H

#include "onefish/segment.h"

#include <jansson.h>

/**
 * Makes every body scene's caption its whole narration: a scene whose narration
 * does not fit one caption (2 lines of 14 字) is split at sentence, clause or word
 * ends (of_caption_pages) into consecutive body scenes of the same image, the
 * frames shared by spoken length, the zoom continued, joined by "cut"; each part
 * cites the sources it says. Ids and starts are renumbered; the total frames stay.
 * @return 0 or OF_ENOMEM (then `sb` is unchanged).
 */
int of_script_paginate(json_t *sb, const of_segmenter *seg);

#endif
