/* lint.c — copy lint over a TSV lexicon; longest match wins, "allow" entries
 * (最近, 最好是) shadow the absolute terms they contain, and an ordinal term
 * (第一) followed by an "ordinal" entry (批, 次, 天: a measure word or time
 * noun) counts order, not rank: 第一批 is fine, 第一品牌 and 销量第一 are not.
 * A term also listed as "modal" (最好) says "had better" when a verb phrase
 * follows it (最好先问问医生, 最好别, 最好用温水冲) and is then not flagged; before
 * 的, a noun, or as a one-character adjective (最好用的, 最好吃) it is the superlative. */
#include "onefish/lint.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/linebreak.h"
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
	term *modals; /* category "modal": terms that are a modal verb before a verb phrase */
	size_t n_modals;
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

/* Length of the punctuation, space or end that closes a phrase at s (0 if none; len == 0 counts). */
static int phrase_ends(const char *s, size_t len)
{
	int32_t cp;
	if (len == 0)
		return 1;
	if (of_utf8_next(s, len, &cp) <= 0)
		return 1;
	return cp < 0x80 ? !((cp | 32) >= 'a' && (cp | 32) <= 'z') && !(cp >= '0' && cp <= '9')
			 : of_utf8_is_cjk_punct(cp) || (cp >= 0xFF00 && cp <= 0xFF65) || cp == 0x2026 || cp == 0x2014;
}

/* Non-zero when the modal term `word` (最好) is followed by a verb phrase: 最好先问问, 最好别,
 * 最好不要, 最好用温水冲, 最好在饭后. It is the superlative at a phrase's end (效果最好),
 * before 的/之 (最好的米粉), as a one-character adjective (最好用, 最好吃的), and before a
 * dictionary noun (最好品质), unless the noun doubles a verb (最好问问医生: jieba tags 问问 n).
 * Without the dictionary, any Han word after it is taken for a verb. */
static int says_had_better(const of_lint *l, const char *word, const char *s, size_t len)
{
	static const char *const not_verbs[] = {"的", "之", "了", "啦", "呀", "哦", "吗", "嘛", "不过", "没有", NULL};
	const of_lexicon *lx = NULL;
	size_t m, k, w;
	int32_t cp;
	for (m = 0; m < l->n_modals; m++)
		if (strcmp(l->modals[m].term, word) == 0)
			break;
	if (m == l->n_modals || phrase_ends(s, len))
		return 0;
	for (k = 0; not_verbs[k]; k++)
		if (strlen(not_verbs[k]) <= len && memcmp(s, not_verbs[k], strlen(not_verbs[k])) == 0)
			return 0;
	int c1 = of_utf8_next(s, len, &cp);
	if (c1 <= 0 || !of_utf8_is_han(cp))
		return 0;
	/* 最好用, 最好吃的, 最好卖了: one character, then the phrase ends */
	if (phrase_ends(s + c1, len - (size_t)c1) ||
	    (len - (size_t)c1 >= 3 && (memcmp(s + c1, "的", 3) == 0 || memcmp(s + c1, "了", 3) == 0)))
		return 0;
	if (of_lexicon_shared(&lx) < 0 || !lx)
		return 1;
	/* the longest dictionary word that follows, up to four characters */
	size_t ends[4];
	for (w = 0, k = 0; k < 4 && w < len; k++) {
		int c = of_utf8_next(s + w, len - w, &cp);
		if (c <= 0 || !of_utf8_is_han(cp))
			break;
		ends[k] = w += (size_t)c;
	}
	while (k > 1 && !of_lexicon_has(lx, s, ends[k - 1]))
		k--;
	w = ends[k - 1];
	/* 问问, 看看, 尝尝: a doubled character is a verb, whatever jieba's tag */
	int doubled = k >= 2 && ends[1] == 2 * (size_t)c1 && memcmp(s, s + c1, (size_t)c1) == 0;
	if (!doubled && of_lexicon_class(lx, s, w) == OF_WORD_NOUN)
		return 0;
	return 1;
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
	for (size_t i = 0; i < l->n_modals; i++) {
		free(l->modals[i].term);
		free(l->modals[i].suggestion);
		free(l->modals[i].category);
	}
	free(l->modals);
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
		int measure = f[2] && strcmp(f[2], "ordinal") == 0, modal = f[2] && strcmp(f[2], "modal") == 0;
		term **list = measure ? &l->measures : modal ? &l->modals : &l->terms;
		size_t *count = measure ? &l->n_measures : modal ? &l->n_modals : &l->n;
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
		t->ordinal = !measure && !modal && is_ordinal_term(t->term);
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
			    !says_had_better(l, match->term, text + i + match->len, len - i - match->len) &&
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
