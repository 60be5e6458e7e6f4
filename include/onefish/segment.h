/* segment.h — Chinese word segmentation (friso), for keywords, similarity and
 * caption line breaks. Mixed text: ASCII words and numbers stay whole. */
#ifndef ONEFISH_SEGMENT_H
#define ONEFISH_SEGMENT_H

#include <stddef.h>

/** One token: a byte span of the input (no copy). */
typedef struct of_token {
	size_t offset; /**< byte offset in the text */
	size_t len;    /**< bytes */
	int kind;      /**< OF_TOKEN_* */
} of_token;

enum { OF_TOKEN_WORD = 1, OF_TOKEN_NUMBER = 2, OF_TOKEN_LATIN = 3, OF_TOKEN_PUNCT = 4, OF_TOKEN_SPACE = 5, OF_TOKEN_EMOJI = 6, OF_TOKEN_URL = 7 };

typedef struct of_segmenter of_segmenter;

/**
 * Creates a segmenter (loads the dictionary once; share it across calls and
 * threads read-only). Falls back to one-token-per-Han-character when the
 * dictionary is missing, with a warning. Free with of_segmenter_free().
 * @return 0 or OF_ENOMEM.
 */
int of_segmenter_new(of_segmenter **out);
void of_segmenter_free(of_segmenter *s);

/**
 * The process's shared segmenter, created by the first call (thread-safe) and
 * kept until the process exits: loading friso's dictionary and freeing it cost
 * about 0.1 s each, and the stages of one process (and the children a pack run
 * forks) need the same read-only dictionary. Do not free it.
 * @return 0 or OF_ENOMEM (again on every later call).
 */
int of_segmenter_shared(const of_segmenter **out);

/**
 * Splits `text` into tokens covering every byte in order. Caller frees
 * `*tokens` with free().
 * @return 0 or OF_ENOMEM.
 */
int of_segment(const of_segmenter *s, const char *text, size_t len, of_token **tokens, size_t *n_tokens);

#endif
