/* pack_int.h — private to pipeline/pack*.c: the state of one pack run. */
#ifndef ONEFISH_PIPELINE_PACK_INT_H
#define ONEFISH_PIPELINE_PACK_INT_H

#include "cache.h"
#include "onefish/error.h"
#include "onefish/pack.h"

#include <jansson.h>

typedef enum { ST_NONE, ST_CACHED, ST_RAN, ST_HELD, ST_FAILED, ST_BLOCKED, ST_SKIPPED, ST_PLANNED } st_status;


typedef struct stage_state {
	const of_pack_stage *def;
	st_status status;
	char key[17];
	char reason[600];
	int code;
	double seconds;
	json_t *settings;
	of_pack_files list;
	of_cache_file *files;
	size_t n_files;
	of_stage_stats stats;
	char error[1200];
	of_error err; /* the failure, with its file:line:col */
	json_t *edit_refs; /* what its hand-edited sources reference (of_pack__dropped_by_edit) */
	int edit_refs_done; /* edit_refs computed (NULL then: no edit, or one that cannot be read) */
} stage_state;

typedef struct run_ctx {
	const of_pack_job *job;
	const of_pack_options *opts;
	stage_state *st;
	size_t n;
	json_t *stages_obj;  /* name → {key, status, inputs, outputs} */
	json_t *outputs_obj; /* path → {sha256, bytes, stage} */
	json_t *pending;
	char *work_dir;
	json_t *disk_memo; /* rel → sha256 of the file in out_dir ("" = missing), hashed once per run */
} run_ctx;

/** Status words for summaries, indexed by st_status. */
extern const char *const of_pack__status_names[];

/** State of out_dir/rel against the manifest; hashes each file at most once per run. */
int of_pack__file_state(run_ctx *c, const char *rel, char disk_sha[65]);

/** Tells the memo that out_dir/rel now has `sha` (NULL: it is gone). */
void of_pack__file_changed(run_ctx *c, const char *rel, const char *sha);

/** Removes a work folder we created (depth first, symlinks not followed). */
void of_pack__rmtree(const char *path);

/** Runs `s` in a child process (or in-process with opts->no_fork) into c->work_dir. */
int of_pack__run_stage(run_ctx *c, stage_state *s);

/**
 * Moves every file of c->work_dir into the pack's folder; human edits are kept
 * (moved aside with --force). `*outputs_out` lists what was installed.
 */
int of_pack__install(run_ctx *c, stage_state *s, json_t **outputs_out);

/**
 * After `s` ran and installed `outs` (the files it wrote this time): the files its earlier
 * runs wrote that this one did not (the manifest's records of the stage: say
 * images/v-a.jpg, a copy of a photo the script no longer shows) are removed when they
 * are as onefish wrote them, and leave the manifest (event `output_removed`). Its declared
 * outputs and renamed old names are never touched; nor is a file an editor changed (it
 * stays), one a kept *.edited.* copy of the stage's edited sources names (it stays, stale),
 * or one the manifest never recorded as this stage's.
 */
void of_pack__remove_unwritten(run_ctx *c, stage_state *s, const json_t *outs);

/**
 * Outputs the stage wrote under another name in an earlier onefish (of_pack_stage.renamed).
 * Before the stage is decided: the old names leave its record (an edit to one holds nothing).
 */
void of_pack__forget_renamed(run_ctx *c, stage_state *s);

/**
 * After the stage ran or was cached with the new file in place: an old file as we wrote it
 * is removed, an edited one moved to the new name's *.edited.* name; both leave the manifest.
 */
void of_pack__retire_renamed(run_ctx *c, stage_state *s);

/**
 * A held stage (its first edited source was changed by hand) gets back the photos that
 * source shows and that were deleted from the output folder: each is copied again
 * from the pack input with the bytes the manifest recorded. One that cannot be (the
 * pack's photo changed or is gone) is reported; under --strict that fails.
 * @return 0, or OF_ENOTFOUND (--strict, a photo not restorable), OF_ENOMEM.
 */
int of_pack__restore_held(run_ctx *c, stage_state *s);

/**
 * 1 when `rel`, a file `s` wrote beside its outputs (a photo, not one of its declared
 * outputs), is one its hand-edited sources no longer reference: article.md shows no
 * such image, script.json has no scene with it. An editor who took it out of the text
 * and deleted the file removed it on purpose: it is not missing. 0 when no source was
 * edited, or one cannot be read (then every recorded file counts).
 */
int of_pack__dropped_by_edit(run_ctx *c, stage_state *s, const char *rel);

/**
 * What the stage's hand-edited sources reference as they are now (the images article.md
 * shows, the scene images of script.json), read afresh: an object of relative paths.
 * NULL when none was edited, or one cannot be read (then nothing is known to be dropped).
 * Caller frees with json_decref().
 */
json_t *of_pack__edit_refs(run_ctx *c, const of_pack_stage *d);

/**
 * 1 when `rel`, a file of stage `d` beside its declared outputs and still in the output
 * folder, is one the hand-edited sources no longer reference (`refs`, from
 * of_pack__edit_refs(); NULL: 0): a photo the edited article.md no longer shows. It is
 * kept (the editor may show it again) and manifest.json marks it "unused".
 */
int of_pack__unused_by_edit(run_ctx *c, const of_pack_stage *d, const json_t *refs, const char *rel);

/**
 * Drops from the manifest the files of `s` that are gone and that its hand-edited
 * sources no longer reference (of_pack__dropped_by_edit): neither missing nor stale.
 * They stay in the stage's record, so an article.md put back as onefish wrote it
 * reruns the stage and gets them again.
 */
void of_pack__forget_dropped(run_ctx *c, stage_state *s);

#endif
