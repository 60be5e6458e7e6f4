#!/bin/sh
# video_pace.sh — the narration fills its shots: the script stage sizes each shot for its text
# at script.speech_rate and the voice speaks at that pace (docs/voice.md), so in the narration
# stem (narration.wav, on the rendered timeline of timeline.fcpxml) the voice covers at least 80 %
# of every narrated hook/body shot of 2.5 s or more, 82 % of the call to action (sized to what it
# says since it no longer keeps 17 % of the video: 73-80 % before, 85-86 % now), 83 % of the
# narrated time overall, and never runs past its shot (the last 0.2 s of each shot is silent; no
# shot was lengthened, and none is planned under 1.5 s: the mini week's 30 s script cut 「寄出。」
# into a 0.70 s shot of its own, which the render had to lengthen). Before the voice followed
# speech_rate it spoke 10-20 % faster than planned: 57-78 % per shot, 68-72 % overall at 30 s.
# Three videos (15 s and 60 s of the example week, 30 s of the mini week), main render, x264 ultrafast.
set -u
: "${ONEFISH:?}" "${ONEFISH_ROOT:?}"
command -v python3 >/dev/null 2>&1 || { echo "skip: python3 missing"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0

one() { # week seconds
	w=$1; d=$2; o="$T/$w-$d"
	cp -R "$ONEFISH_ROOT/examples/$w" "$o.pack"
	# The main render (the storyboard's own frame: only it refreshes the script folder's
	# timeline.fcpxml, which this test reads for the rendered shot lengths), at 30 fps: a
	# lower fps would round the shot lengths to its frames.
	sed -i 's/^  preset: vertical/  preset: vertical\n  x264_preset: ultrafast/' "$o.pack/onefish.yaml"
	grep -q 'x264_preset: ultrafast' "$o.pack/onefish.yaml" || { echo "FAIL: could not set x264_preset"; fails=$((fails + 1)); return; }
	c="$o.pack/onefish.yaml"
	"$ONEFISH" article "$o.pack/posts.jsonl" -o "$o/article" --config "$c" --quiet 2>/dev/null &&
		"$ONEFISH" script "$o/article/article.md" -o "$o/script" --duration "$d" --config "$c" --quiet 2>/dev/null &&
		"$ONEFISH" video "$o/script/script.json" -o "$o/video" --config "$c" >"$o.log" 2>&1 ||
		{ echo "FAIL: $w ${d}s: $(tail -3 "$o.log" 2>/dev/null)"; fails=$((fails + 1)); return; }
	if grep -q "narration unavailable" "$o.log"; then
		echo "skip $w: $(grep 'narration unavailable' "$o.log")"
		return
	fi
	python3 - "$o/script" "$o/video" "$w ${d}s" <<'PY' || fails=$((fails + 1))
import json, re, sys, wave, array
from fractions import Fraction
sd, vd, name = sys.argv[1:4]
shots = [(m[0], float(Fraction(m[1])), float(Fraction(m[2]))) for m in re.findall(
    r'<video ref="[^"]*" name="([^"]*)" offset="([^"]*)s" duration="([^"]*)s"',
    open(sd + "/timeline.fcpxml", encoding="utf-8").read())]
sj = json.load(open(sd + "/script.json", encoding="utf-8"))
scenes = {s["id"]: s for s in sj["scenes"]}
w = wave.open(vd + "/narration.wav")
rate, ch = w.getframerate(), w.getnchannels()
mono = array.array("h", w.readframes(w.getnframes()))[0::ch]
thr = int(0.0032 * 32768)  # about -50 dBFS, the voice stage's own silence threshold
bad, narrated, voiced = [], 0.0, 0.0
if len(shots) != len(sj["scenes"]):
    bad.append("%d shots in timeline.fcpxml, %d scenes" % (len(shots), len(sj["scenes"])))
for sid, off, dur in shots:
    sc = scenes.get(sid, {})
    # Every shot keeps its planned length (a shot the voice overruns is lengthened), and no
    # narrated shot is planned as a flash (OF_CAPTION_PAGE_MIN_UNITS: 6 字, 1.5 s at 4 字/s).
    grow = dur - sc.get("duration", 0)
    if grow > 0.02:
        bad.append("%s lengthened from %.2f to %.2f s: its narration overran" % (sid, sc.get("duration", 0), dur))
    if sc.get("narration") and sc.get("duration", 0) < 1.5:
        bad.append("%s planned %.2f s for 「%s」: a flash" % (sid, sc.get("duration", 0), sc["narration"]))
    s0, s1 = int(round(off * rate)), min(int(round((off + dur) * rate)), len(mono))
    loud = [i for i in range(s0, s1) if abs(mono[i]) > thr]
    if not sc.get("narration"):
        continue
    v = (loud[-1] - loud[0] + 1) / rate if loud else 0.0
    narrated += dur
    voiced += v
    if loud and loud[-1] > s1 - int(0.2 * rate):
        bad.append("%s: voice in the last 0.2 s of the shot" % sid)
    want = 0.82 if sc.get("kind") == "cta" else 0.80 if dur >= 2.5 else 0
    print("  %s %-4s %5.2f s shot, %5.2f s voice (%3.0f%%)" % (sid, sc.get("kind", "?"), dur, v, 100 * v / dur))
    if v < want * dur:
        bad.append("%s: voice %.2f s of a %.2f s shot (%.0f%%, want >= %.0f%%)" % (sid, v, dur, 100 * v / dur, 100 * want))
total = voiced / narrated if narrated else 0
if total < 0.83:
    bad.append("voice covers %.0f%% of the narrated time, want >= 83%%" % (100 * total))
for b in bad:
    print("FAIL: %s: %s" % (name, b))
if not bad:
    print("ok: %s: voice covers %.0f%% of the narrated time, every shot within its bounds" % (name, 100 * total))
sys.exit(1 if bad else 0)
PY
}

one week-2026-47 15
one week-2026-47 60
one week-2026-48-mini 30
echo "video_pace: $fails failure(s)"
[ "$fails" -eq 0 ]
