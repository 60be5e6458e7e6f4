/* article.h — stage 1: a week of posts → one article draft.
 * Writes article.md, article.html, article.wechat.html, article.trace.json. */
#ifndef ONEFISH_ARTICLE_H
#define ONEFISH_ARTICLE_H

#include <jansson.h>
#include "onefish/stage.h"
#include <stddef.h>

typedef struct of_article_options {
	unsigned version;
	of_brand brand;
	of_run_flags flags;
	const char *since;     /**< ISO date/time, inclusive; NULL = open */
	const char *until;     /**< ISO date/time, exclusive; NULL = open */
	const char *week;      /**< ISO week "2026-W47" (used when since/until unset) */
	int min_chars, max_chars;
	const char *title;     /**< fixed title or NULL */
	const char *cta;       /**< closing call to action or NULL (then brand.live_cta) */
	const char *theme;     /**< WeChat theme name (assets/themes/<name>.css) */
	int traditional;       /**< output in traditional script */
	int relative_dates;    /**< keep 今晚/这周四 as written (article.absolute_dates: false); 0 = date them */
	const char *image_base_url; /**< http(s) URL the images/ folder is uploaded to, for the WeChat HTML; NULL = relative paths */
	int force;             /**< overwrite an article.md an editor changed in out_dir (else OF_ERROR) */
} of_article_options;

#define OF_ARTICLE_OPTIONS_VERSION 1
#define OF_ARTICLE_OPTIONS_INIT {OF_ARTICLE_OPTIONS_VERSION, {0}, {0}, NULL, NULL, NULL, 800, 1500, NULL, NULL, "warm", 0, 0, NULL, 0}

/**
 * Reads the posts files (JSONL, CSV, a Markdown folder or an HTML export),
 * composes the article and writes its four files into `out_dir` (created if
 * needed), each atomically. Bad records are reported and skipped (or fail
 * under flags.strict). An article.md in `out_dir` that an editor changed since
 * it was written (article.trace.json records what was) is not overwritten
 * unless opts->force. `stats` may be NULL. Paths are borrowed.
 * @return 0, OF_EINVALID (no usable posts / strict bad record), OF_ENOTFOUND,
 *         OF_ERROR (an edited article.md kept, or writing failed).
 */
int of_article_build(const char *const *post_paths, size_t n_paths, const of_article_options *opts,
		     const char *out_dir, of_stage_stats *stats);

/**
 * After an editor changed article.md by hand: writes article.html,
 * article.wechat.html and article.trace.json made from `article_md` (the
 * edited file) into `out_dir`, each atomically, so what is pasted into WeChat
 * and what the review page lints is what the editor wrote. The trace keeps a
 * paragraph's posts from `prev_trace` (the draft's trace; NULL or unusable:
 * none, with a warning) when its text is unchanged or still mostly the same
 * (then marked "edited"); the copy lint runs again over the new text, each
 * finding warned as `article.md:LINE`, and a tense finding of the draft is kept
 * where its dated words still stand. `*lint_hits` (may be NULL) gets the count.
 * Paths are borrowed.
 * @return 0, OF_ENOTFOUND, OF_EINVALID (bad front matter, named file:line),
 *         OF_ELIMIT (article over the Markdown limit), OF_ENOMEM, OF_ERROR.
 */
int of_article_refresh(const char *article_md, const char *prev_trace, const of_article_options *opts,
		       const char *out_dir, size_t *lint_hits);

/**
 * The photo copies the article stage last recorded writing into `out_dir`
 * (article.trace.json "images_sha256": name → sha256), so that a rerun and a pack
 * restoring a deleted copy agree on which copies are onefish's.
 * Caller owns the result (json_decref). Errors are cleared, not reported.
 * @return the object, or NULL when there is no trace or no record.
 */
json_t *of_article_recorded_copies(const char *out_dir);

#endif
