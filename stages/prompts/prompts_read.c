/* prompts_read.c — one comment log into the prompts model. */
#include "prompts_read.h"

int of_prompts__read_log(const char *path, const of_comments_options *co, const of_run_flags *flags,
			 of_comment_cb cb, void *payload, of_comments_stats *stats)
{
	(void)flags;
	return of_comments_load(path, co, cb, payload, stats);
}
