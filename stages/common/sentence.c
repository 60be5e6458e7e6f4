/* sentence.c — sentence boundaries for Chinese and mixed text (see sentence.h). */
#include "onefish/sentence.h"
#include "onefish/error.h"
#include "onefish/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int of_sentence_is_terminator(int cp)
{
	switch (cp) {
	case 0x3002: /* 。 */
	case 0xFF01: /* ！ */
	case 0xFF1F: /* ？ */
	case 0xFF1B: /* ； */
	case 0x2026: /* … */
	case 0xFF0E: /* ． */
	case '!':
	case '?':
	case ';':
		return 1;
	default:
		return 0;
	}
}

int of_sentence_is_closer(int cp)
{
	switch (cp) {
	case 0x300D: /* 」 */
	case 0x300F: /* 』 */
	case 0x201D: /* ” */
	case 0x2019: /* ’ */
	case 0xFF09: /* ） */
	case 0x300B: /* 》 */
	case 0x3011: /* 】 */
	case 0x3009: /* 〉 */
	case ')':
	case ']':
	case '"':
	case '\'':
		return 1;
	default:
		return 0;
	}
}

static int is_space(int32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000 || cp == 0xA0;
}

size_t of_sentence_url_span(const char *t, size_t len, size_t i)
{
	size_t j;
	if (len - i >= 8 && strncmp(t + i, "https://", 8) == 0)
		j = i + 8;
	else if (len - i >= 7 && strncmp(t + i, "http://", 7) == 0)
		j = i + 7;
	else if (len - i >= 4 && strncmp(t + i, "www.", 4) == 0)
		j = i + 4;
	else
		return 0;
	while (j < len && (unsigned char)t[j] > ' ' && (unsigned char)t[j] < 0x7f)
		j++;
	/* A final '.', '?' or ')' of the sentence is not part of the URL. */
	while (j > i && strchr(".,;:!?)", t[j - 1]))
		j--;
	return j - i;
}

static size_t url_span(const char *t, size_t len, size_t i)
{
	return of_sentence_url_span(t, len, i);
}

typedef struct {
	of_sentence *v;
	size_t n, cap;
} vec;

static int add(vec *s, const char *t, size_t a, size_t b)
{
	/* Trim spaces (ASCII and ideographic) at both ends. */
	while (a < b) {
		int32_t cp;
		int k = of_utf8_next(t + a, b - a, &cp);
		if (k <= 0 || !is_space(cp))
			break;
		a += (size_t)k;
	}
	while (b > a) {
		size_t p = b - 1;
		while (p > a && ((unsigned char)t[p] & 0xC0) == 0x80)
			p--;
		int32_t cp;
		int k = of_utf8_next(t + p, b - p, &cp);
		if (k <= 0 || !is_space(cp))
			break;
		b = p;
	}
	if (b <= a)
		return 0;
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		of_sentence *nv = realloc(s->v, nc * sizeof *nv);
		if (!nv)
			return of_error_set_oom();
		s->v = nv;
		s->cap = nc;
	}
	s->v[s->n].offset = a;
	s->v[s->n].len = b - a;
	s->n++;
	return 0;
}

static int next_cp(const char *t, size_t len, size_t i, int32_t *cp)
{
	int k = of_utf8_next(t + i, len - i, cp);
	if (k <= 0) {
		*cp = 0xFFFD;
		return 1;
	}
	return k;
}


/* "Dr. Zhou", "Mr. Li", "J. K.": the full stop of a title or an initial does not
 * end the sentence. `dot` is the byte offset of the '.'. */
static int abbreviation(const char *t, size_t dot)
{
	static const char *const words[] = {"Dr", "Mr", "Mrs", "Ms", "Prof", "St", "Jr", "Sr", "vs", "No",
					    "etc", "Inc", "Co", "Ltd", "Fig", "e.g", "i.e", NULL};
	size_t a = dot;
	while (a > 0 && ((t[a - 1] >= 'a' && t[a - 1] <= 'z') || (t[a - 1] >= 'A' && t[a - 1] <= 'Z') ||
			 (t[a - 1] == '.' && a >= 2 && t[a - 2] != '.')))
		a--;
	size_t n = dot - a;
	/* the word starts the text, or follows a space, '(' or a Chinese character (营养师Dr.) */
	if (n == 0 || (a > 0 && (unsigned char)t[a - 1] < 0x80 && t[a - 1] != ' ' && t[a - 1] != '('))
		return 0;
	if (n == 1 && t[a] >= 'A' && t[a] <= 'Z')
		return 1; /* an initial */
	for (int w = 0; words[w]; w++)
		if (strlen(words[w]) == n && strncmp(t + a, words[w], n) == 0)
			return 1;
	return 0;
}

int of_sentence_split(of_sentence **out, size_t *n_out, const char *t, size_t len, int newline_splits)
{
	vec s = {0};
	size_t start = 0, i = 0;
	int rc = 0;
	*out = NULL;
	*n_out = 0;
	while (rc == 0 && i < len) {
		int32_t cp;
		size_t u = url_span(t, len, i);
		if (u) {
			i += u;
			continue;
		}
		int k = next_cp(t, len, i, &cp);
		size_t end = 0; /* exclusive end of a sentence found here */
		if (cp == '\n') {
			/* A blank line always ends a sentence; a single break only when asked. */
			size_t j = i + 1;
			while (j < len && (t[j] == ' ' || t[j] == '\t' || t[j] == '\r'))
				j++;
			if (newline_splits || (j < len && t[j] == '\n'))
				end = i;
			i += (size_t)k;
			if (end) {
				rc = add(&s, t, start, end);
				start = i;
			}
			continue;
		}
		int term = of_sentence_is_terminator(cp);
		if (cp == '.') {
			/* An English full stop: followed by a space or the end, not inside a number. */
			int prev_digit = i > 0 && t[i - 1] >= '0' && t[i - 1] <= '9';
			int next_digit = i + 1 < len && t[i + 1] >= '0' && t[i + 1] <= '9';
			int next_space = i + 1 >= len || t[i + 1] == ' ' || t[i + 1] == '\n';
			term = next_space && !(prev_digit && next_digit) && !abbreviation(t, i);
		}
		i += (size_t)k;
		if (!term)
			continue;
		/* Absorb repeated terminators (？！, ……) and the closers after them. */
		while (i < len) {
			int32_t c2;
			int k2 = next_cp(t, len, i, &c2);
			if (!of_sentence_is_terminator(c2) && !of_sentence_is_closer(c2) && c2 != '.')
				break;
			i += (size_t)k2;
		}
		rc = add(&s, t, start, i);
		start = i;
	}
	if (rc == 0)
		rc = add(&s, t, start, len);
	if (rc < 0) {
		free(s.v);
		return rc;
	}
	if (!s.v && !(s.v = malloc(sizeof *s.v)))
		return of_error_set_oom();
	*out = s.v;
	*n_out = s.n;
	return 0;
}
