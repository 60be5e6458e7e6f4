/* post.h — the post model (one WeChat Moments post) and its readers:
 * JSON Lines, CSV with a header row, a folder of Markdown files with YAML
 * front matter, and a saved HTML page of posts. See docs/article.md. */
#ifndef ONEFISH_POST_H
#define ONEFISH_POST_H

#include <stddef.h>

/** One post. Every string is owned by the of_posts list holding it. */
typedef struct of_post {
	char *id;
	char *time;           /**< the time as written, or NULL */
	long long epoch;      /**< seconds since 1970 UTC, when has_time */
	int has_time;         /**< 0: no time or unparsable (a warning was logged) */
	char *author;         /**< may be NULL */
	char *text;           /**< valid UTF-8 (control characters dropped), may be "" */
	char **images;        /**< as written: relative to `base_dir`, or http(s) URLs */
	size_t n_images;
	unsigned long *image_lines; /**< per image, its line in `origin` when the reader knows it (an image
				      in a Markdown post's body), else 0; NULL when none is known */
	char **tags;          /**< from the tags field (hashtags in the text are added later) */
	size_t n_tags;
	long likes;           /**< >= 0 */
	size_t n_comments;
	const char *origin;   /**< file the post came from (owned by the list) */
	const char *base_dir; /**< folder image paths are relative to (owned by the list) */
	unsigned long line;   /**< 1-based line of the record in `origin` (1 for one-file posts) */
	unsigned long time_line; /**< the line of the time in `origin` when the reader knows it (a Markdown
				   post's `time:` in its front matter), else 0: warnings about the time name it */
} of_post;

/** A list of posts; fields are read-only for callers. */
typedef struct of_posts {
	of_post *items;
	size_t n;
	size_t cap_;
	char **strings_; /**< origins and base folders, owned */
	size_t n_strings_;
	void *ids_;      /**< private id index (duplicate detection) */
} of_posts;

/** How the readers treat bad records. */
typedef struct of_posts_read_options {
	unsigned version;
	int strict;            /**< a bad record fails the read with OF_EINVALID (or OF_ELIMIT) */
	size_t max_post_bytes; /**< text cap per post (OF_MAX_POST_BYTES) */
	size_t max_posts;      /**< OF_MAX_POSTS */
	long long now;         /**< for the "time in the future" warning; 0 = do not check */
} of_posts_read_options;

#define OF_POSTS_READ_OPTIONS_VERSION 1
#define OF_POSTS_READ_OPTIONS_INIT {OF_POSTS_READ_OPTIONS_VERSION, 0, 0, 0, 0}

/** Counts of what a read saw. */
typedef struct of_posts_read_stats {
	size_t records; /**< records seen (good + bad) */
	size_t bad;     /**< records skipped, each reported as file:line: reason */
} of_posts_read_stats;

/** Initialises an empty list. Cannot fail. */
void of_posts_init(of_posts *p);

/** Frees every post and string; the list is empty and reusable afterwards. Accepts NULL. */
void of_posts_free(of_posts *p);

/**
 * Parses JSON Lines from memory (records split on '\n' only; a UTF-8 BOM,
 * CRLF and blank lines are accepted). Each bad record (invalid UTF-8, broken
 * JSON, missing id, duplicate id, text over the cap) is reported with
 * `origin:line` and skipped, or fails the call under `strict`.
 * `base_dir` is where relative image paths point (borrowed, copied).
 * @return 0, OF_EINVALID / OF_ELIMIT (strict; error names origin:line), OF_ENOMEM.
 */
int of_posts_parse_jsonl(of_posts *out, const char *data, size_t len, const char *origin,
			 const char *base_dir, const of_posts_read_options *opts, of_posts_read_stats *st);

/**
 * Parses CSV with a header row (RFC 4180: quoted fields, "" escapes, embedded
 * newlines; BOM; GB18030/GBK converted to UTF-8 with iconv when the data is
 * not UTF-8). Columns by name: id, time, author, text, images (';'-separated),
 * likes, tags (';' or ',' separated), comments (a count). Same returns as
 * of_posts_parse_jsonl; an unterminated quote names the line where it opened.
 */
int of_posts_parse_csv(of_posts *out, const char *data, size_t len, const char *origin,
		       const char *base_dir, const of_posts_read_options *opts, of_posts_read_stats *st);

/**
 * Parses one Markdown post: YAML front matter (id, time, author, tags,
 * images, likes) between '---' lines, then the body (read through cmark;
 * images in the body are added to the post's images). The id defaults to the
 * file name without extension. Same returns as of_posts_parse_jsonl.
 */
int of_posts_parse_markdown(of_posts *out, const char *data, size_t len, const char *origin,
			    const char *base_dir, const of_posts_read_options *opts, of_posts_read_stats *st);

/**
 * Parses a saved HTML page of posts with libxml2's HTML parser (no network):
 * every element whose class list holds "post" is one post; see docs/article.md
 * for the attributes and child classes read. Same returns as of_posts_parse_jsonl.
 */
int of_posts_parse_html(of_posts *out, const char *data, size_t len, const char *origin,
			const char *base_dir, const of_posts_read_options *opts, of_posts_read_stats *st);

/**
 * Reads posts from `path`: a folder (every *.md file in name order), or a
 * file chosen by extension (.jsonl/.json, .csv, .md, .html/.htm). Files are
 * size-capped. Same returns as the parsers plus OF_ENOTFOUND.
 */
int of_posts_load(of_posts *out, const char *path, const of_posts_read_options *opts, of_posts_read_stats *st);

/**
 * Same as of_posts_load, with each file parsed in a limited worker process
 * under `iso` (sandbox.h: "path: limit exceeded (cpu|memory)", "parser
 * crashed"); `iso` NULL parses in-process. The posts are committed here, so
 * duplicates across files, caps and messages are the same either way.
 */
struct of_sandbox_limits;
int of_posts_load_iso(of_posts *out, const char *path, const of_posts_read_options *opts, of_posts_read_stats *st,
		      const struct of_sandbox_limits *iso);

/**
 * Finds image `i` of post `p` (`p->images[i]`, a local path, not a URL) on disk, inside the
 * post's folder `p->base_dir`; a Markdown post may also name the folder above its own
 * (a pack's posts/ naming "images/a.jpg" or "../images/a.jpg"); `also_root`, when not
 * NULL, is searched last. The path is looked up as written first: a Linux file name may
 * hold a '\'. Only when that is not found, a relative path holding '\' is looked up again
 * with every '\' read as '/' (a path written on Windows: "images\0101.jpg", ".\photos\a.jpg").
 * Last, when neither is found, each part of the path that is not there as written is
 * matched against its folder's entries with ASCII letters' case ignored (IMAGES\0101.JPG
 * finds images/0101.jpg), in the same folders and order; such a find is logged as a warning
 * at the image's line (`p->image_lines[i]`, else `p->line`) naming the name on disk. Two
 * entries that differ from a part only in case (0101.jpg and 0101.JPG, neither written so)
 * refuse the image with OF_EINVALID naming both. Every lookup checks that the real path
 * stays in its folder, so "..\..\etc\passwd" is refused as "../../etc/passwd" is, and a
 * folder outside it is never listed. A Windows absolute path ("C:\Users\…", "\\server\…")
 * is never rewritten.
 * On failure the thread's error (of_error_last()) holds `origin:line` and a message
 * "image 'REL' PROBLEM" (PROBLEM as of_post_image_problem() words it, or the two names).
 * @param[out] out the real path; caller frees with free(). NULL on failure.
 * @return 0, OF_ENOTFOUND (nowhere), OF_EINVALID (it leaves the folder, or is ambiguous), OF_ENOMEM.
 */
int of_post_resolve_image(char **out, const of_post *p, size_t i, const char *also_root);

/**
 * Non-zero when image path `rel` is remote: it starts "http://" or "https://" (the scheme's case
 * ignored: "HTTP://…" too), and is fetched (the article stage) rather than looked up with
 * of_post_resolve_image(); any other path, a "file:///…" or "ftp://…" included, is a local path
 * (and not found). `check`, the run and the script stage tell them apart with this one test.
 * Cannot fail.
 */
int of_post_image_is_remote(const char *rel);

/**
 * Non-zero when `rel` is a Windows absolute path: a drive ("C:\…", "C:/…"), a network
 * share ("\\server\…") or a drive's root ("\Users\…"). It names a file on the computer
 * that wrote the posts; it cannot be found here. Cannot fail.
 */
int of_post_image_is_windows_absolute(const char *rel);

/**
 * Why image `rel` of a post cannot be used, for a warning that goes on after "image
 * 'REL' ": "not found", "not found (nor as 'images/0101.jpg')" (a path with '\'), "is
 * outside the posts folder" (`rc` OF_EINVALID), or, for a Windows absolute path, what it
 * is and what to write instead. `rc` is what of_post_resolve_image() returned (which words
 * its own errors with this; an ambiguous name it words itself). Written into `buf` (`n`
 * bytes, truncated to fit), which is returned.
 */
const char *of_post_image_problem(char *buf, size_t n, const char *rel, int rc);

/**
 * Parses an ISO 8601 date or date-time ("2026-11-16", "2026-11-16T09:30",
 * "2026-11-16 09:30:00+08:00", "...Z"), or a spreadsheet's "2026/11/18 7:30" (slashes,
 * one- or two-digit month, day and hour). A value without a zone is read as
 * UTC+08:00 (China Standard Time). Sets `*epoch` (UTC seconds) and
 * `*offset_min` (may be NULL).
 * @return 0 or OF_EINVALID.
 */
int of_post_parse_time(const char *s, long long *epoch, int *offset_min);

/**
 * Why of_post_parse_time() refused `s`, for a message: "2026-11 has no day 31", "25:00 is not a
 * time of day", or the forms it reads. Thread-local storage, valid until the next call.
 */
const char *of_post_time_problem(const char *s);

/**
 * Parses an ISO week "2026-W47" into [start, end) at Monday 00:00 UTC+08:00.
 * @return 0 or OF_EINVALID.
 */
int of_post_parse_iso_week(const char *s, long long *start, long long *end);

#endif
