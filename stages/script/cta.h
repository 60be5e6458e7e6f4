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

/** The end card's reading: the pace its lines are read at (9 字/s, the reading-speed limit of
 * Netflix's Simplified Chinese subtitle guide for adults), after its 0.3 s fade-in (the video's
 * Card style, stages/render/captions.c); never under 3 s, the call to action's old floor, so
 * the video does not end on a card that only flashes. */
#define OF_SCRIPT_CARD_READ_RATE 9.0
#define OF_SCRIPT_CARD_FADE_S 0.3
#define OF_SCRIPT_CARD_MIN_S 3.0
/** The breath around the call to action's voice, as around each body scene's (the voice
 * stage's 0.15 s lead and 0.25 s tail, less the 3 % it may speed a clip up to fit). */
#define OF_SCRIPT_CTA_BREATH_S 0.3

/**
 * The call to action's length in seconds for its narration `narr` at `rate` 字/s: what the
 * voice needs (the narration plus `breath`), and at least what the end card needs to be read
 * (OF_SCRIPT_CARD_MIN_S; the fade-in, then the card's lines the voice does not say, of
 * live.title, `time_text`, live.cta and live.platform, at OF_SCRIPT_CARD_READ_RATE: the line
 * the voice says is read as it is heard). Everything borrowed.
 */
double of_script__cta_seconds(const char *narr, const of_brand *br, const char *time_text, double rate,
			      double breath);

#endif
