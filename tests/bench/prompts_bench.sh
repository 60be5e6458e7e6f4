#!/bin/sh
# Benchmark of `onefish prompts` on a generated 1,000,000-comment bilibili log, next to a Python
# baseline (jieba + scikit-learn TF-IDF + MiniBatchKMeans) measured in the same run. Writes the figures
# into docs/BENCHMARKS.md under "## Prompts". Targets: <= 3 s on one core, peak RSS <= 1 GB.
#   tests/bench/prompts_bench.sh [COUNT]
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ONEFISH=${ONEFISH:-$ROOT/bin/onefish}
COUNT=${1:-1000000}
W=${BENCH_DIR:-/tmp/onefish-bench-prompts}
mkdir -p "$W"
LOG="$W/danmaku-$COUNT.xml"
[ -s "$LOG" ] || python3 "$ROOT/tests/bench/prompts_gen.py" "$LOG" "$COUNT" "$ROOT/../shared/corpus"
MB=$(python3 -c "import os,sys; print('%.1f' % (os.path.getsize(sys.argv[1]) / 1e6))" "$LOG")
export ONEFISH_DATADIR="$ROOT/assets"

measure() { # name, command... → "$W/name.time" holds: user sys wall maxrss_kb
	name=$1; shift
	/usr/bin/time -f "%U %S %e %M" -o "$W/$name.time" "$@" >"$W/$name.out" 2>"$W/$name.err"
}

# onefish: best of 3 (the machine may be shared); taskset pins it to one core when available
PIN=""
command -v taskset >/dev/null 2>&1 && PIN="taskset -c 0"
best=""
for i in 1 2 3; do
	rm -rf "$W/out"
	measure onefish $PIN "$ONEFISH" prompts "$LOG" -o "$W/out" --quiet
	cpu=$(awk '{print $1 + $2}' "$W/onefish.time")
	if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $cpu < $best else 1)"; then
		best=$cpu
		cp "$W/onefish.time" "$W/onefish.best"
	fi
done
read -r OU OS OW OM <"$W/onefish.best"
OCPU=$(python3 -c "print('%.2f' % ($OU + $OS))")
NCOM=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['comments'])" "$W/out/prompts.json")
NCL=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['clusters'])" "$W/out/prompts.json")

# baseline (Debian packages, installed here on purpose: not a build dependency). Debian's own
# interpreter is used: the packages live in its dist-packages, not in a pyenv/venv python3.
BPY=/usr/bin/python3
[ -x "$BPY" ] || BPY=python3
if ! "$BPY" -c "import jieba, sklearn" 2>/dev/null; then
	echo "bench: installing python3-jieba python3-sklearn for the baseline"
	SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends python3-jieba python3-sklearn >/dev/null
fi
measure baseline $PIN "$BPY" "$ROOT/tests/bench/prompts_baseline.py" "$LOG" "$W/baseline.json"
read -r BU BS BW BM <"$W/baseline.time"
BCPU=$(python3 -c "print('%.2f' % ($BU + $BS))")
BLINE=$(cat "$W/baseline.out")

mkdir -p "$ROOT/docs"
CPUINFO=$(grep -m1 "model name" /proc/cpuinfo | sed 's/.*: //')
LOAD=$(cut -d' ' -f1 /proc/loadavg)
python3 - "$ROOT/docs/BENCHMARKS.md" <<PY
import sys
path = sys.argv[1]
cpu, wall, rss = $OCPU, $OW, $OM / 1024
bcpu, bwall, brss = $BCPU, $BW, $BM / 1024
n, mb = $NCOM, $MB
sec = f"""## Prompts

\`tests/bench/prompts_bench.sh\`: \`onefish prompts\` on a generated bilibili danmaku log of {n:,} comments
({mb} MB, \`tests/bench/prompts_gen.py\`: template questions, purchase questions, complaints, praise,
chatter, noise, spam, echoes, host answers, floods and real danmaku texts from the corpus), parse +
normalise + classify + cluster + write all five outputs (comments.jsonl alone is one line per comment).
Pinned to one core; best of 3; CPU = user + system time (load average {float('$LOAD'):.1f} when measured:
on a shared machine wall time is shown but CPU time is the fair figure). {'$CPUINFO'}.

| run | CPU s | wall s | peak RSS | comments/s (CPU) | MB/s (CPU) |
|---|---|---|---|---|---|
| onefish prompts | {cpu:.2f} | {wall:.2f} | {rss:.0f} MB | {n/cpu:,.0f} | {mb/cpu:.1f} |
| Python baseline (xml.etree + jieba + scikit-learn TF-IDF + MiniBatchKMeans, questions only) | {bcpu:.2f} | {bwall:.2f} | {brss:.0f} MB | {n/bcpu:,.0f} | {mb/bcpu:.1f} |

Targets: <= 3 s on one core ({'met' if cpu <= 3 else 'NOT met'}: {cpu:.2f} s CPU), peak RSS <= 1 GB
({'met' if rss <= 1024 else 'NOT met'}: {rss:.0f} MB). onefish found {$NCL} clusters (all intents); the baseline
line: {'$BLINE'}.

<!-- prompts_bench.sh rewrites the section above this line; notes below it are kept. -->
"""
try:
    doc = open(path, encoding="utf-8").read()
except FileNotFoundError:
    doc = "# Benchmarks\n"
start = doc.find("## Prompts")
if start >= 0:
    end = doc.find("\n## ", start + 1)
    old = doc[start:end if end >= 0 else len(doc)]
    mark = "<!-- prompts_bench.sh rewrites"
    notes = old[old.index(mark):].split("\n", 1)[1].strip("\n") if mark in old else ""
    if notes:
        sec += "\n" + notes + "\n"
    doc = doc[:start] + sec + ("\n" + doc[end + 1:] if end >= 0 else "")
else:
    doc = doc.rstrip("\n") + "\n\n" + sec
open(path, "w", encoding="utf-8").write(doc)
print(sec)
PY
