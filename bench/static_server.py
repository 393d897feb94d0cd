"""A plain static file server that sends the same isolation headers as Loom, for comparison.

Python's own http.server (no rewriting, no caching headers): what a user would run by hand.
It also takes POSTs to /__bench__/events and discards them (204), so a page carrying Loom's
instrument.js by hand (bench/run.sh calls) sends its batches as it would to Loom; with
BENCH_EVENTS_FILE set, it appends the number of events of each batch to that file (a batch
with a worker's records: its JSON events and its records, see runtime/bridge/pageevent.h).
Usage: static_server.py DIR PORT
"""
import functools
import http.server
import json
import os
import struct
import sys


def count_events(body):
    head, _, records = body.partition(b"\n")
    events = json.loads(head).get("events", [])
    # Counted as Loom counts them: a "call" (a call's start and end) is two.
    count = sum({"records": 0, "call": 2}.get(event.get("k"), 1) for event in events)
    at, slots = 0, len(records) // 8
    while at < slots:  # each record's first slot: its kind and its size in slots (two Int32)
        kind, size = struct.unpack_from("<ii", records, at * 8)
        if size < 1 or at + size > slots:
            break
        count += 1
        if kind == 4 and size >= 3:  # a call of numbers (id, count, index): two if it holds its end
            argc = struct.unpack_from("<H", records, at * 8 + 12)[0]
            count += size == 5 + argc
        at += size
    return count


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript"}

    def end_headers(self):
        # BENCH_LINK_HEADER: a Link header (preload hints) sent with every HTML page.
        if os.environ.get("BENCH_LINK_HEADER") and self.path.split("?")[0].endswith((".html", "/")):
            self.send_header("Link", os.environ["BENCH_LINK_HEADER"])
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        self.send_header("Cross-Origin-Resource-Policy", "cross-origin")
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def do_POST(self):
        if self.path != "/__bench__/events":
            self.send_error(405)
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if os.environ.get("BENCH_EVENTS_FILE"):
            with open(os.environ["BENCH_EVENTS_FILE"], "a") as log:
                log.write(f"{count_events(body)}\n")
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    directory, port = sys.argv[1], int(sys.argv[2])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=directory))
    server.serve_forever()
