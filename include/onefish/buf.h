/* buf.h — a growable byte buffer with a hard maximum (curl dynbuf style).
 * Fields are private: use the functions. The content is always NUL-terminated. */
#ifndef ONEFISH_BUF_H
#define ONEFISH_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct of_buf {
	char *ptr_;
	size_t len_;
	size_t cap_;
	size_t max_;
} of_buf;

#define OF_BUF_DEFAULT_MAX ((size_t)256 * 1024 * 1024)

/** Initialises an empty buffer that may grow to `max` bytes. Cannot fail. */
void of_buf_init(of_buf *b, size_t max);

/** Appends `n` bytes. Returns 0, OF_ELIMIT past the maximum, or OF_ENOMEM. */
int of_buf_append(of_buf *b, const void *data, size_t n);

/** Appends a NUL-terminated string. Same returns as of_buf_append. */
int of_buf_puts(of_buf *b, const char *s);

/** Appends one byte. */
int of_buf_putc(of_buf *b, char c);

/** Appends formatted text. Same returns as of_buf_append. */
int of_buf_printf(of_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int of_buf_vprintf(of_buf *b, const char *fmt, va_list ap);

/** Content (owned by the buffer; valid until it changes). Never NULL: "" when empty. */
const char *of_buf_cstr(const of_buf *b);

/** Length in bytes, without the terminating NUL. */
size_t of_buf_len(const of_buf *b);

/** Shortens the content to `len` bytes (no-op if already shorter). */
void of_buf_truncate(of_buf *b, size_t len);

/**
 * Takes the content out: the caller frees it with free(). The buffer is left
 * empty and reusable. Returns a heap copy of "" when empty, NULL on OOM.
 */
char *of_buf_detach(of_buf *b, size_t *len_out);

/** Releases the memory; the buffer is empty and reusable afterwards. */
void of_buf_free(of_buf *b);

#endif
