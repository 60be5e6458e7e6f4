/* fuzz_article.c — article readers for the script stage: Markdown with front
 * matter (cmark, safe mode) and saved HTML pages (libxml2 HTML parser, no
 * network). First byte even = Markdown, odd = HTML. Blocks carry clean text. */
#include "fuzz.h"
#include "ingest/article_doc.h"
#include "ingest/image_path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	of_article_doc *d = NULL;
	unsigned long lines = 1;
	int rc;
	if (size == 0)
		return 0;
	for (size_t i = 1; i < size; i++) /* a line ends at LF, CRLF or a lone CR (cmark's rule) */
		lines += data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
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
			if (b->image) {
				char why[1024];
				OF_FUZZ_CHECK(b->image[0] != '\0');
				/* the line that names it lies in the input; the lookup's words for it exist */
				OF_FUZZ_CHECK(b->image_line <= lines);
				OF_FUZZ_CHECK(of_image_problem(why, sizeof why, b->image, OF_ENOTFOUND, OF_IMAGE_IN_ARTICLE)[0]);
				(void)of_image_is_remote(b->image);
			}
		}
		OF_FUZZ_CHECK(d->image_line <= lines);
		if (d->title)
			OF_FUZZ_CHECK(of_fuzz_clean_text(d->title, strlen(d->title)));
		of_article_doc_free(d);
	}
	of_log_set_handler(NULL, NULL);
	return 0;
}
