#!/bin/sh
# Worker isolation of posts parsing for `onefish article` (SAFE-INPUT decision 2): every posts format
# (JSONL with bad records, CSV, a Markdown folder, an HTML export, fuzzer-mutated HTML, several files
# with a duplicate id across them) gives the same bytes, messages and exit status isolated and with
# --no-isolate, --strict included; a posts export that keeps libxml2 2.9.14 busy for seconds (elements
# of 9,000 attributes, under the attribute guard) ends as `path: limit exceeded (cpu)` (exit 3).
set -u
fails=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ROOT=$(cd "${ONEFISH_ROOT:-.}" && pwd)
FX="$ROOT/tests/fixtures/posts"
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
cd "$t" || exit 1
W="$ROOT/examples/week-2026-47"
cp "$W/posts.jsonl" good.jsonl
# bad records: broken JSON at line 3, a duplicate id at line 5 (and again across files below)
awk 'NR==3{print "{\"id\": \"x\", broken"; next} NR==5{sub(/"id": *"[^"]*"/, "\"id\": \"p01\"")} {print}' good.jsonl >bad.jsonl
head -2 good.jsonl >dup.jsonl
cp -R "$W/images" images

compare() { # name, args...
	name=$1; shift
	"$ONEFISH" article "$@" -o "iso-$name" >/dev/null 2>"e-iso-$name"; a=$?
	"$ONEFISH" article --no-isolate "$@" -o "no-$name" >/dev/null 2>"e-no-$name"; b=$?
	[ $a -eq $b ] || fail "$name: exit $a isolated, $b in-process"
	diff -r "iso-$name" "no-$name" 2>/dev/null | grep -v '^Only in\|^Common subdirectories' | grep -q . \
		&& fail "$name: outputs differ" || true
	if [ -e "iso-$name" ] && [ ! -e "no-$name" ] || [ ! -e "iso-$name" ] && [ -e "no-$name" ]; then fail "$name: one run wrote outputs"; fi
	for s in iso no; do sed -e "s|$s-$name/||g" -e 's/, [0-9.]*s$//' "e-$s-$name" >"m-$s-$name"; done
	cmp -s "m-iso-$name" "m-no-$name" && ok "$name: same exit ($a), outputs and messages" \
		|| { fail "$name: messages differ"; diff "m-iso-$name" "m-no-$name" | head -6; }
}
compare jsonl good.jsonl
compare badjsonl bad.jsonl
compare strict --strict bad.jsonl
compare twofiles good.jsonl dup.jsonl
compare csv "$FX/week.csv"
compare mdfolder "$FX/md"
compare html "$FX/export.html"
for f in "$FX"/hostile/*.html; do compare "mutated-$(basename "$f" .html)" "$f"; done
grep -q 'bad\.jsonl:3:18: ' m-iso-badjsonl && grep -q "duplicate id 'p01'" m-iso-badjsonl \
	&& ok "bad records named from the worker's parse and the parent's commit" || fail "bad-record messages: $(cat m-iso-badjsonl)"
grep -q "dup\.jsonl:1: .*duplicate id" m-iso-twofiles && ok "duplicate id across files found" || fail "cross-file duplicate: $(cat m-iso-twofiles)"

python3 - <<'PY'
attrs = ' '.join('a%d="1"' % k for k in range(9000))
with open('slow.html', 'w') as f:
    f.write('<html><body>\n')
    for i in range(40):
        f.write('<div class="post" data-id="s%d" %s><div class="text">第%d条朋友圈。</div></div>\n' % (i, attrs, i))
    f.write('</body></html>\n')
PY
printf 'limits:\n  parse_cpu_seconds: 1\n' >cpu.yaml
s0=$(date +%s)
"$ONEFISH" article --config cpu.yaml slow.html -o slow 2>err; rc=$?
s1=$(date +%s)
[ $rc -eq 3 ] && grep -q 'slow\.html: limit exceeded (cpu): parsing took more than 1 s of CPU time' err \
	&& ok "slow export: limit exceeded (cpu), exit 3" || fail "slow export: exit $rc: $(cat err)"
[ $((s1 - s0)) -lt 15 ] || fail "the CPU limit did not stop the parse ($((s1 - s0)) s)"

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
