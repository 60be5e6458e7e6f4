/* scene_lines.h — the line of each scene's picture in script.json, for messages
 * (private to the render stage). jansson gives positions only for parse errors,
 * so the text is walked once more for its structure. */
#ifndef ONEFISH_RENDER_SCENE_LINES_H
#define ONEFISH_RENDER_SCENE_LINES_H

#include "render_int.h"

#include <stddef.h>

/**
 * Fills `lines[i]` (i < n) with the 1-based line of the "image" key of the
 * i-th object of the top-level "scenes" array in the JSON text `data` (the
 * line of the object's `{` when it has no "image"), or 0 where there is no
 * such scene. Reads only strings and brackets; never fails (text that is not
 * JSON leaves zeros). All arguments borrowed.
 */
void of_render__scene_lines(unsigned long *lines, size_t n, const char *data, size_t len);

/**
 * Sets `line` of every scene of `s` from the file `s->path` (of_render__scene_lines).
 * A file that cannot be read leaves the lines as they were (0: messages then name
 * the scene by its index and id only).
 */
void of_render__set_scene_lines(of_rscript *s);

#endif
