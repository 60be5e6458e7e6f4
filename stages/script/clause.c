/* clause.c — clause-level text helpers of the scriptwriter (see clause.h). */
#include "script/clause.h"
#include "script/caption.h"
#include "onefish/error.h"
#include "onefish/sentence.h"
#include "onefish/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Copies s without URLs, and with runs of spaces collapsed. */
char *of_clause_strip_urls(const char *s)
{
	of_buf b;
	size_t i = 0, len = strlen(s);
	of_buf_init(&b, len + 1);
	while (i < len) {
		if ((len - i >= 7 && strncmp(s + i, "http://", 7) == 0) ||
		    (len - i >= 8 && strncmp(s + i, "https://", 8) == 0) || (len - i >= 4 && strncmp(s + i, "www.", 4) == 0)) {
			while (i < len && (unsigned char)s[i] > ' ' && (unsigned char)s[i] < 0x7f)
				i++;
			continue;
		}
		if (s[i] == ' ' && of_buf_len(&b) > 0 && of_buf_cstr(&b)[of_buf_len(&b) - 1] == ' ') {
			i++;
			continue;
		}
		of_buf_putc(&b, s[i++]);
	}
	return of_buf_detach(&b, NULL);
}

/* The length of the entry of `list` (NULL-terminated) that `s` starts with, or 0. */
static size_t starts_with_any(const char *s, const char *const *list)
{
	for (size_t k = 0; list[k]; k++)
		if (strncmp(s, list[k], strlen(list[k])) == 0)
			return strlen(list[k]);
	return 0;
}

/* Non-zero if `s` holds an entry of `list` (NULL-terminated). */
static int contains_any(const char *s, const char *const *list)
{
	for (size_t k = 0; list[k]; k++)
		if (strstr(s, list[k]))
			return 1;
	return 0;
}

/* Non-zero if s[a..b) holds something to say: a Han character, a letter or a digit. */
static int has_content(const char *s, size_t a, size_t b)
{
	while (a < b) {
		int32_t cp;
		int k = of_utf8_next(s + a, b - a, &cp);
		if (k <= 0)
			return 0;
		if (of_utf8_is_han(cp) || (cp < 0x80 && ((cp >= '0' && cp <= '9') || ((cp | 32) >= 'a' && (cp | 32) <= 'z'))) ||
		    (cp >= 0xFF10 && cp <= 0xFF5A && !(cp > 0xFF19 && cp < 0xFF21) && !(cp > 0xFF3A && cp < 0xFF41)))
			return 1;
		a += (size_t)k;
	}
	return 0;
}

/* End of the last thing said in s[a..b): the marks and spaces after it skipped. */
static size_t core_end(const char *s, size_t a, size_t b)
{
	while (b > a) {
		size_t p = b - 1;
		int32_t cp;
		while (p > a && ((unsigned char)s[p] & 0xC0) == 0x80)
			p--;
		if (of_utf8_next(s + p, b - p, &cp) <= 0 || has_content(s, p, b))
			break;
		b = p;
	}
	return b;
}

/* Non-zero if the clause s[a..b), its marks aside, ends in a word pointing at a link or code. */
static int ends_in_pointer(const char *s, size_t a, size_t b)
{
	static const char *const ptr[] = {"二维码", "小程序码", "链接", "网址", "网站", "地址", "入口", "下方", "如下",
					  "见下图", "下图", NULL};
	b = core_end(s, a, b);
	for (size_t k = 0; ptr[k]; k++) {
		size_t l = strlen(ptr[k]);
		if (b - a >= l && memcmp(s + b - l, ptr[k], l) == 0)
			return 1;
	}
	return 0;
}

/* Non-zero if the marks s[a..b) hold a colon. */
static int has_colon(const char *s, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (s[i] == ':' || (i + 3 <= b && memcmp(s + i, "：", 3) == 0))
			return 1;
	return 0;
}

/* Non-zero if s[a..b) says nothing once its value is gone: no content, a label
 * ending in a colon, or only a pointer at a link or code. */
static int is_bare_label(const char *s, size_t a, size_t b)
{
	size_t t = core_end(s, a, b);
	return t == a || has_colon(s, t, b) || ends_in_pointer(s, a, t);
}

char *of_clause_drop_labels(const char *s)
{
	static const char *const open_br[] = {"（", "(", "【", "[", NULL}, *const close_br[] = {"）", ")", "】", "]", NULL};
	size_t ends[64], ne, c, len;
	of_buf b;
	char *t = NULL;
	/* 1. brackets around a removed value: "预约直播（链接：）" → "预约直播" */
	of_buf_init(&b, strlen(s) + 4);
	for (size_t i = 0; s[i];) {
		size_t k, j = 0;
		for (k = 0; open_br[k]; k++)
			if (strncmp(s + i, open_br[k], strlen(open_br[k])) == 0)
				break;
		if (open_br[k]) {
			/* its closing bracket within a label's length, none opened before it */
			size_t in = i + strlen(open_br[k]), q, cl = 0;
			for (q = in; s[q] && q < in + 256 && !cl; q++) {
				if (strncmp(s + q, open_br[k], strlen(open_br[k])) == 0)
					break;
				if (strncmp(s + q, close_br[k], strlen(close_br[k])) == 0)
					cl = q;
			}
			if (cl && is_bare_label(s, in, cl))
				j = cl + strlen(close_br[k]);
		}
		if (j) {
			i = j;
			continue;
		}
		of_buf_putc(&b, s[i++]);
	}
	if (!(t = of_buf_detach(&b, NULL)))
		return NULL;
	/* 2. clauses: a label with nothing said after it, a last clause pointing at a link */
	len = strlen(t);
	ne = of_clause_ends(t, ends, 64);
	if (ne == 64 || len == 0) /* a sentence longer than the clause table is kept as it is */
		return t;
	of_buf_init(&b, len + 8);
	int cut = 0;
	for (c = 0; c < ne; c++) {
		size_t a = c ? ends[c - 1] : 0, e = ends[c], ce = core_end(t, a, e);
		int nothing_after = !has_content(t, e, len), empty_next = c + 1 < ne && !has_content(t, e, ends[c + 1]);
		if (ce == a) { /* marks left where a value was */
			cut = 1;
			continue;
		}
		if ((has_colon(t, ce, e) && (nothing_after || empty_next)) || (nothing_after && ends_in_pointer(t, a, ce))) {
			cut = 1;
			continue;
		}
		of_buf_append(&b, t + a, e - a);
		cut = 0;
	}
	free(t);
	if (cut && of_buf_len(&b) > 0) {
		/* what is left ends where the label began: close it as a sentence */
		size_t n = of_buf_len(&b);
		const char *o = of_buf_cstr(&b);
		while (n > 0 && (o[n - 1] == ' ' || o[n - 1] == ',' || o[n - 1] == ';' || o[n - 1] == ':'))
			n--;
		if (n >= 3 && (memcmp(o + n - 3, "，", 3) == 0 || memcmp(o + n - 3, "；", 3) == 0 ||
			       memcmp(o + n - 3, "：", 3) == 0 || memcmp(o + n - 3, "、", 3) == 0))
			n -= 3;
		of_buf_truncate(&b, n);
		int32_t cp = 0;
		size_t q = n ? n - 1 : 0;
		while (q > 0 && ((unsigned char)o[q] & 0xC0) == 0x80)
			q--;
		if (n > 0)
			of_utf8_next(o + q, n - q, &cp);
		if (!of_sentence_is_terminator(cp) && !of_sentence_is_closer(cp))
			of_buf_puts(&b, "。");
	}
	return of_buf_detach(&b, NULL);
}

int of_clause_has_digit(const char *s)
{
	for (; *s; s++)
		if (*s >= '0' && *s <= '9')
			return 1;
	return 0;
}

int of_clause_is_question(const char *s)
{
	size_t n = strlen(s);
	/* skip closers */
	while (n > 0) {
		size_t p = n - 1;
		while (p > 0 && ((unsigned char)s[p] & 0xC0) == 0x80)
			p--;
		int32_t cp;
		if (of_utf8_next(s + p, n - p, &cp) <= 0)
			return 0;
		if (cp == 0xFF1F || cp == '?')
			return 1;
		if (!of_sentence_is_closer(cp) && cp != 0xFF01 && cp != '!')
			return 0;
		n = p;
	}
	return 0;
}

/* Byte offsets just after each clause separator (，、：；, ; :) and the end. */
size_t of_clause_ends(const char *s, size_t *ends, size_t max)
{
	size_t i = 0, n = 0, len = strlen(s);
	while (i < len && n + 1 < max) {
		int32_t cp;
		int k = of_utf8_next(s + i, len - i, &cp);
		size_t step = k > 0 ? (size_t)k : 1;
		i += step;
		/* Clause separators, and sentence ends when a narration holds several sentences;
		 * a closing quote stays with its clause. */
		if (cp == 0xFF0C || cp == 0xFF1A || cp == 0xFF1B || cp == ',' || cp == ';' || cp == 0x2014 ||
		    cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F) {
			while (i < len) {
				int32_t c2;
				int k2 = of_utf8_next(s + i, len - i, &c2);
				if (k2 <= 0 || !of_sentence_is_closer(c2))
					break;
				i += (size_t)k2;
			}
			ends[n++] = i;
		}
	}
	if (n == 0 || ends[n - 1] != len)
		ends[n++] = len;
	return n;
}

/* Appends `s[0..n)` as a finished sentence: a trailing clause comma becomes 。 */
int of_clause_put(of_buf *b, const char *s, size_t n)
{
	static const char *const lead[] = {"此外，", "另外，", "同时，", "而且，", "还有，", "其次，", "再者，", "总之，",
					   "答：", "问：", "答:", "问:", NULL};
	int rc = 0;
	size_t k;
	/* A scene starts afresh: the article's joining words have nothing to join here. */
	for (k = 0; of_buf_len(b) == 0 && lead[k]; k++) {
		size_t l = strlen(lead[k]);
		if (n > l && strncmp(s, lead[k], l) == 0) {
			s += l;
			n -= l;
			break;
		}
	}
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n >= 3 && (memcmp(s + n - 3, "，", 3) == 0 || memcmp(s + n - 3, "：", 3) == 0 ||
		       memcmp(s + n - 3, "；", 3) == 0 || memcmp(s + n - 3, "、", 3) == 0)) {
		rc = of_buf_append(b, s, n - 3);
		return rc ? rc : of_buf_puts(b, "。");
	}
	if (n >= 1 && (s[n - 1] == ',' || s[n - 1] == ';')) {
		rc = of_buf_append(b, s, n - 1);
		return rc ? rc : of_buf_puts(b, "。");
	}
	rc = of_buf_append(b, s, n);
	/* A sentence with no final mark reads on into the next one: close it. */
	if (rc == 0 && n > 0) {
		size_t p = n - 1;
		while (p > 0 && ((unsigned char)s[p] & 0xC0) == 0x80)
			p--;
		int32_t cp;
		if (of_utf8_next(s + p, n - p, &cp) > 0 && !of_sentence_is_terminator(cp) && !of_sentence_is_closer(cp) &&
		    cp != '.')
			rc = of_buf_puts(b, "。");
	}
	return rc;
}

/* Non-zero if every bracket and quote opened in s[a..b) is closed there too. */
int of_clause_balanced(const char *s, size_t a, size_t b)
{
	int depth = 0;
	size_t i = a;
	while (i < b) {
		int32_t cp;
		int n = of_utf8_next(s + i, b - i, &cp);
		if (n <= 0)
			break;
		if (cp == 0xFF08 || cp == '(' || cp == 0x300C || cp == 0x201C || cp == 0x300A || cp == 0x3010 ||
		    cp == 0x300E)
			depth++;
		else if (cp == 0xFF09 || cp == ')' || cp == 0x300D || cp == 0x201D || cp == 0x300B || cp == 0x3011 ||
			 cp == 0x300F)
			if (--depth < 0)
				return 0;
		i += (size_t)n;
	}
	return depth == 0;
}

/* A number worth a hook: an amount, a share or a count (3.5元, 80%, 28位, 八个月 aside),
 * not a clock time or a date (晚8点, 11月26日, 2026年), which only say when. */
int of_clause_striking_number(const char *s)
{
	static const char *const when[] = {"点", "时", "号", "日", "月", "年", "周", "期", ":", NULL};
	const char *p = s;
	int found = 0;
	while (*p) {
		if (*p >= '0' && *p <= '9') {
			const char *e = p;
			size_t k;
			int is_when = 0;
			while ((*e >= '0' && *e <= '9') || *e == '.' || *e == ',')
				e++;
			for (k = 0; when[k]; k++)
				if (strncmp(e, when[k], strlen(when[k])) == 0)
					is_when = 1;
			if (!is_when)
				found = 1;
			p = e;
			continue;
		}
		p++;
	}
	return found;
}

/* Non-zero if the clause s[a..b) hangs at its end: a colon (记住一句话：), a
 * dangling 以后/的时候/如果…, or only a topic (of_clause_topic_only). */
static int hangs(const char *s, size_t a, size_t b)
{
	static const char *const tail[] = {"以后", "之后", "的时候", "时", "如果", "因为", "但是", "的话", "，", NULL};
	size_t k, e = b;
	if (e - a >= 3 && memcmp(s + e - 3, "：", 3) == 0)
		return 1;
	/* strip the clause's own separator before checking its tail */
	while (e > a && (s[e - 1] == ',' || s[e - 1] == ';' || s[e - 1] == ' '))
		e--;
	if (e - a >= 3 && ((unsigned char)s[e - 3] == 0xEF && (unsigned char)s[e - 2] == 0xBC))
		e -= 3; /* ，：； (U+FF0C, U+FF1A, U+FF1B) */
	/* "宝宝吃了新食物后": a bare 后 after what happened hangs like 以后; 最后, 背后, 今后… do not */
	if (e - a >= 6 && strncmp(s + e - 3, "后", 3) == 0) {
		static const char *const whole[] = {"最", "落", "背", "身", "前", "午", "今", "然", "随", "此", "之", "以", NULL};
		int word = 0;
		for (k = 0; whole[k]; k++)
			if (strncmp(s + e - 6, whole[k], 3) == 0)
				word = 1;
		if (!word)
			return 1;
	}
	for (k = 0; tail[k]; k++) {
		size_t l = strlen(tail[k]);
		if (e - a >= l && strncmp(s + e - l, tail[k], l) == 0) {
			/* 时 as "when", not the end of 小时/及时/同时/准时/按时/暂时/当时/有时 */
			static const char *const not_when[] = {"小", "及", "同", "准", "按", "暂", "当", "有", NULL};
			int word = 0;
			if (strcmp(tail[k], "时") == 0 && e - a >= 6)
				for (size_t w = 0; not_when[w]; w++)
					word |= memcmp(s + e - 6, not_when[w], 3) == 0;
			if (word)
				continue;
			return 1;
		}
	}
	return of_clause_topic_only(s, a, b);
}

/* A clause that can stand alone in a short scene: long enough, and not hanging
 * on a neighbour (starting with 而/但/所以…, or ending with 以后/如果…). */
int of_clause_standalone(const char *s, size_t a, size_t b, double min_u, double max_u)
{
	static const char *const lead[] = {"而", "但", "所以", "如果", "因为", "并且", "然后", "其中", "也", "就", "还",
					   "或", "和", "等", "并", "再", "才", "则", "从", "对于", "关于", "为了", "随着", NULL};
	double u = of_spoken_units(s + a, b - a);
	if (u < min_u || u > max_u)
		return 0;
	if (starts_with_any(s + a, lead))
		return 0;
	/* Brackets and quotes must open and close inside the clause. */
	if (!of_clause_balanced(s, a, b))
		return 0;
	return !hangs(s, a, b);
}

/* A clause that only names its topic: "…的" + a short noun at its end and no
 * verb before ("8个月以上的宝宝", "家里的小狗"); the sentence goes on to say
 * something about it, so the clause alone says nothing. */
int of_clause_topic_only(const char *s, size_t a, size_t b)
{
	static const char *const verbs[] = {"是", "有", "了", "会", "能", "要", "可以", "就", "都", "也", "在", "吃",
					    "喝", "用", "做", "加", "看", "说", "给", "让", "把", "被", "不", "没", NULL};
	size_t i = b, n = 0, k;
	/* strip the clause's own mark */
	while (i > a && (s[i - 1] == ',' || s[i - 1] == ';' || s[i - 1] == ' '))
		i--;
	if (i - a >= 3 && ((unsigned char)s[i - 3] == 0xEF && (unsigned char)s[i - 2] == 0xBC))
		i -= 3;
	else if (i - a >= 3 && memcmp(s + i - 3, "、", 3) == 0)
		i -= 3;
	/* one to three Han characters after the last 的 */
	while (i > a && n <= 3) {
		size_t p = i - 1;
		int32_t cp;
		while (p > a && ((unsigned char)s[p] & 0xC0) == 0x80)
			p--;
		if (of_utf8_next(s + p, i - p, &cp) <= 0 || !of_utf8_is_han(cp))
			return 0;
		if (cp == 0x7684 /* 的 */) {
			if (n == 0)
				return 0;
			for (k = 0; verbs[k]; k++) {
				size_t l = strlen(verbs[k]), q;
				for (q = a; q + l <= p; q++)
					if (memcmp(s + q, verbs[k], l) == 0)
						return 0;
			}
			return 1;
		}
		n++;
		i = p;
	}
	return 0;
}

/* Non-zero if a narration cut just after s[..b) (a clause end) ends on a finished thought. */
int of_clause_complete_end(const char *s, size_t b)
{
	/* what the rest of the sentence opens with when it depends on the part before */
	static const char *const dep[] = {"再", "就", "才", "也", "还", "所以", "但", "而", "则", "并", "否则", "那么",
					  NULL};
	size_t ends[64], ne = of_clause_ends(s, ends, 64), c, a = 0, k, len = strlen(s);
	for (c = 0; c < ne && ends[c] < b; c++)
		a = ends[c];
	if (hangs(s, a, b))
		return 0;
	/* "吃完觉得合适，再考虑入正装就好": the part kept is only the condition */
	while (b < len && s[b] == ' ')
		b++;
	for (k = 0; b < len && dep[k]; k++)
		if (strncmp(s + b, dep[k], strlen(dep[k])) == 0)
			return 0;
	return 1;
}

/* Non-zero if two texts share two consecutive Han characters: a heading that is about the narration. */
int of_clause_shares_bigram(const char *a, const char *b)
{
	size_t i = 0, n = strlen(a);
	while (i < n) {
		int32_t c1, c2;
		int k1 = of_utf8_next(a + i, n - i, &c1);
		if (k1 <= 0)
			return 0;
		if (i + (size_t)k1 < n && of_utf8_is_han(c1)) {
			int k2 = of_utf8_next(a + i + k1, n - i - (size_t)k1, &c2);
			if (k2 > 0 && of_utf8_is_han(c2)) {
				char bg[9];
				memcpy(bg, a + i, (size_t)k1 + (size_t)k2);
				bg[k1 + k2] = '\0';
				if (strstr(b, bg))
					return 1;
			}
		}
		i += (size_t)k1;
	}
	return 0;
}

/* Non-zero if `s` only makes sense next to what came before it in the article:
 * an answer without its question (答：…, 可以，…) or a teaser that announces a
 * topic and says nothing of it (说说辅食过敏这件事, 整理了后台问得多的三个问题). */
int of_clause_is_greeting(const char *s)
{
	static const char *const ends[] = {"好", "好呀", "好啊", "好哦", "好鸭", "安", "安呀", NULL};
	static const char *const times[] = {"早上", "上午", "中午", "下午", "晚上", "大家", "各位", "早", "晚", NULL};
	static const char *const hellos[] = {"哈喽", "哈啰", "嗨", NULL};
	/* greetings that are the whole sentence: the week or the weekend, nothing of it said */
	static const char *const whole[] = {"新的一周开始啦", "新的一周开始了", "新的一周又开始啦", "新的一周又开始了",
					    "新一周开始啦", "新一周开始了", "周末愉快", "周末快乐", "大家周末愉快",
					    "祝大家周末愉快", "周一愉快", "新的一周加油", NULL};
	char han[64];
	size_t n = 0, len = strlen(s), count = 0;
	/* its Han characters only: punctuation and emoji around a greeting do not change it */
	for (size_t i = 0; i < len;) {
		int32_t c;
		int k = of_utf8_next(s + i, len - i, &c);
		if (k <= 0)
			return 0;
		if (of_utf8_is_han(c)) {
			if (n + (size_t)k >= sizeof han || ++count > 10) /* 哈喽，新的一周又开始啦 */
				return 0;
			memcpy(han + n, s + i, (size_t)k);
			n += (size_t)k;
		} else if (c < 0x80 && ((c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z'))) {
			return 0;
		}
		i += (size_t)k;
	}
	han[n] = 0;
	/* 哈喽，新的一周开始啦！: an interjection, then a greeting or nothing */
	const char *h = han;
	for (size_t k = 0; hellos[k]; k++)
		if (strncmp(h, hellos[k], strlen(hellos[k])) == 0) {
			h += strlen(hellos[k]);
			n -= strlen(hellos[k]);
			break;
		}
	if (n == 0 && h != han)
		return 1;
	for (size_t k = 0; whole[k]; k++)
		if (strcmp(h, whole[k]) == 0)
			return 1;
	memmove(han, h, n + 1);
	for (size_t e = 0; ends[e]; e++) {
		size_t el = strlen(ends[e]);
		if (n < el || strcmp(han + n - el, ends[e]) != 0)
			continue;
		for (size_t t = 0; times[t]; t++) { /* the greeting word right before: 早上好, 大家好, 早安 */
			size_t tl = strlen(times[t]);
			if (n >= el + tl && memcmp(han + n - el - tl, times[t], tl) == 0)
				return 1;
		}
	}
	return 0;
}

int of_clause_needs_context(const char *s)
{
	static const char *const joins[] = {"此外，", "另外，", "同时，", "而且，", "还有，", "其次，", "再者，", "最后，", NULL};
	static const char *const answers[] = {"答：", "答:", "A：", "A:", "可以，", "不可以，", "能，", "不能，", "是的，",
					      "对，", "没错，", "不是，", "会，", "不会，", NULL};
	static const char *const teasers[] = {"说说", "聊聊", "讲讲", "来说说", "再说说", "今天说说", "今天聊聊",
					      "下面说说", "来聊聊", "分享一下", "整理了", "整理一下", "给大家整理",
					      "总结了", "总结一下", "汇总了", "盘点一下", NULL};
	/* words pointing back at something said just before ("这个问题…", "对此…"): without it the
	 * line hangs, so it is only used right after its question, as the hook's answer */
	static const char *const anaphora[] = {"这个问题", "这些问题", "这个情况", "这种情况", "这一点", "对此",
					       "关于这个", "关于这点", "上面说的", "前面说的", "以上", "如上", NULL};
	s += starts_with_any(s, joins);
	if (starts_with_any(s, anaphora))
		return 1;
	if (starts_with_any(s, answers))
		return 1;
	if (starts_with_any(s, teasers) && of_spoken_units(s, strlen(s)) < 14)
		return 1;
	return 0;
}

/* Non-zero if the Han character at s[i] is one of `set` (each a 3-byte UTF-8 character). */
static int char_in(const char *s, size_t i, size_t len, const char *set)
{
	if (i + 3 > len)
		return 0;
	for (const char *c = set; *c; c += 3)
		if (memcmp(s + i, c, 3) == 0)
			return 1;
	return 0;
}

int of_clause_speaks_ahead(const char *s)
{
	static const char *const words[] = {"直播", "开播", "现场", "连麦", "预约", "届时", "到时", "即将", "敬请",
					    "不见不散", "等你", "记得来", "准备", "欢迎来听", "欢迎来看",
					    "欢迎来问", "欢迎来聊", NULL};
	/* 会 and 将 inside a word: 机会, 学会, 社会, 会员, 一会儿; 将近, 麻将, 将军 */
	static const char before_hui[] = "机体社学理领误聚开约宴晚舞展年大协商工博茶例酒省国议幽";
	static const char after_hui[] = "员议场所计话长谈儿意费馆面诊考合客标";
	static const char before_jiang[] = "麻大老名猛武主干小";
	static const char after_jiang[] = "近军领士就";
	size_t len = strlen(s);
	if (contains_any(s, words))
		return 1;
	for (size_t i = 0; i + 3 <= len; i++) {
		int hui = memcmp(s + i, "会", 3) == 0, jiang = memcmp(s + i, "将", 3) == 0;
		if (!hui && !jiang)
			continue;
		if (i >= 3 && char_in(s, i - 3, len, hui ? before_hui : before_jiang))
			continue;
		if (char_in(s, i + 3, len, hui ? after_hui : after_jiang))
			continue;
		return 1;
	}
	return 0;
}

int of_clause_is_cta(const char *s)
{
	static const char *const lead[] = {"点击", "点这里", "戳", "扫码", "扫描", "长按", "预约", "锁定", "订阅", "快来",
					   "赶紧来", "欢迎来直播间", "欢迎预约", "来直播间", "进直播间", NULL};
	static const char *const any[] = {"直播间见", "不见不散", "点击预约", "预约直播", "开播前收到提醒", "开播提醒",
					  "设置提醒", "关注公众号", "关注我们", "关注视频号", "关注账号", "关注「", "等你来",
					  "锁定直播间", "下期见", "记得预约", "记得来", "记得关注", "评论区扣", NULL};
	while (*s == ' ')
		s++;
	if (starts_with_any(s, lead))
		return 1;
	if (contains_any(s, any))
		return 1;
	return 0;
}

int of_clause_cta_to_live(const char *s)
{
	return strstr(s, "预约") || strstr(s, "直播间") || strstr(s, "不见不散") || strstr(s, "来直播");
}

int of_clause_leans_back(const char *s)
{
	/* the joining words of_clause_put drops at a scene's start: what follows stands alone */
	static const char *const joins[] = {"此外，", "另外，", "还有，", "同时，", "而且，", "其次，", "再者，", NULL};
	static const char *const lead[] = {"这", "那", "所以", "但", "不过", "可是", "因此", "于是", "然后", "而且", "并且",
					   "另外", "还有", "也", "同样", "其", "该", "此", "上述", "以上", "对此", "她", "他",
					   "它", NULL};
	/* 这/那 as time or place words of the speaker's now, not pointing back */
	static const char *const deixis[] = {"这周", "这个周", "这个月", "这两天", "这几天", "这段时间", "这一周",
					     "这个冬天", "这个秋天", "这个季节", NULL};
	while (*s == ' ')
		s++;
	s += starts_with_any(s, joins);
	if (starts_with_any(s, deixis))
		return 0;
	/* 其实, 也许, 该不该: words of their own */
	if (strncmp(s, "其实", 6) == 0 || strncmp(s, "也许", 6) == 0 || strncmp(s, "该不该", 9) == 0)
		return 0;
	if (starts_with_any(s, lead))
		return 1;
	return 0;
}

/* The length of the entry of `list` that s[0..len) ends with, or 0. */
static size_t ends_with_any(const char *s, size_t len, const char *const *list)
{
	for (size_t k = 0; list[k]; k++) {
		size_t n = strlen(list[k]);
		if (n <= len && memcmp(s + len - n, list[k], n) == 0)
			return n;
	}
	return 0;
}

/* Non-zero if s opens with someone asking: QUANTITY + WHO + (ADVERBS) + 问, or a plural WHO
 * (…们, 大家) without the quantity: 很多茶友问我…, 不少钓友私信问…, 常有粉丝问…, 经常有人问…,
 * 姐妹们都在问…, 大家都问…. WHO is any short run of Han characters that is not a clause of its
 * own (no pronoun, verb or particle among the few that would make it one), so the audience a
 * brand has (宝妈, 茶友, 钓友) needs no list; 问题, 问候, 问世 are not 问. */
static int opens_with_asking(const char *s)
{
	static const char *const many[] = {"很多", "不少", "好多", "许多", "好些", "一些", "常有", "经常有", "总有", "老有",
					   "一直有", "有", NULL};
	/* between WHO and 问, longest first */
	static const char *const adv[] = {"一直在", "一直", "常常", "经常", "总是", "老是", "私信", "留言", "后台", "跑来",
					  "都在", "也在", "都", "也", "常", "总", "老", "在", "来", "会", NULL};
	static const char *const not_ask[] = {"问题", "问候", "问世", "问号", "问卷", "问责", "问诊", NULL};
	/* characters that make the run before 问 a clause, not a noun phrase */
	static const char *const stop = "我你他她它这那的了是不没把被说要想让给对就还都";
	size_t q = starts_with_any(s, many), a = q, han = 0;
	int32_t cp;
	/* 问 within a few Han characters, nothing else between */
	while (han <= 8) {
		int k = of_utf8_next(s + a, strlen(s + a), &cp);
		if (k <= 0 || !of_utf8_is_han(cp))
			return 0;
		if (cp == 0x95EE /* 问 */)
			break;
		a += (size_t)k;
		han++;
	}
	if (han > 8 || starts_with_any(s + a, not_ask))
		return 0;
	size_t who = a - q, n;
	while (who > 0 && (n = ends_with_any(s + q, who, adv)) > 0 && n < who)
		who -= n;
	if (who == 0 || of_utf8_count(s + q, who) > 4)
		return 0; /* nobody, or more than a name for people */
	for (size_t i = q, k; i < q + who; i += k) {
		char one[5] = {0};
		k = (size_t)of_utf8_next(s + i, q + who - i, &cp);
		memcpy(one, s + i, k);
		if (strstr(stop, one))
			return 0;
	}
	if (q == 0) { /* without a quantity, only a plural WHO: 姐妹们, 大家 */
		if (!ends_with_any(s, who, (const char *const[]){"们", "大家", NULL}))
			return 0;
	}
	return 1;
}

int of_clause_raises_topic(const char *s)
{
	static const char *const joins[] = {"此外，", "另外，", "还有，", "同时，", "而且，", "其次，", "再者，", "最后，", NULL};
	/* 宝宝便秘是这周后台问得特别多的问题, 大家问得多的是…, 问得最多的… */
	static const char *const asked[] = {"问得多的", "问得特别多的", "问得最多的", "问得比较多的", "问得很多的",
					    "问的最多的", "问得最多", "问的最多", "问得特别多", NULL};
	/* 今天聊聊…; 很多宝妈问… is a pattern: opens_with_asking */
	static const char *const lead[] = {"今天聊聊", "今天说说", "今天来聊聊", "今天来说说", "今天讲讲", "聊聊", "说说",
					   "来聊聊", NULL};
	size_t len;
	while (*s == ' ')
		s++;
	s += starts_with_any(s, joins);
	/* one clause: 「大家问得多的是防噎和外出带饭，我们整理成了一份清单」 goes on to say something */
	len = strlen(s);
	size_t ends[4];
	if (of_clause_ends(s, ends, 4) != 1 || ends[0] < len)
		return 0;
	if (starts_with_any(s, lead) || opens_with_asking(s))
		return 1;
	if (contains_any(s, asked))
		return 1;
	return 0;
}

int of_clause_is_service(const char *s)
{
	static const char *const words[] = {"谢谢", "感谢", "多谢", "抱歉", "不好意思", "对不起", "久等了", "售后",
					    "退换", "退款", "退货", "客服", "发货", "到仓", "补发", "下单顺序", "物流",
					    "快递", NULL};
	return contains_any(s, words);
}
