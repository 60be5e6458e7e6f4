/* html_img.h — which picture an HTML <img> shows, and on which line, for every HTML
 * reader: the posts export (posts_html.c) and the article page given to `onefish script`
 * (article_html.c) choose an <img>'s picture by the same rules (a real src, else
 * srcset's largest, a lazy loader's attributes, a <picture>'s <source srcset>;
 * placeholders passed over) and name the same line. Private to stages/. */
#ifndef ONEFISH_HTML_IMG_H
#define ONEFISH_HTML_IMG_H

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

/**
 * Makes the parse of `ctxt` (an HTML parser context, before htmlCtxtReadMemory) note the
 * line each element starts on for of_html_line(): libxml2 2.9.14 keeps an element's line in
 * an unsigned short, so from line 65535 on xmlGetLineNo says 65535 (XML_PARSE_BIG_LINES does
 * not help the HTML parser). The line is kept in the node's `psvi`, which an HTML tree does
 * not use. Cannot fail.
 */
void of_html_track_lines(htmlParserCtxtPtr ctxt);

/**
 * Parses an HTML page from memory exactly as htmlReadMemory(data, len, url, NULL, options)
 * does (same context, so the same charset rules: UTF-8 unless a <meta charset> says
 * otherwise, Latin-1 on bytes that are not UTF-8), with of_html_track_lines() on. (An
 * htmlNewParserCtxt() context reads a page without a declared charset as Latin-1.) `options`
 * are the caller's HTML_PARSE_* flags (HTML_PARSE_NONET always among them).
 * @return the document, caller frees with xmlFreeDoc(); NULL when nothing could be parsed or
 *         memory ran out.
 */
htmlDocPtr of_html_read_memory(const char *data, int len, const char *url, int options);

/**
 * The line of element `n` in the page, where libxml2 puts an element (the line its start tag
 * ends on): xmlGetLineNo, or past 65535 the line of_html_track_lines() noted. 0 when unknown.
 * Cannot fail.
 */
unsigned long of_html_line(xmlNode *n);

/**
 * Non-zero when an <img>'s `src` (borrowed, may be NULL) only stands in for the picture until
 * a lazy loader swaps it in: absent or blank, a data: URI (WeChat's inline SVG, a 1x1 GIF),
 * about:/javascript:, "#", or a file whose name, extension left out, is made only of
 * placeholder words (blank, spacer, pixel, 1x1, placeholder, loading, lazy, transparent,
 * grey/gray, empty) and sizes, with at least one of the words ("blank.gif",
 * "lazy-1x1.png"; not "grey-sweater.jpg" nor WeChat's ".../640"). Cannot fail.
 */
int of_html_img_is_placeholder(const char *src);

/**
 * The URL of the largest picture an HTML `srcset` attribute (`srcset`, borrowed, NUL-terminated)
 * offers, read by the HTML standard's rules for parsing a srcset attribute (html_srcset.c):
 * candidates are split on commas, a URL runs to white space (so it may hold a comma not
 * followed by white space: "a.jpg?x=1,2 2x"; commas that end it are dropped), descriptors run
 * to a comma outside parentheses; a candidate whose descriptors do not parse ("12q", "1w 2x",
 * "0w", "-1x") is dropped, as a browser drops it. Largest means the largest `w` when any
 * candidate has one, else the largest `x` (no descriptor is 1x), so with no descriptors at
 * all the first; of equals, the first. A candidate for which `skip` (may be NULL) returns
 * non-zero (a placeholder) is passed over.
 * @param[out] out the URL, caller frees with free(); NULL when no candidate is usable.
 * @return 0, OF_ELIMIT (over OF_MAX_SRCSET_BYTES or OF_MAX_SRCSET_CANDIDATES: not read; the
 *         error says which), OF_ENOMEM.
 */
int of_html_srcset_pick(char **out, const char *srcset, int (*skip)(const char *url));

/**
 * The <picture> whose <source> elements may stand for `img`: its nearest <picture> ancestor
 * below `stop` (the post or the article body; NULL: any), the first time one of that
 * picture's <img> elements asks (a picture has one <img>: its sources are read at most once,
 * for the first <img> a reader meets in document order). Marks the picture as asked in its
 * `_private`, which libxml2 leaves to the application. NULL when there is none or it was
 * asked before. Cannot fail.
 */
xmlNode *of_html_img_picture(xmlNode *img, const xmlNode *stop);

/**
 * The picture an <img> shows. A real `src` wins (a page saved with its pictures, "save page,
 * complete", has the local copy there and the remote address in data-src). When src is
 * absent or a placeholder (of_html_img_is_placeholder):
 *   1. the largest picture of the <img>'s srcset, then of a lazy loader's data-srcset
 *      (lazysizes) or data-lazy-srcset (WordPress);
 *   2. a lazy loader's single address that is no placeholder: data-src (WeChat, most
 *      exporters), data-original (jQuery lazyload), data-lazy-src (WordPress),
 *      data-actualsrc (Zhihu);
 *   3. when `picture` is not NULL (of_html_img_picture), the largest picture of its first
 *      <source> whose type, when it has one, is a picture we read (JPEG, PNG, GIF, WebP)
 *      and whose srcset (else data-srcset) has a usable candidate;
 *   4. src as written.
 * A srcset over the caps is not read, with a warning at its element's line in `origin`
 * ("SUBJECT: <img srcset> not read: …"; `subject` may be NULL). The value is an image path
 * like any other, for the reader's caller to resolve (image_path.h) or fetch.
 * @param[out] out the path or URL as written, caller frees with free(); NULL when the <img>
 *             names none.
 * @param[out] from the element whose attribute named it (the <img> or a <source>): its line
 *             (of_html_line) is the image's; owned by the document.
 * @return 0 or OF_ENOMEM.
 */
int of_html_img_source(char **out, xmlNode **from, xmlNode *img, xmlNode *picture, const char *origin,
		       const char *subject);

#endif
