/* prompts_int.h — private to stages/prompts: lexicons, text analysis
 * (normalisation, noise/spam, intent), clustering, and the writers. */
#ifndef ONEFISH_PROMPTS_INT_H
#define ONEFISH_PROMPTS_INT_H

#include "onefish/comments.h"
#include "onefish/prompts.h"
#include "onefish/segment.h"

#include <stddef.h>
#include <stdint.h>

typedef enum {
	OF_INTENT_QUESTION = 0,
	OF_INTENT_PURCHASE,
	OF_INTENT_COMPLAINT,
	OF_INTENT_REQUEST,
	OF_INTENT_PRAISE,
	OF_INTENT_CHATTER,
	OF_INTENT_NOISE,
	OF_INTENT_SPAM,
	OF_INTENT_COUNT
} of_intent;

/* Why a comment got its label: every rule is counted in the summary. */
typedef enum {
	OF_RULE_SPAM_LINK = 0,
	OF_RULE_SPAM_PHONE,
	OF_RULE_SPAM_CONTACT, /* WeChat/QQ id solicitations */
	OF_RULE_SPAM_BOT,     /* !command, /command */
	OF_RULE_SPAM_WORD,
	OF_RULE_NOISE_EMPTY,  /* emoji, punctuation only */
	OF_RULE_NOISE_DIGITS, /* 666, 1111, 2333 */
	OF_RULE_NOISE_SHORT,  /* one character */
	OF_RULE_NOISE_LAUGH,
	OF_RULE_NOISE_WORD,
	OF_RULE_NOISE_GARBLED, /* random Han and Hangul: danmaku-art code, mojibake */
	OF_RULE_SYSTEM,
	OF_RULE_GIFT,     /* a gift or guard purchase record: the platform's event, not the viewer's words */
	OF_RULE_ADVANCED, /* bilibili mode-7 danmaku: lyrics, subtitles, art placed with a tool */
	OF_RULE_ANSWER, /* the streamer's own answer */
	OF_RULE_ECHO,   /* 同问, +1 */
	OF_RULE_RHETORICAL,
	OF_RULE_COMPLAINT,
	OF_RULE_PURCHASE,
	OF_RULE_ORDERED, /* a viewer saying they bought (已拍, 回购): purchase, but no one's need */
	OF_RULE_REQUEST,
	OF_RULE_QUESTION_MARK,
	OF_RULE_QUESTION_WORD,
	OF_RULE_PRAISE,
	OF_RULE_CHATTER,
	OF_RULE_COUNT
} of_rule;

const char *of_intent__name(of_intent i);
const char *of_rule__name(of_rule r);

/* Word lists from assets/lexicons/. */
typedef struct of_lexicons of_lexicons;

/* Loads every list; `dir` NULL uses of_asset_path("lexicons/..."). @return 0, OF_ENOTFOUND, OF_ENOMEM. */
int of_lexicons__load(of_lexicons **out);
void of_lexicons__free(of_lexicons *lx);

/* 1 when the `len` bytes at `w` are one whole entry of function.txt (question words, modals,
 * framing; see that file), else 0. `*cls` gets 0, or for a question word with a class
 * ("什么时候 =when") the content unit of that class (in 0x40000000..0x7FFFFFFF). */
int of_lexicons__function(const of_lexicons *lx, const char *w, size_t len, uint32_t *cls);

/* 1 when a question word of a class (function.txt "word =class") starts with `cp`, else 0. */
int of_lexicons__class_start(const of_lexicons *lx, int32_t cp);

/* 1 when `cp` is one of the stop characters of stopchars.txt (all Han), else 0. */
int of_lexicons__is_stop(const of_lexicons *lx, int32_t cp);

/* Bytes of `key` taken by a leading answer.txt prefix ("主播" of the key of "主播：一岁前…"), or 0. */
size_t of_lexicons__answer_prefix(const of_lexicons *lx, const char *key);

/* 1 when the `len` bytes at `s` occur inside an answer.txt prefix ("主播"), else 0: words that
 * address the host say nothing about what a comment is about. */
int of_lexicons__in_answer_word(const of_lexicons *lx, const char *s, size_t len);

/* 1 when `cp` goes into a comment's clustering key: a letter, digit or Han character that is
 * not a stop character. */
int of_lexicons__key_cp(const of_lexicons *lx, int32_t cp);

/* complaint.txt and purchase.txt file entries under topics ("声音好小 =直播声音小"),
 * at most this many in all. */
#define OF_MAX_TOPICS 64

/* The name of topic `topic` (1-based, as of_analysis.topic), or NULL for 0 or
 * an unknown one. Owned by `lx`. */
const char *of_lexicons__topic(const of_lexicons *lx, unsigned topic);

/* Text analysis of one comment text (independent of who wrote it). */
typedef struct of_analysis {
	char *norm;  /* NFKC, case-folded, simplified, repeats collapsed (malloc'd) */
	char *key;   /* content characters without stop characters, for clustering (malloc'd) */
	of_intent intent;
	of_rule rule;
	int myth;    /* a yes/no belief question ("要加盐吗") → myth-busting template */
	unsigned topic; /* a complaint's or purchase's topic (of_lexicons__topic), 0 none */
} of_analysis;

/* The normaliser keeps an OpenCC handle: one per thread. */
typedef struct of_normalizer of_normalizer;
int of_normalizer__new(of_normalizer **out);
void of_normalizer__free(of_normalizer *n);

/* Analyses `text`. `a` fields are malloc'd; release with of_analysis__clear(). @return 0 or OF_ENOMEM. */
int of_analyze__text(of_normalizer *nz, const of_lexicons *lx, const char *text, size_t len, of_analysis *a);
void of_analysis__clear(of_analysis *a);

/* The intent of one comment from its text's analysis and how it was sent
 * (`c`: kind, mode, emotes_only): a system event is noise (rule `system`), and
 * so is a gift or guard purchase (rule `gift`: its text is the gift's name); a
 * bilibili advanced danmaku (mode 7: text placed and animated with a tool,
 * lyrics and danmaku art) is not a viewer speaking, so it is chatter (rule
 * `advanced`) unless its text is noise or spam; a message the platform marks
 * as emotes only is noise like an emoji-only one (rule `noise_empty`) unless
 * it is spam. Other comments keep the text's intent and rule. */
void of_analysis__for_comment(of_intent *intent, of_rule *rule, const of_comment *c);

/* Normalises only (for tests): NFKC + case fold + t2s + repeat collapse. Caller frees. */
char *of_normalize__text(of_normalizer *nz, const char *text, size_t len);

/* ---- clustering ---- */

/* Groups `n` keys (with a group id each: only equal groups may merge) into
 * clusters; `out_root[i]` gets the representative index of i's cluster (the
 * smallest index in it). Expected O(n): MinHash-LSH buckets over character
 * shingles, then a Jaccard check, then, when `texts` (the normalised text of each
 * key) and `lx` are given, the content verification (a pair merges only when one
 * side's content units contain the other's; docs/prompts.md). The friso
 * dictionary is loaded on the first pair to verify.
 * @return 0, OF_ENOMEM, OF_ELIMIT (n ≥ 2^32 - 1). */
int of_cluster__keys(const char *const *keys, const char *const *texts, const of_lexicons *lx, const int *group,
		     size_t n, double threshold, uint32_t *out_root);



/* Content units of a normalised question, sorted and distinct, at most `cap` into `out`:
 * the Han characters of its friso words that are not function words (function.txt) or
 * stop characters, and each other Latin word or number as a hash with the top bit set.
 * @return the count, or OF_ENOMEM. */
int of_cluster__content(const of_lexicons *lx, const of_segmenter *seg, const char *text, uint32_t *out, size_t cap);

/* Jaccard similarity of two keys' shingle sets. */
double of_cluster__similarity(const char *a, const char *b);

/* Share of `q`'s shingles found in `a` (how much of a question an answer covers). */
double of_cluster__containment(const char *q, const char *a);

/* The same on shingles computed once: of_cluster__shingles() writes a key's sorted,
 * distinct shingles (at most OF_CLUSTER_MAX_SHINGLES) and returns their count. */
#define OF_CLUSTER_MAX_SHINGLES 64
size_t of_cluster__shingles(const char *key, uint32_t *out);
double of_cluster__containment_sh(const uint32_t *sq, size_t nq, const uint32_t *sa, size_t na);

#endif
