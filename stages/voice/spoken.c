/* spoken.c — how a Chinese narrator says the symbols of sales copy. espeak-ng
 * reads ¥99 as "99", 25℃ as "25", 50% as "50 percent" in English and 3.5kg
 * letter by letter: the words are written out before it speaks. */
#include "voice_int.h"

#include "onefish/buf.h"
#include "onefish/utf8.h"

#include <stdlib.h>
#include <string.h>

static int is_digit(int32_t c)
{
	return c >= '0' && c <= '9';
}

static int is_latin(int32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Units after a number, longest first; matched case-sensitively except where
 * both spellings are common, and only when no Latin letter follows. */
static const struct {
	const char *unit, *word;
} k_units[] = {
	{"kg", "公斤"}, {"KG", "公斤"}, {"Kg", "公斤"}, {"mg", "毫克"}, {"ml", "毫升"}, {"mL", "毫升"},
	{"ML", "毫升"}, {"cm", "厘米"}, {"mm", "毫米"}, {"km", "公里"}, {"g", "克"},
	{"L", "升"}, {"l", "升"}, {"m", "米"}, {"w", "万"},
};

/* Code points of `s` (an array of `n`), decoded; caller frees. */
static int32_t *decode(const char *s, size_t len, size_t *n)
{
	int32_t *cp = malloc((len + 1) * sizeof *cp);
	size_t k = 0;
	if (!cp)
		return NULL;
	for (size_t i = 0; i < len;) {
		int m = of_utf8_next(s + i, len - i, &cp[k]);
		if (m <= 0) {
			i++;
			continue;
		}
		i += (size_t)m;
		k++;
	}
	*n = k;
	return cp;
}

static void put(of_buf *b, const int32_t *cp, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		char u[8];
		int m = of_utf8_encode(cp[i], u);
		if (m > 0)
			of_buf_append(b, u, (size_t)m);
	}
}

/* Does the ASCII `unit` start at cp[i], with no Latin letter right after it? */
static int unit_at(const int32_t *cp, size_t n, size_t i, const char *unit)
{
	size_t l = strlen(unit);
	if (i + l > n)
		return 0;
	for (size_t k = 0; k < l; k++)
		if (cp[i + k] != (unsigned char)unit[k])
			return 0;
	return i + l == n || !is_latin(cp[i + l]);
}

char *of_voice__spoken_zh(const char *text)
{
	size_t len = strlen(text), n = 0;
	int32_t *cp = decode(text, len, &n);
	of_buf b;
	if (!cp)
		return NULL;
	of_buf_init(&b, len * 4 + 64);
	for (size_t i = 0; i < n;) {
		int32_t c = cp[i];
		int yuan = (c == 0xA5 || c == 0xFFE5) && i + 1 < n && is_digit(cp[i + 1]); /* ¥ ￥ */
		if (yuan)
			c = cp[++i];
		if (!is_digit(c)) {
			if (c == '/' || c == 0xFF0F) { /* 元/件: 每; 99/3件: a pause */
				int cjk = i + 1 < n && cp[i + 1] >= 0x4E00 && cp[i + 1] <= 0x9FFF;
				of_buf_puts(&b, cjk ? "每" : "，");
			} else {
				put(&b, cp, i, i + 1);
			}
			i++;
			continue;
		}
		/* a number: digits with at most one decimal point (a thousands comma is dropped) */
		size_t a = i, e = i;
		int dot = 0;
		while (e < n && (is_digit(cp[e]) || (cp[e] == '.' && !dot && e + 1 < n && is_digit(cp[e + 1])) ||
				 (cp[e] == ',' && e + 3 < n && is_digit(cp[e + 1]) && is_digit(cp[e + 2]) &&
				  is_digit(cp[e + 3])))) {
			dot |= cp[e] == '.';
			e++;
		}
		of_buf num;
		of_buf_init(&num, 64);
		for (size_t k = a; k < e; k++)
			if (cp[k] != ',')
				put(&num, cp, k, k + 1);
		const char *digits = of_buf_cstr(&num);
		i = e;
		if (i < n && (cp[i] == '%' || cp[i] == 0xFF05)) { /* 50% → 百分之50 */
			of_buf_puts(&b, "百分之");
			of_buf_puts(&b, digits);
			i++;
		} else if (i < n && (cp[i] == 0x2103 || (cp[i] == 0xB0 && i + 1 < n && (cp[i + 1] == 'C' || cp[i + 1] == 'c')))) {
			of_buf_puts(&b, digits);
			of_buf_puts(&b, "摄氏度");
			i += cp[i] == 0x2103 ? 1 : 2;
		} else if (!dot && i + 2 < n && (cp[i] == ':' || cp[i] == 0xFF1A) && is_digit(cp[i + 1]) &&
			   is_digit(cp[i + 2]) && (i + 3 >= n || !is_digit(cp[i + 3])) && e - a <= 2) {
			/* 20:00 → 20点, 8:30 → 8点30分 */
			of_buf_puts(&b, digits);
			of_buf_puts(&b, "点");
			if (!(cp[i + 1] == '0' && cp[i + 2] == '0')) {
				if (cp[i + 1] != '0')
					put(&b, cp, i + 1, i + 2);
				put(&b, cp, i + 2, i + 3);
				of_buf_puts(&b, "分");
			}
			i += 3;
		} else {
			of_buf_puts(&b, digits);
			if (yuan) {
				of_buf_puts(&b, "元");
			} else if (i + 1 < n && (cp[i] == '-' || cp[i] == '~' || cp[i] == 0xFF5E || cp[i] == 0x2013) &&
				   is_digit(cp[i + 1])) {
				of_buf_puts(&b, "到"); /* 1-3岁 */
				i++;
			} else {
				for (size_t u = 0; u < sizeof k_units / sizeof *k_units; u++)
					if (unit_at(cp, n, i, k_units[u].unit)) {
						of_buf_puts(&b, k_units[u].word);
						i += strlen(k_units[u].unit);
						break;
					}
			}
		}
		of_buf_free(&num);
	}
	free(cp);
	char *out = of_buf_detach(&b, NULL);
	return out ? out : strdup("");
}
