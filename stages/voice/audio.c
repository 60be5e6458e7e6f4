/* audio.c — the of_audio block: allocation, trimming, dB helpers, libav logging. */
#include "voice_int.h"

#include "onefish/error.h"

#include <libavutil/log.h>

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int of_audio_new(of_audio **out, size_t n_frames, int channels, int sample_rate)
{
	of_audio *a;
	*out = NULL;
	if (channels < 1 || channels > 8 || sample_rate < 1)
		return of_error_set(OF_EINVALID, "audio: bad format (%d channels at %d Hz)", channels,
				    sample_rate);
	if (n_frames > SIZE_MAX / sizeof(float) / (size_t)channels - 1)
		return of_error_set_oom();
	a = calloc(1, sizeof *a);
	if (!a)
		return of_error_set_oom();
	/* +1 so that a zero-length block still owns a valid pointer. */
	a->samples = calloc(n_frames * (size_t)channels + 1, sizeof(float));
	if (!a->samples) {
		free(a);
		return of_error_set_oom();
	}
	a->n_frames = n_frames;
	a->channels = channels;
	a->sample_rate = sample_rate;
	*out = a;
	return 0;
}

void of_audio_free(of_audio *a)
{
	if (!a)
		return;
	free(a->samples);
	free(a);
}

static int frame_loud(const of_audio *a, size_t i)
{
	for (int c = 0; c < a->channels; c++)
		if (fabsf(a->samples[i * (size_t)a->channels + (size_t)c]) > OF_VOICE__SILENCE)
			return 1;
	return 0;
}

void of_voice__trim(of_audio *a)
{
	size_t first = 0, last = a->n_frames, ch = (size_t)a->channels;
	while (first < a->n_frames && !frame_loud(a, first))
		first++;
	while (last > first && !frame_loud(a, last - 1))
		last--;
	/* Keep 10 ms on each side so that consonant onsets and decays are not clipped. */
	{
		size_t pad = (size_t)a->sample_rate / 100;
		first = first > pad ? first - pad : 0;
		last = last + pad < a->n_frames ? last + pad : a->n_frames;
		if (last < first)
			last = first;
	}
	if (first > 0)
		memmove(a->samples, a->samples + first * ch, (last - first) * ch * sizeof(float));
	a->n_frames = last - first;
}

double of_voice__db(double gain)
{
	return gain > 1e-10 ? 20.0 * log10(gain) : -200.0;
}

double of_voice__gain(double db)
{
	return pow(10.0, db / 20.0);
}

static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;

static void quiet(void)
{
	/* The ebur128 filter prints a summary at INFO when freed; the library must
	 * not print. Only the default level is lowered: a caller that chose a level
	 * or installed its own av_log callback keeps it. */
	if (av_log_get_level() == AV_LOG_INFO)
		av_log_set_level(AV_LOG_ERROR);
}

void of_voice__quiet_libav(void)
{
	pthread_once(&quiet_once, quiet);
}
