/* llm.c — placeholder until the chat client lands. */
#include "onefish/llm.h"
#include "onefish/error.h"

int of_llm_chat(char **answer, const of_llm_message *msgs, size_t n_msgs, const of_llm_options *opts)
{
	(void)msgs; (void)n_msgs; (void)opts;
	*answer = 0;
	return of_error_set(OF_ENET, "LLM client not available yet");
}
