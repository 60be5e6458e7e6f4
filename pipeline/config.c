/* config.c — onefish.yaml through libyaml's event parser, validated against
 * of_config_schema. The tree is flat: dotted keys to scalar or list values. */
#include "onefish/config.h"
#include "suggest.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/post.h"
#include "onefish/utf8.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* No schema key comes near this; longer keys are refused before joining. */
#define OF_CONFIG_MAX_KEY 200

typedef struct entry {
	char *key;
	char **items; /* one item for a scalar */
	size_t n_items;
	int is_list;
	unsigned long line, col;
} entry;

struct of_config {
	entry *entries;
	size_t n, cap;
	char *origin;
	char *dir;
};

static const of_config_key *schema_find(const char *key)
{
	for (const of_config_key *k = of_config_schema; k->key; k++)
		if (strcmp(k->key, key) == 0)
			return k;
	return NULL;
}

size_t of_config_edit_distance(const char *a, const char *b)
{
	return of_suggest_distance(a, b);
}

/* Words people write that are no key, and the key that does their job. */
static const struct {
	const char *section, *word, *key, *why;
} hints[] = {
	{"video", "width", "video.preset", "it sets the frame size: vertical, landscape or square"},
	{"video", "height", "video.preset", "it sets the frame size: vertical, landscape or square"},
	{"video", "resolution", "video.preset", "it sets the frame size: vertical, landscape or square"},
	{"video", "size", "video.preset", "it sets the frame size: vertical, landscape or square"},
	{NULL, NULL, NULL, NULL},
};

/* " (did you mean 'video.preset'?)" for the unknown `leaf` under `section` ("" at the top),
 * or "" when no key is near: the nearest key of the same section within of_suggest_limit(),
 * else a word of `hints` (video.width → video.preset), else the one key of another
 * section whose own name is one edit away (`duration` under video → script.duration).
 * Written into `out`. */
static const char *suggest(char *out, size_t n, const char *section, const char *leaf)
{
	const char *best = NULL, *other = NULL;
	size_t best_d = (size_t)-1, other_d = (size_t)-1, slen = strlen(section), limit = of_suggest_limit(leaf);
	int other_tie = 0;
	out[0] = '\0';
	for (const of_config_key *k = of_config_schema; k->key; k++) {
		const char *dot = strrchr(k->key, '.'), *name = dot ? dot + 1 : k->key;
		int same = slen ? strncmp(k->key, section, slen) == 0 && k->key[slen] == '.' && !strchr(k->key + slen + 1, '.')
				: !dot;
		size_t d = of_suggest_distance(leaf, name);
		if (same && d < best_d) {
			best_d = d;
			best = k->key;
		} else if (!same && k->type != OF_CFG_MAP && d <= other_d) {
			other_tie = d == other_d;
			other_d = d;
			other = k->key;
		}
	}
	if (best && best_d <= limit) {
		snprintf(out, n, " (did you mean '%s'?)", best);
		return out;
	}
	for (int i = 0; hints[i].word; i++)
		if (strcmp(section, hints[i].section) == 0 && of_suggest_distance(leaf, hints[i].word) <= limit) {
			snprintf(out, n, " (did you mean '%s'? %s)", hints[i].key, hints[i].why);
			return out;
		}
	if (other && other_d <= 1 && !other_tie)
		snprintf(out, n, " (did you mean '%s'?)", other);
	return out;
}

static entry *find_entry(const of_config *cfg, const char *key)
{
	for (size_t i = 0; i < cfg->n; i++)
		if (strcmp(cfg->entries[i].key, key) == 0)
			return &cfg->entries[i];
	return NULL;
}

static int add_entry(of_config *cfg, const char *key, unsigned long line, unsigned long col, entry **out)
{
	if (cfg->n == cfg->cap) {
		size_t cap = cfg->cap ? cfg->cap * 2 : 32;
		entry *e = realloc(cfg->entries, cap * sizeof *e);
		if (!e)
			return of_error_set_oom();
		cfg->entries = e;
		cfg->cap = cap;
	}
	entry *e = &cfg->entries[cfg->n];
	memset(e, 0, sizeof *e);
	e->key = strdup(key);
	if (!e->key)
		return of_error_set_oom();
	e->line = line;
	e->col = col;
	cfg->n++;
	*out = e;
	return 0;
}

/* Forgets the entry add_entry made last. */
static void drop_last(of_config *cfg)
{
	entry *e = &cfg->entries[--cfg->n];
	for (size_t j = 0; j < e->n_items; j++)
		free(e->items[j]);
	free(e->items);
	free(e->key);
	memset(e, 0, sizeof *e);
}

static int add_item(entry *e, const char *s)
{
	char **items = realloc(e->items, (e->n_items + 1) * sizeof *items);
	if (!items)
		return of_error_set_oom();
	e->items = items;
	if (!(items[e->n_items] = strdup(s)))
		return of_error_set_oom();
	e->n_items++;
	return 0;
}

static int is_null_scalar(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	return ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!v[0] || strcmp(v, "~") == 0 || strcmp(v, "null") == 0);
}

/* Reads `n` ASCII digits of `s`; -1 when one is not a digit. */
static long fixed_digits(const char *s, int n)
{
	long v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Week and time values are checked here, with the same parsers the stages use
 * later, so `check` and `run` refuse the same files with the same message. */
static int check_week(const char *o, const of_config_key *k, const entry *e, const char *v)
{
	long long a, b;
	if (of_post_parse_iso_week(v, &a, &b) == 0)
		return 0;
	long y = fixed_digits(v, 4);
	if (y >= 1970 && v[4] == '-' && (v[5] == 'W' || v[5] == 'w') && fixed_digits(v + 6, 2) >= 0 && !v[8]) {
		char w53[32];
		snprintf(w53, sizeof w53, "%04ld-W53", y);
		return of_error_set_at(OF_EINVALID, o, e->line, e->col, "'%s' is '%s', but %ld has ISO weeks 1..%d",
				       k->key, v, y, of_post_parse_iso_week(w53, &a, &b) == 0 ? 53 : 52);
	}
	return of_error_set_at(OF_EINVALID, o, e->line, e->col,
			       "'%s' must be an ISO week like 2026-W47 (year 1970 or later), got '%s'", k->key, v);
}

static int check_time(const char *o, const of_config_key *k, const entry *e, const char *v)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	long long t;
	if (of_post_parse_time(v, &t, NULL) == 0)
		return 0;
	long y = fixed_digits(v, 4), m = -1, d = -1;
	if (y >= 0 && v[4] == '-' && (m = fixed_digits(v + 5, 2)) >= 0 && v[7] == '-' && (d = fixed_digits(v + 8, 2)) >= 0 &&
	    m >= 1 && m <= 12 && y >= 1970) {
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		int days = m == 2 ? 28 + leap : dm[m - 1];
		if (d < 1 || d > days)
			return of_error_set_at(OF_EINVALID, o, e->line, e->col,
					       "'%s' is '%s', but %04ld-%02ld has no day %ld (it has %d days)", k->key, v,
					       y, m, d, days);
	}
	return of_error_set_at(OF_EINVALID, o, e->line, e->col,
			       "'%s' must be a real date or date-time in ISO 8601 (2026-11-26 or 2026-11-26T20:00:00+08:00; "
			       "hours 00-23, year 1970 or later), got '%s'",
			       k->key, v);
}

/* The value ends up inside HTML attributes and is fetched by other people's
 * editors, so only a plain http(s) URL with a host passes: no other scheme,
 * no spaces, quotes, angle brackets or control characters. */
static int check_url(const char *o, const of_config_key *k, const entry *e, const char *v)
{
	size_t skip = strncmp(v, "https://", 8) == 0 ? 8 : strncmp(v, "http://", 7) == 0 ? 7 : 0;
	int ok = skip && v[skip] && v[skip] != '/';
	for (const unsigned char *p = (const unsigned char *)v; ok && *p; p++)
		ok = *p > 0x20 && *p != 0x7F && !strchr("\"'<>`\\", *p);
	if (ok)
		return 0;
	return of_error_set_at(OF_EINVALID, o, e->line, e->col,
			       "'%s' must be an http(s) URL such as https://cdn.example.com/week-47/ "
			       "(no spaces or quotes), got '%s'",
			       k->key, v);
}

static int check_value(const of_config *cfg, const of_config_key *k, const entry *e)
{
	const char *v = e->items[0];
	const char *o = cfg->origin;
	char *end;
	if (k->type == OF_CFG_INT || k->type == OF_CFG_NUMBER) {
		errno = 0;
		double d = k->type == OF_CFG_INT ? (double)strtoll(v, &end, 10) : strtod(v, &end);
		if (end == v || *end || errno || !isfinite(d))
			return of_error_set_at(OF_EINVALID, o, e->line, e->col, "'%s' must be %s, got '%s'", k->key,
					       k->type == OF_CFG_INT ? "a whole number" : "a number", v);
		if (k->min < k->max && (d < k->min || d > k->max))
			return of_error_set_at(OF_EINVALID, o, e->line, e->col, "'%s' is %s, outside %g..%g", k->key,
					       v, k->min, k->max);
	} else if (k->type == OF_CFG_BOOL) {
		static const char *ok[] = {"true", "false", "yes", "no", "on", "off", NULL};
		int found = 0;
		for (int i = 0; ok[i]; i++)
			found |= strcmp(v, ok[i]) == 0;
		if (!found)
			return of_error_set_at(OF_EINVALID, o, e->line, e->col, "'%s' must be true or false, got '%s'",
					       k->key, v);
	} else if (k->type == OF_CFG_WEEK) {
		return check_week(o, k, e, v);
	} else if (k->type == OF_CFG_TIME) {
		return check_time(o, k, e, v);
	} else if (k->type == OF_CFG_URL) {
		return check_url(o, k, e, v);
	} else if (k->type == OF_CFG_COLOR) {
		int ok = strlen(v) == 7 && v[0] == '#';
		for (int i = 1; ok && i < 7; i++)
			ok = isxdigit((unsigned char)v[i]) != 0;
		if (!ok) /* written into the WeChat HTML's CSS and the video's title card */
			return of_error_set_at(OF_EINVALID, o, e->line, e->col, "'%s' must be a colour #RRGGBB, got '%s'",
					       k->key, v);
	} else if (k->type == OF_CFG_STRING && k->max > 0 && of_utf8_count(v, strlen(v)) > (size_t)k->max) {
		return of_error_set_at(OF_EINVALID, o, e->line, e->col, "'%s' is %zu characters, at most %g allowed",
				       k->key, of_utf8_count(v, strlen(v)), k->max);
	} else if (k->type == OF_CFG_STRING && k->choices) {
		size_t n = strlen(v);
		const char *c = k->choices;
		while (c) {
			const char *bar = strchr(c, '|');
			size_t len = bar ? (size_t)(bar - c) : strlen(c);
			if (len == n && strncmp(c, v, n) == 0)
				return 0;
			c = bar ? bar + 1 : NULL;
		}
		return of_error_set_at(OF_EINVALID, o, e->line, e->col, "'%s' must be one of %s, got '%s'", k->key,
				       k->choices, v);
	}
	return 0;
}

/* The dotted key of `leaf` under `section`. Keys are capped at OF_CONFIG_MAX_KEY
 * bytes when read, so this never truncates; if it did, the result matches no
 * schema key and is reported as unknown. */
static void join_key(char *full, size_t size, const char *section, const char *leaf)
{
	int n = snprintf(full, size, "%s%s%s", section, section[0] ? "." : "", leaf);
	if (n < 0 || (size_t)n >= size)
		full[0] = '\0';
}

static int parse_error(const yaml_parser_t *p, const char *origin, const char *data, size_t len)
{
	unsigned long line = p->problem_mark.line + 1, col = p->problem_mark.column + 1;
	if (p->error == YAML_MEMORY_ERROR)
		return of_error_set_oom();
	if (p->error == YAML_READER_ERROR) {
		/* Reader errors (bad UTF-8, control characters) carry a byte offset, not a mark. */
		line = 1;
		col = 1;
		for (size_t i = 0; i < p->problem_offset && i < len; i++) {
			if (data[i] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)data[i] & 0xC0) != 0x80) {
				col++;
			}
		}
		return of_error_set_at(OF_EINVALID, origin, line, col, "YAML: %s (byte 0x%02X)",
				       p->problem ? p->problem : "bad input", (unsigned)(p->problem_value & 0xFF));
	}
	if (p->context)
		return of_error_set_at(OF_EINVALID, origin, line, col, "YAML: %s %s", p->problem ? p->problem : "error",
				       p->context);
	return of_error_set_at(OF_EINVALID, origin, line, col, "YAML: %s", p->problem ? p->problem : "syntax error");
}

/* The config errors of one file: every bad key and value is reported, not only
 * the first, so one `check` names all there is to fix. */
#define MAX_CONFIG_ERRORS 50

typedef struct errors {
	of_error *e;
	size_t n, more; /* more: past MAX_CONFIG_ERRORS, counted only */
} errors;

/* Keeps the thread's last error in `errs`; 0, or OF_ENOMEM. */
static int keep_error(errors *errs)
{
	if (errs->n >= MAX_CONFIG_ERRORS) {
		errs->more++;
		return 0;
	}
	if (!errs->e && !(errs->e = calloc(MAX_CONFIG_ERRORS, sizeof *errs->e)))
		return of_error_set_oom();
	errs->e[errs->n++] = *of_error_last();
	return 0;
}

/* One error: it is the error, as before. More: each is logged with its place
 * (file:line:col, in file order), and the error says how many. A failure that
 * stopped the reading (rc < 0) comes last, as the error. Frees `errs`. */
static int report_errors(errors *errs, int rc, const char *origin)
{
	size_t total = errs->n + errs->more;
	if (rc == 0 && errs->n == 1) {
		of_error e = errs->e[0];
		rc = of_error_set_at(e.code, e.path, e.line, e.col, "%s", e.message);
	} else if (errs->n) {
		of_error last = *of_error_last();
		/* a file read again (the pack's name, then its run) names its errors once */
		static uint64_t said[16];
		static size_t n_said;
		uint64_t h = 1469598103934665603ULL;
		for (size_t i = 0; i < errs->n; i++) {
			const of_error *e = &errs->e[i];
			for (const char *c = e->path; *c; c++)
				h = (h ^ (unsigned char)*c) * 1099511628211ULL;
			for (const char *c = e->message; *c; c++)
				h = (h ^ (unsigned char)*c) * 1099511628211ULL;
			h = (h ^ e->line) * 1099511628211ULL;
		}
		int again = 0;
		for (size_t i = 0; i < n_said && i < 16 && !again; i++)
			again = said[i] == h;
		if (!again)
			said[n_said++ % 16] = h;
		for (size_t i = 0; i < errs->n && !again; i++) {
			of_log_record r = {0};
			r.event = OF_EV_MESSAGE;
			r.level = OF_LOG_ERROR;
			r.path = errs->e[i].path[0] ? errs->e[i].path : NULL;
			r.line = errs->e[i].line;
			r.col = errs->e[i].col;
			r.message = errs->e[i].message;
			of_log_emit(&r);
		}
		if (rc < 0)
			rc = of_error_set_at(last.code, last.path, last.line, last.col, "%s", last.message);
		else
			rc = of_error_set_at(OF_EINVALID, origin, 0, 0, "%zu errors in the config%s", total,
					     errs->more ? " (the first 50 are named above)" : " (each is named above)");
	}
	free(errs->e);
	errs->e = NULL;
	return rc;
}

int of_config_parse(of_config **out, const char *data, size_t len, const char *origin)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	of_config *cfg = NULL;
	int rc = 0, done = 0, have_ev = 0, soft = 0;
	int skip = 0;          /* > 0 inside a list or section already reported: its events are passed over */
	errors errs = {0};
	char section[512] = "";
	int depth = 0;         /* mapping depth: 1 = top, 2 = a section */
	char *pending = NULL;  /* key waiting for its value */
	entry *list = NULL;    /* sequence being filled */
	unsigned long key_line = 0, key_col = 0;

	*out = NULL;
	if ((rc = of_config_new_empty(&cfg)) < 0)
		return rc;
	free(cfg->origin);
	free(cfg->dir);
	cfg->origin = strdup(origin);
	cfg->dir = of_path_dirname(origin);
	if (!cfg->origin || !cfg->dir) {
		of_config_free(cfg);
		return of_error_set_oom();
	}
	if (!yaml_parser_initialize(&parser)) {
		of_config_free(cfg);
		return of_error_set_oom();
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);

	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = parse_error(&parser, origin, data, len);
			break;
		}
		have_ev = 1;
		unsigned long line = ev.start_mark.line + 1, col = ev.start_mark.column + 1;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_ALIAS_EVENT:
			rc = of_error_set_at(OF_EINVALID, origin, line, col, "YAML aliases (*name) are not allowed in onefish.yaml");
			break;
		case YAML_MAPPING_START_EVENT:
			if (skip) {
				if (++skip > OF_MAX_YAML_DEPTH)
					rc = of_error_set_at(OF_EINVALID, origin, line, col, "nesting too deep");
			} else if (list) {
				rc = of_error_set_at(OF_EINVALID, origin, line, col, "'%s' must be a list of strings", list->key);
				soft = skip = 1;
			} else if (depth == 0) {
				depth = 1;
			} else if (!pending) {
				rc = of_error_set_at(OF_EINVALID, origin, line, col, "a mapping cannot be a key");
			} else {
				char full[512];
				join_key(full, sizeof full, section, pending);
				const of_config_key *k = schema_find(full);
				if (!k || k->type != OF_CFG_MAP) {
					char hint[300];
					if (k)
						rc = of_error_set_at(OF_EINVALID, origin, key_line, key_col,
								     "'%s' takes a value, not a section", full);
					else
						rc = of_error_set_at(OF_EINVALID, origin, key_line, key_col, "unknown section '%s'%s",
								     full, suggest(hint, sizeof hint, section, pending));
					soft = skip = 1;
				} else if (depth >= 2 || depth + 1 > OF_MAX_YAML_DEPTH) {
					rc = of_error_set_at(OF_EINVALID, origin, line, col, "nesting too deep");
					soft = skip = 1;
				} else if (find_entry(cfg, full)) {
					rc = of_error_set_at(OF_EINVALID, origin, key_line, key_col, "duplicate key '%s'", full);
					soft = skip = 1;
				} else {
					entry *e;
					if ((rc = add_entry(cfg, full, key_line, key_col, &e)) == 0) {
						snprintf(section, sizeof section, "%s", full);
						depth++;
					}
				}
				free(pending);
				pending = NULL;
			}
			break;
		case YAML_MAPPING_END_EVENT:
			if (skip) {
				skip--;
				break;
			}
			depth--;
			if (depth == 1)
				section[0] = '\0';
			break;
		case YAML_SEQUENCE_START_EVENT:
			if (skip) {
				if (++skip > OF_MAX_YAML_DEPTH)
					rc = of_error_set_at(OF_EINVALID, origin, line, col, "nesting too deep");
			} else if (depth == 0 || !pending || list) {
				rc = of_error_set_at(OF_EINVALID, origin, line, col,
						     depth == 0 ? "onefish.yaml must be a mapping of keys" : "unexpected list");
				break;
			} else {
				char full[512];
				join_key(full, sizeof full, section, pending);
				const of_config_key *k = schema_find(full);
				if (!k) {
					char hint[300];
					rc = of_error_set_at(OF_EINVALID, origin, key_line, key_col, "unknown key '%s'%s", full,
							     suggest(hint, sizeof hint, section, pending));
					soft = skip = 1;
				} else if (k->type != OF_CFG_STRING_LIST) {
					rc = of_error_set_at(OF_EINVALID, origin, key_line, key_col, "'%s' does not take a list", full);
					soft = skip = 1;
				} else if (find_entry(cfg, full)) {
					rc = of_error_set_at(OF_EINVALID, origin, key_line, key_col, "duplicate key '%s'", full);
					soft = skip = 1;
				} else if ((rc = add_entry(cfg, full, key_line, key_col, &list)) == 0) {
					list->is_list = 1;
				}
				free(pending);
				pending = NULL;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
			if (skip) {
				skip--;
				break;
			}
			list = NULL;
			break;
		case YAML_SCALAR_EVENT: {
			const char *v = (const char *)ev.data.scalar.value;
			if (skip) {
				break;
			} else if (depth == 0) {
				rc = of_error_set_at(OF_EINVALID, origin, line, col, "onefish.yaml must be a mapping of keys");
			} else if (list) {
				if (list->n_items >= 1000)
					rc = of_error_set_at(OF_ELIMIT, origin, line, col, "list '%s' too long", list->key);
				else if (!is_null_scalar(&ev))
					rc = add_item(list, v);
			} else if (!pending) {
				if (strlen(v) > OF_CONFIG_MAX_KEY)
					rc = of_error_set_at(OF_EINVALID, origin, line, col, "key longer than %d bytes",
							     OF_CONFIG_MAX_KEY);
				else if (!(pending = strdup(v)))
					rc = of_error_set_oom();
				key_line = line;
				key_col = col;
			} else {
				char full[512];
				join_key(full, sizeof full, section, pending);
				const of_config_key *k = schema_find(full);
				soft = 1;
				if (!k) {
					char hint[300];
					rc = of_error_set_at(OF_EINVALID, origin, key_line, key_col, "unknown key '%s'%s", full,
							     suggest(hint, sizeof hint, section, pending));
				} else if (k->type == OF_CFG_MAP && !is_null_scalar(&ev)) {
					rc = of_error_set_at(OF_EINVALID, origin, key_line, key_col, "'%s' is a section: it holds keys, not a value", full);
				} else if (find_entry(cfg, full)) {
					rc = of_error_set_at(OF_EINVALID, origin, key_line, key_col, "duplicate key '%s'", full);
				} else if (!is_null_scalar(&ev)) {
					entry *e;
					soft = 0; /* running out of memory is no config error */
					if ((rc = add_entry(cfg, full, key_line, key_col, &e)) == 0 &&
					    (rc = add_item(e, v)) == 0 && (soft = (rc = check_value(cfg, k, e)) == OF_EINVALID))
						drop_last(cfg); /* a bad value is no value: later checks use the default */
				}
				free(pending);
				pending = NULL;
			}
			break;
		}
		default:
			break;
		}
		yaml_event_delete(&ev);
		have_ev = 0;
		if (rc < 0 && soft) { /* a bad key or value: noted, and the rest is read on */
			rc = keep_error(&errs);
		}
		soft = 0;
		if (rc < 0)
			break;
	}
	if (have_ev)
		yaml_event_delete(&ev);
	free(pending);
	yaml_parser_delete(&parser);
	/* a pair of values each valid alone but not together: named at the second one's line */
	if (rc == 0) {
		entry *lo = find_entry(cfg, "article.min_chars"), *hi = find_entry(cfg, "article.max_chars");
		long vlo = lo ? strtol(lo->items[0], NULL, 10) : 800, vhi = hi ? strtol(hi->items[0], NULL, 10) : 1500;
		if ((lo || hi) && vlo > vhi) {
			entry *at = hi ? hi : lo;
			rc = of_error_set_at(OF_EINVALID, origin, at->line, at->col,
					     "'article.min_chars' (%ld) must not exceed 'article.max_chars' (%ld)%s", vlo, vhi,
					     lo && hi ? "" : " (the default of the other)");
			if (errs.n) /* one more of the errors */
				rc = keep_error(&errs);
		}
	}
	rc = report_errors(&errs, rc, origin);
	if (rc < 0) {
		of_config_free(cfg);
		return rc;
	}
	*out = cfg;
	return 0;
}

int of_config_load(of_config **out, const char *path)
{
	char *data;
	size_t len;
	int rc;
	*out = NULL;
	if ((rc = of_file_read(&data, &len, path, OF_MAX_CONFIG_BYTES)) < 0)
		return rc;
	rc = of_config_parse(out, data, len, path);
	free(data);
	return rc;
}

int of_config_new_empty(of_config **out)
{
	of_config *cfg = calloc(1, sizeof *cfg);
	if (!cfg)
		return of_error_set_oom();
	cfg->origin = strdup("");
	cfg->dir = strdup(".");
	if (!cfg->origin || !cfg->dir) {
		of_config_free(cfg);
		return of_error_set_oom();
	}
	*out = cfg;
	return 0;
}

void of_config_free(of_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n; i++) {
		for (size_t j = 0; j < cfg->entries[i].n_items; j++)
			free(cfg->entries[i].items[j]);
		free(cfg->entries[i].items);
		free(cfg->entries[i].key);
	}
	free(cfg->entries);
	free(cfg->origin);
	free(cfg->dir);
	free(cfg);
}

const char *of_config_origin(const of_config *cfg) { return cfg->origin; }
const char *of_config_dir(const of_config *cfg) { return cfg->dir; }

int of_config_path(char **out, const of_config *cfg, const char *key)
{
	const char *rel = of_config_str(cfg, key, NULL);
	char *real = NULL;
	int rc;
	*out = NULL;
	if (!rel)
		return 0;
	rc = of_path_resolve_inside(&real, cfg->dir, rel);
	free(real);
	if (rc < 0 && rc != OF_ENOTFOUND) {
		if (rc == OF_ENOMEM)
			return rc;
		return of_error_set_at(OF_EINVALID, cfg->origin, of_config_line(cfg, key), 0,
				       "%s: '%s' must be a path inside the pack folder (%s)", key, rel, cfg->dir);
	}
	of_error_clear();
	/* the pack-relative spelling (not the real path), as the pack's stages get it */
	*out = of_path_join(cfg->dir, rel);
	return *out ? 0 : of_error_set_oom();
}

int of_config_has(const of_config *cfg, const char *key)
{
	return find_entry(cfg, key) != NULL;
}

const char *of_config_str(const of_config *cfg, const char *key, const char *def)
{
	entry *e = cfg ? find_entry(cfg, key) : NULL;
	return e && e->n_items ? e->items[0] : def;
}

double of_config_num(const of_config *cfg, const char *key, double def)
{
	const char *v = of_config_str(cfg, key, NULL);
	return v ? strtod(v, NULL) : def;
}

int of_config_bool(const of_config *cfg, const char *key, int def)
{
	const char *v = of_config_str(cfg, key, NULL);
	if (!v)
		return def;
	return strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 || strcmp(v, "on") == 0;
}

size_t of_config_list(const of_config *cfg, const char *key, const char *const **items)
{
	entry *e = cfg ? find_entry(cfg, key) : NULL;
	*items = e ? (const char *const *)e->items : NULL;
	return e ? e->n_items : 0;
}

unsigned long of_config_line(const of_config *cfg, const char *key)
{
	entry *e = cfg ? find_entry(cfg, key) : NULL;
	return e ? e->line : 0;
}
