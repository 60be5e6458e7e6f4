/* config.h — the pack config `onefish.yaml`, read with libyaml and validated
 * against a schema (pipeline/config_schema.c). Stages never read it: the
 * pipeline turns it into each stage's options struct. */
#ifndef ONEFISH_CONFIG_H
#define ONEFISH_CONFIG_H

#include <stddef.h>

typedef struct of_config of_config;

/** Kinds of value a schema key accepts. */
typedef enum {
	OF_CFG_STRING,
	OF_CFG_INT,
	OF_CFG_NUMBER,
	OF_CFG_BOOL,
	OF_CFG_STRING_LIST, /**< a string or a list of strings */
	OF_CFG_MAP,         /**< a section holding further keys */
	OF_CFG_WEEK,        /**< a string: an ISO week that exists, "2026-W47" */
	OF_CFG_TIME,        /**< a string: a real calendar date or date-time, ISO 8601 */
	OF_CFG_URL,         /**< a string: an http(s) URL with a host, no spaces or quotes */
	OF_CFG_COLOR        /**< a string: a colour #RRGGBB */
} of_config_type;

/** One key the config accepts. `key` is dotted ("video.crf"). */
typedef struct of_config_key {
	const char *key;
	of_config_type type;
	double min, max;        /**< for INT/NUMBER when min < max; for STRING, max > 0: at most max characters */
	const char *choices;    /**< for STRING: "a|b|c", or NULL for any */
	const char *help;       /**< one line, for docs and error messages */
} of_config_key;

/** The schema: a NULL-key-terminated table, defined in pipeline/config_schema.c. */
extern const of_config_key of_config_schema[];

/**
 * Parses and validates YAML from memory. `origin` names the file in errors,
 * which read `origin:line:col: unknown key 'widht' in 'video' (did you mean 'width'?)`.
 * Anchors/aliases, duplicate keys and nesting deeper than OF_MAX_YAML_DEPTH are refused.
 * Free with of_config_free().
 * @return 0, OF_EINVALID (bad YAML or a schema violation), OF_ENOMEM.
 */
int of_config_parse(of_config **out, const char *data, size_t len, const char *origin);

/** Reads and validates a config file. Same ownership and returns; OF_ENOTFOUND if missing. */
int of_config_load(of_config **out, const char *path);

/** An empty config (all defaults). Free with of_config_free(). */
int of_config_new_empty(of_config **out);

/** Frees a config; accepts NULL. */
void of_config_free(of_config *cfg);

/** Path the config was read from (owned by `cfg`), or "" for an empty one. */
const char *of_config_origin(const of_config *cfg);

/** The folder of the config file (owned by `cfg`); "." for an empty one. */
const char *of_config_dir(const of_config *cfg);

/**
 * The file the path key `key` (`video.music`) names, resolved against the config
 * file's folder: a path in onefish.yaml is relative to the folder holding it (the
 * pack), whatever the current directory. `*out` is NULL when the key is unset;
 * otherwise caller frees. A file that does not exist is not an error here (the
 * caller reports it, naming `*out`).
 * @return 0, OF_EINVALID (the path leaves the folder: `..`, absolute, a symlink
 *         out; the error names the config file and line), OF_ENOMEM.
 */
int of_config_path(char **out, const of_config *cfg, const char *key);

/** Non-zero when `key` (dotted) is set. */
int of_config_has(const of_config *cfg, const char *key);

/** String value (owned by `cfg`), or `def` when unset. */
const char *of_config_str(const of_config *cfg, const char *key, const char *def);

/** Numeric value, or `def` when unset. Validated against the schema range at load. */
double of_config_num(const of_config *cfg, const char *key, double def);

/** Boolean value, or `def` when unset. */
int of_config_bool(const of_config *cfg, const char *key, int def);

/**
 * A string list (a single string counts as a list of one). Returns the count
 * and sets `*items` to an array owned by `cfg` (NULL when unset).
 */
size_t of_config_list(const of_config *cfg, const char *key, const char *const **items);

/** 1-based line where `key` is set, or 0 (for messages about its value). */
unsigned long of_config_line(const of_config *cfg, const char *key);

/** Edit distance in code points, a swap of two neighbours counting as one edit (Damerau,
 *  optimal string alignment: "widht" → "width" is 1); used for "did you mean", here and by
 *  the command line for misspelt commands and options (one measure for both). */
size_t of_config_edit_distance(const char *a, const char *b);

#endif
