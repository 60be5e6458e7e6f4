/* article.c — stage 1 entry point (to be replaced by the real composer). */
#include "onefish/article.h"
#include "onefish/error.h"

int of_article_build(const char *const *post_paths, size_t n_paths, const of_article_options *opts,
		     const char *out_dir, of_stage_stats *stats)
{
	(void)post_paths; (void)n_paths; (void)opts; (void)out_dir; (void)stats;
	return of_error_set(OF_ERROR, "article stage not built yet");
}
