/* lint.c — copy lint over a TSV lexicon; longest match wins, "allow" entries
 * (最近, 最好是) shadow the absolute terms they contain, and an ordinal term
 * (第一) followed by an "ordinal" entry (批, 次, 天: a measure word or time
 * noun) counts order, not rank: 第一批 is fine, 第一品牌 and 销量第一 are not. */
#include "onefish/lint.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/utf8.h"

#include <stdlib.h>
#include <string.h>

typedef struct term {
	char *term, *suggestion, *category;
	size_t len;
	int ordinal; /* 第 + numerals: a rank, or an order when a measure word follows */
} term;

struct of_lint {
	term *terms;
	size_t n;
	term *measures; /* category "ordinal": never hits themselves */
	size_t n_measures;
};

static const char NUMERALS[] = "一二三四五六七八九十百千万零两";

/* Length of the Chinese numeral or ASCII digit at `s` (0 if none). */
static size_t numeral_len(const char *s, size_t len)
{
	if (len && s[0] >= '0' && s[0] <= '9')
		return 1;
	for (const char *n = NUMERALS; *n; n += 3)
		if (len >= 3 && memcmp(s, n, 3) == 0)
			return 3;
	return 0;
}

static int is_ordinal_term(const char *t)
{
	size_t len = strlen(t), i = strlen("第"), k;
	if (strncmp(t, "第", i) != 0 || len == i)
		return 0;
	while (i < len && (k = numeral_len(t + i, len - i)) > 0)
		i += k;
	return i == len;
}

/* Non-zero when the text after an ordinal term continues its numeral (第一百)
 * and then names what is counted: 第一批, 第一次, 第一个月. */
static int counts_order(const of_lint *l, const char *s, size_t len)
{
	size_t i = 0, k;
	while (i < len && (k = numeral_len(s + i, len - i)) > 0)
		i += k;
	for (size_t m = 0; m < l->n_measures; m++)
		if (l->measures[m].len <= len - i && memcmp(s + i, l->measures[m].term, l->measures[m].len) == 0)
			return 1;
	return 0;
}

/* "第一，满六个月再加……第二，先从米粉开始": 第一 heading a list item counts
 * points, not rank, when a separator follows it and 第二 opens a later item. */
static int lists_points(const char *word, const char *s, size_t len)
{
	static const char *const sep[] = {"，", "、", "：", ",", ":", " "};
	if (strcmp(word, "第一") != 0)
		return 0;
	for (size_t k = 0; k < sizeof sep / sizeof *sep; k++) {
		size_t l = strlen(sep[k]);
		if (len < l || memcmp(s, sep[k], l) != 0)
			continue;
		for (const char *p = s; (p = memmem(p, len - (size_t)(p - s), "第二", 6)) != NULL; p += 6)
			for (size_t m = 0; m < sizeof sep / sizeof *sep; m++)
				if ((size_t)(s + len - (p + 6)) >= strlen(sep[m]) && memcmp(p + 6, sep[m], strlen(sep[m])) == 0)
					return 1;
	}
	return 0;
}

static int by_len_desc(const void *a, const void *b)
{
	const term *x = a, *y = b;
	return (x->len < y->len) - (x->len > y->len);
}

void of_lint_free(of_lint *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->terms[i].term);
		free(l->terms[i].suggestion);
		free(l->terms[i].category);
	}
	free(l->terms);
	for (size_t i = 0; i < l->n_measures; i++) {
		free(l->measures[i].term);
		free(l->measures[i].suggestion);
		free(l->measures[i].category);
	}
	free(l->measures);
	free(l);
}

int of_lint_new(of_lint **out, const char *lexicon_path)
{
	char *path = NULL, *data = NULL, *line, *next, *nul;
	size_t len = 0;
	of_lint *l = NULL;
	int rc;
	unsigned long ln = 0;
	*out = NULL;
	if (lexicon_path)
		path = strdup(lexicon_path);
	else if ((rc = of_asset_path(&path, "lexicons/adlaw.tsv")) < 0)
		return rc;
	if (!path)
		return of_error_set_oom();
	if ((rc = of_file_read(&data, &len, path, 4 * 1024 * 1024)) < 0)
		goto done;
	if ((nul = memchr(data, '\0', len)) != NULL) {
		/* Everything after a NUL would silently vanish from the lexicon. */
		unsigned long at = 1;
		for (const char *p = data; p < nul; p++)
			at += *p == '\n';
		rc = of_error_set_at(OF_EINVALID, path, at, 0, "lexicon: NUL byte");
		goto done;
	}
	if (!(l = calloc(1, sizeof *l))) {
		rc = of_error_set_oom();
		goto done;
	}
	/* Split by hand rather than with strtok_r, which skips blank lines and so
	 * would make the line numbers in error messages wrong. */
	for (line = data; line; line = next) {
		char *nl = strchr(line, '\n');
		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		char *f[3] = {line, NULL, NULL};
		ln++;
		if (line[0] == '#' || line[0] == '\0' || line[0] == '\r')
			continue;
		for (int i = 1; i < 3; i++) {
			char *tab = f[i - 1] ? strchr(f[i - 1], '\t') : NULL;
			if (tab) {
				*tab = '\0';
				f[i] = tab + 1;
			}
		}
		for (int i = 0; i < 3; i++) {
			size_t n = f[i] ? strlen(f[i]) : 0;
			if (n && f[i][n - 1] == '\r')
				f[i][n - 1] = '\0';
		}
		if (!f[0][0] || !of_utf8_valid(f[0], strlen(f[0]), NULL)) {
			rc = of_error_set_at(OF_EINVALID, path, ln, 1, "lexicon: empty or invalid term");
			goto done;
		}
		int measure = f[2] && strcmp(f[2], "ordinal") == 0;
		term **list = measure ? &l->measures : &l->terms;
		size_t *count = measure ? &l->n_measures : &l->n;
		term *t = realloc(*list, (*count + 1) * sizeof *t);
		if (!t) {
			rc = of_error_set_oom();
			goto done;
		}
		*list = t;
		t = &t[(*count)++];
		memset(t, 0, sizeof *t);
		t->term = strdup(f[0]);
		t->suggestion = strdup(f[1] ? f[1] : "");
		t->category = strdup(f[2] && f[2][0] ? f[2] : "absolute");
		if (!t->term || !t->suggestion || !t->category) {
			rc = of_error_set_oom();
			goto done;
		}
		t->len = strlen(t->term);
		t->ordinal = !measure && is_ordinal_term(t->term);
	}
	if (l->n > 1) /* qsort(NULL, 0, ...) is undefined behaviour */
		qsort(l->terms, l->n, sizeof *l->terms, by_len_desc);
	*out = l;
	l = NULL;
	rc = 0;
done:
	of_lint_free(l);
	free(data);
	free(path);
	return rc;
}

size_t of_lint_scan(const of_lint *l, const char *text, size_t len, of_lint_cb cb, void *payload)
{
	size_t hits = 0, i = 0;
	while (i < len) {
		const term *match = NULL;
		for (size_t k = 0; k < l->n; k++) {
			const term *t = &l->terms[k];
			if (t->len <= len - i && memcmp(text + i, t->term, t->len) == 0) {
				match = t;
				break;
			}
		}
		if (match) {
			if (strcmp(match->category, "allow") != 0 &&
			    !(match->ordinal && (counts_order(l, text + i + match->len, len - i - match->len) ||
						 lists_points(match->term, text + i + match->len, len - i - match->len)))) {
				of_lint_hit h = {match->term, match->suggestion, match->category, i};
				hits++;
				if (cb)
					cb(&h, payload);
			}
			i += match->len;
			continue;
		}
		int32_t cp;
		int k = of_utf8_next(text + i, len - i, &cp);
		i += k > 0 ? (size_t)k : 1;
	}
	return hits;
}
