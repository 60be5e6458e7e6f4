/* cover.c — cover.jpg's text: the hook in big type on a dark panel, for a feed that
 * shows the cover at a quarter of its size and WeChat Channels' 3:4 crop of it (see
 * of_captions_new_cover in render_int.h and docs/video.md, "Cover"). */
#include "render_int.h"

#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/log.h"
#include "onefish/segment.h"
#include "onefish/utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The text the cover sells: the hook's caption (its question or number), else its
 * narration, else the title. Malloc'd, NULL on OOM. */
static const of_rscene *cover_scene(const of_rscript *s)
{
	for (size_t i = 0; i < s->n_scenes; i++)
		if (s->scenes[i].kind == OF_SCENE_HOOK)
			return &s->scenes[i];
	return s->n_scenes ? &s->scenes[0] : NULL;
}

static char *cover_hook(const of_rscript *s)
{
	const of_rscene *hook = cover_scene(s);
	of_buf b;
	of_buf_init(&b, 64 * 1024);
	if (hook && hook->caption[0]) {
		of_buf_puts(&b, hook->caption[0]);
		if (hook->caption[1])
			of_buf_puts(&b, hook->caption[1]);
	} else if (hook && hook->narration && hook->narration[0]) {
		of_buf_puts(&b, hook->narration);
	} else {
		of_buf_puts(&b, s->title);
	}
	char *r = of_buf_detach(&b, NULL);
	return r ? r : strdup("");
}

/* A filled rectangle as an ASS drawing event (layer 0, no border). */
static void ass_rect(of_buf *b, double x0, double y0, double x1, double y1, uint32_t rgb, int alpha)
{
	of_buf_printf(b, "Dialogue: 0,0:00:00.00,0:00:10.00,Panel,,0,0,0,,{\\an7\\pos(0,0)\\1c&H%06lX&\\1a&H%02X&\\p1}"
			 "m %.0f %.0f l %.0f %.0f %.0f %.0f %.0f %.0f{\\p0}\n",
		      of_render__ass_col(rgb, 0) & 0xFFFFFF, alpha, x0, y0, x1, y0, x1, y1, x0, y1);
}

/* The cover's ASS script (see of_captions_new_cover). NULL on OOM. */
static char *build_cover_ass(const of_rscript *s, const of_segmenter *seg, const char *font, uint32_t brand, int w,
			     int h, size_t *warnings)
{
	double k = (w < h ? w : h) / 1080.0;
	/* What the feed shows: WeChat Channels crops a 9:16 cover to its middle 3:4. */
	double vis_h = h * 3 > w * 4 ? w * 4.0 / 3.0 : h, vis_top = (h - vis_h) / 2;
	double mx = 0.07 * w, pad_x = 0.045 * w, line_w = w - 2 * mx - 2 * pad_x;
	double size0 = 160 * k, size = size0;
	char *hook = cover_hook(s), *txt = NULL;
	of_buf b, esc;
	int lines = 0;
	if (!hook)
		return NULL;
	of_buf_init(&esc, 64 * 1024);
	of_render__ass_text(&esc, hook);
	free(hook);
	/* A two-line caption keeps its own lines (宝宝6个月了 / 第一口辅食到底吃什么？), each
	 * wrapped on its own, when that takes at most 3 lines at a size down to 75 %. */
	const of_rscene *hs = cover_scene(s);
	if (hs && hs->caption[0] && hs->caption[1]) {
		for (size = size0; size >= 0.75 * size0 - 1e-6 && !txt; size -= 0.05 * size0) {
			of_buf two;
			of_buf_init(&two, 64 * 1024);
			for (int q = 0; q < 2; q++) {
				of_buf e1;
				of_buf_init(&e1, 64 * 1024);
				of_render__ass_text(&e1, hs->caption[q]);
				char *w1 = of_caption_wrap(of_buf_cstr(&e1) ? of_buf_cstr(&e1) : "", size, line_w, seg);
				of_buf_free(&e1);
				if (w1 && q)
					of_buf_append(&two, "\\N", 2);
				if (w1)
					of_buf_puts(&two, w1);
				free(w1);
			}
			char *t2 = of_buf_detach(&two, NULL);
			if (t2 && of_render__wrapped_lines(t2) <= 3) {
				txt = t2;
				lines = of_render__wrapped_lines(t2);
				break;
			}
			free(t2);
		}
	}
	/* Big type: the largest size, down to 75 %, at which the hook takes at most 3 lines;
	 * too long even then, its first sentences that do ("宝宝6个月了，第一口辅食到底吃什么？"
	 * of a hook that goes on asking); else the whole hook, cut below. */
	const char *e = of_buf_cstr(&esc) ? of_buf_cstr(&esc) : "";
	for (size_t cut = txt ? 0 : strlen(e), whole = cut; cut > 0; cut--) {
		int32_t cp = 0;
		if (cut < whole && (((unsigned char)e[cut] & 0xC0) == 0x80 || cut < 3 ||
				    of_utf8_next(e + cut - 3, 3, &cp) != 3 || !(cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F)))
			continue;
		char *part = strndup(e, cut);
		if (!part)
			break;
		for (size = size0;; size -= 0.05 * size0) {
			char *w2 = of_caption_wrap(part, size, line_w, seg);
			if (!w2)
				break;
			int n = of_render__wrapped_lines(w2);
			if (n <= 3 || (cut == whole && size <= 0.75 * size0 + 1e-6 && !txt)) {
				/* keep the whole hook at the smallest size in case no sentence fits */
				free(txt);
				txt = w2;
				lines = n;
			} else {
				free(w2);
			}
			if (n <= 3 || size <= 0.75 * size0 + 1e-6)
				break;
		}
		free(part);
		if (txt && lines <= 3)
			break;
	}
	if (!*e && !txt)
		txt = strdup(""); /* nothing to say: no panel */
	of_buf_free(&esc);
	if (!txt)
		return NULL;
	if (lines > 3) {
		of_render__cut_lines(txt, 3);
		lines = 3;
		of_log_warn_at(s->path, 0, 0, "the hook is too long for the cover's 3 lines; shown shortened, ending in \"…\"");
		(*warnings)++;
	}
	/* The panel: dark, nearly opaque, the text's full width, centred a little above the
	 * middle of the visible 3:4 (the feed's title and likes cover its bottom), with the
	 * brand colour as a bar along its top. */
	double pad_y = 0.38 * size, ph = lines * size + 2 * pad_y;
	double cy = vis_top + vis_h * 0.46;
	double y0 = cy - ph / 2, y1 = cy + ph / 2, bar = 0.014 * h;
	of_buf_init(&b, 1024 * 1024);
	of_render__ass_header(&b, w, h);
	of_buf_printf(&b, "Style: Panel,%s,20,&H00000000,&H00000000,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,0,0,7,0,0,0,1\n", font);
	of_buf_printf(&b, "Style: Hook,%s,%.0f,&H00FFFFFF,&H00FFFFFF,&H00101010,&H00000000,-1,0,0,0,100,100,%.1f,0,1,%.1f,0,5,0,0,0,1\n",
		      font, size, 0.02 * size, 0.035 * size);
	of_buf_printf(&b, "Style: Tag,%s,%.0f,&H00FFFFFF,&H00FFFFFF,&H%08lX,&H00000000,-1,0,0,0,100,100,1,0,3,%.1f,0,2,0,0,0,1\n",
		      font, 60 * k, of_render__ass_col(brand, 0), 14 * k);
	of_buf_printf(&b, "\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n");
	if (lines > 0) {
		ass_rect(&b, mx, y0, w - mx, y1, 0x101010, 0x1A);
		ass_rect(&b, mx, y0 - bar, w - mx, y0, brand, 0);
		of_buf_printf(&b, "Dialogue: 1,0:00:00.00,0:00:10.00,Hook,,0,0,0,,{\\an5\\pos(%.0f,%.0f)}%s\n", w / 2.0, cy,
			      txt);
	}
	free(txt);
	/* The series (the storyboard title) as a small tag above the panel, one line. */
	if (s->title[0]) {
		of_buf e1;
		of_buf_init(&e1, 64 * 1024);
		of_render__ass_text(&e1, s->title);
		char *t = of_caption_wrap_title(of_buf_cstr(&e1) ? of_buf_cstr(&e1) : "", 60 * k, w - 2 * mx - 30 * k, seg);
		of_buf_free(&e1);
		if (!t) {
			of_buf_free(&b);
			return NULL;
		}
		if (of_render__wrapped_lines(t) > 1)
			of_render__cut_lines(t, 1);
		of_buf_printf(&b, "Dialogue: 1,0:00:00.00,0:00:10.00,Tag,,0,0,0,,{\\an2\\pos(%.0f,%.0f)}%s\n", w / 2.0,
			      y0 - bar - 36 * k, t);
		free(t);
	}
	return of_buf_detach(&b, NULL);
}

int of_captions_new_cover(of_captions **out, const of_rscript *s, const char *font, uint32_t brand_rgb, int w, int h,
			  size_t *warnings)
{
	const of_segmenter *seg = NULL;
	char *ass;
	*out = NULL;
	if (of_segmenter_shared(&seg) != 0)
		seg = NULL;
	/* of_caption_wrap measures glyphs in this font's em */
	of_render__wrap_setup(seg, of_font_em_ratio(font));
	ass = build_cover_ass(s, seg, font, brand_rgb, w, h, warnings);
	of_render__wrap_setup(NULL, 1.0);
	if (!ass)
		return of_error_set_oom();
	return of_render__captions_from_ass(out, ass, font, w, h);
}
