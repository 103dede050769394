#!/usr/bin/env python3
"""A deliberately slow and failing HTTP contract endpoint, for bench/loadtest_compare.sh.

Every POST waits a fixed delay (50 ms by default), then the n-th request (counted across all
connections, from 1) with n % fail_every == 0 gets a 503, every other one a 200 with a minimal
contract answer: {"items":[{"item_id":"x"}]}. GET /health answers 200 at once and is not counted.
HTTP/1.1 with keep-alive, a thread per connection (ThreadingHTTPServer), so the delay overlaps
across connections and the rate it can serve is bounded by the clients' connections / delay.

The response goes out as two writes (headers, then body), as http.server does; TCP_NODELAY is
set on every connection so the second write is not held back. --nagle leaves Nagle's algorithm on
instead, to reproduce the stall the README describes: the body waits for the client's ACK of the
headers, and a client that reuses a connection right after its last answer delays that ACK by
~40 ms (Linux delayed ACK).

--capture FILE writes the body of the first POST to FILE (the script uses it to hand oha the
exact bytes `screening loadtest` sends). /stats (GET) returns the counts so far as JSON.

Usage: python3 bench/slow_server.py [--port 0] [--delay-ms 50] [--fail-every 10]
                                    [--capture FILE] [--nagle]
Prints "listening on http://127.0.0.1:PORT" once ready. Loopback only. Standard library only.
"""

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OK_BODY = b'{"items":[{"item_id":"x"}]}'
FAIL_BODY = b'{"error":"unavailable"}'


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real model server
    disable_nagle_algorithm = True  # TCP_NODELAY (--nagle turns it off)

    def log_message(self, *args):  # no line per request
        pass

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        srv = self.server
        if self.path == "/stats":
            with srv.lock:
                body = json.dumps({"posts": srv.count, "failed": srv.failed}).encode()
            self._send(200, body)
        else:
            self._send(200, b'{"status":"ok"}')

    def do_POST(self):
        srv = self.server
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        with srv.lock:
            srv.count += 1
            n = srv.count
            fail = srv.fail_every > 0 and n % srv.fail_every == 0
            if fail:
                srv.failed += 1
            if srv.capture and not srv.captured:
                with open(srv.capture, "wb") as f:
                    f.write(body)
                srv.captured = True
        time.sleep(srv.delay_s)
        if fail:
            self._send(503, FAIL_BODY)
        else:
            self._send(200, OK_BODY)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--delay-ms", type=float, default=50.0)
    ap.add_argument("--fail-every", type=int, default=10)
    ap.add_argument("--capture", default=None)
    ap.add_argument("--nagle", action="store_true", help="leave Nagle's algorithm on")
    a = ap.parse_args()
    Handler.disable_nagle_algorithm = not a.nagle
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 1024
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.lock = threading.Lock()
    srv.count = 0
    srv.failed = 0
    srv.delay_s = a.delay_ms / 1000.0
    srv.fail_every = a.fail_every
    srv.capture = a.capture
    srv.captured = False
    print(f"listening on http://127.0.0.1:{srv.server_address[1]}", flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
