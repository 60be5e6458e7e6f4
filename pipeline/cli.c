/* cli.c — option parsing, output modes (progress bar, plain, JSON, quiet), exit codes. */
#include "cli.h"
#include "signals.h"
#include "suggest.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/log.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- parsing ---- */

enum {
	K_OUT = 'o', K_JOBS = 'j', K_HELP = 'h', K_QUIET = 'q',
	K_STRICT = 256, K_JSON, K_CONFIG, K_SINCE, K_UNTIL, K_DURATION, K_PRESET, K_TOP, K_FORMAT,
	K_SHARD, K_FORCE, K_ENGINE, K_DRYRUN, K_PREVIEW, K_NO_ISOLATE
};

static const struct {
	struct option opt;
	unsigned bit; /* 0 = global */
} table[] = {
	{{"out", required_argument, NULL, K_OUT}, OF_OPT_OUT},
	{{"since", required_argument, NULL, K_SINCE}, OF_OPT_SINCE},
	{{"until", required_argument, NULL, K_UNTIL}, OF_OPT_UNTIL},
	{{"duration", required_argument, NULL, K_DURATION}, OF_OPT_DURATION},
	{{"preset", required_argument, NULL, K_PRESET}, OF_OPT_PRESET},
	{{"top", required_argument, NULL, K_TOP}, OF_OPT_TOP},
	{{"format", required_argument, NULL, K_FORMAT}, OF_OPT_FORMAT},
	{{"jobs", required_argument, NULL, K_JOBS}, OF_OPT_JOBS},
	{{"shard", required_argument, NULL, K_SHARD}, OF_OPT_SHARD},
	{{"force", no_argument, NULL, K_FORCE}, OF_OPT_FORCE},
	{{"engine", required_argument, NULL, K_ENGINE}, OF_OPT_ENGINE},
	{{"dry-run", no_argument, NULL, K_DRYRUN}, OF_OPT_DRYRUN},
	{{"preview", no_argument, NULL, K_PREVIEW}, OF_OPT_PREVIEW},
	{{"strict", no_argument, NULL, K_STRICT}, 0},
	{{"no-isolate", no_argument, NULL, K_NO_ISOLATE}, 0},
	{{"json", no_argument, NULL, K_JSON}, 0},
	{{"quiet", no_argument, NULL, K_QUIET}, 0},
	{{"config", required_argument, NULL, K_CONFIG}, 0},
	{{"help", no_argument, NULL, K_HELP}, 0},
};
#define N_TABLE (sizeof table / sizeof table[0])

/* --json was asked for: set before the options are parsed, so a usage error met
 * before (or instead of) --json itself still reaches a CI consumer as an event. */
static int g_usage_json;

int of_cli_wants_json(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--json") == 0)
			return 1;
	return 0;
}

void of_cli_usage_event(const char *command, const char *message)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:i}", "event", "usage_error", "level", "error", "command",
			      command ? command : "", "message", message, "exit", OF_EXIT_USAGE);
	char *s;
	if (o && !command) /* before any command was found: "unknown command 'x'" */
		json_object_del(o, "command");
	s = o ? of_json_dump_line(o) : NULL;
	if (s) {
		fprintf(stdout, "%s\n", s);
		fflush(stdout);
	}
	free(s);
	json_decref(o);
}

int of_cli_usage_error(const of_command *cmd, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "onefish %s: %s\n(see 'onefish %s --help')\n", cmd->name, msg, cmd->name);
	if (g_usage_json)
		of_cli_usage_event(cmd->name, msg);
	return OF_EXIT_USAGE;
}

static int parse_double(const char *s, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(d))
		return -1;
	*out = d;
	return 0;
}

static int parse_int(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < -2147483647L || v > 2147483647L)
		return -1;
	*out = (int)v;
	return 0;
}

/* An unknown option `arg` ("--froce", "--sinse=2026-11-16", "-x"): a usage error naming it, with
 * the nearest option `cmd` takes (the measure of the config's "did you mean"), or, for an option
 * of another command, that this one does not take it. */
static int unknown_option(const of_command *cmd, const struct option *longopts, size_t n, const char *arg)
{
	char name[64];
	const char *names[N_TABLE], *best;
	if (strncmp(arg, "--", 2) != 0 || !arg[2])
		return of_cli_usage_error(cmd, "unknown option '%s'", arg);
	snprintf(name, sizeof name, "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
	for (size_t i = 0; i < n; i++)
		names[i] = longopts[i].name;
	if ((best = of_suggest_nearest(name, names, n)) != NULL)
		return of_cli_usage_error(cmd, "unknown option '--%s' (did you mean '--%s'?)", name, best);
	for (size_t i = 0; i < N_TABLE; i++)
		if (strcmp(table[i].opt.name, name) == 0)
			return of_cli_usage_error(cmd, "'--%s' is not an option of %s", name, cmd->name);
	/* getopt takes a unique prefix (--pres for --preset); one of two options is refused as unknown */
	char both[160] = "";
	for (size_t i = 0, k = 0; i < n; i++)
		if (strncmp(names[i], name, strlen(name)) == 0)
			snprintf(both + strlen(both), sizeof both - strlen(both), "%s--%s", k++ ? " or " : "", names[i]);
	if (strstr(both, " or "))
		return of_cli_usage_error(cmd, "option '--%s' is ambiguous: %s", name, both);
	return of_cli_usage_error(cmd, "unknown option '--%s'", name);
}

int of_cli_parse(const of_command *cmd, int argc, char **argv, of_cli_args *out)
{
	struct option longopts[N_TABLE + 1];
	char shortopts[16] = "+";
	size_t n = 0;
	int c;

	memset(out, 0, sizeof *out);
	out->command = cmd->name;
	g_usage_json = of_cli_wants_json(argc, argv);
	for (size_t i = 0; i < N_TABLE; i++)
		if (!table[i].bit || (cmd->options & table[i].bit))
			longopts[n++] = table[i].opt;
	memset(&longopts[n], 0, sizeof longopts[n]);
	/* "+" is not used: options may follow positional arguments. */
	/* a leading ':' makes getopt say ':' for a missing value, not '?' (unknown option) */
	snprintf(shortopts, sizeof shortopts, ":%s%sqh", (cmd->options & OF_OPT_OUT) ? "o:" : "",
		 (cmd->options & OF_OPT_JOBS) ? "j:" : "");
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case K_OUT:
			if (!*optarg) /* "" would write into the current folder */
				return of_cli_usage_error(cmd, "-o needs a folder name, not an empty string");
			out->out_dir = optarg;
			break;
		case K_SINCE: out->since = optarg; break;
		case K_UNTIL: out->until = optarg; break;
		case K_PRESET:
			if (strcmp(optarg, "vertical") && strcmp(optarg, "landscape") && strcmp(optarg, "square"))
				return of_cli_usage_error(cmd, "--preset must be vertical, landscape or square, not '%s'", optarg);
			out->preset = optarg;
			break;
		case K_FORMAT:
			if (strcmp(optarg, "auto") && strcmp(optarg, "bilibili") && strcmp(optarg, "youtube") &&
			    strcmp(optarg, "irc") && strcmp(optarg, "csv") && strcmp(optarg, "jsonl") && strcmp(optarg, "xlsx"))
				return of_cli_usage_error(
					cmd, "--format must be auto, bilibili, youtube, irc, csv, jsonl or xlsx, not '%s'", optarg);
			out->format = optarg;
			break;
		case K_ENGINE:
			if (strcmp(optarg, "offline") && strcmp(optarg, "llm"))
				return of_cli_usage_error(cmd, "--engine must be offline or llm, not '%s'", optarg);
			out->engine = optarg;
			break;
		case K_SHARD: {
			int i = -1, nn = 0;
			char *slash = strchr(optarg, '/');
			if (!slash)
				return of_cli_usage_error(cmd, "--shard must be I/N (e.g. 0/4), not '%s'", optarg);
			*slash = '\0';
			int bad = parse_int(optarg, &i) || parse_int(slash + 1, &nn) || nn < 1 || i < 0 || i >= nn;
			*slash = '/';
			/* 4/4 is the natural guess of someone counting from 1: say how they count */
			if (bad && i == nn && nn == 1)
				return of_cli_usage_error(cmd, "--shard must be I/N with 0 <= I < N, not '%s': shards count "
							  "from 0: use 0/1", optarg);
			if (bad && i == nn && nn > 1)
				return of_cli_usage_error(cmd, "--shard must be I/N with 0 <= I < N, not '%s': shards count "
							  "from 0: use 0/%d %s %d/%d", optarg, nn, nn == 2 ? "or" : "…", nn - 1, nn);
			if (bad)
				return of_cli_usage_error(cmd, "--shard must be I/N with 0 <= I < N (shards count from 0), "
							  "not '%s'", optarg);
			out->shard = optarg;
			break;
		}
		case K_DURATION: /* the range of script.duration and of the library: limits.h */
			if (parse_double(optarg, &out->duration) || !(out->duration >= OF_MIN_SCRIPT_SECONDS) ||
			    out->duration > OF_MAX_SCRIPT_SECONDS)
				return of_cli_usage_error(cmd, "--duration must be a number of seconds from %d to %d, not '%s'",
							  OF_MIN_SCRIPT_SECONDS, OF_MAX_SCRIPT_SECONDS, optarg);
			break;
		case K_TOP: /* the range of prompts.top */
			if (parse_int(optarg, &out->top) || out->top < 1 || out->top > OF_MAX_PROMPTS_TOP)
				return of_cli_usage_error(cmd, "--top must be a whole number from 1 to %d, not '%s'",
							  OF_MAX_PROMPTS_TOP, optarg);
			break;
		case K_JOBS:
			if (parse_int(optarg, &out->jobs) || out->jobs < 1 || out->jobs > 256)
				return of_cli_usage_error(cmd, "-j must be a whole number from 1 to 256, not '%s'", optarg);
			break;
		case K_FORCE: out->force = 1; break;
		case K_DRYRUN: out->dry_run = 1; break;
		case K_PREVIEW: out->preview = 1; break;
		case K_STRICT: out->strict = 1; break;
		case K_NO_ISOLATE: out->no_isolate = 1; break;
		case K_JSON: out->json = 1; break;
		case K_QUIET: out->quiet = 1; break;
		case K_CONFIG: out->config = optarg; break;
		case K_HELP:
			fputs(cmd->usage, stdout);
			return 1;
		case ':':
			return of_cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
		default:
			return unknown_option(cmd, longopts, n, argv[optind - 1]);
		}
	}
	out->pos = (const char **)(argv + optind);
	out->n_pos = (size_t)(argc - optind);
	return 0;
}

/* ---- output ---- */

typedef struct out_state {
	int json, quiet, tty;
	int bar_shown;
	double start, last_plain;
	double last_done;
	char label[128]; /* what the bar is counting: a stage, or "pack/stage" inside `run` */
} out_state;

static out_state g_out;

void of_cli_json_event(const of_log_record *r, const char *pack, const char *stage, const char *path)
{
	static const char *names[] = {"message", "bad_record", "stage_start", "stage_end", "progress", "summary"};
	static const char *levels[] = {"debug", "info", "warning", "error"};
	json_t *o;
	/* Progress would flood CI logs: every 30th unit and the last one. */
	if (r->event == OF_EV_PROGRESS && r->done < r->total && (int)r->done % 30 != 0)
		return;
	if (!(o = json_object()))
		return;
	json_object_set_new(o, "event", json_string(names[r->event]));
	json_object_set_new(o, "level", json_string(levels[r->level]));
	if (pack)
		json_object_set_new(o, "pack", json_string(pack));
	if (r->stage || stage)
		json_object_set_new(o, "stage", json_string(r->stage ? r->stage : stage));
	if (path || r->path)
		json_object_set_new(o, "file", json_string(path ? path : r->path));
	if (r->line)
		json_object_set_new(o, "line", json_integer((json_int_t)r->line));
	if (r->col)
		json_object_set_new(o, "col", json_integer((json_int_t)r->col));
	if (r->message && r->message[0])
		json_object_set_new(o, "message", json_string(r->message));
	if (r->event == OF_EV_PROGRESS) {
		json_object_set_new(o, "done", json_real(r->done));
		json_object_set_new(o, "total", json_real(r->total));
		if (r->unit)
			json_object_set_new(o, "unit", json_string(r->unit));
	}
	if (r->event == OF_EV_STAGE_END) {
		json_object_set_new(o, "seconds", of_json_seconds(r->seconds));
		json_object_set_new(o, "code", json_integer(r->code));
	}
	char *s = of_json_dump_line(o);
	if (s) {
		fprintf(stdout, "%s\n", s);
		fflush(stdout);
		free(s);
	}
	json_decref(o);
}

void of_cli_clear_bar(void)
{
	if (g_out.bar_shown) {
		fputs("\r\033[K", stderr);
		g_out.bar_shown = 0;
	}
}

void of_cli_progress(const of_log_record *r, const char *label)
{
	double now = of_log_now();
	if (!label)
		label = r->stage ? r->stage : "";
	if (strcmp(g_out.label, label) != 0 || r->done < g_out.last_done) {
		snprintf(g_out.label, sizeof g_out.label, "%s", label);
		g_out.start = now;
		g_out.last_plain = now;
	}
	g_out.last_done = r->done;
	double el = now - g_out.start;
	double rate = el > 0 ? r->done / el : 0;
	double eta = rate > 0 && r->total > r->done ? (r->total - r->done) / rate : 0;
	double frac = r->total > 0 ? r->done / r->total : 0;
	if (frac > 1)
		frac = 1;
	if (g_out.tty) {
		char bar[31];
		int fill = (int)(frac * 30);
		for (int i = 0; i < 30; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[30] = '\0';
		fprintf(stderr, "\r\033[K%-8s [%s] %3.0f%% %.0f/%.0f %s  %.1f %s/s  ETA %d:%02d",
			g_out.label, bar, frac * 100, r->done, r->total, r->unit ? r->unit : "", rate,
			r->unit ? r->unit : "", (int)eta / 60, (int)eta % 60);
		g_out.bar_shown = 1;
		if (r->done >= r->total)
			of_cli_clear_bar();
	} else if (now - g_out.last_plain >= 5.0 || r->done >= r->total) {
		g_out.last_plain = now;
		fprintf(stderr, "%s: %.0f/%.0f %s (%.0f%%, %.1f/s, ETA %ds)\n", g_out.label, r->done, r->total,
			r->unit ? r->unit : "", frac * 100, rate, (int)eta);
	}
}

static void handler(const of_log_record *r, void *payload)
{
	(void)payload;
	if (g_out.json) {
		of_cli_json_event(r, NULL, NULL, NULL);
		return;
	}
	if (r->event == OF_EV_PROGRESS) {
		if (!g_out.quiet)
			of_cli_progress(r, NULL);
		return;
	}
	if (r->level == OF_LOG_DEBUG)
		return;
	if (g_out.quiet && r->level < OF_LOG_WARN)
		return;
	of_cli_clear_bar();
	if (r->event == OF_EV_STAGE_START) {
		fprintf(stderr, "%s: start%s%s\n", r->stage, r->message[0] ? ": " : "", r->message);
		return;
	}
	if (r->event == OF_EV_STAGE_END) {
		fprintf(stderr, "%s: %s in %.2fs\n", r->stage, r->message, r->seconds);
		return;
	}
	const char *prefix = r->level == OF_LOG_WARN ? "warning: " : r->level == OF_LOG_ERROR ? "error: " : "";
	if (r->path && r->line && r->col)
		fprintf(stderr, "%s:%lu:%lu: %s%s\n", r->path, r->line, r->col, prefix, r->message);
	else if (r->path && r->line)
		fprintf(stderr, "%s:%lu: %s%s\n", r->path, r->line, prefix, r->message);
	else if (r->path)
		fprintf(stderr, "%s: %s%s\n", r->path, prefix, r->message);
	else
		fprintf(stderr, "%s%s\n", prefix, r->message);
}

int of_cli_bar_mode(void)
{
	return g_out.tty && !g_out.json && !g_out.quiet;
}

void of_cli_setup_output(const of_cli_args *args)
{
	memset(&g_out, 0, sizeof g_out);
	g_out.json = args->json;
	g_out.quiet = args->quiet;
	g_out.tty = isatty(STDERR_FILENO) && getenv("CI") == NULL;
	of_log_set_handler(handler, NULL);
}

int of_cli_exit_code(int err)
{
	switch (err) {
	case OF_OK: return OF_EXIT_OK;
	case OF_EUSAGE: return OF_EXIT_USAGE;
	case OF_EINTR: return of_signals_caught() ? of_signals_exit_code() : 128 + 2; /* as SIGINT */
	case OF_EINVALID:
	case OF_ENOTFOUND:
	case OF_ELIMIT: return OF_EXIT_BADINPUT;
	default: return OF_EXIT_FAIL;
	}
}

int of_cli_fail(const char *what)
{
	const of_error *e = of_error_last();
	char msg[2300];
	of_error_format(e, msg, sizeof msg);
	of_cli_clear_bar();
	if (g_out.json) {
		of_log_record r = {0};
		r.event = OF_EV_MESSAGE;
		r.level = OF_LOG_ERROR;
		r.stage = what;
		r.path = e->path[0] ? e->path : NULL;
		r.line = e->line;
		r.col = e->col;
		r.message = e->message[0] ? e->message : of_error_name(e->code);
		of_cli_json_event(&r, NULL, NULL, NULL);
	}
	fprintf(stderr, "onefish%s%s: error: %s\n", what ? " " : "", what ? what : "", msg);
	return of_cli_exit_code(e->code ? e->code : OF_ERROR);
}

int of_cli_load_config(of_config **out, const of_cli_args *args, const char *pack_dir)
{
	int rc;
	char *path = NULL;
	*out = NULL;
	if (args->config) {
		rc = of_config_load(out, args->config);
	} else if (pack_dir && (path = of_path_join(pack_dir, "onefish.yaml")) && of_path_is_file(path)) {
		rc = of_config_load(out, path);
	} else {
		rc = of_config_new_empty(out);
	}
	free(path);
	if (rc < 0)
		return of_cli_fail("config");
	return 0;
}

void of_cli_brand(of_brand *b, const of_config *cfg)
{
	b->name = of_config_str(cfg, "brand.name", NULL);
	b->account = of_config_str(cfg, "brand.account", b->name);
	b->color = of_config_str(cfg, "brand.color", OF_BRAND_COLOR_DEFAULT);
	b->slogan = of_config_str(cfg, "brand.slogan", NULL);
	b->audience = of_config_str(cfg, "brand.audience", NULL);
	b->live_title = of_config_str(cfg, "live.title", NULL);
	b->live_time = of_config_str(cfg, "live.time", NULL);
	b->live_platform = of_config_str(cfg, "live.platform", NULL);
	b->live_cta = of_config_str(cfg, "live.cta", NULL);
	b->live_url = of_config_str(cfg, "live.url", NULL);
}

void of_cli_flags(of_run_flags *f, const of_config *cfg, const of_cli_args *args)
{
	const char *engine = args->engine ? args->engine : of_config_str(cfg, "engine", "offline");
	f->strict = args->strict || of_config_bool(cfg, "strict", 0);
	/* worker isolation (SAFE-INPUT decision 2): on unless --no-isolate or limits.isolate: false */
	f->no_isolate = args->no_isolate || !of_config_bool(cfg, "limits.isolate", 1);
	f->parse_cpu_seconds = of_config_num(cfg, "limits.parse_cpu_seconds", 0);
	f->parse_memory_mb = (size_t)of_config_num(cfg, "limits.parse_memory_mb", 0);
	f->engine_llm = strcmp(engine, "llm") == 0;
	f->llm_endpoint = of_config_str(cfg, "llm.endpoint", NULL);
	f->llm_model = of_config_str(cfg, "llm.model", NULL);
	f->llm_api_key_env = of_config_str(cfg, "llm.api_key_env", NULL);
	f->llm_timeout = of_config_num(cfg, "llm.timeout", 60);
	f->llm_max_tokens = (int)of_config_num(cfg, "llm.max_tokens", 2048);
}

void of_cli_summary(const char *stage, const of_stage_stats *st, int code, double seconds)
{
	char msg[512];
	char ph[64] = ""; /* only when there are some: the usual line stays as it was */
	if (st->placeholders) /* among the used and the warnings, said apart: they are in the video */
		snprintf(ph, sizeof ph, ", %zu scene%s with a placeholder image", st->placeholders,
			 st->placeholders == 1 ? "" : "s");
	snprintf(msg, sizeof msg, "%s %s: %zu record%s read, %zu used, %zu bad (skipped), %zu warning%s%s, %.2fs",
		 stage, code ? "failed" : "done", st->records_read, st->records_read == 1 ? "" : "s", st->records_used,
		 st->records_bad, st->warnings, st->warnings == 1 ? "" : "s", ph, seconds);
	if (st->inputs_skipped) /* appended only then: the usual line stays as it was */
		snprintf(msg + strlen(msg), sizeof msg - strlen(msg), ", %zu input file%s skipped", st->inputs_skipped,
			 st->inputs_skipped == 1 ? "" : "s");
	of_log_record r = {0};
	r.event = OF_EV_SUMMARY;
	r.level = code ? OF_LOG_ERROR : OF_LOG_INFO;
	r.stage = stage;
	r.message = msg;
	r.code = code;
	r.seconds = seconds;
	of_log_emit(&r);
}
