/* review.c — index.html: one offline page where an editor reviews the whole pack. */
#include "review.h"
#include "manifest.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/template.h"
#include "onefish/version.h"

#include <cmark.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_MAX ((size_t)256 * 1024 * 1024)

/* A growable string for the page parts; OOM turns into an empty part, never a crash. */
typedef struct sbuf {
	char *s;
	size_t n, cap;
	int oom;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t len)
{
	if (b->oom)
		return;
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + len + 1)
			cap *= 2;
		char *p = cap <= PAGE_MAX ? realloc(b->s, cap) : NULL;
		if (!p) {
			b->oom = 1;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, len);
	b->n += len;
	b->s[b->n] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
	char tmp[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		sb_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Escaped text: the only way user text enters the page. */
static void sb_esc(sbuf *b, const char *s)
{
	char *e = of_html_escape(s ? s : "");
	if (e)
		sb_puts(b, e);
	else
		b->oom = 1;
	free(e);
}

static const char *sb_str(sbuf *b)
{
	return b->s && !b->oom ? b->s : "";
}

static char *read_out(const char *dir, const char *name, size_t *len)
{
	char *p = of_path_join(dir, name), *data = NULL;
	size_t l = 0;
	if (p && of_path_is_file(p) && of_file_read(&data, &l, p, OF_MAX_PACK_META_BYTES) < 0) {
		of_error_clear();
		data = NULL;
	}
	free(p);
	if (len)
		*len = l;
	return data;
}

static json_t *load_out_json(const char *dir, const char *name)
{
	char *p = of_path_join(dir, name);
	json_t *v = NULL;
	if (p && of_path_is_file(p) && of_json_load(&v, p, OF_MAX_PACK_META_BYTES) < 0) {
		of_error_clear();
		v = NULL;
	}
	free(p);
	return v;
}

/* Status of an output from the manifest: generated / edited / stale / missing. */
static const char *status_of(const json_t *mf, const char *dir, const char *rel)
{
	json_t *outs = json_object_get(mf, "outputs");
	char *p = of_path_join(dir, rel);
	int exists = p && of_path_is_file(p);
	free(p);
	if (!exists)
		return "missing";
	for (size_t i = 0; i < json_array_size(outs); i++) {
		json_t *e = json_array_get(outs, i);
		const char *path = of_json_str(e, "path");
		if (path && strcmp(path, rel) == 0)
			return of_json_str(e, "status") ? of_json_str(e, "status") : "generated";
	}
	return "unrecorded";
}

/* 1 when manifest.json records `rel` (a missing one too). */
static int in_manifest(const json_t *mf, const char *rel)
{
	json_t *outs = json_object_get(mf, "outputs");
	for (size_t i = 0; i < json_array_size(outs); i++)
		if (of_json_str(json_array_get(outs, i), "path") &&
		    strcmp(of_json_str(json_array_get(outs, i), "path"), rel) == 0)
			return 1;
	return 0;
}

/* The status word an editor reads; the manifest's own word stays in the class and the tooltip. */
static const char *status_zh(const char *st)
{
	static const char *const zh[][2] = {
		{"generated", "已生成"}, {"edited", "已手改"}, {"stale", "待更新"}, {"missing", "缺失"}};
	for (size_t k = 0; st && k < sizeof zh / sizeof zh[0]; k++)
		if (strcmp(st, zh[k][0]) == 0)
			return zh[k][1];
	return st ? st : "";
}

static void status_badge(sbuf *b, const char *st, const char *label)
{
	sb_puts(b, "<span class=\"badge ");
	sb_esc(b, st);
	sb_puts(b, "\" title=\"");
	sb_esc(b, st);
	sb_puts(b, "\">");
	if (label) {
		sb_esc(b, label);
		sb_puts(b, "：");
	}
	sb_esc(b, status_zh(st));
	sb_puts(b, "</span>");
}

static void badge(sbuf *b, const json_t *mf, const char *dir, const char *rel)
{
	status_badge(b, status_of(mf, dir, rel), rel);
	sb_puts(b, " ");
}

static void missing(sbuf *b, const char *what)
{
	sb_puts(b, "<p class=\"missing\">");
	sb_esc(b, what);
	sb_puts(b, " 缺失：写它的那一步没有完成（见 manifest.json 和 .onefish/run-log.json）。</p>\n");
}

/* Markdown → HTML with cmark's safe default: raw HTML (a <script> in a post) is omitted.
 * data-sourcepos lets the page match blocks to article.trace.json lines. */
static void markdown(sbuf *b, const char *md, size_t len, int sourcepos)
{
	char *html = cmark_markdown_to_html(md, len, CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | (sourcepos ? CMARK_OPT_SOURCEPOS : 0));
	if (html)
		sb_puts(b, html);
	free(html);
}

/* Blanks a YAML front matter block ("---" ... "---") at the top of article.md in place,
 * keeping its newlines so cmark's line numbers stay those of the file. Returns a copy of it. */
static char *blank_front_matter(char *md)
{
	char *end, *fm;
	if (strncmp(md, "---\n", 4) != 0 || !(end = strstr(md + 3, "\n---")))
		return NULL;
	end += 4;
	while (*end && *end != '\n')
		end++;
	fm = strndup(md + 4, (size_t)(end - md) > 8 ? (size_t)(end - md) - 8 : 0);
	for (char *p = md; p < end; p++)
		if (*p != '\n')
			*p = ' ';
	return fm;
}

/* JSON for a <script type="application/json"> block: '<' escaped so no "</script>" can close it. */
static void json_data(sbuf *b, const char *id, const json_t *v)
{
	char *s = v ? of_json_dump_line(v) : strdup("null");
	sb_printf(b, "<script type=\"application/json\" id=\"%s\">", id);
	for (const char *p = s ? s : "null"; *p; p++) {
		if (*p == '<')
			sb_puts(b, "\\u003c");
		else if (*p == '>')
			sb_puts(b, "\\u003e");
		else if (*p == '&')
			sb_puts(b, "\\u0026");
		else
			sb_add(b, p, 1);
	}
	sb_puts(b, "</script>\n");
	free(s);
}

/* What an editor must know before reading a section: the stage was held (its inputs changed after
 * the hand edit, so the page shows the edit, not a draft of the new inputs), and where an edit that
 * --force replaced was kept. */
static void edit_notes(sbuf *b, const char *dir, const json_t *mf, const char *stage, const char *file,
		       const char *kept)
{
	const char *st = of_json_str(json_object_get(json_object_get(mf, "stages"), stage), "status");
	if (st && strcmp(st, "held") == 0) {
		sb_puts(b, "<p class=\"notice\"><span class=\"badge stale\" title=\"held\">待更新</span> ");
		sb_esc(b, file);
		sb_puts(b, " 是编辑手改的版本；它的来源在手改之后又变了，这一步没有重新生成（保住手改）。"
			   "这里显示的仍是手改稿，来源面板里是生成初稿时的内容。要按新来源重写："
			   "<code>onefish run --force</code>（手改稿会另存为 ");
		sb_esc(b, kept);
		sb_puts(b, "）。</p>\n");
	}
	char *p = of_path_join(dir, kept);
	if (p && of_path_is_file(p)) {
		sb_puts(b, "<p class=\"notice\">编辑之前的手改稿保存在 <a href=\"");
		sb_esc(b, kept);
		sb_puts(b, "\">");
		sb_esc(b, kept);
		sb_puts(b, "</a>（<code>--force</code> 重新生成时留下的）。</p>\n");
	}
	free(p);
}

static void section_article(sbuf *b, const char *dir, const json_t *mf)
{
	size_t len;
	char *md = read_out(dir, "article.md", &len), *fm = NULL;
	sb_puts(b, "<section id=\"article\"><h2>文章 Article</h2><p class=\"files\">");
	badge(b, mf, dir, "article.md");
	badge(b, mf, dir, "article.html");
	badge(b, mf, dir, "article.trace.json");
	sb_puts(b, "</p>\n");
	edit_notes(b, dir, mf, "article", "article.md", "article.edited.md");
	if (!md) {
		missing(b, "article.md");
	} else {
		fm = blank_front_matter(md);
		if (fm) {
			sb_puts(b, "<details><summary>文章信息（front matter）</summary><pre>");
			sb_esc(b, fm);
			sb_puts(b, "</pre></details>\n");
		}
		sb_puts(b, "<p class=\"hint\">点一段文字，右边显示它来自哪几条朋友圈。</p>"
			   "<div class=\"cols\"><div id=\"article-body\" class=\"article\">\n");
		markdown(b, md, len, 1);
		sb_puts(b, "</div><aside id=\"trace-panel\"><p class=\"hint\">还没有选中段落。</p></aside></div>\n");
	}
	sb_puts(b, "</section>\n");
	free(fm);
	free(md);
}

static void section_wechat(sbuf *b, const char *dir, const json_t *mf)
{
	char *html = read_out(dir, "article.wechat.html", NULL);
	sb_puts(b, "<section id=\"wechat\"><h2>公众号预览 WeChat preview</h2><p class=\"files\">");
	badge(b, mf, dir, "article.wechat.html");
	sb_puts(b, "</p>\n");
	if (!html) {
		missing(b, "article.wechat.html");
	} else {
		/* No allow-scripts: the preview never runs script; same origin so its photos load from file://. */
		sb_puts(b, "<iframe class=\"phone\" sandbox=\"allow-same-origin\" title=\"公众号预览\" srcdoc=\"");
		sb_esc(b, html);
		sb_puts(b, "\"></iframe>\n");
	}
	sb_puts(b, "</section>\n");
	free(html);
}

static void section_script(sbuf *b, const char *dir, const json_t *mf, const json_t *script)
{
	json_t *scenes = json_object_get(script, "scenes");
	char *md = read_out(dir, "script.md", NULL);
	sb_puts(b, "<section id=\"script\"><h2>分镜表 Storyboard</h2><p class=\"files\">");
	badge(b, mf, dir, "script.json");
	badge(b, mf, dir, "script.md");
	sb_puts(b, "</p>\n");
	edit_notes(b, dir, mf, "script", "script.md", "script.edited.md");
	/* the table is script.json's; a hand-edited script.md is what the video used */
	if (script && strcmp(status_of(mf, dir, "script.md"), "edited") == 0 &&
	    strcmp(status_of(mf, dir, "script.json"), "edited") != 0)
		sb_puts(b, "<p class=\"notice\"><span class=\"badge edited\" title=\"edited\">已手改</span> "
			   "下表是生成的 script.json；script.md 有手改，视频按手改后的 <a href=\"script.md\">script.md</a> "
			   "渲染（字幕见下方“视频”一节的 captions.srt）。</p>\n");
	if (!script) {
		missing(b, "script.json");
	} else {
		sb_puts(b, "<table class=\"scenes\"><thead><tr><th>序号</th><th>时长</th><th>画面</th><th>字幕</th>"
			   "<th>口播</th></tr></thead><tbody>\n");
		for (size_t i = 0; i < json_array_size(scenes); i++) {
			json_t *s = json_array_get(scenes, i), *cap = json_object_get(s, "caption");
			const char *img = of_json_str(s, "image");
			sb_printf(b, "<tr><td>%zu<br><small>", i + 1);
			sb_esc(b, of_json_str(s, "kind"));
			sb_printf(b, "</small></td><td>%.1fs</td><td>", json_number_value(json_object_get(s, "duration")));
			if (img) {
				sb_puts(b, "<img loading=\"lazy\" alt=\"\" src=\"");
				sb_esc(b, img);
				sb_puts(b, "\"><br><small>");
				sb_esc(b, img);
				sb_puts(b, "</small>");
			}
			sb_puts(b, "</td><td>");
			for (size_t k = 0; k < json_array_size(cap); k++) {
				if (k)
					sb_puts(b, "<br>");
				sb_esc(b, json_string_value(json_array_get(cap, k)));
			}
			if (json_is_string(cap))
				sb_esc(b, json_string_value(cap));
			sb_puts(b, "</td><td>");
			sb_esc(b, of_json_str(s, "narration"));
			sb_puts(b, "</td></tr>\n");
		}
		sb_puts(b, "</tbody></table>\n");
	}
	if (md) {
		sb_puts(b, "<details><summary>script.md（编辑改这张表，视频跟着改）</summary><pre>");
		sb_esc(b, md);
		sb_puts(b, "</pre></details>\n");
	}
	sb_puts(b, "</section>\n");
	free(md);
}

/* The subtitles shown are the video's own (captions.srt: its track, its timing); the script's
 * narration subtitles are the plan before scenes were lengthened, shown only without a video. */
static void section_video(sbuf *b, const char *dir, const json_t *mf)
{
	char *p = of_path_join(dir, "video.mp4"), *srt = read_out(dir, "captions.srt", NULL);
	const char *srt_name = "captions.srt";
	int have = p && of_path_is_file(p);
	free(p);
	if (!srt) {
		srt = read_out(dir, "subtitles.srt", NULL);
		srt_name = "subtitles.srt";
	}
	sb_puts(b, "<section id=\"video\"><h2>视频 Video</h2><p class=\"files\">");
	badge(b, mf, dir, "video.mp4");
	badge(b, mf, dir, "cover.jpg");
	badge(b, mf, dir, "captions.srt");
	badge(b, mf, dir, "subtitles.srt");
	/* for an editing app: the timeline, and the stems it plays (none without a voice or music) */
	badge(b, mf, dir, "timeline.fcpxml");
	for (int k = 0; k < 2; k++) {
		const char *stem = k ? "music.wav" : "narration.wav";
		if (in_manifest(mf, stem) || strcmp(status_of(mf, dir, stem), "missing") != 0)
			badge(b, mf, dir, stem);
	}
	sb_puts(b, "</p>\n");
	{
		/* an edit kept by --force, or an edited video.srt of an earlier onefish moved here */
		char *kept = of_path_join(dir, "captions.edited.srt");
		if (kept && of_path_is_file(kept))
			sb_puts(b, "<p class=\"notice\">手改过的字幕保存在 <a href=\"captions.edited.srt\">captions.edited.srt</a>"
				   "（旧版的 video.srt 或 <code>--force</code> 重新生成时留下的；它不会再跟着视频更新）。</p>\n");
		free(kept);
	}
	sb_puts(b, "<div class=\"cols\">");
	if (have)
		sb_puts(b, "<video controls preload=\"metadata\" src=\"video.mp4\" poster=\"cover.jpg\"></video>\n");
	else
		missing(b, "video.mp4");
	sb_puts(b, "<div><h3>字幕 Subtitles</h3>");
	if (srt) {
		sb_puts(b, "<p class=\"files\">");
		sb_esc(b, srt_name);
		sb_puts(b, strcmp(srt_name, "captions.srt") == 0 ? "：视频里的字幕与时间（captions.vtt 同）。画面里已经烧录了字幕，"
							   "不要再作为字幕轨上传到 B站、YouTube，否则会显示两遍；可作文字稿或重新对时间用"
							 : "：脚本计划的口播字幕（视频未渲染）");
		sb_puts(b, "</p><pre class=\"subs\">");
		sb_esc(b, srt);
		sb_puts(b, "</pre>");
	} else {
		missing(b, "captions.srt");
	}
	sb_puts(b, "</div></div></section>\n");
	free(srt);
}

/* The question clusters from prompts.json as a table, each ready prompt under it. */
static void prompts_table(sbuf *b, const json_t *clusters)
{
	sb_puts(b, "<table class=\"ledger prompts\"><thead><tr><th>#</th><th>观众的问题</th><th>类型</th><th>人数</th>"
		   "<th>条数</th><th>首次 / 高峰</th><th>原话</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < json_array_size(clusters); i++) {
		json_t *c = json_array_get(clusters, i), *ex = json_object_get(c, "examples");
		const char *prompt = of_json_str(c, "prompt");
		sb_printf(b, "<tr><td>%lld</td><td><b>", (long long)json_integer_value(json_object_get(c, "rank")));
		sb_esc(b, of_json_str(c, "question"));
		sb_puts(b, "</b>");
		if (prompt) {
			sb_puts(b, "<details><summary>发圈提示词 prompt</summary><pre>");
			sb_esc(b, prompt);
			sb_puts(b, "</pre></details>");
		}
		sb_puts(b, "</td><td>");
		/* prompts.json names the intent in Chinese (intent_label) as prompts.md does */
		sb_esc(b, of_json_str(c, "intent_label") ? of_json_str(c, "intent_label") : of_json_str(c, "intent"));
		if (of_json_str(c, "topic")) { /* a complaint grouped by its problem: 抱怨·直播声音小 */
			sb_puts(b, "·");
			sb_esc(b, of_json_str(c, "topic"));
		}
		/* 条数 counts the echoes ("同问/+1") too, as prompts.md and the prompt text do */
		long long asks = (long long)json_integer_value(json_object_get(c, "count")) +
				 (long long)json_integer_value(json_object_get(c, "echoes"));
		sb_printf(b, "</td><td>%lld</td><td>%lld</td><td>", (long long)json_integer_value(json_object_get(c, "users")),
			  asks);
		sb_esc(b, of_json_str(c, "first_clock"));
		sb_puts(b, " / ");
		/* prompts.md's 高峰 cell: the peak's minute, 分散, or a dash for a single comment */
		sb_esc(b, of_json_str(c, "peak_label") ? of_json_str(c, "peak_label") : "—");
		sb_puts(b, "</td><td>");
		for (size_t k = 0; k < json_array_size(ex) && k < 4; k++) {
			if (k)
				sb_puts(b, "<br>");
			sb_puts(b, "「");
			sb_esc(b, json_string_value(json_array_get(ex, k)));
			sb_puts(b, "」");
		}
		sb_puts(b, "</td></tr>\n");
	}
	sb_puts(b, "</tbody></table>\n");
}

static void section_prompts(sbuf *b, const char *dir, const json_t *mf)
{
	size_t len;
	char *md = read_out(dir, "prompts.md", &len), *svg = of_path_join(dir, "comments.svg");
	json_t *pj = load_out_json(dir, "prompts.json");
	json_t *clusters = json_object_get(pj, "clusters");
	sb_puts(b, "<section id=\"prompts\"><h2>直播问题与下周选题 Prompts</h2><p class=\"files\">");
	badge(b, mf, dir, "prompts.md");
	badge(b, mf, dir, "prompts.json");
	badge(b, mf, dir, "comments.svg");
	badge(b, mf, dir, "next-posts.jsonl");
	sb_puts(b, "</p>\n");
	/* <img>: an SVG shown this way can never run script. */
	if (svg && of_path_is_file(svg))
		sb_puts(b, "<img class=\"chart\" alt=\"comments per minute\" src=\"comments.svg\">\n");
	else
		missing(b, "comments.svg");
	if (json_is_array(clusters)) {
		prompts_table(b, clusters);
		if (md) {
			sb_puts(b, "<details><summary>prompts.md</summary><pre>");
			sb_esc(b, md);
			sb_puts(b, "</pre></details>\n");
		}
	} else if (md) {
		sb_puts(b, "<div class=\"prompts\">");
		markdown(b, md, len, 0);
		sb_puts(b, "</div>\n");
	} else {
		missing(b, "prompts.md");
	}
	sb_puts(b, "</section>\n");
	json_decref(pj);
	free(svg);
	free(md);
}

static const char *first_str(const json_t *o, const char *a, const char *b)
{
	const char *v = of_json_str(o, a);
	return v ? v : of_json_str(o, b);
}

static void section_lint(sbuf *b, const json_t *trace)
{
	json_t *lint = json_object_get(trace, "lint");
	sb_puts(b, "<section id=\"lint\"><h2>广告法检查 Copy lint</h2>\n");
	if (!trace) {
		missing(b, "article.trace.json");
	} else if (!json_array_size(lint)) {
		sb_puts(b, "<p>没有广告法或时态提示。</p>\n");
	} else {
		sb_printf(b, "<p class=\"warn\">%zu 条提示：广告法限制的用词，以及到周末已经过去的预告日期（时态）。"
			  "改 article.md 后重跑：公众号排版、这里的检查、脚本和视频都会跟着改。</p>\n",
			  json_array_size(lint));
		sb_puts(b, "<table class=\"ledger lint\"><thead><tr><th>词</th><th>类别</th><th>建议</th>"
			   "<th>位置</th></tr></thead><tbody>\n");
		for (size_t i = 0; i < json_array_size(lint); i++) {
			json_t *w = json_array_get(lint, i);
			json_int_t line = json_integer_value(json_object_get(w, "line"));
			sb_puts(b, "<tr><td><b>");
			sb_esc(b, json_is_string(w) ? json_string_value(w) : first_str(w, "term", "word"));
			sb_puts(b, "</b></td><td>");
			{
				const char *cat = first_str(w, "category", "rule");
				static const char *const zh[][2] = {
					{"absolute", "极限词 "}, {"medical", "医疗用语 "}, {"tense", "时态 "}};
				for (size_t k = 0; cat && k < sizeof zh / sizeof zh[0]; k++)
					if (strcmp(cat, zh[k][0]) == 0)
						sb_puts(b, zh[k][1]);
				sb_esc(b, cat);
			}
			sb_puts(b, "</td><td>");
			sb_esc(b, first_str(w, "suggestion", "message"));
			sb_puts(b, "</td><td>");
			if (line > 0)
				sb_printf(b, "article.md:%lld", (long long)line);
			if (of_json_str(w, "post")) {
				sb_puts(b, "（朋友圈 ");
				sb_esc(b, of_json_str(w, "post"));
				sb_puts(b, "）");
			}
			sb_puts(b, "</td></tr>\n");
		}
		sb_puts(b, "</tbody></table>\n");
	}
	sb_puts(b, "</section>\n");
}

/* The licence line for an image, from a README.md table row naming it (pack folder, then its parent). */
static char *licence_for(const char *source_dir, const char *name)
{
	const char *cands[] = {"README.md", "../README.md", NULL};
	char key[512];
	snprintf(key, sizeof key, "`%s`", name);
	for (int i = 0; source_dir && cands[i]; i++) {
		size_t len;
		char *text = read_out(source_dir, cands[i], &len), *line, *end;
		if (!text)
			continue;
		for (line = text; *line; line = *end ? end + 1 : end) {
			end = strchr(line, '\n');
			if (!end)
				end = line + strlen(line);
			if (line[0] == '|' && memmem(line, (size_t)(end - line), key, strlen(key))) {
				/* Keep the cell that names a licence (CC-…, GPL, public domain). */
				char *row = strndup(line, (size_t)(end - line)), *cell = row, *bar;
				char *found = NULL;
				while (row && (bar = strchr(cell, '|'))) {
					*bar = '\0';
					if (strstr(cell, "CC") || strstr(cell, "icen") || strstr(cell, "GPL") ||
					    strstr(cell, "ublic domain"))
						found = strdup(cell);
					cell = bar + 1;
					if (found)
						break;
				}
				free(row);
				if (found) {
					free(text);
					return found;
				}
			}
		}
		free(text);
	}
	return NULL;
}

/* The first line of a README that names a licence (for assets: one README per folder). */
static char *licence_line(const char *readme)
{
	char *text = NULL, *line, *end, *found = NULL;
	if (of_file_read(&text, NULL, readme, OF_MAX_PACK_META_BYTES) < 0) {
		of_error_clear();
		return NULL;
	}
	for (line = text; *line && !found; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		if (memmem(line, (size_t)(end - line), "CC", 2) || memmem(line, (size_t)(end - line), "icen", 4) ||
		    memmem(line, (size_t)(end - line), "ublic domain", 12) ||
		    memmem(line, (size_t)(end - line), "free to use", 11))
			found = strndup(line, (size_t)(end - line));
	}
	free(text);
	return found;
}

/* Shipped assets an output image may be a copy of. */
static const char *const ledger_assets[] = {"brand/background.jpg", NULL};

typedef struct ledger_row {
	char origin[1024];
	char *licence;
} ledger_row;

/* The pack folder of an output folder: manifest.json's `source`, relative to the
 * output folder (older manifests: to where onefish ran). NULL when not found. Caller frees. */
static char *pack_folder(const char *dir, const json_t *mf)
{
	const char *source = of_json_str(mf, "source");
	if (!source)
		return NULL;
	if (source[0] != '/') {
		char *p = of_path_join(dir, source);
		if (p && of_path_is_dir(p))
			return p;
		free(p);
	}
	return of_path_is_dir(source) ? strdup(source) : NULL;
}

/* How the ledger names the pack folder: its own name, the same wherever it lies. */
static void pack_display(char *buf, size_t n, const char *dir, const json_t *mf)
{
	char *p = pack_folder(dir, mf), *real = p ? realpath(p, NULL) : NULL;
	const char *source = of_json_str(mf, "source");
	snprintf(buf, n, "%s", real ? of_path_basename(real) : source ? of_path_basename(source) : ".");
	free(real);
	free(p);
}

/* Where an output image came from: the pack input or shipped asset with the same bytes. */
static void trace_origin(ledger_row *r, const json_t *mf, const char *dir, const char *rel)
{
	char *p = of_path_join(dir, rel), sha[65] = "", shown[512];
	json_t *ins = json_object_get(mf, "inputs");
	r->origin[0] = '\0';
	r->licence = NULL;
	if (!p || of_sha256_file(sha, p) < 0) {
		of_error_clear();
		free(p);
		return;
	}
	free(p);
	for (size_t i = 0; i < json_array_size(ins); i++) {
		json_t *e = json_array_get(ins, i);
		const char *ip = of_json_str(e, "path"), *is = of_json_str(e, "sha256");
		if (ip && is && strcmp(is, sha) == 0) {
			char *src = pack_folder(dir, mf);
			pack_display(shown, sizeof shown, dir, mf);
			snprintf(r->origin, sizeof r->origin, "%s/%s", shown, ip);
			r->licence = licence_for(src, of_path_basename(ip));
			free(src);
			return;
		}
	}
	for (int i = 0; ledger_assets[i]; i++) {
		char *ap = NULL, asha[65];
		if (of_asset_path(&ap, ledger_assets[i]) == 0 && of_sha256_file(asha, ap) == 0 && strcmp(asha, sha) == 0) {
			char *adir = of_path_dirname(ap), *readme = adir ? of_path_join(adir, "README.md") : NULL;
			snprintf(r->origin, sizeof r->origin, "onefish assets/%s", ledger_assets[i]);
			r->licence = readme ? licence_line(readme) : NULL;
			free(adir);
			free(readme);
		}
		of_error_clear();
		free(ap);
		if (r->origin[0])
			return;
	}
}

static void ledger_add(json_t *seen, const char *img, const char *use)
{
	json_t *row;
	if (!img || !img[0] || strstr(img, "://"))
		return;
	row = json_object_get(seen, img);
	if (!row) {
		row = json_array();
		json_object_set_new(seen, img, row);
	}
	json_array_append_new(row, json_string(use));
}

static int safe_href(const char *p);

/* The images a Markdown text shows (cmark's image nodes, as the script stage finds them), as
 * the output folder names them ("./images/a.jpg" is "images/a.jpg"), in order, each once.
 * NULL when the text cannot be parsed. Caller frees with json_decref(). */
static json_t *md_images(const char *md, size_t len)
{
	cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
	cmark_iter *it = doc ? cmark_iter_new(doc) : NULL;
	json_t *seen = it ? json_object() : NULL, *list = seen ? json_array() : NULL;
	cmark_event_type ev;
	while (list && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		const char *url;
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_IMAGE ||
		    !(url = cmark_node_get_url(node)))
			continue;
		while (strncmp(url, "./", 2) == 0)
			url += 2;
		if (!url[0] || json_object_get(seen, url))
			continue;
		json_object_set_new(seen, url, json_true());
		json_array_append_new(list, json_string(url));
	}
	if (it)
		cmark_iter_free(it);
	if (doc)
		cmark_node_free(doc);
	json_decref(seen);
	return list;
}

/* The post an image of the article showed in the draft (article.trace.json → images), or NULL. */
static const char *image_post(const json_t *trace, const char *rel)
{
	json_t *timgs = json_object_get(trace, "images");
	for (size_t i = 0; i < json_array_size(timgs); i++) {
		json_t *e = json_array_get(timgs, i);
		const char *p = of_json_str(e, "path"), *post = of_json_str(e, "post");
		if (p && strcmp(p, rel) == 0)
			return post && post[0] ? post : NULL;
	}
	return NULL;
}

/* The article's rows: every image article.md shows as it is now (an editor's edit too), with
 * the post it came from; one the draft did not have is said to be the editor's. Without a
 * readable article.md, the images article.trace.json lists. */
static void ledger_article(json_t *seen, const char *dir, const json_t *trace)
{
	size_t len = 0;
	char *md = read_out(dir, "article.md", &len);
	json_t *imgs = md ? md_images(md, len) : NULL, *timgs = json_object_get(trace, "images");
	char use[96];
	if (imgs) {
		for (size_t i = 0; i < json_array_size(imgs); i++) {
			const char *rel = json_string_value(json_array_get(imgs, i)), *post = image_post(trace, rel);
			if (post)
				snprintf(use, sizeof use, "文章（%s）", post);
			else
				snprintf(use, sizeof use, "%s", trace ? "文章（编辑添加）" : "文章");
			ledger_add(seen, rel, use);
		}
	} else {
		for (size_t i = 0; i < json_array_size(timgs); i++) {
			json_t *e = json_array_get(timgs, i);
			snprintf(use, sizeof use, "文章（%s）", of_json_str(e, "post") ? of_json_str(e, "post") : "?");
			ledger_add(seen, of_json_str(e, "path"), use);
		}
	}
	json_decref(imgs);
	free(md);
}

static void section_ledger(sbuf *b, const char *dir, const json_t *mf, const json_t *script, const json_t *trace)
{
	json_t *scenes = json_object_get(script, "scenes");
	json_t *seen = json_object();
	json_t *vset = json_object_get(json_object_get(mf, "settings"), "video");
	const char *img;
	json_t *uses;
	sb_puts(b, "<section id=\"assets\"><h2>素材清单 Asset ledger</h2>\n<table class=\"ledger assets\"><thead><tr>"
		   "<th>文件</th><th>类型</th><th>用在</th><th>来源</th><th>授权</th></tr></thead><tbody>\n");
	ledger_article(seen, dir, trace);
	for (size_t i = 0; i < json_array_size(scenes); i++) {
		const char *sid = of_json_str(json_array_get(scenes, i), "id");
		char use[64];
		snprintf(use, sizeof use, "视频 %s", sid ? sid : "?");
		ledger_add(seen, of_json_str(json_array_get(scenes, i), "image"), use);
	}
	json_object_foreach(seen, img, uses)
	{
		ledger_row r = {"", NULL};
		/* only a file inside the output folder is looked at (article.md is the editor's text) */
		char *p = safe_href(img) ? of_path_join(dir, img) : NULL;
		int here = p && of_path_is_file(p);
		free(p);
		if (here)
			trace_origin(&r, mf, dir, img);
		sb_puts(b, here ? "<tr><td>" : "<tr class=\"gone\"><td>");
		sb_esc(b, img);
		sb_puts(b, "</td><td>图片</td><td>");
		for (size_t k = 0; k < json_array_size(uses); k++) {
			if (k)
				sb_puts(b, ", ");
			sb_esc(b, json_string_value(json_array_get(uses, k)));
		}
		sb_puts(b, "</td><td>");
		if (!here) /* shown but not there: the article and the video go without it */
			status_badge(b, "missing", NULL);
		sb_esc(b, !here ? " 输出文件夹里没有这个文件" : r.origin[0] ? r.origin : "未知（不是素材包里的文件）");
		sb_puts(b, "</td><td>");
		sb_esc(b, r.licence ? r.licence : "未知（请写进素材包的 README.md）");
		sb_puts(b, "</td></tr>\n");
		free(r.licence);
	}
	const char *music = of_json_str(vset, "music");
	char *bed = NULL, *lic = NULL, origin[1200];
	if (music) {
		char shown[512], *src = pack_folder(dir, mf);
		pack_display(shown, sizeof shown, dir, mf);
		snprintf(origin, sizeof origin, "%s/%s (video.music)", shown, music);
		lic = licence_for(src, of_path_basename(music));
		free(src);
	} else if (of_asset_path(&bed, "music/bed.m4a") == 0) {
		char *mdir = of_path_dirname(bed), *readme = mdir ? of_path_join(mdir, "README.md") : NULL;
		snprintf(origin, sizeof origin, "onefish assets/music/bed.m4a (default)");
		lic = readme ? licence_line(readme) : NULL;
		free(mdir);
		free(readme);
	} else {
		of_error_clear();
		snprintf(origin, sizeof origin, "none (no video.music, default bed not installed)");
	}
	sb_puts(b, "<tr><td>");
	sb_esc(b, music ? of_path_basename(music) : "背景音乐");
	sb_puts(b, "</td><td>音乐</td><td>video.mp4</td><td>");
	sb_esc(b, origin);
	sb_puts(b, "</td><td>");
	sb_esc(b, lic ? lic : "未知（请写进素材包的 README.md）");
	sb_puts(b, "</td></tr>\n</tbody></table>\n");
	free(bed);
	free(lic);
	if (!script)
		missing(b, "script.json (the images the video uses)");
	sb_puts(b, "</section>\n");
	json_decref(seen);
}

/* A manifest path the page may link to: relative, inside the pack's folder, no scheme. */
static int safe_href(const char *p)
{
	if (!*p || *p == '/' || strchr(p, ':') || strchr(p, '\\') || strstr(p, "..") || strchr(p, '#') || strchr(p, '?'))
		return 0;
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == '"' || *c == '<' || *c == '>')
			return 0;
	return 1;
}

static void section_status(sbuf *b, const json_t *mf)
{
	json_t *outs = json_object_get(mf, "outputs");
	sb_puts(b, "<section id=\"status\"><h2>文件状态 Files</h2>\n");
	if (!mf) {
		sb_puts(b, "<p class=\"missing\">manifest.json 缺失：文件状态未知。</p></section>\n");
		return;
	}
	sb_puts(b, "<table class=\"ledger\"><thead><tr><th>文件</th><th>步骤</th><th>状态</th><th>字节</th>"
		   "</tr></thead><tbody>\n");
	for (size_t i = 0; i < json_array_size(outs); i++) {
		json_t *e = json_array_get(outs, i);
		const char *st = of_json_str(e, "status");
		const char *path = of_json_str(e, "path");
		sb_puts(b, "<tr><td>");
		if (path && st && strcmp(st, "missing") != 0 && safe_href(path)) { /* opens the file beside the page */
			sb_puts(b, "<a href=\"");
			sb_esc(b, path);
			sb_puts(b, "\">");
			sb_esc(b, path);
			sb_puts(b, "</a>");
		} else {
			sb_esc(b, path);
		}
		sb_puts(b, "</td><td>");
		sb_esc(b, of_json_str(e, "stage"));
		sb_puts(b, "</td><td>");
		status_badge(b, st, NULL);
		if (json_is_true(json_object_get(e, "unused"))) /* kept: the editor may show it again */
			sb_puts(b, " <span class=\"badge unused\" title=\"unused: the hand-edited article.md or script.json "
				   "no longer shows it\">未使用（改过的文章或分镜不再用它）</span>");
		sb_printf(b, "</td><td>%lld</td></tr>\n",
			  (long long)json_integer_value(json_object_get(e, "bytes")));
	}
	sb_puts(b, "</tbody></table></section>\n");
}

/* 1 when `out_dir` holds something onefish wrote: the page is about it. */
static int has_outputs(const char *out_dir)
{
	static const char *const known[] = {"manifest.json", "article.md", "script.json", "video.mp4", "prompts.json", NULL};
	for (const char *const *k = known; *k; k++) {
		char *p = of_path_join(out_dir, *k);
		int here = p && of_path_is_file(p);
		free(p);
		if (here)
			return 1;
	}
	return 0;
}

/* An index.html already there that onefish did not write (a site's own home page)
 * is never replaced. Pages of every version carry the review title or, since
 * 0.2.11, the generator tag. */
static int foreign_page(const char *path)
{
	char *old = NULL;
	size_t len = 0;
	int foreign;
	if (!of_path_is_file(path))
		return 0;
	if (of_file_read(&old, &len, path, PAGE_MAX) < 0) {
		of_error_clear();
		return 1; /* unreadable or huge: not ours to replace */
	}
	foreign = !strstr(old, "<meta name=\"generator\" content=\"onefish review\">") && !strstr(old, " · onefish review</title>") &&
		  !strstr(old, " · onefish 审阅页</title>");
	free(old);
	return foreign;
}

int of_review_write(const char *out_dir, const json_t *manifest)
{
	sbuf body = {0}, data = {0};
	json_t *own = NULL, *trace, *script;
	char *css = NULL, *js = NULL, *cssp = NULL, *jsp = NULL, *page = NULL, *path = NULL;
	const char *name;
	int rc;

	if (!of_path_is_dir(out_dir))
		return of_error_set_at(OF_ENOTFOUND, out_dir, 0, 0, "no such folder");
	if (!manifest && !has_outputs(out_dir))
		return of_error_set_at(OF_EINVALID, out_dir, 0, 0,
				       "not an onefish output folder (no manifest.json, article.md, script.json, video.mp4 or "
				       "prompts.json): no review page written");
	{
		char *ip = of_path_join(out_dir, "index.html");
		int foreign = ip ? foreign_page(ip) : 0;
		free(ip);
		if (foreign)
			return of_error_set_at(OF_EINVALID, out_dir, 0, 0,
					       "index.html is there and onefish did not write it: not replaced (move it away "
					       "to get the review page)");
	}
	if (!manifest)
		manifest = own = of_manifest_load(out_dir);
	trace = load_out_json(out_dir, "article.trace.json");
	script = load_out_json(out_dir, "script.json");
	name = of_json_str(manifest, "pack") ? of_json_str(manifest, "pack") : of_path_basename(out_dir);

	section_article(&body, out_dir, manifest);
	section_wechat(&body, out_dir, manifest);
	section_script(&body, out_dir, manifest, script);
	section_video(&body, out_dir, manifest);
	section_prompts(&body, out_dir, manifest);
	section_lint(&body, trace);
	section_ledger(&body, out_dir, manifest, script, trace);
	section_status(&body, manifest);
	json_data(&data, "trace-data", trace);

	if ((rc = of_asset_path(&cssp, "review/review.css")) < 0 || (rc = of_asset_path(&jsp, "review/review.js")) < 0 ||
	    (rc = of_file_read(&css, NULL, cssp, OF_MAX_PACK_META_BYTES)) < 0 ||
	    (rc = of_file_read(&js, NULL, jsp, OF_MAX_PACK_META_BYTES)) < 0)
		goto done;
	{
		char *ename = of_html_escape(name), *ever = of_html_escape(of_json_str(manifest, "onefish") ? of_json_str(manifest, "onefish") : of_version());
		const char *kv[] = {"name", ename ? ename : "", "version", ever ? ever : "", "css", css, "js", js,
				    "body", sb_str(&body), "data", sb_str(&data), NULL};
		if (body.oom || data.oom)
			rc = of_error_set_oom();
		else
			rc = of_template_render_asset(&page, "review/index.html", kv);
		free(ename);
		free(ever);
	}
	if (rc < 0)
		goto done;
	path = of_path_join(out_dir, "index.html");
	if (!path) {
		rc = of_error_set_oom();
		goto done;
	}
	{
		char *old = NULL;
		size_t old_len = 0;
		if (of_file_read(&old, &old_len, path, PAGE_MAX) < 0 || old_len != strlen(page) ||
		    memcmp(old, page, old_len) != 0)
			rc = of_file_write_atomic(path, page, strlen(page));
		else
			of_error_clear();
		free(old);
	}
done:
	free(body.s);
	free(data.s);
	free(css);
	free(js);
	free(cssp);
	free(jsp);
	free(page);
	free(path);
	json_decref(trace);
	json_decref(script);
	json_decref(own);
	return rc;
}
