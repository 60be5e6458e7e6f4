#!/bin/sh
# prompts clustering on the example week: questions that differ in what they ask about (egg yolk vs egg
# white, fish vs meat, two products' prices) are separate clusters, paraphrases stay together, and the
# ranked clusters never mix them. Also a corpus chat log: cheering for two different teams is not one request.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
LOG="$ONEFISH_ROOT/examples/week-2026-47/comments/live-2026-11-19.xml"
CFG="$ONEFISH_ROOT/examples/week-2026-47/onefish.yaml"
"$ONEFISH" prompts "$LOG" -o "$T/a" --config "$CFG" --top 30 --quiet || fail "prompts exit $?"
python3 - "$T/a" <<'PY' || exit 1
import json, sys
d = sys.argv[1]
rows = [json.loads(l) for l in open(d + "/comments.jsonl")]
def cluster_of(norm):
    ids = {r["cluster"] for r in rows if r["norm"] == norm}
    assert len(ids) == 1 and None not in ids, (norm, ids)   # every copy of one text: one cluster
    return ids.pop()
apart = [("蛋黄什么时候吃?", "蛋清什么时候能吃?"), ("辅食机能蒸鱼吗?", "辅食机能蒸肉吗"),
         ("辅食机多少钱", "米粉多少钱一罐"), ("试用装怎么领?", "抽奖送试用装吗?")]
for a, b in apart:
    if cluster_of(a) == cluster_of(b):
        sys.exit("merged: %s / %s" % (a, b))
together = [("试用装怎么领?", "有试用装吗", "有没有试用装?"),
            ("蛋黄什么时候吃", "蛋黄什么时候吃?"),
            ("一天吃几顿?", "一天吃几顿辅食", "8个月一天吃几顿辅食"),
            ("辅食机能蒸肉吗", "辅食机能蒸肉吗?"),
            ("链接在哪里啊?", "链接在哪"),
            ("米粉怎么冲才不结块?", "米粉老是结块怎么办", "米粉怎么冲?"),
            ("多少钱?", "辅食机多少钱"),                       # a generic price question joins one product
            ("链接在哪里啊?", "小黄车在哪", "怎么买?", "怎么下单"),   # one need, purchase.txt's topic
            ("偏远地区包邮吗?", "新疆能发吗", "几天能到啊")]
for g in together:
    ids = {cluster_of(t) for t in g}
    if len(ids) != 1:
        sys.exit("split: %s → %s" % (" / ".join(g), sorted(ids)))
p = json.load(open(d + "/prompts.json"))
for c in p["clusters"]:                                       # the brief shows coherent clusters
    ex = " ".join(c["examples"])
    for a, b in (("蛋黄", "蛋清"), ("蒸鱼", "蒸肉"), ("辅食机", "米粉多少钱")):
        if a in ex and b in ex:
            sys.exit("cluster %s mixes %s and %s: %s" % (c["id"], a, b, ex))
top = {c["question"] for c in p["clusters"][:3]}
assert "试用装怎么领？" in top and "蛋黄什么时候吃？" in top, top
md = open(d + "/prompts.md").read()
assert "辅食机多少钱" in md and "米粉多少钱一罐" in md
PY
YT="$ONEFISH_ROOT/../shared/corpus/youtube-livechat/chatdl-legacy-premiered-video-7413msgs.json"
if [ -f "$YT" ]; then
	"$ONEFISH" prompts "$YT" -o "$T/yt" --quiet || fail "prompts on $YT: exit $?"
	python3 - "$T/yt" <<'PY' || exit 1
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1] + "/comments.jsonl")]
def cl(norm):
    ids = {r["cluster"] for r in rows if r["norm"] == norm}
    assert len(ids) == 1 and None not in ids, (norm, ids)
    return ids.pop()
assert cl("please dream") != cl("techno please"), "two teams in one request cluster"
assert cl("please dream") == cl("dream pls") == cl("please dreamm"), "a stretched or abbreviated cheer was split"
PY
else
	echo "skip: corpus youtube chat not found"
fi
# Complaints about one problem in different words make one cluster (complaint.txt topics); complaints
# about two products' quality stay apart, as do two problems of the stream.
python3 - "$T/topics.jsonl" <<'PY'
import json, sys
lines = [("声音好小", "u1"), ("主播声音太小了", "u2"), ("听不清", "u3"), ("声音好小啊", "u4"), ("mic is muted", "u5"),
         ("音画不同步", "u6"), ("声音和画面对不上", "u7"), ("卡成ppt了", "u8"), ("又卡了", "u9"),
         ("鞋子开胶了", "u10"), ("衣服线头好多", "u11"), ("上次发货太慢了", "u12"), ("快递还没到", "u13")]
with open(sys.argv[1], "w") as f:
    for i, (t, u) in enumerate(lines):
        f.write(json.dumps({"time": i * 20, "user": u, "text": t}, ensure_ascii=False) + "\n")
PY
"$ONEFISH" prompts "$T/topics.jsonl" -o "$T/t" --top 20 --quiet || fail "prompts on topics.jsonl: exit $?"
python3 - "$T/t" <<'PY' || exit 1
import json, sys
d = sys.argv[1]
rows = {r["text"]: r for r in map(json.loads, open(d + "/comments.jsonl"))}
assert all(r["intent"] == "complaint" for r in rows.values()), [(t, r["intent"]) for t, r in rows.items()]
same = [("声音好小", "主播声音太小了", "听不清", "声音好小啊", "mic is muted"), ("音画不同步", "声音和画面对不上"),
        ("卡成ppt了", "又卡了"), ("上次发货太慢了", "快递还没到")]
for g in same:
    ids = {rows[t]["cluster"] for t in g}
    assert len(ids) == 1, ("split", g, ids)
ids = [rows[g[0]]["cluster"] for g in same] + [rows["鞋子开胶了"]["cluster"], rows["衣服线头好多"]["cluster"]]
assert len(set(ids)) == len(ids), ("merged two problems", ids)
cl = {c["id"]: c for c in json.load(open(d + "/prompts.json"))["clusters"]}
want = {"直播声音小": 5, "音画不同步": 2, "直播卡顿": 2, "发货物流": 2}
got = {c["topic"]: c["users"] for c in cl.values() if c["topic"]}
assert got == want, got
assert cl[rows["鞋子开胶了"]["cluster"]]["topic"] is None        # one product's quality: no topic
md = open(d + "/prompts.md").read()
assert "- 归类：直播声音小（说法不同的同类评论已合在一起）" in md
assert md.count("- 归类：") == 4, md.count("- 归类：")
posts = [json.loads(l) for l in open(d + "/next-posts.jsonl")]
assert sorted(p["evidence"]["topic"] for p in posts if "topic" in p["evidence"]) == sorted(want), posts
PY
echo "prompts_cluster: ok"
