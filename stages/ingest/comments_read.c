/* comments_read.c — comment logs: byte source (plain/gzip, capped), format
 * detection, dispatch to the format readers, and the shared emit step. */
#include "comments_int.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/utf8.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>


static const struct {
	const char *name;
	of_comments_format f;
} formats[] = {{"auto", OF_COMMENTS_AUTO}, {"bilibili", OF_COMMENTS_BILIBILI}, {"youtube", OF_COMMENTS_YOUTUBE},
	       {"irc", OF_COMMENTS_IRC},   {"csv", OF_COMMENTS_CSV},           {"jsonl", OF_COMMENTS_JSONL},
	       {"xlsx", OF_COMMENTS_XLSX}};

int of_comments_format_from_name(const char *name)
{
	for (size_t i = 0; name && i < sizeof formats / sizeof formats[0]; i++)
		if (strcmp(name, formats[i].name) == 0)
			return (int)formats[i].f;
	return -1;
}

const char *of_comments_format_name(of_comments_format f)
{
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (formats[i].f == f)
			return formats[i].name;
	return "unknown";
}

const char *of_comments_formats_accepted(void)
{
	return "bilibili danmaku XML (also BililiveRecorder, blrec and biliLive-tools live recordings), YouTube live chat "
	       "(chat-downloader JSON, innertube actions, yt-dlp .live_chat.json), Twitch/IRC (raw IRCv3 lines, "
	       "{\"messages\":[...]}, \"[time] user: message\"), CSV or TSV with a header, an Excel .xlsx workbook "
	       "(its first sheet, with a header row), onefish comment JSONL or capture tools' JSON records; "
	       "optionally .gz";
}

/* ---- byte source ---- */

static int zfail(of_csrc *s, int code, const char *what)
{
	s->failed = 1;
	return of_error_set_at(code, s->origin, 0, 0, "%s", what);
}

static long raw_read(of_csrc *s, char *buf, size_t n)
{
	if (s->gz) {
		int got = gzread(s->gz, buf, (unsigned)(n > (1u << 30) ? (1u << 30) : n));
		if (got < 0) {
			int zerr = 0;
			const char *m = gzerror(s->gz, &zerr);
			return zfail(s, OF_EINVALID, m && *m ? m : "gzip read error");
		}
		if (got == 0 && !gzdirect(s->gz)) { /* zlib reads a cut stream to its end and says so only here */
			int zerr = 0;
			gzerror(s->gz, &zerr);
			s->cut |= zerr == Z_BUF_ERROR;
		}
		return got;
	}
	if (!s->mem_gz) {
		size_t k = s->mem_len - s->mem_pos;
		if (k > n)
			k = n;
		memcpy(buf, s->mem + s->mem_pos, k);
		s->mem_pos += k;
		return (long)k;
	}
	if (s->zs_end)
		return 0;
	if (!s->zs_open) {
		memset(&s->zs, 0, sizeof s->zs);
		if (inflateInit2(&s->zs, 15 + 32) != Z_OK) /* 32: accept gzip and zlib headers */
			return zfail(s, OF_ENOMEM, "cannot start gzip decoder");
		s->zs.next_in = (unsigned char *)s->mem;
		s->zs.avail_in = (unsigned)s->mem_len;
		s->zs_open = 1;
	}
	s->zs.next_out = (unsigned char *)buf;
	s->zs.avail_out = (unsigned)n;
	int zr = inflate(&s->zs, Z_NO_FLUSH);
	if (zr == Z_STREAM_END) {
		s->zs_end = 1;
	} else if (zr == Z_BUF_ERROR && s->zs.avail_in == 0 && s->zs.avail_out == n) {
		s->zs_end = 1; /* all input used, no end marker: cut short, what came before is read */
		s->cut = 1;
	} else if (zr != Z_OK && !(zr == Z_BUF_ERROR && s->zs.avail_out < n)) {
		return zfail(s, OF_EINVALID, "corrupt gzip data");
	}
	return (long)(n - s->zs.avail_out);
}

long of_csrc__read(of_csrc *s, char *buf, size_t n)
{
	long got;
	if (s->failed)
		return OF_ERROR;
	if (s->peek_pos < s->peek_len) {
		size_t k = s->peek_len - s->peek_pos;
		if (k > n)
			k = n;
		memcpy(buf, s->peek + s->peek_pos, k);
		s->peek_pos += k;
		return (long)k;
	}
	got = raw_read(s, buf, n);
	if (got > 0) {
		s->total += (size_t)got;
		if (s->total > s->max) {
			s->failed = 1;
			if (s->ratio_capped)
				return of_error_set_at(OF_ELIMIT, s->origin, 0, 0,
						       "gzip data expands to more than %zu bytes, %d times its %zu compressed "
						       "bytes: refused as a decompression bomb (gunzip it yourself if it is real)",
						       s->max, OF_MAX_GZIP_RATIO, s->packed);
			return of_error_set_at(OF_ELIMIT, s->origin, 0, 0,
					       "input larger than %zu bytes (decompressed); raise the limit deliberately",
					       s->max);
		}
	}
	return got;
}

int of_csrc__slurp(of_csrc *s, char **out, size_t *len_out)
{
	of_buf b;
	char tmp[65536];
	long got;
	of_buf_init(&b, s->max + 1);
	while ((got = of_csrc__read(s, tmp, sizeof tmp)) > 0) {
		int rc = of_buf_append(&b, tmp, (size_t)got);
		if (rc < 0) {
			of_buf_free(&b);
			return rc == OF_ELIMIT ? of_error_set_at(OF_ELIMIT, s->origin, 0, 0, "input too large") : of_error_set_oom();
		}
	}
	if (got < 0) {
		of_buf_free(&b);
		return (int)got;
	}
	*out = of_buf_detach(&b, len_out);
	return *out ? 0 : of_error_set_oom();
}

int of_csrc__rewind(of_csrc *s)
{
	char tmp[8192];
	size_t skip = s->peek_len;
	if (s->gz) {
		if (gzrewind(s->gz) != 0)
			return zfail(s, OF_ERROR, "cannot rewind");
	} else if (s->mem_gz) {
		if (s->zs_open)
			inflateEnd(&s->zs);
		s->zs_open = s->zs_end = 0;
	} else {
		s->mem_pos = 0;
	}
	s->failed = 0;
	while (skip > 0) { /* the peeked bytes are served from the peek buffer again */
		long got = raw_read(s, tmp, skip < sizeof tmp ? skip : sizeof tmp);
		if (got <= 0)
			return got < 0 ? (int)got : zfail(s, OF_ERROR, "input changed while reading");
		skip -= (size_t)got;
	}
	s->peek_pos = 0;
	s->total = s->peek_len;
	return 0;
}

static void csrc_close(of_csrc *s)
{
	if (s->gz)
		gzclose(s->gz);
	if (s->zs_open)
		inflateEnd(&s->zs);
	s->gz = NULL;
	s->zs_open = 0;
}

/* Fills the peek buffer (for detection); it is served again from the start. */
static int csrc_peek(of_csrc *s)
{
	while (s->peek_len < sizeof s->peek) {
		long got = raw_read(s, s->peek + s->peek_len, sizeof s->peek - s->peek_len);
		if (got < 0)
			return (int)got;
		if (got == 0)
			break;
		s->peek_len += (size_t)got;
	}
	s->total = s->peek_len;
	return 0;
}

/* ---- shared emit ---- */

/* The file line of record `line` (see of_creader.elem_line), and a "$[k]: " naming the element.
 * While the queue is read out, a record's messages name the place it was queued with. */
static unsigned long file_line(const of_creader *r, unsigned long line, char *where, size_t n)
{
	where[0] = 0;
	if (r->over) {
		snprintf(where, n, "%s", r->over_where);
		return r->over_line;
	}
	if (!r->elem_line || line < 1 || line > r->n_elem_line)
		return line;
	snprintf(where, n, "$[%lu]: ", line - 1);
	return r->elem_line[line - 1];
}

/* ---- the queue of a log held in memory ----
 *
 * A log timed only by wall clocks counts its offsets from its earliest record
 * (of_comments__rel_time), which is known only at its end. From the first
 * record so timed on, what the reader hands out or says is queued, in order:
 * each record as the reader gave it (copied: the reader's strings are gone
 * by then) and each warning and bad record with its place; at the end the queue
 * is read out in the same order, the records' times set from the earliest, the
 * out-of-order warning said where that record was read. So the log is read once
 * (it used to be read twice, a first pass only noting the times), and what is
 * handed out and printed is the same, in the same order, under the same cap. */

enum { EV_REC = 1, EV_WARN, EV_BAD, EV_BAD_KEPT };

typedef struct cev {
	uint32_t size; /* of this event, header and strings, 8-aligned */
	unsigned char type, rel, has_id, kind, host, emotes_only, moderator;
	int32_t mode;
	unsigned long line; /* a record's line (its id); a message's file line */
	union {
		unsigned long place; /* a record: the file line its messages give (JSON array elements) */
		unsigned long col;   /* a message: its column */
	} at;
	double t; /* a record's time, or (rel) its wall time in ms, its time counting from the earliest */
	union {
		double wall;   /* a record */
		size_t before; /* EV_BAD_KEPT: st->records when the read began */
	} u;
	double weight;
	uint32_t id_len, uid_len, uname_len, text_len;
	/* then, each NUL-ended: a record's where ("$[k]: " or ""), id, user_id, user_name and text;
	 * a message's where and text (EV_BAD_KEPT: the text before the count and after it) */
} cev;

typedef struct cblock {
	struct cblock *next;
	size_t used, cap;
	_Alignas(8) unsigned char data[];
} cblock;

struct of_cqueue {
	cblock *head, *tail;
	size_t n;
};

#define CBLOCK_BYTES ((size_t)1 << 20)

size_t of_comments__queued(const of_creader *r)
{
	return r->defer ? r->defer->n : 0;
}

/* Room for an event of `size` bytes at the queue's end (NULL: out of memory, or an event
 * past 4 GB, which no log held under the size cap has). */
static cev *queue_event(of_creader *r, size_t size)
{
	of_cqueue *q = r->defer;
	cblock *b;
	size = (size + 7) & ~(size_t)7;
	if (size > UINT32_MAX)
		return NULL;
	if (!q && !(q = r->defer = calloc(1, sizeof *q)))
		return NULL;
	b = q->tail;
	if (!b || b->cap - b->used < size) {
		size_t cap = size > CBLOCK_BYTES ? size : CBLOCK_BYTES;
		if (!(b = malloc(sizeof *b + cap)))
			return NULL;
		b->next = NULL;
		b->used = 0;
		b->cap = cap;
		if (q->tail)
			q->tail->next = b;
		else
			q->head = b;
		q->tail = b;
	}
	cev *e = (cev *)(void *)(b->data + b->used);
	memset(e, 0, sizeof *e);
	e->size = (uint32_t)size;
	b->used += size;
	q->n++;
	return e;
}

static void queue_free(of_creader *r)
{
	if (!r->defer)
		return;
	for (cblock *b = r->defer->head, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(r->defer);
	r->defer = NULL;
}

static char *put(char *o, const char *s, size_t n)
{
	if (n)
		memcpy(o, s, n);
	o[n] = 0;
	return o + n + 1;
}

/* A record as the reader gave it; `rel`: its time counts from the earliest wall time (ms). */
static int queue_record(of_creader *r, const of_comment *c, int rel, double ms)
{
	char where[32];
	unsigned long map = file_line(r, c->line, where, sizeof where);
	const char *uid = c->user_id ? c->user_id : "", *uname = c->user_name ? c->user_name : "";
	const char *text = c->text ? c->text : "";
	size_t tl = c->text ? c->text_len : 0, wl = strlen(where), il = c->id ? strlen(c->id) : 0, ul = strlen(uid),
	       nl = strlen(uname);
	cev *e = queue_event(r, sizeof *e + wl + il + ul + nl + tl + 5);
	if (!e)
		return of_error_set_oom();
	e->type = EV_REC;
	e->rel = (unsigned char)rel;
	e->has_id = c->id != NULL;
	e->kind = (unsigned char)c->kind;
	e->host = (unsigned char)(c->host != 0);
	e->emotes_only = (unsigned char)(c->emotes_only != 0);
	e->moderator = (unsigned char)(c->moderator != 0);
	e->mode = c->mode;
	e->line = c->line;
	e->at.place = map;
	e->t = rel ? ms : c->time;
	e->u.wall = c->wall;
	e->weight = c->weight;
	e->id_len = (uint32_t)il; /* (each under the event's 4 GB) */
	e->uid_len = (uint32_t)ul;
	e->uname_len = (uint32_t)nl;
	e->text_len = (uint32_t)tl;
	char *o = (char *)(e + 1);
	o = put(o, where, wl);
	o = put(o, c->id ? c->id : "", il);
	o = put(o, uid, ul);
	o = put(o, uname, nl);
	put(o, text, tl);
	return 0;
}

/* A warning or bad record, said as it will be printed (place, element and text; `more`, when
 * not NULL, a second text: EV_BAD_KEPT's plural tail). */
static cev *queue_message(of_creader *r, int type, unsigned long line, unsigned long col, const char *where,
			  const char *msg, const char *more)
{
	size_t wl = strlen(where), ml = strlen(msg), xl = more ? strlen(more) : 0;
	cev *e = queue_event(r, sizeof *e + wl + ml + xl + 3);
	if (!e) {
		r->defer_failed = 1; /* the read fails when the queue is read out */
		return NULL;
	}
	e->type = (unsigned char)type;
	e->line = line;
	e->at.col = col;
	e->text_len = (uint32_t)ml;
	put(put(put((char *)(e + 1), where, wl), msg, ml), more ? more : "", xl);
	return e;
}

static void say_warn(of_creader *r, unsigned long line, const char *where, const char *msg)
{
	r->warned++;
	if (r->warned > OF_MAX_WARNINGS_PER_LOG + 1) {
		of_log_warn_unshown(1); /* still in the summary's warning count */
		return;
	}
	if (r->warned == OF_MAX_WARNINGS_PER_LOG + 1)
		of_log_warn_at(r->origin, line, 0, "%s%s (further warnings for this file are only counted in the summary)",
			       where, msg);
	else
		of_log_warn_at(r->origin, line, 0, "%s%s", where, msg);
}

/* One bad record at its file line, as printed: bad records share the per-file cap of warnings,
 * so a log read the wrong way is one message, not one per line. */
static int report_bad(of_creader *r, unsigned long line, unsigned long col, const char *msg)
{
	if (!r->o->strict && ++r->warned > OF_MAX_WARNINGS_PER_LOG + 1) {
		of_log_bad_record_unshown(1);
		return 0;
	}
	return of_log_bad_record(r->o->strict, r->origin, line, col, "%s%s", msg,
				 !r->o->strict && r->warned == OF_MAX_WARNINGS_PER_LOG + 1
					 ? " (further warnings for this file are only counted in the summary)"
					 : "");
}

void of_comments__flush_held(of_creader *r)
{
	size_t n = r->n_held;
	r->n_held = 0;
	for (size_t i = 0; i < n; i++)
		report_bad(r, r->held[i].line, r->held[i].col, r->held[i].msg); /* never strict: returns 0 */
}

/* A forced format (--format) that has read nothing yet holds its bad records back. */
static int forced_unread(const of_creader *r)
{
	return !r->o->strict && r->o->format != OF_COMMENTS_AUTO && !r->emitted;
}

/* A bad record said, at once or when the queue is read out (so in its place): counted, then
 * held back while a forced format has read nothing (OF_FORCED_FORMAT_TRIES of them stop the
 * read with one message, the records counted as bad, unshown), or printed. */
static int say_bad(of_creader *r, unsigned long line, unsigned long col, const char *where, const char *msg)
{
	char full[544];
	r->st->bad++;
	snprintf(full, sizeof full, "%s%s", where, msg);
	if (forced_unread(r)) {
		if (r->n_held + 1 < OF_FORCED_FORMAT_TRIES) {
			r->held[r->n_held].line = line;
			r->held[r->n_held].col = col;
			memcpy(r->held[r->n_held].msg, full, sizeof full);
			r->n_held++;
			return 0;
		}
		of_log_bad_record_unshown(r->n_held + 1);
		char first[300];
		if (r->held[0].col)
			snprintf(first, sizeof first, "%lu:%lu: %.240s", r->held[0].line, r->held[0].col, r->held[0].msg);
		else
			snprintf(first, sizeof first, "%lu: %.240s", r->held[0].line, r->held[0].msg);
		r->n_held = 0;
		return of_error_set_at(OF_EINVALID, r->origin, 0, 0,
				       "no comment could be read from this log as %s (--format): its first %d records are "
				       "bad (line %s), so reading stopped; is it another format? accepted: %s",
				       of_comments_format_name(r->o->format), OF_FORCED_FORMAT_TRIES, first,
				       of_comments_formats_accepted());
	}
	return report_bad(r, line, col, full);
}

/* A bad record queued while reading: a forced format that has read nothing stops reading at
 * the OF_FORCED_FORMAT_TRIES-th bad record, counting those held back before the queue began
 * and those queued with no record before them. The queue, read out, holds them back in turn and
 * says the one message at that record (say_bad); the error returned here only ends the read.
 * The out-of-order warning is not said then: no time counts from the earliest record, which is
 * not known (the log was not read to its end). A queued record counts as read: should it turn
 * out bad when read out (a time out of range), the read-out holds and stops as say_bad would
 * have, the log read to its end. */
static int queued_bad(of_creader *r)
{
	if (!forced_unread(r) || r->queued_record)
		return 0;
	if (r->n_held + ++r->n_held_queued < OF_FORCED_FORMAT_TRIES)
		return 0;
	r->early = 0;
	return of_error_set_at(OF_EINVALID, r->origin, 0, 0, "no comment could be read from this log as %s (--format)",
			       of_comments_format_name(r->o->format));
}

static void vwarn(of_creader *r, unsigned long line, const char *fmt, va_list ap)
{
	char msg[512], where[32];
	line = file_line(r, line, where, sizeof where);
	if (!r->deferring && r->warned + 1 > OF_MAX_WARNINGS_PER_LOG + 1) {
		say_warn(r, line, where, ""); /* only counted: not formatted */
		return;
	}
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (strncmp(msg, "$[", 2) == 0)
		where[0] = 0;
	if (r->deferring)
		queue_message(r, EV_WARN, line, 0, where, msg, NULL);
	else
		say_warn(r, line, where, msg);
}

void of_comments__warn(of_creader *r, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn(r, line, fmt, ap);
	va_end(ap);
}

static int emit_now(of_creader *r, of_comment *c);
static int read_out(of_creader *r);

int of_comments__bad(of_creader *r, unsigned long line, unsigned long col, const char *fmt, ...)
{
	char msg[512], where[32];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->rel = 0; /* the record ends here */
	line = file_line(r, line, where, sizeof where);
	if (where[0])
		col = 0; /* a column within the element is not known */
	if (strncmp(msg, "$[", 2) == 0)
		where[0] = 0; /* the message names the element already */
	/* queued, also under strict: the read goes on to find the earliest time, and fails here
	 * when the queue is read out, after what came before it */
	if (r->deferring) {
		queue_message(r, EV_BAD, line, col, where, msg, NULL);
		return queued_bad(r);
	}
	return say_bad(r, line, col, where, msg);
}

static int say_bad_kept(of_creader *r, unsigned long line, unsigned long col, size_t before, const char *head,
			const char *one, const char *many)
{
	char msg[512]; /* as of_comments__bad's */
	size_t kept = r->st->records - before;
	snprintf(msg, sizeof msg, "%s%zu%s", head, kept, kept == 1 ? one : many);
	return say_bad(r, line, col, "", msg);
}

int of_comments__bad_kept(of_creader *r, unsigned long line, unsigned long col, size_t before, const char *head,
			  const char *one, const char *many)
{
	r->rel = 0;
	if (r->deferring) { /* (head as where, the tails as text) */
		cev *e = queue_message(r, EV_BAD_KEPT, line, col, head, one, many);
		if (e)
			e->u.before = before;
		return queued_bad(r);
	}
	return say_bad_kept(r, line, col, before, head, one, many);
}

/* Reads the queue out in order (see above), once the log was read to its end (or to the
 * reader's error): its earliest time is known, and the out-of-order warning is said at its
 * record. Returns 0 or the first failure (a bad record under strict, a forced format's
 * OF_FORCED_FORMAT_TRIES-th bad record with nothing read, the callback's value): nothing
 * after it is handed out or said. */
static int read_out(of_creader *r)
{
	size_t i = 0;
	int rc = 0;
	r->deferring = 0;
	if (r->defer)
		for (cblock *b = r->defer->head; b && rc == 0; b = b->next)
			for (size_t off = 0; off < b->used && rc == 0; off += ((cev *)(void *)(b->data + off))->size, i++) {
				const cev *e = (const cev *)(const void *)(b->data + off);
				const char *where = (const char *)(e + 1), *next = where + strlen(where) + 1;
				if (i == r->t0_at)
					of_comments__order_warning(r);
				if (e->type == EV_WARN) {
					say_warn(r, e->line, where, next);
					continue;
				}
				if (e->type == EV_BAD) {
					rc = say_bad(r, e->line, e->at.col, where, next);
					continue;
				}
				if (e->type == EV_BAD_KEPT) {
					rc = say_bad_kept(r, e->line, e->at.col, e->u.before, where, next,
							  next + strlen(next) + 1);
					continue;
				}
				const char *id = next, *uid = id + e->id_len + 1, *uname = uid + e->uid_len + 1,
					   *text = uname + e->uname_len + 1;
				of_comment c = {.path = NULL,
						.line = e->line,
						.id = e->has_id ? id : NULL,
						.time = e->rel ? (e->t - r->t0) / 1000.0 : e->t,
						.wall = e->u.wall,
						.user_id = uid,
						.user_name = uname,
						.text = text,
						.text_len = e->text_len,
						.kind = (of_comment_kind)e->kind,
						.weight = e->weight,
						.mode = e->mode,
						.host = e->host,
						.emotes_only = e->emotes_only,
						.moderator = e->moderator};
				r->over = 1;
				r->over_line = e->at.place;
				snprintf(r->over_where, sizeof r->over_where, "%s", where);
				rc = emit_now(r, &c);
				r->over = 0;
			}
	if (rc == 0 && i <= r->t0_at)
		of_comments__order_warning(r);
	queue_free(r);
	if (rc == 0 && r->defer_failed)
		rc = of_error_set_oom();
	return rc;
}

/* 1 when `s` holds a byte the cleaning below would change: invalid UTF-8, a C0
 * or C1 control character (line breaks and tabs included). Most comments are
 * clean UTF-8 and are passed on without a copy. */
static int needs_cleaning(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned char ch = u[i];
		int32_t cp;
		int k;
		if (ch < 0x80) {
			if (ch < 0x20 || ch == 0x7F)
				return 1;
			i++;
			continue;
		}
		if (of_utf8_plain3(u + i, n - i)) {
			i += 3;
			continue;
		}
		k = of_utf8_next(s + i, n - i, &cp);
		if (k < 0 || (cp >= 0x7F && cp < 0xA0))
			return 1;
		i += (size_t)k;
	}
	return 0;
}

int of_comments__emit(of_creader *r, of_comment *c)
{
	if (r->deferring) { /* handed out (cleaned, checked, counted) when the queue is read out */
		int rel = r->rel && r->rel_line == c->line;
		r->rel = 0;
		r->queued_record = 1; /* (a forced format reads: see queued_bad) */
		return queue_record(r, c, rel, r->rel_ms);
	}
	r->rel = 0;
	return emit_now(r, c);
}

unsigned long of_comments__place(const of_creader *r, unsigned long line, char *where, size_t n)
{
	return file_line(r, line, where, n);
}

static int emit_now(of_creader *r, of_comment *c)
{
	size_t max = r->o->max_comment_bytes ? r->o->max_comment_bytes : OF_MAX_COMMENT_BYTES;
	char *clean = NULL;
	int dirty = 0, rc;
	c->path = r->origin;
	if (!c->user_id)
		c->user_id = "";
	if (!c->user_name)
		c->user_name = "";
	if (!c->text)
		c->text = "";
	if (!isfinite(c->time))
		c->time = 0;
	/* The last line against absurd times whatever the format (a CSV time of 1e308, a 20-digit
	 * tmi-sent-ts): a chart of one year of minutes is already past any stream, and every later
	 * step (the minute buckets, milliseconds in int64) stays in range. */
	if (fabs(c->time) > OF_MAX_COMMENT_OFFSET)
		return of_comments__bad(r, c->line, 0, "time %.6g s is out of range (more than %d days from the start)",
					c->time, OF_MAX_COMMENT_OFFSET / 86400);
	if (!isfinite(c->wall) || c->wall < 0 || c->wall > OF_MAX_WALL_TIME)
		return of_comments__bad(r, c->line, 0, "send time %.6g is out of range (not a date before the year 10000)",
					c->wall);
	if (!isfinite(c->weight) || c->weight < 0) /* every reader checks; this is the last line */
		c->weight = 1;
	else if (c->weight > OF_MAX_COMMENT_WEIGHT) /* "$999…9": a weight is summed into a float, and
						       JSON has no inf (QA: "weight":inf) */
		c->weight = OF_MAX_COMMENT_WEIGHT;
	if (c->text_len > max) {
		r->st->too_long++;
		of_comments__warn(r, c->line, "comment of %zu bytes is over the %zu-byte cap: skipped", c->text_len, max);
		return 0;
	}
	dirty = needs_cleaning(c->text, c->text_len);
	if (dirty) {
		of_buf b;
		size_t i = 0;
		of_buf_init(&b, max * 3 + 16);
		while (i < c->text_len) {
			int32_t cp;
			int n = of_utf8_next(c->text + i, c->text_len - i, &cp);
			if (n < 0) {
				r->st->invalid_utf8++;
				of_comments__warn(r, c->line, "invalid UTF-8 byte 0x%02X replaced by U+FFFD",
						  (unsigned char)c->text[i]);
				of_buf_append(&b, "\xEF\xBF\xBD", 3);
				i++;
				continue;
			}
			if (cp == '\n' || cp == '\r' || cp == '\t') {
				of_buf_putc(&b, ' ');
			} else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
				r->st->control_removed++;
				of_comments__warn(r, c->line, "control char U+%04X removed", (unsigned)cp);
			} else {
				of_buf_append(&b, c->text + i, (size_t)n);
			}
			i += (size_t)n;
		}
		clean = of_buf_detach(&b, &c->text_len);
		if (!clean)
			return of_error_set_oom();
		c->text = clean;
	}
	if (r->n_held) /* the format reads after all: the bad records before this one are said */
		of_comments__flush_held(r);
	r->emitted++;
	r->st->records++;
	rc = r->cb ? r->cb(c, r->payload) : 0;
	free(clean);
	return rc;
}

int of_comments__parse_clock(const char *s, double *out)
{
	double parts[3] = {0, 0, 0}, v = 0;
	int n = 0, neg = 0;
	const char *p = s;
	char *end;
	while (*p == ' ')
		p++;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (;;) {
		if (n == 3 || !(*p >= '0' && *p <= '9'))
			return -1;
		errno = 0;
		parts[n++] = strtod(p, &end);
		if (errno || !isfinite(parts[n - 1]))
			return -1;
		p = end;
		if (*p != ':')
			break;
		p++;
	}
	while (*p == ' ')
		p++;
	if (*p)
		return -1;
	for (int i = 0; i < n; i++)
		v = v * 60 + parts[i];
	*out = neg ? -v : v;
	return 0;
}

/* ---- detection ---- */

static const char *skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

static int has(const char *p, size_t n, const char *needle)
{
	return memmem(p, n, needle, strlen(needle)) != NULL;
}

/* The name of the first element of markup at p (after the XML declaration,
 * processing instructions, comments and a DOCTYPE), or NULL when the peek ends
 * first. `<!DOCTYPE html` counts as an html root. */
static const char *markup_root(const char *p, const char *e)
{
	while ((p = skip_ws(p, e)) < e && *p == '<') {
		const char *end; /* the last byte of this declaration, comment or instruction */
		if (e - p >= 4 && memcmp(p, "<!--", 4) == 0)
			end = (end = memmem(p + 4, (size_t)(e - p - 4), "-->", 3)) ? end + 2 : NULL;
		else if (e - p >= 2 && p[1] == '?')
			end = (end = memmem(p + 2, (size_t)(e - p - 2), "?>", 2)) ? end + 1 : NULL;
		else if (e - p >= 14 && strncasecmp(p, "<!DOCTYPE html", 14) == 0)
			return p + 10;
		else if (e - p >= 2 && p[1] == '!')
			end = memchr(p, '>', (size_t)(e - p));
		else
			return p + 1 < e ? p + 1 : NULL;
		if (!end)
			return NULL;
		p = end + 1;
	}
	return NULL;
}

/* Decides the format from the first bytes. `*what` names a format we recognise but do not read. */
static int utf16_bom(const char *p, size_t n)
{
	return n >= 2 && (((unsigned char)p[0] == 0xFF && (unsigned char)p[1] == 0xFE) ||
			  ((unsigned char)p[0] == 0xFE && (unsigned char)p[1] == 0xFF));
}

static int binary_magic(const char *p, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
	} m[] = {{"\x89PNG", 4}, {"\xFF\xD8\xFF", 3}, {"GIF8", 4},     {"%PDF-", 5},       {"RIFF", 4},
		 {"OggS", 4},     {"ID3", 3},         {"fLaC", 4},     {"\x1A\x45\xDF\xA3", 4}, {"7z\xBC\xAF", 4},
		 {"Rar!", 4},     {"BZh", 3},         {"\xFD" "7zXZ", 5}, {"\x28\xB5\x2F\xFD", 4}};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
		if (n >= m[i].len && memcmp(p, m[i].magic, m[i].len) == 0)
			return 1;
	return n >= 8 && memcmp(p + 4, "ftyp", 4) == 0; /* MP4, MOV, HEIC */
}

static of_comments_format detect(const char *p, size_t n, const char **what)
{
	const char *e = p + n, *q;
	*what = NULL;
	if (utf16_bom(p, n))
		return OF_COMMENTS_BILIBILI; /* UTF-16 markup (dispatch converts other UTF-16 text first) */
	/* Comment exporters of live-sale platforms often save a spreadsheet: an
	 * .xlsx is a ZIP package (the reader says so if it is another ZIP) */
	if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0)
		return OF_COMMENTS_XLSX;
	if (n >= 8 && memcmp(p, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
		*what = "an OLE2 file (an Excel 97-2003 .xls workbook? save it as .xlsx or CSV first)";
		return OF_COMMENTS_AUTO;
	}
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	q = skip_ws(p, e);
	if (q == e)
		return OF_COMMENTS_AUTO;
	if (*q == '<') {
		/* The root element decides: live recorders (BililiveRecorder) embed an
		 * XSL stylesheet holding <html> inside a danmaku log's <i> root. */
		const char *root = markup_root(q, e);
		if (root && (size_t)(e - root) >= 6 && memcmp(root, "packet", 6) == 0)
			*what = "Niconico <packet> XML";
		else if (root && (size_t)(e - root) >= 4 && strncasecmp(root, "html", 4) == 0)
			*what = "HTML";
		else if (!root && (has(q, (size_t)(e - q), "<html") || has(q, (size_t)(e - q), "<HTML")))
			*what = "HTML"; /* no root in the peek: the old test */
		return *what ? OF_COMMENTS_AUTO : OF_COMMENTS_BILIBILI;
	}
	if (*q == '[') {
		const char *r = q + 1;
		if (r < e && *r >= '0' && *r <= '9')
			return OF_COMMENTS_IRC; /* "[5:07] user: message" */
		if (has(q, (size_t)(e - q), "\"c\":") && has(q, (size_t)(e - q), "\"m\":") &&
		    !has(q, (size_t)(e - q), "\"message"))
			*what = "AcFun danmaku JSON";
		return *what ? OF_COMMENTS_AUTO : OF_COMMENTS_YOUTUBE;
	}
	if (*q == '{') {
		const char *nl = memchr(q, '\n', (size_t)(e - q));
		size_t first = nl ? (size_t)(nl - q) : (size_t)(e - q);
		const char *t = q + first;
		while (t > q && (t[-1] == '\r' || t[-1] == ' '))
			t--;
		if (has(q, first, "\"messages\""))
			return OF_COMMENTS_IRC;
		if (t > q && t[-1] == '}' && first > 2) {
			/* a complete object on the first line: JSON Lines */
			if (has(q, first, "ChatItemAction"))
				return OF_COMMENTS_YOUTUBE;
			return OF_COMMENTS_JSONL;
		}
		return OF_COMMENTS_YOUTUBE;
	}
	/* A text log starts with a character, never a control byte; and files that
	 * do not are named by their magic, so the message says what was given (a
	 * GBK lead byte can look like any high byte, so only these are refused) */
	if ((unsigned char)*q < 0x20 || binary_magic(p, n)) {
		*what = "binary data (an image, audio, video or archive?)";
		return OF_COMMENTS_AUTO;
	}
	if (*q == '@' || *q == ':' || has(q, (size_t)(e - q) > 512 ? 512 : (size_t)(e - q), " PRIVMSG #"))
		return OF_COMMENTS_IRC;
	{
		const char *nl = memchr(q, '\n', (size_t)(e - q));
		size_t first = nl ? (size_t)(nl - q) : (size_t)(e - q);
		if (memchr(q, ',', first) || memchr(q, '\t', first) || memchr(q, ';', first))
			return OF_COMMENTS_CSV; /* comma, tab or semicolon separated */
	}
	*what = "plain text";
	return OF_COMMENTS_AUTO;
}

/* JSON Lines when the first line alone is a complete object. */
static int is_jsonl(const char *p, size_t n)
{
	const char *e = p + n, *nl, *t;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	p = skip_ws(p, e);
	if (p == e || *p != '{')
		return 0;
	nl = memchr(p, '\n', (size_t)(e - p));
	t = nl ? nl : e;
	while (t > p && (t[-1] == '\r' || t[-1] == ' '))
		t--;
	return t - p > 2 && t[-1] == '}';
}

/* CSV and text logs saved by Excel or chat tools on Chinese Windows are
 * GB18030 (GBK). JSON is UTF-8 by definition and XML declares its encoding, so
 * only these two are converted, and only when most non-ASCII bytes are not
 * UTF-8: a UTF-8 log with a few broken bytes keeps its per-comment U+FFFD. A
 * log that is neither stays as it is, with those replacements. */
static int maybe_gb18030(of_creader *r, char **data, size_t *len)
{
	char *conv;
	size_t clen, at;
	if (!of_utf8_looks_legacy(*data, *len))
		return 0;
	int rc = of_utf8_from_charset("GB18030", *data, *len, &conv, &clen, &at);
	if (rc == OF_ENOMEM)
		return rc;
	if (rc < 0) {
		unsigned long line = 1;
		for (size_t i = 0; i < at; i++)
			line += (*data)[i] == '\n';
		of_comments__warn(r, line, "not UTF-8, and not GB18030 from here on: invalid bytes become U+FFFD");
		return 0;
	}
	free(*data);
	*data = conv;
	*len = clen;
	r->st->gb18030++;
	of_log(OF_LOG_INFO, "%s: not UTF-8: read as GB18030 (GBK)", r->origin);
	return 0;
}

/* After a UTF-16 BOM, is the first non-blank character '<'? (Then libxml2
 * decodes it; anything else, Excel's "Unicode text" say, is converted here.) */
static int utf16_markup(const char *p, size_t n)
{
	int le = (unsigned char)p[0] == 0xFF;
	for (size_t i = 2; i + 1 < n; i += 2) {
		unsigned u = le ? (unsigned char)p[i] | (unsigned)(unsigned char)p[i + 1] << 8
				: (unsigned)(unsigned char)p[i] << 8 | (unsigned char)p[i + 1];
		if (u != ' ' && u != '\t' && u != '\r' && u != '\n')
			return u == '<';
	}
	return 1;
}

static int not_a_format(const of_creader *r, const char *what)
{
	if (!what)
		return of_error_set_at(OF_EINVALID, r->origin, 0, 0, "only white space: no comments");
	return of_error_set_at(OF_EINVALID, r->origin, 1, 0, "%s is not a comment format onefish reads; accepted: %s",
			       what, of_comments_formats_accepted());
}

static int read_format(of_creader *r, of_comments_format f, const char *data, size_t len)
{
	switch (f) {
	case OF_COMMENTS_YOUTUBE:
		return is_jsonl(data, len) ? of_comments__read_jsonl(r, data, len) : of_comments__read_json(r, data, len);
	case OF_COMMENTS_IRC: {
		const char *q = skip_ws(data, data + len);
		return (q < data + len && *q == '{') ? of_comments__read_json(r, data, len) : of_comments__read_irc(r, data, len);
	}
	case OF_COMMENTS_CSV: return of_comments__read_csv(r, data, len);
	case OF_COMMENTS_JSONL: return of_comments__read_jsonl(r, data, len);
	case OF_COMMENTS_XLSX: return of_comments__read_xlsx(r, data, len);
	default: return of_error_set(OF_ERROR, "unreachable format");
	}
}

/* A log held in memory is read once; a log timed only by wall clocks is queued
 * from its first such record on and read out at its end, with its offsets
 * counting from its earliest record (see "the queue" above). A read that
 * failed says what came before its failure first, as it would have in order.
 * Under strict a bad record is queued like the others (the read goes on, to
 * find the earliest time) and fails the read when it is read out. */
static int read_held(of_creader *r, of_comments_format f, const char *data, size_t len)
{
	int rc, out;
	r->in_memory = 1;
	rc = read_format(r, f, data, len);
	if (!r->defer && !r->deferring) {
		r->in_memory = 0;
		return rc;
	}
	of_error err = *of_error_last(); /* the reader's, when it failed: reading out does not touch it */
	out = read_out(r);
	r->in_memory = 0;
	if (out != 0)
		return out;
	if (rc != 0 && memcmp(&err, of_error_last(), sizeof err) != 0)
		of_error_set_at(err.code, err.path[0] ? err.path : NULL, err.line, err.col, "%s", err.message);
	return rc;
}

static int dispatch(of_creader *r, of_csrc *src)
{
	const char *what = NULL;
	of_comments_format f = r->o->format;
	char *data = NULL;
	size_t len = 0;
	int rc, utf16;
	if ((rc = csrc_peek(src)) < 0)
		return rc;
	if (src->peek_len == 0)
		return of_error_set_at(OF_EINVALID, r->origin, 0, 0, "empty file: no comments");
	utf16 = utf16_bom(src->peek, src->peek_len) && f != OF_COMMENTS_BILIBILI &&
		!(f == OF_COMMENTS_AUTO && utf16_markup(src->peek, src->peek_len));
	if (f == OF_COMMENTS_AUTO && !utf16) {
		f = detect(src->peek, src->peek_len, &what);
		if (f == OF_COMMENTS_AUTO)
			return not_a_format(r, what);
	}
	r->st->format = f;
	if (f == OF_COMMENTS_BILIBILI)
		return of_comments__read_bilibili(r, src);
	if ((rc = of_csrc__slurp(src, &data, &len)) < 0)
		return rc;
	size_t cut_line = 0;
	/* (Chatterino's {"messages": [...]}, read as IRC, is a JSON document: it says where it
	 * breaks itself, and is often one line) */
	const char *first = skip_ws(data, data + len);
	int irc_json = f == OF_COMMENTS_IRC && first < data + len && *first == '{';
	if (src->cut && !utf16 && (f == OF_COMMENTS_CSV || f == OF_COMMENTS_JSONL || (f == OF_COMMENTS_IRC && !irc_json) ||
				   (f == OF_COMMENTS_YOUTUBE && is_jsonl(data, len)))) {
		/* the last line stops where the copy broke ("3661" read as "36"): it is not read */
		char *nl = memrchr(data, '\n', len);
		len = nl ? (size_t)(nl - data) + 1 : 0;
		data[len] = 0;
		cut_line = 1;
		for (size_t i = 0; i < len; i++)
			cut_line += data[i] == '\n';
	}
	if (utf16) {
		char *conv;
		size_t clen, at;
		if ((rc = of_utf8_from_charset("UTF-16", data, len, &conv, &clen, &at)) < 0) {
			free(data);
			if (rc != OF_EINVALID)
				return rc;
			return of_error_set_at(OF_EINVALID, r->origin, 0, 0,
					       "starts with a UTF-16 byte order mark but is not UTF-16 (byte %zu)", at);
		}
		free(data);
		data = conv;
		len = clen;
		if (f == OF_COMMENTS_AUTO && (f = detect(data, len, &what)) == OF_COMMENTS_AUTO) {
			free(data);
			return not_a_format(r, what);
		}
		if (f == OF_COMMENTS_BILIBILI) { /* markup after blank lines only, and --format says otherwise */
			free(data);
			return of_error_set_at(OF_EINVALID, r->origin, 1, 0, "UTF-16 XML is read only as bilibili danmaku");
		}
		r->st->format = f;
		r->st->utf16++;
		of_log(OF_LOG_INFO, "%s: read as UTF-16", r->origin);
	} else if ((f == OF_COMMENTS_CSV || f == OF_COMMENTS_IRC) && (rc = maybe_gb18030(r, &data, &len)) < 0) {
		free(data);
		return rc;
	}
	size_t truncated = r->st->truncated;
	rc = read_held(r, f, data, len);
	free(data);
	/* a JSON array cut by the broken copy said so already, with the comments it kept */
	if (rc == 0 && src->cut && r->st->truncated == truncated) {
		r->st->truncated++;
		if (cut_line)
			return of_comments__bad(r, cut_line, 0,
						"gzip data cut short inside this line (a broken copy?): it is not read, the lines "
						"before it are kept");
		return of_comments__bad(r, 0, 0, "gzip data cut short (a broken copy?): what came before the break is kept");
	}
	return rc;
}

static int run(of_csrc *src, const char *origin, const of_comments_options *opts, of_comment_cb cb, void *payload,
	       of_comments_stats *stats)
{
	of_comments_options def = OF_COMMENTS_OPTIONS_INIT;
	of_comments_stats dummy;
	of_creader r;
	int rc;
	if (!opts)
		opts = &def;
	if (!stats) {
		memset(&dummy, 0, sizeof dummy);
		stats = &dummy;
	}
	src->origin = origin;
	src->max = opts->max_bytes ? opts->max_bytes : OF_MAX_FILE_BYTES;
	if (src->packed) { /* gzip: a bomb stops after a few MB, not after the absolute cap */
		size_t ratio_cap = src->packed > (size_t)-1 / OF_MAX_GZIP_RATIO ? (size_t)-1 : src->packed * OF_MAX_GZIP_RATIO;
		if (ratio_cap < OF_MIN_GZIP_CAP)
			ratio_cap = OF_MIN_GZIP_CAP;
		if (ratio_cap < src->max) {
			src->max = ratio_cap;
			src->ratio_capped = 1;
		}
	}
	memset(&r, 0, sizeof r); /* every field a reader may add starts empty */
	r.origin = origin;
	r.o = opts;
	r.cb = cb;
	r.payload = payload;
	r.st = stats;
	rc = dispatch(&r, src);
	if (r.n_held) /* a short log in a forced format: its few bad records are said after all */
		of_comments__flush_held(&r);
	csrc_close(src);
	return rc;
}

int of_comments_parse_buffer(const char *data, size_t len, const char *origin, const of_comments_options *opts,
			     of_comment_cb cb, void *payload, of_comments_stats *stats)
{
	of_csrc src;
	memset(&src, 0, sizeof src);
	src.mem = (const unsigned char *)data;
	src.mem_len = len;
	src.mem_gz = len >= 2 && src.mem[0] == 0x1F && src.mem[1] == 0x8B;
	src.packed = src.mem_gz ? len : 0;
	return run(&src, origin ? origin : "<memory>", opts, cb, payload, stats);
}

int of_comments_load(const char *path, const of_comments_options *opts, of_comment_cb cb, void *payload,
		     of_comments_stats *stats)
{
	of_csrc src;
	struct stat sb;
	if (stat(path, &sb) != 0)
		return of_error_set_at(errno == ENOENT ? OF_ENOTFOUND : OF_ERROR, path, 0, 0, "cannot open: %s",
				       strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return of_error_set_at(OF_EINVALID, path, 0, 0, "not a regular file");
	memset(&src, 0, sizeof src);
	src.gz = gzopen(path, "rb");
	if (!src.gz)
		return of_error_set_at(OF_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
	gzbuffer(src.gz, 1 << 17);
	if (!gzdirect(src.gz)) /* reads the header: compressed */
		src.packed = sb.st_size > 0 ? (size_t)sb.st_size : 1;
	return run(&src, path, opts, cb, payload, stats);
}
