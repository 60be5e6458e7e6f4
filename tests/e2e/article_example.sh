#!/bin/sh
# article_example.sh — `onefish article` on the example week: the four files,
# front matter, length target, trace, WeChat HTML rules, no repeated sentence,
# bad-record handling with and without --strict.
set -u
ROOT=${ONEFISH_ROOT:-$(pwd)}
WEEK="$ROOT/examples/week-2026-47"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "article_example: FAIL: $*"; exit 1; }

"$ONEFISH" article "$WEEK/posts.jsonl" -o "$T/out" --quiet 2>"$T/err" || fail "exit $? on the example week: $(cat "$T/err")"
for f in article.md article.html article.wechat.html article.trace.json; do
	[ -s "$T/out/$f" ] || fail "missing $f"
done

python3 - "$T/out" <<'PY' || exit 1
import json, re, sys, os, yaml
out = sys.argv[1]
def fail(msg):
    print("article_example: FAIL:", msg); sys.exit(1)
md = open(os.path.join(out, "article.md"), encoding="utf-8").read()
m = re.match(r"^---\n(.*?)\n---\n(.*)$", md, re.S)
if not m: fail("no front matter")
fm = yaml.safe_load(m.group(1))
for k in ("title", "summary", "tags", "sources", "engine"):
    if k not in fm: fail("front matter lacks " + k)
if fm["engine"] != "offline": fail("engine is %r" % fm["engine"])
if not isinstance(fm["sources"], list) or len(fm["sources"]) < 5: fail("sources %r" % fm["sources"])
body = m.group(2)
han = len(re.findall(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]", body))
if not 800 <= han <= 1500: fail("body is %d Han characters, outside 800..1500" % han)
heads = re.findall(r"^## ", body, re.M)
if not 3 <= len(heads) <= 6: fail("%d headings (2-5 sections + closing expected)" % len(heads))
imgs = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", body)
if len(imgs) < 6: fail("only %d images" % len(imgs))
for p in imgs:
    if not os.path.isfile(os.path.join(out, p)): fail("image path %s does not resolve from the output folder" % p)
if "点击预约" not in body or "暖暖育儿说" not in body: fail("closing CTA missing")
# section headings do not repeat a topic ("直播与辅食机" then "辅食机与直播回顾" read as one section twice)
heads = [h[3:].strip() for h in body.splitlines() if h.startswith("## ")]
said = set()
for h in heads:
    words = h.split("与")
    if len(words) == 2 and any(w in said for w in words): fail("heading repeats a topic: " + h + " after " + str(heads))
    said.update(words)
# a line that only shows a photo ("拍给大家看看") is not a paragraph of the article
if "拍给大家看看" in body: fail("photo-only line kept: " + body[body.index("拍给大家看看") - 40:][:60])
# no repeated sentence
sents = [s for s in re.split(r"(?<=[。！？!?])", re.sub(r"!\[.*?\]\(.*?\)|^#+ .*$", "", body, flags=re.M)) if len(s.strip()) > 4]
seen = set()
for s in sents:
    k = s.strip()
    if k in seen: fail("repeated sentence: " + k)
    seen.add(k)
tr = json.load(open(os.path.join(out, "article.trace.json"), encoding="utf-8"))
ids = {p["id"]: p["text"] for p in tr["posts"]}
if not tr["paragraphs"]: fail("trace has no paragraphs")
for p in tr["paragraphs"]:
    if not p["sources"]: fail("paragraph %d has no source" % p["para"])
    for s in p["sources"]:
        if s["post"] not in ids: fail("unknown post " + s["post"])
        for a, b in s["spans"]:
            frag = ids[s["post"]][a:b]
            if frag not in p["text"]: fail("span %d:%d of %s not in paragraph %d" % (a, b, s["post"], p["para"]))
if not any(l["term"] == "第一" for l in tr["lint"]): fail("lint did not flag 第一 (post p09)")
# p09: 销量行业第一 is a ranking, 第一批500台 an ordinal
ptext = {p["para"]: p["text"] for p in tr["paragraphs"]}
for l in tr["lint"]:
    t = ptext.get(l["para"], "")
    if t[l["offset"]:l["offset"] + len(l["term"])] != l["term"]:
        fail("lint offset %d of para %d does not point at %s" % (l["offset"], l["para"], l["term"]))
    if l["term"] == "第一" and t[l["offset"]:].startswith("第一批"): fail("lint flags the ordinal 第一批")
if "第一批500台" not in md: fail("p09's 第一批 is not in the article any more (the test needs it)")
# connectives (另外，/此外，) are used sparingly: never on two paragraphs in a row, never before a time word
conns = [p for p in tr["paragraphs"] if p.get("connective")]
if not conns: fail("no connective at all (the example has sections with several posts)")
for a, b in zip(tr["paragraphs"], tr["paragraphs"][1:]):
    if a.get("connective") and b.get("connective"): fail("connectives on paragraphs %d and %d" % (a["para"], b["para"]))
for p in conns:
    rest = p["text"][len(p["connective"]):]
    if re.match(r"(周末|下周|上周|这周|昨晚|今晚|\d+月)", rest): fail("connective before a time word: " + p["text"][:20])
# p07 (Wed) announced 这周四晚8点 直播; by the last post (Sun 22nd) it is past: flagged once, as tense.
# p09's 昨晚 (Fri, about Thursday's stream) was past when written: not flagged.
tense = [l for l in tr["lint"] if l["category"] == "tense"]
if [(l["post"], l["term"]) for l in tense] != [("p07", "11月19日（周四）")]:
    fail("tense flags %s, want p07's 11月19日（周四） only" % [(l.get("post"), l["term"]) for l in tense])
if "我会和营养师" not in ptext[tense[0]["para"]]: fail("the tense flag is not on the announcing paragraph")
wx = open(os.path.join(out, "article.wechat.html"), encoding="utf-8").read()
if re.search(r"<\s*(style|script)\b", wx, re.I): fail("wechat.html has <style> or <script>")
for tag in re.findall(r"<(h1|h2|h3|p|section|img|sup|strong|em|blockquote|li|ul|ol)\b([^>]*)>", wx):
    if "style=" not in tag[1]: fail("<%s> without style=" % tag[0])
if "<a " in wx: fail("wechat.html keeps a link (WeChat strips them; footnotes expected)")
if re.search(r"<https?://", body) and "[1]" not in wx: fail("link footnote missing")
html = open(os.path.join(out, "article.html"), encoding="utf-8").read()
if "<h1>" not in html or "<img" not in html: fail("article.html lacks heading or images")
# photos must fit the reading column (a 1024-px photo at natural size pushed the text off screen)
if not re.search(r"<style>[^<]*img \{[^}]*max-width: 100%", html): fail("article.html does not fit images to the column")
PY

# deterministic: a second run gives the same bytes
"$ONEFISH" article "$WEEK/posts.jsonl" -o "$T/out2" --quiet 2>/dev/null || fail "second run"
for f in article.md article.html article.wechat.html article.trace.json; do
	cmp -s "$T/out/$f" "$T/out2/$f" || fail "$f differs between two runs"
done

# a malformed line between good ones: warning + exit 0, or exit 3 under --strict
mkdir -p "$T/bad"
cp -r "$WEEK/images" "$T/bad/"
{ head -n 3 "$WEEK/posts.jsonl"; echo '{"id":"p99","text": oops}'; tail -n +4 "$WEEK/posts.jsonl"; } >"$T/bad/posts.jsonl"
cp "$WEEK/onefish.yaml" "$T/bad/"
"$ONEFISH" article "$T/bad/posts.jsonl" -o "$T/bo" 2>"$T/err1"
rc=$?
[ $rc -eq 0 ] || fail "malformed line without --strict: exit $rc, want 0"
grep -q "posts.jsonl:4:" "$T/err1" || fail "no file:line warning for the bad line: $(cat "$T/err1")"
"$ONEFISH" article "$T/bad/posts.jsonl" -o "$T/bo2" --strict 2>"$T/err2"
rc=$?
[ $rc -eq 3 ] || fail "malformed line under --strict: exit $rc, want 3"
grep -q "posts.jsonl:4:" "$T/err2" || fail "strict error lacks file:line: $(cat "$T/err2")"
[ -e "$T/bo2/article.md" ] && fail "--strict failure still wrote article.md"

# the review page names the lint category in Chinese for the editor (the example flags 最/第一)
"$ONEFISH" review "$T/out" 2>/dev/null || fail "review of the article output: exit $?"
grep -q '<td>极限词 absolute</td>' "$T/out/index.html" || fail "review page lint category not in Chinese"
grep -q '<td>时态 tense</td>' "$T/out/index.html" || fail "review page lacks the tense flag"

# <script> in a post is text in every HTML output
printf '%s\n' '{"id":"x1","time":"2026-11-17T10:00:00+08:00","text":"宝宝辅食要慢慢加，<script>alert(1)</script>先从米粉开始，一次一种新食物。观察三天没有异常再换下一种，别着急。月龄表放在 https://example.cn/table 可以查看。","likes":5,"tags":["辅食"]}' \
	'{"id":"x2","time":"2026-11-18T10:00:00+08:00","text":"直播间会现场演示蒸南瓜泥，还会抽奖送试用装。有问题可以留言，我们在直播里统一回答。","likes":3,"tags":["直播"]}' >"$T/s.jsonl"
"$ONEFISH" article "$T/s.jsonl" -o "$T/so" --quiet 2>/dev/null || fail "script post: exit $?"
for f in article.html article.wechat.html; do
	grep -qi "<script" "$T/so/$f" && fail "$f contains a live <script>"
	grep -q "&lt;script&gt;" "$T/so/$f" || fail "$f does not show <script> as text"
done
grep -q '\[1\]' "$T/so/article.wechat.html" || fail "no numbered footnote for the link"
grep -q 'https://example.cn/table' "$T/so/article.wechat.html" || fail "footnote lacks the URL"
grep -q '<a ' "$T/so/article.wechat.html" && fail "wechat.html keeps a link"
# an article.md an editor changed is not overwritten by a rerun into the same folder (--force does)
"$ONEFISH" article "$T/s.jsonl" -o "$T/so" --quiet 2>/dev/null || fail "an unchanged rerun must not be refused"
echo "编辑加的一句" >>"$T/so/article.md"
"$ONEFISH" article "$T/s.jsonl" -o "$T/so" --quiet 2>"$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'article.md was edited by hand' "$T/err" && grep -q '编辑加的一句' "$T/so/article.md" \
	|| fail "an edited article.md was not kept (exit $rc): $(cat "$T/err")"
"$ONEFISH" article "$T/s.jsonl" -o "$T/so" --quiet --force 2>/dev/null && ! grep -q '编辑加的一句' "$T/so/article.md" \
	|| fail "--force did not regenerate article.md"
echo "article_example: ok"
