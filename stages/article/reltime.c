/* reltime.c — relative day words in a post (今晚, 昨晚, 明天, 这周四, 下周四) made
 * absolute from the post's own time (11月19日（周四）晚), since the article is
 * read days after the posts were written. */
#include "article_int.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A day word: `days` from the post's day, `rest` written after the date. */
typedef struct day_word {
	const char *word;
	int days;
	const char *rest;
} day_word;

/* 前天/后天 are left out: 后天 is also "acquired" (先天/后天), and 今日/明日
 * appear in names (今日头条). */
static const day_word DAY_WORDS[] = {
	{"今早上", 0, "早上"}, {"明早上", 1, "早上"}, /* before 今早/明早: "早上上" otherwise */
	{"今天", 0, ""},  {"今晚", 0, "晚"},  {"今早", 0, "早上"}, {"昨天", -1, ""}, {"昨晚", -1, "晚"},
	{"明天", 1, ""}, {"明晚", 1, "晚"}, {"明早", 1, "早上"},
};

/* A week word followed by a weekday: `weeks` from the post's ISO week. */
typedef struct week_word {
	const char *word;
	int weeks;
	int long_form; /* 星期/礼拜: 天 names Sunday too */
} week_word;

static const week_word WEEK_WORDS[] = {
	{"这个星期", 0, 1}, {"这个礼拜", 0, 1}, {"上个星期", -1, 1}, {"上个礼拜", -1, 1}, {"下个星期", 1, 1},
	{"下个礼拜", 1, 1}, {"这星期", 0, 1},   {"本星期", 0, 1},   {"这礼拜", 0, 1},   {"上星期", -1, 1},
	{"上礼拜", -1, 1},  {"下星期", 1, 1},   {"下礼拜", 1, 1},   {"这个周", 0, 0},   {"这周", 0, 0},
	{"本周", 0, 0},     {"上周", -1, 0},    {"下周", 1, 0},
};

static const char *const WEEKDAY_NAMES[] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};

/* 1..7 (Monday..Sunday) for the weekday character at `s`, or 0. */
static int weekday_at(const char *s, size_t len, int long_form)
{
	static const char *const digits[] = {"一", "二", "三", "四", "五", "六", "日"};
	if (len < 3)
		return 0;
	for (int k = 0; k < 7; k++)
		if (memcmp(s, digits[k], 3) == 0)
			return k + 1;
	return long_form && memcmp(s, "天", 3) == 0 ? 7 : 0;
}

/* Non-zero when the text after a weekday numeral shows it is a number or a
 * word instead: 这周一定, 上周一起, 这周三天, 这周一点也不 (but 下周一下午 is Monday). */
static int counts_instead(const char *s, size_t len)
{
	static const char *const after[] = {"起", "定", "样", "直", "些", "点", "次", "共", "般", "切", "边", "同",
					    "天", "个", "顿", "位", "条", "件", "种", "遍", "回", "月", "年", "份",
					    "批", "口", "周", "两", "整"};
	if (len < 3)
		return 0;
	for (size_t k = 0; k < sizeof after / sizeof after[0]; k++)
		if (memcmp(s, after[k], 3) == 0)
			return 1;
	return memcmp(s, "下", 3) == 0 && !(len >= 6 && memcmp(s + 3, "午", 3) == 0);
}

/* Non-zero when the author already gave a date in brackets: 下周四（11月26日）. */
static int bracket_follows(const char *s, size_t len)
{
	return (len >= 1 && s[0] == '(') || (len >= 3 && memcmp(s, "\xEF\xBC\x88", 3) == 0);
}

/* Non-zero when a weekday follows (今天周四, 明天星期五): the author dated it already. */
static int weekday_follows(const char *s, size_t len)
{
	static const char *const lead[] = {"周", "星期", "礼拜"};
	for (size_t k = 0; k < sizeof lead / sizeof lead[0]; k++) {
		size_t l = strlen(lead[k]);
		if (len >= l && memcmp(s, lead[k], l) == 0 && weekday_at(s + l, len - l, l > 3))
			return 1;
	}
	return 0;
}

/* Non-zero when 今天 frames the post itself rather than a day: "今天一次说清楚",
 * "今天跟大家聊聊", "今天来分享". The article is read days later, and a date
 * there ("11月16日（周一）一次说清楚") reads as if the clearing-up happened
 * then; the frame is "here" in the article. "今天给大家做了南瓜泥" is an event:
 * only a telling verb makes a frame. */
static int frames_post(const char *s, size_t len)
{
	static const char *const opt1[] = {"就", "来", "再", "先", "也", "专门", "统一", "集中", "一次", "一起", "简单"};
	static const char *const opt2[] = {"跟大家", "和大家", "给大家", "为大家", "同大家"};
	static const char *const verb[] = {"说", "聊", "讲", "分享", "科普", "介绍", "解答", "回答",
					   "回复", "盘点", "整理", "总结", "唠"};
	const char *const *lists[] = {opt1, opt2};
	size_t counts[] = {sizeof opt1 / sizeof *opt1, sizeof opt2 / sizeof *opt2};
	for (int li = 0; li < 2; li++)
		for (size_t k = 0; k < counts[li]; k++) {
			size_t l = strlen(lists[li][k]);
			if (len >= l && memcmp(s, lists[li][k], l) == 0) {
				s += l, len -= l;
				break;
			}
		}
	for (size_t k = 0; k < sizeof verb / sizeof *verb; k++)
		if (len >= strlen(verb[k]) && memcmp(s, verb[k], strlen(verb[k])) == 0)
			return 1;
	return 0;
}

/* A number 0..59 at `s`: ASCII digits, or 一..十二 / 二十 / 零 (三十 for minutes);
 * bytes used in *used, or -1. */
static int number_at(const char *s, size_t len, size_t *used)
{
	static const char *const han[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
	size_t i = 0;
	int v = 0, nd = 0;
	while (i < len && nd < 2 && s[i] >= '0' && s[i] <= '9')
		v = v * 10 + (s[i++] - '0'), nd++;
	if (nd) {
		*used = i;
		return v;
	}
	/* 十, 十二, 二十, 二十五, 八 */
	int tens = -1, units = -1;
	for (int step = 0; step < 3 && i + 3 <= len; step++) {
		int d = -1;
		for (int k = 0; k < 11; k++)
			if (memcmp(s + i, han[k], 3) == 0)
				d = k;
		if (d < 0)
			break;
		if (d == 10) {
			if (tens >= 0)
				break;
			tens = units >= 0 ? units : 1;
			units = -1;
		} else {
			if (units >= 0)
				break;
			units = d;
		}
		i += 3;
	}
	if (i == 0)
		return -1;
	v = (tens >= 0 ? tens * 10 : 0) + (units >= 0 ? units : 0);
	*used = i;
	return v < 60 ? v : -1;
}

/* The clock time stated right after an evening word (今晚8点, 今晚20:00,
 * 今晚八点半, 今天晚上7点30): minutes after the day's midnight, or -1. An
 * hour under 12 is the evening's (8点 → 20:00); 12点 is midnight. */
static int evening_clock(const char *s, size_t len)
{
	size_t u = 0, i = 0;
	if (len >= 3 && memcmp(s, "上", 3) == 0) /* 今晚上 */
		i = 3;
	int h = number_at(s + i, len - i, &u);
	if (h < 0 || h > 24)
		return -1;
	i += u;
	int m = 0;
	if (len - i >= 3 && memcmp(s + i, "点", 3) == 0) {
		i += 3;
		int mm = number_at(s + i, len - i, &u);
		if (len - i >= 3 && memcmp(s + i, "半", 3) == 0)
			m = 30;
		else if (mm >= 0 && ((len - i - u >= 3 && memcmp(s + i + u, "分", 3) == 0) || (s[i] >= '0' && s[i] <= '9')))
			m = mm; /* 7点30分, 八点十五分, 7点30 (八点一 is no time) */
	} else if (len - i >= 1 && s[i] == ':') {
		i += 1;
		m = number_at(s + i, len - i, &u);
		if (m < 0 || u != 2)
			return -1;
	} else if (len - i >= 3 && memcmp(s + i, "\xEF\xBC\x9A", 3) == 0) { /* full-width colon */
		i += 3;
		m = number_at(s + i, len - i, &u);
		if (m < 0 || u != 2)
			return -1;
	} else {
		return -1;
	}
	if (h < 12)
		h += 12;
	return h * 60 + m;
}

/* For 今天: the evening it names and the text after (今天晚上8点 → "上8点"
 * after 晚), or NULL when 今天 names no evening. */
static const char *evening_after_today(const char *s, size_t len, size_t *rest)
{
	static const char *const lead[] = {"晚上", "晚", "傍晚"};
	for (size_t k = 0; k < sizeof lead / sizeof *lead; k++) {
		size_t l = strlen(lead[k]);
		if (len >= l && memcmp(s, lead[k], l) == 0) {
			*rest = len - l;
			return s + l;
		}
	}
	return NULL;
}

/* Non-zero when the clause after an evening word says the event is yet to start
 * ("#今晚直播# 还有一个小时就开播啦", "今晚直播马上开始"): written at 19:00, such a
 * 今晚 announces, whatever the hour. The clause ends at 。！？ or a line break. */
static int soon_follows(const char *s, size_t len)
{
	static const char *const soon[] = {"马上", "即将", "就要", "待会", "一会儿", "等会", "还有一个小时", "还有半小时",
					   "还有半个小时", "还有几分钟", "还有十分钟", "还有一小时"};
	size_t end = 0;
	while (end < len && end < 90 && s[end] != '\n' && !(len - end >= 3 && (memcmp(s + end, "。", 3) == 0 ||
			memcmp(s + end, "！", 3) == 0 || memcmp(s + end, "？", 3) == 0)))
		end++;
	for (size_t k = 0; k < sizeof soon / sizeof *soon; k++) {
		size_t l = strlen(soon[k]);
		for (size_t i = 0; i + l <= end; i++)
			if (memcmp(s + i, soon[k], l) == 0)
				return 1;
	}
	return 0;
}

/* Non-zero when a word for the post's own evening (今晚, 今天晚上) announced it:
 * a stated clock time still to come at `secs` (seconds after the day's midnight
 * the post was written), or, no time stated, a post written before 18:00 or
 * saying the event is yet to start (soon_follows) — in the evening,
 * "今晚直播进行中" is now, not an announcement. `s` is the text
 * after the word's evening part (晚). */
static int evening_ahead(const char *s, size_t len, long long secs)
{
	int at = evening_clock(s, len);
	if (at >= 0)
		return secs < (long long)at * 60;
	return secs < 18 * 3600 || soon_follows(s, len);
}

/* Writes the date; 1 when written, 0 when the day is out of range (the word
 * then stays as written), < 0 on error. */
static int put_date(of_buf *b, long long local_day_start, int days, const char *rest)
{
	time_t t = (time_t)(local_day_start + (long long)days * 86400);
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return 0;
	int wd = (tm.tm_wday + 6) % 7; /* Monday = 0 */
	int rc = of_buf_printf(b, "%d月%d日（%s）%s", tm.tm_mon + 1, tm.tm_mday, WEEKDAY_NAMES[wd], rest);
	return rc < 0 ? rc : 1;
}

static int add_rel(of_reltime **rel, size_t *n, size_t b0, size_t b1, const char *orig, long long day, int ahead)
{
	of_reltime *nr = realloc(*rel, (*n + 1) * sizeof *nr);
	if (!nr)
		return of_error_set_oom();
	*rel = nr;
	nr[*n].b0 = b0;
	nr[*n].b1 = b1;
	nr[*n].orig = orig;
	nr[*n].day = day;
	nr[*n].ahead = ahead;
	(*n)++;
	return 0;
}

int of_art_absolute_dates(char **out, of_reltime **rel, size_t *n_rel, const char *text, long long local_time)
{
	size_t len = strlen(text), i = 0;
	long long day = local_time - ((local_time % 86400) + 86400) % 86400;
	time_t t = (time_t)day;
	struct tm tm = {0};
	of_buf b;
	int rc = 0;
	*out = NULL;
	*rel = NULL;
	*n_rel = 0;
	/* the longest growth: 今早 (6 bytes) → 12月31日（周三）早上 (28 bytes) */
	of_buf_init(&b, len * 5 + 64);
	if (!gmtime_r(&t, &tm)) /* a time gmtime cannot place: copied as is */
		i = len, rc = of_buf_append(&b, text, len);
	long long monday = day - (long long)((tm.tm_wday + 6) % 7) * 86400;
	while (i < len && rc == 0) {
		size_t used = 0, b0 = of_buf_len(&b);
		const char *orig = NULL;
		int put = 0, ahead = 0;
		long long when = 0;
		if (len - i >= 6 && memcmp(text + i, "今天", 6) == 0 && frames_post(text + i + 6, len - i - 6)) {
			rc = of_buf_puts(&b, "这里");
			i += 6;
			continue;
		}
		for (size_t k = 0; k < sizeof DAY_WORDS / sizeof DAY_WORDS[0] && !used; k++) {
			size_t l = strlen(DAY_WORDS[k].word);
			if (l <= len - i && memcmp(text + i, DAY_WORDS[k].word, l) == 0 &&
			    !bracket_follows(text + i + l, len - i - l) && !weekday_follows(text + i + l, len - i - l)) {
				put = put_date(&b, day, DAY_WORDS[k].days, DAY_WORDS[k].rest);
				used = l;
				orig = DAY_WORDS[k].word;
				when = day + (long long)DAY_WORDS[k].days * 86400;
				/* 今晚 (今天晚上) announces the evening when written before its
				 * stated time, or before 18:00 when it states none */
				ahead = DAY_WORDS[k].days > 0;
				if (DAY_WORDS[k].days == 0 && strcmp(DAY_WORDS[k].rest, "晚") == 0) {
					ahead = evening_ahead(text + i + l, len - i - l, local_time - day);
				} else if (DAY_WORDS[k].days == 0 && !*DAY_WORDS[k].rest) {
					size_t rest = 0;
					const char *ev = evening_after_today(text + i + l, len - i - l, &rest);
					ahead = ev && evening_ahead(ev, rest, local_time - day);
				}
			}
		}
		for (size_t k = 0; k < sizeof WEEK_WORDS / sizeof WEEK_WORDS[0] && !used; k++) {
			size_t l = strlen(WEEK_WORDS[k].word);
			int wd;
			if (l <= len - i && memcmp(text + i, WEEK_WORDS[k].word, l) == 0 &&
			    (wd = weekday_at(text + i + l, len - i - l, WEEK_WORDS[k].long_form)) > 0 &&
			    !bracket_follows(text + i + l + 3, len - i - l - 3) &&
			    !counts_instead(text + i + l + 3, len - i - l - 3)) {
				long long d = monday + (long long)WEEK_WORDS[k].weeks * 7 * 86400;
				put = put_date(&b, d, wd - 1, "");
				used = l + 3;
				orig = WEEK_WORDS[k].word;
				when = d + (long long)(wd - 1) * 86400;
				ahead = when > day;
			}
		}
		if (put < 0) {
			rc = put;
		} else if (put > 0) {
			rc = add_rel(rel, n_rel, b0, of_buf_len(&b), orig, when, ahead);
			if (rc == 0) {
				size_t k = used < sizeof (*rel)[0].written ? used : sizeof (*rel)[0].written - 1;
				memcpy((*rel)[*n_rel - 1].written, text + i, k);
				(*rel)[*n_rel - 1].written[k] = 0;
			}
			i += used;
		} else {
			/* no day word here, or a date out of range: the bytes as written */
			size_t n = used ? used : 1;
			rc = of_buf_append(&b, text + i, n);
			i += n;
		}
	}
	if (rc == 0 && !(*out = of_buf_detach(&b, NULL)))
		rc = of_error_set_oom();
	if (rc < 0) {
		free(*rel);
		*rel = NULL;
		*n_rel = 0;
	}
	of_buf_free(&b);
	return rc;
}

/* Bytes of `s` up to the first ， (*comma = 1) or the end of `len`. */
static size_t upto_comma(const char *s, size_t len, int *comma)
{
	for (size_t i = 0; i + 3 <= len; i++)
		if (memcmp(s + i, "\xEF\xBC\x8C", 3) == 0) {
			*comma = 1;
			return i;
		}
	*comma = 0;
	return len;
}

static int ends_with(const char *s, size_t len, const char *tail)
{
	size_t l = strlen(tail);
	return len >= l && memcmp(s + len - l, tail, l) == 0;
}

size_t of_art_repeat_date(const of_npost *p, size_t s, const char **instead)
{
	*instead = "";
	if (s == 0 || s >= p->n_sents)
		return 0;
	const of_sent *prev = &p->sents[s - 1], *st = &p->sents[s];
	const of_reltime *cur = NULL, *before = NULL;
	for (size_t r = 0; r < p->n_rel; r++) {
		const of_reltime *rt = &p->rel[r];
		if (rt->b0 == st->b0 && rt->b1 <= st->b1)
			cur = rt;
		else if (rt->b0 >= prev->b0 && rt->b1 <= prev->b1)
			before = rt; /* the last date of the sentence before */
	}
	if (!cur || !before)
		return 0;
	const char *t = p->norm;
	if (cur->day != before->day)
		return 0;
	/* 明晚8点，… ！这周四晚8点，…: the whole clause is said again, and goes */
	int c_before, c_cur;
	size_t l_before = upto_comma(t + before->b0, prev->b1 - before->b0, &c_before);
	size_t l_cur = upto_comma(t + cur->b0, st->b1 - cur->b0, &c_cur);
	if (c_before && c_cur && l_before == l_cur && memcmp(t + before->b0, t + cur->b0, l_cur) == 0 &&
	    st->b1 - cur->b0 > l_cur + 3)
		return l_cur + 3;
	/* else the date says the day of the sentence before: 当天 (当晚, 当天早上) */
	size_t l = cur->b1 - cur->b0;
	if (ends_with(t + cur->b0, l, "\xEF\xBC\x89\xE6\x99\x9A")) /* ）晚 */
		*instead = "\xE5\xBD\x93\xE6\x99\x9A"; /* 当晚 */
	else if (ends_with(t + cur->b0, l, "\xE6\x97\xA9\xE4\xB8\x8A")) /* 早上 */
		*instead = "\xE5\xBD\x93\xE5\xA4\xA9\xE6\x97\xA9\xE4\xB8\x8A"; /* 当天早上 */
	else
		*instead = "\xE5\xBD\x93\xE5\xA4\xA9"; /* 当天 */
	return l;
}

void of_art_tense_warn(const char *md_path, unsigned long line, int para, const char *term, const char *written,
		       const char *post, const char *past_by)
{
	char was[64] = "", by[96] = "";
	if (written && *written)
		snprintf(was, sizeof was, " \xE3\x80\x8C%s\xE3\x80\x8D,", written); /* 「这周四」, */
	if (past_by && *past_by)
		snprintf(by, sizeof by, "; by %s (the last post) it is past", past_by);
	of_log_warn_at(md_path, line, 0, "para %d: \xE3\x80\x8C%s\xE3\x80\x8D was%s still to come, in post %s%s: check the tense",
		       para, term, was, post && *post ? post : "?", by);
}
