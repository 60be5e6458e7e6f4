/* sentence.h — Chinese (and mixed) sentence splitting.
 * A sentence ends at 。！？；…, at ! ? ; and at an English full stop followed by
 * a space, and keeps the closing quotes and brackets that follow (」』”’）》】).
 * Never splits inside a number (3.5元, 1,000), a URL, or at a line break inside
 * a paragraph unless the caller asks (blank lines always split). */
#ifndef ONEFISH_SENTENCE_H
#define ONEFISH_SENTENCE_H

#include <stddef.h>

/** One sentence: a byte span of the input (no copy), leading/trailing spaces trimmed. */
typedef struct of_sentence {
	size_t offset;
	size_t len;
} of_sentence;

/**
 * Splits `text[0..len)` into sentences, in order; empty spans are dropped.
 * `newline_splits`: non-zero makes every line break end a sentence (lists, captions).
 * Caller frees `*out` with free() (a valid pointer even when `*n_out` is 0).
 * @return 0 or OF_ENOMEM.
 */
int of_sentence_split(of_sentence **out, size_t *n_out, const char *text, size_t len, int newline_splits);

/** Non-zero if the code point ends a sentence (。！？；… ! ? ;). */
int of_sentence_is_terminator(int cp);

/** Non-zero if the code point closes a quote or bracket (」』”’）)》】]"'). */
int of_sentence_is_closer(int cp);

/**
 * Bytes of the URL starting at t[i] ("https://…", "http://…", "www.…": up to a space or a
 * non-ASCII character, without a final . , ; : ! ? or ) of the sentence), or 0 when none starts
 * there. Sentence splitters skip it: a '?' or '.' inside a URL ends no sentence.
 */
size_t of_sentence_url_span(const char *t, size_t len, size_t i);

#endif
