/* output.c — the composed document written out: article.md (YAML front
 * matter through libyaml's emitter), article.html (cmark, safe mode),
 * article.wechat.html (wechat.c) and article.trace.json, with the copy lint. */
#include "article_int.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/lint.h"
#include "onefish/log.h"
#include "onefish/template.h"
#include "onefish/utf8.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

static int yaml_out(void *data, unsigned char *buffer, size_t size)
{
	return of_buf_append(data, buffer, size) == 0;
}

static int emit_scalar(yaml_emitter_t *em, const char *s, int quoted)
{
	yaml_event_t ev;
	/* libyaml refuses invalid UTF-8 here; emitting the event anyway would double-free */
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
					  quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE))
		return 0;
	return yaml_emitter_emit(em, &ev);
}

static int emit_seq(yaml_emitter_t *em, const char *key, char *const *items, size_t n, const char *const *ids)
{
	yaml_event_t ev;
	int ok = emit_scalar(em, key, 0);
	ok = ok && yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_FLOW_SEQUENCE_STYLE) &&
	     yaml_emitter_emit(em, &ev);
	for (size_t i = 0; i < n && ok; i++)
		ok = emit_scalar(em, items ? items[i] : ids[i], ids != NULL);
	return ok && yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
}

/* The posts a document draws on, in order of first use (ids borrowed). */
static size_t source_ids(const of_doc *d, const of_npost *posts, const char **ids, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n_blocks; i++) {
		const of_block *b = &d->blocks[i];
		for (size_t k = 0; k < b->n_srcs + (b->kind == OF_BLK_IMAGE); k++) {
			const char *id = posts[b->kind == OF_BLK_IMAGE ? b->img_post : b->srcs[k].post].post->id;
			int seen = 0;
			for (size_t m = 0; m < n; m++)
				seen |= strcmp(ids[m], id) == 0;
			if (!seen && n < max)
				ids[n++] = id;
		}
	}
	return n;
}

static int front_matter(of_buf *b, const of_doc *d, const of_npost *posts, size_t n_posts)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	const char **ids = calloc(n_posts + 1, sizeof *ids);
	size_t n_ids;
	int ok;
	if (!ids)
		return of_error_set_oom();
	n_ids = source_ids(d, posts, ids, n_posts);
	if (!yaml_emitter_initialize(&em)) {
		free(ids);
		return of_error_set_oom();
	}
	yaml_emitter_set_output(&em, yaml_out, b);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, 100000);
	ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) && yaml_emitter_emit(&em, &ev);
	ok = ok && yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0) && yaml_emitter_emit(&em, &ev);
	ok = ok && yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) &&
	     yaml_emitter_emit(&em, &ev);
	ok = ok && emit_scalar(&em, "title", 0) && emit_scalar(&em, d->title, 0);
	ok = ok && emit_scalar(&em, "summary", 0) && emit_scalar(&em, d->summary ? d->summary : "", 0);
	ok = ok && emit_seq(&em, "tags", d->tags, d->n_tags, NULL);
	ok = ok && emit_seq(&em, "sources", NULL, n_ids, ids);
	ok = ok && emit_scalar(&em, "engine", 0) && emit_scalar(&em, d->engine ? d->engine : "offline", 0);
	ok = ok && yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev);
	ok = ok && yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&em, &ev);
	ok = ok && yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev);
	yaml_emitter_delete(&em);
	free(ids);
	if (!ok)
		return of_error_set(OF_ERROR, "cannot write the YAML front matter");
	return of_buf_puts(b, "---\n");
}

/* Escapes Markdown syntax in post text; http(s) URLs become autolinks. */
static int md_text(of_buf *b, const char *s)
{
	size_t i = 0, len = strlen(s);
	/* a paragraph that starts like a list item or heading must stay a paragraph */
	size_t d = 0;
	while (d < len && s[d] >= '0' && s[d] <= '9')
		d++;
	if (d > 0 && d < len && (s[d] == '.' || s[d] == ')')) {
		of_buf_append(b, s, d);
		of_buf_putc(b, '\\');
		i = d;
	} else if (len && strchr("-+=#>", s[0])) {
		of_buf_putc(b, '\\');
	}
	while (i < len) {
		if (strncmp(s + i, "http://", 7) == 0 || strncmp(s + i, "https://", 8) == 0) {
			size_t j = i;
			while (j < len && (unsigned char)s[j] > 0x20 && (unsigned char)s[j] < 0x7F && s[j] != '<' &&
			       s[j] != '>')
				j++;
			of_buf_putc(b, '<');
			of_buf_append(b, s + i, j - i);
			of_buf_putc(b, '>');
			i = j;
			continue;
		}
		if (strchr("\\`*_[]<>&", s[i]) && s[i])
			of_buf_putc(b, '\\');
		of_buf_putc(b, s[i]);
		i++;
	}
	return 0;
}

static unsigned long count_lines(const of_buf *b)
{
	unsigned long n = 1;
	const char *s = of_buf_cstr(b);
	for (size_t i = 0; i < of_buf_len(b); i++)
		n += s[i] == '\n';
	return n;
}

int of_art_markdown(char **out, const of_doc *d, const of_npost *posts, unsigned long *block_lines)
{
	of_buf b;
	int rc;
	size_t n_posts = 0;
	for (size_t i = 0; i < d->n_blocks; i++) {
		const of_block *bl = &d->blocks[i];
		for (size_t k = 0; k < bl->n_srcs; k++)
			if (bl->srcs[k].post + 1 > n_posts)
				n_posts = bl->srcs[k].post + 1;
		if (bl->kind == OF_BLK_IMAGE && bl->img_post + 1 > n_posts)
			n_posts = bl->img_post + 1;
	}
	*out = NULL;
	of_buf_init(&b, OF_MAX_MARKDOWN_BYTES);
	if ((rc = front_matter(&b, d, posts, n_posts)) < 0)
		goto fail;
	of_buf_puts(&b, "\n# ");
	md_text(&b, d->title);
	of_buf_puts(&b, "\n");
	for (size_t i = 0; i < d->n_blocks; i++) {
		const of_block *bl = &d->blocks[i];
		of_buf_puts(&b, "\n");
		if (block_lines)
			block_lines[i] = count_lines(&b);
		if (bl->kind == OF_BLK_HEADING) {
			of_buf_puts(&b, "## ");
			md_text(&b, bl->text);
		} else if (bl->kind == OF_BLK_IMAGE) {
			const of_npost *p = &posts[bl->img_post];
			size_t k = strtoul(bl->text, NULL, 10);
			of_buf_printf(&b, "![](%s)", k < p->n_imgs && p->imgs[k].out ? p->imgs[k].out : "");
		} else if (bl->markdown) {
			of_buf_puts(&b, bl->text);
		} else {
			md_text(&b, bl->text);
		}
		rc = of_buf_puts(&b, "\n");
	}
	if (rc < 0)
		goto fail;
	*out = of_buf_detach(&b, NULL);
	return *out ? 0 : of_error_set_oom();
fail:
	of_buf_free(&b);
	if (rc == OF_ELIMIT)
		return of_error_set(OF_ELIMIT, "article Markdown is over the %zu-byte limit", (size_t)OF_MAX_MARKDOWN_BYTES);
	return rc;
}

/* ---- lint ---- */

void of_art_lint_hit(const of_lint_hit *h, void *payload)
{
	of_art_lint_ctx *c = payload;
	json_t *o = json_object();
	of_log_warn_at(c->path, c->line, 0, "para %d: \xE3\x80\x8C%s\xE3\x80\x8D \xE2\x86\x92 %s", c->para, h->term,
		       h->suggestion);
	c->hits++;
	if (!o)
		return;
	json_object_set_new(o, "para", json_integer(c->para));
	json_object_set_new(o, "line", json_integer((json_int_t)c->line));
	json_object_set_new(o, "term", json_string(h->term));
	json_object_set_new(o, "suggestion", json_string(h->suggestion));
	json_object_set_new(o, "category", json_string(h->category));
	json_object_set_new(o, "offset", json_integer((json_int_t)of_utf8_count(c->text, h->offset)));
	json_array_append_new(c->arr, o);
}

/* ---- tense ---- */

/* Start of the local day of the latest dated post: when the article is read
 * at the earliest. 0 when no post has a time. */
static long long last_post_day(const of_npost *posts, size_t n)
{
	long long last = 0;
	for (size_t i = 0; i < n; i++) {
		long long epoch;
		int off = 0;
		if (!posts[i].post->has_time || !posts[i].post->time ||
		    of_post_parse_time(posts[i].post->time, &epoch, &off) != 0)
			continue;
		long long local = epoch + (long long)off * 60, day = local - ((local % 86400) + 86400) % 86400;
		if (day > last)
			last = day;
	}
	return last;
}

/* A day a post announced (今晚 in the morning, 明天, 这周五) and the week's
 * posts have since passed: the dated sentence still speaks of it as coming
 * ("11月19日（周四）晚8点，我会和…直播"). Only the editor can fix the tense,
 * so it is flagged like the copy lint, at its paragraph. Returns the warnings. */
static size_t tense_check(const of_doc *d, const of_npost *posts, size_t n, const unsigned long *lines,
			  const char *md_path, json_t *arr)
{
	long long last = last_post_day(posts, n);
	size_t hits = 0;
	int para = 0;
	if (!last)
		return 0;
	for (size_t i = 0; i < d->n_blocks; i++) {
		const of_block *b = &d->blocks[i];
		if (b->kind == OF_BLK_IMAGE)
			continue;
		if (b->kind != OF_BLK_HEADING)
			para++;
		if (b->markdown)
			continue;
		for (size_t k = 0; k < b->n_srcs; k++) {
			const of_npost *p = &posts[b->srcs[k].post];
			const of_sent *st = &p->sents[b->srcs[k].sent];
			for (size_t r = 0; r < p->n_rel; r++) {
				const of_reltime *rt = &p->rel[r];
				if (!rt->ahead || rt->day >= last || rt->b0 < st->b0 || rt->b1 > st->b1)
					continue;
				char *date = strndup(p->norm + rt->b0, rt->b1 - rt->b0);
				time_t lt = (time_t)last;
				struct tm tm;
				if (!date || !gmtime_r(&lt, &tm)) {
					free(date);
					continue;
				}
				const char *at = strstr(b->text, date);
				char by[32];
				snprintf(by, sizeof by, "%d\xE6\x9C\x88%d\xE6\x97\xA5", tm.tm_mon + 1, tm.tm_mday);
				of_art_tense_warn(md_path, lines[i], para, date, rt->written, p->post->id, by);
				hits++;
				json_t *o = json_object();
				if (o) {
					json_object_set_new(o, "para", json_integer(para));
					json_object_set_new(o, "line", json_integer((json_int_t)lines[i]));
					json_object_set_new(o, "term", json_string(date));
					json_object_set_new(o, "suggestion",
							    json_string("已经过去：改成过去时（如“那天晚上”“当天”），或删去预告的说法"));
					json_object_set_new(o, "category", json_string("tense"));
					json_object_set_new(o, "post", json_string(p->post->id));
					/* for the edited article's run to say the same (refresh.c) */
					json_object_set_new(o, "written", json_string(rt->written));
					json_object_set_new(o, "past_by", json_string(by));
					if (at) /* not found once converted to traditional script */
						json_object_set_new(o, "offset",
								    json_integer((json_int_t)of_utf8_count(b->text, (size_t)(at - b->text))));
					json_array_append_new(arr, o);
				}
				free(date);
			}
		}
	}
	return hits;
}

/* ---- trace ---- */

static const char *kind_name(int k)
{
	switch (k) {
	case OF_BLK_LEAD: return "lead";
	case OF_BLK_PARA: return "body";
	case OF_BLK_CLOSING: return "closing";
	case OF_BLK_HEADING: return "heading";
	default: return "image";
	}
}

static json_t *trace_json(const of_doc *d, const of_npost *posts, size_t n, const unsigned long *lines,
			  const char *md_name, json_t *lint)
{
	json_t *root = json_object(), *paras = json_array(), *tmpl = json_array(), *jp = json_array(),
	       *imgs = json_array();
	int para = 0;
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "engine", json_string(d->engine ? d->engine : "offline"));
	json_object_set_new(root, "article", json_string(md_name));
	json_object_set_new(root, "title", json_string(d->title));
	json_object_set_new(root, "spans", json_string("code points [start, end) in posts[].text, the "
							 "normalised text of each post"));
	for (size_t i = 0; i < d->n_blocks; i++) {
		const of_block *b = &d->blocks[i];
		json_t *o = json_object();
		if (b->kind == OF_BLK_IMAGE) {
			const of_npost *p = &posts[b->img_post];
			size_t k = strtoul(b->text, NULL, 10);
			json_object_set_new(o, "line", json_integer((json_int_t)lines[i]));
			json_object_set_new(o, "post", json_string(p->post->id));
			json_object_set_new(o, "path", json_string(k < p->n_imgs && p->imgs[k].out ? p->imgs[k].out : ""));
			json_array_append_new(imgs, o);
			continue;
		}
		if (b->kind == OF_BLK_HEADING) {
			json_decref(o);
			continue;
		}
		para++;
		json_object_set_new(o, "para", json_integer(para));
		json_object_set_new(o, "line", json_integer((json_int_t)lines[i]));
		json_object_set_new(o, "kind", json_string(kind_name(b->kind)));
		json_object_set_new(o, "text", json_string(b->text));
		if (b->connective)
			json_object_set_new(o, "connective", json_string(b->connective));
		if (b->kind == OF_BLK_CLOSING) {
			json_object_set_new(o, "template", json_string("templates/article/closing.txt"));
			json_array_append_new(tmpl, o);
			continue;
		}
		json_t *src = json_array();
		for (size_t k = 0; k < b->n_srcs; k++) {
			const of_npost *p = &posts[b->srcs[k].post];
			const of_sent *st = &p->sents[b->srcs[k].sent];
			json_t *last = json_array_size(src) ? json_array_get(src, json_array_size(src) - 1) : NULL;
			/* an LLM paragraph is attributed by shared words, not by exact spans */
			json_t *span = b->markdown ? NULL : json_pack("[II]", (json_int_t)st->c0, (json_int_t)st->c1);
			if (last && strcmp(json_string_value(json_object_get(last, "post")), p->post->id) == 0) {
				if (span)
					json_array_append_new(json_object_get(last, "spans"), span);
			} else {
				json_t *s = json_object();
				json_object_set_new(s, "post", json_string(p->post->id));
				json_object_set_new(s, "spans", json_array());
				if (span)
					json_array_append_new(json_object_get(s, "spans"), span);
				else
					json_object_set_new(s, "attributed", json_string("shared words (LLM paragraph)"));
				json_array_append_new(src, s);
			}
		}
		json_object_set_new(o, "sources", src);
		json_array_append_new(paras, o);
	}
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(posts[i].post->id));
		json_object_set_new(o, "origin", json_string(of_path_display(posts[i].post->origin)));
		json_object_set_new(o, "line", json_integer((json_int_t)posts[i].post->line));
		json_object_set_new(o, "text", json_string(posts[i].norm ? posts[i].norm : ""));
		json_array_append_new(jp, o);
	}
	json_object_set_new(root, "paragraphs", paras);
	json_object_set_new(root, "template_paragraphs", tmpl);
	json_object_set_new(root, "images", imgs);
	json_object_set_new(root, "lint", lint);
	json_object_set_new(root, "posts", jp);
	return root;
}

/* article.html: the Markdown body as a plain page, for reading the draft. */
static int preview_page(of_buf *html, const char *title, const char *body_html)
{
	char *t = of_html_escape(title ? title : "");
	int rc;
	of_buf_puts(html, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
			  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	of_buf_puts(html, t ? t : "");
	/* A draft is read on a laptop: a column of readable width and photos that fit it (a 1024-px
	 * photo at natural size pushed the text off screen). No external file, so the page works
	 * when mailed or opened from an archive. */
	of_buf_puts(html, "</title>\n<style>\n"
			  "body { margin: 0; background: #faf8f6; color: #222; }\n"
			  "article { max-width: 40em; margin: 0 auto; padding: 24px 20px 48px; background: #fff;"
			  " font: 17px/1.8 \"Noto Sans CJK SC\", \"PingFang SC\", \"Microsoft YaHei\", sans-serif; }\n"
			  "h1 { font-size: 1.6em; line-height: 1.4; } h2 { font-size: 1.25em; margin-top: 1.6em; }\n"
			  "img { display: block; max-width: 100%; height: auto; margin: 12px auto; border-radius: 6px; }\n"
			  "blockquote { margin: 0; padding: 4px 14px; border-left: 3px solid #e07a4f; color: #555; }\n"
			  "</style>\n</head>\n<body>\n<article>\n");
	of_buf_puts(html, body_html);
	rc = of_buf_puts(html, "</article>\n</body>\n</html>\n");
	free(t);
	return rc < 0 ? rc : 0;
}

int of_art_preview_html(char **out, const char *title, const char *body, size_t body_len)
{
	of_buf html;
	char *h;
	int rc;
	*out = NULL;
	if (body_len > OF_MAX_MARKDOWN_BYTES)
		return of_error_set(OF_ELIMIT, "article Markdown is %zu bytes, over the %zu-byte limit", body_len,
				    (size_t)OF_MAX_MARKDOWN_BYTES);
	/* safe mode: CMARK_OPT_UNSAFE is never set, raw HTML and javascript: URLs are dropped */
	if (!(h = cmark_markdown_to_html(body, body_len, CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8)))
		return of_error_set_oom();
	of_buf_init(&html, 64 * 1024 * 1024);
	rc = preview_page(&html, title, h);
	free(h);
	if (rc < 0) {
		of_buf_free(&html);
		return rc;
	}
	*out = of_buf_detach(&html, NULL);
	return *out ? 0 : of_error_set_oom();
}

static int write_text(const char *dir, const char *name, const char *data)
{
	char *path = of_path_join(dir, name);
	int rc;
	if (!path)
		return of_error_set_oom();
	rc = of_file_write_atomic(path, data, strlen(data));
	free(path);
	return rc;
}

int of_art_write_files(const char *out_dir, const char *md, const char *html, const char *wechat, const json_t *trace)
{
	int rc;
	char *tp;
	if ((rc = of_mkdirs(out_dir)) < 0 || (md && (rc = write_text(out_dir, "article.md", md)) < 0) ||
	    (rc = write_text(out_dir, "article.html", html)) < 0 || (rc = write_text(out_dir, "article.wechat.html", wechat)) < 0)
		return rc;
	if (!(tp = of_path_join(out_dir, "article.trace.json")))
		return of_error_set_oom();
	rc = of_json_write(tp, trace);
	free(tp);
	return rc;
}

int of_art_write(const of_doc *doc, const of_npost *posts, size_t n, const of_article_options *o,
		 const char *out_dir, const json_t *copies, size_t *lint_hits)
{
	char *md = NULL, *html_body = NULL, *wechat = NULL, *md_path = NULL;
	unsigned long *lines = calloc(doc->n_blocks + 1, sizeof *lines);
	of_lint *lint = NULL;
	json_t *lint_arr = json_array(), *trace = NULL;
	of_buf html;
	int rc;
	of_buf_init(&html, 64 * 1024 * 1024);
	if (!lines || !lint_arr) {
		rc = of_error_set_oom();
		goto done;
	}
	if ((rc = of_art_markdown(&md, doc, posts, lines)) < 0)
		goto done;
	/* the body starts after the closing '---' of the front matter */
	const char *body = strstr(md + 3, "\n---\n");
	body = body ? body + 5 : md;
	if (!(md_path = of_path_join(out_dir, "article.md"))) {
		rc = of_error_set_oom();
		goto done;
	}
	/* copy lint over the title and every paragraph */
	if ((rc = of_lint_new(&lint, NULL)) < 0)
		goto done;
	{
		of_art_lint_ctx c = {md_path, 0, 0, doc->title, lint_arr, 0};
		unsigned long title_line = 0;
		for (const char *p = md; p < body; p++)
			title_line += *p == '\n';
		c.line = title_line + 2;
		of_lint_scan(lint, doc->title, strlen(doc->title), of_art_lint_hit, &c);
		for (size_t i = 0; i < doc->n_blocks; i++) {
			const of_block *b = &doc->blocks[i];
			if (b->kind == OF_BLK_IMAGE)
				continue;
			if (b->kind != OF_BLK_HEADING)
				c.para++;
			c.line = lines[i];
			c.text = b->text;
			of_lint_scan(lint, b->text, strlen(b->text), of_art_lint_hit, &c);
		}
		c.hits += tense_check(doc, posts, n, lines, md_path, lint_arr);
		if (lint_hits)
			*lint_hits = c.hits;
	}
	size_t body_len = strlen(body);
	if (body_len > OF_MAX_MARKDOWN_BYTES) {
		rc = of_error_set(OF_ELIMIT, "article Markdown is %zu bytes, over the %zu-byte limit", body_len,
				  (size_t)OF_MAX_MARKDOWN_BYTES);
		goto done;
	}
	/* safe mode: CMARK_OPT_UNSAFE is never set, raw HTML and javascript: URLs are dropped */
	if (!(html_body = cmark_markdown_to_html(body, body_len, CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8))) {
		rc = of_error_set_oom();
		goto done;
	}
	if ((rc = preview_page(&html, doc->title, html_body)) < 0)
		goto done;
	if ((rc = of_art_wechat_html(&wechat, body, body_len, o->theme, o->brand.color, o->image_base_url)) < 0)
		goto done;
	if (!(trace = trace_json(doc, posts, n, lines, "article.md", lint_arr))) {
		rc = of_error_set_oom();
		goto done;
	}
	{
		char sha[65]; /* what was written: a later run tells an editor's change from its own file */
		if ((rc = of_sha256_hex(sha, md, strlen(md))) < 0)
			goto done;
		json_object_set_new(trace, "article_md_sha256", json_string(sha));
		/* and of each image copy: a later run writes over or removes only those still as written */
		if (copies && json_object_set(trace, "images_sha256", (json_t *)copies) != 0) {
			rc = of_error_set_oom();
			goto done;
		}
	}
	lint_arr = NULL; /* owned by trace */
	rc = of_art_write_files(out_dir, md, of_buf_cstr(&html), wechat, trace);
done:
	json_decref(trace);
	json_decref(lint_arr);
	of_lint_free(lint);
	of_buf_free(&html);
	free(html_body);
	free(wechat);
	free(md);
	free(md_path);
	free(lines);
	return rc;
}
