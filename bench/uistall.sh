#!/usr/bin/env bash
# The IDE's UI-thread stalls (bench/UISTALL.md): runs BUILD_DIR/bin/uistall RUNS times (a fresh
# process each, so every primes run is a cold start), prints each run's table, then the medians.
# Builds nothing: build the `uistall` target first.
#
#   bench/uistall.sh BUILD_DIR [uistall arguments...]     (default arguments: --mix both; RUNS=3)
#   ./dev.sh shell bench/uistall.sh build-uibench
set -euo pipefail
BUILD=$(cd "${1:?usage: bench/uistall.sh BUILD_DIR [uistall arguments...]}" && pwd)
shift
BIN=$BUILD/bin/uistall
[ -x "$BIN" ] || { echo "no $BIN: build the uistall target first" >&2; exit 1; }
RUNS=${RUNS:-3}
ARGS=("$@")
[ ${#ARGS[@]} -gt 0 ] || ARGS=(--mix both)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

for i in $(seq "$RUNS"); do
  echo "== run $i of $RUNS: $BIN ${ARGS[*]}"
  # QtWebEngine's start-up chatter goes to stderr: kept aside, shown only on failure.
  if ! "$BIN" "${ARGS[@]}" >"$WORK/run$i.txt" 2>"$WORK/run$i.err"; then
    cat "$WORK/run$i.txt" "$WORK/run$i.err" >&2
    exit 1
  fi
  grep -v '^#uistall' "$WORK/run$i.txt"
done

python3 - "$RUNS" "$WORK" <<'EOF'
import statistics, sys
runs, work = int(sys.argv[1]), sys.argv[2]
rows = {}  # (scenario, window) -> list of (stall, p99, over16, over50), first-seen order
for i in range(1, runs + 1):
    for line in open(f"{work}/run{i}.txt"):
        if line.startswith("#uistall\t"):
            _, scenario, window, stall, p99, over16, over50, dispatch, *_ = line.rstrip("\n").split("\t")
            rows.setdefault((scenario, window), []).append((float(stall), float(p99), int(over16), int(over50), float(dispatch)))
print(f"\nmedians over {runs} runs")
# dispatch: the window's longest top-level event dispatch (0: none reached 16 ms).
print(f"  {'scenario':8} {'window':36} {'stall ms per run':>22} {'median':>7} {'p99 gap':>8} {'>50ms':>6} {'dispatch':>9}")
for (scenario, window), values in rows.items():
    stalls = " ".join(f"{v[0]:.1f}" for v in values)
    med = lambda k: statistics.median(v[k] for v in values)
    print(f"  {scenario:8} {window:36} {stalls:>22} {med(0):7.1f} {med(1):8.2f} {med(3):6g} {med(4):9.1f}")
EOF
