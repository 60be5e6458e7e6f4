/* test_voice_tts.c — HTTP TTS narration against tests/fixtures/voice/tts_server.py
 * (spawned by the test): speech, cache, retries, hostile answers → espeak-ng
 * fallback, and the API key never appearing in any message. */
#include "testutil.h"

#include "onefish/error.h"
#include "onefish/http.h"
#include "onefish/log.h"
#include "onefish/voice.h"

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define KEY "sk-test-5ecret-key"

static pid_t g_pid;
static int g_port;
static char g_dir[1024];
static char g_log[16384];
static int g_warnings;

static void capture(const of_log_record *r, void *p)
{
	size_t n = strlen(g_log);
	(void)p;
	if (r->level == OF_LOG_WARN)
		g_warnings++;
	snprintf(g_log + n, sizeof g_log - n, "%s\n", r->message);
}

static int setup(void **state)
{
	char script[2048], portfile[1100];
	const char *root = getenv("ONEFISH_ROOT");
	(void)state;
	snprintf(g_dir, sizeof g_dir, "%s", of_test_tmpdir());
	snprintf(script, sizeof script, "%s/tests/fixtures/voice/tts_server.py", root ? root : ".");
	snprintf(portfile, sizeof portfile, "%s/port", g_dir);
	setenv("TTS_KEY", KEY, 1);
	{
		char *argv[] = {"python3", script, "--port-file", portfile, "--lifetime", "60", NULL};
		if (posix_spawnp(&g_pid, "python3", NULL, NULL, argv, environ) != 0)
			g_pid = 0;
	}
	unsetenv("TTS_KEY");
	for (int i = 0; g_pid && i < 500; i++) {
		FILE *fp = fopen(portfile, "r");
		struct timespec ts = {0, 20 * 1000 * 1000};
		int st;
		if (fp) {
			int ok = fscanf(fp, "%d", &g_port) == 1;
			fclose(fp);
			if (ok && g_port > 0)
				return 0;
		}
		if (waitpid(g_pid, &st, WNOHANG) == g_pid)
			g_pid = 0;
		nanosleep(&ts, NULL);
	}
	g_port = 0; /* python3 missing: the tests skip */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (g_pid > 0) {
		kill(g_pid, SIGTERM);
		waitpid(g_pid, NULL, 0);
	}
	of_test_rmtree(g_dir);
	return 0;
}

static const char *endpoint(const char *mode, const char *id)
{
	static char buf[256];
	snprintf(buf, sizeof buf, "http://127.0.0.1:%d/%s/%s/v1/", g_port, mode, id);
	return buf;
}

/* Requests the server saw for `id`; `last` gets the last request body (caller decrefs). */
static int count(const char *id, json_t **last)
{
	char url[256];
	of_http_response r;
	of_http_options ho = OF_HTTP_OPTIONS_INIT;
	json_t *j;
	int n;
	ho.trusted = 1;
	snprintf(url, sizeof url, "http://127.0.0.1:%d/count/%s", g_port, id);
	assert_int_equal(of_http_get(&r, url, &ho), 0);
	j = json_loadb(r.body, r.len, 0, NULL);
	assert_non_null(j);
	n = (int)json_integer_value(json_object_get(j, "count"));
	if (last)
		*last = json_incref(json_object_get(j, "last"));
	json_decref(j);
	of_http_response_free(&r);
	return n;
}

static void opts_for(of_voice_options *o, const char *mode, const char *id, const char *cache)
{
	of_voice_options init = OF_VOICE_OPTIONS_INIT;
	*o = init;
	o->engine = "tts";
	o->tts_endpoint = endpoint(mode, id);
	o->tts_model = "tts-1";
	o->tts_voice = "nova";
	o->tts_api_key_env = "OF_TEST_TTS_KEY";
	o->tts_timeout_s = 5;
	o->cache_dir = cache;
}

static double seconds(const of_audio *a)
{
	return (double)a->n_frames / a->sample_rate;
}

static void test_voice_tts__speaks_and_caches(void **state)
{
	of_voice_options o;
	of_audio *a = NULL, *b = NULL;
	json_t *last = NULL;
	char cache[1100];
	(void)state;
	if (!g_port)
		skip();
	snprintf(cache, sizeof cache, "%s/cache", g_dir);
	setenv("OF_TEST_TTS_KEY", KEY, 1);
	opts_for(&o, "auth", "speak", cache);
	g_log[0] = '\0';
	g_warnings = 0;
	of_log_set_handler(capture, NULL);
	/* Two sentences of 5 and 3 characters: 0.5 s + 120 ms pause + 0.3 s. */
	assert_int_equal(of_voice_say(&a, "你好世界。再见！", &o), 0);
	assert_int_equal(g_warnings, 0);
	assert_int_equal(a->channels, 1);
	assert_int_equal(a->sample_rate, 48000);
	assert_true(fabs(seconds(a) - 0.92) < 0.01);
	assert_int_equal(count("speak", &last), 2);
	assert_string_equal(json_string_value(json_object_get(last, "input")), "再见！");
	assert_string_equal(json_string_value(json_object_get(last, "model")), "tts-1");
	assert_string_equal(json_string_value(json_object_get(last, "voice")), "nova");
	assert_string_equal(json_string_value(json_object_get(last, "response_format")), "wav");
	assert_non_null(strstr(json_string_value(json_object_get(last, "_accept")), "audio/wav"));
	json_decref(last);
	/* Cached: no request, same samples, and no key needed. */
	unsetenv("OF_TEST_TTS_KEY");
	assert_int_equal(of_voice_say(&b, "你好世界。再见！", &o), 0);
	of_log_set_handler(NULL, NULL);
	assert_int_equal(count("speak", NULL), 2);
	assert_int_equal(a->n_frames, b->n_frames);
	assert_memory_equal(a->samples, b->samples, a->n_frames * sizeof(float));
	assert_int_equal(g_warnings, 0);
	of_audio_free(a);
	of_audio_free(b);
}

static void test_voice_tts__bad_cache_and_no_endpoint(void **state)
{
	of_voice_options o;
	of_audio *a = NULL;
	char cache[1100], cmd[1400];
	(void)state;
	if (!g_port)
		skip();
	snprintf(cache, sizeof cache, "%s/cache2", g_dir);
	opts_for(&o, "ok", "recache", cache);
	o.tts_api_key_env = NULL;
	assert_int_equal(of_voice_say(&a, "你好。", &o), 0);
	of_audio_free(a);
	assert_int_equal(count("recache", NULL), 1);
	/* Spoil every cached answer: they are asked for again, with a warning. */
	{
		DIR *d = opendir(cache);
		struct dirent *e;
		int n = 0;
		assert_non_null(d);
		while ((e = readdir(d)))
			if (strncmp(e->d_name, "tts-", 4) == 0) {
				snprintf(cmd, sizeof cmd, "%s/%s", cache, e->d_name);
				of_test_write(cmd, "garbage", 7);
				n++;
			}
		closedir(d);
		assert_int_equal(n, 1);
	}
	g_warnings = 0;
	g_log[0] = '\0';
	of_log_set_handler(capture, NULL);
	assert_int_equal(of_voice_say(&a, "你好。", &o), 0);
	of_log_set_handler(NULL, NULL);
	assert_int_equal(count("recache", NULL), 2);
	assert_int_equal(g_warnings, 1);
	assert_non_null(strstr(g_log, "unusable cached TTS answer"));
	assert_true(fabs(seconds(a) - 0.3) < 0.01);
	of_audio_free(a);
	/* engine tts without an endpoint: espeak-ng with a warning. */
	o.tts_endpoint = NULL;
	g_log[0] = '\0';
	of_log_set_handler(capture, NULL);
	assert_int_equal(of_voice_say(&a, "你好。", &o), 0);
	of_log_set_handler(NULL, NULL);
	assert_non_null(strstr(g_log, "no tts.endpoint"));
	assert_true(seconds(a) > 0.3);
	of_audio_free(a);
}

static void test_voice_tts__retries_500(void **state)
{
	of_voice_options o;
	of_audio *a = NULL;
	(void)state;
	if (!g_port)
		skip();
	opts_for(&o, "500first", "retry", NULL);
	o.tts_api_key_env = NULL;
	g_warnings = 0;
	g_log[0] = '\0';
	of_log_set_handler(capture, NULL);
	assert_int_equal(of_voice_say(&a, "直播间见！", &o), 0);
	of_log_set_handler(NULL, NULL);
	assert_int_equal(count("retry", NULL), 2);
	assert_int_equal(g_warnings, 1); /* the retry notice, no fallback */
	assert_non_null(strstr(g_log, "HTTP 500"));
	assert_true(fabs(seconds(a) - 0.5) < 0.01);
	of_audio_free(a);
}

/* Each hostile answer falls back to espeak-ng (its audio is much longer
 * than the fake's 0.1 s per character) with one warning naming the cause. */
static void fallback_case(const char *mode, const char *why)
{
	of_voice_options o;
	of_audio *a = NULL;
	opts_for(&o, mode, mode, NULL);
	o.tts_api_key_env = NULL;
	g_warnings = 0;
	g_log[0] = '\0';
	of_log_set_handler(capture, NULL);
	assert_int_equal(of_voice_say(&a, "今天聊聊辅食。", &o), 0);
	of_log_set_handler(NULL, NULL);
	if (!strstr(g_log, "falling back to espeak-ng") || !strstr(g_log, why))
		fail_msg("%s: log was: %s", mode, g_log);
	print_message("%s: %s", mode, g_log);
	assert_int_equal(count(mode, NULL), 1);
	assert_true(seconds(a) > 1.0); /* espeak-ng, not the 0.7 s fake */
	of_audio_free(a);
}

static void test_voice_tts__hostile_answers_fall_back(void **state)
{
	(void)state;
	if (!g_port)
		skip();
	fallback_case("huge", "8 channels at 768000 Hz");
	fallback_case("endless", "");
	fallback_case("json", "not a readable audio file");
	fallback_case("notfound", "HTTP 404");
	/* one video, many scenes: after the first failure the other scenes neither wait for the
	 * endpoint again nor warn again (the caller's tts_failed flag) */
	of_voice_options o;
	of_audio *a = NULL;
	int failed = 0;
	opts_for(&o, "notfound", "notfound", NULL);
	o.tts_api_key_env = NULL;
	o.tts_failed = &failed;
	size_t before = count("notfound", NULL);
	g_log[0] = '\0';
	of_log_set_handler(capture, NULL);
	for (int k = 0; k < 3; k++) {
		assert_int_equal(of_voice_say(&a, "今天聊聊辅食。", &o), 0);
		of_audio_free(a);
		a = NULL;
	}
	of_log_set_handler(NULL, NULL);
	assert_int_equal(failed, 1);
	assert_int_equal(count("notfound", NULL) - before, 1);
	const char *w = strstr(g_log, "falling back");
	assert_non_null(w);
	assert_null(strstr(w + 1, "falling back"));
}

static void test_voice_tts__key_never_logged(void **state)
{
	of_voice_options o;
	of_audio *a = NULL;
	(void)state;
	if (!g_port)
		skip();
	/* A wrong key: the server echoes what it got in its 401 body. */
	setenv("OF_TEST_TTS_KEY", "sk-wrong-0000-key", 1);
	opts_for(&o, "auth", "badkey", NULL);
	g_log[0] = '\0';
	of_log_set_handler(capture, NULL);
	assert_int_equal(of_voice_say(&a, "你好。", &o), 0);
	of_log_set_handler(NULL, NULL);
	unsetenv("OF_TEST_TTS_KEY");
	assert_non_null(strstr(g_log, "HTTP 401"));
	assert_null(strstr(g_log, "sk-wrong"));
	assert_null(strstr(of_error_last()->message, "sk-wrong"));
	of_audio_free(a);
	/* The key variable named but unset: a clear message, then espeak-ng. */
	opts_for(&o, "auth", "nokey", NULL);
	g_log[0] = '\0';
	of_log_set_handler(capture, NULL);
	assert_int_equal(of_voice_say(&a, "你好。", &o), 0);
	of_log_set_handler(NULL, NULL);
	assert_non_null(strstr(g_log, "OF_TEST_TTS_KEY"));
	assert_int_equal(count("nokey", NULL), 0);
	of_audio_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_voice_tts__speaks_and_caches),
		cmocka_unit_test(test_voice_tts__bad_cache_and_no_endpoint),
		cmocka_unit_test(test_voice_tts__retries_500),
		cmocka_unit_test(test_voice_tts__hostile_answers_fall_back),
		cmocka_unit_test(test_voice_tts__key_never_logged),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
