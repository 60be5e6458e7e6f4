/* suggest.h — private to pipeline/: "did you mean" for misspelt config keys, commands and options.
 * One measure and one threshold, so `onefish.yaml`, the command name and the options answer alike. */
#ifndef ONEFISH_PIPELINE_SUGGEST_H
#define ONEFISH_PIPELINE_SUGGEST_H

#include <stddef.h>

/** Edit distance in code points, a swap of two neighbours counting as one edit (Damerau,
 *  optimal string alignment: "widht" → "width" is 1). Strings are borrowed; the first 128
 *  code points of each are compared. */
size_t of_suggest_distance(const char *a, const char *b);

/** How many edits a misspelling of `word` may be from what was meant: 1 for words shorter
 *  than 4 bytes ("rn" → "run"), else 2 ("atricle" → "article"). */
size_t of_suggest_limit(const char *word);

/**
 * The candidate nearest to `word`, when it is within of_suggest_limit(word) edits; on a tie
 * the first of `cands` wins. NULL when none is that near (or `n` is 0). The result is one of
 * `cands` (borrowed: valid as long as they are).
 */
const char *of_suggest_nearest(const char *word, const char *const *cands, size_t n);

#endif
