/* llm_engine.c — --engine llm: the posts go to an OpenAI-compatible chat
 * endpoint with the prompts in assets/prompts/; the answer is validated
 * (non-empty, Chinese, within length bounds, headings present, no URL that is
 * not in a post) before it is used. Any failure returns < 0 and the caller
 * falls back to the offline composer with a warning. */
#include "article_int.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/llm.h"
#include "onefish/stage.h"
#include "onefish/template.h"
#include "onefish/utf8.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PROMPT_POSTS_BYTES ((size_t)48 * 1024)

/* The post with the most Han bigrams in common with `text`: the paragraph's attributed source. */
static size_t best_source(const char *text, of_npost *posts, size_t n)
{
	size_t best = 0, best_hits = 0, len = strlen(text);
	for (size_t p = 0; p < n; p++) {
		size_t hits = 0, i = 0;
		int32_t prev = 0;
		while (i < len) {
			int32_t c;
			int k = of_utf8_next(text + i, len - i, &c);
			i += k > 0 ? (size_t)k : 1;
			if (!of_utf8_is_han(c)) {
				prev = 0;
				continue;
			}
			if (prev) {
				uint64_t g = ((uint64_t)prev << 21) | (uint64_t)c;
				size_t lo = 0, hi = posts[p].n_grams;
				while (lo < hi) {
					size_t mid = (lo + hi) / 2;
					if (posts[p].grams[mid] < g)
						lo = mid + 1;
					else
						hi = mid;
				}
				hits += lo < posts[p].n_grams && posts[p].grams[lo] == g;
			}
			prev = c;
		}
		if (hits > best_hits) {
			best_hits = hits;
			best = p;
		}
	}
	return best;
}

static int validate(const char *ans, of_npost *posts, size_t n, const of_article_options *o)
{
	size_t len = strlen(ans), han = of_utf8_han_count(ans, len), headings = 0;
	if (!len || !of_utf8_valid(ans, len, NULL))
		return of_error_set(OF_EINVALID, "LLM answer is empty or not UTF-8");
	if (han < (size_t)o->min_chars / 2 || han > (size_t)o->max_chars * 3 / 2)
		return of_error_set(OF_EINVALID, "LLM answer is %zu 字, outside %d..%d", han, o->min_chars / 2,
				    o->max_chars * 3 / 2);
	for (const char *p = ans; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		headings += strncmp(p, "## ", 3) == 0;
	}
	if (headings < 2)
		return of_error_set(OF_EINVALID, "LLM answer has %zu section headings (at least 2 needed)", headings);
	for (const char *u = ans; (u = strstr(u, "http")); u++) {
		if (strncmp(u, "http://", 7) && strncmp(u, "https://", 8))
			continue;
		size_t l = strcspn(u, " \n\t)>]\"'");
		int known = 0;
		for (size_t p = 0; p < n && !known; p++)
			for (const char *q = posts[p].norm; (q = strstr(q, "http")); q++)
				known |= strncmp(q, u, l) == 0;
		if (!known)
			return of_error_set(OF_EINVALID, "LLM answer holds a URL that is in no post: %.80s", u);
	}
	return 0;
}

int of_art_llm(of_doc *doc, of_npost *posts, size_t n, const of_article_options *o, const of_art_assets *a)
{
	of_buf pb;
	char *sys = NULL, *user = NULL, *ans = NULL, mn[16], mx[16];
	int rc;
	memset(doc, 0, sizeof *doc);
	of_buf_init(&pb, MAX_PROMPT_POSTS_BYTES);
	for (size_t i = 0; i < n; i++)
		if (posts[i].norm[0] && of_buf_printf(&pb, "[%s] %s\n\n", posts[i].post->id, posts[i].norm) < 0)
			break; /* the prompt holds as many posts as fit */
	snprintf(mn, sizeof mn, "%d", o->min_chars);
	snprintf(mx, sizeof mx, "%d", o->max_chars);
	const char *kv[] = {"brand", o->brand.name, "account", o->brand.account, "min_chars", mn, "max_chars", mx,
			    "posts", of_buf_cstr(&pb), NULL, NULL};
	if ((rc = of_template_render_asset(&sys, "prompts/article_system.txt", kv)) < 0 ||
	    (rc = of_template_render_asset(&user, "prompts/article_user.txt", kv)) < 0)
		goto done;
	of_llm_options lo;
	of_llm_options_from_flags(&lo, &o->flags);
	of_llm_message msgs[2] = {{"system", sys}, {"user", user}};
	if ((rc = of_llm_chat(&ans, msgs, 2, &lo)) < 0)
		goto done;
	if ((rc = validate(ans, posts, n, o)) < 0)
		goto done;
	doc->engine = "llm";
	/* blocks: "# " title, "## " headings, other non-empty lines paragraphs */
	for (char *line = ans; line && *line && rc == 0;) {
		char *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line) : strlen(line);
		while (l && (line[l - 1] == '\r' || line[l - 1] == ' '))
			l--;
		if (l) {
			if (strncmp(line, "# ", 2) == 0 && !doc->title) {
				doc->title = strndup(line + 2, l - 2);
			} else if (strncmp(line, "##", 2) == 0) {
				size_t s = 0;
				while (s < l && (line[s] == '#' || line[s] == ' '))
					s++;
				if (!of_doc_add(doc, OF_BLK_HEADING, strndup(line + s, l - s)))
					rc = of_error_set_oom();
			} else {
				char *t = strndup(line, l);
				of_block *b = t ? of_doc_add(doc, OF_BLK_PARA, t) : NULL;
				if (!b || !(b->srcs = calloc(1, sizeof *b->srcs))) {
					rc = of_error_set_oom();
				} else {
					b->markdown = 1; /* rendered by cmark in safe mode like the rest */
					/* attributed to the post it shares most words with; sentence 0 marks the post */
					b->srcs[0].post = best_source(t, posts, n);
					b->srcs[0].sent = 0;
					b->n_srcs = posts[b->srcs[0].post].n_sents ? 1 : 0;
				}
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	if (rc == 0 && !doc->title)
		rc = of_error_set(OF_EINVALID, "LLM answer has no '# ' title line");
	if (rc == 0)
		rc = of_art_closing(doc, o, a);
	if (rc == 0 && n && posts[0].n_sents) {
		const of_sent *st = &posts[0].sents[0];
		doc->summary = strndup(posts[0].norm + st->b0, st->b1 - st->b0);
	}
done:
	of_buf_free(&pb);
	free(sys);
	free(user);
	free(ans);
	return rc;
}
