/* article_md.c — Markdown article reader: YAML front matter via libyaml, body
 * via cmark's AST (walked with cmark's iterator, so nesting depth costs no stack). */
#include "ingest/article_doc.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/guard.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/utf8.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

of_article_doc *of_article_doc_new(const char *origin)
{
	of_article_doc *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->origin = strdup(origin ? origin : "-");
	if (!d->origin) {
		free(d);
		return NULL;
	}
	return d;
}

void of_article_doc_free(of_article_doc *d)
{
	size_t i;
	if (!d)
		return;
	for (i = 0; i < d->n_blocks; i++) {
		free(d->blocks[i].text);
		free(d->blocks[i].image);
	}
	free(d->blocks);
	free(d->title);
	free(d->summary);
	free(d->engine);
	free(d->image);
	free(d->origin);
	free(d->base_dir);
	free(d);
}

/* Copies text with invalid bytes replaced and control characters dropped. */
static char *clean_dup(const char *s)
{
	char *out = NULL;
	if (!s)
		return NULL;
	if (of_utf8_sanitize(&out, s, strlen(s), NULL) < 0)
		return NULL;
	return out;
}

int of_article_doc_add(of_article_doc *d, int kind, int level, const char *text, const char *image,
		       int section, unsigned long line)
{
	if (d->n_blocks == d->cap_blocks) {
		size_t nc = d->cap_blocks ? d->cap_blocks * 2 : 32;
		of_article_block *nb = realloc(d->blocks, nc * sizeof *nb);
		if (!nb)
			return of_error_set_oom();
		d->blocks = nb;
		d->cap_blocks = nc;
	}
	of_article_block *b = &d->blocks[d->n_blocks];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->level = level;
	b->section = section;
	b->line = line;
	b->text = clean_dup(text ? text : "");
	b->image = image ? clean_dup(image) : NULL;
	if (!b->text || (image && !b->image)) {
		free(b->text);
		free(b->image);
		return of_error_set_oom();
	}
	if (b->image && !b->image[0]) { /* only control characters: no image (found by fuzz_article) */
		free(b->image);
		b->image = NULL;
	}
	d->n_blocks++;
	return 0;
}

/* ---- front matter ---- */

static int yaml_error(const yaml_parser_t *p, const char *origin)
{
	return of_error_set_at(OF_EINVALID, origin, (unsigned long)p->problem_mark.line + 2,
			       (unsigned long)p->problem_mark.column + 1, "front matter: %s",
			       p->problem ? p->problem : "YAML syntax error");
}

static int set_field(char **dst, const yaml_node_t *v)
{
	if (!v || v->type != YAML_SCALAR_NODE || *dst)
		return 0;
	*dst = clean_dup((const char *)v->data.scalar.value);
	return *dst ? 0 : of_error_set_oom();
}

/* Reads title, summary (or description), engine and image from the front matter. */
static int parse_front_matter(of_article_doc *d, const char *fm, size_t len)
{
	yaml_parser_t p;
	yaml_document_t doc;
	int rc = 0;
	/* libyaml slows down quadratically on deep flow nesting: cap size and depth first. */
	if (len > OF_MAX_FRONT_MATTER_BYTES)
		return of_error_set_at(OF_ELIMIT, d->origin, 2, 1, "front matter is over %zu bytes",
				       (size_t)OF_MAX_FRONT_MATTER_BYTES);
	{
		size_t i;
		int depth = 0;
		unsigned long line = 2;
		for (i = 0; i < len; i++) {
			line += fm[i] == '\n';
			if ((fm[i] == '[' || fm[i] == '{') && ++depth > OF_MAX_YAML_DEPTH)
				return of_error_set_at(OF_ELIMIT, d->origin, line, 0,
						       "front matter nests deeper than %d levels", OF_MAX_YAML_DEPTH);
			if ((fm[i] == ']' || fm[i] == '}') && depth > 0)
				depth--;
		}
	}
	if (!yaml_parser_initialize(&p))
		return of_error_set_oom();
	yaml_parser_set_input_string(&p, (const unsigned char *)fm, len);
	if (!yaml_parser_load(&p, &doc)) {
		rc = yaml_error(&p, d->origin);
		yaml_parser_delete(&p);
		return rc;
	}
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (root && root->type == YAML_MAPPING_NODE) {
		yaml_node_pair_t *pr;
		for (pr = root->data.mapping.pairs.start; rc == 0 && pr < root->data.mapping.pairs.top; pr++) {
			yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
			yaml_node_t *v = yaml_document_get_node(&doc, pr->value);
			if (!k || k->type != YAML_SCALAR_NODE)
				continue;
			const char *key = (const char *)k->data.scalar.value;
			if (strcmp(key, "title") == 0)
				rc = set_field(&d->title, v);
			else if (strcmp(key, "summary") == 0 || strcmp(key, "description") == 0)
				rc = set_field(&d->summary, v);
			else if (strcmp(key, "engine") == 0)
				rc = set_field(&d->engine, v);
			else if ((strcmp(key, "image") == 0 || strcmp(key, "cover") == 0) && !d->image) {
				rc = set_field(&d->image, v);
				if (d->image) /* the file's line: the front matter starts on line 2 */
					d->image_line = (unsigned long)v->start_mark.line + 2;
			}
		}
	} else if (root) {
		rc = of_error_set_at(OF_EINVALID, d->origin, 2, 1, "front matter: expected a mapping of keys");
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&p);
	return rc;
}

/* Finds a front matter block: "---" on line 1 up to a line "---" or "...".
 * Sets *body to the first byte after it and *lines to the lines it spans. */
static int split_front_matter(const char *origin, const char *md, size_t len, size_t *fm_end, size_t *body,
			      unsigned long *lines)
{
	size_t i;
	unsigned long ln = 1;
	if (!(len >= 4 && strncmp(md, "---", 3) == 0 && (md[3] == '\n' || (md[3] == '\r' && len > 4 && md[4] == '\n'))))
		return 0;
	i = md[3] == '\n' ? 4 : 5;
	while (i < len) {
		const char *nl = memchr(md + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - md) : len;
		size_t l = e - i;
		if (l > 0 && md[i + l - 1] == '\r')
			l--;
		ln++;
		if ((l == 3 && (strncmp(md + i, "---", 3) == 0 || strncmp(md + i, "...", 3) == 0))) {
			*fm_end = i;
			*body = nl ? e + 1 : len;
			*lines = ln;
			return 1;
		}
		i = nl ? e + 1 : len;
	}
	/* An opening "---" followed by "key:" is front matter whose closing line went missing (an edit
	 * that deleted it): reading it as a rule and text would publish "title: …" as the article's
	 * first paragraph. A document that merely starts with a thematic break stays Markdown. */
	{
		size_t k = md[3] == '\n' ? 4 : 5, n = 0;
		while (k + n < len && ((md[k + n] >= 'a' && md[k + n] <= 'z') || (md[k + n] >= 'A' && md[k + n] <= 'Z') ||
				       md[k + n] == '_' || (n && md[k + n] >= '0' && md[k + n] <= '9')))
			n++;
		/* "key:" then a space or the line's end, as YAML writes it: "https://…" is no key */
		if (n && k + n < len && md[k + n] == ':' &&
		    (k + n + 1 == len || md[k + n + 1] == ' ' || md[k + n + 1] == '\n' || md[k + n + 1] == '\r'))
			return of_error_set_at(OF_EINVALID, origin, 1, 1,
					       "the front matter opened by '---' on line 1 is not closed: a line '---' "
					       "after its last key is missing");
	}
	return 0;
}

/* ---- body ---- */

typedef struct {
	of_article_doc *d;
	of_buf text;
	char *image;
	unsigned long image_line; /* the image's own line in the body (cmark's), 0 when none */
	int section;
	unsigned long line, line_off;
	int in_block;
	int in_image;
} walker;

static int last_is_ascii_word(const of_buf *b)
{
	size_t n = of_buf_len(b);
	if (n == 0)
		return 0;
	unsigned char c = (unsigned char)of_buf_cstr(b)[n - 1];
	return c < 0x80 && c != ' ';
}

static int flush_block(walker *w, int kind, int level)
{
	int rc = 0;
	const char *t = of_buf_cstr(&w->text);
	/* Trim leading/trailing ASCII spaces. */
	while (*t == ' ')
		t++;
	size_t n = strlen(t);
	while (n > 0 && t[n - 1] == ' ')
		n--;
	char *copy = strndup(t, n);
	if (!copy)
		return of_error_set_oom();
	if (kind == OF_BLOCK_PARA && n == 0 && w->image)
		kind = OF_BLOCK_IMAGE;
	if (n > 0 || w->image)
		rc = of_article_doc_add(w->d, kind, level, copy, w->image, w->section, w->line + w->line_off);
	if (rc == 0 && w->image)
		w->d->blocks[w->d->n_blocks - 1].image_line = w->image_line + w->line_off;
	if (rc == 0 && w->image && !w->d->image) {
		if (!(w->d->image = strdup(w->image)))
			rc = of_error_set_oom();
		w->d->image_line = w->image_line + w->line_off;
	}
	free(copy);
	free(w->image);
	w->image = NULL;
	w->image_line = 0;
	of_buf_truncate(&w->text, 0);
	w->in_block = 0;
	return rc;
}

static int walk(walker *w, cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	int rc = 0;
	if (!it)
		return of_error_set_oom();
	while (rc == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		switch (t) {
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
			if (ev == CMARK_EVENT_ENTER) {
				of_buf_truncate(&w->text, 0);
				w->in_block = 1;
				w->line = (unsigned long)cmark_node_get_start_line(n);
			} else if (t == CMARK_NODE_HEADING) {
				int level = cmark_node_get_heading_level(n);
				if (level >= 2)
					w->section++;
				if (level == 1 && !w->d->title) {
					w->d->title = clean_dup(of_buf_cstr(&w->text)); /* control characters dropped, like the blocks */
					if (!w->d->title)
						rc = of_error_set_oom();
				}
				if (rc == 0)
					rc = flush_block(w, OF_BLOCK_HEADING, level);
			} else {
				rc = flush_block(w, OF_BLOCK_PARA, 0);
			}
			break;
		case CMARK_NODE_IMAGE:
			if (ev == CMARK_EVENT_ENTER) {
				const char *url = cmark_node_get_url(n);
				if (url && *url && !w->image) {
					if (!(w->image = strdup(url)))
						rc = of_error_set_oom();
					/* its own line: a warning about it names the line of the ![](…) */
					w->image_line = (unsigned long)cmark_node_get_start_line(n);
				}
				w->in_image++;
			} else {
				w->in_image--;
			}
			break;
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			if (w->in_block && !w->in_image) {
				const char *lit = cmark_node_get_literal(n);
				if (lit && of_buf_puts(&w->text, lit) < 0)
					rc = of_error_set_at(OF_ELIMIT, w->d->origin, w->line + w->line_off, 0,
						     "paragraph longer than %zu bytes (OF_MAX_PARAGRAPH_BYTES)",
						     (size_t)OF_MAX_PARAGRAPH_BYTES);
			}
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			/* Chinese lines join without a space; Latin words keep one. */
			if (w->in_block && !w->in_image && last_is_ascii_word(&w->text) && of_buf_putc(&w->text, ' ') < 0)
				rc = of_error_set_at(OF_ELIMIT, w->d->origin, w->line + w->line_off, 0,
						     "paragraph longer than %zu bytes (OF_MAX_PARAGRAPH_BYTES)",
						     (size_t)OF_MAX_PARAGRAPH_BYTES);
			break;
		default:
			break; /* code blocks, raw HTML, thematic breaks carry nothing to narrate */
		}
	}
	cmark_iter_free(it);
	return rc;
}

int of_article_doc_parse_markdown(of_article_doc **out, const char *md, size_t len, const char *origin)
{
	of_article_doc *d = NULL;
	cmark_node *root = NULL;
	walker w;
	size_t fm_end = 0, body = 0;
	unsigned long fm_lines = 0;
	int rc = 0;
	*out = NULL;
	if (len > OF_MAX_MARKDOWN_BYTES)
		return of_error_set_at(OF_ELIMIT, origin, 0, 0,
				       "article is %zu bytes; Markdown is capped at %zu bytes (OF_MAX_MARKDOWN_BYTES)",
				       len, (size_t)OF_MAX_MARKDOWN_BYTES);
	{
		size_t i, brackets = 0;
		unsigned long line = 1;
		for (i = 0; i < len; i++) {
			line += md[i] == '\n';
			if (md[i] == '[' && ++brackets > OF_MAX_MARKDOWN_BRACKETS)
				return of_error_set_at(OF_ELIMIT, origin, line, 0,
						       "more than %d '[' in one article (OF_MAX_MARKDOWN_BRACKETS): "
						       "refused, cmark is slow on such input",
						       OF_MAX_MARKDOWN_BRACKETS);
		}
	}
	/* Deep list/quote nesting is as slow in cmark 0.30.2 as the brackets above. */
	if (of_guard_markdown(md, len, origin, OF_MAX_MARKDOWN_NESTING, (size_t)-1) < 0)
		return OF_ELIMIT;
	if (!(d = of_article_doc_new(origin)))
		return of_error_set_oom();
	if ((rc = split_front_matter(origin, md, len, &fm_end, &body, &fm_lines)) < 0)
		goto done;
	if (rc) {
		rc = 0;
		size_t start = md[3] == '\n' ? 4 : 5;
		if ((rc = parse_front_matter(d, md + start, fm_end - start)) < 0)
			goto done;
	} else {
		body = 0;
		fm_lines = 0;
	}
	d->body_line = fm_lines + 1;
	root = cmark_parse_document(md + body, len - body, CMARK_OPT_VALIDATE_UTF8);
	if (!root) {
		rc = of_error_set_oom();
		goto done;
	}
	memset(&w, 0, sizeof w);
	w.d = d;
	w.line_off = fm_lines;
	of_buf_init(&w.text, OF_MAX_PARAGRAPH_BYTES);
	rc = walk(&w, root);
	of_buf_free(&w.text);
	free(w.image);
done:
	if (root)
		cmark_node_free(root);
	if (rc < 0) {
		of_article_doc_free(d);
		return rc;
	}
	*out = d;
	return 0;
}
