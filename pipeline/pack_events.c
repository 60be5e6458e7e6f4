/* pack_events.c — pack-level events for people (stderr lines) and CI (--json lines). */
#include "pack_events.h"
#include "onefish/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

static int g_json, g_quiet;
static char g_pack[256];
static char g_work[4096], g_out[4096];

/* --json: stage-internal events (warnings with file:line, bad records, progress)
 * get the pack's name too, so interleaved lines from -j N stay attributable. */
static void json_log(const of_log_record *r, void *payload)
{
	static const char *names[] = {"message", "bad_record", "stage_start", "stage_end", "progress", "summary"};
	static const char *levels[] = {"debug", "info", "warning", "error"};
	json_t *o;
	char *s;
	(void)payload;
	if (r->event == OF_EV_PROGRESS && r->done < r->total && (int)r->done % 30 != 0)
		return;
	if (!(o = json_object()))
		return;
	json_object_set_new(o, "event", json_string(names[r->event]));
	json_object_set_new(o, "level", json_string(levels[r->level]));
	if (g_pack[0])
		json_object_set_new(o, "pack", json_string(g_pack));
	if (r->stage)
		json_object_set_new(o, "stage", json_string(r->stage));
	if (r->path) {
		/* A stage names the file it is writing in the work folder; point at where it will be. */
		size_t n = strlen(g_work);
		if (n && strncmp(r->path, g_work, n) == 0 && r->path[n] == '/') {
			char fixed[8192];
			snprintf(fixed, sizeof fixed, "%s%s", g_out, r->path + n);
			json_object_set_new(o, "file", json_string(fixed));
		} else {
			json_object_set_new(o, "file", json_string(r->path));
		}
	}
	if (r->line)
		json_object_set_new(o, "line", json_integer((json_int_t)r->line));
	if (r->col)
		json_object_set_new(o, "col", json_integer((json_int_t)r->col));
	if (r->message && r->message[0])
		json_object_set_new(o, "message", json_string(r->message));
	if (r->event == OF_EV_PROGRESS) {
		json_object_set_new(o, "done", json_real(r->done));
		json_object_set_new(o, "total", json_real(r->total));
		if (r->unit)
			json_object_set_new(o, "unit", json_string(r->unit));
	}
	if (r->event == OF_EV_STAGE_END) {
		json_object_set_new(o, "seconds", json_real(r->seconds));
		json_object_set_new(o, "code", json_integer(r->code));
	}
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s) {
		fprintf(stdout, "%s\n", s);
		fflush(stdout);
		free(s);
	}
	json_decref(o);
}

void of_pack_events_work_dir(const char *work_dir, const char *out_dir)
{
	snprintf(g_work, sizeof g_work, "%s", work_dir ? work_dir : "");
	snprintf(g_out, sizeof g_out, "%s", out_dir ? out_dir : "");
}

void of_pack_events_pack(const char *name)
{
	snprintf(g_pack, sizeof g_pack, "%s", name ? name : "");
	if (g_json)
		of_log_set_handler(json_log, NULL);
}

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
		json_object_set_new(o, "level", json_string(warn > 1 ? "error" : warn ? "warning" : "info"));
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
			fprintf(stderr, "%s: %s: %s%s\n", pack, stage, warn > 1 ? "error: " : warn ? "warning: " : "", msg);
		else if (pack)
			fprintf(stderr, "%s: %s%s\n", pack, warn > 1 ? "error: " : warn ? "warning: " : "", msg);
		else
			fprintf(stderr, "%s%s\n", warn > 1 ? "error: " : warn ? "warning: " : "", msg);
	}
done:
	json_decref(extra);
}
