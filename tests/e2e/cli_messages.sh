#!/bin/sh
# What the commands say, and in which order: a missing input is reported first (no config note
# above it); a pack path that is not there fails naming it, in every shard; a failed run's summary
# is an error; a config error is printed once; counts agree in number (1 post, 1 record).
# One case a line: EXIT | ARGUMENTS (after `onefish`; $E is the example pack, $M the mini pack) |
# regex stderr must match | regex stderr must not match (may be empty). Run in a scratch folder.
set -u
fails=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ROOT=$(cd "${ONEFISH_ROOT:-.}" && pwd)
E="$ROOT/examples/week-2026-47"
M="$ROOT/examples/week-2026-48-mini"
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
cd "$t" || exit 1
mkdir cfgbad && printf 'prompts:\n  top: 0\n' >cfgbad/onefish.yaml
head -1 "$E/posts.jsonl" >one.jsonl
printf '{"time":5,"user":"u1","text":"宝宝几个月可以吃米粉？"}\n' >one-comment.jsonl
cp -R "$M" broken && printf '{"id":"x"}\n' >broken/posts.jsonl

set -f
while IFS='|' read -r want args must mustnot; do
	case "$want" in '#'*|'') continue ;; esac
	eval "set -- $args"
	"$ONEFISH" "$@" >out.txt 2>err.txt
	got=$?
	what="onefish $args"
	[ "$got" -eq "$want" ] || { fail "$what: exit $got, expected $want"; sed 's/^/  | /' err.txt | head -4; continue; }
	if grep -Eq -- "$must" err.txt; then ok "$what: exit $got, says /$must/"; else
		fail "$what: stderr does not match /$must/"; sed 's/^/  | /' err.txt | head -4; fi
	if [ -n "$mustnot" ] && grep -Eq -- "$mustnot" err.txt; then
		fail "$what: stderr matches /$mustnot/"; sed 's/^/  | /' err.txt | head -4; fi
done <<'CASES'
# (a) a missing input first, and no config note about it
3|script missing.html -o out/s|^onefish script: error: missing.html: no such file$|onefish.yaml
3|article missing.jsonl -o out/a|^onefish article: error: missing.jsonl: no such posts file or folder$|onefish.yaml
3|video missing.json -o out/v|^onefish video: error: missing.json: no such file$|onefish.yaml
3|prompts missing.xml -o out/p|^onefish prompts: error: missing.xml: cannot open|onefish.yaml
# (b) a pack path that is not there: named as given, an error with or without --shard, in every shard
3|run packs/* -o out|^packs/\*: error: FAILED: packs/\*: not a pack folder \(no such folder; a pattern the shell matched to nothing\?\)$|^\*:
3|run packs/* -o out -j 4 --shard 0/4|^packs/\*: error: FAILED: packs/\*: not a pack folder|0 of 1
3|run packs/* -o out -j 4 --shard 1/4|^shard 1/4: 1 of 1 pack$|0 of 1
3|run packs/* -o out -j 4 --shard 3/4|^packs/\*: error: FAILED: packs/\*: not a pack folder|0 of 1
3|run "$M" packs/week-99 -o out --dry-run|FAILED packs/week-99: not a pack folder \(no such folder\)|
# (c) a failed run's summary is an error (exit 3), not a warning
3|run broken -o out|^error: 1 pack: 0 ok, 1 failed$|warning: 1 pack
# (d) a config error is printed once, by the config
3|prompts "$E/comments" -o out/p --config cfgbad/onefish.yaml|^onefish config: error: cfgbad/onefish.yaml:2:3: 'prompts.top' is 0, outside 1..100$|onefish prompts:
3|article "$E/posts.jsonl" -o out/a --config cfgbad/onefish.yaml|^onefish config: error: cfgbad|onefish article:
3|script missing.md -o out/s --config cfgbad/onefish.yaml|^onefish config: error: cfgbad|onefish script:
3|video missing.json -o out/v --config cfgbad/onefish.yaml|^onefish config: error: cfgbad|onefish video:
# (e) one of a thing is one thing
0|article one.jsonl -o out/one|^article: [0-9]+ 字, 1 post used of 1 read, 0 lint warnings$|1 posts
0|article one.jsonl -o out/one2|^article done: 1 record read, 1 used, 0 bad \(skipped\), [0-9]+ warnings?, |1 records
0|prompts one-comment.jsonl -o out/p1|^prompts done: 1 record read, 1 used|1 records
CASES
set +f
# (d) once, counted: one line names the config's place
"$ONEFISH" prompts "$E/comments" -o out/p --config cfgbad/onefish.yaml >/dev/null 2>err.txt
n=$(grep -c 'onefish.yaml:2:3' err.txt)
[ "$n" -eq 1 ] && ok "a config error is one line" || fail "a config error printed $n times: $(cat err.txt)"

echo "cli_messages: $fails failure(s)"
[ "$fails" -eq 0 ]
