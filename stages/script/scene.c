/* scene.c — a planned scene's lifetime, and how a sentence goes into it: whole, or cut at a
 * clause end that drops no caveat. */
#include "script/scene.h"
#include "script/caption.h"
#include "script/clause.h"

#include <string.h>

json_t *of_script__source_of(const of_script__sent *s)
{
	return json_pack("{s:I, s:I, s:s}", "paragraph", (json_int_t)s->block, "sentence", (json_int_t)s->index,
			 "text", s->orig);
}

void of_script__scene_init(of_script__scene *sc, int kind)
{
	memset(sc, 0, sizeof *sc);
	sc->kind = kind;
	of_buf_init(&sc->narr, 16 * 1024);
	sc->sources = json_array();
}

void of_script__scene_free(of_script__scene *sc)
{
	of_buf_free(&sc->narr);
	json_decref(sc->sources);
}

/* Whether what a cut at byte `keep` leaves unsaid qualifies what it keeps: a caveat (但, 还是, 依然, 仍,
 * 要/需要, 注意, 前提, 别/不要, 如果, 只有…才) or a condition (能坐稳、会用手抓东西, 就可以…). Cut there,
 * 「10个月以后两到三顿。」 drops 「奶依然是主要的营养来源」 and 「一般宝宝9个月左右。」 the readiness
 * signs: the answer says something the article does not. */
static int drops_caveat(const char *s, size_t keep)
{
	static const char *const marks[] = {"但", "还是", "依然", "仍", "需要", "注意", "前提", "别", "不要",
					    "如果", "除非", "只有", "才", "一定", "必须", "最好", NULL};
	const char *r = s + keep, *p;
	if (!*r)
		return 0;
	for (size_t k = 0; marks[k]; k++)
		if (strstr(r, marks[k]))
			return 1;
	/* 要 as a verb of obligation, not 主要/重要/想要 */
	for (p = strstr(r, "要"); p; p = strstr(p + 3, "要"))
		if (!(p >= r + 3 && (strncmp(p - 3, "主", 3) == 0 || strncmp(p - 3, "重", 3) == 0 ||
				     strncmp(p - 3, "想", 3) == 0)))
			return 1;
	/* 能…会… (what the child must manage first), or the 就… that follows a condition */
	p = strstr(r, "能");
	if ((p && strstr(p, "会")) || strstr(r, "就可以") || strstr(r, "就能"))
		return 1;
	return 0;
}

/* The end of the longest cut of `s` within `room` units that stands (balanced, a complete end, 4 字 or
 * more) and drops no caveat; 0 when there is none. */
size_t of_script__honest_keep(const char *s, double room)
{
	size_t ends[64], ne = of_clause_ends(s, ends, 64), c, keep = 0;
	for (c = 0; c < ne; c++)
		if (of_spoken_units(s, ends[c]) <= room && of_clause_balanced(s, 0, ends[c]) &&
		    of_clause_complete_end(s, ends[c]))
			keep = ends[c];
	if (keep == 0 || of_spoken_units(s, keep) < 4 || drops_caveat(s, keep))
		return 0;
	return keep;
}

int of_script__honest_cut(const char *s, double room)
{
	return of_script__honest_keep(s, room) > 0;
}

/* Appends sentence s to the scene, trimmed to `room` units at clause ends. Returns units added (0 = none). */
double of_script__add_sentence(of_script__scene *sc, of_script__sent *s, double room, int allow_trim)
{
	if (s->units <= room) {
		if (of_clause_put(&sc->narr, s->text, strlen(s->text)) < 0)
			return -1;
		json_array_append_new(sc->sources, of_script__source_of(s));
		s->used = 1;
		return s->units;
	}
	if (!allow_trim)
		return 0;
	size_t keep = of_script__honest_keep(s->text, room);
	if (keep == 0)
		return 0;
	if (of_clause_put(&sc->narr, s->text, keep) < 0)
		return -1;
	json_array_append_new(sc->sources, of_script__source_of(s));
	s->used = 1;
	return of_spoken_units(s->text, keep);
}
