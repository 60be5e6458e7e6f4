/* script.c — stage 2 entry point: read the article, gather its images into
 * OUT_DIR/images/, plan the storyboard, write script.json and its derived files. */
#include "onefish/storyboard.h"
#include "ingest/article_doc.h"
#include "onefish/copy.h"
#include "ingest/image_path.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/http.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/render.h"
#include "onefish/sandbox.h"
#include "script/scene_photo.h"
#include "script/output.h"
#include "script/pages.h"
#include "script/plan.h"
#include "script/timeline.h"
#include "script/trace.h"
#include "script/rewrite.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

typedef struct {
	char **src, **dst;
	size_t n;
	size_t remote_failed; /* remote images not fetched: one warning for all of them */
	size_t remote_tried;
	int fetch;            /* 0: remote images are not downloaded at all */
	int net_down;         /* a fetch failed at the network level: do not try the others */
	int strict;           /* a broken local image fails the stage */
	int failed;           /* set when strict and an image was bad (error already set) */
	int oom;              /* out of memory while looking an image up */
	unsigned long line;   /* line of the block being resolved */
	const json_t *recorded; /* the copies the last run recorded writing: rel → sha256 (or NULL) */
	json_t *owned;        /* the copies this run wrote or found as it would write them: rel → sha256;
	                         a copy kept because an editor changed it is rel → null */
	char first_error[1100];
} image_map;

static void map_free(image_map *m)
{
	size_t i;
	for (i = 0; i < m->n; i++) {
		free(m->src[i]);
		free(m->dst[i]);
	}
	free(m->src);
	free(m->dst);
}

static const char *image_ext(const unsigned char *d, size_t n)
{
	if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
		return ".jpg";
	if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return ".png";
	if (n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
		return ".webp";
	return NULL;
}

/* 1 when `a` names the file `b` ("./images/a.jpg" is "images/a.jpg"). */
static int same_rel(const char *a, const char *b)
{
	while (strncmp(a, "./", 2) == 0)
		a += 2;
	return strcmp(a, b) == 0;
}

/* 1 when `name` is another image's already: the copy of another source gathered before it,
 * or an image the article shows (in a pack, the article's own copies lie in the same
 * images/ folder as the script's). */
static int name_taken(const image_map *m, const of_article_doc *doc, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->dst[i] && strcmp(m->dst[i], name) == 0)
			return 1;
	for (size_t i = 0; i < doc->n_blocks; i++)
		if (doc->blocks[i].image && same_rel(doc->blocks[i].image, name))
			return 1;
	return doc->image && same_rel(doc->image, name);
}

/* The name of the copy of `src` (found at `path`, NULL for a URL): "images/v-STEM.ext",
 * STEM the photo's own name (a local image's as it is on disk: IMAGES\0101.JPG found as
 * images/0101.jpg is 0101). It depends on the photo alone, never on its place in the
 * article, so a photo inserted before it renames nothing that an editor's project (built
 * from timeline.fcpxml) points at. Two sources of one stem (a/1.jpg and b/1.jpg, two URLs
 * ending in photo.jpg), or a stem an article image already has, are told apart by a hash
 * of the source as the article writes it: "images/v-STEM-1a2b3c4d.ext", the same on every
 * run; a counter after it only if even that is taken. */
static void name_copy(char *name, size_t n, const image_map *m, const of_article_doc *doc, const char *src,
		      const char *path, const char *ext)
{
	const char *base = of_path_basename(path ? path : src), *key = src;
	char stem[64];
	size_t k = of_path_safe_part(stem, sizeof stem, base, strcspn(base, ".?"));
	snprintf(name, n, "images/v-%s%s", k ? stem : "image", ext);
	if (!name_taken(m, doc, name))
		return;
	while (strncmp(key, "./", 2) == 0)
		key += 2;
	unsigned long long h = of_xxh64(key, strlen(key), 0);
	snprintf(name, n, "images/v-%s-%08llx%s", k ? stem : "image", h & 0xffffffffULL, ext);
	for (unsigned i = 2; name_taken(m, doc, name) && i < 1000; i++)
		snprintf(name, n, "images/v-%s-%08llx-%u%s", k ? stem : "image", h & 0xffffffffULL, i, ext);
}

/* Copies the image `src` (relative to the article, or a URL) to OUT_DIR/images/ and
 * returns its new path relative to OUT_DIR, or NULL (warned) when it cannot be used. */
static char *gather(image_map *m, const of_article_doc *doc, const char *src, const char *out_dir, of_stage_stats *st)
{
	char *data = NULL, *path = NULL, *rel = NULL, *dst = NULL, name[256];
	size_t len = 0, i;
	int rc;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->src[i], src) == 0)
			return m->dst[i] ? strdup(m->dst[i]) : NULL;
	if (of_image_is_remote(src) && (!m->fetch || m->net_down || m->remote_tried >= OF_MAX_REMOTE_IMAGES)) {
		if (m->remote_failed++ == 0)
			snprintf(m->first_error, sizeof m->first_error, "%s",
				 !m->fetch ? "script.fetch_images is off" : "network unavailable or too many images");
	} else if (of_image_is_remote(src)) {
		of_http_options ho = OF_HTTP_OPTIONS_INIT;
		m->remote_tried++;
		of_http_response r;
		memset(&r, 0, sizeof r);
		ho.max_bytes = OF_MAX_IMAGE_BYTES;
		ho.accept_type = "image/";
		rc = of_http_get(&r, src, &ho);
		if (rc == 0 && r.status >= 200 && r.status < 300) {
			data = r.body;
			len = r.len;
			r.body = NULL;
		} else {
			if (rc == OF_ENET)
				m->net_down = 1;
			if (m->remote_failed++ == 0)
				snprintf(m->first_error, sizeof m->first_error, "%s",
					 rc < 0 ? of_error_last()->message : "HTTP error status");
		}
		of_http_response_free(&r);
	} else if (doc->base_dir) {
		/* the lookup of the posts' images (image_path.h): inside the article's folder (symlinks
		 * followed and checked), images\0101.jpg written on Windows, IMAGES/0101.JPG with a
		 * warning naming the name on disk; two names that differ only in case are refused */
		of_image_lookup lk = {.origin = doc->origin, .line = m->line, .root = doc->base_dir,
				      .input = OF_IMAGE_IN_ARTICLE};
		char why[1100];
		rc = of_image_resolve(&path, src, &lk);
		if (rc == 0) {
			if ((rc = of_file_read(&data, &len, path, OF_MAX_IMAGE_BYTES)) < 0)
				snprintf(why, sizeof why, "image '%.200s' not usable: %.800s", src, of_error_last()->message);
		} else if (rc != OF_ENOMEM) {
			snprintf(why, sizeof why, "%.1000s; not used", of_error_last()->message); /* "image 'REL' not found" */
		}
		if (rc == OF_ENOMEM) {
			m->oom = 1;
			data = NULL;
		} else if (rc < 0) {
			st->records_bad++;
			if (of_log_bad_record(m->strict, doc->origin, m->line, 0, "%s", why) < 0)
				m->failed = 1;
			data = NULL;
		}
	}
	const char *ext = data ? image_ext((const unsigned char *)data, len) : NULL;
	if (data && !ext) {
		st->records_bad++;
		if (of_log_bad_record(m->strict, doc->origin, m->line, 0, "image %s is not a JPEG, PNG or WebP file", src) < 0)
			m->failed = 1;
	}
	if (data && ext) {
		name_copy(name, sizeof name, m, doc, src, path, ext);
		/* a copy an editor changed (cropped, retouched) since the last run is kept, and the
		 * scene shows it as it is: onefish never writes over it */
		of_copy_result cr;
		char sha[65];
		if (of_copy_write(&cr, out_dir, name, data, len, of_json_str(m->recorded, name)) == 0 &&
		    of_sha256_hex(sha, data, len) == 0 && (rel = strdup(name)) != NULL) {
			if (of_copy_kept(cr))
				of_copy_warn_kept(out_dir, name, cr);
			json_object_set_new(m->owned, name, of_copy_kept(cr) ? json_null() : json_string(sha));
		}
	}
	free(data);
	free(path);
	char **ns = realloc(m->src, (m->n + 1) * sizeof *ns);
	if (ns)
		m->src = ns;
	char **nd = ns ? realloc(m->dst, (m->n + 1) * sizeof *nd) : NULL;
	if (nd) {
		m->dst = nd;
		m->src[m->n] = strdup(src);
		m->dst[m->n] = rel ? strdup(rel) : NULL;
		if (m->src[m->n])
			m->n++;
	}
	dst = rel;
	return dst;
}

static int resolve_images(of_article_doc *doc, const char *out_dir, int fetch, int strict, const json_t *recorded,
			  json_t *owned, of_stage_stats *st)
{
	image_map m = {0};
	size_t i;
	int rc = 0;
	m.fetch = fetch;
	m.strict = strict;
	m.recorded = recorded;
	m.owned = owned;
	for (i = 0; i < doc->n_blocks && !m.failed && !m.oom; i++) {
		if (!doc->blocks[i].image)
			continue;
		/* the image's own line (its <img> or <source>, its ![](…)), else its block's */
		m.line = doc->blocks[i].image_line ? doc->blocks[i].image_line : doc->blocks[i].line;
		char *n = gather(&m, doc, doc->blocks[i].image, out_dir, st);
		free(doc->blocks[i].image);
		doc->blocks[i].image = n;
	}
	if (doc->image && !m.failed && !m.oom) {
		m.line = doc->image_line;
		char *n = gather(&m, doc, doc->image, out_dir, st);
		free(doc->image);
		doc->image = n;
	}
	if (m.remote_failed) {
		of_log_warn_at(doc->origin, 0, 0, "%zu remote image%s not fetched (%s); %s another image",
			       m.remote_failed, m.remote_failed == 1 ? "" : "s", m.first_error,
			       m.remote_failed == 1 ? "its scene uses" : "their scenes use");
		st->warnings++;
	}
	if (m.oom)
		rc = of_error_set_oom();
	else if (m.failed)
		rc = OF_EINVALID; /* --strict: the error names the first bad image */
	map_free(&m);
	return rc;
}

/* Every image of the article was copied so the planner could choose among
 * them; the ones no scene shows are removed again, so images/ holds what the
 * video uses (what the editor uploads, with the article's own copies). Only the
 * copies this run wrote (`owned`) and only as it wrote them: a copy an editor
 * changed stays, used or not. */
static void prune_unused(const json_t *sb, json_t *owned, const char *out_dir)
{
	const json_t *scenes = json_object_get(sb, "scenes");
	const char *rel;
	json_t *sha;
	void *tmp;
	json_object_foreach_safe(owned, tmp, rel, sha) {
		int used = 0;
		for (size_t k = 0; k < json_array_size(scenes) && !used; k++) {
			const char *im = of_json_str(json_array_get(scenes, k), "image");
			used = im && strcmp(im, rel) == 0;
		}
		if (!used && json_is_string(sha)) {
			of_copy_remove(out_dir, rel, json_string_value(sha));
			json_object_del(owned, rel); /* last: `rel` is its key */
		}
	}
}

/* Whether `color` is a brand colour of its own: set and not the default, whose
 * background is the shipped assets/brand/background.jpg (drawn from that palette). */
static int own_color(const char *color)
{
	const char *d = OF_BRAND_COLOR_DEFAULT;
	if (!color)
		return 0;
	for (; *color && *d; color++, d++)
		if (tolower((unsigned char)*color) != tolower((unsigned char)*d))
			return 1;
	return *color || *d;
}

/* The brand background, copied beside the other images (a scene without a picture shows it):
 * the shipped one, or for a brand colour of its own a gradient of that colour's hue
 * (of_render_brand_background), the shipped one's size. */
static int brand_background(char **out, const char *out_dir, const char *color, const json_t *recorded,
			    json_t *owned)
{
	char *src = NULL, *data = NULL, sha[65];
	size_t len;
	const char *rel = "images/brand-background.jpg";
	of_copy_result cr = OF_COPY_WRITTEN;
	int rc;
	*out = NULL;
	if (own_color(color))
		rc = of_render_brand_background((uint8_t **)&data, &len, color, OF_BRAND_BG_WIDTH, OF_BRAND_BG_HEIGHT);
	else if ((rc = of_asset_path(&src, "brand/background.jpg")) == 0)
		rc = of_file_read(&data, &len, src, OF_MAX_IMAGE_BYTES);
	if (rc == 0 &&
	    (rc = of_copy_write(&cr, out_dir, rel, data, len, of_json_str(recorded, rel))) == 0 &&
	    (rc = of_sha256_hex(sha, data, len)) == 0) {
		if (of_copy_kept(cr)) /* the editor's own background: kept, and shown */
			of_copy_warn_kept(out_dir, rel, cr);
		json_object_set_new(owned, rel, of_copy_kept(cr) ? json_null() : json_string(sha));
	}
	if (rc == 0 && !(*out = strdup(rel)))
		rc = of_error_set_oom();
	free(src);
	free(data);
	return rc;
}

/* The shipped files the stage cannot do without: the caption style (subtitles.ass and
 * the timeline set captions as the video does) and the brand background. Checked before
 * anything is written, so a onefish that cannot find its assets fails with the file named
 * and leaves the previous outputs as they were; the article and prompts stages fail on a
 * missing asset the same way. (The LLM prompt is not among them: without it the LLM engine
 * falls back to the offline script, as on any LLM failure, like the article's.) */
static int check_assets(void)
{
	char *style = NULL, *bg = NULL;
	json_t *st = NULL;
	int rc;
	if ((rc = of_asset_path(&style, "styles/captions.json")) == 0 && (rc = of_json_load(&st, style, 1 << 20)) == 0)
		rc = of_asset_path(&bg, "brand/background.jpg");
	json_decref(st);
	free(style);
	free(bg);
	return rc;
}

/* sha256 of a storyboard's JSON text as written, without its "generated" record
 * and regardless of layout: what an editor's change to script.json would move. */
static int storyboard_hash(char out[65], const char *text)
{
	json_t *v = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	char *flat = NULL;
	int rc = OF_EINVALID;
	if (json_is_object(v)) {
		json_object_del(v, "generated");
		if ((flat = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII)) != NULL)
			rc = of_sha256_hex(out, flat, strlen(flat));
		else
			rc = OF_ENOMEM;
	}
	free(flat);
	json_decref(v);
	return rc;
}

/* Which of OUT_DIR's script.md and script.json an editor changed since the
 * existing script.json recorded them ("generated"), or NULL. */
static const char *edited_by_hand(const char *out_dir)
{
	char *jp = of_path_join(out_dir, "script.json"), *mp = of_path_join(out_dir, "script.md");
	char *md = NULL, *js = NULL, have[65];
	size_t len = 0, js_len = 0;
	json_t *old = NULL;
	const char *edited = NULL;
	if (jp && of_path_is_file(jp) && of_file_read(&js, &js_len, jp, (size_t)16 << 20) == 0 &&
	    of_json_parse(&old, js, js_len, jp, 0) == 0) {
		const json_t *gen = json_object_get(old, "generated");
		const char *want_md = of_json_str(gen, "script_md_sha256"), *want_js = of_json_str(gen, "storyboard_sha256");
		if (want_js && storyboard_hash(have, js) == 0 && strcmp(want_js, have) != 0)
			edited = "script.json";
		else if (want_md && mp && of_path_is_file(mp) && of_file_read(&md, &len, mp, (size_t)4 << 20) == 0 &&
			 of_sha256_hex(have, md, len) == 0 && strcmp(want_md, have) != 0)
			edited = "script.md";
	}
	json_decref(old);
	free(md);
	free(js);
	free(jp);
	free(mp);
	of_error_clear();
	return edited;
}

/* An image copy's name as the stage writes it, "images/v-name.ext" (or the brand
 * background): one file right in images/, nothing a record could point elsewhere with. */
static int copy_name(const char *rel)
{
	return rel && strncmp(rel, "images/", 7) == 0 && rel[7] && rel[7] != '.' && !strchr(rel + 7, '/') &&
	       !strchr(rel + 7, '\\');
}

/* The sha256 of each image copy the scenes use, as this run wrote it into OUT_DIR/images/
 * (`owned`): what a later run needs to know which files it wrote there and that nobody
 * changed them since. A copy kept because an editor changed it is not recorded: a later
 * run does not take it for its own either. */
static json_t *copies_record(const json_t *sb, const json_t *owned)
{
	json_t *rec = json_object(), *scene;
	size_t i;
	json_array_foreach(json_object_get(sb, "scenes"), i, scene) {
		const char *rel = of_json_str(scene, "image");
		const char *sha = of_json_str(owned, rel ? rel : "");
		if (rec && copy_name(rel) && sha && !json_object_get(rec, rel))
			json_object_set_new(rec, rel, json_string(sha));
	}
	return rec;
}

/* The copies an earlier run recorded in OUT_DIR/script.json ("generated": "images"), or NULL. */
static json_t *recorded_copies(const char *out_dir)
{
	char *path = of_path_join(out_dir, "script.json");
	json_t *old = NULL, *rec = NULL;
	if (path && of_path_is_file(path) && of_json_load(&old, path, OF_MAX_PACK_META_BYTES) == 0)
		rec = json_incref(json_object_get(json_object_get(old, "generated"), "images"));
	of_error_clear();
	json_decref(old);
	free(path);
	if (!json_is_object(rec)) {
		json_decref(rec);
		rec = NULL;
	}
	return rec;
}

/* The copies an earlier run wrote that this run did not (`now`: written, or kept as an
 * editor changed them; a photo the article no longer shows; an earlier version's
 * NN-foo.jpg, now v-foo.jpg) are removed, each only while its bytes are still the ones recorded: a copy an
 * editor changed or replaced, and any file the record does not name, stay. */
static void remove_old_copies(const json_t *old, const json_t *now, const char *out_dir)
{
	const char *rel;
	json_t *sha;
	json_object_foreach((json_t *)old, rel, sha) {
		/* a plain file of OUT_DIR's own (no link, no ".."), with the bytes this stage wrote */
		struct stat st;
		char *path;
		if (json_object_get(now, rel) || !copy_name(rel) || !json_is_string(sha) ||
		    of_copy_remove(out_dir, rel, json_string_value(sha)) || !(path = of_path_join(out_dir, rel)))
			continue;
		if (lstat(path, &st) == 0)
			of_log(OF_LOG_INFO, "%s is no longer used, but it was changed by hand: kept", rel);
		free(path);
	}
}

/* Writes script.json with its "generated" record: the hash of the script.md
 * written beside it, a hash of each editable cell of its table (so that a later
 * edit of script.md applies only the cells the editor changed: load.c), the
 * storyboard's own hash (edited_by_hand) and the sha256 of the image copies it
 * uses (remove_old_copies). */
static int write_storyboard(json_t *sb, const char *md_hash, const json_t *owned, const char *path)
{
	char js_hash[65];
	json_t *cells = NULL, *copies;
	int rc0 = of_script_table_cells(&cells, sb);
	if (rc0 < 0)
		return rc0;
	if (!(copies = copies_record(sb, owned))) {
		json_decref(cells);
		return of_error_set_oom();
	}
	json_object_set_new(sb, "generated", json_pack("{s:s,s:o,s:o}", "script_md_sha256", md_hash, "script_md_cells",
						       cells, "images", copies));
	/* the files made from the storyboard, as written: `onefish video` refreshes only those still
	 * as onefish wrote them (of_script_refresh_beside) */
	json_t *derived = json_object();
	char *dir = of_path_dirname(path);
	for (size_t i = 0; derived && dir && of_script_derived_files[i]; i++) {
		char sha[65], *p = of_path_join(dir, of_script_derived_files[i]);
		if (p && of_path_is_file(p) && of_sha256_file(sha, p) == 0)
			json_object_set_new(derived, of_script_derived_files[i], json_string(sha));
		free(p);
	}
	free(dir);
	of_error_clear();
	if (!derived)
		return of_error_set_oom();
	json_object_set_new(json_object_get(sb, "generated"), "derived", derived);
	char *text = of_json_dump(sb);
	if (!text)
		return of_error_set_oom();
	int rc = storyboard_hash(js_hash, text);
	free(text);
	if (rc < 0)
		return of_error_set(rc, "script.json: could not hash the storyboard");
	json_object_set_new(json_object_get(sb, "generated"), "storyboard_sha256", json_string(js_hash));
	return of_json_write(path, sb);
}

int of_script_build(const char *input, const of_script_options *opts, const char *out_dir, of_stage_stats *stats)
{
	of_article_doc *doc = NULL;
	const of_segmenter *seg = NULL;
	of_script_block_src *bs = NULL;
	json_t *sb = NULL, *old_copies = NULL, *owned = NULL;
	char *img_dir = NULL, *bg = NULL, *json_path = NULL;
	char md_hash[65];
	of_stage_stats local = {0};
	int rc;
	if (!stats)
		stats = &local;
	if (!opts || !(opts->duration >= OF_MIN_SCRIPT_SECONDS && opts->duration <= OF_MAX_SCRIPT_SECONDS))
		return of_error_set(OF_EINVALID, "duration %g s is out of range (%d-%d s)", opts ? opts->duration : 0.0,
				    OF_MIN_SCRIPT_SECONDS, OF_MAX_SCRIPT_SECONDS);
	if ((rc = check_assets()) < 0)
		return rc;
	const char *edited = opts->force ? NULL : edited_by_hand(out_dir);
	if (edited)
		return of_error_set_at(OF_ERROR, out_dir, 0, 0,
				       "%s was edited by hand since it was generated: not overwriting it "
				       "(render it with onefish video, move it away, or use --force)", edited);
	if (!(owned = json_object()))
		return of_error_set_oom();
	old_copies = recorded_copies(out_dir); /* before script.json is written anew */
	{
		/* the page or Markdown is parsed in a limited worker unless isolation is off */
		of_sandbox_limits iso = OF_SANDBOX_LIMITS_INIT;
		iso.cpu_seconds = opts->flags.parse_cpu_seconds;
		iso.memory_bytes = opts->flags.parse_memory_mb << 20;
		if ((rc = of_article_doc_load_iso(&doc, input, NULL, opts->flags.no_isolate ? NULL : &iso)) < 0)
			goto done;
	}
	stats->records_read = doc->n_blocks;
	if (!(img_dir = of_path_join(out_dir, "images"))) {
		rc = of_error_set_oom();
		goto done;
	}
	/* images/ a folder of OUT_DIR's own: never a link the copies would be written through */
	if ((rc = of_mkdirs(out_dir)) < 0 || (rc = of_copy_mkdir(out_dir, "images")) < 0)
		goto done;
	/* before the images are resolved: the trace names them as the article wrote them */
	if ((rc = of_script_trace_match(&bs, doc, input, &stats->warnings)) < 0)
		goto done;
	if ((rc = resolve_images(doc, out_dir, opts->fetch_images, opts->flags.strict, old_copies, owned, stats)) < 0)
		goto done;
	if ((rc = brand_background(&bg, out_dir, opts->brand.color, old_copies, owned)) < 0)
		goto done;
	if ((rc = of_segmenter_shared(&seg)) < 0)
		goto done;
	if ((rc = of_script_plan(&sb, doc, bs, opts, seg, bg)) < 0)
		goto done;
	if (opts->flags.engine_llm && (rc = of_script_rewrite_llm(sb, opts, seg, stats)) < 0)
		goto done;
	if ((rc = of_script_paginate(sb, seg)) < 0)
		goto done;
	of_script_warn_brand_scenes(sb, doc, bg, &stats->warnings); /* named as script.md numbers them */
	if ((rc = of_script_write_outputs(sb, seg, out_dir, md_hash)) < 0)
		goto done;
	if ((rc = of_script_write_timeline(sb, out_dir, NULL)) < 0)
		goto done;
	prune_unused(sb, owned, out_dir);
	if (!(json_path = of_path_join(out_dir, "script.json"))) {
		rc = of_error_set_oom();
		goto done;
	}
	if ((rc = write_storyboard(sb, md_hash, owned, json_path)) < 0)
		goto done;
	if (old_copies)
		remove_old_copies(old_copies, owned, out_dir);
	/* records are the article's blocks: "used" counts those a scene narrates
	 * (a scene count here read as "4 used" of "2 read") */
	{
		size_t n_blocks = doc->n_blocks, used = 0, i, k;
		unsigned char *seen = calloc(n_blocks + 1, 1);
		json_t *sc, *src;
		json_array_foreach(json_object_get(sb, "scenes"), i, sc) {
			json_array_foreach(json_object_get(sc, "sources"), k, src) {
				json_t *para = json_object_get(src, "paragraph");
				json_int_t pi = json_is_integer(para) ? json_integer_value(para) : -1;
				if (seen && pi >= 0 && (size_t)pi < n_blocks && !seen[pi]) {
					seen[pi] = 1;
					used++;
				}
			}
		}
		free(seen);
		stats->records_used = used;
	}
done:
	json_decref(sb);
	json_decref(old_copies);
	json_decref(owned);
	of_article_doc_free(doc);
	free(bs);
	free(img_dir);
	free(bg);
	free(json_path);
	return rc;
}
