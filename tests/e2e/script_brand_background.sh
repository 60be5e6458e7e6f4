#!/bin/sh
# script_brand_background.sh — a scene with no photo shows the brand background, and that follows
# brand.color (docs/config.md): a pack coloured #C06C84 renders frames whose background is that hue,
# dark enough for the white captions; the default colour (#E8734A, unset or as the examples set it)
# keeps the shipped assets/brand/background.jpg byte for byte. Same config, same bytes.
set -u
: "${ONEFISH:?}" "${ONEFISH_ROOT:?}"
for t in ffmpeg python3; do
	command -v $t >/dev/null 2>&1 || { echo "skip: $t missing"; exit 0; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

mkdir -p "$T/p"
cat >"$T/p/article.md" <<'MD'
# 敏感肌的秋冬护理

## 先修护屏障

换季的时候皮肤容易干痒泛红，先把清洁换成温和的氨基酸洁面，少用去角质产品，给屏障留出恢复的时间。

## 防晒不能停

通勤选SPF30就够，户外活动再换高倍数，记得足量涂抹，出汗后及时补涂。
MD
printf 'brand:\n  name: 素言\n  color: "#C06C84"\nvoice:\n  engine: none\nvideo:\n  fps: 6\n  x264_preset: ultrafast\n' >"$T/p/onefish.yaml"
"$ONEFISH" script "$T/p/article.md" -o "$T/p/out" --quiet 2>"$T/err" || { fail "script: exit $?"; cat "$T/err"; }
grep -q '^\[swscaler @\|^\[mjpeg @' "$T/err" && { fail "script printed (libav* logs go through onefish's log):"; cat "$T/err"; }
bg="$T/p/out/images/brand-background.jpg"
[ -f "$bg" ] || fail "no images/brand-background.jpg"
cmp -s "$bg" "$ONEFISH_ROOT/assets/brand/background.jpg" && fail "brand.color #C06C84 still gets the shipped orange background"
grep -q '"image": "images/brand-background.jpg"' "$T/p/out/script.json" || fail "no scene shows the brand background"
cp "$bg" "$T/bg1.jpg"
"$ONEFISH" script "$T/p/article.md" -o "$T/p/out2" --quiet 2>/dev/null || fail "second script run"
cmp -s "$T/bg1.jpg" "$T/p/out2/images/brand-background.jpg" && ok "the derived background is the same bytes twice" \
	|| fail "the derived background differs between runs"
"$ONEFISH" video "$T/p/out/script.json" -o "$T/p/out" --quiet 2>"$T/err" || { fail "video: exit $?"; cat "$T/err"; }
# a frame's top-left corner (no caption there): mean colour, then its hue against #C06C84's
ffmpeg -nostdin -v error -ss 1 -i "$T/p/out/video.mp4" -frames:v 1 -vf "crop=200:200:20:20" -f rawvideo -pix_fmt rgb24 "$T/corner.rgb" \
	|| fail "cannot extract a frame"
python3 - "$T/corner.rgb" <<'PY' || fails=$((fails + 1))
import colorsys, sys
d = open(sys.argv[1], "rb").read()
n = len(d) // 3
r, g, b = (sum(d[i::3]) / n / 255 for i in range(3))
h, s, v = colorsys.rgb_to_hsv(r, g, b)
want = colorsys.rgb_to_hsv(0xC0 / 255, 0x6C / 255, 0x84 / 255)[0]
dh = min(abs(h - want), 1 - abs(h - want)) * 360
lin = lambda c: c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
L = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
contrast = 1.05 / (L + 0.05)
print("corner rgb %.0f %.0f %.0f: hue %.0f (want %.0f, off %.1f deg), saturation %.2f, white contrast %.1f"
      % (r * 255, g * 255, b * 255, h * 360, want * 360, dh, s, contrast))
ok = dh < 12 and s > 0.2 and contrast >= 4.0
print(("ok: " if ok else "FAIL: ") + "the background is brand.color's hue, and white reads on it")
sys.exit(0 if ok else 1)
PY

# the default colour keeps the shipped background, byte for byte
for c in '' '  color: "#E8734A"\n' '  color: "#e8734a"\n'; do
	rm -rf "$T/p/out3"
	printf "brand:\n  name: 素言\n${c}voice:\n  engine: none\n" >"$T/p/onefish.yaml"
	"$ONEFISH" script "$T/p/article.md" -o "$T/p/out3" --quiet 2>/dev/null || fail "script with default colour"
	cmp -s "$T/p/out3/images/brand-background.jpg" "$ONEFISH_ROOT/assets/brand/background.jpg" \
		&& ok "default colour ($(printf "$c" | tr -d '\n ' )) keeps the shipped background" \
		|| fail "default colour ($c) does not keep the shipped background"
done
[ "$fails" -eq 0 ]
