/* brand_bg.c — the brand background derived from brand.color: a vertical gradient of
 * the colour's hue, dark enough that the white captions read on it, as a JPEG. */
#include "render_int.h"

#include "onefish/error.h"
#include "onefish/render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* WCAG 2 relative luminance of an sRGB colour 0xRRGGBB. */
static double lin(int c)
{
	double s = c / 255.0;
	return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
}

static double luminance(uint32_t rgb)
{
	return 0.2126 * lin((int)(rgb >> 16) & 255) + 0.7152 * lin((int)(rgb >> 8) & 255) + 0.0722 * lin((int)rgb & 255);
}

double of_render__contrast_white(uint32_t rgb)
{
	return 1.05 / (luminance(rgb) + 0.05);
}

/* Each channel times k/100, rounded: the same hue and saturation, darker. */
static uint32_t shade(uint32_t rgb, int k)
{
	uint32_t out = 0;
	for (int sh = 16; sh >= 0; sh -= 8)
		out |= (uint32_t)((((int)(rgb >> sh) & 255) * k + 50) / 100) << sh;
	return out;
}

void of_render__brand_gradient(uint32_t *top, uint32_t *bottom, uint32_t rgb)
{
	int k = 100;
	/* the lighter end keeps white text at OF_BRAND_BG_CONTRAST or better (WCAG AA for text) */
	while (k > 0 && of_render__contrast_white(shade(rgb, k)) < OF_BRAND_BG_CONTRAST)
		k--;
	*top = shade(rgb, k);
	*bottom = shade(rgb, k * OF_BRAND_BG_BOTTOM / 100);
}

/* The colour t (0..1) of the way from a to b, per channel. */
static void mix(int rgb[3], uint32_t a, uint32_t b, double t)
{
	for (int i = 0; i < 3; i++) {
		int sh = 16 - 8 * i, ca = (int)(a >> sh) & 255, cb = (int)(b >> sh) & 255;
		rgb[i] = (int)lrint(ca + (cb - ca) * t);
	}
}

int of_render_brand_background(uint8_t **out, size_t *len, const char *color, int w, int h)
{
	of_yuv f = {0};
	uint32_t rgb, top, bottom;
	int rc, c[3];
	uint8_t y, u, v;
	*out = NULL;
	*len = 0;
	if (of_render__parse_rgb(color, &rgb) != 0)
		return of_error_set(OF_EINVALID, "brand.color '%s' is not #RRGGBB", color ? color : "");
	if (w < 2 || h < 2 || (w & 1) || (h & 1))
		return of_error_set(OF_EINVALID, "brand background size %dx%d is not even", w, h);
	of_render__brand_gradient(&top, &bottom, rgb);
	of_av_log_capture(); /* libswscale's notes go to the log, never to stderr */
	if ((rc = of_yuv_alloc(&f, w, h)) < 0)
		return rc;
	for (int r = 0; r < h; r++) {
		mix(c, top, bottom, (double)r / (h - 1));
		of_rgb_to_yuv709(c[0], c[1], c[2], &y, &u, &v);
		memset(f.plane[0] + (size_t)r * (size_t)f.stride[0], y, (size_t)w);
		if (r & 1)
			continue;
		mix(c, top, bottom, (r + 0.5) / (h - 1)); /* a chroma row covers rows r and r+1 */
		of_rgb_to_yuv709(c[0], c[1], c[2], &y, &u, &v);
		memset(f.plane[1] + (size_t)(r / 2) * (size_t)f.stride[1], u, (size_t)(w / 2));
		memset(f.plane[2] + (size_t)(r / 2) * (size_t)f.stride[2], v, (size_t)(w / 2));
	}
	rc = of_jpeg_encode(out, len, &f, 3);
	of_yuv_release(&f);
	return rc;
}
