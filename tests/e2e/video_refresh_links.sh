#!/bin/sh
# video_refresh_links.sh — `onefish video` refreshes the script folder's derived files in a scratch
# folder .onefish/refresh-PID and removes stale ones. A script folder comes from archives and shares:
# a `refresh-N` that is a symlink, or a `.onefish` that is one, must never make that cleanup reach
# the folder it points at (the QA pass saw a linked folder emptied). The renders are main renders (the
# storyboard's own frame, at 6 fps): a --preview leaves the script folder alone (docs/video.md).
set -u
: "${ONEFISH:?}" "${ONEFISH_ROOT:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
W="$ONEFISH_ROOT/examples/week-2026-48-mini"
printf 'video:\n  preset: vertical\n  fps: 6\n  x264_preset: ultrafast\nvoice:\n  engine: none\n' >"$T/v.yaml"
"$ONEFISH" article "$W/posts.jsonl" -o "$T/a" --config "$W/onefish.yaml" --quiet 2>"$T/err" || { cat "$T/err"; exit 1; }
"$ONEFISH" script "$T/a/article.md" -o "$T/s" --config "$W/onefish.yaml" --duration 8 --quiet 2>"$T/err" || { cat "$T/err"; exit 1; }

# a stale-looking scratch entry that is a link to someone's folder
mkdir -p "$T/s/.onefish" "$T/victim"
printf 'keep\n' >"$T/victim/important.doc"
ln -s "$T/victim" "$T/s/.onefish/refresh-999999999"
"$ONEFISH" video "$T/s/script.json" -o "$T/v1" --config "$T/v.yaml" --quiet 2>"$T/err" || fail "video: exit $?: $(cat "$T/err")"
[ -f "$T/victim/important.doc" ] && ok "a linked refresh-N loses the link, not the files it points at" \
	|| fail "the folder a refresh-N link points at was emptied"
[ -e "$T/s/.onefish/refresh-999999999" ] && fail "the stale link stays" || ok "the stale link is removed"

# .onefish itself a link: no scratch work or cleanup there, and the render still succeeds
rm -rf "$T/s/.onefish"
mkdir -p "$T/elsewhere"
printf 'keep\n' >"$T/elsewhere/x.txt"
ln -s "$T/elsewhere" "$T/s/.onefish"
ln -s "$T/victim" "$T/elsewhere/refresh-999999999"
"$ONEFISH" video "$T/s/script.json" -o "$T/v2" --config "$T/v.yaml" 2>"$T/err2" >/dev/null || fail "video (linked .onefish): exit $?"
[ -f "$T/victim/important.doc" ] && [ -f "$T/elsewhere/x.txt" ] && [ -L "$T/elsewhere/refresh-999999999" ] \
	&& ok "a linked .onefish is not used" || fail "a linked .onefish was used: $(ls "$T/elsewhere")"
grep -q "not a folder (a link?)" "$T/err2" && ok "and the run says why" || fail "no warning: $(cat "$T/err2")"
[ -s "$T/v2/video.mp4" ] && ok "the video is still rendered" || fail "no video"
[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
