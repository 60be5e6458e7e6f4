/* video_run.h — private to pipeline/: the one way both `onefish video` and the
 * pack's video stage render a script, so an editor's script.md reaches the video
 * whichever command runs it. */
#ifndef ONEFISH_PIPELINE_VIDEO_RUN_H
#define ONEFISH_PIPELINE_VIDEO_RUN_H

#include "onefish/render.h"

/**
 * Loads `script_json` with of_storyboard_load() (which applies the edits of the
 * script.md beside it and rejects a malformed row as script.md:LINE) and renders
 * it into `out_dir` with of_video_render_doc(). Paths borrowed.
 * @return 0 or the error of the loader or the renderer (of_error_last() names it).
 */
int of_pipeline_video(const char *script_json, const of_video_options *o, const char *out_dir, of_stage_stats *st);

#endif
