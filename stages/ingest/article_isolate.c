/* article_isolate.c — an article page or Markdown parsed in a limited worker
 * (sandbox.h): the worker runs the same parser and sends the document back in
 * a length-prefixed binary form; the parent rebuilds it. Same document, same
 * messages and errors as in-process. */
#include "ingest/article_isolate.h"
#include "onefish/buf.h"
#include "onefish/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>


typedef struct job {
	int html;
	const char *data;
	size_t len;
	const char *origin;
} job;

/* ---- worker side ---- */

static int put(of_sandbox_out *o, const void *p, size_t n)
{
	return of_sandbox_send(o, p, n);
}

static int put_u64(of_sandbox_out *o, uint64_t v)
{
	return put(o, &v, sizeof v);
}

static int put_str(of_sandbox_out *o, const char *s)
{
	uint32_t n = s ? (uint32_t)strlen(s) : OF_SANDBOX_NO_STR;
	if (put(o, &n, sizeof n) != 0)
		return OF_ERROR;
	return s ? put(o, s, n) : 0;
}

static int worker(of_sandbox_out *o, void *arg)
{
	const job *j = arg;
	of_article_doc *d = NULL;
	int rc = j->html ? of_article_doc_parse_html(&d, j->data, j->len, j->origin)
			 : of_article_doc_parse_markdown(&d, j->data, j->len, j->origin);
	if (rc < 0)
		return rc;
	rc = put_str(o, d->title) || put_str(o, d->summary) || put_str(o, d->engine) || put_str(o, d->image) ||
	     put_str(o, d->base_dir) || put_u64(o, d->image_line) || put_u64(o, d->body_line) || put_u64(o, d->n_blocks);
	for (size_t i = 0; rc == 0 && i < d->n_blocks; i++) {
		const of_article_block *b = &d->blocks[i];
		int32_t k[3] = {b->kind, b->level, b->section};
		rc = put(o, k, sizeof k) || put_u64(o, b->line) || put_u64(o, b->image_line) || put_str(o, b->text) ||
		     put_str(o, b->image);
	}
	of_article_doc_free(d);
	return rc ? OF_ERROR : 0;
}

/* ---- parent side ---- */

static int decode(of_article_doc **out, const char *buf, size_t len, const char *origin)
{
	of_sandbox_reader r = {buf, buf + len, 0};
	uint64_t image_line, body_line, n;
	of_article_doc *d = of_article_doc_new(origin);
	if (!d)
		return of_error_set_oom();
	d->title = of_sandbox_take_str(&r);
	d->summary = of_sandbox_take_str(&r);
	d->engine = of_sandbox_take_str(&r);
	d->image = of_sandbox_take_str(&r);
	d->base_dir = of_sandbox_take_str(&r);
	of_sandbox_take(&r, &image_line, sizeof image_line);
	of_sandbox_take(&r, &body_line, sizeof body_line);
	of_sandbox_take(&r, &n, sizeof n);
	d->image_line = (unsigned long)image_line;
	d->body_line = (unsigned long)body_line;
	for (uint64_t i = 0; !r.bad && i < n; i++) {
		int32_t k[3];
		uint64_t line, img_line;
		char *text, *image;
		of_sandbox_take(&r, k, sizeof k);
		of_sandbox_take(&r, &line, sizeof line);
		of_sandbox_take(&r, &img_line, sizeof img_line);
		text = of_sandbox_take_str(&r);
		image = of_sandbox_take_str(&r);
		if (!r.bad && of_article_doc_add(d, k[0], k[1], text, image, k[2], (unsigned long)line) < 0)
			r.bad = 2;
		else if (!r.bad)
			d->blocks[d->n_blocks - 1].image_line = (unsigned long)img_line;
		free(text);
		free(image);
	}
	if (r.bad || r.p != r.e) {
		of_article_doc_free(d);
		return r.bad == 2 ? of_error_set_oom()
				  : of_error_set_at(OF_ERROR, origin, 0, 0, "worker sent a broken article document");
	}
	*out = d;
	return 0;
}

int of_article_doc__parse_isolated(of_article_doc **out, int html, const char *data, size_t len, const char *origin,
				   const of_sandbox_limits *lim)
{
	job j = {html, data, len, origin};
	char *buf = NULL;
	size_t n = 0;
	int rc;
	*out = NULL;
	if (!lim)
		return html ? of_article_doc_parse_html(out, data, len, origin)
			    : of_article_doc_parse_markdown(out, data, len, origin);
	if ((rc = of_sandbox_collect(origin, lim, worker, &j, &buf, &n)) < 0)
		return rc;
	rc = decode(out, buf, n, origin);
	free(buf);
	return rc;
}
