/* output.h — the storyboard's derived files (private to the script stage). */
#ifndef ONEFISH_SCRIPT_OUTPUT_H
#define ONEFISH_SCRIPT_OUTPUT_H

#include "onefish/segment.h"

#include <jansson.h>

/**
 * Writes script.md (the 分镜表), subtitles.srt, subtitles.vtt, subtitles.ass and script.csv
 * for the storyboard `sb` into `out_dir`, each atomically. Subtitle cues are the
 * narration cut into ≤ 2 lines × 14 字, timed in proportion to spoken length
 * inside the scene. `md_sha256` (65 bytes, optional) receives the hash of script.md.
 * @return 0, OF_ERROR (I/O), OF_ENOMEM.
 */
int of_script_write_outputs(const json_t *sb, const of_segmenter *seg, const char *out_dir, char *md_sha256);

/**
 * Writes subtitles.srt, subtitles.vtt, subtitles.ass and script.csv (the 分镜表 with
 * in/out timecodes, for Excel/WPS: UTF-8 with BOM, CRLF) for `sb` into `out_dir`
 * (the part of of_script_write_outputs() that does not touch script.md).
 * @return 0, OF_ERROR (I/O), OF_ENOMEM.
 */
int of_script_write_subtitles(const json_t *sb, const of_segmenter *seg, const char *out_dir);

/**
 * The video's caption style for a `w`×`h` frame (assets/styles/captions.json), so
 * subtitles.ass and timeline.fcpxml set captions as the video does: `font` =
 * font_size × short side / 1080 (66 px at 1080 wide), margins from the preset's
 * safe zone (vertical 1080×1920: left 65, right 184, bottom 480 px), clear of the
 * platform's buttons and description. The style file is required, as the video
 * stage requires it: without it the captions would silently differ from the video's.
 * @return 0, OF_ENOTFOUND (the asset is missing: the error names it and
 * ONEFISH_DATADIR), OF_EINVALID (it is not JSON: file:line), OF_ENOMEM.
 */
int of_script_caption_layout(const json_t *sb, long w, long h, long *font, long *ml, long *mr, long *mv);

/**
 * The size of the live-stream end card's first line as the video sets it for a `w`×`h`
 * frame: title_size × 0.9 × short side / 1080 (82.8 px at 1080, unrounded; assets/styles/captions.json,
 * stages/render/captions.c's Card style), so timeline.fcpxml's end card matches it. `sb`
 * is reserved for a per-storyboard style. Required like of_script_caption_layout().
 * @return 0, OF_ENOTFOUND, OF_EINVALID, OF_ENOMEM.
 */
int of_script_card_size(const json_t *sb, long w, long h, double *px);

/** Renders the 分镜表 Markdown into a malloc'd string (caller frees). NULL on OOM. */
char *of_script_render_md(const json_t *sb);

/**
 * The 分镜表 of `sb` as script.md holds it, read back cell by cell: per scene
 * [时长, 字幕, 口播], each a 16-hex-digit sha256 prefix of the cell's value. script.json
 * records it (generated.script_md_cells) so that of_storyboard_load() applies only
 * the cells of an edited script.md that differ from what was written (load.c).
 * Caller decrefs `*out`. @return 0, OF_ENOMEM, OF_EINVALID (a table it cannot read back).
 */
int of_script_table_cells(json_t **out, const json_t *sb);

/** The files made from the storyboard besides script.json and script.md (NULL-terminated):
 *  timeline.fcpxml, subtitles.srt/.vtt/.ass, script.csv. */
extern const char *const of_script_derived_files[];

#endif
