/* pack_job.c — a pack folder → its config, name and resolved input paths; `check`. */
#include "cache.h"
#include "pack_events.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/utf8.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/render.h"
#include "onefish/log.h"
#include "onefish/post.h"
#include "onefish/pack.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <strings.h>

static char *strip_slashes(const char *dir)
{
	char *d = strdup(dir);
	size_t n = d ? strlen(d) : 0;
	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	return d;
}

static int load_cfg(of_config **cfg, const char *pack_dir, const char *config_path)
{
	char *p = NULL;
	int rc;
	if (config_path)
		return of_config_load(cfg, config_path);
	p = of_path_join(pack_dir, "onefish.yaml");
	if (!p)
		return of_error_set_oom();
	rc = of_path_is_file(p) ? of_config_load(cfg, p) : of_config_new_empty(cfg);
	free(p);
	return rc;
}

/* The folder's name as a pack name: `.`, `..` and `x/.` are named as the folder they
 * are (`cd packs/week-48 && onefish run .`), not literally. Caller frees. */
static char *folder_name(const char *pack_dir)
{
	char *d = strip_slashes(pack_dir);
	const char *b = d ? of_path_basename(d) : NULL;
	char *name = NULL;
	if (b && (strcmp(b, ".") == 0 || strcmp(b, "..") == 0 || !b[0])) {
		char *real = realpath(pack_dir, NULL);
		if (real && strcmp(real, "/") != 0)
			name = strdup(of_path_basename(real));
		free(real);
	}
	if (!name)
		name = strdup(b ? b : pack_dir);
	free(d);
	return name;
}

void of_pack_name(char *buf, size_t n, const char *pack_dir, const char *config_path)
{
	of_config *cfg = NULL;
	char *d;
	const char *name;
	if (of_pack_arg_kind(pack_dir) == OF_PACK_ARG_MISSING) {
		/* no pack: named as given (a `packs/STAR` the shell left as written, not `*`) */
		snprintf(buf, n, "%s", pack_dir);
		return;
	}
	d = folder_name(pack_dir);
	name = d ? d : pack_dir;
	if (load_cfg(&cfg, pack_dir, config_path) == 0)
		name = of_config_str(cfg, "name", name);
	else
		of_error_clear();
	snprintf(buf, n, "%s", name);
	of_config_free(cfg);
	free(d);
}

static int valid_name(const char *s)
{
	if (!s[0] || s[0] == '.' || strlen(s) > 200)
		return 0;
	for (; *s; s++)
		if (*s == '/' || *s == '\\' || (unsigned char)*s < 0x20)
			return 0;
	return 1;
}

/* The extension of `path`'s last component when it is one of `exts` (".jsonl"), else NULL. */
static const char *file_ext(const char *path, const char *const *exts)
{
	const char *base = of_path_basename(path), *dot = base ? strrchr(base, '.') : NULL;
	for (size_t i = 0; dot && dot != base && exts[i]; i++)
		if (strcasecmp(dot, exts[i]) == 0)
			return exts[i];
	return NULL;
}

/* Names that say "a file": a folder by that name is a mistake, not a folder of inputs. */
static const char *const posts_exts[] = {".jsonl", ".json", ".csv", ".tsv", ".xlsx", ".html", ".htm", NULL};
static const char *const log_exts[] = {".xml", ".json", ".jsonl", ".csv", ".tsv", ".txt", ".log", ".irc", ".xlsx",
				       ".gz", NULL};

/* `path` (the config's `key`, written `rel`) is a folder though its name ends in a file
 * type of `exts`: read as a folder it would give nothing, silently. */
static int folder_not_file(const of_config *cfg, const char *key, const char *path, const char *rel,
			   const char *const *exts, const char *what)
{
	const char *ext = file_ext(rel, exts);
	if (!ext || !of_path_is_dir(path))
		return 0;
	if (of_config_origin(cfg)[0] && of_config_has(cfg, key))
		return of_error_set_at(OF_EINVALID, of_config_origin(cfg), of_config_line(cfg, key), 0,
				       "%s: '%s' is a folder, not %s (a %s file was expected)", key, rel, what, ext);
	return of_error_set_at(OF_EINVALID, path, 0, 0, "is a folder, not %s (a %s file was expected)", what, ext);
}

/* Resolves one config path inside the pack; errors name the config line. */
static int resolve(char **out, const of_config *cfg, const char *key, const char *pack_dir, const char *rel)
{
	char *real = NULL;
	int rc = of_path_resolve_inside(&real, pack_dir, rel);
	unsigned long line = of_config_line(cfg, key);
	if (rc < 0) {
		if (rc == OF_ENOTFOUND)
			return of_error_set_at(OF_ENOTFOUND, of_config_origin(cfg), line, 0, "%s: '%s' not found in %s",
					       key, rel, pack_dir);
		return of_error_set_at(OF_EINVALID, of_config_origin(cfg), line, 0,
				       "%s: '%s' must be a path inside the pack folder", key, rel);
	}
	free(real);
	/* Hand stages the pack-relative spelling so paths in outputs stay relative. */
	*out = of_path_join(pack_dir, rel);
	return *out ? 0 : of_error_set_oom();
}

static int push(char ***arr, size_t *n, char *s)
{
	char **p = realloc(*arr, (*n + 1) * sizeof *p);
	if (!p) {
		free(s);
		return of_error_set_oom();
	}
	*arr = p;
	p[(*n)++] = s;
	return 0;
}

/* Like push, but an input already listed (the same file by another name, or a
 * folder's log also named on its own) is read once: counted twice it would double
 * every count of the week. */
static int push_input(char ***arr, size_t *n, char *s)
{
	char *real = realpath(s, NULL);
	for (size_t i = 0; real && i < *n; i++) {
		char *other = realpath((*arr)[i], NULL);
		int same = other && strcmp(other, real) == 0;
		free(other);
		if (same) {
			if (strcmp(s, (*arr)[i]) == 0)
				of_log_warn_at(s, 0, 0, "listed twice: read once");
			else
				of_log_warn_at(s, 0, 0, "listed twice (also as %s): read once", (*arr)[i]);
			free(real);
			free(s);
			return 0;
		}
	}
	free(real);
	return push(arr, n, s);
}

/* Every file of the comment folder `cdir` (`rel` as the pack names it), sorted, as comment logs. */
static int add_comment_dir(of_pack_job *job, const char *dir, const char *cdir, const char *rel)
{
	of_pack_files f = {0};
	char *rc_dir = realpath(cdir, NULL), *rp_dir = realpath(dir, NULL);
	size_t cl = rc_dir ? strlen(rc_dir) : 0;
	/* linked to the pack itself (or a folder holding it): its posts and config are no comment logs */
	int loops = rc_dir && rp_dir && strncmp(rp_dir, rc_dir, cl) == 0 && (rp_dir[cl] == '/' || rp_dir[cl] == 0), rc = 0;
	free(rc_dir);
	free(rp_dir);
	if (loops) {
		of_log_warn_at(cdir, 0, 0, "links back to the pack folder: no comment log read from it");
		return 0;
	}
	rc = of_cache_add_dir(&f, cdir, "");
	for (size_t i = 0; rc == 0 && i < f.n; i++) {
		char *real = NULL, *frel = of_path_join(rel, f.labels[i]), *p;
		/* a link to a file outside the pack is refused, as a `comments:` path would be */
		if (frel && of_path_resolve_inside(&real, dir, frel) < 0) {
			of_error_clear();
			of_log_warn_at(f.paths[i], 0, 0, "a link to a file outside the pack: not read");
			free(frel);
			continue;
		}
		free(real);
		free(frel);
		p = strdup(f.paths[i]);
		rc = p ? push_input(&job->comments, &job->n_comments, p) : of_error_set_oom();
	}
	of_pack_files_clear(&f);
	return rc;
}

of_pack_arg of_pack_arg_kind(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0 && stat(path, &st) != 0)
		return OF_PACK_ARG_MISSING;
	if (!of_path_is_dir(path))
		return OF_PACK_ARG_OTHER;
	char *y = of_path_join(path, "onefish.yaml"), *yml = of_path_join(path, "onefish.yml");
	of_pack_arg k = y && of_path_is_file(y) ? OF_PACK_ARG_PACK
			: yml && of_path_is_file(yml) ? OF_PACK_ARG_YML
						      : OF_PACK_ARG_NO_CONFIG;
	free(y);
	free(yml);
	return k;
}

int of_pack_job_load(of_pack_job **out, of_config **cfg_out, const char *pack_dir, const char *config_path)
{
	of_pack_job *job = NULL;
	of_config *cfg = NULL;
	char *dir = NULL;
	const char *const *items;
	size_t n;
	int rc;

	*out = NULL;
	*cfg_out = NULL;
	if (!of_path_is_dir(pack_dir))
		return of_error_set_at(OF_ENOTFOUND, pack_dir, 0, 0, "not a pack folder (%s)",
				       of_pack_arg_kind(pack_dir) != OF_PACK_ARG_MISSING ? "a file, not a folder"
				       : strpbrk(pack_dir, "*?[") ? "no such folder; a pattern the shell matched to nothing?"
								  : "no such folder");
	if (!config_path) {
		of_pack_arg k = of_pack_arg_kind(pack_dir);
		if (k == OF_PACK_ARG_YML)
			return of_error_set_at(OF_EINVALID, pack_dir, 0, 0,
					       "has onefish.yml, but onefish reads onefish.yaml: rename it");
		if (k == OF_PACK_ARG_NO_CONFIG)
			of_log_warn_at(pack_dir, 0, 0,
				       "no onefish.yaml: running without brand, live-stream and week settings");
	}
	if ((rc = load_cfg(&cfg, pack_dir, config_path)) < 0)
		return rc;
	job = calloc(1, sizeof *job);
	dir = strip_slashes(pack_dir);
	if (!job || !dir) {
		rc = of_error_set_oom();
		goto fail;
	}
	job->pack_dir = dir;
	job->cfg = cfg;
	if (!(job->folder_name = folder_name(dir))) {
		rc = of_error_set_oom();
		goto fail;
	}
	job->name = of_config_str(cfg, "name", job->folder_name);
	if (!valid_name(job->name)) {
		rc = of_error_set_at(OF_EINVALID, of_config_origin(cfg)[0] ? of_config_origin(cfg) : pack_dir,
				     of_config_line(cfg, "name"), 0,
				     "pack name '%s' must be a plain folder name (no '/', not starting with '.')", job->name);
		goto fail;
	}
	n = of_config_list(cfg, "posts", &items);
	for (size_t i = 0; i < n; i++) {
		char *p;
		if ((rc = resolve(&p, cfg, "posts", dir, items[i])) < 0)
			goto fail;
		if ((rc = folder_not_file(cfg, "posts", p, items[i], posts_exts, "a posts file")) < 0) {
			free(p);
			goto fail;
		}
		if ((rc = push_input(&job->posts, &job->n_posts, p)) < 0)
			goto fail;
	}
	if (n == 0) {
		static const char *const defaults[] = {"posts.jsonl", "posts.csv", "posts.html", "posts", NULL};
		for (int i = 0; defaults[i] && !job->n_posts; i++) {
			char *p = of_path_join(dir, defaults[i]);
			if (p && (rc = folder_not_file(cfg, "posts", p, defaults[i], posts_exts, "a posts file")) < 0) {
				free(p);
				goto fail;
			}
			if (p && (of_path_is_file(p) || of_path_is_dir(p))) {
				if ((rc = push(&job->posts, &job->n_posts, p)) < 0)
					goto fail;
			} else {
				free(p);
			}
		}
		if (!job->n_posts) {
			rc = of_error_set_at(OF_ENOTFOUND, of_config_origin(cfg)[0] ? of_config_origin(cfg) : dir, 0, 0,
					     "no posts: set `posts:` in onefish.yaml or add posts.jsonl to the pack");
			goto fail;
		}
	}
	n = of_config_list(cfg, "comments", &items);
	for (size_t i = 0; i < n; i++) {
		char *p;
		if ((rc = resolve(&p, cfg, "comments", dir, items[i])) < 0)
			goto fail;
		if ((rc = folder_not_file(cfg, "comments", p, items[i], log_exts, "a comment log")) < 0) {
			free(p);
			goto fail;
		}
		if (of_path_is_dir(p)) { /* a folder stands for every log in it, as `onefish prompts DIR` reads it */
			rc = add_comment_dir(job, dir, p, items[i]);
			free(p);
		} else {
			rc = push_input(&job->comments, &job->n_comments, p);
		}
		if (rc < 0)
			goto fail;
	}
	if (n == 0) {
		char *cdir = of_path_join(dir, "comments");
		rc = cdir ? add_comment_dir(job, dir, cdir, "comments") : of_error_set_oom();
		free(cdir);
		if (rc < 0)
			goto fail;
	}
	if (of_config_str(cfg, "video.music", NULL) &&
	    (rc = resolve(&job->music, cfg, "video.music", dir, of_config_str(cfg, "video.music", NULL))) < 0)
		goto fail;
	if (job->music && !of_path_is_file(job->music)) {
		rc = of_error_set_at(OF_EINVALID, of_config_origin(cfg), of_config_line(cfg, "video.music"), 0,
				     "video.music: '%s' is not a music file (a folder?)", of_config_str(cfg, "video.music", ""));
		goto fail;
	}
	*out = job;
	*cfg_out = cfg;
	return 0;
fail:
	of_pack_job_free(job);
	if (!job)
		free(dir);
	of_config_free(cfg);
	return rc;
}

void of_pack_job_free(of_pack_job *job)
{
	if (!job)
		return;
	for (size_t i = 0; i < job->n_posts; i++)
		free(job->posts[i]);
	for (size_t i = 0; i < job->n_comments; i++)
		free(job->comments[i]);
	free(job->posts);
	free(job->comments);
	free(job->music);
	free(job->folder_name);
	free((char *)job->pack_dir);
	free((char *)job->out_dir);
	free(job);
}

/* ---- check ---- */

/* What check found, counted as the handler receives it, so the closing line counts what was printed. */
typedef struct check_ctx {
	int strict;        /* --strict or `strict: true`: a bad record or an unusable image is an error, as run fails then */
	int first;         /* the first error's code */
	size_t errors, warnings;
	of_log_fn inner;   /* the handler check wraps */
	void *inner_payload;
} check_ctx;

/* Counts each message and bad record by its level; under strict a bad record the reader
 * logged as a warning (it skips it and goes on) is an error, as `run --strict` fails on it. */
static void check_log(const of_log_record *rec, void *payload)
{
	check_ctx *c = payload;
	of_log_record r = *rec;
	if (r.event == OF_EV_BAD_RECORD && c->strict && r.level == OF_LOG_WARN)
		r.level = OF_LOG_ERROR;
	if (r.event == OF_EV_MESSAGE || r.event == OF_EV_BAD_RECORD) {
		if (r.level == OF_LOG_ERROR) {
			c->errors++;
			if (!c->first)
				c->first = OF_EINVALID;
		} else if (r.level == OF_LOG_WARN)
			c->warnings++;
	}
	if (c->inner)
		c->inner(&r, c->inner_payload);
	else { /* no handler registered: as the default one prints */
		of_log_set_handler(NULL, NULL);
		of_log_emit(&r);
		of_log_set_handler(check_log, c);
	}
}

/* A finding at path:line:col (0: unknown), sent with its place as fields: the handler prints
 * `path:line: warning|error: message` as it prints the readers' own, and a --json event
 * carries `file`, `line` and `col`, so CI need not parse them out of `message`. */
static void check_report(check_ctx *c, of_log_level level, int code, const char *path, unsigned long line,
			 unsigned long col, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
static void check_report(check_ctx *c, of_log_level level, int code, const char *path, unsigned long line,
			 unsigned long col, const char *fmt, ...)
{
	char msg[2300];
	va_list ap;
	of_log_record r = {0};
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (path && !path[0])
		path = NULL;
	if (level == OF_LOG_ERROR && !c->first)
		c->first = code;
	r.event = OF_EV_MESSAGE;
	r.level = level;
	r.path = path;
	r.line = path ? line : 0;
	r.col = path && line ? col : 0;
	r.message = msg;
	of_log_emit(&r);
}

/* The last error, as check_report() sends it. */
static void check_report_error(check_ctx *c)
{
	const of_error *e = of_error_last();
	check_report(c, OF_LOG_ERROR, e->code, e->path, e->line, e->col, "%s",
		     e->message[0] ? e->message : of_error_name(e->code));
}

/* The article stage's time window from the config (week, or since/until); 0 when none is set. */
static int check_window(const of_config *cfg, long long *lo, long long *hi)
{
	const char *since = of_config_str(cfg, "since", NULL), *until = of_config_str(cfg, "until", NULL);
	const char *week = of_config_str(cfg, "week", NULL);
	*lo = -(1LL << 62);
	*hi = 1LL << 62;
	if (since || until)
		return (!since || of_post_parse_time(since, lo, NULL) == 0) && (!until || of_post_parse_time(until, hi, NULL) == 0);
	return week && of_post_parse_iso_week(week, lo, hi) == 0;
}

/* An image of a post that run cannot use: run keeps the post without it and warns, or under
 * --strict fails; worded as run words it. */
static void check_image_problem(check_ctx *c, const of_post *p, unsigned long at, int code, const char *why)
{
	if (c->strict)
		check_report(c, OF_LOG_ERROR, code, p->origin, at, 0, "post '%s': %s (run --strict fails on it)", p->id, why);
	else
		check_report(c, OF_LOG_WARN, code, p->origin, at, 0, "post '%s': %s; post kept without it", p->id, why);
}

/* Posts, in any format the readers take: every record reads (bad ones are reported by the
 * reader as file:line, and skipped as run skips them) and every image a post names is usable. */
static void check_posts(check_ctx *c, const char *path, size_t *usable, size_t *in_window, int windowed, long long lo,
			long long hi)
{
	of_posts posts;
	of_posts_read_options o = OF_POSTS_READ_OPTIONS_INIT;
	of_posts_read_stats st = {0};
	of_posts_init(&posts);
	if (of_posts_load(&posts, path, &o, &st) < 0) {
		check_report_error(c);
		of_posts_free(&posts);
		return;
	}
	for (size_t k = 0; k < posts.n; k++) {
		const of_post *p = &posts.items[k];
		/* as the article stage counts: 2+ Han characters or a picture (a next-posts stub whose
		 * text is not written yet has neither) */
		if (of_utf8_han_count(p->text, strlen(p->text)) >= 2 || p->n_images) {
			(*usable)++;
			/* as the article stage selects: in the window, or with no time at all */
			if (!windowed || (p->has_time ? p->epoch >= lo && p->epoch < hi : !p->time || !p->time[0]))
				(*in_window)++;
		} else
			check_report(c, OF_LOG_WARN, 0, p->origin, p->line, 0,
				     "post '%s' has no text and no images yet (a next-posts stub to write?): run leaves it out",
				     p->id);
		for (size_t i = 0; i < p->n_images; i++) {
			const char *img = p->images[i];
			char *real = NULL;
			char why[1200];
			/* the image's own line (a Markdown body's image, an HTML <img>), else the post's */
			unsigned long at = p->image_lines && p->image_lines[i] ? p->image_lines[i] : p->line;
			/* remote images are fetched by run, not checked here; anything else run looks up on
			 * disk, so check does too (a file:///… path: not found, as run says) */
			if (!img || of_post_image_is_remote(img))
				continue;
			/* found exactly as run finds it (a Markdown post's ../images/a.jpg, a Windows
			 * images\a.jpg); not also anywhere in the pack, which run does not search
			 * (QA: check passed a pack whose posts in exports/ named the pack's images/) */
			int rc = of_post_resolve_image(&real, p, i, NULL);
			if (rc == OF_ENOMEM) {
				check_report_error(c);
			} else if (rc < 0) { /* "image 'REL' not found", worded by the lookup run shares */
				snprintf(why, sizeof why, "%s", of_error_last()->message);
				check_image_problem(c, p, at, OF_ENOTFOUND, why);
			} else if (!of_path_is_image(real)) { /* a HEIC from an iPhone, a PDF */
				snprintf(why, sizeof why, "image '%.200s' is not a JPEG, PNG, GIF or WebP image", img);
				check_image_problem(c, p, at, OF_EINVALID, why);
			} else {
				struct stat sb;
				if (stat(real, &sb) == 0 && (unsigned long long)sb.st_size > (unsigned long long)OF_MAX_IMAGE_BYTES) {
					snprintf(why, sizeof why, "image '%.200s' is %lld bytes, over the %zu-byte limit", img,
						 (long long)sb.st_size, (size_t)OF_MAX_IMAGE_BYTES);
					check_image_problem(c, p, at, OF_ELIMIT, why);
				}
			}
			free(real);
		}
	}
	of_posts_free(&posts);
}

static void check_readable(check_ctx *c, const char *path)
{
	of_pack_files f = {0};
	if (of_path_is_dir(path))
		of_cache_add_dir(&f, path, "");
	else
		of_pack_files_add(&f, path, path);
	for (size_t i = 0; i < f.n; i++) {
		char *data = NULL;
		size_t len = 0;
		if (of_file_read(&data, &len, f.paths[i], OF_MAX_FILE_BYTES) < 0)
			check_report_error(c);
		else if (len == 0) /* a comment log with nothing in it fails the prompts stage */
			check_report(c, OF_LOG_ERROR, OF_EINVALID, f.paths[i], 0, 0, "file is empty");
		free(data);
	}
	of_pack_files_clear(&f);
}

/* "1 error, 2 warnings" */
static void format_counts(char *buf, size_t n, size_t errors, size_t warnings)
{
	if (errors && warnings)
		snprintf(buf, n, "%zu error%s, %zu warning%s", errors, errors == 1 ? "" : "s", warnings,
			 warnings == 1 ? "" : "s");
	else if (errors)
		snprintf(buf, n, "%zu error%s", errors, errors == 1 ? "" : "s");
	else
		snprintf(buf, n, "%zu warning%s", warnings, warnings == 1 ? "" : "s");
}

int of_pack_check(const of_pack_job *job, int strict, of_pack_check_counts *counts)
{
	check_ctx c = {0};
	size_t usable = 0, in_window = 0;
	long long lo, hi;
	int windowed = check_window(job->cfg, &lo, &hi);
	c.strict = strict;
	c.warnings = counts ? counts->warnings : 0; /* the config's, printed before */
	of_log_get_handler(&c.inner, &c.inner_payload);
	of_log_set_handler(check_log, &c);
	/* the readers' findings and check's own come out by file and line, not reader first */
	of_log_hold();
	for (size_t i = 0; i < job->n_posts; i++) {
		check_readable(&c, job->posts[i]);
		check_posts(&c, job->posts[i], &usable, &in_window, windowed, lo, hi);
	}
	of_log_release();
	if (job->n_posts && !usable && !c.errors) {
		check_report(&c, OF_LOG_ERROR, OF_EINVALID, NULL, 0, 0,
			     "no post has text or images: run's article stage would have nothing to use");
	} else if (job->n_posts && usable && !in_window && !c.errors) {
		const char *week = of_config_str(job->cfg, "week", NULL);
		check_report(&c, OF_LOG_ERROR, OF_EINVALID, NULL, 0, 0,
			     "none of the %zu usable posts is in the time window (%s%s): run's article stage "
			     "would fail; is the week right?",
			     usable, week ? "week: " : "since/until in onefish.yaml", week ? week : "");
	}
	of_log_hold();
	for (size_t i = 0; i < job->n_comments; i++)
		check_readable(&c, job->comments[i]);
	if (job->music)
		check_readable(&c, job->music);
	of_log_release();
	const char *font = of_config_str(job->cfg, "video.font", NULL);
	if (font && of_video_font_check(font) < 0) /* the video stage would stop on it, after the others ran */
		check_report(&c, OF_LOG_ERROR, OF_ENOTFOUND, of_config_origin(job->cfg), of_config_line(job->cfg, "video.font"),
			     0, "video.font: %s", of_error_last()->message);
	of_log_set_handler(c.inner, c.inner_payload);
	if (counts) {
		counts->errors = c.errors;
		counts->warnings = c.warnings;
	}
	if (c.errors) {
		char what[96];
		format_counts(what, sizeof what, c.errors, c.warnings);
		return of_error_set_at(c.first ? c.first : OF_EINVALID, job->pack_dir, 0, 0, "%s found", what);
	}
	return 0;
}
