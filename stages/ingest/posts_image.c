/* posts_image.c — where a post's local image path points: inside the posts
 * folder. Shared by the article stage and `check`, so both find the same
 * pictures and name the same problems. */
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/post.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One spelling of the path, in the post's folder and, for a Markdown post, the folder
 * above it (a pack's posts/ may name the pack's "images/a.jpg" or "../images/a.jpg"). */
static int resolve_in(char **out, const of_post *p, const char *rel)
{
	int rc = of_path_resolve_inside(out, p->base_dir, rel);
	size_t ol = strlen(p->origin);
	if (rc < 0 && rc != OF_ENOMEM && ol > 3 && strcmp(p->origin + ol - 3, ".md") == 0) {
		char *up = of_path_dirname(p->base_dir);
		if (!up)
			return of_error_set_oom();
		free(*out);
		*out = NULL;
		rc = of_path_resolve_inside(out, up, rel);
		/* "../images/a.jpg" is relative to posts/: strip one "../" for the folder above */
		if (rc < 0 && rc != OF_ENOMEM && strncmp(rel, "../", 3) == 0) {
			free(*out);
			*out = NULL;
			rc = of_path_resolve_inside(out, up, rel + 3);
		}
		free(up);
	}
	return rc;
}

/* One spelling in the post's folders, then in `also_root`. */
static int resolve_spelling(char **out, const of_post *p, const char *rel, const char *also_root)
{
	int rc = resolve_in(out, p, rel);
	if (rc < 0 && rc != OF_ENOMEM && also_root) {
		free(*out);
		*out = NULL;
		rc = of_path_resolve_inside(out, also_root, rel);
	}
	return rc;
}

int of_post_resolve_image(char **out, const of_post *p, const char *rel, const char *also_root)
{
	*out = NULL;
	return resolve_spelling(out, p, rel, also_root);
}

const char *of_post_image_problem(char *buf, size_t n, const char *rel, int rc)
{
	(void)rel;
	snprintf(buf, n, "%s", rc == OF_EINVALID ? "is outside the posts folder" : "not found");
	return buf;
}
