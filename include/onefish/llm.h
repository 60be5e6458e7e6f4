/* llm.h — OpenAI-compatible /v1/chat/completions client: cache by request
 * hash, retries with backoff (429/5xx/timeouts, Retry-After honoured). The API
 * key is read from the environment and never logged, cached or written. */
#ifndef ONEFISH_LLM_H
#define ONEFISH_LLM_H

#include <stddef.h>

typedef struct of_llm_options {
	unsigned version;
	const char *endpoint;    /**< base URL, e.g. http://127.0.0.1:11434/v1 */
	const char *model;
	const char *api_key_env; /**< env var name holding the key, or NULL */
	double timeout_s;
	int max_tokens;
	int max_retries;         /**< default 3 */
	double temperature;      /**< default 0 for reproducibility */
	const char *cache_dir;   /**< answers cached here by request hash; NULL = no cache */
} of_llm_options;

#define OF_LLM_OPTIONS_VERSION 1
#define OF_LLM_OPTIONS_INIT {OF_LLM_OPTIONS_VERSION, NULL, NULL, NULL, 60.0, 2048, 3, 0.0, NULL}

typedef struct of_llm_message {
	const char *role;    /**< "system", "user", "assistant" */
	const char *content;
} of_llm_message;

/**
 * Sends a chat request and returns the first choice's message content.
 * Caller frees `*answer` with free(). Cached answers are returned without a request.
 * @return 0, OF_ENET (unreachable, timeouts, retries exhausted), OF_EINVALID
 *         (malformed answer; message names the endpoint), OF_EUSAGE (no endpoint/model).
 */
int of_llm_chat(char **answer, const of_llm_message *msgs, size_t n_msgs, const of_llm_options *opts);

#endif
