/* posts_csv.c — posts from CSV with a header row (RFC 4180). Excel on Chinese
 * Windows saves GB18030/GBK: data that is not UTF-8 is converted with iconv. */
#include "onefish/buf.h"
#include "onefish/log.h"
#include "onefish/error.h"
#include "onefish/limits.h"
#include "onefish/post.h"
#include "onefish/utf8.h"
#include "posts_int.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

enum { C_ID, C_TIME, C_AUTHOR, C_TEXT, C_IMAGES, C_LIKES, C_TAGS, C_COMMENTS, C_N };
static const char *const k_cols[C_N] = {"id", "time", "author", "text", "images", "likes", "tags", "comments"};

typedef struct row {
	of_buf f[64];
	size_t n;
} row;

/* Splits a cell at any of `seps` (whole strings: "，" is three bytes, and a byte of it must not
 * split 包 or 面, which share them), trimming spaces and hashtag marks. */
static void split_list(of_post *p, char ***arr, size_t *n, const char *s, const char *const *seps)
{
	while (*s) {
		size_t l = 0, sl = 0;
		for (; s[l] && !sl; l += sl ? 0 : 1)
			for (size_t k = 0; seps[k] && !sl; k++)
				if (strncmp(s + l, seps[k], strlen(seps[k])) == 0)
					sl = strlen(seps[k]);
		const char *a = s, *b = s + l;
		while (a < b && (*a == ' ' || *a == '#'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '#'))
			b--;
		if (b > a)
			of_post__push(arr, n, a, (size_t)(b - a));
		s += l + sl;
	}
	(void)p;
}

/* Chinese headers of the same columns, as a spreadsheet made by a Chinese team names them. */
static const struct {
	const char *name;
	int col;
} k_alias[] = {{"编号", C_ID},       {"序号", C_ID},      {"时间", C_TIME},     {"发布时间", C_TIME},
	       {"日期", C_TIME},     {"作者", C_AUTHOR},  {"发布人", C_AUTHOR}, {"内容", C_TEXT},
	       {"正文", C_TEXT},     {"文案", C_TEXT},    {"文字", C_TEXT},     {"图片", C_IMAGES},
	       {"配图", C_IMAGES},   {"点赞", C_LIKES},   {"点赞数", C_LIKES},  {"标签", C_TAGS},
	       {"话题", C_TAGS},     {"评论", C_COMMENTS}, {"评论数", C_COMMENTS}, {NULL, 0}};

static const char *const image_seps[] = {";", "|", "\xEF\xBC\x9B" /*；*/, "\xEF\xBD\x9C" /*｜*/, NULL};
static const char *const tag_seps[] = {";", ",", "\xEF\xBC\x8C" /*，*/, "\xEF\xBC\x9B" /*；*/, "\xE3\x80\x81" /*、*/, NULL};

static int emit_row(of_posts *out, row *r, const int *map, size_t n_head, unsigned long line, const char *org,
		    const char *base, const of_posts_read_options *o, of_posts_read_stats *st)
{
	of_post post = {0};
	const char *v[C_N] = {0};
	int blank = 1; /* ",,,": a spreadsheet's empty row, a blank line to Excel: not a record */
	for (size_t i = 0; i < r->n && blank; i++)
		for (const char *c = of_buf_cstr(&r->f[i]); *c && blank; c++)
			blank = *c == ' ' || *c == '\t';
	if (blank)
		return 0;
	if (st)
		st->records++;
	if (r->n > n_head)
		return of_posts__bad(o, st, org, line, 0, "%zu fields, the header has %zu", r->n, n_head);
	for (size_t i = 0; i < r->n; i++)
		if (map[i] >= 0)
			v[map[i]] = of_buf_cstr(&r->f[i]);
	for (size_t i = 0; i < r->n; i++)
		if (of_buf_len(&r->f[i]) != strlen(of_buf_cstr(&r->f[i])))
			return of_posts__bad(o, st, org, line, 0, "NUL byte in a field");
	char row_id[32];
	snprintf(row_id, sizeof row_id, "row-%lu", line);
	if (!(post.id = strdup(v[C_ID] ? v[C_ID] : row_id)) || !(post.text = strdup(v[C_TEXT] ? v[C_TEXT] : "")))
		goto nomem;
	if (v[C_TIME] && v[C_TIME][0] && !(post.time = strdup(v[C_TIME])))
		goto nomem;
	if (v[C_AUTHOR] && v[C_AUTHOR][0] && !(post.author = strdup(v[C_AUTHOR])))
		goto nomem;
	if (v[C_IMAGES])
		split_list(&post, &post.images, &post.n_images, v[C_IMAGES], image_seps);
	if (v[C_TAGS])
		split_list(&post, &post.tags, &post.n_tags, v[C_TAGS], tag_seps);
	if (v[C_LIKES] && v[C_LIKES][0]) {
		long l;
		if (of_post__parse_likes(v[C_LIKES], &l) < 0) {
			of_post__clear(&post);
			return of_posts__bad(o, st, org, line, 0, "likes '%.32s' is not a whole number", v[C_LIKES]);
		}
		post.likes = l;
	}
	if (v[C_COMMENTS] && v[C_COMMENTS][0])
		post.n_comments = strtoul(v[C_COMMENTS], NULL, 10);
	if (!post.text[0] && !post.n_images) {
		of_post__clear(&post);
		return of_posts__bad(o, st, org, line, 0, "post has neither text nor images");
	}
	post.origin = org;
	post.base_dir = base;
	post.line = line;
	return of_posts__commit(out, &post, o, st);
nomem:
	of_post__clear(&post);
	return of_error_set_oom();
}

int of_posts_parse_csv(of_posts *out, const char *data, size_t len, const char *origin, const char *base_dir,
		       const of_posts_read_options *opts, of_posts_read_stats *st)
{
	const char *org = of_posts__intern(out, origin), *base = of_posts__intern(out, base_dir ? base_dir : ".");
	char *conv = NULL;
	row r;
	int map[64], have_head = 0, rc = 0;
	size_t n_head = 0, i = 0;
	unsigned long line = 1, rec_line = 1, quote_line = 0;
	size_t quote_off = 0;
	if (!org || !base)
		return of_error_set_oom();
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	/* Excel's "Unicode text": UTF-16 with a byte order mark (and tabs between the cells) */
	if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
			 ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF))) {
		size_t cl = 0, at = 0;
		if ((rc = of_utf8_from_charset("UTF-16", data, len, &conv, &cl, &at)) < 0)
			return rc == OF_EINVALID ? of_error_set_at(OF_EINVALID, org, 0, 0,
								   "starts with a UTF-16 byte order mark but is not "
								   "UTF-16 (byte %zu)", at)
						 : rc;
		data = conv;
		len = cl;
		if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
			data += 3;
			len -= 3;
		}
	}
	/* a header line with tabs and no comma: tab-separated (a TSV, Excel's Unicode text) */
	char sep = ',';
	{
		const char *nl = memchr(data, '\n', len);
		size_t hl = nl ? (size_t)(nl - data) : len;
		if (memchr(data, '\t', hl) && !memchr(data, ',', hl))
			sep = '\t';
	}
	if (!conv && !of_utf8_valid(data, len, NULL)) {
		size_t cl = 0, at = 0;
		if ((rc = of_utf8_from_charset("GB18030", data, len, &conv, &cl, &at)) < 0) {
			if (rc != OF_EINVALID)
				return rc;
			/* Neither: a UTF-8 file with a stray byte (a bad copy, a NUL). It is read as UTF-8,
			 * each bad byte replaced by U+FFFD and named by its line, as comment logs are. */
			of_buf b;
			unsigned long ln = 1;
			size_t shown = 0;
			rc = 0;
			of_error_clear();
			of_buf_init(&b, len * 3 + 16);
			for (size_t k = 0; k < len;) {
				int32_t cp;
				int step = of_utf8_next(data + k, len - k, &cp);
				if (step <= 0 || cp == 0) {
					if (shown++ < 20)
						of_log_warn_at(org, ln, 0, "invalid UTF-8 byte 0x%02X replaced by U+FFFD",
							       (unsigned char)data[k]);
					of_buf_append(&b, "\xEF\xBF\xBD", 3);
					k++;
					continue;
				}
				ln += data[k] == '\n';
				of_buf_append(&b, data + k, (size_t)step);
				k += (size_t)step;
			}
			if (!(conv = of_buf_detach(&b, &cl)))
				return of_error_set_oom();
		}
		data = conv;
		len = cl;
	}
	memset(&r, 0, sizeof r);
	for (int k = 0; k < 64; k++)
		of_buf_init(&r.f[k], of_posts__max_bytes(opts) + 1);
	r.n = 1;
	int inq = 0, field_start = 1, overflow = 0;
	while (i <= len && rc == 0) {
		char c = i < len ? data[i] : '\n';
		int eof = i == len;
		i++;
		if (inq) {
			if (eof) {
				const char *nl;
				rc = of_posts__bad(opts, st, org, quote_line, 0,
						   "unterminated quoted field (the quote opens on this line)");
				if (st)
					st->records++;
				/* Nothing lost: only the row with the stray quote is bad; the rows after
				 * it are read again as ordinary rows from the next physical line. */
				nl = memchr(data + quote_off, '\n', len - quote_off);
				if (rc < 0 || !nl)
					break;
				i = (size_t)(nl - data) + 1;
				line = quote_line + 1;
				rec_line = line;
				for (size_t k = 0; k < r.n; k++)
					of_buf_truncate(&r.f[k], 0);
				r.n = 1;
				inq = 0;
				overflow = 0;
				field_start = 1;
				continue;
			}
			if (c == '"') {
				if (i < len && data[i] == '"') {
					of_buf_putc(&r.f[r.n - 1], '"');
					i++;
				} else {
					inq = 0;
				}
			} else {
				if (c == '\n')
					line++;
				if (of_buf_putc(&r.f[r.n - 1], c) == OF_ELIMIT)
					overflow = 1;
			}
			continue;
		}
		if (c == '"' && field_start) {
			inq = 1;
			quote_line = line;
			quote_off = i;
			field_start = 0;
			continue;
		}
		if (c == sep) {
			if (r.n < 64)
				r.n++;
			field_start = 1;
			continue;
		}
		if (c == '\r' && i < len && data[i] == '\n')
			continue;
		if (c == '\n' || c == '\r') {
			int blank = r.n == 1 && of_buf_len(&r.f[0]) == 0;
			if (!blank) {
				if (!have_head) {
					n_head = r.n;
					for (size_t k = 0; k < r.n; k++) {
						char *h = (char *)of_buf_cstr(&r.f[k]);
						for (char *p = h; *p; p++)
							if (*p >= 'A' && *p <= 'Z')
								*p = (char)(*p + 32);
						while (*h == ' ') /* "ID , Time": a spreadsheet's padding */
							h++;
						size_t hl = strlen(h);
						while (hl && h[hl - 1] == ' ')
							hl--;
						map[k] = -1;
						for (int m = 0; m < C_N; m++)
							if (strlen(k_cols[m]) == hl && strncmp(h, k_cols[m], hl) == 0)
								map[k] = m;
						for (size_t a = 0; map[k] < 0 && k_alias[a].name; a++)
							if (strlen(k_alias[a].name) == hl && strncmp(h, k_alias[a].name, hl) == 0)
								map[k] = k_alias[a].col;
					}
					have_head = 1;
					/* two columns of one name: which one the team meant cannot be guessed */
					for (size_t k = 0; k < n_head && rc == 0; k++)
						for (size_t k2 = k + 1; k2 < n_head && rc == 0 && map[k] >= 0; k2++)
							if (map[k2] == map[k])
								rc = of_error_set_at(OF_EINVALID, org, rec_line, 0,
										     "CSV header names '%s' twice (columns %zu and %zu); "
										     "rename or remove one",
										     k_cols[map[k]], k + 1, k2 + 1);
					if (rc)
						break;
					int has_id = 0;
					for (size_t k = 0; k < n_head; k++)
						has_id |= map[k] == C_ID;
					int has_text = 0;
					for (size_t k = 0; k < n_head; k++)
						has_text |= map[k] == C_TEXT || map[k] == C_IMAGES;
					if (!has_text) {
						rc = of_error_set_at(OF_EINVALID, org, rec_line, 0,
								     "CSV header has no text column (looked for text, 内容, 正文, 文案; "
								     "images, 图片); columns: id, time, author, text, images, likes, tags");
						break;
					}
					(void)has_id; /* without an id column, rows are named by their line: row-12 */
				} else if (overflow) {
					if (st)
						st->records++;
					rc = of_posts__bad(opts, st, org, rec_line, 0, "field over the %zu-byte post limit",
							   of_posts__max_bytes(opts));
					if (rc < 0)
						rc = of_error_set_at(OF_ELIMIT, org, rec_line, 0, "field over the %zu-byte post limit",
								     of_posts__max_bytes(opts));
				} else {
					rc = emit_row(out, &r, map, n_head, rec_line, org, base, opts, st);
				}
			}
			for (size_t k = 0; k < r.n; k++)
				of_buf_truncate(&r.f[k], 0);
			r.n = 1;
			overflow = 0;
			field_start = 1;
			if (!eof)
				line++;
			rec_line = line;
			continue;
		}
		field_start = 0;
		if (of_buf_putc(&r.f[r.n - 1], c) == OF_ELIMIT)
			overflow = 1;
	}
	for (int k = 0; k < 64; k++)
		of_buf_free(&r.f[k]);
	free(conv);
	return rc;
}
