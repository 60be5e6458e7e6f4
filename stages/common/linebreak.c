/* linebreak.c — word classes from jieba's tagged dictionary and the cost of a
 * caption line break between two words (see linebreak.h). */
#include "onefish/linebreak.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/utf8.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* Debian's python3-jieba: "word frequency tag" per line, UTF-8, MIT licence. */
#define OF_POS_DICT_DEFAULT "/usr/lib/python3/dist-packages/jieba/dict.txt"

/* Words longer than this are idioms and set phrases: never a caption's two neighbours. */
#define MAX_WORD_BYTES 24

typedef struct {
	uint32_t off;  /* into text; 0 = empty slot (offset 0 is never a key: see load) */
	uint8_t len;   /* bytes */
	uint8_t cls;   /* of_word_class */
} slot;

struct of_lexicon {
	char *text; /* the dictionary file, kept: keys point into it */
	slot *tab;
	size_t mask; /* table size - 1 (a power of two) */
};

static size_t hash_of(const char *w, size_t len)
{
	return (size_t)XXH64(w, len, 0);
}

static of_word_class class_of_tag(const char *tag, size_t len)
{
	if (len == 0)
		return OF_WORD_OTHER;
	switch (tag[0]) {
	case 'n':
		return OF_WORD_NOUN; /* n nr ns nt nz ng nrt nrfg */
	case 'j':
	case 's':
		return OF_WORD_NOUN; /* abbreviations (央视), place words (门口) */
	case 'v':
		/* vn: 检测 in 检测报告; v alone is a verb that may take an object (吃 几顿), not vd, vi, vg */
		return len == 2 && tag[1] == 'n' ? OF_WORD_NOUN : len == 1 ? OF_WORD_VERB : OF_WORD_OTHER;
	case 'a':
		return len == 2 && tag[1] == 'n' ? OF_WORD_NOUN : len == 1 ? OF_WORD_MOD : OF_WORD_OTHER; /* ad is an adverb */
	case 'b':
		return OF_WORD_MOD;
	case 'm':
	case 'q':
		return OF_WORD_NUM;
	case 'r':
		return OF_WORD_PRON;
	case 'p':
		return OF_WORD_PREP;
	case 'd':
		return OF_WORD_ADV; /* d, df, dg: 就, 都, 不要 */
	case 'u':
	case 'y':
		return OF_WORD_PART; /* 的 了 得 着, 吗 呢 吧 */
	default:
		return OF_WORD_OTHER;
	}
}

static slot *find(const of_lexicon *lx, const char *w, size_t len)
{
	if (!lx || !lx->tab || len == 0 || len > MAX_WORD_BYTES)
		return NULL;
	for (size_t h = hash_of(w, len) & lx->mask;; h = (h + 1) & lx->mask) {
		slot *s = &lx->tab[h];
		if (s->off == 0)
			return NULL;
		if (s->len == len && memcmp(lx->text + s->off, w, len) == 0)
			return s;
	}
}

/* Reads the dictionary into lx; a missing or unreadable file leaves lx empty. */
static int load(of_lexicon *lx, const char *path)
{
	size_t size = 0, lines = 0, i;
	int rc = of_file_read(&lx->text, &size, path, OF_MAX_POS_DICT_BYTES);
	if (rc == OF_ENOMEM)
		return rc;
	if (rc < 0 || size == 0 || size >= UINT32_MAX) {
		of_log(OF_LOG_WARN, "linebreak: part-of-speech dictionary %s not readable (install python3-jieba); "
				    "caption lines are broken without word classes", path);
		free(lx->text);
		lx->text = NULL;
		of_error_clear();
		return 0;
	}
	for (i = 0; i < size; i++)
		lines += lx->text[i] == '\n';
	size_t cap = 1024;
	while (cap < 2 * (lines + 1))
		cap *= 2;
	if (!(lx->tab = calloc(cap, sizeof *lx->tab)))
		return of_error_set_oom();
	lx->mask = cap - 1;
	for (i = 0; i < size;) {
		size_t a = i, e, b, t0, t1;
		while (i < size && lx->text[i] != '\n')
			i++;
		e = i++;
		/* word, then the frequency, then the tag, separated by spaces */
		for (b = a; b < e && lx->text[b] != ' '; b++)
			;
		for (t1 = e; t1 > b && (lx->text[t1 - 1] == ' ' || lx->text[t1 - 1] == '\r'); t1--)
			;
		for (t0 = t1; t0 > b && lx->text[t0 - 1] != ' '; t0--)
			;
		if (a == 0 || b == a || b - a > MAX_WORD_BYTES || t0 <= b)
			continue; /* offset 0 marks an empty slot: the file's first word is left out */
		if (find(lx, lx->text + a, b - a))
			continue; /* the first entry of a word wins */
		size_t h = hash_of(lx->text + a, b - a) & lx->mask;
		while (lx->tab[h].off)
			h = (h + 1) & lx->mask;
		lx->tab[h].off = (uint32_t)a;
		lx->tab[h].len = (uint8_t)(b - a);
		lx->tab[h].cls = (uint8_t)class_of_tag(lx->text + t0, t1 - t0);
	}
	return 0;
}

static pthread_once_t shared_once = PTHREAD_ONCE_INIT;
static of_lexicon *shared_lx; /* reachable until exit: never freed on purpose */
static int shared_rc;

static void shared_init(void)
{
	const char *env = getenv("ONEFISH_POS_DICT");
	if (!(shared_lx = calloc(1, sizeof *shared_lx))) {
		shared_rc = OF_ENOMEM;
		return;
	}
	shared_rc = load(shared_lx, env && *env ? env : OF_POS_DICT_DEFAULT);
}

int of_lexicon_shared(const of_lexicon **out)
{
	pthread_once(&shared_once, shared_init);
	*out = shared_lx;
	return shared_rc ? of_error_set_oom() : 0;
}

static int one_of(const char *w, size_t len, const char *const *list)
{
	for (size_t k = 0; list[k]; k++)
		if (len == strlen(list[k]) && memcmp(w, list[k], len) == 0)
			return 1;
	return 0;
}

/* A numeral on its own: its classifier (or the noun) follows (三 / 款新口味). */
static int is_han_numeral(const char *w, size_t len)
{
	static const char *const N[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "两", "几", "半", "百",
					"千", "万", "每", "这", "那", "哪", NULL};
	return one_of(w, len, N);
}

of_word_class of_lexicon_class(const of_lexicon *lx, const char *w, size_t len)
{
	/* Time units end a time or date (8点 / 直播间见, 11月26日 / 宝宝…), not a noun phrase;
	 * jieba tags them m like classifiers. */
	static const char *const T[] = {"点", "月", "日", "号", "年", "周", "天", "时", "分", "秒", "岁", NULL};
	if (is_han_numeral(w, len))
		return OF_WORD_NUM;
	if (one_of(w, len, T))
		return OF_WORD_OTHER;
	const slot *s = find(lx, w, len);
	if (!s)
		return OF_WORD_OTHER;
	/* A one-character word's single tag is a guess (问 is tagged a noun): only the closed
	 * classes are taken from it. */
	if (s->cls == OF_WORD_NOUN && of_utf8_count(w, len) < 2)
		return OF_WORD_OTHER;
	return (of_word_class)s->cls;
}

int of_lexicon_has(const of_lexicon *lx, const char *w, size_t len)
{
	return find(lx, w, len) != NULL;
}

/* The class of token t as the word before (last 1) or after (last 0) a break. A token
 * the dictionary lacks is often two half-words friso glued (三 款新 口味): it is
 * classed by the character at the break. */
static of_word_class token_class(const of_lexicon *lx, const char *text, const of_token *t, int last)
{
	switch (t->kind) {
	case OF_TOKEN_NUMBER:
		return OF_WORD_NUM;
	case OF_TOKEN_WORD:
		break;
	case OF_TOKEN_LATIN:
		return OF_WORD_NOUN; /* a brand or product name: iPhone 15 */
	default:
		return OF_WORD_OTHER;
	}
	const char *w = text + t->offset;
	if (find(lx, w, t->len) || of_utf8_count(w, t->len) < 2)
		return of_lexicon_class(lx, w, t->len);
	size_t a = 0, b = t->len;
	if (last) {
		a = b - 1;
		while (a > 0 && ((unsigned char)w[a] & 0xC0) == 0x80)
			a--;
	} else {
		int32_t cp;
		int k = of_utf8_next(w, t->len, &cp);
		b = k > 0 ? (size_t)k : 1;
	}
	return of_lexicon_class(lx, w + a, b - a);
}

static int32_t cp_of(const char *text, const of_token *t)
{
	int32_t cp = 0;
	return of_utf8_next(text + t->offset, t->len, &cp) > 0 ? cp : 0;
}

static int is_token(const char *text, const of_token *t, const char *w)
{
	return t->kind == OF_TOKEN_WORD && t->len == strlen(w) && memcmp(text + t->offset, w, t->len) == 0;
}

/* Token k ends a date: 日 or 号 after a number (11月19日, 3号). */
static int ends_date(const char *text, const of_token *t, size_t k)
{
	return k > 0 && t[k - 1].kind == OF_TOKEN_NUMBER && (is_token(text, &t[k], "日") || is_token(text, &t[k], "号"));
}

/* text[a..b) names a day of the week: 周四, 星期天, 礼拜一. */
static int is_weekday(const char *w, size_t len)
{
	static const char *const P[] = {"周", "星期", "礼拜", NULL};
	static const char *const D[] = {"一", "二", "三", "四", "五", "六", "日", "天", "末", NULL};
	for (size_t k = 0; P[k]; k++) {
		size_t pl = strlen(P[k]);
		if (len > pl && memcmp(w, P[k], pl) == 0 && one_of(w + pl, len - pl, D))
			return 1;
	}
	return 0;
}

/* Bracketed text [open, close] (token indices) that belongs to a date: a weekday
 * (（周四）) or whatever follows a date directly (11月19日（明天）). */
static int dates_bracket(const char *text, const of_token *t, size_t open, size_t close)
{
	if (open > 0 && ends_date(text, t, open - 1))
		return 1;
	size_t a = t[open].offset + t[open].len, b = t[close].offset;
	while (a < b && text[a] == ' ')
		a++;
	while (b > a && text[b - 1] == ' ')
		b--;
	return is_weekday(text + a, b - a);
}

/* A word that starts a time of day, or a clock time: 晚8点, 晚上, 20:00 after （周四）. */
static int starts_time(const char *text, const of_token *t)
{
	static const char *const T[] = {"晚", "早", "上午", "中午", "下午", "傍晚", "凌晨", "夜", NULL};
	if (t->kind == OF_TOKEN_NUMBER)
		return 1;
	if (t->kind != OF_TOKEN_WORD)
		return 0;
	for (size_t k = 0; T[k]; k++) {
		size_t l = strlen(T[k]);
		if (t->len >= l && memcmp(text + t->offset, T[k], l) == 0)
			return 1;
	}
	return 0;
}

/* Bracket tokens are looked for this far from their partner: an annotation is short. */
#define BRACKET_SPAN 8

/* The opening bracket matching the closing one at token c, or n when none is near. */
static size_t bracket_open(const char *text, const of_token *t, size_t n, size_t c)
{
	int32_t want = cp_of(text, &t[c]) == ')' ? '(' : 0xFF08;
	for (size_t k = c; k > 0 && k + BRACKET_SPAN > c; k--)
		if (t[k - 1].kind == OF_TOKEN_PUNCT && cp_of(text, &t[k - 1]) == want)
			return k - 1;
	return n;
}

/* The closing bracket matching the opening one at token o, or n when none is near. */
static size_t bracket_close(const char *text, const of_token *t, size_t n, size_t o)
{
	int32_t want = cp_of(text, &t[o]) == '(' ? ')' : 0xFF09;
	for (size_t k = o + 1; k < n && k < o + BRACKET_SPAN; k++)
		if (t[k].kind == OF_TOKEN_PUNCT && cp_of(text, &t[k]) == want)
			return k;
	return n;
}

static int is_open_bracket(int32_t cp)
{
	return cp == 0xFF08 || cp == '(';
}

static int is_close_bracket(int32_t cp)
{
	return cp == 0xFF09 || cp == ')';
}

/* Punctuation after which a line may end: commas, stops, closing marks. */
static int ends_clause(const char *s, size_t len)
{
	int32_t cp = 0;
	if (of_utf8_next(s, len, &cp) <= 0)
		return 0;
	static const int32_t P[] = {0xFF0C, 0x3002, 0xFF01, 0xFF1F, 0x3001, 0xFF1B, 0xFF1A, 0x300D, 0x300F, 0xFF09,
				    0x300B, 0x201D, 0x2019, 0x3011, 0x2026, 0x2014, ',', '.', '!', '?', ';', ':', ')'};
	for (size_t k = 0; k < sizeof P / sizeof P[0]; k++)
		if (cp == P[k])
			return 1;
	return 0;
}

int of_linebreak_cost(const of_lexicon *lx, const char *text, const of_token *t, size_t n, size_t i)
{
	size_t a = i, b = i;
	if (i == 0 || i >= n)
		return OF_BREAK_WORD;
	while (a > 0 && t[a - 1].kind == OF_TOKEN_SPACE)
		a--;
	while (b < n && t[b].kind == OF_TOKEN_SPACE)
		b++;
	if (a == 0 || b >= n)
		return OF_BREAK_WORD;
	const of_token *A = &t[a - 1], *B = &t[b];
	/* A date, its weekday in brackets and the time after them are one unit:
	 * 12月3日（周四）晚8点. Another closing bracket ends a clause as a comma does. */
	if (A->kind == OF_TOKEN_PUNCT && is_close_bracket(cp_of(text, A))) {
		size_t o = bracket_open(text, t, n, a - 1);
		if (o < n && dates_bracket(text, t, o, a - 1) && B->kind != OF_TOKEN_PUNCT)
			return starts_time(text, B) ? OF_BREAK_SPLIT : OF_BREAK_WORD;
	}
	if (A->kind == OF_TOKEN_PUNCT)
		return ends_clause(text + A->offset, A->len) ? OF_BREAK_PUNCT : OF_BREAK_WORD;
	if (B->kind == OF_TOKEN_PUNCT && is_open_bracket(cp_of(text, B)) && ends_date(text, t, a - 1)) {
		size_t c = bracket_close(text, t, n, b);
		if (c < n && dates_bracket(text, t, b, c))
			return OF_BREAK_SPLIT; /* 11月16日 / （周一） */
	}
	if (B->kind == OF_TOKEN_PUNCT || B->kind == OF_TOKEN_URL || A->kind == OF_TOKEN_URL)
		return OF_BREAK_WORD;
	/* Inside a date or clock time: 11月 / 16日, 2026年 / 11月, 8点 / 30分. */
	if (B->kind == OF_TOKEN_NUMBER && a >= 2 && t[a - 2].kind == OF_TOKEN_NUMBER &&
	    (is_token(text, A, "年") || is_token(text, A, "月") || is_token(text, A, "点")))
		return OF_BREAK_SPLIT;
	/* A time of day with its clock time (晚 / 8点, 下午 / 3点): one unit. A lone 晚, 早
	 * or 夜 qualifies the word after it (晚 / 直播). */
	if (starts_time(text, A) && A->kind == OF_TOKEN_WORD) {
		if (B->kind == OF_TOKEN_NUMBER)
			return OF_BREAK_SPLIT;
		if (of_utf8_count(text + A->offset, A->len) == 1 && B->kind == OF_TOKEN_WORD)
			return OF_BREAK_PHRASE;
	}
	/* A word friso split: any dictionary word of Han tokens that runs across the boundary
	 * (直播|间, 试用|装), up to three tokens each side. */
	if (a == i && b == i && A->kind == OF_TOKEN_WORD && B->kind == OF_TOKEN_WORD) {
		for (size_t l = a; l > 0 && l + 3 > a; l--) {
			if (t[l - 1].kind != OF_TOKEN_WORD || (l < a && t[l - 1].offset + t[l - 1].len != t[l].offset))
				break;
			for (size_t r = b; r < n && r < b + 3; r++) {
				if (t[r].kind != OF_TOKEN_WORD || (r > b && t[r - 1].offset + t[r - 1].len != t[r].offset))
					break;
				size_t from = t[l - 1].offset, to = t[r].offset + t[r].len;
				if (to - from > MAX_WORD_BYTES)
					break;
				const slot *s = find(lx, text + from, to - from);
				/* only words: jieba also lists idioms and set phrases (a tag i, l) that run over
				 * ordinary word boundaries */
				if (s && s->cls != OF_WORD_OTHER && s->cls != OF_WORD_VERB)
					return OF_BREAK_SPLIT;
			}
		}
	}
	of_word_class ca = token_class(lx, text, A, 1), cb = token_class(lx, text, B, 0);
	if ((A->kind == OF_TOKEN_NUMBER || (A->kind == OF_TOKEN_WORD && is_han_numeral(text + A->offset, A->len))) &&
	    B->kind == OF_TOKEN_WORD)
		return OF_BREAK_PHRASE; /* 三 / 款新口味, 500 / 台 */
	if (ca == OF_WORD_PREP || cb == OF_WORD_PART)
		return OF_BREAK_PHRASE; /* 在 / 视频号; 长长 / 的留言 */
	/* a one-character adverb leans on what it qualifies: 铝箔袋就 / 够了 (…铝箔袋 / 就够了) */
	if (ca == OF_WORD_ADV && A->kind == OF_TOKEN_WORD && of_utf8_count(text + A->offset, A->len) == 1 &&
	    (B->kind == OF_TOKEN_WORD || B->kind == OF_TOKEN_NUMBER))
		return OF_BREAK_PHRASE;
	/* 的 after an adjective or a place word ends a one-word modifier of the noun after it:
	 * 附近的 / 茶友, 清爽的 / 乳液状. After a verb (在山顶拍的 / 稻田全景照片), a verb's result
	 * (蒸软的 / 胡萝卜条) or a noun (合作的 / 大米种植基地) it ends a longer modifier: a plain break. */
	if (is_token(text, A, "的") && a >= 2 && t[a - 2].kind == OF_TOKEN_WORD && B->kind == OF_TOKEN_WORD) {
		const of_token *M = &t[a - 2];
		of_word_class cm = token_class(lx, text, M, 1);
		int result = of_utf8_count(text + M->offset, M->len) == 1 && a >= 3 && t[a - 3].kind == OF_TOKEN_WORD &&
			     token_class(lx, text, &t[a - 3], 1) == OF_WORD_VERB;
		if ((cm == OF_WORD_MOD || (cm == OF_WORD_OTHER && find(lx, text + M->offset, M->len))) && !result)
			return OF_BREAK_PHRASE;
	}
	if (cb == OF_WORD_NOUN &&
	    (ca == OF_WORD_NOUN || ca == OF_WORD_MOD || ca == OF_WORD_NUM || ca == OF_WORD_PRON))
		return OF_BREAK_PHRASE; /* 全景 / 照片, 新 / 口味, 一张 / 照片, 我们 / 团队 */
	/* an amount ended by its classifier, then another amount: 500台 / 二十分钟 */
	if (ca == OF_WORD_NUM && a >= 2 && (t[a - 2].kind == OF_TOKEN_NUMBER ||
					    (t[a - 2].kind == OF_TOKEN_WORD && is_han_numeral(text + t[a - 2].offset, 3))) &&
	    (B->kind == OF_TOKEN_NUMBER || (B->kind == OF_TOKEN_WORD && B->len >= 3 && is_han_numeral(text + B->offset, 3))))
		return OF_BREAK_WORD;
	if (ca == OF_WORD_NUM && (cb == OF_WORD_NUM || cb == OF_WORD_MOD))
		return OF_BREAK_PHRASE; /* 三 / 款, 一款 / 新 */
	if (ca == OF_WORD_NUM && B->kind == OF_TOKEN_WORD && of_utf8_count(text + B->offset, B->len) == 1) {
		/* after a classifier, a one-character word tagged a noun is the noun's first half
		 * more often than a guess gone wrong: 几顿 / 辅 食 (friso splits 辅食) */
		const slot *s = find(lx, text + B->offset, B->len);
		if (s && s->cls == OF_WORD_NOUN)
			return OF_BREAK_PHRASE;
	}
	/* a verb and its object: 吃 / 几顿辅食 (宝宝一天 / 吃几顿辅食 reads better); a date or
	 * an amount in digits after a verb is left a plain break (预约 / 12月3日) */
	if (ca == OF_WORD_VERB && (cb == OF_WORD_NOUN || (cb == OF_WORD_NUM && B->kind == OF_TOKEN_WORD)))
		return OF_BREAK_VERB;
	return OF_BREAK_WORD;
}
