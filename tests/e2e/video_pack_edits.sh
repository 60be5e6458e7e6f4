#!/bin/sh
# video_pack_edits.sh — `onefish run` takes an editor's script.md into the video exactly like
# `onefish video` does (one code path, pipeline/video_run.c): the edited caption reaches the
# video's subtitle track, only the video reruns, and a malformed row fails the pack with
# script.md:LINE and exit 3, leaving the previous video in place. captions.srt / captions.vtt beside
# the video hold exactly its subtitle track (text and timing after scenes were lengthened), and a
# captions.srt the editor changed is kept when the video is rendered again. A folder from before the
# rename (video.srt / video.vtt, which players load over the burned-in captions) loses them. The pack's
# timeline.fcpxml is the video stage's: it plays the narration.wav and music.wav the stage wrote beside the
# video (tests/support/pack_timeline.py), a folder of 0.2.15 (the script stage's timeline, no stems) gets
# them, and an editor's timeline.fcpxml holds the video stage like any edited output.
set -u
: "${ONEFISH:?}" "${ONEFISH_ROOT:?}"
for t in ffprobe ffmpeg python3 jq; do
	command -v $t >/dev/null 2>&1 || { echo "skip: $t missing"; exit 0; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
cp -R "$ONEFISH_ROOT/examples/week-2026-48-mini" "$T/pack"
# 6 fps and x264 ultrafast keep the renders fast; espeak narration stays on, so scenes get lengthened.
sed -i 's/^  preset: vertical/  preset: vertical\n  fps: 6\n  x264_preset: ultrafast/' "$T/pack/onefish.yaml"
grep -q 'fps: 6' "$T/pack/onefish.yaml" || { echo "FAIL: could not set fps"; exit 1; }
O="$T/out/week-2026-48-mini"
track() { ffmpeg -nostdin -v error -i "$1" -map 0:s -f srt - 2>/dev/null; }

"$ONEFISH" run "$T/pack" -o "$T/out" --quiet 2>"$T/err1" || { echo "FAIL: first run"; tail -5 "$T/err1"; exit 1; }
track "$O/video.mp4" >"$T/subs1.srt"
[ -s "$T/subs1.srt" ] || { echo "FAIL: no subtitle track in the pack's video"; exit 1; }
cp "$O/video.mp4" "$T/video1.mp4"
M="$ONEFISH_ROOT/tests/support/subs_match.py"
python3 "$M" "$O/video.mp4" || fail "first run: captions.srt/.vtt differ from the video"
grep -q 'lengthened' "$T/err1" || echo "note: no scene was lengthened in this run"
# The pack's editing timeline: the video stage wrote the stems and timeline.fcpxml beside the video,
# the timeline plays them (as `onefish video` does for a script folder), all in manifest.json.
P="$ONEFISH_ROOT/tests/support/pack_timeline.py"
python3 "$P" "$O" || fail "first run: the pack's timeline and stems"
# Nothing changed: nothing runs, manifest.json keeps its bytes; --force: the same bytes again.
cp "$O/manifest.json" "$T/manifest1.json"
"$ONEFISH" run "$T/pack" -o "$T/out" --json >"$T/run1b.jsonl" 2>/dev/null || fail "rerun: exit $?"
[ -z "$(jq -r 'select(.event=="stage_start") | .stage' "$T/run1b.jsonl")" ] && cmp -s "$T/manifest1.json" "$O/manifest.json" \
	&& ok "a rerun with nothing changed runs nothing" || fail "a rerun with nothing changed ran: $(jq -r 'select(.event=="stage_start") | .stage' "$T/run1b.jsonl")"
"$ONEFISH" run "$T/pack" -o "$T/out" --force --quiet 2>/dev/null || fail "--force: exit $?"
cmp -s "$T/manifest1.json" "$O/manifest.json" && ok "--force writes the same bytes (stems and timeline included)" \
	|| { fail "--force changed bytes"; diff "$T/manifest1.json" "$O/manifest.json" | head; }
# An output folder from an earlier onefish, which wrote them as video.srt / video.vtt (recorded in
# manifest.json as generated); an editor had changed its video.srt.
for x in srt vtt; do mv "$O/captions.$x" "$O/video.$x"; done
# Up to 0.2.15 timeline.fcpxml was the script stage's (no audio) and the pack wrote no stems.
rm "$O/narration.wav" "$O/music.wav"
jq '.stages.video.outputs |= map(sub("^captions\\."; "video.")) | .outputs |= map(.path |= sub("^captions\\."; "video."))
    | .stages.video.outputs -= ["timeline.fcpxml", "narration.wav", "music.wav"] | .stages.script.outputs += ["timeline.fcpxml"]
    | .outputs |= map(select(.path != "narration.wav" and .path != "music.wav") | if .path == "timeline.fcpxml" then .stage = "script" else . end)' \
	"$O/manifest.json" >"$T/m.json" && cat "$T/m.json" >"$O/manifest.json"
jq -e '[.outputs[] | select(.path == "video.srt" or .path == "video.vtt") | .status] == ["generated","generated"]' \
	"$O/manifest.json" >/dev/null || fail "could not make an older manifest"
sed -i '3s/$/（旧版手改）/' "$O/video.srt"
grep -q '（旧版手改）' "$O/video.srt" || fail "could not edit the old video.srt"
cp "$O/video.srt" "$T/old-edited.srt"
"$ONEFISH" run "$T/pack" -o "$T/out" >"$T/out0" 2>&1 || fail "run on an older folder: exit $?"
grep -q 'video: running: output missing: captions.srt' "$T/out0" && [ -s "$O/captions.srt" ] && [ -s "$O/captions.vtt" ] \
	&& ok "an older output folder gets captions.srt/.vtt (the video reruns)" || { fail "captions.srt not made for an older folder"; cat "$T/out0"; }
[ ! -e "$O/video.vtt" ] && ok "the old, unedited video.vtt is removed" || fail "video.vtt left beside video.mp4"
[ ! -e "$O/video.srt" ] && cmp -s "$T/old-edited.srt" "$O/captions.edited.srt" \
	&& ok "the old, edited video.srt is kept as captions.edited.srt" || { fail "edited video.srt not moved aside"; ls "$O"; }
grep -q 'video.srt was edited by hand: kept as captions.edited.srt' "$T/out0" || { fail "no message about the kept video.srt"; cat "$T/out0"; }
grep -q 'not regenerated' "$T/out0" && fail "the old video.srt held a stage"
jq -e '[.outputs[].path | select(startswith("video.s") or startswith("video.v"))] | length == 0' "$O/manifest.json" >/dev/null \
	&& ok "manifest: video.srt/.vtt gone" || fail "manifest still lists video.srt/.vtt"
python3 "$M" "$O/video.mp4" || fail "older folder: captions.srt/.vtt differ from the video"
python3 "$P" "$O" || fail "older folder: the timeline did not move to the video stage with its stems"

# The editor rewrites the caption of the shortest body row and makes it 1 s longer (which row that is
# depends on what the script stage wrote; the replaced caption is kept in $T/old_caption).
python3 - "$O/script.md" "$T/old_caption" <<'EOF' || exit 1
import sys
md = sys.argv[1]
lines = open(md, encoding="utf-8").read().split("\n")
rows = [(float(l.split("|")[2].strip().rstrip("s")), i) for i, l in enumerate(lines)
        if l.startswith("| ") and "正文" in l and l.split("|")[1].strip().isdigit()]
if not rows:
    print("FAIL: no body row in script.md"); sys.exit(1)
d, i = min(rows)
cells = lines[i].split("|")
open(sys.argv[2], "w", encoding="utf-8").write(cells[4].split(" / ")[0].strip())
cells[2] = " %.1fs " % (d + 1.0)
cells[4] = " 编辑在包里改的字幕 "
lines[i] = "|".join(cells)
open(md, "w", encoding="utf-8").write("\n".join(lines))
EOF
cp "$O/script.md" "$T/edited.md"
"$ONEFISH" run "$T/pack" -o "$T/out" --json >"$T/run2.jsonl" 2>"$T/err2" || { fail "run after the script.md edit: exit $?"; tail -3 "$T/err2"; }
ran=$(jq -r 'select(.event=="stage_start") | .stage' "$T/run2.jsonl" | tr '\n' ' ')
[ "$ran" = "video " ] && ok "edited script.md: only the video reran" || fail "after the edit, ran: '$ran'"
track "$O/video.mp4" >"$T/subs2.srt"
grep -q '编辑在包里改的字幕' "$T/subs2.srt" && ok "the pack's video carries the edited caption" \
	|| { fail "edited caption not in the pack video's subtitle track"; cat "$T/subs2.srt"; }
grep -qF "$(cat "$T/old_caption")" "$T/subs2.srt" && fail "the replaced caption is still in the subtitle track"
cmp -s "$T/video1.mp4" "$O/video.mp4" && fail "video.mp4 is byte-identical to the unedited one"
cmp -s "$T/edited.md" "$O/script.md" && ok "the edited script.md is kept" || fail "script.md edit lost"
python3 "$M" "$O/video.mp4" || fail "after the edit: captions.srt/.vtt differ from the video"
grep -q '编辑在包里改的字幕' "$O/captions.srt" && ok "captions.srt has the edited caption" || fail "captions.srt lacks the edit"
# The script's other files follow the edit too (subtitles.*, script.csv: "follows" in the manifest), and
# the video stage's timeline.fcpxml, made with the video it rendered from the edit: the edited caption,
# the lengths and the stems of that video.
python3 - "$O/timeline.fcpxml" <<'PY' && ok "timeline.fcpxml has the edited caption" || fail "timeline.fcpxml keeps the draft's captions"
import sys
import xml.etree.ElementTree as ET
# a title's text is its text-style runs
texts = ["".join(r.text or "" for r in t.find("text")) for t in ET.parse(sys.argv[1]).getroot().findall(".//spine/*/title")]
sys.exit(0 if "编辑在包里改的字幕" in texts else 1)
PY
python3 "$P" "$O" || fail "after the edit: the pack's timeline and stems"
jq -r 'select(.event == "edit_followed") | .stage' "$T/run2.jsonl" | grep -qx script \
	&& ok "the run says the script's files follow the edit" || fail "no edit_followed event for the script"
jq -e '.outputs[] | select(.path == "subtitles.srt") | .status == "generated" and (.follows | length) == 64' \
	"$O/manifest.json" >/dev/null && ok "manifest: subtitles.srt generated, following the edit" \
	|| { fail "subtitles.srt manifest entry"; jq '.outputs[] | select(.path == "subtitles.srt")' "$O/manifest.json"; }
grep -q '下表是生成的 script.json；script.md 有手改' "$O/index.html" \
	&& ok "the review page says the storyboard table is not the edited script.md" || fail "no notice of the script.md edit"
# That row now lasts 1 s more: the video is ~1 s longer than before (other rows untouched).
python3 - "$T/video1.mp4" "$O/video.mp4" <<'EOF' || fails=$((fails + 1))
import json, subprocess, sys
def dur(p):
    return float(json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_format", "-of", "json", p],
                                           capture_output=True, check=True).stdout)["format"]["duration"])
a, b = dur(sys.argv[1]), dur(sys.argv[2])
if not 0.5 < b - a < 1.5:
    print("FAIL: edited 时长 not applied: %.3f s before, %.3f s after" % (a, b)); sys.exit(1)
print("ok: edited 时长 applied (%.3f s → %.3f s)" % (a, b))
EOF

# A malformed row: the pack fails with script.md:LINE, exit 3, and keeps the last good video.
line=$(grep -n '^| 2 |' "$O/script.md" | cut -d: -f1)
sed -i 's/^| 2 | [^|]*|/| 2 | abc |/' "$O/script.md"
grep -q '^| 2 | abc |' "$O/script.md" || fail "could not break row 2"
cp "$O/video.mp4" "$T/video2.mp4"
"$ONEFISH" run "$T/pack" -o "$T/out" >"$T/out3" 2>&1; rc=$?
[ $rc -eq 3 ] && ok "malformed row: exit 3" || fail "malformed row: exit $rc (want 3)"
grep -q "script.md:$line:[0-9]*: 时长 'abc'" "$T/out3" && ok "malformed row named as script.md:$line" \
	|| { fail "no script.md:$line error"; cat "$T/out3"; }
cmp -s "$T/video2.mp4" "$O/video.mp4" && ok "the last good video is kept" || fail "video.mp4 changed by a failed run"
jq -e '.outputs[] | select(.path == "timeline.fcpxml") | .status == "stale"' "$O/manifest.json" >/dev/null \
	&& ok "manifest: timeline.fcpxml stale while the edit cannot be read" || fail "timeline.fcpxml not stale after a malformed edit"

# An editor's captions.srt is never overwritten: the pack holds the video stage (its rule for every
# hand-edited output) and says so; the edit stays byte for byte.
cp "$T/edited.md" "$O/script.md"
sed -i 's/什么时候开始？/什么时候开始呢？（编辑）/' "$O/captions.srt"
grep -q '（编辑）' "$O/captions.srt" || fail "could not edit captions.srt"
cp "$O/captions.srt" "$T/edited.srt"
sed -i 's/^| 1 | [^|]*|/| 1 | 2.5s |/' "$O/script.md"
"$ONEFISH" run "$T/pack" -o "$T/out" >"$T/out4" 2>&1 || fail "run after the captions.srt edit: exit $?"
cmp -s "$T/edited.srt" "$O/captions.srt" && ok "the edited captions.srt is kept" || fail "edited captions.srt overwritten"
grep -q 'video: warning: not regenerated.*hand-edited captions.srt' "$T/out4" && ok "the run says the video is held for captions.srt" \
	|| { fail "no hold warning naming captions.srt"; cat "$T/out4"; }
# The script.md edit is said once, with the pack's name (not again by each load of the storyboard).
n=$(grep -c 'script.md was edited' "$T/out4")
[ "$n" -eq 1 ] && grep -q '^week-2026-48-mini: script: script.md was edited by hand' "$T/out4" \
	&& ok "the script.md edit is said once, with the pack's name" || { fail "script.md edit said $n times"; grep 'script.md was edited' "$T/out4"; }
# So is an editor's timeline.fcpxml (now the video stage's output): kept byte for byte, named.
cp "$O/timeline.fcpxml" "$T/tl.before"
sed -i 's|<sequence |<sequence data-editor="yes" |' "$O/timeline.fcpxml"
cp "$O/timeline.fcpxml" "$T/tl.edited"
sed -i 's/^| 1 | [^|]*|/| 1 | 3s |/' "$O/script.md"
"$ONEFISH" run "$T/pack" -o "$T/out" >"$T/out5" 2>&1 || fail "run after the timeline edit: exit $?"
cmp -s "$T/tl.edited" "$O/timeline.fcpxml" && ! cmp -s "$T/tl.before" "$O/timeline.fcpxml" \
	&& ok "the edited timeline.fcpxml is kept" || fail "edited timeline.fcpxml overwritten"
grep -q 'video: warning: not regenerated.*timeline.fcpxml' "$T/out5" && ok "the hold names timeline.fcpxml" \
	|| { fail "no hold warning naming timeline.fcpxml"; cat "$T/out5"; }
jq -e '.outputs[] | select(.path == "timeline.fcpxml") | .status == "edited" and .stage == "video"' "$O/manifest.json" >/dev/null \
	&& ok "manifest: timeline.fcpxml edited" || fail "timeline.fcpxml not shown edited"

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "video_pack_edits: ok"
