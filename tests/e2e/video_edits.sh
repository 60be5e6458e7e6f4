#!/bin/sh
# video_edits.sh — the loop article → script → video on the example week, with an editor's change to
# script.md (docs/storyboard.md, "Edits flow back"): the video must use the edited caption (in its
# mov_text track and in captions.srt/.vtt beside it) and the edited duration (in its length).
set -u
: "${ONEFISH:?}" "${ONEFISH_ROOT:?}"
for t in ffprobe ffmpeg python3; do
	command -v $t >/dev/null 2>&1 || { echo "skip: $t missing"; exit 0; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; [ -f "$T/err" ] && cat "$T/err"; exit 1; }
W="$ONEFISH_ROOT/examples/week-2026-47"
printf 'video:\n  preset: vertical\nvoice:\n  engine: none\n' > "$T/video.yaml"

"$ONEFISH" article "$W/posts.jsonl" -o "$T/article" --config "$W/onefish.yaml" --quiet 2> "$T/err" || fail "article"
"$ONEFISH" script "$T/article/article.md" -o "$T/script" --config "$W/onefish.yaml" --quiet 2> "$T/err" || fail "script"

# The editor changes row 3: 时长 to 2s and 字幕 to new wording.
python3 - "$T/script/script.md" "$T/script/script.json" "$T/want" <<'EOF' || exit 1
import json, sys
md, sj, want = sys.argv[1:4]
doc = json.load(open(sj))
lines = open(md, encoding="utf-8").read().split("\n")
for i, l in enumerate(lines):
    if l.startswith("| 3 |"):
        cells = l.split("|")
        cells[2] = " 2s "
        cells[4] = " 编辑改过的字幕 / 第二行也改了 "
        lines[i] = "|".join(cells)
        break
else:
    print("FAIL: no row 3 in script.md"); sys.exit(1)
open(md, "w", encoding="utf-8").write("\n".join(lines))
total = sum(s["duration"] for s in doc["scenes"]) - doc["scenes"][2]["duration"] + 2.0
open(want, "w").write("%.4f\n" % total)
EOF

"$ONEFISH" video "$T/script/script.json" -o "$T/video" --config "$T/video.yaml" --preview --quiet 2> "$T/err" ||
	fail "video exit $?"
ffmpeg -nostdin -v error -i "$T/video/video.mp4" -map 0:s -f srt "$T/subs.srt" || fail "no subtitle track"
grep -q "编辑改过的字幕" "$T/subs.srt" || { cat "$T/subs.srt"; fail "edited caption not in the subtitle track"; }
grep -q "第二行也改了" "$T/subs.srt" || fail "edited second caption line missing"
# The subtitle files beside the video are its track, to the millisecond (after lengthening).
python3 "$ONEFISH_ROOT/tests/support/subs_match.py" "$T/video/video.mp4" || fail "captions.srt/.vtt differ from the video's track"
python3 - "$T/video/video.mp4" "$(cat "$T/want")" <<'EOF' || exit 1
import json, subprocess, sys
d = float(json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_format", "-of", "json", sys.argv[1]],
                                    capture_output=True, check=True).stdout)["format"]["duration"])
want = float(sys.argv[2])
if abs(d - want) > 1 / 30 + 0.002:
    print("FAIL: video lasts %.3f s, edited storyboard %.3f s" % (d, want)); sys.exit(1)
print("ok: edited storyboard rendered, %.3f s" % d)
EOF
echo "video_edits: ok"
