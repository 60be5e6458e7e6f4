/* comments_bili.c — bilibili danmaku XML (<i><d p="time,mode,size,color,unix,pool,user,dmid[,weight]">)
 * read with libxml2's streaming xmlTextReader. The bytes reach libxml2 through
 * a filter that refuses any DOCTYPE before the parser sees it, removes control
 * characters and replaces invalid UTF-8 (each warned with its line), so one bad
 * byte does not cost the rest of the log. */
#include "comments_int.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/guard.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/utf8.h"
#include "common/textlink.h"

#include <errno.h>
#include <libxml/xmlreader.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DRING 256

typedef struct xfilter {
	of_creader *r;
	of_csrc *src;
	char carry[8]; /* an incomplete UTF-8 sequence at the end of the last chunk */
	size_t carry_len;
	unsigned long line; /* line of the next byte handed to libxml2 */
	int decided, utf8, eof, passthrough;
	int code; /* our error (DOCTYPE, cap, I/O): set, parsing stops */
	/* salvage: recent places where the stream may be closed with "</i>" (a
	 * ring): just after "</d>" or "</sc>", just before a start tag (so a
	 * self-closing <gift/> or <guard/> before it is kept) and just after a
	 * self-closing tag other than <d> (so one before a bare '<' is kept too);
	 * in the second pass the output offset at which the stream is closed */
	struct { unsigned long line, col; size_t off; } dstart[DRING];
	size_t n_dstart;
	const char *end_tag; /* the end tag being matched: "</d>" or "</sc>" */
	struct { unsigned long line, col; size_t off; } lt_at; /* the last '<' seen */
	unsigned long col;  /* bytes since the last newline */
	size_t out_total;   /* bytes handed to libxml2 so far */
	size_t stop_off;    /* second pass: close the document here (0 = no) */
	int lt;             /* how much of end_tag has matched */
	/* inside a start tag other than <d> (whose end is found by "</d>"): 'd' after "<d" until the
	 * next byte says whether the name goes on, 1 in the tag; `quote` the quote of the attribute
	 * value being read (a '>' or "/>" in it is text), `slash` the last byte was a '/' outside one */
	int tag, quote, slash;
	int stopped, quiet; /* quiet: warnings were given by the first pass */
	int dt;   /* how much of "<!DOCTYPE" has matched so far */
	of_markup_guard guard; /* libxml2 2.9.14 is quadratic in attributes per element */
} xfilter;

static const char DOCTYPE[] = "<!DOCTYPE";

/* Length of the valid UTF-8 sequence at p (n bytes left): >0 valid, 0 incomplete, -1 invalid. */
static int utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	int len;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, cp = c & 0x07;
	else
		return -1;
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return 0;
		if ((p[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	return len;
}

/* Non-UTF-8 declarations (GBK, UTF-16 with BOM) are left to libxml2's decoder untouched. */
static void decide(xfilter *f, const char *p, size_t n)
{
	f->decided = 1;
	f->utf8 = 1;
	if (n >= 2 && (((unsigned char)p[0] == 0xFF && (unsigned char)p[1] == 0xFE) ||
		       ((unsigned char)p[0] == 0xFE && (unsigned char)p[1] == 0xFF))) {
		f->utf8 = 0;
		f->passthrough = 1; /* UTF-16: every other byte is NUL; libxml2 decodes it as it is */
		return;
	}
	if (n > 5 && memcmp(p, "<?xml", 5) == 0) {
		const char *end = memchr(p, '>', n);
		const char *enc = end ? memmem(p, (size_t)(end - p), "encoding=", 9) : NULL;
		if (enc) {
			const char *v = enc + 10;
			if (v < end && strncasecmp(v, "utf-8", 5) != 0 && strncasecmp(v, "utf8", 4) != 0)
				f->utf8 = 0;
		}
	}
}

/* Nonzero when one of the eight bytes of `w` is not printable ASCII or is '<'
 * (the word-at-a-time tests of "Bit Twiddling Hacks": exact as to whether any
 * byte matches, which is all that is asked). */
static uint64_t ascii_plain8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t lt = (w - ones * 0x20) & ~w & high; /* a byte < 0x20 */
	uint64_t x = w ^ (ones * '<');
	uint64_t lt_sign = (x - ones) & ~x & high; /* a byte == '<' */
	return (w & high) | lt | lt_sign;
}

/* A place where the stream may be closed with "</i>" (salvage). */
static void cut_point(xfilter *f, unsigned long line, unsigned long col, size_t off)
{
	size_t k = f->n_dstart++ % DRING;
	f->dstart[k].line = line;
	f->dstart[k].col = col;
	f->dstart[k].off = off;
}

static int io_read(void *ctx, char *out, int outlen)
{
	xfilter *f = ctx;
	char raw[8192];
	size_t want, have, o = 0, i;
	long got;
	if (f->code)
		return -1;
	if ((f->eof || f->stopped) && f->carry_len == 0)
		return 0;
	want = (size_t)outlen / 3; /* each bad byte may become 3 bytes of U+FFFD */
	if (want > sizeof raw - sizeof f->carry)
		want = sizeof raw - sizeof f->carry;
	if (want < 8)
		want = 8;
	memcpy(raw, f->carry, f->carry_len);
	have = f->carry_len;
	f->carry_len = 0;
	got = f->eof ? 0 : of_csrc__read(f->src, raw + have, want);
	if (got < 0) {
		f->code = (int)got;
		return -1;
	}
	if (got == 0)
		f->eof = 1;
	if (got > 0 && (f->code = of_guard_markup_feed(&f->guard, raw + have, (size_t)got)) < 0)
		return -1;
	have += (size_t)got;
	if (f->passthrough) {
		memcpy(out, raw, have);
		f->out_total += have;
		return (int)have;
	}
	for (i = 0; i < have;) {
		unsigned char c = (unsigned char)raw[i];
		if (c == (unsigned char)DOCTYPE[f->dt]) {
			if (++f->dt == (int)sizeof DOCTYPE - 1) {
				f->code = of_error_set_at(OF_EINVALID, f->r->origin, f->line, 0,
							  "DOCTYPE not allowed (entities and external DTDs are never loaded)");
				return -1;
			}
		} else {
			f->dt = c == '<' ? 1 : 0;
		}
		if (!f->stop_off && !f->dt && !f->lt && !f->tag) {
			/* fast path: a run of printable ASCII other than '<' and of valid
			 * UTF-8 sequences (the text of Chinese danmaku). The column counts
			 * characters, as libxml2's error column does. */
			size_t j = i;
			unsigned long chars = 0;
			while (j < have) {
				unsigned char b = (unsigned char)raw[j];
				uint64_t w;
				if (j + 8 <= have) { /* eight bytes at a time while none is special */
					memcpy(&w, raw + j, 8);
					if (!ascii_plain8(w)) {
						j += 8;
						chars += 8;
						continue;
					}
				}
				if (b >= 0x20 && b < 0x80 && b != '<') {
					j++;
				} else if (f->utf8 && of_utf8_plain3((const unsigned char *)raw + j, have - j)) {
					/* a run of Han (three bytes each) before the next word test */
					do {
						j += 3;
						chars++;
					} while (of_utf8_plain3((const unsigned char *)raw + j, have - j));
					continue;
				} else if (b >= 0x80 && f->utf8) {
					int n = utf8_seq((const unsigned char *)raw + j, have - j);
					if (n <= 0)
						break;
					j += (size_t)n;
				} else {
					break;
				}
				chars++;
			}
			if (j > i) {
				memcpy(out + o, raw + i, j - i);
				o += j - i;
				f->col += chars;
				i = j;
				continue;
			}
		}
		if (f->stop_off && f->out_total + o >= f->stop_off) {
			memcpy(out + o, "</i>\n", 5); /* close the document after the last complete record */
			o += 5;
			f->stopped = 1;
			f->carry_len = 0;
			break;
		}
		/* '<' cannot occur raw in text or attribute values, so these are markup */
		if (f->tag == 'd') /* "<d" and a space, '>' or '/': a danmaku (its "</d>" ends it); else a longer name */
			f->tag = ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
					 c == '.' || c == ':'
					 ? 1
					 : 0;
		if (f->tag == 1 && f->lt != 1) { /* where a self-closing tag ends: close after it */
			if (f->quote) {
				if (c == f->quote)
					f->quote = 0;
			} else if (c == '"' || c == '\'') {
				f->quote = c;
			} else if (c == '>') {
				if (f->slash)
					cut_point(f, f->line, f->col, f->out_total + o + 1);
				f->tag = 0;
			}
			f->slash = !f->quote && c == '/';
		}
		if (f->lt == 1 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) { /* a start tag: close before it */
			cut_point(f, f->lt_at.line, f->lt_at.col, f->lt_at.off);
			f->tag = c == 'd' ? 'd' : 1;
			f->quote = f->slash = 0;
		}
		if (f->lt == 2 && (c == 'd' || c == 's'))
			f->end_tag = c == 'd' ? "</d>" : "</sc>";
		if (f->lt > 0 && c == (unsigned char)f->end_tag[f->lt]) {
			if (f->end_tag[++f->lt] == 0) { /* the end of a complete record: close after it */
				cut_point(f, f->line, f->col, f->out_total + o + 1);
				f->lt = 0;
				f->end_tag = "</d>";
			}
		} else {
			f->lt = c == '<';
			f->end_tag = "</d>";
			if (c == '<') {
				f->lt_at.line = f->line;
				f->lt_at.col = f->col;
				f->lt_at.off = f->out_total + o;
			}
		}
		f->col++;
		if (c == '\n') {
			f->line++;
			f->col = 0;
		}
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
			if (!f->quiet) {
				f->r->st->control_removed++;
				of_comments__warn(f->r, f->line, "control char U+%04X removed", c);
			}
			i++;
			continue;
		}
		if (c >= 0x80 && f->utf8) {
			int n = utf8_seq((const unsigned char *)raw + i, have - i);
			if (n == 0 && !f->eof) {
				memcpy(f->carry, raw + i, have - i);
				f->carry_len = have - i;
				break;
			}
			if (n <= 0) {
				if (!f->quiet) {
					f->r->st->invalid_utf8++;
					of_comments__warn(f->r, f->line, "invalid UTF-8 byte 0x%02X replaced by U+FFFD", c);
				}
				memcpy(out + o, "\xEF\xBF\xBD", 3);
				o += 3;
				i++;
				continue;
			}
			memcpy(out + o, raw + i, (size_t)n);
			o += (size_t)n;
			i += (size_t)n;
			continue;
		}
		out[o++] = (char)c;
		i++;
	}
	f->out_total += o;
	return (int)o;
}

static int io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

typedef struct xerr {
	int set;
	int code;
	unsigned long line, col;
	char msg[256];
} xerr;

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	xerr *x = ctx;
	size_t n;
	if (x->set || !e || e->level < XML_ERR_ERROR)
		return;
	x->set = 1;
	x->code = e->code;
	x->line = e->line > 0 ? (unsigned long)e->line : 0;
	x->col = e->int2 > 0 ? (unsigned long)e->int2 : 0;
	snprintf(x->msg, sizeof x->msg, "%s", e->message ? e->message : "XML error");
	n = strlen(x->msg);
	while (n && (x->msg[n - 1] == '\n' || x->msg[n - 1] == ' '))
		x->msg[--n] = 0;
}

/* Parses an integer field of `p`; -1 when not a whole number in [lo, hi]. */
static int field_int(const char *s, long long lo, long long hi, long long *out)
{
	long long v = 0;
	int neg = 0, n = 0;
	if (*s == '-')
		neg = 1, s++;
	for (; *s; s++, n++) {
		if (*s < '0' || *s > '9' || n >= 18)
			return -1; /* 18 digits: no overflow, and larger than every field's range */
		v = v * 10 + (*s - '0');
	}
	if (n == 0)
		return -1;
	v = neg ? -v : v;
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Seconds: plain decimals are parsed here (the common case, exact to 1e-5 s);
 * anything else (exponents, NaN, inf) goes through strtod and the range check. */
static int field_time(const char *s, double *out)
{
	long long ip = 0, fp = 0, scale = 1;
	const char *p = s;
	char *end;
	int n = 0;
	while (*p >= '0' && *p <= '9' && n < 12)
		ip = ip * 10 + (*p++ - '0'), n++;
	if (n > 0 && n < 12) {
		if (*p == '.') {
			p++;
			for (int k = 0; *p >= '0' && *p <= '9' && k < 9; k++)
				fp = fp * 10 + (*p++ - '0'), scale *= 10;
		}
		if (*p == 0) {
			*out = (double)ip + (double)fp / (double)scale;
			return *out <= 1e7 ? 0 : -1;
		}
	}
	errno = 0;
	*out = strtod(s, &end);
	return !*s || *end || errno || !isfinite(*out) || *out < 0 || *out > 1e7 ? -1 : 0;
}

int of_comments__bili_p_general(const char *p, of_bili_p *out, char *why, size_t whylen)
{
	static const char *names[] = {"time", "mode", "size", "color", "timestamp", "pool", "user", "dmid", "weight"};
	char buf[OF_MAX_DANMAKU_P_BYTES + 1], *fld[10];
	int n = 0;
	size_t len = strlen(p);
	memset(out, 0, sizeof *out);
	if (len >= sizeof buf) {
		snprintf(why, whylen, "p attribute too long (%zu bytes)", len);
		return -1;
	}
	memcpy(buf, p, len + 1);
	fld[n++] = buf;
	for (char *c = buf; (c = memchr(c, ',', (size_t)(buf + len - c))) != NULL;) {
		*c++ = 0;
		if (n == 10)
			break;
		fld[n++] = c;
	}
	if (n != 8 && n != 9) {
		snprintf(why, whylen, "p has %d fields, expected 8 or 9", n);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const char *s = fld[i];
		int bad = 0;
		switch (i) {
		case 0: bad = field_time(s, &out->time); break;
		case 1: bad = field_int(s, 0, 9, &out->mode); break;
		case 2: bad = field_int(s, 0, 1000, &out->size); break;
		case 3: /* RGB; some real dumps write opaque ARGB (4294967295 = white) */
			bad = field_int(s, 0, 0xFFFFFFFFLL, &out->color) || (out->color > 0xFFFFFF && out->color < 0xFF000000LL);
			break;
		case 4: bad = field_int(s, 0, OF_BILI_MAX_UNIX, &out->unix_time); break;
		case 5: bad = field_int(s, 0, 100, &out->pool); break;
		case 6: {
			size_t k = strlen(s);
			bad = k == 0 || k >= sizeof out->user;
			for (size_t j = 0; j < k && !bad; j++)
				bad = !((s[j] >= '0' && s[j] <= '9') || (s[j] >= 'a' && s[j] <= 'z') ||
					(s[j] >= 'A' && s[j] <= 'Z') || s[j] == '_' || s[j] == '-');
			if (!bad)
				memcpy(out->user, s, k + 1);
			break;
		}
		case 7: { /* kept as a string: 19-20 digit ids do not survive a double;
			   blrec writes signed row ids ("-1189105972") */
			const char *d = s + (*s == '-');
			size_t k = strlen(d);
			bad = k == 0 || k > 20;
			for (size_t j = 0; j < k && !bad; j++)
				bad = d[j] < '0' || d[j] > '9';
			if (!bad && k == 20) /* 20 digits fit a uint64 only up to 18446744073709551615 */
				bad = strcmp(d, "18446744073709551615") > 0;
			if (!bad)
				memcpy(out->dmid, s, (size_t)(d - s) + k + 1);
			break;
		}
		case 8: bad = field_int(s, 0, 100, &out->weight); break;
		}
		if (bad) {
			snprintf(why, whylen, "bad p field '%s' (#%d): '%.40s'", names[i], i + 1, s);
			return -1;
		}
	}
	return 0;
}

/* Digits at *s (at most 17: every field's range is far below) as a number;
 * -1 when there are none or more. */
static long long digits17(const char **s)
{
	const char *p = *s;
	long long v = 0;
	int n = 0;
	while (*p >= '0' && *p <= '9') {
		if (++n > 17)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	*s = p;
	return n ? v : -1;
}

static inline int user_char(unsigned c)
{
	return ((c | 0x20) - 'a' < 26u) | (c - '0' < 10u) | (c == '_') | (c == '-');
}

/* The common shape of `p` in one pass (a million danmaku parse it a million
 * times). Anything else (a sign, an exponent, leading zeros past 17 digits, a
 * value out of range, a tenth field) returns -1 and goes to the general parser,
 * which names the problem: where this one succeeds, the two agree (unit test). */
static int parse_p_fast(const char *p, of_bili_p *out)
{
	static const long long hi[5] = {9, 1000, 0xFFFFFFFFLL, OF_BILI_MAX_UNIX, 100};
	const char *s = p;
	long long ip = 0, fp = 0, scale = 1, v;
	int n = 0;
	/* every field is set below: a memset of the struct compiles to `rep stos`, slow to start */
	while (*s >= '0' && *s <= '9' && n < 12)
		ip = ip * 10 + (*s++ - '0'), n++;
	if (n == 0 || n >= 12)
		return -1;
	if (*s == '.') {
		s++;
		for (int k = 0; *s >= '0' && *s <= '9' && k < 9; k++)
			fp = fp * 10 + (*s++ - '0'), scale *= 10;
	}
	if (*s++ != ',')
		return -1;
	out->time = (double)ip + (double)fp / (double)scale;
	if (!(out->time <= 1e7))
		return -1;
	long long *ints[5] = {&out->mode, &out->size, &out->color, &out->unix_time, &out->pool};
	for (int i = 0; i < 5; i++) {
		if ((v = digits17(&s)) < 0 || v > hi[i] || *s++ != ',')
			return -1;
		*ints[i] = v;
	}
	if (out->color > 0xFFFFFF && out->color < 0xFF000000LL)
		return -1;
	/* copied as checked: a variable-length memcpy here is a `rep movs`, slow to start;
	 * the class test is branch-free (user hashes mix digits and letters at random) */
	for (n = 0; user_char((unsigned char)s[n]); n++) {
		if (n + 1 >= (int)sizeof out->user)
			return -1;
		out->user[n] = s[n];
	}
	if (n == 0 || s[n] != ',')
		return -1;
	out->user[n] = 0;
	s += n + 1;
	int sign = *s == '-';
	out->dmid[0] = '-';
	for (n = 0; s[sign + n] >= '0' && s[sign + n] <= '9'; n++) {
		if (n >= 20)
			return -1;
		out->dmid[sign + n] = s[sign + n];
	}
	if (n == 0 || (n == 20 && memcmp(s + sign, "18446744073709551615", 20) > 0))
		return -1;
	out->dmid[sign + n] = 0;
	s += sign + n;
	out->weight = 0;
	if (*s == ',') {
		s++;
		if ((v = digits17(&s)) < 0 || v > 100)
			return -1;
		out->weight = v;
	}
	return *s == 0 && (size_t)(s - p) <= OF_MAX_DANMAKU_P_BYTES ? 0 : -1;
}

int of_comments__bili_p(const char *p, of_bili_p *out, char *why, size_t whylen)
{
	return parse_p_fast(p, out) == 0 ? 0 : of_comments__bili_p_general(p, out, why, whylen);
}

/* 1 when the two bytes `a` `b` occur in s[0..n) in that order, adjacent
 * (memchr: most texts have neither byte). */
static int has_pair(const char *s, size_t n, char a, char b)
{
	const char *p = s, *end = s + n;
	while ((p = memchr(p, a, (size_t)(end - p))) != NULL) {
		if (++p < end && *p == b)
			return 1;
	}
	return 0;
}

/* Real dumps double-escape emoji (&amp;#128514;): after XML decoding a literal
 * "&#128514;" is left, which we decode once more. */
static void decode_numeric_refs(of_buf *b)
{
	const char *s = of_buf_cstr(b);
	size_t n = of_buf_len(b), i = 0;
	of_buf out;
	if (!has_pair(s, n, '&', '#'))
		return;
	of_buf_init(&out, n + 16);
	while (i < n) {
		if (s[i] == '&' && i + 2 < n && s[i + 1] == '#') {
			size_t j = i + 2;
			int hex = 0;
			unsigned long v = 0;
			if (j < n && (s[j] == 'x' || s[j] == 'X'))
				hex = 1, j++;
			size_t start = j;
			while (j < n && j - start < 8 &&
			       ((s[j] >= '0' && s[j] <= '9') || (hex && ((s[j] | 32) >= 'a' && (s[j] | 32) <= 'f')))) {
				int d = s[j] <= '9' ? s[j] - '0' : (s[j] | 32) - 'a' + 10;
				v = v * (hex ? 16 : 10) + (unsigned long)d;
				j++;
			}
			if (j > start && j < n && s[j] == ';' && v >= 0x20 && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF)) {
				char enc[4];
				int k = of_utf8_encode((int32_t)v, enc);
				of_buf_append(&out, enc, (size_t)k);
				i = j + 1;
				continue;
			}
		}
		of_buf_putc(&out, s[i++]);
	}
	of_buf_truncate(b, 0);
	of_buf_append(b, of_buf_cstr(&out), of_buf_len(&out));
	of_buf_free(&out);
}

/* bilibili writes a line break inside a danmaku as the two characters "/n"
 * (players split the shown text there: DanmakuFlameMaster's fillText), so
 * "/n/nTIME/n" is three lines, not a "/n…" bot command (and, like any line
 * break in a comment, is read as a space). A text holding a link keeps its
 * slashes ("http://x.com/news", "t.cn/nAbc"): the spam rule must still see it. */
static void decode_line_breaks(of_buf *b)
{
	const char *s = of_buf_cstr(b);
	size_t n = of_buf_len(b);
	of_buf out;
	if (!has_pair(s, n, '/', 'n') || of_text_has_link(s))
		return;
	of_buf_init(&out, n + 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '/' && i + 1 < n && s[i + 1] == 'n') {
			of_buf_putc(&out, '\n');
			i++;
		} else {
			of_buf_putc(&out, s[i]);
		}
	}
	of_buf_truncate(b, 0);
	of_buf_append(b, of_buf_cstr(&out), of_buf_len(&out));
	of_buf_free(&out);
}

/* Mode 7 (advanced) text is a JSON array whose element 4 is the shown text.
 * Some dumps pretty-print it: white space around the array is JSON's own. */
static int mode7_text(of_buf *b, const char *origin, unsigned long line)
{
	json_t *v = NULL;
	const char *s = of_buf_cstr(b);
	size_t n = of_buf_len(b);
	while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++, n--;
	if (n < 2 || s[0] != '[')
		return 0;
	if (of_json_parse(&v, s, n, origin, line ? line - 1 : 0) != 0) {
		/* Players accept raw line breaks inside the strings ("\r\n    light"),
		 * which JSON does not: as everywhere in a comment, they are spaces. */
		size_t ctl = 0;
		char *flat;
		of_error_clear();
		while (ctl < n && (unsigned char)s[ctl] >= 0x20)
			ctl++;
		flat = ctl < n ? malloc(n) : NULL;
		for (size_t i = 0; flat && i < n; i++)
			flat[i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
		int bad = !flat || of_json_parse(&v, flat, n, origin, line ? line - 1 : 0) != 0;
		free(flat);
		if (bad) {
			of_error_clear();
			return 0; /* not JSON: kept as plain text */
		}
	}
	if (json_is_array(v) && json_array_size(v) > 4 && json_is_string(json_array_get(v, 4))) {
		const char *t = json_string_value(json_array_get(v, 4));
		size_t tl = json_string_length(json_array_get(v, 4));
		char *copy = malloc(tl + 1);
		if (copy) {
			memcpy(copy, t, tl + 1);
			of_buf_truncate(b, 0);
			of_buf_append(b, copy, tl);
			free(copy);
		}
	}
	json_decref(v);
	return 0;
}

/* The attributes a record may carry. Live recorders (BililiveRecorder, blrec)
 * add `user` and `uid` to <d>, and write superchats, gifts and guard purchases
 * as <sc>, <gift> and <guard> with a `ts` offset. */
enum { A_P, A_USER, A_UID, A_TS, A_PRICE, A_GIFTNAME, A_GIFTCOUNT, A_COUNT, A_NUM, A_LEVEL, A_START, A_NAME, A_RAW, N_ATTR };
static const char *const attr_names[N_ATTR] = {"p",     "user",  "uid",        "ts",   "price", "giftname", "giftcount",
					       "count", "num",   "level",      "start_time", "name", "raw"};

/* What a live recorder's header says about the recording. */
typedef struct recinfo {
	double base;     /* Unix time of offset 0 (the recording's start), 0 unknown */
	int base_prio;   /* which header gave it: later, better sources replace earlier ones */
	of_buf streamer; /* the streamer's display name: their danmaku are the host's */
	char platform[16];  /* the site recorded, lower case ("" unknown) */
	int platform_prio;  /* 2 named by the header, 1 implied by the recorder */
} recinfo;

typedef struct attrs {
	of_buf v[N_ATTR];
	unsigned found; /* bit i: attribute i is present (and fitted its cap) */
} attrs;

static const char *attr(const attrs *a, int i)
{
	return a->found & (1u << i) ? of_buf_cstr(&a->v[i]) : NULL;
}

/* A user id as the p field allows it (1-71 of [A-Za-z0-9_-]), else NULL: the
 * `uid` attribute is only taken when it is one ("0" is blrec's hidden uid). */
static const char *plain_uid(const char *s)
{
	size_t k = s ? strlen(s) : 0;
	if (k == 0 || k > 71 || strcmp(s, "0") == 0)
		return NULL;
	for (size_t j = 0; j < k; j++)
		if (!user_char((unsigned char)s[j]))
			return NULL;
	return s;
}

/* A record over the per-comment cap: counted and warned, never emitted. */
static int skip_too_long(of_creader *r, unsigned long line)
{
	r->st->too_long++;
	of_comments__warn(r, line, "comment over the %zu-byte cap: skipped",
			  r->o->max_comment_bytes ? r->o->max_comment_bytes : OF_MAX_COMMENT_BYTES);
	return 0;
}

/* 1 when a live recording's `raw` on a <d> says its sender is one of the room's
 * admins (房管). BililiveRecorder writes there the platform's DANMU_MSG `info`
 * array as it came (`raw` = RawObject["info"], BililiveRecorder.Core/Danmaku/
 * BasicDanmakuWriter.cs, when "record raw danmaku" is on; blrec writes no `raw`).
 * Its element 2 is the sender, [uid, name, is_admin, vip, svip, rank, verified,
 * name colour]: is_admin 1 is a room admin (BililiveRecorder's DanmakuModel.cs
 * reads IsAdmin from info[2][2] == "1"; blive-message-listener's DANMU_MSG.ts,
 * room_admin: info[2][2] === 1). The attribute is untrusted and up to
 * OF_MAX_DANMAKU_RAW_BYTES: only element 2 is parsed (jansson, depth-capped);
 * the 2 KB before it (info[0], the display and user objects) is stepped over by
 * of_json_array_slice, not built (a whole parse cost 26 µs per danmaku). Anything
 * else, or a raw that does not parse, says nothing. */
static int raw_room_admin(const char *raw, const char *origin)
{
	size_t a, b;
	json_t *u = NULL, *f;
	int admin;
	if (of_json_array_slice(raw, strlen(raw), 2, &a, &b) != 0)
		return 0;
	if (of_json_parse(&u, raw + a, b - a, origin, 0) != 0) {
		of_error_clear(); /* not a record's fault: the comment is read without it */
		return 0;
	}
	f = json_array_get(u, 2);
	admin = (json_is_integer(f) && json_integer_value(f) == 1) || (json_is_string(f) && strcmp(json_string_value(f), "1") == 0);
	json_decref(u);
	return admin;
}

static int emit_d(of_creader *r, const attrs *a, const recinfo *ri, unsigned long line, of_buf *text, int too_long)
{
	of_bili_p f;
	char why[160];
	of_comment c;
	const char *p = attr(a, A_P), *uid = plain_uid(attr(a, A_UID)), *name = attr(a, A_USER);
	if (!p)
		return of_comments__bad(r, line, 0, "<d> without a p attribute");
	if (of_comments__bili_p(p, &f, why, sizeof why) != 0)
		return of_comments__bad(r, line, 0, "%s", why);
	if (too_long)
		return skip_too_long(r, line);
	decode_numeric_refs(text);
	if (f.mode == 7)
		mode7_text(text, r->origin, line);
	decode_line_breaks(text);
	/* the recorder names the room's streamer; a danmaku sent under that name is theirs */
	int host = name && of_buf_len(&ri->streamer) && strcmp(name, of_buf_cstr(&ri->streamer)) == 0;
	/* every field named (a memset of the struct is a `rep stos` per comment) */
	double wall = of_comments__epoch_seconds((double)f.unix_time); /* live recorders write ms */
	c = (of_comment){.path = NULL,
			 .line = line,
			 /* BililiveRecorder writes dmid 0 and biliLive-tools the sender's uid: neither names
			    the comment, so the line does */
			 .id = strcmp(f.dmid, "0") != 0 && !(uid && strcmp(f.dmid, uid) == 0) ? f.dmid : NULL,
			 .time = f.time,
			 .wall = wall > 0 ? wall : ri->base > 0 ? ri->base + f.time : 0,
			 .user_id = uid ? uid : f.user,
			 .user_name = name ? name : "",
			 .text = of_buf_cstr(text),
			 .text_len = of_buf_len(text),
			 .kind = f.mode == 8 ? OF_COMMENT_SYSTEM : OF_COMMENT_CHAT, /* mode 8 is code: never run, kept as text */
			 .weight = 1,
			 .mode = (int)f.mode,
			 .host = host,
			 .emotes_only = 0,
			 /* a room admin (房管) by the platform's own data: staff, as a Twitch or YouTube moderator */
			 .moderator = !host && attr(a, A_RAW) && raw_room_admin(attr(a, A_RAW), r->origin)};
	return of_comments__emit(r, &c);
}

/* A live record's `ts`: seconds from the recording's start (BililiveRecorder,
 * blrec), or a Unix time in ms (some biliLive-tools writers), told apart by
 * size: no offset is 31 years. Sets the offset and the wall time (0 unknown).
 * @return 0, or -1 when it is neither. */
static int live_ts(of_creader *r, const recinfo *ri, const char *ts, double *t, double *wall)
{
	char *end;
	double v;
	if (field_time(ts, t) == 0) {
		*wall = ri->base > 0 ? ri->base + *t : 0;
		return 0;
	}
	errno = 0;
	v = strtod(ts, &end);
	if (*end || errno || !isfinite(v) || v <= 1e9)
		return -1;
	*wall = of_comments__epoch_seconds(v);
	*t = ri->base > 0 ? *wall - ri->base : of_comments__rel_time(r, *wall * 1000.0, 0);
	return 0;
}

/* A live recorder's superchat (<sc ts price>text</sc>), gift (<gift ts giftname
 * giftcount/>) or guard purchase (<guard ts level count/>). `ts` is seconds
 * from the recording's start (`base`, when the header gave it). */
static int emit_live(of_creader *r, int rec, const attrs *a, const recinfo *ri, unsigned long line, of_buf *text,
		     int too_long)
{
	static const char *const guards[] = {"舰长", "总督", "提督", "舰长"}; /* level 1, 2, 3 */
	const char *elem = rec == 's' ? "sc" : rec == 'g' ? "gift" : "guard";
	const char *ts = attr(a, A_TS), *uid = plain_uid(attr(a, A_UID)), *name = attr(a, A_USER);
	double t, w = 0, wall;
	of_comment c;
	if (!ts || live_ts(r, ri, ts, &t, &wall) != 0)
		return of_comments__bad(r, line, 0, "<%s> without a valid ts attribute%s%.40s%s", elem, ts ? ": '" : "",
					ts ? ts : "", ts ? "'" : "");
	if (too_long)
		return skip_too_long(r, line);
	if (rec == 's') {
		const char *price = attr(a, A_PRICE);
		if (!price || of_comments__amount(price, &w) != 0 || w <= 0)
			w = 1;
		else if (w >= 30000)
			w /= 1000; /* blrec writes 金瓜子 (1000 to the yuan); the smallest superchat is 30 yuan */
		decode_numeric_refs(text);
	} else {
		const char *n = attr(a, rec == 'g' ? A_GIFTCOUNT : A_COUNT);
		long long v = 0, level = 0;
		if (!n && rec == 'G') /* blrec writes num, biliLive-tools giftcount */
			n = attr(a, A_NUM) ? attr(a, A_NUM) : attr(a, A_GIFTCOUNT);
		w = n && field_int(n, 1, 1000000, &v) == 0 ? (double)v : 1;
		of_buf_truncate(text, 0);
		if (attr(a, A_GIFTNAME)) /* the gift's name stands as its text */
			of_buf_puts(text, attr(a, A_GIFTNAME));
		else if (rec == 'G' && attr(a, A_LEVEL) && field_int(attr(a, A_LEVEL), 1, 3, &level) == 0)
			of_buf_puts(text, guards[level]);
	}
	c = (of_comment){.path = NULL,
			 .line = line,
			 .id = NULL,
			 .time = t,
			 .wall = wall,
			 .user_id = uid ? uid : name ? name : "",
			 .user_name = name ? name : "",
			 .text = of_buf_cstr(text),
			 .text_len = of_buf_len(text),
			 .kind = rec == 's' ? OF_COMMENT_SUPERCHAT : OF_COMMENT_GIFT,
			 .weight = w,
			 .mode = 0,
			 .host = 0,
			 .emotes_only = 0};
	return of_comments__emit(r, &c);
}

/* What one pass over the stream saw. */
typedef struct bpass {
	size_t n_d;          /* record elements (<d>, <sc>, <gift>, <guard>) completed (emitted, skipped or bad) */
	int seen_root, eof, failed;
	unsigned long lines; /* lines seen by the filter */
	size_t cut;          /* output offset of the last cut point before the error (0 = none) */
	double base;         /* the recording's start from a live recorder's header, 0 unknown */
	char platform[16];   /* the site recorded, as the header says ("" unknown) */
	xerr xe;
} bpass;

/* One streaming pass. With `stop_off`, the stream is closed with "</i>" at that
 * output offset (salvage of a broken file); the first `skip_d` records are
 * passed over silently (the first pass handled them). */
/* libxml2 reports encoding and I/O errors (an encoding="UTF-7" declaration, say)
 * through its global generic handler, which prints to stderr; the structured
 * handler above already records what we report. */
static void silent_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Copies the current element's attributes named in attr_names (no namespace)
 * into `a`, as xmlTextReaderGetAttribute would return them, without its
 * allocation: a single text child is the common case; entity references are
 * expanded. A value over its buffer's cap is left out, as if absent. */
static int read_attrs(xmlTextReaderPtr rd, attrs *a)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(rd);
	a->found = 0;
	for (xmlAttrPtr p = n ? n->properties : NULL; p; p = p->next) {
		int i = 0, rc;
		if (p->ns)
			continue;
		while (i < N_ATTR && !xmlStrEqual(p->name, BAD_CAST attr_names[i]))
			i++;
		if (i == N_ATTR || a->found & (1u << i))
			continue;
		of_buf_truncate(&a->v[i], 0);
		if (p->children && p->children->type == XML_TEXT_NODE && !p->children->next) {
			rc = of_buf_puts(&a->v[i], p->children->content ? (const char *)p->children->content : "");
		} else {
			xmlChar *v = xmlNodeListGetString(n->doc, p->children, 1);
			rc = of_buf_puts(&a->v[i], v ? (const char *)v : "");
			xmlFree(v);
		}
		if (rc == OF_ENOMEM)
			return of_error_set_oom();
		if (rc == 0)
			a->found |= 1u << i;
	}
	return 0;
}

/* The recording's start, from which live recorders count `ts`: BililiveRecorder's
 * <BililiveRecorderRecordInfo start_time="…">, blrec's <metadata><record_start_time>
 * (or <live_start_time>). Earlier sources give way to later, better ones. */
static void set_base(recinfo *ri, int p, const char *when)
{
	double w = 0;
	char *end;
	if (!when || p <= ri->base_prio)
		return;
	if (*when >= '0' && *when <= '9') { /* biliLive-tools writes Unix ms */
		w = strtod(when, &end);
		w = *end == 0 && isfinite(w) && w > 1e9 ? of_comments__epoch_seconds(w) : 0;
	}
	if (w > 0 || (of_comments__parse_datetime(when, &w) == 0 && w > 0)) {
		ri->base = w;
		ri->base_prio = p;
	}
}

/* Kept as lower-case letters and digits only: it is printed in the brief and
 * in prompts.json, and a header is untrusted input. */
static void set_platform(recinfo *ri, int p, const char *name)
{
	char v[sizeof ri->platform];
	size_t n = 0;
	if (!name || p <= ri->platform_prio)
		return;
	for (; *name && n + 1 < sizeof v; name++) {
		unsigned char c = (unsigned char)*name;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			v[n++] = (char)c;
		else if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return; /* not a name we can print as it is */
	}
	if (n == 0 || *name) /* empty, or longer than any site's name */
		return;
	v[n] = 0;
	memcpy(ri->platform, v, n + 1);
	ri->platform_prio = p;
}

static void set_streamer(recinfo *ri, const char *name)
{
	of_buf_truncate(&ri->streamer, 0);
	if (name && of_buf_puts(&ri->streamer, name) != 0)
		of_buf_truncate(&ri->streamer, 0);
}

static int bili_pass(of_creader *r, of_csrc *src, size_t stop_off, size_t skip_d, bpass *bp)
{
	xfilter f;
	xmlTextReaderPtr rd = NULL;
	of_buf text, mtext;
	attrs at;
	unsigned long d_line = 0;
	size_t cap = r->o->max_comment_bytes ? r->o->max_comment_bytes : OF_MAX_COMMENT_BYTES;
	/* rec: the record element being read ('d', 's' sc, 'g' gift, 'G' guard; 0 none);
	 * in_meta: inside blrec's <metadata>; meta: which of its fields is being read
	 * ('r' record_start_time, 'l' live_start_time, 'u' user_name, 'p' platform; 0 none) */
	int rc = 0, rec = 0, too_long = 0, ret, in_meta = 0, meta = 0;
	recinfo ri = {0, 0, {0}, {0}, 0};

	memset(&f, 0, sizeof f);
	memset(bp, 0, sizeof *bp);
	f.r = r;
	f.src = src;
	f.end_tag = "</d>";
	of_guard_markup_init(&f.guard, r->origin, OF_MAX_MARKUP_ATTRS);
	f.line = 1;
	f.stop_off = stop_off;
	decide(&f, src->peek, src->peek_len); /* the detection peek holds the XML declaration */
	f.quiet = stop_off > 0;
	of_buf_init(&text, cap + 1);
	of_buf_init(&mtext, 256);
	of_buf_init(&ri.streamer, 256);
	for (int i = 0; i < N_ATTR; i++) /* of_comments__bili_p names an overlong p; names are capped */
		of_buf_init(&at.v[i], i == A_P ? (size_t)-1 / 2 : i == A_RAW ? OF_MAX_DANMAKU_RAW_BYTES : 1024);
	at.found = 0;
	/* per-thread in libxml2: restored below */
	xmlGenericErrorFunc old_generic = xmlGenericError;
	void *old_generic_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, silent_generic);
	rd = xmlReaderForIO(io_read, io_close, &f, r->origin, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
	if (!rd) {
		rc = of_error_set_oom();
		goto done;
	}
	xmlTextReaderSetStructuredErrorHandler(rd, on_xml_error, &bp->xe);
	while ((ret = xmlTextReaderRead(rd)) == 1) {
		/* A text or CDATA node is read the same whatever xmlTextReaderNodeType would
		 * call it (text, whitespace, significant whitespace, CDATA); asking it costs
		 * a scan of the text and a walk up the tree for xml:space, per node. */
		xmlNodePtr cur = xmlTextReaderCurrentNode(rd);
		int type = cur && (cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE)
				   ? XML_READER_TYPE_TEXT
				   : xmlTextReaderNodeType(rd);
		int depth = xmlTextReaderDepth(rd), ended = 0;
		const xmlChar *name;
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) { /* second line of defence (UTF-16 input) */
			rc = of_error_set_at(OF_EINVALID, r->origin, (unsigned long)xmlTextReaderGetParserLineNumber(rd), 0,
					     "DOCTYPE not allowed (entities and external DTDs are never loaded)");
			goto done;
		}
		if (type == XML_READER_TYPE_ELEMENT) {
			name = xmlTextReaderConstLocalName(rd);
			if (depth == 0) {
				bp->seen_root = 1;
				if (!name || strcmp((const char *)name, "i") != 0) {
					rc = of_error_set_at(OF_EINVALID, r->origin,
							     (unsigned long)xmlGetLineNo(xmlTextReaderCurrentNode(rd)), 0,
							     "unexpected root <%s>: not a bilibili danmaku log <i><d p=...>; accepted: %s",
							     name ? (const char *)name : "?", of_comments_formats_accepted());
					goto done;
				}
			} else if (depth == 1 && name) {
				const char *nm = (const char *)name;
				int k = strcmp(nm, "d") == 0 ? 'd' : strcmp(nm, "sc") == 0 ? 's' : strcmp(nm, "gift") == 0 ? 'g'
					: strcmp(nm, "guard") == 0 ? 'G' : 0;
				in_meta = strcmp(nm, "metadata") == 0;
				if (k) {
					if ((rc = read_attrs(rd, &at)) != 0)
						goto done;
					d_line = (unsigned long)xmlGetLineNo(xmlTextReaderCurrentNode(rd));
					of_buf_truncate(&text, 0);
					too_long = 0;
					rec = k;
					ended = xmlTextReaderIsEmptyElement(rd);
				} else if (strcmp(nm, "BililiveRecorderRecordInfo") == 0) {
					if ((rc = read_attrs(rd, &at)) != 0)
						goto done;
					set_base(&ri, 2, attr(&at, A_START));
					set_streamer(&ri, attr(&at, A_NAME));
					set_platform(&ri, 1, "bilibili"); /* BililiveRecorder records bilibili only */
				} else if ((strcmp(nm, "toast") == 0 || strcmp(nm, "member") == 0) && !f.quiet) {
					/* blrec's guard-purchase banner (the <guard> record says it), biliLive-tools'
					 * viewer-entered events: not comments */
					r->st->ignored++;
				}
			} else if (depth == 2 && in_meta && name) {
				const char *nm = (const char *)name;
				/* blrec writes record_start_time, biliLive-tools video_start_time
				 * and the site it recorded (blrec records bilibili only) */
				meta = strcmp(nm, "record_start_time") == 0 || strcmp(nm, "video_start_time") == 0 ? 'r'
				       : strcmp(nm, "live_start_time") == 0 ? 'l'
				       : strcmp(nm, "user_name") == 0       ? 'u'
				       : strcmp(nm, "platform") == 0        ? 'p'
									    : 0;
				if (strcmp(nm, "record_start_time") == 0)
					set_platform(&ri, 1, "bilibili");
				of_buf_truncate(&mtext, 0);
			}
		} else if (rec && depth == 2 &&
			   (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
			    type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)) {
			const xmlChar *v = xmlTextReaderConstValue(rd);
			if (v && !too_long && of_buf_puts(&text, (const char *)v) != 0)
				too_long = 1;
		} else if (rec && depth == 1 && type == XML_READER_TYPE_END_ELEMENT) {
			ended = 1;
		} else if (in_meta && meta && depth == 3 && type == XML_READER_TYPE_TEXT) {
			const xmlChar *v = xmlTextReaderConstValue(rd);
			if (v)
				of_buf_puts(&mtext, (const char *)v);
		} else if (in_meta && meta && depth == 2 && type == XML_READER_TYPE_END_ELEMENT) {
			if (meta == 'u')
				set_streamer(&ri, of_buf_cstr(&mtext));
			else if (meta == 'p')
				set_platform(&ri, 2, of_buf_cstr(&mtext));
			else
				set_base(&ri, meta == 'r' ? 3 : 1, of_buf_cstr(&mtext));
			meta = 0;
		}
		if (ended) {
			if (++bp->n_d > skip_d) {
				rc = rec == 'd' ? emit_d(r, &at, &ri, d_line, &text, too_long)
						: emit_live(r, rec, &at, &ri, d_line, &text, too_long);
				if (rc != 0)
					goto done;
			}
			rec = 0;
		}
	}
	bp->failed = ret < 0;
	if (f.code)
		rc = f.code;
done:
	bp->eof = f.eof && !f.stopped;
	bp->cut = 0;
	if (bp->failed) { /* the last cut point before the error: close the document there */
		size_t n = f.n_dstart < DRING ? f.n_dstart : DRING;
		for (size_t i = 0; i < n; i++) {
			size_t k = (f.n_dstart - 1 - i) % DRING;
			if (f.dstart[k].line < bp->xe.line || (f.dstart[k].line == bp->xe.line && f.dstart[k].col < bp->xe.col) ||
			    bp->xe.line == 0) {
				bp->cut = f.dstart[k].off;
				break;
			}
		}
	}
	bp->lines = f.line;
	bp->base = ri.base;
	memcpy(bp->platform, ri.platform, sizeof bp->platform);
	if (rd)
		xmlFreeTextReader(rd);
	xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
	of_buf_free(&text);
	of_buf_free(&mtext);
	of_buf_free(&ri.streamer);
	for (int i = 0; i < N_ATTR; i++)
		of_buf_free(&at.v[i]);
	return rc;
}

int of_comments__read_bilibili(of_creader *r, of_csrc *src)
{
	bpass bp, salvage;
	size_t before = r->st->records, got;
	int rc = bili_pass(r, src, 0, 0, &bp), at_end;
	if (bp.base > 0)
		r->st->start_wall = bp.base;
	if (bp.platform[0])
		memcpy(r->st->platform, bp.platform, sizeof r->st->platform);
	if (rc != 0)
		return rc;
	if (!bp.failed)
		return bp.seen_root ? 0 : of_error_set_at(OF_EINVALID, r->origin, 0, 0, "no XML element: no comments");
	at_end = bp.eof && bp.xe.line + 1 >= bp.lines; /* a cut file, not one broken in the middle */
	/* libxml2 drops the records of the chunk around the error: read again,
	 * closing the document before the broken record, to keep all before it */
	if (bp.cut > 0 && of_csrc__rewind(src) == 0) {
		if ((rc = bili_pass(r, src, bp.cut, bp.n_d, &salvage)) != 0)
			return rc;
		bp.seen_root |= salvage.seen_root;
	}
	got = r->st->records - before;
	if (got == 0 && !bp.seen_root)
		return of_error_set_at(OF_EINVALID, r->origin, bp.xe.line, bp.xe.col, "%s",
				       bp.xe.set ? bp.xe.msg : "not well-formed XML");
	r->st->truncated++;
	if (at_end)
		return of_comments__bad(r, bp.xe.line ? bp.xe.line : bp.lines, 0, "unexpected end of file, %zu comment%s recovered",
					got, got == 1 ? "" : "s");
	/* Encoding errors come without a line: name the last line read rather than none. */
	return of_comments__bad(r, bp.xe.line ? bp.xe.line : bp.lines, bp.xe.line ? bp.xe.col : 0,
				"%s; the %zu comment%s before it %s kept, the rest of the file is not read",
				bp.xe.set ? bp.xe.msg : "XML error", got, got == 1 ? "" : "s", got == 1 ? "is" : "are");
}
