/* fuzz_json.c — of_json_parse (jansson + our depth pre-scan), whole documents
 * and JSONL records. A parsed value must dump and re-parse to an equal value. */
#include "fuzz.h"
#include "onefish/json.h"
#include "onefish/limits.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* json_equal, except that reals only need to agree to the 10 significant
 * digits of_json_dump writes (a documented, deterministic rounding). */
static int json_fuzz_equal(const json_t *a, const json_t *b)
{
	if (json_is_real(a) && json_is_real(b)) {
		double x = json_real_value(a), y = json_real_value(b);
		double m = fabs(x) > fabs(y) ? fabs(x) : fabs(y);
		return fabs(x - y) <= m * 1e-9;
	}
	if (json_typeof(a) != json_typeof(b))
		return 0;
	if (json_is_array(a)) {
		if (json_array_size(a) != json_array_size(b))
			return 0;
		for (size_t i = 0; i < json_array_size(a); i++)
			if (!json_fuzz_equal(json_array_get(a, i), json_array_get(b, i)))
				return 0;
		return 1;
	}
	if (json_is_object(a)) {
		const char *k;
		json_t *x;
		if (json_object_size(a) != json_object_size(b))
			return 0;
		json_object_foreach((json_t *)a, k, x) {
			json_t *y = json_object_get(b, k);
			if (!y || !json_fuzz_equal(x, y))
				return 0;
		}
		return 1;
	}
	return json_equal(a, b);
}

/* Reals within 10 significant digits of DBL_MAX dump as a number that overflows on reading
 * back (1.7976931348623157e308 -> 1.797693135e308): a known limit of the 10-digit output. */
static int json_fuzz_huge(const json_t *v)
{
	size_t i;
	const char *k;
	json_t *x;
	if (json_is_real(v))
		return fabs(json_real_value(v)) > 1.7976931e308;
	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			if (json_fuzz_huge(x))
				return 1;
	}
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, x)
			if (json_fuzz_huge(x))
				return 1;
	}
	return 0;
}

static void json_fuzz_one(const char *s, size_t len, unsigned long line_base)
{
	json_t *v = NULL, *back = NULL;
	int rc = of_json_parse(&v, s, len, "fuzz.json", line_base);
	if (rc < 0) {
		of_fuzz_check_error(rc);
		OF_FUZZ_CHECK(v == NULL);
		OF_FUZZ_CHECK(rc == OF_EINVALID || rc == OF_ELIMIT || rc == OF_ENOMEM);
		OF_FUZZ_CHECK(strcmp(of_error_last()->path, "fuzz.json") == 0);
		OF_FUZZ_CHECK(of_error_last()->line > line_base);
		return;
	}
	OF_FUZZ_CHECK(of_json_depth(v) <= OF_MAX_JSON_DEPTH);
	char *dump = of_json_dump(v);
	OF_FUZZ_CHECK(dump != NULL);
	if (of_json_parse(&back, dump, strlen(dump), "dump.json", 0) != 0)
		OF_FUZZ_CHECK(json_fuzz_huge(v));
	else
		OF_FUZZ_CHECK(json_fuzz_equal(v, back));
	free(dump);
	json_decref(back);
	json_decref(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	if (size == 0)
		return 0;
	/* First byte: even = one document, odd = JSON Lines (one record per line). */
	if ((data[0] & 1) == 0) {
		json_fuzz_one(s + 1, size - 1, 0);
		return 0;
	}
	size_t start = 1;
	unsigned long line = 1;
	for (size_t i = 1; i <= size; i++) {
		if (i == size || s[i] == '\n') {
			if (i > start)
				json_fuzz_one(s + start, i - start, line - 1);
			start = i + 1;
			line++;
		}
	}
	return 0;
}
