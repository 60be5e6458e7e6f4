#!/bin/sh
# The delivered video's audio (AAC, as a viewer's player decodes it) stays under the
# -2.0 dBTP true-peak ceiling at about -16 LUFS: measured on the example pack's video
# (narration over the music bed) with ffmpeg's ebur128 true-peak meter. The mix alone is
# held lower (-3.0 dBTP) because the AAC encoder adds overshoot (see docs/voice.md).
set -u
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ROOT=${ONEFISH_ROOT:-.}
command -v ffmpeg >/dev/null || { echo "SKIP: no ffmpeg CLI to measure with"; exit 0; }
cp -R "$ROOT/examples/week-2026-47" "$t/pack"
# The soundtrack does not depend on the frame rate: 6 fps and ultrafast keep this quick.
sed -i 's/^  preset: vertical/  preset: vertical\n  fps: 6\n  x264_preset: ultrafast/' "$t/pack/onefish.yaml"
grep -q 'fps: 6' "$t/pack/onefish.yaml" || { echo "FAIL: could not set fps"; exit 1; }
"$ONEFISH" run "$t/pack" -o "$t/out" >/dev/null 2>"$t/err" || { echo "FAIL: run: $(tail -3 "$t/err")"; exit 1; }
mp4="$t/out/week-2026-47/video.mp4"
ffmpeg -nostdin -hide_banner -i "$mp4" -map 0:a -af ebur128=peak=true -f null - 2>"$t/meter" >/dev/null \
	|| { echo "FAIL: ffmpeg could not measure $mp4"; exit 1; }
python3 - "$t/meter" <<'PY'
import re, sys
r = open(sys.argv[1]).read()
i = re.findall(r"I:\s+(-?[\d.]+) LUFS", r)
tp = re.findall(r"True peak:\s+Peak:\s+(-?[\d.]+) dBFS", r)
if not i or not tp:
    print("FAIL: no ebur128 summary"); sys.exit(1)
i, tp = float(i[-1]), float(tp[-1])
ok = True
if not -17.0 <= i <= -15.0:
    print("FAIL: integrated loudness %.1f LUFS, want -16 +- 1" % i); ok = False
if tp > -2.0:
    print("FAIL: true peak %.1f dBTP, over the -2.0 dBTP ceiling" % tp); ok = False
if ok:
    print("ok: example video audio %.1f LUFS, true peak %.1f dBTP (ceiling -2.0)" % (i, tp))
sys.exit(0 if ok else 1)
PY
