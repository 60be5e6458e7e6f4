#!/bin/sh
# The CLI contract of DESIGN.md: help, version, exit codes 0/2/3, config errors with line and suggestion.
set -u
fails=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

expect() { # expected-code description command...
	want=$1; what=$2; shift 2
	"$@" >"$t/out" 2>"$t/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "FAIL: $what: exit $got, expected $want"; sed 's/^/  | /' "$t/err" | head -5
		fails=$((fails + 1))
	else
		echo "ok: $what (exit $got)"
	fi
}
expect_err() { # regex description
	if grep -Eq -- "$1" "$t/err"; then echo "ok: $2"; else
		echo "FAIL: $2: stderr does not match /$1/"; sed 's/^/  | /' "$t/err" | head -5; fails=$((fails + 1)); fi
}

expect 0 "--version" "$ONEFISH" --version
grep -Eq '^onefish [0-9]+\.[0-9]+\.[0-9]+$' "$t/out" || { echo "FAIL: version line"; fails=$((fails + 1)); }
expect 0 "--help" "$ONEFISH" --help
cp "$t/out" "$t/help"
for h in --help -h help; do
	expect 0 "help $h: help's own usage" "$ONEFISH" help "$h"
	grep -q '^usage: onefish help \[COMMAND\]' "$t/out" || { echo "FAIL: help $h does not say what help does"; fails=$((fails + 1)); }
done
for c in run article script video prompts review check; do
	grep -q "  $c " "$t/help" || { echo "FAIL: --help does not list $c"; fails=$((fails + 1)); }
	expect 0 "$c --help" "$ONEFISH" "$c" --help
	grep -q "usage: onefish $c" "$t/out" || { echo "FAIL: $c --help has no usage line"; fails=$((fails + 1)); }
	expect 0 "help $c" "$ONEFISH" help "$c"
done
expect 2 "no command" "$ONEFISH"
expect 2 "-o with an empty name" "$ONEFISH" article x.jsonl -o ""
expect_err "o needs a folder name" "an empty -o is refused (it would write into the current folder)"
expect 2 "-o with no value" "$ONEFISH" article x.jsonl -o
expect_err "option '-o' needs a value" "a missing value is named as one, not as an unknown option"
X=$(ls "${ONEFISH_ROOT:-.}"/tests/fixtures/comments/*.xlsx | head -1)
expect 0 "--format xlsx (documented, forced)" "$ONEFISH" prompts "$X" --format xlsx -o "$t/xlsx" --quiet
expect 2 "--since with no value" "$ONEFISH" article x.jsonl -o "$t/o" --since
expect_err "option '--since' needs a value" "a missing long-option value is named"
expect 2 "unknown command" "$ONEFISH" frobnicate
expect_err "unknown command 'frobnicate'" "unknown command is named"
"$ONEFISH" atricle --json >"$t/out" 2>/dev/null
grep -q '"event":"usage_error".*unknown command .atricle. (did you mean .article.?)' "$t/out" \
	&& echo "ok: --json: the usage_error event carries the suggestion" || { echo "FAIL: --json unknown command: $(cat "$t/out")"; fails=$((fails + 1)); }
expect 2 "unknown option" "$ONEFISH" article --frob x -o "$t/o"
expect_err "unknown option '--frob'" "unknown option is named"
expect 2 "missing -o" "$ONEFISH" article x.jsonl
expect 2 "bad --duration" "$ONEFISH" script a.md -o "$t/o" --duration -5
expect 2 "zero --duration" "$ONEFISH" script a.md -o "$t/o" --duration 0
expect 2 "huge --duration" "$ONEFISH" script a.md -o "$t/o" --duration 10000
expect 2 "bad --preset" "$ONEFISH" video s.json -o "$t/o" --preset diagonal
expect 2 "bad --top" "$ONEFISH" prompts c.xml -o "$t/o" --top abc
expect 2 "bad --shard" "$ONEFISH" run examples/week-2026-47 --shard 4/4

# What the CLI says, one case a line: EXIT | ARGUMENTS (split at blanks, never globbed) | stderr regex.
# Add a case by adding a line.
set -f
while IFS='|' read -r want args re; do
	case "$want" in '#'*|'') continue ;; esac
	# shellcheck disable=SC2086
	expect "$want" "onefish $args" "$ONEFISH" $args
	expect_err "$re" "onefish $args: says /$re/"
done <<'CASES'
2|run examples/week-2026-47 --shard 4/4|not '4/4': shards count from 0: use 0/4 … 3/4$
2|run examples/week-2026-47 --shard 2/2|shards count from 0: use 0/2 or 1/2$
2|run examples/week-2026-47 --shard 1/1|shards count from 0: use 0/1$
2|run examples/week-2026-47 --shard 5/4|0 <= I < N \(shards count from 0\), not '5/4'
2|atricle|^onefish: unknown command 'atricle' \(did you mean 'article'\?\)$
2|rn|^onefish: unknown command 'rn' \(did you mean 'run'\?\)$
2|promts examples/week-2026-47/comments|unknown command 'promts' \(did you mean 'prompts'\?\)
2|pack examples/week-2026-47|unknown command 'pack' \(did you mean 'run'\? it runs weekly packs
2|help atricle|unknown command 'atricle' \(did you mean 'article'\?\)
2|frobnicate|^onefish: unknown command 'frobnicate'$
2|article examples/week-2026-47/posts.jsonl -o out/x --froce|unknown option '--froce' \(did you mean '--force'\?\)$
2|article examples/week-2026-47/posts.jsonl -o out/x --sinse 2026-11-16|unknown option '--sinse' \(did you mean '--since'\?\)$
2|article examples/week-2026-47/posts.jsonl -o out/x --sinse=2026-11-16|unknown option '--sinse' \(did you mean '--since'\?\)$
2|prompts x.xml -o out/x --tpo 3|unknown option '--tpo' \(did you mean '--top'\?\)$
2|run examples/week-2026-47 --shrad 0/4|unknown option '--shrad' \(did you mean '--shard'\?\)$
2|article examples/week-2026-47/posts.jsonl -o out/x --duration 30|'--duration' is not an option of article$
2|video s.json -o out/x --pre|option '--pre' is ambiguous: --preset or --preview$
2|article examples/week-2026-47/posts.jsonl -o out/x --zzzzzz|unknown option '--zzzzzz'$
2|script a.md -o out/x --duration 4.9|--duration must be a number of seconds from 5 to 600, not '4.9'$
2|script a.md -o out/x --duration 600.5|--duration must be a number of seconds from 5 to 600, not '600.5'$
2|script a.md -o out/x --duration nan|--duration must be a number of seconds from 5 to 600, not 'nan'$
2|prompts c.xml -o out/x --top 101|--top must be a whole number from 1 to 100, not '101'$
2|prompts c.xml -o out/x --top 0|--top must be a whole number from 1 to 100, not '0'$
CASES
set +f
# the command line takes what the config takes: 5 and 600 pass both, 4.9 fails both; --top 100 and
# prompts.top: 100 pass, 101 fails both
for v in 4.9 5 600 600.5; do
	printf 'script:\n  duration: %s\n' "$v" >"$t/d.yaml"
	"$ONEFISH" script missing.md -o "$t/d" --config "$t/d.yaml" >/dev/null 2>"$t/cfg.err"; c=$?
	"$ONEFISH" script missing.md -o "$t/d" --duration "$v" >/dev/null 2>"$t/cli.err"; l=$?
	# in range: both go on to the missing input (exit 3); out of it: config exit 3 naming the range, CLI exit 2
	if grep -q "outside 5..600" "$t/cfg.err"; then cfg=bad; else cfg=ok; fi
	if [ $l -eq 2 ]; then cli=bad; else cli=ok; fi
	[ "$cfg" = "$cli" ] && echo "ok: duration $v: config and --duration agree ($cfg)" \
		|| { echo "FAIL: duration $v: config $cfg (exit $c), --duration $cli (exit $l)"; fails=$((fails + 1)); }
done
for v in 100 101; do
	printf 'prompts:\n  top: %s\n' "$v" >"$t/top.yaml"
	"$ONEFISH" prompts missing.xml -o "$t/d" --config "$t/top.yaml" >/dev/null 2>"$t/cfg.err"
	"$ONEFISH" prompts missing.xml -o "$t/d" --top "$v" >/dev/null 2>"$t/cli.err"; l=$?
	if grep -q "outside 1..100" "$t/cfg.err"; then cfg=bad; else cfg=ok; fi
	if [ $l -eq 2 ]; then cli=bad; else cli=ok; fi
	[ "$cfg" = "$cli" ] && echo "ok: top $v: prompts.top and --top agree ($cfg)" \
		|| { echo "FAIL: top $v: prompts.top $cfg, --top $cli"; fails=$((fails + 1)); }
done
"$ONEFISH" help run | grep -q 'shard I of N, counting from 0' \
	&& echo "ok: help run says shards count from 0" || { echo "FAIL: help run does not say shards count from 0"; fails=$((fails + 1)); }

printf 'name: x\nvideo:\n  preset: vertical\n  widht: 1080\n' >"$t/bad.yaml"
expect 3 "unknown config key" "$ONEFISH" article --config "$t/bad.yaml" examples/week-2026-47/posts.jsonl -o "$t/o"
expect_err "bad.yaml:4:3: unknown key 'video.widht' \\(did you mean 'video.preset'\\? it sets the frame size" \
	"config error names file:line:col and key, and the key that sets the width"
printf 'name: x\nvidoe:\n  preset: vertical\n' >"$t/bad1.yaml"
expect 3 "misspelt section" "$ONEFISH" check examples/week-2026-48-mini --config "$t/bad1.yaml"
expect_err "bad1.yaml:2:1: unknown section 'vidoe' \\(did you mean 'video'\\?\\)" "a misspelt section gets the nearest one"
printf 'tehme: warm\n' >"$t/bad2.yaml"
expect 3 "misspelt top-level key" "$ONEFISH" prompts --config "$t/bad2.yaml" x.xml -o "$t/o"
expect_err "did you mean 'theme'" "config error suggests the nearest key"
printf 'video:\n  fps: 0\n' >"$t/bad3.yaml"
expect 3 "out-of-range value" "$ONEFISH" video --config "$t/bad3.yaml" s.json -o "$t/o"
expect_err "bad3.yaml:2:3: 'video.fps' is 0, outside 1..120" "range error names line and range"

# standard output closed or full: events never land in a file onefish opens (the pack lock took
# fd 1), and a stream that could not be written is a failure
cp -R examples/week-2026-48-mini "$t/pk"
printf '{"id":"x"}\n' >"$t/pk/posts.jsonl" # fails fast, after the pack's lock was taken
"$ONEFISH" run "$t/pk" -o "$t/po" --json >&- 2>/dev/null
[ -e "$t/po/week-2026-48-mini/.onefish/lock" ] && [ ! -s "$t/po/week-2026-48-mini/.onefish/lock" ] \
	&& echo "ok: stdout closed: no events in the lock file" || { echo "FAIL: events written into the lock file"; fails=$((fails + 1)); }
if [ -w /dev/full ]; then
	expect 1 "--json to a full device" sh -c "\"$ONEFISH\" run \"$t/pk\" -o \"$t/po\" --dry-run --json >/dev/full"
	expect_err "cannot write to standard output" "a full stdout is reported"
fi

echo "cli_basics: $fails failure(s)"
[ "$fails" -eq 0 ]
