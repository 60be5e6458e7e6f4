/* posts_isolate.c — a posts file or folder read and parsed in a limited
 * worker (sandbox.h). The worker's reader hands each post, before any check, to a
 * hook that sends it as a length-prefixed binary frame; the parent rebuilds
 * the post and commits it, so the duplicate index across files, the caps,
 * the counts and every message are the same as in-process. */
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/sandbox.h"
#include "posts_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { FR_POST = 'P', FR_STATS = 'S' };
#define FRAME_HEAD 5
#define NO_STR UINT32_MAX
#define MAX_FRAME ((size_t)256 << 20) /* a post's text is capped far below; images and tags too */

typedef struct job {
	const char *path;
	const of_posts_read_options *opts;
} job;

/* ---- worker side ---- */

static int put_str(of_buf *b, const char *s)
{
	uint32_t n = s ? (uint32_t)strlen(s) : NO_STR;
	if (of_buf_append(b, &n, sizeof n) < 0)
		return OF_ENOMEM;
	return s && n ? (of_buf_append(b, s, n) < 0 ? OF_ENOMEM : 0) : 0;
}

static int send_frame(of_sandbox_out *o, char tag, const char *p, size_t n)
{
	unsigned char head[FRAME_HEAD];
	uint32_t len = (uint32_t)n;
	head[0] = (unsigned char)tag;
	memcpy(head + 1, &len, 4);
	return of_sandbox_send(o, head, FRAME_HEAD) || of_sandbox_send(o, p, n) ? OF_ERROR : 0;
}

static int send_post(of_post *post, void *ctx)
{
	of_sandbox_out *o = ctx;
	of_buf b;
	uint64_t line = post->line, nc = post->n_comments;
	int64_t likes = post->likes;
	uint32_t ni = (uint32_t)post->n_images, nt = (uint32_t)post->n_tags;
	int rc = 0;
	of_buf_init(&b, MAX_FRAME);
	if (of_buf_append(&b, &line, sizeof line) < 0 || of_buf_append(&b, &likes, sizeof likes) < 0 ||
	    of_buf_append(&b, &nc, sizeof nc) < 0 || put_str(&b, post->origin) || put_str(&b, post->base_dir) ||
	    put_str(&b, post->id) || put_str(&b, post->time) ||
	    put_str(&b, post->author) || put_str(&b, post->text) || of_buf_append(&b, &ni, sizeof ni) < 0)
		rc = OF_ENOMEM;
	for (size_t i = 0; rc == 0 && i < post->n_images; i++)
		rc = put_str(&b, post->images[i]);
	if (rc == 0 && of_buf_append(&b, &nt, sizeof nt) < 0)
		rc = OF_ENOMEM;
	for (size_t i = 0; rc == 0 && i < post->n_tags; i++)
		rc = put_str(&b, post->tags[i]);
	if (rc == 0)
		rc = send_frame(o, FR_POST, of_buf_cstr(&b), of_buf_len(&b));
	else
		rc = of_error_set_at(OF_ELIMIT, post->origin, post->line, 0, "post record too large");
	of_buf_free(&b);
	return rc;
}

static int worker(of_sandbox_out *o, void *arg)
{
	const job *j = arg;
	of_posts tmp;
	of_posts_read_stats st = {0, 0};
	uint64_t counts[2];
	int rc;
	of_posts_init(&tmp);
	of_posts__set_commit_hook(send_post, o);
	rc = of_posts_load(&tmp, j->path, j->opts, &st);
	of_posts__set_commit_hook(NULL, NULL);
	of_posts_free(&tmp);
	/* the counts go back even when the parse failed: the summary says what was read, as in-process */
	counts[0] = st.records;
	counts[1] = st.bad;
	if (send_frame(o, FR_STATS, (const char *)counts, sizeof counts) != 0 && rc == 0)
		rc = OF_ERROR;
	return rc;
}

/* ---- parent side ---- */

typedef struct sink_ctx {
	of_posts *out;
	const char *path;
	const of_posts_read_options *opts;
	of_posts_read_stats *st;
	char *acc;
	size_t len, cap;
} sink_ctx;

typedef struct rd {
	const char *p, *e;
	int bad;
} rd;

static void take(rd *r, void *out, size_t n)
{
	if (r->bad || (size_t)(r->e - r->p) < n) {
		r->bad = 1;
		memset(out, 0, n);
		return;
	}
	memcpy(out, r->p, n);
	r->p += n;
}

static char *take_str(rd *r)
{
	uint32_t n;
	char *s;
	take(r, &n, sizeof n);
	if (r->bad || n == NO_STR)
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

static char **take_list(rd *r, size_t *n_out)
{
	uint32_t n;
	char **a;
	*n_out = 0;
	take(r, &n, sizeof n);
	if (r->bad || n == 0)
		return NULL;
	if (n > (size_t)(r->e - r->p) / 4 || !(a = calloc(n, sizeof *a))) {
		r->bad = 1;
		return NULL;
	}
	for (uint32_t i = 0; i < n && !r->bad; i++) {
		a[i] = take_str(r);
		*n_out = i + 1;
	}
	return a;
}

static int broken(const sink_ctx *s)
{
	return of_error_set_at(OF_ERROR, s->path, 0, 0, "worker sent a broken post record");
}

static int take_frame(sink_ctx *s, char tag, const char *p, size_t n)
{
	rd r = {p, p + n, 0};
	of_post post;
	uint64_t line, nc;
	int64_t likes;
	char *origin, *base_dir;
	if (tag == FR_STATS) {
		uint64_t counts[2];
		if (n != sizeof counts)
			return broken(s);
		memcpy(counts, p, sizeof counts);
		if (!s->st)
			return 0;
		s->st->records += (size_t)counts[0];
		s->st->bad += (size_t)counts[1];
		return 0;
	}
	if (tag != FR_POST)
		return broken(s);
	memset(&post, 0, sizeof post);
	take(&r, &line, sizeof line);
	take(&r, &likes, sizeof likes);
	take(&r, &nc, sizeof nc);
	origin = take_str(&r);
	base_dir = take_str(&r);
	post.id = take_str(&r);
	post.time = take_str(&r);
	post.author = take_str(&r);
	post.text = take_str(&r);
	post.images = take_list(&r, &post.n_images);
	post.tags = take_list(&r, &post.n_tags);
	post.line = (unsigned long)line;
	post.likes = (long)likes;
	post.n_comments = (size_t)nc;
	if (!r.bad && r.p == r.e && origin && base_dir) {
		post.origin = of_posts__intern(s->out, origin);
		post.base_dir = of_posts__intern(s->out, base_dir);
	}
	free(origin);
	free(base_dir);
	if (r.bad || r.p != r.e || !post.origin || !post.base_dir) {
		of_post__clear(&post);
		return r.bad || r.p != r.e || !origin || !base_dir ? broken(s) : of_error_set_oom();
	}
	return of_posts__commit(s->out, &post, s->opts, s->st);
}

static int sink(const char *data, size_t n, void *payload)
{
	sink_ctx *s = payload;
	size_t off = 0;
	int rc;
	if (s->len + n > s->cap) {
		size_t cap = s->cap ? s->cap : 1 << 16;
		while (cap < s->len + n)
			cap *= 2;
		char *a = realloc(s->acc, cap);
		if (!a)
			return of_error_set_oom();
		s->acc = a;
		s->cap = cap;
	}
	memcpy(s->acc + s->len, data, n);
	s->len += n;
	while (s->len - off >= FRAME_HEAD) {
		uint32_t len;
		memcpy(&len, s->acc + off + 1, 4);
		if (len > MAX_FRAME)
			return broken(s);
		if (s->len - off < FRAME_HEAD + (size_t)len)
			break;
		if ((rc = take_frame(s, s->acc[off], s->acc + off + FRAME_HEAD, len)) != 0)
			return rc;
		off += FRAME_HEAD + len;
	}
	memmove(s->acc, s->acc + off, s->len - off);
	s->len -= off;
	return 0;
}

int of_posts__load_isolated(of_posts *out, const char *path, const of_posts_read_options *opts,
			    of_posts_read_stats *st, const of_sandbox_limits *lim)
{
	job j = {path, opts};
	sink_ctx s;
	int rc;
	memset(&s, 0, sizeof s);
	s.out = out;
	s.path = path;
	s.opts = opts;
	s.st = st;
	rc = of_sandbox_run(path, lim, worker, &j, sink, &s);
	if (rc == 0 && s.len)
		rc = broken(&s);
	free(s.acc);
	return rc;
}
