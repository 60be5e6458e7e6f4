/* fuzz_utf8.c — UTF-8 helpers on arbitrary bytes: sanitize/NFKC always give
 * valid UTF-8 without NUL or control characters; counters stay in bounds. */
#include "fuzz.h"
#include "onefish/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void utf8_fuzz_check_clean(const char *s)
{
	size_t n = strlen(s);
	OF_FUZZ_CHECK(of_utf8_valid(s, n, NULL));
	for (size_t i = 0; i < n;) {
		int32_t cp;
		int k = of_utf8_next(s + i, n - i, &cp);
		OF_FUZZ_CHECK(k > 0);
		OF_FUZZ_CHECK(cp == '\n' || cp == '\t' || !(cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)));
		i += (size_t)k;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char *clean = NULL, *norm = NULL;
	size_t fixed = 0, bad = 0;
	int valid = of_utf8_valid(s, size, &bad);
	if (!valid)
		OF_FUZZ_CHECK(bad < size);

	OF_FUZZ_CHECK(of_utf8_sanitize(&clean, s, size, &fixed) == 0);
	utf8_fuzz_check_clean(clean);
	if (valid && memchr(s, 0, size) == NULL && strlen(clean) == size)
		OF_FUZZ_CHECK(memcmp(clean, s, size) == 0);

	int rc = of_utf8_nfkc(&norm, s, size, NULL);
	if (rc == 0) {
		utf8_fuzz_check_clean(norm);
		/* NFKC is idempotent. */
		char *again = NULL;
		OF_FUZZ_CHECK(of_utf8_nfkc(&again, norm, strlen(norm), NULL) == 0);
		OF_FUZZ_CHECK(strcmp(again, norm) == 0);
		free(again);
	} else {
		/* fuzz inputs are small: NFKC of them must succeed (a fixed-size buffer once made
		 * a growing text fail as "out of memory") */
		OF_FUZZ_CHECK(size > ((size_t)1 << 20));
		of_fuzz_check_error(rc);
	}

	size_t count = of_utf8_count(s, size);
	OF_FUZZ_CHECK(count <= size);
	OF_FUZZ_CHECK(of_utf8_han_count(s, size) <= count);
	OF_FUZZ_CHECK(of_utf8_width(s, size) <= 2 * size);
	for (size_t n = 0; n <= count + 1; n += 1 + count / 8)
		OF_FUZZ_CHECK(of_utf8_offset(s, size, n) <= size);

	/* Decoding then encoding each valid code point gives back the same bytes. */
	for (size_t i = 0; i < size;) {
		int32_t cp;
		char enc[4];
		int k = of_utf8_next(s + i, size - i, &cp);
		if (k > 0) {
			OF_FUZZ_CHECK(of_utf8_encode(cp, enc) == k);
			OF_FUZZ_CHECK(memcmp(enc, s + i, (size_t)k) == 0);
			(void)of_utf8_is_han(cp);
			(void)of_utf8_is_emoji(cp);
			(void)of_utf8_is_cjk_punct(cp);
		}
		i += k > 0 ? (size_t)k : 1;
	}
	free(clean);
	free(norm);
	return 0;
}
