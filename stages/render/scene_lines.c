/* scene_lines.c — where each scene's picture is written in script.json, so a warning
 * about it reads `script.json:33: warning: scenes[0].image: …` (see scene_lines.h). */
#include "scene_lines.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"

#include <stdlib.h>
#include <string.h>

/* The string starting at data[*i] (a '"'): *i moves past it, *line counts its line breaks;
 * its raw bytes are data[*start, *start + *n). */
static void read_string(const char *data, size_t len, size_t *i, unsigned long *line, size_t *start, size_t *n)
{
	*start = ++*i;
	while (*i < len && data[*i] != '"') {
		if (data[*i] == '\\' && *i + 1 < len)
			++*i;
		else if (data[*i] == '\n')
			++*line;
		++*i;
	}
	*n = *i - *start;
	if (*i < len)
		++*i; /* the closing quote */
}

static int is_word(const char *data, size_t start, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(data + start, word, n) == 0;
}

void of_render__scene_lines(unsigned long *lines, size_t n, const char *data, size_t len)
{
	unsigned long line = 1;
	size_t i = 0, scene = 0, start, sn;
	int depth = 0, in_scenes = 0, want_scenes = 0;
	memset(lines, 0, n * sizeof *lines);
	while (i < len) {
		char c = data[i];
		if (c == '\n') {
			line++;
			i++;
		} else if (c == '"') {
			unsigned long at = line;
			read_string(data, len, &i, &line, &start, &sn);
			size_t k = i; /* a key is followed by ':' */
			while (k < len && (data[k] == ' ' || data[k] == '\t' || data[k] == '\r' || data[k] == '\n'))
				k++;
			int key = k < len && data[k] == ':';
			want_scenes = key && depth == 1 && is_word(data, start, sn, "scenes");
			if (key && in_scenes && depth == 3 && scene > 0 && scene <= n && is_word(data, start, sn, "image"))
				lines[scene - 1] = at;
		} else if (c == '{' || c == '[') {
			depth++;
			if (c == '[' && depth == 2 && want_scenes)
				in_scenes = 1;
			else if (c == '{' && depth == 3 && in_scenes && ++scene <= n)
				lines[scene - 1] = line;
			want_scenes = 0;
			i++;
		} else if (c == '}' || c == ']') {
			if (depth == 2 && in_scenes)
				return; /* the end of "scenes" */
			depth--;
			i++;
		} else {
			if (c != ':' && c != ' ' && c != '\t' && c != '\r')
				want_scenes = 0;
			i++;
		}
	}
}

void of_render__set_scene_lines(of_rscript *s)
{
	char *data = NULL;
	size_t len = 0, i;
	unsigned long *lines;
	if (!s || !s->path || s->n_scenes == 0 || of_file_read(&data, &len, s->path, OF_MAX_HTML_BYTES) != 0)
		return;
	if ((lines = calloc(s->n_scenes, sizeof *lines)) != NULL) {
		of_render__scene_lines(lines, s->n_scenes, data, len);
		for (i = 0; i < s->n_scenes; i++)
			s->scenes[i].line = lines[i];
	}
	free(lines);
	free(data);
}
