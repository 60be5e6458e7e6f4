/* json.h — JSON through jansson, with file:line:col errors and deterministic output. */
#ifndef ONEFISH_JSON_H
#define ONEFISH_JSON_H

#include <jansson.h>
#include <stddef.h>

/**
 * Parses one JSON document from memory. `origin` names the input in errors
 * and `line_base` is added to jansson's line (for one JSONL record: its line - 1).
 * Depth is capped at OF_MAX_JSON_DEPTH; embedded NUL in strings is refused.
 * Caller releases `*out` with json_decref().
 * @return 0, OF_EINVALID (syntax, error set as origin:line:col), OF_ELIMIT (too deep).
 */
int of_json_parse(json_t **out, const char *data, size_t len, const char *origin, unsigned long line_base);

/**
 * Parses the first JSON value of `data` (any type; white space before it is
 * skipped) and stops after it, whatever follows: for reading the elements of
 * an array one by one when the whole text does not parse (a log cut off while
 * it was written). `*used_out` is the number of bytes the value took. Errors as
 * of_json_parse, with lines from `line_base` (columns count from `data` on its
 * first line). The depth is not checked here: the caller has run of_json_parse
 * on the whole text, which refuses one too deep (OF_ELIMIT) before any syntax
 * error. Caller releases `*out` with json_decref().
 * @return 0, OF_EINVALID (not a complete value), OF_ENOMEM.
 */
int of_json_parse_prefix(json_t **out, size_t *used_out, const char *data, size_t len, const char *origin,
			 unsigned long line_base);

/**
 * Where element `k` (from 0) of the JSON array that opens `data` (after white
 * space) lies, to read one element of a large array without building the others
 * (a live recorder's 2 KB DANMU_MSG `info` whose sender is element 2): strings are
 * stepped over by their quotes, arrays and objects by their brackets; nothing is
 * decoded or checked here. Parse the slice with of_json_parse (an array or an
 * object: it checks the depth) or of_json_parse_prefix (any value).
 * @return 0 with data[*start, *end) the element (white space around it included),
 *         -1 when `data` opens no array, it has no element `k`, or it nests deeper
 *         than OF_MAX_JSON_DEPTH before that element ends.
 */
int of_json_array_slice(const char *data, size_t len, size_t k, size_t *start, size_t *end);

/**
 * Parses one JSON Lines record, the text of line `line` of `origin` (without its newline).
 * As of_json_parse, but messages speak of the line: a record that ends early reads
 * `origin:LINE:COL: invalid JSON: the record is cut short, the line ends before it is complete (...)`.
 */
int of_json_parse_line(json_t **out, const char *data, size_t len, const char *origin, unsigned long line);

/** Reads and parses a JSON file (size capped at `max`). Same ownership and returns as of_json_parse. */
int of_json_load(json_t **out, const char *path, size_t max);

/**
 * Serialises `v` (2-space indent, keys in insertion order, UTF-8 kept, final
 * newline): the same value always gives the same bytes. Caller frees with free().
 */
char *of_json_dump(const json_t *v);

/**
 * Serialises `v` on one line (JSON Lines records, --json events): compact, keys in
 * insertion order, reals with the same fixed precision as of_json_dump (10 significant
 * digits, so 367.985 stays 367.985). No newline. Caller frees with free(); NULL on OOM.
 */
char *of_json_dump_line(const json_t *v);

/**
 * A time in seconds as a JSON real rounded to the millisecond (22.427, never 22.42718811
 * or 8.0129e-05): printed by of_json_dump/of_json_dump_line with at most 3 decimals, the
 * same on every machine. Not finite or negative: 0. New reference (NULL on OOM).
 */
json_t *of_json_seconds(double seconds);

/** Writes `v` to `path` atomically (same bytes as of_json_dump). Returns 0 or OF_ERROR. */
int of_json_write(const char *path, const json_t *v);

/** Max nesting depth of a value (for validating input before use). */
int of_json_depth(const json_t *v);

/** String member `key` of `obj`, or NULL when absent or not a string (borrowed from `obj`). */
const char *of_json_str(const json_t *obj, const char *key);

/** Adds `key: s` to `obj`, skipping NULL `s`. Returns 0 or OF_ENOMEM. */
int of_json_set_str(json_t *obj, const char *key, const char *s);

#endif
