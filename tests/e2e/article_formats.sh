#!/bin/sh
# article_formats.sh — `onefish article` on the same posts as CSV (UTF-8 and
# GB18030), a Markdown folder and an HTML export (also lazy-loading: data-src):
# every format gives a traced article with its images, and bad CSV names the
# line of the opening quote.
set -u
ROOT=${ONEFISH_ROOT:-$(pwd)}
FIX="$ROOT/tests/fixtures/posts"
IMG="$ROOT/examples/week-2026-47/images"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "article_formats: FAIL: $*"; exit 1; }

mkdir -p "$T/in"
cp "$FIX/week.csv" "$FIX/export.html" "$T/in/"
cp -r "$FIX/md" "$T/in/md"
cp -r "$IMG" "$T/in/images"
cp -r "$IMG" "$T/in/md/images"
python3 -c "
import sys
s = open(sys.argv[1], encoding='utf-8-sig').read()
open(sys.argv[2], 'wb').write(s.encode('gb18030'))" "$T/in/week.csv" "$T/in/week-gbk.csv"
# a lazy-loading page (WeChat, most exporters): the picture in data-src, a placeholder in src
sed -e 's|<img src="\([^"]*\)"|<img data-src="\1" src="data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="|' \
	"$T/in/export.html" >"$T/in/lazy.html"

check() { # name input
	"$ONEFISH" article "$2" -o "$T/out-$1" --quiet 2>"$T/err-$1" || fail "$1: exit $?: $(cat "$T/err-$1")"
	python3 - "$T/out-$1" "$1" <<'PY' || exit 1
import json, os, re, sys, yaml
out, name = sys.argv[1], sys.argv[2]
def fail(m):
    print("article_formats: FAIL: %s: %s" % (name, m)); sys.exit(1)
md = open(os.path.join(out, "article.md"), encoding="utf-8").read()
m = re.match(r"^---\n(.*?)\n---\n(.*)$", md, re.S)
if not m: fail("no front matter")
fm = yaml.safe_load(m.group(1))
if sorted(fm["sources"]) != ["p01", "p02", "p03", "p04", "p05", "p06"]: fail("sources %r" % fm["sources"])
imgs = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", m.group(2))
if len(imgs) < 4: fail("only %d images" % len(imgs))
for p in imgs:
    if not os.path.isfile(os.path.join(out, p)): fail("image %s missing in the output" % p)
if "#" in re.sub(r"^#+ ", "", m.group(2), flags=re.M): fail("a hashtag mark is left in the prose")
if "analytics" in md: fail("page script leaked into the article")
tr = json.load(open(os.path.join(out, "article.trace.json"), encoding="utf-8"))
if any(not p["sources"] for p in tr["paragraphs"]): fail("untraced paragraph")
PY
}
check csv "$T/in/week.csv"
check gbk "$T/in/week-gbk.csv"
check md "$T/in/md"
check html "$T/in/export.html"
check lazy "$T/in/lazy.html"
grep -q 'data-src=' "$T/in/lazy.html" && ! grep -q 'warning' "$T/err-lazy" || fail "lazy: $(cat "$T/err-lazy")"
cmp -s "$T/out-csv/article.md" "$T/out-gbk/article.md" || fail "GB18030 CSV gives a different article than UTF-8 CSV"

printf 'id,text\np1,第一条内容在这里，写得很完整。\np2,"引号没有结束\np3,第三条\n' >"$T/bad.csv"
"$ONEFISH" article "$T/bad.csv" -o "$T/out-bad" --strict 2>"$T/err-bad"
rc=$?
[ $rc -eq 3 ] || fail "unterminated quote under --strict: exit $rc, want 3"
grep -q "bad.csv:3:" "$T/err-bad" || fail "unterminated quote not reported at line 3: $(cat "$T/err-bad")"
# a missing image in a Markdown post's body is named at its own line (through the parsing worker)
mkdir -p "$T/mdimg/posts"
printf -- '---\nid: m1\ntime: 2026-11-18 09:00\n---\n今天给大家分享宝宝辅食的第一步。\n\n先从强化铁的米粉开始，一次一勺慢慢加。\n\n![](images/nope.jpg)\n' \
	>"$T/mdimg/posts/a.md"
"$ONEFISH" article "$T/mdimg/posts" -o "$T/mdimg/out" 2>"$T/err-md" >/dev/null || fail "md image: exit $?"
grep -q "a.md:9: warning: post 'm1': image 'images/nope.jpg' not found" "$T/err-md" \
	|| fail "missing body image not at its line: $(cat "$T/err-md")"
# a Markdown post in posts/ may name the pack's images/ (as "images/…" or "../images/…")
mkdir -p "$T/mdimg/images" && cp "$ROOT/examples/week-2026-47/images/p01-1.jpg" "$T/mdimg/images/b1.jpg"
printf -- '---\nid: m2\ntime: 2026-11-18 10:00\nimages: [images/b1.jpg]\n---\n周四的直播会现场演示辅食机蒸南瓜泥，营养师也会在。\n\n![](../images/b1.jpg)\n' \
	>"$T/mdimg/posts/b.md"
rm -rf "$T/mdimg/out" && "$ONEFISH" article "$T/mdimg/posts" -o "$T/mdimg/out" 2>"$T/err-md2" >/dev/null || fail "md pack images: exit $?"
grep -q 'b1.jpg' "$T/mdimg/out/article.md" && ! grep -q "b.md.*b1.jpg" "$T/err-md2" \
	|| fail "the pack's images/ not found from posts/: $(cat "$T/err-md2")"
# a CSV and a JSONL written on Windows: images\a.jpg and .\images\b.jpg are found; C:\… is named with its
# line as a Windows path; a Linux name holding a '\' is found as written
mkdir -p "$T/win/images" && cp "$IMG/p01-1.jpg" "$IMG/p02-1.jpg" "$T/win/images/" && cp "$IMG/p03-1.jpg" "$T/win/back\\slash.jpg"
printf 'id,time,text,images\r\nw1,2026-11-16 09:30,宝宝第一次吃米粉，要用温水冲调，先从一勺开始。,images\\p01-1.jpg\r\nw2,2026-11-17 09:30,辅食添加的顺序：先米粉，再菜泥，最后果泥和肉泥。,.\\images\\p02-1.jpg\r\nw3,2026-11-18 09:30,米粉冲好后要尽快吃完，放久了容易滋生细菌哦。,C:\\Users\\lily\\Pictures\\p03.jpg\r\n' \
	>"$T/win/win.csv"
printf '%s\n' '{"id":"j1","time":"2026-11-19 09:30","text":"宝宝吃辅食的时候，要一直有大人在旁边看着。","images":["back\\slash.jpg"]}' >"$T/win/win.jsonl"
"$ONEFISH" article "$T/win/win.csv" "$T/win/win.jsonl" -o "$T/win/out" 2>"$T/err-win" >/dev/null || fail "windows paths: exit $?"
[ "$(grep -c '^!\[' "$T/win/out/article.md")" -eq 3 ] || fail "windows paths: want 3 images: $(cat "$T/err-win")"
grep -q "win.csv:4: warning: post 'w3': image 'C:\\\\Users\\\\lily\\\\Pictures\\\\p03.jpg' is an absolute Windows path (drive C:)" "$T/err-win" \
	|| fail "drive path not named with its line: $(cat "$T/err-win")"
[ "$(grep -c 'warning: post' "$T/err-win")" -eq 1 ] || fail "windows paths: unexpected warnings: $(cat "$T/err-win")"
echo "article_formats: ok"
