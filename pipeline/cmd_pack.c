/* cmd_pack.c — run, review, check: the weekly pack commands. */
#include "batch.h"
#include "cache.h"
#include "cli.h"
#include "pack_events.h"
#include "review.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/log.h"
#include "onefish/pack.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run_run(const of_cli_args *a)
{
	of_pack_options o = OF_PACK_OPTIONS_INIT;
	if (a->n_pos < 1)
		return of_cli_usage_error(&of_cmd_run, "give at least one pack folder");
	if (a->config && a->n_pos > 1)
		return of_cli_usage_error(&of_cmd_run, "--config applies to one pack; each pack has its own onefish.yaml");
	of_pack_events_setup(a->json, a->quiet, a->jobs);
	o.out_root = a->out_dir ? a->out_dir : "out";
	o.force = a->force;
	o.dry_run = a->dry_run;
	o.cli = a;
	return of_batch_run(a->pos, a->n_pos, a, &o);
}

static int review_one(const of_cli_args *a, const char *dir)
{
	if (of_review_write(dir, NULL) < 0)
		return of_cli_fail("review");
	/* an event like run's: --json gets {"event":"review_written","path":…} on stdout */
	char page[4200];
	snprintf(page, sizeof page, "%s/index.html", dir);
	of_pack_event("review_written", NULL, NULL, json_pack("{s:s}", "path", page), 0, "review: wrote %s", page);
	return OF_EXIT_OK;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static int has_manifest(const char *dir)
{
	char *p = of_path_join(dir, "manifest.json");
	int yes = p && of_path_is_file(p);
	free(p);
	return yes;
}

static int run_review(const of_cli_args *a)
{
	of_pack_events_setup(a->json, a->quiet, 1);
	of_pack_files subs = {0};
	int worst = OF_EXIT_OK, found = 0;
	char root[4096];
	size_t n;
	if (a->n_pos != 1)
		return of_cli_usage_error(&of_cmd_review, "give exactly one folder (OUT_DIR/<pack>, or OUT_DIR for every pack)");
	snprintf(root, sizeof root, "%s", a->pos[0]);
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		root[--n] = '\0';
	if (has_manifest(root) || !of_path_is_dir(root))
		return review_one(a, root);
	/* OUT_DIR itself: rewrite the page of every pack folder in it (sorted, for a stable order). */
	DIR *d = opendir(root);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char *dir;
		if (e->d_name[0] == '.')
			continue;
		dir = of_path_join(root, e->d_name);
		if (dir && of_path_is_dir(dir) && has_manifest(dir) && of_pack_files_add(&subs, dir, e->d_name) < 0) {
			free(dir);
			break;
		}
		free(dir);
	}
	if (d)
		closedir(d);
	if (subs.n > 1) /* qsort(NULL, 0, ...) is undefined behaviour (UBSan) */
		qsort(subs.paths, subs.n, sizeof *subs.paths, cmp_str);
	for (size_t i = 0; i < subs.n; i++) {
		int rc = review_one(a, subs.paths[i]);
		found++;
		if (rc > worst)
			worst = rc;
	}
	of_pack_files_clear(&subs);
	return found ? worst : review_one(a, root);
}

static int run_check(const of_cli_args *a)
{
	int worst = OF_EXIT_OK;
	size_t skipped = 0;
	if (a->n_pos < 1)
		return of_cli_usage_error(&of_cmd_check, "give at least one pack folder");
	of_pack_events_setup(a->json, a->quiet, a->jobs);
	for (size_t i = 0; i < a->n_pos; i++) {
		of_pack_job *job = NULL;
		of_config *cfg = NULL;
		of_pack_check_counts found = {0, 0};
		of_pack_arg kind = of_pack_arg_kind(a->pos[i]);
		if (a->n_pos > 1 && !a->config && of_batch_skip(a->pos[i], kind)) {
			/* as `run packs/<star>` skips them: a README or a tool folder is no pack */
			if (++skipped == a->n_pos)
				worst = of_batch_none_is_a_pack("check", a->n_pos);
			continue;
		}
		/* the config's own warnings (a log listed twice) count in the closing line too: it counts what was printed */
		size_t w0 = of_log_warning_count(), w_config;
		int rc = of_pack_job_load(&job, &cfg, a->pos[i], a->config);
		w_config = of_log_warning_count() - w0;
		if (rc < 0) {
			of_error e = *of_error_last(); /* of_pack_name reads the config again and clears it */
			rc = of_cli_fail("check");
			if (rc > worst)
				worst = rc;
			if (a->json) {
				/* one `check` event per pack, failed at its config too, with the place */
				char name[256], msg[2300];
				json_t *f = json_pack("{s:s,s:s,s:i,s:i,s:i}", "status", "failed", "dir", a->pos[i], "problems", 1,
						      "code", e.code, "exit", rc);
				of_pack_name(name, sizeof name, a->pos[i], a->config);
				if (f && e.path[0])
					json_object_set_new(f, "file", json_string(e.path));
				if (f && e.path[0] && e.line)
					json_object_set_new(f, "line", json_integer((json_int_t)e.line));
				if (f && e.path[0] && e.line && e.col)
					json_object_set_new(f, "col", json_integer((json_int_t)e.col));
				of_pack_event("check", name, NULL, f, 2, "%s", of_error_format(&e, msg, sizeof msg));
			}
			continue;
		}
		of_pack_events_pack(job->name); /* --json: what check reports carries the pack's name */
		/* the strictness run would have: --strict, or `strict: true` in the config */
		int strict = a->strict || of_config_bool(cfg, "strict", 0);
		found.warnings = w_config;
		if (of_pack_check(job, strict, &found) < 0) {
			int code = of_error_last()->code;
			rc = of_cli_fail("check");
			if (rc > worst)
				worst = rc;
			if (a->json)
				of_pack_event("check", job->name, NULL,
					      json_pack("{s:s,s:i,s:i,s:i,s:i,s:i}", "status", "failed", "problems", (int)found.errors,
							"errors", (int)found.errors, "warnings", (int)found.warnings, "code", code,
							"exit", rc),
					      2, "%s", of_error_last()->message);
		} else {
			char warned[64] = "";
			if (found.warnings)
				snprintf(warned, sizeof warned, "; %zu warning%s (run goes on)", found.warnings,
					 found.warnings == 1 ? "" : "s");
			of_pack_event("check", job->name, NULL,
				      json_pack("{s:s,s:i,s:i,s:i,s:i}", "status", "ok", "posts", (int)job->n_posts, "comments",
						(int)job->n_comments, "errors", 0, "warnings", (int)found.warnings),
				      0, "ok: config, %zu post file%s, %zu comment log%s%s", job->n_posts,
				      job->n_posts == 1 ? "" : "s", job->n_comments, job->n_comments == 1 ? "" : "s", warned);
		}
		of_pack_events_pack(NULL);
		of_pack_job_free(job);
		of_config_free(cfg);
	}
	return worst;
}

const of_command of_cmd_run = {
	"run", "run the whole loop on pack folders into OUT_DIR/<pack>/",
	"usage: onefish run PACK_DIR... [-o OUT_DIR] [-j N] [--shard I/N] [--force] [--engine offline|llm]\n"
	"                  [--strict] [--json] [--quiet] [--dry-run]\n"
	"\nRuns article → script → video, and prompts, for each pack into OUT_DIR/<pack name>/,\n"
	"with manifest.json and the review page index.html. Stages whose inputs, settings and\n"
	"onefish version are unchanged are skipped (cached). Files you edited by hand are kept:\n"
	"an edited article.md feeds the script and video; --force regenerates and keeps the edit\n"
	"as article.edited.md.\n\n"
	"  -o, --out DIR     output root (default out/)\n"
	"  -j, --jobs N      packs run in parallel, one process each (default 1)\n"
	"  --shard I/N       run only the packs whose name hashes to shard I of N, counting from 0:\n"
	"                    --shard 0/4 … 3/4 split the packs in four (also from JOB_COMPLETION_INDEX,\n"
	"                    0-based like I, and JOB_COMPLETIONS)\n"
	"  --force           rerun every stage\n"
	"  --dry-run         print what would run and why; write nothing\n"
	"  --engine NAME     offline (default) or llm\n"
	"  --config FILE     config for a single pack (default PACK_DIR/onefish.yaml)\n"
	"  --strict          any bad record fails the pack (exit 3)\n"
	"  --no-isolate      parse inputs in-process, not in a limited worker (debugging)\n"
	"  --json            one JSON object per event on stdout, for CI\n"
	"  --quiet           only warnings and errors (and the summary when a pack failed)\n"
	"exit status: 0 all packs ok, 1 a pack failed, 2 usage, 3 every failure was bad input,\n"
	"130/143 interrupted (finished stages are kept; the next run resumes)\n"
	"\nexample: onefish run examples/* -o out -j 2\n",
	OF_OPT_OUT | OF_OPT_JOBS | OF_OPT_SHARD | OF_OPT_FORCE | OF_OPT_ENGINE | OF_OPT_DRYRUN, run_run};

const of_command of_cmd_review = {
	"review", "(re)write OUT_DIR/index.html, the review page",
	"usage: onefish review OUT_DIR/PACK | OUT_DIR\n"
	"\n(Re)writes the pack's review page index.html from the files in the folder and\n"
	"manifest.json (given OUT_DIR, the page of every pack in it). It works offline\n"
	"from file:// (no external requests).\n"
	"\nexample: onefish review out/week-2026-47 && xdg-open out/week-2026-47/index.html\n",
	0, run_review};

const of_command of_cmd_check = {
	"check", "validate a pack's config and inputs; writes nothing",
	"usage: onefish check PACK_DIR... [--strict] [--json]\n"
	"\nValidates onefish.yaml (errors name the line and suggest the nearest key) and that\n"
	"every input exists and is readable: posts, the images posts reference, comment logs,\n"
	"music. Writes nothing. Each finding is a warning or an error as `run` would treat it:\n"
	"a bad record run skips or an image it leaves out is a warning, an error under --strict\n"
	"(or strict: true). The closing line counts both (1 error, 2 warnings found).\n"
	"exit status: 0 no error (warnings alone: run goes on), 3 an error: run would fail the pack\n"
	"\nexample: onefish check examples/week-2026-47\n",
	0, run_check};
