/* manifest.h — private to pipeline/: reading back and writing manifest.json.
 *
 * manifest.json holds only what is the same on every run of the same pack
 * (inputs, outputs with the sha256 onefish wrote and their status, settings,
 * stage keys): two runs give the same bytes. Timings go to .onefish/run-log.json. */
#ifndef ONEFISH_PIPELINE_MANIFEST_H
#define ONEFISH_PIPELINE_MANIFEST_H

#include <jansson.h>

/** State of one output file on disk compared with what the manifest recorded. */
typedef enum {
	OF_OUT_MISSING,   /**< not on disk */
	OF_OUT_GENERATED, /**< on disk with the sha256 onefish wrote */
	OF_OUT_EDITED,    /**< on disk, sha256 differs: a human edit */
	OF_OUT_UNKNOWN    /**< on disk, never recorded: treated like an edit (not ours to overwrite) */
} of_out_state;

/**
 * Loads OUT/manifest.json. Returns a new reference, or NULL when there is none
 * (a corrupt manifest is reported as a warning and treated as absent).
 */
json_t *of_manifest_load(const char *out_dir);

/** Loads OUT/.onefish/pending.json (hashes of files being installed), or NULL. */
json_t *of_manifest_load_pending(const char *out_dir);

/** The recorded output entry {sha256, bytes, stage} for `rel` (borrowed), or NULL. */
json_t *of_manifest_output(const json_t *outputs_obj, const char *rel);

/**
 * Classifies out_dir/rel against the record in `outputs_obj` (path → entry)
 * and the pending install list. Fills `disk_sha` (when the file exists).
 */
of_out_state of_manifest_file_state(const json_t *outputs_obj, const json_t *pending, const char *out_dir,
				    const char *rel, char disk_sha[65]);

/** The same, for a file whose sha256 is already known (`disk_sha` NULL or "" = missing). */
of_out_state of_manifest_classify(const json_t *outputs_obj, const json_t *pending, const char *rel,
				  const char *disk_sha);

/** Writes `v` to `path` atomically, only when the bytes differ (keeps mtime on no-op runs). */
int of_manifest_write_if_changed(const char *path, const json_t *v);

/** Name an edited file is kept under: article.md → article.edited.md (caller frees). */
char *of_manifest_edited_name(const char *rel, int n);

#endif
