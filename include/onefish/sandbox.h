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

#endif
