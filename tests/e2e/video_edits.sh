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
printf 'video:\n  preset: vertical\n  fps: 6\n  x264_preset: ultrafast\nvoice:\n  engine: none\n' > "$T/video.yaml"

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

# ... and re-timed subtitles.vtt by hand: `onefish video` must not overwrite that one
printf 'WEBVTT\n\n00:00.000 --> 00:02.000\n编辑自己对的时间\n' > "$T/script/subtitles.vtt"
cp "$T/script/subtitles.vtt" "$T/vtt.edited"
# the main render: the storyboard's own frame (1080x1920; 6 fps and x264 ultrafast keep it quick, and the
# timeline still counts in the storyboard's 30 fps)
"$ONEFISH" video "$T/script/script.json" -o "$T/video" --config "$T/video.yaml" 2> "$T/err" ||
	fail "video exit $?"
# the edit is said once (the storyboard is loaded more than once)
[ "$(grep -c 'script.md was edited: applying its 分镜表 to the storyboard' "$T/err")" -eq 1 ] ||
	{ fail "script.md edit not said exactly once"; grep 'was edited' "$T/err"; }
# `onefish video` alone made the script folder's timeline and subtitles follow the edit (as a pack
# run does), in place: the edited caption and length, titles placed, the music stem it wrote as an
# audio clip; the editor's subtitles.vtt kept byte for byte, with a warning.
cmp -s "$T/script/subtitles.vtt" "$T/vtt.edited" || fail "onefish video overwrote the editor's subtitles.vtt"
grep -q "subtitles.vtt: warning: changed by hand" "$T/err" || fail "no warning for the kept subtitles.vtt"
xmllint --noout --nonet "$T/script/timeline.fcpxml" || fail "timeline.fcpxml is not well-formed"
python3 - "$T/script/timeline.fcpxml" "$T/video" <<'EOF' || exit 1
import os, sys, urllib.parse
import xml.etree.ElementTree as ET
tl, vdir = sys.argv[1], sys.argv[2]
def die(m): print("FAIL:", m); sys.exit(1)
root = ET.parse(tl).getroot()
if root.tag != "fcpxml" or root.get("version") != "1.9": die("not FCPXML 1.9: %s %s" % (root.tag, root.get("version")))
titles = root.findall(".//spine/*/title")
texts = ["".join(t.itertext()) for t in titles]
if not any("编辑改过的字幕" in x and "第二行也改了" in x for x in texts): die("the edited caption is not in the timeline: %r" % texts[:4])
s03 = [v for v in root.find(".//spine") if v.get("name") == "s03"][0]
if s03.get("duration") != "60/30s": die("s03 lasts %s, the edit says 2 s" % s03.get("duration"))
for t in titles:
    p = t.find("param[@name='Position']")
    if p is None or p.get("key") != "9999/999166631/999166633/1/100/101": die("a title without a Position")
    x, y = map(float, p.get("value").split())
    if t.get("name") == "end card":
        if y != 0: die("the end card is not centred, as the video's: %s" % p.get("value"))
    elif not (-1920 / 2 < y < -300): die("title not in the lower part: %s" % p.get("value"))
# the CTA scene's title says what the video's end card says (live title, time, call to action)
import json
sb = json.load(open(os.path.join(os.path.dirname(tl), "script.json"), encoding="utf-8"))
live, cta = sb["live"], sb["scenes"][-1]
card = [t for t in root.findall(".//spine/*[@name='%s']/title" % cta["id"])]
want = "\n".join(x for x in (live.get("title"), live.get("time_text") or live.get("time"), live.get("cta"), live.get("platform")) if x)
if len(card) != 1 or card[0].get("name") != "end card" or "".join(card[0].find("text").itertext()) != want:
    die("the CTA scene's title is not the video's end card: %r, want %r" % (["".join(c.itertext()) for c in card], want))
# every media file the timeline names exists, relative to it
ids = {}
for a in root.iter("asset"):
    ids[a.get("id")] = a
    src = a.find("media-rep").get("src")
    path = os.path.normpath(os.path.join(os.path.dirname(tl), urllib.parse.unquote(src)))
    if not os.path.isfile(path): die("asset %s: %s not found" % (a.get("name"), path))
clips = root.findall(".//spine/*/asset-clip")
music = [c for c in clips if ids[c.get("ref")].get("name") == "music.wav"]
if not music: die("no music clip although the video made music.wav")
if music[0].get("lane") != "-1" or music[0].get("duration") != root.find(".//sequence").get("duration"):
    die("music clip lane %s duration %s" % (music[0].get("lane"), music[0].get("duration")))
if any(ids[c.get("ref")].get("name") == "narration.wav" for c in clips): die("a narration clip with the voice off")
print("ok: timeline follows the edit, %d titles placed, music on lane -1" % len(titles))
EOF
[ -f "$T/video/music.wav" ] && [ ! -f "$T/video/narration.wav" ] || fail "stems: $(ls "$T/video")"
# A --preview render and a landscape one are variants: the script folder's timeline, subtitles and
# script.csv stay as the main render made them (pointing at its stems), and the run says so.
for f in timeline.fcpxml subtitles.srt subtitles.ass script.csv; do cp "$T/script/$f" "$T/main.$f"; done
"$ONEFISH" video "$T/script/script.json" -o "$T/video-preview" --config "$T/video.yaml" --preview 2> "$T/err" ||
	fail "preview video exit $?"
grep -q "a preview render (540x960; the storyboard is 1080x1920): the script folder's timeline.fcpxml" "$T/err" ||
	fail "no note that the preview left the script folder alone"
"$ONEFISH" video "$T/script/script.json" -o "$T/video-wide" --config "$T/video.yaml" --preset landscape --preview \
	--quiet 2> "$T/err" || fail "landscape video exit $?"
for f in timeline.fcpxml subtitles.srt subtitles.ass script.csv; do
	cmp -s "$T/script/$f" "$T/main.$f" || fail "a variant render rewrote the script folder's $f"
done
[ -f "$T/video-preview/music.wav" ] && [ -f "$T/video-wide/music.wav" ] || fail "the variants wrote no stems"
python3 - "$T/script/timeline.fcpxml" <<'EOF' || exit 1
import sys
import xml.etree.ElementTree as ET
srcs = [m.get("src") for m in ET.parse(sys.argv[1]).getroot().iter("media-rep") if m.get("src").endswith(".wav")]
if srcs != ["../video/music.wav"]: print("FAIL: the timeline's stems are %r, want the main render's" % srcs); sys.exit(1)
print("ok: after a preview and a landscape render the timeline still names the main render's stems")
EOF
ls -A "$T/script" "$T/script/.onefish" | grep -q refresh && fail "a scratch folder was left in the script folder"
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
if abs(d - want) > 1 / 6 + 0.002:  # one frame at video.fps 6
    print("FAIL: video lasts %.3f s, edited storyboard %.3f s" % (d, want)); sys.exit(1)
print("ok: edited storyboard rendered, %.3f s" % d)
EOF
echo "video_edits: ok"
