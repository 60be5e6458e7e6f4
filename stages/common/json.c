/* json.c — jansson wrappers: errors with locations, stable output. */
#include "onefish/json.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* jansson reports a failed allocation in its lexer as a syntax error ("invalid token"),
 * so a parse under a memory limit looked like a broken file: its allocator records
 * the failure instead, and the parse is reported as out of memory. */
static _Thread_local int json_alloc_failed;
static pthread_once_t json_alloc_once = PTHREAD_ONCE_INIT;

static void *json_malloc_noting(size_t n)
{
	void *p = malloc(n);
	if (!p)
		json_alloc_failed = 1;
	return p;
}

static void json_alloc_install(void)
{
	json_set_alloc_funcs(json_malloc_noting, free);
}

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

int of_json_parse(json_t **out, const char *data, size_t len, const char *origin, unsigned long line_base)
{
	json_error_t err;
	unsigned long l, c;
	*out = NULL;
	if (!text_depth_ok(data, len, &l, &c))
		return of_error_set_at(OF_ELIMIT, origin, line_base + l, c,
				       "JSON nested deeper than %d levels", OF_MAX_JSON_DEPTH);
	pthread_once(&json_alloc_once, json_alloc_install);
	json_alloc_failed = 0;
	*out = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	if (!*out) {
		unsigned long line = err.line > 0 ? (unsigned long)err.line : 1;
		if (json_alloc_failed || json_error_code(&err) == json_error_out_of_memory ||
		    !err.text[0]) /* jansson leaves no text then */
			return of_error_set_at(OF_ENOMEM, origin, line_base + line, 0, "out of memory while parsing JSON");
		return of_error_set_at(OF_EINVALID, origin, line_base + line,
				       err.column > 0 ? (unsigned long)err.column : 0, "%s", err.text);
	}
	return 0;
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

char *of_json_dump(const json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
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
