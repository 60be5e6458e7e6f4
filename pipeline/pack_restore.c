/* pack_restore.c — a held stage keeps what its hand-edited source needs: the photos
 * the edited article.md shows, copied back from the pack when they were deleted (also
 * one the editor took out and puts back); and a photo the edit no longer shows is no
 * longer needed (not missing). */
#include "cli.h"
#include "manifest.h"
#include "pack_events.h"
#include "pack_int.h"
#include "onefish/article.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/log.h"

#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A relative path that stays where it is put (no "..", not absolute): a manifest name. */
static int plain_rel(const char *rel)
{
	if (!rel[0] || rel[0] == '/' || strstr(rel, "://") || strchr(rel, '\\'))
		return 0;
	for (const char *p = rel; p; p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL)
		if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || !p[2]))
			return 0;
	return 1;
}

/* The pack input of `s` holding exactly the bytes `sha` (a photo the article copied), or NULL. */
static const of_cache_file *input_with(const stage_state *s, const char *sha, const char **path)
{
	for (size_t i = 0; i < s->n_files; i++)
		if (strncmp(s->files[i].label, "asset:", 6) != 0 && strcmp(s->files[i].sha256, sha) == 0) {
			*path = s->list.paths[i];
			return &s->files[i];
		}
	return NULL;
}

/* Copies `from` to out_dir/rel when its bytes are still `sha` (atomic: no partial photo). */
static int copy_back(run_ctx *c, const char *from, const char *rel, const char *sha)
{
	char *data = NULL, *dst = of_path_join(c->job->out_dir, rel), *dir = dst ? of_path_dirname(dst) : NULL;
	char got[65];
	size_t len = 0;
	int rc = dst && dir ? 0 : of_error_set_oom();
	if (rc == 0 && (rc = of_file_read(&data, &len, from, OF_MAX_IMAGE_BYTES)) == 0 &&
	    (rc = of_sha256_hex(got, data, len)) == 0) {
		if (strcmp(got, sha) != 0)
			rc = of_error_set_at(OF_ENOTFOUND, from, 0, 0, "changed while it was read");
		else if ((rc = of_mkdirs(dir)) == 0 && (rc = of_file_write_atomic(dst, data, len)) == 0)
			of_pack__file_changed(c, rel, sha);
	}
	free(data);
	free(dst);
	free(dir);
	return rc;
}

/* The size of out_dir/rel (just restored), 0 when it cannot be read. */
static long long restored_bytes(run_ctx *c, const char *rel)
{
	struct stat st;
	char *p = of_path_join(c->job->out_dir, rel);
	long long n = p && stat(p, &st) == 0 ? (long long)st.st_size : 0;
	free(p);
	return n;
}

/* A reference as written ("./images/a.jpg") as the manifest names the file, or NULL. */
static const char *ref_rel(const char *url)
{
	while (url && strncmp(url, "./", 2) == 0)
		url += 2;
	return url && plain_rel(url) ? url : NULL;
}

/* Adds to `refs` the images a Markdown text shows (cmark's image nodes, as the script
 * stage finds them). */
static int md_refs(json_t *refs, const char *text, size_t len)
{
	cmark_node *doc = cmark_parse_document(text, len, CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
	cmark_iter *it = doc ? cmark_iter_new(doc) : NULL;
	cmark_event_type ev;
	int rc = it ? 0 : of_error_set_oom();
	while (rc == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		const char *rel;
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_IMAGE &&
		    (rel = ref_rel(cmark_node_get_url(node))) != NULL)
			rc = json_object_set_new(refs, rel, json_true()) == 0 ? 0 : of_error_set_oom();
	}
	if (it)
		cmark_iter_free(it);
	if (doc)
		cmark_node_free(doc);
	return rc;
}

/* Adds to `refs` the images a storyboard's scenes use (what the video renders). */
static int storyboard_refs(json_t *refs, const char *text, size_t len)
{
	json_t *sb = json_loadb(text, len, 0, NULL), *scene;
	size_t i;
	int rc = json_is_object(sb) ? 0 : OF_EINVALID;
	json_array_foreach(json_object_get(sb, "scenes"), i, scene) {
		const char *rel = ref_rel(of_json_str(scene, "image"));
		if (rc == 0 && rel && json_object_set_new(refs, rel, json_true()) != 0)
			rc = of_error_set_oom();
	}
	json_decref(sb);
	return rc;
}

json_t *of_pack__edit_refs(run_ctx *c, const of_pack_stage *d)
{
	json_t *refs = json_object();
	char sha[65];
	int edited = 0, rc = refs ? 0 : OF_ENOMEM;
	for (size_t i = 0; rc == 0 && d->edited_sources && d->edited_sources[i]; i++) {
		const char *src = d->edited_sources[i];
		size_t n = strlen(src), len = 0;
		int json = n > 5 && strcmp(src + n - 5, ".json") == 0;
		char *path = NULL, *text = NULL;
		of_out_state os = (of_out_state)of_pack__file_state(c, src, sha);
		edited |= os == OF_OUT_EDITED;
		if (os == OF_OUT_MISSING)
			continue; /* the stage reruns for it anyway */
		if (!(path = of_path_join(c->job->out_dir, src)))
			rc = of_error_set_oom();
		else if ((rc = of_file_read(&text, &len, path, json ? OF_MAX_PACK_META_BYTES : OF_MAX_MARKDOWN_BYTES)) == 0)
			/* script.json: its scenes' images; article.md: the photos it shows (script.md's
			 * table holds no image node: its 画面 column is informative only) */
			rc = json ? storyboard_refs(refs, text, len) : md_refs(refs, text, len);
		free(text);
		free(path);
	}
	of_error_clear(); /* an unreadable edit is follow_edit's to report */
	if (rc < 0 || !edited) {
		json_decref(refs);
		return NULL;
	}
	return refs;
}

static int in_list(const char *const *list, const char *rel)
{
	for (size_t i = 0; list && list[i]; i++)
		if (strcmp(list[i], rel) == 0)
			return 1;
	return 0;
}

int of_pack__dropped_by_edit(run_ctx *c, stage_state *s, const char *rel)
{
	const of_pack_stage *d = s->def;
	if (!d->edited_sources || in_list(d->outputs, rel) || in_list(d->edited_sources, rel))
		return 0;
	if (!s->edit_refs_done) {
		s->edit_refs = of_pack__edit_refs(c, d);
		s->edit_refs_done = 1;
	}
	return s->edit_refs && !json_object_get(s->edit_refs, rel);
}

int of_pack__unused_by_edit(run_ctx *c, const of_pack_stage *d, const json_t *refs, const char *rel)
{
	char sha[65];
	return refs && !in_list(d->outputs, rel) && !in_list(d->edited_sources, rel) && !json_object_get(refs, rel) &&
	       of_pack__file_state(c, rel, sha) != OF_OUT_MISSING;
}

void of_pack__forget_dropped(run_ctx *c, stage_state *s)
{
	const char *rel;
	json_t *rec;
	void *tmp;
	char sha[65];
	if (c->opts->dry_run)
		return;
	json_object_foreach_safe(c->outputs_obj, tmp, rel, rec) {
		const char *stage = of_json_str(rec, "stage");
		if (stage && strcmp(stage, s->def->name) == 0 && of_pack__file_state(c, rel, sha) == OF_OUT_MISSING &&
		    of_pack__dropped_by_edit(c, s, rel))
			json_object_del(c->outputs_obj, rel);
	}
}

/* 1 when the stage's record (manifest "stages") lists `rel` among its outputs. */
static int stage_lists(run_ctx *c, const stage_state *s, const char *rel)
{
	json_t *outs = json_object_get(json_object_get(c->stages_obj, s->def->name), "outputs");
	for (size_t i = 0; i < json_array_size(outs); i++)
		if (json_string_value(json_array_get(outs, i)) && strcmp(json_string_value(json_array_get(outs, i)), rel) == 0)
			return 1;
	return 0;
}

int of_pack__restore_held(run_ctx *c, stage_state *s)
{
	/* the first edited source is the Markdown file that shows the photos (article.md);
	 * script.md's table holds no image node, so it restores nothing */
	const char *src = s->def->edited_sources ? s->def->edited_sources[0] : NULL;
	const of_cli_args *cli = c->opts->cli;
	int strict = (cli && cli->strict) || of_config_bool(c->job->cfg, "strict", 0);
	char *md = NULL, *text = NULL, missing[600] = "";
	size_t len = 0, n_missing = 0;
	cmark_node *doc = NULL;
	cmark_iter *it = NULL;
	cmark_event_type ev;
	json_t *traced = NULL;
	int rc = 0, traced_read = 0;

	if (!src || c->opts->dry_run || !(md = of_path_join(c->job->out_dir, src)))
		goto done;
	if (of_file_read(&text, &len, md, OF_MAX_MARKDOWN_BYTES) < 0) {
		of_error_clear(); /* an unreadable article.md is follow_edit's to report */
		goto done;
	}
	if (!(doc = cmark_parse_document(text, len, CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8)) ||
	    !(it = cmark_iter_new(doc))) {
		rc = of_error_set_oom();
		goto done;
	}
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		const char *url, *from = NULL;
		char disk[65];
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_IMAGE)
			continue;
		url = cmark_node_get_url(node);
		while (url && strncmp(url, "./", 2) == 0)
			url += 2;
		if (!url || !plain_rel(url))
			continue;
		json_t *rec = json_object_get(c->outputs_obj, url);
		const char *sha = of_json_str(rec, "sha256"), *stage = of_json_str(rec, "stage");
		/* A photo the editor took out of article.md and deleted left the manifest
		 * (of_pack__forget_dropped), not the stage's record: shown again, it is the stage's
		 * photo as the trace recorded copying it */
		if (!rec && stage_lists(c, s, url)) {
			if (!traced_read++)
				traced = of_article_recorded_copies(c->job->out_dir);
			if ((sha = of_json_str(traced, url)) != NULL)
				stage = s->def->name;
		}
		/* only a photo this stage wrote, and only when it is gone (an edited one is the editor's) */
		if (!sha || !stage || strcmp(stage, s->def->name) != 0 || of_pack__file_state(c, url, disk) != OF_OUT_MISSING)
			continue;
		if (input_with(s, sha, &from) && copy_back(c, from, url, sha) == 0) {
			if (!rec) /* the stage's again, as install records it */
				json_object_set_new(c->outputs_obj, url,
						    json_pack("{s:s,s:I,s:s}", "sha256", sha, "bytes", (json_int_t)restored_bytes(c, url),
							      "stage", s->def->name));
			of_pack_event("output_restored", c->job->name, s->def->name, json_pack("{s:s,s:s}", "file", url, "from", from),
				      0, "%s was deleted: restored from %s (the hand-edited %s shows it)", url, from, src);
			continue;
		}
		of_error_clear();
		snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s", n_missing ? ", " : "", url);
		n_missing++;
	}
	if (n_missing) {
		/* the pack's photo changed or went away: the held article cannot have it back */
		of_pack_event("output_missing", c->job->name, s->def->name, json_pack("{s:s,s:I}", "files", missing, "count",
										 (json_int_t)n_missing),
			      strict ? 2 : 1, "the hand-edited %s shows %s, deleted and no longer in the pack as it was: "
			      "the script and video go without %s (--force regenerates the article)%s", src, missing,
			      n_missing == 1 ? "it" : "them", strict ? "; --strict fails on it" : "");
		if (strict)
			rc = of_error_set_at(OF_ENOTFOUND, md, 0, 0, "shows %s, deleted and not restorable from the pack", missing);
	}
done:
	json_decref(traced);
	if (it)
		cmark_iter_free(it);
	if (doc)
		cmark_node_free(doc);
	free(text);
	free(md);
	return rc;
}
