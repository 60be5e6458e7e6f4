#!/bin/sh
# Worker isolation of article parsing for `onefish script` (SAFE-INPUT decision 2): a page that keeps
# libxml2 2.9.14's HTML parser busy for seconds (1,800 elements of 999 attributes, under the attribute
# cap) ends as `slow.html: limit exceeded (cpu)` at a 1 s limit (exit 3); Markdown, WeChat and
# generic HTML give the same bytes and messages isolated and with --no-isolate.
set -u
fails=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ROOT=$(cd "${ONEFISH_ROOT:-.}" && pwd)
FX="$ROOT/tests/fixtures/script"
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
cd "$t" || exit 1
python3 - <<'PY'
attrs = ' '.join('a%d="1"' % k for k in range(999))  # the article reader refuses 1,000 and more
with open('slow.html', 'w') as f:  # 16 MB, under the 16 MiB page cap: seconds of libxml2 CPU
    f.write('<html><head><title>t</title></head><body><article><h1>标题</h1><p>第一段正文。</p>\n')
    for i in range(1800):
        f.write('<p %s>段落%d。</p>\n' % (attrs, i))
    f.write('</article></body></html>\n')
PY
printf 'limits:\n  parse_cpu_seconds: 1\n' >cpu.yaml
s0=$(date +%s)
"$ONEFISH" script --config cpu.yaml slow.html -o slow 2>err; rc=$?
s1=$(date +%s)
[ $rc -eq 3 ] && grep -q 'error: slow\.html: limit exceeded (cpu): parsing took more than 1 s of CPU time' err \
	&& ok "slow page: limit exceeded (cpu), exit 3" || fail "slow page: exit $rc: $(cat err)"
[ $((s1 - s0)) -lt 15 ] || fail "the CPU limit did not stop the parse ($((s1 - s0)) s)"
[ -e slow/script.json ] && fail "slow page wrote script.json"

for f in article.md wechat-mini.html generic.html; do
	[ -e "$FX/$f" ] || continue
	cp -R "$FX/images" . 2>/dev/null
	cp "$FX/$f" .
	"$ONEFISH" script --config "$FX/offline.yaml" "$f" -o "iso-$f" 2>"e-iso-$f"; a=$?
	"$ONEFISH" script --config "$FX/offline.yaml" --no-isolate "$f" -o "no-$f" 2>"e-no-$f"; b=$?
	[ $a -eq $b ] || fail "$f: exit $a isolated, $b in-process"
	diff -r "iso-$f" "no-$f" >/dev/null && ok "$f: same outputs isolated and in-process" || fail "$f: outputs differ"
	sed 's/, [0-9.]*s$//' "e-iso-$f" >m1; sed 's/, [0-9.]*s$//' "e-no-$f" >m2
	cmp -s m1 m2 && ok "$f: same messages" || { fail "$f: messages differ"; diff m1 m2 | head -5; }
done

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
