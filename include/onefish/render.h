/* render.h — stage 3: script.json → video.mp4 + cover.jpg, in-process with libav*. */
#ifndef ONEFISH_RENDER_H
#define ONEFISH_RENDER_H

#include "onefish/stage.h"

#include <jansson.h>
#include <stdint.h>

typedef struct of_video_options {
	unsigned version;
	of_brand brand;
	of_run_flags flags;
	const char *preset;       /**< vertical|landscape|square; NULL = the storyboard's "format" */
	int fps;
	int crf;
	const char *x264_preset;  /**< veryfast */
	int preview;              /**< half size, fastest settings */
	const char *music;        /**< music file or NULL (assets default) */
	const char *font;         /**< caption font family */
	const char *fill;         /**< blur|cover */
	const char *voice_engine; /**< espeak|tts|none */
	const char *voice_name;   /**< espeak-ng voice, default cmn-latn-pinyin (voice.h) */
	int voice_rate;           /**< espeak-ng wpm, 0 = default */
	const char *tts_endpoint, *tts_model, *tts_voice, *tts_api_key_env; /**< borrowed */
	int threads;              /**< x264 threads: fixed (not "auto") so output bytes never depend on the machine */
	int queue;                /**< frames in flight between drawing and encoding, 1..8: 0 = default (6); 1
	                               makes the two strictly alternate (tests check the bytes do not change) */
	int stems;                /**< also write narration.wav and music.wav (the voice and the ducked bed,
	                               as mixed, on the video's timeline) for an editing timeline; 0 = not */
} of_video_options;

#define OF_VIDEO_OPTIONS_VERSION 1
#define OF_VIDEO_OPTIONS_INIT {OF_VIDEO_OPTIONS_VERSION, {0}, {0}, "vertical", 30, 23, "veryfast", 0, NULL, \
	"Noto Sans CJK SC", "blur", "espeak", "cmn-latn-pinyin", 0, NULL, NULL, NULL, NULL, 2, 0, 0}

/**
 * Renders `script_json` (image paths inside it are relative to its folder)
 * into `out_dir`/video.mp4 and cover.jpg, atomically. Paths borrowed.
 * Scene durations grow to fit narration longer than the scene (later scenes
 * shift); the video lasts the adjusted total. A missing image becomes a
 * placeholder with a warning (OF_EINVALID under flags.strict). Same inputs and
 * options give byte-identical files. Progress goes to of_log_progress("video").
 * It renders script.json as it is: an editor's script.md is applied only by
 * of_storyboard_load(), which the commands call before of_video_render_doc().
 * @return 0, OF_EINVALID / OF_ELIMIT (bad script or image, field named),
 *         OF_ENOTFOUND (script, font), OF_EMEDIA (decode/encode), OF_EUSAGE (bad preset), OF_ERROR (I/O).
 */
int of_video_render(const char *script_json, const of_video_options *opts, const char *out_dir,
		    of_stage_stats *stats);

/**
 * Same, for a storyboard already loaded (e.g. by of_storyboard_load(), which
 * applies an editor's script.md changes): `storyboard` is borrowed; image
 * paths resolve inside the folder of `script_json`, which also names errors.
 */
int of_video_render_doc(const json_t *storyboard, const char *script_json, const of_video_options *opts,
			const char *out_dir, of_stage_stats *stats);

/** What a render made, for an editing timeline that should match the video. */
typedef struct of_video_result {
	size_t n_scenes;
	long *frames;   /**< per scene, its length in the video (frames at `fps`): the storyboard's, or
	                     longer where the narration needed it; caller frees with of_video_result_clear() */
	int fps;
	long total;     /**< frames of the video */
	int width, height; /**< the frame rendered (--preview halves it; a preset sets it) */
	int narration;  /**< narration.wav was written (opts->stems and a voice) */
	int music;      /**< music.wav was written (opts->stems and music) */
	long audio_samples; /**< samples (per channel) of each stem, at `audio_rate` */
	int audio_rate;
} of_video_result;

/**
 * Same as of_video_render_doc(), and fills `*res` (may be NULL) with the rendered
 * timing and the stems written. Release it with of_video_result_clear().
 */
int of_video_render_doc_result(const json_t *storyboard, const char *script_json, const of_video_options *opts,
			       const char *out_dir, of_stage_stats *stats, of_video_result *res);

/** Frees what `res` holds and zeroes it (accepts NULL). */
void of_video_result_clear(of_video_result *res);

/**
 * Whether fontconfig has the caption font `family` (video.font) installed, so
 * `onefish check` can say so before a run spends the other stages.
 * @return 0, or OF_ENOTFOUND (error set: which font, what to install).
 */
int of_video_font_check(const char *family);

/**
 * The brand background for brand colour `color` ("#RRGGBB", borrowed): a `w`×`h` JPEG of a
 * vertical gradient of the colour's hue, from the colour (darkened if white text would not
 * read on it) to a darker shade. Same arguments, same bytes. Caller frees `*out` with free().
 * @return 0, OF_EINVALID (not #RRGGBB, odd size), OF_EMEDIA, OF_ENOMEM.
 */
int of_render_brand_background(uint8_t **out, size_t *len, const char *color, int w, int h);

#endif
