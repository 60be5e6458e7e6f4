/* pack_restore.c — a held stage keeps what its hand-edited source needs: the photos
 * the edited article.md shows, copied back from the pack when they were deleted. */
#include "cli.h"
#include "manifest.h"
#include "pack_events.h"
#include "pack_int.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/log.h"

#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	int rc = 0;

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
		/* only a photo this stage wrote, and only when it is gone (an edited one is the editor's) */
		if (!sha || !stage || strcmp(stage, s->def->name) != 0 || of_pack__file_state(c, url, disk) != OF_OUT_MISSING)
			continue;
		if (input_with(s, sha, &from) && copy_back(c, from, url, sha) == 0) {
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
	if (it)
		cmark_iter_free(it);
	if (doc)
		cmark_node_free(doc);
	free(text);
	free(md);
	return rc;
}
