/* cache.h — private to pipeline/: hashing a stage's inputs into its cache key. */
#ifndef ONEFISH_PIPELINE_CACHE_H
#define ONEFISH_PIPELINE_CACHE_H

#include "onefish/pack.h"

#include <stddef.h>

/** One hashed file. */
typedef struct of_cache_file {
	const char *label;          /**< borrowed from the of_pack_files list */
	char sha256[65];
	char xxh64[17];
	size_t bytes;
} of_cache_file;

/**
 * Reads `path` once and fills both hashes and the size.
 * @return 0, OF_ENOTFOUND, OF_EINVALID (not a regular file), OF_ELIMIT, OF_ERROR.
 */
int of_cache_hash_file(of_cache_file *out, const char *path);

/**
 * The stage key: xxh64 over the onefish version, the canonical settings text
 * and each input's label and xxh64, in list order. Writes 16 hex digits + NUL.
 */
void of_cache_key(char out[17], const char *version, const char *settings, const of_cache_file *files,
		  size_t n);

/**
 * Adds every regular file under `dir` (recursively, sorted by name, hidden
 * files skipped) with labels `label_prefix`/<relative path>. A missing folder adds nothing.
 * @return 0 or OF_ENOMEM / OF_ELIMIT (more than OF_MAX_PACK_FILES files).
 */
int of_cache_add_dir(of_pack_files *f, const char *dir, const char *label_prefix);

#endif
