"""Loopback HTTP measurements for BENCHMARKS.md, one server at a time.

    python3 server_bench.py BASE_URL SMALL_PATH RUNTIME_PATH... [--rounds 10] [--connections 6]

Prints one JSON line:
  keepAliveMedianMs  the median of 500 sequential GETs of SMALL_PATH on one kept-alive connection
  bulkSeconds        the files RUNTIME_PATH..., fetched --rounds times over --connections parallel
                     kept-alive connections (a shared queue of requests), wall time
  bulkBytes          the bytes fetched in that time
"""
import http.client
import json
import queue
import statistics
import sys
import threading
import time
import urllib.parse


def main():
    args = sys.argv[1:]
    rounds, connections = 10, 6
    if "--rounds" in args:
        i = args.index("--rounds"); rounds = int(args[i + 1]); del args[i:i + 2]
    if "--connections" in args:
        i = args.index("--connections"); connections = int(args[i + 1]); del args[i:i + 2]
    base, small, files = args[0], args[1], args[2:]
    url = urllib.parse.urlsplit(base)
    host, port = url.hostname, url.port

    conn = http.client.HTTPConnection(host, port)
    latencies = []
    for i in range(520):
        start = time.perf_counter()
        conn.request("GET", small)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"{small}: HTTP {response.status}")
        if i >= 20:  # warmed up
            latencies.append((time.perf_counter() - start) * 1000)
    conn.close()

    work = queue.Queue()
    for _ in range(rounds):
        for path in files:
            work.put(path)
    total = [0]
    errors = []
    lock = threading.Lock()

    def fetch():
        c = http.client.HTTPConnection(host, port)
        got = 0
        while True:
            try:
                path = work.get_nowait()
            except queue.Empty:
                break
            c.request("GET", path)
            r = c.getresponse()
            got += len(r.read())
            if r.status != 200:  # sys.exit in a thread would end only the thread: report it below
                with lock:
                    errors.append(f"{path}: HTTP {r.status}")
                break
        c.close()
        with lock:
            total[0] += got

    threads = [threading.Thread(target=fetch) for _ in range(connections)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    if errors:
        sys.exit("; ".join(errors))
    print(json.dumps({"keepAliveMedianMs": round(statistics.median(latencies), 3),
                      "bulkSeconds": round(seconds, 3), "bulkBytes": total[0]}))


main()
