/* fuzz_url.c — URL policy (of_url_check) and the printable form used in
 * messages (of_url_sanitize). Bit 0 of the first byte wraps the rest in a URL
 * carrying a password and a query token: neither may ever appear in the
 * sanitized form or in an error message. */
#include "fuzz.h"
#include "onefish/http.h"

#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void url_fuzz_no_secret(const char *s)
{
	OF_FUZZ_CHECK(strstr(s, "PASSWORDXYZ") == NULL);
	OF_FUZZ_CHECK(strstr(s, "SECRETKEY123") == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char shown[256];
	if (size == 0)
		return 0;
	int wrap = data[0] & 1, trusted = (data[0] >> 1) & 1;
	char *rest = of_fuzz_cstr(data + 1, size - 1), *url = rest;
	if (wrap) {
		/* Only inputs without the markers themselves, so a leak can only come from the wrapping. */
		if (strstr(rest, "PASSWORDXYZ") || strstr(rest, "SECRETKEY123")) {
			free(rest);
			return 0;
		}
		size_t n = strlen(rest) + 64;
		url = malloc(n);
		if (!url)
			abort();
		snprintf(url, n, "https://u:PASSWORDXYZ@%s?k=SECRETKEY123", rest);
	}
	of_url_sanitize(shown, sizeof shown, url);
	OF_FUZZ_CHECK(strlen(shown) < sizeof shown);
	/* Printable: valid UTF-8, no space, no control or bidi-override character. */
	OF_FUZZ_CHECK(of_fuzz_clean_text(shown, strlen(shown)));
	for (size_t i = 0, n = strlen(shown); i < n;) {
		int32_t cp;
		int k = of_utf8_next(shown + i, n - i, &cp);
		OF_FUZZ_CHECK(k > 0 && cp > 0x20 && cp != '\n' && cp != '\t');
		OF_FUZZ_CHECK(!(cp >= 0x202a && cp <= 0x202e) && !(cp >= 0x2066 && cp <= 0x2069));
		i += (size_t)k;
	}
	int rc = of_url_check(url, trusted);
	if (rc == 0) {
		OF_FUZZ_CHECK(strpbrk(url, "\r\n") == NULL);
		OF_FUZZ_CHECK(!wrap); /* a URL with a password is always refused */
	} else {
		of_fuzz_check_error(rc);
		if (wrap) /* unwrapped inputs may hold the markers themselves */
			url_fuzz_no_secret(of_error_last()->message);
	}
	if (wrap)
		url_fuzz_no_secret(shown);
	if (url != rest)
		free(url);
	free(rest);
	return 0;
}
