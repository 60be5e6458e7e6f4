/* rewrite.h — LLM engine for the script stage (private): spoken 口播 narration. */
#ifndef ONEFISH_SCRIPT_REWRITE_H
#define ONEFISH_SCRIPT_REWRITE_H

#include "onefish/segment.h"
#include "onefish/storyboard.h"

#include <jansson.h>

/**
 * Asks the configured LLM to rewrite each scene's narration in spoken style
 * (prompt assets/prompts/script_rewrite.txt). The answer must be JSON
 * {"scenes":[{"id","narration"}]} with the same ids, non-empty narration
 * within each scene's 字 budget (duration × speech_rate); then narration and
 * captions are replaced and "engine" becomes "llm". Any failure (no endpoint,
 * network, invalid answer) leaves `sb` untouched, logs a warning and returns 0:
 * the offline script stands.
 * @return 0 or OF_ENOMEM.
 */
int of_script_rewrite_llm(json_t *sb, const of_script_options *o, const of_segmenter *seg, of_stage_stats *st);

/**
 * Applies an LLM answer to `sb` if it validates (exposed for tests).
 * @return 0 (applied), OF_EINVALID (answer rejected; `sb` untouched, message says why), OF_ENOMEM.
 */
int of_script_apply_rewrite(json_t *sb, const char *answer, const of_segmenter *seg);

#endif
