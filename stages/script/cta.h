/* cta.h — the call to action that closes the video: the live stream from onefish.yaml, else
 * the article's own (private to the script stage). */
#ifndef ONEFISH_SCRIPT_CTA_H
#define ONEFISH_SCRIPT_CTA_H

#include "script/scene.h"
#include "onefish/storyboard.h"

#include <stddef.h>

/**
 * Formats an ISO 8601 local time ("2026-11-26T20:00:00+08:00") as 11月26日（周四）20:00
 * into `buf` (the weekday from the written date, no time zone or locale involved).
 * Returns 0, or OF_EINVALID (then `buf` holds the input unchanged).
 */
int of_script_format_live_time(const char *iso, char *buf, size_t n);

/**
 * Fills the call-to-action scene `c`: the longest candidate (time, platform, live title and
 * live.cta of `br`; else the article's own call to action `art`, may be NULL; else the brand)
 * within `cap` units, else the shortest that still says what to do within `hard_cap`, else its
 * leading clauses. `time_text` (`tn` bytes) receives the formatted live time ("" when none).
 * Everything borrowed. @return 0 or OF_ENOMEM.
 */
int of_script__build_cta(of_script__scene *c, const of_brand *br, const of_script__sent *art, double cap,
			 double hard_cap, char *time_text, size_t tn);

#endif
