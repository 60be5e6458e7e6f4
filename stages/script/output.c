/* output.c — script.md (分镜表), script.csv (the same for a spreadsheet) and the subtitle
 * files, all derived from the storyboard JSON. */
#include "script/output.h"
#include "script/caption.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double num(const json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

/* A table cell: bars escaped, line breaks as spaces. */
static void cell(of_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			of_buf_puts(b, "\\|");
		else if (*s == '\n' || *s == '\r')
			of_buf_putc(b, ' ');
		else
			of_buf_putc(b, *s);
	}
}

static void secs(of_buf *b, double d)
{
	char t[32];
	snprintf(t, sizeof t, "%.3f", d);
	/* 3.000 → 3.0, 5.433 stays */
	size_t n = strlen(t);
	while (n > 0 && t[n - 1] == '0' && t[n - 2] != '.')
		t[--n] = '\0';
	of_buf_printf(b, "%ss", t);
}

static const char *motion_zh(const char *t)
{
	if (!t)
		return "静止";
	if (strcmp(t, "zoom_in") == 0)
		return "推近";
	if (strcmp(t, "zoom_out") == 0)
		return "拉远";
	if (strcmp(t, "pan") == 0)
		return "平移";
	return t;
}

static const char *kind_zh(const char *k)
{
	if (k && strcmp(k, "hook") == 0)
		return "开场钩子";
	if (k && strcmp(k, "cta") == 0)
		return "直播预约";
	return "正文";
}

char *of_script_render_md(const json_t *sb)
{
	of_buf b;
	size_t i;
	const json_t *live = json_object_get(sb, "live");
	const json_t *scenes = json_object_get(sb, "scenes");
	of_buf_init(&b, 4 * 1024 * 1024);
	of_buf_printf(&b, "# 分镜表：%s\n\n", of_json_str(sb, "title") ? of_json_str(sb, "title") : "");
	of_buf_puts(&b, "> 总时长 ");
	secs(&b, num(sb, "duration"));
	of_buf_printf(&b, " · %s %lld×%lld · %lld fps", of_json_str(sb, "format") ? of_json_str(sb, "format") : "",
		      (long long)json_integer_value(json_object_get(sb, "width")),
		      (long long)json_integer_value(json_object_get(sb, "height")),
		      (long long)json_integer_value(json_object_get(sb, "fps")));
	if (of_json_str(live, "title"))
		of_buf_printf(&b, " · 直播：%s %s", of_json_str(live, "title"),
			      of_json_str(live, "time_text") ? of_json_str(live, "time_text") : "");
	of_buf_puts(&b, "\n>\n> 可直接修改「时长」「字幕」「口播」三列（字幕两行用 ` / ` 分隔），"
			"保存后 `onefish video` 会采用修改；「画面」列仅供参考。\n\n");
	of_buf_puts(&b, "| 序号 | 时长 | 画面 | 字幕 | 口播 |\n| --- | --- | --- | --- | --- |\n");
	for (i = 0; i < json_array_size(scenes); i++) {
		const json_t *s = json_array_get(scenes, i);
		const json_t *cap = json_object_get(s, "caption");
		size_t k;
		of_buf_printf(&b, "| %zu | ", i + 1);
		secs(&b, num(s, "duration"));
		of_buf_printf(&b, " | %s · ", kind_zh(of_json_str(s, "kind")));
		cell(&b, of_json_str(s, "image"));
		of_buf_printf(&b, " · %s | ", motion_zh(of_json_str(json_object_get(s, "motion"), "type")));
		for (k = 0; k < json_array_size(cap); k++) {
			if (k)
				of_buf_puts(&b, " / ");
			cell(&b, json_string_value(json_array_get(cap, k)));
		}
		of_buf_puts(&b, " | ");
		cell(&b, of_json_str(s, "narration"));
		of_buf_puts(&b, " |\n");
	}
	return of_buf_detach(&b, NULL);
}

typedef struct {
	long start_ms, end_ms;
	char *text; /* lines joined with '\n' */
} cue;

static void fmt_time(of_buf *b, long ms, char sep)
{
	of_buf_printf(b, "%02ld:%02ld:%02ld%c%03ld", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60, sep, ms % 1000);
}

/* Cuts every scene's narration into cues. */
static int make_cues(const json_t *sb, const of_segmenter *seg, cue **out, size_t *n_out)
{
	const json_t *scenes = json_object_get(sb, "scenes");
	size_t i, n = 0, cap = 16;
	double fps = (double)json_integer_value(json_object_get(sb, "fps"));
	cue *c = malloc(cap * sizeof *c);
	if (fps <= 0)
		fps = 30;
	if (!c)
		return of_error_set_oom();
	for (i = 0; i < json_array_size(scenes); i++) {
		const json_t *s = json_array_get(scenes, i);
		const char *t = of_json_str(s, "narration");
		/* Whole frames first, so a cue ends exactly where the next scene's first cue starts. */
		long f0 = lround(num(s, "start") * fps), f1 = f0 + lround(num(s, "duration") * fps);
		long s0 = lround((double)f0 * 1000.0 / fps), s1 = lround((double)f1 * 1000.0 / fps);
		size_t len = t ? strlen(t) : 0, at = 0;
		double total = t ? of_spoken_units(t, len) : 0, done = 0;
		size_t pends[64], np = 0, pi = 0;
		/* Cues end at sentence or clause ends where they can, never inside a word. */
		if (len > 0 && of_caption_pages(seg, t, len, OF_CAPTION_LINE_MAX, OF_CAPTION_LINES_MAX, pends, 64, &np) < 0)
			goto oom;
		while (at < len) {
			char *lines[OF_CAPTION_LINES_MAX];
			int nl = 0, k;
			size_t used = 0, pe = pi < np && pends[pi] > at ? pends[pi] : len;
			if (of_caption_fill(seg, t + at, pe - at, OF_CAPTION_LINE_MAX, OF_CAPTION_LINES_MAX, lines, &nl,
					    &used) < 0)
				goto oom;
			if (at + used >= pe)
				pi++;
			if (nl == 0 || used == 0) {
				for (k = 0; k < nl; k++)
					free(lines[k]);
				break;
			}
			of_buf b;
			of_buf_init(&b, 4096);
			for (k = 0; k < nl; k++) {
				of_buf_printf(&b, "%s%s", k ? "\n" : "", lines[k]);
				free(lines[k]);
			}
			double u = of_spoken_units(t + at, used);
			if (n == cap) {
				cue *nc = realloc(c, cap * 2 * sizeof *nc);
				if (!nc) {
					of_buf_free(&b);
					goto oom;
				}
				c = nc;
				cap *= 2;
			}
			c[n].start_ms = total > 0 ? s0 + lround((double)(s1 - s0) * done / total) : s0;
			done += u;
			at += used;
			c[n].end_ms = total > 0 && at < len ? s0 + lround((double)(s1 - s0) * done / total) : s1;
			c[n].text = of_buf_detach(&b, NULL);
			if (!c[n].text)
				goto oom;
			if (c[n].end_ms <= c[n].start_ms) { /* a cue with no spoken length joins the next */
				free(c[n].text);
				continue;
			}
			n++;
		}
	}
	*out = c;
	*n_out = n;
	return 0;
oom:
	while (n > 0)
		free(c[--n].text);
	free(c);
	return of_error_set_oom();
}

int of_script_caption_layout(const json_t *sb, long w, long h, long *font, long *ml, long *mr, long *mv)
{
	const char *format = of_json_str(sb, "format");
	char *path = NULL;
	json_t *st = NULL;
	double k = (double)(w < h ? w : h) / 1080.0;
	int rc;
	/* set even when the style file is missing (the caller fails then): bottom centre,
	 * above the bottom sixth */
	*font = w * 64 / 1080;
	if (h < w)
		*font = h * 56 / 1080;
	*ml = *mr = w / 18;
	*mv = h / 6;
	if ((rc = of_asset_path(&path, "styles/captions.json")) == 0 && (rc = of_json_load(&st, path, 1 << 20)) == 0) {
		const json_t *safe = json_object_get(
			json_object_get(json_object_get(st, "presets"), format ? format : "vertical"), "safe");
		const json_t *fs = json_object_get(st, "font_size");
		if (json_is_number(fs))
			*font = lround(json_number_value(fs) * k);
		if (json_is_object(safe)) {
			*ml = lround(json_number_value(json_object_get(safe, "left")) * (double)w);
			*mr = lround(json_number_value(json_object_get(safe, "right")) * (double)w);
			*mv = lround(json_number_value(json_object_get(safe, "bottom")) * (double)h);
		}
	}
	json_decref(st);
	free(path);
	return rc;
}

int of_script_card_size(const json_t *sb, long w, long h, double *px)
{
	char *path = NULL;
	json_t *st = NULL;
	double k = (double)(w < h ? w : h) / 1080.0, title = 92;
	int rc;
	(void)sb;
	if ((rc = of_asset_path(&path, "styles/captions.json")) == 0 && (rc = of_json_load(&st, path, 1 << 20)) == 0 &&
	    json_is_number(json_object_get(st, "title_size")))
		title = json_number_value(json_object_get(st, "title_size"));
	*px = title * 0.9 * k;
	json_decref(st);
	free(path);
	return rc;
}

static int write_subtitles(const json_t *sb, const cue *c, size_t n, const char *dir)
{
	of_buf srt, vtt, ass;
	size_t i;
	int rc = 0;
	long w = (long)json_integer_value(json_object_get(sb, "width"));
	long h = (long)json_integer_value(json_object_get(sb, "height"));
	of_buf_init(&srt, 0);
	of_buf_init(&vtt, 0);
	of_buf_init(&ass, 0);
	of_buf_puts(&vtt, "WEBVTT\n\n");
	long font, margin_l, margin_r, margin_v;
	/* subtitles.ass sets captions as the video does, or is not written at all */
	if ((rc = of_script_caption_layout(sb, w, h, &font, &margin_l, &margin_r, &margin_v)) < 0) {
		of_buf_free(&srt);
		of_buf_free(&vtt);
		of_buf_free(&ass);
		return rc;
	}
	of_buf_printf(&ass,
		      "[Script Info]\n; onefish storyboard captions\nScriptType: v4.00+\nPlayResX: %ld\nPlayResY: %ld\n"
		      "WrapStyle: 2\nScaledBorderAndShadow: yes\nYCbCr Matrix: TV.709\n\n"
		      "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
		      "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, "
		      "Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
		      "Style: Default,Noto Sans CJK SC,%ld,&H00FFFFFF,&H000000FF,&H00000000,&H80000000,-1,0,0,0,100,100,"
		      "0,0,1,%ld,%ld,2,%ld,%ld,%ld,1\n\n"
		      "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n",
		      w, h, font, font / 14 + 1, font / 32 + 1, margin_l, margin_r, margin_v);
	for (i = 0; i < n; i++) {
		of_buf_printf(&srt, "%zu\n", i + 1);
		fmt_time(&srt, c[i].start_ms, ',');
		of_buf_puts(&srt, " --> ");
		fmt_time(&srt, c[i].end_ms, ',');
		of_buf_printf(&srt, "\n%s\n\n", c[i].text);
		fmt_time(&vtt, c[i].start_ms, '.');
		of_buf_puts(&vtt, " --> ");
		fmt_time(&vtt, c[i].end_ms, '.');
		of_buf_printf(&vtt, "\n%s\n\n", c[i].text);
		/* ASS times are centiseconds: H:MM:SS.cc */
		long a = (c[i].start_ms + 5) / 10, b = (c[i].end_ms + 5) / 10;
		of_buf_printf(&ass, "Dialogue: 0,%ld:%02ld:%02ld.%02ld,%ld:%02ld:%02ld.%02ld,Default,,0,0,0,,", a / 360000,
			      a / 6000 % 60, a / 100 % 60, a % 100, b / 360000, b / 6000 % 60, b / 100 % 60, b % 100);
		const char *p;
		for (p = c[i].text; *p; p++) {
			if (*p == '\n')
				of_buf_puts(&ass, "\\N");
			else if (*p == '{' || *p == '}')
				of_buf_putc(&ass, *p == '{' ? '(' : ')'); /* no override tags from text */
			else
				of_buf_putc(&ass, *p);
		}
		of_buf_putc(&ass, '\n');
	}
	if ((rc = of_file_write_atomic_in(dir, "subtitles.srt", of_buf_cstr(&srt), of_buf_len(&srt))) == 0 &&
	    (rc = of_file_write_atomic_in(dir, "subtitles.vtt", of_buf_cstr(&vtt), of_buf_len(&vtt))) == 0)
		rc = of_file_write_atomic_in(dir, "subtitles.ass", of_buf_cstr(&ass), of_buf_len(&ass));
	of_buf_free(&srt);
	of_buf_free(&vtt);
	of_buf_free(&ass);
	return rc;
}

/* One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
 * A caption comes from the posts: one starting with = + - @ would be a formula to
 * Excel and WPS, so it gets a leading apostrophe (shown as text, never run). */
static void csv_field(of_buf *b, const char *s)
{
	s = s ? s : "";
	int quote = strpbrk(s, ",\"\r\n") != NULL, formula = strchr("=+-@\t\r", s[0]) && s[0];
	if (quote)
		of_buf_putc(b, '"');
	if (formula)
		of_buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			of_buf_putc(b, '"');
		of_buf_putc(b, *s);
	}
	if (quote)
		of_buf_putc(b, '"');
}

/* A timecode HH:MM:SS:FF at `fps`, as editing software shows it. */
static void timecode(of_buf *b, long frame, long fps)
{
	long s = frame / fps;
	of_buf_printf(b, "%02ld:%02ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60, frame % fps);
}

/* script.csv: the 分镜表 for a spreadsheet (Excel, WPS: UTF-8 with a BOM, CRLF), with
 * in and out timecodes and the transition, which script.md leaves out. Derived from
 * the storyboard like the subtitles, so it follows an edit of script.md too. */
static int write_sheet(const json_t *sb, const char *dir)
{
	const json_t *scenes = json_object_get(sb, "scenes");
	long fps = (long)json_integer_value(json_object_get(sb, "fps"));
	of_buf b;
	int rc;
	if (fps <= 0)
		fps = 30;
	of_buf_init(&b, 0);
	of_buf_puts(&b, "\xEF\xBB\xBF镜号,入点,出点,时长(秒),类型,画面,运镜,转场,字幕,口播\r\n");
	for (size_t i = 0; i < json_array_size(scenes); i++) {
		const json_t *sc = json_array_get(scenes, i), *cap = json_object_get(sc, "caption");
		long in = lround(num(sc, "start") * (double)fps), len = lround(num(sc, "duration") * (double)fps);
		char d[32];
		of_buf caps;
		of_buf_printf(&b, "%zu,", i + 1);
		timecode(&b, in, fps);
		of_buf_putc(&b, ',');
		timecode(&b, in + len, fps);
		snprintf(d, sizeof d, "%.3f", num(sc, "duration"));
		of_buf_printf(&b, ",%s,%s,", d, kind_zh(of_json_str(sc, "kind")));
		csv_field(&b, of_json_str(sc, "image"));
		of_buf_printf(&b, ",%s,", motion_zh(of_json_str(json_object_get(sc, "motion"), "type")));
		const char *tt = of_json_str(json_object_get(sc, "transition"), "type");
		of_buf_puts(&b, !tt || !strcmp(tt, "cut") ? "硬切" : !strcmp(tt, "fade") ? "淡入" : "叠化");
		of_buf_putc(&b, ',');
		of_buf_init(&caps, 0);
		for (size_t k = 0; k < json_array_size(cap); k++) {
			if (k)
				of_buf_puts(&caps, " / ");
			of_buf_puts(&caps, json_string_value(json_array_get(cap, k)) ? json_string_value(json_array_get(cap, k)) : "");
		}
		csv_field(&b, of_buf_cstr(&caps));
		of_buf_free(&caps);
		of_buf_putc(&b, ',');
		csv_field(&b, of_json_str(sc, "narration"));
		of_buf_puts(&b, "\r\n");
	}
	rc = of_buf_cstr(&b) ? of_file_write_atomic_in(dir, "script.csv", of_buf_cstr(&b), of_buf_len(&b))
			     : of_error_set_oom();
	of_buf_free(&b);
	return rc;
}

int of_script_write_subtitles(const json_t *sb, const of_segmenter *seg, const char *out_dir)
{
	cue *c = NULL;
	size_t n = 0, i;
	int rc;
	if ((rc = make_cues(sb, seg, &c, &n)) < 0)
		return rc;
	rc = write_subtitles(sb, c, n, out_dir);
	if (rc == 0)
		rc = write_sheet(sb, out_dir);
	for (i = 0; i < n; i++)
		free(c[i].text);
	free(c);
	return rc;
}

int of_script_write_outputs(const json_t *sb, const of_segmenter *seg, const char *out_dir, char *md_sha256)
{
	int rc;
	char *md = of_script_render_md(sb);
	char *p = of_path_join(out_dir, "script.md");
	if (!md || !p) {
		free(md);
		free(p);
		return of_error_set_oom();
	}
	rc = of_file_write_atomic(p, md, strlen(md));
	if (rc == 0 && md_sha256)
		rc = of_sha256_hex(md_sha256, md, strlen(md));
	free(md);
	free(p);
	if (rc < 0)
		return rc;
	return of_script_write_subtitles(sb, seg, out_dir);
}
