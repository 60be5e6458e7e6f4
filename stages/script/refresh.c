/* refresh.c — the script stage's derived files made again from an edited storyboard
 * (script.md or script.json changed by hand), so the timeline and the narration
 * subtitles do not keep the draft's captions and timing. */
#include "script/output.h"
#include "script/timeline.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/segment.h"
#include "onefish/storyboard.h"

int of_script_refresh(const char *script_json_path, const char *out_dir)
{
	json_t *sb = NULL;
	const of_segmenter *seg = NULL;
	int rc;
	if ((rc = of_storyboard_load(&sb, script_json_path)) < 0)
		return rc;
	if ((rc = of_mkdirs(out_dir)) == 0 && (rc = of_segmenter_shared(&seg)) == 0 &&
	    (rc = of_script_write_subtitles(sb, seg, out_dir)) == 0)
		rc = of_script_write_timeline(sb, out_dir, NULL);
	json_decref(sb);
	return rc;
}
