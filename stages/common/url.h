/* url.h (private) — address policy shared by of_url_check() and the
 * connect-time socket check in http.c. */
#ifndef ONEFISH_COMMON_URL_H
#define ONEFISH_COMMON_URL_H

#include <stddef.h>
#include <sys/socket.h>

/**
 * Classifies a socket address. Returns NULL when a URL from an input may
 * connect to it, otherwise a short static reason ("loopback", "private",
 * "link-local", ...). Unknown families are refused.
 */
const char *of_url_addr_forbidden(const struct sockaddr *sa);

/** Same for a raw IPv4 address (network byte order) / IPv6 address (16 bytes). */
const char *of_url_ipv4_forbidden(const unsigned char a[4]);
const char *of_url_ipv6_forbidden(const unsigned char a[16]);

/** Formats `sa` as "addr:port" ("[addr]:port" for IPv6) into `buf`. Returns `buf`. */
const char *of_url_addr_str(char *buf, size_t n, const struct sockaddr *sa);

#endif
