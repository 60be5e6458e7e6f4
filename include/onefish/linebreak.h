/* linebreak.h — how good a place between two words is for a caption line break.
 *
 * friso segments words but does not tag them, so a break between two words of one
 * noun phrase (全景 / 照片, 三 / 款新口味) looked as good as any other. This module
 * reads the part of speech of friso's words from jieba's dictionary (Debian's
 * python3-jieba ships it as a plain word/frequency/tag list; $ONEFISH_POS_DICT
 * names another file) and rates each word boundary: after punctuation is best,
 * then a plain word boundary, then one inside a phrase, then one inside a word
 * the dictionary knows but friso split (直播 / 间). Caption breakers add the cost
 * to their balance score, so a phrase is broken only when no other break fits.
 * Without the dictionary (a warning, once) every word is untagged and only the
 * punctuation and numeral rules apply. */
#ifndef ONEFISH_LINEBREAK_H
#define ONEFISH_LINEBREAK_H

#include "onefish/segment.h"

#include <stddef.h>

/** Break costs, in characters of line imbalance a caption breaker may trade for them. */
enum {
	OF_BREAK_PUNCT = 0,  /**< after punctuation that ends a clause or list item */
	OF_BREAK_WORD = 1,   /**< between two words of different phrases (adverb / verb, subject / verb) */
	OF_BREAK_VERB = 2,   /**< between a verb and its object (吃 / 几顿辅食): a break before the verb phrase reads better */
	OF_BREAK_PHRASE = 6, /**< inside a noun phrase (noun / noun, modifier / noun, numeral / classifier) or after a preposition */
	OF_BREAK_SPLIT = 10  /**< inside a word the dictionary knows that friso split (直播 / 间) */
};

/** Word classes read from the dictionary's tags. */
typedef enum {
	OF_WORD_OTHER = 0, /**< verbs other than v (vd, vi), words the dictionary lacks */
	OF_WORD_NOUN,      /**< n, nr, ns, nt, nz, ng, vn (a verb used as a noun: 检测 报告), an, j, s */
	OF_WORD_MOD,       /**< a, b: adjectives and distinguishing words before a noun (新 口味, 全新) */
	OF_WORD_NUM,       /**< m, mq, q and digits: numerals and classifiers (三 款, 一张) */
	OF_WORD_PRON,      /**< r: pronouns and demonstratives (我们 团队, 这 款) */
	OF_WORD_PREP,      /**< p: prepositions (在 视频号) */
	OF_WORD_PART,      /**< u, y: particles, never a line's start (的, 了, 吗) */
	OF_WORD_VERB,      /**< v: verbs that may take an object (吃 几顿) */
	OF_WORD_ADV        /**< d, df, dg: adverbs, which lean on the word after them (就 够了, 都 在) */
} of_word_class;

typedef struct of_lexicon of_lexicon;

/**
 * The process's part-of-speech lexicon, loaded by the first call (thread-safe) and
 * kept until exit, like of_segmenter_shared(). A missing dictionary is not an
 * error: `*out` is then an empty lexicon (a warning says so once). Do not free it.
 * @return 0 or OF_ENOMEM.
 */
int of_lexicon_shared(const of_lexicon **out);

/** The class of the word `w[0..len)`; OF_WORD_OTHER when unknown (or `lx` NULL). */
of_word_class of_lexicon_class(const of_lexicon *lx, const char *w, size_t len);

/** Non-zero if `w[0..len)` is a word of the dictionary. */
int of_lexicon_has(const of_lexicon *lx, const char *w, size_t len);

/**
 * The cost of a line break before token `i` of `text` (tokens from of_segment(),
 * borrowed), for 0 < i < n: OF_BREAK_PUNCT after a comma, full stop or closing
 * mark, else OF_BREAK_SPLIT when a dictionary word spans the boundary or the break
 * would cut a date from its bracketed weekday or the time after it (12月3日（周四）晚8点;
 * after a date's brackets and before other words it is OF_BREAK_WORD, not a clause end),
 * else OF_BREAK_PHRASE inside a noun phrase, after a preposition, after a one-character
 * adverb (就 / 够了), after 的 that ends a modifier which is not a clause (附近的 / 茶友,
 * but 在山顶拍的 / 稻田 is a plain break) or before a particle,
 * else OF_BREAK_VERB between a verb and its object, else OF_BREAK_WORD.
 * Spaces are skipped to find the two words. Hard rules (never inside a number
 * with its unit, never before closing punctuation) are the caller's.
 */
int of_linebreak_cost(const of_lexicon *lx, const char *text, const of_token *t, size_t n, size_t i);

#endif
