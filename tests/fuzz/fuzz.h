/* fuzz.h — invariants shared by the fuzz targets. Included by every
 * tests/fuzz/fuzz_<format>.c and, all together, by tests/unit/test_fuzz_replay.c,
 * so everything here is static inline and guarded. */
#ifndef ONEFISH_FUZZ_H
#define ONEFISH_FUZZ_H

#include "onefish/error.h"

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

#endif
