/* html_img.c — which picture an HTML <img> shows (a real src, else srcset's largest, a
 * lazy loader's address, a <picture>'s <source srcset>; placeholders passed over) and
 * the line of an element past libxml2 2.9.14's 65535 cap: one rule for the posts export
 * and the article page (html_img.h). */
#include "ingest/html_img.h"
#include "onefish/error.h"
#include "onefish/log.h"

#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

void of_html_track_lines(htmlParserCtxtPtr ctxt)
{
	ctxt->sax->startElement = start_element; /* the context's own copy of the SAX handler */
}

htmlDocPtr of_html_read_memory(const char *data, int len, const char *url, int options)
{
	/* htmlReadMemory's own steps (libxml2 2.9.14, HTMLparser.c: htmlReadMemory, htmlDoRead),
	 * with the start-element hook added to the context's SAX handler */
	xmlParserCtxtPtr ctxt;
	htmlDocPtr doc;
	xmlInitParser();
	if (!(ctxt = xmlCreateMemoryParserCtxt(data, len)))
		return NULL;
	if (ctxt->sax) {
		htmlDefaultSAXHandlerInit();
		memcpy(ctxt->sax, &htmlDefaultSAXHandler, sizeof(xmlSAXHandlerV1));
		of_html_track_lines(ctxt);
	}
	htmlCtxtUseOptions(ctxt, options);
	ctxt->html = 1;
	if (url && ctxt->input && !ctxt->input->filename)
		ctxt->input->filename = (char *)xmlStrdup((const xmlChar *)url);
	htmlParseDocument(ctxt);
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	if (ctxt->dictNames && doc && doc->dict == ctxt->dict)
		ctxt->dict = NULL;
	xmlFreeParserCtxt(ctxt);
	return doc;
}

unsigned long of_html_line(xmlNode *n)
{
	long l = xmlGetLineNo(n);
	if (l >= 65535 && n->psvi)
		l = (long)(ptrdiff_t)n->psvi;
	return l > 0 ? (unsigned long)l : 0;
}

/* Attribute `name` of `n` as a heap string (free()), *out NULL when absent. 0 or OF_ENOMEM. */
static int prop(char **out, xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	*out = v ? strdup((const char *)v) : NULL;
	int oom = v && !*out;
	xmlFree(v);
	return oom ? of_error_set_oom() : 0;
}

int of_html_img_is_placeholder(const char *src)
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

static int skip_placeholder(const char *url)
{
	return of_html_img_is_placeholder(url);
}

/* The largest usable picture of srcset-like attribute `name` of element `el` (html_srcset.c;
 * placeholder candidates passed over) into *out, NULL when none. An attribute over the srcset
 * caps is not read, with a warning at the element's line. 0 or OF_ENOMEM. */
static int srcset_of(char **out, xmlNode *el, const char *name, const char *org, const char *subject)
{
	char *v = NULL;
	int rc;
	*out = NULL;
	if ((rc = prop(&v, el, name)) < 0 || !v)
		return rc;
	rc = of_html_srcset_pick(out, v, skip_placeholder);
	if (rc == OF_ELIMIT) {
		of_log_warn_at(org, of_html_line(el), 0, "%s%s<%s %s> not read: %s", subject ? subject : "",
			       subject ? ": " : "", (const char *)el->name, name, of_error_last()->message);
		rc = 0;
	}
	free(v);
	return rc;
}

/* Non-zero when a <source>'s type, if it gives one, is a picture we read (JPEG, PNG, GIF,
 * WebP): an AVIF or JPEG XL alternative is passed over for the next source. */
static int readable_type(xmlNode *source)
{
	static const char *const ok[] = {"image/jpeg", "image/jpg", "image/pjpeg", "image/png", "image/gif",
					 "image/webp", NULL};
	xmlChar *t = xmlGetProp(source, (const xmlChar *)"type");
	int yes = 0;
	if (!t)
		return 1;
	const char *b = (const char *)t;
	while (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r' || *b == '\f')
		b++;
	size_t n = strcspn(b, " \t\n\r\f;");
	for (int i = 0; ok[i] && !yes; i++)
		yes = strlen(ok[i]) == n && !strncasecmp(b, ok[i], n);
	xmlFree(t);
	return yes;
}

static int is_element(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->name && !strcasecmp((const char *)n->name, name);
}

xmlNode *of_html_img_picture(xmlNode *img, const xmlNode *stop)
{
	for (xmlNode *a = img->parent; a && a != stop && a->type == XML_ELEMENT_NODE; a = a->parent) {
		if (!is_element(a, "picture"))
			continue;
		if (a->_private)
			return NULL;
		a->_private = a; /* asked: its sources stood for this <img> */
		return a;
	}
	return NULL;
}

/* The largest picture of the first <source> under `n`, in page order, whose type we read and
 * whose srcset (else data-srcset) has a usable candidate, into *out; `*from` set to that
 * <source>. Only <source> elements are entered: libxml2 2.9.14 knows neither <picture> nor
 * <source> as an empty element, so each <source> holds what follows it (picture > source >
 * source > img), and another <picture>'s sources are never reached. The nesting is at most
 * libxml2's 256 levels deep. 0 or OF_ENOMEM. */
static int source_srcset(char **out, xmlNode *n, const char *org, const char *subject, xmlNode **from)
{
	int rc = 0;
	*out = NULL;
	for (xmlNode *c = n->children; c && !*out && rc == 0; c = c->next) {
		if (!is_element(c, "source"))
			continue;
		if (readable_type(c) && ((rc = srcset_of(out, c, "srcset", org, subject)) < 0 || *out ||
					 (rc = srcset_of(out, c, "data-srcset", org, subject)) < 0 || *out)) {
			if (*out)
				*from = c;
		} else {
			rc = source_srcset(out, c, org, subject, from);
		}
	}
	return rc;
}

int of_html_img_source(char **out, xmlNode **from, xmlNode *img, xmlNode *picture, const char *origin,
		       const char *subject)
{
	static const char *const sets[] = {"srcset", "data-srcset", "data-lazy-srcset", NULL};
	static const char *const lazy[] = {"data-src", "data-original", "data-lazy-src", "data-actualsrc", NULL};
	char *src = NULL, *v = NULL;
	int rc;
	*out = NULL;
	*from = img;
	if ((rc = prop(&src, img, "src")) < 0)
		return rc;
	if (!of_html_img_is_placeholder(src)) {
		*out = src;
		return 0;
	}
	for (int i = 0; sets[i] && rc == 0 && !v; i++)
		rc = srcset_of(&v, img, sets[i], origin, subject);
	for (int i = 0; lazy[i] && rc == 0 && !v; i++) {
		if ((rc = prop(&v, img, lazy[i])) == 0 && v && of_html_img_is_placeholder(v)) {
			free(v);
			v = NULL;
		}
	}
	if (rc == 0 && !v && picture) {
		xmlNode *s = img;
		if ((rc = source_srcset(&v, picture, origin, subject, &s)) == 0 && v)
			*from = s;
	}
	if (rc < 0) {
		free(src);
		free(v);
		return rc;
	}
	if (v) {
		free(src);
		*out = v;
	} else {
		*out = src;
	}
	return 0;
}
