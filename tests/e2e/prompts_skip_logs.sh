#!/bin/sh
# One unusable comment log among several is reported (`path[:line]: message; this log is skipped`),
# counted as a skipped input, and the others are used: the output is byte-identical to a run on the
# good log alone (a log that failed half-way leaves nothing behind). --strict fails (exit 3); all
# logs unusable fails with a clear error. The same through `onefish run` (pack comments/ folder).
set -u
fails=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ROOT=$(cd "${ONEFISH_ROOT:-.}" && pwd)
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
cd "$t" || exit 1
cp "$ROOT/examples/week-2026-47/comments/live-2026-11-19.xml" good.xml
printf '<?xml version="1.0"?>\n<packet><chat thread="1" no="1" vpos="100">x</chat></packet>\n' >nico.xml
: >zero.xml
printf '<?xml version="1.0"?>\n<!DOCTYPE i [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<i><d p="1,1,25,1,0,0,a,1">&x;</d></i>\n' >xxe.xml
# one good comment at line 3, then an element over the attribute cap at line 4: refused half-way
python3 "$ROOT/tests/hostile/gen.py" xml-attrs attrs.xml 20000

"$ONEFISH" prompts good.xml -o ref 2>ref.err || fail "good log alone: exit $?"
"$ONEFISH" prompts good.xml nico.xml zero.xml xxe.xml attrs.xml -o out 2>err; rc=$?
[ $rc -eq 0 ] && ok "good + 4 unusable logs: exit 0" || { fail "exit $rc"; cat err; }
grep -q '^nico\.xml:1: warning: Niconico <packet> XML is not a comment format .*; this log is skipped$' err \
	&& ok "Niconico log named with its line" || fail "nico.xml message"
grep -q '^zero\.xml: warning: empty file: no comments; this log is skipped$' err && ok "zero-byte log named" || fail "zero.xml message"
grep -q '^xxe\.xml:2: warning: DOCTYPE not allowed.*; this log is skipped$' err && ok "XXE log named with its line" || fail "xxe.xml message"
grep -q '^attrs\.xml:4: warning: an element with more than 10000 attributes.*; this log is skipped$' err \
	&& ok "log refused half-way named with its line" || fail "attrs.xml message"
grep -q 'prompts done: .*, 4 input files skipped$' err && ok "summary counts 4 skipped inputs" || fail "summary: $(tail -1 err)"
grep -q 'passwd\|root:' out/*.json out/*.md out/*.jsonl && fail "XXE content reached the output"
python3 - out/prompts.json <<'PY' && ok "prompts.json built from good.xml only" || fail "prompts.json inputs"
import json, sys
d = json.load(open(sys.argv[1]))
ins = d["inputs"]
assert [i["path"] for i in ins] == ["good.xml"], ins
assert ins[0]["comments"] == 420 and d["clusters"], ins
PY
for f in prompts.json prompts.md comments.jsonl next-posts.jsonl comments.svg; do
	cmp -s "ref/$f" "out/$f" || fail "$f differs from the run on good.xml alone (half-read log left traces)"
done
ok "outputs byte-identical to the good log alone"

"$ONEFISH" prompts --strict good.xml nico.xml -o strict 2>serr; rc=$?
[ $rc -eq 3 ] && ok "--strict: exit 3" || fail "--strict: exit $rc"
grep -q 'error: nico\.xml:1: Niconico <packet> XML is not a comment format' serr && ok "--strict names the file" || fail "--strict message: $(cat serr)"
[ -e strict/prompts.json ] && fail "--strict wrote prompts.json"

"$ONEFISH" prompts nico.xml zero.xml -o none 2>nerr; rc=$?
[ $rc -eq 3 ] && ok "every log unusable: exit 3" || fail "all unusable: exit $rc"
grep -q 'none of the 2 comment logs could be used' nerr && grep -q '^nico\.xml:1: ' nerr && grep -q '^zero\.xml: ' nerr \
	&& ok "every log unusable: clear error, each named" || fail "all-unusable message: $(cat nerr)"
[ -e none/prompts.json ] && fail "all unusable wrote prompts.json"

# a folder stands for its files (sorted, hidden ones skipped), as a pack's comments/ folder does
mkdir -p dir/sub empty
cp good.xml dir/a.xml
cp nico.xml dir/sub/b.xml
: >dir/.hidden.xml
"$ONEFISH" prompts dir -o dout 2>derr; rc=$?
[ $rc -eq 0 ] && ok "folder input: exit 0" || { fail "folder input: exit $rc"; cat derr; }
grep -q '^dir/sub/b\.xml:1: warning: Niconico' derr && ok "folder input: the bad log inside named" || fail "folder message: $(cat derr)"
jq -e '[.inputs[].path] == ["dir/a.xml"] and .inputs[0].comments == 420' dout/prompts.json >/dev/null \
	&& ok "folder input: its log read, hidden file skipped" || fail "folder inputs: $(jq -c .inputs dout/prompts.json)"
jq -e --slurpfile r ref/prompts.json '.clusters == $r[0].clusters' dout/prompts.json >/dev/null \
	&& ok "folder input: same clusters as the log itself" || fail "folder clusters differ"
"$ONEFISH" prompts empty -o eout 2>eerr; rc=$?
[ $rc -ne 0 ] && grep -q 'empty: no comment log in this folder' eerr && ok "empty folder: clear error (exit $rc)" \
	|| fail "empty folder: exit $rc, $(cat eerr)"

# pack: comments/ folder with a good and a broken log (posts empty: only prompts runs)
mkdir -p pk/comments
cp good.xml nico.xml pk/comments/
printf 'name: pk\nposts: posts.jsonl\n' >pk/onefish.yaml
: >pk/posts.jsonl
"$ONEFISH" run pk -o po 2>perr >/dev/null
jq -e '.stages[] | select(.stage=="prompts") | .status == "ran" and .inputs_skipped == 1 and .records_read == 420' \
	po/pk/.onefish/run-log.json >/dev/null && ok "pack: prompts ran, 1 input skipped" || fail "pack run-log: $(cat po/pk/.onefish/run-log.json)"
grep -q 'pk/comments/nico\.xml:1: warning: .*this log is skipped' perr && ok "pack: bad log named" || fail "pack message"
cmp -s ref/prompts.json po/pk/prompts.json || true # paths differ (pk/comments/...): compare clusters instead
jq -e --slurpfile r ref/prompts.json '.clusters == $r[0].clusters' po/pk/prompts.json >/dev/null \
	&& ok "pack: same clusters as the good log alone" || fail "pack clusters differ"
"$ONEFISH" run --strict pk -o ps 2>/dev/null >/dev/null
jq -e '.stages[] | select(.stage=="prompts") | .status == "failed"' ps/pk/.onefish/run-log.json >/dev/null \
	&& ok "pack --strict: prompts failed" || fail "pack --strict"
# --strict changes no output, so it is not in the cache key: a clean cached stage stays cached under it,
# but one whose last run skipped an input (or bad records) runs again, and fails
"$ONEFISH" run --strict pk -o po --json 2>/dev/null >pstrict.jsonl; rc=$?
[ $rc -eq 3 ] && grep '"event":"stage_start"' pstrict.jsonl | grep '"stage":"prompts"' \
	| grep -q 'the last run skipped 0 bad records and 1 input file' \
	&& ok "pack --strict after a lenient run: prompts reruns and fails" \
	|| fail "strict rerun: exit $rc $(grep prompts pstrict.jsonl | head -3)"
mkdir -p clean/comments && cp good.xml clean/comments/ && printf 'name: clean\nposts: posts.jsonl\n' >clean/onefish.yaml
: >clean/posts.jsonl
"$ONEFISH" run clean -o pc >/dev/null 2>&1
"$ONEFISH" run --strict clean -o pc --json >pc.jsonl 2>/dev/null
grep '"stage":"prompts"' pc.jsonl | grep -q '"status":"cached"' && ok "pack --strict on a clean cached stage: it stays cached" \
	|| fail "--strict reran a clean stage: $(grep prompts pc.jsonl | head -2)"

# a log named twice (by name and by its folder) is read once, with a warning: counts do not double
mkdir -p twice && cp good.xml twice/
"$ONEFISH" prompts good.xml -o tw1 --quiet 2>/dev/null
"$ONEFISH" prompts twice/good.xml twice -o tw2 2>tw2.err >/dev/null
grep -q 'listed twice: read once' tw2.err && jq -e --slurpfile r tw1/prompts.json '(.inputs | length) == 1 and .summary == $r[0].summary' tw2/prompts.json >/dev/null \
	&& ok "a log given twice is read once" || fail "log given twice: $(grep -c . tw2.err) lines: $(head -2 tw2.err)"
[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
