/* fuzz.h — invariants shared by the fuzz targets. Included by every
 * tests/fuzz/fuzz_<format>.c and, all together, by tests/unit/test_fuzz_replay.c,
 * so everything here is static inline and guarded. */
#ifndef ONEFISH_FUZZ_H
#define ONEFISH_FUZZ_H

#include "onefish/error.h"
#include "onefish/log.h"
#include "onefish/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* An invariant failed: abort, which libFuzzer records as a crash and the
 * replay test as a failed test. */
#define OF_FUZZ_CHECK(cond)                                                                         \
	do {                                                                                        \
		if (!(cond)) {                                                                      \
			fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                    \
		}                                                                                   \
	} while (0)

/* A failing call must return a known code and leave a non-empty message. */
static inline void of_fuzz_check_error(int rc)
{
	OF_FUZZ_CHECK(rc < 0 && rc >= OF_EINTR);
	OF_FUZZ_CHECK(of_error_last()->message[0] != '\0');
}

/* A NUL-terminated copy of the input, for APIs that take C strings. */
static inline char *of_fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* One scratch folder per process, for targets that need files. */
static inline const char *of_fuzz_tmpdir(void)
{
	static char dir[64];
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "/tmp/onefish-fuzz-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

/* Text handed to later stages: valid UTF-8, no NUL, no control characters but \n and \t. */
static inline int of_fuzz_clean_text(const char *s, size_t n)
{
	if (!of_utf8_valid(s, n, NULL))
		return 0;
	for (size_t i = 0; i < n;) {
		int32_t cp;
		int k = of_utf8_next(s + i, n - i, &cp);
		if (k <= 0)
			return 0;
		if (cp != '\n' && cp != '\t' && (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)))
			return 0;
		i += (size_t)k;
	}
	return 1;
}

/* Log handler for fuzzing: silent, but every skipped record must name its file and line. */
static inline void of_fuzz_log(const of_log_record *rec, void *payload)
{
	(void)payload;
	OF_FUZZ_CHECK(rec->message != NULL);
	if (rec->event == OF_EV_BAD_RECORD)
		OF_FUZZ_CHECK(rec->path && rec->path[0] && rec->line >= 1);
}

#endif
