/* prompts.h — stage 4: live comment logs → question clusters → next week's post prompts.
 * Writes prompts.json, prompts.md, comments.svg, comments.jsonl, next-posts.jsonl. */
#ifndef ONEFISH_PROMPTS_H
#define ONEFISH_PROMPTS_H

#include "onefish/stage.h"
#include <stddef.h>

typedef struct of_prompts_options {
	unsigned version;
	of_brand brand;
	of_run_flags flags;
	int top;            /**< clusters kept */
	const char *format; /**< auto|bilibili|youtube|irc|csv|jsonl */
} of_prompts_options;

#define OF_PROMPTS_OPTIONS_VERSION 1
#define OF_PROMPTS_OPTIONS_INIT {OF_PROMPTS_OPTIONS_VERSION, {0}, {0}, 10, "auto"}

/**
 * Reads the comment logs, mines questions and writes the prompt files into
 * `out_dir`. Paths borrowed.
 * @return 0, OF_EINVALID (unreadable log / strict bad record), OF_ENOTFOUND, OF_ERROR.
 */
int of_prompts_build(const char *const *log_paths, size_t n_paths, const of_prompts_options *opts,
		     const char *out_dir, of_stage_stats *stats);

#endif
