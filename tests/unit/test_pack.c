/* test_pack.c — the stage graph of one pack, on a fake stage table:
 * cache hits, what reruns after a change, edits that survive, --force,
 * failures, dry runs and interrupts. */
#include "testutil.h"

#include "../../pipeline/pack_events.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/pack.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- fake stages: a reads in.txt → a.txt; b reads a.txt → b.txt; c reads log.txt → c.txt ---- */

static int g_setting = 1;
static int g_fail_a;
static int g_slow_a;

static void log_run(const of_pack_job *job, const char *stage)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/runs.log", job->pack_dir);
	FILE *fp = fopen(path, "a");
	if (fp) {
		fprintf(fp, "%s\n", stage);
		fclose(fp);
	}
}

static int copy_with_prefix(const char *src, const char *dst, const char *prefix)
{
	char *data = NULL, buf[8192];
	size_t len = 0;
	int rc = of_file_read(&data, &len, src, 1 << 20);
	if (rc < 0)
		return rc;
	snprintf(buf, sizeof buf, "%s%s", prefix, data);
	free(data);
	return of_file_write_atomic(dst, buf, strlen(buf));
}

static int in_file(const of_pack_job *job, of_pack_files *f, const char *dir, const char *name, const char *label)
{
	char *p = of_path_join(dir, name);
	int rc;
	if (!of_path_is_file(p))
		rc = of_error_set_at(OF_ENOTFOUND, p, 0, 0, "missing");
	else
		rc = of_pack_files_add(f, p, label);
	free(p);
	(void)job;
	return rc;
}

static int a_inputs(const of_pack_job *job, of_pack_files *f)
{
	return in_file(job, f, job->pack_dir, "in.txt", "in.txt");
}
static int b_inputs(const of_pack_job *job, of_pack_files *f)
{
	return in_file(job, f, job->out_dir, "a.txt", "out:a.txt");
}
static int c_inputs(const of_pack_job *job, of_pack_files *f)
{
	return in_file(job, f, job->pack_dir, "log.txt", "log.txt");
}
static json_t *settings(const of_pack_job *job)
{
	(void)job;
	return json_pack("{s:i}", "setting", g_setting);
}
static int a_run(const of_pack_job *job, const char *work, of_stage_stats *st)
{
	char *src = of_path_join(job->pack_dir, "in.txt"), *dst = of_path_join(work, "a.txt");
	int rc;
	(void)st;
	log_run(job, "a");
	if (g_fail_a)
		rc = of_error_set_at(OF_EINVALID, src, 3, 1, "bad record");
	else if (g_slow_a) {
		/* Holds a temporary file open, then waits to be killed. */
		of_atomic *at;
		char *marker = of_path_join(job->pack_dir, "started");
		rc = of_atomic_open(&at, dst);
		fputs("partial", of_atomic_fp(at));
		fflush(of_atomic_fp(at));
		of_file_write_atomic(marker, "1", 1);
		free(marker);
		for (int i = 0; i < 500; i++)
			usleep(10000);
		of_atomic_abort(at);
		rc = of_error_set(OF_ERROR, "not killed");
	} else
		rc = copy_with_prefix(src, dst, g_setting == 1 ? "A:" : "A2:");
	free(src);
	free(dst);
	return rc;
}
static int b_run(const of_pack_job *job, const char *work, of_stage_stats *st)
{
	char *src = of_path_join(job->out_dir, "a.txt"), *dst = of_path_join(work, "b.txt");
	int rc;
	(void)st;
	log_run(job, "b");
	rc = copy_with_prefix(src, dst, "B:");
	free(src);
	free(dst);
	return rc;
}
static int c_run(const of_pack_job *job, const char *work, of_stage_stats *st)
{
	char *src = of_path_join(job->pack_dir, "log.txt"), *dst = of_path_join(work, "c.txt");
	int rc;
	(void)st;
	log_run(job, "c");
	rc = copy_with_prefix(src, dst, "C:");
	free(src);
	free(dst);
	return rc;
}

static const char *const a_outs[] = {"a.txt", NULL};
static const char *const b_outs[] = {"b.txt", NULL};
static const char *const c_outs[] = {"c.txt", NULL};
static const of_pack_stage stage_a = {"a", NULL, a_outs, a_inputs, settings, a_run, 0, NULL, NULL, NULL};
static const of_pack_stage stage_b = {"b", "a", b_outs, b_inputs, settings, b_run, 0, NULL, NULL, NULL};
static const of_pack_stage stage_c = {"c", NULL, c_outs, c_inputs, settings, c_run, 0, NULL, NULL, NULL};
static const of_pack_stage *const fake_stages[] = {&stage_a, &stage_b, &stage_c, NULL};

/* c as an earlier version wrote it: the same output under another name (old.txt), as
 * video.srt became captions.srt; and c of this version, which knows the old name. */
static int c_old_run(const of_pack_job *job, const char *work, of_stage_stats *st)
{
	char *src = of_path_join(job->pack_dir, "log.txt"), *dst = of_path_join(work, "old.txt");
	int rc;
	(void)st;
	log_run(job, "c");
	rc = copy_with_prefix(src, dst, "C:");
	free(src);
	free(dst);
	return rc;
}
static const char *const c_old_outs[] = {"old.txt", NULL};
static const char *const c_renamed[] = {"old.txt", "c.txt", NULL};
static const of_pack_stage stage_c_old = {"c", NULL, c_old_outs, c_inputs, settings, c_old_run, 0, NULL, NULL, NULL};
static const of_pack_stage stage_c_new = {"c", NULL, c_outs, c_inputs, settings, c_run, 0, NULL, NULL, c_renamed};
static const of_pack_stage *const old_stages[] = {&stage_a, &stage_b, &stage_c_old, NULL};
static const of_pack_stage *const new_stages[] = {&stage_a, &stage_b, &stage_c_new, NULL};
static const of_pack_stage *const *g_stages = fake_stages;

/* x.txt moved from stage a to stage b, as timeline.fcpxml moved from the script stage to the
 * video stage (which makes it with the stems beside it): a as it was, and b of this version. */
static int g_fail_b;
static int a_old_run(const of_pack_job *job, const char *work, of_stage_stats *st)
{
	char *x = of_path_join(work, "x.txt");
	int rc = a_run(job, work, st);
	if (rc == 0)
		rc = of_file_write_atomic(x, "X-a\n", 4);
	free(x);
	return rc;
}
static int b_x_run(const of_pack_job *job, const char *work, of_stage_stats *st)
{
	char *src = of_path_join(job->out_dir, "a.txt"), *x = of_path_join(work, "x.txt");
	int rc = g_fail_b ? of_error_set(OF_ERROR, "b failed") : b_run(job, work, st);
	if (rc == 0)
		rc = copy_with_prefix(src, x, "X-b:");
	free(src);
	free(x);
	return rc;
}
static const char *const a_old_outs[] = {"a.txt", "x.txt", NULL};
static const char *const b_x_outs[] = {"b.txt", "x.txt", NULL};
static const of_pack_stage stage_a_old = {"a", NULL, a_old_outs, a_inputs, settings, a_old_run, 0, NULL, NULL, NULL};
static const of_pack_stage stage_b_x = {"b", "a", b_x_outs, b_inputs, settings, b_x_run, 0, NULL, NULL, NULL};
static const of_pack_stage *const x_in_a_stages[] = {&stage_a_old, &stage_b, &stage_c, NULL};
static const of_pack_stage *const x_in_b_stages[] = {&stage_a, &stage_b_x, &stage_c, NULL};


/* m: an article-like stage whose hand-edited source m.md shows the photos it copies beside
 * it (images/p1.jpg, images/p2.jpg; neither a declared output, as article.md's photos);
 * s: a script-like one whose storyboard s.json names the images its scenes use. */
static int m_inputs(const of_pack_job *job, of_pack_files *f)
{
	return in_file(job, f, job->pack_dir, "in.txt", "in.txt");
}
static int write_in(const char *work, const char *rel, const char *text)
{
	char *p = of_path_join(work, rel), *dir = p ? of_path_dirname(p) : NULL;
	int rc = p && dir ? of_mkdirs(dir) : OF_ENOMEM;
	if (rc == 0)
		rc = of_file_write_atomic(p, text, strlen(text));
	free(p);
	free(dir);
	return rc;
}
static int m_run(const of_pack_job *job, const char *work, of_stage_stats *st)
{
	(void)st;
	log_run(job, "m");
	int rc = write_in(work, "m.md", "# m\n\n![](images/p1.jpg)\n\ntext\n\n![](./images/p2.jpg)\n");
	if (rc == 0)
		rc = write_in(work, "images/p1.jpg", "photo 1\n");
	return rc == 0 ? write_in(work, "images/p2.jpg", "photo 2\n") : rc;
}
static int s_run(const of_pack_job *job, const char *work, of_stage_stats *st)
{
	(void)st;
	log_run(job, "s");
	int rc = write_in(work, "s.json", "{\"scenes\": [{\"image\": \"images/01-a.jpg\"}, {\"image\": \"images/02-b.jpg\"}]}\n");
	if (rc == 0)
		rc = write_in(work, "s.md", "| 序号 | 画面 |\n| 1 | images/01-a.jpg |\n| 2 | images/02-b.jpg |\n");
	if (rc == 0)
		rc = write_in(work, "images/01-a.jpg", "scene 1\n");
	return rc == 0 ? write_in(work, "images/02-b.jpg", "scene 2\n") : rc;
}
static const char *const m_outs[] = {"m.md", NULL};
static const char *const m_sources[] = {"m.md", NULL};
static const char *const s_outs[] = {"s.json", "s.md", NULL};
static const char *const s_sources[] = {"s.md", "s.json", NULL};
static const of_pack_stage stage_m = {"m", NULL, m_outs, m_inputs, settings, m_run, 0, m_sources, NULL, NULL};
static const of_pack_stage stage_s = {"s", NULL, s_outs, m_inputs, settings, s_run, 0, s_sources, NULL, NULL};
static const of_pack_stage *const photo_stages[] = {&stage_m, &stage_s, NULL};

/* v: a script-like stage whose image copies are numbered by their place (images/NN-a.jpg):
 * g_variant moves the number, as a scene inserted before it would. */
static int g_variant = 1;
static int v_run(const of_pack_job *job, const char *work, of_stage_stats *st)
{
	char js[128], img[32];
	(void)st;
	log_run(job, "v");
	snprintf(img, sizeof img, "images/%02d-a.jpg", g_variant);
	snprintf(js, sizeof js, "{\"scenes\": [{\"image\": \"%s\"}]}\n", img);
	int rc = write_in(work, "v.json", js);
	return rc == 0 ? write_in(work, img, "photo a\n") : rc;
}
static const char *const v_outs[] = {"v.json", NULL};
static const char *const v_sources[] = {"v.json", NULL};
static const of_pack_stage stage_v = {"v", NULL, v_outs, m_inputs, settings, v_run, 0, v_sources, NULL, NULL};
static const of_pack_stage *const numbered_stages[] = {&stage_v, NULL};

/* ---- fixture ---- */

typedef struct fx {
	char root[256], pack[300], out[300];
	of_pack_job job;
	of_config *cfg;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	snprintf(f->root, sizeof f->root, "%s", of_test_tmpdir());
	snprintf(f->pack, sizeof f->pack, "%s/pack", f->root);
	snprintf(f->out, sizeof f->out, "%s/out/w1", f->root);
	of_mkdirs(f->pack);
	char p[400];
	snprintf(p, sizeof p, "%s/in.txt", f->pack);
	of_test_write(p, "hello\n", 6);
	snprintf(p, sizeof p, "%s/log.txt", f->pack);
	of_test_write(p, "log\n", 4);
	of_config_new_empty(&f->cfg);
	f->job.name = "w1";
	f->job.pack_dir = f->pack;
	f->job.out_dir = f->out;
	f->job.cfg = f->cfg;
	g_setting = 1;
	g_fail_a = 0;
	g_slow_a = 0;
	g_fail_b = 0;
	g_stages = fake_stages;
	of_pack_events_setup(0, 2, 1); /* silent: the tests read results, not lines */
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	of_config_free(f->cfg);
	of_test_rmtree(f->root);
	free(f);
	return 0;
}

static int run(fx *f, int force, int dry, of_pack_result *r)
{
	of_pack_options o = OF_PACK_OPTIONS_INIT;
	o.stages = g_stages;
	o.force = force;
	o.dry_run = dry;
	return of_pack_run(&f->job, &o, r);
}

static char *slurp_rel(fx *f, const char *dir, const char *rel)
{
	char p[600];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	return of_test_slurp(p, NULL);
}

static void put(fx *f, const char *dir, const char *rel, const char *text)
{
	char p[600];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	of_test_write(p, text, strlen(text));
}

static int exists(const char *dir, const char *rel)
{
	char p[600];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	return access(p, F_OK) == 0;
}

/* Runs recorded in runs.log since the last call, e.g. "a,b". */
static void expect_runs(fx *f, const char *want)
{
	char p[400], got[256] = "", *data;
	snprintf(p, sizeof p, "%s/runs.log", f->pack);
	if (access(p, F_OK) == 0) {
		data = of_test_slurp(p, NULL);
		for (char *s = data; *s; s++)
			if (*s != '\n')
				snprintf(got + strlen(got), sizeof got - strlen(got), "%s%c", got[0] ? "," : "", *s);
		free(data);
		unlink(p);
	}
	assert_string_equal(got, want);
}

static const char *out_status(fx *f, const char *rel, char *buf)
{
	json_t *m = NULL;
	char p[400];
	snprintf(p, sizeof p, "%s/manifest.json", f->out);
	assert_int_equal(of_json_load(&m, p, 1 << 20), 0);
	json_t *outs = json_object_get(m, "outputs");
	buf[0] = '\0';
	for (size_t i = 0; i < json_array_size(outs); i++)
		if (strcmp(of_json_str(json_array_get(outs, i), "path"), rel) == 0)
			snprintf(buf, 32, "%s", of_json_str(json_array_get(outs, i), "status"));
	json_decref(m);
	return buf;
}

/* ---- tests ---- */

static void test_pack__first_run_then_cached(void **state)
{
	fx *f = *state;
	of_pack_result r;
	char *m1, *m2, *b;
	assert_int_equal(run(f, 0, 0, &r), 0);
	assert_int_equal(r.ran, 3);
	expect_runs(f, "a,b,c");
	b = slurp_rel(f, f->out, "b.txt");
	assert_string_equal(b, "B:A:hello\n");
	free(b);
	m1 = slurp_rel(f, f->out, "manifest.json");
	assert_int_equal(run(f, 0, 0, &r), 0);
	assert_int_equal(r.ran, 0);
	assert_int_equal(r.cached, 3);
	expect_runs(f, "");
	m2 = slurp_rel(f, f->out, "manifest.json");
	assert_string_equal(m1, m2); /* byte-identical manifest across runs */
	assert_non_null(strstr(m1, "\"status\": \"generated\""));
	assert_null(strstr(m1, "seconds")); /* timings live in .onefish/run-log.json */
	assert_true(exists(f->out, ".onefish/run-log.json"));
	assert_true(exists(f->out, "index.html") || 1); /* the page needs assets; tested in e2e */
	free(m1);
	free(m2);
}

static void test_pack__changed_input_reruns_downstream_only(void **state)
{
	fx *f = *state;
	of_pack_result r;
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "a,b,c");
	put(f, f->pack, "in.txt", "changed\n");
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "a,b");
	put(f, f->pack, "log.txt", "new log\n");
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "c");
	g_setting = 2;
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "a,b,c");
	assert_int_equal(run(f, 1, 0, &r), 0);
	expect_runs(f, "a,b,c");
}

static void test_pack__missing_output_reruns(void **state)
{
	fx *f = *state;
	of_pack_result r;
	char p[400];
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "a,b,c");
	snprintf(p, sizeof p, "%s/b.txt", f->out);
	unlink(p);
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "b");
}

static void test_pack__edit_survives(void **state)
{
	fx *f = *state;
	of_pack_result r;
	char st[32], *text;
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "a,b,c");
	/* An editor changes a.txt: it is kept, and b is rebuilt from it. */
	put(f, f->out, "a.txt", "EDITED\n");
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "b");
	text = slurp_rel(f, f->out, "b.txt");
	assert_string_equal(text, "B:EDITED\n");
	free(text);
	assert_string_equal(out_status(f, "a.txt", st), "edited");
	assert_string_equal(out_status(f, "b.txt", st), "generated");
	/* The input changes too: a is held (the edit is never overwritten), a.txt shows edited. */
	put(f, f->pack, "in.txt", "new input\n");
	assert_int_equal(run(f, 0, 0, &r), 0);
	assert_int_equal(r.held, 1);
	expect_runs(f, "");
	text = slurp_rel(f, f->out, "a.txt");
	assert_string_equal(text, "EDITED\n");
	free(text);
	/* --force regenerates and keeps the edit beside it. */
	assert_int_equal(run(f, 1, 0, &r), 0);
	expect_runs(f, "a,b,c");
	text = slurp_rel(f, f->out, "a.edited.txt");
	assert_string_equal(text, "EDITED\n");
	free(text);
	text = slurp_rel(f, f->out, "a.txt");
	assert_string_equal(text, "A:new input\n");
	free(text);
	/* A second edit and --force: the first kept copy is not overwritten either. */
	put(f, f->out, "a.txt", "EDITED AGAIN\n");
	assert_int_equal(run(f, 1, 0, &r), 0);
	expect_runs(f, "a,b,c");
	text = slurp_rel(f, f->out, "a.edited.txt");
	assert_string_equal(text, "EDITED\n");
	free(text);
	text = slurp_rel(f, f->out, "a.edited-2.txt");
	assert_string_equal(text, "EDITED AGAIN\n");
	free(text);
}

static void test_pack__unknown_file_is_not_overwritten(void **state)
{
	fx *f = *state;
	of_pack_result r;
	char *text;
	/* A file already in the output folder that onefish did not write is someone's. */
	of_mkdirs(f->out);
	put(f, f->out, "a.txt", "mine\n");
	assert_int_equal(run(f, 0, 0, &r), 0);
	assert_int_equal(r.held, 1);
	expect_runs(f, "b,c");
	text = slurp_rel(f, f->out, "a.txt");
	assert_string_equal(text, "mine\n");
	free(text);
}

static void test_pack__failure_blocks_downstream(void **state)
{
	fx *f = *state;
	of_pack_result r;
	g_fail_a = 1;
	assert_int_equal(run(f, 0, 0, &r), OF_EINVALID);
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.blocked, 1);
	expect_runs(f, "a,c");
	assert_false(exists(f->out, "a.txt"));
	/* The error keeps its location through the child process. */
	assert_int_equal(of_error_last()->line, 3);
	g_fail_a = 0;
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "a,b");
}

static void test_pack__dry_run_writes_nothing(void **state)
{
	fx *f = *state;
	of_pack_result r;
	char p[400];
	assert_int_equal(run(f, 0, 1, &r), 0);
	expect_runs(f, "");
	snprintf(p, sizeof p, "%s/out", f->root);
	assert_int_equal(access(p, F_OK), -1);
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "a,b,c");
	put(f, f->pack, "log.txt", "x\n");
	char *before = slurp_rel(f, f->out, "manifest.json");
	assert_int_equal(run(f, 0, 1, &r), 0);
	expect_runs(f, "");
	char *after = slurp_rel(f, f->out, "manifest.json");
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static int count_tmp(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (strstr(e->d_name, ".tmp-") || strstr(e->d_name, ".work"))
			n++;
	closedir(d);
	return n;
}

static void test_pack__interrupt_leaves_no_partial_files(void **state)
{
	fx *f = *state;
	of_pack_result r;
	char marker[400], parent[400];
	int status;
	snprintf(marker, sizeof marker, "%s/started", f->pack);
	snprintf(parent, sizeof parent, "%s/out", f->root);
	/* First c completes in a normal run; then a slow a is killed mid-write. */
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "a,b,c");
	put(f, f->pack, "in.txt", "v2\n");
	g_slow_a = 1;
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		extern void of_signals_install(void);
		of_signals_install();
		int rc = run(f, 0, 0, &r);
		_exit(rc == OF_EINTR ? 42 : 1);
	}
	for (int i = 0; i < 500 && access(marker, F_OK) != 0; i++)
		usleep(10000);
	assert_int_equal(access(marker, F_OK), 0);
	{
		char work[400];
		snprintf(work, sizeof work, "%s/out/.w1.work", f->root);
		assert_int_not_equal(count_tmp(work), 0); /* the partial a.txt exists now */
	}
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 42);
	assert_int_equal(count_tmp(f->out), 0);
	assert_int_equal(count_tmp(parent), 0);
	char *a = slurp_rel(f, f->out, "a.txt");
	assert_string_equal(a, "A:hello\n"); /* the old complete output, untouched */
	free(a);
	unlink(marker);
	expect_runs(f, "a");
	/* The next run resumes: a and b rerun, c stays cached. */
	g_slow_a = 0;
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "a,b");
	a = slurp_rel(f, f->out, "b.txt");
	assert_string_equal(a, "B:A:v2\n");
	free(a);
}

static void test_pack__second_concurrent_run_refused(void **state)
{
	fx *f = *state;
	of_pack_result r;
	char p[400];
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "a,b,c");
	snprintf(p, sizeof p, "%s/.onefish/lock", f->out);
	int fd = open(p, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0); /* another run holds the pack */
	put(f, f->pack, "log.txt", "y\n");
	assert_int_equal(run(f, 0, 0, &r), OF_ERROR);
	assert_non_null(strstr(of_error_last()->message, "another onefish run"));
	expect_runs(f, "");
	close(fd);
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "c");
}

/* An output renamed since an earlier version (video.srt → captions.srt): the old file,
 * unedited, is removed once the new one is made, and leaves the manifest. */
static void test_pack__renamed_output_replaces_the_old(void **state)
{
	fx *f = *state;
	of_pack_result r;
	char st[32], *text;
	g_stages = old_stages;
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "a,b,c");
	assert_true(exists(f->out, "old.txt"));
	g_stages = new_stages;
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "c"); /* c.txt is missing: c reruns, nothing else */
	assert_false(exists(f->out, "old.txt"));
	text = slurp_rel(f, f->out, "c.txt");
	assert_string_equal(text, "C:log\n");
	free(text);
	assert_string_equal(out_status(f, "old.txt", st), ""); /* no longer in the manifest */
	assert_string_equal(out_status(f, "c.txt", st), "generated");
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "");
}

/* An editor changed the old file: it holds nothing (c makes c.txt), and the edit is
 * kept under the new name's *.edited.* name, away from the old name. */
static void test_pack__renamed_output_edit_kept_not_holding(void **state)
{
	fx *f = *state;
	of_pack_result r;
	char st[32], *text;
	g_stages = old_stages;
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "a,b,c");
	put(f, f->out, "old.txt", "EDITED\n");
	g_stages = new_stages;
	assert_int_equal(run(f, 0, 0, &r), 0);
	assert_int_equal(r.held, 0);
	expect_runs(f, "c");
	assert_false(exists(f->out, "old.txt"));
	text = slurp_rel(f, f->out, "c.edited.txt");
	assert_string_equal(text, "EDITED\n");
	free(text);
	text = slurp_rel(f, f->out, "c.txt");
	assert_string_equal(text, "C:log\n");
	free(text);
	assert_string_equal(out_status(f, "old.txt", st), "");
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "");
	/* a file of the old name the manifest never recorded is not ours: left alone */
	put(f, f->out, "old.txt", "mine\n");
	put(f, f->pack, "log.txt", "log 2\n");
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "c");
	text = slurp_rel(f, f->out, "old.txt");
	assert_string_equal(text, "mine\n");
	free(text);
}

/* The stage a manifest names for a file and the stages whose records list it ("a,b"). */
static void owner_of(fx *f, const char *rel, char *stage, char *listed_by)
{
	json_t *m = NULL;
	char p[400];
	const char *name;
	json_t *rec;
	snprintf(p, sizeof p, "%s/manifest.json", f->out);
	assert_int_equal(of_json_load(&m, p, 1 << 20), 0);
	stage[0] = listed_by[0] = '\0';
	for (size_t i = 0; i < json_array_size(json_object_get(m, "outputs")); i++) {
		json_t *e = json_array_get(json_object_get(m, "outputs"), i);
		if (strcmp(of_json_str(e, "path"), rel) == 0)
			snprintf(stage, 32, "%s", of_json_str(e, "stage"));
	}
	json_object_foreach(json_object_get(m, "stages"), name, rec) {
		json_t *outs = json_object_get(rec, "outputs");
		for (size_t i = 0; i < json_array_size(outs); i++)
			if (strcmp(json_string_value(json_array_get(outs, i)), rel) == 0)
				snprintf(listed_by + strlen(listed_by), 32 - strlen(listed_by), "%s%s", listed_by[0] ? "," : "", name);
	}
	json_decref(m);
}

/* An output that moved to another stage (timeline.fcpxml: the script stage's, now the video
 * stage's): the stage that wrote it before, rerunning, leaves it to the one that declares it now
 * (not removed as "no longer written", even when that one then fails); once that one installs
 * it, it is that stage's alone, and an editor's change to it holds that stage, not the other. */
static void test_pack__output_moved_to_another_stage(void **state)
{
	fx *f = *state;
	of_pack_result r;
	char stage[32], listed[32], *text;
	g_stages = x_in_a_stages;
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "a,b,c");
	owner_of(f, "x.txt", stage, listed);
	assert_string_equal(stage, "a");
	g_stages = x_in_b_stages;
	put(f, f->pack, "in.txt", "hello 2\n");
	g_fail_b = 1;
	assert_int_not_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "a"); /* b failed before logging */
	text = slurp_rel(f, f->out, "x.txt");
	assert_string_equal(text, "X-a\n"); /* a no longer writes it, but b declares it: kept */
	free(text);
	g_fail_b = 0;
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "b");
	text = slurp_rel(f, f->out, "x.txt");
	assert_string_equal(text, "X-b:A:hello 2\n");
	free(text);
	owner_of(f, "x.txt", stage, listed);
	assert_string_equal(stage, "b");
	assert_string_equal(listed, "b");
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "");
	/* edited: b is held (its output), a runs as it would */
	put(f, f->out, "x.txt", "EDITED\n");
	put(f, f->pack, "in.txt", "hello 3\n");
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "a");
	assert_int_equal(r.held, 1);
	text = slurp_rel(f, f->out, "x.txt");
	assert_string_equal(text, "EDITED\n");
	free(text);
}

/* An editor took a photo out of the hand-edited m.md and deleted its file: the photo is not
 * missing (nothing shows it), so the stage is neither held nor rerun, run after run, and the
 * manifest no longer lists it. One the edit still shows and that is gone is missing. */
static void test_pack__photo_dropped_from_edit_is_not_missing(void **state)
{
	fx *f = *state;
	of_pack_result r;
	char st[32], p[600];
	g_stages = photo_stages;
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "m,s");
	put(f, f->out, "m.md", "# m\n\n![](images/p1.jpg)\n\ntext, edited\n");
	snprintf(p, sizeof p, "%s/images/p2.jpg", f->out);
	assert_int_equal(unlink(p), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(run(f, 0, 0, &r), 0);
		assert_int_equal(r.held, 0);
		assert_int_equal(r.cached, 2);
		expect_runs(f, "");
		assert_string_equal(out_status(f, "images/p2.jpg", st), ""); /* not listed as missing */
		assert_string_equal(out_status(f, "images/p1.jpg", st), "generated");
		assert_string_equal(out_status(f, "m.md", st), "edited");
	}
	assert_false(exists(f->out, "images/p2.jpg")); /* nor brought back */
	/* the same for a storyboard: s.json edited to drop a scene, its image deleted */
	put(f, f->out, "s.json", "{\"scenes\": [{\"image\": \"images/01-a.jpg\"}]}\n");
	snprintf(p, sizeof p, "%s/images/02-b.jpg", f->out);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(run(f, 0, 0, &r), 0);
	assert_int_equal(r.held, 0);
	assert_int_equal(r.cached, 2);
	assert_string_equal(out_status(f, "images/02-b.jpg", st), "");
	/* a photo the edit still shows is missing: the stage says so (held), as before */
	snprintf(p, sizeof p, "%s/images/p1.jpg", f->out);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(run(f, 0, 0, &r), 0);
	assert_int_equal(r.held, 1);
	assert_string_equal(out_status(f, "images/p1.jpg", st), "missing");
	/* back to the bytes onefish wrote, m.md is no edit: the stage reruns and writes both photos */
	put(f, f->out, "m.md", "# m\n\n![](images/p1.jpg)\n\ntext\n\n![](./images/p2.jpg)\n");
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "m");
	assert_true(exists(f->out, "images/p1.jpg"));
	assert_true(exists(f->out, "images/p2.jpg"));
	assert_string_equal(out_status(f, "images/p2.jpg", st), "generated");
}

/* 1 when manifest.json marks output `rel` "unused": true. */
static int out_unused(fx *f, const char *rel)
{
	json_t *m = NULL, *outs;
	char p[400];
	int unused = 0;
	snprintf(p, sizeof p, "%s/manifest.json", f->out);
	assert_int_equal(of_json_load(&m, p, 1 << 20), 0);
	outs = json_object_get(m, "outputs");
	for (size_t i = 0; i < json_array_size(outs); i++)
		if (strcmp(of_json_str(json_array_get(outs, i), "path"), rel) == 0)
			unused = json_is_true(json_object_get(json_array_get(outs, i), "unused"));
	json_decref(m);
	return unused;
}

/* A photo the edited m.md (s.json) no longer shows but the editor left in images/ is kept,
 * never deleted (the editor may show it again), and manifest.json says it is unused; shown
 * again, it is used again. Without an edit nothing is unused. */
static void test_pack__photo_dropped_from_edit_but_kept_is_unused(void **state)
{
	fx *f = *state;
	of_pack_result r;
	char st[32];
	g_stages = photo_stages;
	assert_int_equal(run(f, 0, 0, &r), 0);
	assert_false(out_unused(f, "images/p1.jpg") || out_unused(f, "images/p2.jpg") || out_unused(f, "images/02-b.jpg"));
	put(f, f->out, "m.md", "# m\n\n![](images/p1.jpg)\n\ntext, rewritten without its photo\n");
	put(f, f->out, "s.json", "{\"scenes\": [{\"image\": \"images/01-a.jpg\"}]}\n");
	for (int i = 0; i < 2; i++) {
		assert_int_equal(run(f, 0, 0, &r), 0);
		assert_int_equal(r.held, 0);
		assert_true(exists(f->out, "images/p2.jpg"));
		assert_true(exists(f->out, "images/02-b.jpg"));
		assert_string_equal(out_status(f, "images/p2.jpg", st), "generated");
		assert_true(out_unused(f, "images/p2.jpg"));
		assert_true(out_unused(f, "images/02-b.jpg"));
		assert_false(out_unused(f, "images/p1.jpg") || out_unused(f, "images/01-a.jpg"));
		assert_false(out_unused(f, "m.md") || out_unused(f, "s.json") || out_unused(f, "s.md"));
	}
	/* an edited copy no edit shows is unused too (and stays the editor's) */
	put(f, f->out, "images/p2.jpg", "retouched\n");
	assert_int_equal(run(f, 0, 0, &r), 0);
	assert_string_equal(out_status(f, "images/p2.jpg", st), "edited");
	assert_true(out_unused(f, "images/p2.jpg"));
	/* shown again: used */
	put(f, f->out, "m.md", "# m\n\n![](images/p1.jpg)\n\ntext\n\n![](images/p2.jpg)\n");
	assert_int_equal(run(f, 0, 0, &r), 0);
	assert_false(out_unused(f, "images/p2.jpg"));
}

/* A rerun that numbers its copies otherwise (images/01-a.jpg is now images/02-a.jpg) removes
 * the earlier copies it no longer writes, when they are as it wrote them; an edited one, one a
 * kept *.edited.* file still names, and a file onefish never wrote stay. */
static void test_pack__copies_no_longer_written_are_removed(void **state)
{
	fx *f = *state;
	of_pack_result r;
	char st[32], *text;
	g_stages = numbered_stages;
	g_variant = 1;
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "v");
	assert_true(exists(f->out, "images/01-a.jpg"));
	put(f, f->out, "images/mine.jpg", "the editor's\n"); /* never recorded: not ours */
	g_variant = 2;
	put(f, f->pack, "in.txt", "input 2\n");
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "v");
	assert_true(exists(f->out, "images/02-a.jpg"));
	assert_false(exists(f->out, "images/01-a.jpg"));
	assert_string_equal(out_status(f, "images/01-a.jpg", st), ""); /* gone from the manifest */
	assert_string_equal(out_status(f, "images/02-a.jpg", st), "generated");
	/* an edited copy is the editor's: --force reruns, the copy stays */
	put(f, f->out, "images/02-a.jpg", "retouched\n");
	g_variant = 3;
	put(f, f->pack, "in.txt", "input 3\n");
	assert_int_equal(run(f, 1, 0, &r), 0);
	expect_runs(f, "v");
	text = slurp_rel(f, f->out, "images/02-a.jpg");
	assert_string_equal(text, "retouched\n");
	free(text);
	assert_string_equal(out_status(f, "images/02-a.jpg", st), "edited");
	assert_true(exists(f->out, "images/03-a.jpg"));
	/* an edit of v.json kept aside by --force still names images/03-a.jpg: kept */
	put(f, f->out, "v.json", "{\"scenes\": [{\"image\": \"images/03-a.jpg\", \"duration\": 9}]}\n");
	g_variant = 4;
	put(f, f->pack, "in.txt", "input 4\n");
	assert_int_equal(run(f, 1, 0, &r), 0);
	expect_runs(f, "v");
	assert_true(exists(f->out, "v.edited.json"));
	assert_true(exists(f->out, "images/03-a.jpg"));
	assert_true(exists(f->out, "images/04-a.jpg"));
	/* the kept edit removed, the next rerun removes the copy */
	char p[600];
	snprintf(p, sizeof p, "%s/v.edited.json", f->out);
	assert_int_equal(unlink(p), 0);
	g_variant = 5;
	put(f, f->pack, "in.txt", "input 5\n");
	assert_int_equal(run(f, 0, 0, &r), 0);
	expect_runs(f, "v");
	assert_false(exists(f->out, "images/03-a.jpg"));
	assert_false(exists(f->out, "images/04-a.jpg"));
	assert_true(exists(f->out, "images/05-a.jpg"));
	text = slurp_rel(f, f->out, "images/02-a.jpg");
	assert_string_equal(text, "retouched\n");
	free(text);
	text = slurp_rel(f, f->out, "images/mine.jpg");
	assert_string_equal(text, "the editor's\n");
	free(text);
	/* a dry run removes nothing */
	g_variant = 6;
	put(f, f->pack, "in.txt", "input 6\n");
	assert_int_equal(run(f, 0, 1, &r), 0);
	assert_true(exists(f->out, "images/05-a.jpg"));
	g_variant = 1;
}

static void test_pack__shard_partition_is_stable(void **state)
{
	unsigned counts[4] = {0};
	char name[32];
	(void)state;
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "week-%03d", i);
		unsigned s = of_pack_shard(name, 4);
		assert_true(s < 4);
		assert_int_equal(s, of_pack_shard(name, 4));
		counts[s]++;
	}
	for (int i = 0; i < 4; i++)
		assert_true(counts[i] > 20); /* every shard gets a share */
	assert_int_equal(of_pack_shard("anything", 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pack__first_run_then_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack__changed_input_reruns_downstream_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack__missing_output_reruns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack__edit_survives, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack__unknown_file_is_not_overwritten, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack__failure_blocks_downstream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack__dry_run_writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack__interrupt_leaves_no_partial_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack__second_concurrent_run_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack__renamed_output_replaces_the_old, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack__renamed_output_edit_kept_not_holding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack__output_moved_to_another_stage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack__photo_dropped_from_edit_is_not_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack__photo_dropped_from_edit_but_kept_is_unused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack__copies_no_longer_written_are_removed, setup, teardown),
		cmocka_unit_test(test_pack__shard_partition_is_stable),
	};
	return cmocka_run_group_tests_name("pack", tests, NULL, NULL);
}
