/* cluster.c — near-duplicate grouping in expected O(n): character shingles
 * (single characters and bigrams) → MinHash signature → LSH bands in a hash
 * table; each item is checked (exact Jaccard on the sorted shingles) against at
 * most BUCKET_PEEK earlier items per band, and similar pairs are unioned. */
#include "prompts_int.h"
#include "onefish/error.h"
#include "onefish/utf8.h"

#include <stdlib.h>
#include <string.h>

#define NHASH 16
#define ROWS 2
#define BANDS (NHASH / ROWS)
#define BUCKET_PEEK 8
#define MAX_SHINGLES 64

static uint32_t mix32(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return (uint32_t)x;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Sorted, de-duplicated shingle hashes of `key` into `out` (MAX_SHINGLES). */
static size_t shingles(const char *key, uint32_t *out)
{
	int32_t prev = -1, c;
	size_t n = 0, len = strlen(key), i = 0;
	while (i < len && n + 2 <= MAX_SHINGLES) {
		int k = of_utf8_next(key + i, len - i, &c);
		if (k < 0)
			k = 1;
		i += (size_t)k;
		out[n++] = mix32((uint64_t)(uint32_t)c);
		if (prev >= 0)
			out[n++] = mix32(((uint64_t)(uint32_t)prev << 32) | (uint32_t)c | 0x8000000000000000ULL);
		prev = c;
	}
	qsort(out, n, sizeof *out, cmp_u32);
	size_t o = 0;
	for (size_t j = 0; j < n; j++)
		if (o == 0 || out[o - 1] != out[j])
			out[o++] = out[j];
	return o;
}

static double jaccard(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t i = 0, j = 0, inter = 0;
	if (!na && !nb)
		return 1;
	while (i < na && j < nb) {
		if (a[i] == b[j])
			inter++, i++, j++;
		else if (a[i] < b[j])
			i++;
		else
			j++;
	}
	return (double)inter / (double)(na + nb - inter);
}

double of_cluster__similarity(const char *a, const char *b)
{
	uint32_t sa[MAX_SHINGLES], sb[MAX_SHINGLES];
	size_t na = shingles(a, sa), nb = shingles(b, sb);
	return jaccard(sa, na, sb, nb);
}

double of_cluster__containment(const char *q, const char *a)
{
	uint32_t sq[MAX_SHINGLES], sa[MAX_SHINGLES];
	size_t nq = shingles(q, sq), na = shingles(a, sa), i = 0, j = 0, inter = 0;
	if (!nq)
		return 0;
	while (i < nq && j < na) {
		if (sq[i] == sa[j])
			inter++, i++, j++;
		else if (sq[i] < sa[j])
			i++;
		else
			j++;
	}
	return (double)inter / (double)nq;
}

static uint32_t find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

static void unite(uint32_t *parent, uint32_t a, uint32_t b)
{
	a = find(parent, a);
	b = find(parent, b);
	if (a == b)
		return;
	if (a < b) /* the smaller index is the root: deterministic */
		parent[b] = a;
	else
		parent[a] = b;
}

int of_cluster__keys(const char *const *keys, const int *group, size_t n, double threshold, uint32_t *out_root)
{
	uint32_t *sh = NULL, *nsh = NULL, *next = NULL;
	uint64_t *tkey = NULL;
	uint32_t *thead = NULL;
	size_t tcap = 16, i;
	int rc = 0;
	if (n == 0)
		return 0;
	while (tcap < n * BANDS * 2)
		tcap <<= 1;
	sh = malloc(n * MAX_SHINGLES * sizeof *sh);
	nsh = malloc(n * sizeof *nsh);
	next = malloc(n * BANDS * sizeof *next);
	tkey = malloc(tcap * sizeof *tkey);
	thead = malloc(tcap * sizeof *thead);
	if (!sh || !nsh || !next || !tkey || !thead) {
		rc = of_error_set_oom();
		goto done;
	}
	memset(thead, 0xFF, tcap * sizeof *thead);
	for (i = 0; i < n; i++) {
		out_root[i] = (uint32_t)i;
		nsh[i] = (uint32_t)shingles(keys[i], sh + i * MAX_SHINGLES);
	}
	for (i = 0; i < n; i++) {
		const uint32_t *s = sh + i * MAX_SHINGLES;
		uint32_t sig[NHASH];
		for (int h = 0; h < NHASH; h++) {
			uint32_t m = 0xFFFFFFFFu;
			for (uint32_t j = 0; j < nsh[i]; j++) {
				uint32_t v = mix32(((uint64_t)s[j] << 8) ^ (uint64_t)(h * 0x9E3779B1u));
				if (v < m)
					m = v;
			}
			sig[h] = m;
		}
		for (int b = 0; b < BANDS; b++) {
			uint64_t bk = ((uint64_t)mix32(((uint64_t)sig[b * ROWS] << 32) | sig[b * ROWS + 1]) << 32) |
				      ((uint64_t)(uint32_t)b << 24) | ((uint64_t)(uint32_t)group[i] & 0xFFFFFF);
			size_t slot = (size_t)(mix32(bk) & (tcap - 1));
			while (thead[slot] != 0xFFFFFFFFu && tkey[slot] != bk)
				slot = (slot + 1) & (tcap - 1);
			uint32_t *nx = &next[i * BANDS + (size_t)b];
			if (thead[slot] == 0xFFFFFFFFu) {
				tkey[slot] = bk;
				*nx = 0xFFFFFFFFu;
			} else {
				uint32_t other = thead[slot];
				for (int peek = 0; other != 0xFFFFFFFFu && peek < BUCKET_PEEK; peek++) {
					if (group[other] == group[i] && find(out_root, other) != find(out_root, (uint32_t)i) &&
					    jaccard(s, nsh[i], sh + (size_t)other * MAX_SHINGLES, nsh[other]) >= threshold)
						unite(out_root, other, (uint32_t)i);
					other = next[(size_t)other * BANDS + (size_t)b];
				}
				*nx = thead[slot];
			}
			thead[slot] = (uint32_t)i;
		}
	}
	for (i = 0; i < n; i++)
		out_root[i] = find(out_root, (uint32_t)i);
done:
	free(sh);
	free(nsh);
	free(next);
	free(tkey);
	free(thead);
	return rc;
}
