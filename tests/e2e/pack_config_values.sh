#!/bin/sh
# Config values are validated where onefish.yaml is read: `check`, `run` and the stage
# commands refuse an ISO week that does not exist and a date that is not on the calendar
# with the same `onefish.yaml:LINE:COL:` message and exit 3 (bad input), and write nothing;
# likewise an article.image_base_url that is not a plain http(s) URL.
set -u
fails=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ROOT=${ONEFISH_ROOT:-.}
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# case NAME SED-EXPRESSION EXPECTED-MESSAGE
case_bad() {
	name=$1 expr=$2 want=$3
	rm -rf "$t/pack" "$t/out"
	cp -R "$ROOT/examples/week-2026-47" "$t/pack"
	sed -i "$expr" "$t/pack/onefish.yaml"
	cmp -s "$ROOT/examples/week-2026-47/onefish.yaml" "$t/pack/onefish.yaml" && { fail "$name: sed did nothing"; return; }
	"$ONEFISH" check "$t/pack" >"$t/check.out" 2>"$t/check.err"; rc=$?
	[ $rc -eq 3 ] && ok "$name: check exits 3" || fail "$name: check exit $rc, want 3: $(cat "$t/check.err" "$t/check.out")"
	grep -qF "$want" "$t/check.err" && ok "$name: check says '$want'" || fail "$name: check message: $(cat "$t/check.err")"
	"$ONEFISH" run "$t/pack" -o "$t/out" >"$t/run.out" 2>"$t/run.err"; rc=$?
	[ $rc -eq 3 ] && ok "$name: run exits 3" || fail "$name: run exit $rc, want 3: $(cat "$t/run.err")"
	grep -qF "$want" "$t/run.err" && ok "$name: run says the same" || fail "$name: run message: $(cat "$t/run.err")"
	[ -z "$(find "$t/out" -type f 2>/dev/null)" ] && ok "$name: run wrote nothing" || fail "$name: run wrote $(find "$t/out" -type f | head -3)"
	"$ONEFISH" article "$t/pack/posts.jsonl" --config "$t/pack/onefish.yaml" -o "$t/art" >/dev/null 2>"$t/art.err"; rc=$?
	[ $rc -eq 3 ] && grep -qF "$want" "$t/art.err" && ok "$name: article command too" \
		|| fail "$name: article exit $rc: $(cat "$t/art.err")"
}

case_bad "week 57" 's/^week: 2026-W47/week: 2026-W57/' \
	"onefish.yaml:3:1: 'week' is '2026-W57', but 2026 has ISO weeks 1..53"
case_bad "week 53 of a 52-week year" 's/^week: 2026-W47/week: 2025-W53/' \
	"onefish.yaml:3:1: 'week' is '2025-W53', but 2025 has ISO weeks 1..52"
# the line the example's live.time is on, so the test follows the example
tl=$(grep -n '^  time: ' "$ROOT/examples/week-2026-47/onefish.yaml" | cut -d: -f1)
case_bad "November 31" 's/time: 2026-11-26T20/time: 2026-11-31T20/' \
	"onefish.yaml:$tl:3: 'live.time' is '2026-11-31T20:00:00+08:00', but 2026-11 has no day 31 (it has 30 days)"
case_bad "hour 25" 's/time: 2026-11-26T20/time: 2026-11-26T25/' \
	"onefish.yaml:$tl:3: 'live.time' must be a real date or date-time in ISO 8601"
al=$(( $(grep -n '^article:' "$ROOT/examples/week-2026-47/onefish.yaml" | cut -d: -f1) + 1 ))
case_bad "image base URL not http(s)" 's|^article:.*|&\n  image_base_url: javascript:alert(1)|' \
	"onefish.yaml:$al:3: 'article.image_base_url' must be an http(s) URL"
case_bad "image base URL with a quote" 's|^article:.*|&\n  image_base_url: "https://cdn.example.com/a\\"b"|' \
	"onefish.yaml:$al:3: 'article.image_base_url' must be an http(s) URL"
case_bad "since February 30" 's/^week: 2026-W47/since: 2026-02-30/' \
	"onefish.yaml:3:1: 'since' is '2026-02-30', but 2026-02 has no day 30"

# The example itself (week 53 of 2026 exists too) still passes.
cp -R "$ROOT/examples/week-2026-47" "$t/good"
sed -i 's/^week: 2026-W47/week: 2026-W53/' "$t/good/onefish.yaml"
# the value is accepted (2026 has 53 ISO weeks); check then only says the week holds none of the posts
"$ONEFISH" check "$t/good" >/dev/null 2>"$t/good.err"
! grep -q "onefish.yaml" "$t/good.err" && grep -q "in the time window (week: 2026-W53)" "$t/good.err" \
	&& ok "2026-W53 passes config validation" || fail "2026-W53 refused: $(cat "$t/good.err")"

# A good image base URL: the article command writes WeChat HTML that links the uploaded images.
cp -R "$ROOT/examples/week-2026-47" "$t/cdn"
sed -i 's|^article:.*|&\n  image_base_url: https://cdn.example.com/w47/|' "$t/cdn/onefish.yaml"
if "$ONEFISH" article "$t/cdn/posts.jsonl" --config "$t/cdn/onefish.yaml" -o "$t/cdn-out" >/dev/null 2>"$t/cdn.err"; then
	n_abs=$(grep -o '<img src="https://cdn.example.com/w47/images/[^"]*"' "$t/cdn-out/article.wechat.html" | wc -l)
	n_md=$(grep -c '^!\[' "$t/cdn-out/article.md")
	[ "$n_abs" -ge 1 ] && [ "$n_abs" -eq "$n_md" ] && ok "image_base_url: $n_abs images linked on the CDN" \
		|| fail "image_base_url: $n_abs CDN images in the WeChat HTML, $n_md in article.md"
else
	fail "image_base_url: article failed: $(cat "$t/cdn.err")"
fi

# what the video stage would stop on, check names first with its onefish.yaml line
cp -R "$ROOT/examples/week-2026-48-mini" "$t/font" && sed -i 's/^video:/video:\n  font: NoSuchFontXYZ/' "$t/font/onefish.yaml"
"$ONEFISH" check "$t/font" >/dev/null 2>"$t/font.err"; rc=$?
[ $rc -eq 3 ] && grep -q "onefish.yaml:[0-9]*: error: video.font: caption font 'NoSuchFontXYZ' not found" "$t/font.err" \
	&& ok "check: a caption font fontconfig lacks, with its line" || fail "video.font check: exit $rc $(cat "$t/font.err")"
cp -R "$ROOT/examples/week-2026-48-mini" "$t/music" && sed -i 's/^video:/video:\n  music: images/' "$t/music/onefish.yaml"
"$ONEFISH" check "$t/music" >/dev/null 2>"$t/music.err"; rc=$?
[ $rc -eq 3 ] && grep -q "onefish.yaml:[0-9]*: video.music: 'images' is not a music file" "$t/music.err" \
	&& ok "check: video.music naming a folder, with its line" || fail "video.music folder: exit $rc $(cat "$t/music.err")"

# `comments:` naming a folder reads every log in it, in check and in run alike
cp -R "$ROOT/examples/week-2026-48-mini" "$t/cdir"
sed -i 's|  - comments/live-2026-11-26.xml|  - comments|' "$t/cdir/onefish.yaml"
"$ONEFISH" check "$t/cdir" 2>&1 | grep -q '1 comment log' && ok "comments: a folder → its logs (check)" || fail "check with comments: folder"
"$ONEFISH" run "$t/cdir" -o "$t/cdir-out" --quiet >/dev/null 2>&1 \
	&& jq -e '.inputs | length == 1 and (.[0].path | endswith("comments/live-2026-11-26.xml"))' "$t/cdir-out/week-2026-48-mini/prompts.json" >/dev/null \
	&& ok "comments: a folder → its logs (run)" || fail "run with comments: folder"

# a log listed twice (by name and through its folder) is read once, with a warning: not double counts
cp -R "$ROOT/examples/week-2026-48-mini" "$t/twice"
sed -i 's|  - comments/live-2026-11-26.xml|  - comments/live-2026-11-26.xml\n  - comments\n  - ./comments/live-2026-11-26.xml|' "$t/twice/onefish.yaml"
"$ONEFISH" check "$t/twice" >"$t/twice.out" 2>"$t/twice.err"; rc=$?
[ $rc -eq 0 ] && grep -q '1 comment log' "$t/twice.out" "$t/twice.err" && [ "$(grep -c 'listed twice' "$t/twice.err")" -eq 2 ] \
	&& grep -q '1 comment log; 2 warnings (run goes on)' "$t/twice.out" "$t/twice.err" \
	&& ok "a log listed twice is read once, with a warning each time" || fail "listed twice: exit $rc $(cat "$t/twice.out" "$t/twice.err")"
# check names a picture run would leave out for its bytes (an iPhone HEIC), as it does a missing one
cp -R "$ROOT/examples/week-2026-48-mini" "$t/heic" && printf '\0\0\0\030ftypheic\0\0\0\0mif1heic' >"$t/heic/images/p03-1.jpg"
"$ONEFISH" check "$t/heic" >/dev/null 2>"$t/heic.err"; rc=$?
[ $rc -eq 0 ] && grep -q "posts.jsonl:[0-9]*: warning: post '[^']*': image 'images/p03-1.jpg' is not a JPEG, PNG, GIF or WebP image" "$t/heic.err" \
	&& ok "check: a HEIC named .jpg, with its post's line (a warning: run leaves it out)" || fail "HEIC check: exit $rc $(cat "$t/heic.err")"
"$ONEFISH" check --strict "$t/heic" >/dev/null 2>"$t/heic.err"; rc=$?
[ $rc -eq 3 ] && grep -q "posts.jsonl:[0-9]*: error: post '[^']*': image 'images/p03-1.jpg' is not a JPEG" "$t/heic.err" \
	&& ok "check --strict: a HEIC named .jpg fails, as run --strict" || fail "HEIC check --strict: exit $rc $(cat "$t/heic.err")"

# a photo a post names outside images/ (photos/p03-1.jpg) is in the article's key: replacing it reruns
cp -R "$ROOT/examples/week-2026-48-mini" "$t/ph" && mkdir "$t/ph/photos" && mv "$t/ph/images/p03-1.jpg" "$t/ph/photos/"
sed -i 's#images/p03-1.jpg#photos/p03-1.jpg#' "$t/ph/posts.jsonl"
"$ONEFISH" run "$t/ph" -o "$t/ph-out" --quiet >/dev/null 2>&1 || fail "run with photos/"
cp "$ROOT/examples/week-2026-47/images/p08-1.jpg" "$t/ph/photos/p03-1.jpg"
"$ONEFISH" run "$t/ph" -o "$t/ph-out" --dry-run >"$t/ph.out" 2>&1
grep -q 'article: would run: inputs changed: photos/p03-1.jpg' "$t/ph.out" \
	&& ok "a photo outside images/ is in the article's cache key" || fail "photo outside images/: $(cat "$t/ph.out")"
# every config error is named, each at its line, then one error and exit 3 (check, run, a stage command)
cp -R "$ROOT/examples/week-2026-48-mini" "$t/errs"
sed -i 's/^week: .*/week: 2026-W54/; s/^video:$/video:\n  widht: 1080/' "$t/errs/onefish.yaml"
grep -q 'widht' "$t/errs/onefish.yaml" && grep -q 'W54' "$t/errs/onefish.yaml" || fail "could not write the two errors"
wl=$(grep -n '^week:' "$t/errs/onefish.yaml" | cut -d: -f1); vl=$(grep -n 'widht' "$t/errs/onefish.yaml" | cut -d: -f1)
for cmd in check run; do
	if [ $cmd = run ]; then set -- -o "$t/errs-out"; else set --; fi
	"$ONEFISH" $cmd "$t/errs" "$@" >/dev/null 2>"$t/errs.err"; rc=$?
	[ $rc -eq 3 ] && grep -q "onefish.yaml:$wl:1: error: 'week' is '2026-W54', but 2026 has ISO weeks 1..53" "$t/errs.err" &&
		grep -q "onefish.yaml:$vl:3: error: unknown key 'video.widht'" "$t/errs.err" &&
		grep -q "onefish.yaml: 2 errors in the config (each is named above)" "$t/errs.err" &&
		[ "$(grep -c "ISO weeks" "$t/errs.err")" -eq 1 ] &&
		ok "$cmd: every config error, each once at its line" || fail "$cmd: all config errors: exit $rc $(cat "$t/errs.err")"
done
"$ONEFISH" article "$t/errs/posts.jsonl" -o "$t/errs-art" >/dev/null 2>"$t/errs.err"; rc=$?
[ $rc -eq 3 ] && grep -q "onefish.yaml:$vl:3: error: unknown key 'video.widht'" "$t/errs.err" &&
	ok "article: every config error" || fail "article: all config errors: exit $rc $(cat "$t/errs.err")"
[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
