/* pack_events.c — pack-level events for people (stderr lines) and CI (--json lines). */
#include "pack_events.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int g_json, g_quiet;

void of_pack_events_setup(int json, int quiet)
{
	g_json = json;
	g_quiet = quiet;
}

int of_pack_events_json(void)
{
	return g_json;
}

void of_pack_event(const char *event, const char *pack, const char *stage, json_t *extra, int warn,
		   const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (g_json) {
		json_t *o = json_object();
		char *s;
		if (!o)
			goto done;
		json_object_set_new(o, "event", json_string(event));
		json_object_set_new(o, "level", json_string(warn ? "warning" : "info"));
		if (pack)
			json_object_set_new(o, "pack", json_string(pack));
		if (stage)
			json_object_set_new(o, "stage", json_string(stage));
		if (msg[0])
			json_object_set_new(o, "message", json_string(msg));
		if (extra)
			json_object_update(o, extra);
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (s) {
			fprintf(stdout, "%s\n", s);
			fflush(stdout);
			free(s);
		}
		json_decref(o);
	} else if (!g_quiet || warn) {
		if (pack && stage)
			fprintf(stderr, "%s: %s: %s%s\n", pack, stage, warn ? "warning: " : "", msg);
		else if (pack)
			fprintf(stderr, "%s: %s%s\n", pack, warn ? "warning: " : "", msg);
		else
			fprintf(stderr, "%s%s\n", warn ? "warning: " : "", msg);
	}
done:
	json_decref(extra);
}
