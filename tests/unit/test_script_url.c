/* test_script_url.c — article URLs: fetched pages parse; loops, hangs, huge bodies,
 * bad statuses and non-http schemes fail cleanly. Servers run on 127.0.0.1 only. */
#include "testutil.h"
#include "netutil.h"

#include "ingest/article_doc.h"
#include "onefish/error.h"
#include "onefish/http.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static of_fake_server g_fake;
static int g_have_fake;
static pid_t g_static_pid = -1;
static int g_static_port;

static int port_open(int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

/* python3 -m http.server over tests/fixtures/script (the test spawns it, never the library). */
static int static_start(void)
{
	char port[16];
	int i;
	g_static_port = of_free_port();
	snprintf(port, sizeof port, "%d", g_static_port);
	g_static_pid = fork();
	if (g_static_pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0) {
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		execlp("timeout", "timeout", "60", "python3", "-m", "http.server", port, "--bind", "127.0.0.1",
		       "--directory", of_fixture("script"), (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100; i++) {
		if (port_open(g_static_port))
			return 0;
		usleep(50000);
	}
	return -1;
}

static int setup(void **state)
{
	(void)state;
	g_have_fake = of_fake_server_start(&g_fake, NULL) == 0;
	if (static_start() < 0 && g_static_pid > 0) {
		kill(g_static_pid, SIGTERM);
		waitpid(g_static_pid, NULL, 0);
		g_static_pid = -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (g_have_fake)
		of_fake_server_stop(&g_fake);
	if (g_static_pid > 0) {
		kill(g_static_pid, SIGTERM);
		waitpid(g_static_pid, NULL, 0);
	}
	return 0;
}

/* "article.test" is pinned to 127.0.0.1 and that one port is allowed, as the net tests do:
 * literal loopback URLs stay refused for inputs. */
static of_http_options opts_for(int port, long timeout)
{
	static char allow[64], resolve[128];
	static const char *list[2], *rlist[2];
	of_http_options o = OF_HTTP_OPTIONS_INIT;
	snprintf(allow, sizeof allow, "127.0.0.1:%d", port);
	snprintf(resolve, sizeof resolve, "article.test:%d:127.0.0.1", port);
	list[0] = allow;
	rlist[0] = resolve;
	list[1] = rlist[1] = NULL;
	o.allow_connect = list;
	o.resolve = rlist;
	o.timeout_s = timeout;
	o.connect_timeout_s = 2;
	return o;
}

static void test_script_url__fetched_pages_parse(void **state)
{
	of_article_doc *d = NULL;
	char url[128];
	(void)state;
	if (g_static_pid <= 0)
		skip();
	of_http_options o = opts_for(g_static_port, 10);
	snprintf(url, sizeof url, "http://article.test:%d/generic.html", g_static_port);
	assert_int_equal(of_article_doc_load_opts(&d, url, &o), 0);
	assert_string_equal(d->title, "冬天宝宝洗澡的五个细节");
	assert_null(d->base_dir); /* remote: relative images are not read from local disk... */
	snprintf(url, sizeof url, "http://article.test:%d/images/p01-1.jpg", g_static_port);
	assert_string_equal(d->image, url); /* ...they resolve against the page URL */
	of_article_doc_free(d);
	snprintf(url, sizeof url, "http://article.test:%d/missing.html", g_static_port);
	assert_int_equal(of_article_doc_load_opts(&d, url, &o), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "404"));
}

static void test_script_url__hostile_servers(void **state)
{
	of_article_doc *d = NULL;
	(void)state;
	if (!g_have_fake)
		skip();
	of_http_options o = opts_for(g_fake.port, 2);
	char u[256];
#define FAKE(path) (snprintf(u, sizeof u, "http://article.test:%d/%s", g_fake.port, path), u)
	assert_int_equal(of_article_doc_load_opts(&d, FAKE("redirect-loop/a1/0"), &o), OF_ELIMIT);
	assert_int_equal(of_article_doc_load_opts(&d, FAKE("hang/a2"), &o), OF_ENET);
	o.max_bytes = 1024 * 1024;
	assert_int_equal(of_article_doc_load_opts(&d, FAKE("endless/a3"), &o), OF_ELIMIT);
	int rc = of_article_doc_load_opts(&d, FAKE("redirect-file/a4"), &o);
	assert_true(rc == OF_EINVALID || rc == OF_ENET);
	/* a captive portal is not an article */
	assert_int_equal(of_article_doc_load_opts(&d, FAKE("portal/a5"), &o), OF_EINVALID);
	/* an untrusted URL may not reach loopback unless allowed */
	assert_int_not_equal(of_article_doc_load(&d, of_fake_url(&g_fake, "portal/a6")), 0);
	assert_null(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_url__fetched_pages_parse),
		cmocka_unit_test(test_script_url__hostile_servers),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
