/* cli.h — private to pipeline/: option parsing, output handling, exit codes. */
#ifndef ONEFISH_PIPELINE_CLI_H
#define ONEFISH_PIPELINE_CLI_H

#include "onefish/config.h"
#include "onefish/log.h"
#include "onefish/stage.h"

#include <stddef.h>

/** Exit codes of DESIGN.md. */
enum { OF_EXIT_OK = 0, OF_EXIT_FAIL = 1, OF_EXIT_USAGE = 2, OF_EXIT_BADINPUT = 3 };

/** Everything the command line can say; each command reads what it accepts. */
typedef struct of_cli_args {
	const char *command;
	const char **pos; /**< positional arguments (borrowed from argv) */
	size_t n_pos;
	const char *out_dir;
	const char *config;
	const char *since, *until;
	const char *preset;
	const char *format;
	const char *engine;
	const char *shard;
	double duration; /**< 0 = unset */
	int top;         /**< 0 = unset */
	int jobs;        /**< 0 = unset */
	int strict, json, quiet, force, dry_run, preview;
	int no_isolate; /**< --no-isolate: parse inputs in-process (debugging, valgrind) */
} of_cli_args;

/* Option bits a command accepts beyond the global ones (--strict --json --quiet --config --help). */
enum {
	OF_OPT_OUT = 1 << 0,
	OF_OPT_SINCE = 1 << 1,
	OF_OPT_UNTIL = 1 << 2,
	OF_OPT_DURATION = 1 << 3,
	OF_OPT_PRESET = 1 << 4,
	OF_OPT_TOP = 1 << 5,
	OF_OPT_FORMAT = 1 << 6,
	OF_OPT_JOBS = 1 << 7,
	OF_OPT_SHARD = 1 << 8,
	OF_OPT_FORCE = 1 << 9,
	OF_OPT_ENGINE = 1 << 10,
	OF_OPT_DRYRUN = 1 << 11,
	OF_OPT_PREVIEW = 1 << 12
};

/** A subcommand. */
typedef struct of_command {
	const char *name;
	const char *summary;
	const char *usage; /**< full --help text */
	unsigned options;  /**< OF_OPT_* bits */
	int (*run)(const of_cli_args *args);
} of_command;

extern const of_command of_cmd_article, of_cmd_script, of_cmd_video, of_cmd_prompts, of_cmd_run,
	of_cmd_review, of_cmd_check;

/**
 * Parses argv for `cmd`. Returns 0, 1 when --help was printed (exit 0), or
 * OF_EXIT_USAGE after printing a usage error.
 */
int of_cli_parse(const of_command *cmd, int argc, char **argv, of_cli_args *out);

/** Installs the log handler for these flags (progress bar, plain, JSON, quiet). */
void of_cli_setup_output(const of_cli_args *args);

/**
 * Shows one progress record: a bar with rate and ETA on a terminal, a plain line
 * every 5 s otherwise. `label` (may be NULL: the record's stage) names what is counted.
 */
void of_cli_progress(const of_log_record *r, const char *label);

/** Erases a progress bar left on the terminal, before other output. */
void of_cli_clear_bar(void);

/** Non-zero when progress is drawn as a bar (stderr is a terminal, not CI). */
int of_cli_bar_mode(void);

/** Prints the last error (file:line:col: message) and returns the exit code it maps to. */
int of_cli_fail(const char *what);

/**
 * Prints one event as a JSON line on stdout (--json). `pack` (may be NULL) is
 * added, `stage` is used when the record has none, `path` replaces the record's
 * file when non-NULL. Progress is thinned to every 30th unit. All borrowed.
 */
void of_cli_json_event(const of_log_record *r, const char *pack, const char *stage, const char *path);

/** Exit code for an of_err code; OF_EINTR: 128 + the signal caught (130 SIGINT, 143 SIGTERM). */
int of_cli_exit_code(int err);

/** Non-zero when argv (before a "--") holds --json: for usage errors found before parsing. */
int of_cli_wants_json(int argc, char **argv);

/** Prints a `usage_error` event (`command`, `message`, `exit` 2) as a JSON line on stdout. Borrowed. */
void of_cli_usage_event(const char *command, const char *message);

/**
 * Prints "usage error" + hint on stderr and returns OF_EXIT_USAGE; with --json on the
 * command line (see of_cli_parse) also a `usage_error` event on stdout, so CI sees why.
 */
int of_cli_usage_error(const of_command *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * Loads the config: `args->config` if given, else `<pack_dir>/onefish.yaml` if
 * it exists, else an empty config. Prints the error on failure and returns the exit code.
 */
int of_cli_load_config(of_config **out, const of_cli_args *args, const char *pack_dir);

/** Fills brand facts and run flags from the config and args (strings borrowed from cfg). */
void of_cli_brand(of_brand *brand, const of_config *cfg);
void of_cli_flags(of_run_flags *flags, const of_config *cfg, const of_cli_args *args);

/** Prints a one-line summary of a stage's stats (respects --quiet/--json). */
void of_cli_summary(const char *stage, const of_stage_stats *st, int code, double seconds);

#endif
