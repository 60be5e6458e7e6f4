/* video_run.c — script.json (+ the editor's script.md) → video, shared by
 * `onefish video` and `onefish run`. */
#include "video_run.h"
#include "onefish/storyboard.h"

int of_pipeline_video(const char *script_json, const of_video_options *o, const char *out_dir, of_stage_stats *st)
{
	/* The renderer is a stage and may not call the script stage's loader: joining the
	 * two here is the pipeline's job, and doing it in one place keeps both commands alike. */
	json_t *sb = NULL;
	int rc = of_storyboard_load(&sb, script_json);
	if (rc == 0)
		rc = of_video_render_doc(sb, script_json, o, out_dir, st);
	json_decref(sb);
	return rc;
}
