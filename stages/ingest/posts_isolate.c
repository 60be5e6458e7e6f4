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
#define MAX_FRAME ((size_t)256 << 20) /* a post's text is capped far below; images and tags too */

typedef struct job {
	const char *path;
	const of_posts_read_options *opts;
} job;

/* ---- worker side ---- */

static int put_str(of_buf *b, const char *s)
{
	uint32_t n = s ? (uint32_t)strlen(s) : OF_SANDBOX_NO_STR;
	if (of_buf_append(b, &n, sizeof n) < 0)
		return OF_ENOMEM;
	return s && n ? (of_buf_append(b, s, n) < 0 ? OF_ENOMEM : 0) : 0;
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
	uint32_t nl = post->image_lines ? ni : 0;
	if (rc == 0 && of_buf_append(&b, &nl, sizeof nl) < 0)
		rc = OF_ENOMEM;
	for (uint32_t i = 0; rc == 0 && i < nl; i++) {
		uint64_t l = post->image_lines[i];
		rc = of_buf_append(&b, &l, sizeof l) < 0 ? OF_ENOMEM : 0;
	}
	uint64_t tl = post->time_line;
	if (rc == 0 && of_buf_append(&b, &tl, sizeof tl) < 0)
		rc = OF_ENOMEM;
	if (rc == 0)
		rc = of_sandbox_send_frame(o, FR_POST, of_buf_cstr(&b), of_buf_len(&b));
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
	if (of_sandbox_send_frame(o, FR_STATS, (const char *)counts, sizeof counts) != 0 && rc == 0)
		rc = OF_ERROR;
	return rc;
}

/* ---- parent side ---- */

typedef struct sink_ctx {
	of_posts *out;
	const char *path;
	const of_posts_read_options *opts;
	of_posts_read_stats *st;
} sink_ctx;

static char **take_list(of_sandbox_reader *r, size_t *n_out)
{
	uint32_t n;
	char **a;
	*n_out = 0;
	of_sandbox_take(r, &n, sizeof n);
	if (r->bad || n == 0)
		return NULL;
	if (n > (size_t)(r->e - r->p) / 4 || !(a = calloc(n, sizeof *a))) {
		r->bad = 1;
		return NULL;
	}
	for (uint32_t i = 0; i < n && !r->bad; i++) {
		a[i] = of_sandbox_take_str(r);
		*n_out = i + 1;
	}
	return a;
}

static int broken(const sink_ctx *s)
{
	return of_error_set_at(OF_ERROR, s->path, 0, 0, "worker sent a broken post record");
}

static int take_frame(void *ctx, char tag, const char *p, size_t n)
{
	sink_ctx *s = ctx;
	of_sandbox_reader r = {p, p + n, 0};
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
	of_sandbox_take(&r, &line, sizeof line);
	of_sandbox_take(&r, &likes, sizeof likes);
	of_sandbox_take(&r, &nc, sizeof nc);
	origin = of_sandbox_take_str(&r);
	base_dir = of_sandbox_take_str(&r);
	post.id = of_sandbox_take_str(&r);
	post.time = of_sandbox_take_str(&r);
	post.author = of_sandbox_take_str(&r);
	post.text = of_sandbox_take_str(&r);
	post.images = take_list(&r, &post.n_images);
	post.tags = take_list(&r, &post.n_tags);
	uint32_t nl = 0;
	of_sandbox_take(&r, &nl, sizeof nl);
	if (!r.bad && nl && nl == post.n_images && (post.image_lines = calloc(nl, sizeof *post.image_lines)))
		for (uint32_t i = 0; i < nl && !r.bad; i++) {
			uint64_t l = 0;
			of_sandbox_take(&r, &l, sizeof l);
			post.image_lines[i] = (unsigned long)l;
		}
	else if (nl) /* a count that does not match, or no memory: the frame is not ours */
		r.bad = 1;
	uint64_t tl = 0;
	of_sandbox_take(&r, &tl, sizeof tl);
	post.time_line = (unsigned long)tl;
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
	of_sandbox_frames f = {take_frame, &s, path, "post record", MAX_FRAME, NULL, 0, 0};
	rc = of_sandbox_frames_end(&f, of_sandbox_run(path, lim, worker, &j, of_sandbox_frames_sink, &f));
	return rc;
}
