/* encoder.c — H.264 (libx264) + AAC + mov_text into MP4 with +faststart,
 * bit-exact (fixed threads, deterministic x264, no dates or library versions in the file), and
 * the cover JPEG. Structure follows FFmpeg's doc/examples (n5.1). */
#include "render_int.h"

#include "onefish/error.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct of_encoder {
	AVFormatContext *oc;
	AVCodecContext *vc, *ac, *sc;
	AVStream *vs, *as, *ss;
	AVFrame *vframe, *aframe;
	AVPacket *pkt;
	AVAudioFifo *fifo;
	SwrContext *swr;
	int64_t next_vpts, next_apts;
	int header_written;
	char path[4096];
};

static int av_err(int code, const char *what, int e)
{
	char buf[AV_ERROR_MAX_STRING_SIZE] = "";
	const char *m = of_av_last_message();
	av_strerror(e, buf, sizeof buf);
	return of_error_set(code, "%s: %s", what, m[0] ? m : buf);
}

/* Drains every packet the encoder has ready into the muxer. */
static int drain(of_encoder *e, AVCodecContext *cc, AVStream *st)
{
	for (;;) {
		int r = avcodec_receive_packet(cc, e->pkt);
		if (r == AVERROR(EAGAIN) || r == AVERROR_EOF)
			return 0;
		if (r < 0)
			return av_err(OF_EMEDIA, "encoding failed", r);
		av_packet_rescale_ts(e->pkt, cc->time_base, st->time_base);
		e->pkt->stream_index = st->index;
		r = av_interleaved_write_frame(e->oc, e->pkt);
		if (r < 0)
			return av_err(OF_ERROR, e->path, r);
	}
}

static int open_video(of_encoder *e, const of_encoder_params *p)
{
	const AVCodec *c = avcodec_find_encoder_by_name("libx264");
	char v[32];
	int r;
	if (!c)
		return of_error_set(OF_EMEDIA, "libavcodec has no libx264 encoder (install libavcodec59 with x264)");
	if (!(e->vs = avformat_new_stream(e->oc, NULL)) || !(e->vc = avcodec_alloc_context3(c)))
		return of_error_set_oom();
	e->vc->width = p->w;
	e->vc->height = p->h;
	e->vc->pix_fmt = AV_PIX_FMT_YUV420P;
	e->vc->time_base = (AVRational){1, p->fps};
	e->vc->framerate = (AVRational){p->fps, 1};
	e->vc->sample_aspect_ratio = (AVRational){1, 1};
	e->vc->gop_size = p->fps * 4;
	e->vc->color_range = AVCOL_RANGE_MPEG;
	e->vc->colorspace = AVCOL_SPC_BT709;
	e->vc->color_primaries = AVCOL_PRI_BT709;
	e->vc->color_trc = AVCOL_TRC_BT709;
	e->vc->thread_count = p->threads; /* fixed, so the bitstream does not depend on the machine */
	e->vc->flags |= AV_CODEC_FLAG_BITEXACT;
	if (e->oc->oformat->flags & AVFMT_GLOBALHEADER)
		e->vc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
	av_opt_set(e->vc->priv_data, "preset", p->x264_preset, 0);
	snprintf(v, sizeof v, "%d", p->crf);
	av_opt_set(e->vc->priv_data, "crf", v, 0);
	/* Determinism vs speed (measured, docs/BENCHMARKS.md "## Video"): x264's threaded lookahead
	 * (its default) is not repeatable here: the same frames encoded by the ffmpeg CLI with
	 * `-threads 2` came out different once in four runs, and onefish's W60 gave 3 different files
	 * in 4 runs. So the lookahead runs in the calling thread (sync-lookahead=0), and to win
	 * back the lost parallelism its frame analysis is split into 2 x `threads` slices run by
	 * x264's lookahead thread pool (lookahead-threads; 4 was the fastest of 2, 4, 6 and 8 for 2
	 * threads), which is repeatable: the count is fixed, so the bytes do not depend on the machine.
	 * tests/unit/test_render_sched.c renders with different schedules and compares the bytes. */
	char xp[96];
	snprintf(xp, sizeof xp, "sync-lookahead=0:lookahead-threads=%d:deterministic=1", 2 * p->threads);
	av_opt_set(e->vc->priv_data, "x264-params", xp, 0);
	if ((r = avcodec_open2(e->vc, c, NULL)) < 0)
		return av_err(OF_EMEDIA, "cannot open the H.264 encoder", r);
	avcodec_parameters_from_context(e->vs->codecpar, e->vc);
	e->vs->time_base = e->vc->time_base;
	e->vs->avg_frame_rate = e->vc->framerate;
	if (!(e->vframe = av_frame_alloc()))
		return of_error_set_oom();
	return 0;
}

static int open_audio(of_encoder *e, const of_encoder_params *p)
{
	const AVCodec *c = avcodec_find_encoder(AV_CODEC_ID_AAC);
	int r;
	if (!c)
		return of_error_set(OF_EMEDIA, "libavcodec has no AAC encoder");
	if (!(e->as = avformat_new_stream(e->oc, NULL)) || !(e->ac = avcodec_alloc_context3(c)))
		return of_error_set_oom();
	e->ac->sample_fmt = AV_SAMPLE_FMT_FLTP;
	e->ac->sample_rate = p->sample_rate;
	av_channel_layout_default(&e->ac->ch_layout, 2);
	e->ac->bit_rate = 128000;
	e->ac->time_base = (AVRational){1, p->sample_rate};
	e->ac->flags |= AV_CODEC_FLAG_BITEXACT;
	if (e->oc->oformat->flags & AVFMT_GLOBALHEADER)
		e->ac->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
	if ((r = avcodec_open2(e->ac, c, NULL)) < 0)
		return av_err(OF_EMEDIA, "cannot open the AAC encoder", r);
	avcodec_parameters_from_context(e->as->codecpar, e->ac);
	e->as->time_base = e->ac->time_base;
	if (!(e->fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, 2, 4096)) || !(e->aframe = av_frame_alloc()))
		return of_error_set_oom();
	AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
	if ((r = swr_alloc_set_opts2(&e->swr, &stereo, AV_SAMPLE_FMT_FLTP, p->sample_rate, &stereo,
				     AV_SAMPLE_FMT_S16, p->sample_rate, 0, NULL)) < 0 ||
	    (r = swr_init(e->swr)) < 0)
		return av_err(OF_EMEDIA, "cannot set up audio conversion", r);
	return 0;
}

static int open_subtitles(of_encoder *e, const of_encoder_params *p)
{
	const AVCodec *c = avcodec_find_encoder(AV_CODEC_ID_MOV_TEXT);
	int r;
	if (!c)
		return of_error_set(OF_EMEDIA, "libavcodec has no mov_text encoder");
	if (!(e->ss = avformat_new_stream(e->oc, NULL)) || !(e->sc = avcodec_alloc_context3(c)))
		return of_error_set_oom();
	e->sc->time_base = (AVRational){1, 1000};
	e->sc->width = p->w;
	e->sc->height = p->h;
	e->sc->flags |= AV_CODEC_FLAG_BITEXACT;
	size_t n = strlen(p->subtitle_header);
	if (!(e->sc->subtitle_header = av_malloc(n + 1)))
		return of_error_set_oom();
	memcpy(e->sc->subtitle_header, p->subtitle_header, n + 1);
	e->sc->subtitle_header_size = (int)n;
	if ((r = avcodec_open2(e->sc, c, NULL)) < 0)
		return av_err(OF_EMEDIA, "cannot open the mov_text encoder", r);
	avcodec_parameters_from_context(e->ss->codecpar, e->sc);
	e->ss->time_base = e->sc->time_base;
	av_dict_set(&e->ss->metadata, "language", "chi", 0);
	return 0;
}

int of_encoder_open(of_encoder **out, const char *path, const of_encoder_params *p)
{
	of_encoder *e = calloc(1, sizeof *e);
	AVDictionary *opts = NULL;
	char url[4200];
	int rc = 0, r;
	*out = NULL;
	if (!e)
		return of_error_set_oom();
	of_av_log_capture();
	of_av_clear_message();
	snprintf(e->path, sizeof e->path, "%s", path);
	/* "file:" + a protocol whitelist: the name is a literal local file, never concat:/subfile:/a pattern. */
	snprintf(url, sizeof url, "file:%s", path);
	if ((r = avformat_alloc_output_context2(&e->oc, NULL, "mp4", url)) < 0 || !e->oc) {
		rc = av_err(OF_EMEDIA, "cannot create the MP4 muxer", r);
		goto fail;
	}
	e->oc->flags |= AVFMT_FLAG_BITEXACT;
	e->oc->protocol_whitelist = av_strdup("file");
	if (!(e->pkt = av_packet_alloc())) {
		rc = of_error_set_oom();
		goto fail;
	}
	if ((rc = open_video(e, p)) != 0 || (rc = open_audio(e, p)) != 0)
		goto fail;
	if (p->subtitle_header && (rc = open_subtitles(e, p)) != 0)
		goto fail;
	if (p->title && p->title[0])
		av_dict_set(&e->oc->metadata, "title", p->title, 0);
	av_dict_set(&opts, "protocol_whitelist", "file", 0);
	if ((r = avio_open2(&e->oc->pb, url, AVIO_FLAG_WRITE, NULL, &opts)) < 0) {
		av_dict_free(&opts);
		rc = av_err(OF_ERROR, path, r);
		goto fail;
	}
	av_dict_free(&opts);
	av_dict_set(&opts, "movflags", "+faststart", 0);
	r = avformat_write_header(e->oc, &opts);
	av_dict_free(&opts);
	if (r < 0) {
		rc = av_err(OF_EMEDIA, "cannot write the MP4 header", r);
		goto fail;
	}
	e->header_written = 1;
	*out = e;
	return 0;
fail:
	of_encoder_abort(e);
	return rc;
}

/* Our frames are handed over as they are: x264 copies the picture into its own frame inside
 * avcodec_send_frame, so a borrowed (no-op free) buffer is enough and saves a 3 MB copy per frame. */
static void keep_buffer(void *opaque, uint8_t *data)
{
	(void)opaque;
	(void)data;
}

int of_encoder_video(of_encoder *e, const of_yuv *f)
{
	AVFrame *fr = e->vframe;
	int r;
	av_frame_unref(fr);
	fr->format = AV_PIX_FMT_YUV420P;
	fr->width = f->w;
	fr->height = f->h;
	size_t size = (size_t)(f->plane[2] - f->plane[0]) + (size_t)f->stride[2] * (size_t)(f->h / 2);
	if (!(fr->buf[0] = av_buffer_create(f->plane[0], size, keep_buffer, NULL, 0)))
		return of_error_set_oom();
	for (int k = 0; k < 3; k++) {
		fr->data[k] = f->plane[k];
		fr->linesize[k] = f->stride[k];
	}
	fr->pts = e->next_vpts++;
	if ((r = avcodec_send_frame(e->vc, fr)) < 0) {
		av_frame_unref(fr);
		return av_err(OF_EMEDIA, "H.264 encoding failed", r);
	}
	r = drain(e, e->vc, e->vs);
	/* The caller reuses the frame once we return: nobody else may still hold it. */
	int held = av_buffer_get_ref_count(fr->buf[0]) > 1;
	av_frame_unref(fr);
	if (!r && held)
		return of_error_set(OF_EMEDIA, "libavcodec kept a reference to a video frame it was lent");
	return r;
}

static int audio_frames(of_encoder *e, int flush)
{
	int fs = e->ac->frame_size > 0 ? e->ac->frame_size : 1024;
	while (av_audio_fifo_size(e->fifo) >= fs || (flush && av_audio_fifo_size(e->fifo) > 0)) {
		int n = av_audio_fifo_size(e->fifo) < fs ? av_audio_fifo_size(e->fifo) : fs;
		AVFrame *fr = e->aframe;
		int r;
		av_frame_unref(fr);
		fr->nb_samples = n;
		fr->format = AV_SAMPLE_FMT_FLTP;
		fr->sample_rate = e->ac->sample_rate;
		if ((r = av_channel_layout_copy(&fr->ch_layout, &e->ac->ch_layout)) < 0 ||
		    (r = av_frame_get_buffer(fr, 0)) < 0)
			return of_error_set_oom();
		av_audio_fifo_read(e->fifo, (void **)fr->data, n);
		fr->pts = e->next_apts;
		e->next_apts += n;
		if ((r = avcodec_send_frame(e->ac, fr)) < 0)
			return av_err(OF_EMEDIA, "AAC encoding failed", r);
		if ((r = drain(e, e->ac, e->as)) != 0)
			return r;
	}
	return 0;
}

int of_encoder_audio(of_encoder *e, const int16_t *samples, size_t n_frames)
{
	while (n_frames > 0) {
		int n = n_frames > 8192 ? 8192 : (int)n_frames;
		uint8_t *planes[2] = {NULL, NULL};
		float l[8192], rgt[8192];
		planes[0] = (uint8_t *)l;
		planes[1] = (uint8_t *)rgt;
		const uint8_t *in[1] = {(const uint8_t *)samples};
		int got = swr_convert(e->swr, planes, n, in, n);
		if (got < 0)
			return av_err(OF_EMEDIA, "audio conversion failed", got);
		if (av_audio_fifo_write(e->fifo, (void **)planes, got) < got)
			return of_error_set_oom();
		samples += (size_t)n * 2;
		n_frames -= (size_t)n;
		int rc = audio_frames(e, 0);
		if (rc)
			return rc;
	}
	return 0;
}

int of_encoder_subtitle(of_encoder *e, const char *text, long start_ms, long dur_ms)
{
	if (!e->sc)
		return 0;
	AVSubtitle sub;
	AVSubtitleRect rect, *rects[1] = {&rect};
	uint8_t buf[16384];
	size_t n = strlen(text) + 64;
	char *ass = malloc(n);
	int r;
	if (!ass)
		return of_error_set_oom();
	snprintf(ass, n, "0,0,Caption,,0,0,0,,%s", text);
	memset(&sub, 0, sizeof sub);
	memset(&rect, 0, sizeof rect);
	rect.type = SUBTITLE_ASS;
	rect.ass = ass;
	sub.num_rects = 1;
	sub.rects = rects;
	sub.start_display_time = 0;
	sub.end_display_time = (uint32_t)dur_ms;
	sub.pts = (int64_t)start_ms * (AV_TIME_BASE / 1000);
	r = avcodec_encode_subtitle(e->sc, buf, sizeof buf, &sub);
	free(ass);
	if (r < 0)
		return av_err(OF_EMEDIA, "subtitle encoding failed", r);
	av_packet_unref(e->pkt);
	if ((r = av_new_packet(e->pkt, r)) < 0)
		return of_error_set_oom();
	memcpy(e->pkt->data, buf, (size_t)e->pkt->size);
	e->pkt->pts = e->pkt->dts = (int64_t)start_ms;
	e->pkt->duration = (int64_t)dur_ms;
	e->pkt->stream_index = e->ss->index;
	av_packet_rescale_ts(e->pkt, e->sc->time_base, e->ss->time_base);
	if ((r = av_interleaved_write_frame(e->oc, e->pkt)) < 0)
		return av_err(OF_ERROR, e->path, r);
	return 0;
}

/* FFmpeg 5.1's mov muxer marks a file's only subtitle track enabled whatever its disposition
 * (movenc.c enable_tracks), and players read "enabled" as "show by default": mpv and VLC then
 * draw the soft track over the burned-in captions. No muxer option changes that, so after the
 * trailer the subtitle track's tkhd "enabled" bit (ISO/IEC 14496-12 8.3.2, flag 0x000001) is
 * cleared in place. Only our own just-written file is walked, with every box bounded by its
 * parent; a layout it does not expect leaves the file as the muxer wrote it. */
static uint32_t be32(const uint8_t *b) { return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]; }

/* Next child box in [*pos, end): sets its type and payload range; 0 at the end or on a bad size. */
static int next_box(const uint8_t *buf, size_t *pos, size_t end, char type[5], size_t *body, size_t *body_end)
{
	if (*pos > end || end - *pos < 8)
		return 0;
	uint64_t size = be32(buf + *pos), hdr = 8;
	memcpy(type, buf + *pos + 4, 4);
	type[4] = 0;
	if (size == 1) {
		if (end - *pos < 16)
			return 0;
		size = (uint64_t)be32(buf + *pos + 8) << 32 | be32(buf + *pos + 12);
		hdr = 16;
	} else if (size == 0) {
		size = end - *pos;
	}
	if (size < hdr || size > end - *pos)
		return 0;
	*body = *pos + (size_t)hdr;
	*body_end = *pos + (size_t)size;
	*pos = *body_end;
	return 1;
}

static size_t find_child(const uint8_t *buf, size_t pos, size_t end, const char *want, size_t *body_end)
{
	char type[5];
	size_t body, be;
	while (next_box(buf, &pos, end, type, &body, &be))
		if (!strcmp(type, want)) {
			*body_end = be;
			return body;
		}
	return 0;
}

static int disable_subtitle_track(const char *path)
{
	FILE *f = fopen(path, "r+b");
	uint8_t hdr[16];
	long off = 0;
	int rc = 0;
	if (!f)
		return of_error_set(OF_ERROR, "%s: cannot reopen the video to mark its subtitle track", path);
	/* +faststart puts moov right after ftyp (and possibly a free box); read top-level headers to it. */
	for (int i = 0; i < 8; i++) {
		if (fseek(f, off, SEEK_SET) != 0 || fread(hdr, 1, 8, f) != 8)
			goto done;
		uint64_t size = be32(hdr), head = 8;
		if (size == 1) {
			if (fread(hdr + 8, 1, 8, f) != 8)
				goto done;
			size = (uint64_t)be32(hdr + 8) << 32 | be32(hdr + 12);
			head = 16;
		}
		if (size < head || size > (uint64_t)LONG_MAX - (uint64_t)off)
			goto done;
		if (!memcmp(hdr + 4, "moov", 4)) {
			if (size > (64u << 20))
				goto done;
			uint8_t *moov = malloc((size_t)size);
			if (!moov) {
				rc = of_error_set_oom();
				goto done;
			}
			if (fseek(f, off, SEEK_SET) == 0 && fread(moov, 1, (size_t)size, f) == (size_t)size) {
				size_t pos = 8, end = (size_t)size, body, be;
				char type[5];
				if (be32(moov) == 1)
					pos = 16;
				while (next_box(moov, &pos, end, type, &body, &be)) {
					size_t mdia_end, hdlr_end, tkhd_end;
					if (strcmp(type, "trak"))
						continue;
					size_t tkhd = find_child(moov, body, be, "tkhd", &tkhd_end);
					size_t mdia = find_child(moov, body, be, "mdia", &mdia_end);
					size_t hdlr = mdia ? find_child(moov, mdia, mdia_end, "hdlr", &hdlr_end) : 0;
					if (!tkhd || tkhd_end - tkhd < 4 || !hdlr || hdlr_end - hdlr < 12)
						continue;
					if (memcmp(moov + hdlr + 8, "sbtl", 4) && memcmp(moov + hdlr + 8, "text", 4))
						continue;
					uint8_t low = moov[tkhd + 3] & (uint8_t)~0x01u;
					if (fseek(f, off + (long)tkhd + 3, SEEK_SET) != 0 || fputc(low, f) == EOF)
						rc = of_error_set(OF_ERROR, "%s: cannot mark the subtitle track", path);
				}
			}
			free(moov);
			goto done;
		}
		off += (long)size;
	}
done:
	if (fclose(f) != 0 && rc == 0)
		rc = of_error_set(OF_ERROR, "%s: cannot write the video", path);
	return rc;
}

int of_encoder_close(of_encoder *e)
{
	int rc = 0, r;
	if ((rc = audio_frames(e, 1)) != 0)
		goto done;
	avcodec_send_frame(e->ac, NULL);
	if ((rc = drain(e, e->ac, e->as)) != 0)
		goto done;
	avcodec_send_frame(e->vc, NULL);
	if ((rc = drain(e, e->vc, e->vs)) != 0)
		goto done;
	if ((r = av_write_trailer(e->oc)) < 0) {
		rc = av_err(OF_ERROR, e->path, r);
		goto done;
	}
	e->header_written = 0;
	if ((r = avio_closep(&e->oc->pb)) < 0)
		rc = av_err(OF_ERROR, e->path, r);
	else if (e->ss)
		rc = disable_subtitle_track(e->path);
done:
	of_encoder_abort(e);
	return rc;
}

void of_encoder_abort(of_encoder *e)
{
	if (!e)
		return;
	if (e->oc && e->oc->pb)
		avio_closep(&e->oc->pb);
	avcodec_free_context(&e->vc);
	avcodec_free_context(&e->ac);
	avcodec_free_context(&e->sc);
	av_frame_free(&e->vframe);
	av_frame_free(&e->aframe);
	av_packet_free(&e->pkt);
	if (e->fifo)
		av_audio_fifo_free(e->fifo);
	swr_free(&e->swr);
	avformat_free_context(e->oc);
	free(e);
}

int of_jpeg_encode(uint8_t **out, size_t *len, const of_yuv *f, int quality)
{
	const AVCodec *c = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
	AVCodecContext *cc = NULL;
	AVFrame *fr = NULL;
	AVPacket *pkt = NULL;
	struct SwsContext *sws = NULL;
	int rc = 0, r;
	*out = NULL;
	*len = 0;
	if (!c)
		return of_error_set(OF_EMEDIA, "libavcodec has no JPEG encoder");
	if (!(cc = avcodec_alloc_context3(c)) || !(fr = av_frame_alloc()) || !(pkt = av_packet_alloc())) {
		rc = of_error_set_oom();
		goto done;
	}
	cc->width = f->w;
	cc->height = f->h;
	cc->pix_fmt = AV_PIX_FMT_YUVJ420P;
	cc->time_base = (AVRational){1, 25};
	cc->flags |= AV_CODEC_FLAG_QSCALE | AV_CODEC_FLAG_BITEXACT;
	cc->global_quality = FF_QP2LAMBDA * quality;
	cc->thread_count = 1;
	if ((r = avcodec_open2(cc, c, NULL)) < 0) {
		rc = av_err(OF_EMEDIA, "cannot open the JPEG encoder", r);
		goto done;
	}
	fr->format = AV_PIX_FMT_YUVJ420P;
	fr->width = f->w;
	fr->height = f->h;
	fr->quality = cc->global_quality;
	if (av_frame_get_buffer(fr, 0) < 0) {
		rc = of_error_set_oom();
		goto done;
	}
	/* Video is limited range; JPEG is full range. */
	sws = sws_getContext(f->w, f->h, AV_PIX_FMT_YUV420P, f->w, f->h, AV_PIX_FMT_YUVJ420P,
			     SWS_POINT | SWS_ACCURATE_RND | SWS_BITEXACT, NULL, NULL, NULL);
	if (!sws) {
		rc = of_error_set(OF_EMEDIA, "cannot convert the cover frame");
		goto done;
	}
	sws_scale(sws, (const uint8_t *const *)f->plane, f->stride, 0, f->h, fr->data, fr->linesize);
	if ((r = avcodec_send_frame(cc, fr)) < 0 || (r = avcodec_send_frame(cc, NULL)) < 0 ||
	    (r = avcodec_receive_packet(cc, pkt)) < 0) {
		rc = av_err(OF_EMEDIA, "JPEG encoding failed", r);
		goto done;
	}
	if (!(*out = malloc((size_t)pkt->size))) {
		rc = of_error_set_oom();
		goto done;
	}
	memcpy(*out, pkt->data, (size_t)pkt->size);
	*len = (size_t)pkt->size;
done:
	sws_freeContext(sws);
	av_packet_free(&pkt);
	av_frame_free(&fr);
	avcodec_free_context(&cc);
	return rc;
}
