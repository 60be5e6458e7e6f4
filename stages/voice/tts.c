/* tts.c — narration from an OpenAI-compatible /v1/audio/speech endpoint:
 * one request per sentence, answers cached by request hash, retries with
 * capped backoff on 408/429/5xx and timeouts. The audio answer is decoded
 * from memory (custom AVIOContext) with channel, rate and length caps. Any
 * failure is returned to of_voice_say(), which falls back to espeak-ng. */
#include "voice_int.h"

#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/http.h"
#include "onefish/limits.h"
#include "onefish/log.h"

#include <jansson.h>
#include <libavformat/avio.h>
#include <libavutil/error.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TTS_MAX_RETRIES 2
#define TTS_BACKOFF_S 0.5
#define TTS_MAX_WAIT_S 10.0

typedef struct mem_src {
	const unsigned char *p;
	size_t len, pos;
} mem_src;

static int mem_read(void *opaque, uint8_t *buf, int n)
{
	mem_src *m = opaque;
	size_t k = m->len - m->pos < (size_t)n ? m->len - m->pos : (size_t)n;
	if (k == 0)
		return AVERROR_EOF;
	memcpy(buf, m->p + m->pos, k);
	m->pos += k;
	return (int)k;
}

static int64_t mem_seek(void *opaque, int64_t off, int whence)
{
	mem_src *m = opaque;
	int64_t base;
	if (whence & AVSEEK_SIZE)
		return (int64_t)m->len;
	whence &= ~AVSEEK_FORCE;
	base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)m->pos : (int64_t)m->len;
	if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)
		return AVERROR(EINVAL);
	if (base + off < 0 || base + off > (int64_t)m->len)
		return AVERROR(EINVAL);
	m->pos = (size_t)(base + off);
	return (int64_t)m->pos;
}

/* Decodes a TTS answer to trimmed mono at the narration rate. */
static int decode_answer(of_audio **out, const char *data, size_t len, const char *origin, int rate)
{
	mem_src m = {(const unsigned char *)data, len, 0};
	int rc = of_voice__decode(out, mem_read, mem_seek, &m, origin, 1, rate,
				  (size_t)(OF_MAX_AUDIO_SECONDS * rate), 0);
	if (rc == 0)
		of_voice__trim(*out);
	return rc;
}

static void sleep_s(double s)
{
	struct timespec ts, rem;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &rem) < 0 && errno == EINTR)
		ts = rem;
}

/* "Authorization: Bearer KEY" from the named variable, or NULL (no key). */
static int auth_header(char **out, const char *env)
{
	const char *key;
	size_t n;
	*out = NULL;
	if (!env || !*env)
		return 0;
	key = getenv(env);
	if (!key || !*key)
		return of_error_set(OF_EUSAGE, "environment variable %s (tts.api_key_env) is not set", env);
	for (const char *k = key; *k; k++)
		if ((unsigned char)*k < 0x20 || *k == 0x7f)
			return of_error_set(OF_EUSAGE, "the API key in %s contains a control character", env);
	n = strlen("Authorization: Bearer ") + strlen(key) + 1;
	if (!(*out = malloc(n)))
		return of_error_set_oom();
	snprintf(*out, n, "Authorization: Bearer %s", key);
	return 0;
}

static void wipe_free(char *s)
{
	if (!s)
		return;
	for (volatile char *p = s; *p; p++)
		*p = 0;
	free(s);
}

/* POSTs with retries; on success `*resp` holds a 2xx answer. */
static int post(of_http_response *resp, const char *url, const char *shown, const char *body,
		const char *const *headers, double timeout_s)
{
	of_http_options ho = OF_HTTP_OPTIONS_INIT;
	double wait = TTS_BACKOFF_S;
	char last[1100] = "";
	int rc = 0;
	ho.trusted = 1;
	ho.max_redirects = 0;
	ho.max_bytes = OF_MAX_TTS_BYTES;
	ho.timeout_s = timeout_s > 0 ? (long)ceil(timeout_s) : 60;
	ho.connect_timeout_s = ho.timeout_s < OF_HTTP_CONNECT_TIMEOUT_S ? ho.timeout_s : OF_HTTP_CONNECT_TIMEOUT_S;
	for (int attempt = 0; attempt <= TTS_MAX_RETRIES; attempt++) {
		double retry_after = -1, d;
		memset(resp, 0, sizeof *resp);
		rc = of_http_post_json(resp, url, body, headers, &ho);
		if (rc == 0 && resp->status >= 200 && resp->status < 300)
			return 0;
		if (rc == 0) {
			int retryable = resp->status == 408 || resp->status == 429 || resp->status >= 500;
			snprintf(last, sizeof last, "HTTP %ld", resp->status);
			retry_after = resp->retry_after;
			of_http_response_free(resp);
			if (!retryable)
				return of_error_set(OF_ENET, "%s: %s%s", shown, last,
						    resp->status == 401 || resp->status == 403
							    ? " (check tts.api_key_env)" : "");
		} else {
			of_http_response_free(resp);
			if (resp->fail != OF_HTTP_FAIL_TIMEOUT)
				return rc; /* refused, policy, size: already explained */
			snprintf(last, sizeof last, "%s", of_error_last()->message);
		}
		if (attempt == TTS_MAX_RETRIES)
			break;
		d = retry_after > wait ? retry_after : wait;
		if (d > TTS_MAX_WAIT_S)
			d = TTS_MAX_WAIT_S;
		of_log(OF_LOG_WARN, "tts: %s: %s; retry %d of %d in %.1f s", shown, last, attempt + 1,
		       TTS_MAX_RETRIES, d);
		sleep_s(d);
		wait *= 2;
	}
	return of_error_set(OF_ENET, "%s: gave up after %d attempts; last: %s", shown, TTS_MAX_RETRIES + 1, last);
}

int of_voice__tts(of_audio **out, const char *text, size_t len, const of_voice_options *opts)
{
	json_t *req = NULL;
	char *body = NULL, *url = NULL, *auth = NULL, *cpath = NULL, *cached = NULL;
	const char *headers[3] = {"Accept: audio/wav, audio/*;q=0.9", NULL, NULL};
	char shown[512], name[64];
	of_http_response resp;
	size_t el, clen;
	int rc;

	*out = NULL;
	memset(&resp, 0, sizeof resp);
	el = strlen(opts->tts_endpoint);
	while (el > 0 && opts->tts_endpoint[el - 1] == '/')
		el--;
	if (!(url = malloc(el + sizeof "/audio/speech"))) {
		rc = of_error_set_oom();
		goto done;
	}
	snprintf(url, el + sizeof "/audio/speech", "%.*s/audio/speech", (int)el, opts->tts_endpoint);
	of_url_sanitize(shown, sizeof shown, url);
	if ((rc = of_url_check(url, 1)) < 0)
		goto done;
	req = json_object();
	if (!req || json_object_set_new(req, "model", json_string(opts->tts_model ? opts->tts_model : "tts-1")) ||
	    json_object_set_new(req, "voice", json_string(opts->tts_voice ? opts->tts_voice : "alloy")) ||
	    json_object_set_new(req, "input", json_stringn(text, len)) ||
	    json_object_set_new(req, "response_format", json_string("wav")) ||
	    !(body = json_dumps(req, JSON_COMPACT | JSON_SORT_KEYS))) {
		rc = of_error_set_oom();
		goto done;
	}
	if (opts->cache_dir && *opts->cache_dir) {
		/* The key covers the URL and the whole request, never the API key. */
		unsigned long long h = of_xxh64(url, strlen(url), 0);
		h = of_xxh64(body, strlen(body), h);
		snprintf(name, sizeof name, "tts-%016llx.audio", h);
		if (!(cpath = of_path_join(opts->cache_dir, name))) {
			rc = of_error_set_oom();
			goto done;
		}
		if (of_path_is_file(cpath) && of_file_read(&cached, &clen, cpath, OF_MAX_TTS_BYTES) == 0) {
			if ((rc = decode_answer(out, cached, clen, cpath, opts->sample_rate)) == 0)
				goto done;
			of_log_warn_at(cpath, 0, 0, "unusable cached TTS answer (%s); asking again",
				       of_error_last()->message);
		}
	}
	if ((rc = auth_header(&auth, opts->tts_api_key_env)) < 0)
		goto done;
	headers[1] = auth;
	if ((rc = post(&resp, url, shown, body, headers, opts->tts_timeout_s)) < 0)
		goto done;
	if ((rc = decode_answer(out, resp.body, resp.len, shown, opts->sample_rate)) < 0)
		goto done;
	if (cpath && (of_mkdirs(opts->cache_dir) < 0 || of_file_write_atomic(cpath, resp.body, resp.len) < 0))
		of_log(OF_LOG_WARN, "tts: cannot cache an answer in %s: %s", opts->cache_dir,
		       of_error_last()->message);
done:
	of_http_response_free(&resp);
	wipe_free(auth);
	json_decref(req);
	free(body);
	free(url);
	free(cpath);
	free(cached);
	return rc;
}
