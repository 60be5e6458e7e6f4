#!/bin/sh
# The closing summary of a stage command agrees with the lines printed above it: every
# "file:line: warning:" line is either one of the "N bad (skipped)" or one of the
# "M warnings" (warnings a per-file cap only counts are included), isolated or not.
# A cut JSON Lines record is reported at its line as cut, not as "end of file".
set -u
fails=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ROOT=${ONEFISH_ROOT:-.}
E="$ROOT/examples/week-2026-47"
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# summary_agrees NAME STDERR-FILE [EXTRA-COUNTED-UNSHOWN]
summary_agrees() {
	name=$1 err=$2 unshown=${3:-0}
	lines=$(grep -c ': warning: ' "$err")
	sum=$(grep -E ' (done|failed): [0-9]+ records? read' "$err" | tail -1)
	bad=$(printf '%s\n' "$sum" | sed -n 's/.* \([0-9][0-9]*\) bad (skipped).*/\1/p')
	warn=$(printf '%s\n' "$sum" | sed -n 's/.* \([0-9][0-9]*\) warnings*,.*/\1/p')
	if [ -z "$bad" ] || [ -z "$warn" ]; then
		fail "$name: no summary line: $(tail -3 "$err")"
	elif [ $((bad + warn)) -eq $((lines + unshown)) ]; then
		ok "$name: $lines warning lines (+$unshown only counted) = $bad bad + $warn warnings"
	else
		fail "$name: $lines warning lines (+$unshown only counted) but summary says: $sum"
	fi
}

# The audit's file: 3 good posts, a cut line, an unparsable time, 3 more good posts.
head -3 "$E/posts.jsonl" >"$t/bad.jsonl"
sed -n 4p "$E/posts.jsonl" | cut -c1-19 >>"$t/bad.jsonl"
sed -n 5p "$E/posts.jsonl" | sed 's/"time": *"[^"]*"/"time":"last tuesday"/' >>"$t/bad.jsonl"
tail -3 "$E/posts.jsonl" >>"$t/bad.jsonl"
[ "$(wc -l <"$t/bad.jsonl")" -eq 8 ] || fail "fixture has $(wc -l <"$t/bad.jsonl") lines"
for iso in "" --no-isolate; do
	"$ONEFISH" article "$t/bad.jsonl" -o "$t/art" $iso 2>"$t/art.err" >/dev/null; rc=$?
	[ $rc -eq 0 ] || fail "article $iso: exit $rc"
	summary_agrees "article bad.jsonl $iso" "$t/art.err"
	grep -q "bad.jsonl:4:19: warning: JSON record cut short: the line ends before it is complete" "$t/art.err" \
		&& ok "line 4 named as a cut record $iso" || fail "line 4 message: $(grep 'bad.jsonl:4' "$t/art.err")"
	grep -q 'end of file' "$t/art.err" && fail "still speaks of 'end of file': $(grep 'end of file' "$t/art.err")"
	grep -q '1 bad (skipped), [1-9][0-9]* warnings' "$t/art.err" && ok "article: 1 bad and the warnings counted" \
		|| fail "article summary: $(tail -1 "$t/art.err")"
done

# A comment log that is skipped whole is a warning, and the summary says "1 warning".
printf 'just some notes\n' >"$t/junk.txt"
"$ONEFISH" prompts "$t/junk.txt" "$E/comments/live-2026-11-19.xml" -o "$t/p" 2>"$t/p.err" >/dev/null; rc=$?
[ $rc -eq 0 ] || fail "prompts junk: exit $rc"
summary_agrees "prompts junk.txt + live log" "$t/p.err"
grep -q '0 bad (skipped), 1 warning,' "$t/p.err" && ok "prompts: '1 warning'" || fail "prompts summary: $(tail -1 "$t/p.err")"

# 30 control characters: 21 lines printed (the cap), 30 in the summary, as in prompts.json.
python3 - "$t/cc.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], 'w') as f:
    for i in range(30):
        f.write(json.dumps({"time": i, "user": "u%d" % i, "text": "宝宝几个月可以吃米粉\x01？第%d问" % i}, ensure_ascii=False) + "\n")
PY
for iso in "" --no-isolate; do
	"$ONEFISH" prompts "$t/cc.jsonl" -o "$t/pc" $iso 2>"$t/pc.err" >/dev/null; rc=$?
	[ $rc -eq 0 ] || fail "prompts cc $iso: exit $rc"
	n=$(grep -c ': warning: ' "$t/pc.err")
	[ "$n" -eq 21 ] && ok "cap: 21 warning lines $iso" || fail "cap: $n warning lines $iso"
	grep -q 'only counted in the summary' "$t/pc.err" && ok "the cap is announced" || fail "no cap notice"
	removed=$(jq '.summary.control_chars_removed' "$t/pc/prompts.json")
	summary_agrees "prompts capped $iso" "$t/pc.err" $((removed - n))
	grep -q "0 bad (skipped), $removed warnings" "$t/pc.err" && ok "summary counts all $removed" || fail "summary: $(tail -1 "$t/pc.err")"
done

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
