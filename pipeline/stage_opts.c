/* stage_opts.c — the one place where config keys become stage options. */
#include "stage_opts.h"

#include <string.h>

void of_opts_article(of_article_options *o, const of_config *cfg, const of_cli_args *args)
{
	of_article_options init = OF_ARTICLE_OPTIONS_INIT;
	*o = init;
	of_cli_brand(&o->brand, cfg);
	of_cli_flags(&o->flags, cfg, args);
	o->since = args->since ? args->since : of_config_str(cfg, "since", NULL);
	o->until = args->until ? args->until : of_config_str(cfg, "until", NULL);
	o->week = of_config_str(cfg, "week", NULL);
	o->min_chars = (int)of_config_num(cfg, "article.min_chars", o->min_chars);
	o->max_chars = (int)of_config_num(cfg, "article.max_chars", o->max_chars);
	o->title = of_config_str(cfg, "article.title", NULL);
	o->cta = of_config_str(cfg, "article.cta", NULL);
	o->theme = of_config_str(cfg, "article.theme", of_config_str(cfg, "theme", o->theme));
	o->traditional = strcmp(of_config_str(cfg, "article.script", "simplified"), "traditional") == 0;
	o->force = args->force;
	o->relative_dates = !of_config_bool(cfg, "article.absolute_dates", 1);
	o->image_base_url = of_config_str(cfg, "article.image_base_url", NULL);
}

void of_opts_script(of_script_options *o, const of_config *cfg, const of_cli_args *args)
{
	of_script_options init = OF_SCRIPT_OPTIONS_INIT;
	*o = init;
	of_cli_brand(&o->brand, cfg);
	of_cli_flags(&o->flags, cfg, args);
	o->duration = args->duration > 0 ? args->duration : of_config_num(cfg, "script.duration", o->duration);
	o->speech_rate = of_config_num(cfg, "script.speech_rate", o->speech_rate);
	o->fetch_images = of_config_bool(cfg, "script.fetch_images", o->fetch_images);
	o->force = args->force;
	o->preset = args->preset ? args->preset : of_config_str(cfg, "video.preset", o->preset);
}

void of_opts_video(of_video_options *o, const of_config *cfg, const of_cli_args *args)
{
	of_video_options init = OF_VIDEO_OPTIONS_INIT;
	*o = init;
	of_cli_brand(&o->brand, cfg);
	of_cli_flags(&o->flags, cfg, args);
	/* NULL = the frame the storyboard was made for (its "format"), vertical when it names none. */
	o->preset = args->preset ? args->preset : of_config_str(cfg, "video.preset", NULL);
	o->fps = (int)of_config_num(cfg, "video.fps", o->fps);
	o->crf = (int)of_config_num(cfg, "video.crf", o->crf);
	o->x264_preset = of_config_str(cfg, "video.x264_preset", o->x264_preset);
	o->preview = args->preview;
	o->music = of_config_str(cfg, "video.music", NULL);
	o->font = of_config_str(cfg, "video.font", o->font);
	o->fill = of_config_str(cfg, "video.fill", o->fill);
	o->threads = (int)of_config_num(cfg, "video.threads", o->threads);
	o->voice_engine = of_config_str(cfg, "voice.engine", o->voice_engine);
	o->voice_name = of_config_str(cfg, "voice.name", o->voice_name);
	o->voice_rate = (int)of_config_num(cfg, "voice.rate", 0);
	o->tts_endpoint = of_config_str(cfg, "tts.endpoint", NULL);
	o->tts_model = of_config_str(cfg, "tts.model", NULL);
	o->tts_voice = of_config_str(cfg, "tts.voice", NULL);
	o->tts_api_key_env = of_config_str(cfg, "tts.api_key_env", NULL);
}

void of_opts_prompts(of_prompts_options *o, const of_config *cfg, const of_cli_args *args)
{
	of_prompts_options init = OF_PROMPTS_OPTIONS_INIT;
	*o = init;
	of_cli_brand(&o->brand, cfg);
	of_cli_flags(&o->flags, cfg, args);
	o->top = args->top > 0 ? args->top : (int)of_config_num(cfg, "prompts.top", o->top);
	o->format = args->format ? args->format : of_config_str(cfg, "prompts.format", o->format);
	o->streamer = of_config_str(cfg, "prompts.streamer", NULL);
	o->force = args->force;
	o->flood_window = of_config_num(cfg, "prompts.flood_window", o->flood_window);
	o->similarity = of_config_num(cfg, "prompts.similarity", o->similarity);
	o->csv_text = of_config_str(cfg, "prompts.csv_text", NULL);
	o->csv_time = of_config_str(cfg, "prompts.csv_time", NULL);
	o->csv_user = of_config_str(cfg, "prompts.csv_user", NULL);
}
