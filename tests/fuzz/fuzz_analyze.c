/* fuzz_analyze.c — the prompts stage's text analysis (NFKC, t2s, noise and
 * spam rules, intent rules, clustering key) on arbitrary bytes: it must not
 * crash, must give valid UTF-8, a known intent and rule (and a topic only for
 * a complaint or purchase ask), and must give the
 * same answer twice (its OpenCC shortcut caches per character, so a second
 * call takes the other path through that cache). */
#include "fuzz.h"
#include "prompts/prompts_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static of_normalizer *nz;
	static of_lexicons *lx;
	of_analysis a = {0}, b = {0};
	if (!nz && (of_normalizer__new(&nz) != 0 || of_lexicons__load(&lx) != 0))
		abort();
	if (size > 4096) /* comments are short; the readers cap a text anyway */
		return 0;
	OF_FUZZ_CHECK(of_analyze__text(nz, lx, (const char *)data, size, &a) == 0);
	OF_FUZZ_CHECK(a.norm && of_utf8_valid(a.norm, strlen(a.norm), NULL));
	OF_FUZZ_CHECK(a.key && of_utf8_valid(a.key, strlen(a.key), NULL));
	OF_FUZZ_CHECK(a.intent < OF_INTENT_COUNT && a.rule < OF_RULE_COUNT);
	OF_FUZZ_CHECK(of_analyze__text(nz, lx, (const char *)data, size, &b) == 0);
	OF_FUZZ_CHECK(strcmp(a.norm, b.norm) == 0 && strcmp(a.key, b.key) == 0);
	OF_FUZZ_CHECK(a.intent == b.intent && a.rule == b.rule && a.myth == b.myth && a.topic == b.topic);
	/* only a complaint or a purchase ask has a topic, and it is one the lexicons name */
	OF_FUZZ_CHECK(a.topic == 0 || ((a.intent == OF_INTENT_COMPLAINT || a.intent == OF_INTENT_PURCHASE) &&
					of_lexicons__topic(lx, a.topic)));
	of_analysis__clear(&a);
	of_analysis__clear(&b);
	return 0;
}
