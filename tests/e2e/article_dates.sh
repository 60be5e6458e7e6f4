#!/bin/sh
# article_dates.sh — relative day words in the example weeks are dated from
# each post's time (the article is read a week later): p07's 这周四晚8点 and
# p09's 昨晚 become 11月19日（周四）, p12's already dated 下周四（11月26日） stays,
# the mini week's 今晚8点 becomes 11月26日（周四）晚8点; spans stay consistent.
set -u
ROOT=${ONEFISH_ROOT:-$(pwd)}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "article_dates: FAIL: $*"; exit 1; }

"$ONEFISH" article "$ROOT/examples/week-2026-47/posts.jsonl" -o "$T/w47" --quiet 2>"$T/err" ||
	fail "week 47: exit $?: $(cat "$T/err")"
"$ONEFISH" article "$ROOT/examples/week-2026-48-mini/posts.jsonl" -o "$T/mini" --quiet 2>"$T/err" ||
	fail "mini week: exit $?: $(cat "$T/err")"

python3 - "$T" <<'PY' || exit 1
import json, os, re, sys
T = sys.argv[1]
def fail(msg):
    print("article_dates: FAIL:", msg); sys.exit(1)
def load(d):
    md = open(os.path.join(T, d, "article.md"), encoding="utf-8").read()
    tr = json.load(open(os.path.join(T, d, "article.trace.json"), encoding="utf-8"))
    posts = {p["id"]: p["text"] for p in tr["posts"]}
    for p in tr["paragraphs"]:
        for s in p["sources"]:
            for a, b in s["spans"]:
                if posts[s["post"]][a:b] not in p["text"]:
                    fail("%s: span [%d,%d) of %s not in paragraph %d" % (d, a, b, s["post"], p["para"]))
    return md, posts

md, posts = load("w47")
for stale in ("这周四晚8点", "昨晚直播", "明晚8点"):
    if stale in md: fail("week 47: stale %r left in the article" % stale)
    for pid, t in posts.items():
        if stale in t: fail("week 47: stale %r left in %s's text" % (stale, pid))
if "11月19日（周四）晚8点，我会和营养师小周" not in md: fail("p07's 这周四 not dated in the article")
if "11月19日（周四）晚直播一开价" not in md: fail("p09's 昨晚 not dated in the article")
if not posts["p07"].startswith("11月19日（周四）晚8点，暖暖直播间见！"): fail("p07's 明晚: " + posts["p07"][:30])
if "下周四（11月26日）晚8点" not in posts["p12"]: fail("p12's own date was rewritten: " + posts["p12"][:30])
if "我们11月26日（周四）晚8点见" not in posts["p12"]: fail("p12's closing 下周四 not dated")
# 第二批周一到仓 has no 这/上/下: which Monday is not certain, so it stays
if "第二批周一到仓" not in posts["p09"]: fail("p09's bare 周一 was rewritten")

md, posts = load("mini")
if "今晚8点" in md: fail("mini: stale 今晚8点 in the article")
if "11月26日（周四）晚8点，宝宝辅食直播准时开播" not in md: fail("mini: p03's 今晚 not dated")
if "12月3日（周四）晚8点，我们继续聊" not in posts["p04"]: fail("mini: p04's 下周四 not dated: " + posts["p04"])
PY

# article.absolute_dates: false keeps the words as written
sed 's/^article:$/article:\n  absolute_dates: false/' "$ROOT/examples/week-2026-47/onefish.yaml" >"$T/asis.yaml"
grep -q "absolute_dates: false" "$T/asis.yaml" || fail "could not write the test config"
"$ONEFISH" article "$ROOT/examples/week-2026-47/posts.jsonl" -o "$T/asis" --config "$T/asis.yaml" --quiet 2>"$T/err" ||
	fail "absolute_dates: false: exit $?: $(cat "$T/err")"
grep -q "这周四晚8点，我会和营养师小周" "$T/asis/article.md" || fail "absolute_dates: false still rewrote 这周四"
grep -q "11月19日（周四）" "$T/asis/article.md" && fail "absolute_dates: false still dated a post"
echo "article_dates: ok"
