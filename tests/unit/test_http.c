/* test_http.c — URL policy (SAFE-INPUT rows 41-47), the connect-time address
 * check, and the HTTP client against tests/support/fake_server.py. */
#include "testutil.h"
#include "netutil.h"

#include "common/url.h"
#include "onefish/error.h"
#include "onefish/http.h"
#include "onefish/log.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static of_fake_server g_srv;
static int g_have_srv;

static int group_setup(void **state)
{
	(void)state;
	g_have_srv = of_fake_server_start(&g_srv, NULL) == 0;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (g_have_srv)
		of_fake_server_stop(&g_srv);
	return 0;
}

#define NEED_SERVER() do { if (!g_have_srv) { skip(); return; } } while (0)

/* "images.test:PORT:127.0.0.1" and "127.0.0.1:PORT": an untrusted URL with a
 * public-looking name that may reach the fake server (and nothing else local). */
static char g_resolve[128], g_allow[64];
static const char *g_resolve_list[2] = {g_resolve, NULL};
static const char *g_allow_list[2] = {g_allow, NULL};

static of_http_options untrusted_to_fake(void)
{
	of_http_options o = OF_HTTP_OPTIONS_INIT;
	snprintf(g_resolve, sizeof g_resolve, "images.test:%d:127.0.0.1", g_srv.port);
	snprintf(g_allow, sizeof g_allow, "127.0.0.1:%d", g_srv.port);
	o.resolve = g_resolve_list;
	o.allow_connect = g_allow_list;
	o.timeout_s = 10;
	return o;
}

static const char *fake_name_url(const char *path)
{
	static char buf[512];
	snprintf(buf, sizeof buf, "http://images.test:%d/%s", g_srv.port, path);
	return buf;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("expected '%s' in '%s'", needle, hay);
}

static void assert_not_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle))
		fail_msg("'%s' must not appear in '%s'", needle, hay);
}

/* Row 41 and 47: schemes, userinfo, CR/LF, length. */
static void test_http__url_policy_table(void **state)
{
	static const char *bad[] = {
		"file:///etc/passwd", "gopher://example.com/1", "dict://example.com:11111/",
		"ftp://example.com/a.png", "scp://example.com/x", "ldap://example.com/", "ldaps://example.com/",
		"tftp://example.com/x", "telnet://example.com/", "smb://example.com/x", "javascript:alert(1)",
		"data:image/png;base64,AAAA", "example.com/a.png", "//example.com/a.png", "",
		"https://example.com@evil.test/", "https://user:secret@example.com/a.png",
		"http://example.com/a\r\nX-Injected: 1", "http://example.com/a\nb", "http://exa mple.com/",
		"http://example.com/\x01",
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(of_url_check(bad[i], 0), OF_EINVALID);
		assert_int_equal(of_url_check(bad[i], 1), OF_EINVALID);
		assert_not_contains(of_error_last()->message, "secret");
		assert_not_contains(of_error_last()->message, "\n");
	}
	assert_int_equal(of_url_check("https://example.com@evil.test/", 0), OF_EINVALID);
	assert_contains(of_error_last()->message, "user name or password");

	static const char *good[] = {
		"https://example.com/a.png", "http://example.com:8080/x/y.jpg?size=large#top",
		"HTTPS://EXAMPLE.COM/A.PNG", "https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg",
		"https://[2606:4700:4700::1111]/", "http://8.8.8.8/", "http://172.32.0.1/",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (of_url_check(good[i], 0) != 0)
			fail_msg("%s refused: %s", good[i], of_error_last()->message);

	/* A 100 KB URL and one byte over the cap. */
	size_t big = 100 * 1024;
	char *u = malloc(big + 1);
	assert_non_null(u);
	memcpy(u, "https://example.com/", 20);
	memset(u + 20, 'a', big - 20);
	u[big] = '\0';
	assert_int_equal(of_url_check(u, 1), OF_EINVALID);
	assert_contains(of_error_last()->message, "longer than 2048");
	assert_true(strlen(of_error_last()->message) < 400); /* the URL is shortened in messages */
	u[2049] = '\0';
	assert_int_equal(of_url_check(u, 1), OF_EINVALID);
	u[2048] = '\0';
	assert_int_equal(of_url_check(u, 1), 0);
	free(u);
}

/* Row 42: every spelling of a local address, refused for inputs, allowed when configured. */
static const char *local_spellings[] = {
	"http://127.0.0.1/", "http://[::1]/", "http://0x7f000001/", "http://2130706433/",
	"http://017700000001/", "http://[::ffff:7f00:1]/", "http://[::ffff:127.0.0.1]/",
	"http://127.1/", "http://0177.0.0.1/", "http://127.0.0.1./", "http://169.254.169.254/latest/meta-data/",
	"http://10.1.2.3/", "http://172.16.0.1/", "http://172.31.255.255/", "http://192.168.1.1/",
	"http://0.0.0.0/", "http://0/", "http://[::]/", "http://[fc00::1]/", "http://[fd12:3456::1]/",
	"http://[fe80::1]/", "http://[fe80::1%25eth0]/", "http://100.64.0.1/", "http://224.0.0.1/",
	"http://localhost/", "http://LOCALHOST./", "http://foo.localhost/", "http://[64:ff9b::7f00:1]/",
	"http://[2002:7f00:1::]/",
};

static void test_http__literal_local_addresses(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof local_spellings / sizeof *local_spellings; i++) {
		if (of_url_check(local_spellings[i], 0) != OF_EINVALID)
			fail_msg("%s was accepted as untrusted", local_spellings[i]);
		assert_contains(of_error_last()->message, "address refused");
	}
	assert_int_equal(of_url_check("http://127.0.0.1:11434/v1", 1), 0);
	assert_int_equal(of_url_check("http://[::1]:8080/", 1), 0);
	assert_int_equal(of_url_check("http://localhost:11434/v1", 1), 0);
}

/* The socket-address check itself, on raw addresses. */
static void test_http__address_classes(void **state)
{
	static const char *bad4[] = {"127.0.0.1", "127.255.255.254", "10.0.0.1", "172.16.0.1",
				     "172.31.0.1", "192.168.0.1", "169.254.169.254", "0.0.0.0",
				     "100.64.0.1", "224.0.0.251", "255.255.255.255", "198.18.0.1"};
	static const char *good4[] = {"8.8.8.8", "93.184.216.34", "172.32.0.1", "100.128.0.1",
				      "192.169.0.1", "1.1.1.1"};
	static const char *bad6[] = {"::1", "::", "::ffff:127.0.0.1", "::ffff:8.8.8.8", "::127.0.0.1",
				     "fc00::1", "fdff::1", "fe80::1", "febf::1", "ff02::1",
				     "64:ff9b::a00:1", "2002:c0a8:101::"};
	static const char *good6[] = {"2606:4700:4700::1111", "2001:4860:4860::8888", "64:ff9b::808:808",
				      "2002:808:808::"};
	unsigned char a[16];
	(void)state;
	for (size_t i = 0; i < sizeof bad4 / sizeof *bad4; i++) {
		assert_int_equal(inet_pton(AF_INET, bad4[i], a), 1);
		if (!of_url_ipv4_forbidden(a))
			fail_msg("%s allowed", bad4[i]);
	}
	for (size_t i = 0; i < sizeof good4 / sizeof *good4; i++) {
		assert_int_equal(inet_pton(AF_INET, good4[i], a), 1);
		if (of_url_ipv4_forbidden(a))
			fail_msg("%s refused", good4[i]);
	}
	for (size_t i = 0; i < sizeof bad6 / sizeof *bad6; i++) {
		assert_int_equal(inet_pton(AF_INET6, bad6[i], a), 1);
		if (!of_url_ipv6_forbidden(a))
			fail_msg("%s allowed", bad6[i]);
	}
	for (size_t i = 0; i < sizeof good6 / sizeof *good6; i++) {
		assert_int_equal(inet_pton(AF_INET6, good6[i], a), 1);
		if (of_url_ipv6_forbidden(a))
			fail_msg("%s refused", good6[i]);
	}
}

/* Rows 42-43: a listener that must see zero connections, for literal
 * spellings (first line) and for names resolving to it (socket check). */
static void test_http__zero_connections_to_local_listener(void **state)
{
	of_listener l;
	of_http_response r;
	of_http_options o = OF_HTTP_OPTIONS_INIT;
	char url[256], res[128], res6[128];
	const char *rl[3] = {res, res6, NULL};
	(void)state;
	of_listener_open(&l);
	o.timeout_s = 2;
	const char *fmt4[] = {"http://127.0.0.1:%d/", "http://0x7f000001:%d/", "http://2130706433:%d/",
			      "http://017700000001:%d/", "http://127.1:%d/", "http://[::ffff:7f00:1]:%d/",
			      "http://localhost:%d/", "http://0.0.0.0:%d/"};
	for (size_t i = 0; i < sizeof fmt4 / sizeof *fmt4; i++) {
		snprintf(url, sizeof url, fmt4[i], l.port4);
		assert_int_equal(of_http_get(&r, url, &o), OF_EINVALID);
		assert_null(r.body);
	}
	if (l.fd6 >= 0) {
		snprintf(url, sizeof url, "http://[::1]:%d/", l.port6);
		assert_int_equal(of_http_get(&r, url, &o), OF_EINVALID);
	}
	/* Rows 41 and 47 aimed at the listener, even as trusted (which may reach
	 * loopback): scheme, userinfo and CR/LF rules alone keep it at zero. */
	of_http_options tr = o;
	tr.trusted = 1;
	const char *fmt_trusted[] = {"gopher://127.0.0.1:%d/_x", "dict://127.0.0.1:%d/info",
				     "ftp://127.0.0.1:%d/x", "ldap://127.0.0.1:%d/", "telnet://127.0.0.1:%d/",
				     "http://user:pw@127.0.0.1:%d/", "http://example.com@127.0.0.1:%d/",
				     "http://127.0.0.1:%d/\r\nX: y", "http://127.0.0.1:%d/\nHost: evil"};
	for (size_t i = 0; i < sizeof fmt_trusted / sizeof *fmt_trusted; i++) {
		snprintf(url, sizeof url, fmt_trusted[i], l.port4);
		assert_int_equal(of_http_get(&r, url, &tr), OF_EINVALID);
		assert_int_equal(of_http_post_json(&r, url, "{}", NULL, &tr), OF_EINVALID);
	}
	/* Rebinding: a public-looking name that resolves to loopback. */
	snprintf(res, sizeof res, "cdn.example.com:%d:127.0.0.1", l.port4);
	snprintf(res6, sizeof res6, "cdn6.example.com:%d:[::1]", l.port6);
	o.resolve = rl;
	snprintf(url, sizeof url, "http://cdn.example.com:%d/a.png", l.port4);
	assert_int_equal(of_http_get(&r, url, &o), OF_EINVALID);
	assert_int_equal(r.fail, OF_HTTP_FAIL_POLICY);
	assert_contains(of_error_last()->message, "refused to connect to 127.0.0.1:");
	assert_contains(of_error_last()->message, "loopback");
	assert_contains(of_error_last()->message, "http://cdn.example.com:");
	if (l.fd6 >= 0) {
		snprintf(url, sizeof url, "http://cdn6.example.com:%d/a.png", l.port6);
		assert_int_equal(of_http_get(&r, url, &o), OF_EINVALID);
		assert_contains(of_error_last()->message, "[::1]:");
	}
	assert_int_equal(of_listener_connections(&l), 0);

	/* The listener does count: with the address explicitly allowed, curl
	 * connects (and times out, the listener never answers). */
	char allow[64];
	const char *al[2] = {allow, NULL};
	snprintf(allow, sizeof allow, "127.0.0.1:%d", l.port4);
	o.allow_connect = al;
	o.timeout_s = 1;
	snprintf(url, sizeof url, "http://cdn.example.com:%d/a.png", l.port4);
	assert_int_equal(of_http_get(&r, url, &o), OF_ENET);
	assert_int_equal(r.fail, OF_HTTP_FAIL_TIMEOUT);
	assert_int_equal(of_listener_connections(&l), 1);
	/* A trusted request may connect to loopback. */
	of_http_options t = OF_HTTP_OPTIONS_INIT;
	t.trusted = 1;
	t.timeout_s = 1;
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", l.port4);
	assert_int_equal(of_http_get(&r, url, &t), OF_ENET);
	assert_int_equal(of_listener_connections(&l), 1);
	of_listener_close(&l);
}

static void test_http__sanitize(void **state)
{
	char b[256];
	(void)state;
	assert_string_equal(of_url_sanitize(b, sizeof b, "https://u:pw@example.com:8443/a/b.png?token=s3cr3t#x"),
			    "https://example.com:8443/a/b.png?...");
	assert_string_equal(of_url_sanitize(b, sizeof b, "https://example.com@evil.test/"), "https://evil.test/");
	/* unparseable: still no userinfo, query or control characters */
	of_url_sanitize(b, sizeof b, "http://user:pw@bad host/x?k=secret\r\n");
	assert_not_contains(b, "pw");
	assert_not_contains(b, "secret");
	assert_not_contains(b, "\r");
	of_url_sanitize(b, 8, "https://example.com/");
	assert_int_equal(strlen(b), 7);
	/* Chinese stays readable; spaces and bidi overrides are encoded. */
	assert_string_equal(of_url_sanitize(b, sizeof b, "https://例子.测试/图片/1.jpg"),
			    "https://例子.测试/图片/1.jpg");
	assert_string_equal(of_url_sanitize(b, sizeof b, "http://example.com/a b\xe2\x80\xaegnp.exe"),
			    "http://example.com/a%20b%E2%80%AEgnp.exe");
}

static void test_http__get_and_content_type(void **state)
{
	of_http_response r;
	of_http_options o = OF_HTTP_OPTIONS_INIT;
	(void)state;
	NEED_SERVER();
	o.trusted = 1;
	assert_int_equal(of_http_get(&r, of_fake_url(&g_srv, "image/g1/a.png"), &o), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "image/png");
	assert_true(r.len > 60 && memcmp(r.body, "\x89PNG", 4) == 0);
	assert_true(r.retry_after < 0);
	of_http_response_free(&r);
	/* A 404 is an answer, not an error. */
	assert_int_equal(of_http_get(&r, of_fake_url(&g_srv, "notfound/g2"), &o), 0);
	assert_int_equal(r.status, 404);
	of_http_response_free(&r);
	/* accept_type: an HTML answer where an image is expected. */
	o.accept_type = "image/";
	assert_int_equal(of_http_get(&r, of_fake_url(&g_srv, "html/g3"), &o), OF_EINVALID);
	assert_contains(of_error_last()->message, "text/html");
	assert_contains(of_error_last()->message, "/html/g3");
	assert_null(r.body);
	/* Untrusted through the policy, with the fake server allowed explicitly. */
	of_http_options u = untrusted_to_fake();
	u.accept_type = "image/";
	assert_int_equal(of_http_get(&r, fake_name_url("image/g4/b.png"), &u), 0);
	assert_int_equal(r.status, 200);
	of_http_response_free(&r);
}

static void test_http__retry_after(void **state)
{
	of_http_response r;
	of_http_options o = OF_HTTP_OPTIONS_INIT;
	(void)state;
	NEED_SERVER();
	o.trusted = 1;
	assert_int_equal(of_http_get(&r, of_fake_url(&g_srv, "429/ra1"), &o), 0);
	assert_int_equal(r.status, 429);
	assert_true(r.retry_after == 1.0);
	of_http_response_free(&r);
	assert_int_equal(of_http_get(&r, of_fake_url(&g_srv, "429date/ra2"), &o), 0);
	assert_int_equal(r.status, 429);
	assert_true(r.retry_after >= 0.0 && r.retry_after <= 2.0);
	of_http_response_free(&r);
}

static void test_http__post_json_headers(void **state)
{
	of_http_response r;
	of_http_options o = OF_HTTP_OPTIONS_INIT;
	const char *h[] = {"Authorization: Bearer sk-should-not-leak", "X-Trace: 1", NULL};
	const char *bad[] = {"X-A: 1\r\nX-Injected: sk-should-not-leak", NULL};
	(void)state;
	NEED_SERVER();
	o.trusted = 1;
	assert_int_equal(of_http_post_json(&r, of_fake_url(&g_srv, "echo/p1"), "{\"a\":\"鱼\"}", h, &o), 0);
	assert_int_equal(r.status, 200);
	assert_contains(r.body, "\\\"has_auth\\\": true");
	assert_contains(r.body, "x-trace");
	assert_contains(r.body, "鱼");
	assert_not_contains(r.body, "\\\"expect\\\"");
	assert_contains(r.body, "\\\"accept\\\": [\\\"application/json\\\"]");
	of_http_response_free(&r);
	/* A caller's own Accept replaces ours (TTS asks for audio). */
	const char *acc[] = {"Accept: audio/mpeg", NULL};
	assert_int_equal(of_http_post_json(&r, of_fake_url(&g_srv, "echo/p3"), "{}", acc, &o), 0);
	assert_int_equal(r.status, 200);
	assert_contains(r.body, "\\\"accept\\\": [\\\"audio/mpeg\\\"]");
	of_http_response_free(&r);
	assert_int_equal(of_http_post_json(&r, of_fake_url(&g_srv, "echo/p2"), "{}", bad, &o), OF_EINVALID);
	assert_not_contains(of_error_last()->message, "sk-should-not-leak");
	assert_not_contains(of_error_last()->message, "Injected");
	assert_int_equal(of_fake_count(&g_srv, "p2"), 0);
}

/* Row 45: endless body, lying Content-Length, gzip bomb. */
static void test_http__size_caps(void **state)
{
	of_http_response r;
	of_http_options o = OF_HTTP_OPTIONS_INIT;
	double t0 = of_log_now();
	(void)state;
	NEED_SERVER();
	o.trusted = 1;
	o.max_bytes = 1024 * 1024;
	assert_int_equal(of_http_get(&r, of_fake_url(&g_srv, "endless/s1"), &o), OF_ELIMIT);
	assert_int_equal(r.fail, OF_HTTP_FAIL_LIMIT);
	assert_contains(of_error_last()->message, "/endless/s1");
	assert_contains(of_error_last()->message, "larger than 1048576 bytes");
	assert_null(r.body);
	assert_int_equal(of_http_get(&r, of_fake_url(&g_srv, "biglength/s2"), &o), OF_ELIMIT);
	assert_contains(of_error_last()->message, "/biglength/s2");
	assert_int_equal(of_http_get(&r, of_fake_url(&g_srv, "gzipbomb/s3"), &o), OF_ELIMIT);
	assert_contains(of_error_last()->message, "/gzipbomb/s3");
	assert_true(of_log_now() - t0 < 10);
}

/* Row 46: a server that answers one byte a second, or never. */
static void test_http__slow_servers(void **state)
{
	of_http_response r;
	of_http_options o = OF_HTTP_OPTIONS_INIT;
	double t0;
	(void)state;
	NEED_SERVER();
	o.trusted = 1;
	o.timeout_s = 1;
	t0 = of_log_now();
	assert_int_equal(of_http_get(&r, of_fake_url(&g_srv, "hang/t1"), &o), OF_ENET);
	assert_int_equal(r.fail, OF_HTTP_FAIL_TIMEOUT);
	assert_contains(of_error_last()->message, "/hang/t1: timed out");
	assert_true(of_log_now() - t0 < 3);
	/* Untrusted slowloris: the low-speed guard fires long before the 30 s timeout. */
	of_http_options u = untrusted_to_fake();
	u.timeout_s = 30;
	u.low_speed_time_s = 2;
	t0 = of_log_now();
	assert_int_equal(of_http_get(&r, fake_name_url("slowloris/t2"), &u), OF_ENET);
	assert_contains(of_error_last()->message, "/slowloris/t2: timed out");
	assert_true(of_log_now() - t0 < 6);
}

/* Row 44: redirects to file:, to a local address, and loops. */
static void test_http__redirects(void **state)
{
	of_http_response r;
	of_listener l;
	char path[64];
	(void)state;
	NEED_SERVER();
	of_listener_open(&l);
	of_http_options u = untrusted_to_fake();
	assert_int_equal(of_http_get(&r, fake_name_url("redirect-file/r1"), &u), OF_EINVALID);
	assert_contains(of_error_last()->message, "non-http(s)");
	assert_null(r.body);
	snprintf(path, sizeof path, "redirect-to/r2/%d", l.port4);
	assert_int_equal(of_http_get(&r, fake_name_url(path), &u), OF_EINVALID);
	assert_contains(of_error_last()->message, "refused to connect to 127.0.0.1:");
	assert_int_equal(of_listener_connections(&l), 0);
	assert_int_equal(of_http_get(&r, fake_name_url("redirect-loop/r3/0"), &u), OF_ELIMIT);
	assert_contains(of_error_last()->message, "more than 5 redirects");
	assert_int_equal(of_fake_count(&g_srv, "r3"), 6);
	/* A trusted endpoint's redirect is returned, not followed. */
	of_http_options t = OF_HTTP_OPTIONS_INIT;
	t.trusted = 1;
	assert_int_equal(of_http_get(&r, of_fake_url(&g_srv, path), &t), 0);
	assert_int_equal(r.status, 302);
	of_http_response_free(&r);
	assert_int_equal(of_listener_connections(&l), 0);
	of_listener_close(&l);
}

static void test_http__connection_refused(void **state)
{
	of_http_response r;
	of_http_options o = OF_HTTP_OPTIONS_INIT;
	char url[64];
	(void)state;
	o.trusted = 1;
	snprintf(url, sizeof url, "http://127.0.0.1:%d/v1?key=sekrit", of_free_port());
	assert_int_equal(of_http_get(&r, url, &o), OF_ENET);
	assert_int_equal(r.fail, OF_HTTP_FAIL_CONNECT);
	assert_contains(of_error_last()->message, "cannot connect");
	assert_not_contains(of_error_last()->message, "sekrit");
	assert_int_equal(of_http_get(&r, "https://user:pw@example.com/?token=abc", &o), OF_EINVALID);
	assert_not_contains(of_error_last()->message, "pw@");
	assert_not_contains(of_error_last()->message, "abc");
}

static void test_http__fetch_to_cache(void **state)
{
	const char *dir = of_test_tmpdir();
	char *path = NULL, *again = NULL;
	char sub[512];
	(void)state;
	NEED_SERVER();
	snprintf(sub, sizeof sub, "%s/images", dir);
	of_http_options u = untrusted_to_fake();
	assert_int_equal(of_fetch_to_cache_opts(&path, fake_name_url("image/i1/photo"), sub, "image/", &u), 0);
	assert_non_null(path);
	assert_true(strlen(path) > 4 && strcmp(path + strlen(path) - 4, ".png") == 0);
	size_t n;
	char *data = of_test_slurp(path, &n);
	assert_true(n > 8 && memcmp(data, "\x89PNG", 4) == 0);
	free(data);
	/* Cached: same path, no second request. */
	assert_int_equal(of_fetch_to_cache_opts(&again, fake_name_url("image/i1/photo"), sub, "image/", &u), 0);
	assert_string_equal(path, again);
	assert_int_equal(of_fake_count(&g_srv, "i1"), 1);
	free(again);
	free(path);
	/* 404, an HTML page, a stream without end, a local address: clear errors, no file. */
	assert_int_equal(of_fetch_to_cache_opts(&path, fake_name_url("notfound/i2"), sub, "image/", &u),
			 OF_ENOTFOUND);
	assert_contains(of_error_last()->message, "HTTP 404");
	assert_contains(of_error_last()->message, "/notfound/i2");
	assert_int_equal(of_fetch_to_cache_opts(&path, fake_name_url("html/i3"), sub, "image/", &u), OF_EINVALID);
	assert_contains(of_error_last()->message, "text/html");
	u.max_bytes = 256 * 1024;
	assert_int_equal(of_fetch_to_cache_opts(&path, fake_name_url("endless/i4"), sub, "image/", &u), OF_ELIMIT);
	assert_int_equal(of_fetch_to_cache(&path, "http://169.254.169.254/latest/meta-data/", sub, "image/"),
			 OF_EINVALID);
	assert_int_equal(of_fetch_to_cache(&path, "file:///etc/passwd", sub, "image/"), OF_EINVALID);
	assert_null(path);
	/* Only the one good image is in the cache: no temp or partial files. */
	DIR *d = opendir(sub);
	struct dirent *e;
	int files = 0;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		files += e->d_name[0] != '.';
	closedir(d);
	assert_int_equal(files, 1);
	of_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http__url_policy_table),
		cmocka_unit_test(test_http__literal_local_addresses),
		cmocka_unit_test(test_http__address_classes),
		cmocka_unit_test(test_http__zero_connections_to_local_listener),
		cmocka_unit_test(test_http__sanitize),
		cmocka_unit_test(test_http__get_and_content_type),
		cmocka_unit_test(test_http__retry_after),
		cmocka_unit_test(test_http__post_json_headers),
		cmocka_unit_test(test_http__size_caps),
		cmocka_unit_test(test_http__slow_servers),
		cmocka_unit_test(test_http__redirects),
		cmocka_unit_test(test_http__connection_refused),
		cmocka_unit_test(test_http__fetch_to_cache),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
