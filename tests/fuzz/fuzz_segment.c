/* fuzz_segment.c — word segmentation (friso, or the fallback) on arbitrary
 * bytes: tokens cover every byte exactly once, in order, with a known kind. */
#include "fuzz.h"
#include "onefish/segment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static of_segmenter *seg;
	of_token *tok = NULL;
	size_t n = 0, at = 0;
	if (!seg && of_segmenter_new(&seg) != 0)
		abort();
	int rc = of_segment(seg, (const char *)data, size, &tok, &n);
	if (rc < 0) {
		of_fuzz_check_error(rc);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		OF_FUZZ_CHECK(tok[i].offset == at);
		OF_FUZZ_CHECK(tok[i].len > 0);
		OF_FUZZ_CHECK(tok[i].kind >= OF_TOKEN_WORD && tok[i].kind <= OF_TOKEN_URL);
		at += tok[i].len;
	}
	OF_FUZZ_CHECK(at == size);
	free(tok);
	return 0;
}
