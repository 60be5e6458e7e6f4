/* prompts.c — stage 4 entry point (to be replaced by the real miner). */
#include "onefish/prompts.h"
#include "onefish/error.h"

int of_prompts_build(const char *const *log_paths, size_t n_paths, const of_prompts_options *opts,
		     const char *out_dir, of_stage_stats *stats)
{
	(void)log_paths; (void)n_paths; (void)opts; (void)out_dir; (void)stats;
	return of_error_set(OF_ERROR, "prompts stage not built yet");
}
