/* clause.h — clause-level text helpers of the scriptwriter (private to the script stage):
 * where clauses end, whether one stands alone, how a trimmed one is closed. */
#ifndef ONEFISH_SCRIPT_CLAUSE_H
#define ONEFISH_SCRIPT_CLAUSE_H

#include "onefish/buf.h"

#include <stddef.h>

/** Copy of `s` without URLs, runs of spaces collapsed. Caller frees. NULL on OOM. */
char *of_clause_strip_urls(const char *s);

/**
 * Copy of a URL-stripped sentence without the labels left with no value: a clause
 * ending in a colon with nothing said after it (预约链接：。 once its URL is gone, 扫码进群：
 * before a QR code the page showed as a picture), a last clause pointing at a link or code
 * that is not there (…点击下方链接。, 长按识别二维码。), and brackets left empty. What is
 * left may be empty. Caller frees. NULL on OOM.
 */
char *of_clause_drop_labels(const char *s);

/** Non-zero if `s` holds an ASCII digit. */
int of_clause_has_digit(const char *s);

/** Non-zero if `s` ends with ？ or ? (closing quotes and ！ skipped). */
int of_clause_is_question(const char *s);

/** Fills `ends` with the byte offsets just after each clause separator (，：；, ; —) or sentence end
 * (。！？, with closing quotes), and the end (once); returns the count. */
size_t of_clause_ends(const char *s, size_t *ends, size_t max);

/**
 * Appends `s[0..n)` to a narration as a finished sentence: leading spaces and, at the
 * start of a scene, joining words (此外，另外，…) dropped; a trailing ，：；、 becomes 。;
 * a missing final mark is added. Returns 0 or OF_ELIMIT.
 */
int of_clause_put(of_buf *b, const char *s, size_t n);

/** Non-zero if every bracket and quote opened in s[a..b) closes there. */
int of_clause_balanced(const char *s, size_t a, size_t b);

/** Non-zero if `s` holds an amount or count (3.5元, 80%, 28位), not only a time or date (晚8点, 11月26日). */
int of_clause_striking_number(const char *s);

/**
 * Non-zero if the clause s[a..b) can be said alone: min_u..max_u 字, not opening with
 * a joining word (而/但/所以/如果…), not ending on one (以后/的时候…) or a colon,
 * brackets balanced.
 */
int of_clause_standalone(const char *s, size_t a, size_t b, double min_u, double max_u);

/** Non-zero if the clause s[a..b) only names a topic ("8个月以上的宝宝"): …的 + a short noun, no verb. */
int of_clause_topic_only(const char *s, size_t a, size_t b);

/**
 * Non-zero if a narration cut at the clause end `b` of sentence `s` ends on a finished
 * thought: its last clause does not hang (of_clause_standalone's tail rules, no topic
 * only), and what is cut off does not open with a word that needs it (再/就/所以…).
 */
int of_clause_complete_end(const char *s, size_t b);

/** Non-zero if `s` needs what came before it: an answer without its question (答：…, 可以，…),
 * a teaser that only announces a topic (说说辅食过敏这件事). A leading 此外，/另外，is skipped. */
int of_clause_needs_context(const char *s);

/** Non-zero if `s` is only a greeting ("周一早上好！", "大家晚上好呀", "早安☀️", "新的一周开始啦！",
 * "周末愉快～", "哈喽！"): nothing to narrate over a scene. */
int of_clause_is_greeting(const char *s);

/**
 * Non-zero if `s` speaks of the live stream or of what is still to come: 直播, 开播, 现场,
 * 预约, 届时, 即将, 敬请, 不见不散, 欢迎来听…, or 会/将 as a modal verb (还会抽, 将在; not 机会, 学会,
 * 会员, 将近). Said of a live the article's tense lint found past, such a sentence
 * advertises it as the next one.
 */
int of_clause_speaks_ahead(const char *s);

/**
 * Non-zero if `s` is a call to action: it asks the viewer to book, follow or come to the
 * live (点击预约…, 关注公众号…, …直播间见！, 不见不散). The script's own CTA says that; in the
 * body it would be said twice, or before its time.
 */
int of_clause_is_cta(const char *s);

/** Non-zero if the call to action `s` calls to the live itself (预约, 直播间, 不见不散), not only to follow. */
int of_clause_cta_to_live(const char *s);

/**
 * Non-zero if `s` leans on the sentence before it: it opens with a word pointing back
 * (这/那…, 这款, 这里; not the time words 这周, 这两天) or joining on (所以, 但是, 不过, 而且,
 * 另外 or 还有 without a comma, 也…), or with a bare pronoun subject (她, 他, 它, 他们…). A
 * joining word the narration drops (此外，另外，还有，同时，) is skipped first.
 */
int of_clause_leans_back(const char *s);

/**
 * Non-zero if `s` only raises a topic and says nothing of it, in one clause: 宝宝便秘是这周后台问得
 * 特别多的问题, 大家问得多的是X, 很多宝妈问X, 今天聊聊X. Who asks is a pattern, not a list:
 * 很多/不少/好多/常有/有 + a short noun (茶友, 钓友, 粉丝, 人) + (都在/私信…) + 问, or a plural
 * (姐妹们, 大家) + 问 without the quantity. The sentence after it answers it; the
 * two are a scene together or not at all. A joining word (此外，另外，) is skipped first.
 */
int of_clause_raises_topic(const char *s);

/**
 * Non-zero if `s` is customer service rather than promotion: it thanks someone (谢谢朵朵妈愿意
 * 分享, 感谢大家…), apologises (抱歉, 不好意思) or speaks of orders, shipping and after-sales (售后,
 * 发货, 到仓, 下单顺序, 退换).
 */
int of_clause_is_service(const char *s);

/** Non-zero if `a` and `b` share two consecutive Han characters (a heading about a narration). */
int of_clause_shares_bigram(const char *a, const char *b);

#endif
