/* render_int.h — private to stages/render/: the storyboard model and the
 * renderer's modules (image decode, scene canvas + Ken Burns, transitions,
 * captions, encoder/muxer, audio timeline, cover). */
#ifndef ONEFISH_RENDER_INT_H
#define ONEFISH_RENDER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "onefish/limits.h"
#include "onefish/render.h"

#include <jansson.h>

/* ------------------------------------------------------------------ model */

typedef enum { OF_MOTION_NONE, OF_MOTION_ZOOM_IN, OF_MOTION_ZOOM_OUT, OF_MOTION_PAN_LEFT,
	       OF_MOTION_PAN_RIGHT, OF_MOTION_PAN } of_motion_type;

typedef enum { OF_TRANS_CUT, OF_TRANS_CROSSFADE, OF_TRANS_FADE, OF_TRANS_SLIDE, OF_TRANS_WIPE } of_trans_type;

typedef enum { OF_SCENE_HOOK, OF_SCENE_BODY, OF_SCENE_CTA } of_scene_kind;

/** One scene; strings owned by the of_rscript. */
typedef struct of_rscene {
	char *id;
	of_scene_kind kind;
	double start, duration; /**< seconds (start recomputed from durations) */
	char *narration;        /**< may be "" */
	char *caption[2];       /**< NULL when absent */
	char *image;            /**< as written (relative to the script folder), NULL when absent */
	of_motion_type motion;
	double zoom_from, zoom_to; /**< >= 1 */
	double pan_x, pan_y;       /**< 0..1, the point the move drifts towards */
	of_trans_type trans;       /**< how this scene enters from the previous one */
	double trans_dur;          /**< seconds */
	unsigned long line;        /**< line of the scene in script.json (for messages) */
} of_rscene;

/** A validated storyboard. Free with of_rscript_free(). */
typedef struct of_rscript {
	char *path;  /**< script.json as given */
	char *dir;   /**< its folder: images resolve inside it */
	char *title; /**< "" when absent */
	char *format; /**< vertical|landscape|square as the storyboard says, NULL when absent */
	char *live_title, *live_time, *live_cta, *live_platform; /**< NULL when absent */
	char *brand_name, *brand_color;
	double duration; /**< sum of scene durations */
	double fps;      /**< the storyboard's frame rate ("fps"), 0 when absent: scene durations are
			  *   whole frames of it (see script_load.c, frame_exact) */
	double speech_rate; /**< the storyboard's "speech_rate", 字/s the narration was sized for
			     *   and is spoken at; 0 when absent (the voice's default pace) */
	of_rscene *scenes;
	size_t n_scenes;
} of_rscript;

/** Longest caption line and narration, in code points (the script stage keeps lines ≤ 14 字). */
#define OF_RENDER_MAX_CAPTION_CHARS 60
#define OF_RENDER_MAX_NARRATION_CHARS OF_MAX_NARRATION_CHARS
#define OF_RENDER_MAX_TITLE_CHARS 120
/** Shortest scene: one frame at 30 fps would flash; 0.2 s is the least a viewer can read. */
#define OF_RENDER_MIN_SCENE_S 0.2

/**
 * Loads and strictly validates script.json. Errors name the field:
 * `script.json:LINE: scenes[3].duration: must be > 0`.
 * @return 0, OF_EINVALID, OF_ELIMIT, OF_ENOTFOUND.
 */
int of_rscript_load(of_rscript **out, const char *path);

/** Same from memory (`origin` names it in errors; `dir` is where images resolve). */
int of_rscript_parse(of_rscript **out, const char *data, size_t len, const char *origin, const char *dir);

/** Same from a parsed document (borrowed). */
int of_rscript_from_json(of_rscript **out, const json_t *root, const char *origin, const char *dir);

void of_rscript_free(of_rscript *s);

/** Recomputes starts and the total from the durations. */
void of_rscript_retime(of_rscript *s);

/* ------------------------------------------------------------------ images */

/** An 8-bit RGBA picture, rows packed (stride = 4*w). Owned; free with of_rimage_free(). */
typedef struct of_rimage {
	int w, h;
	uint8_t *rgba;
} of_rimage;

/**
 * Decodes the first frame of an image file safely: the bytes are read by us
 * (regular file, size cap), the demuxer is chosen by content among
 * JPEG/PNG/WebP/GIF/BMP, the decoder has `max_pixels` set, EXIF orientation is
 * applied, alpha is composited over white. The name is never a URL or pattern.
 * When `box_w`/`box_h` are > 0 the picture is shrunk (never enlarged) to the
 * smallest size that still covers that box (`cover`) or fits it, in the same
 * conversion pass; large JPEGs are decoded at a reduced scale (lowres) for it.
 * @return 0, OF_ENOTFOUND, OF_EINVALID (not an image: names the detected type),
 *         OF_ELIMIT (too many pixels or bytes), OF_EMEDIA (decode failure).
 */
int of_rimage_load(of_rimage **out, const char *path, long long max_pixels, int box_w, int box_h, int cover);

/** Same from memory (`name` for messages). */
int of_rimage_decode(of_rimage **out, const uint8_t *data, size_t len, const char *name, long long max_pixels,
		     int box_w, int box_h, int cover);

void of_rimage_free(of_rimage *im);

/* ------------------------------------------------------------------ frames */

/** A planar YUV 4:2:0 frame (BT.709, limited range). Owned by whoever made it. */
typedef struct of_yuv {
	int w, h;          /**< luma size (even) */
	int stride[3];
	uint8_t *plane[3];
} of_yuv;

int of_yuv_alloc(of_yuv *f, int w, int h);
void of_yuv_release(of_yuv *f);
void of_yuv_fill(of_yuv *f, uint8_t y, uint8_t u, uint8_t v);

/** Converts sRGB 8-bit to BT.709 limited-range Y'CbCr. */
void of_rgb_to_yuv709(int r, int g, int b, uint8_t *y, uint8_t *u, uint8_t *v);

/** How a scene's picture fills the frame. */
typedef enum { OF_FILL_BLUR, OF_FILL_COVER } of_fill_mode;

/**
 * A scene's canvas: the frame composed once at `zoom` × the frame size
 * (blurred/darkened fill or cover crop), in YUV 4:2:0. Ken Burns frames are
 * resampled from it. Free with of_canvas_release().
 */
typedef struct of_canvas {
	of_yuv pic;
	double zoom; /**< canvas size / frame size */
} of_canvas;

/**
 * Builds the canvas of `im` for a `fw`×`fh` frame (im NULL: a brand-colour
 * gradient placeholder from `rgb`).
 * @return 0, OF_ENOMEM, OF_EMEDIA.
 */
int of_canvas_build(of_canvas *c, const of_rimage *im, int fw, int fh, double zoom, of_fill_mode fill,
		    uint32_t rgb);
void of_canvas_release(of_canvas *c);

/** The view of the canvas at one instant: a window of 1/scale of the frame centred at (cx, cy) (0..1). */
typedef struct of_view {
	double scale, cx, cy;
} of_view;

/** The view of `sc` at progress `t` in [0, 1] (linear motion, window kept inside the picture). */
of_view of_motion_view(const of_rscene *sc, double t);

/** Largest zoom a scene's motion needs (canvas size factor). */
double of_motion_max_zoom(const of_rscene *sc);

/**
 * Resamples the canvas into `dst` for `view`: separable bilinear sampling at
 * sub-pixel positions (1/256 pixel), so slow zooms move smoothly.
 */
void of_kenburns(of_yuv *dst, const of_canvas *c, of_view view);

/** Scratch rows the resampler needs (reused per frame); free with of_kb_scratch_free(). */
void of_kb_scratch_free(void);

/**
 * Composes the transition into `dst` from `a` (outgoing) and `b` (incoming)
 * at progress `p` in [0, 1]. `a` may be NULL for "from black".
 */
void of_transition(of_yuv *dst, const of_yuv *a, const of_yuv *b, of_trans_type type, double p);

/* ------------------------------------------------------------------ captions */

typedef struct of_captions of_captions;

/** Caption style (from assets/styles/captions.json) for one frame size. */
typedef struct of_caption_style {
	double font_size;   /**< px */
	double title_size;  /**< px */
	double outline, shadow;
	int box, bold;
	uint32_t primary, outline_color, box_color; /**< 0xRRGGBB */
	int box_alpha;      /**< 0 opaque .. 255 clear */
	double safe_l, safe_r, safe_t, safe_b; /**< margins in px */
} of_caption_style;

/**
 * Loads the style file for `preset` and scales it to `w`×`h`.
 * @return 0, OF_ENOTFOUND, OF_EINVALID.
 */
int of_caption_style_load(of_caption_style *st, const char *style_path, const char *preset, int w, int h);

/**
 * Checks fontconfig knows `family` (exactly, not a fallback).
 * @return 0 or OF_ENOTFOUND naming the font and the package to install.
 */
int of_font_check(const char *family);

/**
 * The em of `family` (bold) as a fraction of the font size libass sets it at:
 * libass makes OS/2 winAscent + winDescent span the size, so a Noto Sans CJK
 * glyph is 0.69 of it wide. 1.0 when the font cannot be read.
 */
double of_font_em_ratio(const char *family);

/**
 * Builds the ASS script of the whole video (captions per scene, a title card
 * on the hook, the live-stream end card) and a libass renderer for it.
 * A title or card too long for the frame is set smaller and then shortened
 * (ending in "…"), with a warning per field added to `*warnings`.
 * Free with of_captions_free().
 * @return 0, OF_ENOTFOUND (font), OF_EMEDIA (libass), OF_ENOMEM.
 */
int of_captions_new(of_captions **out, const of_rscript *s, const of_caption_style *st, const char *font,
		    uint32_t brand_rgb, int w, int h, size_t *warnings);

/**
 * The cover's text as a libass renderer for one still (drawn at 0 ms): the hook
 * scene's caption (else its narration, else the title) in big type (160 px at
 * 1080, down to 75 % so it takes at most 3 lines; past that shortened with "…"
 * and a warning) on a dark, nearly opaque panel with a brand-colour bar, centred
 * a little above the middle of the frame's central 3:4 (what WeChat Channels'
 * feed shows of a 9:16 cover), 7 % side margins; the title as a small tag above it.
 * Free with of_captions_free().
 * @return 0, OF_EMEDIA (libass), OF_ENOMEM.
 */
int of_captions_new_cover(of_captions **out, const of_rscript *s, const char *font, uint32_t brand_rgb, int w, int h,
			  size_t *warnings);

/* Cross-file internals of captions.c, for cover.c. */
struct of_buf;
struct of_segmenter;
/** Appends `s` made safe for an ASS event (no override blocks or escapes, no pictographs). */
void of_render__ass_text(struct of_buf *b, const char *s);
/** Appends an ASS script's [Script Info] for a `w`×`h` frame and the [V4+ Styles] Format line. */
void of_render__ass_header(struct of_buf *b, int w, int h);
/** 0xRRGGBB and an alpha (0 opaque) as an ASS colour, &HAABBGGRR. */
unsigned long of_render__ass_col(uint32_t rgb, int alpha);
/** Lines of a wrapped text (joined with "\N"). */
int of_render__wrapped_lines(const char *w);
/** Keeps the first `max` lines of a wrapped text, the last ending in "…". */
void of_render__cut_lines(char *w, int max);
/** Sets the segmenter and the font's em that of_caption_wrap uses in this thread (NULL, 1.0 to reset). */
void of_render__wrap_setup(const struct of_segmenter *seg, double em);
/** A libass renderer over `ass` (taken: freed with it, or on failure). @return 0, OF_EMEDIA, OF_ENOMEM. */
int of_render__captions_from_ass(of_captions **out, char *ass, const char *font, int w, int h);

/** Blends the captions at `ms` onto `f` (libass re-renders only when they change). */
void of_captions_draw(of_captions *c, of_yuv *f, long long ms);

/** The whole ASS script (header + events), owned by `c`. */
const char *of_captions_ass(const of_captions *c);

/** The ASS header (for the mov_text encoder), owned by `c`. */
const char *of_captions_header(const of_captions *c);

void of_captions_free(of_captions *c);

struct of_segmenter;

/**
 * Breaks `text` into balanced lines of at most `max_px` wide for a font of
 * `size` px, estimating each glyph's advance (CJK full width, Latin about
 * 0.6 em): only between words when `seg` (borrowed, may be NULL) is given,
 * never inside a Latin word or number, never before closing or after opening
 * punctuation (a word wider than a line is cut). Lines are joined with "\N".
 * Caller frees with free(). NULL on OOM.
 */
char *of_caption_wrap(const char *text, double size, double max_px, const struct of_segmenter *seg);

/**
 * Like of_caption_wrap, for a title: when it needs more than one line it is
 * broken at its own separators first (｜ | · • ・ ／ —, dropped at a line's
 * end; parts that fit together share a line), and each part is then wrapped
 * as a caption. "暖暖育儿说·本周精选｜米粉、辅食、直播" → "暖暖育儿说\N本周精选\N米粉、辅食、直播".
 * Caller frees with free(). NULL on OOM.
 */
char *of_caption_wrap_title(const char *text, double size, double max_px, const struct of_segmenter *seg);

/**
 * The font size at which each of the first `n` caption lines (NULL ends them
 * early) fits `line_w` pixels on one line: `size` when they already do, else
 * smaller, but never below 80 % of `size` (then `size`: the lines wrap).
 */
double of_caption_fit_size(const char *const *lines, int n, double size, double line_w);

/* ------------------------------------------------------------------ cues */

/** One subtitle cue of the video: what a scene's caption says and when (final timeline). */
typedef struct of_cue {
	long start_ms, end_ms;
	char *text; /**< plain text, lines joined with '\n', no braces, tabs or CRs */
} of_cue;

/**
 * The cues of `s` after its timeline was adjusted: each scene's caption lines (the
 * end card's live.cta when it has none), scenes without text left out. Caller frees
 * `*out` with of_cues_free(). @return 0 or OF_ENOMEM.
 */
int of_cues_build(const of_rscript *s, of_cue **out, size_t *n_out);
void of_cues_free(of_cue *c, size_t n);

/**
 * Writes `out_dir`/captions.srt and captions.vtt (UTF-8, no BOM), each atomically: the
 * same cues as the video's mov_text track. Not named video.*: players (mpv, VLC,
 * PotPlayer) load a subtitle file named like the video and would draw the captions
 * a second time over the burned-in ones. @return 0, OF_ENOMEM, OF_ERROR (I/O).
 */
int of_cues_write(const of_cue *c, size_t n, const char *out_dir);

/* ------------------------------------------------------------------ encoder */

typedef struct of_encoder of_encoder;

typedef struct of_encoder_params {
	int w, h, fps, crf, threads;
	const char *x264_preset;
	int sample_rate;            /**< 48000 */
	const char *title;
	const char *subtitle_header; /**< ASS header, NULL = no subtitle track */
} of_encoder_params;

/**
 * Opens `path` (a literal local file) as MP4 with H.264 video, AAC stereo and
 * an optional mov_text track; +faststart, bit-exact (no dates, fixed threads).
 * Free with of_encoder_close() or of_encoder_abort().
 * @return 0, OF_ERROR (cannot write), OF_EMEDIA (codec missing).
 */
int of_encoder_open(of_encoder **out, const char *path, const of_encoder_params *p);

/** Encodes one video frame (frames numbered from 0 implicitly). */
int of_encoder_video(of_encoder *e, const of_yuv *f);

/** Encodes interleaved 16-bit stereo audio (any amount; converted by libswresample, buffered into AAC frames). */
int of_encoder_audio(of_encoder *e, const int16_t *samples, size_t n_frames);

/** Adds one subtitle cue (ASS dialogue text with \N breaks) from `start_ms` for `dur_ms` milliseconds
 *  (mov_text counts milliseconds: whole ones keep the track equal to captions.srt). */
int of_encoder_subtitle(of_encoder *e, const char *text, long start_ms, long dur_ms);

/** Flushes everything, writes the trailer (faststart) and frees. */
int of_encoder_close(of_encoder *e);

/** Frees without finishing. Accepts NULL. */
void of_encoder_abort(of_encoder *e);

/**
 * Encodes `f` as a JPEG (full range) into a malloc'd buffer (caller frees with free()).
 * @return 0, OF_EMEDIA, OF_ENOMEM.
 */
int of_jpeg_encode(uint8_t **out, size_t *len, const of_yuv *f, int quality);

/* ------------------------------------------------------------------ ffmpeg logging */

/** Routes libav* logging into a thread-local "last message" (the library never prints). */
void of_av_log_capture(void);

/** The first error-level message libav* logged on this thread since the last clear ("" if none). */
const char *of_av_last_message(void);

/** Clears it. */
void of_av_clear_message(void);

/** Parses "#RRGGBB" into 0xRRGGBB. Returns 0, or -1 when malformed (caller keeps its default). */
int of_render__parse_rgb(const char *s, uint32_t *out);

/* ------------------------------------------------------------------ brand background */

/** Contrast (WCAG 2) white captions keep on the lighter end of a derived brand background. */
#define OF_BRAND_BG_CONTRAST 4.5
/** The darker end, in percent of the lighter one (per channel). */
#define OF_BRAND_BG_BOTTOM 60

/** WCAG 2 contrast ratio of white text on the sRGB colour 0xRRGGBB (1..21). */
double of_render__contrast_white(uint32_t rgb);

/**
 * The two ends of the brand background's vertical gradient for the brand colour `rgb`:
 * `*top` is `rgb` itself, or `rgb` darkened (same hue) until white reads on it at
 * OF_BRAND_BG_CONTRAST; `*bottom` is `*top` darkened to OF_BRAND_BG_BOTTOM percent.
 */
void of_render__brand_gradient(uint32_t *top, uint32_t *bottom, uint32_t rgb);

#endif
