/**
 * @file prompts.h
 * @brief Stage 4: live comment logs → question clusters → next week's post prompts.
 *
 * Reads one or more comment logs (see comments.h), normalises every comment
 * (NFKC, case fold, traditional → simplified, repeats collapsed), drops noise
 * and spam, collapses per-user floods, labels the intent (question, purchase,
 * complaint, request, praise, chatter, noise, spam) with rules and the lexicons
 * in assets/lexicons/, groups near-duplicate questions (MinHash-LSH + Jaccard
 * check) and writes into `out_dir`: prompts.json, prompts.md, comments.svg,
 * comments.jsonl and next-posts.jsonl. Same inputs give the same bytes.
 */
#ifndef ONEFISH_PROMPTS_H
#define ONEFISH_PROMPTS_H

#include "onefish/stage.h"
#include <stddef.h>

typedef struct of_prompts_options {
	unsigned version;
	of_brand brand;
	of_run_flags flags;
	int top;              /**< clusters written to prompts.md / next-posts.jsonl */
	const char *format;   /**< auto|bilibili|youtube|irc|csv|jsonl */
	const char *streamer; /**< comma-separated user ids/names of the host (their comments are answers), or NULL */
	double flood_window;  /**< seconds: the same text by the same user within it is a flood */
	double similarity;    /**< Jaccard threshold for two questions to be one cluster */
	size_t max_comment_bytes; /**< 0 = OF_MAX_COMMENT_BYTES */
	const char *csv_text, *csv_time, *csv_user; /**< CSV column names overriding the defaults, or NULL */
	int force;            /**< overwrite a prompts.md an editor changed in out_dir (else OF_ERROR) */
} of_prompts_options;

#define OF_PROMPTS_OPTIONS_VERSION 2
#define OF_PROMPTS_OPTIONS_INIT {OF_PROMPTS_OPTIONS_VERSION, {0}, {0}, 10, "auto", NULL, 60.0, 0.4, 0, NULL, NULL, NULL, 0}

/**
 * Reads the comment logs, mines questions and writes the prompt files into
 * `out_dir` (created if needed). Paths borrowed; `stats` filled (may be NULL).
 * @return 0; OF_EINVALID (a log that cannot be used, or a bad record under
 *         strict; the error names file:line), OF_ENOTFOUND, OF_ELIMIT, OF_ERROR (writing).
 */
int of_prompts_build(const char *const *log_paths, size_t n_paths, const of_prompts_options *opts,
		     const char *out_dir, of_stage_stats *stats);

#endif
