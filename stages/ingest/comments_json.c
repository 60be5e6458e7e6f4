/* comments_json.c — JSON comment logs through jansson: YouTube (chat-downloader
 * legacy and current arrays, raw innertube actions, yt-dlp .live_chat.json
 * lines), Twitch {"messages":[raw IRC lines]}, our JSONL schema, and the JSON
 * records (lines or an array) that live-chat capture tools write. */
#include "comments_int.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/json.h"
#include "onefish/limits.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct ytctx {
	of_creader *r;
} ytctx;

static const char *str_at(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);
	if (b)
		v = json_object_get(v, b);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Text of a {"runs":[{"text"},{"emoji"}]} or {"simpleText"} object. */
static void runs_text(of_buf *b, json_t *msg)
{
	json_t *runs = json_object_get(msg, "runs"), *run;
	size_t i;
	if (json_is_string(json_object_get(msg, "simpleText"))) {
		of_buf_puts(b, json_string_value(json_object_get(msg, "simpleText")));
		return;
	}
	json_array_foreach(runs, i, run) {
		const char *t = str_at(run, "text", NULL);
		json_t *emoji = json_object_get(run, "emoji");
		if (t) {
			of_buf_puts(b, t);
		} else if (emoji) {
			const char *id = str_at(emoji, "emojiId", NULL);
			json_t *sc = json_array_get(json_object_get(emoji, "shortcuts"), 0);
			/* standard emoji carry themselves as the id; custom ones a channel-specific id */
			if (id && strlen(id) <= 16 && (unsigned char)id[0] >= 0x80)
				of_buf_puts(b, id);
			else if (json_is_string(sc))
				of_buf_puts(b, json_string_value(sc));
		}
	}
}

/* "$5.00", "¥1,000", "NT$150.00" → 5, 1000, 150. */
/* US dollars per unit, approximate (late 2025), for ranking only: a Super Chat
 * of ₩10,000 is about $7, not ten thousand times a $1 one. YouTube writes the
 * amount with its currency's symbol ("CA$5.00", "¥1,000", "₩10,000");
 * chat-downloader also gives the ISO code. "$" alone is the US dollar, "¥"
 * alone the yen (YouTube writes the yuan as CN¥). */
static const struct {
	const char *sym;
	double usd;
} CURRENCIES[] = {
	{"$", 1},           {"USD", 1},        {"US$", 1},         {"CA$", 0.71},      {"CAD", 0.71},
	{"A$", 0.65},       {"AUD", 0.65},     {"NZ$", 0.57},      {"NZD", 0.57},      {"NT$", 0.031},
	{"TWD", 0.031},     {"HK$", 0.128},    {"HKD", 0.128},     {"MX$", 0.054},     {"MXN", 0.054},
	{"R$", 0.18},       {"BRL", 0.18},     {"S$", 0.77},       {"SGD", 0.77},      {"\xE2\x82\xAC", 1.15},
	{"EUR", 1.15},      {"\xC2\xA3", 1.32}, {"GBP", 1.32},      {"\xC2\xA5", 0.0066}, {"\xEF\xBF\xA5", 0.0066},
	{"JPY", 0.0066},    {"CN\xC2\xA5", 0.14}, {"CNY", 0.14},     {"RMB", 0.14},      {"\xE2\x82\xA9", 0.00069},
	{"KRW", 0.00069},   {"\xE2\x82\xB9", 0.0113}, {"INR", 0.0113}, {"\xE2\x82\xB1", 0.017}, {"PHP", 0.017},
	{"\xE0\xB8\xBF", 0.030}, {"THB", 0.030}, {"\xE2\x82\xAB", 0.000038}, {"VND", 0.000038}, {"IDR", 0.00006},
	{"Rp", 0.00006},    {"MYR", 0.24},     {"RM", 0.24},       {"CHF", 1.25},      {"SEK", 0.105},
	{"NOK", 0.098},     {"DKK", 0.154},    {"PLN", 0.27},      {"z\xC5\x82", 0.27}, {"\xE2\x82\xBA", 0.024},
	{"TRY", 0.024},     {"ZAR", 0.057},    {"ARS", 0.0007},    {"CLP", 0.00105},   {"COP", 0.00026},
	{"PEN", 0.29},      {"\xE2\x82\xAA", 0.30}, {"ILS", 0.30}, {"SAR", 0.27},      {"AED", 0.27},
	{"\xE2\x82\xBD", 0.0125}, {"RUB", 0.0125}, {"CZK", 0.047}, {"HUF", 0.0030},   {"UAH", 0.024},
	{"EGP", 0.021},     {"NGN", 0.00068},  {"KZT", 0.0019},    {"QAR", 0.27},      {"KWD", 3.25},
	{"BGN", 0.59},      {"RON", 0.23},     {"ISK", 0.0072},    {"HRK", 0.153},     {"BYN", 0.30},
};

/* US dollars per unit of `sym` (a symbol or an ISO code, spaces around it ignored), or 0 if unknown. */
static double usd_rate(const char *sym, size_t len)
{
	const unsigned char *u = (const unsigned char *)sym;
	for (;;) /* spaces and no-break spaces (U+00A0) around it */
		if (len && u[0] == ' ')
			u++, len--;
		else if (len >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
			u += 2, len -= 2;
		else
			break;
	for (;;)
		if (len && u[len - 1] == ' ')
			len--;
		else if (len >= 2 && u[len - 2] == 0xC2 && u[len - 1] == 0xA0)
			len -= 2;
		else
			break;
	sym = (const char *)u;
	for (size_t i = 0; i < sizeof CURRENCIES / sizeof CURRENCIES[0]; i++)
		if (strlen(CURRENCIES[i].sym) == len && strncasecmp(CURRENCIES[i].sym, sym, len) == 0)
			return CURRENCIES[i].usd;
	return 0;
}

/* The number in an amount as YouTube shows it in the viewer's locale: "1,000"
 * and "1.000" (a thousands separator: three digits follow it), "5,00" and
 * "5.00" (a decimal separator), "1.000,00" and "1,000.00" (both: the last one
 * is the decimal point). */
static double amount_number(const char *s, size_t len)
{
	char digits[64];
	size_t n = 0, last_sep = len;
	int both = memchr(s, ',', len) && memchr(s, '.', len);
	for (size_t i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '.')
			last_sep = i;
	/* the last separator is the decimal point when both kinds are there, or when
	 * it is followed by other than exactly three digits ("5,00", "5.5") */
	int decimal = last_sep < len && (both || len - last_sep - 1 != 3);
	for (size_t i = 0; i < len && n + 1 < sizeof digits; i++)
		if (s[i] >= '0' && s[i] <= '9')
			digits[n++] = s[i];
		else if (i == last_sep && decimal)
			digits[n++] = '.';
	digits[n] = 0;
	return n ? strtod(digits, NULL) : 0;
}

/* A Super Chat's weight: its amount in US dollars. `code` (an ISO code) wins
 * over the symbol in `text`; an amount in a currency we do not know weighs 1,
 * like a plain comment, and is counted in *unknown. */
static double money_usd(const char *text, const char *code, double amount, int *unknown)
{
	double rate = code ? usd_rate(code, strlen(code)) : 0;
	if (text) {
		size_t len = strlen(text), a = strcspn(text, "0123456789"), b = a;
		while (b < len && ((text[b] >= '0' && text[b] <= '9') || text[b] == ',' || text[b] == '.'))
			b++;
		if (!(amount > 0))
			amount = amount_number(text + a, b - a);
		if (!rate)
			rate = usd_rate(text, a);
		if (!rate && a == 0) /* "5,00 €": the symbol after the number */
			rate = usd_rate(text + b, len - b);
	}
	if (!(amount > 0) || !isfinite(amount))
		return 1;
	if (!rate) {
		*unknown = 1;
		return 1;
	}
	return amount * rate;
}

static double num(json_t *v)
{
	if (json_is_number(v))
		return json_number_value(v);
	if (json_is_string(v)) {
		char *end;
		double d;
		errno = 0;
		d = strtod(json_string_value(v), &end);
		if (!errno && *end == 0 && isfinite(d))
			return d;
	}
	return NAN;
}

/* 1 when `s`, a comma list ("Verified, Owner"), holds the word `w`. */
static int in_list(const char *s, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = s; (p = strstr(p, w)) != NULL; p += n)
		if ((p == s || p[-1] == ' ' || p[-1] == ',') && (p[n] == 0 || p[n] == ',' || p[n] == ' '))
			return 1;
	return 0;
}

/* A badge's word: owner or broadcaster (the host), moderator; ASCII case ignored. */
static of_comment_role badge_word(const char *w)
{
	if (!w)
		return OF_ROLE_VIEWER;
	if (strcasecmp(w, "owner") == 0 || strcasecmp(w, "broadcaster") == 0)
		return OF_ROLE_HOST;
	return strcasecmp(w, "moderator") == 0 ? OF_ROLE_MODERATOR : OF_ROLE_VIEWER;
}

/* The role one badge names: by its icon or name (innertube's iconType OWNER /
 * MODERATOR, chat-downloader's icon_name owner / moderator, the name
 * broadcaster / moderator of its Twitch badges), else by its English tooltip
 * or title ("Owner", "Moderator"). */
static of_comment_role yt_badge_role(json_t *b)
{
	json_t *rnd = json_object_get(b, "liveChatAuthorBadgeRenderer");
	const char *name = rnd ? str_at(json_object_get(rnd, "icon"), "iconType", NULL) : str_at(b, "icon_name", NULL);
	if (!rnd && !name)
		name = str_at(b, "name", NULL);
	if (name)
		return badge_word(name);
	return badge_word(rnd ? str_at(rnd, "tooltip", NULL) : str_at(b, "title", NULL));
}

/* YouTube marks the channel's owner and its moderators with badges:
 * innertube's authorBadges[].liveChatAuthorBadgeRenderer (icon.iconType OWNER
 * or MODERATOR, tooltip "Owner" / "Moderator"; yt-dlp's .live_chat.json is
 * innertube), chat-downloader's author.badges[] (icon_name "owner" /
 * "moderator", title) in its current format, or a "badges" string naming
 * "Owner" / "Moderator" in its legacy one ("Verified, Owner" in the corpus).
 * The owner wins over a moderator badge. */
static of_comment_role yt_badges_role(json_t *badges)
{
	of_comment_role role = OF_ROLE_VIEWER;
	json_t *b;
	size_t i;
	if (json_is_string(badges))
		return in_list(json_string_value(badges), "Owner")       ? OF_ROLE_HOST
		       : in_list(json_string_value(badges), "Moderator") ? OF_ROLE_MODERATOR
									 : OF_ROLE_VIEWER;
	json_array_foreach(badges, i, b) {
		of_comment_role r = yt_badge_role(b);
		if (r == OF_ROLE_HOST)
			return r;
		if (r == OF_ROLE_MODERATOR)
			role = r;
	}
	return role;
}

static int yt_renderer(ytctx *y, json_t *item, unsigned long line, double offset_ms)
{
	const char *kinds[] = {"liveChatTextMessageRenderer", "liveChatPaidMessageRenderer", "liveChatPaidStickerRenderer",
			       "liveChatMembershipItemRenderer"};
	json_t *rnd = NULL;
	int k;
	of_buf text;
	of_comment c;
	double usec;
	const char *ts;
	int rc;
	for (k = 0; k < 4; k++)
		if ((rnd = json_object_get(item, kinds[k])) != NULL)
			break;
	if (!rnd) {
		y->r->st->ignored++;
		return 0;
	}
	of_buf_init(&text, OF_MAX_COMMENT_BYTES * 4);
	runs_text(&text, json_object_get(rnd, k == 3 ? "headerSubtext" : "message"));
	if (k == 3 && json_object_get(rnd, "message")) {
		of_buf_puts(&text, " ");
		runs_text(&text, json_object_get(rnd, "message"));
	}
	memset(&c, 0, sizeof c);
	c.line = line;
	c.id = str_at(rnd, "id", NULL);
	c.user_name = str_at(rnd, "authorName", "simpleText");
	c.user_id = str_at(rnd, "authorExternalChannelId", NULL);
	of_comments__set_role(&c, yt_badges_role(json_object_get(rnd, "authorBadges")));
	usec = num(json_object_get(rnd, "timestampUsec"));
	c.wall = isfinite(usec) ? usec / 1e6 : 0;
	if (isfinite(offset_ms))
		c.time = offset_ms / 1000.0;
	else if ((ts = str_at(rnd, "timestampText", "simpleText")) != NULL && of_comments__parse_clock(ts, &c.time) == 0)
		;
	else /* a live capture: from the earliest message's send time */
		c.time = isfinite(usec) ? of_comments__rel_time(y->r, usec / 1000.0, line) : 0;
	c.kind = k == 0 ? OF_COMMENT_CHAT : k == 1 ? OF_COMMENT_SUPERCHAT : k == 2 ? OF_COMMENT_GIFT : OF_COMMENT_SYSTEM;
	c.weight = 1;
	if (k == 1 || k == 2) {
		int unknown = 0;
		const char *amt = str_at(rnd, "purchaseAmountText", "simpleText");
		c.weight = money_usd(amt, NULL, NAN, &unknown);
		if (unknown)
			of_comments__warn(y->r, line, "amount '%.40s' in a currency not known: weight 1 used", amt);
	}
	c.text = of_buf_cstr(&text);
	c.text_len = of_buf_len(&text);
	rc = of_comments__emit(y->r, &c);
	of_buf_free(&text);
	return rc;
}

/* One innertube action object (or a replayChatItemAction wrapping several). */
static int yt_action(ytctx *y, json_t *act, unsigned long line, double offset_ms)
{
	json_t *v;
	if ((v = json_object_get(act, "replayChatItemAction")) != NULL) {
		json_t *a;
		size_t i;
		double off = num(json_object_get(v, "videoOffsetTimeMsec"));
		int rc;
		json_array_foreach(json_object_get(v, "actions"), i, a) {
			if ((rc = yt_action(y, a, line, off)) != 0)
				return rc;
		}
		return 0;
	}
	if ((v = json_object_get(act, "addChatItemAction")) != NULL)
		return yt_renderer(y, json_object_get(v, "item"), line, offset_ms);
	y->r->st->ignored++; /* tickers, deletions, banners, polls, ...: understood as "not a comment" */
	return 0;
}

/* chat-downloader output: legacy {author, author_id, message, time_in_seconds, timestamp}
 * and current {message_id, message, author:{name,id}, time_in_seconds, message_type, money}. */
static int chatdl_item(ytctx *y, json_t *o, unsigned long line)
{
	of_comment c;
	json_t *author = json_object_get(o, "author"), *msg = json_object_get(o, "message");
	const char *type = str_at(o, "message_type", NULL);
	double t = num(json_object_get(o, "time_in_seconds")), ts = num(json_object_get(o, "timestamp"));
	if (!json_is_string(msg)) {
		if (msg && !json_is_null(msg))
			return of_comments__bad(y->r, line, 0, "$[%lu].message is not a string", line - 1);
		y->r->st->ignored++; /* membership/system entries carry no message */
		return 0;
	}
	memset(&c, 0, sizeof c);
	c.line = line;
	c.id = str_at(o, "message_id", NULL);
	if (json_is_object(author)) {
		c.user_name = str_at(author, "name", NULL);
		c.user_id = str_at(author, "id", NULL);
		of_comments__set_role(&c, yt_badges_role(json_object_get(author, "badges")));
	} else {
		c.user_name = json_is_string(author) ? json_string_value(author) : NULL;
		c.user_id = str_at(o, "author_id", NULL);
		of_comments__set_role(&c, yt_badges_role(json_object_get(o, "badges")));
	}
	if (!c.user_id)
		c.user_id = c.user_name;
	c.time = isfinite(t) ? t : 0;
	c.wall = isfinite(ts) ? of_comments__epoch_seconds(ts) : 0;
	c.kind = OF_COMMENT_CHAT;
	c.weight = 1;
	if (type && (strcmp(type, "paid_message") == 0 || strcmp(type, "paid_sticker") == 0)) {
		json_t *money = json_object_get(o, "money");
		double amt = num(json_object_get(money, "amount"));
		int unknown = 0;
		c.kind = strcmp(type, "paid_message") == 0 ? OF_COMMENT_SUPERCHAT : OF_COMMENT_GIFT;
		c.weight = money_usd(str_at(money, "text", NULL), str_at(money, "currency", NULL), amt, &unknown);
		if (unknown)
			of_comments__warn(y->r, line, "amount in currency '%.16s' not known: weight 1 used",
					  str_at(money, "currency", NULL) ? str_at(money, "currency", NULL) : "?");
	} else if (type && strcmp(type, "text_message") != 0) {
		c.kind = OF_COMMENT_SYSTEM;
	}
	c.text = json_string_value(msg);
	c.text_len = json_string_length(msg);
	return of_comments__emit(y->r, &c);
}

/* Every name of every field (of_comments__field_names), ASCII-lowered and
 * sorted once, so that each key of a record is looked up by binary search:
 * one pass over a record's keys, not one per field and name. */
typedef struct keyname {
	char name[32];
	unsigned char field, rank; /* rank: place in the field's list (lower wins) */
} keyname;

static keyname key_table[OF_FIELD_COUNT * 24];
static size_t n_key_table;
static pthread_once_t key_table_once = PTHREAD_ONCE_INIT;

static void lower_ascii(char *out, size_t cap, const char *s)
{
	size_t i = 0;
	for (; s[i] && i + 1 < cap; i++)
		out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	out[i] = 0;
}

static int keyname_cmp(const void *a, const void *b)
{
	return strcmp(((const keyname *)a)->name, ((const keyname *)b)->name);
}

static void key_table_init(void)
{
	for (int f = 0; f < OF_FIELD_COUNT; f++) {
		const char *const *n = of_comments__field_names((of_comment_field)f);
		for (int i = 0; n[i] && n_key_table < sizeof key_table / sizeof *key_table; i++) {
			keyname *k = &key_table[n_key_table++];
			lower_ascii(k->name, sizeof k->name, n[i]);
			k->field = (unsigned char)f;
			k->rank = (unsigned char)i;
		}
	}
	qsort(key_table, n_key_table, sizeof *key_table, keyname_cmp);
}

/* The fields a record's keys name, each the best-ranked key present (not null).
 * Our schema's own keys for the user, kind and weight are read exactly and
 * strictly elsewhere, so they are not taken here. */
typedef struct keyed {
	json_t *v[OF_FIELD_COUNT];
	unsigned char rank[OF_FIELD_COUNT];
} keyed;

static void key_fields(json_t *o, keyed *k)
{
	const char *key;
	json_t *v;
	pthread_once(&key_table_once, key_table_init);
	memset(k->v, 0, sizeof k->v);
	memset(k->rank, 0xFF, sizeof k->rank);
	json_object_foreach(o, key, v) {
		keyname probe;
		const keyname *hit;
		if (json_is_null(v) || strlen(key) >= sizeof probe.name)
			continue;
		lower_ascii(probe.name, sizeof probe.name, key);
		hit = bsearch(&probe, key_table, n_key_table, sizeof *key_table, keyname_cmp);
		if (!hit || hit->rank >= k->rank[hit->field] || (hit->field == OF_FIELD_USER && strcmp(key, "user") == 0) ||
		    (hit->field == OF_FIELD_KIND && strcmp(key, "kind") == 0) ||
		    (hit->field == OF_FIELD_WEIGHT && strcmp(key, "weight") == 0))
			continue;
		k->v[hit->field] = v;
		k->rank[hit->field] = hit->rank;
	}
}

static int record_object(of_creader *r, json_t *o, unsigned long line);

/* 1 when `key` is one only a comment record has: a name of a comment field in the lists of
 * of_comments__field_names (nickname, content, create_time, …) or of our schema (user, kind,
 * weight, wall, host, role), but not the id, the time, `text` and `author`, which posts have too. */
int of_comments__only_key(const char *key)
{
	keyname probe;
	const keyname *hit;
	if (strcmp(key, "wall") == 0 || strcmp(key, "host") == 0)
		return 1;
	if (strlen(key) >= sizeof probe.name)
		return 0;
	pthread_once(&key_table_once, key_table_init);
	lower_ascii(probe.name, sizeof probe.name, key);
	if (!(hit = bsearch(&probe, key_table, n_key_table, sizeof *key_table, keyname_cmp)))
		return 0;
	switch (hit->field) {
	case OF_FIELD_ID:
	case OF_FIELD_TIME: return 0;
	case OF_FIELD_TEXT: return strcmp(probe.name, "text") != 0;
	case OF_FIELD_USER: return strcmp(probe.name, "author") != 0;
	default: return 1;
	}
}

/* A posts file (docs/article.md: {"id","time","author","text","images","likes","comments",
 * "tags"}, or the next-posts.jsonl stubs prompts writes) given as a comment log: its records
 * have a text, so each post would be read as one comment and the brief would rank whole posts.
 * Its first record decides: `images` or `likes`, and no key only a comment has. Returns 0, or
 * OF_EINVALID naming the file, what it is and the comment formats read. */
static int refuse_posts(of_creader *r, json_t *o, unsigned long line)
{
	const char *key;
	json_t *v;
	if (!json_object_get(o, "images") && !json_object_get(o, "likes"))
		return 0;
	json_object_foreach(o, key, v) {
		if (of_comments__only_key(key))
			return 0;
	}
	return of_error_set_at(OF_EINVALID, r->origin, line, 0,
			       "looks like a posts file, not a comment log%s: its records have the posts format's %s and "
			       "none of a comment's keys (user, kind, nickname …); posts go to 'onefish article'. "
			       "Comment logs accepted: %s",
			       r->o->format != OF_COMMENTS_AUTO ? " (whatever --format says)" : "",
			       json_object_get(o, "images") && json_object_get(o, "likes") ? "'images' and 'likes'"
			       : json_object_get(o, "images")                               ? "'images'"
											    : "'likes'",
			       of_comments_formats_accepted());
}

static int json_element(ytctx *y, json_t *el, unsigned long line)
{
	const char *key;
	json_t *v;
	if (!json_is_object(el))
		return of_comments__bad(y->r, line, 0, "$[%lu] is not an object", line - 1);
	if (json_object_get(el, "message") || json_object_get(el, "message_id"))
		return chatdl_item(y, el, line);
	json_object_foreach(el, key, v) {
		size_t k = strlen(key);
		if ((k > 6 && strcmp(key + k - 6, "Action") == 0) || (k > 7 && strcmp(key + k - 7, "Command") == 0))
			return yt_action(y, el, line, NAN);
	}
	/* an array of records as capture tools save them ([{"content": …, "nickname": …}]) */
	keyed k;
	key_fields(el, &k);
	if (json_is_string(json_object_get(el, "text")) || json_is_string(k.v[OF_FIELD_TEXT])) {
		int rc;
		y->r->st->format = OF_COMMENTS_JSONL;
		if (line == 1 && (rc = refuse_posts(y->r, el, line)) != 0) /* an array of posts */
			return rc;
		return record_object(y->r, el, line);
	}
	y->r->st->ignored++;
	return 0;
}

/* The line each element of the top-level array starts on, found by walking the
 * text jansson parsed (brackets outside strings, newlines): jansson keeps no
 * positions. NULL when the walk does not find exactly `n` elements. */
static unsigned long *element_lines(const char *data, size_t len, size_t n)
{
	unsigned long *out = n ? calloc(n, sizeof *out) : NULL, line = 1;
	size_t k = 0;
	int depth = 0, in_str = 0, want = 0; /* want: the next value at depth 1 starts an element */
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		char c = data[i];
		if (c == '\n')
			line++;
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (depth == 1 && want && c != ']') {
			if (k == n) {
				free(out);
				return NULL;
			}
			out[k++] = line;
			want = 0;
		}
		if (c == '"') {
			in_str = 1;
		} else if (c == '[' || c == '{') {
			if (++depth == 1)
				want = 1;
		} else if (c == ']' || c == '}') {
			depth--;
		} else if (c == ',' && depth == 1) {
			want = 1;
		}
	}
	if (k != n) {
		free(out);
		return NULL;
	}
	return out;
}

static size_t skip_blank(const char *d, size_t len, size_t p)
{
	while (p < len && (d[p] == ' ' || d[p] == '\t' || d[p] == '\r' || d[p] == '\n'))
		p++;
	return p;
}

/* The complete elements of an array that does not parse whole (chat-downloader
 * killed while writing, a copy cut short), the array opening at data[start]
 * (the top-level one, or the value of an object's member: object_member): jansson
 * parses them one at a time (of_json_parse_prefix says where each ends); between
 * two we step over white space and one comma, nothing else is read by hand. The
 * walk stops at the first element that does not parse or the first byte that is
 * neither a comma nor white space; the records before it are read.
 * `*root_out` holds the elements and `*lines_out` the line each starts on.
 * @return 0, 1 when no array opens at `start` (nothing kept), OF_ENOMEM. */
static int array_prefix(const char *data, size_t len, size_t start, const char *origin, json_t **root_out,
			unsigned long **lines_out)
{
	json_t *root;
	unsigned long *lines = NULL, line = 1;
	size_t n = 0, cap = 0, p = skip_blank(data, len, start), counted = 0;
	int rc = 0;
	if (p >= len || data[p] != '[')
		return 1;
	if (!(root = json_array()))
		return of_error_set_oom();
	for (p++;; p++) { /* p: after the '[' or a comma */
		json_t *el;
		size_t used;
		p = skip_blank(data, len, p);
		for (; counted < p; counted++)
			line += data[counted] == '\n';
		if (p >= len || (rc = of_json_parse_prefix(&el, &used, data + p, len - p, origin, line - 1)) != 0)
			break;
		if (n == cap) {
			unsigned long *g = realloc(lines, (cap = cap ? cap * 2 : 256) * sizeof *g);
			if (!g) {
				json_decref(el);
				rc = of_error_set_oom();
				break;
			}
			lines = g;
		}
		lines[n++] = line;
		if (json_array_append_new(root, el) != 0) {
			rc = of_error_set_oom();
			break;
		}
		p = skip_blank(data, len, p + used);
		if (p >= len || data[p] != ',')
			break;
	}
	if (rc == OF_ENOMEM) {
		json_decref(root);
		free(lines);
		return rc;
	}
	*root_out = root;
	*lines_out = lines;
	return 0;
}

/* Where the value of member `key` starts in a top-level object that does not
 * parse whole ({"messages": ["@…", … cut short): jansson parses each key and
 * each value before it (of_json_parse_prefix), and between them we step over
 * white space, one colon or one comma, as array_prefix does between elements.
 * @return 0 with `*at` set, or 1 when the object breaks (or ends) before the member. */
static int object_member(const char *data, size_t len, const char *origin, const char *key, size_t *at)
{
	size_t p = skip_blank(data, len, 0);
	if (p >= len || data[p] != '{')
		return 1;
	for (p++;; p++) { /* p: after the '{' or a comma */
		json_t *k = NULL, *v = NULL;
		size_t used;
		int found;
		if (of_json_parse_prefix(&k, &used, data + p, len - p, origin, 0) != 0 || !json_is_string(k)) {
			json_decref(k);
			break;
		}
		found = strcmp(json_string_value(k), key) == 0;
		json_decref(k);
		p = skip_blank(data, len, p + used);
		if (p >= len || data[p] != ':')
			break;
		p = skip_blank(data, len, p + 1);
		if (found) {
			*at = p;
			return 0;
		}
		if (of_json_parse_prefix(&v, &used, data + p, len - p, origin, 0) != 0)
			break;
		json_decref(v);
		p = skip_blank(data, len, p + used);
		if (p >= len || data[p] != ',')
			break;
	}
	of_error_clear(); /* the break is reported from the whole text's error */
	return 1;
}

/* Reads the elements of a top-level array: records are numbered by element,
 * messages name the line each starts on (`lines`, or found here when NULL). */
static int read_elements(ytctx *y, json_t *root, const char *data, size_t len, unsigned long *lines)
{
	of_creader *r = y->r;
	unsigned long *found = lines ? NULL : element_lines(data, len, json_array_size(root));
	json_t *el;
	size_t i;
	int rc = 0;
	r->elem_line = lines ? lines : found;
	r->n_elem_line = r->elem_line ? json_array_size(root) : 0;
	json_array_foreach(root, i, el) {
		if ((rc = json_element(y, el, i + 1)) != 0)
			break;
	}
	r->elem_line = NULL;
	r->n_elem_line = 0;
	free(found);
	return rc;
}

/* A JSON array broken at `brk` (the error of_json_parse set for the whole text;
 * the records handed out since st->records was `before` were read before it):
 * reported as the XML reader reports a broken file, a bad record that keeps
 * what was read. */
static int report_break(of_creader *r, const of_error *brk, size_t before)
{
	char head[sizeof brk->message + 16];
	r->st->truncated++;
	/* jansson says "… near end of file" or "premature end of input" when the text stops early */
	if (strstr(brk->message, "near end of file") || strncmp(brk->message, "premature end of input", 22) == 0)
		return of_comments__bad_kept(r, brk->line, 0, before, "unexpected end of file (the JSON array is cut short), ",
					     " comment recovered", " comments recovered");
	snprintf(head, sizeof head, "%s; the ", brk->message);
	return of_comments__bad_kept(r, brk->line, brk->col, before, head,
				     " comment before it is kept, the rest of the file is not read",
				     " comments before it are kept, the rest of the file is not read");
}

/* Chatterino's recent-messages {"messages": ["@… PRIVMSG #c :…", …]}: raw IRC lines,
 * numbered by element. */
static int read_messages(of_creader *r, json_t *msgs)
{
	json_t *el;
	size_t i;
	int rc = 0;
	r->st->format = OF_COMMENTS_IRC;
	json_array_foreach(msgs, i, el) {
		if (!json_is_string(el))
			rc = of_comments__bad(r, i + 1, 0, "$.messages[%zu] is not a string", i);
		else
			rc = of_comments__irc_line(r, json_string_value(el), json_string_length(el), i + 1);
		if (rc)
			break;
	}
	return rc;
}

int of_comments__read_json(of_creader *r, const char *data, size_t len)
{
	json_t *root = NULL, *msgs;
	ytctx y = {r};
	unsigned long *lines = NULL;
	of_error brk;
	size_t before = r->st->records, at;
	int rc = 0, broken = 0, salvaged_messages = 0;
	memset(&brk, 0, sizeof brk);
	if ((rc = of_json_parse(&root, data, len, r->origin, 0)) != 0) {
		/* a break or a nesting bomb after good records: the records before it are kept
		 * (elements are then parsed one by one, under jansson's own depth limit), in a
		 * top-level array or in Chatterino's {"messages": [...]} */
		if (rc != OF_EINVALID && rc != OF_ELIMIT)
			return rc;
		brk = *of_error_last();
		rc = array_prefix(data, len, 0, r->origin, &root, &lines);
		if (rc == 1 && object_member(data, len, r->origin, "messages", &at) == 0) {
			rc = array_prefix(data, len, at, r->origin, &root, &lines);
			salvaged_messages = rc == 0;
		}
		if (rc != 0) {
			if (rc == 1) /* no array: the file cannot be used, as the parser said */
				rc = of_error_set_at(brk.code, brk.path, brk.line, brk.col, "%s", brk.message);
			return rc;
		}
		if (brk.code == OF_ELIMIT && json_array_size(root) == 0) { /* a bomb and nothing else */
			json_decref(root);
			free(lines);
			return of_error_set_at(brk.code, brk.path, brk.line, brk.col, "%s", brk.message);
		}
		broken = 1;
	}
	if (salvaged_messages) {
		rc = read_messages(r, root);
		if (rc == 0)
			rc = report_break(r, &brk, before);
	} else if (json_is_object(root) && json_is_array(msgs = json_object_get(root, "messages"))) {
		rc = read_messages(r, msgs);
	} else if (json_is_array(root)) {
		rc = read_elements(&y, root, data, len, lines);
		if (rc == 0 && broken)
			rc = report_break(r, &brk, before);
	} else if (json_is_object(root)) {
		rc = json_element(&y, root, 1);
	} else {
		rc = of_error_set_at(OF_EINVALID, r->origin, 1, 0, "top-level JSON is neither an array nor an object");
	}
	free(lines);
	json_decref(root);
	return rc;
}

static const char *str_of(json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A string or integer value as text (ids, user ids); NULL otherwise. */
static const char *id_text(json_t *v, char *buf, size_t cap)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	return NULL;
}

/* Unix seconds from a number in s, ms or µs (as capture tools write them) or a date and time. */
static int wall_of(json_t *v, double *out)
{
	if (json_is_number(v)) {
		double ts = json_number_value(v);
		if (!isfinite(ts) || ts <= 0)
			return -1;
		*out = of_comments__epoch_seconds(ts);
		return 0;
	}
	return json_is_string(v) ? of_comments__parse_datetime(json_string_value(v), out) : -1;
}

/* One comment record. Our schema ({"id","time","wall","user","user_id","text",
 * "kind","weight","host"}, docs/formats.md) is checked strictly; records that
 * other tools write (Douyin/Kuaishou/bilibili capture scripts: "content",
 * "nickname", "user": {"nickname", "id"}, "create_time", "type":
 * "WebcastChatMessage", …) have their keys found by the names tables and CSV
 * exports use. Only a text is required. */
static int record_object(of_creader *r, json_t *o, unsigned long line)
{
	static const char *kinds[] = {"chat", "gift", "superchat", "system"};
	of_comment c;
	json_t *text = json_object_get(o, "text"), *t = json_object_get(o, "time"), *id = json_object_get(o, "id");
	json_t *w = json_object_get(o, "weight"), *kind = json_object_get(o, "kind"), *user = json_object_get(o, "user");
	char idbuf[32], uidbuf[32];
	int timed = 1;
	keyed k;
	key_fields(o, &k);
	memset(&c, 0, sizeof c);
	c.line = line;
	if (!text)
		text = k.v[OF_FIELD_TEXT];
	if (!json_is_string(text)) {
		const char *const *n = of_comments__field_names(OF_FIELD_TEXT);
		return of_comments__bad(r, line, 0, "$.text is %s, expected a string (also looked for %s, %s, %s, %s …)",
					text ? "not a string" : "missing", n[1], n[2], n[3], n[4]);
	}
	if (!t)
		t = k.v[OF_FIELD_TIME];
	if (json_is_string(t)) {
		if (of_comments__parse_clock(json_string_value(t), &c.time) != 0) {
			/* capture tools give the wall clock ("2026-11-19 20:01:05") */
			if (of_comments__parse_datetime(json_string_value(t), &c.wall) != 0)
				return of_comments__bad(r, line, 0, "$.time '%.40s' is not seconds, h:mm:ss or a date and time",
							json_string_value(t));
			c.time = of_comments__rel_time(r, c.wall * 1000.0, line);
		}
	} else if (json_is_number(t)) {
		c.time = json_number_value(t);
		if (isfinite(c.time) && c.time > 1e9 && wall_of(t, &c.wall) == 0) /* a Unix time (s, ms, µs), not an offset */
			c.time = of_comments__rel_time(r, c.wall * 1000.0, line);
		else if (!isfinite(c.time) || fabs(c.time) > 1e9)
			return of_comments__bad(r, line, 0, "$.time out of range");
	} else if (t && !json_is_null(t)) {
		return of_comments__bad(r, line, 0, "$.time must be a number of seconds or a \"h:mm:ss\" string");
	} else {
		json_t *ms = k.v[OF_FIELD_MS];
		if (json_is_number(ms) && isfinite(json_number_value(ms)) && fabs(json_number_value(ms)) <= 1e12)
			c.time = json_number_value(ms) / 1000.0;
		else
			timed = 0; /* no offset: from the wall time below, when there is one */
	}
	if (!json_is_string(id) && !json_is_integer(id))
		id = k.v[OF_FIELD_ID];
	c.id = id_text(id, idbuf, sizeof idbuf);
	if (json_is_object(user)) { /* "user": {"nickname": …, "id": …} */
		keyed ku;
		key_fields(user, &ku);
		json_t *uid = json_object_get(user, "id"), *role = ku.v[OF_FIELD_ROLE];
		c.user_name = str_of(ku.v[OF_FIELD_USER]);
		c.user_id = id_text(uid ? uid : ku.v[OF_FIELD_UID], uidbuf, sizeof uidbuf);
		if (json_is_string(role))
			of_comments__set_role(&c, of_comments__role(json_string_value(role)));
	} else {
		json_t *uid = json_object_get(o, "user_id");
		c.user_name = json_is_string(user) ? json_string_value(user) : str_of(k.v[OF_FIELD_USER]);
		c.user_id = id_text(uid ? uid : k.v[OF_FIELD_UID], uidbuf, sizeof uidbuf);
	}
	if (!c.user_id)
		c.user_id = c.user_name;
	if (json_is_number(json_object_get(o, "wall")))
		c.wall = json_number_value(json_object_get(o, "wall"));
	else if (!c.wall)
		wall_of(k.v[OF_FIELD_WALL], &c.wall);
	if (!timed && c.wall > 0) /* only wall times: offsets from the earliest one, as in CSV exports */
		c.time = of_comments__rel_time(r, c.wall * 1000.0, line);
	c.kind = OF_COMMENT_CHAT;
	if (json_is_string(kind)) {
		int found = 0;
		for (int i = 0; i < 4; i++)
			if (strcmp(json_string_value(kind), kinds[i]) == 0)
				c.kind = (of_comment_kind)i, found = 1;
		if (!found)
			return of_comments__bad(r, line, 0, "$.kind '%.20s' is not chat, gift, superchat or system",
						json_string_value(kind));
	} else if (!kind && json_is_string(kind = k.v[OF_FIELD_KIND]) &&
		   of_comments__kind_name(json_string_value(kind), &c.kind) != 0) {
		of_comments__warn(r, line, "unknown type '%.30s': read as a chat message", json_string_value(kind));
	}
	c.weight = 1;
	if (w) {
		if (!json_is_number(w) || json_number_value(w) < 0 || !isfinite(json_number_value(w)))
			return of_comments__bad(r, line, 0, "$.weight must be a number >= 0");
		c.weight = json_number_value(w);
	} else if ((w = k.v[OF_FIELD_WEIGHT]) != NULL) {
		double a = json_is_number(w) ? json_number_value(w) : NAN;
		if (json_is_string(w) && of_comments__amount(json_string_value(w), &a) != 0)
			a = NAN;
		if (isfinite(a) && a > 0)
			c.weight = a;
		else
			of_comments__warn(r, line, "bad amount: weight 1 used");
	}
	json_t *host = json_object_get(o, "host");
	if (host && !json_is_boolean(host) && !json_is_null(host))
		return of_comments__bad(r, line, 0, "$.host must be true or false");
	json_t *role = host ? NULL : k.v[OF_FIELD_ROLE];
	if (json_is_true(host))
		of_comments__set_role(&c, OF_ROLE_HOST);
	else if (json_is_string(role) && of_comments__role(json_string_value(role)) != OF_ROLE_VIEWER)
		of_comments__set_role(&c, of_comments__role(json_string_value(role)));
	c.text = json_string_value(text);
	c.text_len = json_string_length(text);
	return of_comments__emit(r, &c);
}

int of_comments__read_jsonl(of_creader *r, const char *data, size_t len)
{
	ytctx y = {r};
	size_t pos = 0;
	unsigned long line = 0;
	int rc = 0, first = 1;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len && rc == 0) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos, k = 0;
		json_t *o = NULL;
		line++;
		pos += n + 1;
		while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
			k++;
		if (k == n)
			continue;
		if (n > OF_MAX_LINE_BYTES) {
			rc = of_comments__bad(r, line, 0, "line of %zu bytes is over the %zu-byte cap", n, (size_t)OF_MAX_LINE_BYTES);
			continue;
		}
		if (of_json_parse_line(&o, s, n, r->origin, line) != 0) {
			const of_error *e = of_error_last();
			rc = of_comments__bad(r, line, e->col, "%s", e->message);
			continue;
		}
		if (!json_is_object(o))
			rc = of_comments__bad(r, line, 0, "a comment line must be a JSON object");
		else if (json_object_get(o, "replayChatItemAction") || json_object_get(o, "addChatItemAction"))
			rc = yt_action(&y, o, line, NAN);
		else if (!first || (rc = refuse_posts(r, o, line)) == 0)
			rc = record_object(r, o, line);
		first = first && !json_is_object(o);
		json_decref(o);
	}
	return rc;
}
