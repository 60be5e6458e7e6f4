/* script.c — stage 2 entry point (to be replaced by the real scriptwriter). */
#include "onefish/storyboard.h"
#include "onefish/error.h"

int of_script_build(const char *input, const of_script_options *opts, const char *out_dir,
		    of_stage_stats *stats)
{
	(void)input; (void)opts; (void)out_dir; (void)stats;
	return of_error_set(OF_ERROR, "script stage not built yet");
}
