/* compose.c — the offline composer: a lead from the strongest post, sections
 * grouped by topic (tags and shared Han bigrams), paragraphs of post
 * sentences trimmed to the length target, images, and a templated closing.
 * Every sentence comes from a post or a template; nothing else is written. */
#include "article_int.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SECTIONS 5
#define PARA_HAN 110 /* a WeChat paragraph reads best under ~110 字 */
#define LEAD_HAN 50
#define TITLE_MAX_HAN 24   /* a title from a sentence: its clauses up to about this many 字 */
#define HEADING_MAX_HAN 16 /* a clause longer than this reads as a sentence, not a heading */

void of_doc_free(of_doc *d)
{
	free(d->title);
	free(d->summary);
	for (size_t i = 0; i < d->n_tags; i++)
		free(d->tags[i]);
	free(d->tags);
	for (size_t i = 0; i < d->n_blocks; i++) {
		free(d->blocks[i].text);
		free(d->blocks[i].srcs);
		free(d->blocks[i].connective);
	}
	free(d->blocks);
	memset(d, 0, sizeof *d);
}

of_block *of_doc_add(of_doc *d, int kind, char *text)
{
	of_block *nb = realloc(d->blocks, (d->n_blocks + 1) * sizeof *nb);
	if (!nb) {
		free(text);
		return NULL;
	}
	d->blocks = nb;
	of_block *b = &nb[d->n_blocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->text = text;
	return b;
}

size_t of_doc_han(const of_doc *d)
{
	size_t n = d->title ? of_utf8_han_count(d->title, strlen(d->title)) : 0;
	for (size_t i = 0; i < d->n_blocks; i++)
		if (d->blocks[i].kind != OF_BLK_IMAGE && d->blocks[i].text)
			n += of_utf8_han_count(d->blocks[i].text, strlen(d->blocks[i].text));
	return n;
}

/* A sentence that opens on a time word (周末, 下周四, 昨晚, 11月19日, 晚上…)
 * already tells the reader it moves on. */
static int opens_with_time(const char *t)
{
	static const char *const words[] = {"周末", "周一", "周二", "周三", "周四", "周五", "周六", "周日",
					    "上周", "这周", "下周", "本周", "今天", "今晚", "今早", "昨天",
					    "昨晚", "明天", "明晚", "前几天", "最近", "早上", "上午", "中午",
					    "下午", "晚上", "傍晚", "那天", "当天", "这几天"};
	for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
		if (strncmp(t, words[k], strlen(words[k])) == 0)
			return 1;
	/* a date: digits then 月 (11月19日) */
	const char *d = t;
	while (*d >= '0' && *d <= '9')
		d++;
	return d > t && strncmp(d, "月", strlen("月")) == 0;
}

/* Clause breaks inside a sentence: ，～！？：； or a space. */
static size_t clause_end(const char *t, size_t len)
{
	static const char *const breaks[] = {"\xEF\xBC\x8C", "\xEF\xBD\x9E", "\xEF\xBC\x81", "\xEF\xBC\x9F",
					     "\xEF\xBC\x9A", "\xEF\xBC\x9B", "~", "!", "?", ":", ";", " "};
	size_t l = len;
	for (size_t bk = 0; bk < sizeof breaks / sizeof *breaks; bk++) {
		const char *at = memmem(t, l, breaks[bk], strlen(breaks[bk]));
		if (at)
			l = (size_t)(at - t);
	}
	return l;
}

/* A clause that only says when ("11月19日（周四）晚8点", "周末"): every Han
 * character is a date or clock word. It names no topic, so it makes no
 * heading or title. */
static int only_when(const char *t, size_t len)
{
	static const char when[] = "年月日号周星期礼拜天一二三四五六七八九十今明昨前后这本上下午中晚早傍点半末";
	size_t han = 0;
	for (size_t i = 0; i < len;) {
		int32_t cp;
		int k = of_utf8_next(t + i, len - i, &cp);
		if (k <= 0)
			return 0;
		if (of_utf8_is_han(cp)) {
			han++;
			if (!memmem(when, sizeof when - 1, t + i, (size_t)k))
				return 0;
		}
		i += (size_t)k;
	}
	return han > 0;
}

/* Bytes of a date the article wrote at the start of `t` ("11月16日（周一）", with
 * 晚/早上 after it), or 0. A title opening on the day a post was written reads
 * as a diary entry, not as the week's article. */
static size_t date_prefix(const char *t, size_t len)
{
	size_t i = 0;
	for (int part = 0; part < 2; part++) {
		size_t d = i;
		while (d < len && t[d] >= '0' && t[d] <= '9')
			d++;
		const char *unit = part == 0 ? "月" : "日";
		if (d == i || len - d < 3 || memcmp(t + d, unit, 3) != 0)
			return 0;
		i = d + 3;
	}
	if (len - i >= 12 && memcmp(t + i, "（周", 6) == 0 && memcmp(t + i + 9, "）", 3) == 0)
		i += 12; /* （周一）: four characters of three bytes */
	static const char *const after[] = {"早上", "晚上", "晚", "早"};
	for (size_t k = 0; k < sizeof after / sizeof *after; k++)
		if (len - i >= strlen(after[k]) && memcmp(t + i, after[k], strlen(after[k])) == 0) {
			i += strlen(after[k]);
			break;
		}
	return i;
}

/* A paragraph that opens a list ("第一，…", "首先…", "1. …") takes no connective:
 * "另外，第一，" stacks two openers. */
static int opens_list(const char *t)
{
	static const char *const w[] = {"第一", "首先", "一是", "其一", "1.", "1、", "1)", "①"};
	for (size_t k = 0; k < sizeof w / sizeof *w; k++)
		if (strncmp(t, w[k], strlen(w[k])) == 0)
			return 1;
	return 0;
}

static int push_str(char ***arr, size_t *n, const char *s)
{
	char **na = realloc(*arr, (*n + 1) * sizeof *na);
	if (!na)
		return of_error_set_oom();
	*arr = na;
	if (!(na[*n] = strdup(s)))
		return of_error_set_oom();
	(*n)++;
	return 0;
}

/* Sum of the weights ("phrase<TAB>weight", default 10) of the phrases in s[0..len). */
static double weak_weight(const char *s, size_t len, char *const *list, size_t n)
{
	double w = 0;
	for (size_t k = 0; k < n; k++) {
		size_t l = strcspn(list[k], "\t");
		for (size_t i = 0; l && i + l <= len; i++)
			if (memcmp(s + i, list[k], l) == 0) {
				const char *tab = strchr(list[k], '\t');
				w += tab ? strtod(tab + 1, NULL) : 10;
				break;
			}
	}
	return w;
}

/* ---- topic similarity ---- */

static double tag_jaccard(const of_npost *a, const of_npost *b)
{
	size_t inter = 0;
	if (!a->n_tags || !b->n_tags)
		return 0;
	for (size_t i = 0; i < a->n_tags; i++)
		for (size_t k = 0; k < b->n_tags; k++)
			inter += strcmp(a->tags[i], b->tags[k]) == 0;
	return (double)inter / (double)(a->n_tags + b->n_tags - inter);
}

static double gram_jaccard(const of_npost *a, const of_npost *b)
{
	size_t i = 0, k = 0, inter = 0;
	while (i < a->n_grams && k < b->n_grams) {
		if (a->grams[i] == b->grams[k]) {
			inter++;
			i++;
			k++;
		} else if (a->grams[i] < b->grams[k]) {
			i++;
		} else {
			k++;
		}
	}
	size_t uni = a->n_grams + b->n_grams - inter;
	return uni ? (double)inter / (double)uni : 0;
}

/* Average-link agglomerative clustering down to `k` groups; ties go to the lower index. */
static void cluster(of_npost **tp, size_t n, size_t k)
{
	double *sim = calloc(n * n, sizeof *sim);
	int *cl = malloc(n * sizeof *cl);
	size_t groups = n;
	if (!sim || !cl) {
		for (size_t i = 0; i < n; i++)
			tp[i]->section = (int)(i % k);
		free(sim);
		free(cl);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		cl[i] = (int)i;
		for (size_t j = i + 1; j < n; j++)
			sim[i * n + j] = sim[j * n + i] = 0.6 * tag_jaccard(tp[i], tp[j]) + 0.4 * gram_jaccard(tp[i], tp[j]);
	}
	while (groups > k) {
		double best = -1;
		int ba = -1, bb = -1;
		for (size_t a = 0; a < n; a++) {
			if (cl[a] != (int)a)
				continue;
			for (size_t b = a + 1; b < n; b++) {
				if (cl[b] != (int)b)
					continue;
				double s = 0;
				size_t cnt = 0;
				for (size_t x = 0; x < n; x++)
					for (size_t y = 0; y < n; y++)
						if (cl[x] == (int)a && cl[y] == (int)b) {
							s += sim[x * n + y];
							cnt++;
						}
				s = cnt ? s / (double)cnt : 0;
				if (s > best + 1e-12) {
					best = s;
					ba = (int)a;
					bb = (int)b;
				}
			}
		}
		for (size_t x = 0; x < n; x++)
			if (cl[x] == bb)
				cl[x] = ba;
		groups--;
	}
	for (size_t i = 0; i < n; i++)
		tp[i]->section = cl[i];
	free(sim);
	free(cl);
}

/* ---- sentence choice ---- */

typedef struct sref {
	of_npost *p;
	size_t s;
} sref;

/* The weak phrases of a sentence as the post wrote it: a 今晚 rewritten as a
 * date still announced something true only on that day. */
/* The sentence ends in a question mark. */
static int asks(const of_npost *p, const of_sent *st)
{
	size_t k = st->b1;
	while (k > st->b0 && (p->norm[k - 1] == ' ' || p->norm[k - 1] == '\n'))
		k--;
	return (k > st->b0 && p->norm[k - 1] == '?') ||
	       (k >= st->b0 + 3 && memcmp(p->norm + k - 3, "\xEF\xBC\x9F", 3) == 0);
}

static double sentence_weakness(const of_npost *p, const of_sent *st, const of_art_assets *a)
{
	size_t len = st->b1 - st->b0;
	if (!p->n_rel)
		return weak_weight(p->norm + st->b0, len, a->weak, a->n_weak);
	of_buf b;
	of_buf_init(&b, len + 16 * p->n_rel + 16);
	int rc = of_buf_append(&b, p->norm + st->b0, len);
	for (size_t r = 0; r < p->n_rel && rc == 0; r++)
		if (p->rel[r].b0 >= st->b0 && p->rel[r].b1 <= st->b1)
			rc = of_buf_printf(&b, "|%s", p->rel[r].orig) < 0 ? OF_ENOMEM : 0;
	double w = rc == 0 ? weak_weight(of_buf_cstr(&b), of_buf_len(&b), a->weak, a->n_weak)
			   : weak_weight(p->norm + st->b0, len, a->weak, a->n_weak);
	of_buf_free(&b);
	return w;
}

static void score_sentences(of_npost *posts, size_t n, double top, const of_art_assets *a)
{
	for (size_t i = 0; i < n; i++) {
		of_npost *p = &posts[i];
		for (size_t s = 0; s < p->n_sents; s++) {
			of_sent *st = &p->sents[s];
			double v = top > 0 ? 10.0 * p->score / top : 0;
			if (s == 0 && st->han >= 6)
				v += 20; /* the topic sentence; a short greeting is not one */
			/* the short answer right after a question ("辅食机能蒸鱼吗？可以的。") carries its
			 * meaning: cut first, it would leave the question answered by the wrong line */
			if (st->han < 6 && !(s > 0 && asks(p, &p->sents[s - 1])))
				v -= 15;
			else if (st->han <= 60)
				v += 3;
			else if (st->han > 90)
				v -= 3;
			v -= sentence_weakness(p, st, a);
			v -= 0.2 * (double)s; /* later sentences of a post are details */
			st->score = v;
		}
	}
}

/* Drops repeated sentences: the same Han/Latin content seen before in a stronger post. */
/* A sentence's identity for repeats: its Han characters, letters and digits. */
static unsigned long long sentence_key(const char *t, size_t len)
{
	char key[4096];
	size_t kl = 0;
	for (size_t b = 0; b < len && kl + 4 < sizeof key;) {
		int32_t c;
		int k = of_utf8_next(t + b, len - b, &c);
		b += k > 0 ? (size_t)k : 1;
		if (of_utf8_is_han(c) || (c < 0x80 && ((c | 32) >= 'a' && (c | 32) <= 'z')) || (c >= '0' && c <= '9'))
			kl += (size_t)of_utf8_encode(c, key + kl);
	}
	return of_xxh64(key, kl, 7);
}

/* Drops sentences said before, and the call to action `cta` the closing says anyway (written
 * next-posts stubs end with it, as their prompts ask). */
static void drop_repeats(of_npost **order, size_t n, const char *cta)
{
	size_t cap = 64, cnt = 0;
	unsigned long long *seen = malloc(cap * sizeof *seen);
	if (!seen)
		return;
	if (cta && cta[0])
		seen[cnt++] = sentence_key(cta, strlen(cta));
	for (size_t i = 0; i < n; i++) {
		of_npost *p = order[i];
		for (size_t s = 0; s < p->n_sents; s++) {
			of_sent *st = &p->sents[s];
			unsigned long long h = sentence_key(p->norm + st->b0, st->b1 - st->b0);
			int dup = 0;
			for (size_t k = 0; k < cnt; k++)
				dup |= seen[k] == h;
			if (dup) {
				st->used = -1;
				continue;
			}
			if (cnt == cap) {
				size_t nc = cap ? cap * 2 : 64;
				unsigned long long *ns = realloc(seen, nc * sizeof *ns);
				if (!ns)
					break;
				seen = ns;
				cap = nc;
			}
			seen[cnt++] = h;
		}
	}
	free(seen);
}

/* ---- building the document ---- */

typedef struct section {
	of_npost **posts;
	size_t n;
	long long first_time;
	size_t first_index;
} section;

static int cmp_section(const void *x, const void *y)
{
	const section *a = x, *b = y;
	if (a->first_time != b->first_time)
		return (a->first_time > b->first_time) - (a->first_time < b->first_time);
	return (a->first_index > b->first_index) - (a->first_index < b->first_index);
}

static int ends_sentence(const of_npost *p, const of_sent *st)
{
	size_t k = st->b1 - 1;
	int32_t c = 0;
	while (k > st->b0 && ((unsigned char)p->norm[k] & 0xC0) == 0x80)
		k--;
	of_utf8_next(p->norm + k, st->b1 - k, &c);
	/* also a casual ～ or ~, a colon that opens a list, closing brackets: a 。 after them reads wrong
	 * ("记得点预约哦～。", "训练计划如下：。") */
	return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?' || c == 0xFF1B || c == 0x201D ||
	       c == 0x300D || c == 0x2026 || c == 0xFF09 || c == ')' || c == 0xFF5E || c == '~' || c == 0x301C ||
	       c == 0xFF1A || c == ':' || c == 0x3011 || c == 0x300F || c == 0x300B;
}

/* A short sentence (under 5 字) is kept when it carries a fact — a figure, a "label：value" or a
 * list item ("3. 周五：腿", "到手价99") — or is all of a post that says more than a greeting
 * ("今天上新"); greetings and exclamations ("早安☀️", "收到！", "晚上好呀！") carry nothing. */
static int short_sentence_kept(const of_npost *p, size_t s)
{
	const of_sent *st = &p->sents[s];
	const char *t = p->norm + st->b0;
	size_t n = st->b1 - st->b0;
	if (st->han >= 5 || (s > 0 && asks(p, &p->sents[s - 1]))) /* or the answer to a question: 可以的。 */
		return 1;
	for (size_t i = 0; i < n; i++)
		if ((t[i] >= '0' && t[i] <= '9') || t[i] == ':')
			return 1;
	if (memmem(t, n, "\xEF\xBC\x9A", 3)) /* ： */
		return 1;
	if (p->n_sents > 1 || st->han < 3)
		return 0;
	size_t k = n;
	while (k && ((unsigned char)t[k - 1] & 0xC0) == 0x80)
		k--;
	int32_t last = 0;
	if (k)
		of_utf8_next(t + k - 1, n - k + 1, &last);
	return last != 0xFF01 && last != '!';
}

/* One paragraph from the sentences [from, to) of `p` whose `used` equals `want`. */
static int para_from(of_doc *d, int kind, of_npost *base, of_npost *p, size_t from, size_t to, const char *conn,
		     int want)
{
	of_buf b;
	size_t n_src = 0;
	of_block *blk;
	of_buf_init(&b, 1 << 20);
	if (conn)
		of_buf_puts(&b, conn);
	size_t said = (size_t)-1; /* the sentence said last */
	for (size_t s = from; s < to; s++) {
		const of_sent *st = &p->sents[s];
		if (st->used != want)
			continue;
		const char *instead = "";
		size_t skip = said + 1 == s ? of_art_repeat_date(p, s, &instead) : 0;
		of_buf_puts(&b, instead);
		of_buf_append(&b, p->norm + st->b0 + skip, st->b1 - st->b0 - skip);
		said = s;
		/* a sentence cut at a line break gets a full stop so it does not run on */
		if (!ends_sentence(p, st))
			of_buf_puts(&b, "\xE3\x80\x82");
		n_src++;
	}
	if (!n_src) {
		of_buf_free(&b);
		return 0;
	}
	if (!(blk = of_doc_add(d, kind, of_buf_detach(&b, NULL))) || !blk->text)
		return of_error_set_oom();
	if (conn && !(blk->connective = strdup(conn)))
		return of_error_set_oom();
	if (!(blk->srcs = calloc(n_src, sizeof *blk->srcs)))
		return of_error_set_oom();
	for (size_t s = from; s < to; s++)
		if (p->sents[s].used == want) {
			blk->srcs[blk->n_srcs].post = (size_t)(p - base);
			blk->srcs[blk->n_srcs++].sent = s;
		}
	return 0;
}

/* A post's sentences (used == want) as paragraphs of about PARA_HAN 字. */
static int post_paras(of_doc *d, of_npost *base, of_npost *p, const char *conn, int kind, int want)
{
	size_t from = 0, han = 0;
	int rc = 0, first = 1;
	for (size_t s = 0; s < p->n_sents && rc == 0; s++) {
		if (p->sents[s].used != want)
			continue;
		size_t rest = 0;
		for (size_t r = s; r < p->n_sents; r++)
			rest += p->sents[r].used == want ? p->sents[r].han : 0;
		/* split long posts, but never leave a short tail on its own */
		if (han > 0 && han + p->sents[s].han > PARA_HAN && rest >= 40 && !p->sents[s].dependent) {
			rc = para_from(d, kind, base, p, from, s, first ? conn : NULL, want);
			first = 0;
			from = s;
			han = 0;
		}
		han += p->sents[s].han;
	}
	if (rc == 0)
		rc = para_from(d, kind, base, p, from, p->n_sents, first ? conn : NULL, want);
	return rc;
}

/* Whether the article already shows the photo `src` (an image block of any post naming it). */
static int image_shown(const of_doc *d, const of_npost *base, const char *src)
{
	for (size_t k = 0; k < d->n_blocks; k++) {
		const of_block *b = &d->blocks[k];
		if (b->kind != OF_BLK_IMAGE)
			continue;
		const of_npost *q = &base[b->img_post];
		size_t j = strtoul(b->text, NULL, 10);
		if (j < q->n_imgs && strcmp(q->imgs[j].src, src) == 0)
			return 1;
	}
	return 0;
}

/* Adds post p's image i, unless the article already shows that photo (two posts sharing a
 * photo show it once, where it comes first). @return 1 added, 0 already shown, or an error. */
static int add_image(of_doc *d, of_npost *base, of_npost *p, size_t i)
{
	char num[32];
	if (image_shown(d, base, p->imgs[i].src))
		return 0;
	snprintf(num, sizeof num, "%zu", i);
	of_block *b = of_doc_add(d, OF_BLK_IMAGE, strdup(num));
	if (!b || !b->text)
		return of_error_set_oom();
	b->img_post = (size_t)(p - base);
	return 1;
}

/* Adds post p's first photo the article does not show yet, if any: its picture. */
static int add_first_image(of_doc *d, of_npost *base, of_npost *p)
{
	int rc = 0;
	for (size_t i = 0; i < p->n_imgs && rc == 0; i++)
		rc = add_image(d, base, p, i);
	return rc < 0 ? rc : 0;
}

static int post_used(const of_npost *p)
{
	for (size_t s = 0; s < p->n_sents; s++)
		if (p->sents[s].used == 1)
			return 1;
	return 0;
}

typedef struct tagc {
	const char *tag;
	double w;
	size_t first;
} tagc;

static int cmp_tagcount(const void *x, const void *y)
{
	const tagc *a = x, *b = y;
	if (a->w != b->w)
		return (a->w < b->w) - (a->w > b->w);
	return (a->first > b->first) - (a->first < b->first);
}

static int has_tag(const of_npost *p, const char *tag)
{
	for (size_t t = 0; t < p->n_tags; t++)
		if (strcmp(p->tags[t], tag) == 0)
			return 1;
	return 0;
}

/* The section's heading from its most shared tags (not used by an earlier heading:
 * after 直播与辅食机, a section tagged 辅食机 and 直播回顾 is 直播回顾, not 辅食机与直播回顾). */
static char *heading_for(const section *sec, char **used, size_t n_used, const of_art_assets *a, const char **main_tag,
			 const char **second_tag)
{
	tagc tc[64];
	size_t nt = 0, order = 0;
	const char *pick[2] = {NULL, NULL};
	for (size_t i = 0; i < sec->n; i++) {
		if (!post_used(sec->posts[i]))
			continue;
		for (size_t t = 0; t < sec->posts[i]->n_tags; t++) {
			const char *tag = sec->posts[i]->tags[t];
			size_t k;
			for (k = 0; k < nt; k++)
				if (strcmp(tc[k].tag, tag) == 0)
					break;
			if (k == nt) {
				if (nt == 64)
					continue;
				tc[nt].tag = tag;
				tc[nt].w = 0;
				tc[nt++].first = order++;
			}
			/* shared tags first, then the earlier-listed ones, then engagement */
			tc[k].w += 1.0 + 0.01 / (double)(t + 1) + 1e-6 * (double)sec->posts[i]->post->likes;
		}
	}
	qsort(tc, nt, sizeof *tc, cmp_tagcount);
	const of_npost *opening = NULL; /* the post the section opens with */
	for (size_t i = 0; i < sec->n && !opening; i++)
		if (post_used(sec->posts[i]))
			opening = sec->posts[i];
	for (size_t k = 0, got = 0; k < nt && got < 2; k++) {
		int taken = 0;
		for (size_t u = 0; u < n_used; u++)
			taken |= strcmp(used[u], tc[k].tag) == 0;
		if (got == 1 && (strstr(pick[0], tc[k].tag) || strstr(tc[k].tag, pick[0])))
			taken = 1;
		/* the second topic is one the section's posts share, or the opening post's: a tag
		 * of one later post only (健康, the last paragraph's) would head the section with
		 * a topic its first paragraphs do not touch (白茶与健康 over the 寿眉 launch) */
		if (got == 1 && tc[k].w < 2.0 && opening && !has_tag(opening, tc[k].tag))
			taken = 1;
		if (!taken)
			pick[got++] = tc[k].tag;
	}
	*main_tag = pick[0];
	*second_tag = pick[1];
	const char *kv[] = {"a", pick[0], "b", pick[1], NULL, NULL};
	return pick[0] ? of_art_pick(a->heading, a->n_heading, kv) : NULL;
}

/* "11月26日（周四）20:00" from an ISO time (in its own offset). */
static void live_when(char *buf, size_t n, const char *iso)
{
	long long t;
	int off;
	static const char *wd[] = {"周四", "周五", "周六", "周日", "周一", "周二", "周三"};
	buf[0] = 0;
	if (!iso || of_post_parse_time(iso, &t, &off) < 0)
		return;
	t += off * 60LL;
	long long days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), secs = t - days * 86400;
	long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
	int hh = (int)(secs / 3600), mm = (int)(secs / 60 % 60);
	if (snprintf(buf, n, "%d月%d日（%s）%02d:%02d", (int)m % 100, (int)d % 100, wd[((days % 7) + 7) % 7], hh % 100,
		     mm % 100) >= (int)n)
		buf[0] = 0;
}

static char *strip_end_punct(const char *s)
{
	char *r = strdup(s ? s : "");
	size_t l;
	if (!r)
		return NULL;
	for (l = strlen(r); l > 0;) {
		if (r[l - 1] == '!' || r[l - 1] == '.' || r[l - 1] == ' ') {
			l--;
		} else if (l >= 3 && (memcmp(r + l - 3, "\xEF\xBC\x81", 3) == 0 || memcmp(r + l - 3, "\xE3\x80\x82", 3) == 0)) {
			l -= 3;
		} else {
			break;
		}
	}
	r[l] = 0;
	return r;
}

/* The closing: its heading, then `lead_in` (posts announcing the live it
 * promotes, may be NULL), then the call to action. */
static int closing(of_doc *d, const of_article_options *o, const of_art_assets *a,
		   int (*lead_in)(of_doc *, void *), void *ctx, const char *url)
{
	char when[64];
	char *cta = strip_end_punct(o->cta ? o->cta : o->brand.live_cta);
	of_buf b;
	int rc = 0;
	if (!cta)
		return of_error_set_oom();
	live_when(when, sizeof when, o->brand.live_time);
	const char *link = o->brand.live_url ? o->brand.live_url : url;
	const char *kv[] = {"live_when", when, "live_title", o->brand.live_title, "live_platform",
			    o->brand.live_platform, "cta", cta, "account", o->brand.account, "brand", o->brand.name,
			    NULL, NULL, NULL, NULL};
	char *h = of_art_pick(a->closing_heading, a->n_closing_heading, kv);
	if (h && !of_doc_add(d, OF_BLK_HEADING, h))
		rc = of_error_set_oom();
	if (rc == 0 && lead_in)
		rc = lead_in(d, ctx);
	/* a link the article already gives is not repeated */
	for (size_t i = 0; link && i < d->n_blocks; i++)
		if (d->blocks[i].text && strstr(d->blocks[i].text, link))
			link = NULL;
	if (link) {
		kv[12] = "live_url";
		kv[13] = link;
	}
	of_buf_init(&b, 64 * 1024);
	for (size_t i = 0; i < a->n_closing && rc == 0;) {
		size_t j = i;
		while (j < a->n_closing && a->closing[j][0])
			j++;
		char *line = of_art_pick(a->closing + i, j - i, kv);
		if (line) {
			of_buf_puts(&b, line);
			free(line);
		}
		i = j + 1;
	}
	if (rc == 0 && of_buf_len(&b) && !of_doc_add(d, OF_BLK_CLOSING, of_buf_detach(&b, NULL)))
		rc = of_error_set_oom();
	of_buf_free(&b);
	free(cta);
	return rc;
}

int of_art_closing(of_doc *d, const of_article_options *o, const of_art_assets *a)
{
	return closing(d, o, a, NULL, NULL, NULL);
}

/* "11月26日" of the live the closing promotes, or "" when the config has no live time. */
static void live_day(char *buf, size_t n, const char *iso)
{
	live_when(buf, n, iso);
	char *end = strstr(buf, "\xE6\x97\xA5"); /* 日 */
	if (end)
		end[3] = 0;
	else
		buf[0] = 0;
}

/* A post announcing the live the closing promotes ("下周四（11月26日）晚8点，…直播继续！",
 * its day dated by reltime): its first sentence names the live's day and a live
 * stream. Its place is under the closing heading, just before the call to action:
 * in topic order it would sit before the review of the live that came first. */
static int announces_live(const of_npost *p, const char *day, const char *live_title)
{
	if (!day[0] || !p->n_sents)
		return 0;
	size_t s = 0;
	while (s < p->n_sents && p->sents[s].used != 1)
		s++;
	if (s == p->n_sents)
		return 0;
	char *first = strndup(p->norm + p->sents[s].b0, p->sents[s].b1 - p->sents[s].b0);
	int yes = first && strstr(first, day) &&
		  (strstr(first, "\xE7\x9B\xB4\xE6\x92\xAD") /* 直播 */ || (live_title && live_title[0] && strstr(first, live_title)));
	free(first);
	return yes;
}

typedef struct tail_ctx {
	of_npost *base, **posts;
	size_t n;
	char url[512]; /* the first link those posts give (their booking link) */
} tail_ctx;

/* The first http(s) link in a post, as the Markdown writer would link it. */
static void first_url(char *buf, size_t n, const of_npost *p)
{
	const char *a = strstr(p->norm, "https://"), *b = strstr(p->norm, "http://");
	const char *u = a && (!b || a < b) ? a : b;
	size_t l = 0;
	buf[0] = 0;
	if (!u)
		return;
	while (u[l] && (unsigned char)u[l] > 0x20 && (unsigned char)u[l] < 0x7F && !strchr("<>\"'`\\", u[l]))
		l++;
	while (l > 0 && strchr(".,;:!?)", u[l - 1])) /* sentence punctuation after a link is not part of it */
		l--;
	if (l > 10 && l < n)
		snprintf(buf, n, "%.*s", (int)l, u);
}

static int put_tail(of_doc *d, void *ctx)
{
	tail_ctx *t = ctx;
	int rc = 0;
	for (size_t i = 0; i < t->n && rc == 0; i++) {
		if (!post_used(t->posts[i]))
			continue;
		if ((rc = post_paras(d, t->base, t->posts[i], NULL, OF_BLK_PARA, 1)) == 0)
			rc = add_first_image(d, t->base, t->posts[i]);
	}
	return rc;
}

static int cmp_score(const void *x, const void *y)
{
	const of_npost *a = *(of_npost *const *)x, *b = *(of_npost *const *)y;
	if (a->score != b->score)
		return (a->score < b->score) - (a->score > b->score);
	return (a > b) - (a < b);
}

static int cmp_time(const void *x, const void *y)
{
	const of_npost *a = *(of_npost *const *)x, *b = *(of_npost *const *)y;
	long long ta = a->post->has_time ? a->post->epoch : 0, tb = b->post->has_time ? b->post->epoch : 0;
	if (ta != tb)
		return (ta > tb) - (ta < tb);
	return (a > b) - (a < b);
}

static int build(of_doc *d, of_npost *posts, size_t n, of_npost *lead, section *secs, size_t n_secs,
		 of_npost **tail, size_t n_tail, const of_article_options *o, const of_art_assets *a)
{
	int rc = 0;
	char *used_tags[2 * MAX_SECTIONS + 2];
	size_t n_topics = 0;
	size_t n_used = 0, conn_i = 0;
	of_buf topics;
	of_doc_free(d);
	d->engine = "offline";
	/* lead paragraph: the strongest post's opening sentences, about LEAD_HAN 字 */
	for (size_t s = 0, han = 0; s < lead->n_sents; s++) {
		of_sent *st = &lead->sents[s];
		if (st->used != 1)
			continue;
		if (han >= LEAD_HAN && !st->dependent)
			break;
		st->used = 2; /* placed in the lead */
		han += st->han;
	}
	if ((rc = post_paras(d, posts, lead, NULL, OF_BLK_LEAD, 2)) < 0)
		return rc;
	if (lead->n_imgs && (rc = add_image(d, posts, lead, 0)) < 0)
		return rc;
	rc = 0;
	/* the rest of the opening story, then its other photos (up to two) */
	if ((rc = post_paras(d, posts, lead, NULL, OF_BLK_PARA, 1)) < 0)
		return rc;
	for (size_t m = 1; m < lead->n_imgs && m < 3 && rc >= 0; m++)
		rc = add_image(d, posts, lead, m);
	rc = rc < 0 ? rc : 0;
	of_buf_init(&topics, 4096);
	for (size_t k = 0; k < n_secs && rc == 0; k++) {
		section *sec = &secs[k];
		int any = 0;
		for (size_t i = 0; i < sec->n; i++)
			any |= post_used(sec->posts[i]);
		if (!any)
			continue;
		const char *main_tag = NULL, *second_tag = NULL;
		char *h = heading_for(sec, used_tags, n_used, a, &main_tag, &second_tag);
		if (!h) {
			/* no tags: the first clause of the section's first sentence names it */
			of_npost *p = sec->posts[0];
			size_t s = 0;
			while (s < p->n_sents && p->sents[s].used == -1)
				s++;
			if (s < p->n_sents) {
				/* up to the first clause break (，～！？： or a space); a sentence with none
				 * would be its own heading, said twice: then no heading, the paragraph
				 * goes on under the one before. A clause that only says when is no
				 * heading either ("11月19日（周四）晚8点"), nor one too long to read as one. */
				const char *t = p->norm + p->sents[s].b0;
				size_t full = p->sents[s].b1 - p->sents[s].b0, l = clause_end(t, full);
				if (only_when(t, l) || opens_list(t) || of_utf8_han_count(t, l) > HEADING_MAX_HAN)
					l = full; /* also not "## 第一": a list's first point names nothing */
				if (l < full && of_utf8_han_count(t, l) >= 2 && of_utf8_han_count(t + l, full - l) >= 2)
					h = strndup(t, l);
			}
		}
		if (h) {
			if (!of_doc_add(d, OF_BLK_HEADING, h))
				return of_error_set_oom();
			if (main_tag) {
				used_tags[n_used++] = (char *)main_tag;
				if (second_tag)
					used_tags[n_used++] = (char *)second_tag;
				if (++n_topics <= 3) { /* the title names the first three sections' topics */
					if (of_buf_len(&topics))
						of_buf_puts(&topics, "\xE3\x80\x81");
					of_buf_puts(&topics, main_tag);
				}
			}
		}
		int first_para = 1, prev_conn = 0;
		for (size_t i = 0; i < sec->n && rc == 0; i++) {
			of_npost *p = sec->posts[i];
			if (!post_used(p))
				continue;
			const char *conn = NULL;
			size_t s0 = 0;
			while (s0 < p->n_sents && p->sents[s0].used != 1)
				s0++;
			/* 另外/此外 before every later paragraph reads like a list being recited:
			 * none after a paragraph that had one, none where a time word already
			 * moves the story on (周末收到…, 下周四…) */
			if (!first_para && !prev_conn && a->n_connectives && s0 < p->n_sents && !p->sents[s0].dependent &&
			    !opens_with_time(p->norm + p->sents[s0].b0) && !opens_list(p->norm + p->sents[s0].b0))
				conn = a->connectives[conn_i++ % a->n_connectives];
			prev_conn = conn != NULL;
			first_para = 0;
			if ((rc = post_paras(d, posts, p, conn, OF_BLK_PARA, 1)) < 0)
				break;
			rc = add_first_image(d, posts, p);
		}
		/* image-only posts placed in this section: the post is its photos, so up to three of them */
		for (size_t i = 0; i < n && rc == 0; i++) {
			if (posts[i].n_sents || !posts[i].n_imgs || posts[i].section != (int)(sec - secs) + 1000)
				continue;
			/* the same photo listed twice, or shown already, is not shown again */
			for (size_t m = 0, shown = 0; m < posts[i].n_imgs && shown < 3 && rc >= 0; m++)
				if ((rc = add_image(d, posts, &posts[i], m)) > 0)
					shown++;
			rc = rc < 0 ? rc : 0;
		}
	}
	for (size_t s = 0; s < lead->n_sents; s++)
		if (lead->sents[s].used == 2)
			lead->sents[s].used = 1;
	if (rc == 0) {
		tail_ctx t = {posts, tail, n_tail, ""};
		for (size_t i = 0; i < n_tail && !t.url[0]; i++)
			first_url(t.url, sizeof t.url, tail[i]);
		rc = closing(d, o, a, n_tail ? put_tail : NULL, &t, t.url[0] ? t.url : NULL);
	}
	if (rc == 0) {
		const char *kv[] = {"account", o->brand.account, "brand", o->brand.name, "topics",
				    of_buf_cstr(&topics), NULL, NULL};
		d->title = o->title ? strdup(o->title) : of_art_pick(a->title, a->n_title, kv);
		if (!d->title) {
			/* no topics at all: the lead's first sentence is the title, cut
			 * after the clause that passes TITLE_MAX_HAN (a whole sentence
			 * of 44 字 is no title), without a clause that only says when */
			const of_sent *st = &lead->sents[0];
			const char *t = lead->norm + st->b0;
			size_t full = st->b1 - st->b0, l = full, b = clause_end(t, full), skip = 0;
			if (l > 3 && memcmp(t + l - 3, "\xE3\x80\x82", 3) == 0)
				l -= 3; /* a title has no full stop */
			if (b < l && only_when(t, b)) {
				int32_t cp;
				int k = of_utf8_next(t + b, l - b, &cp);
				skip = b + (k > 0 ? (size_t)k : 1);
			} else if ((skip = date_prefix(t, l)) > 0 && of_utf8_han_count(t + skip, b - skip) < 4) {
				skip = 0; /* "11月16日（周一）上架": too little left to name anything */
			}
			size_t keep = 0; /* end of the last clause kept, before its break */
			for (size_t e = skip; e < l;) {
				size_t c = e + clause_end(t + e, l - e);
				if (keep && of_utf8_han_count(t + skip, c - skip) > TITLE_MAX_HAN)
					break;
				keep = c;
				int32_t cp;
				int k = c < l ? of_utf8_next(t + c, l - c, &cp) : 0;
				if (k <= 0)
					break;
				e = c + (size_t)k;
			}
			if (keep > skip)
				l = keep;
			d->title = strndup(t + skip, l - skip);
		}
		if (!d->title)
			rc = of_error_set_oom();
	}
	of_buf_free(&topics);
	return rc;
}

int of_art_compose(of_doc *doc, of_npost *posts, size_t n, const of_article_options *o, const of_art_assets *a)
{
	of_npost **tp = NULL, *lead = NULL;
	section secs[MAX_SECTIONS] = {{0}};
	size_t nt = 0, n_secs, total_sents = 0;
	double top = 0;
	int rc = 0;
	sref *pool = NULL;
	memset(doc, 0, sizeof *doc);
	if (!(tp = calloc(n + 1, sizeof *tp)))
		return of_error_set_oom();
	for (size_t i = 0; i < n; i++) {
		posts[i].score = (double)posts[i].post->likes + (double)posts[i].han / 4.0 - 30.0 * (double)posts[i].lint_hits;
		if (posts[i].n_sents) {
			tp[nt++] = &posts[i];
			total_sents += posts[i].n_sents;
		}
	}
	if (!nt) {
		free(tp);
		return of_error_set(OF_EINVALID, "no post has usable text (%zu post%s: %s empty, emoji-only or images only)",
				    n, n == 1 ? "" : "s", n == 1 ? "it is" : "all are");
	}
	qsort(tp, nt, sizeof *tp, cmp_score);
	lead = tp[0];
	top = lead->score > 1 ? lead->score : 1;
	/* tiny greetings and exclamations (早安, 晚上好呀！) carry nothing: out from the start */
	for (size_t i = 0; i < nt; i++)
		for (size_t s = 0; s < tp[i]->n_sents; s++)
			tp[i]->sents[s].used = short_sentence_kept(tp[i], s);
	drop_repeats(tp, nt, o->cta ? o->cta : o->brand.live_cta);
	score_sentences(posts, n, top, a);

	/* sections from the other posts: clusters in time order, posts in time order inside;
	 * the lead, then the posts announcing the promoted live (at most two, the
	 * latest), are kept at the end of tp, out of the clustering */
	qsort(tp, nt, sizeof *tp, cmp_time);
	char day[64];
	live_day(day, sizeof day, o->brand.live_time);
	size_t nr = 0, n_tail = 0;
	of_npost *tail[2];
	for (size_t i = nt; i-- > 0;)
		if (tp[i] != lead && n_tail < 2 && announces_live(tp[i], day, o->brand.live_title))
			tail[n_tail++] = tp[i];
	if (n_tail == 2) { /* in time order */
		of_npost *x = tail[0];
		tail[0] = tail[1];
		tail[1] = x;
	}
	for (size_t i = 0; i < nt; i++)
		if (tp[i] != lead && (!n_tail || tp[i] != tail[0]) && (n_tail < 2 || tp[i] != tail[1]))
			tp[nr++] = tp[i];
	tp[nr] = lead;
	for (size_t i = 0; i < n_tail; i++)
		tp[nr + 1 + i] = tail[i];
	size_t k = (nr + 1) / 3;
	k = k < 2 ? 2 : k > MAX_SECTIONS ? MAX_SECTIONS : k;
	if (k > nr)
		k = nr;
	if (nr)
		cluster(tp, nr, k);
	n_secs = 0;
	for (size_t i = 0; i < nr; i++) {
		size_t s;
		for (s = 0; s < n_secs; s++)
			if (secs[s].posts[0]->section == tp[i]->section)
				break;
		if (s == n_secs) {
			if (!(secs[s].posts = calloc(nt, sizeof *secs[s].posts))) {
				rc = of_error_set_oom();
				goto done;
			}
			secs[s].first_time = tp[i]->post->has_time ? tp[i]->post->epoch : 0;
			secs[s].first_index = i;
			n_secs++;
		}
		secs[s].posts[secs[s].n++] = tp[i];
	}
	qsort(secs, n_secs, sizeof *secs, cmp_section);
	for (size_t s = 0; s < n_secs; s++)
		for (size_t i = 0; i < secs[s].n; i++)
			secs[s].posts[i]->section = (int)s;
	/* image-only posts go to the section sharing most tags (else the first) */
	for (size_t i = 0; i < n; i++) {
		if (posts[i].n_sents || !posts[i].n_imgs)
			continue;
		size_t best = 0;
		double bw = 0;
		for (size_t s = 0; s < n_secs; s++)
			for (size_t m = 0; m < secs[s].n; m++) {
				double w = tag_jaccard(&posts[i], secs[s].posts[m]);
				if (w > bw) {
					bw = w;
					best = s;
				}
			}
		posts[i].section = (int)best + 1000;
	}

	/* trim the weakest sentences until the length target is met */
	if (!(pool = malloc((total_sents + 1) * sizeof *pool))) {
		rc = of_error_set_oom();
		goto done;
	}
	size_t np = 0;
	for (size_t i = 0; i < nt; i++)
		for (size_t s = 0; s < tp[i]->n_sents; s++)
			pool[np++] = (sref){tp[i], s};
	size_t target = (size_t)o->max_chars - (size_t)(o->max_chars - o->min_chars) / 5;
	for (;;) {
		if ((rc = build(doc, posts, n, lead, secs, n_secs, tail, n_tail, o, a)) < 0)
			goto done;
		size_t han = of_doc_han(doc);
		if (han <= target)
			break;
		/* the weakest removable sentence: never the lead's first */
		sref *w = NULL;
		for (size_t i = 0; i < np; i++) {
			of_sent *st = &pool[i].p->sents[pool[i].s];
			if (st->used != 1 || (pool[i].p == lead && pool[i].s == 0))
				continue;
			if (!w || st->score < w->p->sents[w->s].score)
				w = &pool[i];
		}
		if (!w)
			break;
		size_t drop = w->p->sents[w->s].han;
		if (han - drop < (size_t)o->min_chars)
			break;
		w->p->sents[w->s].used = 0;
		/* sentences leaning on it go with it */
		for (size_t s = w->s + 1; s < w->p->n_sents && w->p->sents[s].dependent; s++)
			if (w->p->sents[s].used == 1)
				w->p->sents[s].used = 0;
			else
				break;
	}
	/* a date said again right after the sentence before was left out of the
	 * paragraph (para_from): the sentence's span starts after it now, for the
	 * trace and the tense lint. Last first: a sentence's test reads the one before. */
	for (size_t i = 0; i < doc->n_blocks; i++) {
		const of_block *blk = &doc->blocks[i];
		for (size_t j = blk->n_srcs; j-- > 1;) {
			if (blk->srcs[j].post != blk->srcs[j - 1].post || blk->srcs[j].sent != blk->srcs[j - 1].sent + 1)
				continue;
			of_npost *p = &posts[blk->srcs[j].post];
			of_sent *st = &p->sents[blk->srcs[j].sent];
			const char *instead;
			size_t skip = of_art_repeat_date(p, blk->srcs[j].sent, &instead);
			st->c0 += of_utf8_count(p->norm + st->b0, skip);
			st->b0 += skip;
		}
	}
	/* summary: the lead's first sentence, at most 120 characters (the WeChat limit) */
	{
		const of_sent *st = &lead->sents[0];
		size_t end = st->b1;
		if (st->c1 - st->c0 > 120)
			end = st->b0 + of_utf8_offset(lead->norm + st->b0, st->b1 - st->b0, 117);
		doc->summary = strndup(lead->norm + st->b0, end - st->b0);
		if (!doc->summary) {
			rc = of_error_set_oom();
			goto done;
		}
	}
	/* front-matter tags: the tags of used posts, most shared first */
	{
		tagc tc[128];
		size_t ntc = 0, ord = 0;
		for (size_t i = 0; i < nt; i++) {
			if (!post_used(tp[i]))
				continue;
			for (size_t t = 0; t < tp[i]->n_tags; t++) {
				size_t m;
				for (m = 0; m < ntc; m++)
					if (strcmp(tc[m].tag, tp[i]->tags[t]) == 0)
						break;
				if (m == ntc) {
					if (ntc == 128)
						continue;
					tc[ntc++] = (tagc){tp[i]->tags[t], 0, ord++};
				}
				tc[m].w += 1;
			}
		}
		qsort(tc, ntc, sizeof *tc, cmp_tagcount);
		for (size_t m = 0; m < ntc && m < 8; m++)
			if (push_str(&doc->tags, &doc->n_tags, tc[m].tag) < 0) {
				rc = of_error_set_oom();
				goto done;
			}
	}
done:
	for (size_t s = 0; s < MAX_SECTIONS; s++)
		free(secs[s].posts);
	free(pool);
	free(tp);
	return rc;
}
