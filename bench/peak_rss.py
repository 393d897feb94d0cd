"""Runs a command and prints its peak resident memory (VmHWM, MB) and exit code as JSON.

    python3 peak_rss.py COMMAND [ARGS...]
"""
import json
import subprocess
import sys
import time

process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = 0
while process.poll() is None:
    try:
        with open(f"/proc/{process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
    except OSError:
        pass
    time.sleep(0.05)
print(json.dumps({"peakMB": round(peak / 1024, 1), "exit": process.returncode}))
