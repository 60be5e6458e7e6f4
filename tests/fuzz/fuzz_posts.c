/* fuzz_posts.c — the posts readers (JSONL, CSV, Markdown with front matter,
 * HTML export) through their memory entry points. First byte: bits 0-1 pick
 * the reader, bit 2 strict. Kept posts carry clean text and a line; every
 * skipped record names file:line (checked by the log handler); their image
 * paths go through the image lookup and its message. */
#include "fuzz.h"
#include "onefish/post.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"fuzz.jsonl", "fuzz.csv", "fuzz.md", "fuzz.html"};
	of_posts posts;
	of_posts_read_options o = OF_POSTS_READ_OPTIONS_INIT;
	of_posts_read_stats st = {0};
	int rc;
	if (size == 0)
		return 0;
	of_log_set_handler(of_fuzz_log, NULL);
	int which = data[0] & 3;
	o.strict = (data[0] >> 2) & 1;
	const char *s = (const char *)data + 1, *origin = names[which];
	size_t n = size - 1;
	of_posts_init(&posts);
	switch (which) {
	case 0: rc = of_posts_parse_jsonl(&posts, s, n, origin, "/nonexistent", &o, &st); break;
	case 1: rc = of_posts_parse_csv(&posts, s, n, origin, "/nonexistent", &o, &st); break;
	case 2: rc = of_posts_parse_markdown(&posts, s, n, origin, "/nonexistent", &o, &st); break;
	default: rc = of_posts_parse_html(&posts, s, n, origin, "/nonexistent", &o, &st); break;
	}
	if (rc < 0) {
		of_fuzz_check_error(rc);
	} else {
		OF_FUZZ_CHECK(posts.n <= st.records);
		for (size_t i = 0; i < posts.n; i++) {
			const of_post *p = &posts.items[i];
			OF_FUZZ_CHECK(p->id && p->id[0]);
			OF_FUZZ_CHECK(p->text && of_fuzz_clean_text(p->text, strlen(p->text)));
			OF_FUZZ_CHECK(p->likes >= 0);
			OF_FUZZ_CHECK(p->line >= 1);
			OF_FUZZ_CHECK(p->origin && strcmp(p->origin, origin) == 0);
			for (size_t k = 0; k < p->n_images; k++) {
				char *real = NULL, why[600];
				OF_FUZZ_CHECK(p->images[k] != NULL);
				/* the lookup (Windows '\\' spellings too) and its message, on any path a reader kept */
				int irc = of_post_resolve_image(&real, p, k, NULL);
				OF_FUZZ_CHECK(irc == 0 ? real != NULL : real == NULL);
				if (irc < 0) {
					OF_FUZZ_CHECK(of_error_last()->message[0] != '\0');
					OF_FUZZ_CHECK(of_post_image_problem(why, sizeof why, p->images[k], irc)[0] != '\0');
				}
				free(real);
				of_error_clear();
			}
		}
	}
	of_posts_free(&posts);
	of_log_set_handler(NULL, NULL);
	return 0;
}
