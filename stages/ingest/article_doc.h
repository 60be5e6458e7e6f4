/* article_doc.h — an article reduced to what a storyboard needs: title, front
 * matter facts, and the blocks (headings, paragraphs, images) in reading order.
 * Private to stages/ (ingest readers produce it, the script stage consumes it). */
#ifndef ONEFISH_ARTICLE_DOC_H
#define ONEFISH_ARTICLE_DOC_H

#include <stddef.h>

enum { OF_BLOCK_HEADING = 1, OF_BLOCK_PARA = 2, OF_BLOCK_IMAGE = 3 };

/** One block. Strings are owned by the document. */
typedef struct of_article_block {
	int kind;            /**< OF_BLOCK_* */
	int level;           /**< heading level (1-6), 0 otherwise */
	char *text;          /**< plain text (UTF-8, sanitized); for an image-only block its alt text */
	char *image;         /**< first image of the block (relative path or URL), or NULL */
	int section;         /**< index of the ## section the block is in (0 = before any) */
	unsigned long line;  /**< 1-based line in the source file (0 if unknown) */
	unsigned long image_line; /**< line of `image` itself (its <img> or <source>, its ![](…)), 0 if unknown */
} of_article_block;

/** A parsed article. Free with of_article_doc_free(). */
typedef struct of_article_doc {
	char *title;     /**< front matter title, else the first heading, else NULL */
	char *summary;   /**< front matter summary or description, or NULL */
	char *engine;    /**< front matter engine, or NULL */
	char *image;     /**< the article's own image (og:image, first image), or NULL */
	unsigned long image_line; /**< line that names `image` (0 if unknown) */
	char *origin;    /**< file path or URL the article came from */
	char *base_dir;  /**< folder relative image paths resolve against, or NULL (remote) */
	of_article_block *blocks;
	size_t n_blocks, cap_blocks;
	unsigned long body_line; /**< line of the first body line (after front matter) */
} of_article_doc;

/**
 * Parses a Markdown article (optional YAML front matter between "---" lines,
 * then CommonMark) from memory with cmark (safe mode, UTF-8 validated).
 * `origin` names the input in errors. Caller frees with of_article_doc_free().
 * @return 0, OF_EINVALID (bad front matter, named origin:line:col), OF_ELIMIT
 *         (over OF_MAX_MARKDOWN_BYTES), OF_ENOMEM.
 */
int of_article_doc_parse_markdown(of_article_doc **out, const char *md, size_t len, const char *origin);

/**
 * Parses a saved HTML article page (WeChat or generic) with libxml2's HTML parser
 * (no network, recover mode). Deleted, expired or blocked pages are reported as
 * OF_EINVALID naming the reason. Caller frees with of_article_doc_free().
 * @return 0, OF_EINVALID (no article body, deleted page), OF_ELIMIT (too large), OF_ENOMEM.
 */
int of_article_doc_parse_html(of_article_doc **out, const char *html, size_t len, const char *origin);

/**
 * Loads an article from a path (.md/.markdown/.txt → Markdown; .html/.htm →
 * HTML; otherwise sniffed) or an http(s) URL (fetched with of_http_get, untrusted).
 * file:// and other schemes are refused with OF_EINVALID.
 * @return 0, OF_ENOTFOUND, OF_EINVALID, OF_ELIMIT, OF_ENET, OF_ENOMEM.
 */
int of_article_doc_load(of_article_doc **out, const char *input);

/**
 * Same as of_article_doc_load with explicit HTTP options for URL inputs (`ho` may
 * be NULL for the defaults; `max_bytes` is capped at OF_MAX_HTML_BYTES and the
 * request is always untrusted). For tests and local mirrors.
 */
struct of_http_options;
int of_article_doc_load_opts(of_article_doc **out, const char *input, const struct of_http_options *ho);

/**
 * Same as of_article_doc_load_opts, with the page or Markdown parsed in a
 * limited worker process under `iso` (sandbox.h); `iso` NULL parses in-process.
 * Fetching a URL and reading the file stay in the caller's process.
 */
struct of_sandbox_limits;
int of_article_doc_load_iso(of_article_doc **out, const char *input, const struct of_http_options *ho,
			    const struct of_sandbox_limits *iso);

/** Appends a block (strings copied). Returns 0 or OF_ENOMEM. */
int of_article_doc_add(of_article_doc *d, int kind, int level, const char *text, const char *image,
		       int section, unsigned long line);

/** A new empty document for `origin` (copied). NULL on OOM. */
of_article_doc *of_article_doc_new(const char *origin);

void of_article_doc_free(of_article_doc *d);

#endif
