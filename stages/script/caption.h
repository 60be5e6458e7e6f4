/* caption.h — spoken length of narration and caption line breaking (private to the script stage). */
#ifndef ONEFISH_SCRIPT_CAPTION_H
#define ONEFISH_SCRIPT_CAPTION_H

#include "onefish/segment.h"

#include <jansson.h>

#include <stddef.h>

/** Caption limits: 14 字 per line, 2 lines. */
#define OF_CAPTION_LINE_MAX 14
#define OF_CAPTION_LINES_MAX 2
/** The shortest caption page (and so body shot) of_caption_pages() leaves, in 字 of
 * speech: 1.5 s at the default 4 字/s, the least a shot needs to be more than a flash
 * on screen and to hold its voice (0.4 s of lead and tail around 1.1 s of speech at
 * up to 1.25× pace). Shorter pieces join a neighbour or the cut moves. */
#define OF_CAPTION_PAGE_MIN_UNITS 6

/**
 * Spoken length in 字: a Han character or digit is 1, a Latin word 1 per 3 letters
 * (at least 1), punctuation, spaces, emoji and URLs 0.
 */
double of_spoken_units(const char *s, size_t len);

/** Caption width of a line: code points (a CJK character, letter, digit or mark is 1). */
size_t of_caption_width(const char *s);

/**
 * Fills up to `max_lines` lines of at most `max_chars` code points from the start of
 * `text[0..len)`, breaking only between words (segmenter tokens), never inside a
 * number with its unit (3.5元, 11月26日) or before closing punctuation. A line's
 * trailing ，、。；： is dropped. URLs are left out. `lines[i]` are malloc'd (caller
 * frees each); `*consumed` is how many bytes of `text` the lines cover.
 * @return 0 or OF_ENOMEM.
 */
int of_caption_fill(const of_segmenter *seg, const char *text, size_t len, int max_chars, int max_lines,
		    char **lines, int *n_lines, size_t *consumed);

/* The caption of `text` (first OF_CAPTION_LINES_MAX lines of at most
 * OF_CAPTION_LINE_MAX 字) as a JSON array of strings, for script.json.
 * @return a new reference, or NULL when out of memory. */
json_t *of_caption_json(const of_segmenter *seg, const char *text, size_t len);

/**
 * Cuts `text[0..len)` into caption pages that each fit `max_lines` × `max_chars`
 * and together cover all of it: a page ends at a sentence end, else a clause end,
 * else between two words (as of_caption_fill breaks), never inside a word.
 * No page says fewer than OF_CAPTION_PAGE_MIN_UNITS 字 when a cut can avoid it:
 * a short piece joins its neighbour when both fit one caption, else the cut
 * between them moves to balance them (the best kind of break that leaves both
 * long enough, the most even at it). `ends[i]` is the byte offset where page i
 * ends (the last is `len`); at most `max_pages` pages (the last one then holds the rest).
 * @return 0 or OF_ENOMEM.
 */
int of_caption_pages(const of_segmenter *seg, const char *text, size_t len, int max_chars, int max_lines,
		     size_t *ends, size_t max_pages, size_t *n_pages);

/** Non-zero if `text` fits entirely in the limits (all bytes consumed). */
int of_caption_fits(const of_segmenter *seg, const char *text, int max_chars, int max_lines);

#endif
