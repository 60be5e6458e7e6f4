/* voice.c — placeholder until the narration engine lands: silence only. */
#include "onefish/voice.h"
#include "onefish/error.h"

#include <stdlib.h>

int of_audio_new(of_audio **out, size_t n_frames, int channels, int sample_rate)
{
	of_audio *a = calloc(1, sizeof *a);
	if (!a)
		return of_error_set_oom();
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

int of_voice_say(of_audio **out, const char *text, const of_voice_options *opts)
{
	(void)text; (void)opts;
	*out = NULL;
	return of_error_set(OF_ENOTFOUND, "narration engine not available yet");
}

int of_audio_load_music(of_audio **out, const char *path, int sample_rate, size_t n_frames)
{
	(void)sample_rate; (void)n_frames;
	*out = NULL;
	return of_error_set(OF_ENOTFOUND, "%s: music loading not available yet", path);
}

int of_audio_mix(of_audio **out, const of_audio_clip *clips, size_t n_clips, const of_audio *music,
		 double duration, int sample_rate, double target_lufs)
{
	(void)clips; (void)n_clips; (void)music; (void)target_lufs;
	return of_audio_new(out, (size_t)(duration * sample_rate), 2, sample_rate);
}

int of_audio_loudness(double *lufs, const of_audio *a)
{
	(void)a;
	*lufs = -70;
	return 0;
}
