/* version.c — the version string baked in by the Makefile. */
#include "onefish/version.h"

const char *of_version(void)
{
	return OF_VERSION;
}
