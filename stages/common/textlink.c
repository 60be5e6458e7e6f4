/* textlink.c — the link test shared by the comment readers and the intent rules
 * (strcasestr: the build defines _GNU_SOURCE). */
#include "common/textlink.h"

#include <string.h>
#include <strings.h>

int of_text_has_link(const char *s)
{
	static const char *pats[] = {"http://", "https://", "www.", "t.cn/", "bit.ly/", "dwz.cn", ".com/",
				     ".cn/",    ".com ",    ".net/", ".top/", NULL};
	for (const char **p = pats; *p; p++)
		if (strcasestr(s, *p))
			return 1;
	size_t k = strlen(s);
	return (k > 4 && strcasecmp(s + k - 4, ".com") == 0) || (k > 3 && strcasecmp(s + k - 3, ".cn") == 0);
}
