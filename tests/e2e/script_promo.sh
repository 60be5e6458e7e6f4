#!/bin/sh
# script_promo.sh — the example week's 15/30/60 s scripts read as one coherent promo for the
# next live: no past live advertised, no call to action or thank-you in the body, no dangling
# label, no shot opening on a sentence that leans on one the viewer never heard, no bare greeting,
# no topic raised and left unanswered, sentences said
# whole unless longer than a scene, the hook's question answered next, and the article's own
# call to action at the end of a saved page's script; the mini week's past 11-26 live (今晚8点
# written at 18:45) is announced by no scene. Prints each script's narration. (A saved
# page has no article trace, so nothing says the 11-19 live is past: not checked there.)
set -u
: "${ONEFISH:?}" "${ONEFISH_ROOT:?}"
T=$(mktemp -d /tmp/onefish-e2e-promo-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
say() { echo "script_promo: $*"; }
bad() { say "FAIL: $*"; fail=1; }
W="$ONEFISH_ROOT/examples/week-2026-47"

check() { # script-dir label configured(0/1)
	python3 - "$@" <<'PY' || return 1
import json, re, sys
d, label, configured = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
sc = json.load(open(d + "/script.json", encoding="utf-8"))["scenes"]
errs = []
bare = lambda t: re.sub(r"^(答：|问：|此外，|另外，|还有，|同时，)", "", t)
strip = lambda t: re.sub(r"[\s，、。；：！？,;:.!?]", "", bare(t))
print("  %s: %s" % (label, " | ".join(s["narration"] for s in sc)))
if sc[0]["kind"] != "hook" or sc[-1]["kind"] != "cta":
    errs.append("not hook … cta")
past = ["11月19日（周四）晚8点", "直播间会现场演示", "还会抽20位"]          # the 11-19 live, flagged by the tense lint
calls = ["点击预约", "直播间见", "关注公众号", "开播前收到提醒"]          # the CTA scene's to say
service = ["谢谢", "感谢", "售后", "到仓", "下单顺序"]                    # customer service, not promotion
for i, s in enumerate(sc):
    n = s["narration"]
    # a saved page has no trace, so no tense lint to say which live is past (not checked there)
    for w in (past if configured else []) + ["链接", "：。"] + ((calls + service) if s["kind"] != "cta" else []):
        if w in n:
            errs.append("scene %d (%s) says 「%s」: %s" % (i + 1, s["kind"], w, n))
    # a new shot never opens on 她/这款/所以… (a caption page of the same shot may: it goes on)
    if s["kind"] == "body" and s["transition"]["type"] != "cut" and \
       re.match(r"(这(?!周|两天|几天)|那|所以|但|不过|也(?!许)|另外(?!，)|还有(?!，)|她|他|它)", bare(n)):
        errs.append("scene %d opens a shot leaning back: %s" % (i + 1, n))
body = "".join(strip(s["narration"]) for s in sc if s["kind"] == "body")
for i, s in enumerate(sc):
    if s["kind"] != "body":
        continue
    for src in s["sources"]:
        t = src.get("text", "")
        # said whole unless longer than a scene may take (36 字; Latin and digits count less)
        if len(strip(t)) <= 30 and strip(t) not in body:
            errs.append("scene %d cuts 「%s」: %s" % (i + 1, t, s["narration"]))
h = sc[0]
if h["narration"].endswith("？") and "paragraph" in h["sources"][0]:
    a = sc[1]["sources"][0]
    hs = h["sources"][0]
    if (a.get("paragraph"), a.get("sentence")) != (hs["paragraph"], hs["sentence"] + 1):
        errs.append("the hook's question is not answered next: %s → %s" % (h["narration"], sc[1]["narration"]))
if not configured and sc[-1]["narration"] != "点击预约，周四晚8点直播间见！":
    errs.append("CTA is not the article's own: %s" % sc[-1]["narration"])
# the hook's answer keeps its caveat or condition: never cut at the comma before it
for cut in ("两到三顿。", "9个月左右。"):
    for i, s in enumerate(sc):
        if s["narration"].endswith(cut):
            errs.append("scene %d cuts the answer before its caveat: %s" % (i + 1, s["narration"]))
answers = {"宝宝一天吃几顿辅食？": "奶依然是主要的营养来源", "手指食物什么时候开始？": "能坐稳会用手抓东西就可以试试"}
if h["narration"] in answers and answers[h["narration"]] not in body:
    errs.append("the answer to %s drops 「%s」" % (h["narration"], answers[h["narration"]]))
# no bare greeting mid-video, and a raised topic is answered right after it (QA: 「宝宝便秘是这周后台
# 问得特别多的问题。」 alone at 15 s, 「新的一周开始啦！」 in the mini pack's 30 and 60 s scripts)
for i, s in enumerate(sc):
    if re.fullmatch(r"(哈喽|嗨)?[，！～ ]*(新的一周(又)?开始(啦|了)|大家好|早上好|周末愉快)[！～。]*", s["narration"]):
        errs.append("scene %d is a bare greeting: %s" % (i + 1, s["narration"]))
said = "".join(s["narration"] for s in sc)
if "宝宝便秘是这周后台问得特别多的问题。" in said and "宝宝便秘是这周后台问得特别多的问题。加辅食以后大便变干" not in said:
    errs.append("「宝宝便秘是这周后台问得特别多的问题。」 is not answered next")
# the call to action says what to do and when (live.cta, else the article's), at every length
if "点击预约，周四晚8点直播间见" not in sc[-1]["narration"]:
    errs.append("CTA without 预约 and time: %s" % sc[-1]["narration"])
for e in errs:
    print("    " + e)
sys.exit(1 if errs else 0)
PY
}

# the article `onefish run` writes for the week (its config: the closing, the live)
if ! "$ONEFISH" article "$W/posts.jsonl" -o "$T/a" --config "$W/onefish.yaml" --quiet 2>/dev/null; then
	bad "onefish article on the example week failed"
	exit 1
fi
grep -q '"category": "tense"' "$T/a/article.trace.json" || bad "premise: the tense lint flags the 11-19 live"
for d in 15 30 60; do
	if "$ONEFISH" script "$T/a/article.md" -o "$T/s$d" --duration $d --config "$W/onefish.yaml" --quiet 2>/dev/null; then
		check "$T/s$d" "week $d s" 1 || bad "example week, $d s"
	else
		bad "example week, $d s: exit $?"
	fi
done
# live.title without live.cta: the article's own call to action after the title
grep -v '^  cta:' "$W/onefish.yaml" >"$T/nocta.yaml"
for d in 15 30 60; do
	if "$ONEFISH" script "$T/a/article.md" -o "$T/n$d" --duration $d --config "$T/nocta.yaml" --quiet 2>/dev/null; then
		check "$T/n$d" "week $d s, no live.cta" 1 || bad "example week without live.cta, $d s"
	else
		bad "example week without live.cta, $d s: exit $?"
	fi
done
# the mini pack: 「一般宝宝9个月左右，能坐稳、会用手抓东西，…」 said whole even at 15 s
M="$ONEFISH_ROOT/examples/week-2026-48-mini"
if "$ONEFISH" article "$M/posts.jsonl" -o "$T/m" --config "$M/onefish.yaml" --quiet 2>/dev/null; then
	for d in 15 30 60; do
		if "$ONEFISH" script "$T/m/article.md" -o "$T/m$d" --duration $d --config "$M/onefish.yaml" --quiet 2>/dev/null; then
			check "$T/m$d" "mini pack $d s" 1 || bad "mini pack, $d s"
		else
			bad "mini pack, $d s: exit $?"
		fi
	done
else
	bad "onefish article on the mini pack failed"
fi
# the same article as a saved page: no trace, no onefish.yaml
mkdir -p "$T/saved" && cp "$T/a/article.html" "$T/saved/"
for d in 15 30 60; do
	if "$ONEFISH" script "$T/saved/article.html" -o "$T/h$d" --duration $d --quiet 2>/dev/null; then
		check "$T/h$d" "saved page $d s" 0 || bad "saved page, $d s"
	else
		bad "saved page, $d s: exit $?"
	fi
done

# The mini week: p03 (18:45) announced 今晚8点 for 11-26, p04 thanks for coming and names 12-03:
# the tense lint flags p03 and no scene of its scripts still announces 11月26日.
M="$ONEFISH_ROOT/examples/week-2026-48-mini"
if "$ONEFISH" article "$M/posts.jsonl" -o "$T/m" --config "$M/onefish.yaml" --quiet 2>/dev/null; then
	python3 - "$T/m/article.trace.json" <<'PY' || bad "mini: the tense lint does not flag p03's 今晚8点"
import json, sys
t = [(l["post"], l["term"]) for l in json.load(open(sys.argv[1], encoding="utf-8"))["lint"] if l["category"] == "tense"]
sys.exit(0 if any(p == "p03" and "11月26日" in term for p, term in t) else 1)
PY
	for d in default 15 30 60; do
		opt="--duration $d"
		[ $d = default ] && opt=
		# shellcheck disable=SC2086
		if "$ONEFISH" script "$T/m/article.md" -o "$T/m$d" $opt --config "$M/onefish.yaml" --quiet 2>/dev/null; then
			python3 - "$T/m$d/script.json" "$d" <<'PY' || bad "mini week, $d s: a scene announces the past 11-26 live"
import json, re, sys
sc = json.load(open(sys.argv[1], encoding="utf-8"))["scenes"]
print("  mini %s s: %s" % (sys.argv[2], " | ".join(s["narration"] for s in sc)))
ahead = re.compile("直播|开播|预约|不见不散|等你|记得来|准时|欢迎来")
bad = [s["narration"] for s in sc if ("11月26日" in s["narration"] and ahead.search(s["narration"]))
       or "准时开播" in s["narration"] or "欢迎来听听" in s["narration"]]     # p03's other invitations
for n in bad:
    print("    still to come: " + n)
sys.exit(1 if bad else 0)
PY
		else
			bad "mini week, $d s: exit $?"
		fi
	done
else
	bad "onefish article on the mini week failed"
fi

[ $fail -eq 0 ] && say "ok"
exit $fail
