/* loudness.c — EBU R128 integrated loudness and true peak, measured by
 * libavfilter's ebur128 filter (abuffer → ebur128 → abuffersink). */
#include "voice_int.h"

#include "onefish/error.h"

#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/channel_layout.h>
#include <libavutil/frame.h>
#include <libavutil/opt.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 4800 /* 100 ms at 48 kHz: ebur128's own block */

/* Reads what the filter attached to one frame: the running integrated
 * loudness and, per channel, the running maximum true peak. */
static void read_meta(const AVFrame *f, int channels, double *lufs, double *tp)
{
	AVDictionaryEntry *e = av_dict_get(f->metadata, "lavfi.r128.I", NULL, 0);
	char key[64];
	if (e)
		*lufs = strtod(e->value, NULL);
	for (int c = 0; c < channels; c++) {
		snprintf(key, sizeof key, "lavfi.r128.true_peaks_ch%d", c);
		e = av_dict_get(f->metadata, key, NULL, 0);
		if (e) {
			double v = strtod(e->value, NULL);
			if (v > *tp)
				*tp = v;
		}
	}
}

static int drain(AVFilterContext *sink, AVFrame *f, int channels, double *lufs, double *tp)
{
	int r;
	while ((r = av_buffersink_get_frame(sink, f)) >= 0) {
		read_meta(f, channels, lufs, tp);
		av_frame_unref(f);
	}
	return r == AVERROR(EAGAIN) || r == AVERROR_EOF ? 0 : r;
}

int of_voice__measure(double *lufs, double *true_peak_db, const of_audio *a)
{
	AVFilterGraph *g = NULL;
	AVFilterContext *src = NULL, *meter = NULL, *sink = NULL;
	AVFrame *f = NULL;
	AVChannelLayout layout;
	char args[256], lay[64];
	double I = -70.0, tp = 0.0;
	int rc = 0, r = 0;
	size_t ch = (size_t)a->channels;

	of_voice__quiet_libav();
	av_channel_layout_default(&layout, a->channels);
	av_channel_layout_describe(&layout, lay, sizeof lay);
	snprintf(args, sizeof args, "sample_rate=%d:sample_fmt=flt:channel_layout=%s:time_base=1/%d",
		 a->sample_rate, lay, a->sample_rate);
	g = avfilter_graph_alloc();
	f = av_frame_alloc();
	if (!g || !f) {
		rc = of_error_set_oom();
		goto done;
	}
	g->nb_threads = 1; /* deterministic and cheap */
	if ((r = avfilter_graph_create_filter(&src, avfilter_get_by_name("abuffer"), "in", args, NULL, g)) < 0 ||
	    (r = avfilter_graph_create_filter(&meter, avfilter_get_by_name("ebur128"), "meter",
					      true_peak_db ? "metadata=1:peak=true" : "metadata=1", NULL, g)) < 0 ||
	    (r = avfilter_graph_create_filter(&sink, avfilter_get_by_name("abuffersink"), "out", NULL, NULL,
					      g)) < 0 ||
	    (r = avfilter_link(src, 0, meter, 0)) < 0 || (r = avfilter_link(meter, 0, sink, 0)) < 0 ||
	    (r = avfilter_graph_config(g, NULL)) < 0) {
		rc = of_error_set(OF_EMEDIA, "loudness: cannot build the ebur128 graph (%s)", av_err2str(r));
		goto done;
	}
	for (size_t pos = 0; pos < a->n_frames; pos += CHUNK) {
		size_t n = a->n_frames - pos < CHUNK ? a->n_frames - pos : CHUNK;
		f->format = AV_SAMPLE_FMT_FLT;
		f->sample_rate = a->sample_rate;
		f->nb_samples = (int)n;
		f->pts = (int64_t)pos;
		if ((r = av_channel_layout_copy(&f->ch_layout, &layout)) < 0 || (r = av_frame_get_buffer(f, 0)) < 0) {
			rc = of_error_set_oom();
			goto done;
		}
		memcpy(f->data[0], a->samples + pos * ch, n * ch * sizeof(float));
		if ((r = av_buffersrc_add_frame_flags(src, f, 0)) < 0 || (r = drain(sink, f, a->channels, &I, &tp)) < 0) {
			rc = of_error_set(OF_EMEDIA, "loudness: ebur128 failed (%s)", av_err2str(r));
			goto done;
		}
		av_frame_unref(f);
	}
	if ((r = av_buffersrc_add_frame_flags(src, NULL, 0)) < 0 || (r = drain(sink, f, a->channels, &I, &tp)) < 0) {
		rc = of_error_set(OF_EMEDIA, "loudness: ebur128 failed (%s)", av_err2str(r));
		goto done;
	}
	*lufs = I;
	if (true_peak_db)
		*true_peak_db = of_voice__db(tp);
done:
	av_channel_layout_uninit(&layout);
	av_frame_free(&f);
	avfilter_graph_free(&g);
	return rc;
}

int of_audio_loudness(double *lufs, const of_audio *a)
{
	if (!a || a->channels < 1 || a->sample_rate < 1)
		return of_error_set(OF_EINVALID, "loudness: no audio");
	return of_voice__measure(lufs, NULL, a);
}
