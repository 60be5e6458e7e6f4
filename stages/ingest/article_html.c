/* article_html.c — HTML article reader (libxml2's HTML parser). */
#include "ingest/article_doc.h"
#include "onefish/error.h"

int of_article_doc_parse_html(of_article_doc **out, const char *html, size_t len, const char *origin)
{
	(void)html;
	(void)len;
	*out = NULL;
	return of_error_set_at(OF_EINVALID, origin, 0, 0, "HTML articles are not read yet");
}
