/* version.h — the onefish version, also part of every cache key. */
#ifndef ONEFISH_VERSION_H
#define ONEFISH_VERSION_H

/** Version string, e.g. "0.1.0" (static storage). */
const char *of_version(void);

#endif
