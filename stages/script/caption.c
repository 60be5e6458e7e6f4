/* caption.c — caption lines from narration: greedy filling over groups of
 * tokens that must stay together (a number and its unit, an opening quote and
 * the word after it, a word and the punctuation that closes it). */
#include "script/caption.h"
#include "onefish/error.h"
#include "onefish/linebreak.h"
#include "onefish/sentence.h"
#include "onefish/utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double of_spoken_units(const char *s, size_t len)
{
	double u = 0;
	size_t i = 0, latin = 0;
	while (i < len) {
		int32_t cp;
		if ((len - i >= 7 && strncmp(s + i, "http://", 7) == 0) ||
		    (len - i >= 8 && strncmp(s + i, "https://", 8) == 0)) {
			while (i < len && (unsigned char)s[i] > ' ' && (unsigned char)s[i] < 0x7f)
				i++;
			continue;
		}
		int k = of_utf8_next(s + i, len - i, &cp);
		size_t step = k > 0 ? (size_t)k : 1;
		int is_latin = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
		if (is_latin) {
			latin++;
		} else {
			if (latin)
				u += (double)((latin + 2) / 3);
			latin = 0;
			if (of_utf8_is_han(cp) || (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19))
				u += 1;
		}
		i += step;
	}
	if (latin)
		u += (double)((latin + 2) / 3);
	return u;
}

size_t of_caption_width(const char *s)
{
	return of_utf8_count(s, strlen(s));
}

static int first_cp(const char *s, size_t len)
{
	int32_t cp = 0;
	if (len == 0 || of_utf8_next(s, len, &cp) <= 0)
		return 0;
	return cp;
}

static int is_opener(int cp)
{
	return cp == 0x300C || cp == 0x300E || cp == 0x201C || cp == 0x2018 || cp == 0xFF08 || cp == 0x300A ||
	       cp == 0x3010 || cp == '(' || cp == '[';
}

/* Punctuation dropped at a line end (and never starting a line). */
static int is_droppable(int cp)
{
	return cp == 0xFF0C || cp == 0x3001 || cp == 0x3002 || cp == 0xFF1B || cp == 0xFF1A || cp == ',' ||
	       cp == ';' || cp == ':' || cp == '.' || cp == 0xFF0E;
}

typedef struct {
	size_t off, len;    /* bytes */
	size_t width;       /* code points, all of it */
	size_t trail_drop;  /* code points of droppable punctuation at its end */
	size_t trail_bytes; /* bytes of it */
	int ends_punct;     /* a soft break point after it */
	int skip;           /* a URL or a space at a line start: left out */
	size_t tok0, tok1;  /* its tokens [tok0, tok1) */
	int lead1;          /* starts with a one-character word (多, 的, 了): a poor line start */
	int cost;           /* of a line break before it (OF_BREAK_*): inside a noun phrase is dear */
} group;

/* Words the segmenter joins that lean on the word before them: a line starting
 * with one reads as a broken phrase (…特别 / 多的是). One-character words are
 * counted as such already. */
static int lean_back(const char *tok, size_t len)
{
	static const char *const words[] = {"多的", "多了", "的是", "的话", "了吧", NULL};
	size_t k;
	for (k = 0; words[k]; k++)
		if (len == strlen(words[k]) && memcmp(tok, words[k], len) == 0)
			return 1;
	return 0;
}

/* One-character words that lean on the word after them: a negation, an adverb of
 * degree or frequency, a conjunction. A break after one reads as a broken phrase
 * (…营养强化剂不 / 额外添加…); it goes with the next word instead. */
static int leans_forward(int cp)
{
	static const int F[] = {0x4E0D /* 不 */, 0x6CA1 /* 没 */, 0x522B /* 别 */, 0x672A /* 未 */, 0x4E5F /* 也 */,
				0x5F88 /* 很 */, 0x518D /* 再 */, 0x53C8 /* 又 */, 0x592A /* 太 */, 0x66F4 /* 更 */,
				0x6700 /* 最 */, 0x548C /* 和 */, 0x4E0E /* 与 */, 0x53CA /* 及 */, 0x6216 /* 或 */,
				0x628A /* 把 */, 0x88AB /* 被 */};
	for (size_t i = 0; i < sizeof F / sizeof F[0]; i++)
		if (cp == F[i])
			return 1;
	return 0;
}

/* Groups tokens into unbreakable units. Returns the number of groups (in *g). */
static int make_groups(const char *text, const of_token *t, size_t n, group **out, size_t *n_out)
{
	group *g = calloc(n ? n : 1, sizeof *g);
	size_t ng = 0, i;
	const of_lexicon *lx = NULL;
	if (!g)
		return of_error_set_oom();
	if (of_lexicon_shared(&lx) < 0) {
		free(g);
		return OF_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		int cp = first_cp(text + t[i].offset, t[i].len);
		size_t w = of_utf8_count(text + t[i].offset, t[i].len);
		int glue = 0;
		if (ng > 0) {
			group *p = &g[ng - 1];
			const of_token *pt = &t[i - 1];
			size_t pw = of_utf8_count(text + pt->offset, pt->len);
			int pcp = first_cp(text + pt->offset, pt->len);
			if (t[i].kind == OF_TOKEN_PUNCT && !is_opener(cp) && !p->skip)
				glue = 1; /* closers, commas and full stops stay with their word */
			else if (pt->kind == OF_TOKEN_PUNCT && is_opener(pcp))
				glue = 1; /* 「 stays with the word it opens */
			else if (pt->kind == OF_TOKEN_NUMBER && t[i].kind == OF_TOKEN_WORD && w == 1)
				glue = 1; /* 3.5元, 11月 */
			else if (pt->kind == OF_TOKEN_WORD && pw == 1 && t[i].kind == OF_TOKEN_NUMBER && i >= 2 &&
				 t[i - 2].kind == OF_TOKEN_NUMBER)
				glue = 1; /* 11月26日 */
			else if (pt->kind == OF_TOKEN_NUMBER && t[i].kind == OF_TOKEN_LATIN)
				glue = 1; /* 5kg */
			else if (pt->kind == OF_TOKEN_WORD && pw == 1 &&
				 (leans_forward(pcp) || of_lexicon_class(lx, text + pt->offset, pt->len) == OF_WORD_ADV) &&
				 (t[i].kind == OF_TOKEN_WORD || t[i].kind == OF_TOKEN_NUMBER))
				glue = 1; /* 不额外, 和食盐, 就够了 (any one-character adverb) */
			if (glue && p->skip)
				glue = 0;
		}
		if (glue) {
			group *p = &g[ng - 1];
			p->len = t[i].offset + t[i].len - p->off;
			p->width += w;
			if (t[i].kind == OF_TOKEN_PUNCT && is_droppable(cp)) {
				p->trail_drop += w;
				p->trail_bytes += t[i].len;
			} else {
				p->trail_drop = 0;
				p->trail_bytes = 0;
			}
			p->ends_punct = t[i].kind == OF_TOKEN_PUNCT;
			p->tok1 = i + 1;
			continue;
		}
		group *c = &g[ng++];
		c->off = t[i].offset;
		c->len = t[i].len;
		c->width = w;
		c->skip = t[i].kind == OF_TOKEN_URL;
		c->lead1 = (t[i].kind == OF_TOKEN_WORD && w == 1) || lean_back(text + t[i].offset, t[i].len);
		c->tok0 = i;
		c->tok1 = i + 1;
		c->ends_punct = t[i].kind == OF_TOKEN_PUNCT;
		if (t[i].kind == OF_TOKEN_PUNCT && is_droppable(cp)) {
			c->trail_drop = w;
			c->trail_bytes = t[i].len;
		}
	}
	for (i = 0; i < ng; i++) {
		const of_token *f = &t[g[i].tok0];
		of_word_class c = f->kind == OF_TOKEN_WORD ? of_lexicon_class(lx, text + f->offset, f->len) : OF_WORD_OTHER;
		/* a numeral, pronoun, preposition or adjective opens a phrase: a good line start */
		if (c == OF_WORD_NUM || c == OF_WORD_PRON || c == OF_WORD_PREP || c == OF_WORD_MOD)
			g[i].lead1 = 0;
		if (i > 0) {
			g[i].cost = of_linebreak_cost(lx, text, t, n, g[i].tok0);
			/* punctuation that does not end a clause here is no soft break: a bracket
			 * closing a date's weekday (12月3日（周四） / 晚8点, 11月16日（周一） / 上架) */
			const of_token *pl = &t[g[i - 1].tok1 - 1];
			int pcp = first_cp(text + pl->offset, pl->len);
			if (g[i].cost >= OF_BREAK_PHRASE ||
			    (g[i].cost > OF_BREAK_PUNCT && pl->kind == OF_TOKEN_PUNCT && (pcp == 0xFF09 || pcp == ')')))
				g[i - 1].ends_punct = 0;
		}
	}
	*out = g;
	*n_out = ng;
	return 0;
}

/* Copies text[a..b) with spaces trimmed and trailing droppable punctuation removed. */
static char *line_dup(const char *text, size_t a, size_t b)
{
	while (a < b && (text[a] == ' ' || text[a] == '\t' || text[a] == '\n'))
		a++;
	for (;;) {
		while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '\n'))
			b--;
		size_t p = b;
		while (p > a && ((unsigned char)text[p - 1] & 0xC0) == 0x80)
			p--;
		if (p > a)
			p--;
		int32_t cp = 0;
		if (b > a && of_utf8_next(text + p, b - p, &cp) > 0 && is_droppable(cp)) {
			b = p;
			continue;
		}
		break;
	}
	return strndup(text + a, b - a);
}


/* The most even break into two lines of at most max_chars, over the groups from
 * `from` (total width `total`): at punctuation only, or between any two words with
 * a penalty for a second line that starts with a one-character word ("…特别 / 多的问题")
 * and the break's cost (linebreak.h: inside a noun phrase, 三 / 款新口味, costs six
 * characters of imbalance; inside a word friso split, ten).
 * Returns the first group of the second line, or 0. */
static size_t even_break(const group *g, size_t from, size_t ng, size_t total, size_t max_chars, int punct_only,
			 long *penalty)
{
	size_t best = 0, left = 0, k;
	long best_score = -1;
	*penalty = 0;
	for (k = from + 1; k < ng; k++) {
		const group *p = &g[k - 1];
		size_t right_drop = 0, j;
		left += p->skip ? 0 : p->width;
		/* the right part's own trailing punctuation is dropped too */
		for (j = ng; j > k; j--)
			if (!g[j - 1].skip) {
				right_drop = g[j - 1].trail_drop;
				break;
			}
		size_t lw = left - (p->skip ? 0 : p->trail_drop), rw = total - left - right_drop;
		if (lw == 0 || rw == 0 || lw > max_chars || rw > max_chars)
			continue;
		if (punct_only && !p->ends_punct)
			continue;
		long pen = !punct_only ? (g[k].lead1 ? 8 : 0) + g[k].cost : 0;
		long score = (long)(lw > rw ? lw - rw : rw - lw) + pen;
		if (best_score < 0 || score < best_score) {
			best_score = score;
			best = k;
			*penalty = pen;
		}
	}
	return best;
}

/* The start of the second of two lines from group `from` that both end at punctuation,
 * the second at least half full (so the greedy fill of the last line ends there too),
 * with something left for the next page; the latest such, or 0. */
static size_t punct_lines(const group *g, size_t from, size_t ng, size_t max_chars)
{
	size_t i, j, w1 = 0, best = 0;
	for (i = from; i < ng; i++) {
		w1 += g[i].skip ? 0 : g[i].width;
		if (w1 - (g[i].skip ? 0 : g[i].trail_drop) > max_chars)
			break;
		if (!g[i].ends_punct || g[i].skip)
			continue;
		size_t w2 = 0;
		for (j = i + 1; j < ng; j++) {
			w2 += g[j].skip ? 0 : g[j].width;
			if (w2 - (g[j].skip ? 0 : g[j].trail_drop) > max_chars)
				break;
			if (!g[j].ends_punct || g[j].skip || 2 * w2 < max_chars)
				continue;
			for (size_t r = j + 1; r < ng; r++)
				if (!g[r].skip && g[r].width > g[r].trail_drop) {
					best = i + 1;
					break;
				}
		}
	}
	return best;
}

/* When everything from group `from` needs exactly two lines, the punctuation break
 * that makes them most even; when no punctuation break leaves both lines short
 * enough ("昨晚直播一开价，" + 16 字), the most even break between two words, rather
 * than a first line ended early at punctuation that pushes the end of the text off
 * the caption. Returns the first group of the second line, or 0 when there is no such split. */
static size_t balanced_split(const group *g, size_t from, size_t ng, size_t max_chars)
{
	size_t total = 0, k, best;
	size_t last_drop = 0;
	for (k = from; k < ng; k++) {
		total += g[k].skip ? 0 : g[k].width;
		if (!g[k].skip)
			last_drop = g[k].trail_drop;
	}
	/* One line is enough: no split. Far too long for two: the greedy fill decides. */
	if (total - last_drop <= max_chars || total > 2 * max_chars + 4)
		return 0;
	long pen;
	if ((best = even_break(g, from, ng, total, max_chars, 1, &pen)) != 0)
		return best;
	best = even_break(g, from, ng, total, max_chars, 0, &pen);
	/* Two lines only by breaking a phrase (欢迎附近的 / 茶友来坐坐, 质地 / 是清爽的乳液状):
	 * two lines that end at punctuation instead, when the text has them, and the rest
	 * on the next page. */
	if (best && pen >= OF_BREAK_PHRASE && (k = punct_lines(g, from, ng, max_chars)) != 0)
		return k;
	return best;
}

int of_caption_fill(const of_segmenter *seg, const char *text, size_t len, int max_chars, int max_lines,
		    char **lines, int *n_lines, size_t *consumed)
{
	of_token *t = NULL;
	group *g = NULL;
	size_t nt = 0, ng = 0, gi = 0;
	int rc, nl = 0;
	*n_lines = 0;
	*consumed = 0;
	if ((rc = of_segment(seg, text, len, &t, &nt)) < 0)
		return rc;
	rc = make_groups(text, t, nt, &g, &ng);
	if (rc < 0) {
		free(t);
		return rc;
	}
	while (nl < max_lines && gi < ng) {
		size_t width = 0, start_gi, last_soft = 0, k;
		/* Nothing worth showing may start a line. */
		while (gi < ng && (g[gi].skip || g[gi].width == g[gi].trail_drop ||
				   text[g[gi].off] == ' ' || text[g[gi].off] == '\n'))
			gi++;
		if (gi >= ng)
			break;
		start_gi = gi;
		while (gi < ng) {
			size_t core = g[gi].width - g[gi].trail_drop;
			if (g[gi].skip) {
				gi++;
				continue;
			}
			if (width + core > (size_t)max_chars)
				break;
			width += g[gi].width;
			gi++;
			if (g[gi - 1].ends_punct)
				last_soft = gi;
		}
		/* The last two lines of a cue: an even split reads better than a greedy one
		 * ("天气一冷 / 很多妈妈不敢给宝宝洗澡", not "…不敢给宝宝 / 洗澡"). */
		int balanced = 0;
		if (max_lines - nl == 2 && gi > start_gi) {
			size_t split = balanced_split(g, start_gi, ng, (size_t)max_chars);
			if (split > start_gi) {
				gi = split;
				balanced = 1;
			}
		}
		if (gi == start_gi) {
			/* One group wider than a line (11月26日20:00 at a narrow width): split it
			 * at its own token boundaries; only a single over-long token is cut by code point. */
			group *x = &g[gi];
			size_t tk, w = 0, cut;
			for (tk = x->tok0; tk < x->tok1; tk++) {
				/* the first token may already be partly on the line before */
				size_t from = t[tk].offset > x->off ? t[tk].offset : x->off;
				size_t tw = of_utf8_count(text + from, t[tk].offset + t[tk].len - from);
				if (w + tw > (size_t)max_chars)
					break;
				w += tw;
			}
			if (tk > x->tok0) {
				cut = t[tk].offset - x->off;
			} else {
				/* One token longer than a line (a package name, a long URL-like word):
				 * cut after its last - / _ . that fits, else at the width. */
				size_t k2;
				cut = of_utf8_offset(text + x->off, x->len, (size_t)max_chars);
				for (k2 = cut; k2 > 1; k2--)
					if (strchr("-/_.", text[x->off + k2 - 1])) {
						cut = k2;
						break;
					}
			}
			lines[nl] = strndup(text + x->off, cut);
			if (!lines[nl])
				goto oom;
			nl++;
			x->off += cut;
			x->len -= cut;
			x->width = of_utf8_count(text + x->off, x->len);
			if (x->trail_drop > x->width)
				x->trail_drop = x->width;
			while (x->tok0 < x->tok1 && t[x->tok0].offset + t[x->tok0].len <= x->off)
				x->tok0++;
			*consumed = x->off;
			continue;
		}
		/* Prefer ending at punctuation when the line is full and the break is past half. */
		if (!balanced && gi < ng && last_soft > start_gi && last_soft < gi) {
			size_t w2 = 0;
			for (k = start_gi; k < last_soft; k++)
				w2 += g[k].skip ? 0 : g[k].width;
			if (w2 * 2 >= (size_t)max_chars)
				gi = last_soft;
		}
		/* A full line that would end inside a noun phrase (…还准备了三 / 款新口味…) ends at
		 * the latest cheaper break instead, if that keeps it at least two thirds full. */
		if (!balanced && gi < ng && g[gi].cost >= OF_BREAK_PHRASE) {
			size_t w2 = 0, best = 0;
			for (k = start_gi; k + 1 < gi; k++) {
				w2 += g[k].skip ? 0 : g[k].width;
				if (g[k + 1].cost < g[gi].cost && !g[k + 1].lead1 && 3 * w2 >= 2 * (size_t)max_chars)
					best = k + 1;
			}
			if (best)
				gi = best;
		}
		size_t b = g[gi - 1].off + g[gi - 1].len, k3, o = 0;
		/* The line's groups without the left-out ones (URLs), then trimmed. */
		char *raw = malloc(b - g[start_gi].off + 1);
		if (!raw)
			goto oom;
		for (k3 = start_gi; k3 < gi; k3++) {
			if (g[k3].skip)
				continue;
			memcpy(raw + o, text + g[k3].off, g[k3].len);
			o += g[k3].len;
		}
		raw[o] = '\0';
		lines[nl] = line_dup(raw, 0, o);
		free(raw);
		if (!lines[nl])
			goto oom;
		if (lines[nl][0] == '\0') {
			free(lines[nl]);
			lines[nl] = NULL;
		} else {
			nl++;
		}
		*consumed = b;
	}
	/* Trailing spaces, URLs and punctuation after the last line are covered too. */
	while (gi < ng && (g[gi].skip || g[gi].width == g[gi].trail_drop || text[g[gi].off] == ' ' ||
			   text[g[gi].off] == '\n')) {
		*consumed = g[gi].off + g[gi].len;
		gi++;
	}
	if (gi >= ng)
		*consumed = len;
	free(g);
	free(t);
	*n_lines = nl;
	return 0;
oom:
	while (nl > 0)
		free(lines[--nl]);
	free(g);
	free(t);
	return of_error_set_oom();
}

int of_caption_fits(const of_segmenter *seg, const char *text, int max_chars, int max_lines)
{
	char *lines[8];
	int n = 0, i;
	size_t used = 0, len = strlen(text);
	if (max_lines > 8)
		max_lines = 8;
	if (of_caption_fill(seg, text, len, max_chars, max_lines, lines, &n, &used) < 0)
		return 0;
	for (i = 0; i < n; i++)
		free(lines[i]);
	return used >= len;
}

/* The sentence ends (2) and clause ends (1) of text[0..len), by byte offset just after them. */
static int break_kind(const char *text, size_t len, size_t at)
{
	size_t p = at;
	int32_t cp = 0;
	/* step back over closing quotes to the mark itself */
	while (p > 0) {
		size_t q = p - 1;
		while (q > 0 && ((unsigned char)text[q] & 0xC0) == 0x80)
			q--;
		if (of_utf8_next(text + q, len - q, &cp) <= 0)
			return 0;
		if (!of_sentence_is_closer(cp))
			break;
		p = q;
	}
	if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == '!' || cp == '?')
		return 2;
	if (cp == 0xFF0C || cp == 0xFF1B || cp == 0xFF1A || cp == 0x3001 || cp == ',' || cp == ';' || cp == 0x2014)
		return 1;
	return 0;
}

/* Non-zero if text[a..b) fits the caption whole. */
static int span_fits(const of_segmenter *seg, const char *text, size_t a, size_t b, int max_chars, int max_lines,
		     int *oom)
{
	char *p = strndup(text + a, b - a);
	int f;
	if (!p) {
		*oom = 1;
		return 0;
	}
	f = of_caption_fits(seg, p, max_chars, max_lines);
	free(p);
	return f;
}

/* How good the cut at `p` inside text[a..c) is, or -1 when the two pages it leaves do not
 * both fit the caption: the more even the better, a sentence end before a clause end before
 * a word break (whose line-break cost, linebreak.h, counts as imbalance), and a cut that
 * leaves both pages OF_CAPTION_PAGE_MIN_UNITS or more before any that does not. */
static double cut_score(const of_segmenter *seg, const char *text, size_t len, size_t a, size_t p, size_t c,
			int cost, int max_chars, int max_lines, int *oom)
{
	double ul = of_spoken_units(text + a, p - a), ur = of_spoken_units(text + p, c - p);
	double lo = ul < ur ? ul : ur;
	int kind = break_kind(text, len, p);
	if (!span_fits(seg, text, a, p, max_chars, max_lines, oom) || *oom ||
	    !span_fits(seg, text, p, c, max_chars, max_lines, oom) || *oom)
		return -1;
	if (lo >= OF_CAPTION_PAGE_MIN_UNITS)
		return 1e6 + kind * 1e4 - fabs(ul - ur) - (kind ? 0 : cost);
	return lo; /* the least short of the fragments */
}

/* The best cut of text[a..c) into two caption pages (cut_score), `cur` (a cut that fits)
 * unless another is better; in *out. Returns 0 or OF_ENOMEM. */
static int best_cut(const of_segmenter *seg, const char *text, size_t len, size_t a, size_t cur, size_t c,
		    int max_chars, int max_lines, size_t *out)
{
	of_token *t = NULL;
	group *g = NULL;
	size_t nt = 0, ng = 0, i;
	int oom = 0, rc;
	double best_score = -2;
	*out = cur;
	if ((rc = of_segment(seg, text + a, c - a, &t, &nt)) < 0)
		return rc;
	if ((rc = make_groups(text + a, t, nt, &g, &ng)) < 0) {
		free(t);
		return rc;
	}
	/* the cut there is first: another must be better to replace it */
	for (i = 1; i < ng; i++)
		if (a + g[i].off == cur)
			best_score = cut_score(seg, text, len, a, cur, c, g[i].cost + (g[i].lead1 ? 8 : 0), max_chars,
					       max_lines, &oom);
	if (best_score < -1)
		best_score = cut_score(seg, text, len, a, cur, c, 0, max_chars, max_lines, &oom);
	for (i = 1; i < ng && !oom; i++) {
		size_t p = a + g[i].off;
		if (p == cur || g[i].skip || g[i - 1].skip)
			continue;
		double sc = cut_score(seg, text, len, a, p, c, g[i].cost + (g[i].lead1 ? 8 : 0), max_chars, max_lines,
				      &oom);
		if (sc > best_score) {
			best_score = sc;
			*out = p;
		}
	}
	free(t);
	free(g);
	return oom ? of_error_set_oom() : 0;
}

/* A page shorter than OF_CAPTION_PAGE_MIN_UNITS (the 「寄出。」 a full page leaves of
 * 「上周直播送出的米粉试用装11月23日（周一）已经全部寄出。」) is a flash on screen and a
 * shot no voice can fit: it joins its neighbour when the two fit one caption, else the
 * cut between them moves to where both pages are long enough (the even cut at the best
 * kind of break, sentence, clause, then word), else to where the shorter is longest.
 * Then a cut the greedy fill made between two words moves the same way when that is
 * better (…已经全部 / 寄出，收到的… → …11月23日（周一） / 已经全部寄出，收到的…).
 * Returns the new number of pages, or OF_ENOMEM. */
static int rebalance(const of_segmenter *seg, const char *text, size_t len, int max_chars, int max_lines, size_t *ends,
		     size_t n)
{
	int oom = 0, rc;
	for (size_t k = 0; k < n && n > 1; k++) {
		size_t s0 = k ? ends[k - 1] : 0;
		if (of_spoken_units(text + s0, ends[k] - s0) >= OF_CAPTION_PAGE_MIN_UNITS)
			continue;
		/* with the page before it (the one a greedy fill left it from), else after it */
		size_t q = k > 0 ? k - 1 : k; /* the pair is pages q, q + 1 */
		size_t a = q ? ends[q - 1] : 0, c = ends[q + 1];
		if (span_fits(seg, text, a, c, max_chars, max_lines, &oom)) {
			memmove(ends + q, ends + q + 1, (n - q - 1) * sizeof *ends);
			n--;
			k = (size_t)-1; /* look again from the first page (n only shrinks) */
			continue;
		}
		if (oom)
			return of_error_set_oom();
		if ((rc = best_cut(seg, text, len, a, ends[q], c, max_chars, max_lines, &ends[q])) < 0)
			return rc;
	}
	for (size_t k = 0; k + 1 < n; k++) {
		if (break_kind(text, len, ends[k]))
			continue;
		if ((rc = best_cut(seg, text, len, k ? ends[k - 1] : 0, ends[k], ends[k + 1], max_chars, max_lines,
				   &ends[k])) < 0)
			return rc;
	}
	return (int)n;
}

int of_caption_pages(const of_segmenter *seg, const char *text, size_t len, int max_chars, int max_lines,
		     size_t *ends, size_t max_pages, size_t *n_pages)
{
	size_t at = 0, n = 0;
	int oom = 0;
	*n_pages = 0;
	while (at < len && n < max_pages) {
		char *lines[8];
		int nl = 0, k, kind;
		size_t used = 0, p, best[3] = {0, 0, 0};
		int rc = of_caption_fill(seg, text + at, len - at, max_chars, max_lines > 8 ? 8 : max_lines, lines, &nl,
					 &used);
		if (rc < 0)
			return rc;
		for (k = 0; k < nl; k++)
			free(lines[k]);
		if (used == 0 || at + used >= len || n + 1 == max_pages) {
			ends[n++] = len; /* the rest fits (or nothing can be shown of it: it stays whole) */
			break;
		}
		/* The latest sentence end, clause end, or the word break of the greedy fill
		 * that lets the page fit whole; a sentence or clause end wins if its page is
		 * at least 40% of the fullest one. */
		best[0] = at + used;
		for (p = at + 1; p <= len; p++) {
			if (p < len && ((unsigned char)text[p] & 0xC0) == 0x80)
				continue; /* inside a character */
			if (!(kind = break_kind(text, len, p)))
				continue;
			if (of_spoken_units(text + at, p - at) > (double)(max_chars * max_lines))
				break;
			if (span_fits(seg, text, at, p, max_chars, max_lines, &oom)) {
				best[kind] = p;
				if (p > best[0])
					best[0] = p;
			}
			if (oom)
				return of_error_set_oom();
		}
		double full = of_spoken_units(text + at, best[0] - at);
		size_t end = best[0];
		for (kind = 2; kind >= 1; kind--)
			if (best[kind] && of_spoken_units(text + at, best[kind] - at) >= 0.4 * full) {
				end = best[kind];
				break;
			}
		/* Trailing spaces and closing marks stay with the page they close. */
		ends[n++] = end;
		at = end;
	}
	int nn = rebalance(seg, text, len, max_chars, max_lines, ends, n);
	if (nn < 0)
		return nn;
	*n_pages = (size_t)nn;
	return 0;
}

json_t *of_caption_json(const of_segmenter *seg, const char *text, size_t len)
{
	char *lines[OF_CAPTION_LINES_MAX];
	int n = 0, i;
	size_t used;
	json_t *a = json_array();
	if (!a || of_caption_fill(seg, text, len, OF_CAPTION_LINE_MAX, OF_CAPTION_LINES_MAX, lines, &n, &used) < 0) {
		json_decref(a);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		json_array_append_new(a, json_string(lines[i]));
		free(lines[i]);
	}
	return a;
}
