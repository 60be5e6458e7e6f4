/* captions.c — captions, the hook's title card and the live-stream end card,
 * written as one ASS script and drawn by libass (HarfBuzz shaping, a CJK font
 * from fontconfig) straight onto the YUV frames, inside the safe zone. */
#include "render_int.h"
#include "onefish/render.h"

#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/json.h"
#include "onefish/linebreak.h"
#include "onefish/log.h"
#include "onefish/segment.h"
#include "onefish/utf8.h"

#include <ass/ass.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct of_captions {
	ASS_Library *lib;
	ASS_Renderer *ren;
	ASS_Track *track;
	char *ass;     /* whole script */
	char *header;  /* script up to [Events] */
	int w, h;
};

/* Word boundaries for line breaks while the script is built (NULL: break between any CJK characters). */
static _Thread_local const of_segmenter *wrap_seg;
/* The font's em as a fraction of the size libass sets it at (of_font_em_ratio);
 * 1.0 outside of_captions_new, so of_caption_wrap alone measures in sizes. */
static _Thread_local double wrap_em = 1.0;

/* ------------------------------------------------------------------ style */

/* "#RRGGBB" → 0xRRGGBB; -1 when malformed. Shared by the caption style and the brand colour. */
int of_render__parse_rgb(const char *s, uint32_t *out)
{
	if (!s || s[0] != '#' || strlen(s) != 7)
		return -1;
	char *end = NULL;
	unsigned long v = strtoul(s + 1, &end, 16);
	if (!end || *end)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static double num(const json_t *o, const char *k, double def)
{
	const json_t *v = json_object_get(o, k);
	return v && json_is_number(v) ? json_number_value(v) : def;
}

int of_caption_style_load(of_caption_style *st, const char *path, const char *preset, int w, int h)
{
	json_t *root = NULL;
	int rc = of_json_load(&root, path, 1 << 20);
	if (rc)
		return rc;
	double k = (w < h ? w : h) / 1080.0;
	memset(st, 0, sizeof *st);
	st->font_size = num(root, "font_size", 66) * k;
	st->title_size = num(root, "title_size", 92) * k;
	st->outline = num(root, "outline", 5) * k;
	st->shadow = num(root, "shadow", 2) * k;
	st->bold = json_is_true(json_object_get(root, "bold"));
	st->box = json_is_true(json_object_get(root, "box"));
	st->box_alpha = (int)num(root, "box_alpha", 110);
	st->primary = 0xFFFFFF;
	st->outline_color = 0x101010;
	st->box_color = 0;
	static const char *const ck[] = {"primary", "outline_color", "box_color"};
	uint32_t *cv[] = {&st->primary, &st->outline_color, &st->box_color};
	for (int i = 0; i < 3; i++) {
		const char *s = of_json_str(root, ck[i]);
		if (s && of_render__parse_rgb(s, cv[i]) != 0) {
			json_decref(root);
			return of_error_set_at(OF_EINVALID, path, 0, 0, "%s: must be #RRGGBB", ck[i]);
		}
	}
	const json_t *safe = json_object_get(json_object_get(json_object_get(root, "presets"), preset), "safe");
	if (!json_is_object(safe)) {
		json_decref(root);
		return of_error_set_at(OF_EINVALID, path, 0, 0, "presets.%s.safe: missing", preset);
	}
	st->safe_l = num(safe, "left", 0.06) * w;
	st->safe_r = num(safe, "right", 0.06) * w;
	st->safe_t = num(safe, "top", 0.08) * h;
	st->safe_b = num(safe, "bottom", 0.12) * h;
	if (st->font_size < 8 || st->safe_l + st->safe_r > 0.8 * w || st->safe_t + st->safe_b > 0.8 * h) {
		json_decref(root);
		return of_error_set_at(OF_EINVALID, path, 0, 0, "font size or safe zone out of range");
	}
	json_decref(root);
	return 0;
}

/* ------------------------------------------------------------------ fonts */

int of_font_check(const char *family)
{
	FcConfig *cfg = NULL;
	FcPattern *pat = NULL, *match = NULL;
	FcResult res;
	int found = 0;
	/* A private configuration, destroyed afterwards: nothing global is initialised or leaked. */
	if (!(cfg = FcInitLoadConfigAndFonts()))
		return of_error_set(OF_ENOTFOUND, "fontconfig failed to initialise; cannot find font '%s'", family);
	pat = FcNameParse((const FcChar8 *)family);
	if (pat) {
		FcConfigSubstitute(cfg, pat, FcMatchPattern);
		FcDefaultSubstitute(pat);
		match = FcFontMatch(cfg, pat, &res);
	}
	FcChar8 *fam = NULL;
	for (int i = 0; match && FcPatternGetString(match, FC_FAMILY, i, &fam) == FcResultMatch; i++)
		if (strcasecmp((const char *)fam, family) == 0)
			found = 1;
	if (pat)
		FcPatternDestroy(pat);
	if (match)
		FcPatternDestroy(match);
	FcConfigDestroy(cfg);
	if (!found)
		return of_error_set(OF_ENOTFOUND,
				    "caption font '%s' not found by fontconfig (install fonts-noto-cjk, or set video.font)",
				    family);
	return 0;
}

int of_video_font_check(const char *family)
{
	return of_font_check(family);
}

double of_font_em_ratio(const char *family)
{
	FcConfig *cfg = FcInitLoadConfigAndFonts();
	FcPattern *pat = cfg ? FcNameParse((const FcChar8 *)family) : NULL, *match = NULL;
	FcResult res;
	FcChar8 *file = NULL;
	int index = 0;
	double ratio = 1.0;
	if (pat) {
		FcPatternAddInteger(pat, FC_WEIGHT, FC_WEIGHT_BOLD); /* the caption style is bold */
		FcConfigSubstitute(cfg, pat, FcMatchPattern);
		FcDefaultSubstitute(pat);
		match = FcFontMatch(cfg, pat, &res);
	}
	FT_Library lib = NULL;
	FT_Face face = NULL;
	if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
	    FcPatternGetInteger(match, FC_INDEX, 0, &index) != FcResultMatch)
		index = 0;
	if (file && FT_Init_FreeType(&lib) == 0 && FT_New_Face(lib, (const char *)file, index, &face) == 0 &&
	    face->units_per_EM > 0) {
		/* libass sizes a face so that OS/2 winAscent + winDescent (else ascender -
		 * descender) span the font size: Noto Sans CJK's em is 1000 / 1448 of it */
		const TT_OS2 *os2 = FT_Get_Sfnt_Table(face, FT_SFNT_OS2);
		double span = os2 && (short)os2->usWinAscent + (short)os2->usWinDescent > 0
				      ? (double)((short)os2->usWinAscent + (short)os2->usWinDescent)
				      : (double)(face->ascender - face->descender);
		if (span > 0)
			ratio = face->units_per_EM / span;
		if (!(ratio >= 0.4 && ratio <= 1.2)) /* an odd font: measure as before */
			ratio = 1.0;
	}
	if (face)
		FT_Done_Face(face);
	if (lib)
		FT_Done_FreeType(lib);
	if (match)
		FcPatternDestroy(match);
	if (pat)
		FcPatternDestroy(pat);
	if (cfg)
		FcConfigDestroy(cfg);
	return ratio;
}

/* ------------------------------------------------------------------ wrapping */

static int no_break_before(int32_t cp)
{
	static const int32_t P[] = {0xFF0C, 0x3002, 0xFF01, 0xFF1F, 0x3001, 0xFF1B, 0xFF1A, 0x300D, 0x300F, 0xFF09,
				    0x300B, 0x201D, 0x2019, 0x3011, 0xFF5E, 0x2026, ',', '.', '!', '?', ';', ':', ')',
				    '%', 0x00B7, 0xFF05};
	for (size_t i = 0; i < sizeof P / sizeof P[0]; i++)
		if (cp == P[i])
			return 1;
	return 0;
}

static int no_break_after(int32_t cp)
{
	static const int32_t P[] = {0xFF08, 0x300A, 0x300C, 0x300E, 0x201C, 0x2018, 0x3010, '(', '#', '@'};
	for (size_t i = 0; i < sizeof P / sizeof P[0]; i++)
		if (cp == P[i])
			return 1;
	return 0;
}

static int is_word(int32_t cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '.' ||
	       cp == '-' || cp == '_' || cp == '+' || cp == '\'';
}

/* Advance of one code point in font sizes: full-width glyphs are 1 em in Noto Sans
 * CJK, Latin about 0.6 (bold); an em is wrap_em of the size. */
static double advance(int32_t cp)
{
	char b[8];
	int n = of_utf8_encode(cp, b);
	return wrap_em * (of_utf8_width(b, (size_t)(n > 0 ? n : 0)) >= 2 ? 1.0 : cp == ' ' ? 0.3 : 0.6);
}

/* A break is allowed before cps[i] unless it splits a word, precedes closing or follows opening punctuation. */
static int can_break(const int32_t *cps, const size_t *at, const unsigned char *word_start, size_t i)
{
	return i > 0 && word_start[at[i]] && !(is_word(cps[i - 1]) && is_word(cps[i])) && !no_break_before(cps[i]) &&
	       !no_break_after(cps[i - 1]);
}

static void put_cps(of_buf *out, const int32_t *cps, size_t from, size_t to)
{
	for (size_t j = from; j < to; j++) {
		char b[8];
		int m = of_utf8_encode(cps[j], b);
		of_buf_append(out, b, (size_t)m);
	}
}

/* In a wrap's cost table: a break after a closing bracket that ends no clause (a
 * date's weekday, 11月16日（周一） / 正式上架), costing a word break, not preferred. */
#define NOT_CLAUSE 255

/* Lays `cps` out in lines no wider than `max_px`, each cut at the allowed break whose
 * width is closest to `target` (breaks after punctuation preferred, breaks inside a noun
 * phrase avoided: `cost` by byte offset, linebreak.h, in glyphs); returns the number of lines. */
static int layout(of_buf *out, const int32_t *cps, const size_t *at, const unsigned char *word_start,
		  const unsigned char *cost, size_t n, double size, double target, double max_px)
{
	size_t line_start = 0;
	int lines = 1;
	while (line_start < n) {
		double w = 0, best_d = 1e300;
		size_t i = line_start, best = 0;
		while (i < n && (i == line_start || w + advance(cps[i]) * size <= max_px)) {
			w += advance(cps[i]) * size;
			i++;
			if (i < n && can_break(cps, at, word_start, i)) {
				/* Breaking after punctuation reads best: worth three glyphs of imbalance. */
				unsigned char c = cost[at[i]];
				double d = fabs(w - target) -
					   (no_break_before(cps[i - 1]) && c != NOT_CLAUSE ? 3 * size : 0) +
					   (c != NOT_CLAUSE ? c : 0) * size;
				if (d < best_d) {
					best_d = d;
					best = i;
				}
			}
		}
		if (i >= n) {
			put_cps(out, cps, line_start, n);
			break;
		}
		/* A word wider than the line is cut where it overflows. */
		size_t cut = best > line_start ? best : i;
		put_cps(out, cps, line_start, cut);
		of_buf_append(out, "\\N", 2);
		lines++;
		line_start = cut;
		while (line_start < n && cps[line_start] == ' ')
			line_start++;
	}
	return lines;
}

char *of_caption_wrap(const char *text, double size, double max_px, const of_segmenter *seg)
{
	size_t len = strlen(text), n = 0;
	int32_t *cps = malloc((len + 1) * sizeof *cps);
	size_t *at = malloc((len + 1) * sizeof *at); /* byte offset of each code point */
	unsigned char *word_start = calloc(len + 2, 1); /* by byte offset: a token starts here */
	unsigned char *cost = calloc(len + 2, 1);       /* by byte offset: of a break there */
	const of_lexicon *lx = NULL;
	double total = 0;
	of_buf out;
	if (!cps || !at || !word_start || !cost || of_lexicon_shared(&lx) < 0) {
		free(cps);
		free(at);
		free(word_start);
		free(cost);
		return NULL;
	}
	/* Word boundaries from the segmenter: a line may only break between words, and
	 * preferably not inside a noun phrase (the script stage's captions break alike). */
	of_token *toks = NULL;
	size_t n_toks = 0;
	if (seg && of_segment(seg, text, len, &toks, &n_toks) == 0) {
		for (size_t t = 0; t < n_toks; t++)
			if (toks[t].offset <= len) {
				word_start[toks[t].offset] = 1;
				int c = t > 0 ? of_linebreak_cost(lx, text, toks, n_toks, t) : 0;
				int32_t pcp = 0;
				if (t > 0 && toks[t - 1].kind == OF_TOKEN_PUNCT)
					of_utf8_next(text + toks[t - 1].offset, toks[t - 1].len, &pcp);
				if (c > OF_BREAK_WORD) /* a verb / its object too: 宝宝一天 / 吃几顿辅食？ */
					cost[toks[t].offset] = (unsigned char)c;
				else if (c == OF_BREAK_WORD && (pcp == 0xFF09 || pcp == ')'))
					cost[toks[t].offset] = NOT_CLAUSE; /* a date's （周一） / 正式上架 */
			}
	} else {
		memset(word_start, 1, len + 1);
	}
	free(toks);
	for (size_t i = 0; i < len;) {
		int32_t cp;
		int k = of_utf8_next(text + i, len - i, &cp);
		if (k <= 0) {
			i++;
			continue;
		}
		at[n] = i;
		i += (size_t)k;
		if (cp == '\n' || cp == '\t')
			cp = ' ';
		cps[n++] = cp;
		total += advance(cp) * size;
	}
	/* Balanced lines (equal widths rather than one full line and a stub); if balancing
	 * would cost an extra line (no allowed break near the target), fill lines greedily. */
	int lines = total <= max_px ? 1 : (int)ceil(total / max_px);
	double target = total / lines + size * 0.5;
	if (target > max_px)
		target = max_px;
	of_buf_init(&out, 64 * 1024);
	/* A phrase is kept whole only when that costs no extra line. */
	unsigned char *no_cost = calloc(len + 2, 1);
	if (!no_cost || layout(&out, cps, at, word_start, cost, n, size, target, max_px) > lines) {
		of_buf_free(&out);
		of_buf_init(&out, 64 * 1024);
		if (no_cost && layout(&out, cps, at, word_start, no_cost, n, size, target, max_px) > lines &&
		    target < max_px) {
			of_buf_free(&out);
			of_buf_init(&out, 64 * 1024);
			layout(&out, cps, at, word_start, no_cost, n, size, max_px, max_px);
		}
	}
	free(no_cost);
	free(cps);
	free(at);
	free(word_start);
	free(cost);
	char *res = of_buf_detach(&out, NULL);
	return res ? res : strdup("");
}

static int title_separator(int32_t cp)
{
	return cp == 0xFF5C /*｜*/ || cp == '|' || cp == 0x00B7 /*·*/ || cp == 0x2022 /*•*/ || cp == 0x30FB /*・*/ ||
	       cp == 0xFF0F /*／*/ || cp == 0x2014 /*—*/;
}

static double text_px(const char *s, size_t len, double size)
{
	double w = 0;
	for (size_t i = 0; i < len;) {
		int32_t cp;
		int k = of_utf8_next(s + i, len - i, &cp);
		if (k <= 0) {
			i++;
			continue;
		}
		w += advance(cp) * size;
		i += (size_t)k;
	}
	return w;
}

/* From `at`, the end of a run of text (in_separators 0: up to the next separator)
 * or of separators and spaces (1); stops at invalid UTF-8. */
static size_t title_scan(const char *t, size_t len, size_t at, int in_separators)
{
	while (at < len) {
		int32_t cp;
		int k = of_utf8_next(t + at, len - at, &cp);
		if (k <= 0 || (in_separators ? !(title_separator(cp) || cp == ' ') : title_separator(cp)))
			break;
		at += (size_t)k;
	}
	return at;
}

/* Appends one packed title line without the separators it ends with, wrapped
 * as a caption if a single part is still too wide. */
static int put_title_line(of_buf *out, const char *line, size_t len, double size, double max_px,
			  const of_segmenter *seg)
{
	while (len) {
		size_t s = len - 1;
		int32_t cp;
		while (s && ((unsigned char)line[s] & 0xC0) == 0x80)
			s--;
		if (of_utf8_next(line + s, len - s, &cp) <= 0 || !(title_separator(cp) || cp == ' '))
			break;
		len = s;
	}
	if (!len)
		return 0;
	char *part = strndup(line, len), *w = part ? of_caption_wrap(part, size, max_px, seg) : NULL;
	free(part);
	if (!w)
		return -1;
	if (of_buf_len(out))
		of_buf_append(out, "\\N", 2);
	of_buf_puts(out, w);
	free(w);
	return 0;
}

char *of_caption_wrap_title(const char *text, double size, double max_px, const of_segmenter *seg)
{
	size_t len = strlen(text);
	if (text_px(text, len, size) <= max_px)
		return of_caption_wrap(text, size, max_px, seg);
	/* A title's separators are where its author put the pauses ("品牌·栏目｜话题"):
	 * break there before breaking inside a phrase. */
	of_buf out, line;
	of_buf_init(&out, 64 * 1024);
	of_buf_init(&line, 64 * 1024);
	size_t i = 0;
	int rc = 0;
	while (i < len && rc == 0) {
		/* next part text[a..e): up to a separator, trimmed of spaces; text[b..sep_end)
		 * is the run of separators and spaces after it */
		size_t a = i, b, sep_end;
		while (a < len && text[a] == ' ')
			a++;
		b = title_scan(text, len, a, 0);
		sep_end = title_scan(text, len, b, 1);
		if (b == sep_end && b < len)
			sep_end = b + 1; /* invalid UTF-8: step over the byte, the caption wrapper skips it */
		size_t e = b;
		while (e > a && text[e - 1] == ' ')
			e--;
		if (e > a) {
			/* the part joins the current line, with the separator between, if both fit */
			if (of_buf_len(&line) &&
			    text_px(of_buf_cstr(&line), of_buf_len(&line), size) + text_px(text + a, e - a, size) > max_px) {
				rc = put_title_line(&out, of_buf_cstr(&line), of_buf_len(&line), size, max_px, seg);
				of_buf_truncate(&line, 0);
			}
			of_buf_append(&line, text + a, sep_end - a);
		}
		i = sep_end > i ? sep_end : i + 1;
	}
	if (rc == 0 && of_buf_len(&line))
		rc = put_title_line(&out, of_buf_cstr(&line), of_buf_len(&line), size, max_px, seg);
	of_buf_free(&line);
	if (rc != 0) {
		of_buf_free(&out);
		return NULL;
	}
	char *res = of_buf_detach(&out, NULL);
	return res ? res : strdup("");
}

/* ------------------------------------------------------------------ ASS script */

/* Pictographs only colour emoji fonts draw (U+1F000.., with the joiners, skin
 * tones, flags' tags and keycaps that build them): libass renders outlines, so
 * with any font installed they come out as empty boxes. BMP symbols (★ ✿ →) are
 * left to fontconfig's fallback, which finds them in outline fonts. */
static int pictograph(int32_t cp)
{
	return (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0x200D || cp == 0xFE0F || cp == 0x20E3 ||
	       (cp >= 0xE0020 && cp <= 0xE007F);
}

static int has_pictograph(const char *s)
{
	size_t len = s ? strlen(s) : 0;
	for (size_t i = 0; i < len;) {
		int32_t cp;
		int k = of_utf8_next(s + i, len - i, &cp);
		if (k <= 0) {
			i++;
			continue;
		}
		if (pictograph(cp))
			return 1;
		i += (size_t)k;
	}
	return 0;
}

/* Text safe inside an ASS event: no override blocks or escapes from the input,
 * no pictographs (see pictograph()). */
void of_render__ass_text(of_buf *b, const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s >= 0xE0) {
			int32_t cp;
			int k = of_utf8_next(s, strlen(s), &cp);
			if (k > 0 && pictograph(cp)) {
				s += k - 1;
				continue;
			}
		}
		if (*s == '{')
			of_buf_append(b, "\xef\xbd\x9b", 3); /* ｛ */
		else if (*s == '}')
			of_buf_append(b, "\xef\xbd\x9d", 3); /* ｝ */
		else if (*s == '\\')
			of_buf_append(b, "\xef\xbc\xbc", 3); /* ＼ */
		else if (*s == '\n' || *s == '\r')
			of_buf_append(b, " ", 1);
		else
			of_buf_append(b, s, 1);
	}
}

static void ass_time(char *out, size_t n, double t)
{
	long cs = lrint(t * 100);
	if (cs < 0)
		cs = 0;
	snprintf(out, n, "%ld:%02ld:%02ld.%02ld", cs / 360000, cs / 6000 % 60, cs / 100 % 60, cs % 100);
}

/* ASS colours are &HAABBGGRR. */
void of_render__ass_header(of_buf *b, int w, int h)
{
	of_buf_printf(b,
		"[Script Info]\nScriptType: v4.00+\nPlayResX: %d\nPlayResY: %d\nWrapStyle: 2\n"
		"ScaledBorderAndShadow: yes\nYCbCr Matrix: TV.709\n\n[V4+ Styles]\n"
		"Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
		"Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, "
		"Alignment, MarginL, MarginR, MarginV, Encoding\n",
		w, h);
}

unsigned long of_render__ass_col(uint32_t rgb, int alpha)
{
	return ((unsigned long)alpha << 24) | ((rgb & 0xFF) << 16) | (rgb & 0xFF00) | ((rgb >> 16) & 0xFF);
}

/* `title`: break at the title's own separators first (of_caption_wrap_title). */
static void wrapped(of_buf *b, const char *text, double size, double max_px, int title)
{
	of_buf esc;
	of_buf_init(&esc, 64 * 1024);
	of_render__ass_text(&esc, text);
	const char *e = of_buf_cstr(&esc);
	char *w = (title ? of_caption_wrap_title : of_caption_wrap)(e ? e : "", size, max_px, wrap_seg);
	if (w)
		of_buf_append(b, w, strlen(w));
	free(w);
	of_buf_free(&esc);
}

/* Lines in a wrapped text (joined with "\\N"; ass_text leaves no other backslash). */
int of_render__wrapped_lines(const char *w)
{
	int n = 1;
	for (const char *p = w; (p = strstr(p, "\\N")) != NULL; p += 2)
		n++;
	return n;
}

/* Keeps the first `max` lines of a wrapped text; the last one kept ends in "…"
 * in place of its last character so the cut shows. */
void of_render__cut_lines(char *w, int max)
{
	char *p = w;
	for (int k = 1; k < max && p; k++)
		if ((p = strstr(p, "\\N")) != NULL)
			p += 2;
	if (!p || !(p = strstr(p, "\\N")))
		return;
	*p = '\0';
	size_t len = (size_t)(p - w), last = len;
	while (last > 0 && ((unsigned char)w[last - 1] & 0xC0) == 0x80)
		last--;
	if (last > 0)
		last--;
	while (last > 0 && ((unsigned char)w[last] & 0xC0) == 0x80)
		last--;
	memcpy(w + last, "\xe2\x80\xa6", 4); /* fits: the cut "\\N" and the line after it were longer */
}

/* One block of a card: its text at `rel` times the card's size. */
typedef struct card_part {
	const char *text;
	double rel;
	int title;    /* wrap at the title's separators */
	const char *prefix; /* override block opening it after a line break; "%.0f" takes its size */
	const char *field;  /* script.json field, for the warning */
	char *wrapped;
	int lines;
	int cut;      /* lost lines to the budget */
} card_part;

/* Sizes a card's blocks to fit `budget` pixels of height: the whole card is set
 * smaller, down to 60 %, and what still does not fit loses lines from its
 * longest block, which ends in "…". libass sets a line's height to its font
 * size. Returns the scale used, or -1 on OOM; `*cut` counts the blocks cut. */
static double fit_card(card_part *p, int n, double size, double line_w, double budget, int *cut)
{
	double k = 1.0;
	*cut = 0;
	for (;; k -= 0.05) {
		double total = 0;
		for (int i = 0; i < n; i++) {
			of_buf esc;
			of_buf_init(&esc, 64 * 1024);
			of_render__ass_text(&esc, p[i].text);
			const char *e = of_buf_cstr(&esc);
			free(p[i].wrapped);
			p[i].wrapped = (p[i].title ? of_caption_wrap_title : of_caption_wrap)(e ? e : "", size * p[i].rel * k,
											 line_w, wrap_seg);
			of_buf_free(&esc);
			if (!p[i].wrapped)
				return -1;
			p[i].lines = of_render__wrapped_lines(p[i].wrapped);
			total += p[i].lines * size * p[i].rel * k;
		}
		if (total <= budget)
			return k;
		if (k > 0.6 + 1e-9)
			continue;
		while (total > budget) {
			int big = -1;
			for (int i = 0; i < n; i++)
				if (p[i].lines > 1 && (big < 0 || p[i].lines * p[i].rel > p[big].lines * p[big].rel))
					big = i;
			if (big < 0)
				break;
			of_render__cut_lines(p[big].wrapped, p[big].lines - 1);
			p[big].lines--;
			if (!p[big].cut++)
				(*cut)++;
			total -= size * p[big].rel * k;
		}
		return k;
	}
}

/* Width of `s` in font-size units, as of_caption_wrap estimates it. */
static double text_units(const char *s)
{
	double total = 0;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		int32_t cp;
		int k = of_utf8_next(s + i, len - i, &cp);
		if (k <= 0) {
			i++;
			continue;
		}
		i += (size_t)k;
		total += advance(cp);
	}
	return total;
}

/* The script pages captions as lines of up to 14 字, which the vertical safe
 * zone fits only below the style's size (66 px: about 12): a line set a little
 * smaller stays the editor's line instead of wrapping into a third and fourth.
 * Never below 80 % of the style's size; past that the line wraps. */
double of_caption_fit_size(const char *const *lines, int n, double size, double line_w)
{
	double need = 0;
	for (int k = 0; k < n && lines[k]; k++) {
		double u = text_units(lines[k]);
		if (u > need)
			need = u;
	}
	if (need <= 0 || need * size <= line_w || need * size * 0.8 > line_w)
		return size;
	return floor(line_w / need);
}

static void event(of_buf *b, double t0, double t1, const char *style, const char *prefix)
{
	char s0[32], s1[32];
	ass_time(s0, sizeof s0, t0);
	ass_time(s1, sizeof s1, t1);
	of_buf_printf(b, "Dialogue: 0,%s,%s,%s,,0,0,0,,%s", s0, s1, style, prefix);
}

/* A card's text lost lines to the frame: say which field, once per field. */
static void warn_cut(const of_rscript *s, size_t *warnings, const char *field, const char *where)
{
	of_log_warn_at(s->path, 0, 0, "%s: too long for %s; shown shortened, ending in \"…\"", field, where);
	(*warnings)++;
}

static char *build_ass(const of_rscript *s, const of_caption_style *st, const char *font, uint32_t brand, int w,
		       int h, char **header, size_t *warnings)
{
	of_buf b;
	of_buf_init(&b, 16 * 1024 * 1024);
	int ml = (int)lrint(st->safe_l), mr = (int)lrint(st->safe_r), mb = (int)lrint(st->safe_b),
	    mt = (int)lrint(st->safe_t);
	double line_w = w - st->safe_l - st->safe_r - 2 * st->outline;
	double pad = 2 * st->outline * 3; /* the brand box's border, above and below */
	int bs = st->box ? 3 : 1;
	of_render__ass_header(&b, w, h);
	of_buf_printf(&b, "Style: Caption,%s,%.0f,&H%08lX,&H%08lX,&H%08lX,&H%08lX,%d,0,0,0,100,100,0,0,%d,%.1f,%.1f,2,%d,%d,%d,1\n",
		font, st->font_size, of_render__ass_col(st->primary, 0), of_render__ass_col(st->primary, 0),
		of_render__ass_col(st->box ? st->box_color : st->outline_color, st->box ? st->box_alpha : 0),
		of_render__ass_col(0, 128), st->bold ? -1 : 0, bs, st->outline, st->shadow, ml, mr, mb);
	/* Title and end card sit on a brand-coloured box so they read over any photo.
	 * The box is opaque: libass draws one box per line and the padded boxes of
	 * adjacent lines overlap, which shows as a darker band when they are translucent. */
	of_buf_printf(&b, "Style: Title,%s,%.0f,&H00FFFFFF,&H00FFFFFF,&H%08lX,&H80000000,-1,0,0,0,100,100,2,0,3,%.1f,0,8,%d,%d,%d,1\n",
		font, st->title_size, of_render__ass_col(brand, 0), st->outline * 3, ml, mr, mt + (int)(h * 0.04));
	of_buf_printf(&b, "Style: Card,%s,%.0f,&H00FFFFFF,&H00FFFFFF,&H%08lX,&H80000000,-1,0,0,0,100,100,2,0,3,%.1f,0,5,%d,%d,0,1\n",
		font, st->title_size * 0.9, of_render__ass_col(brand, 0), st->outline * 3, ml, mr);
	of_buf_printf(&b, "\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n");
	*header = strndup(of_buf_cstr(&b), of_buf_len(&b));

	for (size_t i = 0; i < s->n_scenes; i++) {
		const of_rscene *sc = &s->scenes[i];
		double t0 = sc->start, t1 = sc->start + sc->duration;
		int card = sc->kind == OF_SCENE_CTA && (s->live_title || s->live_cta);
		if (sc->kind == OF_SCENE_HOOK && s->title[0]) {
			/* The hook's title hangs from the top margin and must end above a
			 * two-line caption, with half a line between them. */
			double room = h - st->safe_b - 2.5 * st->font_size - 2 * pad - (mt + (int)(h * 0.04));
			card_part t = {s->title, 1.0, 1, NULL, NULL, NULL, 0, 0};
			int cut = 0;
			double k = fit_card(&t, 1, st->title_size, line_w * 0.95, room, &cut);
			if (k < 0) {
				free(t.wrapped);
				goto oom;
			}
			event(&b, t0, t1, "Title", "{\\fad(300,200)}");
			if (k < 1.0)
				of_buf_printf(&b, "{\\fs%.0f}", st->title_size * k);
			of_buf_append(&b, t.wrapped, strlen(t.wrapped));
			of_buf_append(&b, "\n", 1);
			free(t.wrapped);
			if (cut)
				warn_cut(s, warnings, "title", "the hook's title card");
		}
		if (card) {
			/* The card is centred: it fits between the safe margins when its
			 * height is at most twice the distance from the middle to the nearer one. */
			card_part p[4];
			int n = 0, cut = 0;
			if (s->live_title)
				p[n++] = (card_part){s->live_title, 1.0, 1, NULL, "live.title", 0, 0, 0};
			if (s->live_time)
				p[n++] = (card_part){s->live_time, 0.6 / 0.9, 0, "\\N{\\fs%.0f\\3a&HFF&\\bord0\\shad3}", "live.time_text", 0, 0, 0};
			if (s->live_cta)
				p[n++] = (card_part){s->live_cta, 0.7 / 0.9, 0, "\\N{\\fs%.0f\\3a&H00&\\bord%.1f}", "live.cta", 0, 0, 0};
			if (s->live_platform)
				p[n++] = (card_part){s->live_platform, 0.5 / 0.9, 0, "\\N{\\fs%.0f\\3a&HFF&\\bord0\\shad3}", "live.platform", 0, 0, 0};
			double size = st->title_size * 0.9, gap = 0.3 * size;
			/* a thin blank line between the card's parts, or their boxes touch */
			double room = 2 * fmin(h / 2.0 - st->safe_t, h / 2.0 - st->safe_b) - pad - (n > 1 ? n - 1 : 0) * gap;
			double k = fit_card(p, n, size, line_w, room, &cut);
			if (k >= 0) {
				event(&b, t0, t1, "Card", "{\\fad(300,0)}");
				for (int q = 0; q < n; q++) {
					if (q == 0 && k < 1.0 && !p[q].prefix)
						of_buf_printf(&b, "{\\fs%.0f}", size * p[q].rel * k);
					/* A card without a title must not open on an empty line. */
					if (q > 0)
						of_buf_printf(&b, "\\N{\\fs%.0f\\3a&HFF&\\4a&HFF&\\bord0\\shad0}\\h", gap * k);
					if (p[q].prefix)
						of_buf_printf(&b, p[q].prefix + (q ? 0 : 2), size * p[q].rel * k, st->outline * 3);
					of_buf_append(&b, p[q].wrapped, strlen(p[q].wrapped));
					if (p[q].cut)
						warn_cut(s, warnings, p[q].field, "the live-stream end card");
				}
				of_buf_append(&b, "\n", 1);
			}
			for (int q = 0; q < n; q++)
				free(p[q].wrapped);
			if (k < 0)
				goto oom;
			continue;
		}
		if (!sc->caption[0])
			continue;
		if (has_pictograph(sc->caption[0]) || has_pictograph(sc->caption[1])) {
			of_log_warn_at(s->path, sc->line, 0,
				       "scenes[%zu].caption: emoji cannot be drawn in the burned-in captions (no font "
				       "libass can render has them); left out there, kept in captions.srt",
				       i);
			(*warnings)++;
		}
		event(&b, t0, t1, "Caption", "{\\fad(150,150)}");
		double fs = of_caption_fit_size((const char *const *)sc->caption, 2, st->font_size, line_w);
		if (fs < st->font_size)
			of_buf_printf(&b, "{\\fs%.0f}", fs);
		for (int k = 0; k < 2 && sc->caption[k]; k++) {
			if (k)
				of_buf_append(&b, "\\N", 2);
			wrapped(&b, sc->caption[k], fs, line_w, 0);
		}
		of_buf_append(&b, "\n", 1);
	}
	char *res = of_buf_detach(&b, NULL);
	return res;
oom:
	of_buf_free(&b);
	free(*header);
	*header = NULL;
	return NULL;
}

static void ass_quiet(int level, const char *fmt, va_list va, void *data)
{
	(void)level; (void)fmt; (void)va; (void)data;
}

/* libass over `c->ass` (already built): renderer, fonts, track. */
static int captions_open(of_captions *c, const char *font)
{
	if (!(c->lib = ass_library_init()))
		return of_error_set(OF_EMEDIA, "libass failed to initialise");
	ass_set_message_cb(c->lib, ass_quiet, NULL);
	if (!(c->ren = ass_renderer_init(c->lib)))
		return of_error_set(OF_EMEDIA, "libass renderer failed to initialise");
	ass_set_frame_size(c->ren, c->w, c->h);
	ass_set_storage_size(c->ren, c->w, c->h);
	ass_set_fonts(c->ren, NULL, font, ASS_FONTPROVIDER_FONTCONFIG, NULL, 1);
	if (!(c->track = ass_read_memory(c->lib, c->ass, strlen(c->ass), "UTF-8")))
		return of_error_set(OF_EMEDIA, "libass could not read the caption script");
	return 0;
}

int of_captions_new(of_captions **out, const of_rscript *s, const of_caption_style *st, const char *font,
		    uint32_t brand_rgb, int w, int h, size_t *warnings)
{
	of_captions *c = calloc(1, sizeof *c);
	int rc;
	*out = NULL;
	if (!c)
		return of_error_set_oom();
	c->w = w;
	c->h = h;
	if ((rc = of_font_check(font)) != 0)
		goto fail;
	const of_segmenter *seg = NULL;
	if (of_segmenter_shared(&seg) != 0)
		seg = NULL;
	wrap_seg = seg;
	wrap_em = of_font_em_ratio(font);
	c->ass = build_ass(s, st, font, brand_rgb, w, h, &c->header, warnings);
	wrap_seg = NULL;
	wrap_em = 1.0;
	if (!c->ass || !c->header) {
		rc = of_error_set_oom();
		goto fail;
	}
	if ((rc = captions_open(c, font)) != 0)
		goto fail;
	*out = c;
	return 0;
fail:
	of_captions_free(c);
	return rc;
}

/* The captions of one ASS script built elsewhere (the cover's): libass over `ass`, which it takes. */
int of_render__captions_from_ass(of_captions **out, char *ass, const char *font, int w, int h)
{
	of_captions *c = calloc(1, sizeof *c);
	int rc;
	*out = NULL;
	if (!c) {
		free(ass);
		return of_error_set_oom();
	}
	c->w = w;
	c->h = h;
	c->ass = ass;
	if ((rc = captions_open(c, font)) != 0) {
		of_captions_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void of_render__wrap_setup(const of_segmenter *seg, double em)
{
	wrap_seg = seg;
	wrap_em = em;
}

/* Alpha-blends one libass bitmap (single colour, 8-bit coverage) onto 4:2:0. */
static void blend_image(of_yuv *f, const ASS_Image *im)
{
	uint32_t col = im->color;
	int op = 255 - (int)(col & 0xFF);
	uint8_t cy, cu, cv;
	if (op <= 0)
		return;
	of_rgb_to_yuv709((int)(col >> 24), (int)(col >> 16) & 255, (int)(col >> 8) & 255, &cy, &cu, &cv);
	int x0 = im->dst_x, y0 = im->dst_y, w = im->w, h = im->h;
	for (int y = 0; y < h; y++) {
		int fy = y0 + y;
		if (fy < 0 || fy >= f->h)
			continue;
		uint8_t *row = f->plane[0] + (size_t)fy * f->stride[0];
		const uint8_t *bm = im->bitmap + (size_t)y * im->stride;
		for (int x = 0; x < w; x++) {
			int fx = x0 + x;
			if (fx < 0 || fx >= f->w || !bm[x])
				continue;
			int k = bm[x] * op; /* 0..65025 */
			row[fx] = (uint8_t)((row[fx] * (65025 - k) + cy * k + 32512) / 65025);
		}
	}
	/* Chroma: coverage averaged over each 2x2 block. */
	for (int cyy = (y0 >= 0 ? y0 : 0) / 2; cyy <= (y0 + h - 1) / 2 && cyy < f->h / 2; cyy++) {
		uint8_t *ru = f->plane[1] + (size_t)cyy * f->stride[1], *rv = f->plane[2] + (size_t)cyy * f->stride[2];
		for (int cx = (x0 >= 0 ? x0 : 0) / 2; cx <= (x0 + w - 1) / 2 && cx < f->w / 2; cx++) {
			int sum = 0;
			for (int dy = 0; dy < 2; dy++)
				for (int dx = 0; dx < 2; dx++) {
					int by = cyy * 2 + dy - y0, bx = cx * 2 + dx - x0;
					if (by >= 0 && by < h && bx >= 0 && bx < w)
						sum += im->bitmap[(size_t)by * im->stride + bx];
				}
			if (!sum)
				continue;
			int k = (sum / 4) * op;
			ru[cx] = (uint8_t)((ru[cx] * (65025 - k) + cu * k + 32512) / 65025);
			rv[cx] = (uint8_t)((rv[cx] * (65025 - k) + cv * k + 32512) / 65025);
		}
	}
}

void of_captions_draw(of_captions *c, of_yuv *f, long long ms)
{
	int changed = 0;
	ASS_Image *im = ass_render_frame(c->ren, c->track, ms, &changed);
	for (; im; im = im->next)
		blend_image(f, im);
}

const char *of_captions_ass(const of_captions *c)
{
	return c->ass;
}

const char *of_captions_header(const of_captions *c)
{
	return c->header;
}

void of_captions_free(of_captions *c)
{
	if (!c)
		return;
	if (c->track)
		ass_free_track(c->track);
	if (c->ren)
		ass_renderer_done(c->ren);
	if (c->lib)
		ass_library_done(c->lib);
	free(c->ass);
	free(c->header);
	free(c);
}
