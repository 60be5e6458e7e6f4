/* video_run.c — script.json (+ the editor's script.md) → video, shared by
 * `onefish video` and `onefish run`. */
#include "video_run.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/log.h"
#include "onefish/storyboard.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* `file` in the folder `to` as a URL relative to the folder `from` ("../video/narration.wav"),
 * percent-encoded. Malloc'd; NULL on OOM or when a folder cannot be resolved. */
static char *relative_url(const char *from, const char *to, const char *file)
{
	char a[PATH_MAX + 1], b[PATH_MAX + 1], rel[3 * PATH_MAX] = "";
	if (!realpath(from, a) || !realpath(to, b))
		return NULL;
	/* both end in '/', so a folder is a whole component of the other's path */
	memcpy(a + strlen(a), "/", 2);
	memcpy(b + strlen(b), "/", 2);
	size_t common = 0, k;
	for (k = 0; a[k] && a[k] == b[k]; k++)
		if (a[k] == '/')
			common = k + 1;
	for (k = common; a[k]; k++)
		if (a[k] == '/')
			snprintf(rel + strlen(rel), sizeof rel - strlen(rel), "../");
	if (!rel[0])
		snprintf(rel, sizeof rel, "./");
	snprintf(rel + strlen(rel), sizeof rel - strlen(rel), "%s%s", b + common, file);
	return of_path_url_encode(rel);
}

void of_pipeline__refresh_note(char *out, size_t cap, size_t written, const char *names)
{
	if (written == 1)
		snprintf(out, cap, "video: %s of the script folder follows the video", names ? names : "1 file");
	else
		snprintf(out, cap, "video: %zu files of the script folder follow the video (%s)", written,
			 names ? names : "");
}

static long storyboard_fps(const json_t *sb)
{
	long fps = (long)json_integer_value(json_object_get(sb, "fps"));
	return fps > 0 ? fps : 30;
}

/* The rendered scene lengths at the storyboard's frame rate, which the timeline counts in (the
 * video may run at another, video.fps): each scene boundary moved to the nearest storyboard
 * frame, so the clips still add up to the video. Malloc'd; NULL when out of memory. */
static long *timeline_frames(const of_video_result *res, long sb_fps)
{
	long *f = calloc(res->n_scenes ? res->n_scenes : 1, sizeof *f), at = 0, prev = 0;
	for (size_t i = 0; f && i < res->n_scenes; i++) {
		at += res->frames[i];
		long b = res->fps > 0 && res->fps != sb_fps ? lround((double)at * (double)sb_fps / res->fps) : at;
		f[i] = b - prev;
		prev = b;
	}
	return f;
}

/* A pack's video stage: timeline.fcpxml beside the video and its stems in `out_dir` (the
 * work folder the pack installs from), the stems named "./narration.wav", "./music.wav". */
static int timeline_beside(const json_t *sb, const char *out_dir, const of_video_result *res)
{
	long *frames = timeline_frames(res, storyboard_fps(sb));
	int rc;
	if (!frames)
		return of_error_set_oom();
	of_timeline_media m = {frames, res->n_scenes, res->narration ? "./narration.wav" : NULL,
			       res->music ? "./music.wav" : NULL, 2, 2, res->audio_samples, res->audio_rate};
	rc = of_script_write_timeline(sb, out_dir, &m);
	free(frames);
	return rc;
}

/* The script folder's timeline and subtitles follow the storyboard the video rendered,
 * as the pack's script stage makes them follow an edit (of_script_refresh_beside). */
static int refresh_script_folder(const char *script_json, const json_t *sb, const char *out_dir,
				 const of_video_result *res)
{
	char *dir = of_path_dirname(script_json), *nsrc = NULL, *msrc = NULL, *names = NULL;
	long *frames = timeline_frames(res, storyboard_fps(sb));
	size_t written = 0, kept = 0;
	int rc;
	if (!dir || !frames) {
		free(dir);
		free(frames);
		return of_error_set_oom();
	}
	of_timeline_media m = {frames, res->n_scenes, NULL, NULL, 2, 2, res->audio_samples, res->audio_rate};
	if (res->narration && !(nsrc = relative_url(dir, out_dir, "narration.wav")))
		of_log(OF_LOG_WARN, "video: narration.wav cannot be named from %s; timeline.fcpxml without it", dir);
	if (res->music && !(msrc = relative_url(dir, out_dir, "music.wav")))
		of_log(OF_LOG_WARN, "video: music.wav cannot be named from %s; timeline.fcpxml without it", dir);
	m.narration_src = nsrc;
	m.music_src = msrc;
	rc = of_script_refresh_beside(script_json, sb, &m, &written, &kept, &names);
	if (rc == 0 && written) {
		char note[512];
		of_pipeline__refresh_note(note, sizeof note, written, names);
		of_log(OF_LOG_INFO, "%s", note);
	}
	free(names);
	free(nsrc);
	free(msrc);
	free(frames);
	free(dir);
	return rc;
}

/* The render the script folder's timeline is about: the storyboard's own frame. A --preview
 * (half size) or another --preset is a variant: its stems are not the ones an editor cuts the
 * real video with. A storyboard without a size (by hand) has no other. */
static int main_render(const json_t *sb, const of_video_result *res)
{
	long w = (long)json_integer_value(json_object_get(sb, "width"));
	long h = (long)json_integer_value(json_object_get(sb, "height"));
	return w <= 0 || h <= 0 || (w == res->width && h == res->height);
}

int of_pipeline_video(const char *script_json, const of_video_options *o, const char *out_dir,
		      of_pipeline_timeline timeline, of_stage_stats *st)
{
	/* The renderer is a stage and may not call the script stage's loader: joining the
	 * two here is the pipeline's job, and doing it in one place keeps both commands alike. */
	json_t *sb = NULL;
	of_video_result res;
	memset(&res, 0, sizeof res);
	int md_edited = 0;
	int rc = of_storyboard_load_edit(&sb, &md_edited, script_json);
	/* Said once, here: a pack's run says it as its script stage follows the edit (with the pack's
	 * name), and would otherwise hear it from every load of the storyboard. */
	if (rc == 0 && md_edited && timeline == OF_PIPELINE_TIMELINE_SCRIPT_FOLDER) {
		char *dir = of_path_dirname(script_json), *md = dir ? of_path_join(dir, "script.md") : NULL;
		of_log(OF_LOG_INFO, "%s was edited: applying its 分镜表 to the storyboard", md ? md : "script.md");
		free(md);
		free(dir);
	}
	if (rc == 0)
		rc = of_video_render_doc_result(sb, script_json, o, out_dir, st, &res);
	if (rc == 0 && timeline == OF_PIPELINE_TIMELINE_BESIDE)
		rc = timeline_beside(sb, out_dir, &res);
	if (rc == 0 && timeline == OF_PIPELINE_TIMELINE_SCRIPT_FOLDER && !main_render(sb, &res)) {
		of_log(OF_LOG_INFO,
		       "video: a %s render (%dx%d; the storyboard is %lldx%lld): the script folder's timeline.fcpxml, "
		       "subtitles and script.csv are left as the main render made them (run onefish video without "
		       "--preview, at the storyboard's preset, to refresh them)",
		       o->preview ? "preview" : "variant", res.width, res.height,
		       (long long)json_integer_value(json_object_get(sb, "width")),
		       (long long)json_integer_value(json_object_get(sb, "height")));
	} else if (rc == 0 && timeline == OF_PIPELINE_TIMELINE_SCRIPT_FOLDER) {
		/* The video is made: a script folder that cannot be written (read-only, full) is a
		 * warning, not a failed render. */
		size_t w0 = of_log_warning_count();
		if (refresh_script_folder(script_json, sb, out_dir, &res) < 0) {
			char msg[1200];
			of_error_format(of_error_last(), msg, sizeof msg);
			of_log(OF_LOG_WARN, "video: the script folder's timeline.fcpxml and subtitles were not refreshed: %s",
			       msg);
			of_error_clear();
		}
		if (st)
			st->warnings += of_log_warning_count() - w0;
	}
	of_video_result_clear(&res);
	json_decref(sb);
	return rc;
}
