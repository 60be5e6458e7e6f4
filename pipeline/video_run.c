/* video_run.c — script.json (+ the editor's script.md) → video, shared by
 * `onefish video` and `onefish run`. */
#include "video_run.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/log.h"
#include "onefish/storyboard.h"

#include <limits.h>
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

/* The script folder's timeline and subtitles follow the storyboard the video rendered,
 * as the pack's script stage makes them follow an edit (of_script_refresh_beside). */
static int refresh_script_folder(const char *script_json, const json_t *sb, const char *out_dir,
				 const of_video_result *res)
{
	char *dir = of_path_dirname(script_json), *nsrc = NULL, *msrc = NULL, *names = NULL;
	size_t written = 0, kept = 0;
	int rc;
	if (!dir)
		return of_error_set_oom();
	of_timeline_media m = {res->frames, res->n_scenes, NULL, NULL, 2, 2, res->audio_samples, res->audio_rate};
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
	free(dir);
	return rc;
}

int of_pipeline_video(const char *script_json, const of_video_options *o, const char *out_dir, int follow_script,
		      of_stage_stats *st)
{
	/* The renderer is a stage and may not call the script stage's loader: joining the
	 * two here is the pipeline's job, and doing it in one place keeps both commands alike. */
	json_t *sb = NULL;
	of_video_result res;
	memset(&res, 0, sizeof res);
	int rc = of_storyboard_load(&sb, script_json);
	if (rc == 0)
		rc = of_video_render_doc_result(sb, script_json, o, out_dir, st, &res);
	if (rc == 0 && follow_script) {
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
