#!/bin/sh
# Times in the prompts outputs are written to the millisecond, without float noise
# (367.985, never 367.98500000000001), and next-posts.jsonl agrees with prompts.json.
set -u
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ROOT=${ONEFISH_ROOT:-.}
"$ONEFISH" prompts "$ROOT/examples/week-2026-47/comments/live-2026-11-19.xml" -o "$t/p" >/dev/null 2>"$t/err" \
	|| { echo "FAIL: prompts: $(tail -3 "$t/err")"; exit 1; }
python3 - "$t/p" <<'PY'
import json, re, sys
d = sys.argv[1]
fails = 0
for name in ("next-posts.jsonl", "prompts.json"):
    raw = open(d + "/" + name, encoding="utf-8").read()
    # numbers outside strings: drop the strings first
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', '""', raw)
    noisy = re.findall(r'-?\d+\.\d{4,}(?:[eE][-+]?\d+)?', bare)
    if noisy:
        print("FAIL: %s has numbers with float noise: %s" % (name, noisy[:5])); fails += 1
    else:
        print("ok: %s numbers have at most 3 decimals" % name)
clusters = {c["id"]: c for c in json.load(open(d + "/prompts.json"))["clusters"]}
posts = [json.loads(l) for l in open(d + "/next-posts.jsonl", encoding="utf-8")]
ms = 0
for p in posts:
    ev = p["evidence"]
    c = clusters[ev["cluster"]]
    for k in ("first", "peak"):
        if ev[k] != c[k]:
            print("FAIL: %s %s: next-posts %r, prompts.json %r" % (ev["cluster"], k, ev[k], c[k])); fails += 1
        ms += ev[k] != round(ev[k])
print("ok: %d stubs agree with prompts.json (%d times with milliseconds)" % (len(posts), ms))
sys.exit(1 if fails or not posts else 0)
PY
