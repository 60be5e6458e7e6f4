/* netutil.h — network test helpers: the fault-injecting fake server
 * (tests/support/fake_server.py, spawned by the TEST, never the library) and a
 * bare listener that counts the connections it receives. */
#ifndef ONEFISH_NETUTIL_H
#define ONEFISH_NETUTIL_H

#include <sys/types.h>

typedef struct of_fake_server {
	pid_t pid;
	int port;
	char dir[256]; /* temp folder holding the port file */
} of_fake_server;

/**
 * Starts python3 tests/support/fake_server.py on 127.0.0.1 (ephemeral port),
 * with FAKE_SERVER_KEY=`key` in its environment (may be NULL) and a lifetime of
 * 60 s. Returns 0, or -1 when python3 is missing (the test then skip()s).
 */
int of_fake_server_start(of_fake_server *s, const char *key);

/** Stops the server (SIGTERM to its pid, then waitpid) and removes its folder. */
void of_fake_server_stop(of_fake_server *s);

/** "http://127.0.0.1:PORT/" + path (static buffer, valid until the next call). */
const char *of_fake_url(const of_fake_server *s, const char *path);

/** Requests the server has seen for counter `id` (GET /count/ID), or -1. */
int of_fake_count(const of_fake_server *s, const char *id);

/** A listening socket that must never be connected to. */
typedef struct of_listener {
	int fd4, fd6;     /* fd6 is -1 when IPv6 loopback is unavailable */
	int port4, port6;
} of_listener;

/** Opens listeners on 127.0.0.1 and [::1] (ephemeral ports). Fails the test on error. */
void of_listener_open(of_listener *l);

/** Connections received so far (accepted without blocking and closed). */
int of_listener_connections(of_listener *l);

void of_listener_close(of_listener *l);

/** A TCP port on 127.0.0.1 where nothing listens (bound, then closed). */
int of_free_port(void);

#endif
