/* fileio.h — reading inputs with caps, writing outputs atomically, paths. */
#ifndef ONEFISH_FILEIO_H
#define ONEFISH_FILEIO_H

#include <stddef.h>
#include <stdio.h>

/**
 * Reads a whole regular file (FIFOs, devices and directories are refused,
 * without blocking). The content is NUL-terminated; `*len_out` excludes the NUL.
 * Caller frees `*out` with free().
 * @return 0, OF_ENOTFOUND, OF_EINVALID (not a regular file), OF_ELIMIT (larger than `max`), OF_ERROR.
 */
int of_file_read(char **out, size_t *len_out, const char *path, size_t max);

/**
 * Writes `len` bytes to `path` atomically: a temporary file in the same
 * folder, fsync, then rename. On failure no partial file remains.
 * @return 0 or OF_ERROR (error names the path and errno text).
 */
int of_file_write_atomic(const char *path, const void *data, size_t len);

/** of_file_write_atomic() of `dir`/`name`. @return 0, OF_ERROR or OF_ENOMEM. */
int of_file_write_atomic_in(const char *dir, const char *name, const void *data, size_t len);

/** A file being written under a temporary name until of_atomic_commit(). */
typedef struct of_atomic of_atomic;

/**
 * Opens `path` for atomic writing. Write through of_atomic_fp(), then commit
 * or abort. Free with of_atomic_commit() or of_atomic_abort(), never both.
 * @return 0 or OF_ERROR.
 */
int of_atomic_open(of_atomic **out, const char *path);

/** The stdio stream of an open atomic file; owned by it. */
FILE *of_atomic_fp(of_atomic *a);

/** The temporary path being written (owned by `a`), for libraries that open paths themselves. */
const char *of_atomic_tmp_path(const of_atomic *a);

/** Flushes, fsyncs and renames into place, then frees `a`. Returns 0 or OF_ERROR (temp removed). */
int of_atomic_commit(of_atomic *a);

/** Removes the temporary file and frees `a`. Accepts NULL. */
void of_atomic_abort(of_atomic *a);

/**
 * Removes every temporary file still open. Async-signal-safe (unlink only):
 * call it from a SIGINT/SIGTERM handler so an interrupted run leaves no partial file.
 */
void of_atomic_cleanup_all(void);

/** Creates `path` and its parents (mode 0755). Returns 0 or OF_ERROR. */
int of_mkdirs(const char *path);

/** Joins two path parts with one '/'. Caller frees with free(). NULL on OOM. */
char *of_path_join(const char *a, const char *b);

/** The folder part of `path` ("." when none). Caller frees with free(). */
char *of_path_dirname(const char *path);

/** The last component of `path` (pointer into `path`, borrowed). */
const char *of_path_basename(const char *path);

/**
 * Writes into `dst` (size `n` > 0, always NUL-terminated) a file-name part
 * made from `s[0..len)`: letters and digits of any script, '-', '_' and '.'
 * are kept (蛋糕.jpg stays 蛋糕.jpg), anything else becomes '_'. Whole
 * characters only, so a long name is never cut inside one. Returns the
 * length written (0 when `s` is empty).
 */
size_t of_path_safe_part(char *dst, size_t n, const char *s, size_t len);

/**
 * Outputs name their inputs relative to this folder (the pack's, in a pack
 * stage): `pk/posts.jsonl` and `/ci/ws/pk/posts.jsonl` are both `posts.jsonl`,
 * so the same pack gives the same bytes wherever it was checked out. NULL
 * clears it. The string is copied. Process-wide; set before any stage runs.
 */
void of_path_set_display_root(const char *dir);

/**
 * `path` as an output should name it: relative to the display root when it
 * lies inside it (a pointer into `path`), else `path` itself. Never NULL for
 * a non-NULL `path`.
 */
const char *of_path_display(const char *path);

/** Non-zero if the file at `path` starts like a JPEG, PNG, GIF or WebP picture (its bytes, not its name). */
int of_path_is_image(const char *path);

/** Non-zero if `path` exists and is a regular file / a directory. */
int of_path_is_file(const char *path);
int of_path_is_dir(const char *path);

/**
 * Resolves `rel` against `root` and checks that the real path stays inside
 * `root` (no "..", absolute path or symlink escaping it).
 * Caller frees `*out` with free().
 * @return 0, OF_ENOTFOUND (does not exist), OF_EINVALID (escapes the root).
 */
int of_path_resolve_inside(char **out, const char *root, const char *rel);

/**
 * Whether `rel` names a regular file of onefish's own under `root` that may be
 * removed or replaced: a plain relative path (not empty or absolute, no "." or
 * ".." part, no backslash) whose every folder below `root` is a real folder and
 * whose last part is a regular file, none of them a symlink (a manifest or a
 * careless link must not make a cleanup reach outside `root`).
 * @return 1 or 0; never sets an error.
 */
int of_path_is_own_file(const char *root, const char *rel);

/**
 * A relative path as the path of a URL (file references in timeline.fcpxml):
 * every byte but ASCII letters, digits, "-._~" and "/" percent-encoded
 * ("images/我的 照片.jpg" → "images/%E6%88%91%E7%9A%84%20%E7%85%A7%E7%89%87.jpg").
 * Caller frees the result with free(); NULL when out of memory.
 */
char *of_path_url_encode(const char *path);

/** Lower-case hex SHA-256 of a buffer / a file into `hex` (65 bytes). Returns 0 or an error. */
int of_sha256_hex(char hex[65], const void *data, size_t len);
int of_sha256_file(char hex[65], const char *path);

/**
 * Whether an editor changed a file onefish wrote: 1 when `dir`/`name` exists and
 * `record_json` (a JSON file onefish wrote beside it, both under `dir`) names at
 * `key` a sha256 the file no longer has; 2 when the file exists but the record is
 * missing, unreadable or has no `key` (it may have been edited: it cannot be told);
 * 0 otherwise (no file, or the file as written). Errors are cleared.
 */
int of_file_edited_since(const char *dir, const char *name, const char *record_json, const char *key);

/**
 * Renames `dir`/`name` to the first free `stem.edited.ext`, `stem.edited-2.ext`, … beside it,
 * so a file that may hold an editor's work is kept when a new one is written; `kept` gets the
 * new name (relative to `dir`). @return 0 or an error naming the file.
 */
int of_file_keep_aside(const char *dir, const char *name, char *kept, size_t kept_size);

/**
 * Before a stage writes `dir`/`name` again: unless `force`, refuses (OF_ERROR, naming it) when an
 * editor changed it since `record_json` recorded it (of_file_edited_since() 1), and keeps it aside
 * as `*.edited.*` with a warning when no record can tell (2). @return 0 to go on, or the error.
 */
int of_file_guard_edit(const char *dir, const char *name, const char *record_json, const char *key, int force);

/** xxHash64 of a buffer (cache keys). */
unsigned long long of_xxh64(const void *data, size_t len, unsigned long long seed);

/**
 * Finds a file shipped in assets/ (`rel` like "themes/warm.css"):
 * $ONEFISH_DATADIR, then <exe>/../assets, then the install prefix.
 * Caller frees `*out` with free().
 * @return 0, or OF_ENOTFOUND with the error naming the file where it was looked for
 * first (`path`), the other places, and ONEFISH_DATADIR / reinstalling as the fix.
 */
int of_asset_path(char **out, const char *rel);

#endif
