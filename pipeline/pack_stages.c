/* pack_stages.c — the real stage table of a pack: what each stage reads, the
 * settings that key its cache, and how it is called. */
#include "cache.h"
#include "cli.h"
#include "stage_opts.h"
#include "video_run.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/pack.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const of_cli_args *cli_of(const of_pack_job *job, of_cli_args *blank)
{
	if (job->cli)
		return job->cli;
	memset(blank, 0, sizeof *blank);
	return blank;
}

static char *out_file(const of_pack_job *job, const char *name)
{
	return of_path_join(job->out_dir, name);
}

/* Label of a pack path: relative to the pack folder when inside it. */
static const char *pack_label(const of_pack_job *job, const char *path)
{
	size_t n = strlen(job->pack_dir);
	if (strncmp(path, job->pack_dir, n) == 0 && path[n] == '/')
		return path + n + 1;
	return path;
}

/* ---- settings: what changes a stage's output besides its input bytes ---- */

static void put_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, v ? json_string(v) : json_null());
}

static json_t *brand_json(const of_brand *b)
{
	json_t *o = json_object();
	put_str(o, "name", b->name);
	put_str(o, "account", b->account);
	put_str(o, "color", b->color);
	put_str(o, "slogan", b->slogan);
	put_str(o, "live_title", b->live_title);
	put_str(o, "live_time", b->live_time);
	put_str(o, "live_platform", b->live_platform);
	put_str(o, "live_cta", b->live_cta);
	if (b->live_url) /* absent from older keys: a pack without one keeps its cache */
		put_str(o, "live_url", b->live_url);
	return o;
}

static json_t *flags_json(const of_run_flags *f)
{
	json_t *o = json_object();
	/* not "strict": it changes no output byte, only whether bad records fail the run, and a
	 * cached stage that skipped none is as good under --strict (pack.c why_run) */
	json_object_set_new(o, "engine", json_string(f->engine_llm ? "llm" : "offline"));
	if (f->engine_llm) {
		put_str(o, "llm_endpoint", f->llm_endpoint);
		put_str(o, "llm_model", f->llm_model);
		json_object_set_new(o, "llm_max_tokens", json_integer(f->llm_max_tokens));
	}
	return o;
}

/* Every config key the stage may read, as set in onefish.yaml: keys other stages add
 * to the schema later change the cache key without this file knowing them. A
 * "-key" entry leaves out one key its section's prefix would take in. */
static json_t *config_json(const of_config *cfg, const char *const *prefixes)
{
	json_t *o = json_object();
	for (const of_config_key *k = of_config_schema; k->key; k++) {
		int match = 0, left_out = 0;
		for (int i = 0; prefixes[i]; i++) {
			size_t n = strlen(prefixes[i]);
			if (prefixes[i][0] == '-')
				left_out |= strcmp(k->key, prefixes[i] + 1) == 0;
			else if (!match)
				match = prefixes[i][n - 1] == '.' ? strncmp(k->key, prefixes[i], n) == 0
								  : strcmp(k->key, prefixes[i]) == 0;
		}
		match &= !left_out;
		if (!match || k->type == OF_CFG_MAP || !of_config_has(cfg, k->key))
			continue;
		switch (k->type) {
		case OF_CFG_INT:
		case OF_CFG_NUMBER:
			json_object_set_new(o, k->key, json_real(of_config_num(cfg, k->key, 0)));
			break;
		case OF_CFG_BOOL:
			json_object_set_new(o, k->key, json_boolean(of_config_bool(cfg, k->key, 0)));
			break;
		case OF_CFG_STRING_LIST: {
			const char *const *items;
			size_t n = of_config_list(cfg, k->key, &items);
			json_t *a = json_array();
			for (size_t i = 0; i < n; i++)
				json_array_append_new(a, json_string(items[i]));
			json_object_set_new(o, k->key, a);
			break;
		}
		default:
			put_str(o, k->key, of_config_str(cfg, k->key, NULL));
		}
	}
	return o;
}

/* brand.audience is read by the prompts stage alone: naming the viewers does not redo a video. */
static const char *const article_keys[] = {"article.", "brand.", "-brand.audience", "live.", "theme", "week", "since",
					   "until", "engine", "llm.", NULL};
static const char *const script_keys[] = {"script.", "brand.", "-brand.audience", "live.", "video.preset", "engine",
					  "llm.", NULL};
/* Voice and TTS settings shape the soundtrack, so they key the video. */
static const char *const video_keys[] = {"video.", "voice.", "tts.", "brand.", "-brand.audience", "live.", NULL};
static const char *const prompts_keys[] = {"prompts.", "brand.", "live.", "engine", "llm.", NULL};

static json_t *article_settings(const of_pack_job *job)
{
	of_cli_args blank;
	of_article_options o;
	json_t *s = json_object();
	of_opts_article(&o, job->cfg, cli_of(job, &blank));
	json_object_set_new(s, "config", config_json(job->cfg, article_keys));
	json_object_set_new(s, "brand", brand_json(&o.brand));
	json_object_set_new(s, "flags", flags_json(&o.flags));
	put_str(s, "since", o.since);
	put_str(s, "until", o.until);
	put_str(s, "week", o.week);
	json_object_set_new(s, "min_chars", json_integer(o.min_chars));
	json_object_set_new(s, "max_chars", json_integer(o.max_chars));
	put_str(s, "title", o.title);
	put_str(s, "cta", o.cta);
	put_str(s, "theme", o.theme);
	json_object_set_new(s, "traditional", json_boolean(o.traditional));
	return s;
}

static json_t *script_settings(const of_pack_job *job)
{
	of_cli_args blank;
	of_script_options o;
	json_t *s = json_object();
	of_opts_script(&o, job->cfg, cli_of(job, &blank));
	json_object_set_new(s, "config", config_json(job->cfg, script_keys));
	json_object_set_new(s, "brand", brand_json(&o.brand));
	json_object_set_new(s, "flags", flags_json(&o.flags));
	json_object_set_new(s, "duration", json_real(o.duration));
	json_object_set_new(s, "speech_rate", json_real(o.speech_rate));
	put_str(s, "preset", o.preset);
	return s;
}

static json_t *video_settings(const of_pack_job *job)
{
	of_cli_args blank;
	of_video_options o;
	json_t *s = json_object();
	of_opts_video(&o, job->cfg, cli_of(job, &blank));
	json_object_set_new(s, "config", config_json(job->cfg, video_keys));
	json_object_set_new(s, "brand", brand_json(&o.brand));
	json_object_set_new(s, "flags", flags_json(&o.flags));
	put_str(s, "preset", o.preset);
	json_object_set_new(s, "fps", json_integer(o.fps));
	json_object_set_new(s, "crf", json_integer(o.crf));
	put_str(s, "x264_preset", o.x264_preset);
	json_object_set_new(s, "preview", json_boolean(o.preview));
	/* the music's bytes are an input; its setting is the pack-relative name, the same however
	 * the pack's path was typed (the key and manifest.json stay put) */
	put_str(s, "music", o.music ? pack_label(job, o.music) : NULL);
	put_str(s, "font", o.font);
	put_str(s, "fill", o.fill);
	put_str(s, "voice_engine", o.voice_engine);
	put_str(s, "voice_name", o.voice_name);
	json_object_set_new(s, "voice_rate", json_integer(o.voice_rate));
	put_str(s, "tts_endpoint", o.tts_endpoint);
	put_str(s, "tts_model", o.tts_model);
	put_str(s, "tts_voice", o.tts_voice);
	/* what the stage writes besides the video: a folder of a onefish whose video stage did not
	 * write them (its timeline was the script stage's, without audio) renders again */
	json_object_set_new(s, "editing", json_string("timeline.fcpxml, narration.wav, music.wav"));
	return s;
}

static json_t *prompts_settings(const of_pack_job *job)
{
	of_cli_args blank;
	of_prompts_options o;
	json_t *s = json_object();
	of_opts_prompts(&o, job->cfg, cli_of(job, &blank));
	json_object_set_new(s, "config", config_json(job->cfg, prompts_keys));
	json_object_set_new(s, "brand", brand_json(&o.brand));
	json_object_set_new(s, "flags", flags_json(&o.flags));
	json_object_set_new(s, "top", json_integer(o.top));
	put_str(s, "format", o.format);
	put_str(s, "audience", o.brand.audience);
	return s;
}

/* ---- inputs ---- */

static int add_path(of_pack_files *f, const of_pack_job *job, const char *path)
{
	if (of_path_is_dir(path))
		return of_cache_add_dir(f, path, pack_label(job, path));
	if (!of_path_is_file(path))
		return of_error_set_at(OF_ENOTFOUND, path, 0, 0, "no such file");
	return of_pack_files_add(f, path, pack_label(job, path));
}

/* The shipped files a stage reads (lexicons, templates, styles, the music bed)
 * key it too, labelled "asset:…": editing one in an install (the lexicons are
 * meant to be tuned), or a onefish that ships another, reruns the stages that
 * read it. A missing asset is the stage's to report when it runs. */
static int add_assets(of_pack_files *f, const char *const *rels)
{
	for (size_t i = 0; rels[i]; i++) {
		char *p = NULL, label[128];
		int rc;
		if (of_asset_path(&p, rels[i]) != 0) {
			of_error_clear();
			continue;
		}
		snprintf(label, sizeof label, "asset:%s", rels[i]);
		rc = of_path_is_dir(p) ? of_cache_add_dir(f, p, label) : of_pack_files_add(f, p, label);
		free(p);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static const char *const article_assets[] = {"templates/article", "themes", "prompts/article_system.txt",
					     "prompts/article_user.txt", "lexicons/adlaw.tsv", NULL};
static const char *const script_assets[] = {"styles/captions.json", "prompts/script_rewrite.txt", "brand/background.jpg", NULL};
static const char *const video_assets[] = {"styles/captions.json", "music/bed.m4a", NULL};
static const char *const prompts_assets[] = {"lexicons", "templates/prompts", NULL};

/* A posts folder keys the article by its files, but not by an output folder put
 * inside it (`-o posts/out`): the stage would be keyed by its own outputs, and no
 * rerun would ever be cached. */
static int add_posts_dir(of_pack_files *f, const of_pack_job *job, const char *dir)
{
	of_pack_files all = {0};
	char *out = job->out_dir ? realpath(job->out_dir, NULL) : NULL;
	size_t ol = out ? strlen(out) : 0;
	int rc = of_cache_add_dir(&all, dir, pack_label(job, dir));
	for (size_t i = 0; rc == 0 && i < all.n; i++) {
		char *real = out ? realpath(all.paths[i], NULL) : NULL;
		int mine = real && strncmp(real, out, ol) == 0 && real[ol] == '/';
		free(real);
		if (!mine)
			rc = of_pack_files_add(f, all.paths[i], all.labels[i]);
	}
	of_pack_files_clear(&all);
	free(out);
	return rc;
}

static int is_photo_name(const char *name)
{
	static const char *const ext[] = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".heic",
					  ".heif", ".avif", ".tif", ".tiff", NULL};
	size_t n = strlen(name);
	for (int i = 0; ext[i]; i++) {
		size_t e = strlen(ext[i]);
		if (n > e && strcasecmp(name + n - e, ext[i]) == 0)
			return 1;
	}
	return 0;
}

/* Photos anywhere else in the pack: a post may name photos/p03-1.jpg (relative to
 * its posts file or the pack), which `check` accepts, so a changed one must rerun
 * the article too. Outputs inside the pack and the comment logs are not photos. */
static int add_other_photos(of_pack_files *f, const of_pack_job *job)
{
	of_pack_files all = {0};
	char *out = job->out_dir ? realpath(job->out_dir, NULL) : NULL;
	size_t ol = out ? strlen(out) : 0;
	int rc = of_cache_add_dir(&all, job->pack_dir, "");
	for (size_t i = 0; rc == 0 && i < all.n; i++) {
		const char *label = all.labels[i];
		if (!is_photo_name(label) || strncmp(label, "images/", 7) == 0 || strncmp(label, "comments/", 9) == 0)
			continue;
		char *real = out ? realpath(all.paths[i], NULL) : NULL;
		int mine = real && strncmp(real, out, ol) == 0 && real[ol] == '/';
		free(real);
		if (!mine)
			rc = of_pack_files_add(f, all.paths[i], label);
	}
	of_pack_files_clear(&all);
	free(out);
	return rc;
}

static int article_inputs(const of_pack_job *job, of_pack_files *f)
{
	int rc;
	char *images;
	for (size_t i = 0; i < job->n_posts; i++)
		if ((rc = of_path_is_dir(job->posts[i]) ? add_posts_dir(f, job, job->posts[i]) : add_path(f, job, job->posts[i])) < 0)
			return rc;
	/* Photos the posts use live in images/ by convention: a changed photo reruns the article. */
	images = of_path_join(job->pack_dir, "images");
	if (!images)
		return of_error_set_oom();
	rc = of_cache_add_dir(f, images, "images");
	free(images);
	if (rc == 0)
		rc = add_other_photos(f, job);
	return rc < 0 ? rc : add_assets(f, article_assets);
}

/* Adds the local images an article.md links to (found with cmark, not by hand). */
static int add_markdown_images(of_pack_files *f, const char *md_path, const char *base_dir)
{
	char *text = NULL;
	size_t len = 0;
	cmark_node *doc;
	cmark_iter *it;
	cmark_event_type ev;
	int rc = of_file_read(&text, &len, md_path, OF_MAX_MARKDOWN_BYTES);
	if (rc < 0)
		return rc;
	doc = cmark_parse_document(text, len, CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
	free(text);
	if (!doc)
		return of_error_set_oom();
	it = cmark_iter_new(doc);
	while (rc == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		const char *url;
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_IMAGE)
			continue;
		url = cmark_node_get_url(n);
		if (!url || !url[0] || strstr(url, "://") || url[0] == '/')
			continue;
		char *p = of_path_join(base_dir, url), *label = NULL, *real = NULL;
		/* only a photo inside the output folder is the script's input (the script stage refuses
		 * one outside it): a ../ name in an edited article.md is not read, nor hashed */
		int inside = p && of_path_resolve_inside(&real, base_dir, url) == 0 && of_path_is_file(real);
		of_error_clear();
		free(real);
		if (inside) {
			size_t ll = strlen(url) + 5;
			label = malloc(ll);
			if (label) {
				snprintf(label, ll, "out:%s", url);
				/* The same photo may appear twice: hash it once. */
				size_t k;
				for (k = 0; k < f->n; k++)
					if (strcmp(f->labels[k], label) == 0)
						break;
				if (k == f->n)
					rc = of_pack_files_add(f, p, label);
			}
		}
		free(p);
		free(label);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	return rc;
}

static int script_inputs(const of_pack_job *job, of_pack_files *f)
{
	char *md = out_file(job, "article.md");
	int rc;
	if (!md)
		return of_error_set_oom();
	if (!of_path_is_file(md))
		rc = of_error_set_at(OF_ENOTFOUND, md, 0, 0, "article.md is missing");
	else if ((rc = of_pack_files_add(f, md, "out:article.md")) == 0)
		rc = add_markdown_images(f, md, job->out_dir);
	free(md);
	return rc < 0 ? rc : add_assets(f, script_assets);
}

static int video_inputs(const of_pack_job *job, of_pack_files *f)
{
	char *js = out_file(job, "script.json"), *md = out_file(job, "script.md");
	json_t *script = NULL;
	int rc = 0;
	if (!js || !md) {
		rc = of_error_set_oom();
		goto done;
	}
	if (!of_path_is_file(js)) {
		rc = of_error_set_at(OF_ENOTFOUND, js, 0, 0, "script.json is missing");
		goto done;
	}
	if ((rc = of_pack_files_add(f, js, "out:script.json")) < 0)
		goto done;
	/* An edited 分镜表 changes the video (the video stage applies script.md edits). */
	if (of_path_is_file(md) && (rc = of_pack_files_add(f, md, "out:script.md")) < 0)
		goto done;
	if (of_json_load(&script, js, OF_MAX_PACK_META_BYTES) == 0) {
		json_t *scenes = json_object_get(script, "scenes");
		for (size_t i = 0; i < json_array_size(scenes) && rc == 0; i++) {
			const char *img = of_json_str(json_array_get(scenes, i), "image");
			char *p = NULL, label[OF_MAX_PATH];
			size_t k;
			if (!img || of_path_resolve_inside(&p, job->out_dir, img) < 0) {
				of_error_clear();
				continue;
			}
			snprintf(label, sizeof label, "out:%s", img);
			for (k = 0; k < f->n; k++)
				if (strcmp(f->labels[k], label) == 0)
					break;
			if (k == f->n)
				rc = of_pack_files_add(f, p, label);
			free(p);
		}
	} else {
		/* A broken script.json is the video stage's to report, with its line. */
		of_error_clear();
	}
	if (rc == 0 && job->music)
		rc = of_pack_files_add(f, job->music, pack_label(job, job->music));
	if (rc == 0)
		rc = add_assets(f, video_assets);
done:
	json_decref(script);
	free(js);
	free(md);
	return rc;
}

static int prompts_inputs(const of_pack_job *job, of_pack_files *f)
{
	int rc;
	if (job->n_comments == 0) {
		of_error_set(OF_ENOTFOUND, "no comment logs (set `comments:` in onefish.yaml or add files to comments/)");
		return 1;
	}
	for (size_t i = 0; i < job->n_comments; i++)
		if ((rc = add_path(f, job, job->comments[i])) < 0)
			return rc;
	return add_assets(f, prompts_assets);
}

/* ---- running ---- */

static void set_cache_dir(of_run_flags *fl, const of_pack_job *job, char **owned)
{
	*owned = of_path_join(job->out_dir, ".onefish/cache");
	fl->cache_dir = *owned;
}

static int article_run(const of_pack_job *job, const char *work, of_stage_stats *st)
{
	of_cli_args blank;
	of_article_options o;
	char *cache;
	of_opts_article(&o, job->cfg, cli_of(job, &blank));
	set_cache_dir(&o.flags, job, &cache);
	int rc = of_article_build((const char *const *)job->posts, job->n_posts, &o, work, st);
	free(cache);
	return rc;
}

/* In a pack timeline.fcpxml is the video stage's (video_run): made with the scene lengths
 * as rendered and the narration and music stems beside it. The script stage's own, made
 * before any video (no audio, the planned lengths), is not installed over it. */
static int drop_timeline(const char *work)
{
	char *p = of_path_join(work, "timeline.fcpxml");
	if (!p)
		return of_error_set_oom();
	unlink(p);
	free(p);
	return 0;
}

static int script_run(const of_pack_job *job, const char *work, of_stage_stats *st)
{
	of_cli_args blank;
	of_script_options o;
	char *cache, *md = out_file(job, "article.md");
	int rc;
	if (!md)
		return of_error_set_oom();
	of_opts_script(&o, job->cfg, cli_of(job, &blank));
	set_cache_dir(&o.flags, job, &cache);
	rc = of_script_build(md, &o, work, st);
	if (rc == 0)
		rc = drop_timeline(work);
	free(cache);
	free(md);
	return rc;
}

static int video_run(const of_pack_job *job, const char *work, of_stage_stats *st)
{
	of_cli_args blank;
	of_video_options o;
	char *cache, *js = out_file(job, "script.json");
	int rc;
	if (!js)
		return of_error_set_oom();
	of_opts_video(&o, job->cfg, cli_of(job, &blank));
	if (job->music)
		o.music = job->music; /* resolved against the pack folder */
	set_cache_dir(&o.flags, job, &cache);
	/* applies an edited script.md, like `onefish video`; writes the stems and the pack's
	 * timeline.fcpxml beside them (the script stage's would have neither) */
	o.stems = 1;
	rc = of_pipeline_video(js, &o, work, OF_PIPELINE_TIMELINE_BESIDE, st);
	free(cache);
	free(js);
	return rc;
}

static int prompts_run(const of_pack_job *job, const char *work, of_stage_stats *st)
{
	of_cli_args blank;
	of_prompts_options o;
	char *cache;
	of_opts_prompts(&o, job->cfg, cli_of(job, &blank));
	set_cache_dir(&o.flags, job, &cache);
	int rc = of_prompts_build((const char *const *)job->comments, job->n_comments, &o, work, st);
	free(cache);
	return rc;
}

/* The editor's article.md, followed by its HTML, WeChat HTML and trace. */
static int article_follow(const of_pack_job *job, const char *work, size_t *warnings)
{
	of_cli_args blank;
	of_article_options o;
	char *md = out_file(job, "article.md"), *trace = out_file(job, "article.trace.json");
	int rc = md && trace ? 0 : of_error_set_oom();
	of_opts_article(&o, job->cfg, cli_of(job, &blank));
	if (rc == 0)
		rc = of_article_refresh(md, trace, &o, work, warnings);
	free(md);
	free(trace);
	return rc;
}

/* The editor's script.md or script.json, followed by the timeline and the narration
 * subtitles (the video applies the same edit: video_run). */
static int script_follow(const of_pack_job *job, const char *work, size_t *warnings)
{
	char *js = out_file(job, "script.json");
	size_t w0 = of_log_warning_count();
	int rc = js ? of_script_refresh(js, work) : of_error_set_oom();
	if (rc == 0)
		rc = drop_timeline(work); /* the video stage's: it reruns on the edit (script.md is its input) */
	*warnings = of_log_warning_count() - w0;
	free(js);
	return rc;
}

static const char *const article_outs[] = {"article.md", "article.html", "article.wechat.html",
					   "article.trace.json", NULL};
static const char *const script_outs[] = {"script.json", "script.md", "script.csv", "subtitles.srt", "subtitles.vtt",
					  "subtitles.ass", NULL};
/* narration.wav and music.wav too, when there is a voice and music (not declared: a pack with
 * voice.engine none has no narration, and that is no missing output) */
static const char *const video_outs[] = {"video.mp4", "cover.jpg", "captions.srt", "captions.vtt", "timeline.fcpxml",
					 NULL};
static const char *const prompts_outs[] = {"prompts.json", "prompts.md", NULL};

/* The video's subtitles were video.srt / video.vtt up to 0.2.13: players load a file named
 * like the video over its burned-in captions (docs/video.md). */
static const char *const video_renamed[] = {"video.srt", "captions.srt", "video.vtt", "captions.vtt", NULL};
static const char *const article_sources[] = {"article.md", NULL};
static const char *const script_sources[] = {"script.md", "script.json", NULL};

static const of_pack_stage article_stage = {"article", NULL, article_outs, article_inputs, article_settings,
					    article_run, 0, article_sources, article_follow, NULL};
static const of_pack_stage script_stage = {"script", "article", script_outs, script_inputs, script_settings,
					   script_run, 1, script_sources, script_follow, NULL};
static const of_pack_stage video_stage = {"video", "script", video_outs, video_inputs, video_settings, video_run,
					  1, NULL, NULL, video_renamed};
static const of_pack_stage prompts_stage = {"prompts", NULL, prompts_outs, prompts_inputs, prompts_settings,
					    prompts_run, 1, NULL, NULL, NULL};

const of_pack_stage *const of_pack_stages[] = {&article_stage, &script_stage, &video_stage, &prompts_stage, NULL};
