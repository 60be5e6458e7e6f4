#!/bin/sh
# video_pack_edits.sh — `onefish run` takes an editor's script.md into the video exactly like
# `onefish video` does (one code path, pipeline/video_run.c): the edited caption reaches the
# video's subtitle track, only the video reruns, and a malformed row fails the pack with
# script.md:LINE and exit 3, leaving the previous video in place. video.srt / video.vtt beside the
# video hold exactly its subtitle track (text and timing after scenes were lengthened), and a
# video.srt the editor changed is kept when the video is rendered again.
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
python3 "$M" "$O/video.mp4" || fail "first run: video.srt/.vtt differ from the video"
grep -q 'lengthened' "$T/err1" || echo "note: no scene was lengthened in this run"
# An output folder from before video.srt existed (no file, no record of it): the cached video reruns.
jq '.stages.video.outputs -= ["video.srt","video.vtt"] | .outputs |= map(select(.path != "video.srt" and .path != "video.vtt"))' \
	"$O/manifest.json" >"$T/m.json" && cat "$T/m.json" >"$O/manifest.json"
rm -f "$O/video.srt" "$O/video.vtt"
"$ONEFISH" run "$T/pack" -o "$T/out" >"$T/out0" 2>&1 || fail "run without video.srt: exit $?"
grep -q 'video: running: output missing: video.srt' "$T/out0" && [ -s "$O/video.srt" ] \
	&& ok "an older output folder gets video.srt (the video reruns)" || { fail "video.srt not made for an older folder"; cat "$T/out0"; }

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
python3 "$M" "$O/video.mp4" || fail "after the edit: video.srt/.vtt differ from the video"
grep -q '编辑在包里改的字幕' "$O/video.srt" && ok "video.srt has the edited caption" || fail "video.srt lacks the edit"
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

# An editor's video.srt is never overwritten: the pack holds the video stage (its rule for every
# hand-edited output) and says so; the edit stays byte for byte.
cp "$T/edited.md" "$O/script.md"
sed -i 's/什么时候开始？/什么时候开始呢？（编辑）/' "$O/video.srt"
grep -q '（编辑）' "$O/video.srt" || fail "could not edit video.srt"
cp "$O/video.srt" "$T/edited.srt"
sed -i 's/^| 1 | [^|]*|/| 1 | 2.5s |/' "$O/script.md"
"$ONEFISH" run "$T/pack" -o "$T/out" >"$T/out4" 2>&1 || fail "run after the video.srt edit: exit $?"
cmp -s "$T/edited.srt" "$O/video.srt" && ok "the edited video.srt is kept" || fail "edited video.srt overwritten"
grep -q 'video: warning: not regenerated.*hand-edited video.srt' "$T/out4" && ok "the run says the video is held for video.srt" \
	|| { fail "no hold warning naming video.srt"; cat "$T/out4"; }

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "video_pack_edits: ok"
