#!/bin/sh
# article_headings.sh — a section's heading names topics its posts share or its opening post's:
# a tag only the last post has does not head the section (QA tea pack: 「白茶与健康」 opened with the
# 寿眉 launch post, 健康 being the tag of the last paragraph only).
set -u
: "${ONEFISH:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "article_headings: FAIL: $*"; exit 1; }

mkdir -p "$T/in"
cat >"$T/in/posts.csv" <<'CSV'
编号,发布时间,作者,内容,点赞,标签
t01,2026-11-16 09:10,老林,"新茶到店啦！今年的福鼎白茶寿眉饼刚从产区运回来，2023年的料，三年陈，干茶闻起来已经有淡淡的枣香。一饼350克，压得松紧刚好，撬起来不费劲。",56,白茶;寿眉;新品
t02,2026-11-17 10:00,老林,"岩茶冲泡小课堂：用110毫升的盖碗，投茶8克，水温一定要100度沸水。前四泡快出汤，5秒左右就出，后面每泡加几秒。岩茶讲究岩骨花香。",72,岩茶;冲泡
t03,2026-11-18 19:45,老林,"白茶能不能煮？当然能！老寿眉最适合煮，冬天用小陶壶，投5克，500毫升水，小火煮3到5分钟，汤色红亮，喝着暖身。新白茶就别煮了，泡着喝更鲜爽。",91,白茶;煮茶
t04,2026-11-19 09:30,老林,"说说肉桂和水仙的区别。肉桂香气高、辛锐，有桂皮香；水仙汤感醇厚，有木质香和粽叶香。新手我一般推荐先从水仙喝起，岩茶的口感温和不刺激。",60,岩茶;肉桂;水仙
t05,2026-11-20 15:20,老林,"有茶友问，孕妇和胃不好的人能不能喝茶。我的建议是：胃不好的选老白茶或者焙火足的岩茶，别空腹喝，别喝太浓。特殊人群先问问医生。",40,健康;白茶
CSV
"$ONEFISH" article "$T/in/posts.csv" -o "$T/out" --quiet 2>"$T/err" || fail "article: exit $?: $(cat "$T/err")"
md="$T/out/article.md"
grep -q '^## 白茶' "$md" || fail "no 白茶 section
$(cat "$md")"
grep -q '^## 白茶与健康' "$md" && fail "the 白茶 section is headed by the last post's tag 健康
$(cat "$md")"
# the heading's second topic is the opening post's (寿眉, the launch), or none
h=$(grep '^## 白茶' "$md")
case "$h" in "## 白茶" | "## 白茶与寿眉") ;; *) fail "heading '$h'" ;; esac
awk '/^## 白茶/ {p = 1; next} p && NF {print; exit}' "$md" | grep -q '寿眉饼' || fail "the 白茶 section does not open with t01
$(cat "$md")"
echo "article_headings: ok ($h)"
