#!/bin/sh
# article_hashtags.sh — hashtags in real posts: a tag that is the topic of its
# sentence keeps its words (mini week p03 `🥕#手指食物# 什么时候开始？`, week 47
# p10 `…可香了！#宝妈反馈 每一条…`), labels go, and the trace's spans (what
# `onefish review` highlights) still land inside the paragraph text.
set -u
ROOT=${ONEFISH_ROOT:-$(pwd)}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "article_hashtags: FAIL: $*"; exit 1; }

"$ONEFISH" article "$ROOT/examples/week-2026-48-mini/posts.jsonl" -o "$T/mini" --quiet 2>"$T/err" ||
	fail "mini week: exit $?: $(cat "$T/err")"
"$ONEFISH" article "$ROOT/examples/week-2026-47/posts.jsonl" -o "$T/w47" --quiet 2>"$T/err" ||
	fail "week 47: exit $?: $(cat "$T/err")"

python3 - "$T" <<'PY' || exit 1
import json, re, sys, os, yaml
T = sys.argv[1]
def fail(msg):
    print("article_hashtags: FAIL:", msg); sys.exit(1)
def load(d):
    md = open(os.path.join(T, d, "article.md"), encoding="utf-8").read()
    m = re.match(r"^---\n(.*?)\n---\n(.*)$", md, re.S)
    if not m: fail(d + ": no front matter")
    tr = json.load(open(os.path.join(T, d, "article.trace.json"), encoding="utf-8"))
    return yaml.safe_load(m.group(1)), m.group(2), tr
def spans_inside(d, tr):
    posts = {p["id"]: p["text"] for p in tr["posts"]}
    for p in tr["paragraphs"]:
        for s in p["sources"]:
            for a, b in s["spans"]:
                frag = posts[s["post"]][a:b]
                if not frag or frag not in p["text"]:
                    fail("%s: span [%d,%d) of %s (%r) not in paragraph %d" % (d, a, b, s["post"], frag, p["para"]))
    for t in posts.values():
        if "#" in t: fail("%s: a # is left in a post's normalised text: %s" % (d, t))

fm, body, tr = load("mini")
lead = [l for l in body.split("\n") if l and not l.startswith(("#", "!["))][0]
if not lead.startswith("手指食物什么时候开始？"): fail("mini: lead lost its topic: " + lead)
if not fm["summary"].startswith("手指食物什么时候开始？"): fail("mini: summary %r" % fm["summary"])
if "手指食物" not in fm["tags"]: fail("mini: the tag 手指食物 is gone from the tags %r" % fm["tags"])
spans_inside("mini", tr)

fm, body, tr = load("w47")
posts = {p["id"]: p["text"] for p in tr["posts"]}
if "她吃得可香了！宝妈反馈每一条我们都收藏了" not in posts["p10"]: fail("p10 normalised: " + posts["p10"])
if "宝妈反馈每一条我们都收藏了" not in body: fail("week 47: p10's sentence lost its subject")
if "每一条我们都收藏了" in body.replace("宝妈反馈每一条我们都收藏了", ""): fail("week 47: subjectless 每一条… left")
if "宝宝便秘是这周后台问得特别多的问题" not in posts["p11"]: fail("p11 normalised: " + posts["p11"])
# labels opening a sentence that reads whole without them are gone
if not posts["p04"].startswith("上周我们团队去了"): fail("p04 label kept: " + posts["p04"][:30])
if not posts["p01"].startswith("高铁原味米粉"): fail("p01 label kept: " + posts["p01"][:30])
spans_inside("w47", tr)
PY
echo "article_hashtags: ok"
