/* pack.c — one pack: decide each stage (cached, run, held, blocked), run it in a
 * child into a work folder, install its files without touching human edits,
 * and record everything in manifest.json. */
#include "pack_int.h"
#include "cli.h"
#include "manifest.h"
#include "pack_events.h"
#include "review.h"
#include "signals.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/log.h"
#include "onefish/pack.h"
#include "onefish/version.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* `to` relative to the folder `from` ("../../packs/w48"), both resolved; NULL
 * when either cannot be. Caller frees. */
static char *relative_path(const char *from, const char *to)
{
	char *a = realpath(from, NULL), *b = realpath(to, NULL), *res = NULL;
	if (a && b) {
		size_t i = 0, common = 0;
		/* the longest common prefix that ends at a component boundary */
		while (a[i] && a[i] == b[i]) {
			i++;
			if ((a[i] == '/' || !a[i]) && (b[i] == '/' || !b[i]))
				common = i;
		}
		if (strcmp(a, "/") == 0 || strcmp(b, "/") == 0)
			common = 0;
		of_buf r;
		of_buf_init(&r, strlen(a) * 2 + strlen(b) + 8);
		for (const char *p = a + common; *p; p++)
			if (*p == '/')
				of_buf_puts(&r, of_buf_len(&r) ? "/.." : "..");
		const char *rest = b + common;
		while (*rest == '/')
			rest++;
		if (*rest) {
			if (of_buf_len(&r))
				of_buf_putc(&r, '/');
			of_buf_puts(&r, rest);
		}
		if (!of_buf_len(&r))
			of_buf_putc(&r, '.');
		res = of_buf_detach(&r, NULL);
	}
	free(a);
	free(b);
	return res;
}

/* Removes the ".NAME.tmp-XXXXXX" files of_file_write_atomic() leaves in `dir`
 * when its process is killed outright (kill -9 gives no chance to clean). Only
 * called with the pack's lock held: no live run is writing them. */
static void remove_stale_temps(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] != '.' || !strstr(e->d_name, ".tmp-"))
			continue;
		char *p = of_path_join(dir, e->d_name);
		if (p && of_path_is_file(p))
			unlink(p);
		free(p);
	}
	closedir(d);
}

const char *const of_pack__status_names[] = {"not reached", "cached", "ran", "held", "failed", "blocked",
					     "skipped", "would run"};

int of_pack__file_state(run_ctx *c, const char *rel, char disk_sha[65])
{
	const char *known = json_string_value(json_object_get(c->disk_memo, rel));
	if (known) {
		snprintf(disk_sha, 65, "%s", known);
	} else {
		char *path = of_path_join(c->job->out_dir, rel);
		disk_sha[0] = '\0';
		if (path && of_path_is_file(path) && of_sha256_file(disk_sha, path) < 0) {
			of_error_clear();
			disk_sha[0] = '\0';
		}
		free(path);
		json_object_set_new(c->disk_memo, rel, json_string(disk_sha));
	}
	return (int)of_manifest_classify(c->outputs_obj, c->pending, rel, disk_sha);
}

void of_pack__file_changed(run_ctx *c, const char *rel, const char *sha)
{
	json_object_set_new(c->disk_memo, rel, json_string(sha ? sha : ""));
}

static stage_state *find_state(run_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->st[i].def->name, name) == 0)
			return &c->st[i];
	return NULL;
}

static json_t *stage_record(run_ctx *c, const char *name)
{
	json_t *r = json_object_get(c->stages_obj, name);
	return json_is_object(r) ? r : NULL;
}

/* Why the stage must run, or "" when its cached outputs are good. */
static void why_run(run_ctx *c, stage_state *s, const json_t *prev, const char *settings_text)
{
	const char *pkey = of_json_str(prev, "key");
	const char *pstatus = of_json_str(prev, "status");
	json_t *pins = json_object_get(prev, "inputs");
	json_t *pouts = json_object_get(prev, "outputs");
	char changed[400] = "";
	size_t nch = 0, i;

	s->reason[0] = '\0';
	if (c->opts->force) {
		snprintf(s->reason, sizeof s->reason, "--force");
		return;
	}
	if (!prev || !pkey || !pkey[0]) {
		snprintf(s->reason, sizeof s->reason, "no previous run");
		return;
	}
	if (pstatus && strcmp(pstatus, "failed") == 0 && strcmp(pkey, s->key) == 0) {
		snprintf(s->reason, sizeof s->reason, "last run failed");
		return;
	}
	/* --strict is not in the key (it changes no output), but a cached run that skipped bad
	 * records is not one --strict accepts: run it again, to fail on them */
	json_int_t pbad = json_integer_value(json_object_get(prev, "records_bad")),
		   pskip = json_integer_value(json_object_get(prev, "inputs_skipped"));
	if ((pbad > 0 || pskip > 0) &&
	    ((c->opts->cli && ((const of_cli_args *)c->opts->cli)->strict) || of_config_bool(c->job->cfg, "strict", 0))) {
		snprintf(s->reason, sizeof s->reason, "--strict: the last run skipped %lld bad record%s and %lld input file%s",
			 (long long)pbad, pbad == 1 ? "" : "s", (long long)pskip, pskip == 1 ? "" : "s");
		return;
	}
	if (strcmp(pkey, s->key) != 0) {
		const char *pver = of_json_str(prev, "onefish");
		json_t *pset = json_object_get(prev, "settings");
		char *ptext = pset ? of_json_dump(pset) : NULL;
		if (pver && strcmp(pver, of_version()) != 0)
			snprintf(s->reason, sizeof s->reason, "onefish version changed (%s → %s)", pver, of_version());
		else if (ptext && strcmp(ptext, settings_text) != 0)
			snprintf(s->reason, sizeof s->reason, "settings changed");
		free(ptext);
		if (s->reason[0])
			return;
		/* Name the inputs that changed, appeared or went away. */
		for (i = 0; i < s->n_files; i++) {
			const char *old = NULL;
			size_t j;
			for (j = 0; j < json_array_size(pins); j++) {
				json_t *e = json_array_get(pins, j);
				if (strcmp(of_json_str(e, "path") ? of_json_str(e, "path") : "", s->files[i].label) == 0) {
					old = of_json_str(e, "xxh64");
					break;
				}
			}
			if (!old || strcmp(old, s->files[i].xxh64) != 0) {
				if (nch++ < 3)
					snprintf(changed + strlen(changed), sizeof changed - strlen(changed), "%s%s%s",
						 nch > 1 ? ", " : "", s->files[i].label, old ? "" : " (new)");
			}
		}
		for (i = 0; i < json_array_size(pins); i++) {
			const char *p = of_json_str(json_array_get(pins, i), "path");
			size_t j;
			for (j = 0; p && j < s->n_files; j++)
				if (strcmp(p, s->files[j].label) == 0)
					break;
			if (p && j == s->n_files && nch++ < 3)
				snprintf(changed + strlen(changed), sizeof changed - strlen(changed), "%s%s (no longer an input)",
					 nch > 1 ? ", " : "", p);
		}
		if (nch)
			snprintf(s->reason, sizeof s->reason, "inputs changed: %s%s", changed, nch > 3 ? ", ..." : "");
		else
			snprintf(s->reason, sizeof s->reason, "cache key changed");
		return;
	}
	for (i = 0; i < json_array_size(pouts); i++) {
		const char *rel = json_string_value(json_array_get(pouts, i));
		char sha[65];
		/* a photo the editor took out of the edited article.md (or script.json) and deleted
		 * is gone on purpose: the edit no longer needs it, nothing is to be done */
		if (rel && of_pack__file_state(c, rel, sha) == OF_OUT_MISSING && !of_pack__dropped_by_edit(c, s, rel)) {
			snprintf(s->reason, sizeof s->reason, "output missing: %s", rel);
			return;
		}
	}
	/* An output this version of the stage declares but the cached run never wrote (e.g.
	 * captions.srt, new beside video.mp4) is missing too: rerun rather than leave it out. */
	for (i = 0; s->def->outputs && s->def->outputs[i]; i++) {
		char sha[65];
		if (of_pack__file_state(c, s->def->outputs[i], sha) == OF_OUT_MISSING) {
			snprintf(s->reason, sizeof s->reason, "output missing: %s", s->def->outputs[i]);
			return;
		}
	}
}

/* Outputs of this stage a human changed (or that exist without our record). */
static size_t edited_outputs(run_ctx *c, stage_state *s, const json_t *prev, char *list, size_t n)
{
	json_t *pouts = json_object_get(prev, "outputs");
	size_t count = 0;
	char sha[65];
	list[0] = '\0';
	for (size_t i = 0; i < json_array_size(pouts); i++) {
		const char *rel = json_string_value(json_array_get(pouts, i));
		if (rel && of_pack__file_state(c, rel, sha) ==
				   OF_OUT_EDITED) {
			snprintf(list + strlen(list), n - strlen(list), "%s%s", count ? ", " : "", rel);
			count++;
		}
	}
	for (size_t i = 0; s->def->outputs && s->def->outputs[i]; i++) {
		const char *rel = s->def->outputs[i];
		of_out_state os = (of_out_state)of_pack__file_state(c, rel, sha);
		int recorded = 0;
		for (size_t k = 0; k < json_array_size(pouts); k++)
			recorded |= json_string_value(json_array_get(pouts, k)) &&
				    strcmp(json_string_value(json_array_get(pouts, k)), rel) == 0;
		if (os == OF_OUT_UNKNOWN) {
			snprintf(list + strlen(list), n - strlen(list), "%s%s (not written by onefish run)",
				 count ? ", " : "", rel);
			count++;
		} else if (os == OF_OUT_EDITED && !recorded) {
			/* an output another stage wrote before this one did (timeline.fcpxml, the script
			 * stage's up to 0.2.15) and an editor changed: it holds this stage like its own */
			snprintf(list + strlen(list), n - strlen(list), "%s%s", count ? ", " : "", rel);
			count++;
		}
	}
	return count;
}

/* ---- the manifest ---- */

static int cmp_path(const void *a, const void *b)
{
	return strcmp(of_json_str(*(json_t *const *)a, "path"), of_json_str(*(json_t *const *)b, "path"));
}

static json_t *sorted_array(json_t **items, size_t n)
{
	json_t *a = json_array();
	qsort(items, n, sizeof *items, cmp_path);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, items[i]);
	free(items);
	return a;
}

static int in_list(const char *const *list, const char *rel)
{
	for (size_t i = 0; list && list[i]; i++)
		if (strcmp(list[i], rel) == 0)
			return 1;
	return 0;
}

static int is_edited_source(const of_pack_stage *d, const char *rel)
{
	return in_list(d->edited_sources, rel);
}

static int is_declared_output(const of_pack_stage *d, const char *rel)
{
	return in_list(d->outputs, rel);
}

/* What the files made from a stage's edited sources record as "follows": with one source
 * (article.md) its sha256, with several (script.md, script.json) the sha256 of their
 * "name sha256" lines. Returns 1 when a source was edited by hand, and lists those in
 * `names` (when given). */
static int edit_fingerprint(run_ctx *c, const of_pack_stage *d, char out[65], char *names, size_t n)
{
	char sha[65], lines[1024] = "";
	int edited = 0;
	size_t count = 0;
	out[0] = '\0';
	if (names && n)
		names[0] = '\0';
	for (size_t i = 0; d->edited_sources && d->edited_sources[i]; i++, count++) {
		if (of_pack__file_state(c, d->edited_sources[i], sha) == OF_OUT_EDITED) {
			if (names && n)
				snprintf(names + strlen(names), n - strlen(names), "%s%s", edited ? ", " : "",
					 d->edited_sources[i]);
			edited = 1;
		}
		if (i == 0)
			snprintf(out, 65, "%s", sha);
		snprintf(lines + strlen(lines), sizeof lines - strlen(lines), "%s %s\n", d->edited_sources[i], sha);
	}
	if (count > 1 && of_sha256_hex(out, lines, strlen(lines)) < 0) {
		of_error_clear();
		out[0] = '\0';
	}
	return edited;
}

static const char *output_status(run_ctx *c, const char *rel, const json_t *rec)
{
	char sha[65];
	const char *stage = of_json_str(rec, "stage");
	of_out_state os = of_pack__file_state(c, rel, sha);
	stage_state *s = stage ? find_state(c, stage) : NULL;
	json_t *srec = stage ? stage_record(c, stage) : NULL;
	if (os == OF_OUT_EDITED || os == OF_OUT_UNKNOWN)
		return "edited";
	if (os == OF_OUT_MISSING)
		return "missing";
	/* made from the editor's article.md (script.md, script.json) as it is now: current, even
	 * when the stage is held; one the edit should have remade but did not (the edited file
	 * could not be read) is stale */
	if (s && s->def->edited_sources && !is_edited_source(s->def, rel)) {
		char src[65];
		int edited = edit_fingerprint(c, s->def, src, NULL, 0);
		if (of_json_str(rec, "follows") && strcmp(src, of_json_str(rec, "follows")) == 0)
			return "generated";
		if (edited && is_declared_output(s->def, rel))
			return "stale";
	}
	/* A file its stage no longer writes (say, a photo the script stopped using): kept, but stale. */
	if (srec) {
		json_t *souts = json_object_get(srec, "outputs");
		size_t i;
		for (i = 0; i < json_array_size(souts); i++)
			if (strcmp(json_string_value(json_array_get(souts, i)) ? json_string_value(json_array_get(souts, i)) : "", rel) == 0)
				break;
		if (json_array_size(souts) && i == json_array_size(souts))
			return "stale";
	}
	/* a stage cut off by a signal failed nothing: its files are stale only if its key moved */
	if (s && (s->status == ST_HELD || (s->status == ST_FAILED && s->code != OF_EINTR) || s->status == ST_BLOCKED ||
		  (s->key[0] && srec && of_json_str(srec, "key") && strcmp(of_json_str(srec, "key"), s->key) != 0)))
		return "stale";
	return "generated";
}

static json_t *build_manifest(run_ctx *c)
{
	json_t *m = json_object(), *settings = json_object(), *stages = json_object();
	json_t **ins = calloc(1, sizeof *ins), **outs;
	size_t nin = 0, cap = 1, nout = 0;
	const char *key;
	json_t *val;

	json_object_set_new(m, "onefish", json_string(of_version()));
	json_object_set_new(m, "pack", json_string(c->job->name));
	{
		/* the pack folder as seen from the output folder: the same bytes however the
		 * pack's path was typed or from where onefish ran, and `review` finds the pack's
		 * README from anywhere */
		char *rel = relative_path(c->job->out_dir, c->job->pack_dir);
		json_object_set_new(m, "source", json_string(rel ? rel : c->job->pack_dir));
		free(rel);
	}
	for (size_t i = 0; i < c->n; i++) {
		stage_state *s = &c->st[i];
		for (size_t j = 0; j < s->n_files; j++) {
			const char *l = s->files[j].label;
			size_t k;
			if (strncmp(l, "out:", 4) == 0 || strncmp(l, "asset:", 6) == 0)
				continue; /* the pack's own inputs only: not its outputs, not onefish's files */
			for (k = 0; k < nin; k++)
				if (strcmp(of_json_str(ins[k], "path"), l) == 0)
					break;
			if (k < nin)
				continue;
			if (nin == cap)
				ins = realloc(ins, (cap *= 2) * sizeof *ins);
			ins[nin++] = json_pack("{s:s,s:s,s:I}", "path", l, "sha256", s->files[j].sha256, "bytes",
					       (json_int_t)s->files[j].bytes);
		}
		if (s->settings)
			json_object_set(settings, s->def->name, s->settings);
		json_t *rec = stage_record(c, s->def->name);
		if (rec)
			json_object_set(stages, s->def->name, rec);
	}
	json_object_set_new(m, "inputs", sorted_array(ins, nin));
	json_object_set_new(m, "settings", settings);
	json_object_set_new(m, "stages", stages);
	outs = calloc(json_object_size(c->outputs_obj) + 1, sizeof *outs);
	/* what each stage's hand-edited sources show now (read afresh: a rerun may have replaced them) */
	json_t **refs = calloc(c->n + 1, sizeof *refs);
	for (size_t i = 0; refs && i < c->n; i++)
		refs[i] = c->opts->dry_run || !c->st[i].def->edited_sources ? NULL : of_pack__edit_refs(c, c->st[i].def);
	json_object_foreach(c->outputs_obj, key, val)
	{
		stage_state *s = of_json_str(val, "stage") ? find_state(c, of_json_str(val, "stage")) : NULL;
		outs[nout++] = json_pack("{s:s,s:O,s:O,s:O,s:s}", "path", key, "sha256", json_object_get(val, "sha256"),
					 "bytes", json_object_get(val, "bytes"), "stage", json_object_get(val, "stage"),
					 "status", output_status(c, key, val));
		if (outs[nout - 1] && of_json_str(val, "follows")) /* the sha256 of the edited file it was made from */
			json_object_set(outs[nout - 1], "follows", json_object_get(val, "follows"));
		/* a photo the edited article.md (script.json) no longer shows: kept, but said unused */
		if (outs[nout - 1] && s && refs && of_pack__unused_by_edit(c, s->def, refs[s - c->st], key))
			json_object_set_new(outs[nout - 1], "unused", json_true());
	}
	for (size_t i = 0; refs && i < c->n; i++)
		json_decref(refs[i]);
	free(refs);
	json_object_set_new(m, "outputs", sorted_array(outs, nout));
	return m;
}

static int write_manifest(run_ctx *c, json_t **final)
{
	json_t *m = build_manifest(c);
	char *path = of_path_join(c->job->out_dir, "manifest.json");
	int rc = path && m ? of_manifest_write_if_changed(path, m) : of_error_set_oom();
	free(path);
	if (rc == 0 && c->pending) {
		/* The manifest now knows every installed file: the pending list is done. */
		char *p = of_path_join(c->job->out_dir, ".onefish/pending.json");
		if (p)
			unlink(p);
		free(p);
		json_decref(c->pending);
		c->pending = NULL;
	}
	if (final)
		*final = m;
	else
		json_decref(m);
	return rc;
}

static void write_run_log(run_ctx *c, double seconds)
{
	json_t *log = json_pack("{s:s,s:s,s:o,s:[]}", "pack", c->job->name, "onefish", of_version(), "seconds",
				of_json_seconds(seconds), "stages");
	json_t *arr = json_object_get(log, "stages");
	char *dir = of_path_join(c->job->out_dir, ".onefish"), *path = dir ? of_path_join(dir, "run-log.json") : NULL;
	for (size_t i = 0; i < c->n; i++) {
		stage_state *s = &c->st[i];
		json_t *e = json_pack("{s:s,s:s,s:s,s:o,s:I,s:I,s:I,s:I}", "stage", s->def->name, "status",
				      s->code == OF_EINTR ? "interrupted" : of_pack__status_names[s->status], "reason", s->reason,
				      "seconds", of_json_seconds(s->seconds),
				      "records_read", (json_int_t)s->stats.records_read, "records_used",
				      (json_int_t)s->stats.records_used, "records_bad", (json_int_t)s->stats.records_bad,
				      "warnings", (json_int_t)s->stats.warnings);
		if (s->stats.inputs_skipped) /* only then, so existing run logs keep their shape */
			json_object_set_new(e, "inputs_skipped", json_integer((json_int_t)s->stats.inputs_skipped));
		if (s->error[0])
			json_object_set_new(e, "error", json_string(s->error));
		json_array_append_new(arr, e);
	}
	if (path && of_mkdirs(dir) == 0)
		of_json_write(path, log);
	free(dir);
	free(path);
	json_decref(log);
}

/* ---- one stage ---- */

static int hash_inputs(stage_state *s)
{
	s->files = calloc(s->list.n ? s->list.n : 1, sizeof *s->files);
	if (!s->files)
		return of_error_set_oom();
	for (size_t i = 0; i < s->list.n; i++) {
		int rc = of_cache_hash_file(&s->files[i], s->list.paths[i]);
		if (rc < 0)
			return rc;
		s->files[i].label = s->list.labels[i];
		s->n_files = i + 1;
	}
	return 0;
}

static json_t *inputs_json(stage_state *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->n_files; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:I}", "path", s->files[i].label, "xxh64",
						   s->files[i].xxh64, "bytes", (json_int_t)s->files[i].bytes));
	return a;
}

static void set_record_status(run_ctx *c, stage_state *s, const char *status)
{
	json_t *rec = stage_record(c, s->def->name);
	if (rec)
		json_object_set_new(rec, "status", json_string(status));
}

/* What a failure event says for machines: `status`, `code`, the exit status it means and,
 * when the error names its place, `file`, `line`, `col` (a consumer need not parse `message`). */
static json_t *error_fields(const of_error *e, const char *status, int rc)
{
	json_t *o = json_pack("{s:s,s:i,s:i}", "status", status, "code", rc, "exit", of_cli_exit_code(rc));
	if (o && e->path[0])
		json_object_set_new(o, "file", json_string(e->path));
	if (o && e->path[0] && e->line)
		json_object_set_new(o, "line", json_integer((json_int_t)e->line));
	if (o && e->path[0] && e->line && e->col)
		json_object_set_new(o, "col", json_integer((json_int_t)e->col));
	return o;
}

static void fail_stage(run_ctx *c, stage_state *s, int rc)
{
	s->status = ST_FAILED;
	s->code = rc;
	s->err = *of_error_last();
	if (!s->error[0])
		of_error_format(of_error_last(), s->error, sizeof s->error);
	set_record_status(c, s, "failed");
	if (!stage_record(c, s->def->name))
		json_object_set_new(c->stages_obj, s->def->name,
				    json_pack("{s:s,s:s,s:[],s:[]}", "key", "", "status", "failed", "inputs", "outputs"));
	of_pack_event("stage_failed", c->job->name, s->def->name, error_fields(&s->err, "failed", rc), 2, "failed: %s",
		      s->error);
}

/* An output editors change by hand (article.md) was changed: the stage's other
 * outputs are made anew from it, so the WeChat HTML and the lint the review page
 * shows are the editor's text, not the draft's. Quiet when they already follow
 * this very edit. A file made from it that was itself edited is kept (install). */
static void follow_edit(run_ctx *c, stage_state *s)
{
	const of_pack_stage *d = s->def;
	char src[65], sha[65], *path, edited[256];
	size_t warnings = 0, changed = 0;
	json_t *outs = NULL;
	int rc, current = 1;
	if (!d->follow_edit || c->opts->dry_run ||
	    !(s->status == ST_CACHED || s->status == ST_RAN || s->status == ST_HELD) ||
	    !edit_fingerprint(c, d, src, edited, sizeof edited))
		return;
	for (size_t i = 0; d->outputs[i]; i++) {
		json_t *rec = json_object_get(c->outputs_obj, d->outputs[i]);
		if (!is_edited_source(d, d->outputs[i]) &&
		    (of_pack__file_state(c, d->outputs[i], sha) != OF_OUT_GENERATED || !of_json_str(rec, "follows") ||
		     strcmp(of_json_str(rec, "follows"), src) != 0))
			current = 0;
	}
	if (current)
		return;
	of_pack__rmtree(c->work_dir);
	if ((rc = of_mkdirs(c->work_dir)) < 0 || (rc = d->follow_edit(c->job, c->work_dir, &warnings)) < 0) {
		char msg[1200];
		of_error_format(of_error_last(), msg, sizeof msg);
		of_pack_event("edit_not_followed", c->job->name, d->name, json_pack("{s:s,s:s}", "file", edited,
										"error", msg), 1,
			      "%s was edited by hand but cannot be read (%s): the files made from it are the draft's (stale)",
			      edited, msg);
		of_pack__rmtree(c->work_dir);
		return;
	}
	/* what is already installed with the same bytes stays as it is */
	for (size_t i = 0; d->outputs[i]; i++) {
		char disk[65];
		if (!(path = of_path_join(c->work_dir, d->outputs[i])) || !of_path_is_file(path) ||
		    of_sha256_file(sha, path) < 0) {
			free(path);
			continue;
		}
		of_out_state os = (of_out_state)of_pack__file_state(c, d->outputs[i], disk);
		if (os == OF_OUT_GENERATED && strcmp(disk, sha) == 0)
			unlink(path);
		else if (os != OF_OUT_EDITED && os != OF_OUT_UNKNOWN) /* an edited one is kept by install: not rewritten */
			changed++;
		free(path);
	}
	if ((rc = of_pack__install(c, s, &outs)) < 0) {
		char msg[1200];
		of_error_format(of_error_last(), msg, sizeof msg);
		of_pack_event("edit_not_followed", c->job->name, d->name, json_pack("{s:s}", "error", msg), 1, "%s", msg);
	}
	json_decref(outs);
	of_pack__rmtree(c->work_dir);
	for (size_t i = 0; rc == 0 && d->outputs[i]; i++) {
		json_t *rec = json_object_get(c->outputs_obj, d->outputs[i]);
		if (!is_edited_source(d, d->outputs[i]) && json_is_object(rec) &&
		    of_pack__file_state(c, d->outputs[i], sha) == OF_OUT_GENERATED)
			json_object_set_new(rec, "follows", json_string(src));
	}
	if (rc == 0)
		of_pack_event("edit_followed", c->job->name, d->name,
			      json_pack("{s:s,s:I,s:I}", "file", edited, "files_written", (json_int_t)changed,
					"lint_warnings", (json_int_t)warnings),
			      warnings > 0, "%s was edited by hand: the files made from it follow it (%zu rewritten, %zu %s%s)",
			      edited, changed, warnings, strcmp(d->name, "article") == 0 ? "copy-lint warning" : "warning",
			      warnings == 1 ? "" : "s");
}

static void do_stage(run_ctx *c, stage_state *s)
{
	stage_state *up = s->def->after ? find_state(c, s->def->after) : NULL;
	json_t *prev;
	char *settings_text = NULL;
	char edited[1024];
	int rc;

	if (up && (up->status == ST_FAILED || up->status == ST_BLOCKED || up->status == ST_SKIPPED)) {
		s->status = ST_BLOCKED;
		snprintf(s->reason, sizeof s->reason, "%s did not complete", up->def->name);
		set_record_status(c, s, "blocked");
		of_pack_event("stage_skipped", c->job->name, s->def->name,
			      json_pack("{s:s,s:s}", "status", "blocked", "reason", s->reason), 1, "not run: %s",
			      s->reason);
		return;
	}
	if (up && up->status == ST_PLANNED) {
		s->status = ST_PLANNED;
		snprintf(s->reason, sizeof s->reason, "after %s reruns, unless its outputs come out the same", up->def->name);
		of_pack_event("would_run", c->job->name, s->def->name, json_pack("{s:s}", "reason", s->reason), 0,
			      "would run: %s", s->reason);
		return;
	}
	rc = s->def->inputs(c->job, &s->list);
	if (rc != 0) {
		char msg[1200];
		of_error_format(of_error_last(), msg, sizeof msg);
		s->status = rc > 0 ? ST_SKIPPED : ST_BLOCKED;
		if (rc < 0 && up == NULL) {
			/* A pack input is missing or unusable: bad input. */
			snprintf(s->error, sizeof s->error, "%s", msg);
			fail_stage(c, s, rc);
			return;
		}
		snprintf(s->reason, sizeof s->reason, "%.590s", msg);
		of_pack_event("stage_skipped", c->job->name, s->def->name,
			      json_pack("{s:s,s:s}", "status", of_pack__status_names[s->status], "reason", s->reason), rc < 0,
			      "not run: %s", s->reason);
		return;
	}
	if ((rc = hash_inputs(s)) < 0) {
		fail_stage(c, s, rc);
		return;
	}
	s->settings = s->def->settings(c->job);
	settings_text = s->settings ? of_json_dump(s->settings) : strdup("{}");
	if (!settings_text) {
		fail_stage(c, s, of_error_set_oom());
		return;
	}
	of_cache_key(s->key, of_version(), settings_text, s->files, s->n_files);
	prev = stage_record(c, s->def->name);
	why_run(c, s, prev, settings_text);
	free(settings_text);
	if (!s->reason[0]) {
		s->status = ST_CACHED;
		/* its record says how the outputs it keeps were made: ok, whatever a run in
		 * between said (blocked by a failed article, failed under --strict) */
		set_record_status(c, s, "ok");
		snprintf(s->reason, sizeof s->reason, "cached: inputs, settings and version unchanged");
		of_pack_event("stage_skipped", c->job->name, s->def->name,
			      json_pack("{s:s,s:s,s:s}", "status", "cached", "reason", s->reason, "key", s->key), 0,
			      "%s", s->reason);
		of_pack__forget_dropped(c, s);
		return;
	}
	if (edited_outputs(c, s, prev, edited, sizeof edited) && !c->opts->force) {
		s->status = ST_HELD;
		set_record_status(c, s, "held");
		of_pack_event("stage_held", c->job->name, s->def->name,
			      json_pack("{s:s,s:s,s:s}", "status", "held", "reason", s->reason, "edited", edited), 1,
			      "not regenerated (%s): kept the hand-edited %s, which later stages use; "
			      "--force regenerates and keeps the edit as *.edited.*",
			      s->reason, edited);
		if ((rc = of_pack__restore_held(c, s)) < 0) /* its photos, deleted by hand */
			fail_stage(c, s, rc);
		else
			of_pack__forget_dropped(c, s);
		return;
	}
	if (c->opts->dry_run) {
		s->status = ST_PLANNED;
		of_pack_event("would_run", c->job->name, s->def->name, json_pack("{s:s}", "reason", s->reason), 0,
			      "would run: %s", s->reason);
		return;
	}
	/* Run into a fresh work folder beside out_dir (same depth: relative paths stay valid). */
	of_pack__rmtree(c->work_dir);
	if ((rc = of_mkdirs(c->work_dir)) < 0) {
		fail_stage(c, s, rc);
		return;
	}
	of_pack_event("stage_start", c->job->name, s->def->name, json_pack("{s:s}", "reason", s->reason), 0,
		      "running: %s", s->reason);
	double t0 = of_log_now();
	int installed = 0;
	rc = of_pack__run_stage(c, s);
	s->seconds = of_log_now() - t0;
	if (rc == 0 && !of_signals_caught()) {
		json_t *outs = NULL;
		rc = of_pack__install(c, s, &outs);
		if (rc == 0) {
			installed = 1; /* done: a signal from now on interrupts only what follows */
			of_pack__remove_unwritten(c, s, outs); /* what earlier runs wrote and this one did not */
			json_t *rec = json_pack("{s:s,s:s,s:s,s:O,s:o,s:o}", "key", s->key, "status", "ok", "onefish",
						of_version(), "settings", s->settings ? s->settings : json_object(),
						"inputs", inputs_json(s), "outputs", outs);
			/* what --strict must know of a cached run (why_run); absent when 0, as before */
			if (rec && s->stats.records_bad)
				json_object_set_new(rec, "records_bad", json_integer((json_int_t)s->stats.records_bad));
			if (rec && s->stats.inputs_skipped)
				json_object_set_new(rec, "inputs_skipped", json_integer((json_int_t)s->stats.inputs_skipped));
			json_object_set_new(c->stages_obj, s->def->name, rec);
		}
	}
	of_pack__rmtree(c->work_dir);
	if (of_signals_caught() && !installed) {
		/* Its stage_start gets its closing event; of_pack_run records what finished. */
		s->status = ST_FAILED;
		s->code = OF_EINTR;
		snprintf(s->error, sizeof s->error, "interrupted by signal %d", of_signals_caught());
		json_t *f = json_pack("{s:s,s:i,s:i,s:i,s:o}", "status", "interrupted", "code", OF_EINTR, "exit",
				      of_cli_exit_code(OF_EINTR), "signal", of_signals_caught(), "seconds",
				      of_json_seconds(s->seconds));
		of_pack_event("stage_failed", c->job->name, s->def->name, f, 2, "interrupted by signal %d after %.2fs",
			      of_signals_caught(), s->seconds);
		return;
	}
	if (rc < 0) {
		fail_stage(c, s, rc);
	} else {
		s->status = ST_RAN;
		of_pack_event("stage_end", c->job->name, s->def->name,
			      json_pack("{s:o,s:i,s:I,s:I}", "seconds", of_json_seconds(s->seconds), "code", 0, "records_bad",
					(json_int_t)s->stats.records_bad, "warnings", (json_int_t)s->stats.warnings),
			      0, "done in %.2fs", s->seconds);
	}
	if (write_manifest(c, NULL) < 0)
		of_log(OF_LOG_WARN, "%s: cannot write manifest.json: %s", c->job->name, of_error_last()->message);
}

/* ---- the pack ---- */

int of_pack_run(const of_pack_job *job, const of_pack_options *opts, of_pack_result *res)
{
	const of_pack_stage *const *defs = opts->stages ? opts->stages : of_pack_stages;
	run_ctx c;
	json_t *prev = NULL, *final = NULL;
	size_t nstages = 0;
	int rc = 0, lock_fd = -1;
	double t0 = of_log_now();

	memset(&c, 0, sizeof c);
	memset(res, 0, sizeof *res);
	snprintf(res->name, sizeof res->name, "%s", job->name);
	while (defs[nstages])
		nstages++;
	c.job = job;
	c.opts = opts;
	c.n = nstages;
	c.st = calloc(nstages ? nstages : 1, sizeof *c.st);
	{
		char *parent = of_path_dirname(job->out_dir);
		size_t len = strlen(parent ? parent : ".") + strlen(job->name) + 16;
		c.work_dir = malloc(len);
		if (c.work_dir)
			snprintf(c.work_dir, len, "%s/.%s.work", parent ? parent : ".", job->name);
		free(parent);
	}
	if (!c.st || !c.work_dir) {
		free(c.st);
		free(c.work_dir);
		return of_error_set_oom();
	}
	for (size_t i = 0; i < nstages; i++)
		c.st[i].def = defs[i];
	prev = of_manifest_load(job->out_dir);
	c.pending = of_manifest_load_pending(job->out_dir);
	c.stages_obj = json_object_get(prev, "stages") ? json_deep_copy(json_object_get(prev, "stages")) : json_object();
	c.outputs_obj = json_object();
	c.disk_memo = json_object();
	/* Outputs are an array in the file, a path-keyed object while we work. */
	for (size_t i = 0; prev && i < json_array_size(json_object_get(prev, "outputs")); i++) {
		json_t *e = json_array_get(json_object_get(prev, "outputs"), i);
		const char *p = of_json_str(e, "path");
		if (p && of_json_str(e, "sha256")) {
			json_t *r = json_pack("{s:O,s:O,s:O}", "sha256", json_object_get(e, "sha256"), "bytes",
					      json_object_get(e, "bytes"), "stage", json_object_get(e, "stage"));
			if (r && of_json_str(e, "follows"))
				json_object_set(r, "follows", json_object_get(e, "follows"));
			json_object_set_new(c.outputs_obj, p, r);
		}
	}
	if (!c.stages_obj || !json_is_object(c.stages_obj)) {
		json_decref(c.stages_obj);
		c.stages_obj = json_object();
	}
	of_pack_event("pack_start", job->name, NULL,
		      json_pack("{s:s,s:s,s:b}", "dir", job->pack_dir, "out", job->out_dir, "dry_run", opts->dry_run), 0,
		      "%s %s → %s", opts->dry_run ? "planning" : "running", job->pack_dir, job->out_dir);
	if (!opts->dry_run) {
		char *lockp = of_path_join(job->out_dir, ".onefish/lock"), *lockd = of_path_join(job->out_dir, ".onefish");
		if (!lockp || !lockd || (rc = of_mkdirs(lockd)) < 0) {
			rc = rc < 0 ? rc : of_error_set_oom();
			free(lockp);
			free(lockd);
			goto done;
		}
		/* Two runs on one pack at once would race on the same files: the second one stops. */
		lock_fd = open(lockp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (lock_fd < 0 || flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
			rc = of_error_set_at(OF_ERROR, lockp, 0, 0, "another onefish run is working on this pack");
			free(lockp);
			free(lockd);
			goto done;
		}
		free(lockp);
		free(lockd);
		/* A work folder, or a temporary file, left by a killed run holds nothing we need. */
		of_pack__rmtree(c.work_dir);
		remove_stale_temps(job->out_dir);
		char *meta = of_path_join(job->out_dir, ".onefish");
		if (meta)
			remove_stale_temps(meta);
		free(meta);
	}
	for (size_t i = 0; i < nstages && !of_signals_caught(); i++) {
		of_pack__forget_renamed(&c, &c.st[i]);
		do_stage(&c, &c.st[i]);
		follow_edit(&c, &c.st[i]);
		of_pack__retire_renamed(&c, &c.st[i]);
	}

	if (of_signals_caught())
		of_pack__rmtree(c.work_dir);
	/* Interrupted too: the manifest, the review page and the run log say what finished
	 * (the stage that was cut off keeps its last record; the next run resumes there). */
	if (!opts->dry_run) {
		if ((rc = write_manifest(&c, &final)) < 0 && !of_signals_caught())
			goto done;
		if (rc == 0 && of_review_write(job->out_dir, final) < 0)
			of_pack_event("review_failed", job->name, NULL, NULL, 1, "index.html not written: %s",
				      of_error_last()->message);
		write_run_log(&c, of_log_now() - t0);
	}
	if (of_signals_caught())
		rc = of_error_set(OF_EINTR, "interrupted by signal %d", of_signals_caught());
done:
	for (size_t i = 0; i < nstages; i++) {
		stage_state *s = &c.st[i];
		char part[128];
		switch (s->status) {
		case ST_RAN: res->ran++; break;
		case ST_CACHED: res->cached++; break;
		case ST_HELD: res->held++; break;
		case ST_FAILED: res->failed += s->code != OF_EINTR; break; /* cut off: not a failure of its own */
		case ST_BLOCKED: res->blocked++; break;
		default: break;
		}
		if (s->status == ST_FAILED && rc == 0) {
			rc = s->code ? s->code : OF_ERROR;
			if (s->err.code)
				of_error_set_at(rc, s->err.path[0] ? s->err.path : NULL, s->err.line, s->err.col, "%s",
						s->err.message);
			else
				of_error_set(rc, "%s", s->error);
		}
		snprintf(part, sizeof part, "%s%s %s", i ? ", " : "", s->def->name,
			 s->code == OF_EINTR ? "interrupted" : of_pack__status_names[s->status]);
		snprintf(res->summary + strlen(res->summary), sizeof res->summary - strlen(res->summary), "%s", part);
		json_decref(s->settings);
		json_decref(s->edit_refs);
		of_pack_files_clear(&s->list);
		free(s->files);
	}
	res->code = rc;
	{
		double secs = of_log_now() - t0;
		char why[1200] = "";
		/* failed before any stage (the lock, the output folder): the stages' list says only "not reached" */
		if (rc && rc != OF_EINTR && !res->failed && of_error_last()->code) {
			char msg[1100];
			snprintf(why, sizeof why, "%s; ", of_error_format(of_error_last(), msg, sizeof msg));
		}
		of_pack_event("pack_end", job->name, NULL,
			      json_pack("{s:s,s:i,s:i,s:i,s:i,s:i,s:i,s:o}", "status",
					rc == OF_EINTR ? "interrupted" : rc ? "failed" : "ok", "code", rc,
					"exit", rc ? of_cli_exit_code(rc) : 0, "ran", res->ran, "cached", res->cached, "held", res->held, "failed", res->failed,
					"seconds", of_json_seconds(secs)),
			      rc ? 2 : 0, "%s: %s%s (%.2fs)", rc == OF_EINTR ? "INTERRUPTED" : rc ? "FAILED" : "ok", why, res->summary, secs);
	}
	if (lock_fd >= 0)
		close(lock_fd); /* releases the flock */
	json_decref(final);
	json_decref(prev);
	json_decref(c.pending);
	json_decref(c.stages_obj);
	json_decref(c.outputs_obj);
	json_decref(c.disk_memo);
	free(c.st);
	free(c.work_dir);
	return rc;
}

unsigned of_pack_shard(const char *name, unsigned n)
{
	return n ? (unsigned)(of_xxh64(name, strlen(name), 0) % n) : 0;
}
