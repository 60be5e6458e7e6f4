/* utf8.h — UTF-8 helpers on utf8proc: validation, NFKC, counting, CJK tests. */
#ifndef ONEFISH_UTF8_H
#define ONEFISH_UTF8_H

#include <stddef.h>
#include <stdint.h>

/**
 * Decodes one code point at `s` (at most `len` bytes). Returns the number of
 * bytes consumed (>= 1) and sets `*cp`; on invalid UTF-8 returns -1 (and *cp = 0xFFFD).
 */
int of_utf8_next(const char *s, size_t len, int32_t *cp);

/** Non-zero if `s[0..len)` is valid UTF-8 with no NUL. If invalid, `*bad_offset` gets the first bad byte offset. */
int of_utf8_valid(const char *s, size_t len, size_t *bad_offset);

/**
 * Non-zero when `p` (at least `n` bytes readable) starts a three-byte sequence
 * led by E1..EC or EE..EF with two continuation bytes: always valid UTF-8 (no
 * overlong or surrogate form has these leads) and most Han text. A check for
 * byte loops on hot paths; anything else goes through of_utf8_next().
 */
static inline int of_utf8_plain3(const unsigned char *p, size_t n)
{
	return n >= 3 && p[0] >= 0xE1 && p[0] <= 0xEF && p[0] != 0xED && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80;
}

/** Number of code points in a valid UTF-8 string (invalid bytes count as one each). */
size_t of_utf8_count(const char *s, size_t len);

/** Number of Han ideographs (CJK Unified / Ext A / Compatibility): the 字 count. */
size_t of_utf8_han_count(const char *s, size_t len);

/** Non-zero for a Han ideograph. */
int of_utf8_is_han(int32_t cp);

/** Non-zero for CJK punctuation and full-width forms (。，！？、；：「」『』（）…). */
int of_utf8_is_cjk_punct(int32_t cp);

/** Non-zero for emoji and pictographs (incl. ZWJ, variation selectors, skin tones). */
int of_utf8_is_emoji(int32_t cp);

/**
 * Normalises to NFKC, replaces invalid bytes with U+FFFD and drops control
 * characters other than \n and \t. Characters whose compatibility form would change what
 * the author meant stay as written: circled numbers (①), ℃ ℉ ™, superscripts and fractions
 * (m², ½), number forms and squared units (㎏). Caller frees `*out` with free().
 * @return 0 or OF_ENOMEM. `*n_fixed` (optional) counts replaced/dropped items.
 */
int of_utf8_nfkc(char **out, const char *s, size_t len, size_t *n_fixed);

/**
 * Like of_utf8_nfkc but without normalisation: only invalid bytes → U+FFFD and
 * control characters dropped. Caller frees with free().
 */
int of_utf8_sanitize(char **out, const char *s, size_t len, size_t *n_fixed);

/**
 * Converts text in `charset` to UTF-8 with iconv: "GB18030" (a superset of GBK
 * and GB2312: what Excel and many tools on Chinese Windows save) or "UTF-16"
 * (byte order from its BOM: Excel's "Unicode text"). Caller frees `*out`
 * (NUL-terminated, `*out_len` bytes). @return 0; OF_EINVALID when the bytes are
 * not in that charset (`*bad_at`, optional, gets the offset of the first byte
 * that is not) or iconv lacks it; OF_ENOMEM.
 */
int of_utf8_from_charset(const char *charset, const char *s, size_t len, char **out, size_t *out_len, size_t *bad_at);

/**
 * Non-zero when `s[0..len)` looks like text in a legacy multi-byte encoding
 * rather than UTF-8 with a few broken bytes: it is not valid UTF-8, and fewer
 * than half of its non-ASCII bytes are part of valid UTF-8 sequences.
 */
int of_utf8_looks_legacy(const char *s, size_t len);

/** Byte offset of the start of the `n`-th code point (or len when past the end). */
size_t of_utf8_offset(const char *s, size_t len, size_t n);

/** Display width in terminal/caption cells (CJK = 2, combining = 0). */
size_t of_utf8_width(const char *s, size_t len);

/** Appends `cp` encoded as UTF-8 to `buf` (needs 4 bytes); returns bytes written (0 if invalid). */
int of_utf8_encode(int32_t cp, char *buf);

#endif
