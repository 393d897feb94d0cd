"""A plain static server for the browser tests of `loom export`.

    python3 static_server.py DIR [--headers DIR/_headers]

Without --headers it sends no isolation header at all, as GitHub Pages or `python3 -m http.server`
would. With --headers it applies a Netlify/Cloudflare-style _headers file (only the `/*` rule and
literal paths), so the headers `loom export` writes are tested as a host would read them. It
prints the port it listens on (127.0.0.1, any free port) as its first line.
"""
import argparse
import functools
import http.server
import sys


def parse_headers(path):
    rules, current = [], None
    with open(path, encoding="utf-8") as file:
        for line in file:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not line[0].isspace():
                current = (line.strip(), [])
                rules.append(current)
            elif current is not None and ":" in line:
                name, value = line.strip().split(":", 1)
                current[1].append((name.strip(), value.strip()))
    return rules


def matches(pattern, path):
    return path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern


class Handler(http.server.SimpleHTTPRequestHandler):
    rules = []
    # The MIME types a real static host sends (Python's table may lack .mjs/.wasm on old versions).
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
                      ".json": "application/json", ".zip": "application/zip", ".py": "text/plain"}

    def end_headers(self):
        path = self.path.split("?", 1)[0]
        for pattern, headers in self.rules:
            if matches(pattern, path):
                for name, value in headers:
                    self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--headers")
    args = parser.parse_args()
    Handler.rules = parse_headers(args.headers) if args.headers else []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=args.dir))
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
