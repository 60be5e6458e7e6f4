#!/bin/sh
# manifest.json does not depend on run history: after a failed article (a broken posts file, or a
# --strict failure on a skipped bad record) is fixed, the cached script and video are recorded `ok`
# again and the manifest is the bytes a fresh run writes. A held article (edited by hand, posts changed)
# gets back the photos its article.md shows when they are deleted from the output folder; one the pack
# no longer has is reported (--strict: exit 3); one the editor took out of article.md is not missing,
# and is restored when the editor puts it back (no edited file in the way).
set -u
ROOT=${ONEFISH_ROOT:-.}
. "$ROOT/tests/e2e/lib/mini_pack.sh"
statuses() { jq -c '[.stages | to_entries[] | "\(.key)=\(.value.status)"]' "$O/manifest.json"; }

"$ONEFISH" run "$t/pack" -o "$t/out" --quiet 2>"$t/err1" || { fail "first run: $(tail -3 "$t/err1")"; exit 1; }
cp "$O/manifest.json" "$t/m1"
cp "$t/pack/posts.jsonl" "$t/posts.good"

# ---- a broken posts file fails the article and blocks script and video; fixed, all is ok again ----
echo '{"id":' >"$t/pack/posts.jsonl"
"$ONEFISH" run "$t/pack" -o "$t/out" --quiet 2>/dev/null; rc=$?
[ $rc -eq 3 ] && [ "$(statuses)" = '["article=failed","script=blocked","video=blocked","prompts=ok"]' ] \
	&& ok "broken posts: exit 3, article failed, script and video blocked" || fail "broken posts: exit $rc, $(statuses)"
cp "$t/posts.good" "$t/pack/posts.jsonl"
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/fix.jsonl" 2>/dev/null || fail "run after the fix"
[ "$(jq -r 'select(.event=="stage_start") | .stage' "$t/fix.jsonl" | tr '\n' ' ')" = "article " ] \
	&& ok "after the fix only the article reran" || fail "after the fix ran: $(jq -r 'select(.event=="stage_start") | .stage' "$t/fix.jsonl")"
[ "$(statuses)" = '["article=ok","script=ok","video=ok","prompts=ok"]' ] \
	&& ok "after the fix every stage is ok in manifest.json" || fail "after the fix: $(statuses)"
cmp -s "$t/m1" "$O/manifest.json" && ok "manifest.json is the fresh run's bytes" \
	|| { fail "manifest.json differs from the fresh run's"; diff "$t/m1" "$O/manifest.json" | head -6; }
"$ONEFISH" run "$t/pack" -o "$t/out" --quiet 2>/dev/null || fail "no-op rerun"
cmp -s "$t/m1" "$O/manifest.json" && ok "and stays so on the next run" || fail "manifest.json changed on a no-op rerun"

# ---- a skipped bad record, then --strict fails on it, then the record is removed ----
printf '{"id":"bad","time":\n' >>"$t/pack/posts.jsonl"
"$ONEFISH" run "$t/pack" -o "$t/out" --quiet 2>/dev/null || fail "run with a skipped bad record"
"$ONEFISH" run "$t/pack" -o "$t/out" --strict --quiet 2>/dev/null; rc=$?
[ $rc -eq 3 ] && [ "$(statuses)" = '["article=failed","script=blocked","video=blocked","prompts=ok"]' ] \
	&& ok "--strict on the skipped record: exit 3, script and video blocked" || fail "--strict: exit $rc, $(statuses)"
cp "$t/posts.good" "$t/pack/posts.jsonl"
"$ONEFISH" run "$t/pack" -o "$t/out" --quiet 2>/dev/null || fail "run after removing the bad record"
[ "$(statuses)" = '["article=ok","script=ok","video=ok","prompts=ok"]' ] && cmp -s "$t/m1" "$O/manifest.json" \
	&& ok "after a --strict failure and a normal run: every stage ok, the fresh run's manifest" \
	|| { fail "after --strict then normal: $(statuses)"; diff "$t/m1" "$O/manifest.json" | head -6; }

# ---- a held article restores the photos its article.md shows ----
printf '\n编辑加的一句。\n' >>"$O/article.md"
sed -i '1s/。/！/' "$t/pack/posts.jsonl"
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/held.jsonl" 2>/dev/null || fail "held run"
jq -se 'map(select(.event == "stage_held" and .stage == "article")) | length == 1' "$t/held.jsonl" >/dev/null \
	&& ok "article held (edited by hand, posts changed)" || fail "article not held"
shown=$(grep -o '](images/[^)]*)' "$O/article.md" | sed 's/](\(.*\))/\1/' | sort | tr '\n' ' ')
[ -n "$shown" ] || fail "the article shows no photo"
for f in $shown; do rm "$O/$f"; done
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/restore.jsonl" 2>"$t/restore.err"; rc=$?
back=$(jq -r 'select(.event == "output_restored") | .file' "$t/restore.jsonl" | sort | tr '\n' ' ')
[ $rc -eq 0 ] && [ "$back" = "$shown" ] && ok "held article: deleted photos restored ($shown)" || { fail "restored '$back' of '$shown' (exit $rc)"; cat "$t/restore.err"; }
for f in $shown; do cmp -s "$O/$f" "$t/pack/$f" || fail "$f is not the pack's photo"; done
grep -Eq "image '[^']*' (not found|not usable)" "$t/restore.jsonl" "$t/restore.err" && fail "the script still found the photos missing"
jq -se 'map(select(.event == "stage_start" and .stage == "video")) | length == 0' "$t/restore.jsonl" >/dev/null \
	&& ok "the video is not rendered again without its photos" || fail "the video reran after the photos were deleted"
# stale as the held stage's other files (its inputs changed), no longer missing
jq -e --arg f "${shown%% *}" '.outputs[] | select(.path == $f) | .status == "stale"' "$O/manifest.json" >/dev/null \
	&& ok "manifest: the restored photo is the held stage's again (stale, not missing)" || fail "restored photo status"
# A photo the pack no longer has as it was cannot come back: said, and --strict fails on it.
f=${shown%% *}
rm "$O/$f"
printf 'x' >>"$t/pack/$f"
"$ONEFISH" run "$t/pack" -o "$t/out" --strict --json >"$t/strict.jsonl" 2>/dev/null; rc=$?
jq -se --arg f "$f" 'map(select(.event == "output_missing" and .stage == "article" and .level == "error" and (.files | contains($f))))
	| length == 1' "$t/strict.jsonl" >/dev/null && [ $rc -eq 3 ] \
	&& ok "--strict: a deleted photo the pack changed since → output_missing, exit 3" || { fail "--strict unrestorable photo: exit $rc"; grep -E 'output_|stage_failed' "$t/strict.jsonl"; }
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/lax.jsonl" 2>/dev/null; rc=$?
jq -se --arg f "$f" 'map(select(.event == "output_missing" and .level == "warning" and (.files | contains($f)))) | length == 1' \
	"$t/lax.jsonl" >/dev/null && [ $rc -eq 0 ] && ok "without --strict: the same is a warning, exit 0" || fail "unrestorable photo: exit $rc"
# The pack back as it was, the editor takes that photo out of article.md too: removed on purpose,
# so not missing. The article is not held for it, no warning on this run or any later one (--strict
# passes), the photo is not brought back, and the manifest no longer lists it.
cp "$t/posts.good" "$t/pack/posts.jsonl"
cp "$ROOT/examples/$P/$f" "$t/pack/$f"
grep -q "]($f)" "$O/article.md" || fail "article.md does not show $f"
grep -v "]($f)" "$O/article.md" >"$t/article.md" && cat "$t/article.md" >"$O/article.md"
for n in 1 2; do
	"$ONEFISH" run "$t/pack" -o "$t/out" --strict --json >"$t/dropped$n.jsonl" 2>"$t/dropped$n.err"; rc=$?
	jq -se 'map(select(.stage == "article" and .level != "info" and .event != "edit_followed")) | length == 0' "$t/dropped$n.jsonl" >/dev/null \
		&& jq -se 'map(select(.event == "stage_skipped" and .stage == "article" and .status == "cached")) | length == 1' \
			"$t/dropped$n.jsonl" >/dev/null && ! grep -q 'output missing' "$t/dropped$n.jsonl" "$t/dropped$n.err" && [ $rc -eq 0 ] \
		&& ok "run $n after the editor took $f out of article.md: article cached, no warning, exit 0" \
		|| { fail "run $n: a photo taken out of the edit is still missing (exit $rc)"; jq -c 'select(.stage == "article" and .level != "info")' "$t/dropped$n.jsonl" | head -3; }
done
[ ! -e "$O/$f" ] && ok "$f is not restored" || fail "$f was brought back"
jq -e --arg f "$f" '[.outputs[] | select(.path == $f)] | length == 0' "$O/manifest.json" >/dev/null \
	&& ok "manifest.json no longer lists $f" || fail "manifest: $(jq -c --arg f "$f" '.outputs[] | select(.path == $f)' "$O/manifest.json")"
# The editor puts the photo back into article.md: it shows it again, no edited file is in the way,
# the pack still has it as the article copied it: restored, though it had left the manifest.
cp "$t/article.md" "$t/article.dropped.md"
printf '\n![](%s)\n' "$f" >>"$O/article.md"
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/readded.jsonl" 2>"$t/readded.err"; rc=$?
jq -se --arg f "$f" 'map(select(.event == "output_restored" and .stage == "article" and .file == $f)) | length == 1' \
	"$t/readded.jsonl" >/dev/null && cmp -s "$O/$f" "$t/pack/$f" && [ $rc -eq 0 ] \
	&& ok "a photo the editor puts back into article.md is restored (output_restored), the pack's bytes" \
	|| { fail "re-added $f not restored (exit $rc)"; grep -E 'output_|image' "$t/readded.jsonl" "$t/readded.err" | head -5; }
grep -Eq "image '[^']*' (not found|not usable)" "$t/readded.jsonl" "$t/readded.err" && fail "the script found the re-added photo missing"
jq -e --arg f "$f" '[.outputs[] | select(.path == $f and .stage == "article")] | length == 1' "$O/manifest.json" >/dev/null \
	&& ok "manifest.json lists it again as the article's" || fail "manifest does not list the restored $f"
# taken out and deleted again, then put back in a folder where an edited file of that name is in the way: kept
cat "$t/article.dropped.md" >"$O/article.md"
rm -f "$O/$f"
"$ONEFISH" run "$t/pack" -o "$t/out" --quiet 2>/dev/null || fail "run after dropping $f again"
printf 'the editor own picture' >"$O/$f"
printf '\n![](%s)\n' "$f" >>"$O/article.md"
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/inway.jsonl" 2>/dev/null || fail "run with an edited file in the way"
[ "$(cat "$O/$f")" = 'the editor own picture' ] && ok "a file of that name the editor put there is not overwritten" \
	|| fail "the editor's $f was overwritten"

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
