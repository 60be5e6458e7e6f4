/* guard.h — cheap pre-scans run before handing untrusted bytes to libraries
 * with known super-linear paths (libxml2 2.9.14's attribute handling is
 * quadratic: one element with 200,000 attributes takes over a minute). */
#ifndef ONEFISH_GUARD_H
#define ONEFISH_GUARD_H

#include <stddef.h>

/**
 * Scans HTML or XML text for an element with more than `max_attrs` attributes
 * (counted as whitespace-separated tokens inside a start tag, quoted values
 * skipped). Linear time, no allocation. `origin` names the input in the error.
 * @return 0, or OF_ELIMIT with the error at origin:line of the element.
 */
int of_guard_markup(const char *data, size_t len, const char *origin, size_t max_attrs);

/** The same scan over a stream fed in chunks (for streaming readers). Fields are private. */
typedef struct of_markup_guard {
	const char *origin; /**< borrowed for the guard's life */
	size_t max_attrs, attrs;
	unsigned long line, tag_line; /* line at the start of the chunk; the open tag's (0: not yet counted) */
	size_t tag_off;               /* where the open tag starts in the current chunk */
	int in_tag, in_tok, after_eq, saw_lt;
	char quote;
} of_markup_guard;

/** Starts a scan; cannot fail. */
void of_guard_markup_init(of_markup_guard *g, const char *origin, size_t max_attrs);

/** Feeds the next bytes of the stream. @return 0 or OF_ELIMIT (error at origin:line of the element). */
int of_guard_markup_feed(of_markup_guard *g, const char *data, size_t len);

/**
 * Scans Markdown for lists nested deeper than `max_depth` on one line (list
 * markers "- ", "* ", "+ ", "1. ", "1) " chained at the start of a line) or
 * block quotes deeper than OF_MAX_MARKDOWN_QUOTES: cmark 0.30.2 is
 * super-linear on them ("- " x 30,000 takes 15 s of CPU), and for more than `max_brackets` '[' in all (cmark is
 * quadratic on repeated "![[]()", CVE-2023-22486). Linear time, no allocation.
 * @return 0, or OF_ELIMIT with the error at origin:line.
 */
int of_guard_markdown(const char *data, size_t len, const char *origin, size_t max_depth, size_t max_brackets);

#endif
