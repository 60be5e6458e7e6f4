#!/bin/sh
# article_unusable.sh — a posts file with nothing to write about: the per-record
# warnings come out in line order (the reader's, the selection's and the image
# checks' together), and the error counts the posts read, in good English.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "article_unusable: FAIL: $*"; exit 1; }

# text "hi" (no Han), a post with no text (its image missing), a record with neither id nor text
cat >"$T/weird.jsonl" <<'EOF'
{"id":"a","time":"2026-11-18T10:00:00+08:00","text":"hi"}
{"id":"b","time":"2026-11-18T10:00:00+08:00","images":["x.jpg"]}
{"foo":1}
EOF
"$ONEFISH" article "$T/weird.jsonl" -o "$T/out" 2>"$T/err" >/dev/null; rc=$?
[ $rc -eq 3 ] || fail "exit $rc, want 3: $(cat "$T/err")"
lines=$(grep -o 'weird\.jsonl:[0-9]*: warning' "$T/err" | cut -d: -f2 | tr '\n' ' ')
[ "$lines" = "1 2 3 " ] || fail "warnings not in line order ($lines): $(cat "$T/err")"
grep -q "error: $T/weird.jsonl: no post has usable text: the 2 posts read are empty, emoji-only or images only, or were left out above (1 bad record skipped)$" "$T/err" ||
	fail "wrong message: $(cat "$T/err")"
grep -q "it empty\|1 post," "$T/err" && fail "broken grammar: $(cat "$T/err")"
grep -q "3 records read, 0 used, 1 bad (skipped), 2 warnings" "$T/err" || fail "summary: $(cat "$T/err")"

# one post, images only: singular
printf '%s\n' '{"id":"a","images":["x.jpg"]}' >"$T/one.jsonl"
"$ONEFISH" article "$T/one.jsonl" -o "$T/one" 2>"$T/err" >/dev/null; rc=$?
[ $rc -eq 3 ] && grep -q "no post has usable text: the only post read is empty, emoji-only or images only$" "$T/err" ||
	fail "one post: exit $rc: $(cat "$T/err")"

# no post with text or images: each named, then the error
printf '%s\n' '{"id":"a","text":"hi"}' '{"id":"b","text":""}' '{"id":"c"}' >"$T/none.jsonl"
"$ONEFISH" article "$T/none.jsonl" -o "$T/none" 2>"$T/err" >/dev/null; rc=$?
lines=$(grep -o 'none\.jsonl:[0-9]*: warning' "$T/err" | cut -d: -f2 | tr '\n' ' ')
[ $rc -eq 3 ] && [ "$lines" = "1 2 3 " ] &&
	grep -q "no usable post: none of the 2 posts read has text or images (each is named above; 1 bad record skipped)$" "$T/err" ||
	fail "none: exit $rc, lines $lines: $(cat "$T/err")"
echo "article_unusable: ok"
