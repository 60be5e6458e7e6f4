#!/bin/sh
# Hostile comment logs (SAFE-INPUT.md rows 1, 2, 5, 8, 9, 11, 12, 13, 14 and the issue's list): each one
# gives the documented exit code and a file:line message, keeps what can be kept, and leaks nothing.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
D='p="1,1,25,16777215,1795089601,0,abc'
run() { # expected-exit name file [args]
	want=$1; name=$2; shift 2
	"$ONEFISH" prompts "$@" -o "$T/out-$name" >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	[ "$rc" -eq "$want" ] || fail "$name: exit $rc, want $want; stderr: $(cat "$T/$name.err")"
}
has() { grep -q -- "$2" "$T/$1.err" || fail "$1: stderr lacks '$2': $(cat "$T/$1.err")"; }
secs() { python3 -c 'import time; print(time.monotonic())'; }

# 1-2. XXE and billion laughs: refused as DOCTYPE before any expansion, fast, nothing leaks
H=$(cat /etc/hostname 2>/dev/null || echo no-hostname-file)
printf '<?xml version="1.0"?>\n<!DOCTYPE i [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n<i><d %s,1">&x;</d></i>\n' "$D" >"$T/xxe.xml"
python3 - "$T/laughs.xml" <<'PY'
import sys
s = '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY l0 "lol">\n'
for i in range(1, 10):
    s += '<!ENTITY l%d "%s">\n' % (i, ("&l%d;" % (i - 1)) * 10)
s += ']>\n<i><d p="1,1,25,16777215,1,0,a,1">&l9;</d></i>\n'
open(sys.argv[1], "w").write(s)
PY
t0=$(secs)
run 3 xxe "$T/xxe.xml"
has xxe "xxe.xml:2: DOCTYPE not allowed"
run 3 laughs "$T/laughs.xml"
has laughs "laughs.xml:2: DOCTYPE not allowed"
t1=$(secs)
python3 -c "import sys; sys.exit(0 if $t1 - $t0 < 1.0 else 1)" || fail "DOCTYPE refusals took $t1 - $t0 s"
if grep -rqF "$H" "$T"/out-xxe "$T"/xxe.out "$T"/xxe.err 2>/dev/null; then fail "hostname leaked"; fi
[ ! -e "$T/out-xxe/prompts.json" ] || fail "xxe: outputs written"

# XML broken in the middle: the comments before the break are kept, the error names line:col
printf '<?xml version="1.0"?>\n<i>\n<d %s,1">辅食要加盐吗？</d>\n<d %s,2">two</b>\n<d %s,3">three</d>\n</i>\n' "$D" "$D" "$D" >"$T/mid.xml"
run 0 mid "$T/mid.xml"
has mid "mid.xml:4:"
has mid "the 1 comment before it is kept"
[ "$(wc -l <"$T/out-mid/comments.jsonl")" -eq 1 ] || fail "mid: comment before the break not kept"
run 3 midstrict "$T/mid.xml" --strict

# 11. truncated mid-<d>: every complete record kept, with the warning of SAFE-INPUT.md
{ printf '<?xml version="1.0"?>\n<i>\n'; for i in 1 2 3 4 5; do printf '<d %s,%d">comment %d</d>\n' "$D" "$i" "$i"; done; printf '<d %s,9">cut he' "$D"; } >"$T/cut.xml"
run 0 cut "$T/cut.xml"
has cut "cut.xml:8: warning: unexpected end of file, 5 comments recovered"

# 8-9. control characters and invalid UTF-8: removed/replaced with a warning naming the line, all kept
printf '<?xml version="1.0"?>\n<i>\n<d %s,1">a\010b</d>\n<d %s,2">x\377\376y</d>\n<d %s,3">ok</d>\n</i>\n' "$D" "$D" "$D" >"$T/ctl.xml"
run 0 ctl "$T/ctl.xml"
has ctl "ctl.xml:3: warning: control char U+0008 removed"
has ctl "ctl.xml:4: warning: invalid UTF-8 byte 0xFF replaced by U+FFFD"
[ "$(wc -l <"$T/out-ctl/comments.jsonl")" -eq 3 ] || fail "ctl: comments lost"
python3 -c "import json,sys; [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]" "$T/out-ctl/comments.jsonl" || fail "ctl: output not valid UTF-8 JSON"

# 12. bad p fields: that record rejected with line and field name, the others kept
printf '<?xml version="1.0"?>\n<i>\n<d p="NaN,1,25,1,1,0,a,1">x</d>\n<d p="-5,1,25,1,1,0,a,2">x</d>\n<d p="1,1,25,99999999,1,0,a,3">x</d>\n<d p="1,1,25,1,1,0,a,1234567890123456789012345">x</d>\n<d p="1,1,25">x</d>\n<d %s,18446744073709551615">kept</d>\n</i>\n' "$D" >"$T/badp.xml"
run 0 badp "$T/badp.xml"
has badp "badp.xml:3: warning: bad p field 'time'"
has badp "badp.xml:4: warning: bad p field 'time' (#1): '-5'"
has badp "badp.xml:5: warning: bad p field 'color'"
has badp "badp.xml:6: warning: bad p field 'dmid'"
has badp "badp.xml:7: warning: p has 3 fields, expected 8 or 9"
grep -q '"id":"18446744073709551615"' "$T/out-badp/comments.jsonl" || fail "badp: 20-digit dmid not kept exactly"

# 13. a 1 MB single comment: skipped with a warning, the others kept
python3 - "$T/big.xml" <<'PY'
import sys
d = 'p="1,1,25,16777215,1,0,abc,%d"'
s = '<?xml version="1.0"?>\n<i>\n<d %s>%s</d>\n<d %s>short</d>\n</i>\n' % (d % 1, "a" * (1 << 20), d % 2)
open(sys.argv[1], "w").write(s)
PY
run 0 big "$T/big.xml"
has big "big.xml:3: warning: comment over the"
[ "$(wc -l <"$T/out-big/comments.jsonl")" -eq 1 ] || fail "big: short comment lost"

# 14. empty log, only a declaration, a format we do not read (Niconico), an unexpected root
: >"$T/empty.xml"
run 3 empty "$T/empty.xml"
has empty "empty.xml: empty file: no comments"
printf '<?xml version="1.0"?>\n' >"$T/decl.xml"
run 3 decl "$T/decl.xml"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<packet>\n<chat thread="1" no="1" vpos="100" user_id="x">hi</chat>\n</packet>\n' >"$T/nico.xml"
run 3 nico "$T/nico.xml"
has nico "nico.xml:1: Niconico <packet> XML is not a comment format onefish reads; accepted: bilibili danmaku XML"
printf '<?xml version="1.0"?>\n<root><d>x</d></root>\n' >"$T/root.xml"
run 3 root "$T/root.xml"
has root "unexpected root <root>"

# CSV missing the text column: exit 3 naming line 1 and the header it has
printf 'author,time_in_seconds,note\nbob,1,hi\n' >"$T/notext.csv"
run 3 notext "$T/notext.csv"
has notext "notext.csv:1: CSV has no text column"

# timestamps out of order and negative (pre-stream chat): read, kept in input order, chart starts at the earliest
printf '{"id":"a","time":120,"user":"u1","text":"米粉怎么冲？"}\n{"id":"b","time":-30,"user":"u2","text":"米粉怎么冲才不结块？"}\n{"id":"c","time":"0:05","user":"u3","text":"米粉怎么冲"}\n' >"$T/order.jsonl"
run 0 order "$T/order.jsonl"
python3 - "$T/out-order" <<'PY' || fail "order: wrong output"
import json, sys
d = sys.argv[1]
rows = [json.loads(l) for l in open(d + "/comments.jsonl")]
assert [r["id"] for r in rows] == ["a", "b", "c"], rows
assert rows[1]["time"] == -30
c = json.load(open(d + "/prompts.json"))["clusters"][0]
assert c["users"] == 3 and c["first"] == -30, c
PY
printf '<?xml version="1.0"?>\n<i>\n<d p="-1,1,25,1,1,0,a,1">neg</d>\n<d p="9,1,25,1,1,0,a,2">late</d>\n<d p="3,1,25,1,1,0,a,3">early</d>\n</i>\n' >"$T/negxml.xml"
run 0 negxml "$T/negxml.xml"
has negxml "negxml.xml:3: warning: bad p field 'time' (#1): '-1'"

# 5. gzip bomb: a 600 KB .gz expanding to 600 MB stops inside the limits, fast and small
python3 - "$T/bomb.xml.gz" <<'PY'
import gzip, sys
with gzip.open(sys.argv[1], "wb", 9) as g:
    g.write(b'<?xml version="1.0"?>\n<i>\n<d p="1,1,25,16777215,1,0,a,1">hello</d>\n')
    z = b" " * (1 << 20)
    for _ in range(600):
        g.write(z)
PY
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f "%e %M" -o "$T/bomb.time" "$ONEFISH" prompts "$T/bomb.xml.gz" -o "$T/out-bomb" >/dev/null 2>"$T/bomb.err"
	read -r secs kb <"$T/bomb.time"
	python3 -c "import sys; sys.exit(0 if $secs < 5 and $kb < 300000 else 1)" || fail "gzip bomb: $secs s, $kb KB"
else
	"$ONEFISH" prompts "$T/bomb.xml.gz" -o "$T/out-bomb" >/dev/null 2>"$T/bomb.err"
fi
grep -q "bomb.xml.gz" "$T/bomb.err" || fail "gzip bomb: no message naming the file"
# a normal .gz log is read
gzip -c "$ONEFISH_ROOT/examples/week-2026-47/comments/live-2026-11-19.xml" >"$T/live.xml.gz"
run 0 gz "$T/live.xml.gz"
[ "$(wc -l <"$T/out-gz/comments.jsonl")" -eq 420 ] || fail "gz: not all comments read"
echo "prompts_hostile: ok"
