/* normalize.c — a post's text made ready for composing: NFKC, hashtags turned
 * into tags, @ dropped from mentions, emoji runs removed, spacing and
 * punctuation made Chinese again, sentences split with their spans. */
#include "article_int.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/sentence.h"
#include "onefish/fileio.h"
#include "onefish/http.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/utf8.h"

#include <opencc/opencc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_TAG_CPS 30
#define MAX_MENTION_CPS 24

static int push_tag(char ***tags, size_t *n, const char *s);

typedef struct cpv {
	int32_t *cp;
	size_t n;
} cpv;

static int decode(cpv *v, const char *s, size_t len)
{
	size_t i = 0;
	v->n = 0;
	if (!(v->cp = malloc((len + 1) * sizeof *v->cp)))
		return of_error_set_oom();
	while (i < len) {
		int32_t c;
		int k = of_utf8_next(s + i, len - i, &c);
		i += k > 0 ? (size_t)k : 1;
		v->cp[v->n++] = c;
	}
	return 0;
}

static int is_space(int32_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == 0x3000 || c == 0xA0;
}

static int is_word(int32_t c)
{
	return of_utf8_is_han(c) || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_';
}

static int is_ascii_alnum(int32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_end(int32_t c)
{
	return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?' || c == 0xFF1B || c == ';';
}

static int is_url_char(int32_t c)
{
	return c > 0x20 && c < 0x7F && c != '<' && c != '>' && c != '"' && c != '`' && c != '{' && c != '}' &&
	       c != '|' && c != '\\' && c != '^';
}

static int starts_with_ascii(const cpv *v, size_t i, const char *s)
{
	for (size_t k = 0; s[k]; k++)
		if (i + k >= v->n || v->cp[i + k] != (unsigned char)s[k])
			return 0;
	return 1;
}

/* Non-zero when the text at code point `i` starts with one of `list` (UTF-8 phrases). */
static int starts_with_any(const cpv *v, size_t i, char *const *list, size_t n)
{
	char tmp[64];
	size_t len = 0;
	for (size_t k = i; k < v->n && len + 4 < sizeof tmp; k++)
		len += (size_t)of_utf8_encode(v->cp[k], tmp + len);
	tmp[len] = 0;
	for (size_t k = 0; k < n; k++)
		if (strncmp(tmp, list[k], strlen(list[k])) == 0)
			return 1;
	return 0;
}

static int32_t fullwidth(int32_t c)
{
	switch (c) {
	case ',': return 0xFF0C;
	case '!': return 0xFF01;
	case '?': return 0xFF1F;
	case ':': return 0xFF1A;
	case ';': return 0xFF1B;
	case '(': return 0xFF08;
	case ')': return 0xFF09;
	case '~': return 0xFF5E;
	default: return 0;
	}
}

static int put(of_buf *b, int32_t c)
{
	char u[8];
	int n = of_utf8_encode(c, u);
	return n > 0 ? of_buf_append(b, u, (size_t)n) : 0;
}

static int add_tag(char ***tags, size_t *n, const cpv *v, size_t from, size_t to)
{
	of_buf t;
	int rc = 0;
	of_buf_init(&t, 256);
	for (size_t k = from; k < to && rc == 0; k++)
		rc = put(&t, v->cp[k]);
	if (rc == 0 && of_buf_len(&t) > 0) {
		for (size_t k = 0; k < *n; k++)
			if (strcmp((*tags)[k], of_buf_cstr(&t)) == 0)
				goto done;
		rc = push_tag(tags, n, of_buf_cstr(&t));
	}
done:
	of_buf_free(&t);
	return rc;
}

static int push_tag(char ***tags, size_t *n, const char *s)
{
	char **nt = realloc(*tags, (*n + 1) * sizeof *nt);
	if (!nt)
		return of_error_set_oom();
	*tags = nt;
	if (!(nt[*n] = strdup(s)))
		return of_error_set_oom();
	(*n)++;
	return 0;
}

/* The index after the spaces starting at `i`. */
static size_t skip_spaces(const cpv *v, size_t i)
{
	while (i < v->n && is_space(v->cp[i]))
		i++;
	return i;
}

/* Where a hashtag stands decides whether its words belong to the sentence. */
enum { TAG_LABEL = 0, TAG_WORDS = 1, TAG_TOPIC_COMMA = 2 };

/* The index of the first code point from `i` that is neither a space nor emoji. */
static size_t skip_decor(const cpv *v, size_t i)
{
	while (i < v->n && (is_space(v->cp[i]) || of_utf8_is_emoji(v->cp[i])))
		i++;
	return i;
}

/* Non-zero when, from `i` to the end of the line, only spaces, emoji,
 * punctuation and further hashtags follow: the tag closes the line. Sets
 * *ends when a sentence terminator (。！？) is among them. */
static int rest_of_line_is_tags(const cpv *v, size_t i, int *ends)
{
	*ends = 0;
	while (i < v->n && v->cp[i] != '\n') {
		int32_t c = v->cp[i];
		if (c == '#') {
			size_t j = i + 1;
			while (j < v->n && j - i <= MAX_TAG_CPS && !is_space(v->cp[j]) && v->cp[j] != '\n' &&
			       v->cp[j] != '#')
				j++;
			i = j < v->n && v->cp[j] == '#' ? j + 1 : j;
			continue;
		}
		if (is_word(c))
			return 0;
		*ends |= is_end(c);
		i++;
	}
	return 1;
}

/* Non-zero when the clause starting at `i` (up to the first ，。！？；： or
 * line end) is a question. */
static int clause_is_question(const cpv *v, size_t i)
{
	for (; i < v->n && v->cp[i] != '\n'; i++) {
		int32_t c = v->cp[i];
		if (c == 0xFF1F || c == '?')
			return 1;
		if (is_end(c) || c == 0xFF0C || c == ',' || c == 0xFF1A || c == ':' || c == 0x3001)
			return 0;
	}
	return 0;
}

/* Non-zero when the text at `t` opens with a word of hashtag_keep.txt and not
 * with one of its "!" exceptions (很多 and 不少 count people, they are no 很/不). */
static int needs_topic(const cpv *v, size_t t, const of_art_assets *a)
{
	for (size_t k = 0; k < a->n_hashkeep; k++) {
		char *except = a->hashkeep[k] + 1;
		if (a->hashkeep[k][0] == '!' && starts_with_any(v, t, &except, 1))
			return 0;
	}
	for (size_t k = 0; k < a->n_hashkeep; k++)
		if (a->hashkeep[k][0] != '!' && starts_with_any(v, t, &a->hashkeep[k], 1))
			return 1;
	return 0;
}

/*
 * A hashtag is part of the sentence unless it is a label. Labels are
 *  - a tag list closing a line: only tags, emoji and punctuation follow, and
 *    the tag opens a sentence or stands apart after a space (`…可香了！#宝妈反馈
 *    #辅食日记`); a tag glued to the words before it whose sentence then ends
 *    (`这次的主角是#宝宝米粉#！`) is that sentence's last word and stays;
 *  - a tag opening a sentence that reads whole without it (`#幕后花絮# 上周我们
 *    团队去了…`). It stays when the rest needs it as its topic: the rest starts
 *    with a predicate word from hashtag_keep.txt (`#宝宝便秘# 是…`, `#宝妈反馈
 *    每一条…`), or its first clause is a question about it (`#手指食物# 9个月
 *    能吃吗？` → `手指食物，9个月能吃吗？`).
 * `after` is the first code point after the tag and its spaces, `at_start`
 * whether the tag opens a sentence, `spaced` whether a space precedes it.
 */
static int hashtag_role(const cpv *v, size_t after, int at_start, int spaced, const of_art_assets *a)
{
	int ends;
	if (rest_of_line_is_tags(v, after, &ends))
		return !at_start && !spaced && ends ? TAG_WORDS : TAG_LABEL;
	if (!at_start)
		return TAG_WORDS;
	size_t t = skip_decor(v, after);
	if (needs_topic(v, t, a))
		return TAG_WORDS;
	if (clause_is_question(v, t))
		return TAG_TOPIC_COMMA;
	return TAG_LABEL;
}

int of_art_normalize_text(char **out, const char *text, size_t len, const of_art_assets *a, char ***tags,
			  size_t *n_tags)
{
	char *nf = NULL;
	cpv v = {0};
	of_buf b;
	int rc;
	int at_start = 1;     /* nothing wordy yet in this sentence */
	int pending_space = 0;
	int32_t last = 0;     /* last code point written (spaces excluded) */
	*out = NULL;
	of_buf_init(&b, 0); /* sized by what NFKC makes of the text, not by its input length */
	if ((rc = of_utf8_nfkc(&nf, text, len, NULL)) < 0)
		return rc;
	if ((rc = decode(&v, nf, strlen(nf))) < 0)
		goto done;
	for (size_t i = 0; i < v.n && rc == 0;) {
		int32_t c = v.cp[i];
		if (is_space(c)) {
			pending_space = 1;
			i++;
			continue;
		}
		if (c == '\n') {
			if (last != '\n' && last != 0)
				rc = put(&b, '\n');
			last = '\n';
			at_start = 1;
			pending_space = 0;
			i++;
			continue;
		}
		if (of_utf8_is_emoji(c)) {
			i++;
			continue;
		}
		int spaced = pending_space;
		/* A space survives only next to Latin letters, digits or URLs. */
		if (pending_space && last && last != '\n' && (last < 0x80 || c < 0x80))
			rc = of_buf_putc(&b, ' ');
		pending_space = 0;
		if (starts_with_ascii(&v, i, "http://") || starts_with_ascii(&v, i, "https://")) {
			size_t j = i;
			while (j < v.n && is_url_char(v.cp[j]))
				j++;
			while (j > i && strchr(".,;:!?)'", (int)v.cp[j - 1]))
				j--;
			for (; i < j && rc == 0; i++)
				rc = put(&b, v.cp[i]);
			last = 'u';
			at_start = 0;
			continue;
		}
		if (c == '#') {
			size_t j = i + 1, close = 0;
			while (j < v.n && j - i <= MAX_TAG_CPS && !is_space(v.cp[j]) && v.cp[j] != '\n' && v.cp[j] != '#')
				j++;
			if (j < v.n && v.cp[j] == '#' && j > i + 1)
				close = j;
			size_t w0 = i + 1, w1;
			if (close) {
				w1 = close;
			} else {
				for (w1 = w0; w1 < v.n && w1 - w0 < MAX_TAG_CPS && is_word(v.cp[w1]); w1++)
					;
			}
			if (w1 > w0) {
				size_t after = skip_spaces(&v, close ? close + 1 : w1);
				int joint = hashtag_role(&v, after, at_start, spaced, a);
				if ((rc = add_tag(tags, n_tags, &v, w0, w1)) < 0)
					break;
				if (joint) {
					for (size_t k = w0; k < w1 && rc == 0; k++)
						rc = put(&b, v.cp[k]);
					last = v.cp[w1 - 1];
					if (joint == TAG_TOPIC_COMMA && rc == 0) {
						rc = put(&b, 0xFF0C);
						last = 0xFF0C;
					}
					at_start = 0;
				} else if (of_buf_len(&b) > 0 && of_buf_cstr(&b)[of_buf_len(&b) - 1] == ' ') {
					/* the space written before a dropped label has nothing to separate */
					of_buf_truncate(&b, of_buf_len(&b) - 1);
				}
				i = after;
				continue;
			}
		}
		if (c == '@' && !is_ascii_alnum(last)) {
			size_t j = i + 1;
			while (j < v.n && j - i <= MAX_MENTION_CPS && !is_space(v.cp[j]) && v.cp[j] != '\n' &&
			       v.cp[j] != '@' && v.cp[j] != '#' && !of_utf8_is_cjk_punct(v.cp[j]) &&
			       !of_utf8_is_emoji(v.cp[j]) && !(v.cp[j] < 0x80 && strchr(",.!?:;()[]", (int)v.cp[j])))
				j++;
			if (j > i + 1) {
				for (size_t k = i + 1; k < j && rc == 0; k++)
					rc = put(&b, v.cp[k]);
				last = v.cp[j - 1];
				at_start = 0;
				i = skip_spaces(&v, j);
				continue;
			}
		}
		/* NFKC turned full-width punctuation into ASCII: next to Chinese, turn it back. */
		if (c == '.' && i + 2 < v.n && v.cp[i + 1] == '.' && v.cp[i + 2] == '.' && last >= 0x80) {
			rc = put(&b, 0x2026);
			last = 0x2026;
			i += 3;
			continue;
		}
		int32_t fw = fullwidth(c);
		if (fw) {
			size_t nx = skip_spaces(&v, i + 1);
			int32_t next = nx < v.n ? v.cp[nx] : 0;
			if ((last >= 0x80 && last != 'u') || next >= 0x80 || (last >= 0x80 && next == 0))
				c = fw;
		}
		rc = put(&b, c);
		last = c;
		if (is_end(c))
			at_start = 1;
		else if (is_word(c))
			at_start = 0;
		i++;
	}
	if (rc == 0) {
		size_t n = of_buf_len(&b);
		while (n > 0 && (of_buf_cstr(&b)[n - 1] == '\n' || of_buf_cstr(&b)[n - 1] == ' '))
			n--;
		of_buf_truncate(&b, n);
		*out = of_buf_detach(&b, NULL);
		if (!*out)
			rc = of_error_set_oom();
	}
done:
	of_buf_free(&b);
	free(v.cp);
	free(nf);
	return rc;
}

static int is_closer(int32_t c)
{
	return c == 0x201D || c == 0x2019 || c == 0x300D || c == 0x300F || c == 0xFF09 || c == ')' || c == '"';
}

/* Splits `np->norm` into sentences: after a run of 。！？!?； (and closing quotes), or at a newline. */
static int split_sentences(of_npost *np, const of_art_assets *a)
{
	const char *s = np->norm;
	size_t len = np->norm_len, i = 0, cpi = 0, b0 = 0, c0 = 0, cap = 0;
	while (i <= len) {
		int32_t c = 0;
		size_t url = i < len && (s[i] == 'h' || s[i] == 'w') ? of_sentence_url_span(s, len, i) : 0;
		if (url) { /* "?id=47&from=moments" is part of the link, not a question and a fragment */
			i += url;
			cpi += url; /* ASCII: one code point a byte */
			continue;
		}
		int k = i < len ? of_utf8_next(s + i, len - i, &c) : 1;
		size_t step = k > 0 ? (size_t)k : 1;
		int cut = i == len || c == '\n';
		size_t end = i, cend = cpi;
		if (!cut && is_end(c)) {
			/* take the whole run of terminators and closers */
			size_t j = i + step, cj = cpi + 1;
			while (j < len) {
				int32_t d;
				int kk = of_utf8_next(s + j, len - j, &d);
				if (kk <= 0 || !(is_end(d) || is_closer(d)))
					break;
				j += (size_t)kk;
				cj++;
			}
			end = j;
			cend = cj;
			cut = 1;
			step = j - i;
		}
		if (cut) {
			/* trim spaces and stray leading punctuation */
			while (b0 < end) {
				int32_t d;
				int kk = of_utf8_next(s + b0, end - b0, &d);
				if (kk <= 0 || !(d == ' ' || d == 0xFF0C || d == 0x3001 || d == ',' || d == 0xFF1A))
					break;
				b0 += (size_t)kk;
				c0++;
			}
			size_t han = of_utf8_han_count(s + b0, end - b0);
			if (end > b0 && han >= 2) {
				if (np->n_sents == cap) {
					size_t nc = cap ? cap * 2 : 8;
					of_sent *ns = realloc(np->sents, nc * sizeof *ns);
					if (!ns)
						return of_error_set_oom();
					np->sents = ns;
					cap = nc;
				}
				of_sent *st = &np->sents[np->n_sents++];
				memset(st, 0, sizeof *st);
				st->b0 = b0;
				st->b1 = end;
				st->c0 = c0;
				st->c1 = cend;
				st->han = han;
				cpv one = {0};
				if (decode(&one, s + b0, end - b0) < 0)
					return OF_ENOMEM;
				st->dependent = starts_with_any(&one, 0, a->dependent, a->n_dependent);
				free(one.cp);
			}
			if (i == len)
				break;
			if (c == '\n') {
				i += step;
				cpi++;
			} else {
				i = end;
				cpi = cend;
			}
			b0 = i;
			c0 = cpi;
			continue;
		}
		i += step;
		cpi++;
	}
	return 0;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

/* Han bigrams stand in for keywords: they work with or without a word segmenter. */
static int grams(of_npost *np)
{
	const char *s = np->norm;
	size_t len = np->norm_len, i = 0, n = 0;
	int32_t prev = 0;
	if (!(np->grams = malloc((len / 3 + 1) * sizeof *np->grams)))
		return of_error_set_oom();
	while (i < len) {
		int32_t c;
		int k = of_utf8_next(s + i, len - i, &c);
		i += k > 0 ? (size_t)k : 1;
		if (of_utf8_is_han(c)) {
			if (prev)
				np->grams[n++] = ((uint64_t)prev << 21) | (uint64_t)c;
			prev = c;
		} else {
			prev = 0;
		}
	}
	qsort(np->grams, n, sizeof *np->grams, cmp_u64);
	size_t u = 0;
	for (size_t k = 0; k < n; k++)
		if (u == 0 || np->grams[u - 1] != np->grams[k])
			np->grams[u++] = np->grams[k];
	np->n_grams = u;
	return 0;
}

/* Downloads an input's image URL into the cache folder (reused on later runs); a failure is
 * a warning at `line`, the image's own. */
static int fetch_image(char **out, const of_post *p, unsigned long line, const char *url, const char *cache_dir)
{
	int rc = of_fetch_to_cache(out, url, cache_dir, "image/");
	if (rc == OF_ENOMEM)
		return rc;
	if (rc < 0) {
		char msg[1200];
		of_error_format(of_error_last(), msg, sizeof msg);
		of_log_warn_at(p->origin, line, 0, "post '%s': image not fetched (%s); post kept without it", p->id, msg);
	}
	return rc;
}

static int resolve_images(of_npost *np, const char *cache_dir, int strict)
{
	const of_post *p = np->post;
	if (!p->n_images)
		return 0;
	if (!(np->imgs = calloc(p->n_images, sizeof *np->imgs)))
		return of_error_set_oom();
	for (size_t i = 0; i < p->n_images; i++) {
		const char *rel = p->images[i];
		char *real = NULL;
		int rc;
		/* the image's own line when the reader knows it (in a Markdown post's body, an HTML <img>) */
		unsigned long at = p->image_lines && p->image_lines[i] ? p->image_lines[i] : p->line;
		if (of_post_image_is_remote(rel)) {
			if ((rc = fetch_image(&real, p, at, rel, cache_dir)) == OF_ENOMEM)
				return of_error_set_oom();
			if (rc < 0)
				continue;
		} else {
			/* inside the posts folder (a Markdown post's: also the one above); images\a.jpg
			 * written on Windows is found as images/a.jpg, IMAGES\A.JPG too (with a warning) */
			rc = of_post_resolve_image(&real, p, i, NULL);
		}
		if (rc == OF_ENOMEM)
			return rc;
		/* A local image the post names but that cannot be used is a broken part of the
		 * record: kept without it, with a warning, or under --strict the run fails, as
		 * `onefish check` fails it. A remote one that cannot be fetched stays a warning:
		 * the network, not the input, may be at fault. */
		char why[1200];
		struct stat sb;
		int problem = 1;
		if (rc < 0) /* "image 'REL' not found", worded by the lookup `check` shares */
			snprintf(why, sizeof why, "%s", of_error_last()->message);
		else if (!of_path_is_file(real) || !of_path_is_image(real))
			snprintf(why, sizeof why, "image '%.200s' is not a JPEG, PNG, GIF or WebP image", rel);
		else if (stat(real, &sb) == 0 && (unsigned long long)sb.st_size > (unsigned long long)OF_MAX_IMAGE_BYTES) {
			/* copied whole into images/ later: one huge panorama must not stop the article */
			snprintf(why, sizeof why, "image '%.200s' is %lld bytes, over the %zu-byte limit", rel,
				 (long long)sb.st_size, (size_t)OF_MAX_IMAGE_BYTES);
		} else
			problem = 0;
		if (problem) {
			free(real);
			if (strict)
				return of_log_bad_record(1, p->origin, at, 0, "post '%s': %s", p->id, why);
			of_log_warn_at(p->origin, at, 0, "post '%s': %s; post kept without it", p->id, why);
			continue;
		}
		np->imgs[np->n_imgs++].src = real;
	}
	return 0;
}

int of_art_normalize(of_npost *np, const of_post *post, const of_art_assets *a, void *t2s, const char *cache_dir,
		     int absolute_dates, int strict)
{
	int rc;
	np->post = post;
	np->section = -1;
	for (size_t i = 0; i < post->n_tags; i++) {
		int dup = 0;
		for (size_t k = 0; k < np->n_tags; k++)
			dup |= strcmp(np->tags[k], post->tags[i]) == 0;
		if (!dup && (rc = push_tag(&np->tags, &np->n_tags, post->tags[i])) < 0)
			return rc;
	}
	if ((rc = of_art_normalize_text(&np->norm, post->text, strlen(post->text), a, &np->tags, &np->n_tags)) < 0)
		return rc;
	if (t2s) {
		char *conv = opencc_convert_utf8((opencc_t)t2s, np->norm, strlen(np->norm));
		if (conv) {
			free(np->norm);
			np->norm = strdup(conv);
			opencc_convert_utf8_free(conv);
			if (!np->norm)
				return of_error_set_oom();
		}
		for (size_t i = 0; i < np->n_tags; i++) {
			char *ct = opencc_convert_utf8((opencc_t)t2s, np->tags[i], strlen(np->tags[i]));
			if (ct) {
				char *d = strdup(ct);
				opencc_convert_utf8_free(ct);
				if (!d)
					return of_error_set_oom();
				free(np->tags[i]);
				np->tags[i] = d;
			}
		}
	}
	if (absolute_dates && post->has_time && post->time) {
		long long epoch;
		int off = 0;
		char *abs = NULL;
		if (of_post_parse_time(post->time, &epoch, &off) == 0) {
			if ((rc = of_art_absolute_dates(&abs, &np->rel, &np->n_rel, np->norm,
							epoch + (long long)off * 60)) < 0)
				return rc;
			free(np->norm);
			np->norm = abs;
		}
	}
	np->norm_len = strlen(np->norm);
	np->han = of_utf8_han_count(np->norm, np->norm_len);
	if ((rc = split_sentences(np, a)) < 0 || (rc = grams(np)) < 0 || (rc = resolve_images(np, cache_dir, strict)) < 0)
		return rc;
	return 0;
}

void of_art_npost_free(of_npost *np)
{
	if (!np)
		return;
	free(np->norm);
	free(np->sents);
	for (size_t i = 0; i < np->n_tags; i++)
		free(np->tags[i]);
	free(np->tags);
	for (size_t i = 0; i < np->n_imgs; i++) {
		free(np->imgs[i].src);
		free(np->imgs[i].out);
	}
	free(np->imgs);
	free(np->grams);
	free(np->rel);
	memset(np, 0, sizeof *np);
}
