/* sandbox_stream.c — the record stream workers send back: frames on the way,
 * a bounds-checked cursor to read each payload. Shared by every isolated reader. */
#include "onefish/sandbox.h"
#include "onefish/error.h"

#include <stdlib.h>
#include <string.h>

#define FRAME_HEAD 5 /* tag, u32 payload length */

int of_sandbox_send_frame_head(of_sandbox_out *out, char tag, size_t n)
{
	unsigned char head[FRAME_HEAD];
	uint32_t len = (uint32_t)n;
	head[0] = (unsigned char)tag;
	memcpy(head + 1, &len, 4);
	return of_sandbox_send(out, head, FRAME_HEAD) != 0 ? OF_ERROR : 0;
}

int of_sandbox_send_frame(of_sandbox_out *out, char tag, const void *payload, size_t n)
{
	if (of_sandbox_send_frame_head(out, tag, n) != 0 || of_sandbox_send(out, payload, n) != 0)
		return OF_ERROR;
	return 0;
}

static int broken(const of_sandbox_frames *f)
{
	return of_error_set_at(OF_ERROR, f->origin, 0, 0, "worker sent a broken %s", f->what ? f->what : "record");
}

int of_sandbox_frames_sink(const char *data, size_t n, void *frames)
{
	of_sandbox_frames *f = frames;
	size_t off = 0;
	int rc;
	if (f->len_ + n > f->cap_) {
		size_t cap = f->cap_ ? f->cap_ : 1 << 17;
		while (cap < f->len_ + n)
			cap *= 2;
		char *a = realloc(f->acc_, cap);
		if (!a)
			return of_error_set_oom();
		f->acc_ = a;
		f->cap_ = cap;
	}
	memcpy(f->acc_ + f->len_, data, n);
	f->len_ += n;
	while (f->len_ - off >= FRAME_HEAD) {
		uint32_t len;
		memcpy(&len, f->acc_ + off + 1, 4);
		if (len > f->max_frame)
			return broken(f);
		if (f->len_ - off < FRAME_HEAD + (size_t)len)
			break;
		if ((rc = f->fn(f->ctx, f->acc_[off], f->acc_ + off + FRAME_HEAD, len)) != 0)
			return rc;
		off += FRAME_HEAD + len;
	}
	memmove(f->acc_, f->acc_ + off, f->len_ - off);
	f->len_ -= off;
	return 0;
}

int of_sandbox_frames_end(of_sandbox_frames *f, int rc)
{
	if (rc == 0 && f->len_)
		rc = broken(f);
	free(f->acc_);
	f->acc_ = NULL;
	f->len_ = f->cap_ = 0;
	return rc;
}

void of_sandbox_take(of_sandbox_reader *r, void *out, size_t n)
{
	if (r->bad || (size_t)(r->e - r->p) < n) {
		r->bad = 1;
		memset(out, 0, n);
		return;
	}
	memcpy(out, r->p, n);
	r->p += n;
}

char *of_sandbox_take_str(of_sandbox_reader *r)
{
	uint32_t n;
	char *s;
	of_sandbox_take(r, &n, sizeof n);
	if (r->bad || n == OF_SANDBOX_NO_STR)
		return NULL;
	if ((size_t)(r->e - r->p) < n || !(s = malloc((size_t)n + 1))) {
		r->bad = 1;
		return NULL;
	}
	memcpy(s, r->p, n);
	s[n] = 0;
	r->p += n;
	return s;
}
