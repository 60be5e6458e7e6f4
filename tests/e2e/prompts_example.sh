#!/bin/sh
# prompts on the example week: every output exists and parses, the brief is sane, runs are byte-identical.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
LOG="$ONEFISH_ROOT/examples/week-2026-47/comments/live-2026-11-19.xml"
CFG="$ONEFISH_ROOT/examples/week-2026-47/onefish.yaml"
"$ONEFISH" prompts "$LOG" -o "$T/a" --config "$CFG" --quiet || fail "prompts exit $?"
"$ONEFISH" prompts "$LOG" -o "$T/b" --config "$CFG" --quiet || fail "second run"
"$ONEFISH" prompts "$LOG" -o "$T/all" --config "$CFG" --top 40 --quiet || fail "prompts --top 40 exit $?"
for f in prompts.json prompts.md comments.svg comments.jsonl next-posts.jsonl; do
	[ -s "$T/a/$f" ] || fail "missing $f"
	cmp -s "$T/a/$f" "$T/b/$f" || fail "$f differs between two runs"
done
python3 - "$T/a" <<'PY' || exit 1
import json, sys, xml.dom.minidom
d = sys.argv[1]
p = json.load(open(d + "/prompts.json"))
s = p["summary"]
assert s["comments"] == 420, s["comments"]
assert p["inputs"][0]["format"] == "bilibili"
cl = p["clusters"]
assert len(cl) == 8, len(cl)                                  # prompts.top: 8 in onefish.yaml
for i, c in enumerate(cl):
    for k in ("id", "intent", "question", "count", "users", "weight", "first", "peak", "examples", "prompt", "template"):
        assert k in c, (k, c)
    assert c["intent"] in ("question", "purchase", "complaint", "request"), c["intent"]
    assert 1 <= len(c["examples"]) <= 5
    assert "暖暖母婴" in c["prompt"] and "点击预约" in c["prompt"]
    assert c["peak"] >= c["first"]
    if i:
        assert (cl[i-1]["users"], cl[i-1]["weight"]) >= (c["users"], c["weight"])
md = open(d + "/prompts.md").read()
answered = [c for c in cl if c["answers"]]                     # the host's answers, quoted once labelled
assert answered and "主播在直播里的回答：" in md and "回答：主播" not in md, [c["answers"] for c in answered]
def bunched(c):                                                # 2+ asks and a third of all in one minute
    return c["peak_count"] >= 2 and 3 * c["peak_count"] >= c["count"] + c["echoes"]
for c in cl:                                                   # a peak is named only where the asks bunch up
    assert c["peak_count"] >= 1
    said = ("集中在 %s 前后，一分钟内 %d 条）" % (c["peak_clock"], c["peak_count"])) in c["prompt"] \
        or ("一出现就有 %d 条挤在这一分钟" % c["peak_count"]) in c["prompt"]
    assert said == bunched(c) == c["concentrated"], (c["question"], c["peak_count"], c["prompt"])
    assert c["intent_label"] == {"question": "提问", "purchase": "购买咨询", "complaint": "抱怨", "request": "请求"}[c["intent"]]
    assert bunched(c) or "之后分散在整场" in c["prompt"] or c["count"] + c["echoes"] == 1
    peak = c["peak_clock"] if bunched(c) else "分散" if c["count"] + c["echoes"] > 1 else "—"
    assert c["peak_label"] == peak, (c["question"], c["peak_label"], peak)
    assert ("| %s | %s |" % (c["first_clock"], peak)) in md, c["question"]
# the example has both: questions recurring all stream long (2 of 10 asks in one minute is no peak),
# and a burst (the sound was low at the start: 声音有点小, 3:00)
assert any(bunched(c) for c in cl) and any(not bunched(c) for c in cl)
assert any(c["peak_count"] >= 2 and not bunched(c) for c in cl)
assert any(c["question"] == "声音有点小" and bunched(c) and c["peak_clock"] == "3:00" for c in cl)
# the ways to ask where to buy are one need (purchase.txt topics), the most asked of the stream
top = cl[0]
assert top["intent"] == "purchase" and top["topic"] == "怎么买、链接在哪" and top["users"] >= 15, top
for said in ("链接在哪里啊？", "小黄车在哪", "怎么买？"):
    assert said in top["examples"], (said, top["examples"])
# the reports of ordering (已拍, 拍了两盒米粉) are no one's need: never a cluster, counted apart
more = json.load(open(d + "/../all/prompts.json"))["clusters"]
reports = [c for c in more if c["question"] in ("已拍", "拍了两盒米粉")]
assert not reports, reports
assert s["by_rule"].get("ordered", 0) >= 2, s["by_rule"]
assert ("说已下单 %d 条（不算咨询）" % s["by_rule"]["ordered"]) in md
qs = " ".join(c["question"] for c in cl)
for must in ("加盐", "蛋黄", "试用装"):                         # the questions viewers asked most
    assert must in qs, (must, qs)
# the price questions are about two products (辅食机, 米粉: prompts_cluster.sh), each below the top 8
assert s["by_intent"]["spam"] >= 12 and s["floods_collapsed"] >= 5 and s["streamer_comments"] >= 10, s
rows = [json.loads(l) for l in open(d + "/comments.jsonl")]
assert len(rows) == 420
assert rows[0]["id"] == "41234567890885887" and rows[0]["text"] == "主播好漂亮"
ids = {c["id"] for c in cl}
assert any(r["cluster"] in ids for r in rows)
spam = [r for r in rows if "wx123456" in r["text"]]
assert spam and all(r["intent"] == "spam" and r["cluster"] is None for r in spam)
echo = [r for r in rows if r["text"] in ("同问", "+1", "同问+1")]
assert echo and all(r["intent"] != "question" for r in echo)
host = [r for r in rows if r["text"].startswith("主播：")]
assert host and all(r["intent"] == "chatter" and r["cluster"] is None for r in host)
posts = [json.loads(l) for l in open(d + "/next-posts.jsonl")]
assert len(posts) == 8
for q in posts:
    for k in ("id", "author", "text", "images", "likes", "comments", "tags", "post_type", "prompt", "evidence"):
        assert k in q, k
    assert q["evidence"]["cluster"] in ids
svg = xml.dom.minidom.parse(d + "/comments.svg")
assert svg.documentElement.tagName == "svg"
assert len(svg.getElementsByTagName("rect")) > 40
assert len(svg.getElementsByTagName("circle")) == 8
texts = [t.firstChild.data for t in svg.getElementsByTagName("text") if t.firstChild]
assert any("编号同 prompts.md" in t for t in texts), texts[:5]       # the circles are explained
# a filled circle marks a peak, a hollow one where a question spread over the stream was first asked:
# the chart does not pin a scattered question to its busiest minute (prompts.md says 分散 there)
circles = svg.getElementsByTagName("circle")
filled = [c.getAttribute("fill") == "#C0392B" for c in circles]
assert filled == [c["concentrated"] for c in cl[:8]], (filled, [c["concentrated"] for c in cl[:8]])
assert any("● 选题高峰" in t for t in texts) and any("○ 选题首次出现" in t for t in texts), texts[:6]
tips = [g.getElementsByTagName("title")[0].firstChild.data for g in svg.getElementsByTagName("g")]
assert len(tips) == 8 and all(t.startswith("%d. " % (i + 1)) for i, t in enumerate(tips)), tips
assert "之后分散在整场" in tips[0] and "集中在 3:00 前后" in tips[7], (tips[0], tips[7])
md = open(d + "/prompts.md").read()
assert md.count("**发圈提示词**") == 8 and "过滤规则统计" in md and "| question_mark | 问号提问 |" in md
PY
# the loop closes: once an editor writes the stubs' text, next-posts.jsonl is next week's posts input
python3 - "$T/a/next-posts.jsonl" "$T/written.jsonl" <<'PY' || fail "could not fill the stubs"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
for r in rows:
    r["text"] = "直播间好多宝妈问：" + r["evidence"]["question"] + " 今天统一回答，做法和注意事项都写在这里了。"
open(sys.argv[2], "w").write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
PY
"$ONEFISH" article "$T/written.jsonl" -o "$T/article" --quiet || fail "article on the written stubs: exit $?"
[ -s "$T/article/article.md" ] || fail "article.md from the written stubs"
# the kind of post is not a topic: it stays out of next week's title and section headings
grep -E '^(title:|#)' "$T/article/article.md" | grep -E '产品帖|问答帖|辟谣帖|致歉|预告' \
	&& fail "a post type became a topic of the article: $(grep -E '^(title:|#)' "$T/article/article.md")"
grep -q '"post_type":"问答帖"' "$T/a/next-posts.jsonl" || fail "next-posts.jsonl lacks post_type"
# stub ids carry the date of the pack's live (live.time 2026-11-26): no clash with next week's
head -1 "$T/a/next-posts.jsonl" | grep -q '^{"id":"next-1126-01",' || fail "stub id: $(head -c 40 "$T/a/next-posts.jsonl")"
# forcing a wrong format is a clear bad-input error
"$ONEFISH" prompts "$LOG" -o "$T/c" --format csv --quiet 2>"$T/err"
rc=$?
[ $rc -eq 3 ] || fail "--format csv on XML: exit $rc, want 3"
grep -q "live-2026-11-19.xml:1" "$T/err" || fail "no file:line in: $(cat "$T/err")"
# CSV columns mapped by name from the config
printf 'who,what,when\nbob,辅食要加盐吗,1:05\n' >"$T/map.csv"
printf 'prompts:\n  csv_text: what\n  csv_time: when\n  csv_user: who\n' >"$T/map.yaml"
"$ONEFISH" prompts "$T/map.csv" -o "$T/map" --config "$T/map.yaml" --quiet || fail "csv mapping: exit $?"
grep -q '"time":65.000,"user":"bob","text":"辅食要加盐吗"' "$T/map/comments.jsonl" || fail "csv mapping: $(cat "$T/map/comments.jsonl")"
# without --config, the pack's onefish.yaml one folder above the log is found (brand in the prompts)
"$ONEFISH" prompts "$LOG" -o "$T/near" --quiet || fail "prompts without --config: exit $?"
grep -q "暖暖母婴" "$T/near/prompts.md" || fail "pack config above the log not used"
# a folder given as the input holds its own config (it was looked for beside the folder)
mkdir -p "$T/fold/logs" && cp "$LOG" "$T/fold/logs/" && cp "$(dirname "$LOG")/../onefish.yaml" "$T/fold/logs/"
"$ONEFISH" prompts "$T/fold/logs" -o "$T/fold/out" 2>"$T/fold/err" >/dev/null || fail "folder input: exit $?"
grep -q "暖暖母婴" "$T/fold/out/prompts.md" || fail "the config inside a folder input was not used"
grep -q "onefish.yaml.*warning" "$T/fold/err" && fail "the folder's config was read as a comment log: $(cat "$T/fold/err")"
# and when there is none, the run says so instead of silently writing 「我们」
mkdir -p "$T/lone/a/b/c" && cp "$LOG" "$T/lone/a/b/c/log.xml"
"$ONEFISH" prompts "$T/lone/a/b/c/log.xml" -o "$T/lone/out" 2>"$T/err" >"$T/out" || fail "lone log: exit $?"
grep -q "no onefish.yaml beside" "$T/err" "$T/out" || fail "no note about the missing config: $(cat "$T/err")"
# a prompts.md an editor changed is not overwritten by a rerun into the same folder (--force does)
"$ONEFISH" prompts "$LOG" -o "$T/edit" --quiet 2>/dev/null || fail "edit: first run"
"$ONEFISH" prompts "$LOG" -o "$T/edit" --quiet 2>/dev/null || fail "edit: an unchanged rerun must not be refused"
echo "编辑加的一句" >>"$T/edit/prompts.md"
"$ONEFISH" prompts "$LOG" -o "$T/edit" --quiet 2>"$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'prompts.md was edited by hand' "$T/err" && grep -q '编辑加的一句' "$T/edit/prompts.md" \
	|| fail "an edited prompts.md was not kept (exit $rc): $(cat "$T/err")"
"$ONEFISH" prompts "$LOG" -o "$T/edit" --quiet --force 2>/dev/null && ! grep -q '编辑加的一句' "$T/edit/prompts.md" \
	|| fail "--force did not regenerate prompts.md"
# without prompts.json (what was written) an edit cannot be told from the original: the old
# prompts.md is kept aside as prompts.edited.md, with a warning, and a new one is written
echo "编辑加的一句" >>"$T/edit/prompts.md" && rm "$T/edit/prompts.json"
"$ONEFISH" prompts "$LOG" -o "$T/edit" 2>"$T/err" >/dev/null; rc=$?
[ $rc -eq 0 ] && grep -q 'kept as prompts.edited.md' "$T/err" && grep -q '编辑加的一句' "$T/edit/prompts.edited.md" \
	&& ! grep -q '编辑加的一句' "$T/edit/prompts.md" && [ -s "$T/edit/prompts.json" ] \
	|| fail "prompts.md without its record was lost or badly reported (exit $rc): $(cat "$T/err")"
# and a failed stage names its reason before the summary line
"$ONEFISH" prompts "$T/nonexistent.xml" -o "$T/edit" 2>"$T/err" >/dev/null
awk '/onefish prompts: error: /{r=NR} /prompts failed:/{s=NR} END{exit !(r && s && r < s)}' "$T/err" \
	|| fail "reason not before the summary: $(cat "$T/err")"
echo "prompts_example: ok"
