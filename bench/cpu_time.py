"""Runs a command and prints the CPU seconds it and every process it started used (user + system),
as JSON: {"cpu": seconds, "own": the command's own process, "wall": seconds}.

Wall time on a 2-core VM spreads by up to 1.9x between runs of the same page; CPU time is the
steadier measure of work done. Descendants are sampled every 20 ms from /proc (a process that
lives less than that may be missed; the browser's processes live as long as the run).
Usage: cpu_time.py [--log FILE] COMMAND [ARG...]   (the command's output goes to FILE, or nowhere)
"""
import json
import os
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def processes():
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        table[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK)
    return table


def descendants(root, table):
    found = {root}
    grew = True
    while grew:
        grew = False
        for pid, (parent, _) in table.items():
            if parent in found and pid not in found:
                found.add(pid)
                grew = True
    return found


args = sys.argv[1:]
log = subprocess.DEVNULL
if args[:1] == ["--log"]:
    log = open(args[1], "w")
    args = args[2:]
start = time.monotonic()
child = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
seen = {}
while child.poll() is None:
    table = processes()
    for pid in descendants(child.pid, table):
        if pid in table:
            seen[pid] = max(seen.get(pid, 0.0), table[pid][1])
    time.sleep(0.02)
print(json.dumps({"cpu": round(sum(seen.values()), 3), "own": seen.get(child.pid, 0.0),
                  "wall": round(time.monotonic() - start, 3), "status": child.returncode}))
