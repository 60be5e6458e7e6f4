/* fuzz_lint.c — copy lint: the shipped lexicon scanned over arbitrary text
 * (every hit is a real match inside the text), and arbitrary lexicon files. */
#include "fuzz.h"
#include "onefish/lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct lint_fuzz_ctx {
	const char *text;
	size_t len, hits, last;
} lint_fuzz_ctx;

static void lint_fuzz_hit(const of_lint_hit *h, void *payload)
{
	lint_fuzz_ctx *c = payload;
	size_t n = strlen(h->term);
	OF_FUZZ_CHECK(n > 0 && h->offset + n <= c->len);
	OF_FUZZ_CHECK(memcmp(c->text + h->offset, h->term, n) == 0);
	OF_FUZZ_CHECK(c->hits == 0 || h->offset >= c->last); /* in order, no overlap going back */
	OF_FUZZ_CHECK(h->suggestion && h->category);
	c->last = h->offset + n;
	c->hits++;
}

static void lint_fuzz_scan(const of_lint *l, const char *text, size_t len)
{
	lint_fuzz_ctx c = {text, len, 0, 0};
	size_t n = of_lint_scan(l, text, len, lint_fuzz_hit, &c);
	OF_FUZZ_CHECK(n == c.hits);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static of_lint *shipped;
	if (!shipped && of_lint_new(&shipped, NULL) != 0)
		abort(); /* ONEFISH_DATADIR must point at assets/ */
	if (size == 0)
		return 0;
	/* First byte: even = scan the text with the shipped lexicon; odd = the rest is a lexicon. */
	if ((data[0] & 1) == 0) {
		lint_fuzz_scan(shipped, (const char *)data + 1, size - 1);
		return 0;
	}
	char path[512];
	FILE *fp;
	of_lint *l = NULL;
	snprintf(path, sizeof path, "%s/lexicon.tsv", of_fuzz_tmpdir());
	if (!(fp = fopen(path, "wb")))
		abort();
	fwrite(data + 1, 1, size - 1, fp);
	fclose(fp);
	int rc = of_lint_new(&l, path);
	if (rc < 0) {
		of_fuzz_check_error(rc);
		return 0;
	}
	static const char sample[] = "全网最低价，第一次见到这么好的，国家级品质，100%有效";
	lint_fuzz_scan(l, sample, sizeof sample - 1);
	lint_fuzz_scan(l, (const char *)data + 1, size - 1);
	of_lint_free(l);
	return 0;
}
