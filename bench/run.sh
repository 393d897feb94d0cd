#!/usr/bin/env bash
# Measurements for BENCHMARKS.md (not tests: numbers depend on the machine).
#   bench/run.sh BUILD_DIR
# 1. Cold time from navigation to the first worker result of samples/primes (limit 10, so the
#    sieve itself is negligible), through Loom's server and through a plain static server with
#    the same headers serving the upstream offline layout, same QtWebEngine, 5 runs each.
set -euo pipefail
BUILD=${1:?build dir}
REPO=$(cd "$(dirname "$0")/.." && pwd)
LOOM=$BUILD/bin/loom
RUNS=${RUNS:-5}
WORK=$(mktemp -d)
trap 'kill $SERVER_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

# The upstream offline recipe: pyscript/ next to the page, page pointing at ./pyscript/core.js offline.
RT=$BUILD/share/loom/runtime
SITE=$WORK/site
cp -r "$REPO/samples/primes" "$SITE"
mkdir -p "$SITE/pyscript/pyodide" "$SITE/pyscript/micropython"
cp "$RT"/pyscript-*/* "$SITE/pyscript/"
cp "$RT"/pyodide-*/* "$SITE/pyscript/pyodide/"
cp "$RT"/micropython-*/* "$SITE/pyscript/micropython/"
sed -i -E 's#<script type="module" src="[^"]*core\.js"#<script type="module" src="./pyscript/core.js" offline#; s#href="[^"]*core\.css"#href="./pyscript/core.css"#' "$SITE/index.html"
PORT=$((20000 + RANDOM % 20000))
python3 "$REPO/bench/static_server.py" "$SITE" "$PORT" &
SERVER_PID=$!
sleep 1

STEPS=(--step fill:#limit=10 --step click:#find --step "wait-text:#output=Found 4 primes")
first_result_ms() { # prints the ms of the last step (navigation -> result shown)
  "$LOOM" run "$@" --headless --timeout 120 "${STEPS[@]}" --report "$WORK/r.json" >/dev/null 2>&1
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["status"]=="passed", r["message"]; print(r["steps"][-1]["ms"])' "$WORK/r.json"
}
median() { python3 -c 'import statistics,sys; print(int(statistics.median(map(int, sys.argv[1:]))))' "$@"; }

loom=(); plain=()
for i in $(seq "$RUNS"); do
  loom+=("$(first_result_ms "$REPO/samples/primes")")
  plain+=("$(first_result_ms --url "http://127.0.0.1:$PORT/index.html")")
done
ml=$(median "${loom[@]}"); mp=$(median "${plain[@]}")
echo "primes cold navigation -> first worker result, $RUNS runs each (ms)"
echo "  loom server : ${loom[*]}  median $ml"
echo "  plain static: ${plain[*]}  median $mp"
python3 -c "print(f'  ratio loom/plain: {$ml/$mp:.2f}')"
