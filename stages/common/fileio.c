/* fileio.c — capped reads, atomic writes, path helpers, hashes. */
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/error.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <libavutil/mem.h>
#include <libavutil/sha.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>
#include <xxhash.h>

int of_file_read(char **out, size_t *len_out, const char *path, size_t max)
{
	int fd = -1, rc = OF_ERROR;
	struct stat st;
	char *data = NULL;
	size_t len = 0, cap;

	*out = NULL;
	if (len_out)
		*len_out = 0;
	/* O_NONBLOCK: opening a FIFO must not hang; we refuse it right after. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return of_error_set_at(OF_ENOTFOUND, path, 0, 0, "no such file");
		return of_error_set_at(OF_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		of_error_set_at(OF_ERROR, path, 0, 0, "cannot stat: %s", strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = of_error_set_at(OF_EINVALID, path, 0, 0, "not a regular file");
		goto done;
	}
	if ((size_t)st.st_size > max) {
		rc = of_error_set_at(OF_ELIMIT, path, 0, 0, "file is %lld bytes, over the %zu-byte limit",
				     (long long)st.st_size, max);
		goto done;
	}
	fcntl(fd, F_SETFL, 0);
	cap = (size_t)st.st_size + 1;
	data = malloc(cap);
	if (!data) {
		rc = of_error_set_oom();
		goto done;
	}
	for (;;) {
		ssize_t n;
		if (len + 1 == cap) {
			/* The file grew while we read it: keep going up to the cap. */
			char *p;
			if (len >= max) {
				/* Exactly `max` bytes is allowed: only a further byte is over the cap. */
				char probe;
				ssize_t m;
				while ((m = read(fd, &probe, 1)) < 0 && errno == EINTR)
					;
				if (m == 0)
					break;
				if (m < 0) {
					of_error_set_at(OF_ERROR, path, 0, 0, "read error: %s", strerror(errno));
					goto done;
				}
				rc = of_error_set_at(OF_ELIMIT, path, 0, 0, "file grew over the %zu-byte limit", max);
				goto done;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			p = realloc(data, cap);
			if (!p) {
				rc = of_error_set_oom();
				goto done;
			}
			data = p;
		}
		n = read(fd, data + len, cap - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			of_error_set_at(OF_ERROR, path, 0, 0, "read error: %s", strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	data[len] = '\0';
	*out = data;
	data = NULL;
	if (len_out)
		*len_out = len;
	rc = 0;
done:
	free(data);
	close(fd);
	return rc;
}

/* Registry of live temp files, so a signal handler can unlink them. Fixed
 * slots because the handler may not allocate or take locks. */
#define TMP_SLOTS 64
static char g_tmp_paths[TMP_SLOTS][OF_MAX_PATH];
static volatile sig_atomic_t g_tmp_used[TMP_SLOTS];
static pthread_mutex_t g_tmp_lock = PTHREAD_MUTEX_INITIALIZER;

struct of_atomic {
	FILE *fp;
	char *path;
	char *tmp;
	int slot;
};

static int register_tmp(const char *tmp)
{
	int slot = -1;
	pthread_mutex_lock(&g_tmp_lock);
	for (int i = 0; i < TMP_SLOTS; i++) {
		if (!g_tmp_used[i]) {
			snprintf(g_tmp_paths[i], OF_MAX_PATH, "%s", tmp);
			g_tmp_used[i] = 1;
			slot = i;
			break;
		}
	}
	pthread_mutex_unlock(&g_tmp_lock);
	return slot;
}

static void unregister_tmp(int slot)
{
	if (slot < 0)
		return;
	pthread_mutex_lock(&g_tmp_lock);
	g_tmp_used[slot] = 0;
	pthread_mutex_unlock(&g_tmp_lock);
}

void of_atomic_cleanup_all(void)
{
	for (int i = 0; i < TMP_SLOTS; i++)
		if (g_tmp_used[i])
			unlink(g_tmp_paths[i]);
}

int of_atomic_open(of_atomic **out, const char *path)
{
	of_atomic *a = NULL;
	char *dir = NULL;
	const char *base;
	int fd = -1;

	*out = NULL;
	if (strlen(path) + 32 >= OF_MAX_PATH)
		return of_error_set_at(OF_ELIMIT, path, 0, 0, "path too long");
	a = calloc(1, sizeof *a);
	dir = of_path_dirname(path);
	if (!a || !dir)
		goto oom;
	a->slot = -1;
	a->path = strdup(path);
	base = of_path_basename(path);
	a->tmp = malloc(strlen(dir) + strlen(base) + 32);
	if (!a->path || !a->tmp)
		goto oom;
	/* Hidden temp name in the same folder, so rename() is atomic. */
	snprintf(a->tmp, strlen(dir) + strlen(base) + 32, "%s/.%s.tmp-XXXXXX", dir, base);
	fd = mkostemp(a->tmp, O_CLOEXEC);
	if (fd < 0) {
		of_error_set_at(OF_ERROR, path, 0, 0, "cannot create temporary file: %s", strerror(errno));
		free(a->tmp);
		a->tmp = NULL;
		goto fail;
	}
	fchmod(fd, 0644);
	a->slot = register_tmp(a->tmp);
	a->fp = fdopen(fd, "wb");
	if (!a->fp) {
		close(fd);
		goto oom;
	}
	free(dir);
	*out = a;
	return 0;
oom:
	of_error_set_oom();
fail:
	free(dir);
	of_atomic_abort(a);
	return of_error_last()->code;
}

FILE *of_atomic_fp(of_atomic *a)
{
	return a->fp;
}

const char *of_atomic_tmp_path(const of_atomic *a)
{
	return a->tmp;
}

static void atomic_free(of_atomic *a)
{
	unregister_tmp(a->slot);
	free(a->path);
	free(a->tmp);
	free(a);
}

int of_atomic_commit(of_atomic *a)
{
	int rc = 0;
	if (fflush(a->fp) != 0 || ferror(a->fp) || fsync(fileno(a->fp)) != 0) {
		rc = of_error_set_at(OF_ERROR, a->path, 0, 0, "write failed: %s", strerror(errno));
	}
	if (fclose(a->fp) != 0 && rc == 0)
		rc = of_error_set_at(OF_ERROR, a->path, 0, 0, "write failed: %s", strerror(errno));
	a->fp = NULL;
	if (rc == 0 && rename(a->tmp, a->path) != 0)
		rc = of_error_set_at(OF_ERROR, a->path, 0, 0, "cannot rename into place: %s", strerror(errno));
	if (rc != 0)
		unlink(a->tmp);
	atomic_free(a);
	return rc;
}

void of_atomic_abort(of_atomic *a)
{
	if (!a)
		return;
	if (a->fp)
		fclose(a->fp);
	if (a->tmp)
		unlink(a->tmp);
	atomic_free(a);
}

int of_file_write_atomic(const char *path, const void *data, size_t len)
{
	of_atomic *a;
	int rc = of_atomic_open(&a, path);
	if (rc < 0)
		return rc;
	if (len && fwrite(data, 1, len, a->fp) != len) {
		rc = of_error_set_at(OF_ERROR, path, 0, 0, "write failed: %s", strerror(errno));
		of_atomic_abort(a);
		return rc;
	}
	return of_atomic_commit(a);
}

int of_file_write_atomic_in(const char *dir, const char *name, const void *data, size_t len)
{
	char *p = of_path_join(dir, name);
	int rc;
	if (!p)
		return of_error_set_oom();
	rc = of_file_write_atomic(p, data, len);
	free(p);
	return rc;
}

int of_mkdirs(const char *path)
{
	char tmp[OF_MAX_PATH];
	size_t n = strlen(path);
	if (n == 0)
		return 0;
	if (n >= sizeof tmp)
		return of_error_set_at(OF_ELIMIT, path, 0, 0, "path too long");
	memcpy(tmp, path, n + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return of_error_set_at(OF_ERROR, tmp, 0, 0, "cannot create folder: %s", strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
		return of_error_set_at(OF_ERROR, path, 0, 0, "cannot create folder: %s", strerror(errno));
	if (!of_path_is_dir(path))
		return of_error_set_at(OF_ERROR, path, 0, 0, "exists and is not a folder");
	return 0;
}

char *of_path_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *p;
	if (lb && b[0] == '/')
		return strdup(b);
	while (la > 1 && a[la - 1] == '/')
		la--;
	p = malloc(la + lb + 2);
	if (!p)
		return NULL;
	memcpy(p, a, la);
	if (la && lb) {
		p[la++] = '/';
	}
	memcpy(p + la, b, lb + 1);
	return p;
}

char *of_path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

int of_path_is_image(const char *path)
{
	unsigned char m[12] = {0};
	FILE *f = fopen(path, "rb");
	size_t n;
	if (!f)
		return 0;
	n = fread(m, 1, sizeof m, f);
	fclose(f);
	return (n >= 3 && m[0] == 0xFF && m[1] == 0xD8 && m[2] == 0xFF) ||
	       (n >= 8 && memcmp(m, "\x89PNG\r\n\x1a\n", 8) == 0) || (n >= 6 && memcmp(m, "GIF8", 4) == 0) ||
	       (n >= 12 && memcmp(m, "RIFF", 4) == 0 && memcmp(m + 8, "WEBP", 4) == 0);
}

static char g_display_root[4096];
static size_t g_display_len;

void of_path_set_display_root(const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (!dir || n == 0 || n >= sizeof g_display_root) {
		g_display_root[0] = '\0';
		g_display_len = 0;
		return;
	}
	memcpy(g_display_root, dir, n);
	g_display_root[n] = '\0';
	g_display_len = n;
}

const char *of_path_display(const char *path)
{
	if (!path || !g_display_len)
		return path;
	if (strcmp(g_display_root, ".") == 0) /* a pack given as `.`: its paths are relative already */
		return strncmp(path, "./", 2) == 0 ? path + 2 : path;
	if (strncmp(path, g_display_root, g_display_len) == 0 && path[g_display_len] == '/' && path[g_display_len + 1])
		return path + g_display_len + 1;
	return path;
}

const char *of_path_basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Editors recognise their photos by name, so letters of every script stay;
 * what would need escaping in a Markdown link or a shell (spaces, brackets,
 * full-width punctuation, invalid UTF-8) does not. */
static int safe_char(int32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '.' ||
		       cp == '-' || cp == '_';
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_MC) ||
	       (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

size_t of_path_safe_part(char *dst, size_t n, const char *s, size_t len)
{
	size_t k = 0;
	for (size_t i = 0; i < len;) {
		int32_t cp;
		int used = of_utf8_next(s + i, len - i, &cp);
		size_t take = used > 0 ? (size_t)used : 1;
		int keep = used > 0 && safe_char(cp);
		if (k + (keep ? take : 1) + 1 > n)
			break;
		if (keep)
			memcpy(dst + k, s + i, take);
		else
			dst[k] = '_';
		k += keep ? take : 1;
		i += take;
	}
	dst[k] = 0;
	return k;
}

int of_path_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int of_path_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int of_path_resolve_inside(char **out, const char *root, const char *rel)
{
	char *joined = NULL, *real_root = NULL, *real = NULL;
	int rc = OF_EINVALID;
	size_t n;

	*out = NULL;
	if (!rel[0] || rel[0] == '/')
		return of_error_set_at(OF_EINVALID, rel, 0, 0, "absolute or empty path not allowed here");
	joined = of_path_join(root, rel);
	real_root = realpath(root, NULL);
	if (!joined || !real_root) {
		rc = joined ? of_error_set_at(OF_ENOTFOUND, root, 0, 0, "folder not found") : of_error_set_oom();
		goto done;
	}
	real = realpath(joined, NULL);
	if (!real) {
		rc = of_error_set_at(OF_ENOTFOUND, joined, 0, 0, "no such file");
		goto done;
	}
	n = strlen(real_root);
	if (strncmp(real, real_root, n) != 0 || (real[n] != '/' && real[n] != '\0' && n != 1)) {
		rc = of_error_set_at(OF_EINVALID, rel, 0, 0, "path leaves the folder %s", root);
		goto done;
	}
	*out = real;
	real = NULL;
	rc = 0;
done:
	free(joined);
	free(real_root);
	free(real);
	return rc;
}

int of_path_is_own_file(const char *root, const char *rel)
{
	struct stat st;
	char *path;
	size_t rl = strlen(root), n = strlen(rel);
	int ok = 1;
	if (!n || rel[0] == '/' || strchr(rel, '\\') || n > OF_MAX_PATH || !(path = malloc(rl + 1 + n + 1)))
		return 0;
	memcpy(path, root, rl);
	path[rl] = '/';
	for (size_t i = 0; ok && i <= n; i++) {
		if (i < n && rel[i] != '/')
			continue;
		/* the part ending at i: not empty, not "." or "..", and no link */
		size_t start = i;
		while (start > 0 && rel[start - 1] != '/')
			start--;
		size_t len = i - start;
		if (!len || (len == 1 && rel[start] == '.') || (len == 2 && rel[start] == '.' && rel[start + 1] == '.')) {
			ok = 0;
			break;
		}
		memcpy(path + rl + 1, rel, i);
		path[rl + 1 + i] = 0;
		ok = lstat(path, &st) == 0 && (i < n ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
	}
	free(path);
	return ok;
}

char *of_path_url_encode(const char *path)
{
	size_t n = strlen(path);
	char *out = n < SIZE_MAX / 3 ? malloc(3 * n + 1) : NULL, *o = out;
	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			*o++ = (char)*p;
		else
			o += snprintf(o, 4, "%%%02X", *p);
	}
	*o = '\0';
	return out;
}

static void hex_encode(char *hex, const uint8_t *d, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[2 * n] = '\0';
}

int of_sha256_hex(char hex[65], const void *data, size_t len)
{
	uint8_t digest[32];
	struct AVSHA *sha = av_sha_alloc();
	if (!sha)
		return of_error_set_oom();
	av_sha_init(sha, 256);
	/* av_sha_update takes an unsigned int length in FFmpeg 5: feed in chunks. */
	for (size_t off = 0; off < len;) {
		size_t chunk = len - off > (1u << 30) ? (1u << 30) : len - off;
		av_sha_update(sha, (const uint8_t *)data + off, (unsigned)chunk);
		off += chunk;
	}
	av_sha_final(sha, digest);
	av_free(sha);
	hex_encode(hex, digest, sizeof digest);
	return 0;
}

int of_sha256_file(char hex[65], const char *path)
{
	uint8_t digest[32], chunk[65536];
	struct AVSHA *sha;
	FILE *fp = fopen(path, "rb");
	size_t n;
	if (!fp)
		return of_error_set_at(errno == ENOENT ? OF_ENOTFOUND : OF_ERROR, path, 0, 0,
				       "cannot open: %s", strerror(errno));
	sha = av_sha_alloc();
	if (!sha) {
		fclose(fp);
		return of_error_set_oom();
	}
	av_sha_init(sha, 256);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		av_sha_update(sha, chunk, (unsigned)n);
	av_sha_final(sha, digest);
	av_free(sha);
	fclose(fp);
	hex_encode(hex, digest, sizeof digest);
	return 0;
}

unsigned long long of_xxh64(const void *data, size_t len, unsigned long long seed)
{
	return (unsigned long long)XXH64(data, len, (XXH64_hash_t)seed);
}

int of_asset_path(char **out, const char *rel)
{
	char exe[OF_MAX_PATH], tried[3][OF_MAX_PATH];
	const char *env = getenv("ONEFISH_DATADIR");
	char *dirs[3] = {NULL, NULL, NULL};
	size_t n_dirs = 0, n_tried = 0;
	ssize_t n;
	int rc = OF_ENOTFOUND;

	*out = NULL;
	/* where the assets may be, in order: what the user set, the build tree or a
	 * relocated install (<exe>/../assets; /proc/self/exe is already resolved), the prefix */
	if (env && env[0])
		dirs[n_dirs++] = strdup(env);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *bin = of_path_dirname(exe), *top = bin ? of_path_dirname(bin) : NULL;
		dirs[n_dirs++] = top ? of_path_join(top, "assets") : NULL;
		free(bin);
		free(top);
	}
	dirs[n_dirs++] = strdup(OF_DATADIR);
	for (size_t i = 0; i < n_dirs && !*out; i++) {
		char *cand = dirs[i] ? of_path_join(dirs[i], rel) : NULL;
		if (cand && access(cand, R_OK) == 0) {
			*out = cand;
			rc = 0;
		} else {
			if (cand)
				snprintf(tried[n_tried++], OF_MAX_PATH, "%s", cand);
			free(cand);
		}
	}
	if (!*out) {
		/* name the file where it was looked for first (ONEFISH_DATADIR's, when set) and how
		 * to give onefish its assets: a broken install, not the user's input */
		if (n_tried == 0)
			rc = of_error_set_oom();
		else
			rc = of_error_set_at(OF_ENOTFOUND, tried[0], 0, 0,
					     "onefish asset %s not found%s%s%s%s%s; set ONEFISH_DATADIR to onefish's "
					     "assets folder (assets/ in the source tree), or reinstall onefish (make install)",
					     rel, n_tried > 1 ? " (nor in " : "", n_tried > 1 ? tried[1] : "",
					     n_tried > 2 ? ", " : "", n_tried > 2 ? tried[2] : "", n_tried > 1 ? ")" : "");
	}
	for (size_t i = 0; i < n_dirs; i++)
		free(dirs[i]);
	return rc;
}

int of_file_keep_aside(const char *dir, const char *name, char *kept, size_t kept_size)
{
	const char *dot = strrchr(name, '.');
	size_t stem = dot ? (size_t)(dot - name) : strlen(name);
	char rel[512], *from = of_path_join(dir, name), *to = NULL;
	int rc = 0;
	for (int n = 1; n < 1000 && rc == 0; n++) {
		if (n == 1)
			snprintf(rel, sizeof rel, "%.*s.edited%s", (int)stem, name, dot ? dot : "");
		else
			snprintf(rel, sizeof rel, "%.*s.edited-%d%s", (int)stem, name, n, dot ? dot : "");
		free(to);
		if (!(to = of_path_join(dir, rel)) || !from) {
			rc = of_error_set_oom();
			break;
		}
		if (access(to, F_OK) != 0) {
			if (rename(from, to) != 0)
				rc = of_error_set(OF_ERROR, "%s: cannot keep it as %s: %s", of_path_display(from), rel,
						  strerror(errno));
			else
				snprintf(kept, kept_size, "%s", rel);
			break;
		}
	}
	free(from);
	free(to);
	return rc;
}

int of_file_guard_edit(const char *dir, const char *name, const char *record_json, const char *key, int force)
{
	int edited = force ? 0 : of_file_edited_since(dir, name, record_json, key);
	if (edited == 1)
		return of_error_set_at(OF_ERROR, dir, 0, 0,
				       "%s was edited by hand since it was generated: not overwriting it "
				       "(move it away, or use --force)", name);
	if (edited == 2) { /* no record of what was written (a run cut short, a deleted record): keep it */
		char kept[512];
		int rc = of_file_keep_aside(dir, name, kept, sizeof kept);
		if (rc < 0)
			return rc;
		of_log_warn_at(dir, 0, 0,
			       "%s had no readable %s (the record of what was written), so it may hold an edit: kept "
			       "as %s, a new one is written", name, record_json, kept);
	}
	return 0;
}

int of_file_edited_since(const char *dir, const char *name, const char *record_json, const char *key)
{
	char *fp = of_path_join(dir, name), *rp = of_path_join(dir, record_json), have[65];
	json_t *rec = NULL;
	int edited = 0;
	if (fp && rp && of_path_is_file(fp)) {
		/* a file with no record of what was written cannot be told from an edited one (a record
		 * of an older version without `key` had nothing to compare: as before, not protected) */
		if (!of_path_is_file(rp) || of_json_load(&rec, rp, (size_t)16 << 20) != 0)
			edited = 2;
		else if (json_is_string(json_object_get(rec, key)) && of_sha256_file(have, fp) == 0)
			edited = strcmp(json_string_value(json_object_get(rec, key)), have) != 0;
	}
	json_decref(rec);
	free(fp);
	free(rp);
	of_error_clear();
	return edited;
}
