/* fuzz_template.c — {{key}} templates and HTML escaping: the input split at
 * its first NUL is a template and a value. Escaped text never holds markup. */
#include "fuzz.h"
#include "onefish/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = of_fuzz_cstr(data, size);
	const char *value = memchr(data, 0, size) ? s + strlen(s) + 1 : "";
	char *esc = of_html_escape(value), *out = NULL;
	OF_FUZZ_CHECK(esc != NULL);
	OF_FUZZ_CHECK(strpbrk(esc, "<>\"'") == NULL);
	const char *kv[] = {"title", esc, "raw", value, "empty", "", NULL};
	int rc = of_template_render(&out, s, kv);
	if (rc == 0) {
		/* No markup can come from the escaped value: a template without '<' renders without '<'
		 * unless the raw value (deliberately unescaped) is used. */
		if (!strchr(s, '<') && !strstr(s, "{{raw}}"))
			OF_FUZZ_CHECK(strchr(out, '<') == NULL);
		free(out);
	} else {
		of_fuzz_check_error(rc);
		OF_FUZZ_CHECK(out == NULL);
	}
	free(esc);
	free(s);
	return 0;
}
