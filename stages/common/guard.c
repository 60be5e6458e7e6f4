/* guard.c — linear pre-scans that keep hostile markup away from quadratic parser paths. */
#include "onefish/guard.h"
#include "onefish/error.h"
#include "onefish/limits.h"

#include <ctype.h>
#include <string.h>

void of_guard_markup_init(of_markup_guard *g, const char *origin, size_t max_attrs)
{
	memset(g, 0, sizeof *g);
	g->origin = origin;
	g->max_attrs = max_attrs;
	g->line = 1;
}

/* Moves *i to the next `stop` byte in data[*i..len) (or len): text and quoted
 * values are most of a comment log, and memchr over them is several times
 * faster than the byte loop. */
static void skip_to(const char *data, size_t len, size_t *i, char stop)
{
	const char *hit = memchr(data + *i, stop, len - *i);
	*i = hit ? (size_t)(hit - data) : len;
}

static unsigned long newlines(const char *p, size_t n)
{
	unsigned long k = 0;
	const char *end = p + n;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		k++;
		p++;
	}
	return k;
}

/* Lines are counted once per chunk, not per span: the line of an element is
 * only needed for the error, and is worked out from its offset when asked. */
static unsigned long tag_line(of_markup_guard *g, const char *data)
{
	if (!g->tag_line)
		g->tag_line = g->line + newlines(data, g->tag_off);
	return g->tag_line;
}

int of_guard_markup_feed(of_markup_guard *g, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!g->in_tag && !g->saw_lt)
			skip_to(data, len, &i, '<');
		else if (g->in_tag && g->quote)
			skip_to(data, len, &i, g->quote);
		if (i == len)
			break;
		unsigned char c = (unsigned char)data[i];
		if (!g->in_tag) {
			/* A start tag: '<' then a letter (end tags, comments and <!DOCTYPE are not
			 * counted); the '<' may end the previous chunk. */
			if (g->saw_lt && isalpha(c)) {
				g->in_tag = 1;
				g->in_tok = 1; /* the element name */
				g->attrs = 0;
				g->after_eq = 0;
				g->quote = 0;
				g->tag_off = i;
				g->tag_line = 0;
			}
			g->saw_lt = c == '<';
			continue;
		}
		if (g->quote) {
			if (c == (unsigned char)g->quote)
				g->quote = 0;
			continue;
		}
		if (c == '>') {
			g->in_tag = 0;
			g->saw_lt = 0;
			continue;
		}
		if ((c == '"' || c == '\'') && g->after_eq) {
			g->quote = (char)c;
			g->after_eq = 0;
			continue;
		}
		if (isspace(c) || c == '/') {
			g->in_tok = 0;
			continue;
		}
		if (c == '=') {
			g->after_eq = 1;
			g->in_tok = 1; /* the value belongs to the attribute before it */
			continue;
		}
		g->after_eq = 0;
		if (!g->in_tok) {
			g->in_tok = 1;
			if (++g->attrs > g->max_attrs)
				return of_error_set_at(OF_ELIMIT, g->origin, tag_line(g, data), 0,
						       "an element with more than %zu attributes (refused: libxml2 is quadratic in them)",
						       g->max_attrs);
		}
	}
	if (g->in_tag) /* the tag goes on in the next chunk: its line, while this chunk is at hand */
		tag_line(g, data);
	g->line += newlines(data, len);
	return 0;
}

int of_guard_markup(const char *data, size_t len, const char *origin, size_t max_attrs)
{
	of_markup_guard g;
	of_guard_markup_init(&g, origin, max_attrs);
	return of_guard_markup_feed(&g, data, len);
}

/* Length of a list or quote marker at `p` (0 if none): "-", "*", "+" or up to
 * 9 digits and "." / ")", then a space or tab (or end of line); ">" alone. */
static size_t md_marker(const char *p, const char *end)
{
	size_t n = 0;
	if (p < end && *p == '>')
		return 1;
	if (p < end && (*p == '-' || *p == '*' || *p == '+')) {
		n = 1;
	} else {
		while (p + n < end && n < 9 && p[n] >= '0' && p[n] <= '9')
			n++;
		if (n == 0 || p + n >= end || (p[n] != '.' && p[n] != ')'))
			return 0;
		n++;
	}
	if (p + n == end || p[n] == ' ' || p[n] == '\t' || p[n] == '\n' || p[n] == '\r')
		return n;
	return 0;
}

int of_guard_markdown(const char *data, size_t len, const char *origin, size_t max_depth, size_t max_brackets)
{
	const char *p = data, *end = data + len;
	unsigned long line = 1;
	size_t brackets = 0;
	while (p < end) {
		size_t lists = 0, quotes = 0, m;
		for (;;) {
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			if ((m = md_marker(p, end)) == 0)
				break;
			/* Lists are slow on their own (10,000 deep: 3 s); quotes only with
			 * emphasis inside (10,000 deep + 40,000 'a*': under a second). */
			if (*p == '>' ? ++quotes > OF_MAX_MARKDOWN_QUOTES : ++lists > max_depth)
				return of_error_set_at(OF_ELIMIT, origin, line, 0,
						       "%s nested more than %zu deep on one line (refused: cmark is slow on them)",
						       *p == '>' ? "quotes" : "lists", *p == '>' ? (size_t)OF_MAX_MARKDOWN_QUOTES : max_depth);
			p += m;
		}
		if (p >= end)
			break;
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *stop = nl ? nl : end;
		for (; p < stop; p++)
			if (*p == '[' && ++brackets > max_brackets)
				return of_error_set_at(OF_ELIMIT, origin, line, 0,
						       "more than %zu '[' in one document (refused: cmark is quadratic on them)",
						       max_brackets);
		if (!nl)
			break;
		p = nl + 1;
		line++;
	}
	return 0;
}
