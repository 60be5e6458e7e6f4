/* hook.h — the video's opening line: a question or a striking number (private to the script stage). */
#ifndef ONEFISH_SCRIPT_HOOK_H
#define ONEFISH_SCRIPT_HOOK_H

#include "script/scene.h"

#include <stddef.h>

/**
 * Appends to the hook scene `h` the best clause of the `n` sentences `ss` (a question, else a
 * striking number) of at most `cap` spoken units, else the article's `title` (borrowed; may be
 * NULL), else the best standalone clause; marks the sentence it came from used.
 * @return 0 or OF_ENOMEM.
 */
int of_script__pick_hook(of_script__scene *h, of_script__sent *ss, size_t n, const char *title, double cap,
			 double rate);

#endif
