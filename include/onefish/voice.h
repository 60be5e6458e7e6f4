/* voice.h — narration and the audio bed: espeak-ng (offline) or an
 * OpenAI-compatible /v1/audio/speech endpoint, music loading, ducking mix and
 * loudness normalisation. All audio here is float PCM, interleaved. */
#ifndef ONEFISH_VOICE_H
#define ONEFISH_VOICE_H

#include <stddef.h>

/** A block of audio. `samples` holds n_frames * channels floats in [-1, 1]. */
typedef struct of_audio {
	float *samples;
	size_t n_frames;
	int channels;
	int sample_rate;
} of_audio;

typedef struct of_voice_options {
	unsigned version;
	const char *engine;   /**< "espeak" (default), "tts", "none" */
	const char *voice;    /**< espeak-ng voice, default OF_VOICE_DEFAULT_NAME ("cmn" and "zh" mean it too) */
	int rate_wpm;         /**< espeak-ng speed, 0 = default */
	int sample_rate;      /**< output rate, default 48000 */
	const char *tts_endpoint, *tts_model, *tts_voice, *tts_api_key_env; /**< borrowed */
	double tts_timeout_s;
	const char *cache_dir; /**< TTS answers cached here by request hash; NULL = none */
	int *tts_failed;       /**< optional, caller-owned: set to 1 when TTS failed (and warned once);
				    while 1, espeak-ng speaks without trying TTS again (one warning and one
				    timeout per video, not per scene) */
	double speech_rate;    /**< pace to keep, 字 per second (the storyboard's "speech_rate"), 0 = the
				    voice's default. For a Chinese espeak-ng voice it chooses the speed
				    (of_voice_wpm_for_rate) unless rate_wpm is set; engine "none" takes this
				    long per 字. A TTS endpoint keeps its own pace. */
} of_voice_options;

/** The espeak-ng voice used when none is set: Mandarin, 汉字 read as pinyin. */
#define OF_VOICE_DEFAULT_NAME "cmn-latn-pinyin"
/** The pace narration is planned and spoken at when nobody sets one, 字 per second: the
 * script stage's default `speech_rate`, and what a Chinese espeak-ng voice keeps without one. */
#define OF_VOICE_DEFAULT_SPEECH_RATE 4.0
#define OF_VOICE_OPTIONS_VERSION 2
#define OF_VOICE_OPTIONS_INIT {OF_VOICE_OPTIONS_VERSION, "espeak", OF_VOICE_DEFAULT_NAME, 0, 48000, NULL, NULL, NULL, NULL, 60.0, NULL, NULL, 0.0}

/**
 * The espeak-ng speed (words per minute, 80–400) at which a Chinese voice
 * (cmn-latn-pinyin) says `zi_per_s` spoken units a second, as the script stage
 * counts them (a 汉字 or a digit is one, three Latin letters one): a calibration
 * measured on real narration (docs/voice.md), interpolated linearly. Rates
 * outside what espeak-ng can reach give 80 or 400; 0, a negative rate or NaN
 * gives 0 (no rate: the voice's default). Cannot fail.
 */
int of_voice_wpm_for_rate(double zi_per_s);

/** Allocates silent audio. Free with of_audio_free(). Returns 0 or OF_ENOMEM. */
int of_audio_new(of_audio **out, size_t n_frames, int channels, int sample_rate);

/** Frees audio; accepts NULL. */
void of_audio_free(of_audio *a);

/**
 * Speaks `text` (UTF-8 Chinese, sentence by sentence) into mono audio at
 * opts->sample_rate. Free with of_audio_free().
 * @return 0, OF_ENOTFOUND (voice missing: message names it), OF_ENET (TTS),
 *         OF_EMEDIA, OF_EINVALID (empty text).
 */
int of_voice_say(of_audio **out, const char *text, const of_voice_options *opts);

/**
 * Decodes a music file (anything libavformat reads; opened as a literal local
 * file) to stereo at `sample_rate`, looped or cut to `n_frames`, with short
 * fades at both ends. Free with of_audio_free().
 * @return 0, OF_ENOTFOUND, OF_EMEDIA.
 */
int of_audio_load_music(of_audio **out, const char *path, int sample_rate, size_t n_frames);

/** A narration clip placed on the timeline (borrowed). */
typedef struct of_audio_clip {
	const of_audio *audio;
	double start; /**< seconds */
} of_audio_clip;

/**
 * Mixes narration clips over `music` (may be NULL) into a stereo track of
 * `duration` seconds: music ducked under the voice, the whole mix normalised
 * to `target_lufs` (e.g. -16) with a true-peak ceiling. Free with of_audio_free().
 * @return 0, OF_ENOMEM, OF_EMEDIA.
 */
int of_audio_mix(of_audio **out, const of_audio_clip *clips, size_t n_clips, const of_audio *music,
		 double duration, int sample_rate, double target_lufs);

/**
 * Like of_audio_mix(), and also the stems an editor lays on a timeline: `*voice_out`
 * the narration alone, `*music_out` the ducked bed alone, both stereo (the voice on
 * both channels, as in the mix), each with the mix's gain and its limiter's envelope,
 * so that the two add up to the mix. A stem is NULL when the mix has no clip / no music (or its pointer is
 * NULL). Free each with of_audio_free().
 * @return 0, OF_ENOMEM, OF_EMEDIA.
 */
int of_audio_mix_stems(of_audio **out, of_audio **voice_out, of_audio **music_out, const of_audio_clip *clips,
		       size_t n_clips, const of_audio *music, double duration, int sample_rate, double target_lufs);

/**
 * Writes `a` as a 16-bit PCM WAV file (libavformat's wav muxer, bit-exact: same
 * samples, same bytes) to `path`, atomically. Path borrowed.
 * @return 0, OF_EMEDIA, OF_ERROR (I/O), OF_ENOMEM.
 */
int of_audio_write_wav(const of_audio *a, const char *path);

/** Integrated loudness in LUFS (EBU R128) of `a`, via libavfilter's ebur128. */
int of_audio_loudness(double *lufs, const of_audio *a);

#endif
