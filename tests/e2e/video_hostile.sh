#!/bin/sh
# video_hostile.sh — bad input to `onefish video`: hostile images (empty, truncated, a PNG declaring
# 30000x30000, 16-bit, alpha, grayscale, a GIF named .jpg, files literally named img%d.png and
# concat:a.jpg, a missing one, a path escaping the folder), bad storyboards, a missing font and an
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
echo "secret" > "$T/secret.jpg"
python3 - "$I/bomb.png" <<'EOF'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
ihdr = struct.pack(">IIBBBBB", 30000, 30000, 8, 6, 0, 0, 0)
idat = zlib.compress(b"\0" * 65536, 9)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
EOF

scene() { # image
	printf '{"duration": 0.5, "caption": ["%s"], "image": "%s", "transition": {"type": "cut"}}' "$1" "$1"
}
{
	printf '{"title": "坏图片测试", "scenes": [\n'
	n=0
	for f in images/empty.jpg images/truncated.jpg images/bomb.png images/deep16.png images/alpha.png \
		images/gray.jpg images/anim.jpg 'images/img%d.png' 'images/concat:a.jpg' images/missing.jpg ../secret.jpg; do
		[ $n -gt 0 ] && printf ',\n'
		scene "$f"
		n=$((n + 1))
	done
	printf '\n]}\n'
} > "$T/in/script.json"

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
want 'scenes\[10\].image: ../secret.jpg: outside the script folder'
for i in 3 4 5 6 7 8; do
	grep -q "scenes\[$i\]" "$T/err" && fail "scene $i (a valid image) was refused"
done
grep -q "5 bad" "$T/err" || fail "summary should count 5 bad images"

# --- strict: the first unusable image fails the run with exit 3, naming it
"$ONEFISH" video "$T/in/script.json" -o "$T/strict" --preview --strict 2> "$T/err"
rc=$?
[ $rc -eq 3 ] || fail "strict exit $rc, want 3"
grep -q 'scenes\[9\].image: images/missing.jpg' "$T/err" || fail "strict message should name the missing image"
[ -e "$T/strict/video.mp4" ] && fail "strict run left a video"

# --- bad storyboards: exit 3, field named
bad() { # json expected-message
	printf '%s' "$1" > "$T/bad.json"
	"$ONEFISH" video "$T/bad.json" -o "$T/bad" --preview 2> "$T/err"
	rc=$?
	[ $rc -eq 3 ] || fail "bad script '$1': exit $rc, want 3"
	grep -q -- "$2" "$T/err" || fail "bad script '$1': message should match '$2'"
}
bad '{"scenes": []}' 'bad.json: scenes: no scenes'
bad '{"scenes": [{"duration": 2}, {"duration": -1}]}' 'scenes\[1\].duration: must be > 0'
bad '{"scenes": [{"duration": NaN}]}' 'bad.json:1:'
bad '{"scenes": [{"duration": 1e9}]}' 'scenes\[0\].duration: must be <='
python3 -c 'import json; print(json.dumps({"scenes": [{"duration": 0.2}] * 10000}))' > "$T/many.json"
"$ONEFISH" video "$T/many.json" -o "$T/bad" 2> "$T/err"; rc=$?
[ $rc -eq 3 ] && grep -q "10000 scenes" "$T/err" || fail "10,000 scenes: exit $rc"
python3 -c 'import json; print(json.dumps({"scenes": [{"duration": 3, "caption": ["字" * 2000]}]}))' > "$T/long.json"
"$ONEFISH" video "$T/long.json" -o "$T/bad" 2> "$T/err"; rc=$?
[ $rc -eq 3 ] && grep -q "scenes\[0\].caption\[0\]: 2000 characters" "$T/err" || fail "2,000-char caption: exit $rc"

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
