/* log.h — events from the library to whoever drives it (the CLI).
 * Library code never prints: it calls these, and the registered handler decides
 * (progress bar on a terminal, plain lines in CI, JSON lines with --json). */
#ifndef ONEFISH_LOG_H
#define ONEFISH_LOG_H

#include <stddef.h>

typedef enum { OF_LOG_DEBUG, OF_LOG_INFO, OF_LOG_WARN, OF_LOG_ERROR } of_log_level;

typedef enum {
	OF_EV_MESSAGE,     /**< free text at `level` */
	OF_EV_BAD_RECORD,  /**< one input record skipped (path/line/col set) */
	OF_EV_STAGE_START, /**< `stage` starts; message says why */
	OF_EV_STAGE_END,   /**< `stage` ended; `seconds` set; `code` its result */
	OF_EV_PROGRESS,    /**< `done`/`total` in `unit` */
	OF_EV_SUMMARY      /**< final summary line */
} of_log_event;

/** One event; every pointer is borrowed for the duration of the handler call. */
typedef struct of_log_record {
	of_log_event event;
	of_log_level level;
	const char *stage;   /**< may be NULL */
	const char *path;    /**< input file, may be NULL */
	unsigned long line;  /**< 1-based, 0 if unknown */
	unsigned long col;   /**< 1-based, 0 if unknown */
	const char *message; /**< never NULL */
	double done, total;  /**< progress */
	const char *unit;    /**< progress unit ("frames", "posts") */
	double seconds;      /**< stage end */
	int code;            /**< stage end result */
} of_log_record;

typedef void (*of_log_fn)(const of_log_record *rec, void *payload);

/** Registers the process-wide handler (NULL restores the default: plain lines on stderr). */
void of_log_set_handler(of_log_fn fn, void *payload);

/** The registered handler and its payload (NULL: the default), so a caller can wrap it and put it back. */
void of_log_get_handler(of_log_fn *fn, void **payload);

/** Sends a free-text message. */
void of_log(of_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Warning about a place in an input file, printed as `path:line:col: message`. */
void of_log_warn_at(const char *path, unsigned long line, unsigned long col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/**
 * Reports one unusable record. When `strict` is 0 it is logged, counted and
 * the caller skips it (returns 0). When `strict` is non-zero the error is set
 * with the location and OF_EINVALID is returned: the caller fails.
 */
int of_log_bad_record(int strict, const char *path, unsigned long line, unsigned long col,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/** Progress of long work (`stage` and `unit` borrowed). */
void of_log_progress(const char *stage, double done, double total, const char *unit);

/** Stage boundaries, for timings and --json events. */
void of_log_stage_start(const char *stage, const char *why);
void of_log_stage_end(const char *stage, int code, double seconds);

/** Passes a fully built record to the handler (used by the CLI for summaries). */
void of_log_emit(const of_log_record *rec);

/* Replays a message or bad-record event that a worker process logged: the
 * fields come from an untrusted child, so any other event or level is refused
 * (returns OF_EINVALID) and control characters in `path` and `message` are
 * replaced in place, as for the parent's own messages. Counts as of_log_emit
 * does, and a bad record also counts in of_log_bad_record_count(). */
int of_log_replay(of_log_event event, of_log_level level, char *path, unsigned long line, unsigned long col,
		  char *message);

/**
 * Counters since start (or the last reset). Bad records: every of_log_bad_record().
 * Warnings: every OF_LOG_WARN record sent to the handler other than a bad record,
 * plus those counted with of_log_warn_unshown(). Stage summaries take their
 * warning count from here (difference before/after the stage), so it matches what
 * was printed.
 */
size_t of_log_bad_record_count(void);
size_t of_log_warning_count(void);
void of_log_reset_counts(void);

/**
 * Counts `n` warnings that are deliberately not printed (a per-file cap keeps a
 * log full of control characters readable). They count in of_log_warning_count().
 */
void of_log_warn_unshown(size_t n);

/** How many of the warnings were counted unshown (a sandbox worker hands it to its parent). */
size_t of_log_unshown_count(void);

/* Counts `n` bad records (skipped) that were not printed: a comment log prints its first
 * warnings and bad records only; the summary's bad count still includes the rest. */
void of_log_bad_record_unshown(size_t n);
size_t of_log_unshown_bad_count(void);

/**
 * Holds this thread's messages and bad records from now on, until
 * of_log_release(). A stage that checks its records in more than one pass (the
 * reader, then the stage's own checks) holds them so they come out in input
 * order: on release, those about a place in a file are passed to the handler by
 * file (in the order the files were first named) and line, then the others in
 * the order they were logged. Counting is not delayed. Does not nest: a second
 * hold keeps the first. Progress and stage events are never held.
 */
void of_log_hold(void);

/** Passes the held records to the handler (see of_log_hold) and stops holding; harmless when not holding. */
void of_log_release(void);

/** Monotonic clock in seconds, for timings. */
double of_log_now(void);

#endif
