/* posts_refuse.c — a comment log given where posts are read: told by its records' shape and
 * refused, as a posts file given as a comment log is (comments_json.c, comments_text.c). */
#include "comments_int.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "posts_int.h"

#include <stdio.h>
#include <string.h>

int of_posts__refuse_comment_log(const json_t *o, const char *origin, unsigned long line)
{
	static const char *const post_keys[] = {"images", "likes", "tags", "comments", NULL};
	const json_t *t = json_object_get(o, "time"), *v;
	const char *key;
	of_buf named;
	size_t n = 0;
	int rc = 0;
	for (const char *const *k = post_keys; *k; k++)
		if (json_object_get(o, *k))
			return 0;
	of_buf_init(&named, 1024);
	json_object_foreach((json_t *)o, key, v) {
		if (of_comments__only_key(key) && n < 4)
			of_buf_printf(&named, "%s'%s'", n++ ? ", " : "", key);
	}
	if (json_is_number(t)) /* a post's time is a date; a comment's, seconds into the stream */
		of_buf_printf(&named, "%sa time in seconds from the stream's start ('time': %g)", n++ ? " and " : "",
			      json_number_value(t));
	if (n)
		rc = of_error_set_at(OF_EINVALID, origin, line, 0,
				     "looks like a comment log, not a posts file: its records have a comment's %s and "
				     "none of a post's images, likes or tags; comment logs go to 'onefish prompts' "
				     "(a pack's comments:), posts to 'onefish article'",
				     of_buf_cstr(&named));
	of_buf_free(&named);
	return rc;
}
