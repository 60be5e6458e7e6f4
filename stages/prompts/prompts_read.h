/* prompts_read.h — reading one comment log for the prompts stage (private). */
#ifndef ONEFISH_PROMPTS_READ_H
#define ONEFISH_PROMPTS_READ_H

#include "onefish/comments.h"
#include "onefish/stage.h"

/**
 * Reads one comment log like of_comments_load(), calling `cb` per comment in
 * input order and adding to `stats`. Same returns. On failure the error names
 * the log (and line when known); comments already handed to `cb` belong to
 * the failed log and are the caller's to drop.
 */
int of_prompts__read_log(const char *path, const of_comments_options *co, const of_run_flags *flags,
			 of_comment_cb cb, void *payload, of_comments_stats *stats);

#endif
