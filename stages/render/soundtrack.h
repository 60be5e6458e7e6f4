/* soundtrack.h — private to stages/render/: narration, timing, music and mix. */
#ifndef ONEFISH_RENDER_SOUNDTRACK_H
#define ONEFISH_RENDER_SOUNDTRACK_H

#include "onefish/voice.h"
#include "render_int.h"

/**
 * Speaks each scene's narration (voice.h), lengthens a scene whose narration
 * is longer than it (later scenes shift; durations stay multiples of 1/fps),
 * loads the music bed and mixes everything into one stereo track of the
 * (adjusted) script length. A missing engine or music is a warning (counted
 * in `warnings`): the video gets silence instead. Caller frees `*out` with
 * of_audio_free(). @return 0, OF_ENOMEM, OF_EMEDIA; OF_EINVALID when the
 * lengthened video would be over OF_MAX_VIDEO_SECONDS (the message says so).
 */
int of_soundtrack_build(of_audio **out, of_rscript *s, const of_video_options *o, int fps, int sample_rate,
			size_t *warnings);

/**
 * Same, and the stems when `voice_out` / `music_out` are given (of_audio_mix_stems):
 * the narration alone and the ducked music alone, on the same timeline as the mix;
 * NULL when there is no voice / no music. Free each with of_audio_free().
 */
int of_soundtrack_build_stems(of_audio **out, of_audio **voice_out, of_audio **music_out, of_rscript *s,
			      const of_video_options *o, int fps, int sample_rate, size_t *warnings);

#endif
