/* image_path.h — where a local image path named by an input points on disk: the one
 * lookup of stage 1 (posts: `onefish article`, `onefish check`) and stage 2 (the article
 * given to `onefish script`), so both find the same pictures, warn the same way and refuse
 * the same paths. Private to stages/ (include/onefish/post.h wraps it for posts). */
#ifndef ONEFISH_IMAGE_PATH_H
#define ONEFISH_IMAGE_PATH_H

#include <stddef.h>

/** Which input names the image: only the words of messages differ. */
enum {
	OF_IMAGE_IN_POSTS = 0,  /**< "outside the posts folder", "beside the posts file" */
	OF_IMAGE_IN_ARTICLE = 1 /**< "outside the article's folder", "beside the article" */
};

/** Where and for whom one image path is looked up. Every pointer is borrowed for the call. */
typedef struct of_image_lookup {
	const char *origin;    /**< the file that names the image, for messages */
	unsigned long line;    /**< the image's line in `origin` (its own: an <img>, a ![](…)); 0 unknown */
	const char *subject;   /**< the record the warning is about ("post 'p01'"), or NULL for none */
	const char *root;      /**< folder a path is relative to; what is found must stay inside it */
	int root_above;        /**< also search the folder above `root`, reading a leading "../" from
				    `root` (a Markdown post in a pack's posts/ naming images/a.jpg or
				    ../images/a.jpg of the pack); each folder is its own containment root */
	const char *also_root; /**< searched last (same rules), or NULL */
	int input;             /**< OF_IMAGE_IN_POSTS or OF_IMAGE_IN_ARTICLE */
} of_image_lookup;

/**
 * Finds local image path `rel` (borrowed; not a URL: see of_image_is_remote) on disk.
 * In each folder (`root`, then the one above when `root_above`, then `also_root`) the path
 * is looked up as written first: a Linux file name may hold a '\'. Only when that is found
 * nowhere, a relative path holding '\' is looked up again with every '\' read as '/' (a path
 * written on Windows: "images\0101.jpg", ".\photos\a.jpg"). Last, when neither is found,
 * each part that is not there as written is matched against its folder's entries with ASCII
 * letters' case ignored (IMAGES\0101.JPG finds images/0101.jpg), in the same folders and
 * order; such a find is logged as a warning at `origin:line` naming the name on disk
 * ("SUBJECT: image 'REL' found as 'NAME' (the name differs in case: write it as it is on
 * disk)"). Two entries that differ from a part only in case (0101.jpg and 0101.JPG, neither
 * written so) refuse the image with OF_EINVALID naming both; a folder of more than
 * OF_MAX_CASE_SCAN_ENTRIES entries is not searched that way. Every lookup checks that the
 * real path (symlinks followed) stays in its folder, so "..\..\etc\passwd" is refused as
 * "../../etc/passwd" is, an absolute path ("/etc/passwd") is refused, and a folder outside is
 * never listed. A Windows absolute path ("C:\Users\…", "\\server\…") is never rewritten; a
 * "file:///…" or "ftp://…" path is a relative path like any other (and not found).
 * On failure the thread's error (of_error_last()) holds `origin:line` and the message
 * "image 'REL' PROBLEM" (PROBLEM as of_image_problem() words it, or the two names).
 * @param[out] out the real path; caller frees with free(). NULL on failure.
 * @return 0, OF_ENOTFOUND (nowhere), OF_EINVALID (it leaves its folder, or is ambiguous), OF_ENOMEM.
 */
int of_image_resolve(char **out, const char *rel, const of_image_lookup *lk);

/**
 * Why image `rel` cannot be used, for a message that goes on after "image 'REL' ": "not
 * found", "not found (nor as 'images/0101.jpg')" (a path with '\'), "is outside the posts
 * folder" (`rc` OF_EINVALID; "the article's folder" for OF_IMAGE_IN_ARTICLE), or, for a
 * Windows absolute path, what it is and what to write instead. `rc` is what
 * of_image_resolve() returned. Written into `buf` (`n` bytes, truncated to fit), which is
 * returned. Cannot fail.
 */
const char *of_image_problem(char *buf, size_t n, const char *rel, int rc, int input);

/**
 * Non-zero when image path `rel` is remote: it starts "http://" or "https://" (the scheme's
 * case ignored, as in any URL: "HTTP://…"), and is fetched under the URL policy rather than
 * looked up with of_image_resolve(); any other path, a "file:///…" or "ftp://…" included, is a
 * local path. Cannot fail.
 */
int of_image_is_remote(const char *rel);

/**
 * Non-zero when `rel` is a Windows absolute path: a drive ("C:\…", "C:/…"), a network
 * share ("\\server\…") or a drive's root ("\Users\…"). Cannot fail.
 */
int of_image_is_windows_absolute(const char *rel);

#endif
