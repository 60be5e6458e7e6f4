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

# The README's mid-week article says p07's 明晚8点，直播间见！这周四晚8点，我会… : both are
# 11月19日（周四）晚8点, said once (the repeated clause goes); a repeated date whose clause
# differs becomes 当天/当晚; the trace spans and the tense lint follow the text.
"$ONEFISH" article "$ROOT/examples/week-2026-47/posts.jsonl" -o "$T/mid" --since 2026-11-18 --until 2026-11-21 \
	--strict 2>"$T/mid.err" >/dev/null || fail "mid week: exit $?: $(cat "$T/mid.err")"
grep -q "^11月19日（周四）晚8点，暖暖直播间见！我会和营养师小周" "$T/mid/article.md" ||
	fail "mid week: p07's date said twice: $(grep 暖暖直播间见 "$T/mid/article.md")"
grep -q "见！11月19日（周四）晚8点" "$T/mid/article.md" && fail "mid week: a date repeated"
grep -q "「11月19日（周四）」 was 「这周四」" "$T/mid.err" && fail "mid week: tense lint on the date left out"
cat >"$T/again.jsonl" <<'EOF'
{"id":"r1","time":"2026-11-18T10:00:00+08:00","text":"明天开播，宝宝辅食直播间等你来。这周四晚8点我们准时上线，聊聊辅食添加的顺序和过敏处理。"}
{"id":"r2","time":"2026-11-18T10:30:00+08:00","text":"今晚有一个小小的预告要说。明晚8点，营养师小周也会来到直播间回答妈妈们的问题，记得预约。"}
EOF
"$ONEFISH" article "$T/again.jsonl" -o "$T/again" 2>"$T/err" >/dev/null || fail "again: exit $?: $(cat "$T/err")"
grep -q "11月19日（周四）开播，宝宝辅食直播间等你来。当天晚8点我们准时上线" "$T/again/article.md" ||
	fail "again: not 当天: $(cat "$T/again/article.md")"
python3 - "$T" mid again <<'PY' || exit 1
import json, os, sys
for d in sys.argv[2:]:
    tr = json.load(open(os.path.join(sys.argv[1], d, "article.trace.json"), encoding="utf-8"))
    posts = {p["id"]: p["text"] for p in tr["posts"]}
    for p in tr["paragraphs"]:
        for s in p["sources"]:
            for a, b in s["spans"]:
                if posts[s["post"]][a:b] not in p["text"]:
                    print("article_dates: FAIL: %s: span [%d,%d) of %s not in paragraph %d" % (d, a, b, s["post"], p["para"]))
                    sys.exit(1)
PY
# article.absolute_dates: false keeps the words as written
sed 's/^article:$/article:\n  absolute_dates: false/' "$ROOT/examples/week-2026-47/onefish.yaml" >"$T/asis.yaml"
grep -q "absolute_dates: false" "$T/asis.yaml" || fail "could not write the test config"
"$ONEFISH" article "$ROOT/examples/week-2026-47/posts.jsonl" -o "$T/asis" --config "$T/asis.yaml" --quiet 2>"$T/err" ||
	fail "absolute_dates: false: exit $?: $(cat "$T/err")"
grep -q "这周四晚8点，我会和营养师小周" "$T/asis/article.md" || fail "absolute_dates: false still rewrote 这周四"
grep -q "11月19日（周四）" "$T/asis/article.md" && fail "absolute_dates: false still dated a post"
# A post whose time cannot be read is left out of a windowed article (a typo'd date may be any
# week's) and named with the reason; a spreadsheet's 2026/11/18 7:30 is read; out-of-window posts
# are named.
cat >"$T/times.jsonl" <<'EOF'
{"id":"a","time":"2026-11-16T09:00:00+08:00","text":"今天给大家分享宝宝辅食的第一步，先从强化铁的米粉开始，一次一勺慢慢加。"}
{"id":"b","time":"2026-11-31 08:00","text":"这条帖子日期写错了，十一月没有三十一号，不该放进本周的文章里。"}
{"id":"c","time":"2026/11/18 7:30","text":"表格导出的时间，斜杠分隔的日期，这条应该被读懂并放进本周的文章。"}
{"id":"d","time":"2026-11-02T09:00:00+08:00","text":"上上周的帖子，不在本周的时间窗口里，应该被点名说明没有用上。"}
EOF
"$ONEFISH" article "$T/times.jsonl" -o "$T/times" --since 2026-11-16 --until 2026-11-23 2>"$T/err" >/dev/null ||
	fail "times: exit $?: $(cat "$T/err")"
grep -q "times.jsonl:2: warning: post 'b': cannot read time '2026-11-31 08:00' (2026-11 has no day 31)" "$T/err" ||
	fail "times: no reason for the bad date: $(cat "$T/err")"
grep -q "times.jsonl:4: post 'd' (2026-11-02T09:00:00+08:00) is outside the time window" "$T/err" ||
	fail "times: the out-of-window post is not named: $(cat "$T/err")"
python3 - "$T/times/article.trace.json" <<'PY' || fail "times: wrong posts used"
import json, sys
used = {s["post"] for p in json.load(open(sys.argv[1]))["paragraphs"] for s in p.get("sources", [])}
assert used == {"a", "c"}, used
PY
# posts with no time (next-posts stubs, once written) in a windowed run: one warning for all of them
cat >"$T/untimed.jsonl" <<'EOF'
{"id":"a","time":"2026-11-16T09:00:00+08:00","text":"今天给大家分享宝宝辅食的第一步，先从强化铁的米粉开始，一次一勺慢慢加。"}
{"id":"next-01","text":"很多妈妈问辅食要不要加盐，一岁以前的宝宝不用额外加盐，食物本身的钠就够了。"}
{"id":"next-02","text":"米粉怎么冲才不结块？先放温水再慢慢加米粉，边加边搅，稠度像酸奶就刚好。"}
EOF
"$ONEFISH" article "$T/untimed.jsonl" -o "$T/untimed" --since 2026-11-16 --until 2026-11-23 2>"$T/err" >/dev/null ||
	fail "untimed: exit $?: $(cat "$T/err")"
[ "$(grep -c 'no time' "$T/err")" -eq 1 ] && grep -q "2 posts have no time, kept although a time window is set: .*'next-01', .*'next-02'" "$T/err" ||
	fail "untimed: not one warning naming both: $(cat "$T/err")"
# a window that holds no post names itself in the error (and where it came from)
"$ONEFISH" article "$T/times.jsonl" -o "$T/nowin" --since 2026-12-01 --until 2026-12-08 2>"$T/err" >/dev/null; rc=$?
[ $rc -eq 3 ] && grep -q "no usable post in the time window from 2026-12-01 before 2026-12-08" "$T/err" ||
	fail "empty window: exit $rc $(cat "$T/err")"
echo "article_dates: ok"
