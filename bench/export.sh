#!/usr/bin/env bash
# Export time and size of samples/primes in each mode (BENCHMARKS.md). Run from the repo inside ./dev.sh shell.
set -e
for mode in bundled cdn; do
  rm -rf /tmp/exp-$mode
  s=$(date +%s.%N); build/bin/loom export samples/primes /tmp/exp-$mode --mode $mode > /tmp/exp-$mode.log; e=$(date +%s.%N)
  echo "$mode: $(python3 -c "print(round(($e-$s)*1000))") ms, $(find /tmp/exp-$mode -type f | wc -l) files, $(du -sb /tmp/exp-$mode | cut -f1) bytes"
done
rm -f /tmp/exp.zip; s=$(date +%s.%N); build/bin/loom export samples/primes /tmp/exp.zip --zip > /dev/null; e=$(date +%s.%N)
echo "bundled --zip: $(python3 -c "print(round(($e-$s)*1000))") ms, $(stat -c %s /tmp/exp.zip) bytes"
echo "runtime files (both interpreters + core):"; du -sb build/share/loom/runtime/pyodide-* build/share/loom/runtime/micropython-* build/share/loom/runtime/pyscript-* | awk '{s+=$1; print} END {print s" total"}'
