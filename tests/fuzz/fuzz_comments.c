/* fuzz_comments.c — the comment-log readers (bilibili XML, YouTube JSON, IRC,
 * CSV, JSONL, Excel .xlsx, gzip) through of_comments_parse_buffer. First byte: low 3 bits
 * pick the format (0 = auto-detect), bit 3 strict. Every comment handed out
 * has clean text (text[0..text_len)) and a line; bad records name file:line. */
#include "fuzz.h"
#include "onefish/comments.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int comments_fuzz_cb(const of_comment *c, void *payload)
{
	size_t *count = payload;
	/* text[0..text_len) is the message; it need not be NUL-terminated there. */
	OF_FUZZ_CHECK(c->text && memchr(c->text, 0, c->text_len) == NULL);
	OF_FUZZ_CHECK(of_fuzz_clean_text(c->text, c->text_len));
	OF_FUZZ_CHECK(c->path && strcmp(c->path, "fuzz.log") == 0);
	OF_FUZZ_CHECK(c->line >= 1);
	OF_FUZZ_CHECK(isfinite(c->time) && isfinite(c->weight));
	OF_FUZZ_CHECK(c->user_id && c->user_name);
	OF_FUZZ_CHECK((c->host == 0 || c->host == 1) && (c->emotes_only == 0 || c->emotes_only == 1));
	OF_FUZZ_CHECK((c->moderator == 0 || c->moderator == 1) && !(c->host && c->moderator)); /* one role */
	(*count)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
	of_comments_stats st = {0};
	size_t count = 0;
	if (size == 0)
		return 0;
	of_log_set_handler(of_fuzz_log, NULL);
	o.format = (of_comments_format)(data[0] & 7);
	if (o.format > OF_COMMENTS_XLSX)
		o.format = OF_COMMENTS_AUTO;
	o.strict = (data[0] >> 3) & 1;
	o.max_bytes = 4 * 1024 * 1024; /* also bounds gzip expansion per input */
	int rc = of_comments_parse_buffer((const char *)data + 1, size - 1, "fuzz.log", &o, comments_fuzz_cb,
					  &count, &st);
	if (rc < 0)
		of_fuzz_check_error(rc);
	OF_FUZZ_CHECK(count == st.records);
	of_log_set_handler(NULL, NULL);
	return 0;
}
