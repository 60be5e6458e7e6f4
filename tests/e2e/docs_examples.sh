#!/bin/sh
# The docs say what the code does: README's synopsis of each command has the options its --help
# has; the example lines of README's stage sections and docs/video.md can be pasted (no `[...]`
# placeholders) and those that run in seconds do run, in order, against examples/; the exit codes
# 130/143 are in --help; voice.rate's default in docs/config.md is the voice stage's.
set -u
fails=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ROOT=$(cd "${ONEFISH_ROOT:-.}" && pwd)
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# ---- README's synopsis lines carry every option of the command's usage line ----
for c in run article script video prompts; do
	syn=$(grep -E "^onefish $c " "$ROOT/README.md" | head -1)
	use=$("$ONEFISH" help "$c" | sed -n '1,2p')
	missing=""
	for o in $(printf '%s\n' "$use" | grep -oE -- '--[a-z-]+' | sort -u); do
		printf '%s\n' "$syn" | grep -q -- "$o" || missing="$missing $o"
	done
	[ -z "$missing" ] && ok "README synopsis of $c has every option of 'help $c'" \
		|| fail "README synopsis of $c lacks$missing: $syn"
done

# ---- examples that can be pasted ----
# README: the indented `onefish …` lines after each stage's heading; docs/video.md: its sh block
awk '/^### `onefish (article|script|video|prompts)`/{on=1; next} /^##/{on=0} on && /^    onefish /{sub(/^    /, ""); print}' \
	"$ROOT/README.md" >"$t/readme.cmds"
awk '/^```sh/{on=1; next} /^```/{on=0} on && /^onefish /' "$ROOT/docs/video.md" >"$t/video.cmds"
[ "$(wc -l <"$t/readme.cmds")" -ge 6 ] && ok "$(wc -l <"$t/readme.cmds") README stage examples found" || fail "README examples not found"
cat "$t/readme.cmds" "$t/video.cmds" | sed 's/ *#.*//' | grep -nE '\[|\.\.\.|…' >"$t/bad" \
	&& fail "examples with placeholders: $(cat "$t/bad")" || ok "no [...] placeholders in the examples"
# the quick ones run as written, in order, from a folder holding examples/
mkdir "$t/run" "$t/bin" && ln -s "$ROOT/examples" "$t/run/examples" && ln -s "$ONEFISH" "$t/bin/onefish"
grep -vE '^onefish video |\$' "$t/readme.cmds" | while IFS= read -r cmd; do
	if (cd "$t/run" && PATH="$t/bin:$PATH" sh -c "$cmd --quiet" >/dev/null 2>"$t/ex.err"); then
		echo "ok: runs: $cmd"
	else
		echo "FAIL: does not run: $cmd"; sed 's/^/  | /' "$t/ex.err" | head -3
	fi
done >"$t/ran"
cat "$t/ran"
fails=$((fails + $(grep -c '^FAIL' "$t/ran")))
grep -q 'runs: onefish script out/article/article.html' "$t/ran" || fail "the saved-page example was not run"

# ---- exit codes, voice.rate ----
"$ONEFISH" --help | grep -q '130/143 interrupted' && ok "--help lists 130/143" || fail "--help lacks 130/143"
"$ONEFISH" help article | grep -q '130/143 interrupted' && ok "help article lists 130/143" || fail "help article lacks 130/143"
wpm=$(sed -n 's/^#define OF_VOICE__CMN_WPM \([0-9]*\).*/\1/p' "$ROOT/stages/voice/voice_int.h")
row=$(grep '^| `voice.rate`' "$ROOT/docs/config.md")
printf '%s\n' "$row" | grep -q "| $wpm for Chinese voices" && ok "docs/config.md: voice.rate default $wpm, as the code" \
	|| fail "docs/config.md voice.rate row does not say $wpm: $row"
grep -q "default $wpm for Chinese voices" "$ROOT/pipeline/config_schema.c" && ok "config_schema.c says $wpm too" \
	|| fail "config_schema.c voice.rate description disagrees with OF_VOICE__CMN_WPM $wpm"

echo "docs_examples: $fails failure(s)"
[ "$fails" -eq 0 ]
