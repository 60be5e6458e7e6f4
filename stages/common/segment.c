/* segment.c — character-class segmentation; the friso dictionary path
 * replaces the per-Han-character fallback when available. */
#include "onefish/segment.h"
#include "onefish/error.h"
#include "onefish/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct of_segmenter {
	int dummy;
};

int of_segmenter_new(of_segmenter **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? 0 : of_error_set_oom();
}

void of_segmenter_free(of_segmenter *s)
{
	free(s);
}

static int classify(int32_t cp)
{
	if (cp < 0x80) {
		if ((cp >= '0' && cp <= '9'))
			return OF_TOKEN_NUMBER;
		if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_')
			return OF_TOKEN_LATIN;
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r')
			return OF_TOKEN_SPACE;
		return OF_TOKEN_PUNCT;
	}
	if (of_utf8_is_han(cp))
		return OF_TOKEN_WORD;
	if (of_utf8_is_emoji(cp))
		return OF_TOKEN_EMOJI;
	if (cp == 0x3000)
		return OF_TOKEN_SPACE;
	if (of_utf8_is_cjk_punct(cp))
		return OF_TOKEN_PUNCT;
	return OF_TOKEN_LATIN;
}

int of_segment(const of_segmenter *s, const char *text, size_t len, of_token **tokens, size_t *n_tokens)
{
	size_t cap = 16, n = 0, i = 0;
	of_token *t = malloc(cap * sizeof *t);
	(void)s;
	if (!t)
		return of_error_set_oom();
	while (i < len) {
		int32_t cp;
		int k = of_utf8_next(text + i, len - i, &cp);
		size_t step = k > 0 ? (size_t)k : 1;
		int kind = k > 0 ? classify(cp) : OF_TOKEN_PUNCT;
		/* Numbers keep their decimal point and %, Latin runs their digits. */
		int joins = n > 0 && t[n - 1].offset + t[n - 1].len == i && kind != OF_TOKEN_WORD &&
			    kind != OF_TOKEN_PUNCT && kind != OF_TOKEN_EMOJI &&
			    (t[n - 1].kind == kind ||
			     (t[n - 1].kind == OF_TOKEN_LATIN && kind == OF_TOKEN_NUMBER));
		if (!joins && n > 0 && t[n - 1].kind == OF_TOKEN_NUMBER && (cp == '.' || cp == '%') &&
		    t[n - 1].offset + t[n - 1].len == i)
			joins = 1;
		if (joins) {
			t[n - 1].len += step;
		} else {
			if (n == cap) {
				of_token *nt = realloc(t, cap * 2 * sizeof *t);
				if (!nt) {
					free(t);
					return of_error_set_oom();
				}
				t = nt;
				cap *= 2;
			}
			t[n].offset = i;
			t[n].len = step;
			t[n].kind = kind;
			n++;
		}
		i += step;
	}
	*tokens = t;
	*n_tokens = n;
	return 0;
}
