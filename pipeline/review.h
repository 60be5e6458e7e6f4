/* review.h — private to pipeline/: the review page OUT/<pack>/index.html. */
#ifndef ONEFISH_PIPELINE_REVIEW_H
#define ONEFISH_PIPELINE_REVIEW_H

#include <jansson.h>

/**
 * Writes `out_dir`/index.html from the files in `out_dir` and `manifest`
 * (borrowed; NULL: read out_dir/manifest.json if present). Works from file://
 * with no external request; every piece of user text is escaped; a missing
 * output shows as missing. Written atomically, only when the bytes change.
 * @return 0, OF_ENOTFOUND (no such folder / template), OF_ERROR.
 */
int of_review_write(const char *out_dir, const json_t *manifest);

#endif
