/* article_load.c — picks the reader for an article input: a Markdown or HTML
 * file, or an http(s) URL fetched with the project's HTTP client. */
#include "ingest/article_doc.h"
#include "ingest/article_isolate.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/http.h"
#include "onefish/limits.h"
#include "onefish/log.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcasecmp(s + a - b, suf) == 0;
}

/* HTML if it says so in its first bytes (a doctype or an <html>/<head> tag). */
static int looks_like_html(const char *s, size_t len)
{
	size_t i = 0, n = len < 1024 ? len : 1024;
	if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
		i = 3;
	while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
		i++;
	return n - i >= 5 && (strncasecmp(s + i, "<!doc", 5) == 0 || strncasecmp(s + i, "<html", 5) == 0 ||
			      strncasecmp(s + i, "<head", 5) == 0 || strncasecmp(s + i, "<meta", 5) == 0);
}


/* Makes `*img` absolute: "//host/x" gets https:, and on a fetched page a relative
 * path resolves against the page URL (curl's URL parser). Unresolvable stays as is. */
static int absolutize(char **img, const char *page_url)
{
	char *out = NULL;
	if (!*img || strncasecmp(*img, "http://", 7) == 0 || strncasecmp(*img, "https://", 8) == 0)
		return 0;
	if (strncmp(*img, "//", 2) == 0) {
		size_t n = strlen(*img) + 7;
		out = malloc(n);
		if (!out)
			return of_error_set_oom();
		snprintf(out, n, "https:%s", *img);
	} else if (page_url) {
		CURLU *u = curl_url();
		char *abs = NULL;
		if (!u)
			return of_error_set_oom();
		if (curl_url_set(u, CURLUPART_URL, page_url, 0) == CURLUE_OK &&
		    curl_url_set(u, CURLUPART_URL, *img, 0) == CURLUE_OK &&
		    curl_url_get(u, CURLUPART_URL, &abs, 0) == CURLUE_OK && abs) {
			out = strdup(abs);
			curl_free(abs);
		}
		curl_url_cleanup(u);
		if (!out)
			return 0;
	} else {
		return 0;
	}
	free(*img);
	*img = out;
	return 0;
}

static int absolutize_all(of_article_doc *d, const char *page_url)
{
	size_t i;
	int rc = absolutize(&d->image, page_url);
	for (i = 0; rc == 0 && i < d->n_blocks; i++)
		rc = absolutize(&d->blocks[i].image, page_url);
	return rc;
}

static int load_url(of_article_doc **out, const char *url, const of_http_options *given, const of_sandbox_limits *iso)
{
	of_http_options ho = OF_HTTP_OPTIONS_INIT;
	of_http_response r;
	int rc;
	memset(&r, 0, sizeof r);
	if (given)
		ho = *given;
	if (ho.max_bytes == 0 || ho.max_bytes > OF_MAX_HTML_BYTES)
		ho.max_bytes = OF_MAX_HTML_BYTES;
	if (ho.max_redirects < 0 || ho.max_redirects > OF_MAX_REDIRECTS)
		ho.max_redirects = OF_MAX_REDIRECTS;
	ho.trusted = 0; /* an article URL comes from the user's input, never from the config */
	ho.accept_type = NULL;
	/* of_http_get applies the URL policy (scheme, userinfo, private addresses). */
	if ((rc = of_http_get(&r, url, &ho)) < 0)
		return rc;
	if (r.status < 200 || r.status > 299) {
		rc = of_error_set(OF_EINVALID, "%s: HTTP status %ld: no article to read", url, r.status);
	} else if (r.content_type && strncasecmp(r.content_type, "text/html", 9) != 0 &&
		   strncasecmp(r.content_type, "application/xhtml", 17) != 0 &&
		   strncasecmp(r.content_type, "text/markdown", 13) != 0 && strncasecmp(r.content_type, "text/plain", 10) != 0) {
		rc = of_error_set(OF_EINVALID, "%s: content type %s is not an article page", url, r.content_type);
	} else if (r.content_type && (strncasecmp(r.content_type, "text/markdown", 13) == 0 ||
				      strncasecmp(r.content_type, "text/plain", 10) == 0)) {
		rc = of_article_doc__parse_isolated(out, 0, r.body, r.len, url, iso);
	} else {
		rc = of_article_doc__parse_isolated(out, 1, r.body, r.len, url, iso);
	}
	of_http_response_free(&r);
	if (rc == 0 && (rc = absolutize_all(*out, url)) < 0) {
		of_article_doc_free(*out);
		*out = NULL;
	}
	return rc;
}

int of_article_doc_load(of_article_doc **out, const char *input)
{
	return of_article_doc_load_opts(out, input, NULL);
}

int of_article_doc_load_opts(of_article_doc **out, const char *input, const of_http_options *ho)
{
	return of_article_doc_load_iso(out, input, ho, NULL);
}

int of_article_doc_load_iso(of_article_doc **out, const char *input, const of_http_options *ho,
			    const of_sandbox_limits *iso)
{
	char *data = NULL;
	size_t len = 0;
	int rc, html;
	*out = NULL;
	if (strncasecmp(input, "http://", 7) == 0 || strncasecmp(input, "https://", 8) == 0)
		return load_url(out, input, ho, iso);
	/* Any other scheme is refused: an input never makes us read file:// or talk ftp://. */
	const char *colon = strstr(input, "://");
	if (colon) {
		size_t i, n = (size_t)(colon - input);
		int scheme = n > 0;
		for (i = 0; i < n; i++)
			if (!((input[i] >= 'a' && input[i] <= 'z') || (input[i] >= 'A' && input[i] <= 'Z') ||
			      (input[i] >= '0' && input[i] <= '9') || input[i] == '+' || input[i] == '-' || input[i] == '.'))
				scheme = 0;
		if (scheme)
			return of_error_set(OF_EINVALID, "%.*s: URL scheme refused (only http:// and https:// are fetched)",
					    (int)n, input);
	}
	html = ends_with(input, ".html") || ends_with(input, ".htm") || ends_with(input, ".xhtml");
	size_t cap = html ? OF_MAX_HTML_BYTES : OF_MAX_MARKDOWN_BYTES;
	/* Read a little past the Markdown cap so the size error can say how big the file is. */
	rc = of_file_read(&data, &len, input, html ? cap : OF_MAX_HTML_BYTES);
	if (rc == OF_ELIMIT)
		return of_error_set_at(OF_ELIMIT, input, 0, 0, "article is larger than %zu bytes (the input cap)",
				       (size_t)OF_MAX_HTML_BYTES);
	if (rc < 0)
		return rc;
	if (!html && looks_like_html(data, len))
		html = 1;
	rc = of_article_doc__parse_isolated(out, html, data, len, input, iso);
	free(data);
	if (rc == 0 && html && (rc = absolutize_all(*out, NULL)) < 0) {
		of_article_doc_free(*out);
		*out = NULL;
		return rc;
	}
	if (rc == 0 && !(*out)->base_dir) {
		(*out)->base_dir = of_path_dirname(input);
		if (!(*out)->base_dir) {
			of_article_doc_free(*out);
			*out = NULL;
			return of_error_set_oom();
		}
	}
	return rc;
}
