/* test_pack_docs.c — docs/config.md documents every key of the config schema. */
#include "testutil.h"

#include "onefish/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_pack_docs__every_config_key_documented(void **state)
{
	char path[4096], key[256];
	const char *root = getenv("ONEFISH_ROOT");
	char *doc;
	(void)state;
	snprintf(path, sizeof path, "%s/docs/config.md", root && root[0] ? root : ".");
	doc = of_test_slurp(path, NULL);
	for (const of_config_key *k = of_config_schema; k->key; k++) {
		snprintf(key, sizeof key, "| `%s` |", k->key);
		if (!strstr(doc, key))
			fail_msg("docs/config.md does not document '%s' (add a row to its Keys table)", k->key);
	}
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pack_docs__every_config_key_documented),
	};
	return cmocka_run_group_tests_name("pack_docs", tests, NULL, NULL);
}
