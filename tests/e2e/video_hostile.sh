#!/bin/sh
# video_hostile.sh — bad input to `onefish video`: hostile images (empty, truncated, a PNG declaring
# 30000x30000, 16-bit, alpha, grayscale, a GIF named .jpg, files literally named img%d.png and
# concat:a.jpg, a missing one), bad storyboards (paths escaping the folder among them), a missing font and an
# unwritable output folder. Checks exit codes and that messages name the file and field.
set -u
: "${ONEFISH:?}" "${ONEFISH_ROOT:?}"
for t in ffmpeg python3; do
	command -v $t >/dev/null 2>&1 || { echo "skip: $t missing"; exit 0; }
done
T=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "keeping $T"
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; [ -f "$T/err" ] && cat "$T/err"; exit 1; }
I="$T/in/images"
mkdir -p "$I"
printf 'voice:\n  engine: none\n' > "$T/in/onefish.yaml"
SRC="$ONEFISH_ROOT/tests/fixtures/render/short/images/p02-1.jpg"

# --- make the images (ffmpeg CLI and python3 are fine in tests)
: > "$I/empty.jpg"
head -c 3000 "$SRC" > "$I/truncated.jpg"
ff() { ffmpeg -nostdin -v error -y "$@" || fail "ffmpeg could not make a fixture: $*"; }
ff -f lavfi -i testsrc=size=320x240 -frames:v 1 -pix_fmt rgb48be "$I/deep16.png"
ff -f lavfi -i "testsrc=size=320x240,format=rgba,geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='X'" -frames:v 1 "$I/alpha.png"
ff -i "$SRC" -vf format=gray -frames:v 1 "$I/gray.jpg"
ff -f lavfi -i testsrc=size=320x240 -frames:v 1 -f gif "$I/anim.jpg"
cp "$SRC" "$I/img%d.png"
cp "$SRC" "$I/concat:a.jpg"
python3 - "$I/bomb.png" <<'EOF'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
ihdr = struct.pack(">IIBBBBB", 30000, 30000, 8, 6, 0, 0, 0)
idat = zlib.compress(b"\0" * 65536, 9)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
EOF

# A full schema-v1 storyboard (docs/storyboard.md) with one 0.5 s scene per image.
python3 - "$T/in/script.json" <<'EOF'
import json, sys
imgs = ["images/empty.jpg", "images/truncated.jpg", "images/bomb.png", "images/deep16.png", "images/alpha.png",
        "images/gray.jpg", "images/anim.jpg", "images/img%d.png", "images/concat:a.jpg", "images/missing.jpg"]
scenes = [{"id": "s%02d" % (i + 1), "kind": "body", "start": i * 0.5, "duration": 0.5, "narration": "",
           "caption": [str(i)], "image": im, "transition": {"type": "cut", "duration": 0}} for i, im in enumerate(imgs)]
doc = {"version": 1, "format": "vertical", "title": "坏图片测试", "width": 1080, "height": 1920, "fps": 30,
       "duration": len(imgs) * 0.5, "scenes": scenes}
json.dump(doc, open(sys.argv[1], "w"), ensure_ascii=False, indent=2)  # laid out as onefish script writes it
EOF

# --- lenient: renders, warns for each unusable image with file and reason, decodes the odd-but-valid ones
start=$(date +%s)
"$ONEFISH" video "$T/in/script.json" -o "$T/out" --preview 2> "$T/err" || fail "lenient render exit $?"
end=$(date +%s)
[ $((end - start)) -lt 60 ] || fail "hostile render took $((end - start)) s"
[ -s "$T/out/video.mp4" ] || fail "no video"
want() { grep -q -- "$1" "$T/err" || fail "expected a warning matching '$1'"; }
want 'scenes\[0\].image: .*empty.jpg: empty file'
want 'scenes\[1\].image: .*truncated.jpg'
want 'scenes\[2\].image: .*bomb.png.*30000x30000'
want 'scenes\[9\].image: images/missing.jpg: not found'
for i in 3 4 5 6 7 8; do
	grep -q "scenes\[$i\]" "$T/err" && fail "scene $i (a valid image) was refused"
done
# a scene shown with a placeholder is used, not skipped: counted apart, its warning at the line of its "image"
grep -q "10 records read, 10 used, 0 bad (skipped), [0-9]* warnings, 4 scenes with a placeholder image," "$T/err" ||
	fail "summary should count 4 scenes with a placeholder image, none bad"
line=$(grep -n '"image": "images/missing.jpg"' "$T/in/script.json" | cut -d: -f1)
want "script.json:$line: warning: scenes\\[9\\].image: images/missing.jpg: not found (scene s10); using a placeholder"
line=$(grep -n '"image": "images/empty.jpg"' "$T/in/script.json" | cut -d: -f1)
want "script.json:$line: warning: scenes\\[0\\].image: .*empty.jpg: empty file"

# --- a thumbnail blown up to the frame: rendered, with one warning per picture naming its size
ff -f lavfi -i testsrc=size=40x40 -frames:v 1 "$I/thumb.png"
python3 - "$T/in/script.json" "$T/in/thumb.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["scenes"] = [dict(doc["scenes"][k], image="images/thumb.png") for k in (3, 4)]
doc["duration"] = 1.0
json.dump(doc, open(sys.argv[2], "w"), ensure_ascii=False)
EOF
"$ONEFISH" video "$T/in/thumb.json" -o "$T/thumb" --preview 2> "$T/err" || fail "thumbnail render exit $?"
[ "$(grep -c 'thumb.png is 40x40 px, shown [0-9]*x enlarged' "$T/err")" -eq 1 ] || fail "one warning for a 40x40 picture"

# --- strict: the first unusable image fails the run with exit 3, naming it
"$ONEFISH" video "$T/in/script.json" -o "$T/strict" --preview --strict 2> "$T/err"
rc=$?
[ $rc -eq 3 ] || fail "strict exit $rc, want 3"
grep -q 'scenes\[9\].image: images/missing.jpg' "$T/err" || fail "strict message should name the missing image"
grep -q "placeholder" "$T/err" && fail "strict message should not promise a placeholder it does not use"
[ -e "$T/strict/video.mp4" ] && fail "strict run left a video"

# --- bad storyboards: exit 3, the field named
bad() { # python statement editing `doc`, expected message
	python3 - "$T/in/script.json" "$T/in/bad.json" "$1" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
exec(sys.argv[3])
open(sys.argv[2], "w").write(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False))
EOF
	rm -rf "$T/bad"
	"$ONEFISH" video "$T/in/bad.json" -o "$T/bad" --preview 2> "$T/err"
	rc=$?
	[ $rc -eq 3 ] || fail "bad script ($1): exit $rc, want 3"
	grep -q -- "$2" "$T/err" || fail "bad script ($1): message should match '$2'"
	[ -e "$T/bad/video.mp4" ] && fail "bad script ($1) left a video"
	return 0
}
bad 'doc["scenes"] = []' 'bad.json: scenes'
bad 'doc["scenes"][1]["duration"] = -1' 'bad.json: scenes\[1\]\.duration'
bad 'doc = json.dumps(doc).replace("\"duration\": 0.5", "\"duration\": NaN", 1)' 'bad.json:1:'
bad 'doc["scenes"][0]["duration"] = 1e9' 'bad.json: scenes\[0\]\.duration'
bad 'doc["scenes"] = [dict(doc["scenes"][0], start=i * 0.5) for i in range(10000)]' 'bad.json: scenes: expected 1..500'
bad 'doc["scenes"][0]["caption"] = ["字" * 2000]' 'bad.json: scenes\[0\]\.caption'
bad 'doc["scenes"][0]["image"] = "../secret.jpg"' 'bad.json: scenes\[0\]\.image'
bad 'doc["scenes"][0]["image"] = "/etc/passwd"' 'bad.json: scenes\[0\]\.image'

# --- missing font: a clear error naming it (exit 3: OF_ENOTFOUND)
printf 'video:\n  font: No Such Font Sans XYZ\nvoice:\n  engine: none\n' > "$T/font.yaml"
"$ONEFISH" video "$ONEFISH_ROOT/tests/fixtures/render/short/script.json" -o "$T/font" --config "$T/font.yaml" 2> "$T/err"
rc=$?
[ $rc -eq 3 ] || fail "missing font: exit $rc, want 3"
grep -q "No Such Font Sans XYZ" "$T/err" || fail "missing font: message should name the font"

# --- unwritable output folder (a path under a regular file; root ignores permission bits)
: > "$T/afile"
"$ONEFISH" video "$ONEFISH_ROOT/tests/fixtures/render/short/script.json" -o "$T/afile/out" --preview 2> "$T/err"
rc=$?
[ $rc -eq 1 ] || fail "unwritable output: exit $rc, want 1"
grep -q "$T/afile/out" "$T/err" || fail "unwritable output: message should name the folder"
echo "video_hostile: ok"
