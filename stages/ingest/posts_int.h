/* posts_int.h — private helpers shared by the post readers in stages/ingest/. */
#ifndef ONEFISH_POSTS_INT_H
#define ONEFISH_POSTS_INT_H

#include "onefish/buf.h"
#include "onefish/post.h"

#include <jansson.h>

/** Copies `s` into the list's string pool; the result lives as long as the list. NULL on OOM. */
const char *of_posts__intern(of_posts *p, const char *s);

/** Frees the strings of a post that was never committed, and zeroes it. */
void of_post__clear(of_post *post);

/** Appends `s[0..len)` as a new heap string to `*arr`. Returns 0 or OF_ENOMEM. */
int of_post__push(char ***arr, size_t *n, const char *s, size_t len);

/**
 * Records the line of image `p->n_images - 1` (just pushed) in `p->image_lines`; the images
 * before it that have none keep 0 (a Markdown post's front matter images, for one). Once
 * there, image_lines has one entry per image. On OOM only messages' line numbers are lost.
 */
void of_post__image_line(of_post *p, unsigned long line);

/* A likes count as a spreadsheet or an export writes it: "12", " 12 ", "1,234", "12.0",
 * "1.2万". 0 and `*out` set, or -1 when it is not a whole count (a bad record's reason). */
int of_post__parse_likes(const char *s, long *out);

/**
 * Validates `post` (heap strings filled by a reader: id, text, ...; origin,
 * base_dir and line set) and either moves it into the list, or reports it as
 * a bad record (`origin:line: reason`, counted in `st`) and frees it. A time
 * that does not parse, or lies in the future, is a warning, not a bad record.
 * Afterwards `post` is zeroed either way.
 * @return 0 (added or skipped), OF_EINVALID / OF_ELIMIT under strict, OF_ENOMEM.
 */
int of_posts__commit(of_posts *p, of_post *post, const of_posts_read_options *o, of_posts_read_stats *st);

/**
 * In a posts worker (posts_isolate.c) every post a reader would commit goes to
 * `hook` instead (which takes its strings), so the parent commits it: the
 * duplicate index, the caps and the messages stay the parent's. Worker only.
 */
void of_posts__set_commit_hook(int (*hook)(of_post *post, void *ctx), void *ctx);

/**
 * Runs of_posts_load(path) in a limited worker (sandbox.h), one worker for a
 * file or a whole folder, and commits its posts into `out` here; same results
 * and messages as in-process.
 */
struct of_sandbox_limits;
int of_posts__load_isolated(of_posts *out, const char *path, const of_posts_read_options *opts,
			    of_posts_read_stats *st, const struct of_sandbox_limits *lim);

/** Reports a bad record and counts it. Returns 0 (skip) or OF_EINVALID under strict. */
int of_posts__bad(const of_posts_read_options *o, of_posts_read_stats *st, const char *origin,
		  unsigned long line, unsigned long col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/**
 * Writes a link's target into a post's text (posts_link.c): `b` holds the link's words
 * from byte `text_at` on. An http(s) `href` (borrowed) is appended after a space, unless
 * the words show it already (an autolink) or are a hashtag or a mention (#话题#, @名字:
 * the platform's navigation); alone when there are no words (a linked picture). The
 * scheme is lower-cased and spaces, non-ASCII bytes and the like are percent-encoded, so
 * the article's normaliser reads the whole URL. Any other target (javascript:, data:,
 * mailto:, relative, over OF_MAX_URL_BYTES, refused by of_url_check's syntax rules)
 * leaves only the words. `*ends_url` is set to 1 when the URL now ends `b`: the reader
 * then asks of_post__space_after_url() about the next words it writes.
 * @return 0, or the buffer's error (OF_ELIMIT, OF_ENOMEM).
 */
int of_post__put_link(of_buf *b, size_t text_at, const char *href, int *ends_url);

/**
 * Non-zero when the UTF-8 text `s`, written right after a URL, needs a space first:
 * ASCII that would be read as part of the URL, or words (看看) that read better apart;
 * not for white space, Chinese punctuation or a sentence's final '.' ',' '!' '?'.
 */
int of_post__space_after_url(const char *s);

/** Effective caps (defaults from limits.h when the options leave them 0). */
size_t of_posts__max_bytes(const of_posts_read_options *o);
size_t of_posts__max_posts(const of_posts_read_options *o);

/* A comment log given as posts (a JSON Lines record shaped like a comment: a key only comments
 * have (user, nickname, kind …) or a time in seconds from the stream's start, and none of a
 * post's images, likes, tags or comments): each comment would be read as a post and the article
 * written from chat lines. Decided on the first record `o` (borrowed). Returns 0, or OF_EINVALID
 * naming ORIGIN:LINE, what the file looks like and the command that reads it. */
int of_posts__refuse_comment_log(const json_t *o, const char *origin, unsigned long line);

#endif
