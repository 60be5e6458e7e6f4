#!/bin/sh
# script_edited_photos.sh — after an editor changes article.md in a pack, each scene still shows a
# photo the edited article places with the paragraph its words came from: deleting a post's photo
# (the Q&A paragraph of the hook) takes the next photo of its section, a rewritten paragraph (no
# sources in the refreshed trace) the photo after it, and a photo the editor adds after a paragraph
# is used; never the brand background. The cover and the video's first second show that photo.
set -u
: "${ONEFISH:?}" "${ONEFISH_ROOT:?}"
for t in ffmpeg python3; do
	command -v $t >/dev/null 2>&1 || { echo "skip: $t missing"; exit 0; }
done
T=$(mktemp -d /tmp/onefish-e2e-edited-photos-XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
W=week-2026-47
cp -R "$ONEFISH_ROOT/examples/$W" "$T/pack"
# 6 fps and x264 ultrafast keep the three renders fast (the frame stays 1080x1920)
sed -i 's/^  preset: vertical/  preset: vertical\n  fps: 6\n  x264_preset: ultrafast/' "$T/pack/onefish.yaml"
grep -q 'fps: 6' "$T/pack/onefish.yaml" || { echo "FAIL: could not set fps"; exit 1; }
O="$T/out/$W"
run() { # label
	"$ONEFISH" run "$T/pack" -o "$T/out" >"$T/log-$1" 2>&1 || { fail "$1: run exit $?"; tail -5 "$T/log-$1"; }
}

# scenes label expect...: every scene but the call to action shows a real photo (not the brand
# background, a file in images/); each "PARAGRAPH-PREFIX=PHOTO" says the scenes whose first source
# starts with PREFIX show images/NN-PHOTO.
scenes() {
	python3 - "$O" "$@" <<'PY'
import json, os, sys
out, label, want = sys.argv[1], sys.argv[2], sys.argv[3:]
sb = json.load(open(os.path.join(out, "script.json"), encoding="utf-8"))
errs = []
for s in sb["scenes"]:
    img = s["image"]
    if s["kind"] != "cta" and "brand-background" in img:
        errs.append("%s (%s) shows the brand background" % (s["id"], s["narration"]))
    if not os.path.isfile(os.path.join(out, img)):
        errs.append("%s: %s missing" % (s["id"], img))
for w in want:
    prefix, photo = w.split("=")
    hit = [s for s in sb["scenes"] if s["sources"] and s["sources"][0].get("text", "").startswith(prefix)]
    if not hit:
        errs.append("no scene from %r" % prefix)
    for s in hit:
        if not s["image"].split("/")[-1].split("-", 1)[-1] == photo:
            errs.append("%s (%s) shows %s, not %s" % (s["id"], s["narration"], s["image"], photo))
for e in errs:
    print("  %s: %s" % (label, e))
sys.exit(1 if errs else 0)
PY
}

# frame label: the cover and the frame at 1 s look like the hook scene's photo, not like the brand background
# (mean difference of 9x16 grey thumbnails; captions and the Ken Burns move keep it above 0)
frame() {
	ffmpeg -nostdin -v error -y -ss 1 -i "$O/video.mp4" -frames:v 1 "$T/f.png" || { fail "$1: no frame"; return; }
	hook=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["scenes"][0]["image"])' "$O/script.json")
	for f in "$T/f.png" "$O/cover.jpg" "$O/$hook" "$ONEFISH_ROOT/assets/brand/background.jpg"; do
		ffmpeg -nostdin -v error -i "$f" -vf "scale=9:16,format=gray" -f rawvideo - 2>/dev/null
	done >"$T/thumbs"
	python3 - "$T/thumbs" "$1" <<'PY' || fails=$((fails + 1))
import sys
b = open(sys.argv[1], "rb").read()
n = 9 * 16
if len(b) != 4 * n:
    print("FAIL: %s: thumbnails not made (%d bytes)" % (sys.argv[2], len(b))); sys.exit(1)
fr, cov, photo, bg = (b[i * n:(i + 1) * n] for i in range(4))
d = lambda a, c: sum(abs(x - y) for x, y in zip(a, c)) / n
bad = [(name, d(t, photo), d(t, bg)) for name, t in (("frame at 1 s", fr), ("cover.jpg", cov)) if d(t, photo) >= d(t, bg)]
for name, dp, db in bad:
    print("FAIL: %s: %s looks like the brand background (%.1f from the photo, %.1f from it)" % (sys.argv[2], name, dp, db))
sys.exit(1 if bad else 0)
PY
}

run first
scenes first "问：宝宝一天=p06-1.jpg" "答：6到7个月=p06-1.jpg" || fail "first run: scenes"

# A: the editor deletes the hook paragraph's photo; B: rewrites 路上的风景… (its photos p04-2, p04-3 follow it)
python3 - "$O/article.md" <<'PY' || exit 1
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
assert "\n![](images/p06-1.jpg)\n" in s and "路上的风景特别好" in s
s = s.replace("\n![](images/p06-1.jpg)\n", "\n", 1)
i = s.index("路上的风景特别好")
s = s[:i] + "回来的路上我们还顺道去看了米粉厂的新车间，每一道工序都有专人盯着。" + s[s.index("\n", i):]
open(p, "w", encoding="utf-8").write(s)
PY
run edited
grep -q "script: running" "$T/log-edited" || fail "edited: the script did not rerun"
if scenes edited "问：宝宝一天=p10-1.jpg" "答：6到7个月=p10-1.jpg" "回来的路上=p04-2.jpg"; then
	ok "a deleted photo and a rewritten paragraph: the photos placed with the paragraphs"
else
	fail "edited article: scenes"
fi
grep -q "brand background" "$T/log-edited" && fail "edited: a brand-background warning: $(grep 'brand background' "$T/log-edited")"
frame edited

# The editor puts their own photo right after the Q&A paragraph.
cp "$ONEFISH_ROOT/examples/$W/images/p08-1.jpg" "$O/images/editor-new.jpg"
python3 - "$O/article.md" <<'PY' || exit 1
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
i = s.index("\n", s.index("整理了后台问得多的三个问题"))
s = s[:i] + "\n\n![](images/editor-new.jpg)" + s[i:]
open(p, "w", encoding="utf-8").write(s)
PY
run added
scenes added "问：宝宝一天=editor-new.jpg" "答：6到7个月=editor-new.jpg" "回来的路上=p04-2.jpg" && ok "the editor's own photo after the paragraph is used" \
	|| fail "editor's photo: scenes"
frame added

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "script_edited_photos: ok"
