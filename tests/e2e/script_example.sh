#!/bin/sh
# script_example.sh — `onefish script` on the fixture article and the corpus Markdown:
# checks script.json rules, the 分镜表 rows, SRT timing, the FCPXML timeline, and bad input exit codes.
set -u
: "${ONEFISH:?}" "${ONEFISH_ROOT:?}"
T=$(mktemp -d /tmp/onefish-e2e-script-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
say() { echo "script_example: $*"; }
bad() { say "FAIL: $*"; fail=1; }

check_out() { # dir target-seconds
	python3 - "$1" "$2" <<'PY' || return 1
import json, re, sys, os
import xml.etree.ElementTree as ET
from fractions import Fraction
d, target = sys.argv[1], float(sys.argv[2])
sb = json.load(open(os.path.join(d, "script.json"), encoding="utf-8"))
errs = []
sc = sb["scenes"]
if sb["version"] != 1: errs.append("version")
if sc[0]["kind"] != "hook": errs.append("first scene is not the hook")
if sc[-1]["kind"] != "cta": errs.append("last scene is not the cta")
if sc[0]["duration"] > 3.0: errs.append("hook longer than 3 s")
# body shots: a shot longer than one caption page, or the next scene on the same photo, goes on
# in scenes joined by a cut; a crossfade always changes the photo (one photo crossfaded shows twice)
body = [s for s in sc if s["kind"] == "body" and s["transition"]["type"] != "cut"]
photos = {s["image"] for s in sc if s["kind"] != "cta"}
if not (1 if len(photos) > 1 else 0) <= len(body) <= 6: errs.append("body shots %d" % len(body))
for i, s in enumerate(sc):
    if i and s["transition"]["type"] == "crossfade" and sc[i - 1]["image"] == s["image"] and not s["image"].startswith("images/brand"):
        errs.append("%s: a crossfade between two framings of one photo" % s["id"])
    if s["kind"] == "body" and s["transition"]["type"] == "cut" and (i == 0 or sc[i - 1]["image"] != s["image"]):
        errs.append("%s: a continued shot changes its image" % s["id"])
    bare = lambda t: re.sub(r"[\s，、。；：,;:.．]", "", t)  # what a caption drops at a line end (caption.c)
    if s["kind"] == "body" and bare("".join(s["caption"])) != bare(s["narration"]):
        errs.append("%s: caption %r does not say the narration %r" % (s["id"], s["caption"], s["narration"]))
total = sum(s["duration"] for s in sc)
if abs(total - target) > 0.05 * target: errs.append("total %.3f vs %.1f" % (total, target))
# starts are frame boundaries rounded once (docs/storyboard.md 6.), not sums of rounded
# durations, which drift by up to 0.5 ms a scene
fps, at_f = sb.get("fps", 30), 0
for s in sc:
    if abs(s["start"] - at_f / fps) > 0.0006: errs.append("%s start %.3f != %.3f" % (s["id"], s["start"], at_f / fps))
    at_f += round(s["duration"] * fps)
    if not s["sources"]: errs.append("%s has no sources" % s["id"])
    if not 1 <= len(s["caption"]) <= 2: errs.append("%s caption lines %d" % (s["id"], len(s["caption"])))
    for l in s["caption"]:
        if len(l) > 14: errs.append("%s caption line too long: %s" % (s["id"], l))
    if not os.path.isfile(os.path.join(d, s["image"])): errs.append("%s image missing: %s" % (s["id"], s["image"]))
    for k in ("motion", "transition", "narration"):
        if k not in s: errs.append("%s lacks %s" % (s["id"], k))
# 分镜表: one table row per scene
rows = [l for l in open(os.path.join(d, "script.md"), encoding="utf-8") if l.startswith("| ") and not l.startswith("| 序号") and not l.startswith("| ---")]
if len(rows) != len(sc): errs.append("script.md has %d rows for %d scenes" % (len(rows), len(sc)))
# SRT: numbered cues, monotonic, inside the video
srt = open(os.path.join(d, "subtitles.srt"), encoding="utf-8").read().strip().split("\n\n")
def ms(t):
    h, m, rest = t.split(":"); s, f = rest.split(",")
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(f)
prev = 0
for i, cue in enumerate(srt, 1):
    lines = cue.split("\n")
    if lines[0] != str(i): errs.append("srt cue %d numbered %s" % (i, lines[0])); break
    m = re.fullmatch(r"(\d\d:\d\d:\d\d,\d\d\d) --> (\d\d:\d\d:\d\d,\d\d\d)", lines[1])
    if not m: errs.append("srt cue %d timing line %r" % (i, lines[1])); break
    a, b = ms(m.group(1)), ms(m.group(2))
    if a < prev or b <= a: errs.append("srt cue %d not monotonic" % i)
    prev = b
    if len(lines) < 3 or len(lines) > 4: errs.append("srt cue %d has %d text lines" % (i, len(lines) - 2))
if abs(prev / 1000.0 - total) > 0.01: errs.append("srt ends at %.3f, video %.3f" % (prev / 1000.0, total))
if not open(os.path.join(d, "subtitles.vtt"), encoding="utf-8").read().startswith("WEBVTT"): errs.append("vtt header")
ass = open(os.path.join(d, "subtitles.ass"), encoding="utf-8").read()
if "Noto Sans CJK SC" not in ass or ass.count("Dialogue:") != len(srt): errs.append("ass style or cue count")
# the video's safe zone (assets/styles/captions.json): clear of the platform's buttons and description
st = re.search(r"^Style: Default,.*$", ass, re.M).group(0).split(",")
if sb["format"] == "vertical" and (int(st[-2]) < 0.25 * sb["height"] - 1 or int(st[-3]) < 0.17 * sb["width"] - 1):
    errs.append("subtitles.ass margins %s/%s outside the vertical safe zone" % (st[-3], st[-2]))
# FCPXML: spine clips back to back, total = script duration
root = ET.parse(os.path.join(d, "timeline.fcpxml")).getroot()
if root.tag != "fcpxml" or root.get("version") != "1.9": errs.append("fcpxml root")
def rt(v):
    return Fraction(0) if v == "0s" else Fraction(v[:-1])
spine = root.find("./library/event/project/sequence/spine")
off = Fraction(0)
clips = list(spine)
for c in clips:
    if rt(c.get("offset")) != off: errs.append("fcpxml clip %s offset" % c.get("name"))
    off += rt(c.get("duration"))
    if c.tag == "video" and root.find("./resources/asset[@id='%s']" % c.get("ref")) is None: errs.append("fcpxml ref")
if len(clips) != len(sc): errs.append("fcpxml clip count")
seq = root.find("./library/event/project/sequence")
if rt(seq.get("duration")) != off or abs(float(off) - total) > 0.01: errs.append("fcpxml total %s" % off)
for e in errs: print("  " + e)
sys.exit(1 if errs else 0)
PY
}

# 1. the fixture article at 15/30/60 s
for d in 15 30 60; do
	if "$ONEFISH" script "$ONEFISH_ROOT/tests/fixtures/script/article.md" -o "$T/fx$d" --duration $d --quiet; then
		check_out "$T/fx$d" $d || bad "fixture article, $d s"
	else
		bad "fixture article, $d s: exit $?"
	fi
done
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout --nonet "$T/fx30/timeline.fcpxml" || bad "timeline.fcpxml is not well-formed"
fi

# 1a. the example week: article stage output → script (the real hand-off)
W="$ONEFISH_ROOT/examples/week-2026-47"
if "$ONEFISH" article "$W/posts.jsonl" -o "$T/week/article" --quiet 2>/dev/null; then
	for d in 15 30 60; do
		if "$ONEFISH" script "$T/week/article/article.md" -o "$T/week/script$d" --duration $d \
			--config "$W/onefish.yaml" --quiet; then
			check_out "$T/week/script$d" $d || bad "example week, $d s"
		else
			bad "example week, $d s: exit $?"
		fi
	done
	python3 - "$T/week/script30/script.json" <<'PY' || bad "example week: CTA or images"
import json, sys
sb = json.load(open(sys.argv[1], encoding="utf-8"))
cta = sb["scenes"][-1]
assert sb["live"]["time_text"] == "11月26日（周四）20:00", sb["live"]
assert "宝宝辅食添加全攻略直播" in "".join(cta["caption"]), cta
# which photo each scene shows is checked against the article trace in script_images.sh
import os
d = os.path.dirname(sys.argv[1])
used = {sc["image"] for sc in sb["scenes"] if sc.get("image")}
kept = {"images/" + f for f in os.listdir(d + "/images")}
assert kept == used, ("images/ holds what the scenes show, no more", sorted(kept - used), sorted(used - kept))
PY
else
	bad "onefish article on the example week failed"
fi

# 1b. an editor's script.md is never overwritten without --force
printf '\n编辑加的备注\n' >>"$T/fx30/script.md"
cp "$T/fx30/script.md" "$T/edited.md"
expect_code() { want=$1; shift; "$@" >/dev/null 2>"$T/err"; got=$?; [ $got -eq "$want" ] || { bad "$*: exit $got, want $want"; cat "$T/err"; }; }
expect_code 1 "$ONEFISH" script "$ONEFISH_ROOT/tests/fixtures/script/article.md" -o "$T/fx30" --duration 30
cmp -s "$T/fx30/script.md" "$T/edited.md" || bad "an edited script.md was overwritten"
grep -q "edited by hand" "$T/err" || bad "no message about the edited script.md"
expect_code 0 "$ONEFISH" script "$ONEFISH_ROOT/tests/fixtures/script/article.md" -o "$T/fx30" --duration 30 --force
cmp -s "$T/fx30/script.md" "$T/edited.md" && bad "--force did not rewrite script.md"

# 1c. so is an editor's script.json (a change of layout alone is not an edit)
S30="$ONEFISH_ROOT/tests/fixtures/script/article.md"
python3 -c 'import json,sys; p=sys.argv[1]; d=json.load(open(p)); json.dump(d, open(p, "w"), ensure_ascii=False, indent=4)' "$T/fx30/script.json"
expect_code 0 "$ONEFISH" script "$S30" -o "$T/fx30" --duration 30
python3 -c 'import json,sys; p=sys.argv[1]; d=json.load(open(p)); d["scenes"][1]["caption"] = ["编辑改的字幕"]; json.dump(d, open(p, "w"), ensure_ascii=False)' "$T/fx30/script.json"
cp "$T/fx30/script.json" "$T/edited.json"
expect_code 1 "$ONEFISH" script "$S30" -o "$T/fx30" --duration 30
cmp -s "$T/fx30/script.json" "$T/edited.json" || bad "an edited script.json was overwritten"
grep -q "script.json was edited by hand" "$T/err" || bad "no message about the edited script.json"
expect_code 0 "$ONEFISH" script "$S30" -o "$T/fx30" --duration 30 --force
grep -q 编辑改的字幕 "$T/fx30/script.json" && bad "--force did not rewrite script.json"
# the summary counts the article's blocks: "used" are those a scene narrates, never more than read
"$ONEFISH" script "$S30" -o "$T/fx30" --duration 30 --force 2>"$T/sum" >/dev/null
read -r nread nused <<EOF2
$(sed -n 's/^script done: \([0-9]*\) records read, \([0-9]*\) used.*/\1 \2/p' "$T/sum")
EOF2
[ -n "$nused" ] && [ "$nused" -ge 1 ] && [ "$nused" -le "$nread" ] || bad "script summary: $(grep 'script done' "$T/sum")"

# 2. the corpus Markdown (skipped when the corpus is absent)
CORPUS="$ONEFISH_ROOT/../shared/corpus/markdown-zh"
if [ -d "$CORPUS" ]; then
	for f in "$CORPUS"/*.md; do
		n=$(basename "$f" .md)
		if "$ONEFISH" script "$f" -o "$T/$n" --duration 30 --quiet; then
			check_out "$T/$n" 30 || bad "corpus $n"
		else
			bad "corpus $n: exit $?"
		fi
	done
else
	say "corpus absent: skipped"
fi

# 2b. HTML: the generic fixture page, the WeChat corpus pages; deleted/expired pages are exit 3
for f in generic wechat-mini; do
	if "$ONEFISH" script "$ONEFISH_ROOT/tests/fixtures/script/$f.html" -o "$T/$f" --duration 30 --quiet \
		--config "$ONEFISH_ROOT/tests/fixtures/script/offline.yaml" 2>"$T/err"; then
		grep -q "fetch_images is off" "$T/err" || [ "$f" = generic ] || bad "$f.html: no warning about the unfetched image"
		check_out "$T/$f" 30 || bad "fixture $f.html"
	else
		bad "fixture $f.html: exit $?"
	fi
done
HCORPUS="$ONEFISH_ROOT/../shared/corpus/wechat-article-html"
if [ -d "$HCORPUS" ]; then
	for n in wae-normal-04-boyuanba-finance wechatsogou-article_detail_qqmusic; do
		if "$ONEFISH" script "$HCORPUS/$n.html" -o "$T/$n" --duration 15 --quiet \
			--config "$ONEFISH_ROOT/tests/fixtures/script/offline.yaml" 2>/dev/null; then
			check_out "$T/$n" 15 || bad "corpus $n"
		else
			bad "corpus $n: exit $?"
		fi
	done
	for n in wae-deleted-by-author-06 wechatsogou-article_detail_expired; do
		"$ONEFISH" script "$HCORPUS/$n.html" -o "$T/bad" >"$T/out" 2>"$T/err"
		got=$?
		[ $got -eq 3 ] || bad "$n: exit $got, want 3"
		grep -q "deleted, has expired or is blocked" "$T/err" || bad "$n: message does not say the page is gone"
	done
fi

# 3. bad input
expect() { # code description command...
	want=$1; what=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	[ "$got" -eq "$want" ] || { bad "$what: exit $got, want $want"; cat "$T/err"; }
}
A="$ONEFISH_ROOT/tests/fixtures/script/article.md"
# a duration the config allows but this article cannot fill: bad input that says what it needs
expect 3 "duration 5" "$ONEFISH" script "$A" -o "$T/bad5" --duration 5
grep -q "too short.*needs at least [0-9]* s" "$T/err" || bad "duration 5: message does not say what is needed: $(cat "$T/err")"
for d in 0 -3 10000; do
	expect 2 "duration $d" "$ONEFISH" script "$A" -o "$T/bad" --duration "$d"
done
python3 -c "
import sys
sys.stdout.write('---\ntitle: 大\n---\n' + ('宝宝辅食添加全攻略，从第一口米粉开始。' * 20 + '\n\n') * 900)" >"$T/big.md"
expect 3 "1 MB article" "$ONEFISH" script "$T/big.md" -o "$T/bad"
grep -q "capped\|larger than" "$T/err" || bad "1 MB article: message does not say why"
printf '# 只有图片\n\n![a](x.jpg)\n\n![b](y.jpg)\n' >"$T/images-only.md"
expect 3 "article with only images" "$ONEFISH" script "$T/images-only.md" -o "$T/bad"
grep -q "no paragraph text" "$T/err" || bad "images-only: message"
printf '宝宝满6个月了，第一口辅食到底该吃什么？米粉是首选。一次只加一种新食物。观察三天没有异常再换下一种。辅食不是比赛。\n' >"$T/noheadings.md"
expect 0 "article with no headings" "$ONEFISH" script "$T/noheadings.md" -o "$T/nh" --duration 15
python3 -c "import sys; sys.stdout.write('[' * 10000 + '宝宝吃饭了。' + ']' * 10000)" >"$T/brackets.md"
"$ONEFISH" script "$T/brackets.md" -o "$T/br" --duration 15 >"$T/out" 2>"$T/err"
got=$?
[ $got -eq 0 ] || [ $got -eq 3 ] || bad "10,000 nested brackets: exit $got (want 0, or 3 with a message)"
python3 -c "import sys; sys.stdout.write('> ' * 10000 + '宝宝吃饭了。今天天气很好。米粉要冲得细一点。')" >"$T/quotes.md"
expect 0 "10,000 nested block quotes" "$ONEFISH" script "$T/quotes.md" -o "$T/bq" --duration 15
python3 -c "import sys; sys.stdout.write('![[]()' * 30000)" >"$T/cve.md"
expect 3 "cmark quadratic brackets" "$ONEFISH" script "$T/cve.md" -o "$T/bad"
expect 3 "file:// URL" "$ONEFISH" script "file:///etc/passwd" -o "$T/bad"
expect 3 "ftp:// URL" "$ONEFISH" script "ftp://example.com/a.md" -o "$T/bad"
expect 3 "missing file" "$ONEFISH" script "$T/nope.md" -o "$T/bad"
printf -- '---\ntitle: [unclosed\n---\n正文。\n' >"$T/badfm.md"
expect 3 "bad front matter" "$ONEFISH" script "$T/badfm.md" -o "$T/bad"
grep -q "badfm.md:[0-9]" "$T/err" || { bad "bad front matter: no file:line"; cat "$T/err"; }
printf '# t\n\n宝宝满6个月了，第一口辅食到底该吃什么？米粉是首选。\n\n![x](../../etc/passwd)\n\n一次只加一种新食物。观察三天没有异常再换下一种。\n' >"$T/badimg.md"
expect 0 "image escaping the folder (skipped)" "$ONEFISH" script "$T/badimg.md" -o "$T/bi" --duration 15
grep -q "badimg.md:5: warning: image '../../etc/passwd' is outside the article's folder; not used" "$T/err" ||
	{ bad "bad image: no file:line warning"; cat "$T/err"; }
expect 3 "image escaping the folder, --strict" "$ONEFISH" script "$T/badimg.md" -o "$T/bi2" --duration 15 --strict
printf '<html><head><title>x</title></head><body></body></html>' >"$T/nobody.html"
expect 3 "HTML with no body" "$ONEFISH" script "$T/nobody.html" -o "$T/bad"

[ $fail -eq 0 ] && say "ok"
exit $fail
