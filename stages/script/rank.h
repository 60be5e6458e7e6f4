/* rank.h — TextRank over sentences (private to the script stage). */
#ifndef ONEFISH_SCRIPT_RANK_H
#define ONEFISH_SCRIPT_RANK_H

#include "onefish/segment.h"

#include <stddef.h>

/** Most sentences ranked: the graph is O(n²); longer articles rank their first ones. */
#define OF_RANK_MAX_SENTENCES 400

/**
 * Scores `n` sentences with TextRank (damping 0.85) over a similarity graph:
 * shared words (friso tokens of 2+ characters, numbers, Latin words) and Han
 * character bigrams, normalised by log lengths. `scores[i]` gets a value in
 * (0, 1], the highest sentence 1. Sentences past OF_RANK_MAX_SENTENCES get 0.
 * @return 0 or OF_ENOMEM.
 */
int of_textrank(const of_segmenter *seg, const char *const *sents, size_t n, double *scores);

#endif
