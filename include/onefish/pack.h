/* pack.h — one weekly pack: the stage graph, its cache and the manifest.
 *
 * A pack folder holds onefish.yaml, the posts, images/ and comments/. Running
 * it writes OUT_ROOT/<pack name>/: every stage's files, manifest.json and the
 * review page index.html. Each stage is keyed by an xxHash of its input files'
 * bytes, its settings and the onefish version; a stage whose key is unchanged
 * and whose outputs are intact does no work. Files an editor changed by hand
 * (their sha256 differs from the one the manifest recorded) are never
 * overwritten: see docs/pack.md. */
#ifndef ONEFISH_PACK_H
#define ONEFISH_PACK_H

#include "onefish/config.h"
#include "onefish/stage.h"

#include <jansson.h>
#include <stddef.h>

/** A list of files a stage reads: absolute-or-relative path plus the label shown in the manifest. */
typedef struct of_pack_files {
	char **paths;  /**< as opened */
	char **labels; /**< "posts.jsonl", "images/p01-1.jpg", "out:article.md" */
	size_t n, cap;
} of_pack_files;

/** Adds a file (both strings copied). Returns 0 or OF_ENOMEM. */
int of_pack_files_add(of_pack_files *f, const char *path, const char *label);

/** Frees the list's contents; accepts an empty list. */
void of_pack_files_clear(of_pack_files *f);

/** Everything a stage runner needs to know about the pack it runs in. */
typedef struct of_pack_job {
	const char *name;      /**< pack name (config `name` or the folder name) */
	const char *pack_dir;  /**< the pack folder */
	const char *out_dir;   /**< OUT_ROOT/<name>: where outputs end up */
	const of_config *cfg;  /**< the pack config (never NULL) */
	const void *cli;       /**< command-line arguments (pipeline's of_cli_args), may be NULL */
	char **posts;          /**< resolved posts files/folders */
	size_t n_posts;
	char **comments;       /**< resolved comment logs */
	size_t n_comments;
	char *music;           /**< resolved video.music or NULL */
	char *folder_name;     /**< the pack folder's own name (owned): `.` is named as its real folder */
} of_pack_job;

/** One node of the stage graph. */
typedef struct of_pack_stage {
	const char *name;            /**< "article" */
	const char *after;           /**< upstream stage whose outputs it reads, or NULL */
	const char *const *outputs;  /**< canonical output names (NULL-terminated) */
	/** Lists the files the stage reads. OF_ENOTFOUND (error set) when a required one is missing. */
	int (*inputs)(const of_pack_job *job, of_pack_files *files);
	/** The options that matter, as JSON built in a fixed key order (caller decrefs). */
	json_t *(*settings)(const of_pack_job *job);
	/** Runs the stage, writing every output into `work_dir` (a fresh folder beside out_dir). */
	int (*run)(const of_pack_job *job, const char *work_dir, of_stage_stats *stats);
	/** 1 when the stage segments Chinese text: the runner loads the shared
	 *  segmenter (of_segmenter_shared) before forking it, so children inherit it. */
	int segments;
	/** The outputs editors change by hand that the stage's other outputs are made
	 *  from (NULL-terminated: {"article.md"}, {"script.md", "script.json"}), or
	 *  NULL. When one was edited, `follow_edit` writes those other outputs anew
	 *  from the edited files into `work_dir`. */
	const char *const *edited_sources;
	int (*follow_edit)(const of_pack_job *job, const char *work_dir, size_t *warnings);
	/** Outputs an earlier onefish wrote under another name, as pairs {old, new, ...,
	 *  NULL} ({"video.srt", "captions.srt", ...}), or NULL. An old one is no longer
	 *  the stage's output (an edit to it holds nothing); once the new one is in
	 *  place, our unedited old file is removed and an edited one is moved to the
	 *  new name's *.edited.* name (docs/pack.md, "Renamed outputs"). */
	const char *const *renamed;
} of_pack_stage;

/** The four real stages, in order: article, script, video, prompts (NULL-terminated). */
extern const of_pack_stage *const of_pack_stages[];

/** How a run behaves. */
typedef struct of_pack_options {
	unsigned version;
	const char *out_root;  /**< OUT_DIR, default "out" */
	int force;             /**< rerun every stage; edited files are kept beside the new ones */
	int dry_run;           /**< print what would run and why; write nothing */
	int no_fork;           /**< run stages in-process (tests, debugging) */
	const void *cli;       /**< handed to stage runners through of_pack_job */
	const of_pack_stage *const *stages; /**< NULL = of_pack_stages; tests inject fakes */
} of_pack_options;

#define OF_PACK_OPTIONS_VERSION 1
#define OF_PACK_OPTIONS_INIT {OF_PACK_OPTIONS_VERSION, "out", 0, 0, 0, NULL, NULL}

/** What one pack run did. */
typedef struct of_pack_result {
	char name[256];
	int code;          /**< 0 or the first failing stage's of_err code */
	int ran, cached, held, failed, blocked;
	char summary[512]; /**< one line: "article cached, script ran, ..." */
} of_pack_result;

/**
 * Loads `pack_dir`/onefish.yaml (or `config_path` when non-NULL) and resolves
 * the pack's name and input paths (relative to the pack folder). Caller frees
 * with of_pack_job_free().
 * @return 0, OF_EINVALID (bad config), OF_ENOTFOUND (no such pack folder / input), OF_ENOMEM.
 */
int of_pack_job_load(of_pack_job **out, of_config **cfg_out, const char *pack_dir, const char *config_path);

/** Frees a job (not its config); accepts NULL. */
void of_pack_job_free(of_pack_job *job);

/** The name a pack folder will get (config `name` or the folder name) into `buf`. */
void of_pack_name(char *buf, size_t n, const char *pack_dir, const char *config_path);

/** What a command-line path given to `run` or `check` is. */
typedef enum {
	OF_PACK_ARG_PACK,     /**< a folder with onefish.yaml */
	OF_PACK_ARG_OTHER,    /**< a file, or a folder without a config: what a glob like packs/<star> also matches */
	OF_PACK_ARG_MISSING,  /**< nothing there: a typo (a glob never yields it) */
	OF_PACK_ARG_YML,      /**< a folder whose config is spelled onefish.yml */
	OF_PACK_ARG_NO_CONFIG /**< a folder without any config (run alone, it would run unconfigured) */
} of_pack_arg;

/** Classifies `path` (see of_pack_arg). Never fails. */
of_pack_arg of_pack_arg_kind(const char *path);

/**
 * Runs one pack: for each stage, decides (cached / run / held / blocked),
 * runs what is needed in a child process, installs outputs without touching
 * human edits, then writes manifest.json, index.html and .onefish/run-log.json.
 * Logs pack and stage events through of_log and the pack event hook.
 * @return 0, or the first failing stage's code (OF_EINVALID... ), OF_EINTR when interrupted.
 */
int of_pack_run(const of_pack_job *job, const of_pack_options *opts, of_pack_result *result);

/** What of_pack_check printed, by level. */
typedef struct of_pack_check_counts {
	size_t errors;   /**< problems `run` would fail the pack on (with `strict`, also every bad record and unusable image) */
	size_t warnings; /**< what `run` warns about and goes on (a skipped record, a post kept without its image) */
} of_pack_check_counts;

/**
 * Validates a pack without writing anything: config, posts, the images posts
 * reference, comment logs, music. Each finding is logged as `file:line: warning|error: message`
 * in file and line order, at the level `run` gives it: a bad record or an image run
 * leaves out is a warning, or an error when `strict` (--strict or `strict: true`), as run fails then.
 * @param[in,out] counts  on entry `warnings` already printed for the pack (its config's), counted in;
 *                        on return the errors and warnings in all (may be NULL)
 * @return 0 when there is no error (warnings alone do not fail), else OF_EINVALID /
 *         OF_ENOTFOUND / ... (the first error's code; the message counts both).
 */
int of_pack_check(const of_pack_job *job, int strict, of_pack_check_counts *counts);

/**
 * Stable shard of a pack name: xxh64(name) mod n.
 */
unsigned of_pack_shard(const char *name, unsigned n);

#endif
