#!/bin/sh
# Inputs `prompts` must not turn into a brief: a posts file given as a comment log (each post
# would be one "question") fails naming what it is and the comment formats read; an ad-law term
# of a prompt is named once in prompts.md and in the warning, however often the prompt quotes it.
set -u
fails=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ROOT=$(cd "${ONEFISH_ROOT:-.}" && pwd)
E="$ROOT/examples/week-2026-47"
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# ---- a posts file is no comment log: alone exit 3 and nothing written, among logs skipped ----
for fmt in "" "--format jsonl"; do
	# shellcheck disable=SC2086
	"$ONEFISH" prompts "$E/posts.jsonl" -o "$t/pp" $fmt >"$t/out" 2>"$t/err"; rc=$?
	[ $rc -eq 3 ] && ok "posts.jsonl as a comment log $fmt: exit 3" || fail "posts.jsonl $fmt: exit $rc"
	grep -q "^onefish prompts: error: .*posts.jsonl:1: looks like a posts file, not a comment log.*'images' and 'likes'.*posts go to 'onefish article'\. Comment logs accepted: bilibili danmaku XML.*CSV or TSV.*onefish comment JSONL" "$t/err" \
		&& ok "the message says it is a posts file and names the formats read $fmt" || fail "message $fmt: $(head -2 "$t/err")"
	[ ! -e "$t/pp" ] && ok "no brief written $fmt" || fail "a brief was written from posts $fmt"
done
grep -q 'whatever --format says' "$t/err" && ok "--format jsonl: the message says forcing does not help" \
	|| fail "--format jsonl: $(head -1 "$t/err")"
"$ONEFISH" prompts "$E/posts.jsonl" "$E/comments" -o "$t/mix" >/dev/null 2>"$t/mix.err"; rc=$?
[ $rc -eq 0 ] && grep -q "posts.jsonl:1: warning: looks like a posts file, not a comment log.*; this log is skipped$" "$t/mix.err" \
	&& grep -q '1 input file skipped$' "$t/mix.err" && ok "posts.jsonl among the logs: skipped, named, counted" \
	|| fail "posts among logs: exit $rc $(tail -2 "$t/mix.err")"
# the stubs prompts writes are posts too
"$ONEFISH" prompts "$t/mix/next-posts.jsonl" -o "$t/again" >/dev/null 2>"$t/err"; rc=$?
[ $rc -eq 3 ] && grep -q 'next-posts.jsonl:1: looks like a posts file' "$t/err" && ok "next-posts.jsonl fed back: refused" \
	|| fail "next-posts.jsonl: exit $rc $(head -1 "$t/err")"

# ---- a forced format that reads nothing: one message, not 21 warnings first (docs/prompts.md) ----
"$ONEFISH" prompts "$E/comments/live-2026-11-19.xml" --format jsonl -o "$t/fj" >/dev/null 2>"$t/fj.err"; rc=$?
[ $rc -eq 3 ] && ok "--format jsonl on a danmaku XML: exit 3" || fail "--format jsonl on XML: exit $rc"
n=$(grep -c 'warning:' "$t/fj.err")
[ "$n" -eq 0 ] && ok "no warning lines before the message" || fail "$n warning lines: $(head -2 "$t/fj.err")"
grep -q "^onefish prompts: error: .*live-2026-11-19.xml: no comment could be read from this log as jsonl (--format): its first 10 records are bad (line 1:1: .*), so reading stopped; is it another format? accepted: bilibili danmaku XML" "$t/fj.err" \
	&& ok "one message naming the format, the first bad line and the accepted formats" || fail "message: $(head -2 "$t/fj.err")"
[ "$(grep -c 'is it another format' "$t/fj.err")" -eq 1 ] && ok "said once" || fail "said more than once: $(cat "$t/fj.err")"
# a file that mostly reads keeps its per-record warnings
{ printf 'garbage 1\ngarbage 2\ngarbage 3\n'; sed -n 1,5p "$ROOT/tests/fixtures/comments/comments.jsonl"; } >"$t/mostly.jsonl"
"$ONEFISH" prompts "$t/mostly.jsonl" --format jsonl -o "$t/fm" >/dev/null 2>"$t/fm.err"; rc=$?
[ $rc -eq 0 ] && [ "$(grep -c '^.*mostly.jsonl:[123]:[0-9]*: warning: ' "$t/fm.err")" -eq 3 ] \
	&& ok "a forced-format log that reads later: exit 0, its 3 bad lines named" || fail "mostly-good log: exit $rc $(cat "$t/fm.err")"

# ---- an ad-law term once, in prompts.md and on stderr ----
python3 - "$t/ad.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i, q in enumerate(["最好的辅食机是哪款？", "哪款辅食机最好？", "最好用的辅食机是哪款", "辅食机哪款最好用？"]):
        f.write(json.dumps({"time": 60 + i * 30, "user": "u%d" % i, "text": q}, ensure_ascii=False) + "\n")
PY
"$ONEFISH" prompts "$t/ad.jsonl" -o "$t/ad" >/dev/null 2>"$t/ad.err" || fail "ad-law log: exit $?"
line=$(grep '广告法用语提示' "$t/ad/prompts.md" | head -1)
warn=$(grep 'copy lint:' "$t/ad.err" | head -1)
if [ -z "$line" ] || [ -z "$warn" ]; then
	fail "no ad-law note: prompts.md '$line', stderr '$warn'"
else
	for where in "$line" "$warn"; do
		n=$(printf '%s\n' "$where" | grep -o '「最好」→' | wc -l)
		dup=$(printf '%s\n' "$where" | grep -o '「[^」]*」→' | sort | uniq -d)
		[ "$n" -eq 1 ] && [ -z "$dup" ] && ok "「最好」 named once, no term repeated: $(printf '%s' "$where" | cut -c1-50)…" \
			|| fail "「最好」 named $n times, repeated: '$dup': $where"
	done
fi

echo "prompts_wrong_input: $fails failure(s)"
[ "$fails" -eq 0 ]
