/* storyboard.h — stage 2: article → short-video script, and the storyboard
 * loader the video stage uses. Writes script.json (schema: docs/storyboard.md),
 * script.md (分镜表), subtitles.srt/.vtt/.ass, timeline.fcpxml and images/. */
#ifndef ONEFISH_STORYBOARD_H
#define ONEFISH_STORYBOARD_H

#include "onefish/stage.h"
#include "onefish/voice.h" /* OF_VOICE_DEFAULT_SPEECH_RATE */

#include <jansson.h>

typedef struct of_script_options {
	unsigned version;
	of_brand brand;
	of_run_flags flags;
	double duration;    /**< target seconds, OF_MIN_SCRIPT_SECONDS-OF_MAX_SCRIPT_SECONDS (5-600); 15, 30 or 60 usually */
	double speech_rate; /**< 字 per second */
	const char *preset; /**< video preset the subtitles are styled for */
	int fetch_images;   /**< download http(s) images of the article (1, default); 0 = use local ones only */
	int force;          /**< overwrite a script.md an editor changed (default 0: refuse) */
} of_script_options;

#define OF_SCRIPT_OPTIONS_VERSION 1
#define OF_SCRIPT_OPTIONS_INIT {OF_SCRIPT_OPTIONS_VERSION, {0}, {0}, 30.0, OF_VOICE_DEFAULT_SPEECH_RATE, "vertical", 1, 0}

/**
 * Builds the storyboard from `input` (article.md, a saved HTML page, or an
 * http(s) URL) and writes the script files into `out_dir` (docs/storyboard.md).
 * A script.md in `out_dir` that an editor changed since it was generated is
 * never overwritten unless `opts->force`. Paths borrowed.
 * @return 0, OF_EINVALID (unusable article, deleted page, bad duration), OF_ELIMIT
 *         (over a size cap), OF_ENOTFOUND, OF_ENET, OF_ERROR (I/O, edited script.md kept).
 */
int of_script_build(const char *input, const of_script_options *opts, const char *out_dir,
		    of_stage_stats *stats);

/**
 * Loads the storyboard the video stage should render (see docs/storyboard.md,
 * "Edits flow back"): `script_json_path`, plus the editor's changes to the
 * script.md beside it when its sha256 differs from the one script.json recorded
 * ("generated.script_md_sha256"): each table row's 时长, 字幕 and 口播 replace the
 * scene's duration, caption and narration; starts and the total are recomputed.
 * The result is validated with of_storyboard_validate(). Caller releases `*out`
 * with json_decref().
 * @return 0, OF_ENOTFOUND, OF_EINVALID (bad JSON, schema violation, or a malformed
 *         script.md row: the error names script.md:LINE), OF_ELIMIT.
 */
int of_storyboard_load(json_t **out, const char *script_json_path);

/**
 * of_storyboard_load(), also saying whether script.md's edits were applied:
 * `*md_edited_out` (may be NULL) is 1 when they were, else 0. The loader prints
 * nothing about it (it is called more than once for one run of a pack); the
 * caller says it once, in its own words (`onefish video`: video_run.c).
 * @return as of_storyboard_load().
 */
int of_storyboard_load_edit(json_t **out, int *md_edited_out, const char *script_json_path);

/**
 * Writes the files the script stage makes from the storyboard, other than
 * script.json and script.md: timeline.fcpxml and subtitles.srt/.vtt/.ass, into
 * `out_dir`, from the storyboard of_storyboard_load() reads from
 * `script_json_path` (the editor's script.md and script.json edits applied). So
 * after an edit they say what the video says, as the pack's script stage uses it
 * (docs/pack.md, "Editor edits survive"; it installs the subtitles and script.csv:
 * a pack's timeline is its video stage's). Image paths stay relative, so `out_dir`
 * may be a work folder beside the script's. Paths borrowed.
 * @return 0, OF_EINVALID (schema violation or a malformed script.md row, named as
 *         script.md:LINE), OF_ENOTFOUND, OF_ENOMEM, OF_ERROR (I/O).
 */
int of_script_refresh(const char *script_json_path, const char *out_dir);

/**
 * The video a timeline should match, as the video stage rendered it (borrowed):
 * each scene's length in frames (lengthened where the narration needed it) and
 * the audio stems it wrote. `frames` NULL: the storyboard's own durations.
 */
typedef struct of_timeline_media {
	const long *frames;        /**< per scene, at the storyboard's fps; `n_scenes` of them, or NULL */
	size_t n_scenes;
	const char *narration_src; /**< narration.wav as a URL relative to the timeline file, or NULL */
	const char *music_src;     /**< music.wav likewise, or NULL */
	int narration_channels, music_channels;
	long audio_samples;        /**< per channel, at `audio_rate` (both stems last the video) */
	int audio_rate;
} of_timeline_media;

/**
 * Writes `out_dir`/timeline.fcpxml (FCPXML 1.9, libxml2 xmlwriter): one asset per
 * image, one <video> still per scene on the spine (offset = previous offset +
 * duration, rational frame times like 90/30s) with its caption as a connected
 * <title> (lane 1) placed where the video burns it in (Position, pixels from the
 * frame's centre: bottom centre of the safe zone). With `media` (may be NULL): the
 * scenes last as long as in the video, and the narration and music stems are audio
 * assets with an <asset-clip> each on lanes -1 and -2, connected to the first clip.
 * The CTA scene's title is the video's end card (live.title, live.time_text, live.cta,
 * live.platform, centred) when the storyboard has live.title or live.cta. Image paths
 * stay relative to the timeline ("./images/x.jpg"), so `out_dir` must be the folder of
 * script.json or one the timeline is moved into from beside it (a pack's work folder).
 * Written atomically. Paths and `media` borrowed.
 * @return 0, OF_ENOTFOUND (styles/captions.json missing), OF_ERROR (write failure), OF_ENOMEM.
 */
int of_script_write_timeline(const json_t *sb, const char *out_dir, const of_timeline_media *media);

/**
 * of_script_refresh() for `onefish video`: writes the script stage's derived files
 * (timeline.fcpxml, with `media` when given, subtitles.srt/.vtt/.ass, script.csv)
 * into the folder of `script_json_path` itself, each atomically, from `storyboard`
 * (borrowed: the one of_storyboard_load() read, which the caller rendered; NULL: it
 * is loaded here); a file there that an editor changed (its sha256 is none
 * onefish recorded: script.json's "generated.derived" or `.onefish/derived.json`)
 * is kept as it is, with a warning, and so is one no record can vouch for. A folder
 * holding a pack's manifest.json is left to `onefish run`, and a script.json without
 * the "generated" record of `onefish script` (written by hand) to its author (0,
 * nothing written either way).
 * `*written` / `*kept` count the files replaced and the edited ones kept (may be NULL).
 * `*written_names` (may be NULL) names the files replaced, in the order above,
 * joined by ", " ("script.csv"), or is NULL when none was; caller frees with free().
 * @return 0, OF_EINVALID (malformed script.md row), OF_ENOMEM, OF_ERROR (I/O).
 */
int of_script_refresh_beside(const char *script_json_path, const json_t *storyboard, const of_timeline_media *media,
			     size_t *written, size_t *kept, char **written_names);

/**
 * Checks `sb` against the schema of docs/storyboard.md (version 1): required
 * fields and types, 1..OF_MAX_SCENES scenes, positive durations, contiguous
 * starts, total ≤ OF_MAX_VIDEO_SECONDS, caption ≤ 2 lines of ≤ 14 字, image paths
 * relative (no "..", not absolute). `origin` names the file in errors.
 * @return 0 or OF_EINVALID (message names the scene and field).
 */
int of_storyboard_validate(const json_t *sb, const char *origin);

#endif
