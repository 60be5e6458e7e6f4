#!/bin/sh
# manifest.json does not depend on run history: after a failed article (a broken posts file, or a
# --strict failure on a skipped bad record) is fixed, the cached script and video are recorded `ok`
# again and the manifest is the bytes a fresh run writes.
set -u
fails=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ROOT=${ONEFISH_ROOT:-.}
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
cp -R "$ROOT/examples/week-2026-48-mini" "$t/pack"
# 6 fps and x264 ultrafast keep the renders below fast
sed -i 's/^  preset: vertical/  preset: vertical\n  fps: 6\n  x264_preset: ultrafast/' "$t/pack/onefish.yaml"
grep -q 'fps: 6' "$t/pack/onefish.yaml" || { echo "FAIL: could not set fps"; exit 1; }
P=week-2026-48-mini
O="$t/out/$P"
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

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
