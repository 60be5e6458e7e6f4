/* test_sandbox.c — unit tests for worker isolation (stages/common/sandbox.c). */
#include "testutil.h"

#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/json.h"
#include "onefish/log.h"
#include "onefish/sandbox.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- child functions ---- */

static int child_pattern(of_sandbox_out *out, void *arg)
{
	size_t n = *(size_t *)arg;
	unsigned char block[4099]; /* an odd size: frames and sends do not line up */
	for (size_t i = 0; i < n;) {
		size_t k = n - i < sizeof block ? n - i : sizeof block;
		for (size_t j = 0; j < k; j++)
			block[j] = (unsigned char)((i + j) * 131 >> 3);
		if (of_sandbox_send(out, block, k) != 0)
			return OF_ERROR;
		i += k;
	}
	return 0;
}

static int child_loop(of_sandbox_out *out, void *arg)
{
	volatile uint64_t x = 1;
	(void)out;
	(void)arg;
	for (;;)
		x = x * 6364136223846793005ULL + 1;
	return 0;
}

static int child_alloc(of_sandbox_out *out, void *arg)
{
	(void)arg;
	for (size_t total = 0;; total += 16u << 20) {
		char *p = malloc(16u << 20);
		if (!p)
			return of_error_set_oom();
		memset(p, 1, 16u << 20); /* touched, so it is real */
		if (total > ((size_t)64 << 30))
			return of_sandbox_send(out, "no limit", 8);
	}
}

/* Parses the JSON text in `arg` (built by the parent, so only the tree counts against the limit). */
static int child_parse_json(of_sandbox_out *out, void *arg)
{
	json_t *v = NULL;
	const char *text = arg;
	int rc = of_json_parse(&v, text, strlen(text), "big.json", 0);
	json_decref(v);
	return rc < 0 ? rc : of_sandbox_send(out, "ok", 2);
}

static int child_crash(of_sandbox_out *out, void *arg)
{
	(void)arg;
	of_sandbox_send(out, "partial", 7);
	signal(SIGSEGV, SIG_DFL); /* a real fault, without the sanitizer's report */
	raise(SIGSEGV);
	return 0;
}

static int child_fails(of_sandbox_out *out, void *arg)
{
	(void)arg;
	of_sandbox_send(out, "ab", 2);
	of_log_warn_at("live.xml", 3, 0, "a warning from the child");
	of_sandbox_send(out, "cd", 2);
	return of_error_set_at(OF_EINVALID, "live.xml", 7, 2, "bad thing at the end");
}

/* A reader with a per-file cap: prints one warning, counts three more without printing them. */
static int child_capped_warnings(of_sandbox_out *out, void *arg)
{
	(void)arg;
	of_log_warn_at("live.xml", 3, 0, "shown");
	of_log_warn_unshown(3);
	of_log_bad_record(0, "live.xml", 4, 0, "a bad record");
	return of_sandbox_send(out, "ok", 2);
}

static int child_sleeps(of_sandbox_out *out, void *arg)
{
	(void)out;
	(void)arg;
	for (;;)
		pause();
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- log capture ---- */

static char g_logs[4096];

static void capture(const of_log_record *r, void *p)
{
	size_t n = strlen(g_logs);
	(void)p;
	snprintf(g_logs + n, sizeof g_logs - n, "%s:%lu: %s|", r->path ? r->path : "", r->line, r->message);
}

/* ---- tests ---- */

static void test_sandbox__result_bytes_intact(void **state)
{
	size_t sizes[] = {0, 1, 65535, 65536, 65537, (size_t)5 << 20}; /* 5 MB is far over a pipe buffer */
	(void)state;
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		char *out = NULL;
		size_t len = 99;
		assert_int_equal(of_sandbox_collect("pattern", NULL, child_pattern, &sizes[s], &out, &len), 0);
		assert_non_null(out);
		assert_int_equal(len, sizes[s]);
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)out[i] != (unsigned char)(i * 131 >> 3))
				fail_msg("byte %zu of %zu differs", i, len);
		free(out);
	}
}

static void test_sandbox__result_cap(void **state)
{
	of_sandbox_limits lim = OF_SANDBOX_LIMITS_INIT;
	size_t n = 200000;
	char *out;
	size_t len;
	(void)state;
	lim.max_result_bytes = 100000;
	assert_int_equal(of_sandbox_collect("big.xml", &lim, child_pattern, &n, &out, &len), OF_ELIMIT);
	assert_null(out);
	assert_string_equal(of_error_last()->path, "big.xml");
	lim.max_result_bytes = n; /* exactly the cap is fine */
	assert_int_equal(of_sandbox_collect("big.xml", &lim, child_pattern, &n, &out, &len), 0);
	assert_int_equal(len, n);
	free(out);
}

static void test_sandbox__cpu_limit(void **state)
{
	of_sandbox_limits lim = OF_SANDBOX_LIMITS_INIT;
	double t0 = now();
	(void)state;
	lim.cpu_seconds = 1;
	assert_int_equal(of_sandbox_run("slow.xml", &lim, child_loop, NULL, NULL, NULL), OF_ELIMIT);
	assert_string_equal(of_error_last()->path, "slow.xml");
	assert_non_null(strstr(of_error_last()->message, "limit exceeded (cpu)"));
	assert_true(now() - t0 < 20); /* about 1 s of CPU; generous for a loaded machine */
}

static void test_sandbox__memory_limit(void **state)
{
	of_sandbox_limits lim = OF_SANDBOX_LIMITS_INIT;
	(void)state;
	if (!of_sandbox_memory_limited())
		skip(); /* ASan and valgrind reserve terabytes: RLIMIT_AS is not applied there */
	lim.memory_bytes = (size_t)256 << 20;
	assert_int_equal(of_sandbox_run("huge.json", &lim, child_alloc, NULL, NULL, NULL), OF_ELIMIT);
	assert_string_equal(of_error_last()->path, "huge.json");
	assert_non_null(strstr(of_error_last()->message, "limit exceeded (memory)"));
}

/* Wherever the memory limit cuts jansson off (in its lexer too, which ignores a failed
 * allocation and then reports a syntax error), the input is never blamed: each run is
 * "limit exceeded (memory)" or a full parse. */
static void test_sandbox__json_out_of_memory_is_never_a_syntax_error(void **state)
{
	of_buf b;
	char *text;
	size_t len, limited = 0;
	(void)state;
	if (!of_sandbox_memory_limited())
		skip();
	of_buf_init(&b, (size_t)64 << 20);
	of_buf_puts(&b, "[\n");
	for (int i = 0; i < 30000; i++)
		of_buf_printf(&b, "%s{\"message_id\": \"m%d\", \"message\": \"question %d\", \"author\": {\"name\": \"u%d\"}, "
			      "\"time_in_seconds\": %d.5}",
			      i ? ",\n" : "", i, i, i % 500, i);
	of_buf_puts(&b, "\n]\n");
	text = of_buf_detach(&b, &len);
	assert_non_null(text);
	for (size_t mb = 4; mb <= 40; mb += 2) {
		of_sandbox_limits lim = OF_SANDBOX_LIMITS_INIT;
		char *res = NULL;
		size_t n = 0;
		lim.memory_bytes = mb << 20;
		int rc = of_sandbox_collect("big.json", &lim, child_parse_json, text, &res, &n);
		free(res);
		if (rc == 0)
			continue;
		if (rc != OF_ELIMIT || !strstr(of_error_last()->message, "limit exceeded (memory)"))
			fail_msg("%zu MB: rc %d: %s", mb, rc, of_error_last()->message);
		limited++;
	}
	free(text);
	assert_true(limited > 0); /* the range did reach the limit */
}

static void test_sandbox__crash_then_batch_goes_on(void **state)
{
	size_t n = 10;
	char *out;
	size_t len;
	(void)state;
	assert_int_equal(of_sandbox_collect("bad.xml", NULL, child_crash, NULL, &out, &len), OF_ERROR);
	assert_string_equal(of_error_last()->path, "bad.xml");
	assert_string_equal(of_error_last()->message, "parser crashed (signal 11)");
	/* the next input is parsed as usual */
	assert_int_equal(of_sandbox_collect("good.xml", NULL, child_pattern, &n, &out, &len), 0);
	assert_int_equal(len, 10);
	free(out);
}

static void test_sandbox__child_error_and_logs_carried(void **state)
{
	char *out;
	size_t len;
	(void)state;
	g_logs[0] = 0;
	of_log_set_handler(capture, NULL);
	int rc = of_sandbox_collect("live.xml", NULL, child_fails, NULL, &out, &len);
	of_log_set_handler(NULL, NULL);
	assert_int_equal(rc, OF_EINVALID);
	assert_string_equal(of_error_last()->path, "live.xml");
	assert_int_equal(of_error_last()->line, 7);
	assert_int_equal(of_error_last()->col, 2);
	assert_string_equal(of_error_last()->message, "bad thing at the end");
	assert_string_equal(g_logs, "live.xml:3: a warning from the child|");
}

/* A worker's log frame is untrusted: events other than messages and bad records, and
 * levels out of range, are refused; control characters never reach the terminal. */
static void test_sandbox__replayed_logs_are_checked(void **state)
{
	char path[] = "a\x1b[2Jb.xml", msg[] = "evil\x1b]0;title\x07\nnext", ok_msg[] = "x";
	size_t bad0 = of_log_bad_record_count();
	(void)state;
	g_logs[0] = 0;
	of_log_set_handler(capture, NULL);
	assert_int_equal(of_log_replay(OF_EV_SUMMARY, OF_LOG_INFO, NULL, 0, 0, ok_msg), OF_EINVALID);
	assert_int_equal(of_log_replay(OF_EV_STAGE_END, OF_LOG_INFO, NULL, 0, 0, ok_msg), OF_EINVALID);
	assert_int_equal(of_log_replay(OF_EV_MESSAGE, (of_log_level)99, NULL, 0, 0, ok_msg), OF_EINVALID);
	assert_string_equal(g_logs, "");
	assert_int_equal(of_log_replay(OF_EV_BAD_RECORD, OF_LOG_WARN, path, 3, 0, msg), 0);
	of_log_set_handler(NULL, NULL);
	assert_null(strchr(g_logs, 0x1b));
	assert_null(strchr(g_logs, '\n'));
	assert_null(strchr(g_logs, 0x07));
	assert_int_equal(of_log_bad_record_count(), bad0 + 1);
}

/* Warnings a worker printed and those it only counted reach the parent's count; bad records apart. */
static void test_sandbox__warning_counts_carried(void **state)
{
	char *out = NULL;
	size_t len;
	(void)state;
	g_logs[0] = 0;
	of_log_set_handler(capture, NULL);
	size_t w0 = of_log_warning_count(), u0 = of_log_unshown_count(), b0;
	assert_int_equal(of_sandbox_collect("live.xml", NULL, child_capped_warnings, NULL, &out, &len), 0);
	of_log_set_handler(NULL, NULL);
	free(out);
	assert_string_equal(g_logs, "live.xml:3: shown|live.xml:4: a bad record|");
	assert_int_equal(of_log_warning_count() - w0, 4); /* 1 shown + 3 counted */
	assert_int_equal(of_log_unshown_count() - u0, 3);
	/* In-process too: a bad record is not a warning. */
	w0 = of_log_warning_count();
	b0 = of_log_bad_record_count();
	of_log_set_handler(capture, NULL);
	of_log_bad_record(0, "x.jsonl", 1, 0, "bad");
	of_log_warn_at("x.jsonl", 2, 0, "warned");
	of_log_set_handler(NULL, NULL);
	assert_int_equal(of_log_warning_count() - w0, 1);
	assert_int_equal(of_log_bad_record_count() - b0, 1);
}

static void test_sandbox__wall_clock_cap(void **state)
{
	of_sandbox_limits lim = OF_SANDBOX_LIMITS_INIT;
	double t0 = now();
	(void)state;
	lim.wall_seconds = 1; /* a child that sleeps forever (a lock never released) uses no CPU */
	assert_int_equal(of_sandbox_run("stuck.xml", &lim, child_sleeps, NULL, NULL, NULL), OF_ELIMIT);
	assert_non_null(strstr(of_error_last()->message, "limit exceeded (time)"));
	assert_true(now() - t0 < 20);
}

static int stop_sink(const char *data, size_t n, void *payload)
{
	(void)data;
	(void)n;
	(void)payload;
	return of_error_set(OF_ENOMEM, "model full");
}

static void test_sandbox__sink_stops_child(void **state)
{
	size_t n = (size_t)64 << 20;
	(void)state;
	assert_int_equal(of_sandbox_run("x", NULL, child_pattern, &n, stop_sink, NULL), OF_ENOMEM);
	assert_string_equal(of_error_last()->message, "model full");
}

/* ---- record streams ---- */

typedef struct seen {
	char tags[8];
	size_t sizes[8], n;
} seen;

static int on_frame(void *ctx, char tag, const char *p, size_t n)
{
	seen *s = ctx;
	(void)p;
	if (s->n < 8) {
		s->tags[s->n] = tag;
		s->sizes[s->n] = n;
	}
	s->n++;
	return 0;
}

static int child_frames(of_sandbox_out *out, void *arg)
{
	static char big[70000];
	(void)arg;
	memset(big, 'x', sizeof big);
	if (of_sandbox_send_frame(out, 'A', "", 0) || of_sandbox_send_frame(out, 'B', big, sizeof big) ||
	    of_sandbox_send_frame_head(out, 'C', 5) || of_sandbox_send(out, "ab", 2) || of_sandbox_send(out, "cde", 3))
		return OF_ERROR;
	return 0;
}

static int child_cut_frame(of_sandbox_out *out, void *arg)
{
	(void)arg;
	return of_sandbox_send_frame_head(out, 'A', 10) || of_sandbox_send(out, "abc", 3) ? OF_ERROR : 0;
}

static void test_sandbox__frames_and_reader(void **state)
{
	seen s = {{0}, {0}, 0};
	(void)state;
	of_sandbox_frames f = {on_frame, &s, "in.log", "test record", 1 << 20, NULL, 0, 0};
	assert_int_equal(of_sandbox_frames_end(&f, of_sandbox_run("in.log", NULL, child_frames, NULL,
								   of_sandbox_frames_sink, &f)), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.tags[0], 'A');
	assert_int_equal(s.sizes[0], 0);
	assert_int_equal(s.tags[1], 'B');
	assert_int_equal(s.sizes[1], 70000);
	assert_int_equal(s.tags[2], 'C');
	assert_int_equal(s.sizes[2], 5);

	/* a frame over max_frame, and a frame cut short, are broken streams naming the input */
	seen s2 = {{0}, {0}, 0};
	of_sandbox_frames g = {on_frame, &s2, "in.log", "test record", 1000, NULL, 0, 0};
	assert_int_equal(of_sandbox_frames_end(&g, of_sandbox_run("in.log", NULL, child_frames, NULL,
								   of_sandbox_frames_sink, &g)), OF_ERROR);
	assert_non_null(strstr(of_error_last()->message, "broken test record"));
	assert_string_equal(of_error_last()->path, "in.log");
	seen s3 = {{0}, {0}, 0};
	of_sandbox_frames h = {on_frame, &s3, "in.log", "test record", 1000, NULL, 0, 0};
	assert_int_equal(of_sandbox_frames_end(&h, of_sandbox_run("in.log", NULL, child_cut_frame, NULL,
								   of_sandbox_frames_sink, &h)), OF_ERROR);
	assert_int_equal(s3.n, 0);

	/* the reader: a string, a NULL string, then a short read */
	char buf[32];
	uint32_t n = 3, none = OF_SANDBOX_NO_STR;
	memcpy(buf, &n, 4);
	memcpy(buf + 4, "abc", 3);
	memcpy(buf + 7, &none, 4);
	memcpy(buf + 11, &n, 4); /* claims 3 bytes, has 1 */
	buf[15] = 'z';
	of_sandbox_reader r = {buf, buf + 16, 0};
	char *a = of_sandbox_take_str(&r);
	assert_string_equal(a, "abc");
	free(a);
	assert_null(of_sandbox_take_str(&r));
	assert_int_equal(r.bad, 0);
	assert_null(of_sandbox_take_str(&r));
	assert_int_equal(r.bad, 1);
	uint64_t v = 7;
	of_sandbox_take(&r, &v, sizeof v);
	assert_int_equal(v, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sandbox__result_bytes_intact),
		cmocka_unit_test(test_sandbox__result_cap),
		cmocka_unit_test(test_sandbox__cpu_limit),
		cmocka_unit_test(test_sandbox__memory_limit),
		cmocka_unit_test(test_sandbox__json_out_of_memory_is_never_a_syntax_error),
		cmocka_unit_test(test_sandbox__crash_then_batch_goes_on),
		cmocka_unit_test(test_sandbox__child_error_and_logs_carried),
		cmocka_unit_test(test_sandbox__replayed_logs_are_checked),
		cmocka_unit_test(test_sandbox__warning_counts_carried),
		cmocka_unit_test(test_sandbox__wall_clock_cap),
		cmocka_unit_test(test_sandbox__sink_stops_child),
		cmocka_unit_test(test_sandbox__frames_and_reader),
	};
	return cmocka_run_group_tests_name("sandbox", tests, NULL, NULL);
}
