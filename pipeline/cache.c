/* cache.c — stage cache keys: xxHash of input bytes, settings and version. */
#include "cache.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"

#include <dirent.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

int of_pack_files_add(of_pack_files *f, const char *path, const char *label)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		char **p = realloc(f->paths, cap * sizeof *p), **l;
		if (!p)
			return of_error_set_oom();
		f->paths = p;
		l = realloc(f->labels, cap * sizeof *l);
		if (!l)
			return of_error_set_oom();
		f->labels = l;
		f->cap = cap;
	}
	f->paths[f->n] = strdup(path);
	f->labels[f->n] = strdup(label);
	if (!f->paths[f->n] || !f->labels[f->n]) {
		free(f->paths[f->n]);
		free(f->labels[f->n]);
		return of_error_set_oom();
	}
	f->n++;
	return 0;
}

void of_pack_files_clear(of_pack_files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->paths[i]);
		free(f->labels[i]);
	}
	free(f->paths);
	free(f->labels);
	memset(f, 0, sizeof *f);
}

int of_cache_hash_file(of_cache_file *out, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	int rc = of_file_read(&data, &len, path, OF_MAX_FILE_BYTES);
	if (rc < 0)
		return rc;
	rc = of_sha256_hex(out->sha256, data, len);
	snprintf(out->xxh64, sizeof out->xxh64, "%016llx", of_xxh64(data, len, 0));
	out->bytes = len;
	free(data);
	return rc;
}

void of_cache_key(char out[17], const char *version, const char *settings, const of_cache_file *files,
		  size_t n)
{
	XXH64_state_t *st = XXH64_createState();
	unsigned long long h;
	if (!st) {
		/* Without a state we cannot hash: an all-zero key never matches, so the stage just reruns. */
		snprintf(out, 17, "%016x", 0);
		return;
	}
	XXH64_reset(st, 0);
	/* NUL separators keep "ab"+"c" distinct from "a"+"bc". */
	XXH64_update(st, version, strlen(version) + 1);
	XXH64_update(st, settings, strlen(settings) + 1);
	for (size_t i = 0; i < n; i++) {
		XXH64_update(st, files[i].label, strlen(files[i].label) + 1);
		XXH64_update(st, files[i].xxh64, strlen(files[i].xxh64) + 1);
	}
	h = (unsigned long long)XXH64_digest(st);
	XXH64_freeState(st);
	snprintf(out, 17, "%016llx", h);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir_rec(of_pack_files *f, const char *dir, const char *prefix, int depth)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (depth > 16)
		return 0;
	if (!(d = opendir(dir)))
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **p = realloc(names, (cap = cap ? cap * 2 : 32) * sizeof *p);
			if (!p) {
				rc = of_error_set_oom();
				goto done;
			}
			names = p;
		}
		if (!(names[n] = strdup(e->d_name))) {
			rc = of_error_set_oom();
			goto done;
		}
		n++;
	}
	/* readdir order depends on the file system: sort for stable keys (an empty
	 * folder leaves `names` NULL, which qsort may not be given). */
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *path = of_path_join(dir, names[i]);
		char *label = prefix[0] ? of_path_join(prefix, names[i]) : strdup(names[i]);
		struct stat ls;
		if (!path || !label)
			rc = of_error_set_oom();
		else if (of_path_is_dir(path) && lstat(path, &ls) == 0 && S_ISLNK(ls.st_mode))
			; /* a linked folder is not walked: it may lead back up (comments -> .) or out of the pack */
		else if (of_path_is_dir(path))
			rc = add_dir_rec(f, path, label, depth + 1);
		else if (of_path_is_file(path)) {
			if (f->n >= OF_MAX_PACK_FILES)
				rc = of_error_set_at(OF_ELIMIT, dir, 0, 0, "more than %d files", OF_MAX_PACK_FILES);
			else
				rc = of_pack_files_add(f, path, label);
		}
		free(path);
		free(label);
	}
done:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

int of_cache_add_dir(of_pack_files *f, const char *dir, const char *label_prefix)
{
	return add_dir_rec(f, dir, label_prefix ? label_prefix : "", 0);
}
