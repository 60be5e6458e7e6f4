/* article_isolate.h — article parsing in a limited worker (private to stages/). */
#ifndef ONEFISH_ARTICLE_ISOLATE_H
#define ONEFISH_ARTICLE_ISOLATE_H

#include "ingest/article_doc.h"
#include "onefish/sandbox.h"

/**
 * Parses `data` as HTML (`html` non-zero) or Markdown like
 * of_article_doc_parse_html/_markdown, inside a worker under `lim`; `lim`
 * NULL parses in-process. Same document and errors either way, plus the
 * worker's "limit exceeded (cpu|memory|time)" and "parser crashed" errors.
 */
int of_article_doc__parse_isolated(of_article_doc **out, int html, const char *data, size_t len, const char *origin,
				   const of_sandbox_limits *lim);

#endif
