#!/bin/sh
# script_rerun_images.sh — a rerun of the script stage whose scenes show other photos (a photo
# inserted before them: the closing scene showed images/v-p01-1.jpg, the first photo, now p03-1's
# copy images/v-p03-1.jpg) removes the copies it wrote earlier and no longer uses, when nobody changed them: `onefish script` by the
# sha256 its script.json recorded, `onefish run` by manifest.json. A copy an editor changed and a
# file the stage never wrote stay.
set -u
ROOT=${ONEFISH_ROOT:-.}
. "$ROOT/tests/e2e/lib/mini_pack.sh"
: "${ONEFISH:?}"
insert_photo() { # article.md: p03-1's photo before the first paragraph
	sed -i '0,/^新的一周/s//![](images\/p03-1.jpg)\n\n新的一周/' "$1"
	grep -q '^!\[\](images/p03-1.jpg)$' "$1" || fail "could not insert the photo into $1"
}

# ---- onefish script ----
A="$t/article" S="$t/script"
"$ONEFISH" article "$t/pack/posts.jsonl" -o "$A" --config "$t/pack/onefish.yaml" --quiet 2>/dev/null || fail "article"
cp "$A/article.md" "$t/article.orig.md"
"$ONEFISH" script "$A/article.md" -o "$S" --config "$t/pack/onefish.yaml" --quiet 2>/dev/null || fail "script, first run"
[ -f "$S/images/v-p01-1.jpg" ] || fail "first run: no images/v-p01-1.jpg ($(ls "$S/images" | tr '\n' ' '))"
printf 'the editor put this here\n' >"$S/images/mine.jpg"
insert_photo "$A/article.md"
"$ONEFISH" script "$A/article.md" -o "$S" --config "$t/pack/onefish.yaml" --quiet 2>/dev/null || fail "script, rerun"
[ -f "$S/images/v-p03-1.jpg" ] && [ ! -e "$S/images/v-p01-1.jpg" ] \
	&& ok "onefish script: the earlier copy v-p01-1.jpg no longer used is removed" \
	|| fail "onefish script: images/ holds $(ls "$S/images" | tr '\n' ' ')"
[ "$(cat "$S/images/mine.jpg")" = 'the editor put this here' ] && ok "onefish script: a file it never wrote stays" \
	|| fail "onefish script: images/mine.jpg touched"
used=$(jq -r '[.scenes[].image] | unique | .[]' "$S/script.json" | sort | tr '\n' ' ')
copies=$(cd "$S" && ls images/* | grep -v mine.jpg | sort | tr '\n' ' ')
[ "$used" = "$copies" ] && ok "onefish script: images/ holds what the scenes use ($used)" || fail "scenes use '$used', images/ has '$copies'"
# an edited copy stays: the editor retouched v-p03-1.jpg, then the photo leaves the article again
printf 'retouched' >>"$S/images/v-p03-1.jpg"
cp "$t/article.orig.md" "$A/article.md"
"$ONEFISH" script "$A/article.md" -o "$S" --config "$t/pack/onefish.yaml" --quiet 2>/dev/null || fail "script, third run"
[ -f "$S/images/v-p01-1.jpg" ] && tail -c 9 "$S/images/v-p03-1.jpg" | grep -q retouched \
	&& ok "onefish script: a copy the editor changed stays" || fail "onefish script: retouched copy: $(ls "$S/images" | tr '\n' ' ')"

# ---- onefish run: the same by manifest.json ----
"$ONEFISH" run "$t/pack" -o "$t/out" --quiet 2>"$t/err1" || { fail "pack run: $(tail -3 "$t/err1")"; exit 1; }
[ -f "$O/images/v-p01-1.jpg" ] || fail "pack: no images/v-p01-1.jpg"
printf 'mine\n' >"$O/images/mine.jpg"
insert_photo "$O/article.md"
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/run2.jsonl" 2>"$t/err2" || fail "pack rerun: $(tail -3 "$t/err2")"
jq -se 'map(select(.event == "stage_start" and .stage == "script")) | length == 1' "$t/run2.jsonl" >/dev/null \
	|| fail "pack: the script did not rerun from the edited article.md"
[ ! -e "$O/images/v-p01-1.jpg" ] && [ -f "$O/images/v-p03-1.jpg" ] \
	&& ok "onefish run: the script's earlier copy v-p01-1.jpg is removed" || fail "onefish run: images/ holds $(ls "$O/images" | tr '\n' ' ')"
jq -se 'map(select(.event == "output_removed" and .stage == "script" and .file == "images/v-p01-1.jpg")) | length == 1' \
	"$t/run2.jsonl" >/dev/null && ok "onefish run: event output_removed names it" || fail "no output_removed event"
jq -e '[.outputs[] | select(.path == "images/v-p01-1.jpg")] | length == 0' "$O/manifest.json" >/dev/null \
	&& ok "onefish run: manifest.json no longer lists it" || fail "manifest still lists images/v-p01-1.jpg"
[ -f "$O/images/p01-1.jpg" ] && [ "$(cat "$O/images/mine.jpg")" = mine ] \
	&& ok "onefish run: the article's photos and a file onefish never wrote stay" || fail "onefish run: removed what is not the script's"

# ---- a manifest naming files outside the pack folder: never removed, whatever their bytes ----
# (manifest.json is a file in the output folder: an edited or planted one, or images/ linked to a
# shared photo folder, must not make the cleanup reach outside)
mkdir -p "$t/outside" "$t/shared"
printf 'victim\n' >"$t/out/victim.txt"
printf 'abs\n' >"$t/outside/abs.txt"
printf 'linked\n' >"$t/shared/v.jpg"
ln -s "$t/shared" "$O/lnk"
sha() { sha256sum "$1" | cut -d' ' -f1; }
jq --arg a "$(sha "$t/out/victim.txt")" --arg b "$(sha "$t/outside/abs.txt")" --arg c "$(sha "$t/shared/v.jpg")" \
	--arg abs "$t/outside/abs.txt" \
	'.outputs += [{"path":"../victim.txt","sha256":$a,"bytes":7,"stage":"script","status":"generated"},{"path":$abs,"sha256":$b,"bytes":4,"stage":"script","status":"generated"},
	              {"path":"lnk/v.jpg","sha256":$c,"bytes":7,"stage":"script","status":"generated"}]' "$O/manifest.json" >"$t/m.json" && cp "$t/m.json" "$O/manifest.json"
cp "$t/article.orig.md" "$O/article.md" # the script reruns
"$ONEFISH" run "$t/pack" -o "$t/out" --quiet 2>"$t/err3" || true
[ -f "$t/out/victim.txt" ] && [ -f "$t/outside/abs.txt" ] && [ -f "$t/shared/v.jpg" ] \
	&& ok "onefish run: manifest names with .., an absolute path or a linked folder are never removed" \
	|| fail "onefish run removed a file outside the pack: $(cat "$t/err3")"

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
