/* error.h — one error convention for all of onefish (libgit2 style). */
#ifndef ONEFISH_ERROR_H
#define ONEFISH_ERROR_H

#include <stddef.h>

/** Return codes: 0 on success, a negative OF_E* code on failure. */
typedef enum {
	OF_OK = 0,
	OF_ERROR = -1,     /**< I/O or internal failure while running */
	OF_ENOTFOUND = -2, /**< a file, key or item does not exist */
	OF_EINVALID = -3,  /**< bad input: a file or record that cannot be used */
	OF_ELIMIT = -4,    /**< a cap from limits.h was exceeded */
	OF_ENET = -5,      /**< network failure */
	OF_EMEDIA = -6,    /**< decode/encode failure in the media libraries */
	OF_ENOMEM = -7,    /**< out of memory */
	OF_EUSAGE = -8,    /**< wrong usage (bad option value) */
	OF_EINTR = -9      /**< interrupted by a signal */
} of_err;

/**
 * Detail of the last error on this thread. `path`, `line` and `col` name the
 * bad input when known (line/col are 1-based; 0 means unknown).
 */
typedef struct of_error {
	int code;
	char message[1024];
	char path[1024];
	unsigned long line;
	unsigned long col;
} of_error;

/** Sets the thread's last error (no location). Returns `code` for `return of_error_set(...)`. */
int of_error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Sets the thread's last error with an input location; `path` is borrowed and copied. */
int of_error_set_at(int code, const char *path, unsigned long line, unsigned long col,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/** Records an allocation failure without allocating. Returns OF_ENOMEM. */
int of_error_set_oom(void);

/** The thread's last error; owned by the thread, valid until the next of_error_* call. Never NULL. */
const of_error *of_error_last(void);

/** Clears the thread's last error. */
void of_error_clear(void);

/**
 * Formats `e` as `path:line:col: message` (parts omitted when unknown) into
 * `buf` (always NUL-terminated). Returns `buf`.
 */
const char *of_error_format(const of_error *e, char *buf, size_t n);

/** Short English name of a code ("invalid input", ...). Static storage. */
const char *of_error_name(int code);

#endif
