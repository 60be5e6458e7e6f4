/* decode.c — audio decoding from callbacks (custom AVIOContext: no protocol
 * and no file name ever reaches libavformat) and resampling with libswresample. */
#include "voice_int.h"

#include "onefish/error.h"
#include "onefish/limits.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>

#include <stdlib.h>
#include <string.h>

/* Demuxers for audio files and TTS answers; playlists, concat and image
 * sequences are not among them, so nothing can open a second file. */
#define AUDIO_FORMATS "wav,w64,mp3,flac,ogg,aac,mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,aiff,caf"

static void layout_for(AVChannelLayout *l, int channels)
{
	av_channel_layout_default(l, channels);
}

static int swr_open(SwrContext **out, int in_ch, const AVChannelLayout *in_layout, enum AVSampleFormat in_fmt,
		    int in_rate, int out_ch, int out_rate)
{
	AVChannelLayout il = {0}, ol = {0}; /* av_channel_layout_copy() uninits its destination first */
	SwrContext *swr = NULL;
	int r;
	if (in_layout && in_layout->order != AV_CHANNEL_ORDER_UNSPEC && in_layout->nb_channels == in_ch)
		r = av_channel_layout_copy(&il, in_layout);
	else
		layout_for(&il, in_ch), r = 0;
	if (r < 0)
		return of_error_set_oom();
	layout_for(&ol, out_ch);
	r = swr_alloc_set_opts2(&swr, &ol, AV_SAMPLE_FMT_FLT, out_rate, &il, in_fmt, in_rate, 0, NULL);
	av_channel_layout_uninit(&il);
	av_channel_layout_uninit(&ol);
	if (r < 0 || swr_init(swr) < 0) {
		swr_free(&swr);
		return of_error_set(OF_EMEDIA, "audio: cannot convert %d ch %d Hz to %d ch %d Hz", in_ch,
				    in_rate, out_ch, out_rate);
	}
	*out = swr;
	return 0;
}

/* A growing float buffer with a hard cap in frames. */
typedef struct sink {
	float *s;
	size_t n, cap, max;
	int ch;
	int full;
} sink;

static int sink_reserve(sink *k, size_t more)
{
	size_t need = k->n + more;
	if (need <= k->cap)
		return 0;
	{
		size_t ncap = k->cap ? k->cap * 2 : 48000;
		float *p;
		while (ncap < need)
			ncap *= 2;
		if (ncap > k->max && need <= k->max)
			ncap = k->max; /* never hold more than the cap allows */
		p = realloc(k->s, ncap * (size_t)k->ch * sizeof(float));
		if (!p)
			return of_error_set_oom();
		k->s = p;
		k->cap = ncap;
	}
	return 0;
}

/* Converts `in` (NULL to flush) and appends; marks `full` at the cap. */
static int sink_convert(sink *k, SwrContext *swr, const uint8_t **in, int n_in)
{
	int rc, got;
	int room = swr_get_out_samples(swr, n_in);
	uint8_t *dst;
	if (room < 0)
		return of_error_set(OF_EMEDIA, "audio: resampler failed");
	if ((rc = sink_reserve(k, (size_t)room + 1)) < 0)
		return rc;
	dst = (uint8_t *)(k->s + k->n * (size_t)k->ch);
	got = swr_convert(swr, &dst, room + 1, in, n_in);
	if (got < 0)
		return of_error_set(OF_EMEDIA, "audio: resampler failed");
	k->n += (size_t)got;
	if (k->n >= k->max) {
		k->n = k->max;
		k->full = 1;
	}
	return 0;
}

int of_voice__resample(of_audio **out, const float *in, size_t n_in, int in_channels, int in_rate,
		       int out_channels, int out_rate)
{
	SwrContext *swr = NULL;
	sink k = {NULL, 0, 0, (size_t)-1, out_channels, 0};
	of_audio *a = NULL;
	int rc;
	*out = NULL;
	if (in_rate == out_rate && in_channels == out_channels) {
		if ((rc = of_audio_new(&a, n_in, out_channels, out_rate)) < 0)
			return rc;
		memcpy(a->samples, in, n_in * (size_t)in_channels * sizeof(float));
		*out = a;
		return 0;
	}
	if ((rc = swr_open(&swr, in_channels, NULL, AV_SAMPLE_FMT_FLT, in_rate, out_channels, out_rate)) < 0)
		return rc;
	/* Feed in slices: swr_convert takes an int count. */
	for (size_t done = 0; done < n_in && rc == 0;) {
		size_t n = n_in - done > 1u << 20 ? 1u << 20 : n_in - done;
		const uint8_t *src = (const uint8_t *)(in + done * (size_t)in_channels);
		rc = sink_convert(&k, swr, &src, (int)n);
		done += n;
	}
	if (rc == 0)
		rc = sink_convert(&k, swr, NULL, 0);
	swr_free(&swr);
	if (rc == 0 && (rc = of_audio_new(&a, 0, out_channels, out_rate)) == 0) {
		free(a->samples);
		a->samples = k.s ? k.s : calloc(1, sizeof(float));
		a->n_frames = k.n;
		k.s = NULL;
		if (!a->samples) {
			of_audio_free(a);
			a = NULL;
			rc = of_error_set_oom();
		}
	}
	free(k.s);
	*out = a;
	return rc;
}

int of_voice__decode(of_audio **out, of_voice__read_fn rd, of_voice__seek_fn sk, void *opaque,
		     const char *origin, int channels, int sample_rate, size_t max_frames, int cut)
{
	AVFormatContext *fmt = NULL;
	AVIOContext *avio = NULL;
	AVCodecContext *dec = NULL;
	AVDictionary *dict = NULL;
	AVPacket *pkt = NULL;
	AVFrame *frame = NULL;
	SwrContext *swr = NULL;
	const AVCodec *codec = NULL;
	unsigned char *iobuf = NULL;
	sink k = {NULL, 0, 0, max_frames, channels, 0};
	of_audio *a = NULL;
	int rc = 0, r, si, in_ch, in_rate, eof = 0;

	*out = NULL;
	of_voice__quiet_libav();
	fmt = avformat_alloc_context();
	iobuf = av_malloc(32768);
	pkt = av_packet_alloc();
	frame = av_frame_alloc();
	if (!fmt || !iobuf || !pkt || !frame) {
		rc = of_error_set_oom();
		goto done;
	}
	avio = avio_alloc_context(iobuf, 32768, 0, opaque, rd, NULL, sk);
	if (!avio) {
		rc = of_error_set_oom();
		goto done;
	}
	iobuf = NULL; /* owned by avio now */
	fmt->pb = avio;
	fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
	fmt->probesize = 1 << 20;
	fmt->max_analyze_duration = 5 * AV_TIME_BASE;
	av_dict_set(&dict, "format_whitelist", AUDIO_FORMATS, 0);
	av_dict_set(&dict, "protocol_whitelist", "none", 0);
	av_dict_set(&dict, "max_streams", "8", 0);
	if ((r = avformat_open_input(&fmt, "", NULL, &dict)) < 0) {
		/* avformat_open_input frees fmt on failure. */
		rc = of_error_set(OF_EMEDIA, "%s: not a readable audio file (%s)", origin, av_err2str(r));
		goto done;
	}
	if ((r = avformat_find_stream_info(fmt, NULL)) < 0) {
		rc = of_error_set(OF_EMEDIA, "%s: cannot read stream info (%s)", origin, av_err2str(r));
		goto done;
	}
	si = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
	if (si < 0 || !codec) {
		rc = of_error_set(OF_EMEDIA, "%s: no audio stream", origin);
		goto done;
	}
	in_ch = fmt->streams[si]->codecpar->ch_layout.nb_channels;
	in_rate = fmt->streams[si]->codecpar->sample_rate;
	if (in_ch < 1 || in_ch > OF_MAX_AUDIO_CHANNELS || in_rate < 1000 || in_rate > OF_MAX_AUDIO_RATE) {
		rc = of_error_set(OF_EMEDIA, "%s: unsupported audio: %d channels at %d Hz (at most %d at %d Hz)",
				  origin, in_ch, in_rate, OF_MAX_AUDIO_CHANNELS, OF_MAX_AUDIO_RATE);
		goto done;
	}
	if (!(dec = avcodec_alloc_context3(codec))) {
		rc = of_error_set_oom();
		goto done;
	}
	r = avcodec_parameters_to_context(dec, fmt->streams[si]->codecpar);
	dec->max_samples = 1 << 20; /* per frame: a hostile header cannot ask for more */
	if (r < 0 || (r = avcodec_open2(dec, codec, NULL)) < 0) {
		rc = of_error_set(OF_EMEDIA, "%s: cannot open the %s decoder (%s)", origin, codec->name,
				  av_err2str(r));
		goto done;
	}
	while (!k.full && !eof) {
		r = av_read_frame(fmt, pkt);
		if (r == AVERROR_EOF) {
			eof = 1;
			r = avcodec_send_packet(dec, NULL);
		} else if (r < 0) {
			rc = of_error_set(OF_EMEDIA, "%s: read error (%s)", origin, av_err2str(r));
			goto done;
		} else {
			if (pkt->stream_index != si) {
				av_packet_unref(pkt);
				continue;
			}
			r = avcodec_send_packet(dec, pkt);
			av_packet_unref(pkt);
			if (r < 0 && r != AVERROR(EAGAIN)) {
				/* A damaged packet: skip it, as players do. */
				continue;
			}
		}
		while (!k.full && (r = avcodec_receive_frame(dec, frame)) >= 0) {
			if (frame->ch_layout.nb_channels != in_ch || frame->sample_rate != in_rate) {
				av_frame_unref(frame);
				rc = of_error_set(OF_EMEDIA, "%s: audio format changes mid-stream", origin);
				goto done;
			}
			if (!swr && (rc = swr_open(&swr, in_ch, &frame->ch_layout, frame->format, in_rate, channels,
						   sample_rate)) < 0) {
				av_frame_unref(frame);
				goto done;
			}
			rc = sink_convert(&k, swr, (const uint8_t **)frame->extended_data, frame->nb_samples);
			av_frame_unref(frame);
			if (rc < 0)
				goto done;
			if (k.full && !cut) {
				rc = of_error_set(OF_ELIMIT, "%s: audio longer than %.0f s", origin,
						  (double)max_frames / sample_rate);
				goto done;
			}
		}
		if (r < 0 && r != AVERROR(EAGAIN) && r != AVERROR_EOF) {
			rc = of_error_set(OF_EMEDIA, "%s: decode error (%s)", origin, av_err2str(r));
			goto done;
		}
	}
	if (swr && !k.full && (rc = sink_convert(&k, swr, NULL, 0)) < 0)
		goto done;
	if (k.full && !cut) {
		rc = of_error_set(OF_ELIMIT, "%s: audio longer than %.0f s", origin, (double)max_frames / sample_rate);
		goto done;
	}
	if (k.n == 0) {
		rc = of_error_set(OF_EMEDIA, "%s: no audio decoded", origin);
		goto done;
	}
	if ((rc = of_audio_new(&a, 0, channels, sample_rate)) < 0)
		goto done;
	free(a->samples);
	a->samples = k.s;
	a->n_frames = k.n;
	k.s = NULL;
	*out = a;
done:
	free(k.s);
	swr_free(&swr);
	avcodec_free_context(&dec);
	avformat_close_input(&fmt);
	if (avio) {
		av_freep(&avio->buffer);
		avio_context_free(&avio);
	}
	av_free(iobuf);
	av_dict_free(&dict);
	av_packet_free(&pkt);
	av_frame_free(&frame);
	return rc;
}
