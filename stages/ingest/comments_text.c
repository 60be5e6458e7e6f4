/* comments_text.c — line-based comment logs: raw IRCv3 (Twitch) lines,
 * "[time] user: message" chat logs, and CSV with a header row (RFC 4180
 * quoting, columns mapped by name). */
#include "comments_int.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/limits.h"
#include "onefish/utf8.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Relative time from a wall time in ms. The stream start is the log's earliest
 * wall time, known when a log held in memory has been read to its end: its
 * records are queued from here on (comments_read.c) and their times set then; a
 * log read as a stream (the bilibili XML) starts at its first. An offset from the
 * first record would be negative for records sent before it: Twitch logs merged
 * from several captures, exports sorted by user. */
double of_comments__rel_time(of_creader *r, double ms, unsigned long line)
{
	if (!isfinite(ms) || ms < 0 || ms / 1000.0 > OF_MAX_WALL_TIME)
		return isfinite(ms) ? ms / 1000.0 : 0; /* not a date: its record is refused, it sets no start */
	if (!r->in_memory) {
		if (!r->has_t0) {
			r->has_t0 = 1;
			r->t0 = ms;
			r->t0_line = line;
		}
		return (ms - r->t0) / 1000.0;
	}
	r->deferring = 1;
	if (!r->has_first) {
		r->has_first = 1;
		r->first = ms;
	} else if (ms < r->first) {
		r->early++;
	}
	if (!r->has_t0 || ms < r->t0) {
		r->has_t0 = 1;
		r->t0 = ms;
		r->t0_line = line;
		r->t0_place = of_comments__place(r, line, r->t0_where, sizeof r->t0_where);
		r->t0_at = of_comments__queued(r); /* said before what is queued after this */
	}
	r->rel = 1;
	r->rel_line = line;
	r->rel_ms = ms;
	return 0;
}

void of_comments__order_warning(of_creader *r)
{
	if (!r->early)
		return;
	/* said once, at the record the offsets now count from, named as it was read */
	r->st->out_of_order += r->early;
	r->over = 1;
	r->over_line = r->t0_place;
	memcpy(r->over_where, r->t0_where, sizeof r->over_where);
	of_comments__warn(r, r->t0_line,
			  "%zu record%s sent before the log's first one (the log is out of order): times count "
			  "from this record, the earliest",
			  r->early, r->early == 1 ? " was" : "s were");
	r->over = 0;
	r->early = 0;
}

/* A wall-clock date and time as exports write it: "2026-11-19 20:01:05",
 * "2026/11/19 20:01" (Excel drops the seconds), ISO 8601 with 'T', a fraction
 * and a zone ("…T20:01:05.250+08:00", "…Z"). Without a zone the clock is taken
 * as UTC: only differences between comments are used, and the wall time is
 * kept as written. @return 0, or -1 when `s` is not one of these. */
int of_comments__parse_datetime(const char *s, double *wall)
{
	static const char *const fmts[] = {"%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S",
					   "%Y-%m-%dT%H:%M",    "%Y-%m-%d %H:%M",    "%Y/%m/%d %H:%M"};
	while (*s == ' ')
		s++;
	if (!(s[0] >= '0' && s[0] <= '9') || strlen(s) < 15 || (s[4] != '-' && s[4] != '/'))
		return -1;
	for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
		struct tm tm;
		double frac = 0, off = 0;
		memset(&tm, 0, sizeof tm);
		const char *p = strptime(s, fmts[f], &tm);
		if (!p || (*p == ':' && p[1] >= '0' && p[1] <= '9'))
			continue; /* no match, or seconds left for a later format */
		if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
			char *end;
			frac = strtod(p, &end);
			p = end;
		}
		while (*p == ' ')
			p++;
		if (*p == 'Z' || strcmp(p, "UTC") == 0 || strcmp(p, "GMT") == 0) {
			p += *p == 'Z' ? 1 : 3;
		} else if ((*p == '+' || *p == '-') && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9') {
			int hh = (p[1] - '0') * 10 + (p[2] - '0'), mm = 0;
			const char *q = p + 3;
			if (*q == ':')
				q++;
			if (q[0] >= '0' && q[0] <= '9' && q[1] >= '0' && q[1] <= '9') {
				mm = (q[0] - '0') * 10 + (q[1] - '0');
				q += 2;
			}
			if (hh > 14 || mm > 59)
				return -1;
			off = (*p == '-' ? -1 : 1) * (hh * 3600.0 + mm * 60.0);
			p = q;
		}
		while (*p == ' ')
			p++;
		if (*p)
			return -1;
		*wall = (double)timegm(&tm) + frac - off;
		return isfinite(*wall) ? 0 : -1;
	}
	return -1;
}

/* 1 when Twitch's badges tag, a comma list of name/version
 * ("broadcaster/1,subscriber/12"), holds the badge `name`. */
static int irc_badge(const char *badges, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = badges; *p;) {
		const char *comma = strchr(p, ','), *end = comma ? comma : p + strlen(p);
		if ((size_t)(end - p) > n + 1 && memcmp(p, name, n) == 0 && p[n] == '/')
			return 1;
		p = comma ? comma + 1 : end;
	}
	return 0;
}

/* The broadcaster badge marks the channel's owner; its moderators have the
 * moderator badge and the tags mod=1 and user-type=mod (Twitch staff, admins
 * and VIPs are not the channel's staff: viewers). */
static of_comment_role irc_role(const char *badges, const char *mod, const char *user_type)
{
	if (irc_badge(badges, "broadcaster"))
		return OF_ROLE_HOST;
	if (irc_badge(badges, "moderator") || strcmp(mod, "1") == 0 || strcmp(user_type, "mod") == 0)
		return OF_ROLE_MODERATOR;
	return OF_ROLE_VIEWER;
}

/* Twitch's emotes tag ("25:0-4,12-16/1902:6-10": emote id, then code-point
 * ranges of the message) says which words are emotes. 1 when every character
 * of `text` that is not a space, an emoji or an invisible tag character that
 * clients append lies in a range, i.e. the message is emotes (and emoji) only,
 * like an emoji-only one. A range out of bounds or over a space (Twitch has shipped off-by-one
 * ranges) means the tag does not fit the text: 0, the text is read as it is. */
static int irc_emotes_only(const char *tag, const char *text, size_t len)
{
	enum { MAXCP = 2048 };
	unsigned char covered[MAXCP / 8];
	int32_t cps[MAXCP];
	size_t n = 0;
	if (!*tag)
		return 0;
	for (size_t i = 0; i < len;) {
		int32_t cp;
		int k = of_utf8_next(text + i, len - i, &cp);
		if (k <= 0 || n == MAXCP)
			return 0;
		cps[n++] = cp;
		i += (size_t)k;
	}
	memset(covered, 0, sizeof covered);
	for (const char *p = tag; *p;) {
		const char *colon = strchr(p, ':'), *slash;
		if (!colon)
			return 0;
		p = colon + 1;
		slash = strchr(p, '/');
		while (*p && p != slash) {
			char *end;
			unsigned long a = strtoul(p, &end, 10), b;
			if (end == p || *end != '-')
				return 0;
			p = end + 1;
			b = strtoul(p, &end, 10);
			if (end == p || a > b || b >= n)
				return 0;
			for (unsigned long k = a; k <= b; k++) {
				if (cps[k] == ' ' || cps[k] == '\t')
					return 0;
				covered[k / 8] |= (unsigned char)(1u << (k % 8));
			}
			p = *end == ',' ? end + 1 : end;
		}
		p = slash ? slash + 1 : p;
	}
	for (size_t k = 0; k < n; k++)
		if (!(covered[k / 8] & (1u << (k % 8))) && cps[k] != ' ' && cps[k] != '\t' && !of_utf8_is_emoji(cps[k]) &&
		    !(cps[k] >= 0xE0000 && cps[k] <= 0xE007F))
			return 0;
	return 1;
}

/* Copies a tag value, undoing IRCv3 escapes (\s \: \\ \r \n). */
static void tag_value(char *out, size_t cap, const char *v, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < cap; i++) {
		if (v[i] == '\\' && i + 1 < n) {
			char e = v[++i];
			out[o++] = e == 's' ? ' ' : e == ':' ? ';' : e == 'r' || e == 'n' ? ' ' : e;
		} else {
			out[o++] = v[i];
		}
	}
	out[o] = 0;
}

static int raw_irc(of_creader *r, const char *s, size_t n, unsigned long line)
{
	char name[128] = "", uid[64] = "", id[80] = "", ts[32] = "", bits[16] = "", nick[128] = "", badges[256] = "";
	char mod[4] = "", user_type[16] = "";
	char emotes[2048] = "";
	const char *p = s, *e = s + n, *cmd, *text;
	of_comment c;
	double ms;
	char *end;
	if (*p == '@') {
		const char *sp = memchr(p, ' ', (size_t)(e - p));
		if (!sp)
			return of_comments__bad(r, line, 0, "IRC line with tags but no command");
		for (const char *t = p + 1; t < sp;) {
			const char *semi = memchr(t, ';', (size_t)(sp - t)), *te = semi ? semi : sp;
			const char *eq = memchr(t, '=', (size_t)(te - t));
			if (eq) {
				size_t kl = (size_t)(eq - t), vl = (size_t)(te - eq - 1);
#define TAG(key, buf) if (kl == sizeof key - 1 && memcmp(t, key, kl) == 0) tag_value(buf, sizeof buf, eq + 1, vl)
				TAG("display-name", name);
				TAG("user-id", uid);
				TAG("id", id);
				TAG("tmi-sent-ts", ts);
				TAG("bits", bits);
				TAG("badges", badges);
				TAG("mod", mod);
				TAG("user-type", user_type);
				TAG("emotes", emotes);
#undef TAG
			}
			t = te + 1;
		}
		p = sp + 1;
	}
	if (p < e && *p == ':') {
		const char *sp = memchr(p, ' ', (size_t)(e - p)), *bang;
		if (!sp)
			return of_comments__bad(r, line, 0, "IRC line with a prefix but no command");
		bang = memchr(p, '!', (size_t)(sp - p));
		size_t k = (size_t)((bang ? bang : sp) - p - 1);
		if (k >= sizeof nick)
			k = sizeof nick - 1;
		memcpy(nick, p + 1, k);
		nick[k] = 0;
		p = sp + 1;
	}
	cmd = p;
	if ((size_t)(e - cmd) < 8 || memcmp(cmd, "PRIVMSG ", 8) != 0) {
		r->st->ignored++; /* CLEARCHAT, USERNOTICE, JOIN, PING, ...: not comments */
		return 0;
	}
	/* PRIVMSG <target> <text>: the last parameter has a ':' only when it contains spaces */
	text = memchr(cmd + 8, ' ', (size_t)(e - cmd - 8));
	if (!text || text + 1 >= e)
		return of_comments__bad(r, line, 0, "PRIVMSG without a message");
	text++;
	if (*text == ':')
		text++;
	memset(&c, 0, sizeof c);
	c.line = line;
	c.id = id[0] ? id : NULL;
	c.user_name = name[0] ? name : nick;
	c.user_id = uid[0] ? uid : nick;
	errno = 0;
	ms = ts[0] ? strtod(ts, &end) : NAN;
	if (isfinite(ms) && !errno) {
		c.wall = ms / 1000.0;
		c.time = of_comments__rel_time(r, ms, line);
	}
	c.kind = OF_COMMENT_CHAT;
	c.weight = 1;
	of_comments__set_role(&c, irc_role(badges, mod, user_type));
	if (bits[0]) {
		/* a count of bits, digits only: strtod would also take "inf" and "nan" */
		size_t nd = strspn(bits, "0123456789");
		if (bits[nd] == 0 && nd <= 9) {
			c.kind = OF_COMMENT_SUPERCHAT;
			c.weight = (double)strtoul(bits, NULL, 10) / 100.0; /* 100 bits = 1 USD */
		} else {
			of_comments__warn(r, line, "bits tag '%.20s' is not a count: read as a chat message", bits);
		}
	}
	c.text = text;
	c.text_len = (size_t)(e - text);
	if (c.text_len > 8 && memcmp(c.text, "\001ACTION ", 8) == 0) {
		c.text += 8;
		c.text_len -= 8;
		if (c.text_len && c.text[c.text_len - 1] == '\001')
			c.text_len--;
	}
	c.emotes_only = strlen(emotes) + 1 < sizeof emotes && irc_emotes_only(emotes, c.text, c.text_len);
	return of_comments__emit(r, &c);
}

/* "[5:07] user: message", "[2024-01-06 12:34:56] user: message", "[12:34] <user> message". */
static int text_log(of_creader *r, const char *s, size_t n, unsigned long line)
{
	const char *e = s + n, *close = memchr(s, ']', n), *p, *colon;
	char stamp[40], user[128];
	of_comment c;
	size_t k;
	if (!close || close - s - 1 >= (long)sizeof stamp)
		return of_comments__bad(r, line, 0, "expected \"[time] user: message\"");
	k = (size_t)(close - s - 1);
	memcpy(stamp, s + 1, k);
	stamp[k] = 0;
	memset(&c, 0, sizeof c);
	if (k >= 15 && (stamp[4] == '-' || stamp[4] == '/')) {
		if (of_comments__parse_datetime(stamp, &c.wall) != 0)
			return of_comments__bad(r, line, 2, "bad date-time '%s'", stamp);
		c.time = of_comments__rel_time(r, c.wall * 1000.0, line);
	} else if (of_comments__parse_clock(stamp, &c.time) != 0) {
		return of_comments__bad(r, line, 2, "bad time '%s'", stamp);
	}
	p = close + 1;
	while (p < e && *p == ' ')
		p++;
	if (p < e && *p == '<') {
		colon = memchr(p, '>', (size_t)(e - p));
		if (!colon)
			return of_comments__bad(r, line, 0, "expected \"<user> message\"");
		p++;
	} else {
		colon = memmem(p, (size_t)(e - p), ": ", 2);
		if (!colon && e - p > 0 && e[-1] == ':')
			colon = e - 1;
		if (!colon)
			return of_comments__bad(r, line, 0, "expected \"[time] user: message\"");
	}
	k = (size_t)(colon - p);
	if (k >= sizeof user)
		k = sizeof user - 1;
	memcpy(user, p, k);
	user[k] = 0;
	p = colon + 1;
	while (p < e && *p == ' ')
		p++;
	c.line = line;
	c.user_name = user;
	c.user_id = user;
	c.kind = OF_COMMENT_CHAT;
	c.weight = 1;
	c.text = p;
	c.text_len = (size_t)(e - p);
	return of_comments__emit(r, &c);
}

int of_comments__irc_line(of_creader *r, const char *s, size_t n, unsigned long line)
{
	while (n && (s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	if (n == 0)
		return 0;
	if (s[0] == '[')
		return text_log(r, s, n, line);
	return raw_irc(r, s, n, line);
}

int of_comments__read_irc(of_creader *r, const char *data, size_t len)
{
	size_t pos = 0;
	unsigned long line = 0;
	int rc = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len && rc == 0) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		line++;
		pos += n + 1;
		if (n > OF_MAX_LINE_BYTES)
			rc = of_comments__bad(r, line, 0, "line over the %zu-byte cap", (size_t)OF_MAX_LINE_BYTES);
		else
			rc = of_comments__irc_line(r, s, n, line);
	}
	return rc;
}

/* ---- CSV ---- */

typedef of_crow csvrow;

/* The field separator, from the header line (outside quotes): a tab when it
 * has more tabs than commas (Excel's "Unicode text", TSV exports), a semicolon
 * when it has neither (Excel in locales whose decimal mark is a comma). */
static char csv_separator(const char *d, size_t len)
{
	size_t commas = 0, tabs = 0, semis = 0;
	int inq = 0;
	for (size_t i = 0; i < len && d[i] != '\n' && d[i] != '\r'; i++) {
		if (d[i] == '"') {
			inq = !inq;
		} else if (!inq) {
			commas += d[i] == ',';
			tabs += d[i] == '\t';
			semis += d[i] == ';';
		}
	}
	return tabs > commas ? '\t' : !commas && semis ? ';' : ',';
}

/* Reads one record at *pos; returns 1 when read, 0 at the end, 2 on an unterminated quote. */
static int csv_next(const char *d, size_t len, size_t *pos, unsigned long *line, csvrow *row, int *overflow)
{
	size_t i = *pos;
	int inq = 0;
	unsigned long qline = 0;
	if (i >= len)
		return 0;
	row->line = *line;
	row->n = 1;
	*overflow = 0;
	of_buf_truncate(&row->fields[0], 0);
	for (; i < len; i++) {
		char ch = d[i];
		of_buf *f = &row->fields[row->n - 1];
		if (inq) {
			if (ch == '"') {
				if (i + 1 < len && d[i + 1] == '"') {
					of_buf_putc(f, '"');
					i++;
				} else {
					inq = 0;
				}
			} else {
				if (ch == '\n' || (ch == '\r' && (i + 1 == len || d[i + 1] != '\n')))
					(*line)++;
				if (of_buf_putc(f, ch) != 0)
					*overflow = 1;
			}
			continue;
		}
		if (ch == '"' && of_buf_len(f) == 0) {
			inq = 1;
			qline = *line;
		} else if (ch == row->sep) {
			if (row->n == sizeof row->fields / sizeof row->fields[0]) {
				*overflow = 1;
				continue;
			}
			of_buf_truncate(&row->fields[row->n++], 0);
		} else if (ch == '\n' || (ch == '\r' && (i + 1 == len || d[i + 1] != '\n'))) {
			(*line)++; /* LF, CRLF, or a lone CR (Excel's "CSV (Macintosh)") */
			i++;
			break;
		} else if (ch != '\r') {
			if (of_buf_putc(f, ch) != 0)
				*overflow = 1;
		}
	}
	*pos = i;
	if (inq) {
		row->line = qline;
		return 2;
	}
	return 1;
}

/* The names each field of a comment record goes by: headers of chat-downloader,
 * yt-dlp-style and our own exports, the Chinese ones of live-sale comment
 * exporters (弹幕内容, 用户昵称, 发送时间…), and keys that live-chat capture
 * tools write in JSON (content, nickname, uname, create_time…). Matched whole,
 * ASCII case ignored, in this order. */
static const char *const field_names[OF_FIELD_COUNT][24] = {
	[OF_FIELD_TEXT] = {"text", "message", "content", "comment", "msg", "body", "内容", "弹幕", "评论", "消息", "留言",
			   "弹幕内容", "评论内容", "消息内容", "发言内容", "留言内容", NULL},
	[OF_FIELD_TIME] = {"time_in_seconds", "time", "seconds", "offset", "time_text", "时间", "发送时间", "评论时间",
			   "发言时间", "弹幕时间", NULL},
	[OF_FIELD_MS] = {"video_offset_time_msec", "offset_ms", NULL},
	[OF_FIELD_USER] = {"author", "user", "username", "user_name", "nickname", "nick_name", "uname", "name",
			   "display_name", "用户", "昵称", "用户名", "用户昵称", "观众", "观众昵称", "发送者", NULL},
	[OF_FIELD_UID] = {"author_id", "user_id", "uid", "sec_uid", "用户id", "抖音号", "快手号", NULL},
	[OF_FIELD_ID] = {"id", "message_id", "msg_id", "dmid", "弹幕id", "评论id", "消息id", NULL},
	[OF_FIELD_WALL] = {"timestamp", "timestamp_ms", "ts", "create_time", "send_time", "created_at", "时间戳", NULL},
	[OF_FIELD_KIND] = {"kind", "type", "message_type", "msg_type", "method", "类型", "消息类型", "事件", "事件类型", NULL},
	[OF_FIELD_WEIGHT] = {"weight", "amount", "金额", NULL},
	[OF_FIELD_ROLE] = {"role", "user_role", "user_type", "身份", "角色", "用户身份", "用户角色", NULL},
};

const char *const *of_comments__field_names(of_comment_field f)
{
	return f < OF_FIELD_COUNT ? field_names[f] : field_names[OF_FIELD_TEXT];
}

/* A type column's value: what chat-downloader, our JSONL schema and Chinese
 * live-sale exporters call chat, gifts, paid messages and room events, and
 * Douyin's message class names (WebcastChatMessage, WebcastGiftMessage, …).
 * @return 0, or -1 for a value not listed (`*kind` unchanged). */
int of_comments__kind_name(const char *v, of_comment_kind *kind)
{
	static const struct {
		const char *name;
		of_comment_kind kind;
	} k[] = {{"chat", OF_COMMENT_CHAT},          {"text", OF_COMMENT_CHAT},          {"text_message", OF_COMMENT_CHAT},
		 {"comment", OF_COMMENT_CHAT},       {"message", OF_COMMENT_CHAT},       {"danmaku", OF_COMMENT_CHAT},
		 {"弹幕", OF_COMMENT_CHAT},          {"评论", OF_COMMENT_CHAT},          {"聊天", OF_COMMENT_CHAT},
		 {"消息", OF_COMMENT_CHAT},          {"gift", OF_COMMENT_GIFT},          {"paid_sticker", OF_COMMENT_GIFT},
		 {"礼物", OF_COMMENT_GIFT},          {"打赏", OF_COMMENT_GIFT},          {"superchat", OF_COMMENT_SUPERCHAT},
		 {"super_chat", OF_COMMENT_SUPERCHAT}, {"paid_message", OF_COMMENT_SUPERCHAT}, {"sc", OF_COMMENT_SUPERCHAT},
		 {"醒目留言", OF_COMMENT_SUPERCHAT}, {"付费留言", OF_COMMENT_SUPERCHAT}, {"system", OF_COMMENT_SYSTEM},
		 {"enter", OF_COMMENT_SYSTEM},       {"member", OF_COMMENT_SYSTEM},      {"like", OF_COMMENT_SYSTEM},
		 {"follow", OF_COMMENT_SYSTEM},      {"share", OF_COMMENT_SYSTEM},       {"系统", OF_COMMENT_SYSTEM},
		 {"进场", OF_COMMENT_SYSTEM},        {"进入", OF_COMMENT_SYSTEM},        {"来了", OF_COMMENT_SYSTEM},
		 {"点赞", OF_COMMENT_SYSTEM},        {"关注", OF_COMMENT_SYSTEM},        {"分享", OF_COMMENT_SYSTEM},
		 {"粉丝团", OF_COMMENT_SYSTEM},      {"通知", OF_COMMENT_SYSTEM},        {"membership_item", OF_COMMENT_SYSTEM}};
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
		if (strcasecmp(v, k[i].name) == 0) {
			*kind = k[i].kind;
			return 0;
		}
	if (strncmp(v, "Webcast", 7) == 0 && strlen(v) > 14 && strcmp(v + strlen(v) - 7, "Message") == 0) {
		*kind = strstr(v, "Chat") ? OF_COMMENT_CHAT : strstr(v, "Gift") ? OF_COMMENT_GIFT : OF_COMMENT_SYSTEM;
		return 0;
	}
	return -1;
}

/* A role column's value: the host (the channel's owner), as exporters write it
 * (主播 / 房主 / 主持人) and platforms (broadcaster / owner / host / streamer);
 * the channel's staff who answer for it (管理员 / 房管 / 场控, a live sale's
 * 助播, moderator / mod); anything else (观众, 粉丝, vip, empty) a viewer. */
of_comment_role of_comments__role(const char *v)
{
	static const char *const hosts[] = {"主播", "房主", "主持人", "host", "broadcaster", "owner", "streamer", "anchor"};
	static const char *const mods[] = {"管理员", "房管", "场控", "助播", "moderator", "mod"};
	for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++)
		if (strcasecmp(v, hosts[i]) == 0)
			return OF_ROLE_HOST;
	for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++)
		if (strcasecmp(v, mods[i]) == 0)
			return OF_ROLE_MODERATOR;
	return OF_ROLE_VIEWER;
}

/* An amount as exports write it: "30", "30.5", "¥30", "$1,000.00", "30元".
 * Digits with one '.', thousands commas dropped, a currency sign or unit
 * around them. @return 0, or -1 when there is no such number. */
int of_comments__amount(const char *v, double *out)
{
	char digits[32];
	size_t n = 0;
	int dots = 0, seen = 0;
	for (const char *p = v; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (seen == 2)
				return -1; /* a second number: "3 x 10" */
			seen = 1;
		} else if (*p == '.' && seen == 1 && !dots++) {
		} else if (*p == ',' && seen == 1) {
			continue;
		} else {
			if (*p == '-')
				return -1;
			if (seen)
				seen = 2;
			continue;
		}
		if (n + 1 >= sizeof digits)
			return -1;
		digits[n++] = *p;
	}
	digits[n] = 0;
	if (!n || digits[n - 1] == '.')
		return -1;
	*out = strtod(digits, NULL);
	return isfinite(*out) ? 0 : -1;
}

static int find_col(const csvrow *h, const char *forced, const char *const *names)
{
	for (size_t i = 0; i < h->n; i++) {
		const char *v = of_buf_cstr(&h->fields[i]);
		if (forced) {
			if (strcasecmp(v, forced) == 0)
				return (int)i;
			continue;
		}
		for (const char *const *n = names; *n; n++)
			if (strcasecmp(v, *n) == 0)
				return (int)i;
	}
	return -1;
}

/* The CSV row source of of_comments__read_table. */
typedef struct csv_src {
	const char *data;
	size_t len, pos;
	unsigned long line;
} csv_src;

static int csv_src_next(void *ctx, of_crow *row, int *overflow)
{
	csv_src *c = ctx;
	return csv_next(c->data, c->len, &c->pos, &c->line, row, overflow);
}

int of_comments__read_csv(of_creader *r, const char *data, size_t len)
{
	csv_src src = {data, len, 0, 1};
	of_crow *row = calloc(1, sizeof *row);
	int rc;
	if (!row)
		return of_error_set_oom();
	for (size_t i = 0; i < sizeof row->fields / sizeof row->fields[0]; i++)
		of_buf_init(&row->fields[i], OF_MAX_LINE_BYTES);
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		src.pos = 3;
	row->sep = csv_separator(data + src.pos, len - src.pos);
	rc = of_comments__read_table(r, row, csv_src_next, &src, "CSV");
	for (size_t i = 0; i < sizeof row->fields / sizeof row->fields[0]; i++)
		of_buf_free(&row->fields[i]);
	free(row);
	return rc;
}

/* A posts table (docs/article.md: id, time, author, text, images, likes, tags, comments, or
 * 编号, 发布时间, 作者, 内容, 配图, 点赞, 标签) given as a comment log: its text column would make each
 * post one comment, and the brief would rank whole posts. Its header decides: a column only posts
 * have (images, likes, tags: `post_names`) and none only a comment has (a user other than
 * `author`, a user id, a kind, an amount, a role, a millisecond offset, a timestamp). Returns 0,
 * or OF_EINVALID naming the file, what it is, the command that reads it and the formats read. */
static const char *const post_names[] = {"images", "likes", "tags", "图片", "配图", "点赞", "点赞数", "标签", "话题", NULL};

static int refuse_posts_table(of_creader *r, const csvrow *h, const int *comment_cols, size_t n_comment_cols,
			      int user_col, const char *what)
{
	of_buf named;
	size_t n = 0;
	int rc = 0;
	for (size_t i = 0; i < n_comment_cols; i++)
		if (comment_cols[i] >= 0)
			return 0;
	if (user_col >= 0 && strcasecmp(of_buf_cstr(&h->fields[user_col]), "author") != 0)
		return 0;
	of_buf_init(&named, 1024);
	for (size_t i = 0; i < h->n; i++)
		for (const char *const *pn = post_names; *pn; pn++)
			if (strcasecmp(of_buf_cstr(&h->fields[i]), *pn) == 0) {
				of_buf_printf(&named, "%s'%s'", n++ ? ", " : "", *pn);
				break;
			}
	if (n)
		rc = of_error_set_at(OF_EINVALID, r->origin, h->line, 0,
				     "looks like a posts file, not a comment log%s: its %s header has the posts format's %s "
				     "column%s and none of a comment's (user, kind, 昵称 …); posts go to 'onefish article'. "
				     "Comment logs accepted: %s",
				     r->o->format != OF_COMMENTS_AUTO ? " (whatever --format says)" : "", what,
				     of_buf_cstr(&named), n > 1 ? "s" : "", of_comments_formats_accepted());
	of_buf_free(&named);
	return rc;
}

int of_comments__read_table(of_creader *r, of_crow *row, of_crow_next next, void *ctx, const char *what)
{
	const char *const *text_names = field_names[OF_FIELD_TEXT], *const *time_names = field_names[OF_FIELD_TIME];
	const char *const *ms_names = field_names[OF_FIELD_MS], *const *user_names = field_names[OF_FIELD_USER];
	const char *const *uid_names = field_names[OF_FIELD_UID], *const *id_names = field_names[OF_FIELD_ID];
	const char *const *wall_names = field_names[OF_FIELD_WALL], *const *kind_names = field_names[OF_FIELD_KIND];
	const char *const *weight_names = field_names[OF_FIELD_WEIGHT], *const *role_names = field_names[OF_FIELD_ROLE];
	int rc = 0, got, overflow, ct, ctm, cms, cu, cuid, cid, cw, ck, cwt, crole;
	of_buf header;
	of_buf_init(&header, 4096);
	got = next(ctx, row, &overflow);
	if (got < 0) {
		rc = got;
		goto done;
	}
	if (got != 1) {
		rc = of_error_set_at(OF_EINVALID, r->origin, 1, 0, "%s without a header row", what);
		goto done;
	}
	ct = find_col(row, r->o->csv_text_col, text_names);
	ctm = find_col(row, r->o->csv_time_col, time_names);
	cms = r->o->csv_time_col ? -1 : find_col(row, NULL, ms_names);
	cu = find_col(row, r->o->csv_user_col, user_names);
	cuid = find_col(row, NULL, uid_names);
	cid = find_col(row, NULL, id_names);
	cw = find_col(row, NULL, wall_names);
	ck = find_col(row, NULL, kind_names);
	cwt = find_col(row, NULL, weight_names);
	crole = find_col(row, NULL, role_names);
	{
		const int only[] = {cms, cuid, cw, ck, cwt, crole};
		if ((rc = refuse_posts_table(r, row, only, sizeof only / sizeof *only, cu, what)) < 0)
			goto done;
	}
	if (ct < 0) {
		of_buf looked;
		of_buf_init(&looked, 1024);
		if (r->o->csv_text_col)
			of_buf_append(&looked, r->o->csv_text_col, strlen(r->o->csv_text_col));
		else
			for (const char *const *n = text_names; *n; n++)
				of_buf_printf(&looked, "%s%s", n == text_names ? "" : ", ", *n);
		for (size_t i = 0; i < row->n; i++)
			of_buf_printf(&header, "%s%s", i ? ", " : "", of_buf_cstr(&row->fields[i]));
		rc = of_error_set_at(OF_EINVALID, r->origin, row->line, 0,
				     "%s has no text column (looked for %s; or name it in onefish.yaml as prompts.csv_text); its header is: %s",
				     what, of_buf_cstr(&looked), of_buf_cstr(&header));
		of_buf_free(&looked);
		goto done;
	}
	size_t ncols = row->n;
	while (rc == 0 && (got = next(ctx, row, &overflow)) != 0) {
		of_comment c;
		if (got == 2) {
			rc = of_comments__bad(r, row->line, 0, "unterminated quote opened here; the rest of the file is not read");
			break;
		}
		if (got < 0) {
			rc = got;
			break;
		}
		if (row->n == 1 && of_buf_len(&row->fields[0]) == 0)
			continue; /* blank line */
		if (overflow) {
			rc = of_comments__bad(r, row->line, 0, "record over the field or size cap");
			continue;
		}
		if (row->n != ncols) {
			rc = of_comments__bad(r, row->line, 0, "record has %zu fields, the header has %zu", row->n, ncols);
			continue;
		}
		memset(&c, 0, sizeof c);
		c.line = row->line;
		c.kind = OF_COMMENT_CHAT;
		c.weight = 1;
		c.text = of_buf_cstr(&row->fields[ct]);
		c.text_len = of_buf_len(&row->fields[ct]);
		c.user_name = cu >= 0 ? of_buf_cstr(&row->fields[cu]) : "";
		c.user_id = cuid >= 0 ? of_buf_cstr(&row->fields[cuid]) : c.user_name;
		c.id = cid >= 0 && of_buf_len(&row->fields[cid]) ? of_buf_cstr(&row->fields[cid]) : NULL;
		if (cms >= 0 && of_buf_len(&row->fields[cms])) {
			char *end;
			errno = 0;
			c.time = strtod(of_buf_cstr(&row->fields[cms]), &end) / 1000.0;
			if (*end || errno || !isfinite(c.time)) {
				rc = of_comments__bad(r, row->line, 0, "bad %s '%.30s'", "video_offset_time_msec",
						      of_buf_cstr(&row->fields[cms]));
				continue;
			}
		} else if (ctm >= 0 && of_buf_len(&row->fields[ctm]) &&
			   of_comments__parse_clock(of_buf_cstr(&row->fields[ctm]), &c.time) != 0) {
			/* exports from live-sale tools give the wall clock ("2026-11-19 20:01:05") */
			if (of_comments__parse_datetime(of_buf_cstr(&row->fields[ctm]), &c.wall) != 0) {
				rc = of_comments__bad(r, row->line, 0, "bad time '%.30s' (want seconds, [h:]m:s or a date and time)",
						      of_buf_cstr(&row->fields[ctm]));
				continue;
			}
			c.time = of_comments__rel_time(r, c.wall * 1000.0, row->line);
		}
		if (ck >= 0 && of_buf_len(&row->fields[ck]) &&
		    of_comments__kind_name(of_buf_cstr(&row->fields[ck]), &c.kind) != 0)
			of_comments__warn(r, row->line, "unknown type '%.30s': read as a chat message",
					  of_buf_cstr(&row->fields[ck]));
		if (crole >= 0)
			of_comments__set_role(&c, of_comments__role(of_buf_cstr(&row->fields[crole])));
		if (cwt >= 0 && of_buf_len(&row->fields[cwt]) && of_comments__amount(of_buf_cstr(&row->fields[cwt]), &c.weight) != 0)
			of_comments__warn(r, row->line, "bad amount '%.30s': weight 1 used", of_buf_cstr(&row->fields[cwt]));
		if (cw >= 0 && of_buf_len(&row->fields[cw])) {
			const char *v = of_buf_cstr(&row->fields[cw]);
			char *end;
			double ts;
			errno = 0;
			ts = strtod(v, &end);
			if (*end == 0 && !errno && isfinite(ts))
				c.wall = of_comments__epoch_seconds(ts);
			else if (of_comments__parse_datetime(v, &ts) == 0)
				c.wall = ts;
		}
		rc = of_comments__emit(r, &c);
	}
done:
	of_buf_free(&header);
	return rc;
}
