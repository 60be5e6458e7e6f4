/* cluster.c — near-duplicate grouping in expected O(n): character shingles
 * (single characters and bigrams) → MinHash signature → LSH bands in a hash
 * table; each item is checked (exact Jaccard on the sorted shingles) against at
 * most BUCKET_PEEK earlier items per band. Shingles alone cannot tell 蛋黄 from
 * 蛋清 in a short question, so a pair that passes is then verified on content
 * (friso words minus function words and stop characters): it merges only when
 * one side's content contains the other's, and the clusters it joins must be
 * compatible the same way (see verify below and docs/prompts.md). */
#include "prompts_int.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/segment.h"
#include "onefish/utf8.h"

#include <stdlib.h>
#include <string.h>

#define NHASH 32
#define ROWS 2
#define BANDS (NHASH / ROWS)
#define BUCKET_PEEK 8
#define MAX_SHINGLES OF_CLUSTER_MAX_SHINGLES
#define MAX_UNITS 32   /* content units of one question */
#define MAX_PROFILE 64 /* content units of one cluster (the union of its members') */
#define MAX_CONTENT_BYTES 512 /* of a text, segmented for its units */
#define NONE 0xFFFFFFFFu

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

/* The question word of function.txt's classes at `s` (longest first: 几点 before 几), as its
 * class unit; 0 when there is none. */
static int class_word(const of_lexicons *lx, const char *s, size_t left, int32_t *unit)
{
	int32_t first;
	if ((unsigned char)s[0] < 0xE0 || of_utf8_next(s, left, &first) != 3 || !of_lexicons__class_start(lx, first))
		return 0; /* the class words are Han: most characters start none */
	for (size_t len = 12; len >= 3; len -= 3) {
		uint32_t cls;
		if (len <= left && of_lexicons__function(lx, s, len, &cls) && cls) {
			*unit = (int32_t)cls;
			return (int)len;
		}
	}
	return 0;
}

/* Sorted, de-duplicated shingle hashes of `key` into `out` (MAX_SHINGLES). With `lx`, `key` is
 * a normalised text read as its clustering key would be (content characters, no stop characters),
 * except that a question word of a class counts as its class: the key drops 什/么/几/哪 as stop
 * characters, which leaves 福袋什么时候开 as 福袋时候开 and 福袋几点开 as 福袋点开, too far apart to
 * be compared at all; with the class added before the word's kept characters (福袋<when>时候开,
 * 福袋<when>点开) they are candidates, and the content check equates them. */
static size_t shingles_lx(const of_lexicons *lx, const char *key, uint32_t *out)
{
	int32_t prev = -1, c, prev_cls = 0;
	size_t n = 0, len = strlen(key), i = 0, word_end = 0;
	unsigned nth_in_word = 0;
	while (i < len && n + 4 <= MAX_SHINGLES) {
		int32_t unit;
		int w = lx && i >= word_end ? class_word(lx, key + i, len - i, &unit) : 0;
		if (w > 0) { /* the class, then the word's own characters as the key keeps them */
			word_end = i + (size_t)w;
			prev_cls = unit;
			nth_in_word = 0;
			out[n++] = mix32((uint64_t)(uint32_t)unit);
			if (prev >= 0)
				out[n++] = mix32(((uint64_t)(uint32_t)prev << 32) | (uint32_t)unit | 0x8000000000000000ULL);
			prev = unit;
		}
		int k = of_utf8_next(key + i, len - i, &c);
		if (k < 0)
			k = 1;
		i += (size_t)k;
		if (lx && !of_lexicons__key_cp(lx, c))
			continue;
		if (lx && i <= word_end) {
			/* a kept character of a class word counts as the class, numbered: 小样 and 试用装
			 * share their shingles as 什么时候 and 几点 do, and weigh as much as words */
			c = (int32_t)((mix32(((uint64_t)(uint32_t)prev_cls << 8) ^ (uint64_t)nth_in_word++) & 0x3FFFFFFFu) | 0x40000000u);
		}
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

static size_t shingles(const char *key, uint32_t *out)
{
	return shingles_lx(NULL, key, out);
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

size_t of_cluster__shingles(const char *key, uint32_t *out)
{
	return shingles(key, out);
}

double of_cluster__containment_sh(const uint32_t *sq, size_t nq, const uint32_t *sa, size_t na)
{
	size_t i = 0, j = 0, inter = 0;
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

double of_cluster__containment(const char *q, const char *a)
{
	uint32_t sq[MAX_SHINGLES], sa[MAX_SHINGLES];
	size_t nq = shingles(q, sq), na = shingles(a, sa);
	return of_cluster__containment_sh(sq, nq, sa, na);
}

static uint32_t find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

/* ---- content verification ----
 * A unit is a Han character of a content word (segmentation-independent: 蒸鱼 as
 * one word or 蒸|鱼 gives the same units) or a whole Latin word or number. */

typedef struct verifier {
	const of_lexicons *lx;
	const char *const *texts;
	const of_segmenter *seg; /* loaded on first use: runs without a candidate pair never pay for it */
	uint32_t *pool;    /* [count, units...] records */
	size_t pool_len, pool_cap;
	uint32_t *content; /* per item: pool offset of its units, NONE until computed */
	uint32_t *profile; /* per root: pool offset of the union of its members' units */
} verifier;

static void add_unit(uint32_t *u, size_t *n, size_t cap, uint32_t v)
{
	if (*n < cap)
		u[(*n)++] = v;
}

static size_t sort_dedup(uint32_t *u, size_t n)
{
	size_t o = 0;
	qsort(u, n, sizeof *u, cmp_u32);
	for (size_t j = 0; j < n; j++)
		if (o == 0 || u[o - 1] != u[j])
			u[o++] = u[j];
	return o;
}

/* A Latin word's unit: chat stretches and doubles letters ("pleasee dreamm") and
 * varies plurals, so runs of one letter count once and a final 's' is dropped
 * (words of 4+ letters); numbers stay exact (6 and 8 months differ). */
static uint32_t latin_unit(const char *w, size_t wl)
{
	char b[64];
	size_t n = 0;
	if (wl > sizeof b)
		return mix32(of_xxh64(w, wl, 0)) | 0x80000000u;
	for (size_t i = 0; i < wl; i++)
		if (n == 0 || b[n - 1] != w[i] || (w[i] >= '0' && w[i] <= '9'))
			b[n++] = w[i];
	if (n >= 4 && b[n - 1] == 's' && b[n - 2] != 's')
		n--;
	return mix32(of_xxh64(b, n, 0)) | 0x80000000u;
}

int of_cluster__content(const of_lexicons *lx, const of_segmenter *seg, const char *text, uint32_t *out, size_t cap)
{
	of_token *t = NULL;
	size_t nt = 0, n = 0, len = strlen(text);
	/* only the first units count (cap), so a long comment is segmented up to a bound */
	if (len > MAX_CONTENT_BYTES) {
		len = MAX_CONTENT_BYTES;
		while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
	}
	int rc = of_segment(seg, text, len, &t, &nt);
	if (rc)
		return rc;
	for (size_t k = 0; k < nt; k++) {
		const char *w = text + t[k].offset;
		size_t wl = t[k].len;
		if (t[k].kind != OF_TOKEN_WORD && t[k].kind != OF_TOKEN_LATIN && t[k].kind != OF_TOKEN_NUMBER)
			continue; /* punctuation, spaces, emoji, links say nothing about the topic */
		uint32_t cls;
		/* friso may split a question word of a class (啥|时候, 多长|时间): the longest run of up to
		 * three adjacent tokens that is one counts as one word */
		for (size_t span = 3; span >= 2; span--) {
			if (k + span > nt)
				continue;
			size_t end = t[k + span - 1].offset + t[k + span - 1].len;
			uint32_t c2;
			if (t[k + span - 1].offset >= t[k].offset && end - t[k].offset <= 12 &&
			    of_lexicons__function(lx, w, end - t[k].offset, &c2) && c2) {
				wl = end - t[k].offset;
				k += span - 1;
				break;
			}
		}
		if (of_lexicons__function(lx, w, wl, &cls)) {
			if (cls) /* what a wh-question asks is content: 什么时候吃 is not 能天天吃吗 */
				add_unit(out, &n, cap, cls);
			continue;
		}
		if (t[k].kind != OF_TOKEN_WORD) { /* the top bit keeps word hashes apart from code points */
			add_unit(out, &n, cap, latin_unit(w, wl));
			continue;
		}
		for (size_t i = 0; i < wl;) {
			int32_t c;
			int step = of_utf8_next(w + i, wl - i, &c);
			if (step <= 0)
				break;
			if (!of_lexicons__is_stop(lx, c))
				add_unit(out, &n, cap, (uint32_t)c);
			i += (size_t)step;
		}
	}
	free(t);
	return (int)sort_dedup(out, n);
}

static int pool_put(verifier *v, const uint32_t *u, size_t n, uint32_t *off)
{
	if (v->pool_len + n + 1 >= NONE)
		return of_error_set(OF_ELIMIT, "clustering: too many distinct questions");
	if (v->pool_len + n + 1 > v->pool_cap) {
		size_t nc = v->pool_cap ? v->pool_cap * 2 : 4096;
		while (nc < v->pool_len + n + 1)
			nc *= 2;
		uint32_t *g = realloc(v->pool, nc * sizeof *g);
		if (!g)
			return of_error_set_oom();
		v->pool = g;
		v->pool_cap = nc;
	}
	*off = (uint32_t)v->pool_len;
	v->pool[v->pool_len++] = (uint32_t)n;
	memcpy(v->pool + v->pool_len, u, n * sizeof *u);
	v->pool_len += n;
	return 0;
}

/* Computes item i's units once; a singleton's profile is its own units. */
static int ensure_content(verifier *v, uint32_t i)
{
	uint32_t u[MAX_UNITS];
	int n, rc;
	if (v->content[i] != NONE)
		return 0;
	if (!v->seg && (rc = of_segmenter_shared(&v->seg)) != 0)
		return rc;
	if ((n = of_cluster__content(v->lx, v->seg, v->texts[i], u, MAX_UNITS)) < 0)
		return n;
	if ((rc = pool_put(v, u, (size_t)n, &v->content[i])) != 0)
		return rc;
	v->profile[i] = v->content[i];
	return 0;
}

/* 1 when each side has a unit the other lacks (a substitution such as 蛋黄/蛋清,
 * 蒸鱼/蒸肉), 0 when one contains the other (a paraphrase, or a more specific
 * form of the same question). */
static int conflict(const uint32_t *a, const uint32_t *b)
{
	size_t na = a[0], nb = b[0], i = 0, j = 0;
	int a_extra = 0, b_extra = 0;
	a++, b++;
	while (i < na && j < nb) {
		if (a[i] == b[j])
			i++, j++;
		else if (a[i] < b[j])
			a_extra = 1, i++;
		else
			b_extra = 1, j++;
	}
	a_extra |= i < na;
	b_extra |= j < nb;
	return a_extra && b_extra;
}

static int has_unit(const uint32_t *rec, uint32_t u)
{
	size_t lo = 0, hi = rec[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (rec[1 + mid] == u)
			return 1;
		if (rec[1 + mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int is_han(int32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

/* The first code point of `s` (len bytes), -1 when none. */
static int32_t first_cp(const char *s, size_t len)
{
	int32_t c;
	return len && of_utf8_next(s, len, &c) > 0 ? c : -1;
}

/* The last code point of `s` (len bytes), -1 when none. */
static int32_t last_cp(const char *s, size_t len)
{
	size_t i = len;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	return i > 0 ? first_cp(s + i - 1, len - (i - 1)) : -1;
}

/* 1 when `b` swaps a modifier of `a`'s topic: a word of b ends in a content character x that a
 * lacks, right before a word that starts with a content character y both share (the modifier of
 * the topic noun: 新|白茶), and in a the word starting with y is preceded by a word of one other
 * Han character z that the content drops as a stop character (老|白茶). The containment test
 * cannot see it (老 is no unit, so 白茶煮 ⊂ 新白茶煮), yet the two ask about different things:
 * 老白茶可以煮吗 / 新白茶能煮吗. A character of b before a shared one where a has none (白茶能煮吗 /
 * 新白茶能煮吗) is a more specific form and still merges; a z inside a longer word (老是, 请问) or a
 * pair inside one word (存放 / 要放) is no modifier; where z is a content unit the containment test
 * already refuses (生普 / 熟普). */
static int swapped_modifier(const of_lexicons *lx, const char *a, const of_token *ta, size_t na,
			    const uint32_t *ca, const char *b, const of_token *tb, size_t nb, const uint32_t *cb)
{
	for (size_t k = 0; k + 1 < nb; k++) {
		int32_t x = last_cp(b + tb[k].offset, tb[k].len), y = first_cp(b + tb[k + 1].offset, tb[k + 1].len);
		if (tb[k].kind != OF_TOKEN_WORD || tb[k + 1].kind != OF_TOKEN_WORD ||
		    tb[k].offset + tb[k].len != tb[k + 1].offset || !is_han(x) || !is_han(y) ||
		    !has_unit(cb, (uint32_t)x) || has_unit(ca, (uint32_t)x) || !has_unit(ca, (uint32_t)y) ||
		    !has_unit(cb, (uint32_t)y))
			continue;
		for (size_t j = 0; j < na; j++) {
			if (ta[j].kind != OF_TOKEN_WORD || first_cp(a + ta[j].offset, ta[j].len) != y)
				continue;
			if (j > 0 && ta[j - 1].kind == OF_TOKEN_WORD && ta[j - 1].offset + ta[j - 1].len == ta[j].offset) {
				int32_t z = first_cp(a + ta[j - 1].offset, ta[j - 1].len);
				uint32_t cls;
				if (z != x && is_han(z) && last_cp(a + ta[j - 1].offset, ta[j - 1].len) == z &&
				    of_lexicons__is_stop(lx, z) && !of_lexicons__function(lx, a + ta[j - 1].offset, ta[j - 1].len, &cls) &&
				    !has_unit(cb, (uint32_t)z))
					return 1;
			}
			break; /* y's first word only */
		}
	}
	return 0;
}

/* The bytes of `t` segmented for its units (whole characters, MAX_CONTENT_BYTES at most). */
static size_t content_len(const char *t)
{
	size_t len = strlen(t);
	if (len > MAX_CONTENT_BYTES) {
		len = MAX_CONTENT_BYTES;
		while (len > 0 && ((unsigned char)t[len] & 0xC0) == 0x80)
			len--;
	}
	return len;
}

static int modifier_conflict(verifier *v, uint32_t i, uint32_t c, int *err)
{
	const uint32_t *ci = v->pool + v->content[i], *cc = v->pool + v->content[c];
	of_token *ti = NULL, *tc = NULL;
	size_t ni = 0, nc = 0;
	int hit = 0;
	if (i == c)
		return 0;
	if ((*err = of_segment(v->seg, v->texts[i], content_len(v->texts[i]), &ti, &ni)) != 0 ||
	    (*err = of_segment(v->seg, v->texts[c], content_len(v->texts[c]), &tc, &nc)) != 0)
		goto done;
	hit = swapped_modifier(v->lx, v->texts[i], ti, ni, ci, v->texts[c], tc, nc, cc) ||
	      swapped_modifier(v->lx, v->texts[c], tc, nc, cc, v->texts[i], ti, ni, ci);
done:
	free(ti);
	free(tc);
	return hit;
}

/* Union of two profiles into a new record (capped: a question rarely has 64 content units). */
/* The union of two clusters' content units into *out; *out stays NONE when the
 * union would not fit MAX_PROFILE (dropping units would hide a later conflict,
 * so such a cluster takes no more members). */
static int merge_profiles(verifier *v, uint32_t pa, uint32_t pb, uint32_t *out)
{
	uint32_t u[MAX_PROFILE];
	const uint32_t *a = v->pool + pa + 1, *b = v->pool + pb + 1;
	size_t na = v->pool[pa], nb = v->pool[pb], i = 0, j = 0, n = 0;
	while ((i < na || j < nb) && n < MAX_PROFILE) {
		if (j >= nb || (i < na && a[i] < b[j]))
			u[n++] = a[i++];
		else if (i >= na || b[j] < a[i])
			u[n++] = b[j++];
		else
			u[n++] = a[i++], j++;
	}
	if (i < na || j < nb)
		return 0;
	return pool_put(v, u, n, out);
}

typedef struct cand {
	double sim;
	uint32_t idx;
} cand;

/* Most similar first, then the earlier item: deterministic, and an ambiguous short
 * question ("多少钱？") joins the cluster it resembles most. */
static int cmp_cand(const void *pa, const void *pb)
{
	const cand *a = pa, *b = pb;
	if (a->sim != b->sim)
		return a->sim > b->sim ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Joins i's and c's clusters unless the verification refuses. The smaller index
 * is the root (deterministic); the root carries the union of the members' units,
 * so a generic question cannot bridge two specific ones that differ (多少钱 joined
 * to 辅食机多少钱 keeps 米粉多少钱一罐 out). */
/* `joined` holds the profiles, as they were before, of the clusters item i has already joined:
 * a cluster i would join next must not conflict with any of them, or i, more specific than both,
 * would bridge two questions ("精华和面霜一起买多少钱" joining "精华多少钱" and "面霜多少钱"). */
static int try_unite(uint32_t *parent, verifier *v, uint32_t i, uint32_t c, uint32_t *joined, size_t *nj)
{
	uint32_t ri = find(parent, i), rc = find(parent, c), merged = NONE;
	int err;
	if (ri == rc)
		return 0;
	if (v) {
		if ((err = ensure_content(v, i)) != 0 || (err = ensure_content(v, c)) != 0)
			return err;
		if (conflict(v->pool + v->content[i], v->pool + v->content[c]) ||
		    conflict(v->pool + v->profile[ri], v->pool + v->profile[rc]))
			return 0;
		/* a swapped modifier, against the candidate and the roots of both clusters (the
		 * profiles keep no stop characters, so 老 of a cluster's first question is seen there) */
		if ((err = ensure_content(v, ri)) != 0 || (err = ensure_content(v, rc)) != 0)
			return err;
		if (modifier_conflict(v, i, c, &err) || err || modifier_conflict(v, i, rc, &err) || err ||
		    modifier_conflict(v, c, ri, &err) || err || modifier_conflict(v, ri, rc, &err) || err)
			return err;
		for (size_t k = 0; k < *nj; k++)
			if (conflict(v->pool + joined[k], v->pool + v->profile[rc]))
				return 0;
		if ((err = merge_profiles(v, v->profile[ri], v->profile[rc], &merged)) != 0)
			return err;
		if (merged == NONE)
			return 0;
	}
	if (v)
		joined[(*nj)++] = v->profile[rc];
	uint32_t root = ri < rc ? ri : rc;
	parent[ri == root ? rc : ri] = root;
	if (v)
		v->profile[root] = merged;
	return 0;
}

int of_cluster__keys(const char *const *keys, const char *const *texts, const of_lexicons *lx, const int *group,
		     size_t n, double threshold, uint32_t *out_root)
{
	uint32_t *sh = NULL, *nsh = NULL, *next = NULL;
	uint64_t *tkey = NULL;
	uint32_t *thead = NULL;
	size_t tcap = 16, i;
	int rc = 0;
	verifier vf = {0}, *v = texts && lx ? &vf : NULL;
	if (n == 0)
		return 0;
	if (n >= NONE)
		return of_error_set(OF_ELIMIT, "clustering: too many distinct questions (%zu)", n);
	while (tcap < n * BANDS * 2)
		tcap <<= 1;
	sh = malloc(n * MAX_SHINGLES * sizeof *sh);
	nsh = malloc(n * sizeof *nsh);
	next = malloc(n * BANDS * sizeof *next);
	tkey = malloc(tcap * sizeof *tkey);
	thead = malloc(tcap * sizeof *thead);
	if (v) {
		vf.lx = lx;
		vf.texts = texts;
		vf.content = malloc(n * sizeof *vf.content);
		vf.profile = malloc(n * sizeof *vf.profile);
	}
	if (!sh || !nsh || !next || !tkey || !thead || (v && (!vf.content || !vf.profile))) {
		rc = of_error_set_oom();
		goto done;
	}
	memset(thead, 0xFF, tcap * sizeof *thead);
	if (v) {
		memset(vf.content, 0xFF, n * sizeof *vf.content);
		memset(vf.profile, 0xFF, n * sizeof *vf.profile);
	}
	for (i = 0; i < n; i++) {
		out_root[i] = (uint32_t)i;
		nsh[i] = v ? (uint32_t)shingles_lx(lx, texts[i], sh + i * MAX_SHINGLES) : 0;
		if (!nsh[i]) /* all stop characters ("还有吗"): the key falls back to them too */
			nsh[i] = (uint32_t)shingles(keys[i], sh + i * MAX_SHINGLES);
	}
	for (i = 0; i < n && rc == 0; i++) {
		const uint32_t *s = sh + i * MAX_SHINGLES;
		uint32_t sig[NHASH];
		cand cands[BANDS * BUCKET_PEEK];
		size_t nc = 0;
		for (int h = 0; h < NHASH; h++) {
			uint32_t m = 0xFFFFFFFFu;
			for (uint32_t j = 0; j < nsh[i]; j++) {
				uint32_t x = mix32(((uint64_t)s[j] << 8) ^ (uint64_t)(h * 0x9E3779B1u));
				if (x < m)
					m = x;
			}
			sig[h] = m;
		}
		for (int b = 0; b < BANDS; b++) {
			uint64_t bk = ((uint64_t)mix32(((uint64_t)sig[b * ROWS] << 32) | sig[b * ROWS + 1]) << 32) |
				      ((uint64_t)(uint32_t)b << 24) | ((uint64_t)(uint32_t)group[i] & 0xFFFFFF);
			size_t slot = (size_t)(mix32(bk) & (tcap - 1));
			while (thead[slot] != NONE && tkey[slot] != bk)
				slot = (slot + 1) & (tcap - 1);
			uint32_t *nx = &next[i * BANDS + (size_t)b];
			if (thead[slot] == NONE) {
				tkey[slot] = bk;
				*nx = NONE;
			} else {
				uint32_t other = thead[slot];
				for (int peek = 0; other != NONE && peek < BUCKET_PEEK; peek++) {
					size_t k = 0;
					while (k < nc && cands[k].idx != other)
						k++;
					if (k == nc && group[other] == group[i]) {
						double sim = jaccard(s, nsh[i], sh + (size_t)other * MAX_SHINGLES, nsh[other]);
						if (sim >= threshold)
							cands[nc++] = (cand){sim, other};
					}
					other = next[(size_t)other * BANDS + (size_t)b];
				}
				*nx = thead[slot];
			}
			thead[slot] = (uint32_t)i;
		}
		qsort(cands, nc, sizeof *cands, cmp_cand);
		uint32_t joined[BANDS * BUCKET_PEEK];
		size_t nj = 0;
		for (size_t k = 0; k < nc && rc == 0; k++)
			rc = try_unite(out_root, v, (uint32_t)i, cands[k].idx, joined, &nj);
	}
	for (i = 0; i < n; i++)
		out_root[i] = find(out_root, (uint32_t)i);
done:
	free(sh);
	free(nsh);
	free(next);
	free(tkey);
	free(thead);
	free(vf.content);
	free(vf.profile);
	free(vf.pool);
	return rc;
}
