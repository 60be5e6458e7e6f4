#!/bin/sh
# JSON records as Douyin live-chat capture scripts save them (method, user object, content, create_time):
# every record with a text read (counted independently here), the one without a text reported with its
# line, room events and gifts never questions, the streamer's line an answer attached to the question,
# offsets from the first record's time; the same records as one JSON array give the same comments.
set -u
F="$ONEFISH_ROOT/tests/fixtures/comments/douyin-capture.jsonl"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$ONEFISH" prompts "$F" -o "$T/l" 2>"$T/l.err" || fail "exit $? $(cat "$T/l.err")"
grep -q "douyin-capture.jsonl:12: warning: \$.text is missing" "$T/l.err" || fail "no message for line 12: $(cat "$T/l.err")"
python3 - "$F" "$T/arr.json" <<'PY' || fail "could not write the array"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
json.dump(recs, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False, indent=1)
PY
"$ONEFISH" prompts "$T/arr.json" -o "$T/a" --quiet 2>/dev/null || fail "array: exit $?"
python3 - "$F" "$T" <<'PY' || fail "outputs"
import json, sys
src, t = sys.argv[1], sys.argv[2]
recs = [json.loads(l) for l in open(src, encoding="utf-8")]
want = [r for r in recs if isinstance(r.get("content"), str)]          # the independent count
p = json.load(open(t + "/l/prompts.json"))
assert p["inputs"][0]["format"] == "jsonl" and p["inputs"][0]["comments"] == len(want), p["inputs"]
assert p["summary"]["bad_records"] == len(recs) - len(want), p["summary"]
rows = [json.loads(l) for l in open(t + "/l/comments.jsonl")]
kinds = {"WebcastChatMessage": "chat", "WebcastGiftMessage": "gift"}
for r, w in zip(rows, want):
    assert r["text"] == w["content"] and r["user"] == w["user"]["id"] and r["id"] == w["msg_id"], (r, w)
    assert r["time"] == w["create_time"] - recs[0]["create_time"], (r, w)
    assert r.get("kind", "chat") == kinds.get(w["method"], "system"), (r, w)
    if w["method"] != "WebcastChatMessage":
        assert r["intent"] == "noise", r
assert p["summary"]["streamer_comments"] == 1, p["summary"]
top = p["clusters"][0]
assert top["question"] == "米粉几个月可以吃？" and top["users"] == 2, top
assert top["answers"] == ["六个月以上就可以吃米粉啦"], top
a = [json.loads(l) for l in open(t + "/a/comments.jsonl")]
assert [(r["text"], r["intent"], r["cluster"], r["time"]) for r in a] == \
       [(r["text"], r["intent"], r["cluster"], r["time"]) for r in rows], "array and lines differ"
print("douyin-capture.jsonl: %d records read (independent count %d), 1 bad named; the array reads the same"
      % (len(rows), len(want)))
PY
echo "prompts_capture_records: ok"
