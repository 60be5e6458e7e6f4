/* main.c — the onefish command: dispatch to subcommands. */
#include "cli.h"
#include "onefish/version.h"

#include <stdio.h>
#include <string.h>

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
		"\nglobal options: --strict --json --quiet --config FILE --help\n"
		"exit status: 0 ok, 1 failure, 2 wrong usage, 3 bad input\n"
		"Run 'onefish help COMMAND' for a command's options.\n");
}

static const of_command *find(const char *name)
{
	for (int i = 0; commands[i]; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const of_command *cmd;
	of_cli_args args;
	int rc;

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
		if (!(cmd = find(argv[2]))) {
			fprintf(stderr, "onefish: unknown command '%s'\n", argv[2]);
			return OF_EXIT_USAGE;
		}
		fputs(cmd->usage, stdout);
		return OF_EXIT_OK;
	}
	if (!(cmd = find(argv[1]))) {
		fprintf(stderr, "onefish: unknown command '%s' (see 'onefish --help')\n", argv[1]);
		return OF_EXIT_USAGE;
	}
	rc = of_cli_parse(cmd, argc - 1, argv + 1, &args);
	if (rc == 1)
		return OF_EXIT_OK;
	if (rc != 0)
		return rc;
	of_cli_setup_output(&args);
	return cmd->run(&args);
}
