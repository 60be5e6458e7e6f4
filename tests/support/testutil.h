/* testutil.h — helpers shared by the cmocka unit tests. */
#ifndef ONEFISH_TESTUTIL_H
#define ONEFISH_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

/** Path of a fixture under tests/fixtures/ (static buffer, valid until the next call). */
const char *of_fixture(const char *rel);

/** Path under ../shared/corpus/ or NULL when the corpus is absent (tests then skip()). */
const char *of_corpus(const char *rel);

/** A fresh temporary folder (static buffer); removed by of_test_rmtree(). */
const char *of_test_tmpdir(void);

/** Removes a folder tree (test clean-up). */
void of_test_rmtree(const char *dir);

/** Reads a whole file into a malloc'd NUL-terminated buffer; fails the test if missing. */
char *of_test_slurp(const char *path, size_t *len);

/** Writes a file (test set-up); fails the test on error. */
void of_test_write(const char *path, const char *data, size_t len);

#endif
