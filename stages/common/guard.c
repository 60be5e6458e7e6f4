/* guard.c — linear pre-scans that keep hostile markup away from quadratic parser paths. */
#include "onefish/guard.h"
#include "onefish/error.h"

#include <ctype.h>

int of_guard_markup(const char *data, size_t len, const char *origin, size_t max_attrs)
{
	unsigned long line = 1, tag_line = 0;
	size_t attrs = 0;
	int in_tag = 0, in_tok = 0, after_eq = 0;
	char quote = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c == '\n')
			line++;
		if (!in_tag) {
			/* A start tag: '<' then a letter (end tags, comments and <!DOCTYPE are not counted). */
			if (c == '<' && i + 1 < len && isalpha((unsigned char)data[i + 1])) {
				in_tag = 1;
				in_tok = 1; /* the element name */
				attrs = 0;
				after_eq = 0;
				quote = 0;
				tag_line = line;
			}
			continue;
		}
		if (quote) {
			if (c == (unsigned char)quote)
				quote = 0;
			continue;
		}
		if (c == '>') {
			in_tag = 0;
			continue;
		}
		if ((c == '"' || c == '\'') && after_eq) {
			quote = (char)c;
			after_eq = 0;
			continue;
		}
		if (isspace(c) || c == '/') {
			in_tok = 0;
			continue;
		}
		if (c == '=') {
			after_eq = 1;
			in_tok = 1; /* the value belongs to the attribute before it */
			continue;
		}
		after_eq = 0;
		if (!in_tok) {
			in_tok = 1;
			if (++attrs > max_attrs)
				return of_error_set_at(OF_ELIMIT, origin, tag_line, 0,
						       "an element with more than %zu attributes (refused: libxml2 is quadratic in them)",
						       max_attrs);
		}
	}
	return 0;
}
