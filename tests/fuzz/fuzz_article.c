/* fuzz_article.c — article readers for the script stage: Markdown with front
 * matter (cmark, safe mode) and saved HTML pages (libxml2 HTML parser, no
 * network). First byte even = Markdown, odd = HTML. Blocks carry clean text. */
#include "fuzz.h"
#include "ingest/article_doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	of_article_doc *d = NULL;
	int rc;
	if (size == 0)
		return 0;
	of_log_set_handler(of_fuzz_log, NULL);
	if ((data[0] & 1) == 0)
		rc = of_article_doc_parse_markdown(&d, (const char *)data + 1, size - 1, "fuzz.md");
	else
		rc = of_article_doc_parse_html(&d, (const char *)data + 1, size - 1, "fuzz.html");
	if (rc < 0) {
		of_fuzz_check_error(rc);
		OF_FUZZ_CHECK(d == NULL);
	} else {
		for (size_t i = 0; i < d->n_blocks; i++) {
			const of_article_block *b = &d->blocks[i];
			OF_FUZZ_CHECK(b->kind >= OF_BLOCK_HEADING && b->kind <= OF_BLOCK_IMAGE);
			OF_FUZZ_CHECK(b->text && of_fuzz_clean_text(b->text, strlen(b->text)));
			/* Image references are kept as written (the script stage resolves them inside
			 * the article's folder or through the URL policy, and refuses the rest). */
			if (b->image)
				OF_FUZZ_CHECK(b->image[0] != '\0');
		}
		if (d->title)
			OF_FUZZ_CHECK(of_fuzz_clean_text(d->title, strlen(d->title)));
		of_article_doc_free(d);
	}
	of_log_set_handler(NULL, NULL);
	return 0;
}
