#!/bin/sh
# article_wrong_input.sh — a comment log given to `onefish article` and a posts table given to
# `onefish prompts` are told by their records' shape and refused (exit 3, nothing written), the
# message naming what the file looks like and the command that reads it (docs/formats.md), as a
# posts.jsonl given to prompts is (prompts_wrong_input.sh). QA: an article written from 24 comments
# (exit 0), and whole posts ranked as viewers' questions.
set -u
: "${ONEFISH:?}"
ROOT=${ONEFISH_ROOT:-$(pwd)}
E="$ROOT/examples/week-2026-47"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# ---- a comment log is no posts file ----
python3 - "$t/live.jsonl" <<'PY'
import json, sys
qs = ["白茶怎么存？", "寿眉能煮吗？", "有小样吗？", "岩茶用多少度的水泡？", "肉桂和水仙有什么区别？", "打卡"]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for i in range(40):
        f.write(json.dumps({"id": "c%03d" % i, "time": 10.8 + i * 13, "user": "茶友%d" % (i % 9),
                            "text": qs[i % len(qs)] + "老林说说看，我家里存了好几饼茶。", "user_id": "u%d" % (i % 9)},
                           ensure_ascii=False) + "\n")
PY
for iso in "" --no-isolate; do
	"$ONEFISH" article "$t/live.jsonl" -o "$t/a" $iso >"$t/out" 2>"$t/err"; rc=$?
	[ $rc -eq 3 ] && ok "a comment log as posts $iso: exit 3" || fail "comment log to article $iso: exit $rc"
	grep -q "^onefish article: error: .*live.jsonl:1: looks like a comment log, not a posts file: its records have a comment's 'user', 'user_id' and a time in seconds from the stream's start ('time': 10.8) .*comment logs go to 'onefish prompts'" "$t/err" \
		&& ok "the message says it is a comment log and names onefish prompts $iso" || fail "message $iso: $(head -2 "$t/err")"
	[ ! -e "$t/a" ] && ok "no article written $iso" || fail "an article was written from comments $iso"
done
# the example's comment log shape without user (time offsets alone) is refused too
sed 's/"user": "[^"]*", //; s/, "user_id": "[^"]*"//' "$t/live.jsonl" >"$t/anon.jsonl"
"$ONEFISH" article "$t/anon.jsonl" -o "$t/a2" >/dev/null 2>"$t/err"; rc=$?
[ $rc -eq 3 ] && grep -q "anon.jsonl:1: looks like a comment log.*a time in seconds" "$t/err" \
	&& ok "time offsets alone: refused" || fail "anon log: exit $rc $(head -1 "$t/err")"
# posts stay posts: the example's posts.jsonl still reads
"$ONEFISH" article "$E/posts.jsonl" -o "$t/ex" --quiet 2>"$t/err" && ok "the example's posts read" \
	|| fail "example posts: exit $? $(head -2 "$t/err")"

# ---- a posts table is no comment log ----
cat >"$t/posts.csv" <<'CSV'
编号,发布时间,作者,内容,配图,点赞,标签
t01,2026-11-16 09:10,老林,"新茶到店啦！今年的福鼎白茶寿眉饼刚从产区运回来。你们想要吗？",images/shoumei.jpg,56,白茶;寿眉
t02,2026-11-16 20:30,老林,"很多茶友问我白茶到底怎么存？其实就三点：避光、防潮、无异味。",images/cangku.jpg,88,白茶;存茶
CSV
"$ONEFISH" prompts "$t/posts.csv" -o "$t/pp" >"$t/out" 2>"$t/err"; rc=$?
[ $rc -eq 3 ] && ok "posts.csv as a comment log: exit 3" || fail "posts.csv to prompts: exit $rc"
grep -q "^onefish prompts: error: .*posts.csv:1: looks like a posts file, not a comment log: its CSV header has the posts format's '配图', '点赞', '标签' columns.*posts go to 'onefish article'\. Comment logs accepted: " "$t/err" \
	&& ok "the message names the posts columns and onefish article" || fail "message: $(head -2 "$t/err")"
[ ! -e "$t/pp" ] && ok "no brief written" || fail "a brief was written from posts.csv"
# English headers too; and a comment CSV with a user column is still a comment log
printf 'id,time,author,text,images,likes\np1,2026-11-16 09:00,a,白茶怎么存？,images/a.jpg,3\n' >"$t/en.csv"
"$ONEFISH" prompts "$t/en.csv" -o "$t/pe" >/dev/null 2>"$t/err"; rc=$?
[ $rc -eq 3 ] && grep -q "'images', 'likes' columns" "$t/err" && ok "English posts header: refused" \
	|| fail "en.csv: exit $rc $(head -1 "$t/err")"
printf 'time,user,text,标签\n10,u1,白茶怎么存？,a\n20,u2,寿眉能煮吗？,b\n' >"$t/c.csv"
"$ONEFISH" prompts "$t/c.csv" -o "$t/pc" >/dev/null 2>"$t/err" && ok "a comment CSV with a user column reads" \
	|| fail "comment csv: exit $? $(head -2 "$t/err")"
[ "$fails" -eq 0 ]
