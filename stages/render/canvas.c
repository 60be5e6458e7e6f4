/* canvas.c — YUV frames and each scene's canvas: the photo fitted into the
 * frame over a blurred, darkened copy of itself (or cover-cropped), composed
 * once per scene at the motion's largest zoom so Ken Burns only resamples. */
#include "render_int.h"

#include "onefish/error.h"

#include <libavutil/pixfmt.h>
#include <libswscale/swscale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int of_yuv_alloc(of_yuv *f, int w, int h)
{
	memset(f, 0, sizeof *f);
	w = (w + 1) & ~1;
	h = (h + 1) & ~1;
	f->w = w;
	f->h = h;
	/* Strides padded to 64 bytes (SIMD-friendly) and a spare row for the bilinear +1 tap. */
	f->stride[0] = (w + 63) & ~63;
	f->stride[1] = f->stride[2] = (w / 2 + 63) & ~63;
	size_t n0 = (size_t)f->stride[0] * (h + 1), n1 = (size_t)f->stride[1] * (h / 2 + 1);
	uint8_t *mem = aligned_alloc(64, n0 + 2 * n1);
	if (!mem)
		return of_error_set_oom();
	/* Zeroed: the stride padding is never drawn, and encoders may read it (x264 does): it must not be garbage. */
	memset(mem, 0, n0 + 2 * n1);
	f->plane[0] = mem;
	f->plane[1] = mem + n0;
	f->plane[2] = mem + n0 + n1;
	return 0;
}

void of_yuv_release(of_yuv *f)
{
	if (f && f->plane[0])
		free(f->plane[0]);
	if (f)
		memset(f, 0, sizeof *f);
}

void of_yuv_fill(of_yuv *f, uint8_t y, uint8_t u, uint8_t v)
{
	for (int r = 0; r < f->h; r++)
		memset(f->plane[0] + (size_t)r * f->stride[0], y, (size_t)f->w);
	for (int r = 0; r < f->h / 2; r++) {
		memset(f->plane[1] + (size_t)r * f->stride[1], u, (size_t)f->w / 2);
		memset(f->plane[2] + (size_t)r * f->stride[2], v, (size_t)f->w / 2);
	}
}

void of_rgb_to_yuv709(int r, int g, int b, uint8_t *y, uint8_t *u, uint8_t *v)
{
	double R = r / 255.0, G = g / 255.0, B = b / 255.0;
	double Y = 0.2126 * R + 0.7152 * G + 0.0722 * B;
	double Cb = (B - Y) / 1.8556, Cr = (R - Y) / 1.5748;
	*y = (uint8_t)lrint(16 + 219 * Y);
	*u = (uint8_t)lrint(128 + 224 * Cb);
	*v = (uint8_t)lrint(128 + 224 * Cr);
}

/* Scales a rectangle of an RGBA picture into a rectangle of another (packed RGBA). */
static int scale_rgba(const uint8_t *src, int sstride, int sw, int sh, uint8_t *dst, int dstride, int dw, int dh,
		      int flags)
{
	struct SwsContext *s = sws_getContext(sw, sh, AV_PIX_FMT_RGBA, dw, dh, AV_PIX_FMT_RGBA,
					      flags | SWS_ACCURATE_RND | SWS_BITEXACT, NULL, NULL, NULL);
	if (!s)
		return of_error_set(OF_EMEDIA, "cannot scale %dx%d to %dx%d", sw, sh, dw, dh);
	const uint8_t *sp[4] = {src, NULL, NULL, NULL};
	int ss[4] = {sstride, 0, 0, 0};
	uint8_t *dp[4] = {dst, NULL, NULL, NULL};
	int ds[4] = {dstride, 0, 0, 0};
	sws_scale(s, sp, ss, 0, sh, dp, ds);
	sws_freeContext(s);
	return 0;
}

/* Cover-crops `im` to aspect dw:dh and scales it into dst. */
static int cover_into(const of_rimage *im, uint8_t *dst, int dstride, int dw, int dh, int flags)
{
	double target = (double)dw / dh, have = (double)im->w / im->h;
	int cw = im->w, ch = im->h, x0 = 0, y0 = 0;
	if (have > target) {
		cw = (int)lrint(im->h * target);
		if (cw < 1)
			cw = 1;
		x0 = (im->w - cw) / 2;
	} else {
		ch = (int)lrint(im->w / target);
		if (ch < 1)
			ch = 1;
		y0 = (im->h - ch) / 2;
	}
	return scale_rgba(im->rgba + (size_t)y0 * im->w * 4 + (size_t)x0 * 4, im->w * 4, cw, ch, dst, dstride, dw, dh,
			  flags);
}

/* Three box-blur passes ≈ a Gaussian; on a tiny picture, so cheap. */
static void box_blur_rgba(uint8_t *p, int w, int h, int r)
{
	uint8_t *tmp = malloc((size_t)w * h * 4);
	if (!tmp)
		return;
	for (int pass = 0; pass < 3; pass++) {
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				for (int k = 0; k < 3; k++) {
					int s = 0, n = 0;
					for (int d = -r; d <= r; d++) {
						int xx = x + d < 0 ? 0 : x + d >= w ? w - 1 : x + d;
						s += p[((size_t)y * w + xx) * 4 + k];
						n++;
					}
					tmp[((size_t)y * w + x) * 4 + k] = (uint8_t)(s / n);
				}
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				for (int k = 0; k < 3; k++) {
					int s = 0, n = 0;
					for (int d = -r; d <= r; d++) {
						int yy = y + d < 0 ? 0 : y + d >= h ? h - 1 : y + d;
						s += tmp[((size_t)yy * w + x) * 4 + k];
						n++;
					}
					p[((size_t)y * w + x) * 4 + k] = (uint8_t)(s / n);
				}
	}
	free(tmp);
}

static int blurred_background(const of_rimage *im, uint8_t *dst, int dw, int dh)
{
	int sw = dw / 24 < 8 ? 8 : dw / 24, sh = dh / 24 < 8 ? 8 : dh / 24;
	uint8_t *small = malloc((size_t)sw * sh * 4);
	int rc;
	if (!small)
		return of_error_set_oom();
	if ((rc = cover_into(im, small, sw * 4, sw, sh, SWS_AREA)) == 0) {
		box_blur_rgba(small, sw, sh, 2);
		/* Darken so the fitted photo and white captions stand out. */
		for (size_t i = 0; i < (size_t)sw * sh * 4; i++)
			if (i % 4 != 3)
				small[i] = (uint8_t)(small[i] * 45 / 100);
		rc = scale_rgba(small, sw * 4, sw, sh, dst, dw * 4, dw, dh, SWS_BICUBIC);
	}
	free(small);
	return rc;
}

static void gradient(uint8_t *dst, int w, int h, uint32_t rgb)
{
	int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
	for (int y = 0; y < h; y++) {
		double t = 0.85 - 0.55 * y / (double)h; /* brand colour at the top, darker below */
		uint8_t px[4] = {(uint8_t)(r * t), (uint8_t)(g * t), (uint8_t)(b * t), 255};
		for (int x = 0; x < w; x++)
			memcpy(dst + ((size_t)y * w + x) * 4, px, 4);
	}
}

int of_canvas_build(of_canvas *c, const of_rimage *im, int fw, int fh, double zoom, of_fill_mode fill,
		    uint32_t rgb)
{
	int cw = (int)lrint(fw * zoom / 2) * 2, ch = (int)lrint(fh * zoom / 2) * 2;
	uint8_t *rgba = NULL;
	struct SwsContext *s = NULL;
	int rc = 0;
	memset(c, 0, sizeof *c);
	if (cw < fw)
		cw = fw;
	if (ch < fh)
		ch = fh;
	if (!(rgba = malloc((size_t)cw * ch * 4)))
		return of_error_set_oom();
	if (!im) {
		gradient(rgba, cw, ch, rgb);
	} else {
		double have = (double)im->w / im->h, want = (double)cw / ch;
		if (fill == OF_FILL_COVER || fabs(have / want - 1) < 0.04) {
			rc = cover_into(im, rgba, cw * 4, cw, ch, SWS_BICUBIC);
		} else {
			double sc = fmin((double)cw / im->w, (double)ch / im->h);
			int pw = (int)lrint(im->w * sc), ph = (int)lrint(im->h * sc);
			if (pw < 1)
				pw = 1;
			if (ph < 1)
				ph = 1;
			rc = blurred_background(im, rgba, cw, ch);
			if (rc == 0)
				rc = scale_rgba(im->rgba, im->w * 4, im->w, im->h,
						rgba + ((size_t)((ch - ph) / 2) * cw + (size_t)(cw - pw) / 2) * 4, cw * 4, pw,
						ph, SWS_BICUBIC);
		}
		if (rc)
			goto done;
	}
	if ((rc = of_yuv_alloc(&c->pic, cw, ch)) != 0)
		goto done;
	s = sws_getContext(cw, ch, AV_PIX_FMT_RGBA, cw, ch, AV_PIX_FMT_YUV420P,
			   SWS_BICUBIC | SWS_ACCURATE_RND | SWS_BITEXACT | SWS_FULL_CHR_H_INP, NULL, NULL, NULL);
	if (!s) {
		rc = of_error_set(OF_EMEDIA, "cannot convert canvas to YUV");
		goto done;
	}
	sws_setColorspaceDetails(s, sws_getCoefficients(SWS_CS_DEFAULT), 1, sws_getCoefficients(SWS_CS_ITU709), 0, 0,
				 1 << 16, 1 << 16);
	const uint8_t *sp[4] = {rgba, NULL, NULL, NULL};
	int ss[4] = {cw * 4, 0, 0, 0};
	sws_scale(s, sp, ss, 0, ch, c->pic.plane, c->pic.stride);
	/* The resampler's +1 tap may read one row past the end: make it a copy of the last row. */
	memcpy(c->pic.plane[0] + (size_t)ch * c->pic.stride[0], c->pic.plane[0] + (size_t)(ch - 1) * c->pic.stride[0],
	       (size_t)c->pic.stride[0]);
	for (int k = 1; k < 3; k++)
		memcpy(c->pic.plane[k] + (size_t)(ch / 2) * c->pic.stride[k],
		       c->pic.plane[k] + (size_t)(ch / 2 - 1) * c->pic.stride[k], (size_t)c->pic.stride[k]);
	c->zoom = (double)cw / fw;
done:
	sws_freeContext(s);
	free(rgba);
	if (rc)
		of_yuv_release(&c->pic);
	return rc;
}

void of_canvas_release(of_canvas *c)
{
	if (c)
		of_yuv_release(&c->pic);
}
