/* storyboard.h — stage 2: article → short-video script.
 * Writes script.json, script.md (分镜表), subtitles.srt/.vtt/.ass and a timeline. */
#ifndef ONEFISH_STORYBOARD_H
#define ONEFISH_STORYBOARD_H

#include "onefish/stage.h"

typedef struct of_script_options {
	unsigned version;
	of_brand brand;
	of_run_flags flags;
	double duration;    /**< target seconds (15, 30, 60) */
	double speech_rate; /**< 字 per second */
	const char *preset; /**< video preset the subtitles are styled for */
} of_script_options;

#define OF_SCRIPT_OPTIONS_VERSION 1
#define OF_SCRIPT_OPTIONS_INIT {OF_SCRIPT_OPTIONS_VERSION, {0}, {0}, 30.0, 4.0, "vertical"}

/**
 * Builds the storyboard from `input` (article.md, a saved HTML page, or an
 * http(s) URL) and writes the script files into `out_dir`. Paths borrowed.
 * @return 0, OF_EINVALID (unusable article, deleted page), OF_ENOTFOUND, OF_ENET, OF_ERROR.
 */
int of_script_build(const char *input, const of_script_options *opts, const char *out_dir,
		    of_stage_stats *stats);

#endif
