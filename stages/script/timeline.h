/* timeline.h — FCPXML 1.9 export of a storyboard (private to the script stage). */
#ifndef ONEFISH_SCRIPT_TIMELINE_H
#define ONEFISH_SCRIPT_TIMELINE_H

#include <jansson.h>

/**
 * Writes `out_dir`/timeline.fcpxml (FCPXML 1.9, libxml2 xmlwriter): one asset per
 * image, one <video> still per scene on the spine (offset = previous offset +
 * duration, rational frame times like 90/30s) with its caption as a connected
 * <title>. Image paths become file:// URLs relative to the timeline ("./images/x.jpg").
 * @return 0, OF_ERROR (write failure), OF_ENOMEM.
 */
int of_script_write_timeline(const json_t *sb, const char *out_dir);

#endif
