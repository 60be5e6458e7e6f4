/* trace.h — which photos belong to a paragraph's own posts, read from the
 * article.trace.json that `onefish article` writes beside article.md
 * (private to the script stage). */
#ifndef ONEFISH_SCRIPT_TRACE_H
#define ONEFISH_SCRIPT_TRACE_H

#include "ingest/article_doc.h"

#include <jansson.h>

#define OF_SCRIPT_TRACE_IMAGES 4
#define OF_SCRIPT_TRACE_STALE 4

/** What the trace says about one block of the article. */
typedef struct of_script_block_src {
	int known;      /**< the trace names this paragraph (else: use the images next to it) */
	int templated;  /**< a template paragraph (the closing): boilerplate, no post of its own */
	int n_images;   /**< photos of the paragraph's posts, as indices of image blocks */
	long images[OF_SCRIPT_TRACE_IMAGES];
	/** dates the article's tense lint flagged in this paragraph ("11月19日（周四）": an announcement
	 *  that was past by the week's last post); a sentence holding one is no scene */
	int n_stale;
	char stale[OF_SCRIPT_TRACE_STALE][64];
	/** the announcement the tense lint flagged goes on here: 1 in the flagged paragraph (from the
	 *  sentence holding a `stale` date on), 2 in a later paragraph of the same post (the finding's
	 *  `post`) as a whole; a sentence of it that speaks of the live or of what is still to come
	 *  (of_clause_speaks_ahead) is no scene either */
	int tense;
	/** posts the trace names for this paragraph: 0 for one the editor wrote (the refreshed trace
	 *  lists it with no sources) */
	int n_sources;
	/** the trace follows an article.md edited by hand (its "edited": true; the same in every entry):
	 *  it lists only the photos still in the article, so it cannot tell whether a post had one */
	int doc_edited;
	/** for an image block: the trace names a post of it (else the editor added the photo) */
	int traced_image;
} of_script_block_src;

/**
 * Reads article.trace.json beside the local article `input` and matches its
 * paragraphs to the blocks of `doc` (by text, else by line when the trace is
 * about this very file and the texts still share words) and its images to the
 * image blocks (by path as written in the article: call this before the block
 * images are resolved). `*out` gets doc->n_blocks entries (caller frees), or
 * NULL when there is no trace (a URL, an article not made by onefish). A trace
 * that cannot be read is warned about (`*warnings` counted) and ignored.
 * @return 0 or OF_ENOMEM.
 */
int of_script_trace_match(of_script_block_src **out, const of_article_doc *doc, const char *input,
			  size_t *warnings);

#endif
