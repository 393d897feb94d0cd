"""Floods a running Loom's page bridge as a hostile page could.

    python3 flood_bridge.py BASE_URL [SECONDS]

Reads the bridge's endpoint from /__loom__/bridge/instrument.js (as the page does), then POSTs
batches for SECONDS (default 5), each under the server's 1 MB bound: stdout lines of 64 KiB
from 64 worker ids, and calls with 14 arguments of 64 KiB each. Prints the bytes posted as JSON.
"""
import http.client
import json
import re
import sys
import time
import urllib.parse

base = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 5
url = urllib.parse.urlsplit(base)
conn = http.client.HTTPConnection(url.hostname, url.port)
for _ in range(200):
    try:
        conn.request("GET", "/__loom__/bridge/instrument.js")
        script = conn.getresponse().read().decode()
        break
    except OSError:
        time.sleep(0.1)
        conn = http.client.HTTPConnection(url.hostname, url.port)
endpoint = re.search(r"/__loom__/bridge/events/[A-Za-z0-9_-]+", script).group(0)
line = "x" * 65536
posted = 0
batches = 0
call = 0
end = time.time() + seconds
while time.time() < end:
    now = time.time() * 1000
    if batches % 2 == 0:
        events = [{"k": "stdout", "t": now, "w": 1 + (batches * 14 + i) % 64, "text": line} for i in range(14)]
    else:
        call += 1
        events = [{"k": "call-start", "t": now, "w": 1 + call % 64, "id": call, "fn": "f", "args": [line] * 14}]
    body = json.dumps({"events": events})
    conn.request("POST", endpoint, body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    if response.status != 204:
        sys.exit(f"batch refused: HTTP {response.status}")
    posted += len(body)
    batches += 1
print(json.dumps({"postedMB": round(posted / 1e6, 1), "batches": batches, "lastStatus": response.status}))
