#!/bin/sh
# article_shared_photo.sh — a photo several posts share is shown once in the article, at its first
# use (QA: rougui.png twice back to back); a post whose photo is shown already shows its next one;
# article.trace.json's images name each shown photo once, at its line in article.md.
set -u
: "${ONEFISH:?}"
ROOT=${ONEFISH_ROOT:-$(pwd)}
IMG="$ROOT/examples/week-2026-47/images/p01-1.jpg"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "article_shared_photo: FAIL: $*"; exit 1; }

mkdir -p "$T/in/images"
for n in rougui gaiwan shuixian; do cp "$IMG" "$T/in/images/$n.jpg"; done
cat >"$T/in/posts.jsonl" <<'J'
{"id":"t1","time":"2026-11-17T10:00:00+08:00","text":"岩茶冲泡小课堂：用110毫升的盖碗，投茶8克，水温一定要100度沸水。前四泡快出汤，5秒左右就出，后面每泡加几秒。","images":["images/gaiwan.jpg"],"tags":["岩茶"]}
{"id":"t2","time":"2026-11-17T21:00:00+08:00","text":"杭州茶友小周说她买的肉桂，办公室同事一喝就问在哪买的。她说以前喝岩茶总觉得苦，按我说的快出汤，一点都不苦。","images":["images/rougui.jpg"],"tags":["岩茶"]}
{"id":"t3","time":"2026-11-18T09:30:00+08:00","text":"说说肉桂和水仙的区别。肉桂香气高、辛锐，有桂皮香；水仙汤感醇厚，有木质香。新手我一般推荐先从水仙喝起。","images":["images/rougui.jpg","images/shuixian.jpg"],"tags":["岩茶"]}
{"id":"t4","time":"2026-11-19T09:30:00+08:00","text":"周末茶室开放日，欢迎附近的茶友来坐坐，现场试喝三款岩茶：水仙、肉桂、大红袍。来之前给我发个消息，我给你留座。","images":["images/gaiwan.jpg"],"tags":["岩茶"]}
J
"$ONEFISH" article "$T/in/posts.jsonl" -o "$T/out" --quiet 2>"$T/err" || fail "article: exit $?: $(cat "$T/err")"
md="$T/out/article.md"
dups=$(grep -o '^!\[[^]]*\]([^)]*)' "$md" | sort | uniq -d)
[ -z "$dups" ] || fail "a photo is shown twice: $dups
$(cat "$md")"
for n in gaiwan rougui shuixian; do
	[ "$(grep -c "^!\[[^]]*\](images/$n.jpg)" "$md")" = 1 ] || fail "images/$n.jpg not shown once
$(cat "$md")"
done
# each photo at its first use: the one two posts share follows the first of them (t2, 小周)
awk '/小周/ {p = 1} p && /^!\[/ {print; exit}' "$md" | grep -q 'rougui.jpg' \
	|| fail "rougui.jpg is not right after its first post (t2)
$(cat "$md")"
# the trace: one entry per image line, each at its line of article.md
python3 - "$md" "$T/out/article.trace.json" <<'PY' || exit 1
import json, re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
shown = [(i + 1, m.group(1)) for i, l in enumerate(lines) for m in [re.match(r"^!\[[^]]*\]\(([^)]*)\)$", l)] if m]
traced = [(e["line"], e["path"]) for e in json.load(open(sys.argv[2], encoding="utf-8"))["images"]]
if shown != traced:
    print("article_shared_photo: FAIL: trace images %s, article.md shows %s" % (traced, shown))
    sys.exit(1)
PY
echo "article_shared_photo: ok"
