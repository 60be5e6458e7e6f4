/* render.c — stage 3 entry point (to be replaced by the real renderer). */
#include "onefish/render.h"
#include "onefish/error.h"

int of_video_render(const char *script_json, const of_video_options *opts, const char *out_dir,
		    of_stage_stats *stats)
{
	(void)script_json; (void)opts; (void)out_dir; (void)stats;
	return of_error_set(OF_ERROR, "video stage not built yet");
}
