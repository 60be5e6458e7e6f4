/* posts_common.c — the post list, validation shared by all readers, ISO 8601
 * times, and the loader that picks a reader by file type. */
#include "onefish/post.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/sandbox.h"
#include "onefish/utf8.h"
#include "posts_int.h"

#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Open-addressing set of post indexes keyed by id: duplicate ids are found in O(1). */
typedef struct id_index {
	size_t *slots; /* index + 1; 0 = empty */
	size_t cap;
	size_t n;
} id_index;

void of_posts_init(of_posts *p)
{
	memset(p, 0, sizeof *p);
}

void of_post__clear(of_post *post)
{
	free(post->id);
	free(post->time);
	free(post->author);
	free(post->text);
	for (size_t i = 0; i < post->n_images; i++)
		free(post->images[i]);
	free(post->images);
	free(post->image_lines);
	for (size_t i = 0; i < post->n_tags; i++)
		free(post->tags[i]);
	free(post->tags);
	memset(post, 0, sizeof *post);
}

void of_posts_free(of_posts *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		of_post__clear(&p->items[i]);
	free(p->items);
	for (size_t i = 0; i < p->n_strings_; i++)
		free(p->strings_[i]);
	free(p->strings_);
	if (p->ids_) {
		free(((id_index *)p->ids_)->slots);
		free(p->ids_);
	}
	of_posts_init(p);
}

const char *of_posts__intern(of_posts *p, const char *s)
{
	for (size_t i = 0; i < p->n_strings_; i++)
		if (strcmp(p->strings_[i], s) == 0)
			return p->strings_[i];
	char **ns = realloc(p->strings_, (p->n_strings_ + 1) * sizeof *ns);
	if (!ns)
		return NULL;
	p->strings_ = ns;
	if (!(ns[p->n_strings_] = strdup(s)))
		return NULL;
	return ns[p->n_strings_++];
}

int of_post__parse_likes(const char *s, long *out)
{
	char digits[32];
	size_t n = 0;
	const char *p = s;
	while (*p == ' ')
		p++;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n + 1 >= sizeof digits)
			return -1;
		digits[n++] = *p;
		if (p[1] == ',' && p[2] >= '0' && p[2] <= '9' && p[3] >= '0' && p[3] <= '9' && p[4] >= '0' && p[4] <= '9')
			p++; /* a thousands separator: 1,234 */
	}
	if (!n)
		return -1;
	digits[n] = 0;
	errno = 0;
	long v = strtol(digits, NULL, 10);
	if (errno)
		return -1;
	if (*p == '.') { /* 12.0 as Excel writes a count; 1.2万 */
		const char *f = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (strncmp(p, "万", 3) == 0) {
			double d = strtod(digits, NULL) + strtod(f - 1, NULL);
			if (d * 10000 > 2e9)
				return -1;
			v = (long)(d * 10000 + 0.5);
			p += 3;
		} else {
			for (const char *z = f; z < p; z++)
				if (*z != '0')
					return -1;
		}
	} else if (strncmp(p, "万", 3) == 0) {
		if (v > 200000)
			return -1;
		v *= 10000;
		p += 3;
	}
	while (*p == ' ')
		p++;
	if (*p)
		return -1;
	*out = v;
	return 0;
}

int of_post__push(char ***arr, size_t *n, const char *s, size_t len)
{
	char **na = realloc(*arr, (*n + 1) * sizeof *na);
	if (!na)
		return of_error_set_oom();
	*arr = na;
	if (!(na[*n] = strndup(s, len)))
		return of_error_set_oom();
	(*n)++;
	return 0;
}

void of_post__image_line(of_post *p, unsigned long line)
{
	size_t had = p->image_lines ? p->n_images - 1 : 0;
	unsigned long *l = realloc(p->image_lines, p->n_images * sizeof *l);
	if (!l) { /* only messages' line numbers are lost */
		free(p->image_lines);
		p->image_lines = NULL;
		return;
	}
	for (size_t i = had; i + 1 < p->n_images; i++)
		l[i] = 0;
	l[p->n_images - 1] = line;
	p->image_lines = l;
}

size_t of_posts__max_bytes(const of_posts_read_options *o)
{
	return o && o->max_post_bytes ? o->max_post_bytes : OF_MAX_POST_BYTES;
}

size_t of_posts__max_posts(const of_posts_read_options *o)
{
	return o && o->max_posts ? o->max_posts : OF_MAX_POSTS;
}

int of_posts__bad(const of_posts_read_options *o, of_posts_read_stats *st, const char *origin,
		  unsigned long line, unsigned long col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (st)
		st->bad++;
	return of_log_bad_record(o ? o->strict : 0, origin, line, col, "%s", msg);
}

/* Returns the slot for `id`: either empty or holding a post with that id. */
static size_t *id_slot(const of_posts *p, const id_index *ix, const char *id)
{
	size_t h = (size_t)of_xxh64(id, strlen(id), 0x0f15);
	for (size_t i = h & (ix->cap - 1);; i = (i + 1) & (ix->cap - 1)) {
		size_t *s = &ix->slots[i];
		if (*s == 0 || strcmp(p->items[*s - 1].id, id) == 0)
			return s;
	}
}

static int id_grow(of_posts *p, id_index *ix)
{
	size_t ncap = ix->cap ? ix->cap * 2 : 64;
	id_index nx = {calloc(ncap, sizeof(size_t)), ncap, 0};
	if (!nx.slots)
		return of_error_set_oom();
	for (size_t i = 0; i < ix->cap; i++)
		if (ix->slots[i]) {
			*id_slot(p, &nx, p->items[ix->slots[i] - 1].id) = ix->slots[i];
			nx.n++;
		}
	free(ix->slots);
	*ix = nx;
	return 0;
}

/* Replaces invalid bytes and control characters in a heap string. */
static int clean_str(char **s)
{
	char *c = NULL;
	int rc;
	if (!*s)
		return 0;
	if ((rc = of_utf8_sanitize(&c, *s, strlen(*s), NULL)) < 0)
		return rc;
	free(*s);
	*s = c;
	return 0;
}

static int (*g_commit_hook)(of_post *post, void *ctx);
static void *g_commit_ctx;

void of_posts__set_commit_hook(int (*hook)(of_post *post, void *ctx), void *ctx)
{
	g_commit_hook = hook;
	g_commit_ctx = ctx;
}

int of_posts__commit(of_posts *p, of_post *post, const of_posts_read_options *o, of_posts_read_stats *st)
{
	int rc = 0;
	if (g_commit_hook) { /* a worker: the parent commits */
		rc = g_commit_hook(post, g_commit_ctx);
		of_post__clear(post);
		return rc;
	}
	id_index *ix = p->ids_;
	size_t *slot;
	if (!ix) {
		if (!(ix = calloc(1, sizeof *ix)))
			return of_error_set_oom();
		p->ids_ = ix;
	}
	if (!post->id || !post->id[0]) {
		rc = of_posts__bad(o, st, post->origin, post->line, 0, "post has no id");
		goto drop;
	}
	if (strlen(post->id) > 256) {
		rc = of_posts__bad(o, st, post->origin, post->line, 0, "post id is longer than 256 bytes");
		goto drop;
	}
	if (!post->text && !(post->text = strdup("")))
		return of_error_set_oom();
	if (!of_utf8_valid(post->id, strlen(post->id), NULL)) {
		rc = of_posts__bad(o, st, post->origin, post->line, 0, "post id is not valid UTF-8");
		goto drop;
	}
	/* every other string reaches YAML, JSON and HTML writers: make it valid UTF-8 */
	if ((rc = clean_str(&post->author)) < 0 || (rc = clean_str(&post->time)) < 0)
		goto drop;
	for (size_t i = 0; i < post->n_tags && rc == 0; i++)
		rc = clean_str(&post->tags[i]);
	for (size_t i = 0; i < post->n_images && rc == 0; i++)
		rc = clean_str(&post->images[i]);
	if (rc < 0)
		goto drop;
	size_t tlen = strlen(post->text);
	if (tlen > of_posts__max_bytes(o)) {
		rc = of_posts__bad(o, st, post->origin, post->line, 0,
				   "post '%s': text is %zu bytes, over the %zu-byte limit", post->id, tlen,
				   of_posts__max_bytes(o));
		if (rc < 0)
			rc = of_error_set_at(OF_ELIMIT, post->origin, post->line, 0,
					     "post '%s': text is %zu bytes, over the %zu-byte limit", post->id, tlen,
					     of_posts__max_bytes(o));
		goto drop;
	}
	if (p->n >= of_posts__max_posts(o)) {
		rc = of_error_set_at(OF_ELIMIT, post->origin, post->line, 0, "more than %zu posts",
				     of_posts__max_posts(o));
		goto drop;
	}
	if (ix->n * 2 >= ix->cap && (rc = id_grow(p, ix)) < 0)
		goto drop;
	slot = id_slot(p, ix, post->id);
	if (*slot) {
		const of_post *first = &p->items[*slot - 1];
		rc = of_posts__bad(o, st, post->origin, post->line, 0, "duplicate id '%s' (first at %s:%lu)",
				   post->id, first->origin, first->line);
		goto drop;
	}
	/* Control characters and stray bytes never reach the composer. */
	{
		char *clean = NULL;
		if ((rc = of_utf8_sanitize(&clean, post->text, tlen, NULL)) < 0)
			goto drop;
		free(post->text);
		post->text = clean;
	}
	if (post->likes < 0)
		post->likes = 0;
	post->has_time = 0;
	if (post->time && post->time[0]) {
		unsigned long tl = post->time_line ? post->time_line : post->line;
		if (of_post_parse_time(post->time, &post->epoch, NULL) == 0) {
			post->has_time = 1;
			if (o && o->now > 0 && post->epoch > o->now + 86400)
				of_log_warn_at(post->origin, tl, 0, "post '%s': time %s is in the future",
					       post->id, post->time);
		} else {
			of_log_warn_at(post->origin, tl, 0,
				       "post '%s': cannot read time '%.64s' (%s); used only when no time window is set",
				       post->id, post->time, of_post_time_problem(post->time));
		}
	}
	if (p->n == p->cap_) {
		size_t ncap = p->cap_ ? p->cap_ * 2 : 64;
		of_post *ni = realloc(p->items, ncap * sizeof *ni);
		if (!ni) {
			rc = of_error_set_oom();
			goto drop;
		}
		p->items = ni;
		p->cap_ = ncap;
	}
	p->items[p->n] = *post;
	*slot = ++p->n;
	ix->n++;
	memset(post, 0, sizeof *post);
	return 0;
drop:
	of_post__clear(post);
	return rc;
}

/* ---- time ---- */

static int digits(const char **s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return -1;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return 0;
}

static int one_or_two(const char **s, int *out)
{
	if ((*s)[0] < '0' || (*s)[0] > '9')
		return -1;
	return digits(s, (*s)[1] >= '0' && (*s)[1] <= '9' ? 2 : 1, out);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static long long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 ? 28 + leap : dm[m - 1];
}

int of_post_parse_time(const char *s, long long *epoch, int *offset_min)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, off = 8 * 60;
	const char *p = s;
	char cn[64];
	if (!s)
		return OF_EINVALID;
	/* "2026年11月18日 7:30", as WPS and Excel on Chinese Windows write a date: read as 2026/11/18 7:30 */
	const char *nian = strstr(s, "年");
	if (nian && strlen(s) < sizeof cn) {
		size_t o = 0;
		for (const char *q = s; *q && o + 2 < sizeof cn;) {
			if (!strncmp(q, "年", 3) || !strncmp(q, "月", 3)) {
				cn[o++] = '/';
				q += 3;
			} else if (!strncmp(q, "日", 3) || !strncmp(q, "号", 3)) {
				q += 3;
				if (*q >= '0' && *q <= '9') /* 18日7:30 */
					cn[o++] = ' ';
			} else {
				cn[o++] = *q++;
			}
		}
		cn[o] = 0;
		p = s = cn;
	}
	while (*p == ' ')
		p++;
	/* ISO 8601, or the "2026/11/18 7:30" a spreadsheet writes (slashes, one-digit fields) */
	if (digits(&p, 4, &y) || (*p != '-' && *p != '/'))
		return OF_EINVALID;
	char sep = *p++;
	if (sep == '-' ? digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d)
		       : one_or_two(&p, &mo) || *p++ != '/' || one_or_two(&p, &d))
		return OF_EINVALID;
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return OF_EINVALID;
	if ((*p == 'T' && sep == '-') || *p == ' ') {
		p++;
		/* after a space an hour may have one digit (2026-11-18 7:30), as spreadsheets write it */
		if ((sep == '-' && p[-1] == 'T' ? digits(&p, 2, &h) : one_or_two(&p, &h)) || *p++ != ':' ||
		    digits(&p, 2, &mi))
			return OF_EINVALID;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				return OF_EINVALID;
			if (*p == '.' || *p == ',') /* fractions are ignored */
				for (p++; *p >= '0' && *p <= '9'; p++)
					;
		}
		if (h > 23 || mi > 59 || sec > 60)
			return OF_EINVALID;
		if (*p == 'Z' || *p == 'z') {
			off = 0;
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1, oh, om = 0;
			p++;
			if (digits(&p, 2, &oh))
				return OF_EINVALID;
			if (*p == ':')
				p++;
			if (*p && digits(&p, 2, &om))
				return OF_EINVALID;
			if (oh > 14 || om > 59)
				return OF_EINVALID;
			off = sign * (oh * 60 + om);
		}
	}
	while (*p == ' ')
		p++;
	if (*p)
		return OF_EINVALID;
	*epoch = days_from_civil(y, mo, d) * 86400LL + h * 3600LL + mi * 60LL + sec - off * 60LL;
	if (offset_min)
		*offset_min = off;
	return 0;
}

const char *of_post_time_problem(const char *s)
{
	static _Thread_local char why[96];
	int y, mo, d, h, mi;
	const char *p = s;
	while (p && *p == ' ')
		p++;
	if (p && !digits(&p, 4, &y) && (*p == '-' || *p == '/')) {
		char sep = *p++;
		if (!one_or_two(&p, &mo) && *p++ == sep && !one_or_two(&p, &d)) {
			if (mo < 1 || mo > 12) {
				snprintf(why, sizeof why, "there is no month %d", mo);
				return why;
			}
			if (d < 1 || d > days_in_month(y, mo)) {
				snprintf(why, sizeof why, "%d-%02d has no day %d", y, mo, d);
				return why;
			}
			if ((*p == 'T' || *p == ' ') && (p++, !one_or_two(&p, &h)) && *p++ == ':' && !digits(&p, 2, &mi) &&
			    (h > 23 || mi > 59)) {
				snprintf(why, sizeof why, "%02d:%02d is not a time of day", h, mi);
				return why;
			}
		}
	}
	return "expected 2026-11-18, 2026-11-18 08:30, 2026/11/18 8:30, 2026年11月18日 8:30 or ISO 8601 with a zone";
}

int of_post_parse_iso_week(const char *s, long long *start, long long *end)
{
	const char *p = s;
	int y, w;
	if (!s || digits(&p, 4, &y) || *p++ != '-' || (*p != 'W' && *p != 'w'))
		return OF_EINVALID;
	p++;
	if (digits(&p, 2, &w) || *p || y < 1970 || w < 1 || w > 53)
		return OF_EINVALID;
	/* Week 1 holds January 4th; weeks start on Monday. 1970-01-01 was a Thursday. */
	long long jan4 = days_from_civil(y, 1, 4);
	long long wd = ((jan4 + 3) % 7 + 7) % 7; /* 0 = Monday */
	long long monday = jan4 - wd + (w - 1) * 7LL;
	if (w == 53) {
		long long next_jan4 = days_from_civil(y + 1, 1, 4);
		long long next_wd = ((next_jan4 + 3) % 7 + 7) % 7;
		if (monday >= next_jan4 - next_wd)
			return OF_EINVALID; /* this year has only 52 weeks */
	}
	*start = monday * 86400LL - 8 * 3600LL;
	*end = *start + 7 * 86400LL;
	return 0;
}

/* ---- loading ---- */

static int has_ext(const char *path, const char *ext)
{
	size_t n = strlen(path), e = strlen(ext);
	return n > e && strcasecmp(path + n - e, ext) == 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_file(of_posts *out, const char *path, const of_posts_read_options *opts, of_posts_read_stats *st)
{
	char *data = NULL, *dir = NULL;
	size_t len = 0;
	int rc;
	int (*parse)(of_posts *, const char *, size_t, const char *, const char *, const of_posts_read_options *,
		     of_posts_read_stats *) = of_posts_parse_jsonl;
	if (has_ext(path, ".csv") || has_ext(path, ".tsv"))
		parse = of_posts_parse_csv;
	else if (has_ext(path, ".md") || has_ext(path, ".markdown"))
		parse = of_posts_parse_markdown;
	else if (has_ext(path, ".html") || has_ext(path, ".htm"))
		parse = of_posts_parse_html;
	if ((rc = of_file_read(&data, &len, path, parse == of_posts_parse_html ? OF_MAX_HTML_BYTES
									       : OF_MAX_FILE_BYTES)) < 0)
		return rc;
	if (!(dir = of_path_dirname(path))) {
		free(data);
		return of_error_set_oom();
	}
	rc = parse(out, data, len, path, dir, opts, st);
	free(dir);
	free(data);
	return rc;
}

int of_posts_load(of_posts *out, const char *path, const of_posts_read_options *opts, of_posts_read_stats *st)
{
	return of_posts_load_iso(out, path, opts, st, NULL);
}

int of_posts_load_iso(of_posts *out, const char *path, const of_posts_read_options *opts, of_posts_read_stats *st,
		      const of_sandbox_limits *iso)
{
	if (iso) /* one worker for the file or the whole folder: it runs the code below */
		return of_posts__load_isolated(out, path, opts, st, iso);
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;
	if (!of_path_is_dir(path)) {
		/* Something that exists but is no regular file (a FIFO, a device) is
		 * refused by of_file_read as "not a regular file", not "no such file". */
		if (!of_path_is_file(path) && access(path, F_OK) != 0)
			return of_error_set_at(OF_ENOTFOUND, path, 0, 0, "no such posts file or folder");
		return load_file(out, path, opts, st);
	}
	if (!(d = opendir(path)))
		return of_error_set_at(OF_ERROR, path, 0, 0, "cannot open folder");
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !(has_ext(e->d_name, ".md") || has_ext(e->d_name, ".markdown")))
			continue;
		if ((rc = of_post__push(&names, &n, e->d_name, strlen(e->d_name))) < 0)
			break;
	}
	closedir(d);
	/* readdir order is filesystem order: sort for deterministic output. */
	if (n)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *full = of_path_join(path, names[i]);
		if (!full) {
			rc = of_error_set_oom();
			break;
		}
		char *real = NULL;
		/* a link out of the folder (to a file elsewhere on the machine) is not a post of this folder */
		if (of_path_is_file(full) && of_path_resolve_inside(&real, path, names[i]) < 0) {
			of_error_clear();
			if (st)
				st->bad++;
			rc = of_log_bad_record(opts ? opts->strict : 0, full, 0, 0, "a link to a file outside %s: not read", path);
		} else if (of_path_is_file(full)) {
			rc = load_file(out, full, opts, st);
		}
		free(real);
		free(full);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc == 0 && n == 0)
		of_log_warn_at(path, 0, 0, "folder holds no .md posts");
	return rc;
}
