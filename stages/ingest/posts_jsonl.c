/* posts_jsonl.c — JSON Lines posts: one JSON object a line, split on '\n'
 * only (real exports carry raw U+2028/U+2029 inside strings). */
#include "onefish/error.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/post.h"
#include "onefish/utf8.h"
#include "posts_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *json_strdup(const json_t *v)
{
	char tmp[32];
	if (json_is_string(v))
		return strndup(json_string_value(v), json_string_length(v));
	if (json_is_integer(v)) {
		snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
		return strdup(tmp);
	}
	return NULL;
}

/* Fills `post` from one decoded object; returns a reason for a bad record, or NULL. */
static const char *from_object(of_post *post, const json_t *o, int *oom)
{
	const json_t *v;
	size_t i;
	json_t *it;
	*oom = 0;
	v = json_object_get(o, "id");
	if (!v || !(json_is_string(v) || json_is_integer(v)))
		return "missing or non-string \"id\"";
	if (!(post->id = json_strdup(v)))
		goto nomem;
	if ((v = json_object_get(o, "text")) && !json_is_null(v)) {
		if (!json_is_string(v))
			return "\"text\" is not a string";
		if (!(post->text = json_strdup(v)))
			goto nomem;
	}
	if ((v = json_object_get(o, "time")) && json_is_string(v) && !(post->time = json_strdup(v)))
		goto nomem;
	if ((v = json_object_get(o, "author")) && json_is_string(v) && !(post->author = json_strdup(v)))
		goto nomem;
	if ((v = json_object_get(o, "likes"))) {
		if (json_is_integer(v))
			post->likes = (long)json_integer_value(v);
		else if (json_is_real(v) && isfinite(json_real_value(v)) && json_real_value(v) < 1e12)
			post->likes = (long)json_real_value(v);
	}
	if ((v = json_object_get(o, "comments")) && json_is_array(v))
		post->n_comments = json_array_size(v);
	if ((v = json_object_get(o, "images"))) {
		if (json_is_string(v)) {
			if (of_post__push(&post->images, &post->n_images, json_string_value(v),
					  json_string_length(v)) < 0)
				goto nomem;
		} else if (json_is_array(v)) {
			json_array_foreach(v, i, it) {
				if (json_is_string(it) && json_string_length(it) > 0 &&
				    of_post__push(&post->images, &post->n_images, json_string_value(it),
						  json_string_length(it)) < 0)
					goto nomem;
			}
		}
	}
	if ((v = json_object_get(o, "tags"))) {
		if (json_is_string(v)) {
			if (of_post__push(&post->tags, &post->n_tags, json_string_value(v), json_string_length(v)) < 0)
				goto nomem;
		} else if (json_is_array(v)) {
			json_array_foreach(v, i, it) {
				if (json_is_string(it) && json_string_length(it) > 0 &&
				    of_post__push(&post->tags, &post->n_tags, json_string_value(it),
						  json_string_length(it)) < 0)
					goto nomem;
			}
		}
	}
	if (!post->text && post->n_images == 0)
		return "post has neither \"text\" nor \"images\"";
	return NULL;
nomem:
	*oom = 1;
	return "out of memory";
}

int of_posts_parse_jsonl(of_posts *out, const char *data, size_t len, const char *origin,
			 const char *base_dir, const of_posts_read_options *opts, of_posts_read_stats *st)
{
	const char *org = of_posts__intern(out, origin), *base = of_posts__intern(out, base_dir ? base_dir : ".");
	size_t pos = 0;
	unsigned long line = 0;
	int rc = 0, first = 0; /* the first record seen: a comment log's is refused */
	if (!org || !base)
		return of_error_set_oom();
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len && rc == 0) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		size_t bad_at = 0, k;
		json_t *v = NULL;
		of_post post = {0};
		pos += n + (nl ? 1 : 0);
		line++;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		for (k = 0; k < n && (s[k] == ' ' || s[k] == '\t'); k++)
			;
		if (k == n)
			continue; /* blank line */
		if (st)
			st->records++;
		if (n > OF_MAX_LINE_BYTES) {
			rc = of_posts__bad(opts, st, org, line, 0, "line is %zu bytes, over the %zu-byte limit", n,
					   (size_t)OF_MAX_LINE_BYTES);
			if (rc < 0)
				rc = of_error_set_at(OF_ELIMIT, org, line, 0, "line is %zu bytes, over the %zu-byte limit",
						     n, (size_t)OF_MAX_LINE_BYTES);
			continue;
		}
		if (!of_utf8_valid(s, n, &bad_at)) {
			rc = of_posts__bad(opts, st, org, line, bad_at + 1, "invalid UTF-8 (byte 0x%02X)",
					   (unsigned char)s[bad_at]);
			continue;
		}
		if ((rc = of_json_parse_line(&v, s, n, org, line)) < 0) {
			const of_error *e = of_error_last();
			char msg[1024];
			snprintf(msg, sizeof msg, "%s", e->message);
			rc = of_posts__bad(opts, st, org, line, e->col, "%s", msg);
			continue;
		}
		if (!json_is_object(v)) {
			json_decref(v);
			rc = of_posts__bad(opts, st, org, line, 1, "record is not a JSON object");
			continue;
		}
		if (!first++ && (rc = of_posts__refuse_comment_log(v, org, line)) < 0) {
			json_decref(v);
			return rc;
		}
		int oom;
		const char *why = from_object(&post, v, &oom);
		json_decref(v);
		if (oom) {
			of_post__clear(&post);
			return of_error_set_oom();
		}
		if (why) {
			of_post__clear(&post);
			rc = of_posts__bad(opts, st, org, line, 0, "%s", why);
			continue;
		}
		post.origin = org;
		post.base_dir = base;
		post.line = line;
		rc = of_posts__commit(out, &post, opts, st);
	}
	return rc;
}
