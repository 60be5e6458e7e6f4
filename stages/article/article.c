/* article.c — stage 1 entry point: read the posts, keep those in the time
 * window, drop near-duplicates, normalise, compose (offline, or LLM with an
 * offline fallback), copy the images used and write the four files. */
#include "article_int.h"
#include "onefish/article.h"
#include "onefish/copy.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/lint.h"
#include "onefish/log.h"
#include "onefish/sandbox.h"
#include "onefish/utf8.h"

#include <opencc/opencc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_TEXT_POSTS 24   /* more than a week's worth of material for 1500 字 */
#define MAX_IMAGE_POSTS 8
#define NEAR_DUP_JACCARD 0.7

typedef struct cand {
	size_t idx;
	double score;
	uint64_t *sh; /* sorted character-trigram hashes */
	size_t n_sh;
	size_t han;
} cand;

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

static int cmp_cand(const void *x, const void *y)
{
	const cand *a = x, *b = y;
	if (a->score != b->score)
		return (a->score < b->score) - (a->score > b->score);
	return (a->idx > b->idx) - (a->idx < b->idx);
}

static int cmp_size(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	return (a > b) - (a < b);
}

/* Character 3-shingles over Han, letters and digits: near-duplicates share most. */
static int shingles(cand *c, const char *s)
{
	size_t len = strlen(s), i = 0, n = 0, cap = 64;
	int32_t w[3] = {0, 0, 0};
	size_t seen = 0;
	uint64_t *sh = malloc(cap * sizeof *sh);
	if (!sh)
		return of_error_set_oom();
	while (i < len) {
		int32_t cp;
		int k = of_utf8_next(s + i, len - i, &cp);
		i += k > 0 ? (size_t)k : 1;
		if (!(of_utf8_is_han(cp) || (cp < 0x80 && ((cp >= '0' && cp <= '9') || ((cp | 32) >= 'a' && (cp | 32) <= 'z')))))
			continue;
		w[0] = w[1];
		w[1] = w[2];
		w[2] = cp;
		if (++seen < 3)
			continue;
		if (n == cap) {
			uint64_t *ns = realloc(sh, cap * 2 * sizeof *ns);
			if (!ns) {
				free(sh);
				return of_error_set_oom();
			}
			sh = ns;
			cap *= 2;
		}
		sh[n++] = of_xxh64(w, sizeof w, 3);
	}
	qsort(sh, n, sizeof *sh, cmp_u64);
	size_t u = 0;
	for (size_t k = 0; k < n; k++)
		if (!u || sh[u - 1] != sh[k])
			sh[u++] = sh[k];
	c->sh = sh;
	c->n_sh = u;
	return 0;
}

static double jaccard(const cand *a, const cand *b)
{
	size_t i = 0, k = 0, inter = 0;
	if (!a->n_sh || !b->n_sh)
		return 0;
	while (i < a->n_sh && k < b->n_sh) {
		if (a->sh[i] == b->sh[k]) {
			inter++;
			i++;
			k++;
		} else if (a->sh[i] < b->sh[k]) {
			i++;
		} else {
			k++;
		}
	}
	return (double)inter / (double)(a->n_sh + b->n_sh - inter);
}

static int window(const of_article_options *o, long long *lo, long long *hi, int *active)
{
	*lo = -(1LL << 62);
	*hi = 1LL << 62;
	*active = 0;
	if (o->since || o->until) {
		if (o->since && of_post_parse_time(o->since, lo, NULL) < 0)
			return of_error_set(OF_EUSAGE, "--since: cannot read '%s' as a date (2026-11-16 or ISO 8601)", o->since);
		if (o->until && of_post_parse_time(o->until, hi, NULL) < 0)
			return of_error_set(OF_EUSAGE, "--until: cannot read '%s' as a date (2026-11-16 or ISO 8601)", o->until);
		*active = 1;
	} else if (o->week) {
		if (of_post_parse_iso_week(o->week, lo, hi) < 0)
			return of_error_set(OF_EUSAGE, "week: cannot read '%s' as an ISO week (2026-W47)", o->week);
		*active = 1;
	}
	return 0;
}

/* Picks the posts to compose from: in the window, strongest first, near-duplicates dropped. */
static int select_posts(const of_posts *all, const of_article_options *o, size_t **out, size_t *n_out)
{
	long long lo, hi;
	int active, rc;
	cand *c = NULL, **kept = NULL;
	size_t nc = 0, n_text = 0, n_img = 0, n_kept = 0, outside = 0, dups = 0, unreadable = 0, untimed = 0;
	char untimed_ids[1200] = "";
	*out = NULL;
	*n_out = 0;
	if ((rc = window(o, &lo, &hi, &active)) < 0)
		return rc;
	if (!(c = calloc(all->n + 1, sizeof *c)) || !(kept = calloc(MAX_TEXT_POSTS + MAX_IMAGE_POSTS + 1, sizeof *kept)) ||
	    !(*out = calloc(MAX_TEXT_POSTS + MAX_IMAGE_POSTS + 1, sizeof **out))) {
		rc = of_error_set_oom();
		goto done;
	}
	for (size_t i = 0; i < all->n; i++) {
		const of_post *p = &all->items[i];
		if (active && p->has_time && (p->epoch < lo || p->epoch >= hi)) {
			/* named, a few of them: a post the editor expected must be findable */
			if (outside < 5)
				of_log(OF_LOG_INFO, "%s:%lu: post '%s' (%s) is outside the time window: not used",
				       of_path_display(p->origin), p->line, p->id, p->time);
			outside++;
			continue;
		}
		if (active && !p->has_time && p->time && p->time[0]) { /* a typo'd date may be any week's */
			/* the reader warned about the time, at its own line when it knows it */
			of_log(OF_LOG_INFO, "%s:%lu: post '%s' is not used: its time cannot be placed in the time window",
			       of_path_display(p->origin), p->time_line ? p->time_line : p->line, p->id);
			unreadable++;
			continue;
		}
		if (active && !p->has_time && !p->time) { /* one warning for them all: next-posts stubs have no time */
			if (untimed < 5)
				snprintf(untimed_ids + strlen(untimed_ids), sizeof untimed_ids - strlen(untimed_ids), "%s%s:%lu '%s'",
					 untimed ? ", " : "", of_path_display(p->origin), p->line, p->id);
			untimed++;
		}
		size_t han = of_utf8_han_count(p->text, strlen(p->text));
		if (han < 2 && !p->n_images) {
			of_log_warn_at(p->origin, p->line, 0, "post '%s' has no usable text and no images; not used", p->id);
			continue;
		}
		c[nc].idx = i;
		c[nc].han = han;
		c[nc].score = (double)p->likes + (double)han / 4.0;
		nc++;
	}
	if (untimed)
		of_log(OF_LOG_WARN, "%zu post%s no time, kept although a time window is set: %s%s", untimed,
		       untimed == 1 ? " has" : "s have", untimed_ids, untimed > 5 ? ", …" : "");
	if (outside)
		of_log(OF_LOG_INFO, "%zu post%s outside the time window %s left out%s", outside, outside == 1 ? "" : "s",
		       outside == 1 ? "was" : "were", outside > 5 ? " (the first 5 are named above)" : "");
	qsort(c, nc, sizeof *c, cmp_cand);
	for (size_t i = 0; i < nc && (n_text < MAX_TEXT_POSTS || n_img < MAX_IMAGE_POSTS); i++) {
		const of_post *p = &all->items[c[i].idx];
		int image_only = c[i].han < 2;
		if (image_only ? n_img >= MAX_IMAGE_POSTS : n_text >= MAX_TEXT_POSTS)
			continue;
		if (!image_only) {
			int dup = 0;
			if ((rc = shingles(&c[i], p->text)) < 0)
				goto done;
			for (size_t k = 0; k < n_kept && !dup; k++) {
				double j = jaccard(&c[i], kept[k]);
				if (j >= NEAR_DUP_JACCARD) {
					of_log_warn_at(p->origin, p->line, 0, "post '%s' dropped: near-duplicate of '%s' (%.0f%% shared)",
						       p->id, all->items[kept[k]->idx].id, j * 100);
					dup = 1;
				}
			}
			if (dup) {
				dups++;
				continue;
			}
			n_text++;
		} else {
			n_img++;
		}
		kept[n_kept++] = &c[i];
		(*out)[(*n_out)++] = c[i].idx;
	}
	/* input order from here on: the composer orders by time itself */
	qsort(*out, *n_out, sizeof **out, cmp_size);
	rc = 0;
done:
	if (c)
		for (size_t i = 0; i < nc; i++)
			free(c[i].sh);
	free(c);
	free(kept);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n_out = 0;
	}
	return rc;
}

static void safe_name(char *dst, size_t n, const char *path)
{
	const char *base = of_path_basename(path);
	if (!of_path_safe_part(dst, n, base, strlen(base)) || dst[0] == '.')
		snprintf(dst, n, "image");
}

/* Images are copied into OUT_DIR/images/ so article.md's paths resolve from the output folder.
 * A copy there that an editor changed since the last run wrote it (`recorded`: rel → sha256,
 * from article.trace.json), or one no record names, or a symlink, is kept and warned about, and
 * the article shows it as it is. `owned` gets rel → sha256 of each copy written (or already
 * holding those bytes), rel → null for each kept. */
static int copy_images(of_doc *d, of_npost *posts, size_t n_posts, const char *out_dir, const json_t *recorded,
		       json_t *owned)
{
	char **names = NULL;
	size_t n_names = 0;
	int rc = 0;
	for (size_t i = 0; i < d->n_blocks && rc == 0; i++) {
		of_block *b = &d->blocks[i];
		if (b->kind != OF_BLK_IMAGE)
			continue;
		of_npost *p = &posts[b->img_post];
		of_img *im = &p->imgs[strtoul(b->text, NULL, 10)];
		if (im->out)
			continue;
		/* a photo two posts share is copied once and named once */
		const char *same = NULL;
		for (size_t q = 0; q < n_posts && !same; q++)
			for (size_t j = 0; j < posts[q].n_imgs && !same; j++)
				if (posts[q].imgs[j].out && strcmp(posts[q].imgs[j].src, im->src) == 0)
					same = posts[q].imgs[j].out;
		if (same) {
			if (!(im->out = strdup(same)))
				rc = of_error_set_oom();
			continue;
		}
		char name[200], cand_name[220];
		safe_name(name, sizeof name, im->src);
		snprintf(cand_name, sizeof cand_name, "%s", name);
		for (int k = 2;; k++) {
			int taken = 0;
			for (size_t m = 0; m < n_names; m++)
				taken |= strcmp(names[m], cand_name) == 0;
			if (!taken)
				break;
			snprintf(cand_name, sizeof cand_name, "%d-%s", k, name);
		}
		char **nn = realloc(names, (n_names + 1) * sizeof *nn);
		if (!nn) {
			rc = of_error_set_oom();
			break;
		}
		names = nn;
		if (!(names[n_names] = strdup(cand_name))) {
			rc = of_error_set_oom();
			break;
		}
		n_names++;
		size_t ol = strlen(cand_name) + 8;
		if (!(im->out = malloc(ol))) {
			rc = of_error_set_oom();
			break;
		}
		snprintf(im->out, ol, "images/%s", cand_name);
		char *data = NULL, sha[65];
		size_t len = 0;
		of_copy_result cr;
		if ((rc = of_file_read(&data, &len, im->src, OF_MAX_IMAGE_BYTES)) == 0 &&
		    (rc = of_copy_write(&cr, out_dir, im->out, data, len, of_json_str(recorded, im->out))) == 0 &&
		    (rc = of_sha256_hex(sha, data, len)) == 0) {
			if (of_copy_kept(cr))
				of_copy_warn_kept(out_dir, im->out, cr);
			if (json_object_set_new(owned, im->out, of_copy_kept(cr) ? json_null() : json_string(sha)) != 0)
				rc = of_error_set_oom();
		}
		free(data);
	}
	for (size_t m = 0; m < n_names; m++)
		free(names[m]);
	free(names);
	return rc;
}

/* A copy's name as copy_images() makes it: "images/NAME", one plain file right in images/
 * (a record naming anything else, article.md or "../x", is never acted on). */
static int copy_name(const char *rel)
{
	return strncmp(rel, "images/", 7) == 0 && rel[7] && rel[7] != '.' && !strchr(rel + 7, '/') &&
	       !strchr(rel + 7, '\\');
}

json_t *of_article_recorded_copies(const char *out_dir)
{
	char *path = of_path_join(out_dir, "article.trace.json");
	json_t *trace = NULL, *rec = NULL;
	if (path && of_path_is_file(path) && of_json_load(&trace, path, OF_MAX_PACK_META_BYTES) == 0 &&
	    json_is_object(json_object_get(trace, "images_sha256")))
		rec = json_incref(json_object_get(trace, "images_sha256"));
	of_error_clear();
	json_decref(trace);
	free(path);
	return rec;
}

/* What article.trace.json records: the copies written, not those kept as an editor left them. */
static json_t *copies_record(const json_t *owned)
{
	json_t *rec = json_object(), *sha;
	const char *rel;
	json_object_foreach((json_t *)owned, rel, sha)
		if (rec && json_is_string(sha) && json_object_set(rec, rel, sha) != 0) {
			json_decref(rec);
			return NULL;
		}
	return rec;
}

/* The copies the last run wrote that the article no longer shows are removed, each only while
 * it is a plain file of OUT_DIR's own with the bytes recorded: a copy an editor changed stays. */
static void remove_stale_copies(const json_t *recorded, const json_t *owned, const char *out_dir)
{
	const char *rel;
	json_t *sha;
	json_object_foreach((json_t *)recorded, rel, sha) {
		struct stat st;
		char *path;
		if (json_object_get(owned, rel) || !copy_name(rel) || !json_is_string(sha))
			continue;
		if (of_copy_remove(out_dir, rel, json_string_value(sha)))
			of_log(OF_LOG_INFO, "%s is no longer used (not edited): removed", rel);
		else if ((path = of_path_join(out_dir, rel)) != NULL) {
			if (lstat(path, &st) == 0)
				of_log(OF_LOG_INFO, "%s is no longer used, but it was changed by hand: kept", rel);
			free(path);
		}
	}
}

static int convert_doc(of_doc *d, opencc_t cc)
{
	char **fields[3] = {&d->title, &d->summary, NULL};
	for (int f = 0; fields[f]; f++) {
		if (!*fields[f])
			continue;
		char *c = opencc_convert_utf8(cc, *fields[f], strlen(*fields[f]));
		if (!c)
			return of_error_set(OF_ERROR, "OpenCC conversion failed");
		char *dup = strdup(c);
		opencc_convert_utf8_free(c);
		if (!dup)
			return of_error_set_oom();
		free(*fields[f]);
		*fields[f] = dup;
	}
	for (size_t i = 0; i < d->n_tags + d->n_blocks; i++) {
		char **s = i < d->n_tags ? &d->tags[i] : &d->blocks[i - d->n_tags].text;
		if (i >= d->n_tags && d->blocks[i - d->n_tags].kind == OF_BLK_IMAGE)
			continue;
		char *c = opencc_convert_utf8(cc, *s, strlen(*s));
		if (!c)
			return of_error_set(OF_ERROR, "OpenCC conversion failed");
		char *dup = strdup(c);
		opencc_convert_utf8_free(c);
		if (!dup)
			return of_error_set_oom();
		free(*s);
		*s = dup;
	}
	return 0;
}

/* "<open>N bad record(s) skipped<close>" for an error that says why no post is used, or "". */
static const char *bad_note(char *dst, size_t n, size_t bad, const char *open, const char *close)
{
	dst[0] = 0;
	if (bad)
		snprintf(dst, n, "%s%zu bad record%s skipped%s", open, bad, bad == 1 ? "" : "s", close);
	return dst;
}

int of_article_build(const char *const *post_paths, size_t n_paths, const of_article_options *opts,
		     const char *out_dir, of_stage_stats *stats)
{
	of_posts all;
	of_posts_read_options ro = OF_POSTS_READ_OPTIONS_INIT;
	of_posts_read_stats rs = {0};
	of_art_assets assets;
	of_npost *np = NULL;
	size_t *sel = NULL, n_sel = 0, lint_hits = 0;
	of_doc doc = {0};
	opencc_t t2s = (opencc_t)-1;
	json_t *recorded = NULL, *owned = NULL, *record = NULL;
	int rc;
	of_posts_init(&all);
	if ((rc = of_file_guard_edit(out_dir, "article.md", "article.trace.json", "article_md_sha256", opts->force)) < 0)
		return rc;
	if (opts->min_chars < 0 || opts->max_chars < 1 || opts->min_chars > opts->max_chars)
		return of_error_set(OF_EUSAGE, "article length target %d..%d: min_chars must not exceed max_chars",
				    opts->min_chars, opts->max_chars);
	if ((rc = of_art_assets_load(&assets)) < 0)
		return rc;
	ro.strict = opts->flags.strict;
	ro.now = (long long)time(NULL); /* only for the "time in the future" warning */
	/* the reader, the selection and the normalising each warn about records:
	 * held until the posts are ready, so they come out in line order */
	of_log_hold();
	{
		/* each posts file is parsed in a limited worker unless isolation is off */
		of_sandbox_limits iso = OF_SANDBOX_LIMITS_INIT;
		iso.cpu_seconds = opts->flags.parse_cpu_seconds;
		iso.memory_bytes = opts->flags.parse_memory_mb << 20;
		for (size_t i = 0; i < n_paths && rc == 0; i++)
			rc = of_posts_load_iso(&all, post_paths[i], &ro, &rs, opts->flags.no_isolate ? NULL : &iso);
	}
	if (stats) {
		stats->records_read += rs.records;
		stats->records_bad += rs.bad;
	}
	if (rc < 0)
		goto done;
	if (all.n == 0) {
		rc = of_error_set_at(OF_EINVALID, n_paths ? post_paths[0] : "", 0, 0, "no usable posts (%zu bad record%s)",
				     rs.bad, rs.bad == 1 ? "" : "s");
		goto done;
	}
	if ((rc = select_posts(&all, opts, &sel, &n_sel)) < 0)
		goto done;
	if (n_sel == 0) {
		long long lo, hi;
		int active = 0;
		window(opts, &lo, &hi, &active);
		char win[160] = "", bad[80];
		if (opts->since || opts->until)
			snprintf(win, sizeof win, "%s%s%s%s", opts->since ? " from " : "", opts->since ? opts->since : "",
				 opts->until ? " before " : "", opts->until ? opts->until : "");
		else if (opts->week)
			snprintf(win, sizeof win, " %s (week: in onefish.yaml)", opts->week);
		rc = active ? of_error_set_at(OF_EINVALID, post_paths[0], 0, 0,
					      "no usable post in the time window%s (%zu read; each left out is named above)",
					      win, all.n)
			    : all.n == 1 ? of_error_set_at(OF_EINVALID, post_paths[0], 0, 0,
							   "no usable post: the only post read has no text or images (it is "
							   "named above%s)", bad_note(bad, sizeof bad, rs.bad, "; ", ""))
			    : of_error_set_at(OF_EINVALID, post_paths[0], 0, 0,
					      "no usable post: none of the %zu posts read has text or images (each is "
					      "named above%s)", all.n, bad_note(bad, sizeof bad, rs.bad, "; ", ""));
		goto done;
	}
	t2s = opencc_open("t2s.json");
	if (t2s == (opencc_t)-1)
		of_log(OF_LOG_WARN, "OpenCC t2s.json not available: traditional posts are not converted for analysis");
	if (!(np = calloc(n_sel, sizeof *np))) {
		rc = of_error_set_oom();
		goto done;
	}
	{
		of_lint *lint = NULL;
		/* remote images: the configured cache, else a hidden folder beside the outputs */
		char *cache = opts->flags.cache_dir ? of_path_join(opts->flags.cache_dir, "images")
						    : of_path_join(out_dir, ".cache/images");
		if (!cache) {
			rc = of_error_set_oom();
			goto done;
		}
		if ((rc = of_lint_new(&lint, NULL)) < 0) {
			free(cache);
			goto done;
		}
		for (size_t i = 0; i < n_sel && rc == 0; i++) {
			rc = of_art_normalize(&np[i], &all.items[sel[i]], &assets, t2s == (opencc_t)-1 ? NULL : t2s, cache,
					      !opts->relative_dates, opts->flags.strict);
			if (rc == 0)
				np[i].lint_hits = of_lint_scan(lint, np[i].norm, np[i].norm_len, NULL, NULL);
		}
		of_lint_free(lint);
		free(cache);
		if (rc < 0)
			goto done;
	}
	of_log_release();
	{
		size_t with_text = 0;
		for (size_t i = 0; i < n_sel; i++)
			with_text += np[i].n_sents > 0;
		if (!with_text) {
			char bad[80];
			bad_note(bad, sizeof bad, rs.bad, " (", ")");
			rc = all.n == 1 ? of_error_set_at(OF_EINVALID, post_paths[0], 0, 0,
							  "no post has usable text: the only post read is empty, "
							  "emoji-only or images only%s", bad)
					: of_error_set_at(OF_EINVALID, post_paths[0], 0, 0,
							  "no post has usable text: the %zu posts read are empty, emoji-only "
							  "or images only%s%s", all.n,
							  n_sel < all.n ? ", or were left out above" : "", bad);
			goto done;
		}
	}
	rc = -1;
	if (opts->flags.engine_llm) {
		rc = of_art_llm(&doc, np, n_sel, opts, &assets);
		if (rc < 0) {
			char msg[1200];
			of_error_format(of_error_last(), msg, sizeof msg);
			of_log(OF_LOG_WARN, "LLM engine failed (%s); using the offline composer", msg);
			if (stats)
				stats->warnings++;
			of_doc_free(&doc);
		}
	}
	if (rc < 0 && (rc = of_art_compose(&doc, np, n_sel, opts, &assets)) < 0)
		goto done;
	if ((size_t)opts->min_chars > of_doc_han(&doc))
		of_log(OF_LOG_WARN, "article is %zu 字, under the %d 字 target: the posts do not hold more material",
		       of_doc_han(&doc), opts->min_chars);
	if (opts->traditional) {
		opencc_t s2t = opencc_open("s2t.json");
		if (s2t == (opencc_t)-1) {
			rc = of_error_set(OF_ERROR, "OpenCC s2t.json not available for article.script: traditional");
			goto done;
		}
		rc = convert_doc(&doc, s2t);
		opencc_close(s2t);
		if (rc < 0)
			goto done;
	}
	if (!(owned = json_object())) {
		rc = of_error_set_oom();
		goto done;
	}
	recorded = of_article_recorded_copies(out_dir); /* before the trace is written anew */
	if ((rc = of_mkdirs(out_dir)) < 0 || (rc = copy_images(&doc, np, n_sel, out_dir, recorded, owned)) < 0)
		goto done;
	if (!(record = copies_record(owned))) {
		rc = of_error_set_oom();
		goto done;
	}
	if ((rc = of_art_write(&doc, np, n_sel, opts, out_dir, record, &lint_hits)) < 0)
		goto done;
	if (recorded)
		remove_stale_copies(recorded, owned, out_dir);
	if (stats) {
		size_t used = 0;
		for (size_t i = 0; i < n_sel; i++) {
			int u = 0;
			for (size_t b = 0; b < doc.n_blocks && !u; b++) {
				for (size_t k = 0; k < doc.blocks[b].n_srcs; k++)
					u |= doc.blocks[b].srcs[k].post == i;
				u |= doc.blocks[b].kind == OF_BLK_IMAGE && doc.blocks[b].img_post == i;
			}
			used += (size_t)u;
		}
		stats->records_used += used;
		stats->warnings += lint_hits;
	}
	/* the same counts as the stage summary: records read include the bad ones skipped */
	if (stats && stats->records_bad)
		of_log(OF_LOG_INFO, "article: %zu 字, %zu post%s used of %zu read (%zu bad, skipped), %zu lint warning%s",
		       of_doc_han(&doc), stats->records_used, stats->records_used == 1 ? "" : "s", stats->records_read,
		       stats->records_bad, lint_hits, lint_hits == 1 ? "" : "s");
	else
		of_log(OF_LOG_INFO, "article: %zu 字, %zu post%s used of %zu read, %zu lint warning%s", of_doc_han(&doc),
		       stats ? stats->records_used : 0, stats && stats->records_used == 1 ? "" : "s",
		       stats ? stats->records_read : all.n, lint_hits, lint_hits == 1 ? "" : "s");
done:
	json_decref(recorded);
	json_decref(owned);
	json_decref(record);
	of_log_release();
	of_doc_free(&doc);
	if (np)
		for (size_t i = 0; i < n_sel; i++)
			of_art_npost_free(&np[i]);
	free(np);
	free(sel);
	if (t2s != (opencc_t)-1)
		opencc_close(t2s);
	of_posts_free(&all);
	of_art_assets_free(&assets);
	return rc;
}
