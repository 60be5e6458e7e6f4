/* main.c — the onefish command: dispatch to subcommands. */
#include "cli.h"
#include "suggest.h"
#include "onefish/fileio.h"
#include "onefish/version.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const of_command *const commands[] = {
	&of_cmd_run, &of_cmd_article, &of_cmd_script, &of_cmd_video, &of_cmd_prompts,
	&of_cmd_review, &of_cmd_check, NULL
};

static void print_help(FILE *fp)
{
	fprintf(fp,
		"onefish %s — one fish, many meals: a week of Moments posts → article → video script →\n"
		"slideshow video → live-stream questions → next week's post prompts.\n\n"
		"usage: onefish COMMAND [OPTIONS] ARGS...\n\ncommands:\n",
		of_version());
	for (int i = 0; commands[i]; i++)
		fprintf(fp, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(fp, "  %-9s %s\n", "help", "show help for a command");
	fprintf(fp,
		"\nglobal options: --strict --json --quiet --config FILE --no-isolate --help\n"
		"exit status: 0 ok, 1 failure, 2 wrong usage, 3 bad input, 130/143 interrupted (SIGINT/SIGTERM)\n"
		"Run 'onefish help COMMAND' for a command's options.\n");
}

static const of_command *find(const char *name)
{
	for (int i = 0; commands[i]; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

/* Words people type that are no command, and the command that does their job: the docs call
 * the runner's input a pack (docs/pack.md), so `onefish pack` is a natural guess. */
static const struct {
	const char *word, *command, *why;
} command_hints[] = {
	{"pack", "run", "it runs weekly packs: docs/pack.md"},
	{"packs", "run", "it runs weekly packs: docs/pack.md"},
	{NULL, NULL, NULL},
};

/* " (did you mean 'article'?)" for an unknown command `name` (the nearest command within
 * of_suggest_limit, else a word of command_hints), or "" when nothing is near. Into `out`. */
static const char *suggest_command(char *out, size_t n, const char *name)
{
	const char *names[16], *best;
	size_t k = 0;
	out[0] = '\0';
	for (int i = 0; commands[i] && k < 14; i++)
		names[k++] = commands[i]->name;
	names[k++] = "help";
	names[k++] = "version";
	for (int i = 0; command_hints[i].word; i++)
		if (strcmp(name, command_hints[i].word) == 0) {
			snprintf(out, n, " (did you mean '%s'? %s)", command_hints[i].command, command_hints[i].why);
			return out;
		}
	if ((best = of_suggest_nearest(name, names, k)) != NULL)
		snprintf(out, n, " (did you mean '%s'?)", best);
	return out;
}

/* Ctrl-C or a CI timeout must not leave partial outputs: unlink every open
 * temporary file, then die of the same signal so the caller sees it. */
static void on_fatal_signal(int sig)
{
	of_atomic_cleanup_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* Over a file-size limit (ulimit -f), write() then fails with EFBIG and the
	 * error path reports it, instead of the process being killed mid-file. */
	signal(SIGXFSZ, SIG_IGN);
}

/* Started with stdin, stdout or stderr closed (`>&-`), the next file opened
 * would take that number and receive the events or log lines: the pack's lock
 * file did. They are pointed at /dev/null first. */
static void open_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
			if (n >= 0 && n != fd) { /* lower numbers are open now: n is fd */
				dup2(n, fd);
				close(n);
			}
		}
}

/* What was written to stdout (--json events, help) must have arrived: a full
 * disk or a closed pipe is a failure, not a silent exit 0. */
static int finish_stdout(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			fprintf(stderr, "onefish: cannot write to standard output: %s\n", strerror(errno));
		return rc == OF_EXIT_OK ? OF_EXIT_FAIL : rc;
	}
	return rc;
}

/* An unknown command, with the nearest one: on stderr, and with --json as a usage_error
 * event too. Returns OF_EXIT_USAGE. */
static int unknown_command(int argc, char **argv, const char *name)
{
	char msg[512], hint[160];
	suggest_command(hint, sizeof hint, name);
	fprintf(stderr, "onefish: unknown command '%s'%s\n(see 'onefish --help')\n", name, hint);
	if (of_cli_wants_json(argc, argv)) {
		snprintf(msg, sizeof msg, "unknown command '%s'%s", name, hint);
		of_cli_usage_event(NULL, msg);
	}
	return finish_stdout(OF_EXIT_USAGE);
}

int main(int argc, char **argv)
{
	const of_command *cmd;
	of_cli_args args;
	int rc;

	open_std_fds();
	if (argc < 2) {
		print_help(stderr);
		return OF_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("onefish %s\n", of_version());
		return OF_EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_help(stdout);
		return OF_EXIT_OK;
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc < 3) {
			print_help(stdout);
			return OF_EXIT_OK;
		}
		/* "help help" or "help --help": what help itself does */
		if (strcmp(argv[2], "help") == 0 || strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) {
			fputs("usage: onefish help [COMMAND]\n"
			      "\nWithout COMMAND, lists the commands; with one, prints its usage and options\n"
			      "(the same as 'onefish COMMAND --help').\n"
			      "\nexample: onefish help run\n",
			      stdout);
			return OF_EXIT_OK;
		}
		if (!(cmd = find(argv[2])))
			return unknown_command(argc, argv, argv[2]);
		fputs(cmd->usage, stdout);
		return OF_EXIT_OK;
	}
	if (!(cmd = find(argv[1])))
		return unknown_command(argc, argv, argv[1]);
	rc = of_cli_parse(cmd, argc - 1, argv + 1, &args);
	if (rc == 1)
		return OF_EXIT_OK;
	if (rc != 0)
		return rc;
	of_cli_setup_output(&args);
	install_signals();
	return finish_stdout(cmd->run(&args));
}
