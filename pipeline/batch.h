/* batch.h — private to pipeline/: `onefish run` over many packs (-j N, --shard I/N). */
#ifndef ONEFISH_PIPELINE_BATCH_H
#define ONEFISH_PIPELINE_BATCH_H

#include "cli.h"
#include "onefish/pack.h"

/**
 * With more than one path given (`run packs/<star>`, `check packs/<star>`): 1 when `path`
 * (of kind `kind`) is no pack and is skipped, after a `not_a_pack` note naming it and
 * why (a file; a folder without onefish.yaml); else 0. A missing path or a folder
 * with onefish.yml is not skipped: it fails as its pack.
 */
int of_batch_skip(const char *path, of_pack_arg kind);

/** When every one of `n_paths` paths was skipped: the error (exit 3) for command `cmd`. */
int of_batch_none_is_a_pack(const char *cmd, size_t n_paths);

/** Parses "I/N"; returns 0 or -1. */
int of_batch_parse_shard(const char *s, unsigned *i, unsigned *n);

/**
 * The shard to run: --shard wins, else JOB_COMPLETION_INDEX / JOB_COMPLETIONS
 * (a Kubernetes Indexed Job), else 0/1. Returns 0, or OF_EUSAGE for bad env values.
 */
int of_batch_shard(const char *opt, unsigned *i, unsigned *n);

/**
 * Runs every pack in `dirs` that falls in shard i/n, `jobs` at a time (a
 * forked process per pack when more than one), prints the summary and
 * returns the exit code: 0, 1, 3 (every failure was bad input), 2 usage,
 * 128+signal when interrupted.
 */
int of_batch_run(const char *const *dirs, size_t n_dirs, const of_cli_args *args, const of_pack_options *opts);

#endif
