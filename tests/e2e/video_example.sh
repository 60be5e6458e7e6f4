#!/bin/sh
# video_example.sh — `onefish video` on a 7 s storyboard: checks the MP4 with ffprobe (h264 + aac +
# mov_text, size, 30 fps, duration = script total within one frame, title), faststart atom order,
# the cover, the pixels (photo and caption), and byte-identical output on a second run.
set -u
: "${ONEFISH:?}" "${ONEFISH_ROOT:?}"
for t in ffprobe ffmpeg python3; do
	command -v $t >/dev/null 2>&1 || { echo "skip: $t missing"; exit 0; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cp -R "$ONEFISH_ROOT/tests/fixtures/render/short" "$T/in"
# Voice off so the total is exactly the script's (narration may lengthen scenes otherwise).
printf 'voice:\n  engine: none\n' > "$T/in/onefish.yaml"

check() { # dir width height expected_seconds
	python3 - "$1" "$2" "$3" "$4" <<'EOF' || exit 1
import json, struct, subprocess, sys
d, w, h, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
mp4 = d + "/video.mp4"
p = json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", mp4],
                              capture_output=True, check=True).stdout)
codecs = [s["codec_name"] for s in p["streams"]]
def die(m):
    print("FAIL:", m); sys.exit(1)
if codecs != ["h264", "aac", "mov_text"]: die("streams %s" % codecs)
v, a = p["streams"][0], p["streams"][1]
# The soft track is there for players that want it, but off by default: the captions are burned in,
# and a default subtitle track would be drawn over them (mpv, VLC).
disp = [s["disposition"]["default"] for s in p["streams"]]
if disp != [1, 1, 0]: die("default dispositions %s (want video, audio on; subtitles off)" % disp)
if (v["width"], v["height"]) != (w, h): die("size %sx%s" % (v["width"], v["height"]))
if v["pix_fmt"] != "yuv420p": die("pix_fmt " + v["pix_fmt"])
if v["r_frame_rate"] != "30/1": die("fps " + v["r_frame_rate"])
if int(a["sample_rate"]) != 48000 or a["channels"] != 2: die("audio %s Hz %s ch" % (a["sample_rate"], a["channels"]))
dur = float(p["format"]["duration"])
if abs(dur - total) > 1 / 30 + 1e-6: die("duration %.3f, script says %.3f" % (dur, total))
if abs(float(v["duration"]) - total) > 1 / 30 + 1e-6: die("video duration %s" % v["duration"])
if p["format"].get("tags", {}).get("title") != "宝宝辅食添加全攻略": die("title tag %s" % p["format"].get("tags"))
# faststart: moov before mdat among the top-level boxes
boxes, data = [], open(mp4, "rb").read()
i = 0
while i + 8 <= len(data):
    size, typ = struct.unpack(">I4s", data[i:i + 8])
    if size == 1: size = struct.unpack(">Q", data[i + 8:i + 16])[0]
    boxes.append(typ.decode("latin1"))
    if size < 8: break
    i += size
if "moov" not in boxes or "mdat" not in boxes or boxes.index("moov") > boxes.index("mdat"): die("box order %s" % boxes)
c = json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-of", "json", d + "/cover.jpg"],
                              capture_output=True, check=True).stdout)["streams"][0]
if c["codec_name"] != "mjpeg" or (c["width"], c["height"]) != (w, h): die("cover %s %sx%s" % (c["codec_name"], c["width"], c["height"]))
# the cover's title card is an opaque box in the brand colour (#E8734A): translucent per-line boxes
# overlapped in darker bands and let the photo through (0.7 % of the top third was brand-coloured then)
rgb = subprocess.run(["ffmpeg", "-v", "error", "-i", d + "/cover.jpg", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                     capture_output=True, check=True).stdout
top = int(h * 0.35) * w
brand = sum(1 for i in range(0, top * 3, 3)
            if abs(rgb[i] - 0xE8) <= 14 and abs(rgb[i + 1] - 0x73) <= 14 and abs(rgb[i + 2] - 0x4A) <= 14)
if brand < top * 0.03: die("title card: %.1f %% of the cover's top third in the brand colour" % (100.0 * brand / top))
# the cover is a feed thumbnail (seen at a quarter of its size, WeChat Channels showing its middle 3:4):
# the hook in big type on a dark panel inside that 3:4; before, it was the frame with a 66 px caption
gray = subprocess.run(["ffmpeg", "-v", "error", "-i", d + "/cover.jpg", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
                      capture_output=True, check=True).stdout
vis_h = w * 4 // 3 if h * 3 > w * 4 else h
vis_top = (h - vis_h) // 2
x0, x1 = int(w * 0.09), int(w * 0.91)
def row(y): return gray[y * w + x0:y * w + x1]
# rows of text: bright glyph pixels over a dark panel (at least half the row dark)
text = [sum(1 for b in row(y) if b > 200) >= 3 and sum(1 for b in row(y) if b < 60) > (x1 - x0) * 0.5
        for y in range(h)]
run = best = 0
for y in range(h):
    run = run + 1 if text[y] else 0
    if run > best: best, last = run, y
if best == 0: die("cover: no text on a dark panel")
if last - best + 1 < vis_top + vis_h * 0.05 or last > vis_top + vis_h * 0.85:
    die("cover: the hook's rows %d..%d are outside the 3:4 the feed shows" % (last - best + 1, last))
if best < h * 0.045: die("cover: hook glyphs %d px tall, under 4.5 %% of the height" % best)
# pixels at 1.5 s: the photo (not black, not flat) and white caption text in the lower safe zone
raw = subprocess.run(["ffmpeg", "-v", "error", "-ss", "1.5", "-i", mp4, "-frames:v", "1", "-f", "rawvideo",
                      "-pix_fmt", "gray", "-"], capture_output=True, check=True).stdout
if len(raw) != w * h: die("frame size %d" % len(raw))
mean = sum(raw) / len(raw)
if mean < 25: die("frame is black (mean %.1f)" % mean)
rows = raw[int(h * 0.62) * w:int(h * 0.76) * w]
white = sum(1 for b in rows if b > 225)
if white < w * 2: die("no caption text in the lower safe zone (%d bright pixels)" % white)
right = [raw[y * w + x] for y in range(int(h * 0.62), int(h * 0.76)) for x in range(int(w * 0.84), w)]
if sum(1 for b in right if b > 235) > len(right) // 50: die("caption pixels under the right-side buttons")
print("ok: %s %dx%d %.3f s, boxes %s" % (mp4, w, h, dur, boxes[:4]))
EOF
}

# 1. preview (half size), twice: identical bytes
"$ONEFISH" video "$T/in/script.json" -o "$T/p1" --preview --quiet || fail "preview render exit $?"
check "$T/p1" 540 960 7.0
"$ONEFISH" video "$T/in/script.json" -o "$T/p2" --preview --quiet || fail "second preview render exit $?"
a=$(sha256sum < "$T/p1/video.mp4"); b=$(sha256sum < "$T/p2/video.mp4")
[ "$a" = "$b" ] || fail "two renders of the same input differ"
a=$(sha256sum < "$T/p1/cover.jpg"); b=$(sha256sum < "$T/p2/cover.jpg")
[ "$a" = "$b" ] || fail "two covers of the same input differ"

# 2. one full-size 1080x1920 render
"$ONEFISH" video "$T/in/script.json" -o "$T/full" --quiet || fail "full render exit $?"
check "$T/full" 1080 1920 7.0

# 3. landscape preset
"$ONEFISH" video "$T/in/script.json" -o "$T/land" --preset landscape --preview --quiet || fail "landscape exit $?"
python3 - "$T/land/video.mp4" <<'EOF' || exit 1
import json, subprocess, sys
s = json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-of", "json", sys.argv[1]],
                              capture_output=True, check=True).stdout)["streams"][0]
if (s["width"], s["height"]) != (960, 540): print("FAIL: landscape preview", s["width"], s["height"]); sys.exit(1)
EOF

# 3b. no preset anywhere: the storyboard's own "format" decides the frame
sed 's/"format": "vertical"/"format": "square"/' "$T/in/script.json" > "$T/in/square.json"
"$ONEFISH" video "$T/in/square.json" -o "$T/square" --preview --quiet || fail "square exit $?"
python3 - "$T/square/video.mp4" <<'EOF' || exit 1
import json, subprocess, sys
s = json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-of", "json", sys.argv[1]],
                              capture_output=True, check=True).stdout)["streams"][0]
if (s["width"], s["height"]) != (540, 540): print("FAIL: square storyboard rendered", s["width"], s["height"]); sys.exit(1)
EOF

# 4. progress lines reach the last frame; no leftover temporary files
"$ONEFISH" video "$T/in/script.json" -o "$T/p3" --preview 2> "$T/log" || fail "render with progress exit $?"
grep -q "210/210 frames" "$T/log" || { cat "$T/log"; fail "no final progress line"; }
ls -A "$T/p3" | grep -v -x -e video.mp4 -e cover.jpg -e captions.srt -e captions.vtt -e narration.wav -e music.wav &&
	fail "leftover files in the output folder"

# 5. with narration (espeak-ng by default): scenes grow to fit the voice, the video follows the
#    adjusted timeline, the mix is loud enough (about -16 LUFS) and not silent.
rm "$T/in/onefish.yaml"
"$ONEFISH" video "$T/in/script.json" -o "$T/voice" --preview 2> "$T/vlog" || { cat "$T/vlog"; fail "voice render exit $?"; }
if grep -q "narration unavailable" "$T/vlog"; then
	echo "skip narration checks: $(grep 'narration unavailable' "$T/vlog")"
else
	python3 - "$T/voice/video.mp4" "$T/vlog" <<'EOF' || exit 1
import json, re, subprocess, sys
mp4, log = sys.argv[1], open(sys.argv[2]).read()
dur = float(json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_format", "-of", "json", mp4],
                                      capture_output=True, check=True).stdout)["format"]["duration"])
# the renderer reports each lengthened scene; the total is the script's with those replaced
durs = {"s01": 2.5, "s02": 2.5, "s03": 2.0}
for sid, new in re.findall(r"scene (s\d+) lengthened from [\d.]+ s to ([\d.]+) s", log):
    durs[sid] = float(new)
total = sum(durs.values())
if dur < 7.0 or abs(dur - total) > 1 / 30 + 0.006:
    print("FAIL: narrated video lasts %.3f s, adjusted script total %.3f s" % (dur, total)); sys.exit(1)
r = subprocess.run(["ffmpeg", "-nostdin", "-i", mp4, "-map", "0:a", "-af", "ebur128", "-f", "null", "-"],
                   capture_output=True, text=True).stderr
m = re.findall(r"I:\s+(-?[\d.]+) LUFS", r)
if not m or not -19 < float(m[-1]) < -13:
    print("FAIL: integrated loudness %s, want about -16 LUFS" % (m[-1] if m else "?")); sys.exit(1)
print("ok: narrated %.3f s (adjusted total %.3f s), %s LUFS" % (dur, total, m[-1]))
EOF
fi
echo "video_example: ok"
