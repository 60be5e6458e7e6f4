#!/bin/sh
# script_edited_images.sh — `onefish script -o DIR` run again into its folder never writes over an
# image copy an editor changed (cropped images/v-p01-1.jpg stays, byte for byte, with a warning
# naming it, and the scene shows it), nor one it has no record of, nor a symlink put in a copy's
# place (the file it points to keeps its bytes); a copy deleted by hand is written again when a
# scene uses it; never writes through a symlinked images/ folder (exit 1, naming it); a record in
# script.json naming ".." or a linked file removes nothing outside.
set -u
ROOT=${ONEFISH_ROOT:-.}
. "$ROOT/tests/e2e/lib/mini_pack.sh"
: "${ONEFISH:?}"
sha() { sha256sum "$1" | cut -d' ' -f1; }
A="$t/article" S="$t/script" CFG="$t/pack/onefish.yaml"
script() { "$ONEFISH" script "$A/article.md" -o "$1" --config "$CFG" 2>"$t/err"; }
"$ONEFISH" article "$t/pack/posts.jsonl" -o "$A" --config "$CFG" --quiet 2>/dev/null || fail "article"
script "$S" || fail "script, first run: $(tail -3 "$t/err")"
C=images/v-p01-1.jpg
[ -f "$S/$C" ] || { fail "first run: no $C ($(ls "$S/images" | tr '\n' ' '))"; exit 1; }
cmp -s "$S/$C" "$t/pack/images/p01-1.jpg" || fail "first run: $C is not the photo's copy"

# ---- the editor crops the copy the first scene shows; the script is made again ----
cp "$S/$C" "$t/orig.jpg"
printf 'cropped by the editor' >>"$S/$C"
cp "$S/$C" "$t/cropped.jpg"
script "$S" || fail "script, rerun: $(tail -3 "$t/err")"
cmp -s "$S/$C" "$t/cropped.jpg" && ok "an edited copy is not overwritten (same bytes on disk)" \
	|| fail "$C was overwritten by a new copy"
grep -q "warning: $C was changed by hand since onefish wrote it: kept" "$t/err" \
	&& ok "a warning names the edited copy" || fail "no warning naming $C: $(cat "$t/err")"
jq -e --arg c "$C" '[.scenes[] | select(.image == $c)] | length > 0' "$S/script.json" >/dev/null \
	&& ok "the scene shows the edited copy" || fail "no scene uses $C any more"
jq -e --arg c "$C" '.generated.images | has($c) | not' "$S/script.json" >/dev/null \
	&& ok "script.json does not record the edited copy as its own" || fail "the edited copy was recorded as written"
script "$S" 2>/dev/null || fail "script, third run"
cmp -s "$S/$C" "$t/cropped.jpg" && ok "a third run keeps it too" || fail "third run overwrote $C"

# ---- deleted by hand: the scene still uses the photo, so it comes back ----
rm -f "$S/$C"
script "$S" || fail "script, after the delete: $(tail -3 "$t/err")"
cmp -s "$S/$C" "$t/orig.jpg" && ok "a copy deleted by hand is written again when a scene uses it" \
	|| fail "$C not restored ($(ls "$S/images" | tr '\n' ' '))"
jq -e --arg c "$C" --arg s "$(sha "$S/$C")" '.generated.images[$c] == $s' "$S/script.json" >/dev/null \
	&& ok "and recorded again" || fail "the restored copy is not recorded"

# ---- a file onefish has no record of: kept ----
S2="$t/script2"
mkdir -p "$S2/images"
printf 'not onefish' >"$S2/$C"
script "$S2" || fail "script into a folder holding a file of the copy's name: $(tail -3 "$t/err")"
[ "$(cat "$S2/$C")" = 'not onefish' ] && grep -q "warning: $C is not a copy onefish recorded writing" "$t/err" \
	&& ok "a file of the copy's name onefish never wrote is kept, with a warning" || fail "foreign $C: $(cat "$t/err")"

# ---- a copy replaced by a symlink to a file outside ----
mkdir -p "$t/outside"
printf 'outside file\n' >"$t/outside/victim.jpg"
rm -f "$S/$C"
ln -s "$t/outside/victim.jpg" "$S/$C"
script "$S" || fail "script, copy is a link: $(tail -3 "$t/err")"
[ -L "$S/$C" ] && [ "$(cat "$t/outside/victim.jpg")" = 'outside file' ] \
	&& ok "a copy replaced by a symlink: the link stays, the file outside keeps its bytes" \
	|| fail "the link or the file outside changed"
grep -q "warning: $C is a symbolic link" "$t/err" && ok "a warning names the link" || fail "no warning for the link: $(cat "$t/err")"
rm -f "$S/$C"

# ---- images/ a symlink to a shared folder: nothing written through it ----
S3="$t/script3"
mkdir -p "$S3" "$t/shared"
printf 'shared\n' >"$t/shared/$(basename $C)"
ln -s "$t/shared" "$S3/images"
if script "$S3"; then fail "script wrote through a symlinked images/"; else
	[ $? -eq 1 ] && grep -q "images: is a symbolic link" "$t/err" \
		&& ok "a symlinked images/ fails the run (exit 1), naming it" || fail "linked images/: $(cat "$t/err")"
fi
[ "$(ls "$t/shared")" = "$(basename $C)" ] && [ "$(cat "$t/shared/$(basename $C)")" = shared ] \
	&& ok "nothing written into the linked folder" || fail "the shared folder holds $(ls "$t/shared" | tr '\n' ' ')"

# ---- records naming .., an absolute path or a linked file remove nothing ----
printf 'victim\n' >"$t/victim.txt"
ln -s "$t/outside" "$S/lnk"
# (the record is not part of the storyboard's hash: script.json still counts as unedited)
python3 - "$S/script.json" "$(sha "$t/victim.txt")" "$(sha "$t/outside/victim.jpg")" "$t/victim.txt" <<'PY'
import json, sys
p, a, b, absp = sys.argv[1:]
sb = json.load(open(p, encoding="utf-8"))
sb["generated"]["images"].update({"images/../../victim.txt": a, absp: a, "lnk/victim.jpg": b, "images/lnk.jpg": b})
json.dump(sb, open(p, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
PY
ln -s "$t/outside/victim.jpg" "$S/images/lnk.jpg"
script "$S" || fail "script with a planted record: $(tail -3 "$t/err")"
[ -f "$t/victim.txt" ] && [ -f "$t/outside/victim.jpg" ] && [ -L "$S/images/lnk.jpg" ] \
	&& ok "recorded names with .., an absolute path or a link remove nothing" || fail "a file outside was removed"

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
