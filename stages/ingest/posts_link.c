/* posts_link.c — a link's target in a post's text. A Moments post's link (a
 * product page, a mini-program's web link) is part of what it says: the HTML
 * and Markdown readers write an http(s) target after the link's words, as a
 * plain-text (JSONL, CSV) post writes it: "暖暖旗舰店 https://…". */
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/http.h"
#include "onefish/limits.h"
#include "onefish/utf8.h"
#include "posts_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* the characters the article's normaliser reads as part of a URL (normalize.c is_url_char) */
static int url_char(int c)
{
	return c > 0x20 && c < 0x7F && !strchr("<>\"`{}|\\^", c);
}

/* Chinese punctuation (、。「」，！？：；（）…—“”) ends a URL and reads well against it. */
static int cjk_punct(int32_t cp)
{
	return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	       (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) || (cp >= 0x2010 && cp <= 0x2027);
}

int of_post__space_after_url(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	int32_t cp;
	if (!c || c == ' ' || c == '\n' || c == '\t' || c == '\r')
		return 0;
	/* sentence punctuation that a URL scan leaves out: "…/p1." or "…/p1," then a space or Chinese */
	if (strchr(".,;:!?)", c) && (!s[1] || !url_char((unsigned char)s[1])))
		return 0;
	if (c < 0x80)
		return 1; /* would be read as part of the URL */
	return of_utf8_next(s, strlen(s), &cp) > 0 && !cjk_punct(cp); /* 看看: apart, as a writer puts it */
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* `href` (trimmed: `n` bytes) with its scheme lower-cased and the bytes prose cannot hold
 * in a URL (spaces, non-ASCII, quotes, angle brackets) percent-encoded, as a browser sends
 * it, into `*out` (caller frees with free()); `*out` NULL when it is not http(s), holds a
 * control character, or is over the URL cap. Returns 0 or OF_ENOMEM. */
static int prose_url(char **out, const char *href, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t k = 0, skip;
	char *u;
	*out = NULL;
	if (n >= 8 && strncasecmp(href, "https://", 8) == 0)
		skip = 8;
	else if (n >= 7 && strncasecmp(href, "http://", 7) == 0)
		skip = 7;
	else
		return 0; /* javascript:, data:, mailto:, a relative link: its words are enough */
	if (n > OF_MAX_URL_BYTES)
		return 0;
	if (!(u = malloc(3 * n + 1)))
		return of_error_set_oom();
	for (size_t i = 0; i < skip; i++)
		u[k++] = (char)(href[i] | 0x20); /* "HTTPS://" → "https://": the normaliser looks for lower case */
	for (size_t i = skip; i < n; i++) {
		unsigned char c = (unsigned char)href[i];
		if (c < 0x20 || c == 0x7F) {
			free(u);
			return 0;
		}
		if (url_char(c)) {
			u[k++] = (char)c;
		} else {
			u[k++] = '%';
			u[k++] = hex[c >> 4];
			u[k++] = hex[c & 15];
		}
	}
	u[k] = '\0';
	*out = u;
	return 0;
}

/* Non-zero when the words `w` show the link already: an autolink, a link written out as
 * its own text (as written or as encoded, with or without its final '/'). */
static int words_show(const char *w, const char *href, size_t href_len, const char *url)
{
	size_t wl = strlen(w), ul = strlen(url);
	if (memmem(w, wl, href, href_len) || memmem(w, wl, url, ul))
		return 1;
	return ul > 1 && url[ul - 1] == '/' && memmem(w, wl, url, ul - 1);
}

/* Non-zero when the words are a hashtag or a mention (#话题#, @名字, also full-width):
 * their link is the platform's navigation (a topic or profile page), not something the
 * post says. */
static int is_navigation(const char *w)
{
	while (is_blank(*w))
		w++;
	return *w == '#' || *w == '@' || strncmp(w, "\xEF\xBC\x83", 3) == 0 || strncmp(w, "\xEF\xBC\xA0", 3) == 0;
}

int of_post__put_link(of_buf *b, size_t text_at, const char *href, int *ends_url)
{
	char *url = NULL;
	size_t n;
	int rc;
	*ends_url = 0;
	if (!href)
		return 0;
	while (is_blank(*href))
		href++;
	for (n = strlen(href); n && is_blank(href[n - 1]); n--)
		;
	if ((rc = prose_url(&url, href, n)) < 0 || !url)
		return rc;
	/* the URL policy's syntax rules (no user name before '@', a host, curl's parse); the host is
	 * not checked: the link is text here, never fetched (the same as a URL typed in a JSONL post) */
	if (of_url_check(url, 1) < 0) {
		of_error_clear();
		free(url);
		return 0;
	}
	const char *words = of_buf_cstr(b) + text_at;
	if (!is_navigation(words) && !words_show(words, href, n, url)) {
		size_t len = of_buf_len(b);
		char prev = len ? of_buf_cstr(b)[len - 1] : '\n';
		/* after the words, or alone for a linked picture, apart from what comes before */
		if (prev != ' ' && prev != '\n')
			rc = of_buf_putc(b, ' ');
		if (rc == 0)
			rc = of_buf_puts(b, url);
	}
	/* written here, or shown as the words of an autolink: the next words must stay apart */
	size_t ul = strlen(url), len = of_buf_len(b);
	*ends_url = rc == 0 && len >= ul && memcmp(of_buf_cstr(b) + len - ul, url, ul) == 0;
	free(url);
	return rc;
}
