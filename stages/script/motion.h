/* motion.h — each scene's Ken Burns move in script.json (private to the script stage). */
#ifndef ONEFISH_SCRIPT_MOTION_H
#define ONEFISH_SCRIPT_MOTION_H

#include <jansson.h>
#include <stddef.h>

/** `x` rounded to the millisecond (script.json writes times and scales with 3 decimals). */
double of_script__r3(double x);

/**
 * The move of scene `i` (`kind` 0 hook, 1 body, 2 call to action) on `image` (borrowed; may be
 * NULL): zoom in, pan or zoom out, chosen from a hash of the image so reruns agree. `dur` is the
 * scene's length, `run_dur` that of the shot it opens (it and the scenes after it on the same
 * photo). Caller owns the returned reference (NULL on OOM).
 */
json_t *of_script__motion_json(size_t i, int kind, const char *image, double dur, double run_dur);

/**
 * The move of a scene that goes on showing the previous scene's photo, whose move was `prev`
 * (borrowed) over `prev_dur` s: from where it ended, at the same speed, for `dur` s.
 * Caller owns the returned reference (NULL on OOM).
 */
json_t *of_script__continue_motion(const json_t *prev, double prev_dur, double dur);

#endif
