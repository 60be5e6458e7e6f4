/* pack_events.h — private to pipeline/: pack-level events (pack start/end, stage
 * cached/held/blocked with the reason, dry-run plans, the batch summary), as
 * one JSON object per line on stdout with --json, or a plain line on stderr. */
#ifndef ONEFISH_PIPELINE_PACK_EVENTS_H
#define ONEFISH_PIPELINE_PACK_EVENTS_H

#include <jansson.h>

/**
 * Output mode for the events (set once, from the command line); quiet 2 = silent (tests).
 * `jobs` packs run at once: with one, stage progress is a terminal bar when stderr is a terminal.
 */
void of_pack_events_setup(int json, int quiet, int jobs);

/** In a stage child about to exit: leaves the terminal on a fresh line. */
void of_pack_events_child_done(void);

/** Names the pack this process works on; in --json mode library log events then carry it. */
void of_pack_events_pack(const char *name);

/** In a stage child: file names under `work_dir` are reported under `out_dir`; events carry `stage`. */
void of_pack_events_work_dir(const char *work_dir, const char *out_dir, const char *stage);

/** Non-zero in --json mode. */
int of_pack_events_json(void);

/**
 * Emits one event: `event` names it; `pack`/`stage` may be NULL; `extra` (may be
 * NULL, reference stolen) adds fields. `warn`: 0 info, 1 warning, 2 error (shown under --quiet).
 */
void of_pack_event(const char *event, const char *pack, const char *stage, json_t *extra, int warn,
		   const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
