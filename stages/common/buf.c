/* buf.c — bounded dynamic buffer. */
#include "onefish/buf.h"
#include "onefish/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void of_buf_init(of_buf *b, size_t max)
{
	b->ptr_ = NULL;
	b->len_ = b->cap_ = 0;
	b->max_ = max ? max : OF_BUF_DEFAULT_MAX;
}

static int grow(of_buf *b, size_t need)
{
	size_t cap;
	char *p;
	if (need <= b->cap_)
		return 0;
	cap = b->cap_ ? b->cap_ : 64;
	while (cap < need)
		cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
	if (cap > b->max_ + 1)
		cap = b->max_ + 1;
	p = realloc(b->ptr_, cap);
	if (!p)
		return of_error_set_oom();
	b->ptr_ = p;
	b->cap_ = cap;
	return 0;
}

int of_buf_append(of_buf *b, const void *data, size_t n)
{
	int rc;
	if (n > b->max_ - b->len_ || b->len_ > b->max_)
		return of_error_set(OF_ELIMIT, "buffer limit of %zu bytes exceeded", b->max_);
	if ((rc = grow(b, b->len_ + n + 1)) < 0)
		return rc;
	if (n)
		memcpy(b->ptr_ + b->len_, data, n);
	b->len_ += n;
	b->ptr_[b->len_] = '\0';
	return 0;
}

int of_buf_puts(of_buf *b, const char *s)
{
	return of_buf_append(b, s, strlen(s));
}

int of_buf_putc(of_buf *b, char c)
{
	return of_buf_append(b, &c, 1);
}

int of_buf_vprintf(of_buf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list cp;
	int n;
	va_copy(cp, ap);
	n = vsnprintf(small, sizeof small, fmt, cp);
	va_end(cp);
	if (n < 0)
		return of_error_set(OF_ERROR, "format error");
	if ((size_t)n < sizeof small)
		return of_buf_append(b, small, (size_t)n);
	{
		int rc;
		if ((size_t)n > b->max_ - b->len_)
			return of_error_set(OF_ELIMIT, "buffer limit of %zu bytes exceeded", b->max_);
		if ((rc = grow(b, b->len_ + (size_t)n + 1)) < 0)
			return rc;
		vsnprintf(b->ptr_ + b->len_, (size_t)n + 1, fmt, ap);
		b->len_ += (size_t)n;
	}
	return 0;
}

int of_buf_printf(of_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;
	va_start(ap, fmt);
	rc = of_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *of_buf_cstr(const of_buf *b)
{
	return b->ptr_ ? b->ptr_ : "";
}

size_t of_buf_len(const of_buf *b)
{
	return b->len_;
}

void of_buf_truncate(of_buf *b, size_t len)
{
	if (len < b->len_) {
		b->len_ = len;
		b->ptr_[len] = '\0';
	}
}

char *of_buf_detach(of_buf *b, size_t *len_out)
{
	char *p = b->ptr_;
	if (len_out)
		*len_out = b->len_;
	if (!p) {
		p = calloc(1, 1);
		if (!p)
			of_error_set_oom();
	}
	b->ptr_ = NULL;
	b->len_ = b->cap_ = 0;
	return p;
}

void of_buf_free(of_buf *b)
{
	free(b->ptr_);
	b->ptr_ = NULL;
	b->len_ = b->cap_ = 0;
}
