/* test_llm.c — the chat client against tests/support/fake_server.py: replayed
 * answers, cache, retries with Retry-After, faults (SAFE-INPUT row 48), and
 * the API key that must never appear in messages, logs or caches. */
#include "testutil.h"
#include "netutil.h"

#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/json.h"
#include "onefish/llm.h"
#include "onefish/log.h"
#include "onefish/stage.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY "sk-onefish-test-7d2f9a41c3b8e6"
#define KEY_ENV "ONEFISH_TEST_LLM_KEY"

static of_fake_server g_srv;
static int g_have_srv;
static of_buf g_log; /* every log message of the current test */

static void capture(const of_log_record *r, void *payload)
{
	(void)payload;
	of_buf_printf(&g_log, "%s\n", r->message);
}

static int group_setup(void **state)
{
	(void)state;
	g_have_srv = of_fake_server_start(&g_srv, KEY) == 0;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (g_have_srv)
		of_fake_server_stop(&g_srv);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	of_buf_init(&g_log, 1 << 20);
	of_log_set_handler(capture, NULL);
	unsetenv(KEY_ENV);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	of_log_set_handler(NULL, NULL);
	/* Whatever happened, the key was never logged. */
	int leaked = strstr(of_buf_cstr(&g_log), KEY) != NULL;
	of_buf_free(&g_log);
	unsetenv(KEY_ENV);
	return leaked ? -1 : 0;
}

#define NEED_SERVER() do { if (!g_have_srv) { skip(); return; } } while (0)

static const of_llm_message g_msgs[] = {
	{"system", "你是私域内容编辑。"},
	{"user", "把这周的朋友圈整理成一篇文章。"},
};

static of_llm_options opts_for(const char *mode_path)
{
	static char endpoint[512];
	of_llm_options o = OF_LLM_OPTIONS_INIT;
	snprintf(endpoint, sizeof endpoint, "http://127.0.0.1:%d/%s/v1", g_srv.port, mode_path);
	o.endpoint = endpoint;
	o.model = "qwen2.5:7b-instruct";
	o.timeout_s = 5;
	o.backoff_s = 0.05;
	o.max_wait_s = 10;
	return o;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("expected '%s' in '%s'", needle, hay);
}

/* Fails if `needle` is in any file of `dir`. Returns the number of files. */
static int assert_no_file_contains(const char *dir, const char *needle)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	char path[1024];
	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		char *s = of_test_slurp(path, NULL);
		if (strstr(s, needle))
			fail_msg("%s contains the secret", path);
		free(s);
		n++;
	}
	closedir(d);
	return n;
}

static void test_llm__replay_and_cache(void **state)
{
	char *a = NULL, *b = NULL;
	const char *dir = of_test_tmpdir();
	(void)state;
	NEED_SERVER();
	of_llm_options o = opts_for("replay/c1/ok");
	o.cache_dir = dir;
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), 0);
	assert_non_null(a);
	assert_true(strncmp(a, "# 这一周，我们把好茶带回了家", strlen("# 这一周，我们把好茶带回了家")) == 0);
	assert_int_equal(assert_no_file_contains(dir, "\"Authorization"), 1);
	/* The cache key leaves the endpoint out: a dead endpoint still answers from the cache. */
	char dead[64];
	snprintf(dead, sizeof dead, "http://127.0.0.1:%d/v1/", of_free_port());
	o.endpoint = dead;
	assert_int_equal(of_llm_chat(&b, g_msgs, 2, &o), 0);
	assert_string_equal(a, b);
	assert_int_equal(of_fake_count(&g_srv, "c1"), 1);
	free(b);
	/* A different request misses the cache (and here fails: the endpoint is dead). */
	o.max_tokens = 100;
	assert_int_equal(of_llm_chat(&b, g_msgs, 2, &o), OF_ENET);
	assert_null(b);
	/* A damaged cache file is a warning and a refetch, then rewritten. */
	o = opts_for("replay/c1/ok");
	o.cache_dir = dir;
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1024] = "";
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
	closedir(d);
	of_test_write(path, "{\"request\": ", 12);
	assert_int_equal(of_llm_chat(&b, g_msgs, 2, &o), 0);
	assert_string_equal(a, b);
	assert_contains(of_buf_cstr(&g_log), "llm cache:");
	assert_int_equal(of_fake_count(&g_srv, "c1"), 2);
	json_t *v = NULL;
	assert_int_equal(of_json_load(&v, path, 1 << 20), 0);
	assert_string_equal(of_json_str(v, "answer"), a);
	assert_string_equal(of_json_str(json_object_get(v, "request"), "model"), "qwen2.5:7b-instruct");
	json_decref(v);
	free(a);
	free(b);
	/* A non-round temperature still hits its own cache entry. */
	o.temperature = 0.7;
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), 0);
	free(a);
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), 0);
	free(a);
	assert_int_equal(of_fake_count(&g_srv, "c1"), 3);
	assert_null(strstr(of_buf_cstr(&g_log), "does not match"));
	of_test_rmtree(dir);
}

static void test_llm__answer_shapes(void **state)
{
	char *a = NULL;
	(void)state;
	NEED_SERVER();
	/* <think>…</think> from a reasoning model is not part of the answer. */
	of_llm_options o = opts_for("replay/s1/think");
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), 0);
	assert_string_equal(a, "# 周末的茶会\n\n## 新茶到了\n\n今年的春茶比去年早到一周。");
	free(a);
	/* Content as text parts, cut at max_tokens: joined, with a warning. */
	o = opts_for("replay/s2/parts");
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), 0);
	assert_string_equal(a, "# 标题\n\n正文第一段。");
	assert_contains(of_buf_cstr(&g_log), "answer cut at max_tokens (2048)");
	free(a);
	/* A 200 that carries an error object: the server's words are in the message. */
	o = opts_for("replay/s3/error200");
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), OF_EINVALID);
	assert_contains(of_error_last()->message, "model 'qwen9' not found");
	assert_null(a);
}

static void test_llm__options_from_flags(void **state)
{
	of_run_flags f = {0};
	of_llm_options o;
	(void)state;
	f.llm_endpoint = "http://127.0.0.1:11434/v1";
	f.llm_model = "qwen2.5";
	f.llm_api_key_env = "OPENAI_API_KEY";
	f.llm_timeout = 90;
	f.cache_dir = "out/.cache";
	of_llm_options_from_flags(&o, &f);
	assert_int_equal(o.version, OF_LLM_OPTIONS_VERSION);
	assert_string_equal(o.endpoint, f.llm_endpoint);
	assert_string_equal(o.model, "qwen2.5");
	assert_string_equal(o.api_key_env, "OPENAI_API_KEY");
	assert_true(o.timeout_s == 90.0);
	assert_int_equal(o.max_tokens, 2048);
	assert_int_equal(o.max_retries, 3);
	assert_string_equal(o.cache_dir, "out/.cache");
}

static void test_llm__request_shape_and_key_header(void **state)
{
	char *a = NULL;
	json_t *v = NULL;
	(void)state;
	NEED_SERVER();
	setenv(KEY_ENV, KEY, 1);
	of_llm_options o = opts_for("echo/e1");
	o.api_key_env = KEY_ENV;
	o.endpoint = "http://127.0.0.1:1/"; /* replaced below: keep trailing-slash handling tested */
	char ep[256];
	snprintf(ep, sizeof ep, "http://127.0.0.1:%d/echo/e1/v1/", g_srv.port);
	o.endpoint = ep;
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), 0);
	assert_int_equal(of_json_parse(&v, a, strlen(a), "echo", 0), 0);
	assert_string_equal(of_json_str(v, "method"), "POST");
	assert_string_equal(of_json_str(v, "path"), "/echo/e1/v1/chat/completions");
	assert_true(json_is_true(json_object_get(v, "has_auth")));
	json_t *body = json_object_get(v, "body");
	assert_string_equal(of_json_str(body, "model"), "qwen2.5:7b-instruct");
	assert_int_equal(json_integer_value(json_object_get(body, "max_tokens")), 2048);
	assert_true(json_real_value(json_object_get(body, "temperature")) == 0.0);
	assert_true(json_is_false(json_object_get(body, "stream")));
	json_t *m = json_object_get(body, "messages");
	assert_int_equal(json_array_size(m), 2);
	assert_string_equal(of_json_str(json_array_get(m, 1), "role"), "user");
	assert_string_equal(of_json_str(json_array_get(m, 1), "content"), g_msgs[1].content);
	json_decref(v);
	free(a);
	/* A query in the endpoint (Azure's api-version) stays after the path. */
	snprintf(ep, sizeof ep, "http://127.0.0.1:%d/echo/e2/v1?api-version=2024-06-01", g_srv.port);
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), 0);
	assert_int_equal(of_json_parse(&v, a, strlen(a), "echo", 0), 0);
	assert_string_equal(of_json_str(v, "path"), "/echo/e2/v1/chat/completions?api-version=2024-06-01");
	/* The key travels only in the header: not in the body the server saw. */
	assert_null(strstr(a, KEY));
	json_decref(v);
	free(a);
}

static void test_llm__key_never_written(void **state)
{
	char *a = NULL;
	const char *dir = of_test_tmpdir();
	(void)state;
	NEED_SERVER();
	of_llm_options o = opts_for("auth/k1/ok");
	o.api_key_env = KEY_ENV;
	o.cache_dir = dir;
	/* Unset variable: a usage error naming the variable, not a request. */
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), OF_EUSAGE);
	assert_contains(of_error_last()->message, KEY_ENV);
	assert_int_equal(of_fake_count(&g_srv, "k1"), 0);
	/* Right key: an answer, cached without the key. */
	setenv(KEY_ENV, KEY, 1);
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), 0);
	free(a);
	assert_int_equal(assert_no_file_contains(dir, KEY), 1);
	/* Cached answers need no key (CI runs without secrets). */
	unsetenv(KEY_ENV);
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), 0);
	free(a);
	/* Wrong key: the server echoes what it received; we must not repeat it. */
	setenv(KEY_ENV, "sk-wrong-key-0123456789", 1);
	o.cache_dir = NULL;
	o = opts_for("auth/k2/ok");
	o.api_key_env = KEY_ENV;
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), OF_ENET);
	assert_null(a);
	assert_contains(of_error_last()->message, "HTTP 401");
	assert_contains(of_error_last()->message, "Incorrect API key provided");
	assert_null(strstr(of_error_last()->message, "sk-wrong-key-0123456789"));
	assert_int_equal(of_fake_count(&g_srv, "k2"), 1); /* 401 is not retried */
	/* Retries and timeouts with the key set: nothing in logs or messages. */
	setenv(KEY_ENV, KEY, 1);
	o = opts_for("always500/k3");
	o.api_key_env = KEY_ENV;
	o.max_retries = 1;
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), OF_ENET);
	assert_null(strstr(of_error_last()->message, KEY));
	assert_null(strstr(of_buf_cstr(&g_log), KEY));
	assert_int_equal(assert_no_file_contains(dir, KEY), 1);
	/* A key with a line break would inject headers. */
	setenv(KEY_ENV, "sk-abc\r\nX-Evil: 1", 1);
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), OF_EUSAGE);
	assert_null(strstr(of_error_last()->message, "X-Evil"));
	of_test_rmtree(dir);
}

static void test_llm__retry_429_honours_retry_after(void **state)
{
	char *a = NULL;
	double t0;
	(void)state;
	NEED_SERVER();
	of_llm_options o = opts_for("429/r1");
	t0 = of_log_now();
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), 0);
	assert_true(of_log_now() - t0 >= 0.9); /* waited Retry-After: 1, not backoff_s 0.05 */
	assert_int_equal(of_fake_count(&g_srv, "r1"), 2);
	assert_contains(of_buf_cstr(&g_log), "HTTP 429: rate limited; retry 1 of 3 in 1.0 s");
	free(a);
	/* The wait is capped whatever Retry-After asks. */
	o = opts_for("429/r2");
	o.max_wait_s = 0.1;
	t0 = of_log_now();
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), 0);
	assert_true(of_log_now() - t0 < 0.9);
	free(a);
	/* HTTP-date form. */
	o = opts_for("429date/r3");
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), 0);
	assert_int_equal(of_fake_count(&g_srv, "r3"), 2);
	free(a);
}

static void test_llm__retry_500_then_success(void **state)
{
	char *a = NULL;
	(void)state;
	NEED_SERVER();
	of_llm_options o = opts_for("500/f1");
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), 0);
	assert_int_equal(of_fake_count(&g_srv, "f1"), 2);
	assert_contains(of_buf_cstr(&g_log), "HTTP 500: internal error");
	free(a);
	/* Always failing: gives up after max_retries + 1 attempts. */
	o = opts_for("always500/f2");
	o.max_retries = 2;
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), OF_ENET);
	assert_null(a);
	assert_contains(of_error_last()->message, "gave up after 3 attempts");
	assert_contains(of_error_last()->message, "HTTP 503: overloaded");
	assert_contains(of_error_last()->message, "/always500/f2/v1");
	assert_int_equal(of_fake_count(&g_srv, "f2"), 3);
}

static void test_llm__timeout_is_retried(void **state)
{
	char *a = NULL;
	double t0 = of_log_now();
	(void)state;
	NEED_SERVER();
	of_llm_options o = opts_for("slow/t1");
	o.timeout_s = 1;
	o.max_retries = 1;
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), OF_ENET);
	assert_contains(of_error_last()->message, "timed out");
	assert_int_equal(of_fake_count(&g_srv, "t1"), 2);
	assert_true(of_log_now() - t0 < 4);
}

static void test_llm__bad_answers_name_the_endpoint(void **state)
{
	static const struct {
		const char *mode, *expect;
	} cases[] = {
		{"malformed/b1", "answer is not valid JSON"},
		{"portal/b2", "answer is HTML"},
		{"nochoices/b3", "no choices[0].message.content"},
		{"replay/b4/empty", "answer content is empty"},
	};
	(void)state;
	NEED_SERVER();
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *a = NULL, id[8];
		of_llm_options o = opts_for(cases[i].mode);
		assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), OF_EINVALID);
		assert_null(a);
		assert_contains(of_error_last()->message, cases[i].expect);
		assert_contains(of_error_last()->message, o.endpoint);
		snprintf(id, sizeof id, "b%zu", i + 1);
		assert_int_equal(of_fake_count(&g_srv, id), 1); /* not retried */
	}
	/* A wrong base URL: 404, not retried, with a hint. */
	char *a = NULL;
	of_llm_options o = opts_for("notfound/b5");
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), OF_ENET);
	assert_contains(of_error_last()->message, "HTTP 404 (llm.endpoint should be the base URL");
	assert_int_equal(of_fake_count(&g_srv, "b5"), 1);
}

static void test_llm__refused_and_usage(void **state)
{
	char *a = NULL, ep[64];
	double t0 = of_log_now();
	of_llm_options o = OF_LLM_OPTIONS_INIT;
	(void)state;
	snprintf(ep, sizeof ep, "http://127.0.0.1:%d/v1", of_free_port());
	o.endpoint = ep;
	o.model = "m";
	o.backoff_s = 0.05;
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), OF_ENET);
	assert_contains(of_error_last()->message, "cannot connect");
	assert_contains(of_error_last()->message, ep);
	assert_true(of_log_now() - t0 < 2); /* refused is not retried */
	o.model = NULL;
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), OF_EUSAGE);
	o.model = "m";
	o.endpoint = NULL;
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), OF_EUSAGE);
	o.endpoint = "file:///etc/passwd";
	assert_int_equal(of_llm_chat(&a, g_msgs, 2, &o), OF_EINVALID);
	o.endpoint = ep;
	of_llm_message bad[] = {{"root", "x"}};
	assert_int_equal(of_llm_chat(&a, bad, 1, &o), OF_EUSAGE);
	assert_int_equal(of_llm_chat(&a, g_msgs, 0, &o), OF_EUSAGE);
	assert_null(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_llm__replay_and_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_llm__request_shape_and_key_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_llm__key_never_written, setup, teardown),
		cmocka_unit_test_setup_teardown(test_llm__retry_429_honours_retry_after, setup, teardown),
		cmocka_unit_test_setup_teardown(test_llm__retry_500_then_success, setup, teardown),
		cmocka_unit_test_setup_teardown(test_llm__timeout_is_retried, setup, teardown),
		cmocka_unit_test_setup_teardown(test_llm__bad_answers_name_the_endpoint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_llm__refused_and_usage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_llm__answer_shapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_llm__options_from_flags, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
