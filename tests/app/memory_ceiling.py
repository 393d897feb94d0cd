"""Loom's process stays under its documented ceiling (256 MB) while a hostile page floods the bridge.

    python3 memory_ceiling.py LOOM PROJECT BENCH_DIR

Runs `LOOM run PROJECT --headless` (a page that never finishes) under BENCH_DIR/peak_rss.py,
floods its bridge for 10 s with BENCH_DIR/flood_bridge.py (64 KiB lines from 64 worker ids,
calls with 14 arguments of 64 KiB), and checks what a user would: Loom's peak resident memory (VmHWM) stayed at or under
256 MB though far more was posted, the report was written under its 32 MB cap, and it says what
was dropped.
"""
import json
import os
import random
import subprocess
import sys
import tempfile

CEILING_MB = 256
FLOOD_SECONDS = 10

loom, project, bench = sys.argv[1:4]
port = random.randint(20000, 31999)
with tempfile.TemporaryDirectory() as work:
    report_path = os.path.join(work, "report.json")
    process = subprocess.Popen(
        [sys.executable, os.path.join(bench, "peak_rss.py"), loom, "run", project, "--headless",
         "--timeout", str(FLOOD_SECONDS + 10), "--port", str(port), "--step", "wait-text:#out=never",
         "--report", report_path], stdout=subprocess.PIPE, text=True)
    flooder = subprocess.Popen(
        [sys.executable, os.path.join(bench, "flood_bridge.py"), f"http://127.0.0.1:{port}/", str(FLOOD_SECONDS)],
        stdout=subprocess.PIPE, text=True)
    posted = json.loads(flooder.communicate(timeout=60)[0])
    peak = json.loads(process.communicate(timeout=60)[0])
    report_size = os.path.getsize(report_path) if os.path.exists(report_path) else -1
    report = json.load(open(report_path)) if report_size > 0 else {}

peak_mb = peak["peakMB"]
print(f"posted {posted['postedMB']} MB in {posted['batches']} batches; Loom's peak RSS {peak_mb:.1f} MB; "
      f"report {report_size} bytes; callsDropped {report.get('callsDropped')}, "
      f"consoleDropped {report.get('consoleDropped')}, bridge {report.get('bridge')}")
failures = []
if posted["lastStatus"] != 204:
    failures.append(f"the bridge refused a batch: HTTP {posted['lastStatus']}")
if posted["postedMB"] < 2 * CEILING_MB:
    failures.append(f"the flood posted only {posted['postedMB']} MB: not enough to test a {CEILING_MB} MB ceiling")
if peak_mb > CEILING_MB:
    failures.append(f"Loom's peak resident memory {peak_mb:.1f} MB is over its {CEILING_MB} MB ceiling")
if report.get("status") != "timeout":
    failures.append(f"the run should end on its 20 s time-out (exit 3); exit {peak['exit']}, "
                    f"report status {report.get('status')!r}")
if not 0 < report_size <= 32 * 1024 * 1024:
    failures.append(f"the report is {report_size} bytes: missing or over its 32 MB cap")
if not report.get("consoleDropped") or not report.get("callsDropped"):
    failures.append("the report does not say that console lines and calls were dropped")
for failure in failures:
    print("FAIL:", failure)
sys.exit(1 if failures else 0)
