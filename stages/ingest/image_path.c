/* image_path.c — where an input's local image path points: inside the input's
 * folder, as written; with a Windows '\' read as '/' when it is not found as
 * written; and last with the letters' case ignored, part by part (a post or an
 * article written on Windows names IMAGES\0101.JPG for images/0101.jpg). The one
 * lookup of the article stage, `check` and the script stage (image_path.h). */
#include "ingest/image_path.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"
#include "onefish/log.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

int of_image_is_remote(const char *rel)
{
	return strncasecmp(rel, "http://", 7) == 0 || strncasecmp(rel, "https://", 8) == 0;
}

int of_image_is_windows_absolute(const char *rel)
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

/* How one lookup pass searches, and what it found besides the path. */
typedef struct lookup {
	int fold;      /* a part not there as written may match with its ASCII letters' case ignored */
	char *fixed;   /* the spelling found that way (heap), relative as the post writes it */
	char amb[700]; /* two entries differ from a part only in case: the search stops, refused */
} lookup;

/* Equal with ASCII letters' case ignored; every other byte compared as is (UTF-8 names,
 * whatever the locale, are never folded). */
static int same_folded(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y + 32);
		if (x != y)
			return 0;
	}
	return *a == *b;
}

/* Non-zero when the real path of `dir` is `real_root` or lies inside it. */
static int dir_inside(const char *real_root, const char *dir)
{
	char *real = realpath(dir, NULL);
	size_t n = strlen(real_root);
	int in = real && strncmp(real, real_root, n) == 0 && (real[n] == '/' || real[n] == '\0' || n == 1);
	free(real);
	return in;
}

/* Appends a copy of `name` to `*names`. 0 or OF_ENOMEM. */
static int push_name(char ***names, size_t *n, const char *name)
{
	char **grown = realloc(*names, (*n + 1) * sizeof *grown);
	if (!grown)
		return of_error_set_oom();
	*names = grown;
	if (!(grown[*n] = strdup(name)))
		return of_error_set_oom();
	(*n)++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of folder `dir` equal to `part` with case ignored, sorted by name (so the
 * answer does not depend on the file system's order). At most OF_MAX_CASE_SCAN_ENTRIES
 * entries are read: a bigger folder gives no match at all, every time. */
static int matches_in(char ***names, size_t *n, const char *dir, const char *part)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t seen = 0;
	int rc = 0;
	*names = NULL;
	*n = 0;
	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL && rc == 0) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (++seen > OF_MAX_CASE_SCAN_ENTRIES) {
			rc = 1;
			break;
		}
		if (same_folded(e->d_name, part) && push_name(names, n, e->d_name) < 0)
			rc = OF_ENOMEM;
	}
	closedir(d);
	if (rc) {
		for (size_t i = 0; i < *n; i++)
			free((*names)[i]);
		free(*names);
		*names = NULL;
		*n = 0;
		return rc < 0 ? rc : 0;
	}
	if (*n > 1)
		qsort(*names, *n, sizeof **names, by_name);
	return 0;
}

/* Spells `rel` (parts split on '/') as it is on disk under `root`: each part that is not
 * there as written becomes the one entry of its folder whose name is the same with ASCII
 * case ignored. A folder is listed only when its real path is inside `root`, so nothing
 * outside the posts folder is read, not even names; "." and ".." parts are kept as they
 * are (the containment check on the result refuses a path that leaves the folder).
 * @return 0 (lk->fixed set, a spelling that differs from `rel`), OF_ENOTFOUND (some part
 * matches nothing), OF_EINVALID (lk->amb names two entries that match a part), OF_ENOMEM. */
static int fold_case(lookup *lk, const char *root, const char *rel)
{
	char fixed[OF_MAX_PATH], dir[OF_MAX_PATH], path[OF_MAX_PATH];
	char *real_root = realpath(root, NULL);
	size_t fl = 0;
	int changed = 0, rc = OF_ENOTFOUND;
	fixed[0] = '\0';
	if (!real_root)
		return errno == ENOMEM ? of_error_set_oom() : OF_ENOTFOUND;
	for (const char *s = rel; *s;) {
		size_t w = strcspn(s, "/");
		char part[256];
		if (w == 0) {
			s++;
			continue;
		}
		if (w >= sizeof part)
			goto done;
		memcpy(part, s, w);
		part[w] = '\0';
		s += w;
		if ((size_t)snprintf(dir, sizeof dir, "%s%s%s", root, fl ? "/" : "", fixed) >= sizeof dir ||
		    (size_t)snprintf(path, sizeof path, "%s/%s", dir, part) >= sizeof path)
			goto done;
		struct stat sb;
		if (strcmp(part, ".") && strcmp(part, "..") && lstat(path, &sb) != 0) {
			char **names = NULL;
			size_t n = 0;
			if (!dir_inside(real_root, dir))
				goto done;
			if ((rc = matches_in(&names, &n, dir, part)) < 0)
				goto done;
			rc = OF_ENOTFOUND;
			if (n == 1) {
				snprintf(part, sizeof part, "%s", names[0]);
				changed = 1;
			} else if (n > 1) {
				/* neither is the one the post names: picking one would depend on luck */
				snprintf(lk->amb, sizeof lk->amb, "'%.160s%s%.160s' and '%.160s%s%.160s'%s", fixed, fl ? "/" : "",
					 names[0], fixed, fl ? "/" : "", names[1], n > 2 ? " (and others)" : "");
				rc = OF_EINVALID;
			}
			for (size_t i = 0; i < n; i++)
				free(names[i]);
			free(names);
			if (n != 1)
				goto done;
		}
		size_t pl = strlen(part);
		if (fl + (fl ? 1 : 0) + pl + 1 > sizeof fixed)
			goto done;
		if (fl)
			fixed[fl++] = '/';
		memcpy(fixed + fl, part, pl + 1);
		fl += pl;
	}
	if (changed)
		rc = (lk->fixed = strdup(fixed)) ? 0 : of_error_set_oom();
done:
	free(real_root);
	return rc;
}

/* `rel` under `root`: as written, or (lk->fold) with case ignored where it is not there as written. */
static int lookup_in(char **out, lookup *lk, const char *root, const char *rel)
{
	int rc;
	if (!lk->fold)
		return of_path_resolve_inside(out, root, rel);
	if ((rc = fold_case(lk, root, rel)) < 0)
		return rc;
	/* the same containment check as a path found as written: a symlink out is refused */
	if ((rc = of_path_resolve_inside(out, root, lk->fixed)) < 0) {
		free(lk->fixed);
		lk->fixed = NULL;
	}
	return rc;
}

/* Non-zero when a lookup must go on to the next place: not found there (an ambiguous name
 * stops the search, so the answer never depends on which folder happens to come first). */
static int go_on(int rc, const lookup *lk)
{
	return rc < 0 && rc != OF_ENOMEM && !lk->amb[0];
}

/* One spelling in the input's folder and, with lk->root_above, the folder above it (a pack's
 * posts/ may name the pack's "images/a.jpg" or "../images/a.jpg"). */
static int resolve_in(char **out, lookup *lk, const of_image_lookup *w, const char *rel)
{
	int rc = lookup_in(out, lk, w->root, rel);
	if (go_on(rc, lk) && w->root_above) {
		char *up = of_path_dirname(w->root);
		if (!up)
			return of_error_set_oom();
		free(*out);
		*out = NULL;
		rc = lookup_in(out, lk, up, rel);
		/* "../images/a.jpg" is relative to posts/: strip one "../" for the folder above */
		if (go_on(rc, lk) && strncmp(rel, "../", 3) == 0) {
			free(*out);
			*out = NULL;
			rc = lookup_in(out, lk, up, rel + 3);
			if (rc == 0 && lk->fixed) { /* named as the input writes it, from its folder */
				char *named = malloc(strlen(lk->fixed) + 4);
				if (!named)
					rc = of_error_set_oom();
				else
					snprintf(named, strlen(lk->fixed) + 4, "../%s", lk->fixed);
				free(lk->fixed);
				lk->fixed = named;
			}
		}
		free(up);
	}
	return rc;
}

/* One spelling in the input's folders, then in w->also_root. */
static int resolve_spelling(char **out, lookup *lk, const of_image_lookup *w, const char *rel)
{
	int rc = resolve_in(out, lk, w, rel);
	if (go_on(rc, lk) && w->also_root) {
		free(*out);
		*out = NULL;
		rc = lookup_in(out, lk, w->also_root, rel);
	}
	return rc;
}

int of_image_resolve(char **out, const char *rel, const of_image_lookup *w)
{
	int win_abs = of_image_is_windows_absolute(rel), rc;
	char *alt = NULL;
	lookup lk = {0};
	*out = NULL;
	/* as written first: on Linux a file name may hold a '\' */
	rc = resolve_spelling(out, &lk, w, rel);
	/* written on Windows (images\0101.jpg, .\photos\a.jpg): '\' is a folder separator there.
	 * The same containment check runs on the result, so ..\..\etc\passwd is refused exactly
	 * as ../../etc/passwd is. A Windows absolute path is never rewritten. */
	if (rc == OF_ENOTFOUND && !win_abs && strchr(rel, '\\')) {
		if (!(alt = slashed(rel)))
			return OF_ENOMEM;
		free(*out);
		*out = NULL;
		rc = resolve_spelling(out, &lk, w, alt);
	}
	/* Last, the letters' case ignored, part by part (Windows and macOS do not tell IMAGES from
	 * images): the same folders in the same order, each spelling. */
	if (rc == OF_ENOTFOUND && !win_abs) {
		lk.fold = 1;
		free(*out);
		*out = NULL;
		rc = resolve_spelling(out, &lk, w, rel);
		if (rc == OF_ENOTFOUND && alt && !lk.amb[0]) {
			free(*out);
			*out = NULL;
			rc = resolve_spelling(out, &lk, w, alt);
		}
	}
	free(alt);
	if (rc == 0 && lk.fixed)
		of_log_warn_at(w->origin, w->line, 0, "%s%simage '%.200s' found as '%.200s' (the name differs in case: "
			       "write it as it is on disk)", w->subject ? w->subject : "", w->subject ? ": " : "", rel,
			       lk.fixed);
	free(lk.fixed);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		if (rc == OF_ENOMEM)
			return of_error_set_oom();
		char why[800];
		if (lk.amb[0])
			snprintf(why, sizeof why, "matches both %s, names that differ only in case (neither is written so): "
				 "rename one", lk.amb);
		else
			of_image_problem(why, sizeof why, rel, rc, w->input);
		return of_error_set_at(rc, w->origin, w->line, 0, "image '%.200s' %s", rel, why);
	}
	return 0;
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

const char *of_image_problem(char *buf, size_t n, const char *rel, int rc, int input)
{
	int article = input == OF_IMAGE_IN_ARTICLE;
	if (of_image_is_windows_absolute(rel)) {
		char where[32];
		if (rel[1] == ':')
			snprintf(where, sizeof where, "drive %c:", rel[0]);
		else
			snprintf(where, sizeof where, "%s", rel[1] == '\\' ? "a network share" : "the root of a drive");
		/* a file on the computer that wrote the input: say so, and what to write instead */
		snprintf(buf, n,
			 "is an absolute Windows path (%s), which cannot be read here: copy the picture beside the "
			 "%s and give its path relative to it, such as images\\%.80s",
			 where, article ? "article" : "posts file", last_part(rel));
	} else if (rc == OF_EINVALID) {
		snprintf(buf, n, "is outside the %s folder", article ? "article's" : "posts");
	} else if (strchr(rel, '\\')) {
		char *alt = slashed(rel);
		snprintf(buf, n, "not found (nor as '%.200s')", alt ? alt : "");
		free(alt);
	} else {
		snprintf(buf, n, "not found");
	}
	return buf;
}
