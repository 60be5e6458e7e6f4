/* llm.c — OpenAI-compatible chat client over of_http_post_json: request
 * cache, retries with capped backoff, and an API key that only ever lives in
 * the Authorization header. */
#include "onefish/llm.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/http.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/stage.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Compact, in insertion order: the exact bytes sent and hashed. */
#define REQUEST_JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))

/* The request body, built in a fixed key order so equal requests give equal
 * bytes (and equal cache keys). */
static json_t *build_request(const of_llm_message *msgs, size_t n, const of_llm_options *o)
{
	json_t *req = json_object(), *arr = json_array();
	if (!req || !arr)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		json_t *m = json_object();
		if (!m || json_array_append_new(arr, m) < 0 ||
		    json_object_set_new(m, "role", json_string(msgs[i].role)) < 0 ||
		    json_object_set_new(m, "content", json_string(msgs[i].content)) < 0)
			goto fail;
	}
	if (json_object_set_new(req, "model", json_string(o->model)) < 0 ||
	    json_object_set(req, "messages", arr) < 0 ||
	    json_object_set_new(req, "max_tokens", json_integer(o->max_tokens)) < 0 ||
	    json_object_set_new(req, "temperature", json_real(o->temperature)) < 0 ||
	    json_object_set_new(req, "stream", json_false()) < 0)
		goto fail;
	json_decref(arr);
	return req;
fail:
	json_decref(arr);
	json_decref(req);
	return NULL;
}

/* Replaces every occurrence of `key` in `s` (in place) with '*'. */
static void scrub(char *s, const char *key)
{
	size_t kl = key ? strlen(key) : 0;
	char *p;
	if (kl < 4)
		return;
	while ((p = strstr(s, key)) != NULL)
		memset(p, '*', kl);
}

/* A short, printable summary of a server's error body for messages: the
 * OpenAI-style error.message when present, with the key scrubbed. */
static void server_detail(char *out, size_t n, const of_http_response *r, const char *key)
{
	json_t *v = NULL;
	const char *msg = NULL;
	json_error_t err;
	out[0] = '\0';
	if (!r->body || !r->len)
		return;
	v = json_loadb(r->body, r->len, 0, &err);
	if (v) {
		json_t *e = json_object_get(v, "error");
		msg = json_is_string(e) ? json_string_value(e) : of_json_str(e, "message");
		if (!msg)
			msg = of_json_str(v, "message");
	}
	if (msg) {
		size_t j = 0;
		while (msg[j] && j + 1 < n && j < 200)
			j++;
		/* a cut inside a UTF-8 sequence: back off to its lead byte */
		while (msg[j] && j > 0 && ((unsigned char)msg[j] & 0xc0) == 0x80)
			j--;
		for (size_t i = 0; i < j; i++)
			out[i] = ((unsigned char)msg[i] < 0x20) ? ' ' : msg[i];
		out[j] = '\0';
		scrub(out, key);
	}
	json_decref(v);
}

static char *cache_path(const char *dir, const char *hex)
{
	char name[80];
	snprintf(name, sizeof name, "%s.json", hex);
	return of_path_join(dir, name);
}

/* 1 = hit (*answer set), 0 = miss, <0 = OOM. A damaged cache file is a miss
 * with a warning: it is rewritten after the request. The stored request must
 * serialise to exactly the bytes that were hashed. */
static int cache_read(char **answer, const char *path, const char *body)
{
	json_t *v = NULL;
	const char *a;
	char *stored;
	int same;
	if (!of_path_is_file(path))
		return 0;
	if (of_json_load(&v, path, OF_MAX_LLM_CACHE_BYTES) < 0) {
		char buf[1200];
		of_log(OF_LOG_WARN, "llm cache: %s; asking the endpoint again",
		       of_error_format(of_error_last(), buf, sizeof buf));
		return 0;
	}
	a = of_json_str(v, "answer");
	stored = json_dumps(json_object_get(v, "request"), REQUEST_JSON_FLAGS);
	same = stored && strcmp(stored, body) == 0;
	free(stored);
	if (!a || !a[0] || !same) {
		of_log(OF_LOG_WARN, "llm cache: %s does not match its request; asking the endpoint again",
		       path);
		json_decref(v);
		return 0;
	}
	*answer = strdup(a);
	json_decref(v);
	return *answer ? 1 : of_error_set_oom();
}

static void cache_write(const char *dir, const char *path, json_t *req, const char *answer)
{
	json_t *v = json_object();
	char buf[1200];
	if (!v || json_object_set(v, "request", req) < 0 ||
	    json_object_set_new(v, "answer", json_string(answer)) < 0) {
		json_decref(v);
		of_log(OF_LOG_WARN, "llm cache: out of memory, answer not cached");
		return;
	}
	if (of_mkdirs(dir) < 0 || of_json_write(path, v) < 0)
		of_log(OF_LOG_WARN, "llm cache: %s (answer not cached)",
		       of_error_format(of_error_last(), buf, sizeof buf));
	json_decref(v);
}

/* Sleeps `s` seconds; a signal does not shorten the wait (it is capped). */
static void sleep_s(double s)
{
	struct timespec ts, rem;
	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &rem) < 0 && errno == EINTR)
		ts = rem;
}

/* choices[0].message.content as text: a string, or (some servers) an array
 * of parts whose "text" members are joined. NULL when absent. */
static char *content_text(const json_t *content)
{
	of_buf b;
	size_t i;
	json_t *part;
	if (json_is_string(content))
		return strdup(json_string_value(content));
	if (!json_is_array(content))
		return NULL;
	of_buf_init(&b, OF_MAX_LLM_ANSWER_BYTES);
	json_array_foreach(content, i, part) {
		const char *t = json_is_string(part) ? json_string_value(part) : of_json_str(part, "text");
		if (t && of_buf_puts(&b, t) < 0) {
			of_buf_free(&b);
			return NULL;
		}
	}
	return of_buf_detach(&b, NULL);
}

/* Reasoning models served through Ollama (deepseek-r1, qwq) put their
 * thoughts first as <think>...</think>: that is not the answer. */
static void strip_think(char *s)
{
	char *p = s, *end;
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	if (strncmp(p, "<think>", 7) != 0)
		return;
	end = strstr(p + 7, "</think>");
	if (!end) { /* cut off while thinking: no answer at all */
		s[0] = '\0';
		return;
	}
	p = end + 8;
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	memmove(s, p, strlen(p) + 1);
}

/* The answer's text, or an error naming the endpoint. */
static int parse_answer(char **answer, const of_http_response *r, const char *shown, const char *key,
			int max_tokens)
{
	json_t *v = NULL, *choice, *content;
	const char *ct = r->content_type ? r->content_type : "no Content-Type";
	char origin[300];
	int rc;
	snprintf(origin, sizeof origin, "%s (answer body)", shown);
	if (r->len && (r->body[0] == '<' || (r->content_type && strstr(r->content_type, "html"))))
		return of_error_set(OF_EINVALID,
				    "%s: answer is HTML (%s), not JSON: a captive portal, proxy or wrong endpoint?",
				    shown, ct);
	if ((rc = of_json_parse(&v, r->body, r->len, origin, 0)) < 0) {
		char buf[1200];
		return of_error_set(rc == OF_ELIMIT ? OF_EINVALID : rc, "%s: answer is not valid JSON (%s): %s",
				    shown, ct, of_error_format(of_error_last(), buf, sizeof buf));
	}
	choice = json_array_get(json_object_get(v, "choices"), 0);
	content = json_object_get(json_object_get(choice, "message"), "content");
	if (!json_is_string(content) && !json_is_array(content)) {
		char detail[256];
		json_decref(v);
		server_detail(detail, sizeof detail, r, key); /* a 200 carrying {"error": ...} */
		return of_error_set(OF_EINVALID, "%s: answer has no choices[0].message.content%s%s", shown,
				    detail[0] ? ": " : "", detail);
	}
	if (!(*answer = content_text(content))) {
		json_decref(v);
		return of_error_set_oom();
	}
	strip_think(*answer);
	if (!(*answer)[0]) {
		free(*answer);
		*answer = NULL;
		json_decref(v);
		return of_error_set(OF_EINVALID, "%s: answer content is empty", shown);
	}
	if (of_json_str(choice, "finish_reason") && !strcmp(of_json_str(choice, "finish_reason"), "length"))
		of_log(OF_LOG_WARN, "llm: %s: answer cut at max_tokens (%d); raise llm.max_tokens", shown,
		       max_tokens);
	json_decref(v);
	return 0;
}

static int valid_role(const char *r)
{
	return r && (!strcmp(r, "system") || !strcmp(r, "user") || !strcmp(r, "assistant"));
}

int of_llm_chat(char **answer, const of_llm_message *msgs, size_t n_msgs, const of_llm_options *opts)
{
	char shown[256], hex[65], detail[256], last[1100];
	char *url = NULL, *body = NULL, *cpath = NULL, *auth = NULL;
	const char *key = NULL;
	const char *headers[2] = {NULL, NULL};
	json_t *req = NULL;
	of_llm_options o;
	of_http_options ho = OF_HTTP_OPTIONS_INIT;
	int rc, attempts, fetched = 0;
	double wait;

	*answer = NULL;
	if (!opts || opts->version != OF_LLM_OPTIONS_VERSION)
		return of_error_set(OF_EUSAGE, "of_llm_options missing or of the wrong version");
	o = *opts;
	if (!o.endpoint || !o.endpoint[0])
		return of_error_set(OF_EUSAGE, "no LLM endpoint configured (llm.endpoint)");
	if (!o.model || !o.model[0])
		return of_error_set(OF_EUSAGE, "no LLM model configured (llm.model)");
	if (!msgs || n_msgs == 0)
		return of_error_set(OF_EUSAGE, "LLM request without messages");
	for (size_t i = 0; i < n_msgs; i++)
		if (!valid_role(msgs[i].role) || !msgs[i].content)
			return of_error_set(OF_EUSAGE, "LLM message %zu: role must be system/user/assistant "
					    "and content set", i + 1);
	of_url_sanitize(shown, sizeof shown, o.endpoint);
	if ((rc = of_url_check(o.endpoint, 1)) < 0)
		return rc;
	if (o.max_tokens <= 0)
		o.max_tokens = 2048;
	if (o.max_retries < 0)
		o.max_retries = 0;
	if (o.backoff_s <= 0)
		o.backoff_s = 1.0;
	if (o.max_wait_s <= 0)
		o.max_wait_s = OF_LLM_MAX_WAIT_S;
	if (!(o.temperature >= 0 && o.temperature <= 2)) /* also refuses NaN */
		return of_error_set(OF_EUSAGE, "LLM temperature must be within 0..2");

	if (!(req = build_request(msgs, n_msgs, &o)) ||
	    !(body = json_dumps(req, REQUEST_JSON_FLAGS))) {
		rc = of_error_set_oom();
		goto done;
	}
	of_sha256_hex(hex, body, strlen(body));
	if (o.cache_dir && o.cache_dir[0]) {
		if (!(cpath = cache_path(o.cache_dir, hex))) {
			rc = of_error_set_oom();
			goto done;
		}
		if ((rc = cache_read(answer, cpath, body)) != 0) {
			rc = rc > 0 ? 0 : rc;
			goto done;
		}
	}

	/* The key is needed only now: cached runs (CI) work without it. */
	if (o.api_key_env && o.api_key_env[0]) {
		key = getenv(o.api_key_env);
		if (!key || !key[0]) {
			rc = of_error_set(OF_EUSAGE, "environment variable %s (llm.api_key_env) is not set",
					  o.api_key_env);
			goto done;
		}
		for (const char *k = key; *k; k++)
			if ((unsigned char)*k < 0x20 || *k == 0x7f) {
				rc = of_error_set(OF_EUSAGE, "the API key in %s contains a control character",
						  o.api_key_env);
				goto done;
			}
		size_t n = strlen("Authorization: Bearer ") + strlen(key) + 1;
		if (!(auth = malloc(n))) {
			rc = of_error_set_oom();
			goto done;
		}
		snprintf(auth, n, "Authorization: Bearer %s", key);
		headers[0] = auth;
	}

	{
		/* <base>/chat/completions, keeping a query (Azure's ?api-version=) after it */
		size_t el = strcspn(o.endpoint, "?#");
		const char *query = o.endpoint[el] == '?' ? o.endpoint + el : "";
		while (el > 0 && o.endpoint[el - 1] == '/')
			el--;
		size_t n = el + sizeof "/chat/completions" + strcspn(query, "#");
		if (!(url = malloc(n))) {
			rc = of_error_set_oom();
			goto done;
		}
		snprintf(url, n, "%.*s/chat/completions%.*s", (int)el, o.endpoint, (int)strcspn(query, "#"),
			 query);
	}
	ho.trusted = 1;
	ho.max_redirects = 0;
	ho.max_bytes = OF_MAX_LLM_ANSWER_BYTES;
	ho.timeout_s = o.timeout_s > 0 ? (long)ceil(o.timeout_s) : 60;
	ho.connect_timeout_s = ho.timeout_s < OF_HTTP_CONNECT_TIMEOUT_S ? ho.timeout_s
									 : OF_HTTP_CONNECT_TIMEOUT_S;

	attempts = o.max_retries + 1;
	wait = o.backoff_s;
	last[0] = '\0';
	for (int attempt = 1; attempt <= attempts; attempt++) {
		of_http_response r;
		double retry_after = -1;
		rc = of_http_post_json(&r, url, body, headers, &ho);
		if (rc == 0 && r.status >= 200 && r.status < 300) {
			rc = parse_answer(answer, &r, shown, key, o.max_tokens);
			fetched = rc == 0;
			of_http_response_free(&r);
			goto done;
		}
		if (rc == 0) {
			int retryable = r.status == 408 || r.status == 429 || r.status >= 500;
			server_detail(detail, sizeof detail, &r, key);
			snprintf(last, sizeof last, "HTTP %ld%s%s", r.status, detail[0] ? ": " : "", detail);
			retry_after = r.retry_after;
			of_http_response_free(&r);
			if (!retryable) {
				rc = of_error_set(OF_ENET, "%s: %s%s", shown, last,
						  r.status == 401 || r.status == 403
							  ? " (check the API key variable llm.api_key_env)"
						  : r.status == 404
							  ? " (llm.endpoint should be the base URL, e.g. http://127.0.0.1:11434/v1)"
							  : "");
				goto done;
			}
		} else {
			if (r.fail != OF_HTTP_FAIL_TIMEOUT)
				goto done; /* refused, policy, size: the error is already set */
			snprintf(last, sizeof last, "%s", of_error_last()->message);
			scrub(last, key);
		}
		if (attempt == attempts)
			break;
		double d = wait;
		if (retry_after > d)
			d = retry_after;
		if (d > o.max_wait_s)
			d = o.max_wait_s;
		of_log(OF_LOG_WARN, "llm: %s: %s; retry %d of %d in %.1f s", shown, last, attempt,
		       o.max_retries, d);
		sleep_s(d);
		wait = wait * 2 > o.max_wait_s ? o.max_wait_s : wait * 2;
	}
	rc = of_error_set(OF_ENET, "%s: gave up after %d attempt%s; last: %s", shown, attempts,
			  attempts == 1 ? "" : "s", last);
done:
	if (rc == 0 && fetched && cpath)
		cache_write(o.cache_dir, cpath, req, *answer);
	if (rc < 0) {
		free(*answer);
		*answer = NULL;
	}
	if (auth) {
		/* the key copy does not outlive the request */
		volatile char *p = auth;
		while (*p)
			*p++ = 0;
		free(auth);
	}
	free(url);
	free(body);
	free(cpath);
	json_decref(req);
	return rc;
}

void of_llm_options_from_flags(of_llm_options *o, const of_run_flags *f)
{
	of_llm_options init = OF_LLM_OPTIONS_INIT;
	*o = init;
	if (!f)
		return;
	o->endpoint = f->llm_endpoint;
	o->model = f->llm_model;
	o->api_key_env = f->llm_api_key_env;
	if (f->llm_timeout > 0)
		o->timeout_s = f->llm_timeout;
	if (f->llm_max_tokens > 0)
		o->max_tokens = f->llm_max_tokens;
	o->cache_dir = f->cache_dir;
}
