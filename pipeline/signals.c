/* signals.c — interrupt safety: forward to children, remove temp files, die cleanly. */
#include "signals.h"
#include "onefish/fileio.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* Fixed slots: the handler can neither allocate nor lock. */
#define MAX_CHILDREN 512
static volatile pid_t g_children[MAX_CHILDREN];
static volatile sig_atomic_t g_caught;
static volatile sig_atomic_t g_leaf;
static int g_installed;
/* This process's pid, as its children inherit it: their parent. */
static pid_t g_self;

static void on_signal(int sig)
{
	int saved = errno;
	of_atomic_cleanup_all();
	g_caught = sig;
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (g_children[i] > 0)
			kill(g_children[i], sig);
	if (g_leaf) {
		/* Die from the signal itself so the parent sees WIFSIGNALED. */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	errno = saved;
}

void of_signals_install(void)
{
	struct sigaction sa;
	if (g_installed)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: waitpid() and read() return EINTR so the main flow notices. */
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	g_installed = 1;
	g_self = getpid();
}

void of_signals_after_fork(int leaf)
{
	pid_t parent = g_self;
	for (int i = 0; i < MAX_CHILDREN; i++)
		g_children[i] = 0;
	g_leaf = leaf;
	g_self = getpid();
	/* A parent killed outright (kill -9, the OOM killer, a CI timeout) cannot
	 * forward anything: the kernel sends SIGTERM, so a stage does not go on
	 * rendering as an orphan holding the pack's lock. Already gone: stop now. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (parent > 0 && getppid() != parent)
		raise(SIGTERM);
	if (g_caught) {
		/* Interrupted between fork() and here: a leaf dies now, a supervisor stops soon. */
		if (leaf)
			raise(g_caught);
	}
}

void of_signals_add_child(pid_t pid)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (g_children[i] == 0) {
			g_children[i] = pid;
			return;
		}
}

void of_signals_remove_child(pid_t pid)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (g_children[i] == pid)
			g_children[i] = 0;
}

int of_signals_caught(void)
{
	return (int)g_caught;
}

int of_signals_exit_code(void)
{
	return 128 + (int)g_caught;
}
