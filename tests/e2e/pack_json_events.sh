#!/bin/sh
# `onefish run/check --json` for CI: times to the millisecond in events and run-log.json.
set -u
fails=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ROOT=${ONEFISH_ROOT:-.}
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
cp -R "$ROOT/examples/week-2026-48-mini" "$t/pack"
sed -i 's/^  preset: vertical/  preset: vertical\n  fps: 6\n  x264_preset: ultrafast/' "$t/pack/onefish.yaml"
grep -q 'fps: 6' "$t/pack/onefish.yaml" || { echo "FAIL: could not set fps"; exit 1; }
P=week-2026-48-mini
O="$t/out/$P"

# Numbers outside strings with more than 3 decimals or an exponent are float noise.
noisy() { sed 's/"\([^"\\]\|\\.\)*"/""/g' "$1" | grep -Eo -- '-?[0-9]+(\.[0-9]{4,}|(\.[0-9]+)?[eE][-+]?[0-9]+)' | head -3; }

# ---- times to the millisecond ----
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/run1.jsonl" 2>"$t/err1" || { fail "first run: $(tail -3 "$t/err1")"; exit 1; }
grep -v '"event":"progress"' "$t/run1.jsonl" >"$t/events"
n=$(noisy "$t/events"); [ -z "$n" ] && ok "--json events: times to the millisecond" || fail "--json events have float noise: $n"
n=$(noisy "$O/.onefish/run-log.json"); [ -z "$n" ] && ok "run-log.json: times to the millisecond" || fail "run-log.json has float noise: $n"
jq -se '([.[] | select(.seconds != null)] | length) == 5 and ([.[] | select(.event == "summary") | .results[].seconds] | length) == 1' \
	"$t/events" >/dev/null && ok "stage_end, pack_end and the summary's results carry seconds" \
	|| fail "events without seconds"

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
