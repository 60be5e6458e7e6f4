/* mix.c — placeholder. */
#include "voice_int.h"
#include "onefish/error.h"
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
