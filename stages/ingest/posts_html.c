/* posts_html.c — posts from a saved HTML page, read with libxml2's HTML
 * parser (no network, no DTD). The accepted structure (docs/article.md):
 *   <div class="post" data-id="p01" data-time="2026-11-16T09:30:00+08:00"
 *        data-author="…" data-likes="23">
 *     <div class="text">…</div>            (else the element's whole text)
 *     <img src="images/p01-1.jpg">         (every img inside, with its own line;
 *                                           when src is a lazy loader's placeholder,
 *                                           srcset's largest, data-src, or a
 *                                           <picture>'s <source srcset>)
 *     <span class="tag">育儿</span>         (every element with class "tag")
 *   </div> */
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/guard.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/post.h"
#include "onefish/utf8.h"
#include "ingest/html_img.h"
#include "posts_int.h"

#include <errno.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int has_class(xmlNode *n, const char *cls)
{
	xmlChar *c = xmlGetProp(n, (const xmlChar *)"class");
	int found = 0;
	if (!c)
		return 0;
	size_t l = strlen(cls);
	for (const char *p = (const char *)c; *p;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		size_t w = strcspn(p, " \t\n");
		if (w == l && strncmp(p, cls, l) == 0)
			found = 1;
		p += w;
	}
	xmlFree(c);
	return found;
}

static char *prop(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *r = v ? strdup((const char *)v) : NULL;
	xmlFree(v);
	return r;
}

/* The text being written. A link's URL just written must not run into the next
 * words ("…https://a.cn/p1" + "abc" would be one URL): they get a space first. */
typedef struct text_out {
	of_buf *b;
	int links;     /* write link targets (a post's text; a tag's text has none) */
	int after_url; /* a link's URL ends the buffer */
} text_out;

static void put_text(text_out *o, const char *s)
{
	if (!*s)
		return;
	if (o->after_url && of_post__space_after_url(s))
		of_buf_putc(o->b, ' ');
	o->after_url = 0;
	of_buf_puts(o->b, s);
}

static void put_break(text_out *o)
{
	o->after_url = 0;
	of_buf_putc(o->b, '\n');
}

static void text_of(text_out *o, xmlNode *n);

/* A link: its words, then its http(s) target (posts_link.c; javascript:, data: and
 * relative targets are dropped). */
static void link_text(text_out *o, xmlNode *a)
{
	size_t at = of_buf_len(o->b);
	text_of(o, a);
	if (!o->links)
		return;
	char *href = prop(a, "href");
	int ends = 0;
	of_post__put_link(o->b, at, href, &ends);
	if (ends)
		o->after_url = 1;
	free(href);
}

/* Text of a subtree; <br> and block ends become newlines; script/style are skipped. */
static void text_of(text_out *o, xmlNode *n)
{
	for (xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			put_text(o, (const char *)c->content);
		} else if (c->type == XML_ELEMENT_NODE) {
			const char *nm = (const char *)c->name;
			/* a nested post is read as its own post (visit), not as this one's text */
			if (!strcmp(nm, "script") || !strcmp(nm, "style") || has_class(c, "tag") || has_class(c, "post"))
				continue;
			if (!strcmp(nm, "br")) {
				put_break(o);
				continue;
			}
			if (!strcmp(nm, "a"))
				link_text(o, c);
			else
				text_of(o, c);
			if (!strcmp(nm, "p") || !strcmp(nm, "div") || !strcmp(nm, "li"))
				put_break(o);
		}
	}
}

static xmlNode *find_class(xmlNode *n, const char *cls)
{
	for (xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (has_class(c, cls))
			return c;
		if (has_class(c, "post"))
			continue;
		xmlNode *d = find_class(c, cls);
		if (d)
			return d;
	}
	return NULL;
}

/* The <img> elements (html_img.c chooses each one's picture: a real src, else srcset's
 * largest, a lazy loader's address, its <picture>'s <source srcset>) and the tags below `n`,
 * which is in post element `post`; `subject` names the post in warnings. */
static void collect(of_post *p, xmlNode *n, const char *org, const xmlNode *post, const char *subject)
{
	for (xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp((const char *)c->name, "img")) {
			xmlNode *from = c;
			char *src = NULL;
			of_html_img_source(&src, &from, c, of_html_img_picture(c, post), org, subject);
			/* the <img>'s own line (or its <source>'s), so a warning about the picture points at it */
			if (src && *src && of_post__push(&p->images, &p->n_images, src, strlen(src)) == 0)
				of_post__image_line(p, of_html_line(from));
			free(src);
		} else if (has_class(c, "tag")) {
			of_buf t;
			text_out to = {&t, 0, 0};
			of_buf_init(&t, 4096);
			text_of(&to, c);
			const char *s = of_buf_cstr(&t);
			while (*s == '#' || *s == ' ')
				s++;
			size_t l = strlen(s);
			while (l && (s[l - 1] == '#' || s[l - 1] == ' ' || s[l - 1] == '\n'))
				l--;
			if (l)
				of_post__push(&p->tags, &p->n_tags, s, l);
			of_buf_free(&t);
			continue;
		}
		if (has_class(c, "post"))
			continue;
		collect(p, c, org, post, subject);
	}
}

/* Non-zero if a post element lies below `n`. */
static int find_nested(xmlNode *n)
{
	for (xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && (has_class(c, "post") || find_nested(c)))
			return 1;
	return 0;
}

typedef struct walk {
	of_posts *out;
	const char *org, *base;
	const of_posts_read_options *o;
	of_posts_read_stats *st;
	int rc;
	size_t depth;
	size_t found;
	unsigned long outer_line; /* line of the post being read, while its children are walked */
} walk;

static void visit(walk *w, xmlNode *n)
{
	for (xmlNode *c = n; c && w->rc == 0; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!has_class(c, "post")) {
			if (w->depth < 256) {
				w->depth++;
				visit(w, c->children);
				w->depth--;
			}
			continue;
		}
		of_post post = {0};
		of_buf t;
		unsigned long line = of_html_line(c);
		w->found++;
		if (w->st)
			w->st->records++;
		if (w->outer_line)
			of_log_warn_at(w->org, line, 0, "a post inside the post at line %lu; read as a post of its own",
				       w->outer_line);
		post.id = prop(c, "data-id");
		post.time = prop(c, "data-time");
		post.author = prop(c, "data-author");
		char *likes = prop(c, "data-likes");
		if (likes) {
			long l;
			post.likes = of_post__parse_likes(likes, &l) < 0 ? 0 : l;
			free(likes);
		}
		of_buf_init(&t, of_posts__max_bytes(w->o) * 2);
		xmlNode *tx = find_class(c, "text");
		text_out to = {&t, 1, 0};
		text_of(&to, tx ? tx : c);
		post.text = of_buf_detach(&t, NULL);
		of_buf_free(&t);
		{
			size_t sl = (post.id ? strlen(post.id) : 0) + 8;
			char *subject = malloc(sl);
			if (subject)
				snprintf(subject, sl, "post '%s'", post.id ? post.id : "");
			collect(&post, c, w->org, c, subject ? subject : "post");
			free(subject);
		}
		if (!post.text) {
			of_post__clear(&post);
			w->rc = of_error_set_oom();
			return;
		}
		post.origin = w->org;
		post.base_dir = w->base;
		post.line = line;
		w->rc = of_posts__commit(w->out, &post, w->o, w->st);
		if (w->rc == 0 && w->depth < 256 && find_nested(c)) {
			unsigned long outer = w->outer_line;
			w->outer_line = line;
			w->depth++;
			visit(w, c->children);
			w->depth--;
			w->outer_line = outer;
		}
	}
}

int of_posts_parse_html(of_posts *out, const char *data, size_t len, const char *origin, const char *base_dir,
			const of_posts_read_options *opts, of_posts_read_stats *st)
{
	const char *org = of_posts__intern(out, origin), *base = of_posts__intern(out, base_dir ? base_dir : ".");
	htmlDocPtr doc;
	if (!org || !base)
		return of_error_set_oom();
	if (len > OF_MAX_HTML_BYTES)
		return of_error_set_at(OF_ELIMIT, org, 0, 0, "HTML page is %zu bytes, over the %zu-byte limit", len,
				       (size_t)OF_MAX_HTML_BYTES);
	/* libxml2 2.9.14 is quadratic in attributes per element: refuse such pages up front. */
	if (of_guard_markup(data, len, org, OF_MAX_MARKUP_ATTRS) < 0)
		return OF_ELIMIT;
	/* a page saved as GBK (<meta charset=gbk>, older export tools): converted from GB18030, as
	 * CSV and Markdown posts are; the parse stays pinned to UTF-8 either way */
	char *conv = NULL;
	if (!of_utf8_valid(data, len, NULL)) {
		size_t cl = 0, at = 0;
		if (of_utf8_from_charset("GB18030", data, len, &conv, &cl, &at) == 0) {
			data = conv;
			len = cl;
			of_log(OF_LOG_INFO, "%s: read as GB18030 (GBK)", of_path_display(org));
		} else {
			of_error_clear();
		}
	}
	htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
	if (!ctxt) {
		free(conv);
		return of_error_set_oom();
	}
	of_html_track_lines(ctxt); /* element lines past 65535 (html_img.h) */
	doc = htmlCtxtReadMemory(ctxt, data, (int)len, origin, "UTF-8",
				 HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	htmlFreeParserCtxt(ctxt);
	free(conv);
	if (!doc)
		return of_error_set_at(OF_EINVALID, org, 0, 0, "cannot parse as HTML");
	walk w = {out, org, base, opts, st, 0, 0, 0, 0};
	visit(&w, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	if (w.rc == 0 && w.found == 0)
		return of_error_set_at(OF_EINVALID, org, 0, 0,
				       "no posts found: expected elements with class \"post\" (see docs/article.md)");
	return w.rc;
}
