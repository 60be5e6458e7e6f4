/* stage.h — what every stage shares: brand and live-stream facts, run flags, stats. */
#ifndef ONEFISH_STAGE_H
#define ONEFISH_STAGE_H

#include <stddef.h>

/** brand.color when the config sets none: the palette of the shipped assets/brand/background.jpg. */
#define OF_BRAND_COLOR_DEFAULT "#E8734A"
/** Size of the brand background a brand colour of its own gets (the shipped one's). */
#define OF_BRAND_BG_WIDTH 1080
#define OF_BRAND_BG_HEIGHT 1920

/** Brand and live-stream facts from onefish.yaml. Strings are borrowed from the config. */
typedef struct of_brand {
	const char *name;          /**< 暖暖母婴 */
	const char *account;       /**< official account name */
	const char *color;         /**< #RRGGBB */
	const char *slogan;
	const char *audience;      /**< who watches, as prompts name them: 宝妈; NULL = 观众 */
	const char *live_title;    /**< 宝宝辅食添加全攻略直播 */
	const char *live_time;     /**< ISO 8601 */
	const char *live_platform; /**< 视频号 */
	const char *live_cta;      /**< 点击预约，周四晚8点直播间见 */
	const char *live_url;      /**< booking link (http/https) or NULL */
} of_brand;

/** Flags every stage honours. */
typedef struct of_run_flags {
	int strict;       /**< any bad record fails the stage with OF_EINVALID */
	int engine_llm;   /**< use the LLM engine (falls back to offline on failure) */
	const char *llm_endpoint, *llm_model, *llm_api_key_env; /**< borrowed */
	double llm_timeout;
	int llm_max_tokens;
	const char *cache_dir; /**< where request caches live (borrowed), NULL = none */
	int no_isolate;           /**< parse untrusted inputs in-process (debugging, valgrind); 0 = in a limited worker (sandbox.h) */
	double parse_cpu_seconds; /**< worker CPU limit per input; 0 = OF_PARSE_CPU_SECONDS */
	size_t parse_memory_mb;   /**< worker memory limit per input, MB; 0 = OF_PARSE_MEMORY_BYTES (comment logs: plus 16x the file) */
} of_run_flags;

/** Counts a stage reports back for the summary. */
typedef struct of_stage_stats {
	size_t records_read; /**< input records seen */
	size_t records_used; /**< records that made it into the output */
	size_t records_bad;  /**< skipped as bad (reported with file:line) */
	size_t warnings;
	size_t inputs_skipped; /**< whole input files skipped as unusable (each reported with its path) */
	size_t placeholders;   /**< video: scenes rendered with a placeholder for a picture that cannot be
				*   used (each a warning, and counted among the used: not skipped) */
} of_stage_stats;

#endif
