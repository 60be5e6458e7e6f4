/* suggest.c — the nearest known word to a misspelt one: config keys, commands, options. */
#include "suggest.h"
#include "onefish/utf8.h"

#include <stdint.h>
#include <string.h>

size_t of_suggest_distance(const char *a, const char *b)
{
	int32_t ca[128], cb[128];
	/* three rows: a transposition looks two rows back (optimal string alignment) */
	size_t na = 0, nb = 0, prev2[129], prev[129], cur[129];
	for (size_t i = 0; a[i] && na < 128;) {
		int n = of_utf8_next(a + i, strlen(a + i), &ca[na++]);
		i += n > 0 ? (size_t)n : 1;
	}
	for (size_t i = 0; b[i] && nb < 128;) {
		int n = of_utf8_next(b + i, strlen(b + i), &cb[nb++]);
		i += n > 0 ? (size_t)n : 1;
	}
	for (size_t j = 0; j <= nb; j++)
		prev[j] = prev2[j] = j;
	for (size_t i = 1; i <= na; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t sub = prev[j - 1] + (ca[i - 1] != cb[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			if (i > 1 && j > 1 && ca[i - 1] == cb[j - 2] && ca[i - 2] == cb[j - 1] && prev2[j - 2] + 1 < cur[j])
				cur[j] = prev2[j - 2] + 1; /* "widht" → "width": one swap */
		}
		memcpy(prev2, prev, (nb + 1) * sizeof *prev);
		memcpy(prev, cur, (nb + 1) * sizeof *prev);
	}
	return prev[nb];
}

size_t of_suggest_limit(const char *word)
{
	return strlen(word) < 4 ? 1 : 2;
}

const char *of_suggest_nearest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		size_t d = of_suggest_distance(word, cands[i]);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best && best_d <= of_suggest_limit(word) ? best : NULL;
}
