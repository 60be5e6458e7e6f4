/* avlog.c — libav* logging routed away from stderr: the library never prints.
 * The first error-level line per thread (since the last clear) is kept so our messages can quote it
 * ("Picture size 30000x30000 exceeds ..."). */
#include "render_int.h"

#include "onefish/log.h"

#include <libavutil/log.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last_msg[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void on_av_log(void *avcl, int level, const char *fmt, va_list vl)
{
	char line[512];
	int prefix = 1;
	if (level > AV_LOG_ERROR)
		return;
	av_log_format_line2(avcl, level, fmt, vl, line, sizeof line, &prefix);
	size_t n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	/* Strip the "[png @ 0x55...] " context: pointer values would make messages non-deterministic. */
	const char *m = line;
	while (m[0] == '[') { /* nested contexts: "[png @ 0x..] [IMGUTILS @ 0x..] Picture size ..." */
		const char *close = strstr(m, "] ");
		if (!close)
			break;
		m = close + 2;
	}
	/* Keep the first error since the last clear: it is the cause ("Picture size 30000x30000
	 * is invalid"); later lines are consequences ("Invalid image size"). */
	if (!last_msg[0])
		snprintf(last_msg, sizeof last_msg, "%s", m);
}

static void install(void)
{
	av_log_set_callback(on_av_log);
}

void of_av_log_capture(void)
{
	pthread_once(&once, install);
}

const char *of_av_last_message(void)
{
	return last_msg;
}

void of_av_clear_message(void)
{
	last_msg[0] = '\0';
}
