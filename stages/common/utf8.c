/* utf8.c — UTF-8 helpers built on utf8proc. */
#include "onefish/utf8.h"
#include "onefish/buf.h"
#include "onefish/error.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int of_utf8_next(const char *s, size_t len, int32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n;
	if (len == 0) {
		*cp = 0;
		return -1;
	}
	n = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &c);
	if (n <= 0) {
		*cp = 0xFFFD;
		return -1;
	}
	*cp = c;
	return (int)n;
}

int of_utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
	size_t i = 0;
	while (i < len) {
		int32_t cp;
		int n = of_utf8_next(s + i, len - i, &cp);
		if (n < 0 || cp == 0) {
			if (bad_offset)
				*bad_offset = i;
			return 0;
		}
		i += (size_t)n;
	}
	return 1;
}

int of_utf8_from_charset(const char *charset, const char *s, size_t len, char **out, size_t *out_len, size_t *bad_at)
{
	iconv_t cd = iconv_open("UTF-8", charset);
	/* two GB18030 or UTF-16 bytes become at most three UTF-8 bytes, four at most
	 * four; a larger need (a one-byte mapping to three) grows the buffer */
	size_t cap = len / 2 * 3 + len % 2 + 16, left = cap, in_left = len;
	char *buf, *in = (char *)s, *o;
	*out = NULL;
	*out_len = 0;
	if (cd == (iconv_t)-1)
		return of_error_set(OF_EINVALID, "iconv has no %s converter", charset);
	if (!(buf = malloc(cap + 1))) {
		iconv_close(cd);
		return of_error_set_oom();
	}
	o = buf;
	while (iconv(cd, &in, &in_left, &o, &left) == (size_t)-1) {
		size_t at = (size_t)(in - s), used = (size_t)(o - buf);
		int err = errno;
		char *grown;
		if (err == E2BIG && cap < (size_t)-1 / 4 && (grown = realloc(buf, cap * 2 + 1)) != NULL) {
			buf = grown;
			o = buf + used;
			left += cap;
			cap *= 2;
			continue;
		}
		iconv_close(cd);
		free(buf);
		if (err == E2BIG)
			return of_error_set_oom();
		if (bad_at)
			*bad_at = at;
		return of_error_set(OF_EINVALID, "not %s at byte %zu", charset, at);
	}
	iconv_close(cd);
	*o = 0;
	*out = buf;
	*out_len = (size_t)(o - buf);
	return 0;
}

int of_utf8_looks_legacy(const char *s, size_t len)
{
	size_t good = 0, bad = 0, i = 0;
	while (i < len) {
		int32_t cp;
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		int n = of_utf8_next(s + i, len - i, &cp);
		if (n < 0) {
			bad++;
			i++;
		} else {
			good += (size_t)n;
			i += (size_t)n;
		}
	}
	return bad > 0 && good < bad;
}

size_t of_utf8_count(const char *s, size_t len)
{
	size_t i = 0, count = 0;
	while (i < len) {
		int32_t cp;
		int n = of_utf8_next(s + i, len - i, &cp);
		i += n > 0 ? (size_t)n : 1;
		count++;
	}
	return count;
}

int of_utf8_is_han(int32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FA1F);
}

size_t of_utf8_han_count(const char *s, size_t len)
{
	size_t i = 0, count = 0;
	while (i < len) {
		int32_t cp;
		int n = of_utf8_next(s + i, len - i, &cp);
		if (n > 0 && of_utf8_is_han(cp))
			count++;
		i += n > 0 ? (size_t)n : 1;
	}
	return count;
}

int of_utf8_is_cjk_punct(int32_t cp)
{
	return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF65) ||
	       cp == 0x2026 || cp == 0x2014 || (cp >= 0x2018 && cp <= 0x201F) || cp == 0x00B7;
}

int of_utf8_is_emoji(int32_t cp)
{
	return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) ||
	       (cp >= 0x2B00 && cp <= 0x2BFF) || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) ||
	       (cp >= 0x1F3FB && cp <= 0x1F3FF) || cp == 0x20E3 || (cp >= 0xE0020 && cp <= 0xE007F) ||
	       cp == 0x2B50 || cp == 0x203C || cp == 0x2049 || (cp >= 0x2190 && cp <= 0x21FF && cp != 0x2192);
}

static int is_dropped_control(int32_t cp)
{
	if (cp == '\n' || cp == '\t')
		return 0;
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

int of_utf8_sanitize(char **out, const char *s, size_t len, size_t *n_fixed)
{
	of_buf b;
	size_t i = 0, fixed = 0;
	of_buf_init(&b, len * 3 + 16);
	*out = NULL;
	while (i < len) {
		int32_t cp;
		int n = of_utf8_next(s + i, len - i, &cp);
		if (n < 0) {
			if (of_buf_puts(&b, "\xEF\xBF\xBD") < 0)
				goto oom;
			fixed++;
			i++;
			continue;
		}
		if (is_dropped_control(cp)) {
			fixed++;
		} else if (of_buf_append(&b, s + i, (size_t)n) < 0) {
			goto oom;
		}
		i += (size_t)n;
	}
	if (n_fixed)
		*n_fixed = fixed;
	*out = of_buf_detach(&b, NULL);
	return *out ? 0 : OF_ENOMEM;
oom:
	of_buf_free(&b);
	return of_error_set_oom();
}

/* Characters whose compatibility form would change what the author wrote: circled and
 * parenthesised numbers (①密封 is not 1密封), degree signs (90℃), superscripts and fractions
 * (m², ½), number forms, squared units (㎏, ㎡) and ™. They are kept as written. */
static int keeps_form(int32_t c)
{
	return (c >= 0x2460 && c <= 0x24FF) || (c >= 0x2776 && c <= 0x2793) || (c >= 0x3248 && c <= 0x325F) ||
	       (c >= 0x3280 && c <= 0x32BF) || (c >= 0x3380 && c <= 0x33FF) || c == 0x2103 || c == 0x2109 ||
	       c == 0x2122 || c == 0xB2 || c == 0xB3 || c == 0xB9 || (c >= 0xBC && c <= 0xBE) ||
	       (c >= 0x2070 && c <= 0x209F) || (c >= 0x2150 && c <= 0x218F);
}

static int nfkc_run(of_buf *b, const char *s, size_t len)
{
	utf8proc_uint8_t *norm = NULL;
	if (!len)
		return 0;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &norm,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
	if (n < 0)
		return of_error_set(n == UTF8PROC_ERROR_NOMEM ? OF_ENOMEM : OF_EINVALID, "NFKC: %s",
				    utf8proc_errmsg(n));
	int rc = of_buf_append(b, (const char *)norm, (size_t)n); /* sets its own error */
	free(norm);
	return rc < 0 ? rc : 0;
}

int of_utf8_nfkc(char **out, const char *s, size_t len, size_t *n_fixed)
{
	char *clean = NULL;
	of_buf b;
	int rc;
	*out = NULL;
	if ((rc = of_utf8_sanitize(&clean, s, len, n_fixed)) < 0)
		return rc;
	size_t n = strlen(clean), run = 0, i = 0;
	of_buf_init(&b, 0); /* NFKC may lengthen text many times over (ﷺ: 3 bytes → 33) */
	while (i < n && rc == 0) {
		int32_t c;
		int k = of_utf8_next(clean + i, n - i, &c);
		if (k <= 0)
			k = 1;
		if (k > 1 && keeps_form(c)) {
			if ((rc = nfkc_run(&b, clean + run, i - run)) == 0)
				rc = of_buf_append(&b, clean + i, (size_t)k);
			run = i + (size_t)k;
		}
		i += (size_t)k;
	}
	if (rc == 0)
		rc = nfkc_run(&b, clean + run, n - run);
	free(clean);
	if (rc < 0) {
		of_buf_free(&b);
		return rc;
	}
	*out = of_buf_detach(&b, NULL);
	return *out ? 0 : of_error_set_oom();
}

size_t of_utf8_offset(const char *s, size_t len, size_t n)
{
	size_t i = 0;
	while (i < len && n > 0) {
		int32_t cp;
		int k = of_utf8_next(s + i, len - i, &cp);
		i += k > 0 ? (size_t)k : 1;
		n--;
	}
	return i;
}

size_t of_utf8_width(const char *s, size_t len)
{
	size_t i = 0, w = 0;
	while (i < len) {
		int32_t cp;
		int k = of_utf8_next(s + i, len - i, &cp);
		if (k > 0) {
			int cw = utf8proc_charwidth(cp);
			w += cw > 0 ? (size_t)cw : 0;
		}
		i += k > 0 ? (size_t)k : 1;
	}
	return w;
}

int of_utf8_encode(int32_t cp, char *buf)
{
	if (!utf8proc_codepoint_valid(cp))
		return 0;
	return (int)utf8proc_encode_char(cp, (utf8proc_uint8_t *)buf);
}
