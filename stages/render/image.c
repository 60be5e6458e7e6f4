/* image.c — untrusted photos → RGBA, following SAFE-INPUT.md: our own bytes,
 * our own AVIOContext, a content probe limited to image demuxers, max_pixels
 * on the decoder, first frame only, EXIF orientation applied. */
#include "render_int.h"

#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Demuxers we accept; anything else the probe finds is named in the error. */
/* apng: an animated PNG (its first frame is the picture, as for a GIF) */
static const char *const OK_DEMUXERS[] = {"jpeg_pipe", "png_pipe", "webp_pipe", "gif", "bmp_pipe", "apng", NULL};

typedef struct membuf {
	const uint8_t *data;
	size_t len, pos;
} membuf;

static int mem_read(void *opaque, uint8_t *buf, int n)
{
	membuf *m = opaque;
	size_t left = m->len - m->pos;
	if (left == 0)
		return AVERROR_EOF;
	if ((size_t)n > left)
		n = (int)left;
	memcpy(buf, m->data + m->pos, (size_t)n);
	m->pos += (size_t)n;
	return n;
}

static int64_t mem_seek(void *opaque, int64_t off, int whence)
{
	membuf *m = opaque;
	int64_t base;
	switch (whence & ~AVSEEK_FORCE) {
	case AVSEEK_SIZE: return (int64_t)m->len;
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)m->pos; break;
	case SEEK_END: base = (int64_t)m->len; break;
	default: return AVERROR(EINVAL);
	}
	if (base + off < 0 || base + off > (int64_t)m->len)
		return AVERROR(EINVAL);
	m->pos = (size_t)(base + off);
	return (int64_t)m->pos;
}

/* EXIF orientation 1..8 from the frame (metadata tag or the display matrix FFmpeg derives from it). */
static int orientation_of(const AVFrame *fr)
{
	const AVDictionaryEntry *e = av_dict_get(fr->metadata, "Orientation", NULL, 0);
	if (e) {
		char *end = NULL;
		long v = strtol(e->value, &end, 10);
		if (end != e->value && v >= 1 && v <= 8)
			return (int)v;
	}
	const AVFrameSideData *sd = av_frame_get_side_data(fr, AV_FRAME_DATA_DISPLAYMATRIX);
	if (sd && sd->size >= 9 * sizeof(int32_t)) {
		const int32_t *m = (const int32_t *)sd->data;
		double rot = av_display_rotation_get(m);
		int flip = (int64_t)m[0] * m[4] - (int64_t)m[1] * m[3] < 0;
		int r = (int)lrint(rot);
		r = ((r % 360) + 360) % 360;
		/* av_display_rotation_get is counter-clockwise; EXIF 6 = rotate 90 cw to display. */
		if (!flip)
			return r == 90 ? 8 : r == 180 ? 3 : r == 270 ? 6 : 1;
		return r == 90 ? 7 : r == 180 ? 4 : r == 270 ? 5 : 2;
	}
	return 1;
}

/* Applies EXIF orientation `o` to an RGBA image (new buffer). */
static int apply_orientation(of_rimage *im, int o)
{
	if (o <= 1)
		return 0;
	int w = im->w, h = im->h;
	int swap = o >= 5;
	int nw = swap ? h : w, nh = swap ? w : h;
	uint32_t *dst = malloc((size_t)nw * nh * 4);
	const uint32_t *src = (const uint32_t *)im->rgba;
	if (!dst)
		return of_error_set_oom();
	for (int y = 0; y < nh; y++)
		for (int x = 0; x < nw; x++) {
			int sx, sy; /* where display pixel (x, y) comes from in the stored picture */
			switch (o) {
			case 2: sx = w - 1 - x; sy = y; break;
			case 3: sx = w - 1 - x; sy = h - 1 - y; break;
			case 4: sx = x; sy = h - 1 - y; break;
			case 5: sx = y; sy = x; break;
			case 6: sx = y; sy = h - 1 - x; break;
			case 7: sx = w - 1 - y; sy = h - 1 - x; break;
			default: sx = w - 1 - y; sy = x; break; /* 8 */
			}
			dst[(size_t)y * nw + x] = src[(size_t)sy * w + sx];
		}
	free(im->rgba);
	im->rgba = (uint8_t *)dst;
	im->w = nw;
	im->h = nh;
	return 0;
}

/* Converts any decoded frame to RGBA and composites alpha over white. */
static int to_rgba(of_rimage **out, const AVFrame *fr, const char *name, int box_w, int box_h, int cover)
{
	of_rimage *im = calloc(1, sizeof *im);
	struct SwsContext *sws = NULL;
	int rc = 0, o = orientation_of(fr);
	int w = fr->width, h = fr->height;
	/* Shrink in the same pass when the photo is larger than needed to cover (or fit in) the box
	 * (box in display orientation; EXIF 5-8 swap the axes). Saves memory and time on 20 Mpx photos. */
	if (box_w > 0 && box_h > 0) {
		int bw = o >= 5 ? box_h : box_w, bh = o >= 5 ? box_w : box_h;
		double k = cover ? fmax((double)bw / w, (double)bh / h) : fmin((double)bw / w, (double)bh / h);
		if (k < 1) {
			w = (int)lrint(w * k) < 1 ? 1 : (int)lrint(w * k);
			h = (int)lrint(h * k) < 1 ? 1 : (int)lrint(h * k);
		}
	}
	if (!im || !(im->rgba = malloc((size_t)w * h * 4))) {
		rc = of_error_set_oom();
		goto done;
	}
	im->w = w;
	im->h = h;
	sws = sws_getContext(fr->width, fr->height, fr->format, w, h, AV_PIX_FMT_RGBA,
			     (w == fr->width && h == fr->height ? SWS_POINT : SWS_AREA) | SWS_ACCURATE_RND | SWS_BITEXACT,
			     NULL, NULL, NULL);
	if (!sws) {
		const char *pf = av_get_pix_fmt_name(fr->format);
		rc = of_error_set_at(OF_EMEDIA, name, 0, 0, "unsupported pixel format %s", pf ? pf : "?");
		goto done;
	}
	/* Full-range YUV without a "yuvj" format (a CMYK or YCCK JPEG decodes to yuva444p flagged
	 * full range): tell swscale, or shadows and highlights get clipped. */
	if (fr->color_range == AVCOL_RANGE_JPEG) {
		int *inv, *tab, src_range, dst_range, bri, con, sat;
		if (sws_getColorspaceDetails(sws, &inv, &src_range, &tab, &dst_range, &bri, &con, &sat) >= 0 && !src_range)
			sws_setColorspaceDetails(sws, inv, 1, tab, dst_range, bri, con, sat);
	}
	uint8_t *dst[4] = {im->rgba, NULL, NULL, NULL};
	int dst_stride[4] = {im->w * 4, 0, 0, 0};
	sws_scale(sws, (const uint8_t *const *)fr->data, fr->linesize, 0, fr->height, dst, dst_stride);
	const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(fr->format);
	if (d && (d->flags & (AV_PIX_FMT_FLAG_ALPHA | AV_PIX_FMT_FLAG_PAL))) {
		size_t n = (size_t)im->w * im->h;
		for (size_t i = 0; i < n; i++) {
			uint8_t *p = im->rgba + 4 * i;
			unsigned a = p[3];
			for (int k = 0; k < 3; k++)
				p[k] = (uint8_t)((p[k] * a + 255 * (255 - a) + 127) / 255);
			p[3] = 255;
		}
	}
	if ((rc = apply_orientation(im, o)) != 0)
		goto done;
	*out = im;
	im = NULL;
done:
	sws_freeContext(sws);
	of_rimage_free(im);
	return rc;
}

static int av_fail(int code, const char *name, const char *what, int averr)
{
	const char *m = of_av_last_message();
	char e[AV_ERROR_MAX_STRING_SIZE] = "";
	av_strerror(averr, e, sizeof e);
	return of_error_set_at(code, name, 0, 0, "%s: %s", what, m[0] ? m : e);
}

/* Demuxes (from memory, with `fmt`) and decodes the first picture at 1/2^lowres scale into *out. */
static int decode_frame(AVFrame **out, const uint8_t *data, size_t len, const AVInputFormat *fmt, const char *name,
			long long max_pixels, int lowres)
{
	AVFormatContext *fc = NULL;
	AVIOContext *io = NULL;
	AVCodecContext *cc = NULL;
	AVPacket *pkt = NULL;
	AVFrame *fr = NULL;
	uint8_t *io_buf = NULL;
	membuf mb = {data, len, 0};
	int rc = 0, ret;

	*out = NULL;
	if (!(fc = avformat_alloc_context()) || !(io_buf = av_malloc(65536)) ||
	    !(io = avio_alloc_context(io_buf, 65536, 0, &mb, mem_read, NULL, mem_seek))) {
		av_free(io_buf);
		rc = of_error_set_oom();
		goto done;
	}
	fc->pb = io;
	fc->flags |= AVFMT_FLAG_CUSTOM_IO;
	fc->probesize = 65536;
	fc->max_streams = 2;
	if ((ret = avformat_open_input(&fc, NULL, fmt, NULL)) < 0) {
		rc = av_fail(OF_EMEDIA, name, "cannot read image", ret);
		goto done;
	}
	if (fc->nb_streams < 1) {
		rc = of_error_set_at(OF_EMEDIA, name, 0, 0, "no picture in file");
		goto done;
	}
	const AVCodecParameters *par = fc->streams[0]->codecpar;
	if (par->width > 0 && par->height > 0 && (long long)par->width * par->height > max_pixels) {
		rc = of_error_set_at(OF_ELIMIT, name, 0, 0, "image %dx%d exceeds %lld pixels", par->width,
				     par->height, max_pixels);
		goto done;
	}
	const AVCodec *codec = avcodec_find_decoder(par->codec_id);
	if (!codec) {
		rc = of_error_set_at(OF_EMEDIA, name, 0, 0, "no decoder for %s", avcodec_get_name(par->codec_id));
		goto done;
	}
	if (!(cc = avcodec_alloc_context3(codec)) || !(pkt = av_packet_alloc()) || !(fr = av_frame_alloc())) {
		rc = of_error_set_oom();
		goto done;
	}
	avcodec_parameters_to_context(cc, par);
	cc->max_pixels = max_pixels > INT32_MAX ? INT32_MAX : (int64_t)max_pixels;
	cc->thread_count = 1;
	cc->lowres = lowres;
	/* Damage is an error, not a grey half-picture shown to viewers. */
	cc->err_recognition |= AV_EF_EXPLODE;
	if ((ret = avcodec_open2(cc, codec, NULL)) < 0) {
		rc = av_fail(OF_EMEDIA, name, "cannot open decoder", ret);
		goto done;
	}
	/* First frame only: an animation with 10,000 frames costs one. */
	int got = 0;
	for (int packets = 0; !got && packets < 8; packets++) {
		ret = av_read_frame(fc, pkt);
		if (ret < 0) {
			avcodec_send_packet(cc, NULL);
		} else {
			ret = avcodec_send_packet(cc, pkt);
			av_packet_unref(pkt);
			if (ret < 0 && ret != AVERROR(EAGAIN))
				break;
		}
		ret = avcodec_receive_frame(cc, fr);
		if (ret == 0)
			got = 1;
		else if (ret != AVERROR(EAGAIN))
			break;
	}
	if (!got) {
		const char *m = of_av_last_message();
		if (strstr(m, "exceeds") || strstr(m, "Picture size"))
			rc = of_error_set_at(OF_ELIMIT, name, 0, 0, "image too large: %s", m);
		else
			rc = av_fail(OF_EMEDIA, name, "cannot decode image (corrupt or truncated?)", ret);
		goto done;
	}
	if (fr->decode_error_flags || (fr->flags & AV_FRAME_FLAG_CORRUPT)) {
		rc = of_error_set_at(OF_EMEDIA, name, 0, 0, "image is damaged (truncated or corrupt)%s%s",
				     of_av_last_message()[0] ? ": " : "", of_av_last_message());
		goto done;
	}
	if (fr->width <= 0 || fr->height <= 0) {
		rc = of_error_set_at(OF_EMEDIA, name, 0, 0, "image has no pixels");
		goto done;
	}
	*out = fr;
	fr = NULL;
done:
	av_frame_free(&fr);
	av_packet_free(&pkt);
	avcodec_free_context(&cc);
	avformat_close_input(&fc);
	if (io) {
		av_freep(&io->buffer);
		avio_context_free(&io);
	}
	return rc;
}

int of_rimage_decode(of_rimage **out, const uint8_t *data, size_t len, const char *name, long long max_pixels,
		     int box_w, int box_h, int cover)
{
	AVFrame *fr = NULL;
	uint8_t *probe_buf = NULL;
	int rc;

	*out = NULL;
	of_av_log_capture();
	of_av_clear_message();
	if (len == 0)
		return of_error_set_at(OF_EINVALID, name, 0, 0, "empty file (0 bytes), not an image");

	/* Probe by content only: no file name, so ".jpg" on a GIF or "img%d.png" mean nothing. */
	size_t plen = len < 4096 ? len : 4096;
	if (!(probe_buf = av_mallocz(plen + AVPROBE_PADDING_SIZE)))
		return of_error_set_oom();
	memcpy(probe_buf, data, plen);
	AVProbeData pd = {"", probe_buf, (int)plen, NULL};
	int score = 0;
	const AVInputFormat *fmt = av_probe_input_format3(&pd, 1, &score);
	av_free(probe_buf);
	int ok = 0;
	for (size_t i = 0; fmt && OK_DEMUXERS[i]; i++)
		ok |= strcmp(fmt->name, OK_DEMUXERS[i]) == 0;
	if (!ok)
		return of_error_set_at(OF_EINVALID, name, 0, 0, "not a JPEG/PNG/WebP/GIF/BMP image (detected: %s)",
				       fmt ? fmt->name : "unknown data");
	/* An animated WebP (VP8X with the animation flag): Debian 12's FFmpeg 5.1 cannot decode it, and
	 * says only "image data not found"; say what it is and what to do. */
	if (strcmp(fmt->name, "webp_pipe") == 0 && len >= 21 && memcmp(data + 12, "VP8X", 4) == 0 &&
	    (((const unsigned char *)data)[20] & 0x02))
		return of_error_set_at(OF_EMEDIA, name, 0, 0,
				       "an animated WebP, which this FFmpeg cannot decode: save its first frame as JPEG or PNG");

	/* A 20 Mpx phone JPEG is decoded at the smallest 1/2^k scale that still covers the box: a
	 * 1/8-scale pass learns the size cheaply, then the real pass decodes far fewer pixels. */
	int lowres = 0;
	if (box_w > 0 && box_h > 0 && strcmp(fmt->name, "jpeg_pipe") == 0) {
		if ((rc = decode_frame(&fr, data, len, fmt, name, max_pixels, 3)) != 0)
			return rc;
		int o = orientation_of(fr);
		int bw = o >= 5 ? box_h : box_w, bh = o >= 5 ? box_w : box_h;
		double fw = (double)fr->width * 8, fh = (double)fr->height * 8;
		double k = cover ? fmax(bw / fw, bh / fh) : fmin(bw / fw, bh / fh); /* scale needed */
		while (lowres < 3 && 1.0 / (1 << (lowres + 1)) >= k)
			lowres++;
		if (lowres != 3)
			av_frame_free(&fr);
	}
	if (!fr && (rc = decode_frame(&fr, data, len, fmt, name, max_pixels, lowres)) != 0)
		return rc;
	rc = to_rgba(out, fr, name, box_w, box_h, cover);
	av_frame_free(&fr);
	return rc;
}

int of_rimage_load(of_rimage **out, const char *path, long long max_pixels, int box_w, int box_h, int cover)
{
	char *data = NULL;
	size_t len = 0;
	int rc;
	*out = NULL;
	if ((rc = of_file_read(&data, &len, path, OF_MAX_IMAGE_BYTES)) != 0)
		return rc;
	rc = of_rimage_decode(out, (const uint8_t *)data, len, path, max_pixels, box_w, box_h, cover);
	free(data);
	return rc;
}

void of_rimage_free(of_rimage *im)
{
	if (!im)
		return;
	free(im->rgba);
	free(im);
}
