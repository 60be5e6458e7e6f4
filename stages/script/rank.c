/* rank.c — TextRank: sentences are nodes, shared words and character shingles
 * weight the edges, and a few rounds of PageRank find the central sentences. */
#include "script/rank.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/utf8.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	uint64_t *h;
	size_t n;
} feats;

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int features(const of_segmenter *seg, const char *s, feats *f)
{
	of_token *t = NULL;
	size_t nt = 0, i, cap, n = 0;
	int rc = of_segment(seg, s, strlen(s), &t, &nt);
	if (rc < 0)
		return rc;
	cap = nt * 2 + 4;
	f->h = malloc(cap * sizeof *f->h);
	if (!f->h) {
		free(t);
		return of_error_set_oom();
	}
	for (i = 0; i < nt; i++) {
		const char *w = s + t[i].offset;
		size_t cps = of_utf8_count(w, t[i].len);
		int useful = (t[i].kind == OF_TOKEN_WORD && cps >= 2) || t[i].kind == OF_TOKEN_NUMBER ||
			     (t[i].kind == OF_TOKEN_LATIN && cps >= 2);
		if (useful)
			f->h[n++] = of_xxh64(w, t[i].len, 1);
		/* Character bigrams catch words the dictionary does not know (辅食). */
		if (t[i].kind == OF_TOKEN_WORD && i + 1 < nt && t[i + 1].kind == OF_TOKEN_WORD &&
		    t[i].offset + t[i].len == t[i + 1].offset) {
			size_t a = t[i].offset + t[i].len;
			int32_t cp;
			/* last code point of this token + first of the next */
			size_t p = a - 1;
			while (p > t[i].offset && ((unsigned char)s[p] & 0xC0) == 0x80)
				p--;
			int k = of_utf8_next(s + a, strlen(s + a), &cp);
			if (k > 0)
				f->h[n++] = of_xxh64(s + p, a + (size_t)k - p, 2);
		}
		if (t[i].kind == OF_TOKEN_WORD && cps >= 2) {
			/* Bigrams inside a longer word too, so 辅食添加 meets 辅食. */
			size_t p = t[i].offset, e = t[i].offset + t[i].len;
			while (p < e && n < cap) {
				int32_t c1, c2;
				int k1 = of_utf8_next(s + p, e - p, &c1);
				if (k1 <= 0 || p + (size_t)k1 >= e)
					break;
				int k2 = of_utf8_next(s + p + k1, e - p - (size_t)k1, &c2);
				if (k2 <= 0)
					break;
				f->h[n++] = of_xxh64(s + p, (size_t)k1 + (size_t)k2, 2);
				p += (size_t)k1;
			}
		}
		if (n + 2 >= cap)
			break;
	}
	free(t);
	qsort(f->h, n, sizeof *f->h, cmp_u64);
	/* unique */
	size_t u = 0;
	for (i = 0; i < n; i++)
		if (u == 0 || f->h[u - 1] != f->h[i])
			f->h[u++] = f->h[i];
	f->n = u;
	return 0;
}

static double similarity(const feats *a, const feats *b)
{
	size_t i = 0, j = 0, common = 0;
	if (a->n < 1 || b->n < 1)
		return 0;
	while (i < a->n && j < b->n) {
		if (a->h[i] == b->h[j]) {
			common++;
			i++;
			j++;
		} else if (a->h[i] < b->h[j]) {
			i++;
		} else {
			j++;
		}
	}
	if (!common)
		return 0;
	return (double)common / (log(1.0 + (double)a->n) + log(1.0 + (double)b->n));
}

int of_textrank(const of_segmenter *seg, const char *const *sents, size_t n, double *scores)
{
	size_t m = n < OF_RANK_MAX_SENTENCES ? n : OF_RANK_MAX_SENTENCES, i, j, it;
	feats *f = NULL;
	double *w = NULL, *out_sum = NULL, *next = NULL;
	int rc = 0;
	for (i = 0; i < n; i++)
		scores[i] = 0;
	if (m == 0)
		return 0;
	f = calloc(m, sizeof *f);
	w = calloc(m * m, sizeof *w);
	out_sum = calloc(m, sizeof *out_sum);
	next = calloc(m, sizeof *next);
	if (!f || !w || !out_sum || !next) {
		rc = of_error_set_oom();
		goto done;
	}
	for (i = 0; i < m && rc == 0; i++)
		rc = features(seg, sents[i], &f[i]);
	if (rc < 0)
		goto done;
	for (i = 0; i < m; i++)
		for (j = i + 1; j < m; j++) {
			double s = similarity(&f[i], &f[j]);
			w[i * m + j] = w[j * m + i] = s;
			out_sum[i] += s;
			out_sum[j] += s;
		}
	for (i = 0; i < m; i++)
		scores[i] = 1.0;
	for (it = 0; it < 40; it++) {
		double maxd = 0;
		for (i = 0; i < m; i++) {
			double acc = 0;
			for (j = 0; j < m; j++)
				if (j != i && out_sum[j] > 0)
					acc += w[j * m + i] / out_sum[j] * scores[j];
			next[i] = 0.15 + 0.85 * acc;
		}
		for (i = 0; i < m; i++) {
			double d = fabs(next[i] - scores[i]);
			if (d > maxd)
				maxd = d;
			scores[i] = next[i];
		}
		if (maxd < 1e-6)
			break;
	}
	double top = 0;
	for (i = 0; i < m; i++)
		if (scores[i] > top)
			top = scores[i];
	for (i = 0; i < m; i++)
		scores[i] = top > 0 ? scores[i] / top : 0;
done:
	if (f)
		for (i = 0; i < m; i++)
			free(f[i].h);
	free(f);
	free(w);
	free(out_sum);
	free(next);
	return rc;
}
