#!/usr/bin/env python3
"""How long a headless run takes to end after its last step, and how many calls its report has.

    bench/run_end.py RUNS LOOM [LOOM...] -- ARGS...

Runs `LOOM run ARGS --headless --report FILE` RUNS times for each build, alternating, and prints
per build: the time from the last "step |" line to the process's exit, the whole run's wall time
(medians), and the set of call counts its reports had.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def main():
    runs = int(sys.argv[1])
    split = sys.argv.index("--")
    looms, args = sys.argv[2:split], sys.argv[split + 1:]
    results = {loom: ([], [], set()) for loom in looms}
    with tempfile.TemporaryDirectory() as work:
        report = os.path.join(work, "report.json")
        for _ in range(runs):
            for loom in looms:
                started = time.monotonic()
                process = subprocess.Popen([loom, "run", *args, "--headless", "--report", report],
                                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
                last_step = None
                for line in process.stdout:
                    if "step   |" in line:
                        last_step = time.monotonic()
                process.wait()
                ended = time.monotonic()
                if last_step is None:
                    sys.exit(f"{loom}: no step line (exit {process.returncode})")
                with open(report) as f:
                    calls = len(json.load(f)["calls"])
                ends, walls, counts = results[loom]
                ends.append(1000 * (ended - last_step))
                walls.append(1000 * (ended - started))
                counts.add(calls)
    for loom, (ends, walls, counts) in results.items():
        print(f"  {loom}: last step -> exit {' '.join(f'{x:.0f}' for x in ends)} ms, median "
              f"{statistics.median(ends):.0f} ms; whole run median {statistics.median(walls):.0f} ms; "
              f"calls in the report: {', '.join(map(str, sorted(counts)))}")


if __name__ == "__main__":
    main()
