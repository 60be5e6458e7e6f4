/* lint.h — copy lint: advertising-law absolute terms (最, 第一, 顶级, 国家级, 100%, ...)
 * from assets/lexicons/adlaw.tsv, with a suggested replacement. */
#ifndef ONEFISH_LINT_H
#define ONEFISH_LINT_H

#include <stddef.h>

typedef struct of_lint of_lint;

/** One finding; strings owned by the linter, valid until of_lint_free(). */
typedef struct of_lint_hit {
	const char *term;       /**< the matched term */
	const char *suggestion; /**< what to write instead */
	const char *category;   /**< "absolute", "medical", ... */
	size_t offset;          /**< byte offset of the match in the scanned text */
} of_lint_hit;

typedef void (*of_lint_cb)(const of_lint_hit *hit, void *payload);

/**
 * Loads a lexicon (TSV: term, suggestion, category; '#' comments). NULL loads
 * assets/lexicons/adlaw.tsv. Free with of_lint_free().
 * @return 0, OF_ENOTFOUND, OF_EINVALID (bad line, error names it).
 */
int of_lint_new(of_lint **out, const char *lexicon_path);
void of_lint_free(of_lint *l);

/** Calls `cb` for every hit in `text`, in order. Returns the number of hits. */
size_t of_lint_scan(const of_lint *l, const char *text, size_t len, of_lint_cb cb, void *payload);

#endif
