/* assets.c — the word lists and line templates in assets/templates/article/,
 * and the "first line whose keys are known" template rule. */
#include "article_int.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/template.h"

#include <stdlib.h>
#include <string.h>

static int push(char ***arr, size_t *n, const char *s, size_t len)
{
	char **na = realloc(*arr, (*n + 1) * sizeof *na);
	if (!na)
		return of_error_set_oom();
	*arr = na;
	if (!(na[*n] = strndup(s, len)))
		return of_error_set_oom();
	(*n)++;
	return 0;
}

/* One entry per non-comment line; with `groups`, blank lines become "" separators. */
static int load_lines(char ***arr, size_t *n, const char *name, int groups)
{
	char rel[128], *path = NULL, *data = NULL;
	size_t len = 0;
	int rc;
	snprintf(rel, sizeof rel, "templates/article/%s", name);
	if ((rc = of_asset_path(&path, rel)) < 0)
		return rc;
	rc = of_file_read(&data, &len, path, 256 * 1024);
	free(path);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < len && rc == 0;) {
		const char *s = data + i, *nl = memchr(s, '\n', len - i);
		size_t l = nl ? (size_t)(nl - s) : len - i;
		i += l + 1;
		while (l > 0 && (s[l - 1] == '\r' || s[l - 1] == ' ' || s[l - 1] == '\t'))
			l--;
		if (l > 0 && s[0] == '#')
			continue;
		if (l == 0) {
			if (groups && *n > 0 && (*arr)[*n - 1][0])
				rc = push(arr, n, "", 0);
			continue;
		}
		rc = push(arr, n, s, l);
	}
	free(data);
	return rc;
}

int of_art_assets_load(of_art_assets *a)
{
	int rc;
	memset(a, 0, sizeof *a);
	if ((rc = load_lines(&a->connectives, &a->n_connectives, "connectives.txt", 0)) < 0 ||
	    (rc = load_lines(&a->weak, &a->n_weak, "weak.txt", 0)) < 0 ||
	    (rc = load_lines(&a->dependent, &a->n_dependent, "dependent.txt", 0)) < 0 ||
	    (rc = load_lines(&a->hashkeep, &a->n_hashkeep, "hashtag_keep.txt", 0)) < 0 ||
	    (rc = load_lines(&a->title, &a->n_title, "title.txt", 0)) < 0 ||
	    (rc = load_lines(&a->heading, &a->n_heading, "heading.txt", 0)) < 0 ||
	    (rc = load_lines(&a->closing, &a->n_closing, "closing.txt", 1)) < 0 ||
	    (rc = load_lines(&a->closing_heading, &a->n_closing_heading, "closing_heading.txt", 0)) < 0) {
		of_art_assets_free(a);
		return rc;
	}
	return 0;
}

static void free_lines(char **arr, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(arr[i]);
	free(arr);
}

void of_art_assets_free(of_art_assets *a)
{
	free_lines(a->connectives, a->n_connectives);
	free_lines(a->weak, a->n_weak);
	free_lines(a->dependent, a->n_dependent);
	free_lines(a->hashkeep, a->n_hashkeep);
	free_lines(a->title, a->n_title);
	free_lines(a->heading, a->n_heading);
	free_lines(a->closing, a->n_closing);
	free_lines(a->closing_heading, a->n_closing_heading);
	memset(a, 0, sizeof *a);
}

static int key_known(const char *key, size_t klen, const char *const *kv)
{
	for (const char *const *k = kv; k && k[0]; k += 2)
		if (strlen(k[0]) == klen && strncmp(k[0], key, klen) == 0)
			return k[1] && k[1][0];
	return 0;
}

char *of_art_pick(char *const *lines, size_t n, const char *const *kv)
{
	for (size_t i = 0; i < n; i++) {
		const char *p = lines[i], *open;
		int ok = lines[i][0] != 0;
		while (ok && (open = strstr(p, "{{"))) {
			const char *close = strstr(open + 2, "}}");
			if (!close)
				break;
			ok = key_known(open + 2, (size_t)(close - open - 2), kv);
			p = close + 2;
		}
		if (ok) {
			char *out = NULL;
			if (of_template_render(&out, lines[i], kv) < 0)
				return NULL;
			return out;
		}
	}
	return NULL;
}
