#!/bin/sh
# Reader counts on every real corpus file match an independent count made here with python3.
set -u
C="$ONEFISH_ROOT/../shared/corpus"
[ -d "$C/danmaku-xml" ] || { echo "prompts_corpus: corpus absent, skipped"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
n=0
for f in "$C"/danmaku-xml/*.xml "$C"/youtube-livechat/*.json "$C"/irc-chat/* "$C"/other-chat/*.csv; do
	n=$((n + 1))
	"$ONEFISH" prompts "$f" -o "$T/$n" --quiet 2>"$T/err$n" || fail "$f: exit $? $(cat "$T/err$n")"
	python3 - "$f" "$T/$n/prompts.json" <<'PY' || fail "$f: count mismatch"
import csv, json, re, sys, xml.dom.minidom
path, out = sys.argv[1], sys.argv[2]
got = json.load(open(out))["inputs"][0]["comments"]
if path.endswith(".xml"):
    want = len(xml.dom.minidom.parse(path).getElementsByTagName("d"))   # an independent XML parser
elif path.endswith(".csv"):
    want = sum(1 for _ in csv.DictReader(open(path, newline="", encoding="utf-8")))
elif path.endswith(".txt"):
    want = sum(1 for l in open(path, encoding="utf-8") if re.match(r"\[[0-9:]+\] [^:]+: ", l))
else:
    d = json.load(open(path, encoding="utf-8"))
    if isinstance(d, dict):                                   # {"messages": [raw IRC]}
        want = sum(1 for m in d["messages"] if " PRIVMSG #" in m)
    elif d and "message" in d[0]:                              # chat-downloader
        want = sum(1 for m in d if isinstance(m.get("message"), str))
    else:                                                      # innertube actions: comment renderers only
        kinds = ("liveChatTextMessageRenderer", "liveChatPaidMessageRenderer",
                 "liveChatPaidStickerRenderer", "liveChatMembershipItemRenderer")
        want = sum(1 for a in d if any(k in a.get("addChatItemAction", {}).get("item", {}) for k in kinds))
print("%-60s %6d comments (independent count %d)" % (path.split("/")[-1], got, want))
sys.exit(0 if got == want else 1)
PY
done
# a YouTube JSON array cut in half (the downloader killed mid-write) keeps every complete record
# before the cut: exit 0, one warning naming the line, the count an independent decoder finds
for f in "$C"/youtube-livechat/*.json; do
	n=$((n + 1))
	head -c $(($(wc -c <"$f") / 2)) "$f" >"$T/half$n.json"
	"$ONEFISH" prompts "$T/half$n.json" -o "$T/$n" --quiet 2>"$T/err$n" || fail "$f cut in half: exit $? $(cat "$T/err$n")"
	grep -q "half$n\.json:[0-9]*: warning: unexpected end of file (the JSON array is cut short), [0-9]* comments recovered" \
		"$T/err$n" || fail "$f cut in half: $(cat "$T/err$n")"
	python3 - "$T/half$n.json" "$T/$n/prompts.json" <<'PY' || fail "$f cut in half: count mismatch"
import json, sys
path, out = sys.argv[1], sys.argv[2]
got = json.load(open(out))["inputs"][0]["comments"]
text = open(path, encoding="utf-8", errors="ignore").read()
dec, p, els = json.JSONDecoder(), text.index("[") + 1, []
while True:                                        # the complete elements, one raw_decode each
    while p < len(text) and text[p] in " \t\r\n": p += 1
    try: el, p = dec.raw_decode(text, p)
    except ValueError: break
    els.append(el)
    while p < len(text) and text[p] in " \t\r\n": p += 1
    if p >= len(text) or text[p] != ",": break
    p += 1
kinds = ("liveChatTextMessageRenderer", "liveChatPaidMessageRenderer", "liveChatPaidStickerRenderer", "liveChatMembershipItemRenderer")
if els and "message" in els[0]:
    want = sum(1 for m in els if isinstance(m.get("message"), str))
else:
    want = sum(1 for a in els if any(k in a.get("addChatItemAction", {}).get("item", {}) for k in kinds))
print("%-60s %6d comments kept (independent count %d)" % (path.split("/")[-1], got, want))
sys.exit(0 if got == want and want > 0 else 1)
PY
done
# the AcFun JSON is a format we do not read: a clear message, exit 3
"$ONEFISH" prompts "$C/other-chat/dfm-acfun-comment.json" -o "$T/acfun" 2>"$T/acfun.err"
rc=$?
[ $rc -eq 3 ] || fail "acfun: exit $rc, want 3"
grep -q "AcFun danmaku JSON is not a comment format onefish reads; accepted: bilibili" "$T/acfun.err" || fail "acfun message: $(cat "$T/acfun.err")"
echo "prompts_corpus: $n files ok"
