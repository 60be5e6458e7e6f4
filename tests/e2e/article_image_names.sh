#!/bin/sh
# article_image_names.sh — copied photos keep their Chinese names (蛋糕.jpg, not
# ____.jpg), names that need escaping are made safe, and a photo two posts
# share is copied once; the script stage finds and copies them under the same rule;
# a missing photo fails the run under --strict.
set -u
ROOT=${ONEFISH_ROOT:-$(pwd)}
IMG="$ROOT/examples/week-2026-47/images/p01-1.jpg"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "article_image_names: FAIL: $*"; exit 1; }

mkdir -p "$T/in/images"
cp "$IMG" "$T/in/images/蛋糕 新品（1）.jpg"
cp "$IMG" "$T/in/images/面包.jpg"
cat >"$T/in/posts.jsonl" <<'J'
{"id":"p1","time":"2026-11-16T09:00:00+08:00","text":"今天的新品蛋糕出炉了，奶油用的是动物奶油，口感很轻盈，不甜腻。","images":["images/蛋糕 新品（1）.jpg","images/面包.jpg"]}
{"id":"p2","time":"2026-11-17T09:00:00+08:00","text":"很多朋友问蛋糕能放多久，冷藏可以放两天，建议当天吃完口感最好。","images":["images/蛋糕 新品（1）.jpg"]}
J
"$ONEFISH" article "$T/in/posts.jsonl" -o "$T/out" --quiet 2>"$T/err" || fail "article: exit $?: $(cat "$T/err")"
names=$(cd "$T/out/images" && ls | sort | tr '\n' ' ')
[ "$names" = "蛋糕_新品_1_.jpg 面包.jpg " ] || fail "copied images: '$names'"
grep -q '^!\[\](images/蛋糕_新品_1_.jpg)$' "$T/out/article.md" || fail "article.md does not name 蛋糕_新品_1_.jpg"
grep -q 'src="images/%E8%9B%8B%E7%B3%95_%E6%96%B0%E5%93%81_1_.jpg"' "$T/out/article.html" \
	|| fail "article.html image src not percent-encoded UTF-8"
grep -q 'src="images/%E8%9B%8B%E7%B3%95_%E6%96%B0%E5%93%81_1_.jpg"' "$T/out/article.wechat.html" \
	|| fail "article.wechat.html image src not percent-encoded UTF-8"
"$ONEFISH" script "$T/out/article.md" -o "$T/out" --quiet 2>"$T/err2" || fail "script: exit $?: $(cat "$T/err2")"
grep -q '"images/v-蛋糕_新品_1_.jpg"' "$T/out/script.json" || fail "script.json image: $(grep -o '"image":[^,]*' "$T/out/script.json" | head -3)"
[ -s "$T/out/images/v-蛋糕_新品_1_.jpg" ] || fail "script stage did not copy v-蛋糕_新品_1_.jpg"
# a photo the post names that is not there: kept without it, or under --strict the run fails
# at its line, as `onefish check` does (QA: check exit 3, run --strict exit 0)
sed 's#"images/面包.jpg"#"images/nope.jpg"#' "$T/in/posts.jsonl" >"$T/in/missing.jsonl"
"$ONEFISH" article "$T/in/missing.jsonl" -o "$T/out-m" --quiet 2>"$T/err-m" || fail "missing image without --strict: exit $?"
grep -q "missing.jsonl:1: warning: post 'p1': image 'images/nope.jpg' not found; post kept without it" "$T/err-m" \
	|| fail "missing image warning: $(cat "$T/err-m")"
"$ONEFISH" article "$T/in/missing.jsonl" -o "$T/out-s" --strict --quiet 2>"$T/err-s"
rc=$?
[ $rc -eq 3 ] || fail "missing image under --strict: exit $rc, want 3"
grep -q "missing.jsonl:1: post 'p1': image 'images/nope.jpg' not found" "$T/err-s" || fail "strict error: $(cat "$T/err-s")"
echo "article_image_names: ok"
