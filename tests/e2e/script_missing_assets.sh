#!/bin/sh
# script_missing_assets.sh — a onefish that cannot find the assets the script stage needs
# (ONEFISH_DATADIR an empty folder, or one without brand/background.jpg or styles/captions.json)
# fails the stage, exit 3 like the other stages, with an error naming the missing file and how to
# fix it, and leaves the previous outputs as they were: `onefish script` and `onefish run`.
set -u
ROOT=${ONEFISH_ROOT:-.}
. "$ROOT/tests/e2e/lib/mini_pack.sh"
: "${ONEFISH:?}" "${ONEFISH_DATADIR:?}"
# A copy of the binary away from the source tree: no <exe>/../assets to fall back on.
mkdir -p "$t/bin" "$t/empty"
cp "$ONEFISH" "$t/bin/onefish"
X="$t/bin/onefish"
prefix=$(grep -ao '/[[:alnum:]/._-]*/share/onefish' "$ONEFISH" | head -1)
if [ -n "$prefix" ] && [ -d "$prefix" ]; then
	echo "skip: onefish is installed in $prefix (its assets would be found there)"
	exit 0
fi
datadir_without() { # rel: a copy of the assets without it
	rm -rf "$t/data"
	cp -R "$ONEFISH_DATADIR" "$t/data"
	rm "$t/data/$1"
}
snapshot() { (cd "$1" && find . -type f ! -path './.onefish/*' | sort | xargs sha256sum) }

A="$t/article" S="$t/script"
"$ONEFISH" article "$t/pack/posts.jsonl" -o "$A" --config "$t/pack/onefish.yaml" --quiet 2>/dev/null || fail "article"
"$ONEFISH" script "$A/article.md" -o "$S" --config "$t/pack/onefish.yaml" --quiet 2>/dev/null || fail "script"
snapshot "$S" >"$t/before"
printf '\n多写的一段，让脚本重写。\n' >>"$A/article.md"

# ---- onefish script ----
for case in empty brand/background.jpg styles/captions.json; do
	if [ "$case" = empty ]; then dd="$t/empty" want="$t/empty/"; else datadir_without "$case"; dd="$t/data" want="$t/data/$case"; fi
	ONEFISH_DATADIR="$dd" "$X" script "$A/article.md" -o "$S" --config "$t/pack/onefish.yaml" >"$t/stdout" 2>"$t/err"; rc=$?
	if [ $rc -eq 3 ] && grep -q "error: $want[^:]*: .*not found.*ONEFISH_DATADIR" "$t/err"; then
		ok "script, assets: $case → exit 3, the error names the file and ONEFISH_DATADIR"
	else
		fail "script, assets: $case → exit $rc: $(grep -i error "$t/err" | head -2)"
	fi
	snapshot "$S" | cmp -s - "$t/before" && ok "script, assets: $case → the previous outputs untouched" \
		|| { fail "script, assets: $case → outputs changed"; snapshot "$S" | diff "$t/before" - | head -5; }
done
# the other stages do the same with no assets at all: exit 3, the file named
for cmd in "article $t/pack/posts.jsonl -o $t/a2" "prompts $t/pack/comments -o $t/p2"; do
	ONEFISH_DATADIR="$t/empty" "$X" $cmd --config "$t/pack/onefish.yaml" >/dev/null 2>"$t/err"; rc=$?
	[ $rc -eq 3 ] && grep -q "error: $t/empty/[^:]*: .*not found.*ONEFISH_DATADIR" "$t/err" \
		&& ok "${cmd%% *}, no assets: exit 3, the error names the file" || fail "${cmd%% *}, no assets: exit $rc: $(cat "$t/err")"
done

# ---- onefish run: the script stage fails, the video is blocked, the script's files stay ----
"$ONEFISH" run "$t/pack" -o "$t/out" --quiet 2>"$t/err1" || { fail "pack run: $(tail -3 "$t/err1")"; exit 1; }
snapshot "$O" >"$t/pack.before"
datadir_without brand/background.jpg
ONEFISH_DATADIR="$t/data" "$X" run "$t/pack" -o "$t/out" --json >"$t/run.jsonl" 2>"$t/run.err"; rc=$?
[ $rc -eq 3 ] && jq -se --arg f "$t/data/brand/background.jpg" \
	'map(select(.event == "stage_failed" and .stage == "script" and .file == $f and .exit == 3)) | length == 1' \
	"$t/run.jsonl" >/dev/null && ok "run: the script stage fails (exit 3), stage_failed names the missing file" \
	|| { fail "run without brand/background.jpg: exit $rc"; jq -c 'select(.level != "info")' "$t/run.jsonl" | head -4; }
jq -se 'map(select(.event == "stage_skipped" and .stage == "video" and .status == "blocked")) | length == 1' \
	"$t/run.jsonl" >/dev/null && ok "run: the video is blocked" || fail "run: video not blocked"
[ "$(jq -r '.stages.script.status' "$O/manifest.json")" = failed ] && ok "run: manifest says script failed" \
	|| fail "run: script status $(jq -r '.stages.script.status' "$O/manifest.json")"
snapshot "$O" | grep -v ' ./manifest.json$\| ./index.html$' >"$t/pack.after"
grep -v ' ./manifest.json$\| ./index.html$' "$t/pack.before" | cmp -s - "$t/pack.after" \
	&& ok "run: every output as it was" || { fail "run: outputs changed"; grep -v ' ./manifest.json$\| ./index.html$' "$t/pack.before" | diff - "$t/pack.after" | head -5; }
# with the assets back, the next run completes
"$ONEFISH" run "$t/pack" -o "$t/out" --quiet 2>/dev/null && [ "$(jq -r '.stages.script.status' "$O/manifest.json")" = ok ] \
	&& ok "run: with the assets back, the script is ok again" || fail "run with the assets back"

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
