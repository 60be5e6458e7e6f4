/* load.c — the storyboard as the video stage should render it: script.json
 * plus the editor's edits to the 分镜表 in script.md, validated. The table is
 * read as a line format (one "| a | b | c | d | e |" row per scene), so every
 * malformed row is reported with its line number. */
#include "onefish/storyboard.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/utf8.h"
#include "script/frames.h"
#include "script/output.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAPTION_LINE_MAX 14
#define CAPTION_LINES_MAX 2

static int bad(const char *origin, size_t scene, const char *field, const char *why)
{
	/* named like the render stage's script.json errors: scenes[0-based index].field */
	return of_error_set_at(OF_EINVALID, origin, 0, 0, "scenes[%zu].%s: %s", scene, field, why);
}

/* A caption line's width in 字 as the video sets it: full-width characters 1,
 * Latin letters and digits about 0.6, a space 0.3 ("Organic Rice Cereal" is 11,
 * not 19). */
static double caption_em(const char *s)
{
	double w = 0;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		int32_t cp;
		int k = of_utf8_next(s + i, len - i, &cp);
		if (k <= 0) {
			i++;
			continue;
		}
		w += of_utf8_width(s + i, (size_t)k) >= 2 ? 1.0 : cp == ' ' ? 0.3 : 0.6;
		i += (size_t)k;
	}
	return w;
}

static int path_ok(const char *p)
{
	if (!p || !*p || p[0] == '/' || strstr(p, "://"))
		return 0;
	/* no ".." component */
	const char *s = p;
	while ((s = strstr(s, "..")) != NULL) {
		if ((s == p || s[-1] == '/') && (s[2] == '\0' || s[2] == '/'))
			return 0;
		s += 2;
	}
	return 1;
}

/* Text that XML 1.0 can carry (timeline.fcpxml, subtitles): no C0 control but tab and line break,
 * no U+FFFE / U+FFFF (an NLE refuses the whole timeline over one such character). */
static int xml_text_ok(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			return 0;
		if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))
			return 0;
	}
	return 1;
}

int of_storyboard_validate(const json_t *sb, const char *origin)
{
	const json_t *scenes = json_object_get(sb, "scenes");
	size_t i, n;
	double at = 0, fps;
	if (!json_is_object(sb))
		return of_error_set_at(OF_EINVALID, origin, 0, 0, "a storyboard is a JSON object");
	if (json_integer_value(json_object_get(sb, "version")) != 1)
		return of_error_set_at(OF_EINVALID, origin, 0, 0, "version: expected 1 (this onefish reads schema version 1)");
	if (!json_is_integer(json_object_get(sb, "width")) || !json_is_integer(json_object_get(sb, "height")) ||
	    json_integer_value(json_object_get(sb, "width")) <= 0 || json_integer_value(json_object_get(sb, "height")) <= 0 ||
	    json_integer_value(json_object_get(sb, "width")) > 8192 || json_integer_value(json_object_get(sb, "height")) > 8192)
		return of_error_set_at(OF_EINVALID, origin, 0, 0, "width/height: expected integers in 1..8192");
	if (!json_is_integer(json_object_get(sb, "fps")) || json_integer_value(json_object_get(sb, "fps")) < 1 ||
	    json_integer_value(json_object_get(sb, "fps")) > 120)
		return of_error_set_at(OF_EINVALID, origin, 0, 0, "fps: expected an integer in 1..120");
	fps = (double)json_integer_value(json_object_get(sb, "fps"));
	if (!json_is_array(scenes) || (n = json_array_size(scenes)) == 0 || n > OF_MAX_SCENES)
		return of_error_set_at(OF_EINVALID, origin, 0, 0, "scenes: expected 1..%d scenes", OF_MAX_SCENES);
	for (i = 0; i < n; i++) {
		const json_t *s = json_array_get(scenes, i), *cap = json_object_get(s, "caption");
		const char *kind = of_json_str(s, "kind");
		double d = json_number_value(json_object_get(s, "duration"));
		double st = json_number_value(json_object_get(s, "start"));
		size_t k;
		if (!json_is_object(s))
			return bad(origin, i, "scene", "expected an object");
		if (!of_json_str(s, "id"))
			return bad(origin, i, "id", "missing");
		if (!kind || (strcmp(kind, "hook") && strcmp(kind, "body") && strcmp(kind, "cta")))
			return bad(origin, i, "kind", "expected hook, body or cta");
		if (!json_is_number(json_object_get(s, "duration")) || !(d > 0) || d > OF_MAX_VIDEO_SECONDS)
			return bad(origin, i, "duration", "expected a positive number of seconds");
		if (!json_is_number(json_object_get(s, "start")) || fabs(st - at) > 0.002)
			return bad(origin, i, "start", "must equal the previous scene's start + duration");
		at += of_script_frame_exact(d, fps); /* starts are frame boundaries (frames.h) */
		if (!of_json_str(s, "narration"))
			return bad(origin, i, "narration", "expected a string");
		if (!xml_text_ok(of_json_str(s, "narration")) || !xml_text_ok(of_json_str(s, "id")))
			return bad(origin, i, of_json_str(s, "id") && !xml_text_ok(of_json_str(s, "id")) ? "id" : "narration",
				   "contains a control character or U+FFFE/U+FFFF");
		if (!json_is_array(cap) || json_array_size(cap) > CAPTION_LINES_MAX)
			return bad(origin, i, "caption", "expected 0-2 lines");
		for (k = 0; k < json_array_size(cap); k++) {
			const char *l = json_string_value(json_array_get(cap, k));
			if (!l)
				return bad(origin, i, "caption", "lines must be strings");
			if (!xml_text_ok(l))
				return bad(origin, i, "caption", "contains a control character or U+FFFE/U+FFFF");
			if (caption_em(l) > CAPTION_LINE_MAX + 1e-9)
				return bad(origin, i, "caption", "a line is longer than 14 字");
		}
		if (!path_ok(of_json_str(s, "image")))
			return bad(origin, i, "image", "expected a path relative to script.json's folder (no .., not absolute)");
		if (json_object_get(s, "motion") && !json_is_object(json_object_get(s, "motion")))
			return bad(origin, i, "motion", "expected an object");
		if (json_object_get(s, "transition") && !json_is_object(json_object_get(s, "transition")))
			return bad(origin, i, "transition", "expected an object");
	}
	if (at > OF_MAX_VIDEO_SECONDS)
		return of_error_set_at(OF_EINVALID, origin, 0, 0, "total duration %.1f s is over %.0f s", at,
				       OF_MAX_VIDEO_SECONDS);
	return 0;
}

/* ---- script.md ---- */

/* Splits a table row into cells at unescaped '|'; "\|" becomes '|'. Cells are
 * malloc'd and trimmed. The leading and trailing bars are optional, as in GFM
 * (`1 | 3s | 画面 | 字幕 | 口播`), unless `outer` is set: then a row must start with
 * one. Returns the cell count, or -1 if the line is not a row (no unescaped bar). */
static int split_row(const char *line, size_t len, char **cells, int max, int outer)
{
	size_t i = 0, k;
	int n = 0, bar = 0;
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\r' || line[len - 1] == '\t'))
		len--;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	for (k = i; k < len && !bar; k++) {
		if (line[k] == '\\' && k + 1 < len)
			k++;
		else
			bar = line[k] == '|';
	}
	if (!bar || (outer && line[i] != '|') || (len - i == 1 && line[i] == '|'))
		return -1;
	if (line[i] == '|')
		i++;
	/* the trailing bar closes the last cell; an escaped one is the cell's text */
	size_t end = len;
	if (end > i && line[end - 1] == '|' && !(end - i >= 2 && line[end - 2] == '\\'))
		end--;
	for (;;) {
		size_t cap = end - i + 1, o = 0;
		char *c = malloc(cap);
		if (!c) {
			while (n > 0)
				if (--n < max)
					free(cells[n]);
			return -2;
		}
		while (i < end && line[i] != '|') {
			if (line[i] == '\\' && i + 1 < end && line[i + 1] == '|') {
				c[o++] = '|';
				i += 2;
				continue;
			}
			c[o++] = line[i++];
		}
		c[o] = '\0';
		int last = i >= end;
		i++; /* the bar */
		/* trim */
		char *a = c;
		while (*a == ' ' || *a == '\t')
			a++;
		size_t l = strlen(a);
		while (l > 0 && (a[l - 1] == ' ' || a[l - 1] == '\t'))
			a[--l] = '\0';
		memmove(c, a, l + 1);
		if (n < max)
			cells[n] = c;
		else
			free(c);
		n++;
		if (last)
			break;
	}
	return n;
}

static int parse_secs(const char *s, double *out)
{
	char *end;
	/* decimal seconds only: strtod would also take 0x10, inf and 1e2 */
	size_t k = strspn(s, " ");
	if (!((s[k] >= '0' && s[k] <= '9') || (s[k] == '.' && s[k + 1] >= '0' && s[k + 1] <= '9')))
		return -1;
	k += strspn(s + k, "0123456789.");
	if (s[k] == 'x' || s[k] == 'X' || s[k] == 'e' || s[k] == 'E')
		return -1;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno)
		return -1;
	while (*end == ' ')
		end++;
	if (*end == 's' || *end == 'S')
		end++;
	else if (strncmp(end, "秒", strlen("秒")) == 0)
		end += strlen("秒");
	while (*end == ' ')
		end++;
	if (*end || isnan(v))
		return -1;
	*out = v;
	return 0;
}

/* Caption cell → JSON lines: " / " or "<br>" separate lines. */
static json_t *caption_cells(const char *cell)
{
	json_t *a = json_array();
	const char *p = cell;
	while (a && *p) {
		const char *q1 = strstr(p, " / "), *q2 = strstr(p, "<br>");
		const char *q = q1 && (!q2 || q1 < q2) ? q1 : q2;
		size_t skip = q == q1 ? 3 : 4;
		size_t l = q ? (size_t)(q - p) : strlen(p);
		while (l > 0 && p[l - 1] == ' ')
			l--;
		while (l > 0 && *p == ' ') {
			p++;
			l--;
		}
		if (l > 0)
			json_array_append_new(a, json_stringn(p, l));
		if (!q)
			break;
		p = q + skip;
	}
	return a;
}

/* One row of the 分镜表 as read: the values it gives its scene. */
typedef struct md_row {
	unsigned long line; /* 0: no row for this scene */
	double duration;    /* seconds, whole frames */
	json_t *caption;    /* array of lines */
	char *narration;
} md_row;

static void rows_free(md_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		json_decref(rows[i].caption);
		free(rows[i].narration);
	}
	free(rows);
}

/* Reads every row of the table into rows[scene index] (calloc'd, n entries), checking
 * each: a malformed row is an error `md_path:LINE`, so nothing half-read is applied. */
static int parse_table(md_row **out, const char *md, size_t len, const char *md_path, size_t n, long fps)
{
	size_t rows_read = 0, i = 0;
	unsigned long line = 0, end_line = 0; /* end_line: the first line after the table */
	int in_table = 0, rc = 0, end_blank = 0;
	double frame = 1.0 / (double)(fps > 0 ? fps : 30);
	/* the line of each scene's row: a 序号 typed twice (a copy-paste slip) would otherwise
	 * replace that scene and leave another as it was, with the row count still right */
	md_row *rows = calloc(n + 1, sizeof *rows);
	*out = NULL;
	if (!rows)
		return of_error_set_oom();
	while (i < len && rc == 0) {
		const char *nl = memchr(md + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - md) : len;
		const char *l = md + i;
		size_t ll = e - i;
		char *cells[5] = {0};
		int nc, k;
		line++;
		i = nl ? e + 1 : len;
		/* after the table, only a line starting with a bar is taken for a stray row */
		nc = split_row(l, ll, cells, 5, in_table == 2);
		if (nc == -2) {
			rows_free(rows, n);
			return of_error_set_oom();
		}
		if (nc < 0) {
			/* a row typed with a Chinese IME's full-width bars is a row, not the end of the table */
			size_t sp = 0;
			while (sp < ll && (l[sp] == ' ' || l[sp] == '\t'))
				sp++;
			if (in_table == 1 && ll - sp >= 3 && memcmp(l + sp, "\xEF\xBD\x9C", 3) == 0) {
				rc = of_error_set_at(OF_EINVALID, md_path, line, 1,
						     "this row separates its cells with full-width ｜; type the half-width |");
				break;
			}
			if (in_table == 1) {
				in_table = 2; /* the table ended */
				end_line = line;
				end_blank = strspn(l, " \t\r") == ll;
			}
			continue;
		}
		if (!in_table) {
			/* The header row, then the |---| separator. */
			in_table = nc >= 1 && strcmp(cells[0], "序号") == 0;
			for (k = 0; k < nc && k < 5; k++)
				free(cells[k]);
			continue;
		}
		if (in_table == 2) {
			rc = of_error_set_at(OF_EINVALID, md_path, line, 1, "a table row after the 分镜表 ended");
		} else if (nc >= 1 && (cells[0][0] == '-' || cells[0][0] == ':')) {
			/* separator */
		} else if (nc != 5) {
			rc = of_error_set_at(OF_EINVALID, md_path, line, 1,
					     "expected 5 cells (序号 | 时长 | 画面 | 字幕 | 口播), found %d; write a literal bar as \\|",
					     nc);
		} else {
			char *end;
			long idx = strtol(cells[0], &end, 10);
			double d;
			json_t *cap;
			size_t c;
			if (*end || idx < 1 || (size_t)idx > n) {
				rc = of_error_set_at(OF_EINVALID, md_path, line, 1, "序号 '%s' is not a scene number 1-%zu",
						     cells[0], n);
			} else if (rows[idx - 1].line) {
				rc = of_error_set_at(OF_EINVALID, md_path, line, 1,
						     "序号 %ld is also the row on line %lu: each scene has one row (number them 1-%zu)",
						     idx, rows[idx - 1].line, n);
			} else if (parse_secs(cells[1], &d) < 0 || d < 0.5 || d > 60) {
				rc = of_error_set_at(OF_EINVALID, md_path, line, 1,
						     "时长 '%s' is not a duration of 0.5-60 seconds (like 3.5s)", cells[1]);
			} else if (!(cap = caption_cells(cells[3]))) {
				rc = of_error_set_oom();
			} else if (json_array_size(cap) > CAPTION_LINES_MAX) {
				json_decref(cap);
				rc = of_error_set_at(OF_EINVALID, md_path, line, 1, "字幕 has more than 2 lines");
			} else if (!*cells[4]) {
				json_decref(cap);
				rc = of_error_set_at(OF_EINVALID, md_path, line, 1, "口播 is empty");
			} else if (of_utf8_count(cells[4], strlen(cells[4])) > OF_MAX_NARRATION_CHARS) {
				json_decref(cap);
				rc = of_error_set_at(OF_EINVALID, md_path, line, 1, "口播 is %zu characters, at most %d allowed",
						     of_utf8_count(cells[4], strlen(cells[4])), OF_MAX_NARRATION_CHARS);
			} else {
				for (c = 0; c < json_array_size(cap); c++) {
					const char *cl = json_string_value(json_array_get(cap, c));
					if (caption_em(cl) > CAPTION_LINE_MAX + 1e-9) {
						rc = of_error_set_at(OF_EINVALID, md_path, line, 1,
								     "字幕 line '%s' is longer than 14 字", cl);
						break;
					}
				}
				if (rc == 0) {
					md_row *r = &rows[idx - 1];
					r->line = line;
					r->duration = round(d / frame) * frame; /* whole frames */
					r->caption = cap;
					r->narration = cells[4];
					cells[4] = NULL;
					rows_read++;
				} else {
					json_decref(cap);
				}
			}
		}
		for (k = 0; k < nc && k < 5; k++)
			free(cells[k]);
	}
	if (rc == 0 && !in_table)
		rc = of_error_set_at(OF_EINVALID, md_path, 0, 0, "no 分镜表 found (a table starting with | 序号 |)");
	if (rc == 0 && rows_read < n && end_line)
		/* the table stopped early: say where and why, not just the count */
		rc = of_error_set_at(OF_EINVALID, md_path, end_line, 1,
				     "the 分镜表 ends here after %zu row%s but script.json has %zu scene%s: %s", rows_read,
				     rows_read == 1 ? "" : "s", n, n == 1 ? "" : "s",
				     end_blank ? "a blank line ends a table; remove it"
					       : "this line is not a table row (cells separated by |: 序号 | 时长 | 画面 | 字幕 | 口播)");
	else if (rc == 0 && rows_read != n)
		rc = of_error_set_at(OF_EINVALID, md_path, line, 0,
				     "the 分镜表 has %zu row%s but script.json has %zu scene%s; add or remove scenes in script.json",
				     rows_read, rows_read == 1 ? "" : "s", n, n == 1 ? "" : "s");
	if (rc < 0) {
		rows_free(rows, n);
		return rc;
	}
	*out = rows;
	return 0;
}

/* ---- which cells an editor changed ----
 *
 * Each editable cell (时长, 字幕, 口播) is compared as a value: the duration in frames,
 * the caption lines joined by a line break, the narration. script.json records a short
 * hash of each cell of the table it wrote (generated.script_md_cells), so a cell of
 * script.md that still hashes the same was not touched, and script.json's value for it
 * (edited or not) stands. */

enum { CELL_DURATION, CELL_CAPTION, CELL_NARRATION, N_CELLS };
static const char *const cell_names[N_CELLS] = {"duration (时长)", "caption (字幕)", "narration (口播)"};

static int cell_hash(char out[17], const char *text)
{
	char full[65];
	int rc = of_sha256_hex(full, text, strlen(text));
	if (rc == 0)
		snprintf(out, 17, "%.16s", full);
	return rc;
}

/* Caption lines joined by `sep` (malloc'd; NULL on OOM). */
static char *join_lines(const json_t *caption, const char *sep)
{
	of_buf b;
	int rc = 0;
	of_buf_init(&b, 0);
	for (size_t k = 0; k < json_array_size(caption) && rc == 0; k++) {
		const char *l = json_string_value(json_array_get(caption, k));
		if (k)
			rc = of_buf_puts(&b, sep);
		if (rc == 0)
			rc = of_buf_puts(&b, l ? l : "");
	}
	if (rc == 0)
		return of_buf_detach(&b, NULL); /* "" for no lines */
	of_buf_free(&b);
	return NULL;
}

/* The three cells of a row as text, each malloc'd. */
static int row_text(char *out[N_CELLS], double duration, const json_t *caption, const char *narration, long fps)
{
	char d[32];
	snprintf(d, sizeof d, "%ld", lround(duration * (double)(fps > 0 ? fps : 30)));
	out[CELL_DURATION] = strdup(d);
	out[CELL_CAPTION] = join_lines(caption, "\n");
	out[CELL_NARRATION] = strdup(narration ? narration : "");
	if (!out[CELL_DURATION] || !out[CELL_CAPTION] || !out[CELL_NARRATION])
		return of_error_set_oom();
	return 0;
}

static void row_text_free(char *t[N_CELLS])
{
	for (int k = 0; k < N_CELLS; k++)
		free(t[k]);
}

/* A table cell as script.md shows and reads it back: line breaks become spaces, the ends
 * are trimmed (output.c writes cells so; split_row trims them). */
static char *as_cell(const char *s)
{
	char *c = strdup(s ? s : ""), *a;
	size_t l;
	if (!c)
		return NULL;
	for (char *p = c; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	for (a = c; *a == ' ' || *a == '\t'; a++)
		;
	l = strlen(a);
	while (l > 0 && (a[l - 1] == ' ' || a[l - 1] == '\t'))
		a[--l] = '\0';
	memmove(c, a, l + 1);
	return c;
}

/* A scene of script.json as its table row would read: what an unedited row says of it. */
static int scene_text(char *out[N_CELLS], const json_t *scene, long fps)
{
	char *joined = join_lines(json_object_get(scene, "caption"), " / ");
	char *cell = joined ? as_cell(joined) : NULL, *narr = as_cell(of_json_str(scene, "narration"));
	json_t *lines = cell ? caption_cells(cell) : NULL;
	int rc = lines && narr ? row_text(out, json_number_value(json_object_get(scene, "duration")), lines, narr, fps)
			       : of_error_set_oom();
	json_decref(lines);
	free(joined);
	free(cell);
	free(narr);
	return rc;
}

int of_script_table_cells(json_t **out, const json_t *sb)
{
	const json_t *scenes = json_object_get(sb, "scenes");
	size_t n = json_array_size(scenes);
	long fps = (long)json_integer_value(json_object_get(sb, "fps"));
	char *md = of_script_render_md(sb);
	md_row *rows = NULL;
	json_t *a = json_array();
	int rc;
	*out = NULL;
	if (!md || !a) {
		free(md);
		json_decref(a);
		return of_error_set_oom();
	}
	/* the table as written, read back as an edited one would be */
	rc = parse_table(&rows, md, strlen(md), "script.md", n, fps);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char *t[N_CELLS] = {0}, h[N_CELLS][17];
		json_t *cells = NULL;
		if ((rc = row_text(t, rows[i].duration, rows[i].caption, rows[i].narration, fps)) == 0 &&
		    (rc = cell_hash(h[0], t[0])) == 0 && (rc = cell_hash(h[1], t[1])) == 0 && (rc = cell_hash(h[2], t[2])) == 0) {
			cells = json_pack("[s,s,s]", h[0], h[1], h[2]);
			rc = cells ? json_array_append_new(a, cells) == 0 ? 0 : of_error_set_oom() : of_error_set_oom();
		}
		row_text_free(t);
	}
	rows_free(rows, n);
	free(md);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* The generated table's cell hashes: recorded by script.json, else, when script.json is
 * the one that wrote script.md (its table renders to the recorded hash), made from it.
 * NULL when neither (an older script.json edited by hand): the table is then not known. */
static json_t *generated_cells(const json_t *sb)
{
	const json_t *gen = json_object_get(sb, "generated");
	const json_t *rec = json_object_get(gen, "script_md_cells");
	const char *want = of_json_str(gen, "script_md_sha256");
	size_t n = json_array_size(json_object_get(sb, "scenes"));
	json_t *cells = NULL;
	char have[65];
	char *md;
	if (json_is_array(rec) && json_array_size(rec) == n)
		return json_incref((json_t *)rec);
	if (!want || !(md = of_script_render_md(sb)))
		return NULL;
	if (of_sha256_hex(have, md, strlen(md)) == 0 && strcmp(have, want) == 0 && of_script_table_cells(&cells, sb) < 0)
		cells = NULL;
	free(md);
	of_error_clear();
	return cells;
}

static int apply_md(json_t *sb, const char *md, size_t len, const char *md_path)
{
	json_t *scenes = json_object_get(sb, "scenes"), *gen = NULL;
	size_t n = json_array_size(scenes);
	long fps = (long)json_integer_value(json_object_get(sb, "fps"));
	double rate = json_number_value(json_object_get(sb, "speech_rate"));
	md_row *rows = NULL;
	int rc;
	if ((rc = parse_table(&rows, md, len, md_path, n, fps)) < 0)
		return rc;
	gen = generated_cells(sb);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		json_t *s = json_array_get(scenes, i), *g = gen ? json_array_get(gen, i) : NULL;
		md_row *r = &rows[i];
		char *mt[N_CELLS] = {0}, *jt[N_CELLS] = {0}, mh[17], jh[17];
		char replaced[160] = "";
		int applied = 0;
		if ((rc = row_text(mt, r->duration, r->caption, r->narration, fps)) < 0 ||
		    (rc = scene_text(jt, s, fps)) < 0) {
			row_text_free(mt);
			row_text_free(jt);
			break;
		}
		for (int k = 0; k < N_CELLS && rc == 0; k++) {
			const char *gk = json_string_value(json_array_get(g, (size_t)k));
			int md_changed, json_changed;
			if ((rc = cell_hash(mh, mt[k])) < 0 || (rc = cell_hash(jh, jt[k])) < 0)
				break;
			if (strcmp(mt[k], jt[k]) == 0)
				continue; /* the row says what script.json says */
			if (gk) {
				md_changed = strcmp(mh, gk) != 0;
				json_changed = strcmp(jh, gk) != 0;
			} else {
				/* the table script.json wrote is not known (a hand-written or older, edited
				 * script.json): the row wins, and says so when script.json was edited */
				md_changed = 1;
				json_changed = gen == NULL && json_object_get(json_object_get(sb, "generated"), "script_md_sha256");
			}
			if (!md_changed)
				continue; /* an untouched cell: script.json's value (maybe edited) stands */
			if (json_changed)
				snprintf(replaced + strlen(replaced), sizeof replaced - strlen(replaced), "%s%s",
					 replaced[0] ? ", " : "", cell_names[k]);
			if (k == CELL_DURATION)
				json_object_set_new(s, "duration", json_real(round(r->duration * 1000) / 1000));
			else if (k == CELL_CAPTION)
				json_object_set(s, "caption", r->caption);
			else
				json_object_set_new(s, "narration", json_string(r->narration));
			applied = 1;
		}
		if (rc == 0 && replaced[0] && gen)
			of_log_warn_at(md_path, r->line, 1,
				       "scene %zu: script.json's %s, also edited there, replaced by this row of script.md",
				       i + 1, replaced);
		else if (rc == 0 && replaced[0])
			of_log_warn_at(md_path, r->line, 1,
				       "scene %zu: script.json's %s replaced by this row of script.md (script.json was edited "
				       "too, and, written by an older onefish, it does not record the table it wrote: which "
				       "side changed this cannot be told)",
				       i + 1, replaced);
		if (rc == 0 && applied && rate > 0) {
			const char *narr = of_json_str(s, "narration");
			double d = json_number_value(json_object_get(s, "duration"));
			if (narr && of_utf8_han_count(narr, strlen(narr)) > d * rate)
				of_log_warn_at(md_path, r->line, 1,
					       "口播 has more 字 than %.1f s allow at %.1f 字/s; the voice may overrun", d, rate);
		}
		row_text_free(mt);
		row_text_free(jt);
	}
	json_decref(gen);
	rows_free(rows, n);
	return rc;
}

/* Starts and the total follow the durations, from frame boundaries (frames.h). */
static void retime(json_t *sb)
{
	json_t *scenes = json_object_get(sb, "scenes");
	double fps = (double)json_integer_value(json_object_get(sb, "fps"));
	size_t i;
	double at = 0;
	for (i = 0; i < json_array_size(scenes); i++) {
		json_t *s = json_array_get(scenes, i);
		json_object_set_new(s, "start", json_real(round(at * 1000) / 1000));
		at += of_script_frame_exact(json_number_value(json_object_get(s, "duration")), fps);
	}
	json_object_set_new(sb, "duration", json_real(round(at * 1000) / 1000));
}

int of_storyboard_load(json_t **out, const char *script_json_path)
{
	return of_storyboard_load_edit(out, NULL, script_json_path);
}

int of_storyboard_load_edit(json_t **out, int *md_edited_out, const char *script_json_path)
{
	json_t *sb = NULL;
	char *dir = NULL, *md_path = NULL, *md = NULL;
	size_t md_len = 0;
	int rc;
	*out = NULL;
	if (md_edited_out)
		*md_edited_out = 0;
	if ((rc = of_json_load(&sb, script_json_path, (size_t)16 * 1024 * 1024)) < 0)
		return rc;
	dir = of_path_dirname(script_json_path);
	md_path = dir ? of_path_join(dir, "script.md") : NULL;
	if (!md_path) {
		rc = of_error_set_oom();
		goto done;
	}
	if (json_is_object(sb) && of_path_is_file(md_path)) {
		const char *want = of_json_str(json_object_get(sb, "generated"), "script_md_sha256");
		char have[65];
		if ((rc = of_file_read(&md, &md_len, md_path, (size_t)4 * 1024 * 1024)) < 0)
			goto done;
		if ((rc = of_sha256_hex(have, md, md_len)) < 0)
			goto done;
		if (!want || strcmp(want, have) != 0) {
			if ((rc = apply_md(sb, md, md_len, md_path)) < 0)
				goto done;
			if (md_edited_out)
				*md_edited_out = 1;
		}
	}
	if (json_is_object(sb) && json_is_array(json_object_get(sb, "scenes")))
		retime(sb);
	if ((rc = of_storyboard_validate(sb, script_json_path)) < 0)
		goto done;
	*out = sb;
	sb = NULL;
done:
	json_decref(sb);
	free(dir);
	free(md_path);
	free(md);
	return rc;
}
