/* url.c — URL policy: which URLs onefish may fetch, and which addresses it may
 * connect to. URLs from inputs (image links in posts, article links) are
 * untrusted; endpoints named in onefish.yaml are trusted and may be local.
 * The literal-address test here is the first line only: http.c checks the
 * resolved socket address again at connect time (DNS rebinding, redirects). */
#include "onefish/http.h"
#include "onefish/error.h"
#include "onefish/limits.h"
#include "onefish/utf8.h"
#include "common/url.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *of_url_ipv4_forbidden(const unsigned char a[4])
{
	if (a[0] == 0)
		return "unspecified";
	if (a[0] == 127)
		return "loopback";
	if (a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168))
		return "private";
	if (a[0] == 100 && (a[1] & 0xc0) == 64)
		return "carrier-grade NAT";
	if (a[0] == 169 && a[1] == 254)
		return "link-local";
	if (a[0] == 192 && a[1] == 0 && a[2] == 0)
		return "IETF protocol assignment";
	if (a[0] == 198 && (a[1] & 0xfe) == 18)
		return "benchmarking";
	if (a[0] >= 224 && a[0] <= 239)
		return "multicast";
	if (a[0] >= 240)
		return "reserved";
	return NULL;
}

const char *of_url_ipv6_forbidden(const unsigned char a[16])
{
	static const unsigned char zero12[12] = {0};
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
	if (memcmp(a, zero12, 12) == 0) {
		/* ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d */
		if (a[12] == 0 && a[13] == 0 && a[14] == 0 && a[15] <= 1)
			return a[15] ? "loopback" : "unspecified";
		return "IPv4-compatible";
	}
	/* ::ffff:a.b.c.d reaches the IPv4 host on dual-stack sockets: refuse them all. */
	if (memcmp(a, mapped, 12) == 0)
		return "IPv4-mapped";
	if (memcmp(a, nat64, 12) == 0)
		return of_url_ipv4_forbidden(a + 12);
	if (a[0] == 0x20 && a[1] == 0x02) /* 6to4 embeds an IPv4 address */
		return of_url_ipv4_forbidden(a + 2);
	if ((a[0] & 0xfe) == 0xfc)
		return "unique local";
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return "link-local";
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0)
		return "site-local";
	if (a[0] == 0xff)
		return "multicast";
	return NULL;
}

const char *of_url_addr_forbidden(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		return of_url_ipv4_forbidden((const unsigned char *)&in->sin_addr);
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		return of_url_ipv6_forbidden(in6->sin6_addr.s6_addr);
	}
	return "non-IP";
}

const char *of_url_addr_str(char *buf, size_t n, const struct sockaddr *sa)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
		snprintf(buf, n, "%s:%u", ip, (unsigned)ntohs(in->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
		snprintf(buf, n, "[%s]:%u", ip, (unsigned)ntohs(in6->sin6_port));
	} else {
		snprintf(buf, n, "(family %d)", (int)sa->sa_family);
	}
	return buf;
}

/* Appends s[0..len) for display: printable ASCII and valid UTF-8 letters are
 * kept (Chinese paths stay readable); spaces, control characters, invalid
 * bytes and bidi overrides are shown percent-encoded. Never splits a
 * character at the end of the buffer. */
static void put_clean(char *buf, size_t n, size_t *at, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		int32_t cp = 0;
		int k = 1;
		int keep = c >= 0x21 && c < 0x7f;
		if (c >= 0x80) {
			k = of_utf8_next(s + i, len - i, &cp);
			keep = k > 0 && cp >= 0xa0 && !(cp >= 0x202a && cp <= 0x202e) &&
			       !(cp >= 0x2066 && cp <= 0x2069) && cp != 0x200e && cp != 0x200f;
			if (k <= 0)
				k = 1;
		}
		if (keep) {
			if (*at + (size_t)k >= n)
				break;
			memcpy(buf + *at, s + i, (size_t)k);
			*at += (size_t)k;
		} else {
			if (*at + 3 * (size_t)k >= n)
				break;
			for (int j = 0; j < k; j++) {
				snprintf(buf + *at, 4, "%%%02X", (unsigned char)s[i + (size_t)j]);
				*at += 3;
			}
		}
		i += (size_t)k;
	}
	buf[*at] = '\0';
}

#define SANITIZED_PATH_MAX 120

const char *of_url_sanitize(char *buf, size_t n, const char *url)
{
	size_t at = 0;
	CURLU *h;
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *query = NULL;
	if (!n)
		return buf;
	buf[0] = '\0';
	if (!url) {
		put_clean(buf, n, &at, "(null)", 6);
		return buf;
	}
	h = curl_url();
	if (h && strlen(url) <= OF_MAX_URL_BYTES && !strpbrk(url, "\r\n") &&
	    curl_url_set(h, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(h, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		curl_url_get(h, CURLUPART_PORT, &port, 0);
		curl_url_get(h, CURLUPART_PATH, &path, 0);
		curl_url_get(h, CURLUPART_QUERY, &query, 0);
		put_clean(buf, n, &at, scheme, strlen(scheme));
		put_clean(buf, n, &at, "://", 3);
		put_clean(buf, n, &at, host, strlen(host));
		if (port) {
			put_clean(buf, n, &at, ":", 1);
			put_clean(buf, n, &at, port, strlen(port));
		}
		if (path) {
			size_t pl = strlen(path);
			put_clean(buf, n, &at, path, pl > SANITIZED_PATH_MAX ? SANITIZED_PATH_MAX : pl);
			if (pl > SANITIZED_PATH_MAX)
				put_clean(buf, n, &at, "...", 3);
		}
		if (query) /* the query may carry tokens: show that there was one, not what */
			put_clean(buf, n, &at, "?...", 4);
	} else {
		/* Unparseable: keep a short prefix, drop userinfo, query and fragment. */
		const char *p = url, *auth = strstr(url, "://");
		size_t len;
		if (auth) {
			const char *end = auth + 3 + strcspn(auth + 3, "/?#");
			const char *at_sign = NULL;
			for (const char *q = auth + 3; q < end; q++)
				if (*q == '@')
					at_sign = q;
			put_clean(buf, n, &at, url, (size_t)(auth + 3 - url));
			p = at_sign ? at_sign + 1 : auth + 3;
		}
		len = strcspn(p, "?#");
		put_clean(buf, n, &at, p, len > SANITIZED_PATH_MAX ? SANITIZED_PATH_MAX : len);
		if (len > SANITIZED_PATH_MAX || p[len])
			put_clean(buf, n, &at, "...", 3);
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(h);
	return buf;
}

/* Literal-address test on the host part as curl parsed it: inet_aton() takes
 * every IPv4 spelling curl and getaddrinfo() accept (hex, octal, one number,
 * fewer than four parts). */
static const char *host_forbidden(const char *host)
{
	char tmp[256];
	size_t len = strlen(host);
	if (len == 0 || len >= sizeof tmp)
		return len ? NULL : "empty host";
	memcpy(tmp, host, len + 1);
	if (tmp[0] == '[') {
		unsigned char a6[16];
		char *end = strchr(tmp, ']');
		if (!end)
			return "malformed IPv6";
		*end = '\0';
		char *zone = strchr(tmp, '%');
		if (zone)
			*zone = '\0';
		if (inet_pton(AF_INET6, tmp + 1, a6) != 1)
			return "malformed IPv6";
		return of_url_ipv6_forbidden(a6);
	}
	if (tmp[len - 1] == '.')
		tmp[--len] = '\0';
	struct in_addr a4;
	if (inet_aton(tmp, &a4))
		return of_url_ipv4_forbidden((const unsigned char *)&a4);
	if (strcasecmp(tmp, "localhost") == 0 ||
	    (len > 10 && strcasecmp(tmp + len - 10, ".localhost") == 0))
		return "loopback";
	return NULL;
}

int of_url_check(const char *url, int trusted)
{
	char shown[256];
	CURLU *h;
	CURLUcode uc;
	char *scheme = NULL, *host = NULL, *user = NULL, *pass = NULL, *options = NULL;
	const char *why;
	int rc = 0;
	size_t len;

	if (!url || !url[0])
		return of_error_set(OF_EINVALID, "empty URL");
	of_url_sanitize(shown, sizeof shown, url);
	len = strlen(url);
	if (len > OF_MAX_URL_BYTES)
		return of_error_set(OF_EINVALID, "%s: URL is %zu bytes, longer than %d", shown, len,
				    OF_MAX_URL_BYTES);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)url[i] < 0x20 || url[i] == 0x7f)
			return of_error_set(OF_EINVALID, "%s: control character (CR, LF, ...) in URL",
					    shown);
	h = curl_url();
	if (!h)
		return of_error_set_oom();
	uc = curl_url_set(h, CURLUPART_URL, url, 0);
	if (uc != CURLUE_OK) {
		rc = of_error_set(OF_EINVALID, "%s: not a valid URL (%s)", shown, curl_url_strerror(uc));
		goto done;
	}
	if (curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
		rc = of_error_set(OF_EINVALID, "%s: only http and https URLs are fetched, not %s:", shown,
				  scheme ? scheme : "(none)");
		goto done;
	}
	curl_url_get(h, CURLUPART_USER, &user, 0);
	curl_url_get(h, CURLUPART_PASSWORD, &pass, 0);
	curl_url_get(h, CURLUPART_OPTIONS, &options, 0);
	if (user || pass || options) {
		rc = of_error_set(OF_EINVALID,
				  "%s: user name or password in a URL is refused (the part before '@')", shown);
		goto done;
	}
	if (curl_url_get(h, CURLUPART_HOST, &host, CURLU_URLDECODE) != CURLUE_OK || !host || !host[0]) {
		rc = of_error_set(OF_EINVALID, "%s: URL has no host", shown);
		goto done;
	}
	if (!trusted && (why = host_forbidden(host)) != NULL)
		rc = of_error_set(OF_EINVALID,
				  "%s: %s address refused for a URL from an input (only configured endpoints may be local)",
				  shown, why);
done:
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_free(pass);
	curl_free(options);
	curl_url_cleanup(h);
	return rc;
}
