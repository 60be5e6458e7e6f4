/* espeak.c — offline narration with libespeak-ng (voice "cmn-latn-pinyin" by default).
 * espeak-ng keeps global state and is not thread-safe: one mutex guards
 * initialisation and every synthesis, and the sample collector is global.
 * espeak-ng 1.51 also carries voice state (pitch flutter phase) from one
 * utterance to the next, even across re-initialisation: the same sequence of
 * calls in a fresh process gives the same samples, but saying a sentence twice
 * in one process differs by a few milliseconds. Callers that need identical
 * output must therefore speak their texts in a fixed order. */
#include "voice_int.h"

#include "onefish/error.h"
#include "onefish/limits.h"
#include "onefish/utf8.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static int g_inited;      /* 1 ok, -1 failed (g_init_msg says why) */
static int g_rate;        /* espeak-ng's own rate, 22050 Hz */
static char g_init_msg[256];

/* Collector for the synthesis callback; only touched with g_lock held. */
static int16_t *g_pcm;
static size_t g_n, g_cap, g_max;
static int g_overflow;

static int collect(short *wav, int n, espeak_EVENT *events)
{
	(void)events;
	if (!wav || n <= 0)
		return 0;
	if (g_n + (size_t)n > g_max) {
		g_overflow = 1;
		return 1; /* abort synthesis */
	}
	if (g_n + (size_t)n > g_cap) {
		size_t ncap = g_cap ? g_cap * 2 : 65536;
		int16_t *p;
		while (ncap < g_n + (size_t)n)
			ncap *= 2;
		p = realloc(g_pcm, ncap * sizeof *p);
		if (!p) {
			g_overflow = -1;
			return 1;
		}
		g_pcm = p;
		g_cap = ncap;
	}
	memcpy(g_pcm + g_n, wav, (size_t)n * sizeof *wav);
	g_n += (size_t)n;
	return 0;
}

static int init_locked(void)
{
	espeak_ng_ERROR_CONTEXT ctx = NULL;
	espeak_ng_STATUS st;
	if (g_inited)
		return g_inited;
	espeak_ng_InitializePath(NULL);
	st = espeak_ng_Initialize(&ctx);
	if (st == ENS_OK)
		st = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL);
	if (ctx)
		espeak_ng_ClearErrorContext(&ctx);
	if (st != ENS_OK) {
		espeak_ng_GetStatusCodeMessage(st, g_init_msg, sizeof g_init_msg);
		g_inited = -1;
		return g_inited;
	}
	espeak_SetSynthCallback(collect);
	g_rate = espeak_ng_GetSampleRate();
	g_inited = g_rate > 0 ? 1 : -1;
	if (g_inited < 0)
		snprintf(g_init_msg, sizeof g_init_msg, "bad sample rate %d", g_rate);
	return g_inited;
}

/* A NUL-terminated copy without emoji and control characters, which espeak-ng
 * would otherwise spell out by name. */
static char *speakable_copy(const char *s, size_t len)
{
	char *out = malloc(len + 1);
	size_t i = 0, o = 0;
	if (!out)
		return NULL;
	while (i < len) {
		int32_t cp;
		int k = of_utf8_next(s + i, len - i, &cp);
		if (k < 1)
			k = 1, cp = ' ';
		if (cp < 0x20 || cp == 0x7F)
			out[o++] = ' ';
		else if (!of_utf8_is_emoji(cp) && !(cp >= 0xFE00 && cp <= 0xFE0F) && cp != 0x200D) {
			memcpy(out + o, s + i, (size_t)k);
			o += (size_t)k;
		}
		i += (size_t)k;
	}
	out[o] = '\0';
	return out;
}

/* espeak-ng's speed for cmn-latn-pinyin against the pace it gives, in spoken units a
 * second as the script stage counts them (of_spoken_units: a 汉字 or digit is 1), measured
 * with of_voice_say (sentence pauses included, silence trimmed) on the 88 narrations and
 * article sentences of examples/ (1991 units; docs/voice.md). One text differs from the
 * mean by up to ±15 % (digits and Latin letters take longer). Above 400 wpm espeak-ng
 * speaks no faster. */
static const struct {
	int wpm;
	double rate;
} k_pace[] = {
	{80, 1.668},  {100, 2.003}, {120, 2.440}, {140, 2.919}, {160, 3.388},
	{180, 3.882}, {200, 4.407}, {220, 4.927}, {240, 5.468}, {260, 6.065},
	{280, 6.691}, {300, 7.300}, {330, 7.928}, {360, 8.656}, {400, 9.705},
};

int of_voice_wpm_for_rate(double zi_per_s)
{
	size_t n = sizeof k_pace / sizeof k_pace[0], i;
	if (!(zi_per_s > 0))
		return 0;
	if (zi_per_s <= k_pace[0].rate)
		return k_pace[0].wpm;
	if (zi_per_s >= k_pace[n - 1].rate)
		return k_pace[n - 1].wpm;
	for (i = 1; zi_per_s > k_pace[i].rate; i++)
		;
	double t = (zi_per_s - k_pace[i - 1].rate) / (k_pace[i].rate - k_pace[i - 1].rate);
	return (int)lround(k_pace[i - 1].wpm + t * (k_pace[i].wpm - k_pace[i - 1].wpm));
}

static int is_chinese(const char *voice)
{
	return strncmp(voice, "cmn", 3) == 0 || strncmp(voice, "zh", 2) == 0 || strncmp(voice, "yue", 3) == 0;
}

/* An explicit speed wins; else a Chinese voice keeps the speech rate (the storyboard's, or
 * OF_VOICE_DEFAULT_SPEECH_RATE: OF_VOICE__CMN_WPM); other voices speak at espeak-ng's own
 * default, 175 wpm, whose pace in 字 is not calibrated. */
static int choose_wpm(const char *voice, const of_voice_options *opts)
{
	if (opts->rate_wpm > 0)
		return opts->rate_wpm;
	if (!is_chinese(voice))
		return espeakRATE_NORMAL;
	return opts->speech_rate > 0 ? of_voice_wpm_for_rate(opts->speech_rate) : OF_VOICE__CMN_WPM;
}

int of_voice__espeak(of_audio **out, const char *text, size_t len, const of_voice_options *opts)
{
	const char *voice = opts->voice && *opts->voice ? opts->voice : OF_VOICE__DEFAULT;
	/* "cmn" is what a user writes for Mandarin; in espeak-ng 1.51 it reads pinyin as English */
	if (strcmp(voice, "cmn") == 0 || strcmp(voice, "zh") == 0)
		voice = OF_VOICE__DEFAULT;
	char *copy = NULL;
	float *f = NULL;
	of_audio tmp;
	espeak_ng_STATUS st;
	int rc = 0, wpm;

	*out = NULL;
	if (!(copy = speakable_copy(text, len)))
		return of_error_set_oom();
	if (is_chinese(voice)) {
		char *spoken = of_voice__spoken_zh(copy);
		free(copy);
		if (!(copy = spoken))
			return of_error_set_oom();
	}
	pthread_mutex_lock(&g_lock);
	if (init_locked() < 0) {
		rc = of_error_set(OF_ENOTFOUND, "espeak-ng could not start (%s); install espeak-ng-data",
				  g_init_msg);
		goto done;
	}
	st = espeak_ng_SetVoiceByName(voice);
	if (st == ENS_VOICE_NOT_FOUND) {
		rc = of_error_set(OF_ENOTFOUND, "espeak-ng voice '%s' not found; install espeak-ng-data",
				  voice);
		goto done;
	} else if (st != ENS_OK) {
		char msg[256];
		espeak_ng_GetStatusCodeMessage(st, msg, sizeof msg);
		rc = of_error_set(OF_EMEDIA, "espeak-ng voice '%s': %s", voice, msg);
		goto done;
	}
	wpm = choose_wpm(voice, opts);
	if (wpm < espeakRATE_MINIMUM)
		wpm = espeakRATE_MINIMUM;
	if (wpm > espeakRATE_MAXIMUM)
		wpm = espeakRATE_MAXIMUM;
	espeak_SetParameter(espeakRATE, wpm, 0);
	g_n = 0;
	g_overflow = 0;
	g_max = (size_t)(OF_MAX_AUDIO_SECONDS * g_rate);
	if (espeak_Synth(copy, strlen(copy) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, NULL) !=
	    EE_OK) {
		rc = of_error_set(OF_EMEDIA, "espeak-ng failed to speak a sentence");
		goto done;
	}
	if (g_overflow < 0) {
		rc = of_error_set_oom();
		goto done;
	}
	if (g_overflow > 0) {
		rc = of_error_set(OF_ELIMIT, "espeak-ng: sentence longer than %.0f s", OF_MAX_AUDIO_SECONDS);
		goto done;
	}
	if (!(f = malloc((g_n + 1) * sizeof *f))) {
		rc = of_error_set_oom();
		goto done;
	}
	for (size_t i = 0; i < g_n; i++)
		f[i] = (float)g_pcm[i] / 32768.0f;
	tmp.samples = f;
	tmp.n_frames = g_n;
	tmp.channels = 1;
	tmp.sample_rate = g_rate;
	of_voice__trim(&tmp);
	rc = of_voice__resample(out, tmp.samples, tmp.n_frames, 1, g_rate, 1, opts->sample_rate);
done:
	/* Keep the collector's buffer small between calls. */
	if (g_cap > (size_t)1 << 22) {
		free(g_pcm);
		g_pcm = NULL;
		g_cap = 0;
	}
	pthread_mutex_unlock(&g_lock);
	free(f);
	free(copy);
	return rc;
}
