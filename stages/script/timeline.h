/* timeline.h — FCPXML 1.9 export of a storyboard (private to the script stage). */
#ifndef ONEFISH_SCRIPT_TIMELINE_H
#define ONEFISH_SCRIPT_TIMELINE_H

#include "onefish/storyboard.h"

#include <jansson.h>

/**
 * Writes `out_dir`/timeline.fcpxml (FCPXML 1.9, libxml2 xmlwriter): one asset per
 * image, one <video> still per scene on the spine (offset = previous offset +
 * duration, rational frame times like 90/30s) with its caption as a connected
 * <title> (lane 1) placed where the video burns it in (Position, pixels from the
 * frame's centre: bottom centre of the safe zone). With `media` (may be NULL): the
 * scenes last as long as in the video, and the narration and music stems are audio
 * assets with an <asset-clip> each on lanes -1 and -2, connected to the first clip.
 * Image paths stay relative to the timeline ("./images/x.jpg").
 * @return 0, OF_ERROR (write failure), OF_ENOMEM.
 */
int of_script_write_timeline(const json_t *sb, const char *out_dir, const of_timeline_media *media);

#endif
