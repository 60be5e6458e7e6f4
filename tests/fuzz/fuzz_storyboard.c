/* fuzz_storyboard.c — what the video stage reads: script.json (of_json_parse +
 * of_storyboard_validate) and, through of_storyboard_load, the editor's
 * script.md 分镜表 beside it. First byte even: the rest is script.json; odd:
 * the rest is "script.json NUL script.md". An accepted storyboard always has
 * 1..OF_MAX_SCENES scenes of finite positive duration with images inside the pack. */
#include "fuzz.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/storyboard.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void storyboard_fuzz_check(const json_t *sb)
{
	const json_t *scenes = json_object_get(sb, "scenes");
	double total = 0;
	OF_FUZZ_CHECK(json_is_array(scenes));
	OF_FUZZ_CHECK(json_array_size(scenes) >= 1 && json_array_size(scenes) <= OF_MAX_SCENES);
	for (size_t i = 0; i < json_array_size(scenes); i++) {
		const json_t *s = json_array_get(scenes, i), *d = json_object_get(s, "duration");
		const char *img = of_json_str(s, "image");
		OF_FUZZ_CHECK(json_is_number(d));
		double v = json_number_value(d);
		OF_FUZZ_CHECK(isfinite(v) && v > 0);
		total += v;
		if (img) {
			OF_FUZZ_CHECK(img[0] != '/' && strstr(img, "://") == NULL);
			OF_FUZZ_CHECK(strcmp(img, "..") != 0 && strncmp(img, "../", 3) != 0 && !strstr(img, "/../"));
		}
	}
	OF_FUZZ_CHECK(total <= OF_MAX_VIDEO_SECONDS + 1e-6);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	of_log_set_handler(of_fuzz_log, NULL);
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	if ((data[0] & 1) == 0) {
		json_t *sb = NULL;
		if (of_json_parse(&sb, s, n, "script.json", 0) == 0) {
			int rc = of_storyboard_validate(sb, "script.json");
			if (rc == 0)
				storyboard_fuzz_check(sb);
			else
				of_fuzz_check_error(rc);
			json_decref(sb);
		}
	} else {
		const char *nul = memchr(s, 0, n);
		size_t jlen = nul ? (size_t)(nul - s) : n;
		char jp[512], mp[512];
		snprintf(jp, sizeof jp, "%s/script.json", of_fuzz_tmpdir());
		snprintf(mp, sizeof mp, "%s/script.md", of_fuzz_tmpdir());
		FILE *fp = fopen(jp, "wb"), *fm = fopen(mp, "wb");
		if (!fp || !fm)
			abort();
		fwrite(s, 1, jlen, fp);
		if (nul)
			fwrite(nul + 1, 1, n - jlen - 1, fm);
		fclose(fp);
		fclose(fm);
		json_t *sb = NULL;
		int rc = of_storyboard_load(&sb, jp);
		if (rc == 0) {
			storyboard_fuzz_check(sb);
			json_decref(sb);
		} else {
			of_fuzz_check_error(rc);
		}
	}
	of_log_set_handler(NULL, NULL);
	return 0;
}
