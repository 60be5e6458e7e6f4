#!/bin/sh
# `onefish run/check --json` for CI: times to the millisecond in events and run-log.json; a failed
# stage's place as file/line/col fields; check's problems with file/line and a `check` event for a
# pack whose config fails; usage errors as a `usage_error` event; SIGTERM during `-j 2`: every event
# says exit 143, the cut-off stage gets its closing event, a summary follows, and each pack keeps its
# run log and review page for what finished.
set -u
ROOT=${ONEFISH_ROOT:-.}
. "$ROOT/tests/e2e/lib/mini_pack.sh"

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

# ---- stage_failed carries the error's file, line and col ----
line=$(grep -n '^| 2 |' "$O/script.md" | cut -d: -f1)
cp "$O/script.md" "$t/script.md.good"
sed -i 's/^| 2 | [^|]*|/| 2 | abc |/' "$O/script.md"
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/fail.jsonl" 2>/dev/null; rc=$?
jq -se --argjson l "$line" 'map(select(.event == "stage_failed")) | length == 1 and .[0].stage == "video"
	and (.[0].file | endswith("/script.md")) and .[0].line == $l and .[0].col > 0 and .[0].exit == 3
	and .[0].code == -3 and .[0].status == "failed"' "$t/fail.jsonl" >/dev/null && [ $rc -eq 3 ] \
	&& ok "stage_failed: file, line $line, col, code, exit 3" || { fail "stage_failed fields (exit $rc)"; grep stage_failed "$t/fail.jsonl"; }
cp "$t/script.md.good" "$O/script.md"

# ---- check --json: problems with file/line, and a check event for a pack whose config fails ----
cp -R "$ROOT/examples/week-2026-48-mini" "$t/bad3"
rm "$t/bad3/images/p03-1.jpg"
"$ONEFISH" check "$t/bad3" --json >"$t/c3.jsonl" 2>/dev/null; rc=$?
img=$(grep -n 'p03-1.jpg' "$t/bad3/posts.jsonl" | cut -d: -f1)
jq -se --argjson l "$img" 'map(select(.event == "message" and .level == "warning" and (.message | test("p03-1.jpg")))) | length == 1
	and (.[0].file | endswith("/posts.jsonl")) and .[0].line == $l and (.[0].message | test("^post .*: image "))' "$t/c3.jsonl" >/dev/null \
	&& jq -se 'map(select(.event == "check")) | length == 1 and .[0].status == "ok" and .[0].errors == 0 and .[0].warnings == 1' \
	"$t/c3.jsonl" >/dev/null \
	&& [ $rc -eq 0 ] && ok "check --json: the missing image a warning at file posts.jsonl, line $img" || { fail "check --json image event (exit $rc)"; cat "$t/c3.jsonl"; }
"$ONEFISH" check "$t/bad3" --json --strict >"$t/c3.jsonl" 2>/dev/null; rc=$?
jq -se --argjson l "$img" 'map(select(.event == "message" and .level == "error" and (.message | test("p03-1.jpg")))) | length == 1
	and .[0].line == $l' "$t/c3.jsonl" >/dev/null \
	&& jq -se 'map(select(.event == "check")) | length == 1 and .[0].status == "failed" and .[0].exit == 3 and .[0].errors == 1
	and .[0].problems == 1 and .[0].warnings == 0' "$t/c3.jsonl" >/dev/null \
	&& [ $rc -eq 3 ] && ok "check --json --strict: the missing image an error, exit 3" || { fail "check --json --strict (exit $rc)"; cat "$t/c3.jsonl"; }
printf 'name: x\nvidoe:\n  preset: vertical\n' >"$t/bad.yaml"
"$ONEFISH" check "$t/pack" --config "$t/bad.yaml" --json >"$t/cc.jsonl" 2>/dev/null; rc=$?
jq -se 'map(select(.event == "check")) | length == 1 and .[0].status == "failed" and .[0].exit == 3 and .[0].problems == 1
	and (.[0].file | endswith("/bad.yaml")) and .[0].line == 2 and .[0].col == 1 and (.[0].message | test("unknown section"))' \
	"$t/cc.jsonl" >/dev/null && [ $rc -eq 3 ] && ok "check --json with a bad config: a failed check event with file, line, col" \
	|| { fail "check --json bad config (exit $rc)"; cat "$t/cc.jsonl"; }

# ---- usage errors under --json: one usage_error event on stdout ----
cp -R "$t/pack" "$t/pack2"
for args in "run $t/pack $t/pack --json" "run $t/pack $t/pack2 --json --dry-run" "run --json" "run $t/pack --frob --json" "frob --json"; do
	# shellcheck disable=SC2086
	"$ONEFISH" $args >"$t/u.jsonl" 2>"$t/u.err"; rc=$?
	jq -se 'length == 1 and .[0].event == "usage_error" and .[0].exit == 2 and (.[0].message | length) > 0' "$t/u.jsonl" >/dev/null \
		&& [ $rc -eq 2 ] && ok "usage error ($args) → exit 2 and a usage_error event" || { fail "usage error '$args': exit $rc"; cat "$t/u.jsonl" "$t/u.err"; }
done
"$ONEFISH" run "$t/pack" "$t/pack2" --json --dry-run 2>/dev/null | jq -e '.command == "run" and (.message | test("both named"))' >/dev/null \
	&& ok "usage_error names the command and why" || fail "usage_error for two packs of one name"

# ---- SIGTERM in the middle of two videos (-j 2) ----
cp -R "$t/pack" "$t/packB"
sed -i 's/^name: .*/name: week-b/' "$t/packB/onefish.yaml"
"$ONEFISH" run "$t/pack" "$t/packB" -j 2 -o "$t/K" --json >"$t/k.jsonl" 2>"$t/k.err" &
pid=$!
i=0
while [ $i -lt 400 ] && [ "$(jq -r 'select(.event=="stage_start" and .stage=="video") | .pack' "$t/k.jsonl" 2>/dev/null | wc -l)" -lt 2 ]; do
	sleep 0.05; i=$((i + 1))
done
sleep 0.2
kill -TERM $pid
wait $pid; rc=$?
grep -v '"event":"progress"' "$t/k.jsonl" >"$t/k.events"
[ $rc -eq 143 ] && ok "SIGTERM → exit 143" || fail "SIGTERM: exit $rc"
jq -se 'map(select(.event == "pack_end")) | length == 2 and all(.exit == 143 and .status == "interrupted" and .code == -9)' \
	"$t/k.events" >/dev/null && ok "both pack_end events: status interrupted, exit 143" || { fail "pack_end after SIGTERM"; grep pack_end "$t/k.events"; }
python3 - "$t/k.events" <<'PY' && ok "every stage_start has its closing event; the cut-off video's says interrupted, exit 143" || fail "closing events"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
for pack in ("week-2026-48-mini", "week-b"):
    mine = [e for e in ev if e.get("pack") == pack]
    started = [e["stage"] for e in mine if e["event"] == "stage_start"]
    closed = [e for e in mine if e["event"] in ("stage_end", "stage_failed")]
    assert [e["stage"] for e in closed] == started, (pack, started, [e["stage"] for e in closed])
    last = closed[-1]
    assert last["stage"] == "video" and last["event"] == "stage_failed", (pack, last)
    assert last["status"] == "interrupted" and last["exit"] == 143 and last["signal"] == 15, last
PY
jq -se 'last | .event == "summary" and .exit == 143 and .interrupted == 2 and (.results | length) == 2
	and all(.results[]; .status == "interrupted" and .exit == 143)' "$t/k.events" >/dev/null \
	&& ok "a final summary: exit 143, both packs interrupted" || { fail "no summary after SIGTERM"; tail -2 "$t/k.events"; }
for p in week-2026-48-mini week-b; do
	[ -s "$t/K/$p/index.html" ] && jq -e '[.stages[] | select(.stage == "video")][0].status == "interrupted"
		and [.stages[] | select(.stage == "script")][0].status == "ran"' "$t/K/$p/.onefish/run-log.json" >/dev/null \
		&& jq -e '.stages | keys == ["article","script"]' "$t/K/$p/manifest.json" >/dev/null \
		&& ok "$p: run log (video interrupted), review page and manifest of what finished" \
		|| { fail "$p: run log / review page after SIGTERM"; ls -la "$t/K/$p" "$t/K/$p/.onefish"; }
done
left=$(find "$t/K" -name '.*.tmp-*' -o -name '.*.work' | wc -l)
[ "$left" -eq 0 ] && [ ! -e "$t/K/week-b/video.mp4" ] && ok "no partial file left" || fail "$left partial files after SIGTERM"
"$ONEFISH" run "$t/pack" "$t/packB" -j 2 -o "$t/K" --json >"$t/k2.jsonl" 2>/dev/null || fail "resume after SIGTERM"
[ "$(jq -r 'select(.event=="stage_start") | .stage' "$t/k2.jsonl" | sort | tr '\n' ' ')" = "prompts prompts video video " ] \
	&& ok "the next run resumes: the videos, and prompts never reached" || fail "resume ran: $(jq -r 'select(.event=="stage_start") | .stage' "$t/k2.jsonl" | tr '\n' ' ')"

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
