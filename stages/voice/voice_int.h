/* voice_int.h — internals shared by the voice stage's modules (not public). */
#ifndef ONEFISH_VOICE_INT_H
#define ONEFISH_VOICE_INT_H

#include "onefish/voice.h"

#include <stddef.h>
#include <stdint.h>

/** Pause inserted between two narrated sentences, seconds. */
#define OF_VOICE__SENTENCE_PAUSE 0.12
/** espeak-ng speed for Chinese voices when neither a speed nor a speech rate is set:
 * of_voice_wpm_for_rate(OF_VOICE_DEFAULT_SPEECH_RATE), 4 字/s (test_voice checks they agree). */
#define OF_VOICE__CMN_WPM 184
/** The default voice. espeak-ng 1.51's "cmn" turns 汉字 into pinyin and then reads
 * that as English ("宝宝" as "bao three bao three"); its pinyin variant speaks Mandarin. */
#define OF_VOICE__DEFAULT OF_VOICE_DEFAULT_NAME
/** Samples quieter than this (about -50 dBFS) count as silence when trimming. */
#define OF_VOICE__SILENCE 0.0032f

/** One sentence: a slice of the caller's text (borrowed, not NUL-terminated). */
typedef struct of_voice__sentence {
	const char *text;
	size_t len;
} of_voice__sentence;

/**
 * Splits `text` after each of 。！？；… (and their ASCII cousins and line
 * breaks). Sentences holding nothing speakable are dropped. Caller frees
 * `*out` with free(). @return 0, OF_ENOMEM, OF_ELIMIT (too many sentences).
 */
int of_voice__split(of_voice__sentence **out, size_t *n_out, const char *text);

/** Non-zero if the slice has a letter or digit worth speaking. */
int of_voice__speakable(const char *s, size_t len);

/**
 * espeak-ng: speaks one sentence (`len` bytes of UTF-8) into mono float at
 * `sample_rate`, leading and trailing silence trimmed (may be 0 frames).
 * Serialised by a mutex: espeak-ng is not thread-safe.
 * @return 0, OF_ENOTFOUND (voice missing, message names it), OF_EMEDIA, OF_ENOMEM.
 */
int of_voice__espeak(of_audio **out, const char *text, size_t len, const of_voice_options *opts);

/**
 * The words a Chinese narrator says for the symbols of sales copy, which
 * espeak-ng would skip or spell in English: ¥99 → 99元, 50% → 百分之50,
 * 25℃ → 25摄氏度, 3.5kg → 3.5公斤, 20:00 → 20点, 8:30 → 8点30分, 1-3岁 → 1到3岁,
 * 元/件 → 元每件. Everything else is kept. Caller frees; NULL on OOM.
 */
char *of_voice__spoken_zh(const char *text);

/**
 * HTTP TTS: speaks one sentence through <tts_endpoint>/audio/speech (cached
 * in opts->cache_dir). @return 0, OF_ENET, OF_EMEDIA, OF_EINVALID, OF_ENOMEM.
 */
int of_voice__tts(of_audio **out, const char *text, size_t len, const of_voice_options *opts);

/** Reads up to `n` bytes into `buf`; returns bytes read, 0 at end, negative AVERROR on failure. */
typedef int (*of_voice__read_fn)(void *opaque, uint8_t *buf, int n);
/** Seeks like avio's seek callback (whence may be AVSEEK_SIZE). */
typedef int64_t (*of_voice__seek_fn)(void *opaque, int64_t offset, int whence);

/**
 * Decodes the first audio stream read through the callbacks (a custom
 * AVIOContext: no protocol or file name ever reaches libavformat) into
 * float audio of `channels` channels at `sample_rate`. Stops after
 * `max_frames` output frames (the rest is not needed) when `cut` is set,
 * else fails with OF_ELIMIT past it. Input with more than 8 channels or a
 * rate above 192 kHz is refused. `origin` names the input in messages.
 * @return 0, OF_EMEDIA, OF_ELIMIT, OF_ENOMEM.
 */
int of_voice__decode(of_audio **out, of_voice__read_fn rd, of_voice__seek_fn sk, void *opaque,
		     const char *origin, int channels, int sample_rate, size_t max_frames, int cut);

/**
 * Converts interleaved audio between rates and channel counts with
 * libswresample. @return 0, OF_EMEDIA, OF_ENOMEM.
 */
int of_voice__resample(of_audio **out, const float *in, size_t n_in, int in_channels, int in_rate,
		       int out_channels, int out_rate);

/** Removes leading and trailing silence of mono/stereo audio in place. */
void of_voice__trim(of_audio *a);

/**
 * Integrated loudness (LUFS; -70 for silence) and maximum true peak (dBTP)
 * of `a`, measured by libavfilter's ebur128. @return 0, OF_EMEDIA, OF_ENOMEM.
 */
int of_voice__measure(double *lufs, double *true_peak_db, const of_audio *a);

/** Once per process: keeps libav*'s default logger from printing informational lines. */
void of_voice__quiet_libav(void);

/** dB ↔ linear gain. */
double of_voice__db(double gain);
double of_voice__gain(double db);

#endif
