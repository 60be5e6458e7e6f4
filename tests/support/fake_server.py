#!/usr/bin/env python3
"""fake_server.py - a small fault-injecting HTTP server for onefish's network tests.

Started by the unit tests (tests/unit/test_http.c, test_llm.c) on 127.0.0.1 with
an ephemeral port, which it writes to --port-file (atomically) once listening.
It exits by itself after --lifetime seconds whatever happens, so a crashed test
never leaves it behind.  Python 3 standard library only.

Every path is /MODE/ID/rest: MODE picks the behaviour, ID names a counter so
tests stay independent ("first request fails, second succeeds" is per ID).
GET /count/ID answers {"count": N}, the requests seen so far for ID.

Modes:
  replay/ID/NAME...     200, body = fixtures/NAME.json (recorded chat answers);
                        NAME is the first segment after ID
  auth/ID/NAME...       like replay if "Authorization: Bearer $FAKE_SERVER_KEY",
                        else 401 whose error message ECHOES the key it got
                        (tests check the client scrubs it)
  echo/ID               200 chat answer whose content is JSON describing the
                        request: {"method", "path", "body", "header_names", "accept",
                        "has_auth"}
  429/ID                first request: 429 + Retry-After: 1, then replay ok
  429date/ID            same with an HTTP-date Retry-After
  500/ID                first request: 500 with a JSON error body, then replay ok
  always500/ID          always 503
  slow/ID               sleeps 3 s, then replay ok (past a 1 s timeout)
  hang/ID               reads the request, never answers
  malformed/ID          200 application/json, truncated JSON
  portal/ID             200 text/html captive-portal page
  nochoices/ID          200 JSON without choices
  endless/ID            200, streams zeros forever (no Content-Length)
  biglength/ID          Content-Length: 10 GB, a few bytes, then close
  gzipbomb/ID           Content-Encoding: gzip, 64 MiB of zeros in ~64 KB
  slowloris/ID          Content-Length: 100, then 1 byte per second
  redirect-loop/ID/N    302 to redirect-loop/ID/N+1, forever
  redirect-file/ID      302 to file:///etc/passwd
  redirect-to/ID/PORT   302 to http://127.0.0.1:PORT/
  image/ID              200 image/png, a real 1x1 PNG
  html/ID               200 text/html
  notfound/ID           404 text/html
"""

import argparse
import base64
import email.utils
import gzip
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COUNTS = {}
LOCK = threading.Lock()
FIXTURES = "."
BOMB = None
BOMB_LOCK = threading.Lock()

PNG_1x1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==")

PORTAL = (b"<!DOCTYPE html><html><head><title>Hotel WiFi</title></head>"
          b"<body><h1>Welcome! Please log in to continue</h1>"
          b"<form action=/login><input name=room></form></body></html>")


def bomb():
    global BOMB
    with BOMB_LOCK:
        if BOMB is None:
            BOMB = gzip.compress(b"\0" * (64 << 20), 9)
        return BOMB


def chat(content):
    return json.dumps({
        "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": "fake",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }, ensure_ascii=False).encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    server_version = "fake/1"
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):  # quiet: tests print their own diagnostics
        pass

    def send(self, status, body, ctype="application/json", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def fixture(self, name):
        path = os.path.join(FIXTURES, os.path.basename(name) + ".json")
        with open(path, "rb") as f:
            return f.read()

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        parts = [p for p in self.path.split("?")[0].split("/") if p]
        if len(parts) < 2:
            return self.send(404, b'{"error":"no mode"}')
        mode, ident, rest = parts[0], parts[1], parts[2:]
        if mode == "count":
            with LOCK:
                n = COUNTS.get(ident, 0)
            return self.send(200, json.dumps({"count": n}).encode())
        with LOCK:
            COUNTS[ident] = COUNTS.get(ident, 0) + 1
            n = COUNTS[ident]
        ok = lambda: self.send(200, self.fixture("ok"))
        if mode == "replay":
            return self.send(200, self.fixture(rest[0] if rest else "ok"))
        if mode == "auth":
            want = "Bearer " + os.environ.get("FAKE_SERVER_KEY", "")
            got = self.headers.get("Authorization") or ""
            if got == want:
                return self.send(200, self.fixture(rest[0] if rest else "ok"))
            msg = {"error": {"message": "Incorrect API key provided: " + got[7:],
                             "type": "invalid_request_error"}}
            return self.send(401, json.dumps(msg).encode())
        if mode == "echo":
            try:
                parsed = json.loads(body.decode("utf-8")) if body else None
            except ValueError:
                parsed = "(not JSON)"
            desc = {"method": self.command, "path": self.path, "body": parsed,
                    "header_names": sorted(k.lower() for k in self.headers.keys()),
                    "accept": self.headers.get_all("Accept") or [],
                    "has_auth": "Authorization" in self.headers}
            return self.send(200, chat(json.dumps(desc, ensure_ascii=False)))
        if mode in ("429", "429date"):
            if n == 1:
                ra = "1" if mode == "429" else email.utils.formatdate(time.time() + 1, usegmt=True)
                return self.send(429, b'{"error":{"message":"rate limited","type":"rate_limit"}}',
                                 headers=[("Retry-After", ra)])
            return ok()
        if mode == "500":
            if n == 1:
                return self.send(500, b'{"error":{"message":"internal error"}}')
            return ok()
        if mode == "always500":
            return self.send(503, b'{"error":{"message":"overloaded"}}')
        if mode == "slow":
            time.sleep(3)
            return ok()
        if mode == "hang":
            time.sleep(30)
            return None
        if mode == "malformed":
            return self.send(200, '{"choices":[{"message":{"content":"半截的回'.encode("utf-8"))
        if mode == "portal":
            return self.send(200, PORTAL, "text/html; charset=utf-8")
        if mode == "nochoices":
            return self.send(200, b'{"object":"chat.completion","choices":[]}')
        if mode == "endless":
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            chunk = b"\0" * 65536
            while True:
                self.wfile.write(chunk)
        if mode == "biglength":
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", "10000000000")
            self.end_headers()
            self.wfile.write(b"\0" * 1024)
            return None
        if mode == "gzipbomb":
            data = bomb()
            return self.send(200, data, "image/png", headers=[("Content-Encoding", "gzip")])
        if mode == "slowloris":
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(1)
            return None
        if mode == "redirect-loop":
            k = int(rest[0]) if rest else 0
            return self.send(302, b"", "text/plain",
                             headers=[("Location", "/redirect-loop/%s/%d" % (ident, k + 1))])
        if mode == "redirect-file":
            return self.send(302, b"", "text/plain", headers=[("Location", "file:///etc/passwd")])
        if mode == "redirect-to":
            return self.send(302, b"", "text/plain",
                             headers=[("Location", "http://127.0.0.1:%s/" % rest[0])])
        if mode == "image":
            return self.send(200, PNG_1x1, "image/png")
        if mode == "html":
            return self.send(200, b"<html><body>not an image</body></html>", "text/html")
        if mode == "notfound":
            return self.send(404, b"<html><body>404</body></html>", "text/html")
        return self.send(404, b'{"error":"unknown mode"}')

    def do_GET(self):
        try:
            self.handle_any()
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_POST = do_GET


def main():
    global FIXTURES
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--fixtures", default=".")
    ap.add_argument("--lifetime", type=float, default=60.0)
    args = ap.parse_args()
    FIXTURES = args.fixtures
    # Whatever the test does, this process ends: no orphan servers in CI.
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, args.port_file)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
