/* plan.c — the offline scriptwriter. Sentences are ranked (TextRank plus
 * position, number and question bonuses); the hook is the best short question
 * or striking number; body scenes say the best whole sentences of distinct
 * sections in article order (trimmed at clause boundaries only when longer than
 * a scene may be), grown with the sentences after them; the call to action
 * promotes the live stream from onefish.yaml, else the article's own. */
#include "script/plan.h"
#include "script/scene_photo.h"
#include "script/caption.h"
#include "script/clause.h"
#include "script/cta.h"
#include "script/hook.h"
#include "script/motion.h"
#include "script/scene.h"
#include "script/rank.h"
#include "script/trace.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/log.h"
#include "onefish/limits.h"
#include "onefish/sentence.h"
#include "onefish/utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FPS 30

/* Scene `i` goes on showing scene i-1's photo (not the plain brand background,
 * whose shots keep their crossfades). */
static int same_photo(const of_script__scene *sc, size_t i, const char *fallback_image)
{
	return i > 0 && sc[i].image && sc[i - 1].image && strcmp(sc[i].image, sc[i - 1].image) == 0 &&
	       !(fallback_image && strcmp(sc[i].image, fallback_image) == 0);
}

void of_script_frame_size(const char *preset, int *w, int *h)
{
	if (preset && strcmp(preset, "landscape") == 0) {
		*w = 1920;
		*h = 1080;
	} else if (preset && strcmp(preset, "square") == 0) {
		*w = 1080;
		*h = 1080;
	} else {
		*w = 1080;
		*h = 1920;
	}
}

/* ---- body ---- */

static int cmp_score_desc(const void *a, const void *b, void *ctx)
{
	const of_script__sent *ss = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	if (ss[x].score != ss[y].score)
		return ss[x].score > ss[y].score ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* A body scene's seed: a sentence (or one clause [ca, cb) of it), and the 字 it may take. */
typedef struct {
	size_t sent;
	size_t ca, cb; /* cb == 0: the sentence, trimmed to `room` at clause ends if needed */
	double room;
	double units;
	int first;     /* the answer to the hook's question plays first */
	int pair;      /* sent + 1 leans on sent: the scene says both, whole */
} anchor;

static int cmp_anchor(const void *a, const void *b)
{
	const anchor *x = a, *y = b;
	if (x->first != y->first)
		return x->first ? -1 : 1;
	return x->sent < y->sent ? -1 : x->sent > y->sent;
}

int of_script_plan(json_t **out, const of_article_doc *doc, const of_script_block_src *bs, const of_script_options *o,
		   const of_segmenter *seg, const char *fallback_image)
{
	of_script__sent *ss = NULL, art_cta = {0};
	size_t n = 0, cap = 0, i, j;
	of_script__scene *sc = NULL;
	size_t nsc = 0;
	double *tr = NULL;
	const char **texts = NULL;
	size_t *order = NULL;
	json_t *root = NULL;
	int rc = 0, w, h;
	char time_text[128];
	double rate = o->speech_rate > 0 ? o->speech_rate : OF_VOICE_DEFAULT_SPEECH_RATE;
	*out = NULL;
	if (!(o->duration >= OF_MIN_SCRIPT_SECONDS && o->duration <= OF_MAX_SCRIPT_SECONDS))
		return of_error_set(OF_EINVALID, "duration %g s is out of range (%d-%d s; 15, 30 or 60 are usual)",
				    o->duration, OF_MIN_SCRIPT_SECONDS, OF_MAX_SCRIPT_SECONDS);
	if (!(rate >= 1 && rate <= 12))
		return of_error_set(OF_EINVALID, "speech rate %g 字/s is out of range (1-12)", rate);

	/* 1. sentences */
	/* A live the article's tense lint found past (trace.h): from its flagged date on,
	 * the announcement's sentences about the live or what is still to come. */
	/* Without a trace the closing is known by its heading (onefish article titles it
	 * live.title), as long as the article has other paragraphs. */
	int closing = -1, others = 0;
	for (i = 0; !bs && o->brand.live_title && *o->brand.live_title && i < doc->n_blocks; i++)
		if (doc->blocks[i].kind == OF_BLOCK_HEADING && doc->blocks[i].level >= 2 && doc->blocks[i].text &&
		    strcmp(doc->blocks[i].text, o->brand.live_title) == 0)
			closing = doc->blocks[i].section;
	for (i = 0; closing >= 0 && i < doc->n_blocks; i++)
		others += doc->blocks[i].kind == OF_BLOCK_PARA && doc->blocks[i].section != closing;
	if (!others)
		closing = -1;
	/* Without live.cta in the config, the article's own call to action (its last one: the
	 * closing's) is the script's, after live.title when that is configured; the templated
	 * closing is read for it too. */
	int own_cta = !(o->brand.live_cta && *o->brand.live_cta);
	int art_cta_live = 0;
	for (i = 0; i < doc->n_blocks && rc == 0; i++) {
		const of_article_block *b = &doc->blocks[i];
		of_sentence *sv = NULL;
		size_t nsv = 0, k;
		/* the closing built from templates says what the call to action says, less well */
		int closing_para = (bs && bs[i].templated) || b->section == closing;
		if (b->kind != OF_BLOCK_PARA || (closing_para && !own_cta))
			continue;
		if ((rc = of_sentence_split(&sv, &nsv, b->text, strlen(b->text), 0)) < 0)
			break;
		/* the flagged paragraph from its (first) flagged date on; a continuation as a whole */
		size_t tense_from = bs && bs[i].tense == 1 ? strlen(b->text) : 0;
		for (int st = 0; bs && bs[i].tense == 1 && st < bs[i].n_stale; st++) {
			const char *at = strstr(b->text, bs[i].stale[st]);
			if (at && (size_t)(at - b->text) < tense_from)
				tense_from = (size_t)(at - b->text);
		}
		if (bs && bs[i].tense == 1 && tense_from == strlen(b->text))
			tense_from = 0; /* the date was edited away: the whole paragraph */
		for (k = 0; k < nsv && rc == 0; k++) {
			char *orig = strndup(b->text + sv[k].offset, sv[k].len);
			/* without its URLs, and without the labels they leave (预约链接：) */
			char *bare = orig ? of_clause_strip_urls(orig) : NULL;
			char *txt = bare ? of_clause_drop_labels(bare) : NULL;
			free(bare);
			double u = txt ? of_spoken_units(txt, strlen(txt)) : 0;
			if (!orig || !txt) {
				free(orig);
				free(txt);
				rc = of_error_set_oom();
				break;
			}
			if (u < 2 || strlen(txt) > OF_MAX_SENTENCE_BYTES) { /* emoji, a lone link, a wall of symbols */
				free(orig);
				free(txt);
				continue;
			}
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 64;
				of_script__sent *ns = realloc(ss, nc * sizeof *ns);
				if (!ns) {
					free(orig);
					free(txt);
					rc = of_error_set_oom();
					break;
				}
				ss = ns;
				cap = nc;
			}
			ss[n] = (of_script__sent){txt, orig, i, k, b->section, u, 0, 0, 0, 0, of_clause_needs_context(txt), 0,
					of_clause_leans_back(txt), of_clause_is_service(txt), of_clause_raises_topic(txt), 0};
			if ((o->brand.live_title && *o->brand.live_title && strstr(txt, o->brand.live_title)) ||
			    (o->brand.live_cta && *o->brand.live_cta && strstr(txt, o->brand.live_cta)) ||
			    of_clause_is_greeting(txt)) /* "周一早上好！": nothing to show a scene for */
				ss[n].excluded = 1;
			for (int st = 0; bs && st < bs[i].n_stale; st++)
				if (strstr(txt, bs[i].stale[st]))
					ss[n].banned = 1;
			if (bs && bs[i].tense && sv[k].offset + sv[k].len > tense_from && of_clause_speaks_ahead(txt))
				ss[n].banned = 1;
			if (of_clause_is_cta(txt)) {
				/* the last one that calls to the live (…直播间见！) over a 关注公众号… */
				int live = of_clause_cta_to_live(txt);
				if (!ss[n].banned && own_cta && (live || !art_cta_live)) {
					art_cta_live = live;
					free(art_cta.text);
					free(art_cta.orig);
					art_cta = ss[n];
					if (!(art_cta.text = strdup(txt)) || !(art_cta.orig = strdup(orig))) {
						free(orig);
						free(txt);
						rc = of_error_set_oom();
						break;
					}
				}
				ss[n].banned = 1;
			}
			if (closing_para) { /* read for its call to action only */
				free(orig);
				free(txt);
				continue;
			}
			n++;
		}
		free(sv);
	}
	if (rc < 0)
		goto done;
	if (n == 0) {
		rc = of_error_set_at(OF_EINVALID, doc->origin, 0, 0,
				     "the article has no paragraph text to narrate (only images, headings or code?)");
		goto done;
	}

	/* 2. ranking */
	tr = calloc(n, sizeof *tr);
	texts = calloc(n, sizeof *texts);
	order = calloc(n, sizeof *order);
	if (!tr || !texts || !order) {
		rc = of_error_set_oom();
		goto done;
	}
	for (i = 0; i < n; i++)
		texts[i] = ss[i].text;
	if ((rc = of_textrank(seg, texts, n, tr)) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		double s = 0.6 * tr[i] + 0.25 * (1.0 - (double)i / (double)n);
		if (ss[i].index == 0)
			s += 0.1;
		if (of_clause_has_digit(ss[i].text))
			s += 0.15;
		if (of_clause_is_question(ss[i].text))
			s += 0.15;
		if (ss[i].units < 6)
			s *= 0.5;
		/* 她/这款/所以… point back at something the viewer has not heard */
		if (ss[i].leans)
			s *= 0.5;
		/* 谢谢朵朵妈愿意分享, 我们一定把售后做好: customer service, not what the video promotes */
		if (ss[i].service)
			s *= 0.3;
		ss[i].score = s;
		order[i] = i;
	}
	qsort_r(order, n, sizeof *order, cmp_score_desc, ss);

	/* 3. budgets */
	long total_frames = lround(o->duration * FPS);
	double cta_s = fmin(9.0, fmax(3.0, o->duration * 0.17));
	double hook_cap_units = floor(3.0 * rate - 0.5);
	int k_body = o->duration <= 20 ? 3 : o->duration <= 40 ? 4 : o->duration <= 75 ? 5 : 6;
	sc = calloc((size_t)k_body + 2, sizeof *sc);
	if (!sc) {
		rc = of_error_set_oom();
		goto done;
	}

	/* cta (first: the hook's answer must fit what the hook and the CTA leave) */
	of_script__scene cta;
	of_script__scene_init(&cta, 2);
	if ((rc = of_script__build_cta(&cta, &o->brand, art_cta.text ? &art_cta : NULL, floor((cta_s - 0.3) * rate),
			    floor((fmax(cta_s, o->duration / 3.0) - 0.3) * rate), time_text, sizeof time_text)) < 0) {
		of_script__scene_free(&cta);
		goto done;
	}
	cta.units = of_spoken_units(of_buf_cstr(&cta.narr), of_buf_len(&cta.narr));
	/* The call to action says as much as its share of the video (above) allows; its scene is
	 * then as long as that narration and the end card need, up to a third of the video, and
	 * what its share leaves goes to the body (it used to keep the whole share: 1-1.3 s of
	 * silence closed every video). */
	double cta_most = fmax(cta_s, o->duration / 3.0);
	cta_s = fmin(cta_most, of_script__cta_seconds(of_buf_cstr(&cta.narr), &o->brand, time_text, rate,
						       OF_SCRIPT_CTA_BREATH_S));

	/* hook */
	double hook_s = 0;
	for (int tries = 0;; tries++) {
		of_script__scene_init(&sc[0], 0);
		nsc = 1;
		if ((rc = of_script__pick_hook(&sc[0], ss, n, doc->title, hook_cap_units, rate)) < 0) {
			of_script__scene_free(&cta);
			goto done;
		}
		sc[0].units = of_spoken_units(of_buf_cstr(&sc[0].narr), of_buf_len(&sc[0].narr));
		hook_s = fmin(3.0, fmax(1.5, sc[0].units / rate + 0.25));
		/* A question hook is answered next: the sentence after it (its paragraph or the next) goes first. */
		if (sc[0].kind == 0 && sc[0].first_sent + 1 < n && json_array_size(sc[0].sources) > 0 &&
		    json_object_get(json_array_get(sc[0].sources, 0), "paragraph") &&
		    of_clause_is_question(of_buf_cstr(&sc[0].narr))) {
			size_t q = sc[0].first_sent, a = q + 1;
			if (!ss[a].excluded && !ss[a].banned && ss[a].block <= ss[q].block + 1) {
				/* An answer the video has no time to say whole, that no cut leaves honest
				 * (10个月以后两到三顿 without 奶依然是主要的营养来源), is no answer: another hook. */
				double most = floor((o->duration - hook_s - cta_s - 0.3) * rate);
				/* ...first taking time from the pauses after the hook and the call to action
				 * (0.25 → 0.1 s, 0.3 → 0.15 s): 「一般宝宝9个月左右，能坐稳、会用手抓东西，就可以…」
				 * is 34 字, one more than a 15 s video leaves. */
				if (ss[a].units > most && !of_script__honest_cut(ss[a].text, most)) {
					double hs = fmin(3.0, fmax(1.5, sc[0].units / rate + 0.1));
					double cs = fmin(cta_most, of_script__cta_seconds(of_buf_cstr(&cta.narr), &o->brand,
											  time_text, rate,
											  OF_SCRIPT_CTA_BREATH_S - 0.15));
					if (ss[a].units <= floor((o->duration - hs - cs - 0.3) * rate)) {
						hook_s = hs;
						cta_s = cs;
						most = ss[a].units;
					}
				}
				if (tries < 8 && ss[a].units > most && !of_script__honest_cut(ss[a].text, most)) {
					ss[q].used = 0;
					ss[q].no_hook = 1;
					of_script__scene_free(&sc[0]);
					continue;
				}
				ss[a].score += 1.0;
				ss[a].answer = 1;
				qsort_r(order, n, sizeof *order, cmp_score_desc, ss);
			}
		}
		break;
	}

	/* body anchors, by rank: distinct sections, then distinct paragraphs, then
	 * any; a sentence trimmed at a clause end must keep 60% of it until the last pass */
	double body_s = o->duration - hook_s - cta_s;
	if (body_s < 1.0) {
		of_script__scene_free(&cta);
		rc = of_error_set(OF_EINVALID,
				  "duration %g s is too short for a hook, a body scene and a call to action "
				  "(this article needs at least %.0f s)",
				  o->duration, ceil(hook_s + cta_s + 1.0));
		goto done;
	}
	size_t avail = 0;
	for (i = 0; i < n; i++)
		avail += !ss[i].used && !ss[i].banned;
	if ((size_t)k_body > avail)
		k_body = (int)(avail ? avail : 0);
	/* In a short video, fewer body scenes with a whole thought each beat three
	 * that cannot fit a clause: each keeps room for about eight 字 of speech. */
	while (k_body > 1 && (body_s - 0.3 * k_body) * rate / k_body < 8.0)
		k_body--;
	/* The hook's answer is said whole, or cut where the cut drops no caveat: fewer body scenes
	 * (each costs 0.3 s of breath) when that is what makes room for it. */
	for (i = 0; i < n; i++) {
		if (!ss[i].answer || ss[i].used || ss[i].banned)
			continue;
		while (k_body > 1 && ss[i].units > floor((body_s - 0.3 * k_body) * rate) &&
		       !of_script__honest_cut(ss[i].text, floor((body_s - 0.3 * k_body) * rate)))
			k_body--;
	}
	/* The body shares one pool of 字. Scenes say whole sentences: one may take up to 1.6×
	 * an even share, and at least a sentence of about 9 s (36 字) when the pool holds it,
	 * so a short video says fewer things whole rather than more in fragments; what the
	 * best sentences leave is the other scenes', for sentences that rank at least 40% of
	 * the best (not a thank-you line because it is short enough to fit). */
	double pool = k_body > 0 ? floor((body_s - 0.3 * k_body) * rate) : 0;
	double per_units = k_body > 0 ? pool / k_body : 0, min_units = fmin(6.0, per_units);
	double cap_units = fmax(per_units * 1.6, fmin(pool, 36.0)), floor_score = 0;
	for (i = 0; i < n; i++)
		if (!ss[i].used && !ss[i].banned && !ss[i].excluded && !ss[i].answer && !ss[i].needs_ctx &&
		    !of_clause_is_question(ss[i].text) && 0.4 * ss[i].score > floor_score)
			floor_score = 0.4 * ss[i].score;
	anchor an[6];
	int na = 0, pass;
	double used_units = 0;
	for (pass = 0; pass < 4 && na < k_body; pass++) {
		/* the last resort (one standalone clause) only for a body that has nothing else */
		if (pass == 3 && na > 0)
			break;
		for (j = 0; j < n && na < k_body; j++) {
			size_t c = order[j];
			int clash = 0, q;
			/* Questions belong to the hook: a body scene never leaves one unanswered. */
			if (ss[c].used || ss[c].banned || (ss[c].excluded && pass < 3) || of_clause_is_question(ss[c].text) ||
			    (ss[c].needs_ctx && !ss[c].answer))
				continue;
			for (q = 0; q < na; q++) {
				if (an[q].sent == c || (an[q].pair && an[q].sent + 1 == c) || (c > 0 && an[q].sent == c - 1) ||
				    (pass == 0 && ss[an[q].sent].section == ss[c].section) ||
				    (pass <= 1 && ss[an[q].sent].block == ss[c].block))
					clash = 1;
			}
			if (clash || (na > 0 && !ss[c].answer && ss[c].score < floor_score))
				continue;
			/* the hook's answer may take the whole pool: said whole, not cut at a scene's cap */
			double room = ss[c].answer ? pool - used_units : fmin(cap_units, pool - used_units);
			anchor a = {c, 0, 0, room, 0, ss[c].answer, 0};
			size_t ends[64], ne = of_clause_ends(ss[c].text, ends, 64), e, keep = 0;
			if (room < min_units)
				continue;
			/* A sentence that only raises a topic (宝宝便秘是这周后台问得特别多的问题) carries the
			 * one after it in its paragraph, which answers it: both whole in one scene, or it is
			 * no scene of its own (the leaning rule below, the other way). */
			if (ss[c].raises && !ss[c].answer) {
				size_t nx = c + 1;
				for (q = 0; q < na; q++)
					if (an[q].sent == nx)
						clash = 1;
				if (clash || nx >= n || ss[nx].block != ss[c].block || ss[nx].used || ss[nx].banned ||
				    ss[nx].excluded || ss[nx].needs_ctx || ss[nx].service || ss[nx].raises || ss[nx].answer ||
				    of_clause_is_question(ss[nx].text) || ss[c].units + ss[nx].units > room)
					continue;
				a.pair = 1;
				a.units = ss[c].units + ss[nx].units;
				used_units += a.units;
				an[na++] = a;
				continue;
			}
			/* A sentence that leans on the one before it (她说…, 这款米粉…, 所以…) carries it:
			 * both whole in one scene, or it is no scene of its own. */
			if (ss[c].leans && !ss[c].answer) {
				size_t p = c - 1;
				if (c == 0 || ss[p].block != ss[c].block || ss[p].used || ss[p].banned || ss[p].excluded ||
				    ss[p].needs_ctx || ss[p].leans || ss[p].service || of_clause_is_question(ss[p].text) ||
				    ss[p].units + ss[c].units > room)
					continue;
				a.sent = p;
				a.pair = 1;
				a.units = ss[p].units + ss[c].units;
				used_units += a.units;
				an[na++] = a;
				continue;
			}
			if (ss[c].units <= room) {
				a.units = ss[c].units;
			} else if (ss[c].units <= cap_units && pass < 3) {
				/* It fits a scene whole, only not what is left: cut, it would say less, or
				 * something else (这段是编辑新加的一句话，介绍我们的仓库 → 这段是编辑新加的一句话). */
				continue;
			} else {
				/* Longer than any scene: the clauses that fit, if they keep most of it and drop
				 * no caveat ("答：" alone is a label, not a clause). */
				keep = of_script__honest_keep(ss[c].text, room);
				a.units = of_spoken_units(ss[c].text, keep);
				/* An answer cut where no cut is honest is not said at all, not even its first clause. */
				if (ss[c].answer && keep == 0)
					continue;
				/* A trimmed sentence must keep most of what it says... */
				if (pass < 3 && (keep == 0 || (a.units < 0.6 * ss[c].units && !ss[c].answer)))
					continue;
				if (pass == 3 && !(ss[c].answer && keep > 0)) {
					/* ...or, in a short video, one clause that stands on its own. */
					double best_u = 0;
					/* Its first clause (after 此外，/答：): a later one has lost who or what it is about. */
					for (e = 0; e < ne; e++) {
						size_t s0 = e ? ends[e - 1] : 0;
						double u = of_spoken_units(ss[c].text + s0, ends[e] - s0);
						if (e > 0 && of_spoken_units(ss[c].text, s0) > 2)
							break;
						char *cl = strndup(ss[c].text + s0, ends[e] - s0);
						/* "这周四晚8点" only says when: it needs its sentence. */
						int when_only = cl && of_clause_has_digit(cl) && !of_clause_striking_number(cl);
						free(cl);
						if (!when_only && of_clause_standalone(ss[c].text, s0, ends[e], 6, room) &&
						    of_clause_complete_end(ss[c].text, ends[e]) && u > best_u) {
							best_u = u;
							a.ca = s0;
							a.cb = ends[e];
						}
					}
					if (a.cb == 0)
						continue;
					a.units = best_u;
				}
			}
			used_units += a.units;
			an[na++] = a;
		}
	}
	qsort(an, (size_t)na, sizeof an[0], cmp_anchor);
	for (int q = 0; q < na; q++) {
		of_script__scene *b = &sc[nsc++];
		of_script__scene_init(b, 1);
		size_t c = an[q].sent;
		double got;
		if (an[q].cb > 0) {
			if (of_clause_put(&b->narr, ss[c].text + an[q].ca, an[q].cb - an[q].ca) < 0) {
				rc = of_error_set_oom();
				break;
			}
			json_array_append_new(b->sources, of_script__source_of(&ss[c]));
			ss[c].used = 1;
			got = an[q].units;
		} else if (an[q].pair) {
			double g1 = of_script__add_sentence(b, &ss[c], an[q].room, 0), g2 = g1 < 0 ? -1 : of_script__add_sentence(b, &ss[c + 1], an[q].room, 0);
			got = g1 < 0 || g2 < 0 ? -1 : g1 + g2;
		} else {
			got = of_script__add_sentence(b, &ss[c], an[q].room, 1);
		}
		if (got < 0) {
			rc = of_error_set_oom();
			break;
		}
		b->units = got;
		b->first_sent = c;
		b->section = ss[c].section;
	}
	/* What is left of the pool goes to the sentences that follow each anchor
	 * (same section, before the next anchor), scene by scene in article order. */
	for (int q = 0; rc == 0 && q < na; q++) {
		of_script__scene *b = &sc[1 + q];
		size_t c = an[q].sent, next = q + 1 < na ? an[q + 1].sent : n;
		double left = pool;
		for (int r = 0; r < na; r++)
			left -= sc[1 + r].units;
		/* after a cut sentence the next one would skip what was cut */
		if (an[q].cb > 0 || sc[1 + q].units < ss[c].units - 1e-9)
			continue;
		for (j = c + 1 + (size_t)an[q].pair; j < next && left >= 4; j++) {
			double room = fmin(left, per_units * 1.6 - b->units);
			/* A question left hanging at the end of a scene would go unanswered, and a
			 * topic raised there (宝宝便秘是…问得特别多的问题) might not be. */
			if (ss[j].used || ss[j].excluded || ss[j].banned || ss[j].service || ss[j].needs_ctx || ss[j].raises ||
			    ss[j].section != ss[c].section || room < 4 ||
			    of_clause_is_question(ss[j].text))
				break;
			double more = of_script__add_sentence(b, &ss[j], room, 0);
			if (more < 0) {
				rc = of_error_set_oom();
				break;
			}
			if (more == 0)
				break;
			b->units += more;
			left -= more;
		}
	}
	sc[nsc++] = cta;
	if (rc < 0)
		goto done;

	/* 4. durations in whole frames: hook and cta fixed, body shared by need */
	/* the call to action never a frame short of what its voice and card need */
	long hook_f = lround(hook_s * FPS), cta_f = (long)ceil(cta_s * FPS - 1e-6);
	long body_f = total_frames - hook_f - cta_f, given = 0;
	double need_sum = 0;
	sc[0].frames = hook_f;
	sc[nsc - 1].frames = cta_f;
	for (i = 1; i + 1 < nsc; i++)
		need_sum += sc[i].units / rate + 0.3;
	for (i = 1; i + 1 < nsc; i++) {
		sc[i].frames = (long)floor((double)body_f * (sc[i].units / rate + 0.3) / need_sum);
		given += sc[i].frames;
	}
	for (i = 1; given < body_f && nsc > 2; i = i + 1 < nsc - 1 ? i + 1 : 1) {
		sc[i].frames++;
		given++;
	}
	/* No body sentence fitted: the hook (up to 3 s) and the call to action take the time,
	 * so the video still lasts what was asked. */
	if (nsc == 2) {
		long hook_more = body_f < 3 * FPS - hook_f ? body_f : 3 * FPS - hook_f; /* the hook stays ≤ 3 s */
		sc[0].frames += hook_more;
		sc[1].frames += body_f - hook_more;
	}

	/* 5. images: the photo placed with the scene's paragraph or one of its own posts,
	 * else the article's, else the brand background (scene_photo.h) */
	for (i = 0; i < nsc; i++)
		sc[i].image = of_script_scene_photo(doc, bs, sc[i].sources, sc[i].kind == 2, i > 0 ? sc[i - 1].image : NULL,
						    fallback_image);

	/* 6. JSON */
	of_script_frame_size(o->preset, &w, &h);
	root = json_object();
	json_t *scenes = json_array();
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "format", json_string(o->preset && *o->preset ? o->preset : "vertical"));
	{
		/* the video's title card holds at most 120 characters (a front matter title can be any length) */
		const char *t = doc->title ? doc->title : "";
		size_t nt = of_utf8_count(t, strlen(t));
		if (nt > 120) {
			size_t cut = 0;
			for (size_t k = 0; k < 119; k++) {
				int32_t cp;
				int step = of_utf8_next(t + cut, strlen(t + cut), &cp);
				cut += step > 0 ? (size_t)step : 1;
			}
			char *short_t = malloc(cut + 4);
			if (!short_t) {
				rc = of_error_set_oom();
				goto done;
			}
			memcpy(short_t, t, cut);
			memcpy(short_t + cut, "\xE2\x80\xA6", 4); /* … */
			of_log_warn_at(doc->origin, 0, 0, "title of %zu characters shortened to 120 for the video", nt);
			of_json_set_str(root, "title", short_t);
			free(short_t);
		} else {
			of_json_set_str(root, "title", t);
		}
	}
	json_object_set_new(root, "width", json_integer(w));
	json_object_set_new(root, "height", json_integer(h));
	json_object_set_new(root, "fps", json_integer(FPS));
	json_object_set_new(root, "duration", json_real(of_script__r3((double)total_frames / FPS)));
	json_object_set_new(root, "speech_rate", json_real(rate));
	json_object_set_new(root, "engine", json_string("offline"));
	of_json_set_str(root, "source", of_path_basename(doc->origin));
	json_t *brand = json_object();
	of_json_set_str(brand, "name", o->brand.name);
	of_json_set_str(brand, "color", o->brand.color);
	json_object_set_new(root, "brand", brand);
	json_t *live = json_object();
	of_json_set_str(live, "title", o->brand.live_title);
	of_json_set_str(live, "time", o->brand.live_time);
	if (*time_text)
		of_json_set_str(live, "time_text", time_text);
	of_json_set_str(live, "cta", o->brand.live_cta);
	of_json_set_str(live, "platform", o->brand.live_platform);
	json_object_set_new(root, "live", live);
	long at = 0;
	for (i = 0; i < nsc; i++) {
		char id[24]; /* "s" + up to 20 digits: never truncated (-O1 -Wformat-truncation) */
		const char *narr = of_buf_cstr(&sc[i].narr);
		json_t *capj = NULL;
		snprintf(id, sizeof id, "s%02zu", i + 1);
		if (sc[i].kind == 2 && o->brand.live_title) {
			char ct[512], ct_short[512];
			char wk[64] = "", dwk[96] = "";
			/* "title，11月26日周四20:00开播": the date too, since the video's body may
			 * quote last week's "周四晚8点"; then "title，11月26日20:00开播", then
			 * "title，周四20:00开播", whichever first fits two lines; else the title. */
			const char *p = strstr(time_text, "（");
			if (p && strstr(p, "）")) {
				const char *e = strstr(p, "）");
				snprintf(wk, sizeof wk, "%.*s%s", (int)(e - p - 3), p + 3, e + 3);
				snprintf(dwk, sizeof dwk, "%.*s%s", (int)(p - time_text), time_text, wk);
			}
			snprintf(ct, sizeof ct, "%s%s%s%s", o->brand.live_title, *dwk ? "，" : "", dwk, *dwk ? "开播" : "");
			snprintf(ct_short, sizeof ct_short, "%s%s%s%s", o->brand.live_title, *wk ? "，" : "", wk,
				 *wk ? "开播" : "");
			char ct_date[512] = "";
			if (*dwk)
				snprintf(ct_date, sizeof ct_date, "%s，%.*s%s开播", o->brand.live_title, (int)(p - time_text),
					 time_text, strstr(p, "）") + 3);
			const char *cand[] = {ct, ct_date, ct_short}, *cta_cap = o->brand.live_title;
			for (size_t c = 0; c < sizeof cand / sizeof *cand; c++)
				if (*cand[c] && of_caption_fits(seg, cand[c], OF_CAPTION_LINE_MAX, 2)) {
					cta_cap = cand[c];
					break;
				}
			capj = of_caption_json(seg, cta_cap, strlen(cta_cap));
		} else {
			/* the first page of the narration; of_script_paginate() makes every body
			 * scene one caption page, so there it is the whole narration */
			capj = of_caption_json(seg, narr, strlen(narr));
		}
		if (!capj) {
			rc = of_error_set_oom();
			goto done;
		}
		double dur = (double)sc[i].frames / FPS;
		double tdur = i == 0 ? 0.3 : fmin(0.5, of_script__r3(dur / 4));
		/* The same photo as the scene before: a crossfade between two framings of
		 * one photo shows it twice, ghosted. The shot goes on instead: a cut, and
		 * the move continues from where the last one stopped. (The brand background
		 * of an article without photos is plain: its shots keep their crossfades.) */
		int same = same_photo(sc, i, fallback_image);
		const json_t *prev_sc = i > 0 ? json_array_get(scenes, i - 1) : NULL;
		double run_dur = dur; /* this shot: the scenes that go on on this photo after it */
		for (size_t k = i + 1; !same && k < nsc && same_photo(sc, k, fallback_image); k++)
			run_dur += (double)sc[k].frames / FPS;
		json_t *motion = same ? of_script__continue_motion(json_object_get(prev_sc, "motion"),
							json_number_value(json_object_get(prev_sc, "duration")), dur)
				      : of_script__motion_json(i, sc[i].kind, sc[i].image, dur, run_dur);
		json_t *s = json_pack("{s:s, s:s, s:f, s:f, s:s, s:o, s:s, s:o, s:{s:s, s:f}, s:O}", "id", id, "kind",
				      sc[i].kind == 0 ? "hook" : sc[i].kind == 1 ? "body" : "cta", "start",
				      of_script__r3((double)at / FPS), "duration", of_script__r3(dur), "narration", narr, "caption", capj,
				      "image", sc[i].image ? sc[i].image : "", "motion", motion, "transition", "type",
				      i == 0 ? "fade" : same ? "cut" : "crossfade", "duration", same ? 0.0 : tdur, "sources",
				      sc[i].sources);
		if (!s) {
			rc = of_error_set_oom();
			goto done;
		}
		json_array_append_new(scenes, s);
		at += sc[i].frames;
	}
	json_object_set_new(root, "scenes", scenes);
	*out = root;
	root = NULL;
done:
	json_decref(root);
	for (i = 0; i < nsc; i++)
		of_script__scene_free(&sc[i]);
	free(sc);
	for (i = 0; i < n; i++) {
		free(ss[i].text);
		free(ss[i].orig);
	}
	free(ss);
	free(art_cta.text);
	free(art_cta.orig);
	free(tr);
	free(texts);
	free(order);
	return rc;
}
