/* posts_image.c — a post's image lookup (include/onefish/post.h): the shared
 * lookup of image_path.c, in the post's folder, named by the post's id and the
 * image's own line. The article stage and `check` call it, so both find the same
 * pictures, warn the same way and name the same problems as the script stage. */
#include "ingest/image_path.h"
#include "onefish/error.h"
#include "onefish/post.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int of_post_image_is_remote(const char *rel)
{
	return of_image_is_remote(rel);
}

int of_post_image_is_windows_absolute(const char *rel)
{
	return of_image_is_windows_absolute(rel);
}

const char *of_post_image_problem(char *buf, size_t n, const char *rel, int rc)
{
	return of_image_problem(buf, n, rel, rc, OF_IMAGE_IN_POSTS);
}

int of_post_resolve_image(char **out, const of_post *p, size_t i, const char *also_root)
{
	const char *id = p->id ? p->id : "";
	size_t ol = strlen(p->origin), sl = strlen(id) + 8;
	char *subject = malloc(sl);
	int rc;
	*out = NULL;
	if (!subject)
		return of_error_set_oom();
	snprintf(subject, sl, "post '%s'", id);
	of_image_lookup lk = {
		.origin = p->origin,
		/* the image's own line where the reader knows it (a Markdown body's, an HTML <img>) */
		.line = p->image_lines && p->image_lines[i] ? p->image_lines[i] : p->line,
		.subject = subject,
		.root = p->base_dir,
		/* a Markdown post in a pack's posts/ may name the pack's images/ */
		.root_above = ol > 3 && strcmp(p->origin + ol - 3, ".md") == 0,
		.also_root = also_root,
		.input = OF_IMAGE_IN_POSTS,
	};
	rc = of_image_resolve(out, p->images[i], &lk);
	free(subject);
	return rc;
}
