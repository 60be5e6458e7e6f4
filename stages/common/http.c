/* http.c — placeholder until the libcurl client lands (issue 3/8 net work). */
#include "onefish/http.h"
#include "onefish/error.h"

#include <stdlib.h>

int of_url_check(const char *url, int trusted)
{
	(void)trusted;
	return of_error_set(OF_EINVALID, "%s: URL fetching is not available yet", url);
}

int of_http_get(of_http_response *out, const char *url, const of_http_options *opts)
{
	(void)opts;
	out->body = NULL;
	out->content_type = NULL;
	return of_error_set(OF_ENET, "%s: HTTP client not available yet", url);
}

int of_http_post_json(of_http_response *out, const char *url, const char *json_body,
		      const char *const *headers, const of_http_options *opts)
{
	(void)json_body; (void)headers;
	return of_http_get(out, url, opts);
}

void of_http_response_free(of_http_response *r)
{
	free(r->body);
	free(r->content_type);
	r->body = r->content_type = NULL;
}
