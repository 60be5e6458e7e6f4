/* cmd_stages.c — the single-stage commands: article, script, video, prompts. */
#include "cache.h"
#include "cli.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/log.h"
#include "stage_opts.h"
#include "video_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Shared tail of every stage command: time it, summarise, map the result to an exit code.
 * The warning count is what the log layer saw during the stage (every warning printed, and
 * those a per-file cap only counted), so the summary never contradicts the lines above it. */
static int finish(const char *stage, int rc, of_stage_stats *st, double t0, size_t warn0)
{
	double secs = of_log_now() - t0;
	st->warnings = of_log_warning_count() - warn0;
	if (rc < 0) { /* the reason first: "failed: 0 records read" alone reads like the cause */
		int code = of_cli_fail(stage);
		of_cli_summary(stage, st, rc, secs);
		return code;
	}
	of_cli_summary(stage, st, 0, secs);
	return OF_EXIT_OK;
}

/* Without --config, the pack config is looked for beside the first input that is there and
 * up to two folders above it, or inside it when it is a folder (a comment log in pack/comments/, an article in
 * out/week/), the way a pack is laid out. Without one, brand and live settings
 * are unset and the prompts say 「我们」: say so rather than run silently. With no input
 * there at all, nothing is looked for and nothing said: the stage reports the missing
 * input first (a note about the config above "no such file" hid the real problem). */
static int load_cfg_near(of_config **cfg, const of_cli_args *a, const char *unset)
{
	const char *input = NULL;
	char *dir;
	int rc;
	struct stat st;
	for (size_t i = 0; !input && i < a->n_pos; i++)
		if (stat(a->pos[i], &st) == 0)
			input = a->pos[i];
	if (!input && !a->config)
		return of_config_new_empty(cfg) < 0 ? of_cli_fail("config") : 0;
	/* A folder given as the input (a Markdown folder, a pack's comments/) holds its config itself. */
	dir = !input ? NULL : S_ISDIR(st.st_mode) ? strdup(input) : of_path_dirname(input);
	for (int up = 0; dir && !a->config && up < 3; up++) {
		char *path = of_path_join(dir, "onefish.yaml"), *parent;
		int found = path && of_path_is_file(path);
		free(path);
		if (found)
			break;
		parent = up < 2 ? of_path_join(dir, "..") : NULL;
		if (!parent) {
			free(dir);
			dir = NULL;
			break;
		}
		free(dir);
		dir = parent;
	}
	if (!dir && !a->config)
		of_log(OF_LOG_INFO, "no onefish.yaml beside %s or in the two folders above it: %s (give --config FILE)", input,
		       unset);
	rc = of_cli_load_config(cfg, a, dir);
	free(dir);
	return rc;
}

static int run_article(const of_cli_args *a)
{
	of_config *cfg = NULL;
	of_article_options o;
	of_stage_stats st = {0};
	int rc;
	if (a->n_pos < 1)
		return of_cli_usage_error(&of_cmd_article, "give at least one posts file or folder");
	if (!a->out_dir)
		return of_cli_usage_error(&of_cmd_article, "-o OUT_DIR is required");
	if ((rc = load_cfg_near(&cfg, a, "brand and live settings are unset")) != 0)
		return rc;
	of_opts_article(&o, cfg, a);
	double t0 = of_log_now();
	size_t warn0 = of_log_warning_count();
	rc = of_article_build(a->pos, a->n_pos, &o, a->out_dir, &st);
	rc = finish("article", rc, &st, t0, warn0);
	of_config_free(cfg);
	return rc;
}

static int run_script(const of_cli_args *a)
{
	of_config *cfg = NULL;
	of_script_options o;
	of_stage_stats st = {0};
	int rc;
	if (a->n_pos != 1)
		return of_cli_usage_error(&of_cmd_script, "give exactly one article (ARTICLE.md, ARTICLE.html or URL)");
	if (!a->out_dir)
		return of_cli_usage_error(&of_cmd_script, "-o OUT_DIR is required");
	int is_url = strncmp(a->pos[0], "http://", 7) == 0 || strncmp(a->pos[0], "https://", 8) == 0;
	if ((rc = is_url ? of_cli_load_config(&cfg, a, NULL)
			 : load_cfg_near(&cfg, a, "brand and live settings are unset")) != 0)
		return rc;
	of_opts_script(&o, cfg, a);
	double t0 = of_log_now();
	size_t warn0 = of_log_warning_count();
	rc = of_script_build(a->pos[0], &o, a->out_dir, &st);
	rc = finish("script", rc, &st, t0, warn0);
	of_config_free(cfg);
	return rc;
}

static int run_video(const of_cli_args *a)
{
	of_config *cfg = NULL;
	of_video_options o;
	of_stage_stats st = {0};
	char *music = NULL;
	int rc;
	if (a->n_pos != 1)
		return of_cli_usage_error(&of_cmd_video, "give exactly one SCRIPT.json");
	if (!a->out_dir)
		return of_cli_usage_error(&of_cmd_video, "-o OUT_DIR is required");
	if ((rc = load_cfg_near(&cfg, a,
				"video and voice settings are the defaults (brand and live come from the script)")) != 0)
		return rc;
	of_opts_video(&o, cfg, a);
	/* video.music is relative to the config's folder (the pack), as `onefish run` reads it */
	if (of_config_path(&music, cfg, "video.music") < 0) {
		rc = of_cli_fail("config");
		of_config_free(cfg);
		return rc;
	}
	if (music)
		o.music = music;
	double t0 = of_log_now();
	size_t warn0 = of_log_warning_count();
	/* Same code path as the pack's video stage: script.md edits applied, bad rows named;
	 * then the script folder's timeline and subtitles follow what was rendered, as the
	 * pack's script stage makes them follow an edit (with the narration and music stems). */
	o.stems = 1;
	rc = of_pipeline_video(a->pos[0], &o, a->out_dir, OF_PIPELINE_TIMELINE_SCRIPT_FOLDER, &st);
	rc = finish("video", rc, &st, t0, warn0);
	free(music);
	of_config_free(cfg);
	return rc;
}

/* A folder given to `prompts` stands for every file in it, as a pack's
 * comments/ folder does (sorted, recursive, hidden files skipped), so a team
 * can point the command at the folder the exporter filled. */
static int expand_logs(of_pack_files *f, const of_cli_args *a)
{
	int rc = 0;
	of_pack_files all = {0};
	for (size_t i = 0; rc == 0 && i < a->n_pos; i++) {
		size_t before = all.n;
		if (!of_path_is_dir(a->pos[i]))
			rc = of_pack_files_add(&all, a->pos[i], a->pos[i]);
		else if ((rc = of_cache_add_dir(&all, a->pos[i], "")) == 0 && all.n == before)
			rc = of_error_set_at(OF_ENOTFOUND, a->pos[i], 0, 0, "no comment log in this folder");
	}
	/* A log given twice (by name and in its folder, or `*.xml a.xml`) is read once: twice, it
	 * would double every count of the week. */
	for (size_t i = 0; rc == 0 && i < all.n; i++) {
		/* The folder's own onefish.yaml is its config (load_cfg_near reads it), not a log to skip
		 * with a warning; one named on the command line is still read and refused as a log. */
		if (strcmp(all.labels[i], "onefish.yaml") == 0 && strcmp(all.paths[i], all.labels[i]) != 0)
			continue;
		char *real = realpath(all.paths[i], NULL);
		size_t k = 0;
		for (; real && k < f->n; k++) {
			char *other = realpath(f->paths[k], NULL);
			int same = other && strcmp(other, real) == 0;
			free(other);
			if (same)
				break;
		}
		if (real && k < f->n)
			of_log_warn_at(all.paths[i], 0, 0, "listed twice: read once");
		else
			rc = of_pack_files_add(f, all.paths[i], all.labels[i]);
		free(real);
	}
	of_pack_files_clear(&all);
	return rc;
}

static int run_prompts(const of_cli_args *a)
{
	of_config *cfg = NULL;
	of_prompts_options o;
	of_stage_stats st = {0};
	of_pack_files logs = {0};
	int rc;
	if (a->n_pos < 1)
		return of_cli_usage_error(&of_cmd_prompts, "give at least one comment log");
	if (!a->out_dir)
		return of_cli_usage_error(&of_cmd_prompts, "-o OUT_DIR is required");
	if ((rc = load_cfg_near(&cfg, a, "brand and live settings are unset")) != 0)
		return rc;
	of_opts_prompts(&o, cfg, a);
	double t0 = of_log_now();
	size_t warn0 = of_log_warning_count();
	if ((rc = expand_logs(&logs, a)) == 0)
		rc = of_prompts_build((const char *const *)logs.paths, logs.n, &o, a->out_dir, &st);
	rc = finish("prompts", rc, &st, t0, warn0);
	of_pack_files_clear(&logs);
	of_config_free(cfg);
	return rc;
}

#define GLOBAL_HELP                                                                                  \
	"  --config FILE     pack config (default: onefish.yaml beside the input or 1-2 folders up)\n"    \
	"  --strict          any bad record fails the run (exit 3)\n"                                      \
	"  --no-isolate      parse inputs in-process, not in a limited worker (debugging; limits.isolate)\n" \
	"  --json            one JSON object per event on stdout, for CI\n"                                \
	"  --quiet           only warnings and errors\n"                                                   \
	"  -h, --help        this help\n"                                                                  \
	"exit status: 0 ok (bad records reported as file:line and skipped), 1 failure, 2 usage, 3 bad input,\n" \
	"130/143 interrupted (SIGINT/SIGTERM; partial outputs are removed)\n"

const of_command of_cmd_article = {
	"article", "posts → article draft (article.md, .html, .wechat.html, .trace.json)",
	"usage: onefish article POSTS... -o OUT_DIR [--since DATE] [--until DATE] [--engine offline|llm]\n"
	"\nMerges a week of Moments posts into one article draft.\n"
	"POSTS: posts.jsonl (JSON Lines), posts.csv (header row), a folder of Markdown\n"
	"files with front matter, or an HTML export.\n\n"
	"  -o, --out DIR     output folder (article.md, article.html, article.wechat.html, article.trace.json)\n"
	"  --since DATE      only posts at or after DATE (2026-11-16 or full ISO 8601)\n"
	"  --until DATE      only posts before DATE\n"
	"  --engine NAME     offline (default, deterministic) or llm (OpenAI-compatible endpoint)\n"
	"  --force           overwrite an article.md an editor changed\n" GLOBAL_HELP
	"\nexample: onefish article examples/week-2026-47/posts.jsonl -o out/article\n",
	OF_OPT_OUT | OF_OPT_SINCE | OF_OPT_UNTIL | OF_OPT_ENGINE | OF_OPT_FORCE, run_article};

const of_command of_cmd_script = {
	"script", "article → short-video script (script.json, script.md 分镜表, subtitles)",
	"usage: onefish script ARTICLE.md|ARTICLE.html|URL -o OUT_DIR [--duration SECONDS] [--engine offline|llm] [--force]\n"
	"\nTurns an article (Markdown, a saved WeChat or web page, or an http(s) URL) into a\n"
	"15/30/60-second storyboard that promotes the live stream.\n\n"
	"  -o, --out DIR     output folder: script.json, script.md (分镜表), subtitles.srt/.vtt/.ass,\n"
	"                    timeline.fcpxml, images/\n"
	"  --duration SECS   target length, 5-600 seconds (default 30, or script.duration in the config)\n"
	"  --preset NAME     vertical|landscape|square: frame the subtitles are styled for\n"
	"  --engine NAME     offline (default) or llm (rewrites narration in spoken style)\n"
	"  --force           overwrite a script.md or script.json an editor changed\n" GLOBAL_HELP
	"\nEdit script.md or script.json, then run onefish video: the edits are used (docs/storyboard.md).\n"
	"\nexample: onefish script out/article/article.md -o out/script --duration 30\n",
	OF_OPT_OUT | OF_OPT_DURATION | OF_OPT_ENGINE | OF_OPT_PRESET | OF_OPT_FORCE, run_script};

const of_command of_cmd_video = {
	"video", "script → slideshow video (video.mp4, cover.jpg, captions.srt/.vtt)",
	"usage: onefish video SCRIPT.json -o OUT_DIR [--preset vertical|landscape|square] [--preview]\n"
	"\nRenders the storyboard into an H.264/AAC MP4 with Ken Burns motion, transitions, Chinese captions\n"
	"(libass), a title card and the live-stream end card, narration and music, in-process with the\n"
	"FFmpeg libraries. A scene whose narration is longer than it is lengthened (later scenes shift).\n"
	"Image paths in SCRIPT.json are relative to its folder; edits to script.md beside it are applied.\n"
	"Then timeline.fcpxml (with the stems as audio clips), subtitles.* and script.csv beside SCRIPT.json\n"
	"follow what was rendered (a file changed by hand there is kept, with a warning); a --preview or\n"
	"another --preset is a variant that leaves them to the render at the storyboard's own frame.\n\n"
	"  -o, --out DIR     output folder: video.mp4 (captions burned in, plus a mov_text track that is\n"
	"                    off by default), cover.jpg, and captions.srt/.vtt: that track's cues, timed as\n"
	"                    rendered (a transcript or for re-timing; not named video.* so that players\n"
	"                    do not load them over the burned-in captions), narration.wav and music.wav\n"
	"                    (the voice and the ducked music alone, for an editing timeline)\n"
	"  --preset NAME     vertical 1080x1920 (default), landscape 1920x1080, square 1080x1080\n"
	"  --preview         half size, fastest encoder settings\n"
	"  (a missing or broken image becomes a placeholder with a warning; --strict fails instead)\n" GLOBAL_HELP
	"\nsettings (onefish.yaml): video.crf, video.x264_preset, video.threads, video.fill blur|cover,\n"
	"video.font, video.music, voice.engine espeak|tts|none. Same input, same bytes out.\n"
	"\nexample: onefish video out/script/script.json -o out/video\n",
	OF_OPT_OUT | OF_OPT_PRESET | OF_OPT_PREVIEW, run_video};

const of_command of_cmd_prompts = {
	"prompts", "live comment logs → question clusters → next week's post prompts",
	"usage: onefish prompts COMMENT_LOG... -o OUT_DIR [--top N] [--format auto|bilibili|youtube|irc|csv|jsonl|xlsx]\n"
	"\nMines what viewers asked in a live stream and turns it into post prompts.\n"
	"A COMMENT_LOG that is a folder stands for every file in it (sorted, hidden files skipped).\n"
	"COMMENT_LOG: bilibili danmaku XML (also live recordings by BililiveRecorder 录播姬, blrec or biliLive-tools,\n"
	"which records Douyin, Douyu and Huya in that shape too: superchats, gifts, the streamer; the parts of\n"
	"one recording are lined up), YouTube live chat (chat-downloader JSON, innertube actions, yt-dlp\n"
	".live_chat.json), Twitch/IRC (raw IRCv3 lines, {\"messages\":[...]}, \"[time] user: message\"), CSV or\n"
	"TSV with a header (UTF-8, UTF-16 or GBK; exporters' 弹幕内容/用户昵称/发送时间 columns known), an Excel\n"
	".xlsx workbook (its first sheet, read like CSV), onefish comment JSONL or the JSON records of capture\n"
	"tools (content, nickname, create_time… found by name; docs/formats.md);\n"
	".gz accepted.\n\n"
	"  -o, --out DIR     output folder (prompts.json, prompts.md, comments.svg, comments.jsonl, next-posts.jsonl)\n"
	"  --top N           question clusters to keep, 1-100 (default 10, or prompts.top)\n"
	"  --format NAME     force the log format (default: detected from the content)\n"
	"  --force           overwrite a prompts.md an editor changed\n" GLOBAL_HELP
	"config keys: prompts.top, prompts.format, prompts.streamer, prompts.flood_window, prompts.similarity,\n"
	"prompts.csv_text, prompts.csv_time, prompts.csv_user (CSV column names, when yours are not recognised);\n"
	"brand.name, brand.audience and live.cta go into the prompts.\n"
	"\nexample: onefish prompts examples/week-2026-47/comments/live-2026-11-19.xml -o out/prompts \\\n"
	"           --config examples/week-2026-47/onefish.yaml\n",
	OF_OPT_OUT | OF_OPT_TOP | OF_OPT_FORMAT | OF_OPT_FORCE, run_prompts};
