/* manifest.c — manifest.json: what onefish wrote, so human edits can be told apart. */
#include "manifest.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *load_json(const char *out_dir, const char *rel)
{
	char *path = of_path_join(out_dir, rel);
	json_t *v = NULL;
	if (path && of_path_is_file(path)) {
		int rc = of_json_load(&v, path, OF_MAX_PACK_META_BYTES);
		if (rc < 0 || !json_is_object(v)) {
			char msg[2300];
			if (rc == 0) /* valid JSON, but not what onefish writes */
				snprintf(msg, sizeof msg, "not a JSON object");
			else
				of_error_format(of_error_last(), msg, sizeof msg);
			of_log_warn_at(path, rc < 0 ? of_error_last()->line : 0, 0,
				       "unreadable, ignored (every stage will rerun; existing files are kept): %s", msg);
			json_decref(v);
			v = NULL;
		}
	}
	free(path);
	return v;
}

json_t *of_manifest_load(const char *out_dir)
{
	return load_json(out_dir, "manifest.json");
}

json_t *of_manifest_load_pending(const char *out_dir)
{
	return load_json(out_dir, ".onefish/pending.json");
}

json_t *of_manifest_output(const json_t *outputs_obj, const char *rel)
{
	json_t *e = outputs_obj ? json_object_get(outputs_obj, rel) : NULL;
	return json_is_object(e) ? e : NULL;
}

of_out_state of_manifest_classify(const json_t *outputs_obj, const json_t *pending, const char *rel,
				  const char *disk_sha)
{
	const char *rec = of_json_str(of_manifest_output(outputs_obj, rel), "sha256");
	const char *pend = pending ? json_string_value(json_object_get(pending, rel)) : NULL;
	if (!disk_sha || !disk_sha[0])
		return OF_OUT_MISSING;
	if (pend && strcmp(pend, disk_sha) == 0)
		return OF_OUT_GENERATED; /* installed by a run interrupted before it wrote the manifest */
	if (!rec)
		return OF_OUT_UNKNOWN;
	return strcmp(rec, disk_sha) == 0 ? OF_OUT_GENERATED : OF_OUT_EDITED;
}

of_out_state of_manifest_file_state(const json_t *outputs_obj, const json_t *pending, const char *out_dir,
				    const char *rel, char disk_sha[65])
{
	char *path = of_path_join(out_dir, rel);
	disk_sha[0] = '\0';
	if (path && of_path_is_file(path) && of_sha256_file(disk_sha, path) < 0)
		disk_sha[0] = '\0';
	free(path);
	return of_manifest_classify(outputs_obj, pending, rel, disk_sha);
}

int of_manifest_write_if_changed(const char *path, const json_t *v)
{
	char *text = of_json_dump(v), *old = NULL;
	size_t old_len = 0;
	int rc = 0;
	if (!text)
		return of_error_set_oom();
	if (of_file_read(&old, &old_len, path, OF_MAX_PACK_META_BYTES) < 0 || old_len != strlen(text) ||
	    memcmp(old, text, old_len) != 0)
		rc = of_file_write_atomic(path, text, strlen(text));
	free(old);
	free(text);
	return rc;
}

char *of_manifest_edited_name(const char *rel, int n)
{
	const char *base = of_path_basename(rel);
	const char *dot = strrchr(base, '.');
	size_t stem = dot && dot != base ? (size_t)(dot - rel) : strlen(rel);
	size_t len = strlen(rel) + 32;
	char *out = malloc(len);
	if (!out)
		return NULL;
	if (n <= 1)
		snprintf(out, len, "%.*s.edited%s", (int)stem, rel, rel + stem);
	else
		snprintf(out, len, "%.*s.edited-%d%s", (int)stem, rel, n, rel + stem);
	return out;
}
