/* copy.c — writing and removing a stage's copies (images/a.jpg) by the sha256 it recorded. */
#include "onefish/copy.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"
#include "onefish/log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "images/a.jpg": parts neither empty, "." nor "..", not absolute, no backslash. */
static int plain_name(const char *rel)
{
	size_t n = strlen(rel);
	if (!n || n > OF_MAX_PATH || rel[0] == '/' || strchr(rel, '\\'))
		return 0;
	for (const char *p = rel;;) {
		size_t len = strcspn(p, "/");
		if (!len || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (!p[len])
			return 1;
		p += len + 1;
	}
}

/* Each folder of `rel` below `root` made when missing, and a real folder (a symlinked
 * images/ would have the copies written into wherever it points). */
static int own_folders(const char *root, const char *rel)
{
	char *path = of_path_join(root, rel);
	size_t rl = strlen(root) + 1;
	int rc = path ? 0 : of_error_set_oom();
	for (char *p = path ? path + rl : NULL; rc == 0 && p && (p = strchr(p, '/')) != NULL; p++) {
		struct stat st;
		*p = '\0';
		if (lstat(path, &st) != 0) {
			if (errno != ENOENT || (mkdir(path, 0755) != 0 && errno != EEXIST))
				rc = of_error_set_at(OF_ERROR, path, 0, 0, "cannot create folder: %s", strerror(errno));
			else if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
				rc = of_error_set_at(OF_ERROR, path, 0, 0, "is not a folder");
		} else if (S_ISLNK(st.st_mode)) {
			rc = of_error_set_at(OF_ERROR, path, 0, 0,
					     "is a symbolic link: onefish writes its copies only into a folder of its own, "
					     "never through a link (replace the link by a folder, or write to another -o)");
		} else if (!S_ISDIR(st.st_mode)) {
			rc = of_error_set_at(OF_ERROR, path, 0, 0, "is not a folder: cannot copy %s into it", rel);
		}
		*p = '/';
	}
	free(path);
	return rc;
}

int of_copy_write(of_copy_result *out, const char *root, const char *rel, const void *data, size_t len,
		  const char *recorded)
{
	char *path = NULL, want[65], disk[65];
	struct stat st;
	int rc;
	*out = OF_COPY_WRITTEN;
	if (!plain_name(rel))
		return of_error_set_at(OF_EINVALID, rel, 0, 0, "not a plain name inside %s: not written", root);
	if ((rc = own_folders(root, rel)) < 0)
		return rc;
	if (!(path = of_path_join(root, rel)))
		return of_error_set_oom();
	if (lstat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			*out = OF_COPY_LINK;
		else if ((rc = of_sha256_hex(want, data, len)) < 0 || (rc = of_sha256_file(disk, path)) < 0)
			goto done;
		else if (strcmp(disk, want) == 0)
			*out = OF_COPY_SAME;
		else if (!recorded)
			*out = OF_COPY_UNKNOWN;
		else if (strcmp(disk, recorded) != 0)
			*out = OF_COPY_EDITED;
		if (*out != OF_COPY_WRITTEN)
			goto done;
	}
	rc = of_file_write_atomic(path, data, len);
done:
	free(path);
	return rc;
}

int of_copy_mkdir(const char *root, const char *rel)
{
	char *inner = of_path_join(rel, "x"); /* own_folders() checks the folders above a file */
	int rc = !inner ? of_error_set_oom() : plain_name(rel) ? own_folders(root, inner)
				   : of_error_set_at(OF_EINVALID, rel, 0, 0, "not a plain folder name inside %s", root);
	free(inner);
	return rc;
}

int of_copy_kept(of_copy_result r)
{
	return r == OF_COPY_EDITED || r == OF_COPY_UNKNOWN || r == OF_COPY_LINK;
}

void of_copy_warn_kept(const char *root, const char *rel, of_copy_result r)
{
	if (r == OF_COPY_EDITED)
		of_log_warn_at(root, 0, 0,
			       "%s was changed by hand since onefish wrote it: kept; the new copy was not written "
			       "(move it away to get it)", rel);
	else if (r == OF_COPY_UNKNOWN)
		of_log_warn_at(root, 0, 0,
			       "%s is not a copy onefish recorded writing, and differs from the new one: kept; the new "
			       "copy was not written (move it away to get it)", rel);
	else if (r == OF_COPY_LINK)
		of_log_warn_at(root, 0, 0,
			       "%s is a symbolic link or not a file: kept as it is, neither followed nor replaced; the "
			       "new copy was not written (remove it to get it)", rel);
}

int of_copy_remove(const char *root, const char *rel, const char *recorded)
{
	char disk[65], *path;
	int removed = 0;
	if (!recorded || !plain_name(rel) || !of_path_is_own_file(root, rel) || !(path = of_path_join(root, rel)))
		return 0;
	if (of_sha256_file(disk, path) == 0 && strcmp(disk, recorded) == 0)
		removed = unlink(path) == 0;
	of_error_clear();
	free(path);
	return removed;
}
