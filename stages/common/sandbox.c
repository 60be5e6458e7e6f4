/* sandbox.c — one untrusted parse in a forked child with CPU, memory and
 * wall-clock limits; its bytes, log events and final error come back over a
 * pipe as frames: tag (1 byte), length (4 bytes), payload. */
#include "onefish/sandbox.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/limits.h"
#include "onefish/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define OF_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define OF_UNDER_ASAN 1
#endif
#endif
#ifndef OF_UNDER_ASAN
#define OF_UNDER_ASAN 0
#endif

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define OF_ON_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef OF_ON_VALGRIND
#define OF_ON_VALGRIND() 0
#endif

enum { TAG_DATA = 'D', TAG_LOG = 'L', TAG_END = 'E' };
/* Data goes out in blocks of OUT_BUF through a pipe enlarged to PIPE_BYTES: with
 * both processes on one core, fewer and larger hand-overs mean fewer switches
 * between two working sets (the default 64 KB pipe switched 6,500 times on a
 * million comments). */
#define OUT_BUF (256 * 1024)
#define PIPE_BYTES (1024 * 1024)
#define MAX_META_FRAME (64 * 1024) /* log and end frames: a message is at most a few KB */
#define MAX_UNSHOWN ((uint64_t)1 << 40)

struct of_sandbox_out {
	int fd;
	int broken;
	size_t len;
	char buf[OUT_BUF];
};

typedef struct log_head {
	int32_t event, level;
	uint64_t line, col;
} log_head;

typedef struct end_head {
	int32_t rc, code;
	uint64_t line, col;
	uint64_t unshown; /* warnings the worker counted without printing (of_log_warn_unshown) */
	uint64_t unshown_bad; /* bad records it counted without printing (of_log_bad_record_unshown) */
} end_head;

int of_sandbox_memory_limited(void)
{
	return !OF_UNDER_ASAN && !OF_ON_VALGRIND();
}

/* ---- child side ---- */

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static int put_frame(of_sandbox_out *o, char tag, const void *a, size_t na, const void *b, size_t nb, const void *c,
		     size_t nc)
{
	unsigned char head[5];
	uint32_t len = (uint32_t)(na + nb + nc);
	if (o->broken)
		return OF_ERROR;
	head[0] = (unsigned char)tag;
	memcpy(head + 1, &len, 4);
	if (write_all(o->fd, head, 5) != 0 || (na && write_all(o->fd, a, na) != 0) || (nb && write_all(o->fd, b, nb) != 0) ||
	    (nc && write_all(o->fd, c, nc) != 0)) {
		o->broken = 1;
		return OF_ERROR;
	}
	return 0;
}

static int flush_data(of_sandbox_out *o)
{
	int rc = 0;
	if (o->len)
		rc = put_frame(o, TAG_DATA, o->buf, o->len, NULL, 0, NULL, 0);
	o->len = 0;
	return rc;
}

int of_sandbox_send(of_sandbox_out *o, const void *data, size_t n)
{
	const char *p = data;
	while (n > 0) {
		size_t k = OUT_BUF - o->len;
		if (k > n)
			k = n;
		memcpy(o->buf + o->len, p, k);
		o->len += k;
		p += k;
		n -= k;
		if (o->len == OUT_BUF && flush_data(o) != 0)
			return of_error_set(OF_ERROR, "worker: parent gone");
	}
	return 0;
}

/* The child's log handler: events go to the parent, in order with the data. */
static void child_log(const of_log_record *r, void *payload)
{
	of_sandbox_out *o = payload;
	log_head h;
	const char *path = r->path ? r->path : "";
	size_t np = strlen(path) + 1, nm = strlen(r->message) + 1;
	if (r->event == OF_EV_PROGRESS || np + nm + sizeof h > MAX_META_FRAME)
		return;
	h.event = (int32_t)r->event;
	h.level = (int32_t)r->level;
	h.line = r->line;
	h.col = r->col;
	if (flush_data(o) == 0)
		put_frame(o, TAG_LOG, &h, sizeof h, path, np, r->message, nm);
}

static void set_limit(int res, rlim_t want)
{
	struct rlimit cur;
	if (getrlimit(res, &cur) != 0)
		return;
	if (cur.rlim_max != RLIM_INFINITY && want > cur.rlim_max)
		want = cur.rlim_max; /* never above an outer limit (ulimit, the hostile suite) */
	cur.rlim_cur = want;
	if (res == RLIMIT_CPU && (cur.rlim_max == RLIM_INFINITY || cur.rlim_max > want + 1))
		cur.rlim_max = want + 1; /* SIGXCPU at the soft limit, SIGKILL a second later */
	else if (res != RLIMIT_CPU)
		cur.rlim_max = cur.rlim_max == RLIM_INFINITY || cur.rlim_max > want ? want : cur.rlim_max;
	setrlimit(res, &cur);
}

/* Address space mapped now (the child starts with the parent's); no stdio in the child. */
static size_t mapped_bytes(void)
{
	char buf[128];
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	ssize_t n;
	unsigned long pages;
	char *end;
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	pages = strtoul(buf, &end, 10);
	return end == buf ? 0 : (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

static void child_main(int fd, const of_sandbox_limits *lim, of_sandbox_fn fn, void *arg, const sigset_t *old_mask,
		       pid_t parent)
{
	of_sandbox_out *o;
	end_head h;
	of_error err;
	int rc;
	/* the parent's handlers unlink its temporaries and signal its children: not ours to run */
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction sa;
		if (sig == SIGKILL || sig == SIGSTOP || sigaction(sig, NULL, &sa) != 0)
			continue;
		if (sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN) {
			sa.sa_handler = SIG_DFL;
			sa.sa_flags = 0;
			sigaction(sig, &sa, NULL);
		}
	}
	signal(SIGPIPE, SIG_DFL);
	/* a parent killed mid-parse (SIGTERM to a pack stage) takes its worker with it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(72);
	sigprocmask(SIG_SETMASK, old_mask, NULL);
	alarm(lim->wall_seconds);
	set_limit(RLIMIT_CPU, (rlim_t)(lim->cpu_seconds + 0.999));
	set_limit(RLIMIT_CORE, 0);
	if (of_sandbox_memory_limited())
		set_limit(RLIMIT_AS, (rlim_t)(mapped_bytes() + lim->memory_bytes));
	o = calloc(1, sizeof *o);
	if (!o)
		_exit(70);
	o->fd = fd;
	of_log_set_handler(child_log, o);
	of_error_clear();
	size_t unshown0 = of_log_unshown_count(), unshown_bad0 = of_log_unshown_bad_count();
	rc = fn(o, arg);
	if (flush_data(o) != 0)
		_exit(71);
	err = *of_error_last();
	if (rc < 0 && err.code == 0)
		err.code = rc;
	h.rc = rc;
	h.code = rc < 0 ? err.code : 0;
	h.line = rc < 0 ? err.line : 0;
	h.col = rc < 0 ? err.col : 0;
	h.unshown = of_log_unshown_count() - unshown0;
	h.unshown_bad = of_log_unshown_bad_count() - unshown_bad0;
	if (rc >= 0)
		err.path[0] = err.message[0] = 0;
	put_frame(o, TAG_END, &h, sizeof h, err.path, strlen(err.path) + 1, err.message, strlen(err.message) + 1);
	_exit(0);
}

/* ---- parent side ---- */

typedef struct reader {
	const char *origin;
	of_sandbox_sink sink;
	void *payload;
	size_t max, total;
	unsigned char head[5];
	size_t head_len;
	char tag;
	size_t left;      /* payload bytes of the current frame still to come */
	char *meta;       /* log/end frame being assembled */
	size_t meta_len;
	int ended;        /* the end frame arrived */
	end_head end;
	of_error err;
} reader;

static const char *cstr(const char *p, const char *e, const char **next)
{
	const char *z = memchr(p, 0, (size_t)(e - p));
	if (!z)
		return NULL;
	*next = z + 1;
	return p;
}

static int meta_done(reader *r)
{
	const char *p = r->meta, *e = r->meta + r->meta_len, *path, *msg;
	if (r->tag == TAG_LOG) {
		log_head h;
		if (r->meta_len < sizeof h)
			return of_error_set_at(OF_ERROR, r->origin, 0, 0, "worker sent a broken log frame");
		memcpy(&h, p, sizeof h);
		p += sizeof h;
		if (!(path = cstr(p, e, &p)) || !(msg = cstr(p, e, &p)))
			return of_error_set_at(OF_ERROR, r->origin, 0, 0, "worker sent a broken log frame");
		/* the strings live in r->meta, our own buffer: cleaned in place */
		if (of_log_replay((of_log_event)h.event, (of_log_level)h.level, (char *)path, (unsigned long)h.line,
				  (unsigned long)h.col, (char *)msg) != 0)
			return of_error_set_at(OF_ERROR, r->origin, 0, 0, "worker sent a log frame of an unknown kind");
		return 0;
	}
	if (r->meta_len < sizeof r->end)
		return of_error_set_at(OF_ERROR, r->origin, 0, 0, "worker sent a broken end frame");
	memcpy(&r->end, p, sizeof r->end);
	p += sizeof r->end;
	if (!(path = cstr(p, e, &p)) || !(msg = cstr(p, e, &p)))
		return of_error_set_at(OF_ERROR, r->origin, 0, 0, "worker sent a broken end frame");
	memset(&r->err, 0, sizeof r->err);
	r->err.code = r->end.code;
	snprintf(r->err.path, sizeof r->err.path, "%s", path);
	snprintf(r->err.message, sizeof r->err.message, "%s", msg);
	r->err.line = (unsigned long)r->end.line;
	r->err.col = (unsigned long)r->end.col;
	/* a count a sane worker can reach; a worker gone wrong does not inflate the summary */
	if (r->end.unshown <= MAX_UNSHOWN)
		of_log_warn_unshown((size_t)r->end.unshown);
	if (r->end.unshown_bad <= MAX_UNSHOWN)
		of_log_bad_record_unshown((size_t)r->end.unshown_bad);
	r->ended = 1;
	return 0;
}

/* Feeds bytes read from the pipe; returns 0, a negative error, or the sink's non-zero value. */
static int feed(reader *r, const char *p, size_t n)
{
	while (n > 0) {
		if (r->ended)
			return of_error_set_at(OF_ERROR, r->origin, 0, 0, "worker sent bytes after its end");
		if (r->head_len < 5) {
			size_t k = 5 - r->head_len < n ? 5 - r->head_len : n;
			uint32_t len;
			memcpy(r->head + r->head_len, p, k);
			r->head_len += k;
			p += k;
			n -= k;
			if (r->head_len < 5)
				return 0;
			memcpy(&len, r->head + 1, 4);
			r->tag = (char)r->head[0];
			r->left = len;
			r->meta_len = 0;
			if (r->tag != TAG_DATA && r->tag != TAG_LOG && r->tag != TAG_END)
				return of_error_set_at(OF_ERROR, r->origin, 0, 0, "worker sent an unknown frame");
			if (r->tag != TAG_DATA && len > MAX_META_FRAME)
				return of_error_set_at(OF_ERROR, r->origin, 0, 0, "worker sent an oversized frame");
		}
		size_t k = r->left < n ? r->left : n;
		if (r->tag == TAG_DATA) {
			if (k) {
				int rc;
				r->total += k;
				if (r->total > r->max)
					return of_error_set_at(OF_ELIMIT, r->origin, 0, 0,
							       "limit exceeded (result): the worker sent more than %zu bytes", r->max);
				if ((rc = r->sink ? r->sink(p, k, r->payload) : 0) != 0)
					return rc;
			}
		} else {
			if (!r->meta && !(r->meta = malloc(MAX_META_FRAME)))
				return of_error_set_oom();
			memcpy(r->meta + r->meta_len, p, k);
			r->meta_len += k;
		}
		p += k;
		n -= k;
		r->left -= k;
		if (r->left == 0) {
			r->head_len = 0;
			if (r->tag != TAG_DATA) {
				int rc = meta_done(r);
				if (rc)
					return rc;
			}
		}
	}
	return 0;
}

static void reap(pid_t pid, int *status, struct rusage *ru)
{
	while (wait4(pid, status, 0, ru) < 0 && errno == EINTR)
		;
}

/* The child's end when it sent no end frame: a limit, a crash, or an early exit. */
static int decode_status(const char *origin, const of_sandbox_limits *lim, int status, const struct rusage *ru)
{
	double cpu = (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec / 1e6 + (double)ru->ru_stime.tv_sec +
		     (double)ru->ru_stime.tv_usec / 1e6;
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		if (sig == SIGXCPU || (sig == SIGKILL && cpu >= lim->cpu_seconds - 0.05))
			return of_error_set_at(OF_ELIMIT, origin, 0, 0,
					       "limit exceeded (cpu): parsing took more than %g s of CPU time", lim->cpu_seconds);
		if (sig == SIGALRM)
			return of_error_set_at(OF_ELIMIT, origin, 0, 0,
					       "limit exceeded (time): parsing still running after %u s", lim->wall_seconds);
		if (sig == SIGABRT && of_sandbox_memory_limited())
			return of_error_set_at(OF_ELIMIT, origin, 0, 0,
					       "limit exceeded (memory): the parser aborted under the %zu MB memory limit",
					       lim->memory_bytes >> 20);
		return of_error_set_at(OF_ERROR, origin, 0, 0, "parser crashed (signal %d)", sig);
	}
	return of_error_set_at(OF_ERROR, origin, 0, 0, "parser ended without a result (exit status %d)",
			       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

int of_sandbox_run(const char *origin, const of_sandbox_limits *lim_in, of_sandbox_fn fn, void *arg,
		   of_sandbox_sink sink, void *payload)
{
	of_sandbox_limits lim = OF_SANDBOX_LIMITS_INIT;
	sigset_t all, old;
	int fds[2], status = 0, rc = 0;
	struct rusage ru;
	reader r;
	pid_t pid, self;
	char *chunk;
	if (lim_in)
		lim = *lim_in;
	if (lim.cpu_seconds <= 0)
		lim.cpu_seconds = OF_PARSE_CPU_SECONDS;
	if (!lim.memory_bytes)
		lim.memory_bytes = OF_PARSE_MEMORY_BYTES;
	if (!lim.wall_seconds)
		lim.wall_seconds = OF_PARSE_WALL_SECONDS;
	if (!lim.max_result_bytes)
		lim.max_result_bytes = OF_MAX_WORKER_RESULT_BYTES;
	if (!origin)
		origin = "<input>";
	if (pipe2(fds, O_CLOEXEC) != 0)
		return of_error_set_at(OF_ERROR, origin, 0, 0, "worker: pipe: %s", strerror(errno));
#ifdef F_SETPIPE_SZ
	(void)fcntl(fds[1], F_SETPIPE_SZ, PIPE_BYTES); /* best effort: the default size works, slower */
#endif
	/* No handler may run in the child before it resets them (they unlink the parent's temporaries). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	self = getpid();
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		child_main(fds[1], &lim, fn, arg, &old, self);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return of_error_set_at(OF_ERROR, origin, 0, 0, "worker: fork: %s", strerror(errno));
	}
	/* the parent's alone: allocated before the fork, the worker would hold it unfreed to its exit */
	if (!(chunk = malloc(OUT_BUF))) {
		kill(pid, SIGKILL);
		close(fds[0]);
		reap(pid, &status, &ru);
		return of_error_set_oom();
	}
	memset(&r, 0, sizeof r);
	r.origin = origin;
	r.sink = sink;
	r.payload = payload;
	r.max = lim.max_result_bytes;
	for (;;) {
		ssize_t got = read(fds[0], chunk, OUT_BUF);
		if (got < 0 && errno == EINTR) {
			/* only our own SIGINT/SIGTERM handlers interrupt (no SA_RESTART): stop */
			rc = of_error_set(OF_EINTR, "interrupted");
			break;
		}
		if (got < 0) {
			rc = of_error_set_at(OF_ERROR, origin, 0, 0, "worker: read: %s", strerror(errno));
			break;
		}
		if (got == 0)
			break;
		if ((rc = feed(&r, chunk, (size_t)got)) != 0)
			break;
	}
	if (rc != 0)
		kill(pid, SIGKILL);
	close(fds[0]);
	memset(&ru, 0, sizeof ru);
	reap(pid, &status, &ru);
	free(r.meta);
	free(chunk);
	if (rc != 0)
		return rc;
	if (!r.ended || r.head_len || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return decode_status(origin, &lim, status, &ru);
	if (r.end.rc < 0) {
		if (r.err.code == OF_ENOMEM && of_sandbox_memory_limited())
			return of_error_set_at(OF_ELIMIT, r.err.path[0] ? r.err.path : origin, r.err.line, r.err.col,
					       "limit exceeded (memory): %s under the %zu MB memory limit", r.err.message,
					       lim.memory_bytes >> 20);
		of_error_set_at(r.err.code, r.err.path[0] ? r.err.path : NULL, r.err.line, r.err.col, "%s", r.err.message);
		return r.err.code;
	}
	return r.end.rc;
}

static int collect_sink(const char *data, size_t n, void *payload)
{
	of_buf *b = payload;
	int rc = of_buf_append(b, data, n);
	return rc < 0 ? (rc == OF_ELIMIT ? of_error_set(OF_ELIMIT, "worker result too large") : of_error_set_oom()) : 0;
}

int of_sandbox_collect(const char *origin, const of_sandbox_limits *lim, of_sandbox_fn fn, void *arg, char **out,
		       size_t *len)
{
	of_buf b;
	int rc;
	*out = NULL;
	*len = 0;
	of_buf_init(&b, lim && lim->max_result_bytes ? lim->max_result_bytes + 1 : OF_MAX_WORKER_RESULT_BYTES + 1);
	rc = of_sandbox_run(origin, lim, fn, arg, collect_sink, &b);
	if (rc != 0) {
		of_buf_free(&b);
		return rc;
	}
	*out = of_buf_detach(&b, len);
	return *out ? 0 : of_error_set_oom();
}
