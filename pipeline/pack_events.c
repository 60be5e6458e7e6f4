/* pack_events.c — pack-level events for people (stderr lines) and CI (--json lines). */
#include "pack_events.h"
#include "cli.h"
#include "onefish/json.h"
#include "onefish/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

static int g_json, g_quiet, g_bar;
static char g_pack[256];
static char g_work[4096], g_out[4096], g_stage[64];

static const char *shown_path(const char *path, char *buf, size_t n);

/* --json: stage-internal events (warnings with file:line, bad records, progress)
 * get the pack's name too, so interleaved lines from -j N stay attributable. */
static void json_log(const of_log_record *r, void *payload)
{
	/* A stage names the file it is writing in the work folder; point at where it will be. */
	char fixed[8192];
	(void)payload;
	of_cli_json_event(r, g_pack[0] ? g_pack : NULL, g_stage[0] ? g_stage : NULL,
			  r->path ? shown_path(r->path, fixed, sizeof fixed) : NULL);
}

/* The path to show for a file a stage reports: work folder → pack folder. */
static const char *shown_path(const char *path, char *buf, size_t n)
{
	size_t w = strlen(g_work);
	if (path && w && strncmp(path, g_work, w) == 0 && path[w] == '/') {
		snprintf(buf, n, "%s%s", g_out, path + w);
		return buf;
	}
	return path;
}

/* Plain-text handler for a stage child, so messages name the file where the editor will find it.
 * Progress is a line every 5 s (as the CLI prints it off a terminal). */
static void text_log(const of_log_record *r, void *payload)
{
	static double last;
	char buf[8192];
	const char *path = shown_path(r->path, buf, sizeof buf);
	const char *prefix = r->level == OF_LOG_WARN ? "warning: " : r->level == OF_LOG_ERROR ? "error: " : "";
	(void)payload;
	if (r->event == OF_EV_PROGRESS) {
		char label[sizeof g_pack + sizeof g_stage + 1];
		double now = of_log_now();
		if (g_quiet)
			return;
		/* One pack at a time on a terminal: the same bar as the single-stage commands. */
		if (g_bar) {
			snprintf(label, sizeof label, "%s/%s", g_pack, r->stage ? r->stage : g_stage);
			of_cli_progress(r, label);
			return;
		}
		if (now - last < 5.0 && r->done < r->total)
			return;
		last = now;
		fprintf(stderr, "%s: %s: %.0f/%.0f %s (%.0f%%)\n", g_pack, r->stage ? r->stage : "", r->done, r->total,
			r->unit ? r->unit : "", r->total > 0 ? 100.0 * r->done / r->total : 0.0);
		return;
	}
	if (r->level == OF_LOG_DEBUG || (g_quiet && r->level < OF_LOG_WARN))
		return;
	if (r->event == OF_EV_STAGE_START || r->event == OF_EV_STAGE_END)
		return; /* the pack runner reports stage boundaries itself */
	if (g_bar)
		of_cli_clear_bar();
	if (path && r->line && r->col)
		fprintf(stderr, "%s:%lu:%lu: %s%s\n", path, r->line, r->col, prefix, r->message);
	else if (path && r->line)
		fprintf(stderr, "%s:%lu: %s%s\n", path, r->line, prefix, r->message);
	else if (path)
		fprintf(stderr, "%s: %s%s\n", path, prefix, r->message);
	else
		fprintf(stderr, "%s%s\n", prefix, r->message);
}

void of_pack_events_work_dir(const char *work_dir, const char *out_dir, const char *stage)
{
	snprintf(g_stage, sizeof g_stage, "%s", stage ? stage : "");
	snprintf(g_work, sizeof g_work, "%s", work_dir ? work_dir : "");
	snprintf(g_out, sizeof g_out, "%s", out_dir ? out_dir : "");
	of_log_set_handler(g_json ? json_log : text_log, NULL);
}

void of_pack_events_pack(const char *name)
{
	snprintf(g_pack, sizeof g_pack, "%s", name ? name : "");
	if (g_json)
		of_log_set_handler(json_log, NULL);
}

void of_pack_events_setup(int json, int quiet, int jobs)
{
	g_json = json;
	g_quiet = quiet;
	/* Parallel packs would draw over each other's bars: they get plain lines. */
	g_bar = jobs <= 1 && of_cli_bar_mode();
}

void of_pack_events_child_done(void)
{
	if (g_bar)
		of_cli_clear_bar();
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
		s = of_json_dump_line(o);
		if (s) {
			fprintf(stdout, "%s\n", s);
			fflush(stdout);
			free(s);
		}
		json_decref(o);
	} else if (g_quiet < 2 && (!g_quiet || warn)) {
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
