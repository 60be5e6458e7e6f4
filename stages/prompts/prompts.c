/* prompts.c — stage 4 driver: read every log into the model, analyse each
 * distinct text once, mark streamer answers, floods and echoes, cluster the
 * actionable comments, rank the clusters, render their prompts, write outputs. */
#include "prompts_model.h"
#include "prompts_read.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/utf8.h"
#include "onefish/fileio.h"
#include "onefish/lint.h"
#include "onefish/log.h"
#include "onefish/template.h"

#include <math.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

/* ---- a u64 → u32 open-addressing map ---- */

/* Key and value side by side: a probe of a table larger than the cache costs
 * one miss instead of two. */
typedef struct u64slot {
	uint64_t k;
	uint32_t v;
} u64slot;

typedef struct u64map {
	u64slot *s;
	size_t cap, n;
} u64map;

static int map_grow(u64map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	u64slot *t = malloc(cap * sizeof *t);
	if (!t)
		return of_error_set_oom();
	for (size_t i = 0; i < cap; i++)
		t[i].v = PR_NONE;
	for (size_t i = 0; i < m->cap; i++)
		if (m->s[i].v != PR_NONE) {
			size_t s = (size_t)(m->s[i].k * 0x9E3779B97F4A7C15ULL >> 20) & (cap - 1);
			while (t[s].v != PR_NONE)
				s = (s + 1) & (cap - 1);
			t[s] = m->s[i];
		}
	free(m->s);
	m->s = t;
	m->cap = cap;
	return 0;
}

/* Slot of `key`; *found says whether it holds the key (else it is free for it). */
static uint32_t *map_slot(u64map *m, uint64_t key, int *found)
{
	if ((m->n + 1) * 2 > m->cap && map_grow(m) != 0)
		return NULL;
	size_t s = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 20) & (m->cap - 1);
	while (m->s[s].v != PR_NONE && m->s[s].k != key)
		s = (s + 1) & (m->cap - 1);
	*found = m->s[s].v != PR_NONE;
	if (!*found) {
		m->s[s].k = key;
		m->n++; /* the caller stores the value now */
	}
	return &m->s[s].v;
}

static void map_free(u64map *m)
{
	free(m->s);
	memset(m, 0, sizeof *m);
}

/* ---- model storage ---- */

static size_t arena_put(pr_model *m, const char *s, size_t n)
{
	if (m->arena_len + n + 1 > m->arena_cap) {
		size_t cap = m->arena_cap ? m->arena_cap : 1 << 20;
		while (m->arena_len + n + 1 > cap)
			cap *= 2;
		char *a = realloc(m->arena, cap);
		if (!a)
			return (size_t)-1;
		m->arena = a;
		m->arena_cap = cap;
	}
	size_t off = m->arena_len;
	memcpy(m->arena + off, s, n);
	m->arena[off + n] = 0;
	m->arena_len += n + 1;
	return off;
}

#define GROW(arr, n, cap)                                                                  \
	do {                                                                               \
		if ((n) == (cap)) {                                                        \
			size_t nc_ = (cap) ? (cap) * 2 : 1024;                             \
			void *p_ = realloc((arr), nc_ * sizeof *(arr));                    \
			if (!p_)                                                           \
				return of_error_set_oom();                                 \
			(arr) = p_;                                                        \
			(cap) = nc_;                                                       \
		}                                                                          \
	} while (0)

typedef struct reader_ctx {
	pr_model *m;
	u64map texts, users;
	of_normalizer *nz;
	of_lexicons *lx;
	uint32_t file;
	int cb_err; /* the model (not the log) failed: never a reason to skip a log */
} reader_ctx;

static int on_comment(const of_comment *c, void *payload)
{
	reader_ctx *rc = payload;
	pr_model *m = rc->m;
	int found, err;
	uint64_t h = of_xxh64(c->text, c->text_len, 0x6f6e65);
	uint32_t *slot = map_slot(&rc->texts, h, &found);
	pr_item *it;
	if (!slot)
		return OF_ENOMEM;
	if (!found) {
		of_analysis a;
		pr_text *t;
		GROW(m->texts, m->n_texts, m->cap_texts);
		if ((err = of_analyze__text(rc->nz, rc->lx, c->text, c->text_len, &a)) != 0) {
			of_analysis__clear(&a);
			return err;
		}
		t = &m->texts[m->n_texts];
		t->hash = h;
		t->raw = arena_put(m, c->text, c->text_len);
		t->raw_len = (uint32_t)c->text_len;
		t->norm = arena_put(m, a.norm, strlen(a.norm));
		t->key = arena_put(m, a.key, strlen(a.key));
		t->intent = (uint8_t)a.intent;
		t->rule = (uint8_t)a.rule;
		t->myth = (uint8_t)a.myth;
		t->topic = (uint8_t)a.topic;
		of_analysis__clear(&a);
		if (t->raw == (size_t)-1 || t->norm == (size_t)-1 || t->key == (size_t)-1)
			return of_error_set_oom();
		*slot = (uint32_t)m->n_texts++;
	}
	GROW(m->items, m->n_items, m->cap_items);
	it = &m->items[m->n_items];
	memset(it, 0, sizeof *it);
	it->text = *slot;
	{
		const char *uid = c->user_id[0] ? c->user_id : c->user_name;
		uint64_t uh = of_xxh64(uid, strlen(uid), 0x75736572);
		uint32_t *us = map_slot(&rc->users, uh, &found);
		if (!us)
			return OF_ENOMEM;
		if (!found) {
			GROW(m->users, m->n_users, m->cap_users);
			m->users[m->n_users].id = arena_put(m, uid, strlen(uid));
			m->users[m->n_users].name = arena_put(m, c->user_name, strlen(c->user_name));
			*us = (uint32_t)m->n_users++;
		}
		it->user = *us;
	}
	it->file = rc->file;
	it->line = (uint32_t)c->line;
	it->id = c->id && c->id[0] ? arena_put(m, c->id, strlen(c->id)) : (size_t)-1;
	it->time = c->time;
	it->weight = (float)(c->weight > 0 ? c->weight : 1);
	it->kind = (uint8_t)c->kind;
	{
		of_intent in = (of_intent)m->texts[*slot].intent;
		of_rule ru = (of_rule)m->texts[*slot].rule;
		of_analysis__for_comment(&in, &ru, c);
		it->intent = (uint8_t)in;
		it->rule = (uint8_t)ru;
	}
	if (c->host)
		it->flags |= PR_HOST_BADGE;
	else if (c->moderator)
		it->flags |= PR_MOD_BADGE;
	it->cluster = PR_NONE;
	m->n_items++;
	if ((m->n_items & 0x3FFFF) == 0)
		of_log_progress("prompts", (double)m->n_items, 0, "comments");
	return 0;
}

static int on_comment_checked(const of_comment *c, void *payload)
{
	int err = on_comment(c, payload);
	if (err)
		((reader_ctx *)payload)->cb_err = err;
	return err;
}

/* What the model held before a log was read: a log that fails is taken out whole. */
typedef struct pr_mark {
	size_t items, texts, users, arena;
	of_comments_stats cst;
} pr_mark;

static int rollback(reader_ctx *rc, const pr_mark *k)
{
	pr_model *m = rc->m;
	int found;
	m->n_items = k->items;
	m->n_texts = k->texts;
	m->n_users = k->users;
	m->arena_len = k->arena;
	m->cst = k->cst;
	map_free(&rc->texts);
	map_free(&rc->users);
	for (size_t i = 0; i < m->n_texts; i++) {
		uint32_t *s = map_slot(&rc->texts, m->texts[i].hash, &found);
		if (!s)
			return OF_ENOMEM;
		*s = (uint32_t)i;
	}
	for (size_t u = 0; u < m->n_users; u++) {
		const char *uid = pr_str(m, m->users[u].id);
		uint32_t *s = map_slot(&rc->users, of_xxh64(uid, strlen(uid), 0x75736572), &found);
		if (!s)
			return OF_ENOMEM;
		*s = (uint32_t)u;
	}
	return 0;
}

/* A log that cannot be used (unreadable, unknown format, refused by a guard or a
 * limit) is skipped when others are given; a model failure or an interrupt never is. */
static int skippable(int err)
{
	return err == OF_EINVALID || err == OF_ELIMIT || err == OF_ENOTFOUND || err == OF_ERROR || err == OF_EMEDIA;
}

static int is_actionable(int intent)
{
	return intent == OF_INTENT_QUESTION || intent == OF_INTENT_PURCHASE || intent == OF_INTENT_COMPLAINT ||
	       intent == OF_INTENT_REQUEST;
}

/* Users named in options->streamer, who wrote an answer ("主播：..."), or whom the
 * platform marks as the channel's owner (of_comment.host) are the host; users it
 * marks as the channel's moderators (of_comment.moderator) are staff too. Both
 * speak for the stream: their lines are answers, never a viewer's ask. A role
 * holds for the whole log, as a badge does on every line of its user. */
enum { USER_VIEWER, USER_MODERATOR, USER_HOST };
static int mark_streamer(pr_model *m, const of_prompts_options *o)
{
	unsigned char *host = calloc(m->n_users ? m->n_users : 1, 1);
	if (!host)
		return of_error_set_oom();
	for (size_t i = 0; i < m->n_items; i++) {
		unsigned char *u = &host[m->items[i].user];
		if (m->items[i].rule == OF_RULE_ANSWER || (m->items[i].flags & PR_HOST_BADGE))
			*u = USER_HOST;
		else if ((m->items[i].flags & PR_MOD_BADGE) && *u == USER_VIEWER)
			*u = USER_MODERATOR;
	}
	if (o->streamer && *o->streamer) {
		for (size_t u = 0; u < m->n_users; u++) {
			const char *names[2] = {pr_str(m, m->users[u].id), pr_str(m, m->users[u].name)};
			for (int k = 0; k < 2; k++) {
				size_t n = strlen(names[k]);
				const char *p = o->streamer;
				while (n && *p) {
					const char *comma = strchr(p, ',');
					size_t len = comma ? (size_t)(comma - p) : strlen(p);
					if (len == n && memcmp(p, names[k], n) == 0)
						host[u] = USER_HOST;
					p = comma ? comma + 1 : p + len;
				}
			}
		}
	}
	for (size_t i = 0; i < m->n_items; i++) {
		pr_item *it = &m->items[i];
		if (host[it->user] == USER_VIEWER)
			continue;
		it->flags |= PR_STREAMER;
		if (host[it->user] == USER_MODERATOR) {
			it->flags |= PR_MODERATOR;
			m->moderator_comments++;
		} else {
			m->streamer_comments++;
		}
		if (it->intent != OF_INTENT_SPAM) {
			it->intent = OF_INTENT_CHATTER;
			it->rule = OF_RULE_ANSWER;
		}
	}
	free(host);
	return 0;
}

/* The same text repeated by the same user within the window: only the first
 * counts. Each user's last text is kept in an array (one slot per user), so
 * this stays cache-friendly at a million comments. */
static int mark_floods(pr_model *m, double window)
{
	uint32_t *last = malloc((m->n_users + 1) * sizeof *last);
	if (!last)
		return of_error_set_oom();
	memset(last, 0xFF, (m->n_users + 1) * sizeof *last);
	for (size_t i = 0; i < m->n_items; i++) {
		pr_item *it = &m->items[i];
		uint32_t prev = last[it->user];
		if (prev != PR_NONE && m->items[prev].text == it->text && fabs(it->time - m->items[prev].time) <= window &&
		    it->intent != OF_INTENT_SPAM) {
			it->flags |= PR_FLOOD;
			m->floods++;
		} else {
			last[it->user] = (uint32_t)i;
		}
	}
	free(last);
	return 0;
}

typedef struct ckey {
	uint32_t root, item;
} ckey;

/* Sorts `n` keys ascending: LSD radix by byte, skipping bytes all keys share (the
 * (cluster, user/minute) pairs use few of them); a comparison sort of every clustered
 * comment was a visible share of the million-comment benchmark. */
static int sort_u64(uint64_t *a, size_t n)
{
	uint64_t *tmp, *src = a, *dst, or_all = 0, and_all = ~(uint64_t)0;
	if (n < 2)
		return 0;
	if (!(tmp = malloc(n * sizeof *tmp)))
		return of_error_set_oom();
	dst = tmp;
	for (size_t i = 0; i < n; i++)
		or_all |= a[i], and_all &= a[i];
	for (int shift = 0; shift < 64; shift += 8) {
		size_t cnt[256] = {0}, pos = 0;
		if ((((or_all ^ and_all) >> shift) & 0xFF) == 0)
			continue; /* this byte is the same in every key */
		for (size_t i = 0; i < n; i++)
			cnt[(src[i] >> shift) & 0xFF]++;
		for (int b = 0; b < 256; b++) {
			size_t c = cnt[b];
			cnt[b] = pos;
			pos += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[cnt[(src[i] >> shift) & 0xFF]++] = src[i];
		uint64_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof *a);
	free(tmp);
	return 0;
}

static int cmp_cluster(const void *a, const void *b)
{
	const pr_cluster *x = a, *y = b;
	if (x->users != y->users)
		return x->users > y->users ? -1 : 1;
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->first_item < y->first_item ? -1 : x->first_item > y->first_item;
}

/* Intents whose lexicon files entries under topics (complaint.txt, purchase.txt). */
static int has_topic(int intent)
{
	return intent == OF_INTENT_COMPLAINT || intent == OF_INTENT_PURCHASE;
}

/* Groups the actionable comments and fills m->clusters, ranked. */
static int build_clusters(pr_model *m, const of_prompts_options *o, const of_lexicons *lx)
{
	u64map uniq = {0};
	uint32_t *ukey_item = NULL, *root = NULL, *of_item = NULL, *cl_of_root = NULL, *rank = NULL;
	const char **keys = NULL, **norms = NULL;
	int *group = NULL;
	uint64_t *pairs = NULL;
	size_t nu = 0, capu = 0, i, np = 0;
	int rc = 0;
	of_item = malloc((m->n_items + 1) * sizeof *of_item);
	if (!of_item)
		return of_error_set_oom();
	/* distinct (key, intent) pairs: the clustering works on those */
	for (i = 0; i < m->n_items; i++) {
		pr_item *it = &m->items[i];
		int found;
		of_item[i] = PR_NONE;
		if (!is_actionable(it->intent) || it->rule == OF_RULE_ORDERED || (it->flags & (PR_FLOOD | PR_STREAMER)))
			continue;
		const pr_text *tx = &m->texts[it->text];
		/* complaints or purchase asks filed under one topic (声音好小, 主播声音太小了,
		 * 听不清; 链接在哪, 小黄车在哪, 怎么买) are one problem or need in different
		 * words: they share one key, so one cluster */
		const char *topic = has_topic(it->intent) ? of_lexicons__topic(lx, tx->topic) : NULL;
		uint64_t k = topic ? of_xxh64(topic, strlen(topic), 0x746f706963ULL ^ it->intent)
				   : of_xxh64(pr_str(m, tx->key), strlen(pr_str(m, tx->key)), it->intent);
		uint32_t *s = map_slot(&uniq, k, &found);
		if (!s) {
			rc = OF_ENOMEM;
			goto done;
		}
		if (!found) {
			if (nu == capu) {
				capu = capu ? capu * 2 : 1024;
				uint32_t *g = realloc(ukey_item, capu * sizeof *g);
				if (!g) {
					rc = of_error_set_oom();
					goto done;
				}
				ukey_item = g;
			}
			ukey_item[nu] = (uint32_t)i;
			*s = (uint32_t)nu++;
		}
		of_item[i] = *s;
	}
	keys = malloc((nu + 1) * sizeof *keys);
	norms = malloc((nu + 1) * sizeof *norms);
	group = malloc((nu + 1) * sizeof *group);
	root = malloc((nu + 1) * sizeof *root);
	cl_of_root = malloc((nu + 1) * sizeof *cl_of_root);
	if (!keys || !norms || !group || !root || !cl_of_root) {
		rc = of_error_set_oom();
		goto done;
	}
	for (i = 0; i < nu; i++) {
		const pr_item *it = &m->items[ukey_item[i]];
		keys[i] = pr_str(m, m->texts[it->text].key);
		norms[i] = pr_str(m, m->texts[it->text].norm);
		group[i] = it->intent;
	}
	if ((rc = of_cluster__keys(keys, norms, lx, group, nu, o->similarity > 0 ? o->similarity : 0.4, root)) != 0)
		goto done;
	/* one cluster per root, numbered by first appearance */
	for (i = 0; i < nu; i++)
		cl_of_root[i] = PR_NONE;
	m->n_clusters = 0;
	for (i = 0; i < m->n_items; i++)
		if (of_item[i] != PR_NONE) {
			uint32_t r = root[of_item[i]];
			if (cl_of_root[r] == PR_NONE)
				cl_of_root[r] = (uint32_t)m->n_clusters++;
			m->items[i].cluster = cl_of_root[r];
		}
	m->clusters = calloc(m->n_clusters + 1, sizeof *m->clusters);
	pairs = malloc((m->n_items + 1) * sizeof *pairs);
	if (!m->clusters || !pairs) {
		rc = of_error_set_oom();
		goto done;
	}
	for (i = 0; i < m->n_clusters; i++)
		m->clusters[i].first_item = PR_NONE;
	/* echoes ("同问", "+1") join the last actionable comment within the window before them */
	{
		size_t last = (size_t)-1;
		for (i = 0; i < m->n_items; i++) {
			pr_item *it = &m->items[i];
			if (it->cluster != PR_NONE)
				last = i;
			else if (it->rule == OF_RULE_ECHO && !(it->flags & PR_FLOOD) && last != (size_t)-1 &&
				 fabs(it->time - m->items[last].time) <= o->flood_window) {
				it->cluster = m->items[last].cluster;
				it->flags |= PR_ECHO_USED;
				m->echoes_attached++;
			}
		}
	}
	for (i = 0; i < m->n_items; i++) {
		pr_item *it = &m->items[i];
		pr_cluster *c;
		if (it->cluster == PR_NONE)
			continue;
		c = &m->clusters[it->cluster];
		if (c->first_item == PR_NONE) {
			c->first_item = (uint32_t)i;
			c->intent = it->intent;
			c->first = it->time;
		}
		if (it->time < c->first)
			c->first = it->time;
		if (it->flags & PR_ECHO_USED) {
			c->echoes++;
			c->weight += 0.5;
		} else {
			c->count++;
			c->weight += it->weight;
			c->superchats += it->kind == OF_COMMENT_SUPERCHAT;
		}
		pairs[np++] = ((uint64_t)it->cluster << 32) | it->user;
	}
	if ((rc = sort_u64(pairs, np)) != 0)
		goto done;
	for (i = 0; i < np; i++)
		if (i == 0 || pairs[i] != pairs[i - 1])
			m->clusters[pairs[i] >> 32].users++;
	/* peak minute: (cluster, minute) pairs counted the same way */
	np = 0;
	for (i = 0; i < m->n_items; i++)
		if (m->items[i].cluster != PR_NONE) {
			double t = m->items[i].time - m->t_min;
			pairs[np++] = ((uint64_t)m->items[i].cluster << 32) | (uint32_t)(t > 0 ? t / 60 : 0);
		}
	if ((rc = sort_u64(pairs, np)) != 0)
		goto done;
	{
		size_t best = 0, run = 0;
		for (i = 0; i < np; i++) {
			run = (i && pairs[i] == pairs[i - 1]) ? run + 1 : 1;
			if (i == 0 || (pairs[i] >> 32) != (pairs[i - 1] >> 32))
				best = 0;
			if (run > best) {
				best = run;
				m->clusters[pairs[i] >> 32].peak = m->t_min + 60.0 * (double)(uint32_t)pairs[i];
				m->clusters[pairs[i] >> 32].peak_n = run;
			}
		}
	}
	/* Representative: the commonest wording, counted by key, so that "多少钱", "多少钱啊" and
	 * "多少錢？" are one wording and outnumber a question typed once; ties: the more specific
	 * wording (a longer key: "辅食机多少钱" names what "多少钱？" asks about), then the commonest
	 * text of it, then one with a "?", then the shorter, then the earlier. Examples: distinct
	 * keys in order of appearance ("吃吗" and "吃吗？" are one). */
	{
		u64map kmap = {0}, tmap = {0};
		uint32_t *kcount = calloc(m->n_items + 1, sizeof *kcount), *tcount = calloc(m->n_items + 1, sizeof *tcount);
		uint32_t *kslot = calloc(m->n_items + 1, sizeof *kslot), *tslot = calloc(m->n_items + 1, sizeof *tslot);
		uint64_t *khash = malloc((m->n_texts + 1) * sizeof *khash); /* per distinct text, once */
		size_t nk = 0, nt = 0;
		if (!kcount || !tcount || !kslot || !tslot || !khash) {
			rc = of_error_set_oom();
			goto rep_done;
		}
		for (i = 0; i < m->n_texts; i++) {
			const char *key = pr_str(m, m->texts[i].key);
			khash[i] = of_xxh64(key, strlen(key), 0);
		}
		for (i = 0; i < m->n_items; i++) {
			pr_item *it = &m->items[i];
			int found;
			if (it->cluster == PR_NONE || (it->flags & PR_ECHO_USED))
				continue;
			uint32_t *ks = map_slot(&kmap, khash[it->text] ^ ((uint64_t)it->cluster * 0x9E3779B97F4A7C15ULL), &found);
			if (!ks) {
				rc = OF_ENOMEM;
				goto rep_done;
			}
			if (!found)
				*ks = (uint32_t)nk++;
			kslot[i] = *ks;
			kcount[*ks]++;
			uint32_t *ts = map_slot(&tmap, ((uint64_t)it->cluster << 32) | it->text, &found);
			if (!ts) {
				rc = OF_ENOMEM;
				goto rep_done;
			}
			if (!found)
				*ts = (uint32_t)nt++;
			tslot[i] = *ts;
			tcount[*ts]++;
			pr_cluster *c = &m->clusters[it->cluster];
			if (tcount[*ts] == 1 && kcount[*ks] == 1 && c->n_examples < 5)
				c->examples[c->n_examples++] = it->text;
		}
		uint32_t *rep_item = malloc((m->n_clusters + 1) * sizeof *rep_item);
		if (!rep_item) {
			rc = of_error_set_oom();
			goto rep_done;
		}
		for (i = 0; i < m->n_clusters; i++)
			rep_item[i] = PR_NONE;
		for (i = 0; i < m->n_items; i++) {
			const pr_item *it = &m->items[i];
			if (it->cluster == PR_NONE || (it->flags & PR_ECHO_USED))
				continue;
			uint32_t r = rep_item[it->cluster];
			if (r == PR_NONE) {
				rep_item[it->cluster] = (uint32_t)i;
				continue;
			}
			const pr_text *a = &m->texts[it->text], *bt = &m->texts[m->items[r].text];
			if (it->text == m->items[r].text)
				continue;
			long d = (long)kcount[kslot[i]] - (long)kcount[kslot[r]];
			if (!d)
				d = (long)strlen(pr_str(m, a->key)) - (long)strlen(pr_str(m, bt->key));
			if (!d)
				d = (long)tcount[tslot[i]] - (long)tcount[tslot[r]];
			if (!d)
				d = (long)(a->raw_len && strchr(pr_str(m, a->norm), '?')) -
				    (long)(bt->raw_len && strchr(pr_str(m, bt->norm), '?'));
			if (!d)
				d = (long)bt->raw_len - (long)a->raw_len;
			if (d > 0)
				rep_item[it->cluster] = (uint32_t)i;
		}
		for (i = 0; i < m->n_clusters; i++)
			m->clusters[i].rep_text = m->items[rep_item[i]].text;
		free(rep_item);
	rep_done:
		free(khash);
		free(kcount);
		free(tcount);
		free(kslot);
		free(tslot);
		map_free(&kmap);
		map_free(&tmap);
		if (rc)
			goto done;
	}
	for (i = 0; i < m->n_clusters; i++) {
		m->clusters[i].myth = m->texts[m->clusters[i].rep_text].myth;
		if (has_topic(m->clusters[i].intent))
			m->clusters[i].topic = of_lexicons__topic(lx, m->texts[m->clusters[i].rep_text].topic);
		if (m->clusters[i].peak < m->clusters[i].first) /* the peak minute started before the first ask */
			m->clusters[i].peak = m->clusters[i].first;
	}
	/* rank, then renumber the items' cluster references */
	rank = malloc((m->n_clusters + 1) * sizeof *rank);
	if (!rank) {
		rc = of_error_set_oom();
		goto done;
	}
	for (i = 0; i < m->n_clusters; i++)
		m->clusters[i].n_answers = i; /* temporary: original index */
	qsort(m->clusters, m->n_clusters, sizeof *m->clusters, cmp_cluster);
	for (i = 0; i < m->n_clusters; i++) {
		rank[m->clusters[i].n_answers] = (uint32_t)i;
		m->clusters[i].n_answers = 0;
		snprintf(m->clusters[i].id, sizeof m->clusters[i].id, "c%03u", (unsigned)((i + 1) % 10000000));
	}
	for (i = 0; i < m->n_items; i++)
		if (m->items[i].cluster != PR_NONE)
			m->items[i].cluster = rank[m->items[i].cluster];
done:
	map_free(&uniq);
	free(ukey_item);
	free(root);
	free(of_item);
	free(cl_of_root);
	free(rank);
	free(keys);
	free(norms);
	free(group);
	free(pairs);
	return rc;
}

/* 1 when `q` and `a` share a run of two characters (three for Latin letters and digits) that is
 * not part of a word addressing the host ("主播"): one shared character (好, 小) says nothing. */
static int shares_run(const of_lexicons *lx, const char *q, const char *a)
{
	size_t ql = strlen(q), al = strlen(a), i = 0;
	while (i < ql) {
		int32_t c;
		size_t j = i, n = 0;
		int ascii = 1, want = 2;
		for (int t = 0; t < want && j < ql; t++) {
			int k = of_utf8_next(q + j, ql - j, &c);
			if (k <= 0)
				break;
			ascii &= c < 0x80;
			if (t == 1 && ascii)
				want = 3;
			j += (size_t)k;
			n++;
		}
		if (n == (size_t)want && memmem(a, al, q + i, j - i) && !of_lexicons__in_answer_word(lx, q + i, j - i))
			return 1;
		int k = of_utf8_next(q + i, ql - i, &c);
		i += k > 0 ? (size_t)k : 1;
	}
	return 0;
}

/* The answers of the host (and of the channel's moderators, who answer for it) go to the top
 * cluster they cover best (asked before the answer). The answer
 * is read without its "主播：" prefix and compared with every wording among the cluster's
 * examples, not only its headline: a host answers "无酒精" to "含酒精吗" whatever the headline.
 * Cover is the larger share of either side's shingles found in the other, at least 0.3, and the
 * two must share a run of characters (shares_run). */
static int attach_answers(pr_model *m, size_t top, const of_lexicons *lx)
{
	enum { PER = 5 }; /* = the examples a cluster keeps */
	uint32_t *qsh, ash[OF_CLUSTER_MAX_SHINGLES];
	size_t *nq;
	uint32_t last_text = PR_NONE;
	size_t na = 0;
	const char *akey = "";
	if (top > m->n_clusters)
		top = m->n_clusters;
	/* the questions' shingles once, not once per answer comment */
	qsh = malloc((top * PER + 1) * OF_CLUSTER_MAX_SHINGLES * sizeof *qsh);
	nq = calloc(top * PER + 1, sizeof *nq);
	if (!qsh || !nq) {
		free(qsh);
		free(nq);
		return of_error_set_oom();
	}
	for (size_t c = 0; c < top; c++)
		for (size_t e = 0; e < m->clusters[c].n_examples && e < PER; e++)
			nq[c * PER + e] = of_cluster__shingles(pr_str(m, m->texts[m->clusters[c].examples[e]].key),
							       qsh + (c * PER + e) * OF_CLUSTER_MAX_SHINGLES);
	for (size_t i = 0; i < m->n_items; i++) {
		const pr_item *it = &m->items[i];
		double best = 0.3;
		size_t bi = (size_t)-1;
		/* a staff line that reads as noise (an emote, "666") answers nothing, whatever it shares */
		if (it->rule != OF_RULE_ANSWER || m->texts[it->text].intent == OF_INTENT_NOISE)
			continue;
		if (it->text != last_text) { /* hosts repeat their answers */
			akey = pr_str(m, m->texts[it->text].key);
			akey += of_lexicons__answer_prefix(lx, akey);
			na = of_cluster__shingles(akey, ash);
			last_text = it->text;
		}
		for (size_t c = 0; c < top; c++) {
			double cs = 0;
			int repeat = 0;
			if (m->clusters[c].first > it->time)
				continue;
			for (size_t e = 0; e < m->clusters[c].n_examples && e < PER && !repeat; e++) {
				/* either way round: a long question gets a short answer ("这款精华液有酒精吗" →
				 * "无酒精的"), a short one a long answer */
				const char *qkey = pr_str(m, m->texts[m->clusters[c].examples[e]].key);
				const uint32_t *q = qsh + (c * PER + e) * OF_CLUSTER_MAX_SHINGLES;
				double s = fmax(of_cluster__containment_sh(q, nq[c * PER + e], ash, na),
						of_cluster__containment_sh(ash, na, q, nq[c * PER + e]));
				/* the question itself, read out or relayed by a moderator, answers nothing */
				repeat = strcmp(qkey, akey) == 0;
				if (s > cs && shares_run(lx, qkey, akey))
					cs = s;
			}
			if (!repeat && cs > best) {
				best = cs;
				bi = c;
			}
		}
		if (bi != (size_t)-1) {
			pr_cluster *c = &m->clusters[bi];
			int seen = 0;
			for (size_t k = 0; k < c->n_answers; k++)
				seen |= c->answers[k] == it->text;
			if (!seen && c->n_answers < 2) {
				c->answer_by_mod[c->n_answers] = (it->flags & PR_MODERATOR) != 0;
				c->answers[c->n_answers++] = it->text;
			}
		}
	}
	free(qsh);
	free(nq);
	return 0;
}

const char *of_prompts__template(const pr_cluster *c)
{
	switch (c->intent) {
	case OF_INTENT_PURCHASE: return "product";
	case OF_INTENT_COMPLAINT: return "apology";
	case OF_INTENT_REQUEST: return "request";
	default: return c->myth ? "myth" : "qa";
	}
}

const char *of_prompts__clock(double secs, char *buf, size_t n)
{
	long s = (long)floor(fabs(secs) + 0.5);
	const char *sign = secs < 0 ? "-" : "";
	if (s >= 3600)
		snprintf(buf, n, "%s%ld:%02ld:%02ld", sign, s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, n, "%s%ld:%02ld", sign, s / 60, s % 60);
	return buf;
}

int of_prompts__concentrated(const pr_cluster *c)
{
	return c->peak_n >= 2 && c->peak_n * 3 >= c->count + c->echoes;
}

/* A lone comment has no peak and is not "scattered" either: a dash. */
const char *of_prompts__peak_label(const pr_cluster *c, char *buf, size_t n)
{
	if (of_prompts__concentrated(c))
		return of_prompts__clock(c->peak, buf, n);
	snprintf(buf, n, "%s", c->count + c->echoes > 1 ? "分散" : "—");
	return buf;
}

const char *of_prompts__when(const pr_cluster *c, char *buf, size_t n)
{
	char first[32], peak[32];
	of_prompts__clock(c->first, first, sizeof first);
	if (of_prompts__concentrated(c) && c->peak <= c->first)
		snprintf(buf, n, "首次 %s，一出现就有 %zu 条挤在这一分钟", first, c->peak_n);
	else if (of_prompts__concentrated(c))
		snprintf(buf, n, "首次 %s，集中在 %s 前后，一分钟内 %zu 条", first,
			 of_prompts__clock(c->peak, peak, sizeof peak), c->peak_n);
	else if (c->count + c->echoes > 1)
		snprintf(buf, n, "首次 %s，之后分散在整场", first);
	else
		snprintf(buf, n, "%s", first);
	return buf;
}

typedef struct lint_acc {
	of_buf *b;
	size_t n;
} lint_acc;

/* Each term once: a prompt quotes the question and then the viewers' words, which hold it again,
 * so the same 「最」 was listed twice in the brief and the warning. */
static void on_lint(const of_lint_hit *h, void *payload)
{
	lint_acc *a = payload;
	char entry[512];
	snprintf(entry, sizeof entry, "「%s」→「%s」", h->term, h->suggestion);
	if (a->n && strstr(of_buf_cstr(a->b), entry))
		return;
	of_buf_printf(a->b, "%s%s", a->n++ ? "；" : "", entry);
}

const char *of_prompts__answer_body(const char *s)
{
	if (strncmp(s, "【主播】", 12) == 0)
		return s + 12;
	if (strncmp(s, "[主播]", 8) == 0)
		return s + 8;
	const char *c = strstr(s, "：");
	if (c && c - s <= 12)
		return c + 3;
	c = strchr(s, ':');
	return c && c - s <= 12 ? c + 1 : s;
}

static int render_prompts(pr_model *m, const of_prompts_options *o, size_t top)
{
	of_lint *lint = NULL;
	if (of_lint_new(&lint, NULL) != 0) {
		of_log(OF_LOG_WARN, "copy lint unavailable (%s): prompts not checked", of_error_last()->message);
		lint = NULL;
	}
	for (size_t i = 0; i < top && i < m->n_clusters; i++) {
		pr_cluster *c = &m->clusters[i];
		of_buf ex, ans, lb;
		char count[32], users[32], first[32], peak[32], when[128], rel[96];
		c->tmpl = of_prompts__template(c);
		of_buf_init(&ex, 1 << 16);
		of_buf_init(&ans, 1 << 16);
		for (size_t e = 0; e < c->n_examples; e++)
			of_buf_printf(&ex, "%s「%s」", e ? "、" : "", pr_str(m, m->texts[c->examples[e]].raw));
		for (size_t a = 0; a < c->n_answers; a++)
			of_buf_printf(&ans, "%s%s", a ? "；" : "", of_prompts__answer_body(pr_str(m, m->texts[c->answers[a]].raw)));
		snprintf(count, sizeof count, "%zu", c->count + c->echoes);
		snprintf(users, sizeof users, "%zu", c->users);
		of_prompts__clock(c->first, first, sizeof first);
		of_prompts__clock(c->peak, peak, sizeof peak);
		of_prompts__when(c, when, sizeof when);
		const char *kv[] = {"brand", o->brand.name ? o->brand.name : "我们",
				    "audience", o->brand.audience ? o->brand.audience : "观众",
				    "question", pr_str(m, m->texts[c->rep_text].raw),
				    "examples", of_buf_cstr(&ex),
				    "answer", of_buf_len(&ans) ? of_buf_cstr(&ans) : "",
				    "has_answer", of_buf_len(&ans) ? "直播里的回答（先核对再用）："
						   : (c->intent == OF_INTENT_QUESTION ? "直播里还没有给出答案，请先找专业资料核对。"
										   : "直播里还没有说明，请运营补充实际安排后再写。"),
				    "count", count, "users", users, "first", first, "peak", peak,
				    "when", when,
				    "cta", o->brand.live_cta ? o->brand.live_cta : "欢迎来直播间继续问",
				    "live_title", o->brand.live_title ? o->brand.live_title : "下一场直播",
				    NULL};
		snprintf(rel, sizeof rel, "templates/prompts/%s.txt", c->tmpl);
		int rc = of_template_render_asset(&c->prompt, rel, kv);
		of_buf_free(&ex);
		of_buf_free(&ans);
		if (rc != 0) {
			of_lint_free(lint);
			return rc;
		}
		if (lint) {
			lint_acc acc;
			of_buf_init(&lb, 1 << 16);
			acc.b = &lb;
			acc.n = 0;
			of_lint_scan(lint, c->prompt, strlen(c->prompt), on_lint, &acc);
			if (acc.n) {
				c->lint = of_buf_detach(&lb, NULL);
				of_log(OF_LOG_WARN, "prompt %s: copy lint: %s", c->id, c->lint);
			}
			of_buf_free(&lb);
		}
	}
	of_lint_free(lint);
	return 0;
}

static void model_free(pr_model *m)
{
	for (size_t i = 0; i < m->n_clusters; i++) {
		free(m->clusters[i].prompt);
		free(m->clusters[i].lint);
	}
	free(m->clusters);
	free(m->arena);
	free(m->texts);
	free(m->items);
	free(m->users);
	free(m->files);
}

/* A live recorder starts a new file when the stream reconnects (or by size or
 * time), and each part counts its offsets from its own start: parts whose
 * headers give that start are lined up from the earliest, so a question asked
 * at 0:15 of part two is not charted at 0:15 of the stream. Parts more than 12
 * hours apart are not parts of one stream: left as they are. */
#define PARTS_MAX_SPAN (12 * 3600.0)
static void align_parts(pr_model *m)
{
	double lo = 0, hi = 0;
	size_t n = 0;
	for (size_t f = 0; f < m->n_files; f++) {
		double s = m->files[f].start_wall;
		if (s <= 0)
			continue;
		lo = n == 0 || s < lo ? s : lo;
		hi = n == 0 || s > hi ? s : hi;
		n++;
	}
	if (n < 2 || hi - lo > PARTS_MAX_SPAN)
		return;
	for (size_t f = 0; f < m->n_files; f++)
		if (m->files[f].start_wall > 0)
			m->files[f].shift = m->files[f].start_wall - lo;
	for (size_t i = 0; i < m->n_items; i++)
		m->items[i].time += m->files[m->items[i].file].shift;
}

int of_prompts_build(const char *const *log_paths, size_t n_paths, const of_prompts_options *opts,
		     const char *out_dir, of_stage_stats *stats)
{
	of_prompts_options defaults = OF_PROMPTS_OPTIONS_INIT;
	pr_model m;
	reader_ctx rc;
	of_comments_options co = OF_COMMENTS_OPTIONS_INIT;
	size_t top, skipped = 0;
	int err = 0;
	static const struct {
		const char *name;
		int (*fn)(const pr_model *, const of_prompts_options *, const char *);
	} writers[] = {{"prompts.md", of_prompts__write_md}, /* first: prompts.json records its sha256 */
		       {"prompts.json", of_prompts__write_json},
		       {"next-posts.jsonl", of_prompts__write_next_posts},
		       {"comments.svg", of_prompts__write_svg}};
	if (!opts)
		opts = &defaults;
	memset(&m, 0, sizeof m);
	memset(&rc, 0, sizeof rc);
	rc.m = &m;
	if (n_paths == 0)
		return of_error_set(OF_EUSAGE, "no comment log given");
	if ((err = of_file_guard_edit(out_dir, "prompts.md", "prompts.json", "prompts_md_sha256", opts->force)) < 0)
		return err;
	if (opts->format && (co.format = of_comments_format_from_name(opts->format)) == (of_comments_format)-1)
		return of_error_set(OF_EUSAGE, "unknown comment format '%s'", opts->format);
	if ((int)co.format < 0)
		co.format = OF_COMMENTS_AUTO;
	co.strict = opts->flags.strict;
	co.max_comment_bytes = opts->max_comment_bytes;
	co.csv_text_col = opts->csv_text;
	co.csv_time_col = opts->csv_time;
	co.csv_user_col = opts->csv_user;
	if ((err = of_lexicons__load(&rc.lx)) != 0 || (err = of_normalizer__new(&rc.nz)) != 0)
		goto done;
	m.files = calloc(n_paths, sizeof *m.files);
	if (!m.files) {
		err = of_error_set_oom();
		goto done;
	}
	for (size_t f = 0; f < n_paths; f++) {
		size_t before = m.n_items;
		pr_mark mark = {m.n_items, m.n_texts, m.n_users, m.arena_len, m.cst};
		rc.file = (uint32_t)m.n_files;
		rc.cb_err = 0;
		m.cst.start_wall = 0;
		m.cst.platform[0] = 0;
		m.files[m.n_files].path = log_paths[f];
		if ((err = of_prompts__read_log(log_paths[f], &co, &opts->flags, on_comment_checked, &rc, &m.cst)) != 0) {
			const of_error *e = of_error_last();
			if (err > 0)
				err = OF_ERROR;
			/* a parser's own words ("Document is empty") do not say that the format was forced;
			 * a reader that named --format itself said so already */
			if (co.format != OF_COMMENTS_AUTO && err == OF_EINVALID && !rc.cb_err && !strstr(e->message, "--format")) {
				of_error copy = *e;
				of_error_set_at(copy.code, copy.path, copy.line, copy.col,
						"%s (read as %s because of --format; is it another format?)", copy.message,
						of_comments_format_name(co.format));
			}
			if (co.strict || rc.cb_err || !skippable(err) || n_paths == 1)
				goto done;
			of_log_warn_at(e->path[0] ? e->path : log_paths[f], e->line, e->col, "%s; this log is skipped",
				       e->message);
			skipped++;
			if ((err = rollback(&rc, &mark)) != 0)
				goto done;
			continue;
		}
		m.files[m.n_files].format = m.cst.format;
		m.files[m.n_files].encoding = m.cst.gb18030 > mark.cst.gb18030 ? "gb18030"
					      : m.cst.utf16 > mark.cst.utf16   ? "utf-16"
									   : NULL;
		m.files[m.n_files].comments = m.n_items - before;
		m.files[m.n_files].start_wall = m.cst.start_wall;
		memcpy(m.files[m.n_files].platform, m.cst.platform, sizeof m.cst.platform);
		if (m.files[m.n_files].comments == 0) {
			/* Every record bad, or a forced format whose reader passed over every line it saw as
			 * not its own (--format irc on a danmaku XML): not a quiet stream but a log read the
			 * wrong way. A header-only CSV, a danmaku file with no <d>: a quiet stream, used. */
			size_t bad = m.cst.bad - mark.cst.bad, passed = m.cst.ignored - mark.cst.ignored;
			int forced = co.format != OF_COMMENTS_AUTO && passed > 0;
			if (bad || forced) {
				char what[64];
				if (co.format != OF_COMMENTS_AUTO)
					snprintf(what, sizeof what, " as %s (--format)", of_comments_format_name(co.format));
				else
					what[0] = 0;
				char why[64];
				if (bad)
					snprintf(why, sizeof why, "%zu record%s bad", bad, bad == 1 ? "" : "s");
				else
					snprintf(why, sizeof why, passed == 1 ? "its one line is no such record"
									      : "none of its %zu lines is such a record", passed);
				err = of_error_set_at(OF_EINVALID, log_paths[f], 0, 0,
						      "no comment could be read from this log%s: %s; is it another format? "
						      "accepted: %s",
						      what, why, of_comments_formats_accepted());
				if (co.strict || n_paths == 1)
					goto done;
				of_log_warn_at(log_paths[f], 0, 0, "%s; this log is skipped", of_error_last()->message);
				skipped++;
				if ((err = rollback(&rc, &mark)) != 0)
					goto done;
				continue;
			}
			of_log_warn_at(log_paths[f], 0, 0, "no comments in this log");
		}
		m.n_files++;
	}
	if (m.n_files == 0) {
		err = of_error_set(OF_EINVALID, "none of the %zu comment logs could be used (each is named above)", n_paths);
		goto done;
	}
	align_parts(&m);
	m.t_min = m.n_items ? m.items[0].time : 0;
	m.t_max = m.t_min;
	for (size_t i = 0; i < m.n_items; i++) {
		if (m.items[i].time < m.t_min)
			m.t_min = m.items[i].time;
		if (m.items[i].time > m.t_max)
			m.t_max = m.items[i].time;
	}
	/* Offsets count from the stream's start, so a first comment at 0:26 still
	 * spans from 0:00; but times of day ("20:01:05", as many exports write them)
	 * are a clock, and their span is from the first comment to the last. */
	if (m.t_min > 0 && m.t_min < 3600)
		m.t_min = 0;
	/* the chart's bins and the peak minutes stay on the clock's minutes: a comment before the
	 * stream's start (-0:30) or a log timed from 20:01:05 must not shift every minute */
	m.t_from = m.t_min;
	m.t_min = floor(m.t_min / 60.0) * 60.0;
	if ((err = mark_streamer(&m, opts)) != 0 || (err = mark_floods(&m, opts->flood_window)) != 0 ||
	    (err = build_clusters(&m, opts, rc.lx)) != 0)
		goto done;
	for (size_t i = 0; i < m.n_items; i++) {
		m.by_intent[m.items[i].intent]++;
		m.by_rule[m.items[i].rule]++;
		m.superchats += m.items[i].kind == OF_COMMENT_SUPERCHAT;
	}
	top = opts->top > 0 ? (size_t)opts->top : 10;
	if ((err = attach_answers(&m, top, rc.lx)) != 0)
		goto done;
	if ((err = render_prompts(&m, opts, top)) != 0)
		goto done;
	if ((err = of_mkdirs(out_dir)) != 0)
		goto done;
	for (size_t w = 0; w < sizeof writers / sizeof writers[0]; w++) {
		char *path = of_path_join(out_dir, writers[w].name);
		if (!path) {
			err = of_error_set_oom();
			goto done;
		}
		err = writers[w].fn(&m, opts, path);
		if (!err && w == 0 && of_sha256_file(m.md_sha, path) < 0)
			err = of_error_last()->code;
		free(path);
		if (err)
			goto done;
	}
	{
		char *path = of_path_join(out_dir, "comments.jsonl");
		err = path ? of_prompts__write_comments(&m, path) : of_error_set_oom();
		free(path);
	}
done:
	if (stats) {
		stats->records_read += m.cst.records + m.cst.bad + m.cst.too_long;
		stats->records_bad += m.cst.bad + m.cst.too_long;
		for (size_t i = 0; i < m.n_items; i++)
			stats->records_used += m.items[i].cluster != PR_NONE;
		stats->warnings += m.cst.control_removed + m.cst.invalid_utf8 + m.cst.truncated;
		stats->inputs_skipped += skipped;
	}
	of_lexicons__free(rc.lx);
	of_normalizer__free(rc.nz);
	map_free(&rc.texts);
	map_free(&rc.users);
	model_free(&m);
	return err;
}
