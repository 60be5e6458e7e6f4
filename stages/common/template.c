/* template.c — minimal {{key}} templates and HTML escaping. */
#include "onefish/template.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"

#include <stdlib.h>
#include <string.h>

int of_template_render(char **out, const char *tmpl, const char *const *kv)
{
	of_buf b;
	const char *p = tmpl;
	int rc = 0;
	*out = NULL;
	of_buf_init(&b, 0);
	while (*p && rc == 0) {
		const char *open = strstr(p, "{{");
		if (!open) {
			rc = of_buf_puts(&b, p);
			break;
		}
		const char *close = strstr(open + 2, "}}");
		if (!close) {
			of_buf_free(&b);
			return of_error_set(OF_EINVALID, "template: unterminated '{{' at offset %zu",
					    (size_t)(open - tmpl));
		}
		if ((rc = of_buf_append(&b, p, (size_t)(open - p))) < 0)
			break;
		size_t klen = (size_t)(close - open - 2);
		for (const char *const *k = kv; k && k[0]; k += 2) {
			if (strlen(k[0]) == klen && strncmp(k[0], open + 2, klen) == 0) {
				if (k[1])
					rc = of_buf_puts(&b, k[1]);
				break;
			}
		}
		p = close + 2;
	}
	if (rc < 0) {
		of_buf_free(&b);
		return rc;
	}
	*out = of_buf_detach(&b, NULL);
	return *out ? 0 : OF_ENOMEM;
}

int of_template_render_asset(char **out, const char *rel, const char *const *kv)
{
	char *path = NULL, *tmpl = NULL;
	int rc;
	*out = NULL;
	if ((rc = of_asset_path(&path, rel)) < 0)
		return rc;
	rc = of_file_read(&tmpl, NULL, path, 1024 * 1024);
	free(path);
	if (rc < 0)
		return rc;
	rc = of_template_render(out, tmpl, kv);
	free(tmpl);
	return rc;
}

char *of_html_escape(const char *s)
{
	of_buf b;
	of_buf_init(&b, 0);
	for (; *s; s++) {
		int rc;
		switch (*s) {
		case '&': rc = of_buf_puts(&b, "&amp;"); break;
		case '<': rc = of_buf_puts(&b, "&lt;"); break;
		case '>': rc = of_buf_puts(&b, "&gt;"); break;
		case '"': rc = of_buf_puts(&b, "&quot;"); break;
		case '\'': rc = of_buf_puts(&b, "&#39;"); break;
		default: rc = of_buf_putc(&b, *s); break;
		}
		if (rc < 0) {
			of_buf_free(&b);
			return NULL;
		}
	}
	return of_buf_detach(&b, NULL);
}
