/* video_run.h — private to pipeline/: the one way both `onefish video` and the
 * pack's video stage render a script, so an editor's script.md reaches the video
 * whichever command runs it. */
#ifndef ONEFISH_PIPELINE_VIDEO_RUN_H
#define ONEFISH_PIPELINE_VIDEO_RUN_H

#include "onefish/render.h"

/** Which editing timeline a render makes (of_pipeline_video). */
typedef enum of_pipeline_timeline {
	OF_PIPELINE_TIMELINE_NONE,          /**< the video's files only */
	/** `onefish video`: the script folder's timeline.fcpxml, subtitles.* and script.csv
	 *  follow the main render (of_script_refresh_beside: atomically, never over a file an
	 *  editor changed), the timeline naming the stems in `out_dir`; a --preview or other
	 *  --preset render leaves them to the main one (docs/video.md). */
	OF_PIPELINE_TIMELINE_SCRIPT_FOLDER,
	/** A pack's video stage: timeline.fcpxml into `out_dir` itself, beside the video
	 *  and its stems ("./narration.wav"), installed with them under the manifest. */
	OF_PIPELINE_TIMELINE_BESIDE
} of_pipeline_timeline;

/**
 * Loads `script_json` with of_storyboard_load() (which applies the edits of the
 * script.md beside it and rejects a malformed row as script.md:LINE) and renders
 * it into `out_dir` with of_video_render_doc_result(), then makes the timeline
 * `timeline` says, with the video's scene lengths (at the storyboard's fps) and the
 * narration.wav / music.wav stems the render wrote (set `o->stems`). Paths borrowed.
 * @return 0 or the error of the loader, the renderer or (OF_PIPELINE_TIMELINE_BESIDE)
 *         the timeline (of_error_last() names it); a script folder that cannot be
 *         refreshed is only a warning.
 */
int of_pipeline_video(const char *script_json, const of_video_options *o, const char *out_dir,
		      of_pipeline_timeline timeline, of_stage_stats *st);

/**
 * The line `onefish video` logs after refreshing the script folder: the files
 * actually replaced (`names` from of_script_refresh_beside(), borrowed), with the
 * verb agreeing ("script.csv of the script folder follows the video", "3 files …
 * follow the video (…)"). Written into `out` (`cap` bytes, truncated to fit).
 */
void of_pipeline__refresh_note(char *out, size_t cap, size_t written, const char *names);

#endif
