/* test_pack_stages.c — the real stage table: which settings key which stage's cache. */
#include "testutil.h"

#include "onefish/json.h"
#include "onefish/pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = {"article", "script", "video", "prompts"};

/* Settings text of every real stage for a config given as YAML. */
static void settings_of(const char *yaml, char *out[4])
{
	of_config *cfg = NULL;
	of_pack_job job;
	memset(&job, 0, sizeof job);
	assert_int_equal(of_config_parse(&cfg, yaml, strlen(yaml), "onefish.yaml"), 0);
	job.name = "w";
	job.pack_dir = ".";
	job.out_dir = "out/w";
	job.cfg = cfg;
	for (int i = 0; i < 4; i++) {
		assert_non_null(of_pack_stages[i]);
		assert_string_equal(of_pack_stages[i]->name, names[i]);
		json_t *s = of_pack_stages[i]->settings(&job);
		out[i] = of_json_dump(s);
		json_decref(s);
	}
	assert_null(of_pack_stages[4]);
	of_config_free(cfg);
}

/* Which stages' settings differ between two configs, e.g. "video,". */
static void expect_changed(const char *a, const char *b, const char *want)
{
	char *sa[4], *sb[4], got[64] = "";
	settings_of(a, sa);
	settings_of(b, sb);
	for (int i = 0; i < 4; i++) {
		if (strcmp(sa[i], sb[i]) != 0)
			snprintf(got + strlen(got), sizeof got - strlen(got), "%s,", names[i]);
		free(sa[i]);
		free(sb[i]);
	}
	assert_string_equal(got, want);
}

static void test_pack_stages__settings_key_only_their_stage(void **state)
{
	const char *base = "name: w\nbrand:\n  name: 暖暖母婴\nvideo:\n  crf: 23\nprompts:\n  top: 8\n";
	(void)state;
	expect_changed(base, base, "");
	expect_changed(base, "name: w\nbrand:\n  name: 暖暖母婴\nvideo:\n  crf: 20\nprompts:\n  top: 8\n", "video,");
	expect_changed(base, "name: w\nbrand:\n  name: 暖暖母婴\nvideo:\n  crf: 23\nprompts:\n  top: 5\n", "prompts,");
	expect_changed(base, "name: w\nbrand:\n  name: 别的牌子\nvideo:\n  crf: 23\nprompts:\n  top: 8\n",
		       "article,script,video,prompts,");
	expect_changed(base, "name: w\nbrand:\n  name: 暖暖母婴\nvideo:\n  crf: 23\nprompts:\n  top: 8\nscript:\n  duration: 15\n",
		       "script,");
	expect_changed(base, "name: w\nbrand:\n  name: 暖暖母婴\nvideo:\n  crf: 23\nprompts:\n  top: 8\nvoice:\n  rate: 200\n",
		       "video,");
	/* brand.audience names the viewers in the prompts only */
	expect_changed(base, "name: w\nbrand:\n  name: 暖暖母婴\n  audience: 宝妈\nvideo:\n  crf: 23\nprompts:\n  top: 8\n",
		       "prompts,");
	/* The pack's name is not a setting: renaming a pack does not rerun it. */
	expect_changed(base, "name: w2\nbrand:\n  name: 暖暖母婴\nvideo:\n  crf: 23\nprompts:\n  top: 8\n", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pack_stages__settings_key_only_their_stage),
	};
	return cmocka_run_group_tests_name("pack_stages", tests, NULL, NULL);
}
