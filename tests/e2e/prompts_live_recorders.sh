#!/bin/sh
# bilibili live recordings as the common recorders save them (BililiveRecorder 2.x, blrec, and biliLive-tools,
# which writes Douyin recordings in the same shape: read here from one of those): read as
# bilibili danmaku (not refused as HTML for the stylesheet BililiveRecorder embeds), every record counted
# by an independent XML parser, superchats kept as paid messages ranked by their price, gifts and guard
# purchases never questions, the streamer's danmaku (the recorder names the room's streamer) are the
# host's answers, a room admin's (房管, from BililiveRecorder's raw="…") a moderator's, and the brief says all of it.
set -u
F="$ONEFISH_ROOT/tests/fixtures/comments"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
for f in bililive-recorder blrec bililive-tools-douyin; do
	"$ONEFISH" prompts "$F/$f.xml" -o "$T/$f" --quiet 2>"$T/$f.err" || fail "$f: exit $? $(cat "$T/$f.err")"
	[ -s "$T/$f.err" ] && fail "$f: unexpected messages: $(cat "$T/$f.err")"
	python3 - "$F/$f.xml" "$T/$f" <<'PY' || fail "$f: outputs"
import json, sys, xml.dom.minidom
path, out = sys.argv[1], sys.argv[2]
s_host = lambda j: j["summary"]["streamer_comments"]
doc = xml.dom.minidom.parse(path)                       # an independent XML parser
root = doc.documentElement
kinds = {"d": "chat", "sc": "superchat", "gift": "gift", "guard": "gift"}
want = [e for e in root.childNodes if e.nodeType == e.ELEMENT_NODE and e.tagName in kinds]
summary = json.load(open(out + "/prompts.json"))
assert summary["inputs"][0]["format"] == "bilibili", summary["inputs"]
assert summary["inputs"][0]["comments"] == len(want), (summary["inputs"][0]["comments"], len(want))
# the site recorded, from biliLive-tools' <platform>, else the recorder (the other two record bilibili only)
named = [e.firstChild.data.strip().lower() for e in doc.getElementsByTagName("platform")]
site = named[0] if named else "bilibili"
assert summary["inputs"][0]["platform"] == site, summary["inputs"]
brief = open(out + "/prompts.md").read()
assert {"douyin": "（抖音直播录制，格式 bilibili，", "bilibili": "（B站直播录制，格式 bilibili，"}[site] in brief, brief[:300]
rows = [json.loads(l) for l in open(out + "/comments.jsonl")]
assert len(rows) == len(want)
for e, r in zip(want, rows):
    kind = r.get("kind", "chat")
    assert kind == kinds[e.tagName], (e.tagName, r)
    text = "".join(n.data for n in e.childNodes if n.nodeType == n.TEXT_NODE)
    if e.tagName in ("d", "sc"):
        assert r["text"] == text, (text, r["text"])
    if e.tagName == "sc":
        price = float(e.getAttribute("price"))
        assert r["weight"] == (price / 1000 if price >= 30000 else price), r
    if e.tagName in ("gift", "guard"):
        assert r["intent"] == "noise" and r["rule"] == "gift", r
        assert r["text"] in (e.getAttribute("giftname"), "舰长"), r
    ts = e.getAttribute("ts")
    if ts and float(ts) > 1e9:                          # biliLive-tools: a Unix time in ms, made an offset
        start = int(doc.getElementsByTagName("video_start_time")[0].firstChild.data)
        assert abs(r["time"] - (float(ts) - start) / 1000) < 0.001, (ts, r)
# the streamer (named by the recorder's header) answers; the answer is the host's, never a question
assert s_host(summary) == 1, summary["summary"]
uid = {r["user"] for r in rows}
assert "0" not in uid, uid                              # blrec's hidden uid="0" is not one user
s = summary["summary"]
assert s["superchats"] == sum(1 for e in want if e.tagName == "sc"), s
assert s["by_rule"]["gift"] == sum(1 for e in want if e.tagName in ("gift", "guard")), s
md = open(out + "/prompts.md", encoding="utf-8").read()
assert s["superchats"] == 0 or "醒目留言（付费留言）%d 条" % s["superchats"] in md
assert "礼物 %d 次（送礼、上舰）是平台事件" % s["by_rule"]["gift"] in md   # a bilibili recording: no YouTube stickers
clusters = summary["clusters"]
assert all(c["question"] not in ("辣条", "舰长", "这个好诶", "小心心") for c in clusters)
if path.endswith("douyin.xml"):
    assert s["ignored_records"] == len(root.getElementsByTagName("member")), s   # viewers entering
    assert clusters[0]["answers"] == ["这款米粉是一段的，6个月以上就能吃"], clusters[0]
if path.endswith("bililive-recorder.xml"):
    # a paid question asked once outranks a plain one asked once, and the dearer one comes first
    order = [c["question"] for c in clusters]
    fish, egg, plain = "辅食机能蒸鱼吗？想给十个月宝宝做鱼泥", "宝宝对鸡蛋过敏，米粉里有蛋吗？", "今天讲辅食吗"
    assert order.index(fish) < order.index(egg) < order.index(plain), order
    assert [(c["weight"], c["superchats"]) for c in clusters if c["question"] == fish] == [(50, 1)], clusters
    assert sum(c["superchats"] for c in clusters) == 2, clusters
    assert md.count("1 位观众，1 条评论（其中醒目留言 1 条）") == 2, md
    rice = [c for c in clusters if c["question"] == "米粉几个月可以吃？"][0]
    assert rice["answers"] == ["米粉六个月以上就可以吃啦，先从一勺开始"], rice
    # raw="…" (the platform's DANMU_MSG info): the sender's is_admin (info[2][2]) 1 is a room admin (房管),
    # staff: their line is a moderator's answer, never a question; is_admin 0 is a viewer
    raws = {e.firstChild.data: json.loads(e.getAttribute("raw"))[2][2] for e in want if e.getAttribute("raw")}
    assert sorted(raws.values()) == [0, 1], raws
    for r in rows:
        if r["text"] in raws:
            assert r.get("role") == ("moderator" if raws[r["text"]] else None), r
    assert s["moderator_comments"] == 1, s
    link = [c for c in clusters if c["question"] == "链接在哪里？"][0]
    assert link["answers"] == ["链接在小黄车2号，点一下就能看到"], link
    assert "管理员（房管）的发言 1 条" in md and "管理员在直播里的回答：链接在小黄车2号" in md
print("%-24s %3d records (independent count %d), %d superchats, %d gifts"
      % (path.split("/")[-1], len(rows), len(want), s["superchats"], s["by_rule"]["gift"]))
PY
done
# a recording in two parts (the recorder started a new file 30 minutes in): part two's offsets count
# from its own start, and are lined up by the start times the headers give; parts a day apart are
# two streams and stay as they are
python3 - "$F/bililive-recorder.xml" "$T" <<'PY' || fail "parts: could not write them"
import re, sys
src, t = sys.argv[1], sys.argv[2]
s = open(src, encoding="utf-8", newline="").read()
head, body = s.split("<d ", 1)
recs = re.findall(r"<(?:d|sc|gift|guard) .*?(?:</d>|</sc>|/>)\r\n", "<d " + body)
open(t + "/part1.xml", "w", encoding="utf-8", newline="").write(head + "".join(recs[:8]) + "</i>\r\n")
for name, start in (("part2", "20:30:00"), ("nextday", "20:30:00", )):
    h = head if name == "part2" else head.replace("2026-11-19T", "2026-11-20T")
    h = h.replace('start_time="2026-11-19T20:00:00', 'start_time="2026-11-19T' + start)
    h = h.replace('start_time="2026-11-20T20:00:00', 'start_time="2026-11-20T' + start)
    open(t + "/" + name + ".xml", "w", encoding="utf-8", newline="").write(h + "".join(recs[8:]) + "</i>\r\n")
PY
"$ONEFISH" prompts "$T/part1.xml" "$T/part2.xml" -o "$T/parts" --quiet || fail "parts: exit $?"
"$ONEFISH" prompts "$T/part1.xml" "$T/nextday.xml" -o "$T/days" --quiet || fail "days: exit $?"
python3 - "$T" <<'PY' || fail "parts: times not lined up"
import json, sys
t = sys.argv[1]
def load(d):
    return json.load(open(t + "/" + d + "/prompts.json")), [json.loads(l) for l in open(t + "/" + d + "/comments.jsonl")]
p, rows = load("parts")
assert "offset" not in p["inputs"][0] and p["inputs"][1]["offset"] == 1800, p["inputs"]
n1 = p["inputs"][0]["comments"]
assert all(r["time"] < 1800 for r in rows[:n1]) and all(r["time"] >= 1800 for r in rows[n1:]), [r["time"] for r in rows]
assert p["summary"]["duration"] > 1800, p["summary"]["duration"]
d, rows = load("days")
assert all("offset" not in i for i in d["inputs"]), d["inputs"]
assert max(r["time"] for r in rows) < 200
print("parts: part two lined up at +%d s; a part a day later left as it is" % p["inputs"][1]["offset"])
PY
# a real web page is still named as one
printf '<!DOCTYPE html>\n<html><body><table><tr><td>弹幕</td></tr></table></body></html>\n' >"$T/page.xml"
"$ONEFISH" prompts "$T/page.xml" -o "$T/page" 2>"$T/page.err"
rc=$?
[ $rc -eq 3 ] || fail "html page: exit $rc, want 3"
grep -q "HTML is not a comment format onefish reads" "$T/page.err" || fail "html page: $(cat "$T/page.err")"
echo "prompts_live_recorders: ok"
