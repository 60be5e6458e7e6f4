/* fuzz_config.c — onefish.yaml (libyaml + schema): any bytes give a config or a located error. */
#include "fuzz.h"
#include "onefish/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	of_config *cfg = NULL;
	int rc = of_config_parse(&cfg, (const char *)data, size, "fuzz.yaml");
	if (rc < 0) {
		of_fuzz_check_error(rc);
		OF_FUZZ_CHECK(cfg == NULL);
		/* Input errors name the file. */
		if (rc == OF_EINVALID || rc == OF_ELIMIT)
			OF_FUZZ_CHECK(strcmp(of_error_last()->path, "fuzz.yaml") == 0);
		return 0;
	}
	/* Every value that passed validation is readable and within its schema range. */
	for (const of_config_key *k = of_config_schema; k->key; k++) {
		const char *const *items;
		size_t n = of_config_list(cfg, k->key, &items);
		for (size_t i = 0; i < n; i++)
			OF_FUZZ_CHECK(items[i] != NULL);
		if (!of_config_has(cfg, k->key))
			continue;
		OF_FUZZ_CHECK(of_config_line(cfg, k->key) >= 1);
		if ((k->type == OF_CFG_INT || k->type == OF_CFG_NUMBER) && k->min < k->max) {
			double v = of_config_num(cfg, k->key, k->min);
			OF_FUZZ_CHECK(v >= k->min && v <= k->max);
		}
		(void)of_config_bool(cfg, k->key, 0);
	}
	of_config_free(cfg);
	return 0;
}
