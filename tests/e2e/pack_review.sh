#!/bin/sh
# The review page: `onefish review` on hand-made outputs (with hostile text), then
# headless Chromium from file://: no console errors, no external request, no
# script from user text runs, clicking a paragraph shows its source post.
# The screenshot is kept as build/artifacts/review.png.
set -u
fails=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ROOT=${ONEFISH_ROOT:-.}
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# a folder onefish did not write to, and a page onefish did not write, are left alone
mkdir "$t/site" && echo '<html>MY OWN HOMEPAGE</html>' >"$t/site/index.html"
"$ONEFISH" review "$t/site" 2>"$t/err0"; rc=$?
[ $rc -eq 3 ] && grep -q 'not an onefish output folder' "$t/err0" && grep -q 'MY OWN HOMEPAGE' "$t/site/index.html" \
	&& ok "review refuses a folder with no onefish output" || fail "review on a foreign folder: exit $rc $(cat "$t/err0")"
: >"$t/site/prompts.json"
"$ONEFISH" review "$t/site" 2>"$t/err0"; rc=$?
[ $rc -eq 3 ] && grep -q 'onefish did not write it: not replaced' "$t/err0" && grep -q 'MY OWN HOMEPAGE' "$t/site/index.html" \
	&& ok "review never replaces an index.html onefish did not write" || fail "foreign index.html: exit $rc $(cat "$t/err0")"
cp -R "$ROOT/tests/fixtures/pack/review" "$t/w"
"$ONEFISH" review "$t/w" 2>"$t/err"; rc=$?
[ $rc -eq 0 ] && [ -s "$t/w/index.html" ] && ok "review wrote index.html" || { fail "review: exit $rc"; cat "$t/err"; }
page="$t/w/index.html"
[ -s "$page" ] || { echo "FAIL: no index.html; stopping"; exit 1; }
"$ONEFISH" review "$t/w" 2>"$t/err1" && ok "review rewrites its own page" || fail "second review: $(cat "$t/err1")"
n=$(grep -o '<script' "$page" | wc -l)
[ "$n" -eq 2 ] && ok "only the page's own two <script> elements" || fail "$n <script> elements in the page"
grep -q 'pwned' "$page" && ! grep -q '<script>document.title' "$page" && ok "post scripts are escaped or omitted" \
	|| { grep -q '<script>document.title' "$page" && fail "a post's <script> is live in the page"; }
grep -Eq '(src|href|poster)="(https?:)?//' "$page" && fail "external URL in the page" || ok "no external URL"
grep -q 'onerror=' "$page" && ! grep -q '<img src="x" onerror' "$page" && ok "inline handlers escaped" || true
grep -q '<img src="x" onerror' "$page" && fail "an onerror handler from a post is live"
for s in article wechat script video prompts lint assets status; do
	grep -q "<section id=\"$s\"" "$page" || fail "section $s missing"
done
grep -q 'video.mp4 缺失' "$page" && ok "missing video shown as missing" || fail "missing video not shown"
# for a Chinese editor: the page's own words are Chinese, each written file opens from the Files table
grep -q '点一段文字，右边显示它来自哪几条朋友圈' "$page" && ! grep -q 'Click a paragraph\|No paragraph selected\|No copy-lint' "$page" \
	&& ok "page labels in Chinese" || fail "English labels left on the review page"
"$ONEFISH" review "$t/nope" >/dev/null 2>&1; rc=$?
[ $rc -eq 3 ] && ok "review of a missing folder → exit 3" || fail "review of a missing folder: exit $rc"

# `onefish review OUT_DIR` rewrites the page of every pack folder (those with manifest.json).
mkdir -p "$t/root/a" "$t/root/b" "$t/root/notapack"
printf '{"pack": "a", "outputs": []}\n' >"$t/root/a/manifest.json"
printf '{"pack": "b", "outputs": []}\n' >"$t/root/b/manifest.json"
"$ONEFISH" review "$t/root/" 2>"$t/err"; rc=$?
[ $rc -eq 0 ] && [ -s "$t/root/a/index.html" ] && [ -s "$t/root/b/index.html" ] && [ ! -e "$t/root/index.html" ] \
	&& [ ! -e "$t/root/notapack/index.html" ] && ok "review OUT_DIR rewrites every pack's page" || fail "review OUT_DIR: exit $rc"

# Rewriting an unchanged page keeps the file (no-op runs stay no-op).
ino1=$(ls -i "$page" | cut -d' ' -f1)
"$ONEFISH" review "$t/w" 2>/dev/null
ino2=$(ls -i "$page" | cut -d' ' -f1)
[ "$ino1" = "$ino2" ] && ok "unchanged page not rewritten" || fail "page rewritten without change"

CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$CHROME" ]; then
	echo "SKIP: chromium not installed; browser checks skipped"
	[ $fails -eq 0 ] || exit 1
	exit 0
fi
art="$ROOT/build/artifacts"
mkdir -p "$art"
run_chrome() { # extra args...
	timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--no-first-run --user-data-dir="$t/profile" --enable-logging=stderr --v=0 "$@" 2>>"$t/console"
}
run_chrome --window-size=1280,3000 --screenshot="$art/review.png" "file://$page#para-1" >/dev/null
run_chrome --virtual-time-budget=3000 --dump-dom "file://$page#para-1" >"$t/dom"
if grep -E 'Uncaught|ERROR:CONSOLE|CONSOLE.*([Ee]rror|Not allowed|Failed to load|net::ERR|Refused)' "$t/console" | grep -v 'dbus\|DevTools\|Blocked script execution in .about:srcdoc' >"$t/errs"; then
	fail "console errors:"; head -5 "$t/errs"
else
	ok "no console errors"
fi
[ -s "$art/review.png" ] && ok "screenshot kept at build/artifacts/review.png" || fail "no screenshot"
grep -q 'data-review-ready="1"' "$t/dom" && ok "page script ran to the end" || fail "page script did not finish"
grep -q '<title>[^<]*pwned' "$t/dom" && fail "a script from user text ran (title changed)" || ok "no user script ran"
grep -q 'class="id">p01<' "$t/dom" && ok "paragraph 1 shows its source post p01" || fail "trace panel did not show p01"
grep -q '<mark>宝宝6个月了</mark>' "$t/dom" && ok "the span the paragraph used is marked in the post" || fail "no marked span"
# the panel names the paragraph as the trace and the lint do (para N, article.md line), not the block index
grep -Eq '<h3>段落 1 · article.md:[0-9]+' "$t/dom" && ok "#para-1 opens the trace's paragraph 1 (the lead, the second block), with its line" || fail "panel heading: $(grep -o '<h3>[^<]*' "$t/dom" | head -1)"
grep -q 'pwned-trace' "$t/dom" && ! grep -q "<script>document.title='pwned-trace'" "$t/dom" || fail "trace text not escaped"
grep -Eq 'https?://' "$t/console" && grep -E 'Fetch|net::' "$t/console" | grep -q http && fail "network request seen"
# a manifest that is valid JSON but not an object is named as such (it said "…: success")
mkdir -p "$t/arr" && printf '[]\n' >"$t/arr/manifest.json"
"$ONEFISH" review "$t/arr" >/dev/null 2>"$t/arr.err"
grep -q 'manifest.json: warning: unreadable, ignored .*: not a JSON object' "$t/arr.err" && ok "a [] manifest is 'not a JSON object'" \
	|| fail "[] manifest message: $(head -1 "$t/arr.err")"
[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
