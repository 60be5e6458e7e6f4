/* refresh.c — an article.md an editor changed by hand, followed by the files
 * made from it. The pack keeps the editor's article.md; without this, the
 * WeChat HTML (what gets pasted and published), the preview and the trace
 * (what the review page lints and links to posts) would still be the draft's.
 * Paragraph sources are carried over from the draft's trace: the same text
 * keeps its posts, a reworded paragraph keeps them when most of its character
 * pairs are still there (marked "edited"), a new one has none. */
#include "article_int.h"
#include "ingest/article_doc.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/lint.h"
#include "onefish/log.h"
#include "onefish/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* As the script stage reads it: a larger "trace" is not one of ours. */
#define TRACE_MAX_BYTES ((size_t)16 << 20)
/* A reworded paragraph is still the draft's when at least this share of character pairs is shared. */
#define SAME_PARAGRAPH_DICE 0.5

/* The set of character pairs of `s` (spaces skipped), sorted and unique. */
typedef struct pairs {
	uint64_t *v;
	size_t n;
} pairs;

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int pairs_of(const char *s, pairs *out)
{
	size_t len = strlen(s), i = 0, n = 0;
	int32_t prev = -1;
	out->n = 0;
	out->v = malloc((of_utf8_count(s, len) + 1) * sizeof *out->v);
	if (!out->v)
		return of_error_set_oom();
	while (i < len) {
		int32_t c;
		int k = of_utf8_next(s + i, len - i, &c);
		if (k <= 0)
			k = 1, c = (unsigned char)s[i];
		i += (size_t)k;
		if (c == ' ' || c == '\n' || c == '\t')
			continue;
		if (prev >= 0)
			out->v[n++] = (uint64_t)(uint32_t)prev << 32 | (uint32_t)c;
		prev = c;
	}
	qsort(out->v, n, sizeof *out->v, cmp_u64);
	for (i = 0; i < n; i++)
		if (out->n == 0 || out->v[out->n - 1] != out->v[i])
			out->v[out->n++] = out->v[i];
	return 0;
}

/* Dice coefficient of two pair sets: 1 the same pairs, 0 none shared. */
static double dice(const pairs *a, const pairs *b)
{
	size_t i = 0, j = 0, common = 0;
	if (a->n + b->n == 0)
		return 1;
	while (i < a->n && j < b->n) {
		if (a->v[i] == b->v[j])
			common++, i++, j++;
		else if (a->v[i] < b->v[j])
			i++;
		else
			j++;
	}
	return 2.0 * (double)common / (double)(a->n + b->n);
}

/* The draft's paragraphs (body, then template ones) with their pairs. */
typedef struct old_para {
	json_t *p; /* borrowed from the draft's trace */
	int templated, used;
	pairs pr;
} old_para;

static void old_free(old_para *o, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(o[i].pr.v);
	free(o);
}

static int old_paras(const json_t *prev, old_para **out, size_t *n_out)
{
	const json_t *lists[2] = {json_object_get(prev, "paragraphs"), json_object_get(prev, "template_paragraphs")};
	size_t n = json_array_size(lists[0]) + json_array_size(lists[1]), k = 0;
	old_para *o = calloc(n + 1, sizeof *o);
	*out = NULL;
	*n_out = 0;
	if (!o)
		return of_error_set_oom();
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < json_array_size(lists[l]); i++) {
			json_t *p = json_array_get(lists[l], i);
			const char *t = of_json_str(p, "text");
			if (!json_is_object(p) || !t)
				continue;
			o[k].p = p;
			o[k].templated = l == 1;
			if (pairs_of(t, &o[k].pr) < 0) {
				old_free(o, k);
				return OF_ENOMEM;
			}
			k++;
		}
	*out = o;
	*n_out = k;
	return 0;
}

/* The draft paragraph `text` is, or the closest reworded one; -1 none. */
static long match_para(old_para *o, size_t n, const char *text, int *reworded)
{
	pairs pr;
	long best = -1;
	double best_d = SAME_PARAGRAPH_DICE;
	*reworded = 0;
	for (size_t i = 0; i < n; i++) /* the same text first: it survives paragraphs moved around */
		if (!o[i].used && strcmp(of_json_str(o[i].p, "text"), text) == 0)
			return (long)i;
	if (pairs_of(text, &pr) < 0)
		return -2;
	for (size_t i = 0; i < n; i++) {
		double d;
		if (o[i].used || (d = dice(&pr, &o[i].pr)) < best_d)
			continue;
		if (d > best_d || best < 0) {
			best = (long)i;
			best_d = d;
		}
	}
	free(pr.v);
	*reworded = best >= 0;
	return best;
}

/* Tense findings of the draft whose dated words still stand in the paragraph that came from the same one. */
static void keep_tense(const json_t *prev, const char *md_path, int old_para_no, int para, unsigned long line,
		       const char *text, json_t *arr, size_t *hits)
{
	const json_t *lint = json_object_get(prev, "lint");
	for (size_t i = 0; i < json_array_size(lint); i++) {
		const json_t *e = json_array_get(lint, i);
		const char *term = of_json_str(e, "term"), *cat = of_json_str(e, "category"), *at;
		json_t *o;
		if (!cat || strcmp(cat, "tense") != 0 || !term || !*term ||
		    json_integer_value(json_object_get(e, "para")) != old_para_no || !(at = strstr(text, term)))
			continue;
		of_art_tense_warn(md_path, line, para, term, of_json_str(e, "written"), of_json_str(e, "post"),
				  of_json_str(e, "past_by"));
		(*hits)++;
		if (!(o = json_deep_copy(e)))
			continue;
		json_object_set_new(o, "para", json_integer(para));
		json_object_set_new(o, "line", json_integer((json_int_t)line));
		json_object_set_new(o, "offset", json_integer((json_int_t)of_utf8_count(text, (size_t)(at - text))));
		json_array_append_new(arr, o);
	}
}

static int build_trace(json_t **out, const of_article_doc *doc, const json_t *prev,
		       const char *md_path, size_t *lint_hits)
{
	json_t *root = json_object(), *paras = json_array(), *tmpl = json_array(), *imgs = json_array(),
	       *lint_arr = json_array();
	old_para *old = NULL;
	size_t n_old = 0;
	of_lint *lint = NULL;
	int rc, para = 0;
	*out = NULL;
	if (!root || !paras || !tmpl || !imgs || !lint_arr) {
		rc = of_error_set_oom();
		goto fail;
	}
	if ((rc = old_paras(prev, &old, &n_old)) < 0 || (rc = of_lint_new(&lint, NULL)) < 0)
		goto fail;
	/* the body's own heading is the title readers see (the front matter's is metadata): linted as a heading */
	of_art_lint_ctx c = {md_path, 0, 0, "", lint_arr, 0};
	for (size_t i = 0; i < doc->n_blocks; i++) {
		const of_article_block *b = &doc->blocks[i];
		if (b->kind == OF_BLOCK_IMAGE) {
			/* an image keeps the post it showed in the draft; one the editor added has none to name */
			const json_t *pim = json_object_get(prev, "images");
			for (size_t k = 0; b->image && k < json_array_size(pim); k++) {
				const json_t *im = json_array_get(pim, k);
				const char *path = of_json_str(im, "path");
				if (path && strcmp(path, b->image) == 0) {
					json_array_append_new(imgs, json_pack("{s:I,s:s,s:s}", "line", (json_int_t)b->line,
									      "post", of_json_str(im, "post") ? of_json_str(im, "post") : "",
									      "path", path));
					break;
				}
			}
			continue;
		}
		c.line = b->line;
		c.text = b->text ? b->text : "";
		if (b->kind == OF_BLOCK_HEADING) {
			of_lint_scan(lint, c.text, strlen(c.text), of_art_lint_hit, &c);
			continue;
		}
		c.para = ++para;
		of_lint_scan(lint, c.text, strlen(c.text), of_art_lint_hit, &c);
		int reworded;
		long m = match_para(old, n_old, c.text, &reworded);
		json_t *o;
		if (m == -2) {
			rc = OF_ENOMEM;
			goto fail;
		}
		if (m >= 0) {
			old[m].used = 1;
			if (!(o = json_deep_copy(old[m].p))) {
				rc = of_error_set_oom();
				goto fail;
			}
			keep_tense(prev, md_path, (int)json_integer_value(json_object_get(old[m].p, "para")), para, b->line,
				   c.text, lint_arr, &c.hits);
		} else {
			o = json_pack("{s:s,s:[]}", "kind", "body", "sources");
		}
		if (!o) {
			rc = of_error_set_oom();
			goto fail;
		}
		json_object_set_new(o, "para", json_integer(para));
		json_object_set_new(o, "line", json_integer((json_int_t)b->line));
		json_object_set_new(o, "text", json_string(c.text));
		if (m < 0 || reworded) /* written or reworded by the editor: its sources are the draft's, at most */
			json_object_set_new(o, "edited", json_true());
		json_array_append_new(m >= 0 && old[m].templated ? tmpl : paras, o);
	}
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "engine", json_string(of_json_str(prev, "engine") ? of_json_str(prev, "engine") : "offline"));
	json_object_set_new(root, "article", json_string("article.md"));
	json_object_set_new(root, "title", json_string(doc->title ? doc->title : ""));
	json_object_set_new(root, "edited", json_true()); /* article.md was changed by hand; this follows it */
	/* still what onefish wrote, not the edit: `onefish article` into this folder keeps the edit */
	if (json_is_string(json_object_get(prev, "article_md_sha256")))
		json_object_set(root, "article_md_sha256", json_object_get(prev, "article_md_sha256"));
	if (json_is_object(json_object_get(prev, "images_sha256"))) /* the copies as written, too */
		json_object_set(root, "images_sha256", json_object_get(prev, "images_sha256"));
	if (json_object_get(prev, "spans"))
		json_object_set(root, "spans", json_object_get(prev, "spans"));
	json_object_set_new(root, "paragraphs", paras);
	json_object_set_new(root, "template_paragraphs", tmpl);
	json_object_set_new(root, "images", imgs);
	json_object_set_new(root, "lint", lint_arr);
	json_t *posts = json_object_get(prev, "posts");
	json_object_set_new(root, "posts", json_is_array(posts) ? json_incref(posts) : json_array());
	if (lint_hits)
		*lint_hits = c.hits;
	old_free(old, n_old);
	of_lint_free(lint);
	*out = root;
	return 0;
fail:
	old_free(old, n_old);
	of_lint_free(lint);
	json_decref(root);
	json_decref(paras);
	json_decref(tmpl);
	json_decref(imgs);
	json_decref(lint_arr);
	return rc;
}

int of_article_refresh(const char *article_md, const char *prev_trace, const of_article_options *o,
		       const char *out_dir, size_t *lint_hits)
{
	char *md = NULL, *html = NULL, *wechat = NULL;
	const char *body;
	size_t len = 0;
	of_article_doc *doc = NULL;
	json_t *prev = NULL, *trace = NULL;
	int rc;
	if (lint_hits)
		*lint_hits = 0;
	if ((rc = of_file_read(&md, &len, article_md, OF_MAX_MARKDOWN_BYTES)) < 0)
		return rc;
	if ((rc = of_article_doc_parse_markdown(&doc, md, len, article_md)) < 0)
		goto done;
	body = md;
	for (unsigned long l = 1; l < doc->body_line && (body = strchr(body, '\n')) != NULL; l++)
		body++;
	if (!body)
		body = md + len;
	if (prev_trace && of_path_is_file(prev_trace) &&
	    (of_json_load(&prev, prev_trace, TRACE_MAX_BYTES) < 0 || !json_is_object(prev))) {
		of_log_warn_at(prev_trace, prev ? 0 : of_error_last()->line, 0,
			       "not a usable article trace: paragraphs of article.md are not linked to posts");
		of_error_clear();
		json_decref(prev);
		prev = NULL;
	}
	if (!prev && !(prev = json_object())) {
		rc = of_error_set_oom();
		goto done;
	}
	if ((rc = of_art_preview_html(&html, doc->title, body, len - (size_t)(body - md))) < 0 ||
	    (rc = of_art_wechat_html(&wechat, body, len - (size_t)(body - md), o->theme, o->brand.color,
				     o->image_base_url)) < 0 ||
	    (rc = build_trace(&trace, doc, prev, article_md, lint_hits)) < 0)
		goto done;
	rc = of_art_write_files(out_dir, NULL, html, wechat, trace); /* article.md is the editor's */
done:
	of_article_doc_free(doc);
	json_decref(prev);
	json_decref(trace);
	free(md);
	free(html);
	free(wechat);
	return rc < 0 ? rc : 0;
}
