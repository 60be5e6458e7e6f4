#!/bin/sh
# article_edited_images.sh — `onefish article -o DIR` run again into its folder: an image copy an
# editor changed (cropped images/p01-1.jpg) is never written over (same bytes on disk, a warning
# naming it), nor a file it has no record of, nor a symlink put in a copy's place; a copy deleted by
# hand comes back while the article shows it; a copy the article no longer shows is removed when
# unedited (and comes back when the photo does), kept when edited; never through a symlinked
# images/ (exit 1, naming it); a record in article.trace.json naming "..", an absolute path,
# article.md or a linked file removes nothing.
set -u
ROOT=${ONEFISH_ROOT:-.}
. "$ROOT/tests/e2e/lib/mini_pack.sh"
: "${ONEFISH:?}"
sha() { sha256sum "$1" | cut -d' ' -f1; }
A="$t/article" CFG="$t/pack/onefish.yaml" POSTS="$t/pack/posts.jsonl"
article() { "$ONEFISH" article "$POSTS" -o "$1" --config "$CFG" 2>"$t/err"; }
article "$A" || { fail "article, first run: $(tail -3 "$t/err")"; exit 1; }
P1=images/p01-1.jpg P3=images/p03-1.jpg
[ -f "$A/$P1" ] && [ -f "$A/$P3" ] || { fail "first run: images/ holds $(ls "$A/images" | tr '\n' ' ')"; exit 1; }
jq -e --arg a "$P1" --arg s "$(sha "$A/$P1")" '.images_sha256[$a] == $s' "$A/article.trace.json" >/dev/null \
	&& ok "article.trace.json records the sha256 of each copy written" || fail "no images_sha256 record"

# ---- the editor crops a copy; the article is made again ----
printf 'cropped by the editor' >>"$A/$P1"
cp "$A/$P1" "$t/cropped.jpg"
article "$A" || fail "article, rerun: $(tail -3 "$t/err")"
cmp -s "$A/$P1" "$t/cropped.jpg" && ok "an edited copy is not overwritten (same bytes on disk)" \
	|| fail "$P1 was overwritten by a new copy"
grep -q "warning: $P1 was changed by hand since onefish wrote it: kept" "$t/err" \
	&& ok "a warning names the edited copy" || fail "no warning naming $P1: $(cat "$t/err")"
grep -q "($P1)" "$A/article.md" && ok "article.md still shows it" || fail "article.md lost $P1"
jq -e --arg a "$P1" '.images_sha256 | has($a) | not' "$A/article.trace.json" >/dev/null \
	&& ok "the edited copy is not recorded as written" || fail "the edited copy was recorded as onefish's"
article "$A" 2>/dev/null || fail "article, third run"
cmp -s "$A/$P1" "$t/cropped.jpg" && ok "a third run keeps it too" || fail "third run overwrote $P1"

# ---- deleted by hand: the article still shows it, so it comes back ----
cp "$A/$P3" "$t/p3.jpg"
rm -f "$A/$P3"
article "$A" || fail "article, after the delete: $(tail -3 "$t/err")"
cmp -s "$A/$P3" "$t/p3.jpg" && ok "a copy deleted by hand is written again while the article shows it" \
	|| fail "$P3 not restored ($(ls "$A/images" | tr '\n' ' '))"

# ---- photos leave the posts: the unedited copy is removed, the edited one stays ----
cp "$POSTS" "$t/posts.orig.jsonl"
jq -c 'if .id == "p01" or .id == "p03" then del(.images) else . end' "$t/posts.orig.jsonl" >"$POSTS"
article "$A" || fail "article without the photos: $(tail -3 "$t/err")"
[ ! -e "$A/$P3" ] && grep -q "$P3 is no longer used (not edited): removed" "$t/err" \
	&& ok "a copy the article no longer shows is removed (unedited), and said" \
	|| fail "stale $P3: $(ls "$A/images" | tr '\n' ' '): $(cat "$t/err")"
cmp -s "$A/$P1" "$t/cropped.jpg" && ok "an edited copy the article no longer shows stays" || fail "the edited $P1 was removed"
grep -q "$P3" "$A/article.md" && fail "article.md still shows $P3"
# ---- and come back: the copy is made again (nothing edited in the way) ----
cp "$t/posts.orig.jsonl" "$POSTS"
article "$A" || fail "article with the photos back: $(tail -3 "$t/err")"
cmp -s "$A/$P3" "$t/p3.jpg" && grep -q "($P3)" "$A/article.md" \
	&& ok "a photo that comes back into the article gets its copy again" || fail "$P3 not restored"
cmp -s "$A/$P1" "$t/cropped.jpg" && ok "the edited copy still stays" || fail "the edited $P1 was overwritten"

# ---- a file onefish has no record of: kept ----
A2="$t/article2"
mkdir -p "$A2/images"
printf 'not onefish' >"$A2/$P1"
article "$A2" || fail "article into a folder holding a file of the copy's name: $(tail -3 "$t/err")"
[ "$(cat "$A2/$P1")" = 'not onefish' ] && grep -q "warning: $P1 is not a copy onefish recorded writing" "$t/err" \
	&& ok "a file of the copy's name onefish never wrote is kept, with a warning" || fail "foreign $P1: $(cat "$t/err")"

# ---- a copy replaced by a symlink to a file outside ----
mkdir -p "$t/outside"
printf 'outside file\n' >"$t/outside/victim.jpg"
rm -f "$A/$P3"
ln -s "$t/outside/victim.jpg" "$A/$P3"
article "$A" || fail "article, copy is a link: $(tail -3 "$t/err")"
[ -L "$A/$P3" ] && [ "$(cat "$t/outside/victim.jpg")" = 'outside file' ] \
	&& ok "a copy replaced by a symlink: the link stays, the file outside keeps its bytes" \
	|| fail "the link or the file outside changed"
grep -q "warning: $P3 is a symbolic link" "$t/err" && ok "a warning names the link" || fail "no warning for the link"
# the photo leaves the article: the link is not removed (not a file of the folder's own)
jq -c 'if .id == "p03" then del(.images) else . end' "$t/posts.orig.jsonl" >"$POSTS"
article "$A" 2>/dev/null || fail "article, link stale"
[ -L "$A/$P3" ] && [ -f "$t/outside/victim.jpg" ] && ok "a stale link is not removed, nor what it points to" \
	|| fail "the stale link or its target was removed"
cp "$t/posts.orig.jsonl" "$POSTS"
rm -f "$A/$P3"

# ---- images/ a symlink to a shared folder: nothing written through it ----
A3="$t/article3"
mkdir -p "$A3" "$t/shared"
printf 'shared\n' >"$t/shared/p01-1.jpg"
ln -s "$t/shared" "$A3/images"
if article "$A3"; then fail "article wrote through a symlinked images/"; else
	rc=$?
	[ $rc -eq 1 ] && grep -q "images: is a symbolic link" "$t/err" \
		&& ok "a symlinked images/ fails the run (exit 1), naming it" || fail "linked images/ (exit $rc): $(cat "$t/err")"
fi
[ "$(ls "$t/shared")" = p01-1.jpg ] && [ "$(cat "$t/shared/p01-1.jpg")" = shared ] \
	&& ok "nothing written into the linked folder" || fail "the shared folder holds $(ls "$t/shared" | tr '\n' ' ')"

# ---- records naming .., an absolute path, article.md or a link remove nothing ----
article "$A" 2>/dev/null || fail "article before the planted record"
printf 'victim\n' >"$t/victim.txt"
ln -s "$t/outside" "$A/lnk"
ln -s "$t/outside/victim.jpg" "$A/images/lnk.jpg"
jq --arg a "$(sha "$t/victim.txt")" --arg b "$(sha "$t/outside/victim.jpg")" --arg m "$(sha "$A/article.md")" \
	--arg abs "$t/victim.txt" \
	'.images_sha256 += {"images/../../victim.txt":$a, "../victim.txt":$a, ($abs):$a, "article.md":$m,
	                    "lnk/victim.jpg":$b, "images/lnk.jpg":$b}' "$A/article.trace.json" >"$t/tr.json" \
	&& cp "$t/tr.json" "$A/article.trace.json"
article "$A" || fail "article with a planted record: $(tail -3 "$t/err")"
[ -f "$t/victim.txt" ] && [ -f "$t/outside/victim.jpg" ] && [ -L "$A/images/lnk.jpg" ] && [ -f "$A/article.md" ] \
	&& ok "recorded names with .., an absolute path, article.md or a link remove nothing" || fail "a file was removed"

# ---- a photo whose name holds "..": a plain name inside images/, kept and removed by the same rule ----
A4="$t/article4" D=images/a..b.jpg
cp "$t/pack/images/p03-1.jpg" "$t/pack/$D"
jq -c --arg d "$D" 'if .id == "p03" then .images = [$d] else . end' "$t/posts.orig.jsonl" >"$POSTS"
article "$A4" || fail "article with $D: $(tail -3 "$t/err")"
cmp -s "$A4/$D" "$t/pack/$D" && jq -e --arg d "$D" '.images_sha256 | has($d)' "$A4/article.trace.json" >/dev/null \
	&& ok "$D is copied inside images/ and recorded" || fail "$D: $(ls -a "$A4/images" | tr '\n' ' ')"
printf 'edited' >>"$A4/$D"
cp "$A4/$D" "$t/d.jpg"
article "$A4" 2>/dev/null || fail "article, $D edited"
jq -c 'if .id == "p03" then del(.images) else . end' "$t/posts.orig.jsonl" >"$POSTS"
article "$A4" 2>/dev/null || fail "article, $D no longer shown"
cmp -s "$A4/$D" "$t/d.jpg" && ok "edited $D: not written over, not removed" || fail "edited $D changed or removed"
cp "$t/pack/$D" "$A4/$D" # the editor undoes the edit: as onefish wrote it, but no longer recorded as its own
jq -c --arg d "$D" 'if .id == "p03" then .images = [$d] else . end' "$t/posts.orig.jsonl" >"$POSTS"
article "$A4" 2>/dev/null || fail "article, $D shown again"
jq -c 'if .id == "p03" then del(.images) else . end' "$t/posts.orig.jsonl" >"$POSTS"
article "$A4" || fail "article, $D dropped again"
[ ! -e "$A4/$D" ] && [ -f "$t/pack/$D" ] \
	&& ok "unedited again, $D is recorded again and removed when no longer shown (the pack's photo stays)" \
	|| fail "$D: $(ls -a "$A4/images" | tr '\n' ' ')"
cp "$t/posts.orig.jsonl" "$POSTS"

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
