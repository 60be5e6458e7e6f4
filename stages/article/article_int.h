/* article_int.h — private to stages/article/: the normalised post, the
 * composed document, and the functions that pass them along. */
#ifndef ONEFISH_ARTICLE_INT_H
#define ONEFISH_ARTICLE_INT_H

#include "onefish/article.h"
#include "onefish/lint.h"
#include "onefish/post.h"

#include <jansson.h>

#include <stddef.h>
#include <stdint.h>

/** One sentence of a normalised post: byte and code-point spans into `norm`. */
typedef struct of_sent {
	size_t b0, b1;  /**< bytes [b0, b1) in norm */
	size_t c0, c1;  /**< code points [c0, c1) in norm (the trace spans) */
	size_t han;     /**< Han characters */
	double score;
	int dependent;  /**< leans on the sentence before (答：, 但, 所以...) */
	int used;
} of_sent;

/** A usable image of a post: where it is read from and its name in OUT_DIR. */
typedef struct of_img {
	char *src;  /**< absolute or working-dir-relative path to read */
	char *out;  /**< "images/<name>" relative to OUT_DIR */
} of_img;

/** A relative day word made absolute: bytes [b0, b1) of norm, and the word it was. */
typedef struct of_reltime {
	size_t b0, b1;
	const char *orig; /**< static string: 今晚, 这周, ... */
	char written[16]; /**< the words replaced, as written: 今晚, 这周四, 这个礼拜天 */
	long long day;    /**< the date meant: start of that local day, seconds */
	int ahead;        /**< still to come when the post was written (明天, 下周四, 今晚8点 before 20:00, 今晚 before 18:00) */
} of_reltime;

/** A post after normalisation (NFKC, hashtags → tags, emoji dropped, ...). */
typedef struct of_npost {
	const of_post *post;  /**< borrowed from the of_posts list */
	char *norm;           /**< normalised text (the trace spans index into it) */
	size_t norm_len;
	of_sent *sents;
	size_t n_sents;
	char **tags;          /**< tags field + hashtags, deduplicated */
	size_t n_tags;
	of_img *imgs;
	size_t n_imgs;
	uint64_t *grams;      /**< sorted Han-bigram hashes (topic keywords) */
	size_t n_grams;
	of_reltime *rel;      /**< relative day words rewritten as dates (still weak: true on the day) */
	size_t n_rel;
	size_t han;
	size_t lint_hits;
	double score;         /**< engagement and content */
	int section;          /**< -1 = not placed */
} of_npost;

/** Shared word lists and templates from assets/templates/article/. */
typedef struct of_art_assets {
	char **connectives; size_t n_connectives;
	char **weak;        size_t n_weak;        /**< phrases that lower a sentence's score */
	char **dependent;   size_t n_dependent;   /**< sentence openings that lean on the one before */
	char **hashkeep;    size_t n_hashkeep;    /**< openings after a leading #tag# that keep its words */
	char **title;       size_t n_title;       /**< title templates, first usable wins */
	char **heading;     size_t n_heading;     /**< section heading templates */
	char **closing;     size_t n_closing;     /**< closing lines; "" separates groups */
	char **closing_heading; size_t n_closing_heading;
} of_art_assets;

/** The first of `lines[0..n)` whose {{keys}} all have non-empty values in `kv`, rendered. NULL if none. */
char *of_art_pick(char *const *lines, size_t n, const char *const *kv);

int of_art_assets_load(of_art_assets *a);
void of_art_assets_free(of_art_assets *a);

/**
 * Normalises one post into `np` (zeroed by the caller). `t2s` is an OpenCC
 * handle or NULL. Image paths are resolved and checked here (missing ones
 * warned about and left out, or with `strict` a local one that cannot be used
 * fails: OF_EINVALID with its file:line set); http(s) images are downloaded
 * into `cache_dir` (a failed download is a warning either way).
 * With `absolute_dates`, relative day words are dated (of_art_absolute_dates).
 * Returns 0, OF_EINVALID (strict) or OF_ENOMEM.
 */
int of_art_normalize(of_npost *np, const of_post *post, const of_art_assets *a, void *t2s, const char *cache_dir,
		     int absolute_dates, int strict);
void of_art_npost_free(of_npost *np);

/** Plain-text normalisation only (for tests): NFKC, hashtags, mentions, emoji. Caller frees `*out`. */
int of_art_normalize_text(char **out, const char *text, size_t len, const of_art_assets *a, char ***tags,
			  size_t *n_tags);

/**
 * Rewrites relative day words (今天 今晚 昨晚 明天 明晚, 这周四 上周五 下周一, 这个星期天)
 * in `text` as dates (11月19日（周四）晚) counted from `local_time`, the post's
 * time in seconds on its own wall clock (UTC epoch + zone offset). A word the
 * author already dated (下周四（11月26日）) is left alone. `*rel` lists the
 * rewrites (byte spans in `*out`). Caller frees `*out` and `*rel`.
 * Returns 0 or OF_ENOMEM.
 */
int of_art_absolute_dates(char **out, of_reltime **rel, size_t *n_rel, const char *text, long long local_time);

/**
 * Sentence `s` of `p` said right after sentence `s - 1`: when it opens with a
 * date of the day a date of the sentence before named (明晚8点，直播间见！这周四
 * 晚8点，我会…, both 11月19日（周四）), the same date is not said twice in a row.
 * Returns the bytes at the start of the sentence to leave out (0: none) and
 * sets `*instead` to what is said in their place (a static string: "" when the
 * clause repeated the one before and goes with its ，, else 当天, 当晚 or 当天早上).
 */
size_t of_art_repeat_date(const of_npost *p, size_t s, const char **instead);

/**
 * Logs the tense warning at `md_path`:`line`, in one wording for a fresh article
 * (output.c) and an edited one (refresh.c, from the trace's lint entry):
 * `para N: 「11月19日（周四）」 was 「这周四」, still to come, in post p07; by 11月22日
 * (the last post) it is past: check the tense`. `written` (the words the post had)
 * and `past_by` (the last post's day, 11月22日) may be NULL or empty for a trace
 * written before they were kept: those parts are then left out. All borrowed.
 */
void of_art_tense_warn(const char *md_path, unsigned long line, int para, const char *term, const char *written,
		       const char *post, const char *past_by);

/** Kinds of block in the composed document. */
enum { OF_BLK_LEAD = 1, OF_BLK_PARA, OF_BLK_IMAGE, OF_BLK_HEADING, OF_BLK_CLOSING };

/** One source span of a paragraph: sentence `sent` of post `post` (indexes). */
typedef struct of_src {
	size_t post, sent;
} of_src;

typedef struct of_block {
	int kind;
	char *text;        /**< plain text (no Markdown); for images the out path */
	of_src *srcs;
	size_t n_srcs;
	char *connective;  /**< template phrase put before the first sentence, or NULL */
	size_t img_post;   /**< for images: the post index */
	int markdown;      /**< text is already Markdown (LLM answers): written as is */
} of_block;

typedef struct of_doc {
	char *title;
	char *summary;
	char **tags; size_t n_tags;
	of_block *blocks; size_t n_blocks;
	const char *engine;
} of_doc;

void of_doc_free(of_doc *d);

/** Appends a block (takes `text`); returns a pointer to it or NULL on OOM. */
of_block *of_doc_add(of_doc *d, int kind, char *text);

/**
 * The offline composer: lead, sections, images and closing from the posts.
 * Deterministic. Returns 0 or OF_ENOMEM / OF_EINVALID (no text at all).
 */
int of_art_compose(of_doc *doc, of_npost *posts, size_t n, const of_article_options *o, const of_art_assets *a);

/** Appends the closing heading and paragraph (templates + config). Returns 0 or OF_ENOMEM. */
int of_art_closing(of_doc *d, const of_article_options *o, const of_art_assets *a);

/** Han characters in the document's body (title, headings, paragraphs, closing). */
size_t of_doc_han(const of_doc *d);

/**
 * Writes article.md, article.html, article.wechat.html and article.trace.json
 * into out_dir (each atomically) and runs the copy lint over the paragraphs.
 * `copies` (borrowed; NULL for none): rel → sha256 of each image copy written,
 * recorded in the trace as "images_sha256".
 */
int of_art_write(const of_doc *doc, const of_npost *posts, size_t n, const of_article_options *o,
		 const char *out_dir, const json_t *copies, size_t *lint_hits);

/** What the copy lint's callback needs to report a finding at its place. */
typedef struct of_art_lint_ctx {
	const char *path;   /* article.md, for the warning */
	unsigned long line; /* line of the text being scanned */
	int para;           /* its paragraph number (headings not counted) */
	const char *text;   /* the text, for code-point offsets */
	json_t *arr;        /* the trace's lint array, appended to */
	size_t hits;
} of_art_lint_ctx;

/** of_lint_scan callback: warns `path:line: para N: 「term」 → suggestion` and appends to ctx->arr. */
void of_art_lint_hit(const of_lint_hit *h, void *payload);

/** Writes article.md (skipped when `md` is NULL), article.html, article.wechat.html and
 * article.trace.json into out_dir (created), each atomically. Returns 0 or the first error. */
int of_art_write_files(const char *out_dir, const char *md, const char *html, const char *wechat, const json_t *trace);

/** article.html for Markdown `body` (no front matter), with cmark in safe mode. Caller frees. */
int of_art_preview_html(char **out, const char *title, const char *body, size_t body_len);

/** Markdown text of a document (front matter included). Caller frees. */
int of_art_markdown(char **out, const of_doc *doc, const of_npost *posts, unsigned long *block_lines);

/** WeChat HTML from Markdown (inline styles from the theme, links as footnotes). Caller frees. */
int of_art_wechat_html(char **out, const char *md, size_t md_len, const char *theme, const char *accent,
		       const char *image_base_url);

/** Asks the LLM for the article; on success fills `doc`. Any failure returns < 0 (caller falls back). */
int of_art_llm(of_doc *doc, of_npost *posts, size_t n, const of_article_options *o, const of_art_assets *a);

#endif
