/* trace.c — a paragraph's own photos, from the article stage's trace. The
 * article puts each post's photo after its text, and a post may span several
 * paragraphs, so "the image next to the paragraph" guesses wrong at post
 * boundaries; the trace names the post of every paragraph and of every image. */
#include "script/trace.h"
#include "script/clause.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/log.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Enough for a week of posts with their texts; a larger "trace" is not one of ours. */
#define TRACE_MAX_BYTES ((size_t)16 << 20)

static int is_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0 || strstr(s, "://") != NULL;
}

/* The trace paragraph (in `paras` or `tmpl`) that block `b` is, or NULL; *templated set for the closing. */
static const json_t *find_para(const json_t *paras, const json_t *tmpl, const of_article_block *b, int same_file,
			       int *templated)
{
	const json_t *lists[2] = {paras, tmpl};
	int l;
	size_t i;
	/* The same text first: it survives an editor moving paragraphs or adding lines. */
	for (l = 0; l < 2; l++)
		for (i = 0; i < json_array_size(lists[l]); i++) {
			const char *t = of_json_str(json_array_get(lists[l], i), "text");
			if (t && strcmp(t, b->text) == 0) {
				*templated = l == 1;
				return json_array_get(lists[l], i);
			}
		}
	/* An edited paragraph still on its line, if it still talks about the same things. */
	for (l = 0; same_file && b->line > 0 && l < 2; l++)
		for (i = 0; i < json_array_size(lists[l]); i++) {
			const json_t *p = json_array_get(lists[l], i);
			const char *t = of_json_str(p, "text");
			json_t *line = json_object_get(p, "line");
			if (t && json_is_integer(line) && json_integer_value(line) == (json_int_t)b->line &&
			    of_clause_shares_bigram(b->text, t)) {
				*templated = l == 1;
				return p;
			}
		}
	return NULL;
}

/* Non-zero if trace paragraph `p` came from post `post`. */
static int has_post(const json_t *p, const char *post)
{
	const json_t *srcs = json_object_get(p, "sources");
	for (size_t i = 0; post && i < json_array_size(srcs); i++) {
		const char *id = of_json_str(json_array_get(srcs, i), "post");
		if (id && strcmp(id, post) == 0)
			return 1;
	}
	return 0;
}

/* Index of the image block whose path (as written in the article) is `path`, or -1. */
static long image_block(const of_article_doc *doc, const char *path)
{
	size_t i;
	for (i = 0; path && i < doc->n_blocks; i++)
		if (doc->blocks[i].image && strcmp(doc->blocks[i].image, path) == 0)
			return (long)i;
	return -1;
}

int of_script_trace_match(of_script_block_src **out, const of_article_doc *doc, const char *input,
			  size_t *warnings)
{
	char *dir = NULL, *path = NULL;
	json_t *tr = NULL;
	of_script_block_src *bs = NULL;
	size_t i, j, k;
	*out = NULL;
	if (!input || is_url(input) || doc->n_blocks == 0)
		return 0;
	if (!(dir = of_path_dirname(input)) || !(path = of_path_join(dir, "article.trace.json"))) {
		free(dir);
		return of_error_set_oom();
	}
	if (!of_path_is_file(path))
		goto done;
	if (of_json_load(&tr, path, TRACE_MAX_BYTES) < 0 || !json_is_object(tr) ||
	    !json_is_array(json_object_get(tr, "paragraphs"))) {
		/* a parse error names its line and column; a wrong shape has none */
		of_log_warn_at(path, tr ? 0 : of_error_last()->line, tr ? 0 : of_error_last()->col,
			       "not a usable article trace (%s); scenes use the photo next to their paragraph",
			       tr ? "no paragraphs" : of_error_last()->message);
		if (warnings)
			(*warnings)++;
		of_error_clear();
		goto done;
	}
	if (!(bs = calloc(doc->n_blocks, sizeof *bs))) {
		free(dir);
		free(path);
		json_decref(tr);
		return of_error_set_oom();
	}
	{
		const json_t *paras = json_object_get(tr, "paragraphs"), *tmpl = json_object_get(tr, "template_paragraphs");
		const json_t *imgs = json_object_get(tr, "images");
		const char *art = of_json_str(tr, "article");
		int same_file = art && strcmp(art, of_path_basename(input)) == 0;
		int edited = json_is_true(json_object_get(tr, "edited"));
		for (k = 0; k < json_array_size(imgs); k++) {
			const char *ip = of_json_str(json_array_get(imgs, k), "post");
			long bi = image_block(doc, of_json_str(json_array_get(imgs, k), "path"));
			if (bi >= 0 && ip && *ip)
				bs[bi].traced_image = 1;
		}
		for (i = 0; i < doc->n_blocks; i++) {
			const of_article_block *b = &doc->blocks[i];
			int templated = 0;
			const json_t *p;
			bs[i].doc_edited = edited;
			if (b->kind != OF_BLOCK_PARA || !b->text || !(p = find_para(paras, tmpl, b, same_file, &templated)))
				continue;
			bs[i].known = 1;
			bs[i].templated = templated;
			bs[i].n_sources = (int)json_array_size(json_object_get(p, "sources"));
			/* A live announced as still to come that was over by the week's end:
			 * narrated in the video it promotes a second, past "周四晚8点". The
			 * lint flags the paragraph holding the date; the announcement goes on
			 * after it, there and in the post's later paragraphs. */
			const json_t *lint = json_object_get(tr, "lint"), *pn = json_object_get(p, "para");
			for (j = 0; json_is_integer(pn) && j < json_array_size(lint); j++) {
				const json_t *h = json_array_get(lint, j);
				const char *cat = of_json_str(h, "category"), *term = of_json_str(h, "term");
				const json_t *hp = json_object_get(h, "para");
				if (!cat || strcmp(cat, "tense") != 0 || !json_is_integer(hp))
					continue;
				if (json_integer_value(hp) == json_integer_value(pn)) {
					bs[i].tense = 1;
					if (term && *term && strlen(term) < sizeof bs[i].stale[0] &&
					    bs[i].n_stale < OF_SCRIPT_TRACE_STALE)
						snprintf(bs[i].stale[bs[i].n_stale++], sizeof bs[i].stale[0], "%s", term);
				} else if (json_integer_value(hp) < json_integer_value(pn) && !bs[i].tense &&
					   has_post(p, of_json_str(h, "post"))) {
					bs[i].tense = 2;
				}
			}
			/* The photos of its posts, in the order the trace lists sources and images. */
			const json_t *srcs = json_object_get(p, "sources");
			for (j = 0; j < json_array_size(srcs); j++) {
				const char *post = of_json_str(json_array_get(srcs, j), "post");
				for (k = 0; post && k < json_array_size(imgs) && bs[i].n_images < OF_SCRIPT_TRACE_IMAGES; k++) {
					const json_t *im = json_array_get(imgs, k);
					const char *ip = of_json_str(im, "post");
					long bi;
					if (!ip || strcmp(ip, post) != 0 || (bi = image_block(doc, of_json_str(im, "path"))) < 0)
						continue;
					bs[i].images[bs[i].n_images++] = bi;
				}
			}
		}
	}
	*out = bs;
done:
	json_decref(tr);
	free(dir);
	free(path);
	return 0;
}
