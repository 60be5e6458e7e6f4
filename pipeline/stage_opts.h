/* stage_opts.h — private to pipeline/: config + command line → each stage's options.
 * Strings in the options are borrowed from `cfg` and `args`: keep both alive. */
#ifndef ONEFISH_PIPELINE_STAGE_OPTS_H
#define ONEFISH_PIPELINE_STAGE_OPTS_H

#include "cli.h"
#include "onefish/article.h"
#include "onefish/prompts.h"
#include "onefish/render.h"
#include "onefish/storyboard.h"

void of_opts_article(of_article_options *o, const of_config *cfg, const of_cli_args *args);
void of_opts_script(of_script_options *o, const of_config *cfg, const of_cli_args *args);
void of_opts_video(of_video_options *o, const of_config *cfg, const of_cli_args *args);
void of_opts_prompts(of_prompts_options *o, const of_config *cfg, const of_cli_args *args);

#endif
