/* kenburns.c — motion paths and the sub-pixel resampler, plus transitions.
 * Each output frame is an axis-aligned affine resample of the scene canvas
 * (scale + translate, computed in floating point, sampled bilinearly at
 * 1/256 pixel): no integer crop steps, hence no zoompan-style jitter. */
#include "render_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void eff_zoom(const of_rscene *sc, double *from, double *to)
{
	*from = sc->zoom_from;
	*to = sc->zoom_to;
	switch (sc->motion) {
	case OF_MOTION_NONE:
		*to = *from;
		break;
	case OF_MOTION_PAN_LEFT:
	case OF_MOTION_PAN_RIGHT:
	case OF_MOTION_PAN:
		/* A pan needs room to move: at 1.0 there is none. */
		if (*from < 1.05 && *to < 1.05)
			*from = *to = 1.12;
		break;
	default:
		break;
	}
}

double of_motion_max_zoom(const of_rscene *sc)
{
	double f, t;
	eff_zoom(sc, &f, &t);
	return f > t ? f : t;
}

of_view of_motion_view(const of_rscene *sc, double t)
{
	double from, to;
	of_view v;
	if (t < 0)
		t = 0;
	if (t > 1)
		t = 1;
	eff_zoom(sc, &from, &to);
	v.scale = from + (to - from) * t;
	/* How far the window centre may move from the middle and stay inside the picture. */
	double room = 0.5 * (1 - 1 / v.scale);
	double px = (sc->pan_x - 0.5) * 2, py = (sc->pan_y - 0.5) * 2; /* -1..1 */
	switch (sc->motion) {
	case OF_MOTION_PAN_LEFT:
		v.cx = 0.5 + room * (1 - 2 * t);
		v.cy = 0.5 + room * py;
		break;
	case OF_MOTION_PAN_RIGHT:
		v.cx = 0.5 - room * (1 - 2 * t);
		v.cy = 0.5 + room * py;
		break;
	case OF_MOTION_PAN:
		v.cx = 0.5 + room * px * t;
		v.cy = 0.5 + room * py * t;
		break;
	default:
		/* Zooms drift towards the pan point as room opens up. */
		v.cx = 0.5 + room * px;
		v.cy = 0.5 + room * py;
		break;
	}
	return v;
}

/* Per-thread scratch: column maps and one vertically interpolated row. */
static _Thread_local int32_t *kb_ix;
static _Thread_local int32_t *kb_wx;
static _Thread_local uint32_t *kb_row;
static _Thread_local size_t kb_cap_x, kb_cap_row;

void of_kb_scratch_free(void)
{
	free(kb_ix);
	free(kb_wx);
	free(kb_row);
	kb_ix = NULL;
	kb_wx = NULL;
	kb_row = NULL;
	kb_cap_x = kb_cap_row = 0;
}

static int scratch(size_t nx, size_t nrow)
{
	if (nx > kb_cap_x) {
		free(kb_ix);
		free(kb_wx);
		kb_ix = malloc(nx * sizeof *kb_ix);
		kb_wx = malloc(nx * sizeof *kb_wx);
		kb_cap_x = kb_ix && kb_wx ? nx : 0;
	}
	if (nrow > kb_cap_row) {
		free(kb_row);
		kb_row = malloc((nrow + 2) * sizeof *kb_row);
		kb_cap_row = kb_row ? nrow : 0;
	}
	return kb_cap_x >= nx && kb_cap_row >= nrow;
}

/*
 * The horizontal two-tap gather of one output row. 32-bit row samples let the
 * compiler use AVX2 gathers where the CPU has them (the clone is picked at load
 * time); the arithmetic is integer, so every clone gives identical pixels.
 */
__attribute__((target_clones("avx2", "default"), optimize("O3")))
static void hgather(uint8_t *restrict d, const uint32_t *restrict row, const int32_t *restrict ix,
		    const int32_t *restrict wx, int dw)
{
	for (int x = 0; x < dw; x++) {
		uint32_t i = (uint32_t)ix[x], w = (uint32_t)wx[x];
		uint32_t v = row[i] * (256 - w) + row[i + 1] * w;
		d[x] = (uint8_t)((v + 32768) >> 16);
	}
}

/* Vertical blend of two source rows (f = 0 never reads r1 past the last row: its weight is 0
 * and the canvas has a spare row). */
__attribute__((target_clones("avx2", "default"), optimize("O3")))
static void vblend(uint32_t *restrict out, const uint8_t *restrict r0, const uint8_t *restrict r1, int g, int f, int n)
{
	for (int x = 0; x < n; x++)
		out[x] = (uint32_t)(r0[x] * g + r1[x] * f);
}

/*
 * One plane: dst(x, y) = src(a*x + bx, a*y + by) with bilinear weights.
 * Vertical pass first over the contiguous source span (vectorises), then a
 * horizontal two-tap gather with precomputed indices and weights.
 */
static void resample_plane(uint8_t *dst, int dstride, int dw, int dh, const uint8_t *src, int sstride, int sw,
			   int sh, double ax, double ay, double bx, double by)
{
	for (int x = 0; x < dw; x++) {
		double p = ax * x + bx;
		long q = lrint(p * 256.0);
		long i = q >> 8;
		int f = (int)(q & 255);
		if (i < 0) {
			i = 0;
			f = 0;
		} else if (i >= sw - 1) {
			i = sw - 1;
			f = 0;
		}
		kb_ix[x] = (int32_t)i;
		kb_wx[x] = f;
	}
	int lo = kb_ix[0], hi = kb_ix[dw - 1] + 1;
	if (hi > sw - 1)
		hi = sw - 1;
	for (int y = 0; y < dh; y++) {
		double p = ay * y + by;
		long q = lrint(p * 256.0);
		long j = q >> 8;
		int f = (int)(q & 255);
		if (j < 0) {
			j = 0;
			f = 0;
		} else if (j >= sh - 1) {
			j = sh - 1;
			f = 0;
		}
		const uint8_t *r0 = src + (size_t)j * sstride, *r1 = r0 + sstride;
		vblend(kb_row + lo, r0 + lo, r1 + lo, 256 - f, f, hi - lo + 1);
		kb_row[hi + 1] = kb_row[hi];
		hgather(dst + (size_t)y * dstride, kb_row, kb_ix, kb_wx, dw);
	}
}

void of_kenburns(of_yuv *dst, const of_canvas *c, of_view v)
{
	const of_yuv *s = &c->pic;
	double kx = (double)s->w / dst->w, ky = (double)s->h / dst->h;
	if (!scratch((size_t)dst->w, (size_t)s->w))
		return;
	for (int p = 0; p < 3; p++) {
		int d = p ? 2 : 1;
		int dw = dst->w / d, dh = dst->h / d, sw = s->w / d, sh = s->h / d;
		/* Pixel centres: output (x+0.5)*d luma units → base frame → canvas → plane sample index. */
		double ax = kx / v.scale, ay = ky / v.scale;
		double bx = (v.cx * dst->w * kx + (0.5 * d - dst->w / 2.0) * ax) / d - 0.5;
		double by = (v.cy * dst->h * ky + (0.5 * d - dst->h / 2.0) * ay) / d - 0.5;
		resample_plane(dst->plane[p], dst->stride[p], dw, dh, s->plane[p], s->stride[p], sw, sh, ax, ay, bx, by);
	}
}

/* ------------------------------------------------------------------ transitions */

static void blend_plane(uint8_t *d, int ds, const uint8_t *a, int as, const uint8_t *b, int bs, int w, int h,
			int alpha, int black)
{
	int ia = 256 - alpha;
	for (int y = 0; y < h; y++) {
		uint8_t *dr = d + (size_t)y * ds;
		const uint8_t *br = b + (size_t)y * bs;
		if (a) {
			const uint8_t *ar = a + (size_t)y * as;
			for (int x = 0; x < w; x++)
				dr[x] = (uint8_t)((ar[x] * ia + br[x] * alpha + 128) >> 8);
		} else {
			for (int x = 0; x < w; x++)
				dr[x] = (uint8_t)((black * ia + br[x] * alpha + 128) >> 8);
		}
	}
}

static double smooth(double p)
{
	return p * p * (3 - 2 * p);
}

void of_transition(of_yuv *dst, const of_yuv *a, const of_yuv *b, of_trans_type type, double p)
{
	static const int black[3] = {16, 128, 128};
	if (p < 0)
		p = 0;
	if (p > 1)
		p = 1;
	if (!a && type != OF_TRANS_CUT)
		type = OF_TRANS_FADE;
	switch (type) {
	case OF_TRANS_CROSSFADE: {
		int alpha = (int)lrint(p * 256);
		for (int k = 0; k < 3; k++) {
			int d = k ? 2 : 1;
			blend_plane(dst->plane[k], dst->stride[k], a->plane[k], a->stride[k], b->plane[k], b->stride[k],
				    dst->w / d, dst->h / d, alpha, 0);
		}
		break;
	}
	case OF_TRANS_FADE: {
		/* Through black: the outgoing half fades out, the incoming half fades in. */
		const of_yuv *src = (!a || p >= 0.5) ? b : a;
		double q = !a ? p : p >= 0.5 ? (p - 0.5) * 2 : (0.5 - p) * 2;
		int alpha = (int)lrint(q * 256);
		for (int k = 0; k < 3; k++) {
			int d = k ? 2 : 1;
			blend_plane(dst->plane[k], dst->stride[k], NULL, 0, src->plane[k], src->stride[k], dst->w / d,
				    dst->h / d, alpha, black[k]);
		}
		break;
	}
	case OF_TRANS_SLIDE: {
		/* The incoming picture pushes the outgoing one to the left. */
		int off = (int)lrint(smooth(p) * dst->w / 2) * 2;
		for (int k = 0; k < 3; k++) {
			int d = k ? 2 : 1, w = dst->w / d, o = off / d;
			for (int y = 0; y < dst->h / d; y++) {
				uint8_t *dr = dst->plane[k] + (size_t)y * dst->stride[k];
				memcpy(dr, a->plane[k] + (size_t)y * a->stride[k] + o, (size_t)(w - o));
				memcpy(dr + (w - o), b->plane[k] + (size_t)y * b->stride[k], (size_t)o);
			}
		}
		break;
	}
	case OF_TRANS_WIPE: {
		/* A soft edge sweeping left to right. */
		double edge = smooth(p) * (dst->w + 64) - 32;
		for (int k = 0; k < 3; k++) {
			int d = k ? 2 : 1, w = dst->w / d;
			for (int y = 0; y < dst->h / d; y++) {
				uint8_t *dr = dst->plane[k] + (size_t)y * dst->stride[k];
				const uint8_t *ar = a->plane[k] + (size_t)y * a->stride[k];
				const uint8_t *br = b->plane[k] + (size_t)y * b->stride[k];
				for (int x = 0; x < w; x++) {
					double t = (edge - (x + 0.5) * d) / 32.0 + 0.5;
					int al = t <= 0 ? 0 : t >= 1 ? 256 : (int)lrint(t * 256);
					dr[x] = (uint8_t)((ar[x] * (256 - al) + br[x] * al + 128) >> 8);
				}
			}
		}
		break;
	}
	default:
		for (int k = 0; k < 3; k++) {
			int d = k ? 2 : 1;
			for (int y = 0; y < dst->h / d; y++)
				memcpy(dst->plane[k] + (size_t)y * dst->stride[k], b->plane[k] + (size_t)y * b->stride[k],
				       (size_t)(dst->w / d));
		}
		break;
	}
}
