/* posts_md.c — one post per Markdown file: YAML front matter (libyaml) then
 * a body read through cmark (its text, and its images as the post's images). */
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/guard.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/post.h"
#include "onefish/utf8.h"
#include "posts_int.h"

#include <cmark.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#define MAX_FRONT_MATTER ((size_t)64 * 1024)

static const char *scalar(yaml_document_t *doc, yaml_node_t *n)
{
	(void)doc;
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static void list(yaml_document_t *doc, yaml_node_t *n, char ***arr, size_t *cnt)
{
	if (!n)
		return;
	if (n->type == YAML_SCALAR_NODE) {
		of_post__push(arr, cnt, (const char *)n->data.scalar.value, n->data.scalar.length);
		return;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *c = yaml_document_get_node(doc, *it);
		if (c && c->type == YAML_SCALAR_NODE && c->data.scalar.length)
			of_post__push(arr, cnt, (const char *)c->data.scalar.value, c->data.scalar.length);
	}
}

/* Fills the post from the front matter, whose first line is line `fm_line` of the file; returns
 * a reason on bad YAML (in `why`, with its place in *err_line / *err_col, 0 when unknown), else NULL.
 * libyaml's marks are per node: the time's own line is kept, so a warning about it names it. */
static const char *front(of_post *p, const char *fm, size_t len, unsigned long fm_line, unsigned long *err_line,
			 unsigned long *err_col, char *why, size_t why_n)
{
	yaml_parser_t ps;
	yaml_document_t doc;
	const char *bad = NULL;
	if (!yaml_parser_initialize(&ps))
		return "out of memory";
	yaml_parser_set_input_string(&ps, (const unsigned char *)fm, len);
	if (!yaml_parser_load(&ps, &doc)) {
		/* the parser's reason and where it is: "did not find expected ',' or ']' (while parsing
		 * a flow sequence started at line 4)" */
		*err_line = fm_line + (unsigned long)ps.problem_mark.line;
		*err_col = (unsigned long)ps.problem_mark.column + 1;
		if (ps.problem && ps.context)
			snprintf(why, why_n, "front matter is not valid YAML: %s (%s started at line %lu)", ps.problem,
				 ps.context, fm_line + (unsigned long)ps.context_mark.line);
		else
			snprintf(why, why_n, "front matter is not valid YAML: %s", ps.problem ? ps.problem : "syntax error");
		yaml_parser_delete(&ps);
		return why;
	}
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (root && root->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
			const char *k = scalar(&doc, yaml_document_get_node(&doc, pr->key));
			yaml_node_t *v = yaml_document_get_node(&doc, pr->value);
			const char *s = scalar(&doc, v);
			if (!k)
				continue;
			if (!strcmp(k, "id") && s) {
				free(p->id);
				p->id = strdup(s);
			} else if (!strcmp(k, "time") && s) {
				free(p->time); /* a key given twice: the last wins, the first is not leaked */
				p->time = strdup(s);
				p->time_line = fm_line + (unsigned long)v->start_mark.line;
			} else if (!strcmp(k, "author") && s) {
				free(p->author);
				p->author = strdup(s);
			} else if (!strcmp(k, "tags")) {
				list(&doc, v, &p->tags, &p->n_tags);
			} else if (!strcmp(k, "images")) {
				list(&doc, v, &p->images, &p->n_images);
			} else if (!strcmp(k, "likes") && s) {
				long l;
				if (of_post__parse_likes(s, &l) < 0) {
					bad = "likes is not a whole number";
					*err_line = fm_line + (unsigned long)v->start_mark.line;
					*err_col = (unsigned long)v->start_mark.column + 1;
				} else
					p->likes = l;
			}
		}
	} else if (root) {
		bad = "front matter is not a mapping";
		*err_line = fm_line + (unsigned long)root->start_mark.line;
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&ps);
	return bad;
}

static void body_text(of_buf *b, of_post *p, cmark_node *root, unsigned long line_off)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	size_t link_at = 0; /* where the words of the link being read start (links do not nest) */
	int after_url = 0;  /* a link's URL ends `b`: words must not run into it */
	if (!it)
		return;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type ty = cmark_node_get_type(n);
		/* emphasis around the next words writes nothing itself: the words decide */
		if (after_url && ty != CMARK_NODE_LINK && ty != CMARK_NODE_EMPH && ty != CMARK_NODE_STRONG) {
			const char *lit = ty == CMARK_NODE_TEXT || ty == CMARK_NODE_CODE ? cmark_node_get_literal(n) : NULL;
			if (lit && of_post__space_after_url(lit))
				of_buf_putc(b, ' ');
			if (!lit || lit[0])
				after_url = 0;
		}
		switch (ty) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
			of_buf_puts(b, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_LINK:
			/* [words](https://…): the words, then the target, as an HTML post's <a> (posts_link.c) */
			if (ev == CMARK_EVENT_ENTER)
				link_at = of_buf_len(b);
			else
				of_post__put_link(b, link_at, cmark_node_get_url(n), &after_url);
			break;
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_HTML_BLOCK: {
			/* a post's markup is not its words: <br> is a line break, other tags say nothing */
			const char *h = cmark_node_get_literal(n);
			if (h && strncasecmp(h, "<br", 3) == 0)
				of_buf_putc(b, '\n');
			else if (h && h[0] != '<')
				of_buf_puts(b, h);
			break;
		}
		case CMARK_NODE_SOFTBREAK:
			/* a line break in a post is where the writer ended a line, as in the JSONL, CSV and
			 * HTML posts: Chinese lines often end without punctuation */
			of_buf_putc(b, '\n');
			break;
		case CMARK_NODE_LINEBREAK:
			of_buf_putc(b, '\n');
			break;
		case CMARK_NODE_ITEM: {
			/* an ordered list keeps its numbers, as the other formats keep "1. " in the text */
			cmark_node *list = cmark_node_parent(n);
			if (ev == CMARK_EVENT_ENTER && list && cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
				int k = cmark_node_get_list_start(list);
				for (cmark_node *q = cmark_node_first_child(list); q && q != n; q = cmark_node_next(q))
					k++;
				of_buf_printf(b, "%d. ", k);
			}
			if (ev == CMARK_EVENT_EXIT)
				of_buf_putc(b, '\n');
			break;
		}
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
			if (ev == CMARK_EVENT_EXIT)
				of_buf_putc(b, '\n');
			break;
		case CMARK_NODE_IMAGE: {
			const char *u = cmark_node_get_url(n);
			if (ev == CMARK_EVENT_ENTER && u && *u && of_post__push(&p->images, &p->n_images, u, strlen(u)) == 0)
				of_post__image_line(p, (unsigned long)cmark_node_get_start_line(n) + line_off);
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT); /* alt text is not prose */
			break;
		}
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

int of_posts_parse_markdown(of_posts *out, const char *data, size_t len, const char *origin,
			    const char *base_dir, const of_posts_read_options *opts, of_posts_read_stats *st)
{
	const char *org = of_posts__intern(out, origin), *base = of_posts__intern(out, base_dir ? base_dir : ".");
	of_post post = {0};
	const char *body = data;
	size_t body_len = len;
	unsigned long body_line = 1;
	of_buf b;
	if (!org || !base)
		return of_error_set_oom();
	if (len <= OF_MAX_MARKDOWN_BYTES && !of_utf8_valid(data, len, NULL)) {
		/* Notepad and WPS on Chinese Windows save GBK: read it as GB18030, as posts CSV are */
		char *conv = NULL;
		size_t cl = 0, at = 0;
		int rc = of_utf8_from_charset("GB18030", data, len, &conv, &cl, &at);
		if (rc == 0 && !of_utf8_valid(conv, cl, NULL)) { /* a NUL, say: converting again would loop */
			free(conv);
			rc = OF_EINVALID;
		}
		if (rc == 0) {
			of_log(OF_LOG_INFO, "%s: not UTF-8; read as GB18030 (GBK)", org);
			rc = of_posts_parse_markdown(out, conv, cl, origin, base_dir, opts, st);
			free(conv);
			return rc;
		}
		if (rc != OF_EINVALID)
			return rc;
		of_error_clear();
		if (st)
			st->records++;
		return of_posts__bad(opts, st, org, 1, 0, "not UTF-8 text (nor GB18030); save the post as UTF-8");
	}
	if (st)
		st->records++;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
		body = data;
		body_len = len;
	}
	/* the id defaults to the file name without its extension */
	{
		const char *bn = of_path_basename(origin), *dot = strrchr(bn, '.');
		if (!(post.id = strndup(bn, dot ? (size_t)(dot - bn) : strlen(bn))))
			return of_error_set_oom();
	}
	if (len > OF_MAX_MARKDOWN_BYTES) {
		of_post__clear(&post);
		int rc = of_posts__bad(opts, st, org, 1, 0, "post is %zu bytes, over the %zu-byte Markdown limit", len,
				       (size_t)OF_MAX_MARKDOWN_BYTES);
		return rc < 0 ? of_error_set_at(OF_ELIMIT, org, 1, 0, "post over the Markdown limit") : 0;
	}
	/* cmark 0.30.2 is super-linear on deep list/quote nesting and on many '[' even under the size cap. */
	if (of_guard_markdown(data, len, org, OF_MAX_MARKDOWN_NESTING, OF_MAX_MARKDOWN_BRACKETS) < 0) {
		char why[sizeof of_error_last()->message];
		unsigned long gl = of_error_last()->line;
		snprintf(why, sizeof why, "%s", of_error_last()->message);
		of_post__clear(&post);
		int rc = of_posts__bad(opts, st, org, gl, 0, "%s", why);
		return rc < 0 ? of_error_set_at(OF_ELIMIT, org, gl, 0, "%s", why) : 0;
	}
	if ((len >= 4 && memcmp(data, "---\n", 4) == 0) || (len >= 5 && memcmp(data, "---\r\n", 5) == 0)) {
		const char *fm = memchr(data, '\n', len) + 1, *end = NULL;
		for (const char *p = fm; p && p < data + len;) {
			if ((size_t)(data + len - p) >= 3 && memcmp(p, "---", 3) == 0 &&
			    (p + 3 == data + len || p[3] == '\n' || p[3] == '\r')) {
				end = p;
				break;
			}
			const char *nl = memchr(p, '\n', (size_t)(data + len - p));
			p = nl ? nl + 1 : NULL;
		}
		if (!end) {
			of_post__clear(&post);
			return of_posts__bad(opts, st, org, 1, 0, "front matter opened with '---' is never closed");
		}
		if ((size_t)(end - fm) > MAX_FRONT_MATTER) {
			of_post__clear(&post);
			return of_posts__bad(opts, st, org, 1, 0, "front matter over %zu bytes", MAX_FRONT_MATTER);
		}
		unsigned long el = 0, ec = 0;
		char whybuf[512];
		/* the front matter starts on line 2, under the opening '---' */
		const char *why = front(&post, fm, (size_t)(end - fm), 2, &el, &ec, whybuf, sizeof whybuf);
		if (why) {
			of_post__clear(&post);
			return of_posts__bad(opts, st, org, el ? el : 1, el ? ec : 0, "%s", why);
		}
		for (const char *p = data; p < end; p++)
			body_line += *p == '\n';
		const char *nl = memchr(end, '\n', (size_t)(data + len - end));
		body = nl ? nl + 1 : data + len;
		body_len = (size_t)(data + len - body);
	}
	cmark_node *root = cmark_parse_document(body, body_len, CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
	if (!root) {
		of_post__clear(&post);
		return of_error_set_oom();
	}
	of_buf_init(&b, of_posts__max_bytes(opts) + 1);
	body_text(&b, &post, root, body != data ? body_line : 0);
	cmark_node_free(root);
	post.text = of_buf_detach(&b, NULL);
	of_buf_free(&b);
	if (!post.text) {
		of_post__clear(&post);
		return of_error_set_oom();
	}
	if (!post.text[0] && !post.n_images) {
		of_post__clear(&post);
		return of_posts__bad(opts, st, org, 1, 0, "post has neither text nor images");
	}
	post.origin = org;
	post.base_dir = base;
	post.line = 1;
	return of_posts__commit(out, &post, opts, st);
}
