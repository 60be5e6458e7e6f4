/* voice.c — of_voice_say: splits narration into sentences, speaks each with
 * the chosen engine (TTS falls back to espeak-ng), joins them with short pauses. */
#include "voice_int.h"

#include "onefish/error.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Sentence ends: 。！？；… and the ASCII/full-width cousins, and line breaks. */
static int is_stop(int32_t cp)
{
	switch (cp) {
	case 0x3002: case 0xFF01: case 0xFF1F: case 0xFF1B: case 0x2026:
	case '!': case '?': case ';': case '\n': case '\r': case 0xFF0E:
		return 1;
	default:
		return 0;
	}
}

/* A closing quote or bracket right after a stop belongs to the sentence it ends. */
static int is_closer(int32_t cp)
{
	return cp == 0x201D || cp == 0x2019 || cp == 0x300D || cp == 0x300F || cp == 0xFF09 ||
	       cp == ')' || cp == '"' || cp == '\'';
}

int of_voice__speakable(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		int32_t cp;
		int n = of_utf8_next(s + i, len - i, &cp);
		if (n < 1)
			return 0;
		if (of_utf8_is_han(cp) || (cp < 128 && ((cp >= '0' && cp <= '9') ||
							 ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'))))
			return 1;
		if (cp >= 0xFF10 && cp <= 0xFF5A) /* full-width digits and letters */
			return 1;
		i += (size_t)n;
	}
	return 0;
}

int of_voice__split(of_voice__sentence **out, size_t *n_out, const char *text)
{
	size_t len = strlen(text), i = 0, start = 0, n = 0, cap = 16;
	of_voice__sentence *v = malloc(cap * sizeof *v);
	*out = NULL;
	*n_out = 0;
	if (!v)
		return of_error_set_oom();
	while (start < len) {
		int32_t cp = 0;
		int k;
		/* Find the end of this sentence: past its stop(s) and closers. */
		while (i < len) {
			k = of_utf8_next(text + i, len - i, &cp);
			i += (size_t)(k < 1 ? 1 : k);
			if (is_stop(cp))
				break;
		}
		while (i < len) {
			k = of_utf8_next(text + i, len - i, &cp);
			if (k < 1 || !(is_stop(cp) || is_closer(cp)))
				break;
			i += (size_t)k;
		}
		if (of_voice__speakable(text + start, i - start)) {
			if (n == OF_MAX_NARRATION_SENTENCES) {
				free(v);
				return of_error_set(OF_ELIMIT, "narration has more than %d sentences",
						    OF_MAX_NARRATION_SENTENCES);
			}
			if (n == cap) {
				of_voice__sentence *nv = realloc(v, cap * 2 * sizeof *v);
				if (!nv) {
					free(v);
					return of_error_set_oom();
				}
				v = nv;
				cap *= 2;
			}
			v[n].text = text + start;
			v[n].len = i - start;
			n++;
		}
		start = i;
	}
	*out = v;
	*n_out = n;
	return 0;
}

/* Silence standing in for narration when engine is "none": at the speech rate
 * (OF_VOICE_DEFAULT_SPEECH_RATE when unset) per character, so scene timings stay plausible. */
static int say_none(of_audio **out, const char *text, double speech_rate, int rate)
{
	if (!(speech_rate > 0))
		speech_rate = OF_VOICE_DEFAULT_SPEECH_RATE;
	double secs = (double)of_utf8_count(text, strlen(text)) / speech_rate;
	if (secs < 0.5)
		secs = 0.5;
	if (secs > OF_MAX_AUDIO_SECONDS)
		secs = OF_MAX_AUDIO_SECONDS;
	return of_audio_new(out, (size_t)lround(secs * rate), 1, rate);
}

/* Appends `piece` after `pause` frames of silence, growing `dst` as needed. */
static int append(of_audio *dst, size_t *cap, const of_audio *piece, size_t pause, size_t max_frames)
{
	size_t used = dst->n_frames, need = used + pause + piece->n_frames;
	if (need > max_frames)
		return of_error_set(OF_ELIMIT, "narration longer than %.0f s", OF_MAX_AUDIO_SECONDS);
	if (need > *cap) {
		size_t ncap = need > *cap * 2 ? need : *cap * 2;
		float *s = realloc(dst->samples, ncap * sizeof(float));
		if (!s)
			return of_error_set_oom();
		dst->samples = s;
		*cap = ncap;
	}
	memset(dst->samples + used, 0, pause * sizeof(float));
	memcpy(dst->samples + used + pause, piece->samples, piece->n_frames * sizeof(float));
	dst->n_frames = need;
	return 0;
}

int of_voice_say(of_audio **out, const char *text, const of_voice_options *opts)
{
	of_voice_options o = OF_VOICE_OPTIONS_INIT;
	of_voice__sentence *sent = NULL;
	size_t n_sent = 0, cap = 1, len, pause, max_frames, bad;
	of_audio *all = NULL, *piece = NULL;
	int rc = 0, use_tts, warned = 0;

	*out = NULL;
	if (opts)
		o = *opts;
	if (!o.engine)
		o.engine = "espeak";
	if (!o.voice || !*o.voice)
		o.voice = OF_VOICE__DEFAULT;
	if (o.sample_rate <= 0)
		o.sample_rate = 48000;
	if (o.sample_rate < 8000 || o.sample_rate > OF_MAX_AUDIO_RATE)
		return of_error_set(OF_EINVALID, "narration: unsupported sample rate %d", o.sample_rate);
	if (!text || !*text)
		return of_error_set(OF_EINVALID, "narration text is empty");
	len = strlen(text);
	if (len > OF_MAX_NARRATION_BYTES)
		return of_error_set(OF_ELIMIT, "narration text is %zu bytes (limit %zu)", len,
				    OF_MAX_NARRATION_BYTES);
	if (!of_utf8_valid(text, len, &bad))
		return of_error_set(OF_EINVALID, "narration text is not valid UTF-8 (byte %zu)", bad);
	if (strcmp(o.engine, "none") == 0)
		return say_none(out, text, o.speech_rate, o.sample_rate);
	if (strcmp(o.engine, "espeak") != 0 && strcmp(o.engine, "tts") != 0)
		return of_error_set(OF_EINVALID, "unknown narration engine '%s' (espeak, tts or none)",
				    o.engine);
	use_tts = strcmp(o.engine, "tts") == 0 && !(o.tts_failed && *o.tts_failed);
	if (use_tts && (!o.tts_endpoint || !*o.tts_endpoint)) {
		of_log(OF_LOG_WARN, "voice: engine tts but no tts.endpoint configured; using espeak-ng");
		use_tts = 0;
	}
	if ((rc = of_voice__split(&sent, &n_sent, text)) < 0)
		return rc;
	if (n_sent == 0) {
		free(sent);
		return of_error_set(OF_EINVALID, "narration text has nothing to speak");
	}
	max_frames = (size_t)(OF_MAX_AUDIO_SECONDS * o.sample_rate);
	if ((rc = of_audio_new(&all, 0, 1, o.sample_rate)) < 0)
		goto done;
	pause = (size_t)lround(OF_VOICE__SENTENCE_PAUSE * o.sample_rate);
	for (size_t i = 0; i < n_sent; i++) {
		if (use_tts) {
			rc = of_voice__tts(&piece, sent[i].text, sent[i].len, &o);
			if (rc < 0) {
				/* Same rule as the LLM client: any failure falls back to the
				 * offline engine, with a warning (the key is never in it). */
				if (!warned)
					of_log(OF_LOG_WARN, "voice: TTS failed (%s); falling back to espeak-ng%s",
					       of_error_last()->message, o.tts_failed ? " for the rest of the video" : "");
				warned = 1;
				if (o.tts_failed)
					*o.tts_failed = 1;
				use_tts = 0;
			}
		}
		if (!use_tts && (rc = of_voice__espeak(&piece, sent[i].text, sent[i].len, &o)) < 0)
			goto done;
		if (piece->n_frames > 0)
			rc = append(all, &cap, piece, all->n_frames > 0 ? pause : 0, max_frames);
		of_audio_free(piece);
		piece = NULL;
		if (rc < 0)
			goto done;
	}
	if (all->n_frames == 0) {
		rc = of_error_set(OF_EMEDIA, "narration: the engine produced no audio");
		goto done;
	}
	*out = all;
	all = NULL;
done:
	of_audio_free(all);
	free(sent);
	return rc;
}
