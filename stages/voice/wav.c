/* wav.c — an of_audio block as a 16-bit PCM WAV file (the stems an editing timeline
 * uses), through libavformat's wav muxer; bit-exact, so the same samples give the
 * same bytes. */
#include "voice_int.h"

#include "onefish/error.h"
#include "onefish/fileio.h"

#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Frames per packet: 1024 keeps packets small and the loop simple. */
#define CHUNK 1024

int of_audio_write_wav(const of_audio *a, const char *path)
{
	AVFormatContext *oc = NULL;
	AVPacket *pkt = NULL;
	of_atomic *at = NULL;
	int rc, err;
	if (!a || a->channels < 1 || a->channels > 8 || a->sample_rate < 1)
		return of_error_set(OF_EINVALID, "wav: bad audio block");
	if ((rc = of_atomic_open(&at, path)) < 0)
		return rc;
	if ((err = avformat_alloc_output_context2(&oc, NULL, "wav", of_atomic_tmp_path(at))) < 0 || !oc) {
		rc = of_error_set(OF_EMEDIA, "wav: no wav muxer");
		goto done;
	}
	oc->flags |= AVFMT_FLAG_BITEXACT; /* no encoder tag: same samples, same bytes */
	AVStream *st = avformat_new_stream(oc, NULL);
	if (!st || !(pkt = av_packet_alloc())) {
		rc = of_error_set_oom();
		goto done;
	}
	st->time_base = (AVRational){1, a->sample_rate};
	st->codecpar->codec_type = AVMEDIA_TYPE_AUDIO;
	st->codecpar->codec_id = AV_CODEC_ID_PCM_S16LE;
	st->codecpar->sample_rate = a->sample_rate;
	av_channel_layout_default(&st->codecpar->ch_layout, a->channels);
	st->codecpar->bits_per_coded_sample = 16;
	st->codecpar->block_align = 2 * a->channels;
	st->codecpar->bit_rate = (int64_t)a->sample_rate * a->channels * 16;
	if ((err = avio_open(&oc->pb, of_atomic_tmp_path(at), AVIO_FLAG_WRITE)) < 0) {
		rc = of_error_set_at(OF_ERROR, path, 0, 0, "cannot write: %s", av_err2str(err));
		goto done;
	}
	if ((err = avformat_write_header(oc, NULL)) < 0) {
		rc = of_error_set_at(OF_EMEDIA, path, 0, 0, "wav header: %s", av_err2str(err));
		goto done;
	}
	for (size_t f = 0; f < a->n_frames; f += CHUNK) {
		size_t k = a->n_frames - f < CHUNK ? a->n_frames - f : CHUNK, ns = k * (size_t)a->channels;
		if ((err = av_new_packet(pkt, (int)(ns * 2))) < 0) {
			rc = of_error_set_oom();
			goto done;
		}
		for (size_t i = 0; i < ns; i++) {
			float x = a->samples[f * (size_t)a->channels + i] * 32767.0f;
			int16_t v = (int16_t)(x > 32767.0f ? 32767 : x < -32768.0f ? -32768 : lrintf(x));
			pkt->data[2 * i] = (uint8_t)(v & 0xFF);
			pkt->data[2 * i + 1] = (uint8_t)((uint16_t)v >> 8);
		}
		pkt->stream_index = st->index;
		pkt->pts = pkt->dts = (int64_t)f;
		pkt->duration = (int64_t)k;
		err = av_write_frame(oc, pkt);
		av_packet_unref(pkt);
		if (err < 0) {
			rc = of_error_set_at(OF_ERROR, path, 0, 0, "cannot write: %s", av_err2str(err));
			goto done;
		}
	}
	if ((err = av_write_trailer(oc)) < 0) {
		rc = of_error_set_at(OF_ERROR, path, 0, 0, "cannot finish: %s", av_err2str(err));
		goto done;
	}
	if ((err = avio_closep(&oc->pb)) < 0) {
		rc = of_error_set_at(OF_ERROR, path, 0, 0, "cannot write: %s", av_err2str(err));
		goto done;
	}
	rc = of_atomic_commit(at);
	at = NULL;
done:
	av_packet_free(&pkt);
	if (oc) {
		if (oc->pb)
			avio_closep(&oc->pb);
		avformat_free_context(oc);
	}
	if (at)
		of_atomic_abort(at);
	return rc;
}
