/* hook.c — picks the hook: the best short question or striking number of the article. */
#include "script/hook.h"
#include "script/caption.h"
#include "script/clause.h"
#include "onefish/error.h"
#include "onefish/utf8.h"

#include <string.h>

/* The best clause (question or number) of at most `cap` units; appends it to the hook. */
int of_script__pick_hook(of_script__scene *h, of_script__sent *ss, size_t n, const char *title, double cap,
			 double rate)
{
	size_t i, best_i = (size_t)-1, best_a = 0, best_b = 0;
	double best = -1;
	for (i = 0; i < n; i++) {
		size_t ends[64], ne = of_clause_ends(ss[i].text, ends, 64), c;
		int q = of_clause_is_question(ss[i].text);
		for (c = 0; c < ne; c++) {
			size_t a = c ? ends[c - 1] : 0, b = ends[c];
			char *cl = strndup(ss[i].text + a, b - a);
			if (!cl)
				return of_error_set_oom();
			int num = of_clause_striking_number(cl), cq = q && c == ne - 1;
			/* a bare figure ("原价¥129", "每盒250g") is no hook: it needs words around it */
			if (num && !cq && of_utf8_han_count(cl, strlen(cl)) < 4)
				num = 0;
			free(cl);
			if ((!num && !cq) || !of_clause_standalone(ss[i].text, a, b, 5, cap) || ss[i].excluded ||
			    ss[i].needs_ctx || ss[i].banned || ss[i].leans || ss[i].service || ss[i].no_hook ||
			    ss[i].raises)
				continue;
			double sc = ss[i].score + (cq ? 0.45 : 0) + (num ? 0.25 : 0) - 0.02 * (double)i / (double)n;
			if (sc > best) {
				best = sc;
				best_i = i;
				best_a = a;
				best_b = b;
			}
		}
	}
	if (best_i != (size_t)-1) {
		int rc = of_clause_put(&h->narr, ss[best_i].text + best_a, best_b - best_a);
		if (rc)
			return rc;
		json_array_append_new(h->sources, of_script__source_of(&ss[best_i]));
		h->first_sent = best_i;
		ss[best_i].used = 1;
		return 0;
	}
	/* No question or number: the title when it is short enough, else the top sentence's first clause. */
	if (title && of_spoken_units(title, strlen(title)) <= cap && of_spoken_units(title, strlen(title)) >= 2) {
		json_array_append_new(h->sources, json_pack("{s:s, s:s}", "field", "title", "text", title));
		return of_clause_put(&h->narr, title, strlen(title));
	}
	/* Else the best-ranked clause that stands on its own, else the start of the top sentence. */
	size_t top = 0, bi = (size_t)-1, ba = 0, bb = 0;
	for (i = 0; i < n; i++) {
		size_t ends[64], ne = of_clause_ends(ss[i].text, ends, 64), c;
		if (ss[i].banned)
			continue;
		if (ss[top].banned || ss[i].score > ss[top].score)
			top = i;
		for (c = 0; c < ne; c++) {
			size_t a = c ? ends[c - 1] : 0;
			if (of_clause_standalone(ss[i].text, a, ends[c], 5, cap) && (bi == (size_t)-1 || ss[i].score > ss[bi].score)) {
				bi = i;
				ba = a;
				bb = ends[c];
			}
		}
	}
	if (bi != (size_t)-1) {
		json_array_append_new(h->sources, of_script__source_of(&ss[bi]));
		ss[bi].used = 1;
		return of_clause_put(&h->narr, ss[bi].text + ba, bb - ba);
	}
	size_t b = of_utf8_offset(ss[top].text, strlen(ss[top].text), (size_t)(cap * 0.9));
	json_array_append_new(h->sources, of_script__source_of(&ss[top]));
	(void)rate;
	return of_clause_put(&h->narr, ss[top].text, b);
}
