/* textlink.h (private) — does a chat text carry a link? Shared by the comment
 * readers (which must not rewrite a link's characters) and the intent rules
 * (a link is spam), so both agree on what a link is. */
#ifndef ONEFISH_COMMON_TEXTLINK_H
#define ONEFISH_COMMON_TEXTLINK_H

/**
 * Returns 1 when the NUL-terminated `s` holds something that reads as a link
 * ("http://", "www.", short-link hosts, "x.com/…", a final ".com"/".cn"),
 * ASCII case ignored; otherwise 0. Cannot fail.
 */
int of_text_has_link(const char *s);

#endif
