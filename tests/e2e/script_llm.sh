#!/bin/sh
# script_llm.sh — `onefish script --engine llm` against a local fake OpenAI-compatible server:
# a valid answer is applied (engine "llm"), an over-long one falls back to offline with a warning.
set -u
: "${ONEFISH:?}" "${ONEFISH_ROOT:?}"
command -v python3 >/dev/null 2>&1 || { echo "script_llm: python3 absent, skipped"; exit 0; }
T=$(mktemp -d /tmp/onefish-e2e-script-llm-XXXXXX)
fail=0
bad() { echo "script_llm: FAIL: $*"; fail=1; }

cat >"$T/server.py" <<'PY'
import http.server, json, re, sys
mode = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        prompt = body["messages"][-1]["content"]
        ids = re.findall(r'"id": "(s\d\d)"', prompt)
        text = "宝妈们看过来" if mode == "good" else "这句口播实在太长了" * 30
        answer = json.dumps({"scenes": [{"id": i, "narration": text} for i in ids]}, ensure_ascii=False)
        out = json.dumps({"choices": [{"message": {"role": "assistant", "content": answer}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY

run() { # mode
	python3 "$T/server.py" "$1" >"$T/port" 2>/dev/null &
	pid=$!
	i=0
	while [ ! -s "$T/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	port=$(cat "$T/port")
	cat >"$T/onefish.yaml" <<YAML
name: llm-test
live:
  title: 宝宝辅食添加全攻略直播
  time: 2026-11-26T20:00:00+08:00
  cta: 点击预约，周四晚8点直播间见
llm:
  endpoint: http://127.0.0.1:$port/v1
  model: fake
  timeout: 10
YAML
	"$ONEFISH" script "$ONEFISH_ROOT/tests/fixtures/script/article.md" -o "$T/out-$1" --duration 15 \
		--engine llm --config "$T/onefish.yaml" 2>"$T/err-$1"
	rc=$?
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	: >"$T/port"
	return $rc
}

if run good; then
	python3 -c "
import json,sys
sb=json.load(open('$T/out-good/script.json',encoding='utf-8'))
assert sb['engine']=='llm', sb['engine']
assert all(s['narration']=='宝妈们看过来' for s in sb['scenes']), 'narration not applied'
assert all(s['caption']==['宝妈们看过来'] for s in sb['scenes'] if s['kind']!='cta'), 'captions not redone'
" || bad "valid LLM answer not applied"
else
	bad "engine llm with a valid answer: exit $?"; cat "$T/err-good"
fi
if run long; then
	python3 -c "
import json
sb=json.load(open('$T/out-long/script.json',encoding='utf-8'))
assert sb['engine']=='offline'
" || bad "over-long LLM answer was not refused"
	grep -q "over its" "$T/err-long" || { bad "no warning naming the over-long scene"; cat "$T/err-long"; }
else
	bad "engine llm with an over-long answer: exit $?"
fi
rm -rf "$T"
[ $fail -eq 0 ] && echo "script_llm: ok"
exit $fail
