/* scene.h — the offline scriptwriter's model: the article's sentences as the planner
 * scores and uses them, the scenes it fills, and how a sentence goes into a scene whole
 * or cut where the cut stays honest (private to the script stage). */
#ifndef ONEFISH_SCRIPT_SCENE_H
#define ONEFISH_SCRIPT_SCENE_H

#include "onefish/buf.h"

#include <jansson.h>
#include <stddef.h>

/** One sentence of the article, as the planner ranks and uses it. Strings owned by the planner. */
typedef struct {
	char *text;   /* URL-free narration text of the sentence */
	char *orig;   /* as in the article */
	size_t block; /* index into doc->blocks */
	size_t index; /* sentence index inside the block */
	int section;
	double units;
	double score;
	int used;
	int excluded; /* repeats the live-stream call to action: left to the CTA of_script__scene */
	int answer;   /* answers the hook's question: first body scene, whatever its section */
	int needs_ctx; /* an answer without its question, a teaser: only as the hook's answer */
	int banned;    /* never narrated in the body or hook: a past live announced as still to come,
			* the article's call to action (点击预约…直播间见！: the CTA scene's to say) */
	int leans;     /* leans on the sentence before it (她…, 这款…, 所以…): ranks low, carries it */
	int service;   /* thanks, apologies, after-sales (谢谢…, 售后): ranks low, never extends a of_script__scene */
	int raises;    /* only raises a topic (X是后台问得多的问题): carries the sentence after it */
	int no_hook;   /* a question whose answer the video cannot say honestly: not the hook */
} of_script__sent;

/** One scene being planned. `narr` and `sources` are owned by the scene (of_script__scene_free). */
typedef struct {
	int kind; /* 0 hook, 1 body, 2 cta */
	of_buf narr;
	json_t *sources;
	const char *image;
	double units;
	long frames;
	size_t first_sent; /* for ordering body scenes */
	int section;
} of_script__scene;

/** The JSON source record of sentence `s` ({paragraph, sentence, text}); caller owns the reference. */
json_t *of_script__source_of(const of_script__sent *s);

/** Empties `sc` and makes it a scene of `kind` (0 hook, 1 body, 2 call to action). Cannot fail
 * (the narration buffer allocates on first use). */
void of_script__scene_init(of_script__scene *sc, int kind);

/** Releases what `sc` holds (not `sc` itself). */
void of_script__scene_free(of_script__scene *sc);

/**
 * The end (byte offset) of the longest cut of `s` within `room` spoken units that stands on its
 * own (balanced, a complete end, 4 字 or more) and drops no caveat or condition the rest says
 * (但…, 需要…, 能…会…, 就可以…); 0 when there is none. `s` borrowed.
 */
size_t of_script__honest_keep(const char *s, double room);

/** Non-zero when `s` has an honest cut within `room` units (of_script__honest_keep). */
int of_script__honest_cut(const char *s, double room);

/**
 * Appends sentence `s` to the scene's narration, whole when it fits `room` units, else (with
 * `allow_trim`) cut at its honest clause end; records its source and marks it used.
 * @return the units added, 0 when nothing fitted, -1 on OOM.
 */
double of_script__add_sentence(of_script__scene *sc, of_script__sent *s, double room, int allow_trim);

#endif
