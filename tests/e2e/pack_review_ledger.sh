#!/bin/sh
# pack_review_ledger.sh — the review page's asset ledger (素材清单) and file list follow the
# editor's article.md: a photo the editor added is listed, said to be the editor's, with source
# and licence unknown; one the edit shows that is not there is shown missing; a photo the edit no
# longer shows is kept (never deleted) and said unused (manifest.json "unused", 未使用 in the
# file list). The script's photo copies keep their names when a photo is inserted before them, so
# what points at them (an NLE project built from timeline.fcpxml) does not break.
set -u
ROOT=${ONEFISH_ROOT:-.}
for x in ffmpeg jq python3; do
	command -v $x >/dev/null 2>&1 || { echo "skip: $x missing"; exit 0; }
done
. "$ROOT/tests/e2e/lib/mini_pack.sh"
: "${ONEFISH:?}"

# rows of a table of index.html: "cell<TAB>cell…" per row; $2 the table's class (assets) or the
# section's id (status); a cell's badge classes are appended as [class]
rows() {
	python3 - "$1" "$2" <<'EOF'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self, want):
        super().__init__(); self.want = want; self.depth = 0; self.rows = []; self.cell = None; self.sec = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs); cls = (a.get("class") or "").split()
        if tag == "section": self.sec = a.get("id")
        if tag == "table" and (self.want in cls or self.sec == self.want): self.depth += 1
        if not self.depth: return
        if tag == "tr": self.rows.append([" ".join(cls)])
        if tag == "td": self.cell = ""
        if tag == "span" and "badge" in cls and self.cell is not None: self.cell += "[" + " ".join(cls) + "]"
    def handle_endtag(self, tag):
        if not self.depth: return
        if tag == "td" and self.cell is not None: self.rows[-1].append(self.cell.strip()); self.cell = None
        if tag == "table": self.depth -= 1
    def handle_data(self, d):
        if self.cell is not None: self.cell += d
p = P(sys.argv[2]); p.feed(open(sys.argv[1], encoding="utf-8").read())
for r in p.rows:
    if len(r) > 1: print("\t".join([r[1], r[0]] + r[2:]))
EOF
}
# the ledger row of file $2: "file<TAB>tr-class<TAB>类型<TAB>用在<TAB>来源<TAB>授权"
ledger_row() { rows "$1" assets | awk -F'\t' -v f="$2" '$1 == f'; }

"$ONEFISH" run "$t/pack" -o "$t/out" --quiet 2>"$t/err1" || { fail "first run: $(tail -3 "$t/err1")"; exit 1; }
ledger_row "$O/index.html" images/p03-1.jpg | grep -q '文章（p03）' || fail "first run: p03-1.jpg not in the ledger"

# The editor adds a photo of their own before p01-1's, shows one that is not there, and rewrites
# the paragraph of p03-1 without its photo.
ffmpeg -nostdin -v error -f lavfi -i testsrc=size=640x480 -frames:v 1 -y "$O/images/editor-new.jpg" \
	|| { fail "could not make a JPEG"; exit 1; }
cp "$O/images/editor-new.jpg" "$t/editor-new.jpg"
python3 - "$O/article.md" <<'EOF' || exit 1
import sys
p = sys.argv[1]
t = open(p, encoding="utf-8").read()
lines = t.split("\n")
i = next(i for i, l in enumerate(lines) if l.startswith("手指食物"))
lines[i + 1:i + 1] = ["", "![](images/editor-new.jpg)", "", "![](./images/not-there.jpg)"]
lines = [l for l in lines if l != "![](images/p03-1.jpg)"]
j = next(i for i, l in enumerate(lines) if l.startswith("11月26日"))
lines[j] = "周四晚的直播，营养师小周手把手讲了手指食物怎么准备、怎么防噎。"
open(p, "w", encoding="utf-8").write("\n".join(lines))
EOF
grep -q '^!\[\](images/editor-new.jpg)$' "$O/article.md" && ! grep -q 'p03-1' "$O/article.md" || fail "could not edit article.md"
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/run2.jsonl" 2>"$t/err2" || fail "rerun: $(tail -3 "$t/err2")"
jq -se 'map(select(.event == "edit_followed" and .stage == "article")) | length == 1' "$t/run2.jsonl" >/dev/null \
	|| fail "the edited article.md was not followed"

# 1. the editor's photo is in the ledger, as theirs, source and licence unknown
row=$(ledger_row "$O/index.html" images/editor-new.jpg)
used=$(printf '%s' "$row" | cut -f4) src=$(printf '%s' "$row" | cut -f5) lic=$(printf '%s' "$row" | cut -f6)
case "$used" in *文章（编辑添加）*) ok "ledger: images/editor-new.jpg is listed as added by the editor" ;;
*) fail "ledger: editor-new.jpg used in '$used' (row '$row')" ;; esac
case "$src|$lic" in 未知*\|未知*) ok "ledger: its source and licence are unknown" ;; *) fail "ledger: editor-new.jpg source '$src', licence '$lic'" ;; esac
cmp -s "$t/editor-new.jpg" "$O/images/editor-new.jpg" && ok "the editor's photo is untouched" || fail "images/editor-new.jpg changed or gone"
# 2. a photo the edit shows that is not there: missing
row=$(ledger_row "$O/index.html" images/not-there.jpg)
[ "$(printf '%s' "$row" | cut -f2)" = gone ] && printf '%s' "$row" | cut -f5 | grep -q 'badge missing' \
	&& ok "ledger: images/not-there.jpg is shown missing" || fail "ledger: not-there.jpg row '$row'"
[ "$(rows "$O/index.html" assets | cut -f2 | grep -c gone)" -eq 1 ] || fail "ledger: not exactly one row shown missing"
# 3. a photo the edit no longer shows: kept, unused
[ -z "$(ledger_row "$O/index.html" images/p03-1.jpg)" ] && ok "ledger: p03-1.jpg, no longer shown, is not listed as used" \
	|| fail "ledger still lists p03-1.jpg: $(ledger_row "$O/index.html" images/p03-1.jpg)"
[ -f "$O/images/p03-1.jpg" ] && ok "p03-1.jpg is kept (the editor may show it again)" || fail "p03-1.jpg was deleted"
jq -e '.outputs[] | select(.path == "images/p03-1.jpg") | .unused == true and .status == "generated"' "$O/manifest.json" >/dev/null \
	&& ok "manifest.json: images/p03-1.jpg is unused" || fail "manifest: $(jq -c '.outputs[] | select(.path == "images/p03-1.jpg")' "$O/manifest.json")"
jq -e '[.outputs[] | select(.unused)] | map(.path) == ["images/p03-1.jpg"]' "$O/manifest.json" >/dev/null \
	|| fail "manifest: unused $(jq -c '[.outputs[] | select(.unused) | .path]' "$O/manifest.json")"
rows "$O/index.html" status | awk -F'\t' '$1 == "images/p03-1.jpg"' | grep -q 'badge unused' \
	&& ok "file list: images/p03-1.jpg is marked 未使用" || fail "file list: $(rows "$O/index.html" status | grep p03-1)"
rows "$O/index.html" status | awk -F'\t' '$1 == "images/p01-1.jpg"' | grep -q 'badge unused' && fail "file list: p01-1.jpg marked unused"
# 4. the script's photo copies keep their names when a photo is inserted before them (the QA
# case: week-2026-47's 06-p06-1.jpg became 07-p06-1.jpg, breaking the editor's NLE project)
W="$ROOT/examples/week-2026-47"
"$ONEFISH" article "$W/posts.jsonl" -o "$t/a47" --config "$W/onefish.yaml" --quiet 2>/dev/null || fail "week-2026-47: article"
"$ONEFISH" script "$t/a47/article.md" -o "$t/s47" --config "$W/onefish.yaml" --quiet 2>/dev/null || fail "week-2026-47: script"
names() { jq -r '[.scenes[].image | select(. != "images/brand-background.jpg")] | unique | .[]' "$1/script.json"; }
names "$t/s47" >"$t/names1"
cp "$t/editor-new.jpg" "$t/a47/images/editor-new.jpg"
sed -i '0,/^路上的风景/s//![](images\/editor-new.jpg)\n\n路上的风景/' "$t/a47/article.md"
grep -q '^!\[\](images/editor-new.jpg)$' "$t/a47/article.md" || fail "could not insert the photo into week-2026-47's article"
"$ONEFISH" script "$t/a47/article.md" -o "$t/s47" --config "$W/onefish.yaml" --quiet 2>/dev/null || fail "week-2026-47: script rerun"
names "$t/s47" >"$t/names2"
same=$(comm -12 "$t/names1" "$t/names2" | wc -l)
[ -s "$t/names1" ] && [ "$same" -eq "$(wc -l <"$t/names1")" ] \
	&& ok "script: a photo inserted before them renames none of the copies ($(tr '\n' ' ' <"$t/names1"))" \
	|| fail "script: copies were '$(tr '\n' ' ' <"$t/names1")', now '$(tr '\n' ' ' <"$t/names2")'"
for f in $(cat "$t/names1"); do
	grep -q "src=\"./$f\"" "$t/s47/timeline.fcpxml" || fail "timeline.fcpxml does not point at $f"
done

# the page is the same when written again (deterministic)
cp "$O/index.html" "$t/index2.html"
"$ONEFISH" review "$O" --quiet 2>/dev/null || fail "review"
cmp -s "$O/index.html" "$t/index2.html" && ok "onefish review writes the same page" || fail "index.html differs when written again"
[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
