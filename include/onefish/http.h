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
} of_http_options;

#define OF_HTTP_OPTIONS_VERSION 1
#define OF_HTTP_OPTIONS_INIT {OF_HTTP_OPTIONS_VERSION, 30, 10, 32u * 1024 * 1024, 5, 0, NULL}

typedef struct of_http_response {
	long status;         /**< HTTP status */
	char *body;          /**< NUL-terminated; caller frees with of_http_response_free() */
	size_t len;
	char *content_type;  /**< may be NULL */
	double retry_after;  /**< seconds from Retry-After, or -1 */
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
 * @return 0, OF_EINVALID (policy), OF_ENET (connect/timeout, message names URL and reason), OF_ELIMIT (size).
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

#endif
