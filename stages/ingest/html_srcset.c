/* html_srcset.c — the largest picture of an HTML `srcset` attribute ("a-640.jpg 640w,
 * a-1280.jpg 1280w"), read by the HTML standard's "parse a srcset attribute" rules
 * (https://html.spec.whatwg.org/multipage/images.html#parse-a-srcset-attribute). This is
 * attribute microsyntax, not HTML: the page itself is parsed by libxml2. */
#include "onefish/error.h"
#include "onefish/limits.h"
#include "ingest/html_img.h"

#include <stdlib.h>
#include <string.h>

/* ASCII white space as HTML counts it (tab, LF, FF, CR, space). */
static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* A "valid non-negative integer" (digits only) greater than zero; saturates at 10^9, which
 * no picture is wide. */
static int parse_width(const char *s, size_t n, double *out)
{
	double v = 0;
	if (!n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v < 1e9)
			v = v * 10 + (s[i] - '0');
	}
	if (v <= 0)
		return -1;
	*out = v > 1e9 ? 1e9 : v;
	return 0;
}

/* A "valid floating-point number" ("2", "1.5", ".5", "15e-1"; not "1.", "+1", "0x2") that is
 * not negative. Read by hand: strtod would follow the locale's decimal point. */
static int parse_density(const char *s, size_t n, double *out)
{
	size_t i = 0, digits = 0;
	double v = 0, scale = 1;
	int neg = 0, ex = 0, exneg = 0;
	if (i < n && s[i] == '-')
		neg = 1, i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
		if (v < 1e9)
			v = v * 10 + (s[i] - '0');
	if (i < n && s[i] == '.') {
		size_t frac = 0;
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, frac++)
			if (frac < 9) {
				scale /= 10;
				v += (s[i] - '0') * scale;
			}
		if (!frac)
			return -1;
		digits += frac;
	}
	if (!digits)
		return -1;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t ed = 0;
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			exneg = s[i++] == '-';
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, ed++)
			if (ex < 1000)
				ex = ex * 10 + (s[i] - '0');
		if (!ed)
			return -1;
	}
	if (i != n)
		return -1;
	for (int k = 0; k < ex && v != 0 && v < 1e12; k++)
		v = exneg ? v / 10 : v * 10;
	if (neg && v != 0)
		return -1;
	*out = v;
	return 0;
}

/* A candidate's descriptors, `d[0..n)` split into tokens on white space (parentheses group,
 * as the standard's tokenizer does). Sets *w or *x (< 0 when absent); -1 for a parse error
 * (the candidate is dropped, as a browser drops it). */
static int parse_descriptors(const char *d, size_t n, double *w, double *x)
{
	int has_h = 0;
	*w = *x = -1;
	for (size_t i = 0; i < n;) {
		while (i < n && is_ws(d[i]))
			i++;
		if (i >= n)
			break;
		size_t st = i;
		int paren = 0;
		while (i < n && (paren || !is_ws(d[i]))) {
			if (d[i] == '(')
				paren = 1;
			else if (d[i] == ')')
				paren = 0;
			i++;
		}
		size_t len = i - st;
		char last = d[st + len - 1];
		double v;
		if (last == 'w') {
			if (*w >= 0 || *x >= 0 || parse_width(d + st, len - 1, &v) < 0)
				return -1;
			*w = v;
		} else if (last == 'x') {
			if (*w >= 0 || *x >= 0 || has_h || parse_density(d + st, len - 1, &v) < 0)
				return -1;
			*x = v;
		} else if (last == 'h') { /* the standard's future-compat height: checked, not used */
			if (has_h || *x >= 0 || parse_width(d + st, len - 1, &v) < 0)
				return -1;
			has_h = 1;
		} else {
			return -1;
		}
	}
	return has_h && *w < 0 ? -1 : 0;
}

int of_html_srcset_pick(char **out, const char *srcset, int (*skip)(const char *url))
{
	size_t len = strlen(srcset), n = 0;
	const char *best = NULL;
	size_t best_len = 0;
	double best_w = -1, best_x = -1;
	int any_w = 0;
	*out = NULL;
	if (len > OF_MAX_SRCSET_BYTES)
		return of_error_set(OF_ELIMIT, "srcset is %zu bytes, over the %zu-byte limit", len,
				    (size_t)OF_MAX_SRCSET_BYTES);
	for (size_t i = 0; i < len;) {
		/* splitting loop: white space and commas between candidates */
		while (i < len && (is_ws(srcset[i]) || srcset[i] == ','))
			i++;
		if (i >= len)
			break;
		/* the URL: everything up to white space (a comma inside it stays, "a.jpg?x=1,2") */
		size_t u0 = i;
		while (i < len && !is_ws(srcset[i]))
			i++;
		size_t ul = i - u0, d0 = i, dl = 0;
		if (srcset[u0 + ul - 1] == ',') {
			/* "a.jpg," ends its candidate: no descriptors */
			while (ul && srcset[u0 + ul - 1] == ',')
				ul--;
		} else {
			/* descriptors run to a comma outside parentheses, or the end */
			int paren = 0;
			while (i < len && (paren || srcset[i] != ',')) {
				if (srcset[i] == '(')
					paren = 1;
				else if (srcset[i] == ')')
					paren = 0;
				i++;
			}
			dl = i - d0;
			if (i < len)
				i++; /* the comma */
		}
		if (!ul)
			continue;
		if (++n > OF_MAX_SRCSET_CANDIDATES)
			return of_error_set(OF_ELIMIT, "srcset has more than %d candidates", OF_MAX_SRCSET_CANDIDATES);
		double w, x;
		if (parse_descriptors(srcset + d0, dl, &w, &x) < 0)
			continue;
		char *url = strndup(srcset + u0, ul);
		if (!url)
			return of_error_set_oom();
		int skipped = skip && skip(url);
		free(url);
		if (skipped)
			continue;
		if (x < 0 && w < 0)
			x = 1; /* no descriptor: 1x */
		/* the largest by width when any candidate gives one, else by density; the first of equals */
		if (w >= 0 ? (!any_w || w > best_w) : (!any_w && x > best_x)) {
			best = srcset + u0;
			best_len = ul;
			best_w = w;
			best_x = x;
			any_w |= w >= 0;
		}
	}
	if (best && !(*out = strndup(best, best_len)))
		return of_error_set_oom();
	return 0;
}
