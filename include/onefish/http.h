/* http.h — libcurl with a URL policy: http/https only, no private or loopback
 * addresses for URLs that come from inputs, capped redirects, size and time. */
#ifndef ONEFISH_HTTP_H
#define ONEFISH_HTTP_H

#include <stddef.h>

typedef struct of_http_options {
	unsigned version;
	long timeout_s;          /**< whole transfer */
	long connect_timeout_s;
	size_t max_bytes;        /**< body cap: over it → OF_ELIMIT */
	int max_redirects;
	int trusted;             /**< 1 for endpoints named in onefish.yaml (may be localhost); 0 for URLs from inputs */
	const char *accept_type; /**< required Content-Type prefix ("image/"), or NULL */
	/* Added by the net work (fields at the end; zero = default). */
	long low_speed_time_s;   /**< untrusted only: drop a transfer slower than OF_HTTP_LOW_SPEED_BYTES/s
				      for this long; 0 = min(OF_HTTP_LOW_SPEED_TIME_S, timeout_s) */
	const char *const *resolve;       /**< NULL-terminated "host:port:addr" list (CURLOPT_RESOLVE), borrowed;
					       pins names to addresses (tests, local mirrors). Still address-checked. */
	const char *const *allow_connect; /**< NULL-terminated "addr:port" list ("127.0.0.1:8080",
					       "[::1]:8080") an untrusted request may connect to even though the
					       address is local/private; NULL = none. For tests and local mirrors. */
} of_http_options;

#define OF_HTTP_OPTIONS_VERSION 1
#define OF_HTTP_OPTIONS_INIT {OF_HTTP_OPTIONS_VERSION, 30, 10, 32u * 1024 * 1024, 5, 0, NULL, 0, NULL, NULL}

/** Why a request failed at the transport level (of_http_response.fail), for retry decisions. */
typedef enum {
	OF_HTTP_FAIL_NONE = 0, /**< an HTTP answer arrived (any status) */
	OF_HTTP_FAIL_CONNECT,  /**< refused, unreachable, DNS failure: retrying soon rarely helps */
	OF_HTTP_FAIL_TIMEOUT,  /**< connect/total timeout or too slow: worth a retry */
	OF_HTTP_FAIL_POLICY,   /**< refused by the URL policy / address check / content type */
	OF_HTTP_FAIL_LIMIT,    /**< size or redirect cap */
	OF_HTTP_FAIL_OTHER     /**< TLS, protocol or local errors */
} of_http_fail;

typedef struct of_http_response {
	long status;         /**< HTTP status */
	char *body;          /**< NUL-terminated; caller frees with of_http_response_free() */
	size_t len;
	char *content_type;  /**< may be NULL */
	double retry_after;  /**< seconds from Retry-After, or -1 */
	/* Added by the net work. */
	int fail;            /**< of_http_fail: set when the call returns an error */
} of_http_response;

/**
 * Checks a URL against the policy without fetching: scheme http/https, no
 * userinfo, no CR/LF, length cap; for untrusted URLs also the host must not be
 * a literal private/loopback/link-local address (the resolved address is
 * checked again at connect time).
 * @return 0 or OF_EINVALID (message names the URL, sanitized).
 */
int of_url_check(const char *url, int trusted);

/**
 * GET `url`. A non-2xx status is not an error: check `out->status`.
 * `opts` may be NULL (defaults, untrusted). Only http/https, also for
 * redirects; redirects are followed (up to max_redirects) for untrusted URLs
 * only — a trusted (configured) endpoint never redirects elsewhere. Untrusted
 * requests ignore proxy environment variables (the address check must see the
 * real peer) and every resolved address is checked at connect time.
 * With `accept_type` set, a 2xx answer of another Content-Type is refused
 * (OF_EINVALID) before its body is read.
 * On error `out` holds no buffers (status and fail may be set); the message
 * names the sanitized URL (see of_url_sanitize) and the reason, never headers.
 * @return 0, OF_EINVALID (policy), OF_ENET (connect/timeout, message names URL and reason),
 *         OF_ELIMIT (body over max_bytes, too many redirects), OF_ENOMEM.
 */
int of_http_get(of_http_response *out, const char *url, const of_http_options *opts);

/**
 * POST a JSON body with extra headers (NULL-terminated "Name: value" list,
 * borrowed; never logged). Same returns as of_http_get.
 */
int of_http_post_json(of_http_response *out, const char *url, const char *json_body,
		      const char *const *headers, const of_http_options *opts);

/** Frees the response's buffers (not the struct). Accepts zeroed structs. */
void of_http_response_free(of_http_response *r);

/* ---- added by the net work ---- */

/**
 * Initialises libcurl once (pthread_once; idempotent). Every request calls it;
 * main() may call it early, before starting threads, as libcurl recommends.
 * @return 0 or OF_ERROR.
 */
int of_http_global_init(void);

/**
 * Writes a printable form of `url` safe for messages and logs into `buf`
 * (always NUL-terminated): scheme://host[:port]/path, without userinfo,
 * query (shown as "?...") or fragment; control bytes, spaces, invalid UTF-8
 * and bidi controls become %XX, printable non-ASCII (Chinese) is kept; long
 * paths are cut. Returns `buf`. Never fails.
 */
const char *of_url_sanitize(char *buf, size_t n, const char *url);

/**
 * Downloads an untrusted URL (an image link in a post) into `cache_dir`,
 * named by the SHA-256 of the URL plus an extension from the file's magic
 * bytes (".jpg", ".png", ".gif", ".webp", ".bmp", else ".bin"). A cached file
 * is returned without a request. The answer must be 2xx and its Content-Type
 * must start with `accept_type_prefix` (e.g. "image/"; NULL = any); with an
 * "image/" prefix the bytes must also be one of those image formats. The body
 * is capped at OF_MAX_IMAGE_BYTES, kept in memory and written atomically (no
 * partial file on any failure). Caller frees `*path_out`.
 * Failures are meant to be logged as warnings by the caller (the post keeps
 * its text): the message names the sanitized URL and the reason.
 * @return 0, OF_EINVALID (policy, wrong content type), OF_ENOTFOUND (HTTP 404/410),
 *         OF_ENET (other status, network), OF_ELIMIT (too large), OF_ERROR (disk).
 */
int of_fetch_to_cache(char **path_out, const char *url, const char *cache_dir,
		      const char *accept_type_prefix);

/** Same with explicit HTTP options (`accept_type` and `trusted` in `opts` are ignored). */
int of_fetch_to_cache_opts(char **path_out, const char *url, const char *cache_dir,
			   const char *accept_type_prefix, const of_http_options *opts);

#endif
