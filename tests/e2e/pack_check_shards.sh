#!/bin/sh
# onefish check (valid pack, missing image, bad config, writes nothing) and
# batch sharding: 4 shards of 13 packs cover every pack exactly once, also via
# JOB_COMPLETION_INDEX/JOB_COMPLETIONS; the pack summary and exit codes.
set -u
fails=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ROOT=${ONEFISH_ROOT:-.}
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# ---- check ----
cp -R "$ROOT/examples/week-2026-48-mini" "$t/mini"
before=$(find "$t/mini" | sort | xargs ls -ld --time-style=+%s 2>/dev/null | md5sum)
"$ONEFISH" check "$t/mini" >"$t/out" 2>"$t/err"; rc=$?
[ $rc -eq 0 ] && ok "check accepts the mini pack" || { fail "check on mini: exit $rc"; cat "$t/err"; }
after=$(find "$t/mini" | sort | xargs ls -ld --time-style=+%s 2>/dev/null | md5sum)
[ "$before" = "$after" ] && ok "check wrote nothing" || fail "check changed the pack folder"

# a missing image: run warns and keeps the post without it (exit 0), so check warns and exits 0;
# under --strict run fails the pack on it, and check calls it an error (exit 3)
rm "$t/mini/images/p03-1.jpg"
"$ONEFISH" check "$t/mini" >"$t/out" 2>"$t/err"; rc=$?
[ $rc -eq 0 ] && ok "missing image → a warning, exit 0, as run goes on" || { fail "missing image: exit $rc"; cat "$t/err"; }
grep -Eq "posts\.jsonl:[0-9]+: warning: post '[^']*': image 'images/p03-1\.jpg' not found; post kept without it" "$t/err" \
	&& grep -q "ok: .*; 1 warning (run goes on)" "$t/err" "$t/out" \
	&& ok "missing image named with posts.jsonl:LINE, worded and leveled as run says it" \
	|| { fail "missing image message"; cat "$t/err" "$t/out"; }
"$ONEFISH" check --strict "$t/mini" >"$t/out" 2>"$t/err"; rc=$?
[ $rc -eq 3 ] && grep -Eq "posts\.jsonl:[0-9]+: error: post '[^']*': image 'images/p03-1\.jpg' not found" "$t/err" \
	&& grep -q "1 error found" "$t/err" && ok "check --strict: the missing image is an error, exit 3, as run --strict fails" \
	|| { fail "check --strict missing image: exit $rc"; cat "$t/err"; }
printf 'strict: true\n' >>"$t/mini/onefish.yaml"
"$ONEFISH" check "$t/mini" >"$t/out" 2>"$t/err"; rc=$?
[ $rc -eq 3 ] && ok "strict: true in the config: check fails the missing image as run would" || { fail "strict: true: exit $rc"; cat "$t/err"; }

# Markdown-folder and CSV posts get the same checks as JSONL: bad records and missing images, with their line.
mkdir -p "$t/mdpack/posts"
cp "$ROOT"/tests/fixtures/posts/md/*.md "$t/mdpack/posts/"
printf 'name: mdpack\nposts: posts\n' >"$t/mdpack/onefish.yaml"
"$ONEFISH" check "$t/mdpack" >"$t/out" 2>"$t/err"; rc=$?
[ $rc -eq 0 ] && grep -Eq 'posts/p0[0-9]\.md:[0-9]+: warning: .*image .*not found' "$t/err" \
	&& ok "Markdown posts: missing image → a warning naming the post file" || { fail "md check: exit $rc"; cat "$t/err"; }
"$ONEFISH" check --strict "$t/mdpack" >"$t/out" 2>"$t/err"; rc=$?
[ $rc -eq 3 ] && grep -Eq 'posts/p0[0-9]\.md:[0-9]+: error: .*image .*not found' "$t/err" \
	&& ok "Markdown posts: missing image under --strict → exit 3" || { fail "md check --strict: exit $rc"; cat "$t/err"; }
# ... and images are looked up as the run looks them up: posts/x.md naming ../images/a.jpg is fine
mkdir -p "$t/mdpack2/posts" "$t/mdpack2/images"
cp "$ROOT/examples/week-2026-47/images/p01-1.jpg" "$t/mdpack2/images/b1.jpg"
printf -- '---\nid: m2\ntime: 2026-11-18 10:00\n---\n周四的直播会现场演示辅食机蒸南瓜泥，营养师也会在。\n\n![](../images/b1.jpg)\n' \
	>"$t/mdpack2/posts/b.md"
printf 'name: mdpack2\nposts: posts\nweek: 2026-W47\n' >"$t/mdpack2/onefish.yaml"
"$ONEFISH" check "$t/mdpack2" >"$t/out" 2>"$t/err"; rc=$?
[ $rc -eq 0 ] && ok "Markdown posts: ../images/ of the pack found, as run finds it" || { fail "md ../images check: exit $rc"; cat "$t/err"; }
# Markdown front matter: a bad time named at its time: line, broken YAML with libyaml's reason and
# place; what is printed is what is counted (QA: "1 problem found" after two lines)
mkdir -p "$t/mdfm/posts"
cp "$ROOT/examples/week-2026-47/images/p01-1.jpg" "$t/mdfm/posts/a.jpg"
printf -- '---\nid: s1\ntime: 2026-11-18 10:00\n---\n敏感肌换季要注意保湿。\n\n![](a.jpg)\n' >"$t/mdfm/posts/s1.md"
printf -- '---\nid: s3\ntime: 2026-11-18 25:00\nauthor: a\n---\n面膜不是敷得越多越好。\n' >"$t/mdfm/posts/s3.md"
printf -- '---\nid: s7\ntime: 2026-11-31T10:00\ntags: [a, b\n---\n正文\n' >"$t/mdfm/posts/s7.md"
printf 'name: mdfm\nposts: posts\n' >"$t/mdfm/onefish.yaml"
"$ONEFISH" check "$t/mdfm" >"$t/out" 2>"$t/err"; rc=$?
[ $rc -eq 0 ] && grep -q "posts/s3\.md:3: warning: post 's3': cannot read time '2026-11-18 25:00'" "$t/err" \
	&& grep -q "posts/s7\.md:5:1: warning: front matter is not valid YAML: did not find expected ',' or ']' (while parsing a flow sequence started at line 4)" "$t/err" \
	&& [ "$(grep -c ': warning: ' "$t/err")" -eq 2 ] && grep -q "ok: .*; 2 warnings (run goes on)" "$t/err" "$t/out" \
	&& ok "Markdown front matter: time at its line, YAML reason, 2 warnings counted" || { fail "md front matter check: exit $rc"; cat "$t/err" "$t/out"; }
"$ONEFISH" check --strict "$t/mdfm" >"$t/out" 2>"$t/err"; rc=$?
[ $rc -eq 3 ] && grep -q "posts/s7\.md:5:1: error: front matter" "$t/err" && grep -q "posts/s3\.md:3: warning: " "$t/err" \
	&& grep -q "onefish check: error: .*mdfm: 1 error, 1 warning found" "$t/err" \
	&& ok "Markdown front matter under --strict: 1 error, 1 warning, as printed" || { fail "md front matter check --strict: exit $rc"; cat "$t/err"; }
mkdir -p "$t/csvpack"
cp "$ROOT/tests/fixtures/posts/week.csv" "$t/csvpack/posts.csv"
printf 'p99,2026-11-20T08:00:00+08:00,x,"unterminated\n' >>"$t/csvpack/posts.csv"
printf 'name: csvpack\nposts: posts.csv\n' >"$t/csvpack/onefish.yaml"
"$ONEFISH" check "$t/csvpack" >"$t/out" 2>"$t/err"; rc=$?
[ $rc -eq 0 ] && grep -Eq 'posts\.csv:[0-9]+: warning: ' "$t/err" && grep -q 'images/p01-1.jpg' "$t/err" \
	&& ! grep -q 'error' "$t/err" \
	&& ok "CSV posts: bad row and missing images reported with posts.csv:LINE, as warnings" || { fail "csv check: exit $rc"; cat "$t/err"; }
# printed in file and line order (the reader's bad rows and check's images interleaved), and counted as printed
grep -o 'posts\.csv:[0-9]*:' "$t/err" | cut -d: -f2 >"$t/lines"
sort -n "$t/lines" | cmp -s - "$t/lines" && [ -s "$t/lines" ] && ok "CSV posts: findings in line order" \
	|| { fail "csv check: not in line order"; cat "$t/err"; }
"$ONEFISH" check --strict "$t/csvpack" >"$t/out" 2>"$t/err"; rc=$?
n=$(grep -c 'posts\.csv:[0-9]*: error: ' "$t/err")
[ $rc -eq 3 ] && [ "$n" -gt 1 ] && grep -q "onefish check: error: .*: $n errors found" "$t/err" \
	&& ok "CSV posts under --strict: every finding an error, counted ($n)" || { fail "csv check --strict: exit $rc"; cat "$t/err"; }

cp -R "$ROOT/examples/week-2026-48-mini" "$t/bad"
printf 'name: bad\nvideo:\n  prest: vertical\n' >"$t/bad/onefish.yaml"
"$ONEFISH" check "$t/bad" >"$t/out" 2>"$t/err"; rc=$?
[ $rc -eq 3 ] && ok "misspelt key → exit 3" || fail "misspelt key: exit $rc"
grep -q 'onefish.yaml:3' "$t/err" && grep -q "preset" "$t/err" && ok "config error names line 3 and suggests preset" \
	|| { fail "config error message"; cat "$t/err"; }

printf 'name: nocomments\ncomments: comments/nope.xml\n' >"$t/bad/onefish.yaml"
"$ONEFISH" check "$t/bad" >"$t/out" 2>"$t/err"; rc=$?
[ $rc -eq 3 ] && grep -q 'onefish.yaml:2' "$t/err" && ok "missing comment log → exit 3 naming the config line" \
	|| { fail "missing comment log: exit $rc"; cat "$t/err"; }

# A configured comment log that is a folder (say an export unzipped under the log's name) is no log:
# check and run say so with the config line, exit 3, rather than run on with "0 comment logs".
cp -R "$ROOT/examples/week-2026-48-mini" "$t/dirlog"
rm "$t/dirlog"/comments/live-*.xml && mkdir "$t/dirlog/comments/live-2026-11-26.xml"
line=$(grep -n '^comments:' "$t/dirlog/onefish.yaml" | cut -d: -f1)
"$ONEFISH" check "$t/dirlog" >"$t/out" 2>"$t/err"; rc=$?
[ $rc -eq 3 ] && grep -q "onefish.yaml:$line: comments: 'comments/live-2026-11-26.xml' is a folder, not a comment log" "$t/err" \
	&& ok "check: a comment log that is a folder → exit 3, naming onefish.yaml:$line" || { fail "folder as comment log: check exit $rc"; cat "$t/err"; }
for strict in "" --strict; do
	"$ONEFISH" run "$t/dirlog" -o "$t/dirlog-out" --dry-run $strict >"$t/out" 2>"$t/err"; rc=$?
	[ $rc -eq 3 ] && grep -q "onefish.yaml:$line: comments: .* is a folder, not a comment log" "$t/err" \
		&& ok "run ${strict:-(default)}: a comment log that is a folder → exit 3" || { fail "folder as comment log: run $strict exit $rc"; cat "$t/err"; }
done
# ... and so is a posts file that is a folder: it was read as a folder of Markdown posts ("holds no .md posts")
cp -R "$ROOT/examples/week-2026-48-mini" "$t/dirposts"
rm "$t/dirposts/posts.jsonl" && mkdir "$t/dirposts/posts.jsonl"
"$ONEFISH" check "$t/dirposts" >"$t/out" 2>"$t/err"; rc=$?
[ $rc -eq 3 ] && grep -q "onefish.yaml:[0-9]*: posts: 'posts.jsonl' is a folder, not a posts file (a .jsonl file was expected)" "$t/err" \
	&& ok "check: posts.jsonl that is a folder → exit 3, a file expected" || { fail "folder as posts.jsonl: exit $rc"; cat "$t/err"; }
sed -i '/^posts:/d' "$t/dirposts/onefish.yaml"
"$ONEFISH" run "$t/dirposts" -o "$t/dirposts-out" >"$t/out" 2>"$t/err"; rc=$?
[ $rc -eq 3 ] && grep -q "posts.jsonl: is a folder, not a posts file" "$t/err" && [ ! -e "$t/dirposts-out/week-2026-48-mini/article.md" ] \
	&& ok "run: the default posts.jsonl as a folder → exit 3, nothing made of it" || { fail "default posts.jsonl folder: run exit $rc"; cat "$t/err"; }

"$ONEFISH" check "$t/nonexistent" >"$t/out" 2>"$t/err"; rc=$?
[ $rc -eq 3 ] && ok "no such pack → exit 3" || fail "no such pack: exit $rc"

# ---- shards ----
mkdir "$t/packs"
for i in 01 02 03 04 05 06 07 08 09 10 11 12 13; do
	mkdir -p "$t/packs/week-$i"
	printf 'name: week-%s\n' "$i" >"$t/packs/week-$i/onefish.yaml"
	printf '{"id":"p1","time":"2026-11-16T09:00:00+08:00","text":"第%s周。"}\n' "$i" >"$t/packs/week-$i/posts.jsonl"
done
: >"$t/all"
for s in 0 1 2 3; do
	"$ONEFISH" run "$t"/packs/* -o "$t/o" --shard "$s/4" --dry-run --json >"$t/s$s" 2>"$t/err$s"
	jq -r 'select(.event=="pack_start") | .pack' "$t/s$s" | sort >"$t/names$s"
	cat "$t/names$s" >>"$t/all"
done
ls "$t/packs" | sort >"$t/want"
sort "$t/all" >"$t/got"
if cmp -s "$t/want" "$t/got"; then ok "4 shards: union is all 13 packs, no overlap"; else
	fail "shards do not partition"; diff "$t/want" "$t/got" | head; fi
[ -e "$t/o" ] && fail "--dry-run wrote $t/o" || ok "--dry-run wrote nothing"
JOB_COMPLETION_INDEX=2 JOB_COMPLETIONS=4 "$ONEFISH" run "$t"/packs/* -o "$t/o" --dry-run --json >"$t/k" 2>/dev/null
jq -r 'select(.event=="pack_start") | .pack' "$t/k" | sort >"$t/kn"
cmp -s "$t/kn" "$t/names2" && ok "JOB_COMPLETION_INDEX=2 JOB_COMPLETIONS=4 = --shard 2/4" || fail "env shard differs"
"$ONEFISH" run "$t"/packs/* -o "$t/o" --shard 2/4 --shard 4/4 >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "--shard 4/4 → exit 2" || fail "bad shard: exit $rc"
JOB_COMPLETION_INDEX=7 JOB_COMPLETIONS=4 "$ONEFISH" run "$t"/packs/* -o "$t/o" --dry-run >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "JOB_COMPLETION_INDEX out of range → exit 2" || fail "bad env shard: exit $rc"
# The summary event lists every pack of the shard with its result.
n=$(jq -s '[.[] | select(.event=="summary")][0].results | length' "$t/s1")
[ "$n" = "$(wc -l <"$t/names1" | tr -d ' ')" ] && ok "summary lists each pack ($n)" || fail "summary results: $n"

# ---- a bad pack does not stop the others; exit 3 when every failure is bad input ----
mkdir -p "$t/mixed"
cp -R "$t/packs/week-01" "$t/mixed/good"
mkdir -p "$t/mixed/broken"
printf 'name: broken\nvidoe: {}\n' >"$t/mixed/broken/onefish.yaml"
"$ONEFISH" run "$t/mixed/broken" "$t/mixed/good" -o "$t/o2" -j 2 --dry-run --json >"$t/m" 2>"$t/merr"; rc=$?
[ $rc -eq 3 ] && ok "one pack with a bad config → exit 3" || fail "mixed run: exit $rc"
jq -e 'select(.event=="summary") | .results | map(select(.status=="ok")) | length == 1' "$t/m" >/dev/null \
	&& ok "the good pack still ran" || { fail "good pack not reported ok"; cat "$t/m"; }

# ---- `onefish run examples/*` skips what is not a pack (README.md, tools/, ci/, k8s/) ----
"$ONEFISH" run "$ROOT"/examples/* -o "$t/ex" --dry-run --json >"$t/ex.jsonl" 2>/dev/null; rc=$?
n=$(jq -r 'select(.event=="pack_start") | .pack' "$t/ex.jsonl" | sort | tr '\n' ' ')
[ $rc -eq 0 ] && [ "$n" = "week-2026-47 week-2026-48-mini " ] && ok "run examples/* plans the two example packs only" \
	|| fail "run examples/*: exit $rc, packs '$n'"

# a shard counts the packs among the paths, not every path; each path skipped is named with why
for s in 0 1 2; do
	"$ONEFISH" run "$ROOT"/examples/* -o "$t/ex" --shard $s/3 --dry-run >/dev/null 2>"$t/ex$s.err"
	"$ONEFISH" run "$ROOT"/examples/* -o "$t/ex" --shard $s/3 --dry-run --json 2>/dev/null |
		jq -r 'select(.event=="shard") | "\(.packs) \(.of) \(.skipped)"' >"$t/ex$s.json"
done
grep -h '^shard [0-2]/3: ' "$t"/ex?.err | sed 's/^shard [0-2]\/3: \([0-9]*\) of \([0-9]*\).*/\2/' | sort -u >"$t/of"
tot=$(grep -h '^shard [0-2]/3: ' "$t"/ex?.err | awk '{n += $3} END {print n}')
[ "$(cat "$t/of")" = 2 ] && [ "$tot" = 2 ] &&
	grep -q "^shard 0/3: [0-9] of 2 packs (4 other paths skipped: not packs, named above)$" "$t/ex0.err" &&
	grep -q "^skipped $ROOT/examples/README.md: not a pack (a file, not a folder)$" "$t/ex0.err" &&
	grep -q "^skipped $ROOT/examples/ci: not a pack (a folder without onefish.yaml)$" "$t/ex0.err" &&
	[ "$(cut -d' ' -f2,3 "$t/ex0.json")" = "2 4" ] &&
	ok "run examples/* --shard I/3: of 2 packs, 4 paths skipped and named" ||
	fail "shard counts: $(cat "$t"/ex?.err "$t"/ex?.json)"
# only non-packs given: nothing to do is an error (exit 3), for run and check; one path alone keeps its own error
for cmd in run check; do
	"$ONEFISH" $cmd "$ROOT/examples/README.md" "$ROOT/examples/ci" >/dev/null 2>"$t/none.err"; rc=$?
	[ $rc -eq 3 ] && grep -q "^onefish $cmd: error: none of the 2 paths given is a pack: a pack is a folder with onefish.yaml (each is named above)$" "$t/none.err" &&
		ok "$cmd with no pack among its paths: exit 3" || fail "$cmd no pack: exit $rc $(cat "$t/none.err")"
done
"$ONEFISH" run "$ROOT/examples/README.md" -o "$t/one" --dry-run >/dev/null 2>"$t/one.err"; rc=$?
[ $rc -eq 3 ] && grep -q "FAILED: $ROOT/examples/README.md: not a pack folder (a file, not a folder)" "$t/one.err" &&
	ok "run FILE alone: its own error" || fail "run FILE: exit $rc $(cat "$t/one.err")"

# ---- the CI and Kubernetes examples parse and agree on the shard count ----
if python3 -c 'import yaml' 2>/dev/null; then
	python3 - "$ROOT" <<'PY' && ok "examples/ci and examples/k8s parse; shard counts agree" || fail "CI/k8s examples"
import sys, yaml
root = sys.argv[1]
ci = yaml.safe_load(open(root + "/examples/ci/weekly-packs.yml"))
job = ci["jobs"]["pack"]
shards = job["strategy"]["matrix"]["shard"]
assert shards == list(range(len(shards))), shards
assert any("--shard ${{ matrix.shard }}/%d" % len(shards) in (st.get("run") or "") for st in job["steps"])
up = [st for st in job["steps"] if "upload-artifact" in (st.get("uses") or "")]
assert up and up[0]["with"].get("include-hidden-files") is True, "run logs live in .onefish/"
runs = [st for st in job["steps"] if "onefish run" in (st.get("run") or "")]
assert all(st.get("shell") == "bash" for st in runs if "|" in st["run"]), "a pipe needs pipefail (shell: bash)"
assert ci[True]["schedule"][0]["cron"] if True in ci else ci["on"]["schedule"][0]["cron"]
k = yaml.safe_load(open(root + "/examples/k8s/weekly-packs-job.yaml"))
spec = k["spec"]
assert spec["completionMode"] == "Indexed"
env = {e["name"]: e["value"] for e in spec["template"]["spec"]["containers"][0]["env"]}
assert int(env["JOB_COMPLETIONS"]) == spec["completions"]
rules = spec["podFailurePolicy"]["rules"]
assert any(r["action"] == "FailIndex" and 3 in r["onExitCodes"]["values"] for r in rules), "bad input is not retried"
assert "backoffLimit" not in spec and spec["backoffLimitPerIndex"] >= 1
PY
else
	echo "SKIP: python3 yaml module absent; CI/k8s examples not parsed"
fi

# a pack that fails before any stage says why, without --json too
cp -R "$ROOT/examples/week-2026-48-mini" "$t/early" && : >"$t/afile"
"$ONEFISH" run "$t/early" -o "$t/afile" >"$t/early.out" 2>&1; rc=$?
[ $rc -ne 0 ] && grep -q 'FAILED: .*afile/week-2026-48-mini: cannot create folder' "$t/early.out" \
	&& ok "run into a file: the reason is in the human output" || { fail "early failure reason: exit $rc"; cat "$t/early.out"; }

# a path that is not there is a typo, not a README a glob matched: it fails (exit 3), as does a
# config spelled onefish.yml; `check packs/*` skips a README like `run packs/*`
mkdir -p "$t/gl/packs" && cp -R "$ROOT/examples/week-2026-48-mini" "$t/gl/packs/w48" && echo '# packs' >"$t/gl/packs/README.md"
"$ONEFISH" run "$t/gl/packs/week-47" "$t/gl/packs/week-48" -o "$t/gl/out" --dry-run >"$t/gl/miss.out" 2>&1; rc=$?
[ $rc -eq 3 ] && grep -q 'week-47: not a pack folder (no such folder)' "$t/gl/miss.out" \
	&& ok "two mistyped pack paths fail (exit 3), not '0 packs: ok'" || fail "missing packs: exit $rc $(tail -2 "$t/gl/miss.out")"
"$ONEFISH" check "$t/gl/packs/"* >"$t/gl/chk.out" 2>&1; rc=$?
[ $rc -eq 0 ] && grep -q 'skipped .*README.md' "$t/gl/chk.out" && ok "check packs/*: the README is skipped" \
	|| fail "check packs/* with a README: exit $rc $(cat "$t/gl/chk.out")"
cp -R "$ROOT/examples/week-2026-48-mini" "$t/gl/packs/yml" && mv "$t/gl/packs/yml/onefish.yaml" "$t/gl/packs/yml/onefish.yml"
"$ONEFISH" run "$t/gl/packs/"* -o "$t/gl/out" --dry-run >"$t/gl/yml.out" 2>&1; rc=$?
[ $rc -eq 3 ] && grep -q 'has onefish.yml, but onefish reads onefish.yaml' "$t/gl/yml.out" \
	&& ok "a config spelled onefish.yml fails its pack, named" || fail "onefish.yml: exit $rc $(tail -3 "$t/gl/yml.out")"

# a pack whose posts are next-posts stubs not written yet: check says so (run would fail)
cp -R "$ROOT/examples/week-2026-48-mini" "$t/stubs"
printf '%s\n' '{"id":"next-01","author":"暖暖母婴","text":"","images":[],"status":"stub"}' \
	'{"id":"next-02","author":"暖暖母婴","text":"","images":[],"status":"stub"}' >"$t/stubs/posts.jsonl"
"$ONEFISH" check "$t/stubs" >"$t/stubs.out" 2>&1; rc=$?
[ $rc -eq 3 ] && grep -q "post 'next-02' has no text and no images yet" "$t/stubs.out" \
	&& grep -q "no post has text or images" "$t/stubs.out" && ok "check: unwritten stubs named, the pack fails" \
	|| fail "unwritten stubs: exit $rc $(cat "$t/stubs.out")"
"$ONEFISH" check "$t/stubs" --json >"$t/stubs.jsonl" 2>/dev/null
jq -s -e '[.[] | select(.event=="check") | .status == "failed" and .problems == 1 and .exit == 3] | length == 1 and all' \
	"$t/stubs.jsonl" >/dev/null \
	&& jq -s -e '[.[] | select(.event=="message" and .level=="warning") | .pack == "week-2026-48-mini"] | length > 0 and all' \
	"$t/stubs.jsonl" >/dev/null \
	&& ok "check --json: a failed check event, warnings carry the pack" || fail "check --json: $(cat "$t/stubs.jsonl")"

# a week that holds none of the posts: check says so, as run's article stage would fail
cp -R "$ROOT/examples/week-2026-48-mini" "$t/wk" && sed -i 's/^week: .*/week: 2026-W50/' "$t/wk/onefish.yaml"
"$ONEFISH" check "$t/wk" >"$t/wk.out" 2>&1; rc=$?
[ $rc -eq 3 ] && grep -q "none of the 4 usable posts is in the time window (week: 2026-W50)" "$t/wk.out" \
	&& ok "check: a week with none of the posts fails, naming the week" || fail "wrong week: exit $rc $(cat "$t/wk.out")"

# posts in a subfolder naming the pack's images/: run does not find them (paths are relative to the
# posts file), so check does not either (QA: check said ok, run dropped every photo)
mkdir -p "$t/sub/exports" && cp -R "$ROOT/examples/week-2026-48-mini/images" "$ROOT/examples/week-2026-48-mini/comments" "$t/sub/" \
	&& cp "$ROOT/examples/week-2026-48-mini/posts.jsonl" "$t/sub/exports/" \
	&& sed 's#^posts: .*#posts: exports/posts.jsonl#' "$ROOT/examples/week-2026-48-mini/onefish.yaml" >"$t/sub/onefish.yaml"
grep -q '^posts: exports/posts.jsonl' "$t/sub/onefish.yaml" || printf 'posts: exports/posts.jsonl\n' >>"$t/sub/onefish.yaml"
"$ONEFISH" check --strict "$t/sub" >"$t/sub.out" 2>&1; rc=$?
[ $rc -eq 3 ] && grep -q "exports/posts.jsonl:[0-9]*: error: .*image 'images/[^']*' not found" "$t/sub.out" \
	&& ok "check: images run would not find are not found by check either" || fail "check vs run images: exit $rc $(cat "$t/sub.out")"

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
