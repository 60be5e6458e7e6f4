/* posts_image.c — where a post's local image path points: inside the posts
 * folder, as written, or with a Windows '\' read as '/' when it is not found
 * as written. Shared by the article stage and `check`, so both find the same
 * pictures and name the same problems. */
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/post.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int of_post_image_is_windows_absolute(const char *rel)
{
	if (((rel[0] >= 'A' && rel[0] <= 'Z') || (rel[0] >= 'a' && rel[0] <= 'z')) && rel[1] == ':' &&
	    (rel[2] == '\\' || rel[2] == '/'))
		return 1; /* C:\Users\…, C:/Users/… */
	return rel[0] == '\\'; /* \\server\share\… (a network share), \Users\… (the root of a drive) */
}

/* `rel` with every '\' as '/', or NULL (OF_ENOMEM set) — the caller knows it holds one. */
static char *slashed(const char *rel)
{
	char *s = strdup(rel);
	if (!s) {
		of_error_set_oom();
		return NULL;
	}
	for (char *p = s; *p; p++)
		if (*p == '\\')
			*p = '/';
	return s;
}

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
	char *alt;
	int rc;
	*out = NULL;
	/* as written first: on Linux a file name may hold a '\' */
	rc = resolve_spelling(out, p, rel, also_root);
	if (rc != OF_ENOTFOUND || !strchr(rel, '\\') || of_post_image_is_windows_absolute(rel))
		return rc;
	/* written on Windows (images\0101.jpg, .\photos\a.jpg): '\' is a folder separator there.
	 * The same containment check runs on the result, so ..\..\etc\passwd is refused exactly
	 * as ../../etc/passwd is. */
	if (!(alt = slashed(rel)))
		return OF_ENOMEM;
	free(*out);
	*out = NULL;
	rc = resolve_spelling(out, p, alt, also_root);
	free(alt);
	return rc;
}

/* The last part of a Windows or POSIX path ("0101.jpg"). */
static const char *last_part(const char *rel)
{
	const char *b = rel;
	for (const char *s = rel; *s; s++)
		if (*s == '\\' || *s == '/')
			b = s + 1;
	return b;
}

const char *of_post_image_problem(char *buf, size_t n, const char *rel, int rc)
{
	if (of_post_image_is_windows_absolute(rel)) {
		char where[32];
		if (rel[1] == ':')
			snprintf(where, sizeof where, "drive %c:", rel[0]);
		else
			snprintf(where, sizeof where, "%s", rel[1] == '\\' ? "a network share" : "the root of a drive");
		/* a file on the computer that wrote the posts: say so, and what to write instead */
		snprintf(buf, n,
			 "is an absolute Windows path (%s), which cannot be read here: copy the picture beside the "
			 "posts file and give its path relative to it, such as images\\%.80s",
			 where, last_part(rel));
	} else if (rc == OF_EINVALID) {
		snprintf(buf, n, "is outside the posts folder");
	} else if (strchr(rel, '\\')) {
		char *alt = slashed(rel);
		snprintf(buf, n, "not found (nor as '%.200s')", alt ? alt : "");
		free(alt);
	} else {
		snprintf(buf, n, "not found");
	}
	return buf;
}
