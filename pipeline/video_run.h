/* video_run.h — private to pipeline/: the one way both `onefish video` and the
 * pack's video stage render a script, so an editor's script.md reaches the video
 * whichever command runs it. */
#ifndef ONEFISH_PIPELINE_VIDEO_RUN_H
#define ONEFISH_PIPELINE_VIDEO_RUN_H

#include "onefish/render.h"

/**
 * Loads `script_json` with of_storyboard_load() (which applies the edits of the
 * script.md beside it and rejects a malformed row as script.md:LINE) and renders
 * it into `out_dir` with of_video_render_doc_result(). With `follow_script` (the
 * `onefish video` command; a pack's run has its own script stage), the script
 * folder's timeline.fcpxml, subtitles.* and script.csv are then made again from
 * that storyboard, beside script.json (of_script_refresh_beside: atomically, never
 * over a file an editor changed), the timeline with the video's scene lengths and
 * the narration.wav / music.wav stems the render wrote (set `o->stems`). Paths borrowed.
 * @return 0 or the error of the loader, the renderer or the refresh (of_error_last() names it).
 */
int of_pipeline_video(const char *script_json, const of_video_options *o, const char *out_dir, int follow_script,
		      of_stage_stats *st);

/**
 * The line `onefish video` logs after refreshing the script folder: the files
 * actually replaced (`names` from of_script_refresh_beside(), borrowed), with the
 * verb agreeing ("script.csv of the script folder follows the video", "3 files …
 * follow the video (…)"). Written into `out` (`cap` bytes, truncated to fit).
 */
void of_pipeline__refresh_note(char *out, size_t cap, size_t written, const char *names);

#endif
