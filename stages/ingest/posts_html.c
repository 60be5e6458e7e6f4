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
#include "posts_int.h"

#include <errno.h>
#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* libxml2 2.9.14 keeps an element's line in an unsigned short: from line 65535 on it says 65535
 * (XML_PARSE_BIG_LINES only helps text nodes, and not in the HTML parser). The line an element
 * starts on is noted here as the parser makes it, in the node's psvi (unused in an HTML tree). */
static void start_element(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	htmlParserCtxtPtr c = ctx;
	xmlNodePtr before = c->node;
	xmlSAX2StartElement(ctx, name, atts);
	if (c->node && c->node != before && c->input)
		c->node->psvi = (void *)(ptrdiff_t)c->input->line;
}

/* The line of element `n` in the page (xmlGetLineNo, or past 65535 the one noted above): where
 * libxml2 puts an element, the line its start tag ends on. */
static unsigned long node_line(xmlNode *n)
{
	long l = xmlGetLineNo(n);
	if (l >= 65535 && n->psvi)
		l = (long)(ptrdiff_t)n->psvi;
	return l > 0 ? (unsigned long)l : 0;
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

/* Non-zero when an <img>'s src only stands in for the picture until a lazy loader
 * swaps it in: absent or blank, a data: URI (WeChat's inline SVG, a 1x1 GIF),
 * about:/javascript:, "#", or a file named as a placeholder (blank.gif, pixel.png,
 * loading.gif, lazy-1x1.gif …). It only decides whether a lazy attribute is read
 * instead: a placeholder src on an <img> without one is kept as before. */
static int is_placeholder(const char *src)
{
	static const char *const stems[] = {"blank", "spacer", "pixel", "1x1", "placeholder", "loading", "lazy",
					    "transparent", "grey", "gray", "empty", NULL};
	if (!src)
		return 1;
	while (*src == ' ' || *src == '\t' || *src == '\n' || *src == '\r')
		src++;
	if (!*src || !strcmp(src, "#") || !strncasecmp(src, "data:", 5) || !strncasecmp(src, "about:", 6) ||
	    !strncasecmp(src, "javascript:", 11))
		return 1;
	size_t end = strcspn(src, "?#"), b = end;
	while (b > 0 && src[b - 1] != '/' && src[b - 1] != '\\')
		b--;
	/* The file name, extension left out, must be made of placeholder words and sizes
	 * only ("blank.gif", "lazy-1x1.png", "loading_200x200.svg"): a photo named
	 * "grey-sweater.jpg" or "pixel-art.png" is a photo (QA: it was dropped). */
	const char *name = src + b, *dot = NULL;
	for (const char *q = name; q < src + end; q++)
		if (*q == '.')
			dot = q;
	size_t nlen = (size_t)((dot ? dot : src + end) - name), words = 0; /* placeholder words seen */
	for (size_t i = 0; i < nlen;) {
		size_t w = 0;
		while (i + w < nlen && !strchr("-_. ", name[i + w]))
			w++;
		if (w) {
			int stem = 0;
			for (int k = 0; stems[k] && !stem; k++)
				stem = strlen(stems[k]) == w && !strncasecmp(name + i, stems[k], w);
			if (!stem && strspn(name + i, "0123456789xX") < w)
				return 0;
			words += stem; /* a size alone ("640", WeChat's image URLs) is no placeholder */
		}
		i += w ? w : 1;
	}
	return words > 0;
}

/* The largest usable picture of srcset-like attribute `name` of element `el`
 * (posts_srcset.c; placeholder candidates passed over), or NULL. An attribute over
 * the srcset caps is not read, with a warning at the element's line. */
static char *srcset_of(xmlNode *el, const char *name, const char *org, const char *id)
{
	char *v = prop(el, name), *url = NULL;
	if (!v)
		return NULL;
	if (of_post__srcset_pick(&url, v, is_placeholder) == OF_ELIMIT)
		of_log_warn_at(org, node_line(el), 0, "post '%s': <%s %s> not read: %s", id ? id : "",
			       (const char *)el->name, name, of_error_last()->message);
	free(v);
	return url;
}

/* Non-zero when a <source>'s type, if it gives one, is a picture we read (JPEG, PNG, GIF,
 * WebP): an AVIF or JPEG XL alternative is passed over for the next source. */
static int readable_type(xmlNode *source)
{
	static const char *const ok[] = {"image/jpeg", "image/jpg", "image/pjpeg", "image/png", "image/gif",
					 "image/webp", NULL};
	char *t = prop(source, "type");
	int yes = 0;
	if (!t)
		return 1;
	const char *b = t;
	while (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r' || *b == '\f')
		b++;
	size_t n = strcspn(b, " \t\n\r\f;");
	for (int i = 0; ok[i] && !yes; i++)
		yes = strlen(ok[i]) == n && !strncasecmp(b, ok[i], n);
	free(t);
	return yes;
}

static int is_element(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* The largest picture of the first <source> under `n`, in page order, whose type we read and
 * whose srcset (else data-srcset) has a usable candidate; `*from` set to that <source>. Only
 * <source> elements are entered: libxml2 2.9.14 knows neither <picture> nor <source> as an
 * empty element, so each <source> holds what follows it (picture > source > source > img),
 * and another <picture>'s sources are never reached. */
static char *source_srcset(xmlNode *n, const char *org, const char *id, xmlNode **from)
{
	char *v = NULL;
	for (xmlNode *c = n->children; c && !v; c = c->next) {
		if (!is_element(c, "source"))
			continue;
		if (readable_type(c) && ((v = srcset_of(c, "srcset", org, id)) != NULL ||
					 (v = srcset_of(c, "data-srcset", org, id)) != NULL))
			*from = c;
		else
			v = source_srcset(c, org, id, from);
	}
	return v;
}

/* The <picture> an <img> is in, while its elements are collected: its sources stand for its
 * first <img> only (a picture has one), so each is read at most once, whatever the page. */
typedef struct picture {
	xmlNode *el;
	int used;
} picture;

/* The picture an <img> shows, and in `*from` the element whose attribute names it (its line
 * is the image's). A real src wins (a page saved with its pictures, "save page, complete",
 * has the local copy there and the remote address elsewhere). When src is absent or only a
 * placeholder (is_placeholder):
 *   1. the largest picture of the <img>'s srcset, then of a lazy loader's data-srcset
 *      (lazysizes) or data-lazy-srcset (WordPress): the sizes of the picture itself;
 *   2. a lazy loader's single address: data-src (WeChat articles, most exporters),
 *      data-original (jQuery lazyload), data-lazy-src (WordPress), data-actualsrc (Zhihu);
 *   3. when `pic` is not NULL (the first <img> of a <picture>), the largest picture of its
 *      first <source> of a type we read: alternatives a browser weighs by media and type;
 *   4. src as it is (a placeholder is then refused or fetched like any path).
 * Either way the value is an image path like any other: a local path resolved inside the
 * posts folder, or an http(s) URL fetched under the URL policy. Caller frees with free();
 * NULL when there is none. */
static char *img_source(xmlNode *img, xmlNode *pic, const char *org, const char *id, xmlNode **from)
{
	static const char *const sets[] = {"srcset", "data-srcset", "data-lazy-srcset", NULL};
	static const char *const lazy[] = {"data-src", "data-original", "data-lazy-src", "data-actualsrc", NULL};
	char *src = prop(img, "src"), *v;
	*from = img;
	if (!is_placeholder(src))
		return src;
	for (int i = 0; sets[i]; i++)
		if ((v = srcset_of(img, sets[i], org, id)) != NULL) {
			free(src);
			return v;
		}
	for (int i = 0; lazy[i]; i++) {
		v = prop(img, lazy[i]);
		if (v && !is_placeholder(v)) {
			free(src);
			return v;
		}
		free(v);
	}
	if (pic && (v = source_srcset(pic, org, id, from)) != NULL) {
		free(src);
		return v;
	}
	return src;
}

static void collect(of_post *p, xmlNode *n, const char *org, picture *pic)
{
	for (xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp((const char *)c->name, "img")) {
			xmlNode *from, *sources = pic && !pic->used ? pic->el : NULL;
			char *src = img_source(c, sources, org, p->id, &from);
			if (pic)
				pic->used = 1;
			/* the <img>'s own line (or its <source>'s), so a warning about the picture points at it */
			if (src && *src && of_post__push(&p->images, &p->n_images, src, strlen(src)) == 0)
				of_post__image_line(p, node_line(from));
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
		if (is_element(c, "picture")) {
			picture inner = {c, 0};
			collect(p, c, org, &inner);
		} else {
			collect(p, c, org, pic);
		}
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
		unsigned long line = node_line(c);
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
		collect(&post, c, w->org, NULL);
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
	ctxt->sax->startElement = start_element; /* the context's own copy of the SAX handler */
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
