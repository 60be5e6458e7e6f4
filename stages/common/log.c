/* log.c — routes library events to the registered handler. */
#include "onefish/log.h"
#include "onefish/error.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static of_log_fn g_fn;
static void *g_payload;
static atomic_size_t g_bad, g_warn, g_unshown, g_unshown_bad;

/* Log lines quote input bytes: keep them on one line, without terminal escapes. */
static void scrub(char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n' || c == '\r' || c == '\t')
			*s = ' ';
		else if (c < 0x20 || c == 0x7F)
			*s = '?';
	}
}

static void default_handler(const of_log_record *r, void *payload)
{
	(void)payload;
	if (r->event == OF_EV_PROGRESS || r->level == OF_LOG_DEBUG)
		return;
	if (r->path && r->line && r->col)
		fprintf(stderr, "%s:%lu:%lu: %s\n", r->path, r->line, r->col, r->message);
	else if (r->path && r->line)
		fprintf(stderr, "%s:%lu: %s\n", r->path, r->line, r->message);
	else if (r->path)
		fprintf(stderr, "%s: %s\n", r->path, r->message);
	else
		fprintf(stderr, "%s\n", r->message);
}

void of_log_set_handler(of_log_fn fn, void *payload)
{
	g_fn = fn;
	g_payload = payload;
}

void of_log_get_handler(of_log_fn *fn, void **payload)
{
	if (fn)
		*fn = g_fn;
	if (payload)
		*payload = g_payload;
}

/* A record held by of_log_hold: its strings copied, and where it sorts. */
typedef struct held {
	of_log_record r;
	char *path, *stage, *message;
	size_t file;  /* rank of its path among the paths named, (size_t)-1 for none */
	size_t order; /* as logged */
} held;

static _Thread_local pid_t g_holding; /* the process holding: a forked worker does not hold */
static _Thread_local held *g_held;
static _Thread_local size_t g_n_held, g_cap_held;

/* 1 when kept for later; 0 when it must go to the handler now (not held, or no memory). */
static int hold(const of_log_record *rec)
{
	if (!g_holding || g_holding != getpid() || (rec->event != OF_EV_MESSAGE && rec->event != OF_EV_BAD_RECORD))
		return 0;
	if (g_n_held == g_cap_held) {
		size_t cap = g_cap_held ? g_cap_held * 2 : 64;
		held *nh = realloc(g_held, cap * sizeof *nh);
		if (!nh)
			return 0;
		g_held = nh;
		g_cap_held = cap;
	}
	held *h = &g_held[g_n_held];
	memset(h, 0, sizeof *h);
	h->r = *rec;
	h->message = strdup(rec->message);
	h->path = rec->path ? strdup(rec->path) : NULL;
	h->stage = rec->stage ? strdup(rec->stage) : NULL;
	if (!h->message || (rec->path && !h->path) || (rec->stage && !h->stage)) {
		free(h->message);
		free(h->path);
		free(h->stage);
		return 0;
	}
	h->r.message = h->message;
	h->r.path = h->path;
	h->r.stage = h->stage;
	h->r.unit = NULL;
	h->order = g_n_held;
	h->file = (size_t)-1;
	if (h->path && h->r.line) {
		for (size_t i = 0; i < g_n_held && h->file == (size_t)-1; i++)
			if (g_held[i].path && strcmp(g_held[i].path, h->path) == 0)
				h->file = g_held[i].file != (size_t)-1 ? g_held[i].file : i;
		if (h->file == (size_t)-1)
			h->file = g_n_held;
	}
	g_n_held++;
	return 1;
}

static int cmp_held(const void *x, const void *y)
{
	const held *a = x, *b = y;
	if (a->file != b->file)
		return a->file < b->file ? -1 : 1; /* (size_t)-1, no place, sorts last */
	if (a->file != (size_t)-1 && a->r.line != b->r.line)
		return a->r.line < b->r.line ? -1 : 1;
	if (a->file != (size_t)-1 && a->r.col != b->r.col)
		return a->r.col < b->r.col ? -1 : 1;
	return (a->order > b->order) - (a->order < b->order);
}

void of_log_hold(void)
{
	g_holding = getpid();
}

void of_log_release(void)
{
	g_holding = 0;
	if (g_n_held)
		qsort(g_held, g_n_held, sizeof *g_held, cmp_held);
	for (size_t i = 0; i < g_n_held; i++) {
		(g_fn ? g_fn : default_handler)(&g_held[i].r, g_payload);
		free(g_held[i].message);
		free(g_held[i].path);
		free(g_held[i].stage);
	}
	free(g_held);
	g_held = NULL;
	g_n_held = g_cap_held = 0;
}

void of_log_emit(const of_log_record *rec)
{
	/* Bad records are counted apart (of_log_bad_record), so a summary's "N bad, M warnings" adds up. */
	if (rec->level == OF_LOG_WARN && rec->event != OF_EV_BAD_RECORD)
		atomic_fetch_add(&g_warn, 1);
	if (hold(rec))
		return;
	(g_fn ? g_fn : default_handler)(rec, g_payload);
}

int of_log_replay(of_log_event event, of_log_level level, char *path, unsigned long line, unsigned long col,
		  char *message)
{
	of_log_record r = {0};
	if ((event != OF_EV_MESSAGE && event != OF_EV_BAD_RECORD) || (int)level < OF_LOG_DEBUG || level > OF_LOG_ERROR)
		return OF_EINVALID;
	if (path)
		scrub(path);
	scrub(message);
	if (event == OF_EV_BAD_RECORD)
		atomic_fetch_add(&g_bad, 1);
	r.event = event;
	r.level = level;
	r.path = path && *path ? path : NULL;
	r.line = line;
	r.col = col;
	r.message = message;
	of_log_emit(&r);
	return 0;
}

static void emit_v(of_log_event ev, of_log_level level, const char *path, unsigned long line,
		   unsigned long col, const char *fmt, va_list ap)
{
	char msg[2048];
	of_log_record r = {0};
	vsnprintf(msg, sizeof msg, fmt, ap);
	scrub(msg);
	r.event = ev;
	r.level = level;
	r.path = path;
	r.line = line;
	r.col = col;
	r.message = msg;
	of_log_emit(&r);
}

void of_log(of_log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit_v(OF_EV_MESSAGE, level, NULL, 0, 0, fmt, ap);
	va_end(ap);
}

void of_log_warn_at(const char *path, unsigned long line, unsigned long col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit_v(OF_EV_MESSAGE, OF_LOG_WARN, path, line, col, fmt, ap);
	va_end(ap);
}

int of_log_bad_record(int strict, const char *path, unsigned long line, unsigned long col,
		      const char *fmt, ...)
{
	va_list ap;
	char msg[1024];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	scrub(msg);
	atomic_fetch_add(&g_bad, 1);
	if (strict)
		return of_error_set_at(OF_EINVALID, path, line, col, "%s", msg);
	of_log_record r = {0};
	r.event = OF_EV_BAD_RECORD;
	r.level = OF_LOG_WARN;
	r.path = path;
	r.line = line;
	r.col = col;
	r.message = msg;
	of_log_emit(&r);
	return 0;
}

void of_log_progress(const char *stage, double done, double total, const char *unit)
{
	of_log_record r = {0};
	r.event = OF_EV_PROGRESS;
	r.level = OF_LOG_INFO;
	r.stage = stage;
	r.message = "";
	r.done = done;
	r.total = total;
	r.unit = unit;
	of_log_emit(&r);
}

void of_log_stage_start(const char *stage, const char *why)
{
	of_log_record r = {0};
	r.event = OF_EV_STAGE_START;
	r.level = OF_LOG_INFO;
	r.stage = stage;
	r.message = why ? why : "";
	of_log_emit(&r);
}

void of_log_stage_end(const char *stage, int code, double seconds)
{
	of_log_record r = {0};
	r.event = OF_EV_STAGE_END;
	r.level = code ? OF_LOG_ERROR : OF_LOG_INFO;
	r.stage = stage;
	r.message = code ? of_error_name(code) : "ok";
	r.code = code;
	r.seconds = seconds;
	of_log_emit(&r);
}

size_t of_log_bad_record_count(void) { return atomic_load(&g_bad); }
size_t of_log_warning_count(void) { return atomic_load(&g_warn); }
size_t of_log_unshown_count(void) { return atomic_load(&g_unshown); }

void of_log_warn_unshown(size_t n)
{
	atomic_fetch_add(&g_warn, n);
	atomic_fetch_add(&g_unshown, n);
}

void of_log_bad_record_unshown(size_t n)
{
	atomic_fetch_add(&g_bad, n);
	atomic_fetch_add(&g_unshown_bad, n);
}

size_t of_log_unshown_bad_count(void) { return atomic_load(&g_unshown_bad); }

void of_log_reset_counts(void)
{
	atomic_store(&g_bad, 0);
	atomic_store(&g_warn, 0);
	atomic_store(&g_unshown, 0);
	atomic_store(&g_unshown_bad, 0);
}

double of_log_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
