/* article_html.c — HTML article reader on libxml2's HTML parser (no network,
 * recover mode, no HUGE): WeChat Official Account pages (#js_content, lazy
 * data-src images chosen as the posts export's are, og:title/og:image, image-share and text-share pages whose
 * text lives in <meta name="description"> and the content_noencode string),
 * generic pages (<article>, <main>, else the element densest in paragraph
 * text). Pages that say the article was deleted, expired or blocked are
 * reported as such. The tree is walked iteratively: depth costs no stack. */
#include "ingest/article_doc.h"
#include "ingest/html_img.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/guard.h"
#include "onefish/limits.h"
#include "onefish/utf8.h"

#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What WeChat and others show instead of an article. */
static const char *const gone_phrases[] = {
	"The content has been deleted by the author", "此内容已被发布者删除", "该内容已被发布者删除",
	"链接已过期", "此内容因违规无法查看", "此内容被投诉且经审核涉嫌侵权", "该公众号已迁移",
	"已停止访问该网页", "内容已删除", "This content has been deleted", "该内容已被删除",
	"此帐号已被屏蔽", "该帐号已注销", "此内容发送失败无法查看", NULL};

static int name_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->name && strcasecmp((const char *)n->name, name) == 0;
}

static char *prop(const xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, BAD_CAST name); /* xmlFree */
}

static int has_class(const xmlNode *n, const char *cls)
{
	char *c = prop(n, "class");
	int hit = 0;
	if (c) {
		const char *p = c;
		size_t l = strlen(cls);
		while ((p = strstr(p, cls)) != NULL) {
			if ((p == c || p[-1] == ' ') && (p[l] == '\0' || p[l] == ' ')) {
				hit = 1;
				break;
			}
			p += l;
		}
		xmlFree(c);
	}
	return hit;
}

/* Next node in document order below `root` (children first), or NULL. */
static xmlNode *next_node(xmlNode *n, const xmlNode *root, int descend)
{
	if (descend && n->children)
		return n->children;
	while (n && n != root) {
		if (n->next)
			return n->next;
		n = n->parent;
	}
	return NULL;
}

static int skipped(const xmlNode *n)
{
	return name_is(n, "script") || name_is(n, "style") || name_is(n, "noscript") || name_is(n, "template") ||
	       name_is(n, "iframe") || name_is(n, "svg") || name_is(n, "head");
}

static xmlNode *find(xmlNode *root, int (*pred)(const xmlNode *, const void *), const void *arg)
{
	xmlNode *n = root;
	while (n) {
		if (n->type == XML_ELEMENT_NODE && pred(n, arg))
			return n;
		n = next_node(n, root, n == root || (n->type == XML_ELEMENT_NODE && !skipped(n)));
	}
	return NULL;
}

static int by_id(const xmlNode *n, const void *id)
{
	char *v = prop(n, "id");
	int hit = v && strcmp(v, id) == 0;
	xmlFree(v);
	return hit;
}

static int by_name(const xmlNode *n, const void *name)
{
	return name_is(n, name);
}

static int by_class(const xmlNode *n, const void *cls)
{
	return has_class(n, cls);
}

/* All text below `n` (scripts skipped), capped. Caller frees. */
static char *text_of(xmlNode *n)
{
	of_buf b;
	xmlNode *c = n->children;
	of_buf_init(&b, OF_MAX_PARAGRAPH_BYTES);
	while (c) {
		if (c->type == XML_TEXT_NODE && c->content)
			of_buf_puts(&b, (const char *)c->content);
		c = next_node(c, n, c->type == XML_ELEMENT_NODE && !skipped(c));
	}
	return of_buf_detach(&b, NULL);
}

static void silent_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Collapses whitespace runs to one space (none between CJK characters) and trims. */
static char *squash(const char *s)
{
	of_buf b;
	size_t len = strlen(s), i = 0;
	int pending = 0;
	of_buf_init(&b, len + 1);
	while (i < len) {
		int32_t cp;
		int k = of_utf8_next(s + i, len - i, &cp);
		size_t step = k > 0 ? (size_t)k : 1;
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 || cp == 0x3000 || cp == 0x200B) {
			pending = of_buf_len(&b) > 0;
		} else if (k < 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
			/* control characters (and invalid bytes) never reach titles and captions */
		} else {
			if (pending) {
				/* keep a space only between two ASCII-ish characters */
				const char *o = of_buf_cstr(&b);
				unsigned char last = (unsigned char)o[of_buf_len(&b) - 1];
				if (last < 0x80 && cp < 0x80)
					of_buf_putc(&b, ' ');
			}
			pending = 0;
			of_buf_append(&b, s + i, step);
		}
		i += step;
	}
	return of_buf_detach(&b, NULL);
}

static int is_block(const xmlNode *n)
{
	static const char *const names[] = {"p", "div", "section", "h1", "h2", "h3", "h4", "h5", "h6", "li",
					    "blockquote", "br", "tr", "article", "main", "ul", "ol", "table",
					    "figure", "figcaption", "pre", "header", "footer", NULL};
	size_t i;
	for (i = 0; names[i]; i++)
		if (name_is(n, names[i]))
			return 1;
	return 0;
}

typedef struct {
	of_article_doc *d;
	of_buf text;
	int section;
	int heading; /* level of the heading being collected, 0 = paragraph */
	unsigned long line;
} walker;

static int flush(walker *w)
{
	char *t = squash(of_buf_cstr(&w->text));
	int rc = 0;
	if (!t)
		return of_error_set_oom();
	if (*t) {
		if (w->heading >= 2)
			w->section++;
		if (w->heading == 1 && !w->d->title && !(w->d->title = strdup(t)))
			rc = of_error_set_oom();
		if (rc == 0)
			rc = of_article_doc_add(w->d, w->heading ? OF_BLOCK_HEADING : OF_BLOCK_PARA, w->heading, t, NULL,
						w->section, w->line);
	}
	free(t);
	of_buf_truncate(&w->text, 0);
	w->heading = 0;
	return rc;
}

/* An <img> below `root` (the article body): its picture chosen as the posts export's
 * reader chooses it (html_img.c: a real src; when src is absent or a lazy loader's
 * placeholder, srcset's largest, data-src and the other lazy addresses, its <picture>'s
 * <source srcset>), at the line of the element that named it. An inline data: picture
 * (an icon, a placeholder left alone) is no photo: left out. */
static int add_image(walker *w, xmlNode *n, const xmlNode *root)
{
	xmlNode *from = n;
	char *src = NULL;
	int rc = of_html_img_source(&src, &from, n, of_html_img_picture(n, root), w->d->origin, NULL);
	const char *s = src;
	while (s && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++;
	if (rc == 0 && s && *s && strncasecmp(s, "data:", 5) != 0) {
		char *alt = prop(n, "alt");
		unsigned long line = of_html_line(from);
		if ((rc = flush(w)) == 0)
			rc = of_article_doc_add(w->d, OF_BLOCK_IMAGE, 0, alt ? alt : "", src, w->section, line);
		if (rc == 0)
			w->d->blocks[w->d->n_blocks - 1].image_line = line;
		if (rc == 0 && !w->d->image) {
			if (!(w->d->image = strdup(src)))
				rc = of_error_set_oom();
			w->d->image_line = line;
		}
		xmlFree(alt);
	}
	free(src);
	return rc;
}

static int walk_body(of_article_doc *d, xmlNode *root)
{
	walker w;
	xmlNode *n = root->children;
	int rc = 0;
	memset(&w, 0, sizeof w);
	w.d = d;
	of_buf_init(&w.text, OF_MAX_PARAGRAPH_BYTES);
	while (n && rc == 0) {
		int descend = 0;
		if (n->type == XML_ELEMENT_NODE && !skipped(n)) {
			if (is_block(n))
				rc = flush(&w);
			if (rc == 0 && n->name && strlen((const char *)n->name) == 2 && (n->name[0] == 'h' || n->name[0] == 'H') &&
			    n->name[1] >= '1' && n->name[1] <= '6') {
				w.heading = n->name[1] - '0';
				w.line = (unsigned long)n->line;
			}
			if (rc == 0 && name_is(n, "img"))
				rc = add_image(&w, n, root);
			descend = 1;
		} else if (n->type == XML_TEXT_NODE && n->content) {
			if (of_buf_len(&w.text) == 0)
				w.line = (unsigned long)n->line;
			if (of_buf_puts(&w.text, (const char *)n->content) < 0)
				rc = of_error_set_at(OF_ELIMIT, d->origin, (unsigned long)n->line, 0,
						     "paragraph longer than %zu bytes (OF_MAX_PARAGRAPH_BYTES)",
						     (size_t)OF_MAX_PARAGRAPH_BYTES);
		}
		if (rc)
			break;
		/* Leaving block elements ends their paragraph too. */
		if (descend && n->children) {
			n = n->children;
			continue;
		}
		while (n && n != root) {
			if (n->type == XML_ELEMENT_NODE && is_block(n) && (rc = flush(&w)) < 0)
				break;
			if (n->next) {
				n = n->next;
				break;
			}
			n = n->parent;
			if (n == root)
				n = NULL;
		}
		if (n == root)
			n = NULL;
	}
	if (rc == 0)
		rc = flush(&w);
	of_buf_free(&w.text);
	return rc;
}

/* Element whose direct <p>/<section> children hold the most text (a readability-style guess). */
static xmlNode *densest(xmlNode *body)
{
	xmlNode *n = body, *best = NULL;
	size_t best_len = 0;
	while (n) {
		if (n->type == XML_ELEMENT_NODE && !skipped(n) && (name_is(n, "div") || name_is(n, "td") ||
								   name_is(n, "section") || name_is(n, "body"))) {
			size_t len = 0;
			xmlNode *c;
			for (c = n->children; c; c = c->next) {
				if (name_is(c, "p") || name_is(c, "section")) {
					char *t = text_of(c);
					if (t)
						len += of_utf8_han_count(t, strlen(t)) + strlen(t) / 8;
					free(t);
				}
			}
			if (len > best_len) {
				best_len = len;
				best = n;
			}
		}
		n = next_node(n, body, n->type == XML_ELEMENT_NODE && !skipped(n));
	}
	return best;
}

/* The content of the first <meta ATTR="VALUE">, cleaned, or NULL; `*line` (may be NULL) its line. */
static char *meta(xmlNode *head, const char *attr, const char *value, unsigned long *line)
{
	xmlNode *n = head;
	while (n) {
		if (name_is(n, "meta")) {
			char *a = prop(n, attr);
			int hit = a && strcasecmp(a, value) == 0;
			xmlFree(a);
			if (hit) {
				char *c = prop(n, "content");
				char *out = c ? squash(c) : NULL; /* page-supplied: cleaned like body text */
				xmlFree(c);
				if (line)
					*line = of_html_line(n);
				return out;
			}
		}
		n = next_node(n, head, n->type == XML_ELEMENT_NODE);
	}
	return NULL;
}

/* Value of `n` hex digits at p, or -1 when one is not a hex digit. */
static long hex_at(const char *p, const char *end, int n)
{
	long v = 0;
	for (int i = 0; i < n; i++) {
		char c = p + i < end ? p[i] : 0;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* The `content_noencode: JsDecode('…')` string of WeChat share pages, unescaped
 * as JavaScript would (\xHH, \uHHHH with surrogate pairs, \n, \\, \'); a NUL
 * is dropped, not kept (it would end the text there), an escape that is not one
 * stays as written, and markup it spells (\x3cbr\x3e, \x3c/p\x3e) is a line
 * break, never text. */
static char *content_noencode(const char *html, size_t len)
{
	static const char key[] = "content_noencode: JsDecode('";
	const char *p = memmem(html, len, key, sizeof key - 1), *end = html + len;
	of_buf b;
	if (!p)
		return NULL;
	p += sizeof key - 1;
	of_buf_init(&b, OF_MAX_PARAGRAPH_BYTES);
	while (p < end && *p != '\'') {
		long cp = -1;
		size_t used = 1;
		if (*p == '\\' && p + 1 < end) {
			char e = p[1];
			used = 2;
			if (e == 'x' && (cp = hex_at(p + 2, end, 2)) >= 0) {
				used = 4;
			} else if (e == 'u' && (cp = hex_at(p + 2, end, 4)) >= 0) {
				used = 6;
				long lo;
				if (cp >= 0xD800 && cp <= 0xDBFF && p + 11 < end && p[6] == '\\' && p[7] == 'u' &&
				    (lo = hex_at(p + 8, end, 4)) >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					used = 12;
				}
			} else if (e == 'x' || e == 'u') {
				cp = '\\'; /* not an escape: kept as written */
				used = 1;
			} else {
				cp = e == 'n' ? '\n' : e == 'r' ? -2 : e == 't' ? ' ' : (unsigned char)e;
			}
		} else {
			cp = -3; /* a byte as it is */
		}
		if (cp == -3) {
			if (of_buf_putc(&b, *p) < 0)
				break;
		} else if (cp > 0 && cp < 0x110000 && !(cp >= 0xD800 && cp <= 0xDFFF)) {
			char u[8];
			int k = of_utf8_encode((int32_t)cp, u);
			if (k > 0 && of_buf_append(&b, u, (size_t)k) < 0)
				break;
		} /* a NUL, \r or a lone surrogate: nothing */
		p += used;
	}
	/* markup spelled with escapes: a tag is a line break */
	char *t = of_buf_detach(&b, NULL), *w = t;
	for (const char *r = t; r && *r;) {
		int tag = *r == '<' && (r[1] == '/' || ((r[1] | 0x20) >= 'a' && (r[1] | 0x20) <= 'z'));
		if (tag) {
			const char *gt = strchr(r, '>');
			if (gt) {
				*w++ = '\n';
				r = gt + 1;
				continue;
			}
		}
		*w++ = *r++;
	}
	if (w)
		*w = 0;
	return t;
}

/* Adds the lines of `text` (one paragraph per non-empty line). */
static int add_lines(of_article_doc *d, const char *text)
{
	const char *p = text;
	int rc = 0;
	while (p && *p && rc == 0) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, l), *sq = line ? squash(line) : NULL;
		if (!sq)
			rc = of_error_set_oom();
		else if (*sq)
			rc = of_article_doc_add(d, OF_BLOCK_PARA, 0, sq, NULL, 0, 0);
		free(line);
		free(sq);
		p = nl ? nl + 1 : NULL;
	}
	return rc;
}

static int has_text(const of_article_doc *d)
{
	size_t i;
	for (i = 0; i < d->n_blocks; i++)
		if (d->blocks[i].kind == OF_BLOCK_PARA && of_utf8_count(d->blocks[i].text, strlen(d->blocks[i].text)) >= 4)
			return 1;
	return 0;
}

/* The page is a notice instead of an article: return its words (static or malloc'd via *msg). */
static int gone_notice(xmlNode *body, char **msg)
{
	xmlNode *m = find(body, by_class, "weui-msg");
	xmlNode *title = m ? find(m, by_class, "weui-msg__title") : NULL;
	char *t = title ? text_of(title) : m ? text_of(m) : NULL, *sq = t ? squash(t) : NULL;
	size_t i;
	free(t);
	*msg = NULL;
	if (sq && *sq) {
		*msg = sq;
		return 1;
	}
	free(sq);
	t = text_of(body);
	if (t && of_utf8_count(t, strlen(t)) < 4000) {
		for (i = 0; gone_phrases[i]; i++)
			if (strstr(t, gone_phrases[i])) {
				*msg = strdup(gone_phrases[i]);
				free(t);
				return 1;
			}
	}
	free(t);
	return 0;
}

int of_article_doc_parse_html(of_article_doc **out, const char *html, size_t len, const char *origin)
{
	htmlDocPtr doc = NULL;
	of_article_doc *d = NULL;
	xmlNode *root, *body, *content, *head;
	char *msg = NULL, *share = NULL;
	int rc = 0;
	*out = NULL;
	if (len > OF_MAX_HTML_BYTES)
		return of_error_set_at(OF_ELIMIT, origin, 0, 0, "page is %zu bytes; HTML is capped at %zu bytes", len,
				       (size_t)OF_MAX_HTML_BYTES);
	if (len > (size_t)2147483647)
		return of_error_set(OF_ELIMIT, "page too large");
	{
		/* libxml2 2.9.14 is quadratic in the attributes of one tag (20,000 take seconds). */
		size_t i, eq = 0;
		int in_tag = 0;
		unsigned long line = 1;
		for (i = 0; i < len; i++) {
			char c = html[i];
			line += c == '\n';
			if (c == '<' && i + 1 < len && ((html[i + 1] | 0x20) >= 'a' && (html[i + 1] | 0x20) <= 'z')) {
				in_tag = 1;
				eq = 0;
			} else if (c == '>') {
				in_tag = 0;
			} else if (c == '=' && in_tag && ++eq > OF_MAX_HTML_ATTRIBUTES) {
				return of_error_set_at(OF_ELIMIT, origin, line, 0,
						       "a tag with more than %d attributes (OF_MAX_HTML_ATTRIBUTES): refused",
						       OF_MAX_HTML_ATTRIBUTES);
			}
		}
	}
	xmlResetLastError();
	/* The check above counts '='; valueless attributes ("<p a b c ...>") are as slow. */
	if (of_guard_markup(html, len, origin, OF_MAX_MARKUP_ATTRS) < 0)
		return OF_ELIMIT;
	/* A lying <meta charset> (UTF-7, say) makes libxml2 print encoding errors through its
	 * global generic handler despite NOERROR: silence it for the parse (per-thread). */
	xmlGenericErrorFunc old_generic = xmlGenericError;
	void *old_generic_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, silent_generic);
	/* htmlReadMemory with element lines kept right past 65535 (html_img.h) */
	doc = of_html_read_memory(html, (int)len, origin,
				  HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
					  HTML_PARSE_COMPACT);
	xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
	if (!doc || !(root = xmlDocGetRootElement(doc))) {
		if (doc)
			xmlFreeDoc(doc);
		return of_error_set_at(OF_EINVALID, origin, 0, 0, "not an HTML page (nothing to parse)");
	}
	if (!(d = of_article_doc_new(origin))) {
		rc = of_error_set_oom();
		goto done;
	}
	head = find(root, by_name, "head");
	body = find(root, by_name, "body");
	if (head) {
		d->title = meta(head, "property", "og:title", NULL);
		d->image = meta(head, "property", "og:image", &d->image_line);
		d->summary = meta(head, "name", "description", NULL);
	}
	if (!d->title && body) {
		/* WeChat's own title element, on pages without og:title. */
		xmlNode *t = find(body, by_id, "activity-name");
		char *tt = t ? text_of(t) : NULL;
		d->title = tt ? squash(tt) : NULL;
		free(tt);
		if (d->title && !*d->title) {
			free(d->title);
			d->title = NULL;
		}
	}
	content = body ? find(body, by_id, "js_content") : NULL;
	if (content) {
		if ((rc = walk_body(d, content)) < 0)
			goto done;
	} else if ((share = content_noencode(html, len)) != NULL && *share) {
		/* WeChat image-share / text-share page: the text is a JS string. */
		if ((rc = add_lines(d, share)) < 0)
			goto done;
	} else if (body && find(body, by_class, "weui-msg") && gone_notice(body, &msg)) {
		rc = of_error_set_at(OF_EINVALID, origin, 0, 0,
				     "the page says \"%s\": the article was deleted, has expired or is blocked", msg);
		goto done;
	} else if (body) {
		content = find(body, by_name, "article");
		if (!content)
			content = find(body, by_name, "main");
		if (!content)
			content = densest(body);
		if (content && (rc = walk_body(d, content)) < 0)
			goto done;
	}
	if (!has_text(d) && d->summary && *d->summary && (rc = add_lines(d, d->summary)) < 0)
		goto done;
	if (!has_text(d)) {
		if (body && gone_notice(body, &msg))
			rc = of_error_set_at(OF_EINVALID, origin, 0, 0,
					     "the page says \"%s\": the article was deleted, has expired or is blocked", msg);
		else if (xmlGetLastError() && xmlGetLastError()->code == XML_ERR_INTERNAL_ERROR) {
			/* e.g. "Excessive depth in document: 256": the rest of the page was not read.
			 * libxml2's own advice (use XML_PARSE_HUGE) is not ours to follow. */
			char why[256];
			char *cut;
			snprintf(why, sizeof why, "%s", xmlGetLastError()->message ? xmlGetLastError()->message : "error");
			if ((cut = strstr(why, " use XML_PARSE_HUGE")) != NULL)
				*cut = '\0';
			for (cut = why + strlen(why); cut > why && (cut[-1] == '\n' || cut[-1] == ' ' || cut[-1] == ','); cut--)
				cut[-1] = '\0';
			rc = of_error_set_at(OF_EINVALID, origin, (unsigned long)xmlGetLastError()->line, 0,
					     "no article body found (the HTML parser stopped: %s)", why);
		}
		else
			rc = of_error_set_at(OF_EINVALID, origin, 0, 0, "no article body found in the page");
		goto done;
	}
	if (!d->title && head) {
		/* <title> last: it often carries the site name ("… - 暖暖育儿说"). */
		xmlNode *t = find(head, by_name, "title");
		char *tt = t ? text_of(t) : NULL;
		d->title = tt ? squash(tt) : NULL;
		free(tt);
		if (d->title && !*d->title) {
			free(d->title);
			d->title = NULL;
		}
	}
	if (!d->title) {
		size_t i;
		for (i = 0; i < d->n_blocks; i++)
			if (d->blocks[i].kind == OF_BLOCK_HEADING) {
				d->title = strdup(d->blocks[i].text);
				break;
			}
	}
	*out = d;
	d = NULL;
done:
	free(msg);
	free(share);
	of_article_doc_free(d);
	xmlFreeDoc(doc);
	return rc;
}
