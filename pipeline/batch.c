/* batch.c — many packs: stable shards, a process per pack, -j N at a time, one summary. */
#include "batch.h"
#include "pack_events.h"
#include "signals.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int parse_uint(const char *s, unsigned *out)
{
	char *end;
	long v;
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < 0 || v > 1000000)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* A glob like packs/<star> also matches READMEs and tool folders: with more than one
 * path, only folders with a config are packs. A path that is not there, or a config
 * spelled onefish.yml, is not skipped: it fails as its pack (a glob yields neither:
 * they are mistakes). A single path is always taken as a pack, for its clear error. */
int of_batch_skip(const char *path, of_pack_arg kind)
{
	if (kind != OF_PACK_ARG_OTHER && kind != OF_PACK_ARG_NO_CONFIG)
		return 0;
	int file = kind == OF_PACK_ARG_OTHER;
	of_pack_event("not_a_pack", NULL, NULL, json_pack("{s:s,s:s}", "dir", path, "reason", file ? "file" : "no_config"),
		      0, "skipped %s: not a pack (%s)", path, file ? "a file, not a folder" : "a folder without onefish.yaml");
	return 1;
}

int of_batch_none_is_a_pack(const char *cmd, size_t n_paths)
{
	of_error_set(OF_EINVALID, "none of the %zu paths given is a pack: a pack is a folder with onefish.yaml (each is "
				  "named above)", n_paths);
	return of_cli_fail(cmd);
}

int of_batch_parse_shard(const char *s, unsigned *i, unsigned *n)
{
	char buf[64];
	char *slash;
	snprintf(buf, sizeof buf, "%s", s);
	if (!(slash = strchr(buf, '/')))
		return -1;
	*slash = '\0';
	if (parse_uint(buf, i) || parse_uint(slash + 1, n) || *n < 1 || *i >= *n)
		return -1;
	return 0;
}

int of_batch_shard(const char *opt, unsigned *i, unsigned *n)
{
	const char *ei = getenv("JOB_COMPLETION_INDEX"), *en = getenv("JOB_COMPLETIONS");
	*i = 0;
	*n = 1;
	if (opt)
		return of_batch_parse_shard(opt, i, n) == 0 ? 0 : of_error_set(OF_EUSAGE, "bad --shard '%s'", opt);
	if (ei && ei[0]) {
		/* An Indexed Job sets the index; the count comes from JOB_COMPLETIONS (our manifest sets it). */
		if (!en || parse_uint(ei, i) || parse_uint(en, n) || *n < 1 || *i >= *n)
			return of_error_set(OF_EUSAGE,
					    "JOB_COMPLETION_INDEX=%s needs JOB_COMPLETIONS=N with 0 <= index < N", ei);
	}
	return 0;
}

typedef struct pack_slot {
	const char *dir;
	char name[256];
	pid_t pid;
	int fd;
	of_pack_result res;
	int done, code;
	double t0, seconds;
} pack_slot;

static int run_one(const char *dir, const of_cli_args *args, const of_pack_options *opts, of_pack_result *res)
{
	of_pack_job *job = NULL;
	of_config *cfg = NULL;
	int rc;
	memset(res, 0, sizeof *res);
	rc = of_pack_job_load(&job, &cfg, dir, args->config);
	if (rc < 0) {
		char msg[2300];
		/* Format first: of_pack_name() reads the config again and clears the error it meets. */
		of_error_format(of_error_last(), msg, sizeof msg);
		of_pack_name(res->name, sizeof res->name, dir, args->config);
		snprintf(res->summary, sizeof res->summary, "%.500s", msg);
		res->code = rc;
		of_pack_event("pack_end", res->name, NULL,
			      json_pack("{s:s,s:i,s:i}", "status", "failed", "code", rc, "exit", of_cli_exit_code(rc)), 2,
			      "FAILED: %s", msg);
		return rc;
	}
	of_pack_events_pack(job->name);
	job->out_dir = of_path_join(opts->out_root, job->name);
	job->cli = opts->cli; /* --strict, --engine, --no-isolate reach the stages */
	if (!job->out_dir) {
		rc = of_error_set_oom();
	} else {
		rc = of_pack_run(job, opts, res);
		if (rc < 0 && rc != OF_EINTR) {
			char msg[2300];
			size_t used = strlen(res->summary);
			of_error_format(of_error_last(), msg, sizeof msg);
			snprintf(res->summary + used, sizeof res->summary - used, "; %.*s", (int)(sizeof res->summary - used - 3 > 0 ? sizeof res->summary - used - 3 : 0), msg);
		}
	}
	of_pack_job_free(job);
	of_config_free(cfg);
	return rc;
}

static void spawn(pack_slot *s, const of_cli_args *args, const of_pack_options *opts)
{
	int fds[2];
	s->t0 = of_log_now();
	if (pipe(fds) != 0) {
		s->done = 1;
		s->code = OF_ERROR;
		snprintf(s->res.summary, sizeof s->res.summary, "pipe: %s", strerror(errno));
		return;
	}
	fflush(stdout);
	fflush(stderr);
	s->pid = fork();
	if (s->pid < 0) {
		close(fds[0]);
		close(fds[1]);
		s->done = 1;
		s->code = OF_ERROR;
		snprintf(s->res.summary, sizeof s->res.summary, "fork: %s", strerror(errno));
		return;
	}
	if (s->pid == 0) {
		of_pack_result r;
		of_signals_after_fork(0);
		close(fds[0]);
		r.code = run_one(s->dir, args, opts, &r);
		r.code = r.code < 0 ? r.code : 0;
		if (write(fds[1], &r, sizeof r) != (ssize_t)sizeof r) {
			/* The parent reports a pack without a result as failed. */
		}
		fflush(stdout);
		fflush(stderr);
		_exit(0);
	}
	close(fds[1]);
	s->fd = fds[0];
	of_signals_add_child(s->pid);
	if (of_signals_caught())
		kill(s->pid, of_signals_caught());
}

/* Reads a finished child's result (it sits in the pipe buffer: the struct is small). */
static void finish_slot(pack_slot *s, int status)
{
	ssize_t got = 0;
	while ((size_t)got < sizeof s->res) {
		ssize_t r = read(s->fd, (char *)&s->res + got, sizeof s->res - (size_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += r;
	}
	close(s->fd);
	of_signals_remove_child(s->pid);
	s->done = 1;
	s->seconds = of_log_now() - s->t0;
	if ((size_t)got != sizeof s->res) {
		snprintf(s->res.name, sizeof s->res.name, "%s", s->name);
		snprintf(s->res.summary, sizeof s->res.summary, "pack process died (%s %d)",
			 WIFSIGNALED(status) ? "signal" : "exit", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		s->code = of_signals_caught() ? OF_EINTR : OF_ERROR;
	} else {
		s->code = s->res.code;
	}
}

int of_batch_run(const char *const *dirs, size_t n_dirs, const of_cli_args *args, const of_pack_options *opts)
{
	pack_slot *slots = NULL;
	size_t n = 0, running = 0, next = 0;
	unsigned si, sn;
	int jobs = args->jobs > 0 ? args->jobs : 1, code = 0, any_fail = 0, all_bad_input = 1;
	size_t ok = 0, failed = 0, interrupted = 0, skipped = 0;
	json_t *results;

	if (n_dirs > OF_MAX_PACKS)
		return of_cli_usage_error(&of_cmd_run, "more than %d packs", OF_MAX_PACKS);
	if (of_batch_shard(args->shard, &si, &sn) < 0)
		return of_cli_usage_error(&of_cmd_run, "%s", of_error_last()->message);
	slots = calloc(n_dirs ? n_dirs : 1, sizeof *slots);
	if (!slots)
		return OF_EXIT_FAIL;
	for (size_t i = 0; i < n_dirs; i++) {
		pack_slot *s = &slots[n];
		of_pack_arg kind = of_pack_arg_kind(dirs[i]);
		if (n_dirs > 1 && of_batch_skip(dirs[i], kind)) {
			skipped++;
			continue;
		}
		s->dir = dirs[i];
		of_pack_name(s->name, sizeof s->name, dirs[i], args->config);
		/* A path that is not there is no pack of any shard: every shard fails on it (exit 3), as a
		 * run without --shard does, so a typo or a glob that matched nothing (`packs/<star>` left as
		 * written by the shell) is never quietly left to the shard it hashes to. */
		if (kind != OF_PACK_ARG_MISSING && of_pack_shard(s->name, sn) != si)
			continue;
		for (size_t k = 0; k < n; k++)
			if (strcmp(slots[k].name, s->name) == 0) {
				int rc = of_cli_usage_error(&of_cmd_run, "packs %s and %s are both named '%s' (set `name:` in one)",
							    slots[k].dir, s->dir, s->name);
				free(slots);
				return rc;
			}
		n++;
	}
	if (skipped && skipped == n_dirs) {
		free(slots);
		return of_batch_none_is_a_pack("run", n_dirs);
	}
	of_signals_install();
	size_t n_packs = n_dirs - skipped; /* the shard's share is of the packs, not of every path given */
	if (sn > 1) {
		char note[96] = "";
		if (skipped)
			snprintf(note, sizeof note, " (%zu other path%s skipped: %s, named above)", skipped,
				 skipped == 1 ? "" : "s", skipped == 1 ? "not a pack" : "not packs");
		of_pack_event("shard", NULL, NULL,
			      json_pack("{s:i,s:i,s:i,s:i,s:i}", "index", si, "count", sn, "packs", (int)n, "of", (int)n_packs,
					"skipped", (int)skipped),
			      0, "shard %u/%u: %zu of %zu pack%s%s", si, sn, n, n_packs, n_packs == 1 ? "" : "s", note);
	}
	if (n == 1 && jobs == 1) {
		/* One pack: run in this process (its stages still get their own processes). */
		slots[0].t0 = of_log_now();
		slots[0].code = run_one(slots[0].dir, args, opts, &slots[0].res);
		slots[0].seconds = of_log_now() - slots[0].t0;
		slots[0].done = 1;
	} else {
		/* After a signal keep reaping: the children got it forwarded and stop soon. */
		while (next < n || running) {
			while (next < n && running < (size_t)jobs && !of_signals_caught()) {
				spawn(&slots[next], args, opts);
				if (!slots[next].done)
					running++;
				next++;
			}
			if (!running)
				break;
			int status = 0;
			pid_t pid = waitpid(-1, &status, 0);
			if (pid < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			for (size_t k = 0; k < next; k++)
				if (slots[k].pid == pid && !slots[k].done) {
					finish_slot(&slots[k], status);
					running--;
				}
		}
	}
	if (of_signals_caught())
		of_pack_event("interrupted", NULL, NULL, json_pack("{s:i}", "signal", of_signals_caught()), 1,
			      "interrupted by signal %d: finished stages are kept, the next run resumes", of_signals_caught());
	/* The summary follows an interrupt too: each pack's result, and packs never started as such. */
	results = json_array();
	for (size_t k = 0; k < n; k++) {
		pack_slot *s = &slots[k];
		const char *name = s->res.name[0] ? s->res.name : s->name;
		if (!s->done) {
			if (!of_signals_caught())
				continue;
			s->code = OF_EINTR;
			snprintf(s->res.summary, sizeof s->res.summary, "not started");
		}
		if (s->code == 0) {
			ok++;
		} else if (s->code == OF_EINTR) {
			interrupted++;
		} else {
			failed++;
			any_fail = 1;
			if (of_cli_exit_code(s->code) != OF_EXIT_BADINPUT)
				all_bad_input = 0;
		}
		json_array_append_new(results, json_pack("{s:s,s:s,s:s,s:i,s:i,s:s,s:o}", "pack", name, "dir", s->dir,
							 "status", s->code == OF_EINTR ? (s->done ? "interrupted" : "not_started")
							 : s->code ? "failed" : "ok", "code", s->code, "exit",
							 s->code ? of_cli_exit_code(s->code) : 0, "summary", s->res.summary,
							 "seconds", of_json_seconds(s->seconds)));
		if (!of_pack_events_json() && n > 1)
			fprintf(stderr, "  %-24s %-6s %s (%.1fs)\n", name,
				s->code == OF_EINTR ? "INTERRUPTED" : s->code ? "FAILED" : "ok", s->res.summary,
				s->seconds);
	}
	if (of_signals_caught())
		code = of_signals_exit_code();
	else
		code = !any_fail ? OF_EXIT_OK : all_bad_input ? OF_EXIT_BADINPUT : OF_EXIT_FAIL;
	char cut[64] = "";
	if (interrupted)
		snprintf(cut, sizeof cut, ", %zu interrupted", interrupted);
	of_pack_event("summary", NULL, NULL,
		      json_pack("{s:i,s:i,s:i,s:i,s:i,s:o}", "packs", (int)n, "ok", (int)ok, "failed", (int)failed,
				"interrupted", (int)interrupted, "exit", code, "results", results),
		      any_fail ? 2 : interrupted ? 1 : 0, "%zu pack%s: %zu ok, %zu failed%s%s", n, n == 1 ? "" : "s", ok, failed, cut,
		      opts->dry_run ? " (dry run: nothing written)" : "");
	free(slots);
	return code;
}
