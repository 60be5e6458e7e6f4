/**
 * @file sandbox.h
 * @brief Worker isolation: run an untrusted parse in a forked child with CPU,
 *        memory and wall-clock limits, its result streamed back over a pipe.
 *
 * SAFE-INPUT decision 2: libxml2 2.9.14 and cmark 0.30.2 have super-linear
 * paths and may abort on allocation failure. The pre-scans in guard.h close the
 * known ones; this closes the unknown ones: the parse runs in a child with
 * RLIMIT_CPU, RLIMIT_AS (over what the process already maps; not applied under
 * ASan or valgrind, which need huge reservations) and alarm(), and the parent
 * turns its end into an ordinary error naming the input:
 *
 *     live.xml: limit exceeded (cpu): more than 30 s of CPU time
 *     live.xml: limit exceeded (memory): ...
 *     live.xml: parser crashed (signal 11)
 *
 * The child only runs `fn`: no atexit handlers, no stdio flush, the parent's
 * signal handlers reset (it never unlinks the parent's temporary files). Its
 * of_log events travel back and are re-emitted by the parent in order, and
 * the error it ends with (code, message, path:line:col) becomes the parent's,
 * so messages are the same as when parsing in-process.
 *
 * Example:
 *
 *     static int child(of_sandbox_out *out, void *arg) { return of_sandbox_send(out, "hi", 2); }
 *     static int sink(const char *p, size_t n, void *payload) { ...; return 0; }
 *     of_sandbox_limits lim = OF_SANDBOX_LIMITS_INIT;
 *     if (of_sandbox_run("live.xml", &lim, child, NULL, sink, NULL) < 0) report(of_error_last());
 */
#ifndef ONEFISH_SANDBOX_H
#define ONEFISH_SANDBOX_H

#include <stddef.h>
#include <stdint.h>

typedef struct of_sandbox_limits {
	double cpu_seconds;      /**< RLIMIT_CPU; 0 = OF_PARSE_CPU_SECONDS */
	size_t memory_bytes;     /**< address space the child may add; 0 = OF_PARSE_MEMORY_BYTES */
	unsigned wall_seconds;   /**< alarm(); 0 = OF_PARSE_WALL_SECONDS */
	size_t max_result_bytes; /**< result bytes accepted (OF_ELIMIT past it); 0 = OF_MAX_WORKER_RESULT_BYTES */
} of_sandbox_limits;

#define OF_SANDBOX_LIMITS_INIT {0, 0, 0, 0}

/** Child side of the pipe (private). */
typedef struct of_sandbox_out of_sandbox_out;

/** Runs in the child; returns 0 or a negative of_err with the error set. */
typedef int (*of_sandbox_fn)(of_sandbox_out *out, void *arg);

/** Receives result bytes in the parent, in order, in pieces of any size; non-zero stops the child. */
typedef int (*of_sandbox_sink)(const char *data, size_t n, void *payload);

/**
 * Child side: sends `n` result bytes (buffered). Call only from the function
 * run by of_sandbox_run(). @return 0, or OF_ERROR when the parent is gone.
 */
int of_sandbox_send(of_sandbox_out *out, const void *data, size_t n);

/**
 * Runs `fn(out, arg)` in a forked child under `lim` (NULL = defaults) and
 * streams what it sends to `sink` while it runs. `origin` (borrowed) names
 * the input in limit and crash messages.
 * @return 0; the child's error (same code, message and location); OF_ELIMIT
 *         ("limit exceeded (cpu|memory|time)", or too many result bytes);
 *         OF_ERROR ("parser crashed (signal N)", fork or pipe failure);
 *         OF_EINTR (a signal interrupted the wait: the child is killed);
 *         or the sink's non-zero value (the child is killed).
 */
int of_sandbox_run(const char *origin, const of_sandbox_limits *lim, of_sandbox_fn fn, void *arg,
		   of_sandbox_sink sink, void *payload);

/**
 * Like of_sandbox_run() but collects the result in a malloc'd buffer
 * (`*out`, NUL-terminated, `*len` bytes; the caller frees it; NULL on failure).
 */
int of_sandbox_collect(const char *origin, const of_sandbox_limits *lim, of_sandbox_fn fn, void *arg, char **out,
		       size_t *len);

/** 1 when RLIMIT_AS is applied to workers, 0 under ASan or valgrind. */
int of_sandbox_memory_limited(void);

/* ---- record streams: what workers send back ----
 * A worker sends its result as frames (a tag byte, a native u32 length, the payload);
 * inside a payload, strings are a native u32 length (OF_SANDBOX_NO_STR for NULL) and
 * the bytes. Parent and child are the same binary, so native byte order is safe. */

#define OF_SANDBOX_NO_STR UINT32_MAX

/** Child side: sends one frame. @return 0, or OF_ERROR when the parent is gone. */
int of_sandbox_send_frame(of_sandbox_out *out, char tag, const void *payload, size_t n);

/** Child side: sends a frame's head only; exactly `n` payload bytes must follow (of_sandbox_send), in pieces. */
int of_sandbox_send_frame_head(of_sandbox_out *out, char tag, size_t n);

/** Parent side: called with each complete frame; a non-zero return stops the worker. */
typedef int (*of_sandbox_frame_fn)(void *ctx, char tag, const char *payload, size_t n);

/**
 * Reassembles frames from the byte stream. Set `fn`, `ctx`, `origin` (named in
 * errors), `what` ("post record") and `max_frame`; zero the rest. Pass
 * of_sandbox_frames_sink as the sink and the struct as its payload, then call
 * of_sandbox_frames_end() (a half frame left over is a broken stream).
 */
typedef struct of_sandbox_frames {
	of_sandbox_frame_fn fn;
	void *ctx;
	const char *origin;
	const char *what;
	size_t max_frame;
	char *acc_; /**< bytes of an incomplete frame (private) */
	size_t len_, cap_;
} of_sandbox_frames;

/** An of_sandbox_sink over an of_sandbox_frames. @return 0, fn's value, OF_ENOMEM or OF_ERROR (broken stream). */
int of_sandbox_frames_sink(const char *data, size_t n, void *frames);

/** Frees the buffer; `rc` is of_sandbox_run()'s result. @return rc, or OF_ERROR when rc is 0 but a frame was cut. */
int of_sandbox_frames_end(of_sandbox_frames *f, int rc);

/** A cursor over a received payload: reads past the end set `bad` and yield zeros/NULL. */
typedef struct of_sandbox_reader {
	const char *p, *e;
	int bad;
} of_sandbox_reader;

/** Copies the next `n` bytes into `out` (zeros on a short payload, `bad` set). */
void of_sandbox_take(of_sandbox_reader *r, void *out, size_t n);

/** The next string as a malloc'd NUL-terminated copy (caller frees); NULL when sent as NULL, or with `bad` set. */
char *of_sandbox_take_str(of_sandbox_reader *r);

#endif
