/* fetch_cache.c — remote images from posts into a cache folder: untrusted
 * URL policy, content type and magic-byte check, size cap, atomic write. */
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/http.h"
#include "onefish/limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const g_exts[] = {".jpg", ".png", ".gif", ".webp", ".bmp", ".bin"};

/* Extension from the bytes themselves: the Content-Type header is only a claim. */
static const char *sniff_ext(const unsigned char *p, size_t n)
{
	if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return ".jpg";
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return ".png";
	if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
		return ".gif";
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return ".webp";
	if (n >= 2 && p[0] == 'B' && p[1] == 'M')
		return ".bmp";
	return NULL;
}

static char *cached_name(const char *dir, const char *hex, const char *ext)
{
	char name[80];
	snprintf(name, sizeof name, "%s%s", hex, ext);
	return of_path_join(dir, name);
}

int of_fetch_to_cache_opts(char **path_out, const char *url, const char *cache_dir,
			   const char *accept_type_prefix, const of_http_options *opts)
{
	static const of_http_options defaults = OF_HTTP_OPTIONS_INIT;
	of_http_options o = opts ? *opts : defaults;
	of_http_response r;
	char hex[65], shown[256];
	const char *ext;
	char *path;
	int rc;

	*path_out = NULL;
	of_url_sanitize(shown, sizeof shown, url);
	if (!cache_dir || !cache_dir[0])
		return of_error_set(OF_EUSAGE, "%s: no cache folder for downloads", shown);
	if ((rc = of_url_check(url, 0)) < 0)
		return rc;
	of_sha256_hex(hex, url, strlen(url));
	for (size_t i = 0; i < sizeof g_exts / sizeof *g_exts; i++) {
		if (!(path = cached_name(cache_dir, hex, g_exts[i])))
			return of_error_set_oom();
		if (of_path_is_file(path)) {
			*path_out = path;
			return 0;
		}
		free(path);
	}

	o.trusted = 0;
	o.accept_type = accept_type_prefix;
	if (!opts || o.max_bytes == 0 || o.max_bytes > OF_MAX_IMAGE_BYTES)
		o.max_bytes = OF_MAX_IMAGE_BYTES;
	if ((rc = of_http_get(&r, url, &o)) < 0)
		return rc;
	if (r.status < 200 || r.status >= 300) {
		long st = r.status;
		of_http_response_free(&r);
		if (st == 404 || st == 410)
			return of_error_set(OF_ENOTFOUND, "%s: HTTP %ld (not found)", shown, st);
		return of_error_set(OF_ENET, "%s: HTTP %ld", shown, st);
	}
	if (r.len == 0) {
		of_http_response_free(&r);
		return of_error_set(OF_EINVALID, "%s: empty answer", shown);
	}
	ext = sniff_ext((const unsigned char *)r.body, r.len);
	if (!ext && accept_type_prefix && strncasecmp(accept_type_prefix, "image/", 6) == 0) {
		rc = of_error_set(OF_EINVALID, "%s: answer says %s but is not a JPEG, PNG, GIF, WebP or BMP image",
				  shown, r.content_type ? r.content_type : "nothing");
		of_http_response_free(&r);
		return rc;
	}
	if (!(path = cached_name(cache_dir, hex, ext ? ext : ".bin"))) {
		of_http_response_free(&r);
		return of_error_set_oom();
	}
	if ((rc = of_mkdirs(cache_dir)) == 0)
		rc = of_file_write_atomic(path, r.body, r.len);
	of_http_response_free(&r);
	if (rc < 0) {
		free(path);
		return rc;
	}
	*path_out = path;
	return 0;
}

int of_fetch_to_cache(char **path_out, const char *url, const char *cache_dir, const char *accept_type_prefix)
{
	return of_fetch_to_cache_opts(path_out, url, cache_dir, accept_type_prefix, NULL);
}
