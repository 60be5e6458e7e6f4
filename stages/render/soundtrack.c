/* soundtrack.c — narration per scene (through voice.h), scene timing that
 * follows the real narration lengths, the music bed, and the final mix. */
#include "render_int.h"
#include "soundtrack.h"

#include "onefish/error.h"
#include "onefish/limits.h"
#include "onefish/fileio.h"
#include "onefish/log.h"
#include "onefish/voice.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The voice starts a little after the cut and leaves a breath before the next scene. */
#define LEAD_S 0.15
#define TAIL_S 0.25
/* How far one scene's pace may move from the storyboard's speech rate to fit its shot: a
 * clip longer than the shot is said again up to 25 % faster (before the shot is lengthened),
 * one that leaves it half silent up to 15 % slower (3.4 字/s at the default 4: still a
 * narrator's pace). FIT_FILL is the share of the room (the shot less LEAD_S and TAIL_S) a
 * slowed clip aims at: espeak-ng's pace is not exactly proportional to its speed. */
#define FIT_FASTER 1.25
#define FIT_SLOWER 0.85
#define FIT_FILL 0.97

/* Says scene `sc` again at the pace that fills its room, within FIT_SLOWER..FIT_FASTER of
 * the speech rate, and keeps the new clip when it is closer to filling the room without
 * overrunning it (or, for a clip that overran, when it is shorter). Any failure keeps the
 * first clip: this only refines it. */
static void fit_clip(of_audio **clip, const of_rscene *sc, const of_voice_options *vo)
{
	double len = (double)(*clip)->n_frames / (*clip)->sample_rate;
	double room = sc->duration - LEAD_S - TAIL_S;
	double pace = vo->speech_rate > 0 ? vo->speech_rate : OF_VOICE_DEFAULT_SPEECH_RATE;
	double k = len > room ? len / room * 1.03 : len / (room * FIT_FILL);
	of_voice_options again_o = *vo;
	of_audio *again = NULL;
	if (room <= 0 || (k >= 0.97 && k <= 1.0))
		return; /* fills it already */
	k = fmax(FIT_SLOWER, fmin(FIT_FASTER, k));
	again_o.speech_rate = pace * k;
	if (of_voice_wpm_for_rate(again_o.speech_rate) == of_voice_wpm_for_rate(pace))
		return;
	if (of_voice_say(&again, sc->narration, &again_o) != 0 || !again)
		return;
	double len2 = (double)again->n_frames / again->sample_rate;
	if (len > room ? len2 < len : (len2 > len && len2 <= room)) {
		of_audio_free(*clip);
		*clip = again;
		return;
	}
	of_audio_free(again);
}

int of_soundtrack_build(of_audio **out, of_rscript *s, const of_video_options *o, int fps, int sample_rate,
			size_t *warnings)
{
	return of_soundtrack_build_stems(out, NULL, NULL, s, o, fps, sample_rate, warnings);
}

int of_soundtrack_build_stems(of_audio **out, of_audio **voice_out, of_audio **music_out, of_rscript *s,
			      const of_video_options *o, int fps, int sample_rate, size_t *warnings)
{
	of_audio **clips = NULL;
	of_audio_clip *placed = NULL;
	of_audio *music = NULL;
	char *music_path = NULL;
	size_t n_placed = 0;
	int rc = 0;
	int voice_on = !(o->voice_engine && strcmp(o->voice_engine, "none") == 0);

	*out = NULL;
	if (voice_out)
		*voice_out = NULL;
	if (music_out)
		*music_out = NULL;
	if (!(clips = calloc(s->n_scenes, sizeof *clips)) || !(placed = calloc(s->n_scenes, sizeof *placed)))
		return of_error_set_oom();

	of_voice_options vo = OF_VOICE_OPTIONS_INIT;
	vo.engine = o->voice_engine ? o->voice_engine : "espeak";
	vo.voice = o->voice_name ? o->voice_name : OF_VOICE_DEFAULT_NAME;
	vo.rate_wpm = o->voice_rate;
	vo.speech_rate = s->speech_rate;
	/* A Chinese espeak-ng voice's pace follows vo.speech_rate, so a clip can be fitted to its shot,
	 * unless the user set voice.rate; a TTS voice keeps its own pace, and so do other espeak voices. */
	int refit = o->voice_rate <= 0 && strcmp(vo.engine, "espeak") == 0 &&
		    (strncmp(vo.voice, "cmn", 3) == 0 || strncmp(vo.voice, "zh", 2) == 0 || strncmp(vo.voice, "yue", 3) == 0);
	vo.sample_rate = sample_rate;
	vo.tts_endpoint = o->tts_endpoint;
	vo.tts_model = o->tts_model;
	vo.tts_voice = o->tts_voice;
	vo.tts_api_key_env = o->tts_api_key_env;
	vo.cache_dir = o->flags.cache_dir;
	int tts_failed = 0;
	vo.tts_failed = &tts_failed;

	for (size_t i = 0; voice_on && i < s->n_scenes; i++) {
		of_rscene *sc = &s->scenes[i];
		if (!sc->narration[0])
			continue;
		int r = of_voice_say(&clips[i], sc->narration, &vo);
		if (r == OF_ENOTFOUND) {
			/* The engine or voice is missing: say so once, then render without a voice. */
			of_log(OF_LOG_WARN, "video: narration unavailable (%s); rendering without a voice",
			       of_error_last()->message);
			(*warnings)++;
			voice_on = 0;
			clips[i] = NULL;
			break;
		}
		if (r != 0) {
			of_log_warn_at(s->path, 0, 0, "scenes[%zu].narration: %s; this scene has no voice", i,
				       of_error_last()->message);
			(*warnings)++;
			clips[i] = NULL;
			continue;
		}
		if (!clips[i] || clips[i]->sample_rate <= 0)
			continue;
		double len = (double)clips[i]->n_frames / clips[i]->sample_rate;
		/* The planner sized the shot for its text at the speech rate, but espeak-ng says one
		 * text up to 15 % faster or slower than its mean pace (digits, Latin letters, short
		 * words), and the planner gives a shot the time its whole sentences leave: each clip is
		 * fitted to its shot. The scenes are spoken in script order either way, so the output
		 * stays deterministic. */
		if (refit) {
			fit_clip(&clips[i], sc, &vo);
			len = (double)clips[i]->n_frames / clips[i]->sample_rate;
		}
		double need = LEAD_S + len + TAIL_S;
		if (need > sc->duration) {
			double nd = ceil(need * fps - 1e-6) / fps;
			of_log(OF_LOG_INFO, "video: scene %s lengthened from %.2f s to %.2f s to fit its narration",
			       sc->id ? sc->id : "?", sc->duration, nd);
			sc->duration = nd;
		}
	}
	of_rscript_retime(s);
	if (s->duration > OF_MAX_VIDEO_SECONDS) { /* before the music is read and mixed for nothing */
		rc = of_error_set_at(OF_EINVALID, s->path, 0, 0,
				     "the narration makes the video %.1f s long (scenes lengthened to fit it), over the %.0f s "
				     "limit: shorten the narration",
				     s->duration, OF_MAX_VIDEO_SECONDS);
		for (size_t i = 0; i < s->n_scenes; i++)
			of_audio_free(clips[i]);
		free(clips);
		free(placed);
		return rc;
	}
	for (size_t i = 0; i < s->n_scenes; i++)
		if (clips[i]) {
			placed[n_placed].audio = clips[i];
			placed[n_placed].start = s->scenes[i].start + LEAD_S;
			n_placed++;
		}

	size_t total_frames = (size_t)llround(s->duration * sample_rate);
	if (o->music && o->music[0]) {
		music_path = strdup(o->music);
	} else if (of_asset_path(&music_path, "music/bed.m4a") != 0) {
		music_path = NULL;
		of_log(OF_LOG_WARN, "video: default music bed not found (assets/music/bed.m4a); no music");
		(*warnings)++;
	}
	if (music_path) {
		int r = of_audio_load_music(&music, music_path, sample_rate, total_frames);
		if (r != 0) {
			/* name the file tried: a relative video.music resolved in the wrong folder read
			 * only "cannot open music: No such file or directory" */
			const of_error *e = of_error_last();
			char msg[1400];
			if (e->path[0])
				of_error_format(e, msg, sizeof msg);
			else if (strncmp(e->message, music_path, strlen(music_path)) == 0)
				snprintf(msg, sizeof msg, "%s", e->message);
			else
				snprintf(msg, sizeof msg, "%s: %s", music_path, e->message);
			of_log(OF_LOG_WARN, "video: no music: %s", msg);
			(*warnings)++;
			music = NULL;
		}
	}
	rc = of_audio_mix_stems(out, voice_out, music_out, placed, n_placed, music, s->duration, sample_rate, -16.0);
	free(music_path);
	of_audio_free(music);
	for (size_t i = 0; i < s->n_scenes; i++)
		of_audio_free(clips[i]);
	free(clips);
	free(placed);
	return rc;
}
