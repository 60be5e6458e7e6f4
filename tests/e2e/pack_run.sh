#!/bin/sh
# onefish run on the mini example pack, for real: every output, manifest fields, a no-op
# rerun does no work, determinism (two runs → same bytes), an edited article.md is kept
# and the script and video are rebuilt from it, --force keeps it as article.edited.md,
# SIGTERM mid-video leaves no partial file and the next run resumes, --json events.
set -u
ROOT=${ONEFISH_ROOT:-.}
. "$ROOT/tests/e2e/lib/mini_pack.sh"

"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/run1.jsonl" 2>"$t/err1"; rc=$?
if grep -q 'not built yet' "$t/err1" "$t/run1.jsonl"; then
	echo "SKIP: a stage is not built yet ($(grep -o '[a-z]* stage not built yet' "$t/run1.jsonl" "$t/err1" | head -1))"
	exit 0
fi
[ $rc -eq 0 ] && ok "first run exit 0" || { fail "first run: exit $rc"; tail -5 "$t/err1"; jq -c 'select(.event=="stage_failed")' "$t/run1.jsonl"; }
for f in article.md article.html article.wechat.html article.trace.json script.json script.md video.mp4 cover.jpg \
	prompts.json prompts.md comments.svg manifest.json index.html .onefish/run-log.json; do
	[ -s "$O/$f" ] || fail "missing output $f"
done
jq -e '.onefish and .pack == "week-2026-48-mini" and (.inputs | length) > 0 and (.outputs | length) > 0
	and ([.outputs[] | select(.status != "generated")] | length) == 0
	and (.stages | keys) == ["article","prompts","script","video"]' "$O/manifest.json" >/dev/null \
	&& ok "manifest has inputs, outputs (all generated), four stages" || fail "manifest fields"
# Every recorded sha256 matches the file.
(cd "$O" && jq -r '.outputs[] | "\(.sha256)  \(.path)"' manifest.json | sha256sum -c --quiet) \
	&& ok "manifest sha256 of every output matches" || fail "manifest hashes"
jq -se 'map(select(.event=="pack_end"))[0].ran == 4' "$t/run1.jsonl" >/dev/null && ok "--json pack_end: 4 stages ran" || fail "pack_end event"
grep -q '"event":"stage_start"' "$t/run1.jsonl" && ok "--json stage_start events" || fail "no stage_start events"
jq -e 'select(.event=="summary") | .exit == 0' "$t/run1.jsonl" >/dev/null || fail "summary event"
# The review page's question table says what prompts.md says: the type in Chinese, the asks with their echoes,
# 分散 unless the asks bunched up (— for a single one).
python3 - "$O" <<'EOF' && ok "review page: question types in Chinese, peaks as prompts.json decides" || fail "review question table"
import json, sys
d = sys.argv[1]
page, cl = open(d + "/index.html", encoding="utf-8").read(), json.load(open(d + "/prompts.json"))["clusters"]
zh = {"question": "提问", "purchase": "购买咨询", "complaint": "抱怨", "request": "请求"}
assert cl, "no clusters"
assert any(c["topic"] for c in cl), "the example's 声音有点小 has a complaint topic"
for c in cl:
    assert isinstance(c["concentrated"], bool), c
    asks = c["count"] + c["echoes"]
    when = "%s / %s" % (c["first_clock"], c["peak_clock"] if c["concentrated"] else "分散" if asks > 1 else "—")
    assert when == "%s / %s" % (c["first_clock"], c["peak_label"]), (c["question"], when, c["peak_label"])
    # 条数 counts the echoes, as prompts.md and the prompt text ("共 N 条") do
    kind = zh[c["intent"]] + ("·" + c["topic"] if c["topic"] else "")  # 抱怨·直播声音小
    cells = "<td>%s</td><td>%d</td><td>%d</td><td>%s</td>" % (kind, c["users"], asks, when)
    assert cells in page, (c["question"], cells)
    assert "共 %d 条" % asks in c["prompt"], (c["question"], asks)
EOF
ffprobe -v error -show_entries stream=codec_name,width,height -of csv=p=0 "$O/video.mp4" >"$t/probe" 2>&1
grep -q 'h264,1080,1920' "$t/probe" && ok "video is h264 1080x1920" || fail "video: $(cat "$t/probe")"

# ---- the real pack's review page in headless Chromium (skipped without chromium) ----
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -n "$CHROME" ]; then
	mkdir -p "$ROOT/build/artifacts"
	timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
		--user-data-dir="$t/profile" --enable-logging=stderr --v=0 --window-size=1280,3000 \
		--screenshot="$ROOT/build/artifacts/review-pack.png" "file://$O/index.html#para-2" >/dev/null 2>"$t/console"
	timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
		--user-data-dir="$t/profile" --enable-logging=stderr --v=0 --virtual-time-budget=3000 \
		--dump-dom "file://$O/index.html#para-2" >"$t/dom" 2>>"$t/console"
	if grep -E 'Uncaught|ERROR:CONSOLE|CONSOLE.*([Ee]rror|Not allowed|Failed to load|net::ERR|Refused)' "$t/console" \
		| grep -v 'dbus\|DevTools' >"$t/errs"; then fail "console errors on the pack's page"; head -3 "$t/errs"; else
		ok "pack review page: no console errors (build/artifacts/review-pack.png)"; fi
	grep -q 'data-review-ready="1"' "$t/dom" && grep -q 'class="post"' "$t/dom" \
		&& ok "pack review page: paragraph 2 shows its source post" || fail "pack review page trace panel"
else
	echo "SKIP: chromium not installed; pack review page not opened"
fi

# ---- no-op rerun ----
cp "$O/manifest.json" "$t/m1"
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/run2.jsonl" 2>"$t/err2" || fail "rerun failed"
n=$(grep -c '"event":"stage_start"' "$t/run2.jsonl")
c=$(jq -r 'select(.event=="stage_skipped" and .status=="cached") | .stage' "$t/run2.jsonl" | wc -l)
[ "$n" -eq 0 ] && [ "$c" -eq 4 ] && ok "no-op rerun: 0 ran, 4 cached" || fail "no-op rerun: $n ran, $c cached"
cmp -s "$t/m1" "$O/manifest.json" && ok "manifest.json byte-identical across runs" || fail "manifest changed on a no-op run"

# ---- determinism: a second full run into another folder gives the same bytes, with the pack's
# path typed another way (relative, from another folder: a CI job checks out into a new workspace) ----
(cd "$t" && "$ONEFISH" run ./pack/ -o out2 --quiet 2>"$t/err3") || fail "second full run failed"
(cd "$O" && find . -type f ! -path './.onefish/*' | sort | xargs sha256sum) >"$t/h1"
(cd "$t/out2/$P" && find . -type f ! -path './.onefish/*' | sort | xargs sha256sum) >"$t/h2"
if cmp -s "$t/h1" "$t/h2"; then ok "two runs → byte-identical outputs ($(wc -l <"$t/h1") files, video included)"; else
	fail "outputs differ between runs:"; diff "$t/h1" "$t/h2" | head -6; fi
# `review` rewrites the same page from any working folder (it finds the pack's README from manifest.json)
cp "$t/out2/$P/index.html" "$t/idx"
(cd / && "$ONEFISH" review "$t/out2/$P" >/dev/null 2>&1) || fail "review from / failed"
cmp -s "$t/idx" "$t/out2/$P/index.html" && ok "review from another folder writes the same page" \
	|| { fail "review from / changed the page"; diff "$t/idx" "$t/out2/$P/index.html" | head -4; }

# ---- an edited article survives and feeds the script and video ----
# The editor rewrites a word everywhere in the body (not in the front matter).
awk 'BEGIN{fm=0} /^---$/{fm++; print; next} fm>=2{gsub(/宝宝/, "小宝贝")} {print}' "$O/article.md" >"$t/a.md"
cat "$t/a.md" >"$O/article.md"
# ... and adds a paragraph of their own, with a word the advertising law forbids
printf '\n编辑加的一句：这是全网第一的米粉。\n' >>"$O/article.md"
added=$(grep -n '编辑加的一句' "$O/article.md" | cut -d: -f1)
grep -q '小宝贝' "$O/article.md" || fail "could not edit article.md"
cp "$O/article.md" "$t/edited.md"
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/run3.jsonl" 2>"$t/err4" || fail "run after edit failed"
ran=$(jq -r 'select(.event=="stage_start") | .stage' "$t/run3.jsonl" | tr '\n' ' ')
[ "$ran" = "script video " ] && ok "edited article.md: script and video reran" || fail "after edit, ran: '$ran'"
cmp -s "$t/edited.md" "$O/article.md" && ok "the edit is kept" || fail "article.md edit lost"
grep -q '小宝贝' "$O/script.json" && ok "script.json was rebuilt from the edited article" || fail "script.json lacks the edit"
jq -e '.outputs[] | select(.path=="article.md") | .status == "edited"' "$O/manifest.json" >/dev/null \
	&& ok "manifest shows article.md edited" || fail "article.md status"
grep -q 'article.md：已手改' "$O/index.html" && ok "review page shows article.md edited" || fail "review page status"
grep -q '<a href="article.wechat.html">article.wechat.html</a>' "$O/index.html" && ok "review page: the Files table links to each file" \
	|| fail "no file links on the review page"
# What is pasted into WeChat and what the review page lints follow the editor's text, not the draft's.
for f in article.wechat.html article.html; do
	grep -q '小宝贝' "$O/$f" && grep -q '编辑加的一句' "$O/$f" && ! grep -q '宝宝' "$O/$f" \
		&& ok "$f follows the edited article.md" || fail "$f is still the draft's"
done
md_sha=$(sha256sum "$O/article.md" | cut -d' ' -f1)
jq -e --arg s "$md_sha" '[.outputs[] | select(.path == "article.html" or .path == "article.wechat.html" or .path == "article.trace.json")
	| select(.status == "generated" and .follows == $s)] | length == 3' "$O/manifest.json" >/dev/null \
	&& ok "manifest: the three files follow this article.md (sha256)" || { fail "follows in manifest"; jq '.outputs[] | select(.path | startswith("article"))' "$O/manifest.json"; }
jq -s -e 'map(select(.event == "edit_followed")) | length == 1 and .[0].file == "article.md" and .[0].files_written == 3' "$t/run3.jsonl" >/dev/null \
	&& ok "the run says the files follow the edit" || fail "no edit_followed event"
python3 - "$O" "$added" <<'PY' && ok "trace: paragraphs keep their posts, the new one has none, lint at its line" || fail "trace after edit"
import json, sys
o, added = sys.argv[1], int(sys.argv[2])
t = json.load(open(o + "/article.trace.json"))
assert t["edited"] is True
paras = t["paragraphs"]
assert paras and all("宝宝" not in p["text"] for p in paras), [p["text"][:20] for p in paras]
mine = [p for p in paras if "编辑加的一句" in p["text"]]
assert len(mine) == 1 and mine[0]["sources"] == [] and mine[0]["edited"] and mine[0]["line"] == added, mine
kept = [p for p in paras if p is not mine[0]]
assert all(p["sources"] for p in kept), [p["text"][:20] for p in kept if not p["sources"]]
reworded = [p for p in kept if "小宝贝" in p["text"]]
assert reworded and all(p.get("edited") for p in reworded)
md = open(o + "/article.md").read().split("\n")
for p in paras:  # every line the trace names is that paragraph's line in article.md
    assert md[p["line"] - 1].startswith(p["text"][:6]), (p["line"], p["text"][:10])
hits = [h for h in t["lint"] if h["line"] == added]
assert any(h["term"] in ("第一", "全网第一") for h in hits), t["lint"]
PY
jq -s -e --argjson l "$added" 'map(select(.event == "message" and .level == "warning" and (.file | endswith("/article.md"))
	and .line == $l and (.message | test("第一")))) | length == 1' "$t/run3.jsonl" >/dev/null \
	&& ok "the lint warning names article.md:$added" || { fail "lint warning for the added line"; grep article.md "$t/run3.jsonl"; }

# ---- an edited 分镜表 (script.md) rerenders only the video ----
awk -F'|' 'BEGIN{OFS="|"} $2 ~ /^ *1 *$/ && !done {$6 = " 编辑改过的口播。 "; done=1} {print}' "$O/script.md" >"$t/s.md"
cat "$t/s.md" >"$O/script.md"
grep -q '编辑改过的口播' "$O/script.md" || fail "could not edit script.md"
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/run3b.jsonl" 2>"$t/err4b" || { fail "run after script.md edit failed"; tail -3 "$t/err4b"; }
ran=$(jq -r 'select(.event=="stage_start") | .stage' "$t/run3b.jsonl" | tr '\n' ' ')
[ "$ran" = "video " ] && ok "edited script.md: only the video reran" || fail "after script.md edit, ran: '$ran'"
jq -r 'select(.event == "edit_followed") | .stage' "$t/run3b.jsonl" | grep -qx article \
	&& fail "article.md unchanged since, but its files were made again"
# the script's own files follow the edited 口播: subtitles.srt (the narration) says it
grep -q '编辑改过的口播' "$O/subtitles.srt" && ok "subtitles.srt follows the edited script.md" \
	|| fail "subtitles.srt keeps the draft's narration"
# and script.csv, the 分镜表 for Excel/WPS (README, docs/pack.md), recording the edit it follows
grep -q '编辑改过的口播' "$O/script.csv" && ok "script.csv follows the edited script.md" \
	|| fail "script.csv keeps the draft's narration"
jq -e '.outputs[] | select(.path == "script.csv") | .status == "generated" and (.follows | length) == 64' \
	"$O/manifest.json" >/dev/null && ok "manifest: script.csv generated, following the edit" \
	|| { fail "script.csv manifest entry"; jq '.outputs[] | select(.path == "script.csv")' "$O/manifest.json"; }
grep -q '编辑改过的口播' "$O/script.md" && ok "script.md edit kept" || fail "script.md edit lost"

# ---- a changed comment log reruns prompts only ----
printf '\n' >>"$t/pack/comments/live-2026-11-26.xml"
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/run4.jsonl" 2>/dev/null || fail "run after log change"
ran=$(jq -r 'select(.event=="stage_start") | .stage' "$t/run4.jsonl" | tr '\n' ' ')
[ "$ran" = "prompts " ] && ok "changed comment log: only prompts reran" || fail "after log change, ran: '$ran'"

# ---- a lexicon tuned in the install (ONEFISH_DATADIR) reruns prompts only, and says why ----
cp -r "$ONEFISH_DATADIR" "$t/assets"
printf '画面好暗 =直播画质\n' >>"$t/assets/lexicons/complaint.txt"
ONEFISH_DATADIR="$t/assets" "$ONEFISH" run "$t/pack" -o "$t/out" --dry-run >"$t/dry0" 2>&1 || fail "dry run after lexicon edit"
grep -q 'prompts: .*asset:lexicons/complaint.txt' "$t/dry0" && ok "--dry-run names the tuned lexicon" || { fail "lexicon edit reason"; cat "$t/dry0"; }
ONEFISH_DATADIR="$t/assets" "$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/run4b.jsonl" 2>/dev/null || fail "run after lexicon edit"
ran=$(jq -r 'select(.event=="stage_start") | .stage' "$t/run4b.jsonl" | tr '\n' ' ')
[ "$ran" = "prompts " ] && ok "tuned lexicon: only prompts reran" || fail "after lexicon edit, ran: '$ran'"
jq -e '[.inputs[].path | select(startswith("asset:"))] == [] and ([.stages.prompts.inputs[].path | select(. == "asset:lexicons/complaint.txt")] | length) == 1' \
	"$O/manifest.json" >/dev/null && ok "assets key the stage (manifest: stage inputs), not the pack's own inputs" || fail "asset inputs in manifest"
ONEFISH_DATADIR="$t/assets" "$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/run4c.jsonl" 2>/dev/null || fail "rerun after lexicon edit"
[ "$(grep -c '"event":"stage_start"' "$t/run4c.jsonl")" -eq 0 ] && ok "then nothing reruns" || fail "reran after lexicon edit twice"
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/run4d.jsonl" 2>/dev/null || fail "run back on the shipped lexicons"
ran=$(jq -r 'select(.event=="stage_start") | .stage' "$t/run4d.jsonl" | tr '\n' ' ')
[ "$ran" = "prompts " ] && ok "back on the shipped lexicons: prompts reran" || fail "back on shipped lexicons, ran: '$ran'"

# ---- --dry-run after a post change says why and writes nothing ----
sed -i '1s/。/！/' "$t/pack/posts.jsonl"
before=$(cd "$t/out" && find . -type f | sort | xargs sha256sum | sha256sum)
"$ONEFISH" run "$t/pack" -o "$t/out" --dry-run >"$t/dry" 2>&1 || fail "dry run failed"
after=$(cd "$t/out" && find . -type f | sort | xargs sha256sum | sha256sum)
[ "$before" = "$after" ] && ok "--dry-run wrote nothing" || fail "--dry-run changed files"
grep -q 'article: .*posts.jsonl' "$t/dry" && ok "--dry-run names the changed post file" || { fail "dry-run reason"; cat "$t/dry"; }

# ---- posts changed + article edited: held; --force keeps the edit as article.edited.md ----
"$ONEFISH" run "$t/pack" -o "$t/out" >"$t/out5" 2>&1 || fail "held run failed"
grep -q 'kept the hand-edited article.md' "$t/out5" && ok "article held, edit kept, run says so" || { fail "held message"; cat "$t/out5"; }
cmp -s "$t/edited.md" "$O/article.md" || fail "held run touched article.md"
jq -e '.outputs[] | select(.path == "article.wechat.html") | .status == "generated"' "$O/manifest.json" >/dev/null \
	&& ok "held: the WeChat HTML still follows the kept edit (not stale)" || fail "held: WeChat HTML status"
grep -q '<p class="notice"><span class="badge stale" title="held">待更新</span> article.md 是编辑手改的版本' "$O/index.html" \
	&& ok "held: the review page says the article was held" || fail "held: no notice on the review page"
# On a terminal (script(1) gives it one), the video stage draws the same bar as `onefish video`.
if command -v script >/dev/null 2>&1; then
	env -u CI script -qec "\"$ONEFISH\" run \"$t/pack\" -o \"$t/out\" --force" "$t/out6" >/dev/null 2>&1 \
		|| fail "--force failed"
	tr '\r' '\n' <"$t/out6" | grep -qa "^.*$P/video \[#*\.*\] .*frames/s  ETA" \
		&& ok "run on a terminal: progress bar for $P/video" || { fail "no progress bar on a terminal"; tail -5 "$t/out6"; }
else
	"$ONEFISH" run "$t/pack" -o "$t/out" --force >"$t/out6" 2>&1 || fail "--force failed"
	echo "SKIP: script(1) not installed; terminal progress bar not checked"
fi
cmp -s "$t/edited.md" "$O/article.edited.md" && ok "--force kept the edit as article.edited.md" || fail "article.edited.md"
grep -q '手改稿保存在 <a href="article.edited.md">' "$O/index.html" && ok "the review page links the kept edit" \
	|| fail "the review page does not show article.edited.md"
grep -q 'kept as article.edited.md' "$t/out6" && ok "--force says where the edit went" || fail "--force message"
grep -q '小宝贝' "$O/article.md" && fail "article.md not regenerated by --force"
grep -q '小宝贝' "$O/article.wechat.html" && fail "--force: the WeChat HTML still follows the old edit"
jq -e '[.outputs[] | select(.follows)] | length == 0' "$O/manifest.json" >/dev/null || fail "--force: outputs still marked as following an edit"

# ---- SIGTERM in the middle of the video stage ----
rm -f "$O/video.mp4"
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/run7.jsonl" 2>/dev/null &
pid=$!
i=0
while [ $i -lt 200 ] && ! grep -q '"stage":"video".*"event":"stage_start"\|"event":"stage_start".*"stage":"video"' "$t/run7.jsonl" 2>/dev/null; do
	sleep 0.05; i=$((i + 1))
done
sleep 0.3
kill -TERM $pid
wait $pid; rc=$?
[ $rc -eq 143 ] && ok "SIGTERM → exit 143" || fail "SIGTERM exit $rc"
left=$(find "$t/out" -name '.*.tmp-*' -o -name '.*.work' | wc -l)
[ "$left" -eq 0 ] && ok "no partial files after SIGTERM" || { fail "$left partial files left"; find "$t/out" -name '.*tmp*'; }
[ -e "$O/video.mp4" ] && fail "a video.mp4 appeared from an interrupted render"
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/run8.jsonl" 2>/dev/null || fail "resume failed"
ran=$(jq -r 'select(.event=="stage_start") | .stage' "$t/run8.jsonl" | tr '\n' ' ')
[ "$ran" = "video " ] && ok "the next run resumed with the video only" || fail "resume ran: '$ran'"
[ -s "$O/video.mp4" ] || fail "no video after resume"

# ---- kill -9 in the middle of the video stage: the stage child does not go on as an orphan
# holding the pack's lock, and the temporary files nobody could clean are removed by the next run ----
rm -f "$O/video.mp4"
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/run9.jsonl" 2>/dev/null &
pid=$!
i=0
while [ $i -lt 200 ] && ! grep -q '"stage":"video".*"event":"stage_start"\|"event":"stage_start".*"stage":"video"' "$t/run9.jsonl" 2>/dev/null; do
	sleep 0.05; i=$((i + 1))
done
sleep 0.3
kill -KILL $pid
wait $pid 2>/dev/null
i=0
while [ $i -lt 40 ] && pgrep -f "onefish run $t/pack -o $t/out" >/dev/null; do sleep 0.1; i=$((i + 1)); done
pgrep -f "onefish run $t/pack -o $t/out" >/dev/null && fail "a stage went on after its run was killed" || ok "kill -9: no orphan stage"
: >"$O/.onefish/.pending.json.tmp-ABC123"
: >"$O/.article.md.tmp-XYZ789"
"$ONEFISH" run "$t/pack" -o "$t/out" --json >"$t/run10.jsonl" 2>/dev/null && ok "the run after kill -9 is not locked out" \
	|| fail "rerun after kill -9 failed: $(tail -2 "$t/run10.jsonl")"
left=$(find "$t/out" -name '.*.tmp-*' | wc -l)
[ "$left" -eq 0 ] && ok "stale temporary files removed by the next run" || { fail "$left stale temp files"; find "$t/out" -name '.*.tmp-*'; }
[ -s "$O/video.mp4" ] || fail "no video after the run that followed kill -9"

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
