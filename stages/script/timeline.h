/* timeline.h — FCPXML 1.9 export of a storyboard (private to the script stage). */
#ifndef ONEFISH_SCRIPT_TIMELINE_H
#define ONEFISH_SCRIPT_TIMELINE_H

#include "onefish/storyboard.h"

#include <jansson.h>

/* of_script_write_timeline() is public (onefish/storyboard.h): the pack's video stage
 * writes the timeline beside the stems it rendered. */

#endif
