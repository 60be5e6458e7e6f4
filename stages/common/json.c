/* json.c — jansson wrappers: errors with locations, stable output. */
#include "onefish/json.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* jansson's lexer ignores a failed allocation while it buffers a token and then reports a
 * syntax error ("invalid token", "string or '}' expected") at a random place. Under a
 * worker's memory limit that would blame the input for our limit: every jansson allocation
 * goes through here, and a parse that saw one fail is reported as out of memory. */
static _Thread_local int g_alloc_failed;
static pthread_once_t g_alloc_once = PTHREAD_ONCE_INIT;

static void *tracked_malloc(size_t n)
{
	void *p = malloc(n);
	if (!p)
		g_alloc_failed = 1;
	return p;
}

static void install_alloc(void) { json_set_alloc_funcs(tracked_malloc, free); }

/* Counts nesting before handing text to jansson, whose recursion limit is 2048. */
static int text_depth_ok(const char *s, size_t len, unsigned long *line, unsigned long *col)
{
	int depth = 0, in_str = 0, esc = 0;
	unsigned long ln = 1, c = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		c++;
		if (ch == '\n') {
			ln++;
			c = 0;
		}
		if (in_str) {
			if (esc)
				esc = 0;
			else if (ch == '\\')
				esc = 1;
			else if (ch == '"')
				in_str = 0;
			continue;
		}
		if (ch == '"')
			in_str = 1;
		else if (ch == '[' || ch == '{') {
			if (++depth > OF_MAX_JSON_DEPTH) {
				*line = ln;
				*col = c;
				return 0;
			}
		} else if (ch == ']' || ch == '}')
			depth--;
	}
	return 1;
}

/* jansson's text without its " near end of file" / " near '...'" tail. */
static void error_core(char *dst, size_t n, const char *text)
{
	const char *near = strstr(text, " near ");
	int len = near ? (int)(near - text) : (int)strlen(text);
	snprintf(dst, n, "%.*s", len, text);
}

/* A JSONL record is one line, so jansson's "end of file" is the end of that line: say so,
 * and say what it most likely means (a record cut by a partial write, or two glued). */
static int line_error(const json_error_t *err, const char *origin, unsigned long line, unsigned long col)
{
	char core[160];
	const char *near = strstr(err->text, " near ");
	error_core(core, sizeof core, err->text);
	if (strncmp(err->text, "premature end of input", 22) == 0)
		return of_error_set_at(OF_EINVALID, origin, line, col, "JSON record cut short: the line ends inside a string");
	if (strstr(err->text, "near end of file"))
		return of_error_set_at(OF_EINVALID, origin, line, col,
				       "JSON record cut short: the line ends before it is complete (%s)",
				       strcmp(core, "unexpected token") == 0 ? "a value expected" : core);
	if (strcmp(core, "end of file expected") == 0)
		return of_error_set_at(OF_EINVALID, origin, line, col,
				       "extra text after the JSON record%s (one record per line)", near ? near : "");
	return of_error_set_at(OF_EINVALID, origin, line, col, "%s", err->text);
}

static int parse(json_t **out, const char *data, size_t len, const char *origin, unsigned long line_base,
		 int one_line)
{
	json_error_t err;
	unsigned long l, c;
	*out = NULL;
	if (!text_depth_ok(data, len, &l, &c))
		return of_error_set_at(OF_ELIMIT, origin, line_base + l, c,
				       "JSON nested deeper than %d levels", OF_MAX_JSON_DEPTH);
	pthread_once(&g_alloc_once, install_alloc);
	g_alloc_failed = 0;
	*out = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	if (!*out) {
		unsigned long line = err.line > 0 ? (unsigned long)err.line : 1;
		unsigned long col = err.column > 0 ? (unsigned long)err.column : 0;
		if (g_alloc_failed || json_error_code(&err) == json_error_out_of_memory ||
		    !err.text[0]) /* jansson leaves no text then */
			return of_error_set_at(OF_ENOMEM, origin, line_base + line, 0, "out of memory while parsing JSON");
		if (one_line)
			return line_error(&err, origin, line_base + line, col);
		return of_error_set_at(OF_EINVALID, origin, line_base + line, col, "%s", err.text);
	}
	return 0;
}

int of_json_parse_prefix(json_t **out, size_t *used_out, const char *data, size_t len, const char *origin,
			 unsigned long line_base)
{
	json_error_t err;
	*out = NULL;
	*used_out = 0;
	pthread_once(&g_alloc_once, install_alloc);
	g_alloc_failed = 0;
	/* DISABLE_EOF_CHECK: stop after the value, whatever follows; `position` then says where */
	*out = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &err);
	if (!*out) {
		unsigned long line = err.line > 0 ? (unsigned long)err.line : 1;
		if (g_alloc_failed || json_error_code(&err) == json_error_out_of_memory || !err.text[0])
			return of_error_set_at(OF_ENOMEM, origin, line_base + line, 0, "out of memory while parsing JSON");
		return of_error_set_at(OF_EINVALID, origin, line_base + line, err.column > 0 ? (unsigned long)err.column : 0,
				       "%s", err.text);
	}
	if (err.position <= 0 || (size_t)err.position > len) { /* jansson always sets it on success */
		json_decref(*out);
		*out = NULL;
		return of_error_set_at(OF_ERROR, origin, line_base + 1, 0, "JSON parser gave no end position");
	}
	*used_out = (size_t)err.position;
	return 0;
}

int of_json_array_slice(const char *data, size_t len, size_t k, size_t *start, size_t *end)
{
	size_t i = 0, idx = 0;
	int depth = 0;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	if (i >= len || data[i] != '[')
		return -1;
	depth = 1;
	*start = ++i;
	for (; i < len; i++) {
		char c = data[i];
		if (c == '"') { /* to the closing quote: one not escaped by an odd run of backslashes */
			for (;;) {
				const char *q = memchr(data + i + 1, '"', len - i - 1);
				size_t b = 0;
				if (!q)
					return -1;
				i = (size_t)(q - data);
				while (data[i - 1 - b] == '\\')
					b++;
				if (b % 2 == 0)
					break;
			}
		} else if (c == '[' || c == '{') {
			if (++depth > OF_MAX_JSON_DEPTH)
				return -1;
		} else if (c == ']' || c == '}') {
			if (--depth == 0) { /* the array ends */
				if (idx != k)
					return -1;
				*end = i;
				return *end > *start ? 0 : -1;
			}
		} else if (c == ',' && depth == 1) {
			if (idx == k) {
				*end = i;
				return 0;
			}
			if (++idx == k)
				*start = i + 1;
		}
	}
	return -1;
}

int of_json_parse(json_t **out, const char *data, size_t len, const char *origin, unsigned long line_base)
{
	return parse(out, data, len, origin, line_base, 0);
}

int of_json_parse_line(json_t **out, const char *data, size_t len, const char *origin, unsigned long line)
{
	return parse(out, data, len, origin, line ? line - 1 : 0, 1);
}

int of_json_load(json_t **out, const char *path, size_t max)
{
	char *data = NULL;
	size_t len = 0;
	int rc;
	*out = NULL;
	if ((rc = of_file_read(&data, &len, path, max)) < 0)
		return rc;
	/* A UTF-8 BOM is common in files saved by Windows editors. */
	size_t skip = (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
	rc = of_json_parse(out, data + skip, len - skip, path, 0);
	free(data);
	return rc;
}

/* Reals with 10 significant digits: a time rounded to milliseconds prints as 367.985,
 * not as the nearest double's 17 digits (367.98500000000001), and the same everywhere. */
#define REAL_DIGITS JSON_REAL_PRECISION(10)

json_t *of_json_seconds(double seconds)
{
	if (!isfinite(seconds) || seconds < 0)
		seconds = 0;
	return json_real(round(seconds * 1000.0) / 1000.0);
}

char *of_json_dump_line(const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | REAL_DIGITS);
	if (!s)
		of_error_set_oom();
	return s;
}

char *of_json_dump(const json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | REAL_DIGITS);
	char *out;
	size_t n;
	if (!s) {
		of_error_set_oom();
		return NULL;
	}
	n = strlen(s);
	out = malloc(n + 2);
	if (!out) {
		free(s);
		of_error_set_oom();
		return NULL;
	}
	memcpy(out, s, n);
	out[n] = '\n';
	out[n + 1] = '\0';
	free(s);
	return out;
}

int of_json_write(const char *path, const json_t *v)
{
	char *s = of_json_dump(v);
	int rc;
	if (!s)
		return OF_ENOMEM;
	rc = of_file_write_atomic(path, s, strlen(s));
	free(s);
	return rc;
}

int of_json_depth(const json_t *v)
{
	int max = 0;
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach((json_t *)v, k, x) {
			int d = of_json_depth(x);
			if (d > max)
				max = d;
		}
		return max + 1;
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) {
			int d = of_json_depth(x);
			if (d > max)
				max = d;
		}
		return max + 1;
	}
	return 0;
}

const char *of_json_str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int of_json_set_str(json_t *obj, const char *key, const char *s)
{
	if (!s)
		return 0;
	if (json_object_set_new(obj, key, json_string(s)) != 0)
		return of_error_set_oom();
	return 0;
}
