/* pack_exec.c — running one stage in a child process and installing its files
 * into the pack's folder without ever overwriting a human edit; outputs renamed
 * since an earlier version. */
#include "manifest.h"
#include "pack_events.h"
#include "pack_int.h"
#include "signals.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/segment.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void of_pack__rmtree(const char *path)
{
	if (of_path_is_dir(path))
		nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- running a stage in a child ---- */

typedef struct stage_msg {
	int rc;
	of_stage_stats stats;
	of_error err;
} stage_msg;

int of_pack__run_stage(run_ctx *c, stage_state *s)
{
	stage_msg msg;
	int fds[2], status = 0;
	pid_t pid;
	ssize_t got = 0;

	memset(&msg, 0, sizeof msg);
	if (c->opts->no_fork) {
		of_error_clear();
		size_t warn0 = of_log_warning_count();
		int rc = s->def->run(c->job, c->work_dir, &s->stats);
		s->stats.warnings = of_log_warning_count() - warn0; /* as printed: see log.h */
		if (rc < 0)
			of_error_format(of_error_last(), s->error, sizeof s->error);
		return rc < 0 ? rc : 0;
	}
	/* friso's dictionary is loaded here, once, so that the children forked for
	 * stages that segment inherit it instead of loading it each (about 0.1 s a
	 * child). A failure is the child's to report. */
	if (s->def->segments) {
		const of_segmenter *seg;
		if (of_segmenter_shared(&seg) != 0)
			of_error_clear();
	}
	if (pipe(fds) != 0)
		return of_error_set(OF_ERROR, "pipe: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return of_error_set(OF_ERROR, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		of_signals_after_fork(1);
		/* outputs name inputs relative to the pack, however its path was typed */
		of_path_set_display_root(c->job->pack_dir);
		of_pack_events_work_dir(c->work_dir, c->job->out_dir, s->def->name);
		close(fds[0]);
		of_error_clear();
		size_t warn0 = of_log_warning_count();
		msg.rc = s->def->run(c->job, c->work_dir, &msg.stats);
		msg.stats.warnings = of_log_warning_count() - warn0; /* as printed: see log.h */
		if (msg.rc > 0)
			msg.rc = 0;
		msg.err = *of_error_last();
		if (msg.rc < 0 && msg.err.code == 0)
			msg.err.code = msg.rc;
		{
			/* An error about a file being written names the work folder: name the pack folder. */
			size_t w = strlen(c->work_dir);
			if (strncmp(msg.err.path, c->work_dir, w) == 0 && msg.err.path[w] == '/') {
				char fixed[sizeof msg.err.path];
				snprintf(fixed, sizeof fixed, "%s%s", c->job->out_dir, msg.err.path + w);
				memcpy(msg.err.path, fixed, sizeof fixed);
			}
			/* ... and so does a message that quotes the file (libav's "PATH: No space left") */
			char *at = strstr(msg.err.message, c->work_dir);
			if (at && at[w] == '/') {
				char fixed[sizeof msg.err.message];
				snprintf(fixed, sizeof fixed, "%.*s%s%s", (int)(at - msg.err.message), msg.err.message,
					 c->job->out_dir, at + w);
				memcpy(msg.err.message, fixed, sizeof fixed);
			}
		}
		for (size_t off = 0; off < sizeof msg;) {
			ssize_t w = write(fds[1], (char *)&msg + off, sizeof msg - off);
			if (w <= 0)
				break;
			off += (size_t)w;
		}
		of_pack_events_child_done();
		fflush(stdout);
		fflush(stderr);
		_exit(0);
	}
	close(fds[1]);
	of_signals_add_child(pid);
	if (of_signals_caught())
		kill(pid, of_signals_caught());
	while ((size_t)got < sizeof msg) {
		ssize_t r = read(fds[0], (char *)&msg + got, sizeof msg - (size_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += r;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	of_signals_remove_child(pid);
	if (of_signals_caught())
		return of_error_set(OF_EINTR, "interrupted by signal %d", of_signals_caught());
	if ((size_t)got != sizeof msg || !WIFEXITED(status)) {
		snprintf(s->error, sizeof s->error, "stage %s crashed (%s %d)", s->def->name,
			 WIFSIGNALED(status) ? "signal" : "exit", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		return of_error_set(OF_ERROR, "%s", s->error);
	}
	s->stats = msg.stats;
	if (msg.rc < 0) {
		of_error_format(&msg.err, s->error, sizeof s->error);
		of_error_set_at(msg.err.code, msg.err.path[0] ? msg.err.path : NULL, msg.err.line, msg.err.col,
				"%s", msg.err.message);
		return msg.rc;
	}
	return 0;
}

/* ---- installing outputs ---- */

static int move_edit_aside(run_ctx *c, const char *rel, const char *disk_sha)
{
	char *src = of_path_join(c->job->out_dir, rel);
	int rc = OF_ERROR;
	for (int n = 1; n < 1000 && src; n++) {
		char *name = of_manifest_edited_name(rel, n), *dst = name ? of_path_join(c->job->out_dir, name) : NULL;
		char sha[65];
		if (!dst) {
			free(name);
			break;
		}
		if (of_path_is_file(dst) && of_sha256_file(sha, dst) == 0 && strcmp(sha, disk_sha) == 0) {
			/* This very edit is already kept under that name. */
			of_pack_event("edit_kept", c->job->name, NULL, NULL, 1,
				      "%s was edited by hand: already kept as %s; regenerated %s", rel, name, rel);
			rc = 0;
		} else if (!of_path_is_file(dst)) {
			if (rename(src, dst) == 0) {
				of_pack__file_changed(c, rel, NULL);
				of_pack_event("edit_kept", c->job->name, NULL, json_pack("{s:s,s:s}", "file", rel, "kept_as", name), 1,
					      "%s was edited by hand: kept as %s; regenerated %s (--force)", rel, name, rel);
				rc = 0;
			} else {
				rc = of_error_set_at(OF_ERROR, src, 0, 0, "cannot keep edit: %s", strerror(errno));
			}
		} else {
			free(name);
			free(dst);
			continue;
		}
		free(name);
		free(dst);
		break;
	}
	free(src);
	return rc;
}

static int write_pending(run_ctx *c, of_pack_files *f, char (*shas)[65])
{
	json_t *p = json_object();
	char *dir = of_path_join(c->job->out_dir, ".onefish"), *path = NULL;
	int rc = OF_ENOMEM;
	if (!p || !dir)
		goto done;
	for (size_t i = 0; i < f->n; i++)
		json_object_set_new(p, f->labels[i], json_string(shas[i]));
	if ((rc = of_mkdirs(dir)) < 0)
		goto done;
	path = of_path_join(dir, "pending.json");
	rc = path ? of_json_write(path, p) : OF_ENOMEM;
	json_decref(c->pending);
	c->pending = p;
	p = NULL;
done:
	json_decref(p);
	free(dir);
	free(path);
	return rc;
}

/* A file another stage wrote before and `s` writes now (timeline.fcpxml: the script stage's up
 * to 0.2.15, the video stage's since) is `s`'s alone: it leaves the other stages' records, so
 * an edit to it holds only `s` and their reruns neither miss it nor remove it. */
static void forget_elsewhere(run_ctx *c, const stage_state *s, const char *rel)
{
	const char *name;
	json_t *rec;
	json_object_foreach(c->stages_obj, name, rec) {
		json_t *outs = json_object_get(rec, "outputs");
		if (strcmp(name, s->def->name) == 0)
			continue;
		for (size_t i = json_array_size(outs); i-- > 0;)
			if (json_string_value(json_array_get(outs, i)) &&
			    strcmp(json_string_value(json_array_get(outs, i)), rel) == 0)
				json_array_remove(outs, i);
	}
}

int of_pack__install(run_ctx *c, stage_state *s, json_t **outputs_out)
{
	of_pack_files f = {0};
	char(*shas)[65] = NULL;
	json_t *outs = json_array();
	int rc;

	if (!outs)
		return of_error_set_oom();
	if ((rc = of_cache_add_dir(&f, c->work_dir, "")) < 0)
		goto done;
	shas = calloc(f.n ? f.n : 1, sizeof *shas);
	if (!shas) {
		rc = of_error_set_oom();
		goto done;
	}
	for (size_t i = 0; i < f.n; i++)
		if ((rc = of_sha256_file(shas[i], f.paths[i])) < 0)
			goto done;
	if ((rc = write_pending(c, &f, shas)) < 0)
		goto done;
	for (size_t i = 0; i < f.n; i++) {
		const char *rel = f.labels[i];
		char *dst = of_path_join(c->job->out_dir, rel), *dir = dst ? of_path_dirname(dst) : NULL;
		char disk[65];
		struct stat sb;
		of_out_state os = (of_out_state)of_pack__file_state(c, rel, disk);
		if (!dst || !dir || (rc = of_mkdirs(dir)) < 0) {
			rc = rc < 0 ? rc : of_error_set_oom();
			free(dst);
			free(dir);
			goto done;
		}
		free(dir);
		if (os == OF_OUT_EDITED || os == OF_OUT_UNKNOWN) {
			if (strcmp(disk, shas[i]) == 0) {
				/* Same bytes as we would write: nothing to keep apart. */
			} else if (c->opts->force) {
				if ((rc = move_edit_aside(c, rel, disk)) < 0) {
					free(dst);
					goto done;
				}
			} else {
				of_pack_event("edit_kept", c->job->name, s->def->name, json_pack("{s:s}", "file", rel), 1,
					      "%s was changed by hand: kept; the regenerated version was not installed", rel);
				unlink(f.paths[i]);
				free(dst);
				continue;
			}
		}
		if (stat(dst, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			rc = of_error_set_at(OF_ERROR, dst, 0, 0, "is a folder; cannot install %s", rel);
			free(dst);
			goto done;
		}
		if (rename(f.paths[i], dst) != 0) {
			rc = of_error_set_at(OF_ERROR, dst, 0, 0, "cannot install: %s", strerror(errno));
			free(dst);
			goto done;
		}
		free(dst);
		of_pack__file_changed(c, rel, shas[i]);
		json_t *e = json_pack("{s:s,s:I,s:s}", "sha256", shas[i], "bytes", (json_int_t)0, "stage", s->def->name);
		struct stat st2;
		char *p = of_path_join(c->job->out_dir, rel);
		if (p && stat(p, &st2) == 0)
			json_object_set_new(e, "bytes", json_integer((json_int_t)st2.st_size));
		free(p);
		json_object_set_new(c->outputs_obj, rel, e);
		json_array_append_new(outs, json_string(rel));
		forget_elsewhere(c, s, rel);
	}
	*outputs_out = outs;
	outs = NULL;
	rc = 0;
done:
	json_decref(outs);
	free(shas);
	of_pack_files_clear(&f);
	return rc;
}

/* ---- files a stage no longer writes ---- */

static int listed(const json_t *arr, const char *rel)
{
	for (size_t i = 0; i < json_array_size(arr); i++)
		if (json_string_value(json_array_get(arr, i)) && strcmp(json_string_value(json_array_get(arr, i)), rel) == 0)
			return 1;
	return 0;
}

static int in_names(const char *const *list, const char *rel)
{
	for (size_t i = 0; list && list[i]; i++)
		if (strcmp(list[i], rel) == 0)
			return 1;
	return 0;
}

/* 1 when a copy of one of the stage's edited sources that --force kept aside
 * (script.edited.json, article.edited-2.md) names `rel`: that edit still shows it. */
static int kept_edit_names(run_ctx *c, const of_pack_stage *d, const char *rel)
{
	DIR *dir;
	struct dirent *e;
	int found = 0;
	if (!d->edited_sources || !(dir = opendir(c->job->out_dir)))
		return 0;
	while (!found && (e = readdir(dir)) != NULL) {
		for (size_t i = 0; !found && d->edited_sources[i]; i++) {
			/* of_manifest_edited_name(src, n): STEM.edited[-N].EXT */
			const char *src = d->edited_sources[i], *dot = strrchr(src, '.');
			size_t stem = dot ? (size_t)(dot - src) : strlen(src), n = strlen(e->d_name), ext = strlen(src) - stem;
			char *path, *text = NULL;
			size_t len = 0;
			if (n < stem + 7 + ext || strncmp(e->d_name, src, stem) != 0 ||
			    strncmp(e->d_name + stem, ".edited", 7) != 0 || strcmp(e->d_name + n - ext, src + stem) != 0)
				continue;
			if ((path = of_path_join(c->job->out_dir, e->d_name)) != NULL &&
			    of_file_read(&text, &len, path, OF_MAX_PACK_META_BYTES) == 0)
				found = strstr(text, rel) != NULL;
			else
				found = 1; /* cannot tell: keep the file */
			of_error_clear();
			free(text);
			free(path);
		}
	}
	closedir(dir);
	return found;
}

void of_pack__remove_unwritten(run_ctx *c, stage_state *s, const json_t *outs)
{
	const of_pack_stage *d = s->def;
	const char *rel;
	json_t *rec;
	void *tmp;
	json_object_foreach_safe(c->outputs_obj, tmp, rel, rec) {
		const char *stage = of_json_str(rec, "stage");
		char disk[65], *path;
		of_out_state os;
		int renamed = 0;
		for (size_t k = 0; d->renamed && d->renamed[k] && d->renamed[k + 1]; k += 2)
			renamed |= strcmp(d->renamed[k], rel) == 0; /* of_pack__retire_renamed's */
		int declared = 0; /* by any stage: its to write (timeline.fcpxml moved to the video stage) */
		for (size_t k = 0; k < c->n && !declared; k++)
			declared = in_names(c->st[k].def->outputs, rel);
		if (!stage || strcmp(stage, d->name) != 0 || renamed || declared || listed(outs, rel) ||
		    in_names(d->edited_sources, rel))
			continue;
		os = (of_out_state)of_pack__file_state(c, rel, disk);
		if (os == OF_OUT_MISSING) {
			json_object_del(c->outputs_obj, rel); /* gone already, and no longer the stage's */
			continue;
		}
		/* a manifest is a file in the output folder: a name in it that leaves the folder (.., an
		 * absolute path, a symlinked folder such as images/ linked to a shared photo folder) is
		 * never removed, whatever its bytes */
		if (os != OF_OUT_GENERATED || !of_path_is_own_file(c->job->out_dir, rel) || kept_edit_names(c, d, rel) ||
		    !(path = of_path_join(c->job->out_dir, rel)))
			continue; /* an editor's, or an edit kept aside shows it: kept */
		if (unlink(path) == 0) {
			of_pack__file_changed(c, rel, NULL);
			of_pack_event("output_removed", c->job->name, d->name, json_pack("{s:s}", "file", rel), 0,
				      "%s is no longer written (not edited): removed", rel);
			json_object_del(c->outputs_obj, rel); /* last: `rel` is its key */
		}
		free(path);
	}
}

/* ---- outputs renamed since an earlier onefish ---- */

/* Before the stage is decided: the old names leave its record, so an edit to one
 * holds nothing (the stage no longer writes it). Their manifest entries stay until
 * of_pack__retire_renamed() has dealt with the files. */
void of_pack__forget_renamed(run_ctx *c, stage_state *s)
{
	json_t *outs = json_object_get(json_object_get(c->stages_obj, s->def->name), "outputs");
	for (size_t k = 0; s->def->renamed && s->def->renamed[k] && s->def->renamed[k + 1]; k += 2)
		for (size_t i = json_array_size(outs); i-- > 0;) {
			const char *rel = json_string_value(json_array_get(outs, i));
			if (rel && strcmp(rel, s->def->renamed[k]) == 0)
				json_array_remove(outs, i);
		}
}

/* Once the stage's file under the new name is in place: our old file, unedited, is
 * removed; an edited one is moved to the new name's *.edited.* name (the old name
 * is why it was renamed: video.srt beside video.mp4 is loaded by players over the
 * burned-in captions). A file of that name the manifest never recorded is not ours:
 * left alone. */
void of_pack__retire_renamed(run_ctx *c, stage_state *s)
{
	const char *const *r = s->def->renamed;
	if (!r || c->opts->dry_run || !(s->status == ST_RAN || s->status == ST_CACHED))
		return;
	for (size_t k = 0; r[k] && r[k + 1]; k += 2) {
		const char *old = r[k], *now = r[k + 1];
		char sha[65], disk[65], *path;
		of_out_state os;
		if (of_pack__file_state(c, now, sha) != OF_OUT_GENERATED || !json_object_get(c->outputs_obj, old))
			continue;
		os = (of_out_state)of_pack__file_state(c, old, disk);
		if (!(path = of_path_join(c->job->out_dir, old)))
			continue;
		if (os == OF_OUT_MISSING) {
			json_object_del(c->outputs_obj, old);
		} else if (os == OF_OUT_GENERATED) {
			if (unlink(path) == 0) {
				of_pack__file_changed(c, old, NULL);
				json_object_del(c->outputs_obj, old);
				of_pack_event("output_renamed", c->job->name, s->def->name,
					      json_pack("{s:s,s:s}", "file", old, "now", now), 0,
					      "%s is now %s: removed the old %s (not edited)", old, now, old);
			}
		} else if (os == OF_OUT_EDITED) {
			for (int n = 1; n < 1000; n++) {
				char *name = of_manifest_edited_name(now, n), *dst = name ? of_path_join(c->job->out_dir, name) : NULL;
				int done = 0;
				if (!dst) {
					free(name);
					break;
				}
				if (of_path_is_file(dst) && of_sha256_file(sha, dst) == 0 && strcmp(sha, disk) == 0)
					done = unlink(path) == 0; /* this very edit is kept under that name already */
				else if (!of_path_is_file(dst))
					done = rename(path, dst) == 0 ? 1 : -1;
				if (done == 1) {
					of_pack__file_changed(c, old, NULL);
					json_object_del(c->outputs_obj, old);
					of_pack_event("edit_kept", c->job->name, s->def->name,
						      json_pack("{s:s,s:s}", "file", old, "kept_as", name), 1,
						      "%s was edited by hand: kept as %s; onefish now writes %s instead (see "
						      "docs/pack.md, renamed outputs), and your edit is not in it",
						      old, name, now);
				}
				free(name);
				free(dst);
				if (done)
					break;
			}
		}
		free(path);
	}
}
