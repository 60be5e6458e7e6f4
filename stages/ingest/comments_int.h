/* comments_int.h — private to the comment readers: the byte source (plain,
 * gzip file or gzip memory, with an output cap), the shared emit step and each
 * format's entry point. */
#ifndef ONEFISH_INGEST_COMMENTS_INT_H
#define ONEFISH_INGEST_COMMENTS_INT_H

#include "onefish/buf.h"
#include "onefish/comments.h"
#include "onefish/limits.h"

#include <stddef.h>
#include <zlib.h>

typedef struct of_cqueue of_cqueue;

/* A stream of (decompressed) bytes: the first `peek` bytes were read ahead
 * for format detection and are served again before the rest. */
typedef struct of_csrc {
	const char *origin;
	const unsigned char *mem; /* memory source (plain or gzip) */
	size_t mem_len, mem_pos;
	int mem_gz;
	z_stream zs;
	int zs_open, zs_end;
	gzFile gz; /* file source (gzread is transparent for plain files) */
	char peek[8192];
	size_t peek_len, peek_pos;
	size_t total, max; /* bytes delivered, cap (OF_ELIMIT past it) */
	size_t packed;     /* compressed size of a gzip source (0: plain); the ratio cap comes from it */
	int ratio_capped;  /* `max` is OF_MAX_GZIP_RATIO x packed (the message then says "bomb") */
	int failed;        /* an error is set; further reads return -1 */
	int cut;           /* gzip data ended before its end marker: the file was cut short (a broken copy) */
} of_csrc;

/* Reads up to `n` bytes; returns the count, 0 at the end, or a negative of_err (error set). */
long of_csrc__read(of_csrc *s, char *buf, size_t n);

/* Starts the stream again from its first byte (salvage passes). Returns 0 or an error. */
int of_csrc__rewind(of_csrc *s);

/* Reads everything left into a malloc'd NUL-terminated buffer (cap applies). */
int of_csrc__slurp(of_csrc *s, char **out, size_t *len_out);

/* What every reader carries. */
typedef struct of_creader {
	const char *origin;
	const of_comments_options *o;
	of_comment_cb cb;
	void *payload;
	of_comments_stats *st;
	size_t warned; /* warnings printed for this file (later ones are only counted) */
	/* Logs that carry only wall times count offsets from their earliest one (ms), not their
	 * first: records can come out of order. A log held in memory (`in_memory`) is read once: from
	 * its first record so timed on (`deferring`), what the reader hands out or says is queued
	 * (`defer`, comments_read.c) and read out at the end with t0 known, the out-of-order warning
	 * (`early` records were timed before the first one, `first`) said at the earliest record
	 * (t0_line, named t0_where / t0_place; t0_at: the queued events before it). A streamed log
	 * (XML) counts from its first such record. */
	int in_memory, deferring, defer_failed;
	struct of_cqueue *defer;
	int has_t0;
	double t0;
	unsigned long t0_line, t0_place;
	char t0_where[32];
	size_t t0_at;
	int has_first;
	double first;
	size_t early;
	/* the record being read was timed by of_comments__rel_time (at rel_line, rel_ms) */
	int rel;
	unsigned long rel_line;
	double rel_ms;
	/* while the queue is read out: the place (file line, "$[k]: ") a record was queued with */
	int over;
	unsigned long over_line;
	char over_where[32];
	/* a JSON array log: records are numbered by element (their ids), but messages name the
	 * line each element starts on in the file (elem_line[k] for element k+1; NULL: lines are lines) */
	const unsigned long *elem_line;
	size_t n_elem_line;
	/* A forced format (--format) that has read nothing yet: its bad records are held back (file
	 * line, column, message), printed once a comment is read or the log ends, and when
	 * OF_FORCED_FORMAT_TRIES come in a row the read stops with one message. They are held as
	 * they are said: at once, or when the queue is read out, in their place; while a log is
	 * queued, the bad records queued with no record queued before them (n_held_queued, with
	 * n_held) stop the read at the same record (comments_read.c, queued_bad). */
	size_t emitted; /* comments handed out from this file (a queued one when it is read out) */
	size_t n_held;
	struct {
		unsigned long line, col;
		char msg[544];
	} held[OF_FORCED_FORMAT_TRIES];
	size_t n_held_queued;
	int queued_record;
} of_creader;

/* Prints the bad records held back (see of_creader.held), in order. */
void of_comments__flush_held(of_creader *r);

/* Cleans the text (control characters removed, invalid UTF-8 replaced, each
 * warned with the line), checks the per-comment cap, then calls the callback.
 * Returns 0, the callback's non-zero value, or OF_ENOMEM. */
int of_comments__emit(of_creader *r, of_comment *c);

/* A bad record: logged and counted (returns 0), or OF_EINVALID under strict (and at a forced
 * format's OF_FORCED_FORMAT_TRIES-th with nothing read, see of_creader.held). */
int of_comments__bad(of_creader *r, unsigned long line, unsigned long col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A bad record that says how many comments were handed out since `before` (st->records
 * then): "<head><count><one>" for 1, "<head><count><many>" otherwise ("1 comment recovered",
 * "2 comments recovered"). The count is known once what is queued has been handed out (a log
 * timed by wall clocks), so the message is made then, in its place. */
int of_comments__bad_kept(of_creader *r, unsigned long line, unsigned long col, size_t before, const char *head,
			  const char *one, const char *many);

/* A warning at a place, rate-limited per file. */
void of_comments__warn(of_creader *r, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The fields of a comment record that tables (CSV, spreadsheets) and JSON
 * records from other tools name in their own words. */
typedef enum {
	OF_FIELD_TEXT,
	OF_FIELD_TIME,   /* seconds from the start, h:mm:ss, or a date and time */
	OF_FIELD_MS,     /* milliseconds from the start */
	OF_FIELD_USER,   /* display name */
	OF_FIELD_UID,    /* stable user id */
	OF_FIELD_ID,     /* message id */
	OF_FIELD_WALL,   /* Unix time (s, ms or µs) or a date and time */
	OF_FIELD_KIND,   /* chat, gift, superchat, system, in their many names */
	OF_FIELD_WEIGHT, /* an amount */
	OF_FIELD_ROLE,   /* 主播 / host: the channel's owner; 管理员 / moderator: its moderator */
	OF_FIELD_COUNT
} of_comment_field;

/* The names a field goes by (a static NULL-ended list; match whole, ASCII case ignored). */
const char *const *of_comments__field_names(of_comment_field f);

/* 1 when `key` is one only a comment record has (user, nickname, kind, user_id, weight, wall,
 * host, …), not one posts have too (id, time, text, author): how a posts file given as a comment
 * log, and a comment log given as posts, are told apart. */
int of_comments__only_key(const char *key);

/* A type value ("chat", "礼物", "醒目留言", "WebcastGiftMessage", …) as a kind: 0, or -1 when unknown. */
int of_comments__kind_name(const char *v, of_comment_kind *kind);

/* What a role value says of the sender: the host (主播, 房主, host, broadcaster, owner, …),
 * a moderator (管理员, 房管, 场控, 助播, moderator, mod), else (观众, empty, …) a viewer. */
typedef enum { OF_ROLE_VIEWER = 0, OF_ROLE_HOST, OF_ROLE_MODERATOR } of_comment_role;
of_comment_role of_comments__role(const char *v);

/* Sets c->host or c->moderator from `role`. */
static inline void of_comments__set_role(of_comment *c, of_comment_role role)
{
	c->host = role == OF_ROLE_HOST;
	c->moderator = role == OF_ROLE_MODERATOR;
}

/* An amount as exports write it ("30", "¥30", "$1,000.00", "30元"): 0, or -1 when there is none. */
int of_comments__amount(const char *v, double *out);

/* Unix seconds from a timestamp that logs write in seconds, milliseconds or
 * microseconds (told apart by size: no log dates from before 1973 or after 5138). */
static inline double of_comments__epoch_seconds(double ts)
{
	return ts > 1e14 ? ts / 1e6 : ts > 1e11 ? ts / 1e3 : ts;
}

/* Seconds from the earliest wall time of this file (given in ms) for the record at `line`:
 * logs that carry only wall times. In a log held in memory the earliest is known only at the
 * end: the record (and all after it) is queued and its time set then (the value returned, 0,
 * is a placeholder); a streamed log counts from its first such record. */
double of_comments__rel_time(of_creader *r, double ms, unsigned long line);

/* Says, once, how many records were timed before the log's first one, at the earliest
 * (counted in out_of_order); nothing when none were. */
void of_comments__order_warning(of_creader *r);

/* The place messages give record `line`: its file line, and "$[k]: " for a JSON array element. */
unsigned long of_comments__place(const of_creader *r, unsigned long line, char *where, size_t n);

/* Events queued so far (see of_creader.defer). */
size_t of_comments__queued(const of_creader *r);

/* Parses "1:02:03", "-0:05", "5:07" or seconds ("12.5"); returns 0 or -1. */
int of_comments__parse_clock(const char *s, double *out);

/* Parses a wall-clock date and time ("2026-11-19 20:01:05", "2026/11/19 20:01",
 * ISO 8601 with 'T', a fraction and a zone; no zone reads as UTC) into Unix
 * seconds; returns 0 or -1. */
int of_comments__parse_datetime(const char *s, double *wall);

/* One row of a table (CSV or a spreadsheet's sheet). */
typedef struct of_crow {
	of_buf fields[OF_MAX_CSV_COLUMNS];
	size_t n;
	unsigned long line; /* physical line (CSV) or sheet row where the record starts */
	char sep;           /* CSV: ',' or, read off the header, '\t' or ';' */
} of_crow;

/* Fills `row` with the next record: 1, 0 at the end, 2 for an unterminated
 * quote opened at row->line (the rest is not read), or a negative of_err (error set).
 * `*overflow` is set when a field or the row went over its cap. */
typedef int (*of_crow_next)(void *ctx, of_crow *row, int *overflow);

/* A table with a header row: columns found by name (text, time, user, …),
 * one comment per row. `row` has its fields initialised; `what` names the
 * table in messages ("CSV", "sheet"). */
int of_comments__read_table(of_creader *r, of_crow *row, of_crow_next next, void *ctx, const char *what);

/* Format readers. The XML reader streams from `src`; the others parse a whole buffer. */
int of_comments__read_bilibili(of_creader *r, of_csrc *src);
int of_comments__read_json(of_creader *r, const char *data, size_t len);
int of_comments__read_jsonl(of_creader *r, const char *data, size_t len);
int of_comments__read_irc(of_creader *r, const char *data, size_t len);
int of_comments__read_csv(of_creader *r, const char *data, size_t len);
int of_comments__read_xlsx(of_creader *r, const char *data, size_t len);

/* One bilibili danmaku `p` attribute: "time,mode,size,color,timestamp,pool,user,dmid[,weight]".
 * The timestamp is Unix seconds in bilibili's dumps and milliseconds in live
 * recorders' (BililiveRecorder, blrec), hence 13 digits at most. */
#define OF_BILI_MAX_UNIX 9999999999999LL

typedef struct of_bili_p {
	double time;
	long long mode, size, color, unix_time, pool, weight;
	char user[72];
	char dmid[24];
} of_bili_p;

/* Validates and parses `p` into `out` (strings NUL-ended); on failure returns -1
 * and names the field in `why`. The common shape takes a one-pass fast path;
 * of_comments__bili_p_general is the field-by-field parser every other input
 * goes to, kept callable so a test can hold the two to the same results. */
int of_comments__bili_p(const char *p, of_bili_p *out, char *why, size_t whylen);
int of_comments__bili_p_general(const char *p, of_bili_p *out, char *why, size_t whylen);

/* Reads one IRC line (raw IRCv3 or "[time] user: message") at `line`. */
int of_comments__irc_line(of_creader *r, const char *s, size_t n, unsigned long line);

#endif
