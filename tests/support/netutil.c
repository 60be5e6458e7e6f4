/* netutil.c — see netutil.h. */
#include "netutil.h"
#include "testutil.h"

#include "onefish/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char *root(void)
{
	const char *r = getenv("ONEFISH_ROOT");
	return r && r[0] ? r : ".";
}

int of_fake_server_start(of_fake_server *s, const char *key)
{
	char script[4096], fixtures[4096], portfile[512];
	const char *tmp = of_test_tmpdir();
	memset(s, 0, sizeof *s);
	snprintf(s->dir, sizeof s->dir, "%s", tmp);
	snprintf(script, sizeof script, "%s/tests/support/fake_server.py", root());
	snprintf(fixtures, sizeof fixtures, "%s/tests/fixtures/llm", root());
	snprintf(portfile, sizeof portfile, "%s/port", s->dir);
	if (key)
		setenv("FAKE_SERVER_KEY", key, 1);
	char *argv[] = {"python3", script, "--port-file", portfile, "--fixtures", fixtures,
			"--lifetime", "60", NULL};
	if (posix_spawnp(&s->pid, "python3", NULL, NULL, argv, environ) != 0) {
		of_test_rmtree(s->dir);
		return -1;
	}
	unsetenv("FAKE_SERVER_KEY");
	for (int i = 0; i < 500; i++) { /* up to 10 s */
		FILE *fp = fopen(portfile, "r");
		if (fp) {
			int ok = fscanf(fp, "%d", &s->port) == 1;
			fclose(fp);
			if (ok && s->port > 0)
				return 0;
		}
		int st;
		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			s->pid = 0;
			of_test_rmtree(s->dir);
			return -1; /* python3 missing or the script failed */
		}
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	of_fake_server_stop(s);
	fail_msg("fake_server.py did not write its port file");
	return -1;
}

void of_fake_server_stop(of_fake_server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
	}
	if (s->dir[0])
		of_test_rmtree(s->dir);
	s->dir[0] = '\0';
}

const char *of_fake_url(const of_fake_server *s, const char *path)
{
	static char buf[1024];
	snprintf(buf, sizeof buf, "http://127.0.0.1:%d/%s", s->port, path);
	return buf;
}

int of_fake_count(const of_fake_server *s, const char *id)
{
	char path[256];
	of_http_options o = OF_HTTP_OPTIONS_INIT;
	of_http_response r;
	int n = -1;
	o.trusted = 1;
	o.timeout_s = 5;
	snprintf(path, sizeof path, "count/%s", id);
	if (of_http_get(&r, of_fake_url(s, path), &o) == 0 && r.status == 200) {
		const char *p = strstr(r.body, "\"count\":");
		if (p)
			n = (int)strtol(p + 8, NULL, 10);
	}
	of_http_response_free(&r);
	return n;
}

static int listen_on(int family, int *port)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_storage ss;
	socklen_t len;
	if (fd < 0)
		return -1;
	memset(&ss, 0, sizeof ss);
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;
		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof *in;
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
		int one = 1;
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
		in6->sin6_family = AF_INET6;
		in6->sin6_addr = in6addr_loopback;
		len = sizeof *in6;
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 16) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					: ((struct sockaddr_in6 *)&ss)->sin6_port);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

void of_listener_open(of_listener *l)
{
	l->fd4 = listen_on(AF_INET, &l->port4);
	if (l->fd4 < 0)
		fail_msg("cannot listen on 127.0.0.1: %s", strerror(errno));
	l->fd6 = listen_on(AF_INET6, &l->port6);
}

int of_listener_connections(of_listener *l)
{
	int n = 0, fd;
	int fds[2] = {l->fd4, l->fd6};
	for (int i = 0; i < 2; i++) {
		if (fds[i] < 0)
			continue;
		while ((fd = accept(fds[i], NULL, NULL)) >= 0) {
			n++;
			close(fd);
		}
	}
	return n;
}

void of_listener_close(of_listener *l)
{
	if (l->fd4 >= 0)
		close(l->fd4);
	if (l->fd6 >= 0)
		close(l->fd6);
	l->fd4 = l->fd6 = -1;
}

int of_free_port(void)
{
	int port = 0;
	int fd = listen_on(AF_INET, &port);
	if (fd < 0)
		fail_msg("cannot find a free port");
	close(fd);
	return port;
}
