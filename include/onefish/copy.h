/* copy.h — the files a stage copies into its output folder (images/a.jpg),
 * written and removed without ever touching one an editor changed. */
#ifndef ONEFISH_COPY_H
#define ONEFISH_COPY_H

#include <stddef.h>

/**
 * @file
 * @brief Copies a stage makes in its output folder, guarded by what it recorded.
 *
 * A stage command (`onefish article -o DIR`, `onefish script -o DIR`) copies photos into
 * DIR/images/ and records the sha256 of each copy it wrote (article.trace.json's
 * `images_sha256`, script.json's `generated.images`). On the next run into DIR, a copy is
 * replaced only while its bytes are still the recorded ones, and removed (no longer used)
 * only then and only when it is a plain file of DIR's own (of_path_is_own_file()): a copy
 * an editor cropped, one onefish has no record of, or a symlink put in its place stays.
 */

/** What of_copy_write() found at the copy's name and did. */
typedef enum {
	OF_COPY_WRITTEN = 0, /**< nothing there, or the copy as onefish recorded it: written */
	OF_COPY_SAME = 1,    /**< already these very bytes: nothing written */
	OF_COPY_EDITED = 2,  /**< a file whose bytes differ from the record: kept, nothing written */
	OF_COPY_UNKNOWN = 3, /**< a differing file no record names (not known to be onefish's): kept */
	OF_COPY_LINK = 4     /**< a symlink or other non-file: kept, neither followed nor replaced */
} of_copy_result;

/**
 * Writes `len` bytes of `data` to `root`/`rel` atomically, unless what is there is not
 * onefish's to replace (see of_copy_result). `rel` is a plain relative name ("images/a.jpg":
 * no "..", "." or empty part, not absolute, no backslash); each folder of it below `root` is
 * created when missing and must be a real folder, not a symlink to one.
 * `data` and `recorded` are borrowed for the duration of the call.
 * @param[out] out     what was found and done
 * @param recorded     lower-case hex sha256 the file had when onefish last wrote it, or NULL
 * @return 0; OF_EINVALID when `rel` is not a plain name; OF_ERROR naming the folder on the way
 *         that is a link or not a folder, or naming the file that could not be written.
 */
int of_copy_write(of_copy_result *out, const char *root, const char *rel, const void *data, size_t len,
		  const char *recorded);

/**
 * Makes the folder `root`/`rel` (each part below `root` made when missing) and checks that
 * every part is a real folder, none a symlink: where a stage puts its copies ("images").
 * @return 0; OF_EINVALID when `rel` is not a plain name; OF_ERROR naming the part that is a
 *         link or not a folder, or cannot be made.
 */
int of_copy_mkdir(const char *root, const char *rel);

/** Whether `r` is one of the results that kept a file in the way (nothing was written). */
int of_copy_kept(of_copy_result r);

/**
 * Logs the warning for a copy of_copy_write() kept (`r` one of the kept results), naming
 * `root` and `rel`: "ROOT: warning: images/a.jpg was changed by hand since onefish wrote it:
 * kept; the new copy was not written (move it away to get it)". Counts as a warning.
 */
void of_copy_warn_kept(const char *root, const char *rel, of_copy_result r);

/**
 * Removes `root`/`rel` when it is still the copy onefish wrote: a plain file of `root`'s own
 * (of_path_is_own_file(): no "..", absolute path or symlink on the way) whose sha256 is
 * `recorded`. Never follows a link, never sets an error.
 * @return 1 removed; 0 kept (changed since, a link, outside, not there, or `recorded` NULL).
 */
int of_copy_remove(const char *root, const char *rel, const char *recorded);

#endif
