/* tts.c — placeholder, replaced below. */
#include "voice_int.h"
#include "onefish/error.h"
int of_voice__tts(of_audio **out, const char *text, size_t len, const of_voice_options *opts)
{
	(void)text; (void)len; (void)opts;
	*out = NULL;
	return of_error_set(OF_ENET, "TTS not available");
}
