/**
 * @file comments.h
 * @brief Live-stream comment logs: one comment model, many readers.
 *
 * A comment log (bilibili danmaku XML and live recordings, YouTube live chat
 * JSON, Twitch/IRC lines, CSV, an Excel .xlsx workbook, our JSONL schema or the
 * JSON records of capture tools; optionally gzip-compressed) is read record by
 * record. Each record is normalised to an of_comment and handed to a callback
 * in input order. The XML reader keeps nothing, so its memory does not grow
 * with the log (libxml2's streaming xmlTextReader fed through a capped,
 * filtering read callback); the other formats are held in memory, and a log
 * timed only by wall clocks keeps its records (from the first so timed) until
 * it has been read to its end, when its earliest time, from which their
 * offsets count, is known: they are handed out then, still in input order.
 *
 * Bad records are reported as `path:line: message` through of_log_bad_record()
 * and skipped (or fail the read under `strict`). A file that cannot be used at
 * all (unknown format, DOCTYPE, truncated before any record, ...) fails with
 * OF_EINVALID and an error naming the place.
 *
 * Example:
 *
 *     static int on_comment(const of_comment *c, void *payload) { ...; return 0; }
 *     of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
 *     of_comments_stats st = {0};
 *     if (of_comments_load("live.xml", &o, on_comment, NULL, &st) < 0)
 *         report(of_error_last());
 */
#ifndef ONEFISH_COMMENTS_H
#define ONEFISH_COMMENTS_H

#include <stddef.h>

typedef enum {
	OF_COMMENTS_AUTO = 0,
	OF_COMMENTS_BILIBILI, /**< danmaku XML <i><d p="...">text</d></i> */
	OF_COMMENTS_YOUTUBE,  /**< chat-downloader JSON, innertube actions, yt-dlp .live_chat.json */
	OF_COMMENTS_IRC,      /**< raw IRCv3 lines (or {"messages":[...]}), "[time] user: message" logs */
	OF_COMMENTS_CSV,      /**< CSV with a header row */
	OF_COMMENTS_JSONL,    /**< our comment schema, docs/formats.md */
	OF_COMMENTS_XLSX      /**< an Excel workbook: its first sheet, read like CSV */
} of_comments_format;

typedef enum {
	OF_COMMENT_CHAT = 0,
	OF_COMMENT_GIFT,
	OF_COMMENT_SUPERCHAT,
	OF_COMMENT_SYSTEM
} of_comment_kind;

/**
 * One comment. Every pointer is borrowed for the duration of the callback
 * (copy what you keep). `text` is valid UTF-8 without control characters.
 */
typedef struct of_comment {
	const char *path;      /**< input file */
	unsigned long line;    /**< input line where the record starts (1-based) */
	const char *id;        /**< dmid / platform message id, NULL when the format has none */
	double time;           /**< seconds from the stream start (may be negative: pre-stream chat, when
				    the log gives offsets; a log timed only by wall clocks counts from its
				    earliest record, so never before it) */
	double wall;           /**< Unix time in seconds, 0 when unknown */
	const char *user_id;   /**< stable user id or hash, "" when unknown */
	const char *user_name; /**< display name, "" when unknown */
	const char *text;      /**< the message: text[0..text_len), not always NUL-terminated there */
	size_t text_len;
	of_comment_kind kind;
	double weight;         /**< 1 for chat; superchat amount in the payer's currency units; gift count */
	int mode;              /**< bilibili mode (1 scroll, 4 bottom, 5 top, 7 advanced), else 0 */
	int host;              /**< 1 when the log marks the sender as the channel's owner (Twitch
				    broadcaster badge, YouTube owner badge, a CSV role column saying 主播,
				    "host": true in our JSONL, the streamer a bilibili live
				    recorder's header names) */
	int emotes_only;       /**< 1 when the platform marks every word as an emote (Twitch emotes tag) */
	int moderator;         /**< 1 when the log marks the sender as one of the channel's moderators
				    (Twitch moderator badge, mod=1 or user-type=mod; YouTube moderator badge;
				    a role column or key saying 管理员, 房管, 场控, 助播 or moderator; a bilibili
				    room admin by the DANMU_MSG data a live recorder keeps in raw="…"): staff,
				    not a viewer, like the host; 0 when `host` is 1 */
} of_comment;

/** Return non-zero to stop reading (that value is returned by the reader). */
typedef int (*of_comment_cb)(const of_comment *c, void *payload);

typedef struct of_comments_options {
	unsigned version;
	int strict;                /**< a bad record fails the read with OF_EINVALID */
	of_comments_format format; /**< OF_COMMENTS_AUTO detects from content */
	size_t max_bytes;          /**< cap on the (decompressed) input; OF_ELIMIT past it */
	size_t max_comment_bytes;  /**< a longer comment is skipped with a warning */
	const char *csv_text_col;  /**< CSV column names overriding the defaults (NULL = by name) */
	const char *csv_time_col;
	const char *csv_user_col;
} of_comments_options;

#define OF_COMMENTS_OPTIONS_VERSION 1
#define OF_COMMENTS_OPTIONS_INIT \
	{OF_COMMENTS_OPTIONS_VERSION, 0, OF_COMMENTS_AUTO, 0, 0, NULL, NULL, NULL}

/** What a read saw; the caller zeroes it, readers add to it (so one struct can sum many files). */
typedef struct of_comments_stats {
	size_t records;         /**< comments handed to the callback */
	size_t bad;             /**< records skipped as bad */
	size_t ignored;         /**< records understood but not comments (unknown actions, CLEARCHAT, ...) */
	size_t control_removed; /**< control characters removed */
	size_t invalid_utf8;    /**< invalid byte sequences replaced by U+FFFD */
	size_t too_long;        /**< comments over max_comment_bytes, skipped */
	size_t truncated;       /**< files that ended early (records before the cut kept) */
	size_t gb18030;         /**< files read as GB18030 (GBK) and converted to UTF-8 */
	size_t utf16;           /**< text files read as UTF-16 (not XML, which libxml2 decodes) */
	size_t out_of_order;    /**< records timed only by a wall clock that was earlier than their log's
				     first record's (their offsets count from the log's earliest time) */
	of_comments_format format; /**< format of the last file read */
	double start_wall;         /**< Unix time of offset 0 as the last file's header gives it (a bilibili
					live recorder's start time), else left as it was: a caller reading
					several parts of one stream zeroes it per file to line them up */
	char platform[16];         /**< the site a live recorder's header says it recorded, lower-case ASCII
					("bilibili", "douyin": biliLive-tools writes its Douyin recordings as bilibili
					XML); "" when the file does not say; like start_wall, left as it was */
} of_comments_stats;

/**
 * Reads one log held in memory (`origin` names it in messages; borrowed).
 * gzip data is accepted. Calls `cb` once per comment, in input order.
 * @return 0, OF_EINVALID (unusable file, or a bad record under strict),
 *         OF_ELIMIT (input past max_bytes), OF_ENOMEM, or the callback's non-zero value.
 */
int of_comments_parse_buffer(const char *data, size_t len, const char *origin, const of_comments_options *opts,
			     of_comment_cb cb, void *payload, of_comments_stats *stats);

/**
 * Reads one log file (plain or .gz) in a streaming way. Same returns as
 * of_comments_parse_buffer, plus OF_ENOTFOUND.
 */
int of_comments_load(const char *path, const of_comments_options *opts, of_comment_cb cb, void *payload,
		     of_comments_stats *stats);

/** Format named `name` ("auto", "bilibili", ...); -1 when unknown. */
int of_comments_format_from_name(const char *name);

/** Static name of a format ("bilibili", ...). */
const char *of_comments_format_name(of_comments_format f);

/** The formats we read, for messages ("bilibili danmaku XML, YouTube live chat JSON, ..."). Static. */
const char *of_comments_formats_accepted(void);

#endif
