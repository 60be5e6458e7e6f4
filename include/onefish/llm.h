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
	/* Added by the net work (fields at the end; 0 = default). */
	double backoff_s;        /**< first wait before a retry, doubled each time; 0 = 1 s */
	double max_wait_s;       /**< cap on one wait, whatever Retry-After asks; 0 = OF_LLM_MAX_WAIT_S */
} of_llm_options;

#define OF_LLM_OPTIONS_VERSION 1
#define OF_LLM_OPTIONS_INIT {OF_LLM_OPTIONS_VERSION, NULL, NULL, NULL, 60.0, 2048, 3, 0.0, NULL, 0.0, 0.0}

typedef struct of_llm_message {
	const char *role;    /**< "system", "user", "assistant" */
	const char *content;
} of_llm_message;

/**
 * Sends a chat request and returns the first choice's message content.
 * Caller frees `*answer` with free(). Cached answers are returned without a request.
 *
 * The request is POST <endpoint>/chat/completions with the body
 * {"model","messages","max_tokens","temperature","stream":false}; the cache
 * key is the SHA-256 of exactly that body (so neither the endpoint nor the API
 * key is part of it) and the answer is stored atomically as
 * <cache_dir>/<sha256>.json = {"request": ..., "answer": "..."}.
 * Retries (at most max_retries) on HTTP 408/429/5xx, timeouts and dropped
 * connections, waiting backoff_s, 2*backoff_s, ... or Retry-After when
 * longer, each wait capped at max_wait_s; each retry is logged as a warning.
 * A refused connection is not retried. Content given as an array of text
 * parts is joined; a leading <think>...</think> block (reasoning models) is
 * removed; finish_reason "length" is logged as a warning. The key is read with
 * getenv(api_key_env) only when a request is needed, sent as
 * "Authorization: Bearer", and scrubbed from any server message we report.
 * @return 0, OF_ENET (unreachable, timeouts, retries exhausted, HTTP errors),
 *         OF_EINVALID (answer not JSON, HTML, no choices[0].message.content, empty;
 *         message names the endpoint), OF_EUSAGE (no endpoint/model/messages,
 *         key variable unset), OF_ELIMIT (answer too large).
 */
int of_llm_chat(char **answer, const of_llm_message *msgs, size_t n_msgs, const of_llm_options *opts);

struct of_run_flags;

/**
 * Fills `o` (from OF_LLM_OPTIONS_INIT) with the llm.* settings and cache
 * folder of the run flags (stage.h). Pointers are borrowed from `flags`.
 * Stages call this, then set what is theirs (max_tokens, temperature).
 */
void of_llm_options_from_flags(of_llm_options *o, const struct of_run_flags *flags);

#endif
