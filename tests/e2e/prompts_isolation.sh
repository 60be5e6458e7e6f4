#!/bin/sh
# Worker isolation of comment-log parsing (SAFE-INPUT decision 2): a log that takes libxml2 2.9.14
# super-linear CPU time (elements with 6,000 attributes, under the attribute guard) is stopped by
# the worker's CPU limit and reported as `path: limit exceeded (cpu)` while the other log is used;
# a JSON log over the memory limit is `limit exceeded (memory)`; --strict fails (exit 3); outputs
# and messages are the same bytes with isolation on, --no-isolate and limits.isolate: false.
set -u
fails=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ROOT=$(cd "${ONEFISH_ROOT:-.}" && pwd)
FX="$ROOT/tests/fixtures/comments"
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
cd "$t" || exit 1
cp "$ROOT/examples/week-2026-47/comments/live-2026-11-19.xml" good.xml
python3 - <<'PY'
attrs = ' '.join('a%d="1"' % k for k in range(6000))
with open('slow.xml', 'w') as f:
    f.write('<?xml version="1.0"?>\n<i>\n<d p="1,1,25,16777215,1,0,abc,1">ok</d>\n')
    for i in range(60):  # about 0.07 s of libxml2 CPU each: 4 s in all, far over the 1 s limit
        f.write('<d %s p="%d,1,25,16777215,1,0,abc,%d">x%d</d>\n' % (attrs, i + 2, i + 2, i))
    f.write('</i>\n')
import json
with open('big.json', 'w') as f:  # chat-downloader JSON: read whole into a jansson tree
    f.write('[\n' + ',\n'.join(json.dumps({"message_id": "m%d" % i, "message": "问题%d 要加盐吗？" % i,
        "author": {"name": "u%d" % (i % 500), "id": "UC%d" % (i % 500)}, "time_in_seconds": i * 0.5,
        "message_type": "text_message", "action_type": "add_chat_item"}) for i in range(30000)) + '\n]\n')
# comments around and over the worker's 1 KB stack buffer for a frame (longer ones are assembled on the heap)
with open('long.xml', 'w') as f:
    f.write('<?xml version="1.0"?>\n<i>\n')
    for i, n in enumerate((300, 315, 330, 2000, 20000)):
        f.write('<d p="%d,1,25,16777215,1,0,u%d,%d">%s吗？</d>\n' % (i + 1, i, i + 1, '长' * n))
    f.write('</i>\n')
PY
printf 'limits:\n  parse_cpu_seconds: 1\n' >cpu.yaml
printf 'limits:\n  parse_memory_mb: 16\n' >mem.yaml
printf 'limits:\n  isolate: false\n' >noiso.yaml

"$ONEFISH" prompts good.xml -o ref 2>/dev/null || fail "good log alone"
s0=$(date +%s)
"$ONEFISH" prompts --config cpu.yaml slow.xml good.xml -o out 2>err; rc=$?
s1=$(date +%s)
[ $rc -eq 0 ] && ok "CPU-bound log beside a good one: exit 0" || { fail "exit $rc"; cat err; }
grep -q '^slow\.xml: warning: limit exceeded (cpu): parsing took more than 1 s of CPU time; this log is skipped$' err \
	&& ok "slow.xml: limit exceeded (cpu)" || fail "cpu message: $(cat err)"
[ $((s1 - s0)) -lt 15 ] || fail "the CPU limit did not stop the parse ($((s1 - s0)) s)"
cmp -s ref/prompts.json out/prompts.json && cmp -s ref/comments.jsonl out/comments.jsonl \
	&& ok "outputs = the good log alone" || fail "outputs differ from the good log alone"
"$ONEFISH" prompts --strict --config cpu.yaml slow.xml good.xml -o strict 2>serr; rc=$?
[ $rc -eq 3 ] && grep -q 'error: slow\.xml: limit exceeded (cpu)' serr && ok "--strict: exit 3 naming the log" \
	|| fail "--strict: exit $rc: $(cat serr)"

case "${BUILD:-build}" in
*san*) echo "skip: memory limit (RLIMIT_AS is not applied under ASan)" ;;
*)
	"$ONEFISH" prompts --config mem.yaml big.json good.xml -o mem 2>merr; rc=$?
	[ $rc -eq 0 ] && grep -Eq '^big\.json(:[0-9]+)?: warning: limit exceeded \(memory\): .+; this log is skipped$' merr \
		&& ok "big.json: limit exceeded (memory), good log used" || fail "memory: exit $rc: $(cat merr)"
	cmp -s ref/prompts.json mem/prompts.json || fail "memory: outputs differ from the good log alone"
	"$ONEFISH" prompts big.json -o bigok 2>/dev/null && ok "big.json within the default limit" || fail "big.json alone"
	;;
esac

# same bytes and messages with isolation on and off, over every reader and their warnings
for mode in iso no cfg; do
	case $mode in
	iso) set -- ;;
	no) set -- --no-isolate ;;
	cfg) set -- --config noiso.yaml ;;
	esac
	"$ONEFISH" prompts "$@" good.xml "$FX/basic.xml" "$FX/chatdl-current.json" "$FX/chatdl-legacy.json" \
		"$FX/innertube-actions.json" "$FX/ytdlp.live_chat.json" "$FX/irc.log" "$FX/chat.txt" "$FX/comments.csv" \
		"$FX/comments.jsonl" long.xml -o "o-$mode" 2>"e-$mode"
	echo $? >"rc-$mode"
	sed '/^no onefish.yaml beside/d; s/, [0-9.]*s$//; s/, [0-9.]*s, / /' "e-$mode" >"m-$mode"
done
for mode in no cfg; do
	[ "$(cat rc-iso)" = "$(cat "rc-$mode")" ] || fail "exit status differs ($mode)"
	diff -r o-iso "o-$mode" >/dev/null && ok "outputs identical: isolated vs $mode" || fail "outputs differ: isolated vs $mode"
	cmp -s m-iso "m-$mode" && ok "messages identical: isolated vs $mode" || { fail "messages differ ($mode)"; diff m-iso "m-$mode" | head; }
done
for a in "" --no-isolate; do
	"$ONEFISH" prompts --strict $a good.xml "$FX/comments.jsonl" -o "s$a" 2>"se$a"; echo $? >>src
	sed 's/, [0-9.]*s$//' "se$a" >"sm$a"
done
[ "$(sort -u src)" = 3 ] && cmp -s sm sm--no-isolate && ok "--strict: same exit (3) and messages isolated and in-process" \
	|| { fail "--strict differs: $(cat src)"; diff sm sm--no-isolate; }
[ "$(grep -c '"text":"长长' o-iso/comments.jsonl)" -eq 5 ] && ok "long comments carried whole" || fail "long comments"
grep -q 'comments\.jsonl:[0-9]*: warning' m-iso && ok "readers' warnings carried from the worker" || fail "no warnings from the worker: $(cat m-iso)"

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
