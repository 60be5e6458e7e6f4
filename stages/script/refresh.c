/* refresh.c — the script stage's derived files made again from an edited storyboard
 * (script.md or script.json changed by hand), so the timeline and the narration
 * subtitles do not keep the draft's captions and timing. One code path for the
 * pack (into a work folder it installs) and for `onefish video` (beside script.json,
 * never over a file an editor changed). */
#include "script/output.h"
#include "script/timeline.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/log.h"
#include "onefish/segment.h"
#include "onefish/storyboard.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const of_script_derived_files[] = {"timeline.fcpxml", "subtitles.srt", "subtitles.vtt", "subtitles.ass",
					       "script.csv", NULL};

/* Where `onefish video` records what it wrote beside script.json (script.json itself
 * may be the editor's and is never rewritten). */
#define RECORD_DIR ".onefish"
#define RECORD_FILE ".onefish/derived.json"

/* The storyboard with each scene as long as the video made it (`media->frames`: a scene whose
 * narration overran was lengthened), so subtitles.* and script.csv agree with the timeline and
 * the video beside them; a new reference, or NULL when out of memory. */
static json_t *as_rendered(const json_t *sb, const of_timeline_media *media)
{
	json_t *scenes = json_object_get(sb, "scenes"), *copy;
	size_t n = json_array_size(scenes);
	double fps = (double)json_integer_value(json_object_get(sb, "fps"));
	if (!media || !media->frames || media->n_scenes != n || !(fps > 0))
		return json_incref((json_t *)sb);
	if (!(copy = json_deep_copy(sb)))
		return NULL;
	scenes = json_object_get(copy, "scenes");
	long at = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *sc = json_array_get(scenes, i);
		json_object_set_new(sc, "start", json_real(round((double)at / fps * 1000) / 1000));
		json_object_set_new(sc, "duration", json_real(round((double)media->frames[i] / fps * 1000) / 1000));
		at += media->frames[i];
	}
	json_object_set_new(copy, "duration", json_real(round((double)at / fps * 1000) / 1000));
	return copy;
}

static int refresh(const json_t *sb, const char *out_dir, const of_timeline_media *media)
{
	const of_segmenter *seg = NULL;
	json_t *timed = as_rendered(sb, media);
	int rc;
	if (!timed)
		return of_error_set_oom();
	if ((rc = of_mkdirs(out_dir)) == 0 && (rc = of_segmenter_shared(&seg)) == 0 &&
	    (rc = of_script_write_subtitles(timed, seg, out_dir)) == 0)
		rc = of_script_write_timeline(sb, out_dir, media);
	json_decref(timed);
	return rc;
}

int of_script_refresh(const char *script_json_path, const char *out_dir)
{
	json_t *sb = NULL;
	int rc;
	if ((rc = of_storyboard_load(&sb, script_json_path)) < 0)
		return rc;
	rc = refresh(sb, out_dir, NULL);
	json_decref(sb);
	return rc;
}

/* The sha256 onefish recorded for `name`: the refresh record's, else script.json's own. */
static int recorded(const json_t *record, const json_t *sb_generated, const char *name, const char *sha)
{
	const char *a = of_json_str(json_object_get(record, "files"), name);
	const char *b = of_json_str(json_object_get(sb_generated, "derived"), name);
	return (a && strcmp(a, sha) == 0) || (b && strcmp(b, sha) == 0);
}

/* Removes `dir` and the files in it (the refresh's scratch folder). Never through a link: a
 * `refresh-N` that is a symlink (a folder unpacked from an archive, a prank) loses the link, not
 * what it points at, and the entries are unlinked relative to the folder opened without following
 * links. */
static void remove_scratch(const char *dir)
{
	struct stat st;
	if (lstat(dir, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(dir);
		return;
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	if (!d && fd >= 0)
		close(fd);
	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		unlinkat(dirfd(d), e->d_name, 0); /* a sub-folder (not ours) stays, and so does the folder */
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* Scratch folders of refreshes whose process is gone (killed before it cleaned up). */
static void remove_stale_scratch(const char *rec_dir)
{
	DIR *d = opendir(rec_dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		char *end = NULL;
		if (strncmp(e->d_name, "refresh-", 8) != 0)
			continue;
		long pid = strtol(e->d_name + 8, &end, 10);
		if (!end || *end || pid <= 0 || (kill((pid_t)pid, 0) == -1 && errno == ESRCH) || pid == (long)getpid()) {
			char *p = of_path_join(rec_dir, e->d_name);
			if (p)
				remove_scratch(p);
			free(p);
		}
	}
	if (d)
		closedir(d);
}

int of_script_refresh_beside(const char *script_json_path, const json_t *storyboard, const of_timeline_media *media,
			     size_t *written, size_t *kept, char **written_names)
{
	of_buf names;
	json_t *sb = NULL, *raw = NULL, *record = NULL, *files = NULL;
	char *dir = NULL, *scratch = NULL, *rec_dir = NULL, *rec_path = NULL, *manifest = NULL, *js = NULL;
	size_t js_len = 0, n_written = 0, n_kept = 0;
	int rc;
	of_buf_init(&names, 4096);
	if (written)
		*written = 0;
	if (kept)
		*kept = 0;
	if (written_names)
		*written_names = NULL;
	if (!(dir = of_path_dirname(script_json_path)) || !(manifest = of_path_join(dir, "manifest.json")) ||
	    !(rec_dir = of_path_join(dir, RECORD_DIR)) || !(rec_path = of_path_join(dir, RECORD_FILE))) {
		rc = of_error_set_oom();
		goto done;
	}
	/* A pack's output folder: its manifest records every file and `onefish run` refreshes them
	 * (a file written here behind its back would read as an editor's edit there). */
	if (of_path_is_file(manifest)) {
		of_log(OF_LOG_INFO, "video: %s is a pack's output folder: onefish run refreshes its timeline and "
				    "subtitles", of_path_display(dir));
		rc = 0;
		goto done;
	}
	if (storyboard)
		sb = json_incref((json_t *)storyboard); /* read-only here */
	else if ((rc = of_storyboard_load(&sb, script_json_path)) < 0)
		goto done;
	/* script.json as written: its "generated" record names the derived files' first hashes */
	if (of_file_read(&js, &js_len, script_json_path, (size_t)16 << 20) < 0 ||
	    of_json_parse(&raw, js, js_len, script_json_path, 0) < 0)
		raw = NULL;
	/* A storyboard `onefish script` did not write (by hand, another tool, a test fixture):
	 * its folder holds no derived files of ours, and none are added to it. */
	if (!json_is_object(json_object_get(raw, "generated"))) {
		of_log(OF_LOG_INFO, "video: %s was not written by onefish script: its folder is left as it is",
		       of_path_display(script_json_path));
		of_error_clear();
		rc = 0;
		goto done;
	}
	if (!of_path_is_file(rec_path) || of_json_load(&record, rec_path, 1 << 20) < 0)
		record = NULL;
	of_error_clear();
	/* Written in a scratch folder beside them (.onefish/refresh-PID), then each renamed over
	 * its old self (atomic). */
	char tmpl[64];
	snprintf(tmpl, sizeof tmpl, "refresh-%ld", (long)getpid());
	if ((rc = of_mkdirs(rec_dir)) < 0)
		goto done;
	/* .onefish must be the folder's own: a link would put the scratch work, and its cleanup,
	 * somewhere else on the machine */
	struct stat rst;
	if (lstat(rec_dir, &rst) != 0 || !S_ISDIR(rst.st_mode)) {
		rc = of_error_set_at(OF_EINVALID, rec_dir, 0, 0, "not a folder (a link?): the script folder is not refreshed");
		goto done;
	}
	remove_stale_scratch(rec_dir);
	if (!(scratch = of_path_join(rec_dir, tmpl))) {
		rc = of_error_set_oom();
		goto done;
	}
	if ((rc = refresh(sb, scratch, media)) < 0)
		goto done;
	if (!(files = json_object())) {
		rc = of_error_set_oom();
		goto done;
	}
	for (size_t i = 0; of_script_derived_files[i]; i++) {
		const char *name = of_script_derived_files[i];
		char *src = of_path_join(scratch, name), *dst = of_path_join(dir, name);
		char now[65] = "", made[65];
		if (!src || !dst) {
			free(src);
			free(dst);
			rc = of_error_set_oom();
			goto done;
		}
		if (!of_path_is_file(src) || of_sha256_file(made, src) < 0) {
			free(src);
			free(dst);
			of_error_clear();
			continue;
		}
		if (of_path_is_file(dst) && of_sha256_file(now, dst) == 0 && strcmp(now, made) != 0 &&
		    !recorded(record, json_object_get(raw, "generated"), name, now)) {
			/* edited by hand, or made by an onefish that kept no record: not ours to replace */
			of_log_warn_at(dst, 0, 0, "%s", json_object_get(json_object_get(raw, "generated"), "derived")
							   ? "changed by hand since onefish wrote it: kept, not refreshed"
							   : "no record says onefish wrote it as it is: kept, not refreshed "
							     "(delete it to have it made again)");
			n_kept++;
			const char *old = of_json_str(json_object_get(record, "files"), name);
			if (old)
				json_object_set_new(files, name, json_string(old));
		} else if (of_path_is_file(dst) && strcmp(now, made) == 0) {
			json_object_set_new(files, name, json_string(made)); /* already so */
		} else if (rename(src, dst) != 0) {
			rc = of_error_set_at(OF_ERROR, dst, 0, 0, "cannot replace: %s", strerror(errno));
			free(src);
			free(dst);
			goto done;
		} else {
			json_object_set_new(files, name, json_string(made));
			n_written++;
			if ((of_buf_len(&names) && of_buf_puts(&names, ", ") < 0) || of_buf_puts(&names, name) < 0) {
				rc = of_error_set_oom();
				free(src);
				free(dst);
				goto done;
			}
		}
		free(src);
		free(dst);
	}
	/* what this refresh wrote, so the next one knows the files as its own */
	json_t *rec = json_pack("{s:i,s:O}", "version", 1, "files", files);
	if (!rec || (rc = of_json_write(rec_path, rec)) < 0) {
		rc = rc < 0 ? rc : of_error_set_oom();
		json_decref(rec);
		goto done;
	}
	json_decref(rec);
	if (written)
		*written = n_written;
	if (kept)
		*kept = n_kept;
	if (written_names && n_written && !(*written_names = of_buf_detach(&names, NULL))) {
		rc = of_error_set_oom();
		goto done;
	}
	rc = 0;
done:
	if (scratch)
		remove_scratch(scratch);
	of_buf_free(&names);
	json_decref(sb);
	json_decref(raw);
	json_decref(record);
	json_decref(files);
	free(js);
	free(dir);
	free(scratch);
	free(rec_dir);
	free(rec_path);
	free(manifest);
	return rc;
}
