#!/bin/sh
# article_bench.sh — ingest + select + compose throughput: 100,000 generated
# posts (about 37 MB of JSONL) through `onefish article`, on one core.
# Target: <= 5 s. Figures go to docs/BENCHMARKS.md under "## Article".
set -u
N=${ARTICLE_BENCH_POSTS:-100000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
python3 - "$N" "$T/posts.jsonl" <<'PY'
import json, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(47)
topics = ["米粉", "辅食", "过敏", "便秘", "直播", "辅食机", "用户故事", "幕后"]
parts = ["宝宝六个月以后可以开始添加辅食", "先从强化铁的米粉开始", "一次只加一种新食物",
         "观察三天没有异常再换下一种", "性状从稀到稠、从细到粗", "宝宝不爱吃也不要硬喂",
         "直播间会现场演示蒸南瓜泥", "每一批原料都要留样送检", "有家族过敏史的宝宝要先咨询医生",
         "可以试试西梅泥和火龙果泥", "白天多让宝宝趴一趴爬一爬", "谢谢宝妈愿意分享自家宝宝的进步"]
with open(path, "w", encoding="utf-8") as f:
    for i in range(n):
        k = rnd.randint(4, 8)
        text = "🎉#" + rnd.choice(topics) + "# " + "，".join(rnd.choice(parts) for _ in range(k)) + "。第%d条分享，欢迎留言！" % i
        rec = {"id": "b%06d" % i, "time": "2026-11-%02dT%02d:%02d:00+08:00" % (16 + i % 7, i % 24, i % 60),
               "author": "暖暖妈", "text": text, "images": [], "likes": rnd.randint(0, 300),
               "comments": [{"user": "u", "text": "好"}], "tags": [rnd.choice(topics), rnd.choice(topics)]}
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
PY
bytes=$(wc -c <"$T/posts.jsonl")
start=$(date +%s.%N)
taskset -c 0 "$ONEFISH" article "$T/posts.jsonl" -o "$T/out" --quiet 2>"$T/err" || { cat "$T/err"; exit 1; }
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc)
echo "article: $N posts ($bytes bytes JSONL) -> article in ${secs}s on one core (target <= 5 s)"
python3 -c "import sys; sys.exit(0 if float('$secs') <= 5.0 else 1)" || { echo "article bench: over the 5 s target"; exit 1; }
