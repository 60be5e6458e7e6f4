/* http.c — the one libcurl client of onefish (SAFE-INPUT.md section d):
 * http/https only (requests and redirects), capped redirects, size and time,
 * and for untrusted URLs an address check on every socket curl opens, so DNS
 * rebinding and redirects to local hosts are refused where it matters. */
#include "onefish/http.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/limits.h"
#include "common/url.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static CURLcode g_init_rc = CURLE_FAILED_INIT;

static void global_init(void)
{
	g_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int of_http_global_init(void)
{
	pthread_once(&g_once, global_init);
	if (g_init_rc != CURLE_OK)
		return of_error_set(OF_ERROR, "libcurl initialisation failed: %s", curl_easy_strerror(g_init_rc));
	return 0;
}

/* State of one transfer, shared by the callbacks. */
typedef struct xfer {
	CURL *curl;
	of_buf body;
	int over;            /* body cap hit */
	int type_bad;        /* 2xx answer of the wrong Content-Type */
	int type_checked;
	const char *accept_type;
	double retry_after;
	int trusted;
	const char *const *allow;
	int blocked;         /* the address check refused a socket */
	char blocked_addr[80];
	const char *blocked_why;
} xfer;

static int ct_matches(const char *ct, const char *prefix)
{
	return ct && strncasecmp(ct, prefix, strlen(prefix)) == 0;
}

static size_t write_cb(char *data, size_t size, size_t nmemb, void *p)
{
	xfer *x = p;
	size_t n = size * nmemb;
	if (x->accept_type && !x->type_checked) {
		long code = 0;
		char *ct = NULL;
		x->type_checked = 1;
		curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &code);
		curl_easy_getinfo(x->curl, CURLINFO_CONTENT_TYPE, &ct);
		if (code >= 200 && code < 300 && !ct_matches(ct, x->accept_type)) {
			x->type_bad = 1;
			return 0; /* do not download a page we will not use */
		}
	}
	if (of_buf_append(&x->body, data, n) < 0) {
		x->over = 1;
		return 0;
	}
	return n;
}

/* Retry-After is either delay-seconds or an HTTP-date (RFC 9110 10.2.3). */
static double parse_retry_after(const char *v, size_t len)
{
	char tmp[128];
	char *end;
	while (len && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
		len--;
	if (!len || len >= sizeof tmp)
		return -1;
	memcpy(tmp, v, len);
	tmp[len] = '\0';
	if (tmp[0] >= '0' && tmp[0] <= '9') {
		long s = strtol(tmp, &end, 10);
		if (*end != '\0' || s < 0)
			return -1;
		return s > 86400 ? 86400.0 : (double)s;
	}
	time_t t = curl_getdate(tmp, NULL);
	if (t == (time_t)-1)
		return -1;
	double d = difftime(t, time(NULL));
	return d < 0 ? 0 : (d > 86400 ? 86400.0 : d);
}

static size_t header_cb(char *data, size_t size, size_t nmemb, void *p)
{
	xfer *x = p;
	size_t n = size * nmemb;
	if (n >= 5 && memcmp(data, "HTTP/", 5) == 0)
		x->retry_after = -1; /* a new response (after a redirect or 100-continue) */
	else if (n > 12 && strncasecmp(data, "Retry-After:", 12) == 0)
		x->retry_after = parse_retry_after(data + 12, n - 12);
	return n;
}

static int addr_allowed(const xfer *x, const struct sockaddr *sa)
{
	char s[80];
	if (!x->allow)
		return 0;
	of_url_addr_str(s, sizeof s, sa);
	for (const char *const *a = x->allow; *a; a++)
		if (strcmp(*a, s) == 0)
			return 1;
	return 0;
}

/* Every connection of an untrusted transfer passes here with the resolved
 * address: the check the URL text cannot give (rebinding, redirects, names
 * that resolve to private addresses). */
static curl_socket_t open_cb(void *p, curlsocktype purpose, struct curl_sockaddr *a)
{
	xfer *x = p;
	(void)purpose;
	if (!x->trusted) {
		const char *why = of_url_addr_forbidden(&a->addr);
		if (why && !addr_allowed(x, &a->addr)) {
			x->blocked = 1;
			x->blocked_why = why;
			of_url_addr_str(x->blocked_addr, sizeof x->blocked_addr, &a->addr);
			return CURL_SOCKET_BAD;
		}
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

static int has_crlf(const char *s)
{
	return strpbrk(s, "\r\n") != NULL;
}

/* Maps a failed transfer to our codes; every message names the sanitized URL. */
static int map_error(CURLcode cc, const xfer *x, const char *shown, const char *errbuf,
		     const of_http_options *o, of_http_response *out)
{
	const char *reason = errbuf[0] ? errbuf : curl_easy_strerror(cc);
	if (x->blocked) {
		out->fail = OF_HTTP_FAIL_POLICY;
		return of_error_set(OF_EINVALID,
				    "%s: refused to connect to %s (%s address; only configured endpoints may be local)",
				    shown, x->blocked_addr, x->blocked_why);
	}
	if (x->type_bad) {
		char *ct = NULL;
		curl_easy_getinfo(x->curl, CURLINFO_CONTENT_TYPE, &ct);
		out->fail = OF_HTTP_FAIL_POLICY;
		return of_error_set(OF_EINVALID, "%s: answer is %s, expected %s*", shown,
				    ct ? ct : "without Content-Type", x->accept_type);
	}
	if (x->over || cc == CURLE_FILESIZE_EXCEEDED) {
		out->fail = OF_HTTP_FAIL_LIMIT;
		return of_error_set(OF_ELIMIT, "%s: answer larger than %zu bytes, download stopped", shown,
				    o->max_bytes);
	}
	switch (cc) {
	case CURLE_TOO_MANY_REDIRECTS:
		out->fail = OF_HTTP_FAIL_LIMIT;
		return of_error_set(OF_ELIMIT, "%s: more than %d redirects", shown, o->max_redirects);
	case CURLE_UNSUPPORTED_PROTOCOL:
		out->fail = OF_HTTP_FAIL_POLICY;
		return of_error_set(OF_EINVALID, "%s: redirect to a non-http(s) URL refused (%s)", shown,
				    reason);
	case CURLE_OPERATION_TIMEDOUT:
		out->fail = OF_HTTP_FAIL_TIMEOUT;
		return of_error_set(OF_ENET, "%s: timed out (limit %ld s): %s", shown, o->timeout_s, reason);
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		out->fail = OF_HTTP_FAIL_CONNECT;
		return of_error_set(OF_ENET, "%s: cannot connect: %s", shown, reason);
	case CURLE_OUT_OF_MEMORY:
		return of_error_set_oom();
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		/* A dropped connection behaves like a timeout for retry purposes. */
		out->fail = OF_HTTP_FAIL_TIMEOUT;
		return of_error_set(OF_ENET, "%s: connection broken: %s", shown, reason);
	default:
		out->fail = OF_HTTP_FAIL_OTHER;
		return of_error_set(OF_ENET, "%s: %s", shown, reason);
	}
}

static int perform(of_http_response *out, const char *url, const char *json_body,
		   const char *const *headers, const of_http_options *opts)
{
	static const of_http_options defaults = OF_HTTP_OPTIONS_INIT;
	of_http_options o = opts ? *opts : defaults;
	char shown[256];
	char errbuf[CURL_ERROR_SIZE];
	struct curl_slist *hl = NULL, *rl = NULL, *tmp;
	xfer x;
	CURLcode cc;
	int rc;

	memset(out, 0, sizeof *out);
	out->retry_after = -1;
	of_url_sanitize(shown, sizeof shown, url);
	if (opts && opts->version != OF_HTTP_OPTIONS_VERSION)
		return of_error_set(OF_EUSAGE, "%s: of_http_options version %u, expected %u", shown,
				    opts->version, OF_HTTP_OPTIONS_VERSION);
	if ((rc = of_url_check(url, o.trusted)) < 0) {
		out->fail = OF_HTTP_FAIL_POLICY;
		return rc;
	}
	if (o.max_bytes == 0)
		o.max_bytes = OF_MAX_DOWNLOAD_BYTES;
	if (o.timeout_s <= 0)
		o.timeout_s = OF_HTTP_TIMEOUT_S;
	if (o.connect_timeout_s <= 0 || o.connect_timeout_s > o.timeout_s)
		o.connect_timeout_s = o.timeout_s < OF_HTTP_CONNECT_TIMEOUT_S ? o.timeout_s
									   : OF_HTTP_CONNECT_TIMEOUT_S;
	if (o.max_redirects < 0)
		o.max_redirects = 0;
	if (o.low_speed_time_s <= 0)
		o.low_speed_time_s = o.timeout_s < OF_HTTP_LOW_SPEED_TIME_S ? o.timeout_s
									   : OF_HTTP_LOW_SPEED_TIME_S;

	if ((rc = of_http_global_init()) < 0)
		return rc;

	/* Header values reach the wire as-is: a CR/LF would inject headers. The
	 * value itself is never echoed (it may be a key). */
	if (json_body) {
		if (!(tmp = curl_slist_append(hl, "Content-Type: application/json")))
			goto oom;
		hl = tmp;
		int own_accept = 0;
		for (size_t i = 0; headers && headers[i]; i++)
			own_accept |= strncasecmp(headers[i], "Accept:", 7) == 0;
		if (!own_accept) { /* a TTS caller asks for audio instead */
			if (!(tmp = curl_slist_append(hl, "Accept: application/json")))
				goto oom;
			hl = tmp;
		}
		/* Without this curl waits up to 1 s for "100 Continue" on bodies over 1 KB. */
		if (!(tmp = curl_slist_append(hl, "Expect:")))
			goto oom;
		hl = tmp;
	}
	for (size_t i = 0; headers && headers[i]; i++) {
		if (has_crlf(headers[i]) || !strchr(headers[i], ':')) {
			curl_slist_free_all(hl);
			out->fail = OF_HTTP_FAIL_POLICY;
			return of_error_set(OF_EINVALID, "%s: request header %zu is malformed (CR/LF or no ':')",
					    shown, i + 1);
		}
		if (!(tmp = curl_slist_append(hl, headers[i])))
			goto oom;
		hl = tmp;
	}
	for (size_t i = 0; o.resolve && o.resolve[i]; i++) {
		if (!(tmp = curl_slist_append(rl, o.resolve[i])))
			goto oom;
		rl = tmp;
	}

	memset(&x, 0, sizeof x);
	of_buf_init(&x.body, o.max_bytes);
	x.accept_type = o.accept_type && o.accept_type[0] ? o.accept_type : NULL;
	x.retry_after = -1;
	x.trusted = o.trusted;
	x.allow = o.allow_connect;
	x.curl = curl_easy_init();
	if (!x.curl)
		goto oom;
	errbuf[0] = '\0';
	CURL *c = x.curl;
	/* The safety options must take: a libcurl that refuses them is not used. */
	if (curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_cb) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &x) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb) != CURLE_OK) {
		rc = of_error_set(OF_ERROR, "%s: this libcurl lacks a required safety option (need 7.85+)",
				  shown);
		out->fail = OF_HTTP_FAIL_OTHER;
		goto cleanup;
	}
	/* A configured endpoint has no reason to redirect, and following would let
	 * a loopback-privileged request wander off. */
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, (!o.trusted && o.max_redirects > 0) ? 1L : 0L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)o.max_redirects);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, o.timeout_s);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o.connect_timeout_s);
	if (!o.trusted) {
		/* Slowloris: trusted LLM servers may legitimately think for a minute
		 * before the first byte, so only untrusted transfers get this. */
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, (long)OF_HTTP_LOW_SPEED_BYTES);
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o.low_speed_time_s);
		/* A proxy would hide the real peer from the address check. */
		curl_easy_setopt(c, CURLOPT_PROXY, "");
	}
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o.max_bytes);
	/* Decoded bytes go through write_cb, so the cap holds for gzip bombs too. */
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "onefish/" OF_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &x);
	if (hl)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	if (rl)
		curl_easy_setopt(c, CURLOPT_RESOLVE, rl);
	if (json_body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, json_body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(json_body));
	}

	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	out->retry_after = x.retry_after;
	if (cc == CURLE_OK && x.accept_type && out->status >= 200 && out->status < 300) {
		char *ct = NULL;
		curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
		if (!ct_matches(ct, x.accept_type)) {
			x.type_bad = 1;
			cc = CURLE_WRITE_ERROR;
		}
	}
	if (cc != CURLE_OK) {
		rc = map_error(cc, &x, shown, errbuf, &o, out);
	} else {
		char *ct = NULL;
		curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
		out->body = of_buf_detach(&x.body, &out->len);
		out->content_type = ct ? strdup(ct) : NULL;
		rc = (!out->body || (ct && !out->content_type)) ? of_error_set_oom() : 0;
		if (rc < 0)
			of_http_response_free(out);
	}
cleanup:
	of_buf_free(&x.body);
	curl_easy_cleanup(c);
	curl_slist_free_all(hl);
	curl_slist_free_all(rl);
	return rc;
oom:
	curl_slist_free_all(hl);
	curl_slist_free_all(rl);
	return of_error_set_oom();
}

int of_http_get(of_http_response *out, const char *url, const of_http_options *opts)
{
	return perform(out, url, NULL, NULL, opts);
}

int of_http_post_json(of_http_response *out, const char *url, const char *json_body,
		      const char *const *headers, const of_http_options *opts)
{
	return perform(out, url, json_body ? json_body : "", headers, opts);
}

void of_http_response_free(of_http_response *r)
{
	if (!r)
		return;
	free(r->body);
	free(r->content_type);
	r->body = r->content_type = NULL;
	r->len = 0;
}
