#!/usr/bin/env bash
# Measurements for BENCHMARKS.md (not tests: numbers depend on the machine).
#   bench/run.sh BUILD_DIR [primes|primes-preload|calls|calls-parts|calls-profile|calls-stages|clock|post-cost|model|packages|server|flood|run-end|debug-cost|test|all]...   (default: all; RUNS=5 runs each)
#
# primes  Cold time from navigation to the first worker result of samples/primes (limit 10, so the
#         sieve itself is negligible), through Loom's server (the page as written, the runtime's
#         public URLs answered by Loom's network layer) and through a plain static server with
#         the same headers serving the upstream offline layout, same QtWebEngine; and through
#         Loom's server with npm's uncompiled standard library (--upstream-stdlib).
# calls   Per-call overhead of Loom's page instrumentation: bench/projects/calls makes 10,000
#         sequential `await calc.add(i, 1)` calls from a MicroPython main thread and times them
#         with performance.now(). Through Loom's server (instrument.js imported by core.js) against the plain
#         static server (upstream offline layout, `loom run --url`: no bridge), with the
#         MicroPython worker of the project and with the same worker made a Pyodide one. A third
#         variant adds instrument.js by hand to the plain copy (batches discarded by the static
#         server): the page's share of the overhead, without Loom's process. Also the CPU seconds
#         of each whole run, every process (bench/cpu_time.py): steadier than wall time here.
#         PIN=1 (the default on 2 cores or more): the page's renderer runs on core 1, Loom and
#         everything else on core 0. Unpinned, a sequential round trip on this VM often waits for
#         an idle core to wake (a hypervisor exit): runs of one variant then spread by up to 2x.
#         Pinned, the page's main thread and its worker share one core, so what the bridge costs
#         them adds to the loop's time, while Loom's own threads (its server, the models, the
#         printer) have the other core, as on a desktop with cores to spare.
# calls-stages  The same page with the bridge added by hand in stages (wrapped exports only, their
#         bookkeeping, records written, everything), pinned, interleaved: what each stage costs.
# clock   What a clock read costs in a worker of an isolated page, in Debian's chromium
#         (bench/projects/clock-cost): performance.now() as written, now() of `performance`
#         looked up once, and Date.now(), a million each, RUNS times. The bridge reads the clock
#         twice a call.
# post-cost What a POST costs the page's renderer, in Loom's QtWebEngine, renderer pinned as for
#         calls (bench/projects/post-cost): the main thread's work lost to one POST every 50 ms
#         for 2 s, bodies of 0, 56 and 224 KiB, shared out over the POSTs; RUNS runs of 3 rounds.
# server  Loom's server against Python's http.server and Debian's nginx on loopback: keep-alive
#         latency, and the runtime set fetched ten times over six connections (server_bench.py).
# flood   Loom's peak memory while a hostile page floods the bridge (OTHER_LOOM: compare another)
# run-end How long a headless run takes to end after its last step (call-speed, busy-at-end, the
#         primes sample), and the calls in its report (OTHER_LOOM: compare another)
# test    `loom test` over the nine samples: wall time with -j 1 and -j 2, and --shard 1/2 then
#         --shard 2/2 one after the other against one unsharded run (-j 1): the same work, split.
# model   BUILD_DIR/bin/modelthroughput: a PageSession fed from a producer thread at 1k..100k
#         events/s, longest stall of its thread (MODEL_SECONDS=3 per rate), then --profile.
set -euo pipefail
BUILD=$(cd "${1:?build dir}" && pwd)
shift
MODES=("$@")
[ ${#MODES[@]} -gt 0 ] || MODES=(all)
REPO=$(cd "$(dirname "$0")/.." && pwd)
LOOM=$BUILD/bin/loom
RUNS=${RUNS:-5}
WORK=$(mktemp -d)
SERVER_PIDS=()
PIN_LOOM=()
cleanup() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# The upstream offline recipe: pyscript/ next to the page, page pointing at ./pyscript/core.js offline.
offline_copy() { # SRC_PROJECT DEST
  local rt=$BUILD/share/loom/runtime
  cp -r "$1" "$2"
  mkdir -p "$2/pyscript/pyodide" "$2/pyscript/micropython"
  cp "$rt"/pyscript-*/* "$2/pyscript/"
  cp "$rt"/pyodide-*/* "$2/pyscript/pyodide/"
  cp "$rt"/micropython-*/* "$2/pyscript/micropython/"
  sed -i -E 's#<script type="module" src="[^"]*core\.js"#<script type="module" src="./pyscript/core.js" offline#; s#href="[^"]*core\.css"#href="./pyscript/core.css"#' "$2/index.html"
}

# Pinning for calls (see above): sets PIN_LOOM (a prefix for loom's command line) and exports
# QTWEBENGINE_CHROMIUM_FLAGS with a renderer prefix that moves each renderer to core 1.
pin_renderer() {
  PIN_LOOM=()
  [ "${PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ] || return 0
  printf '#!/bin/sh\nexec taskset -c 1 "$@"\n' >"$WORK/renderer-on-core-1"
  chmod +x "$WORK/renderer-on-core-1"
  export QTWEBENGINE_CHROMIUM_FLAGS="--renderer-cmd-prefix=$WORK/renderer-on-core-1"
  PIN_LOOM=(taskset -c 0)
}

# Waits until something listens on 127.0.0.1:PORT (10 s at most).
wait_port() {
  python3 - "$1" <<'EOF'
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close(); sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("server did not start")
EOF
}

# Serves DIR with bench/static_server.py until the script ends; sets PORT. Every server here listens
# on 20000-31999, below Linux's ephemeral ports (32768 up): a client connection of an earlier round
# can hold a port there, and nginx once failed to bind one.
serve_static() {
  PORT=$((20000 + RANDOM % 12000))
  "${PIN_LOOM[@]}" python3 "$REPO/bench/static_server.py" "$1" "$PORT" &  # on Loom's core when pinned
  SERVER_PIDS+=($!)
  wait_port "$PORT"
}

# Runs loom headless with the given arguments and a report; fails unless the run passed.
# With CPU_FILE set, the CPU seconds of Loom and every process it started go there (cpu_time.py).
run_loom() { # REPORT ARGS...
  local report=$1
  shift
  if [ -n "${CPU_FILE:-}" ]; then
    python3 "$REPO/bench/cpu_time.py" --log "$report.log" "${PIN_LOOM[@]}" "$LOOM" run "$@" --headless --report "$report" >"$CPU_FILE" || true
  else
    "${PIN_LOOM[@]}" "$LOOM" run "$@" --headless --report "$report" >"$report.log" 2>&1 || true
  fi
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["status"]=="passed", r["message"]' "$report" \
    || { echo "run failed: $LOOM run $* (log: $report.log)" >&2; tail -20 "$report.log" >&2; exit 1; }
}

# The ms the calls page measured for its loop (#out: "done 10000 calls in 1234.5 ms") in a report.
last_step() { # FIELD REPORT: the field ("ms", "text") of a report's last step
  python3 -c 'import json, sys; print(json.load(open(sys.argv[2]))["steps"][-1][sys.argv[1]])' "$1" "$2"
}
loop_ms() { # REPORT
  last_step text "$1" | grep -oE 'in [0-9.]+ ms' | head -1 | grep -oE '[0-9.]+'
}

median() { python3 -c 'import statistics,sys; print(statistics.median(map(float, sys.argv[1:])))' "$@"; }

bench_primes() {
  local site=$WORK/primes-site
  offline_copy "$REPO/samples/primes" "$site"
  serve_static "$site"
  local steps=(--timeout 120 --step fill:#limit=10 --step click:#find --step "wait-text:#output=Found 4 primes")
  first_result_ms() { # ms of the last step (navigation -> result shown)
    run_loom "$WORK/r.json" "$@" "${steps[@]}"
    last_step ms "$WORK/r.json"
  }
  local loom=() upstream=() plain=() i
  for i in $(seq "$RUNS"); do
    loom+=("$(first_result_ms "$REPO/samples/primes")")
    upstream+=("$(first_result_ms "$REPO/samples/primes" --upstream-stdlib)")
    plain+=("$(first_result_ms --url "http://127.0.0.1:$PORT/index.html")")
  done
  local ml mu mp
  ml=$(median "${loom[@]}"); mu=$(median "${upstream[@]}"); mp=$(median "${plain[@]}")
  echo "primes cold navigation -> first worker result, $RUNS runs each (ms)"
  echo "  loom server : ${loom[*]}  median ${ml%.0}"
  echo "  loom server, npm's stdlib (--upstream-stdlib): ${upstream[*]}  median ${mu%.0}"
  echo "  plain static: ${plain[*]}  median ${mp%.0}"
  python3 -c "print(f'  ratio loom/plain: {$ml/$mp:.2f}; with npm\'s stdlib: {$mu/$mp:.2f}')"
}

# Preload hints measured: the same plain server and offline copy as bench_primes, with and without
# a Link header on the page that names the interpreter files primes loads (MicroPython on the main
# thread, Pyodide in the worker), alternating, RUNS each; and the console lines each run printed.
bench_primes_preload() {
  local site=$WORK/preload-site i v
  offline_copy "$REPO/samples/primes" "$site"
  local link='<./pyscript/micropython/micropython.mjs>; rel=modulepreload, <./pyscript/micropython/micropython.wasm>; rel=preload; as=fetch; crossorigin'
  link+=', <./pyscript/pyodide/pyodide.mjs>; rel=modulepreload, <./pyscript/pyodide/pyodide.asm.mjs>; rel=modulepreload'
  link+=', <./pyscript/pyodide/pyodide.asm.wasm>; rel=preload; as=fetch; crossorigin, <./pyscript/pyodide/python_stdlib.zip>; rel=preload; as=fetch; crossorigin'
  serve_static "$site"
  local plainPort=$PORT
  BENCH_LINK_HEADER=$link serve_static "$site"
  local preloadPort=$PORT
  local steps=(--timeout 120 --step fill:#limit=10 --step click:#find --step "wait-text:#output=Found 4 primes")
  declare -A times=() warnings=()
  for i in $(seq "$RUNS"); do
    for v in plain preload; do
      local port=$plainPort
      [ "$v" = preload ] && port=$preloadPort
      run_loom "$WORK/r.json" --url "http://127.0.0.1:$port/index.html" "${steps[@]}"
      times[$v]="${times[$v]:-} $(last_step ms "$WORK/r.json")"
      warnings[$v]="${warnings[$v]:-} $(python3 -c 'import json,sys; print(sum(1 for c in json.load(open(sys.argv[1]))["jsConsole"] if c["level"] in ("warning", "error")))' "$WORK/r.json")"
    done
    [ "$i" = 1 ] && python3 -c 'import json,sys; [print("  console (preload run):", c["level"], c["text"][:160]) for c in json.load(open(sys.argv[1]))["jsConsole"]]' "$WORK/r.json"
  done
  echo "primes cold navigation -> first worker result, plain server, without and with preload hints, $RUNS runs each (ms)"
  for v in plain preload; do
    echo "  $v: ${times[$v]}  median $(median ${times[$v]}); console warnings and errors per run:${warnings[$v]}"
  done
}

# Loom's page bridge added by hand to an offline copy, as Loom's server adds it (one more import
# at the end of the runtime's core.js, the endpoint substituted); its batches go to
# static_server.py, which discards them.
add_bridge_by_hand() { # SITE
  sed -e 's#__LOOM_ENDPOINT__#/__bench__/events#' "$REPO/resources/bridge/instrument.js" >"$1/instrument.js"
  printf '\nimport "../instrument.js";\n' >>"$1/pyscript/core.js"
}

bench_calls() {
  local worker project with without byhand stats i ms events pageDropped loomDropped calls
  # The ms the page measured for its 10,000 calls (loop_ms), and what the bridge carried.
  # Also the CPU seconds of the whole run, every process (Loom's and the browser's): steadier than
  # the page's wall time on a shared 2-core VM.
  calls_ms() {
    CPU_FILE=$WORK/cpu.json run_loom "$WORK/r.json" "$@" --timeout 600 --step 'wait-text:#out=done'
    echo "$(loop_ms "$WORK/r.json")" "$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r["bridge"]["events"], r["bridge"]["droppedInPage"], r["bridge"]["droppedInLoom"], len(r["calls"]),
      json.load(open(sys.argv[2]))["cpu"])' "$WORK/r.json" "$WORK/cpu.json")"
  }
  pin_renderer
  for worker in mpy py; do
    project=$REPO/bench/projects/calls
    if [ "$worker" != mpy ]; then # the same project, its worker made a Pyodide one
      project=$WORK/calls-$worker
      cp -r "$REPO/bench/projects/calls" "$project"
      sed -i "s#<script type=\"mpy\" worker#<script type=\"$worker\" worker#" "$project/index.html"
    fi
    offline_copy "$project" "$WORK/calls-$worker-plain"
    offline_copy "$project" "$WORK/calls-$worker-byhand"
    add_bridge_by_hand "$WORK/calls-$worker-byhand"
    BENCH_EVENTS_FILE=$WORK/events.txt serve_static "$WORK"
    with=(); without=(); byhand=(); stats=(); sent=(); cpuWith=(); cpuWithout=(); cpuByhand=()
    for i in $(seq "$RUNS"); do
      # npm's stdlib, as the plain runs load it: the CPU seconds then differ by the bridge alone
      # (Loom's compiled one saves a Pyodide worker about 1.4 s of compiling).
      read -r ms events pageDropped loomDropped calls cpu < <(calls_ms "$project" --upstream-stdlib)
      with+=("$ms"); stats+=("$events/$pageDropped/$loomDropped/$calls"); cpuWith+=("$cpu")
      read -r ms _ _ _ _ cpu < <(calls_ms --url "http://127.0.0.1:$PORT/calls-$worker-plain/index.html")
      without+=("$ms"); cpuWithout+=("$cpu")
      : >"$WORK/events.txt"
      read -r ms _ _ _ _ cpu < <(calls_ms --url "http://127.0.0.1:$PORT/calls-$worker-byhand/index.html")
      byhand+=("$ms"); sent+=("$(awk '{n += $1} END {print n + 0}' "$WORK/events.txt")"); cpuByhand+=("$cpu")
    done
    local mw mo mb cw co cb
    mw=$(median "${with[@]}"); mo=$(median "${without[@]}"); mb=$(median "${byhand[@]}")
    cw=$(median "${cpuWith[@]}"); co=$(median "${cpuWithout[@]}"); cb=$(median "${cpuByhand[@]}")
    echo "10,000 sequential calls, MicroPython main -> $worker worker, $RUNS runs each (ms, measured in the page; renderer pinned: ${PIN_LOOM[*]:-no})"
    echo "  loom (instrumented)       : ${with[*]}  median $mw"
    echo "  plain (no bridge)         : ${without[*]}  median $mo"
    echo "  plain + instrument.js only: ${byhand[*]}  median $mb"
    echo "  bridge per instrumented run (events/dropped in page/dropped in Loom/calls in report): ${stats[*]}"
    echo "  events the by-hand bridge posted per run: ${sent[*]}"
    python3 -c "print(f'  ratio loom/plain: {$mw/$mo:.2f}; per call: {$mw/10:.1f} us instrumented, {$mo/10:.1f} us plain, '
                      f'overhead {($mw-$mo)/10:+.1f} us, of which in the page {($mb-$mo)/10:+.1f} us')"
    echo "  CPU seconds of the whole run, every process: loom ${cpuWith[*]} (median $cw); plain ${cpuWithout[*]} (median $co); plain + instrument.js ${cpuByhand[*]} (median $cb)"
    python3 -c "print(f'  CPU per call: {($cw-$co)*100:+.1f} us instrumented, of which in the page {($cb-$co)*100:+.1f} us')"
    # The three variants run one after the other in each round: the median of each round's
    # difference cancels the machine's drift between rounds, which medians of each variant do not.
    # Its 90 % interval (the rounds resampled, 2,000 times) says what the set can resolve.
    python3 - "${with[*]}" "${without[*]}" "${byhand[*]}" <<'PYEOF'
import random, statistics, sys
w, o, b = ([float(x) for x in arg.split()] for arg in sys.argv[1:])
def per_call(a):  # the median of the rounds' differences, in us a call, and its 90 % interval
    d = [x - y for x, y in zip(a, o)]
    rng = random.Random(1)
    medians = sorted(statistics.median(rng.choices(d, k=len(d))) for _ in range(2000))
    return statistics.median(d) / 10, medians[100] / 10, medians[1899] / 10
paired, page = per_call(w), per_call(b)
print(f"  paired per round: overhead {paired[0]:+.1f} us a call (90 % interval {paired[1]:+.1f} to {paired[2]:+.1f}), "
      f"of which in the page {page[0]:+.1f} us ({page[1]:+.1f} to {page[2]:+.1f})")
PYEOF
  done
  unset QTWEBENGINE_CHROMIUM_FLAGS
  PIN_LOOM=()
}

# Copies of the calls page as WORK/PREFIX-VARIANT for each variant named: plain (no bridge), full
# (the bridge added by hand), dropped-on-main (the worker posts its events, the main thread drops
# them unread), no-call-events (no export is wrapped), wrapped-only (each export wrapped, the
# wrapper only calls it), no-records (the wrapper and its bookkeeping; callStarted and callEnded
# return at once), records-unposted (a burst's records written, its batches posted without them).
bridge_variants() { # PREFIX VARIANT...
  local prefix=$1 v
  shift
  for v in "$@"; do
    offline_copy "$REPO/bench/projects/calls" "$WORK/$prefix-$v"
    [ "$v" = plain ] || add_bridge_by_hand "$WORK/$prefix-$v"
  done
  python3 - "$WORK/$prefix" <<'PYEOF2'
import os, sys
def edit(variant, old, new):
    path = f"{sys.argv[1]}-{variant}/instrument.js"
    if not os.path.exists(path):
        return
    text = open(path).read()
    assert old in text, (path, old)
    open(path, "w").write(text.replace(old, new, 1))
edit("dropped-on-main", "if (Array.isArray(payload)) payload.forEach(receive); else receive(payload);", "")
edit("dropped-on-main", "if (n) emit({ bin, w, o: log.origin, n, fns });", "")
edit("no-call-events", 'if (typeof fn !== "function" || typeof name !== "string") return', "return")
edit("wrapped-only", "    return function (...args) {\n", "    return function (...args) {\n      return Reflect.apply(fn, this, args);\n")
edit("no-records", "  const callStarted = (id, exported, args, at) => {\n", "  const callStarted = (id, exported, args, at) => {\n    return false;\n")
edit("no-records", "  const callEnded = (id, exported, heldStart, ok, value, ms, at) => {\n", "  const callEnded = (id, exported, heldStart, ok, value, ms, at) => {\n    return;\n")
edit("records-unposted", "transfer.push(message.records = slots.slice(0, used).buffer);", "")
PYEOF2
}

# Where the per-call cost of the page bridge goes, in Debian's chromium with V8's profiler: the
# calls page (MicroPython main and worker) on the plain server in bridge_variants, interleaved,
# RUNS each: the time the page measured for its loop, and the time its main thread was busy (not
# idle) from navigation to the result. Wall time on this 2-core VM varies by ±30 % between runs;
# the main thread's busy time is steadier.
bench_calls_parts() {
  local v i out variants=(plain full dropped-on-main no-call-events)
  bridge_variants parts "${variants[@]}"
  BENCH_EVENTS_FILE=$WORK/events.txt serve_static "$WORK"
  : >"$WORK/parts.txt"
  for i in $(seq "$RUNS"); do
    for v in "${variants[@]}"; do
      out=$(NODE_PATH=$REPO/node_modules node "$REPO/bench/profile_calls.mjs" "http://127.0.0.1:$PORT/parts-$v/index.html" '#out' done)
      python3 - "$v" "$out" >>"$WORK/parts.txt" <<'PYEOF2'
import re, sys
out = sys.argv[2]
total = float(re.search(r"main thread, (\d+) ms sampled", out).group(1))
idle = float(re.search(r"([\d.]+) ms +[\d.]+ %  \(idle\)", out).group(1))
print(sys.argv[1], re.search(r"in ([\d.]+) ms", out).group(1), round(total - idle, 1))
PYEOF2
    done
  done
  echo "10,000 sequential calls (MicroPython main and worker) in chromium, variants of the bridge, $RUNS runs each"
  python3 - "$WORK/parts.txt" "${variants[@]}" <<'PYEOF2'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
def med(variant, column):
    return statistics.median(float(r[column]) for r in rows if r[0] == variant)
for v in sys.argv[2:]:
    loops = " ".join(r[1] for r in rows if r[0] == v)
    busy = " ".join(r[2] for r in rows if r[0] == v)
    print(f"  {v:<16} loop ms: {loops} (median {med(v, 1):.0f}, {(med(v, 1) - med('plain', 1)) / 10:+.1f} us a call)")
    print(f"  {'':<16} main thread busy ms: {busy} (median {med(v, 2):.0f}, {(med(v, 2) - med('plain', 2)) / 10:+.1f} us a call)")
PYEOF2
}

bench_post_cost() {
  local i
  pin_renderer
  serve_static "$REPO/bench/projects/post-cost"
  echo "what a POST costs the page's renderer (ms each; renderer pinned: ${PIN_LOOM[*]:-no}), $RUNS runs of 3 rounds"
  for i in $(seq "$RUNS"); do
    run_loom "$WORK/r.json" --url "http://127.0.0.1:$PORT/index.html" --timeout 120 --step 'wait-text:#out=done'
    echo "  $(last_step text "$WORK/r.json")"
  done
  unset QTWEBENGINE_CHROMIUM_FLAGS
  PIN_LOOM=()
}

bench_clock() {
  local i
  serve_static "$REPO/bench/projects/clock-cost"
  echo "a clock read in a worker (ns each, a million each), Debian's chromium, $RUNS runs"
  for i in $(seq "$RUNS"); do
    echo "  $(PROFILE=0 NODE_PATH=$REPO/node_modules node "$REPO/bench/profile_calls.mjs" "http://127.0.0.1:$PORT/index.html" '#out' done)"
  done
}

# What each stage of the bridge costs a call: the calls page (MicroPython main and worker) on the
# plain server in Loom's QtWebEngine, pinned as for calls, with the bridge added by hand in stages
# (bridge_variants), interleaved, RUNS rounds; medians against the plain page of the same rounds.
bench_calls_stages() {
  local v i variants=(plain wrapped-only no-records records-unposted full)
  bridge_variants stages "${variants[@]}"
  pin_renderer
  BENCH_EVENTS_FILE=$WORK/events.txt serve_static "$WORK"
  : >"$WORK/stages.txt"
  for i in $(seq "$RUNS"); do
    for v in "${variants[@]}"; do
      run_loom "$WORK/r.json" --url "http://127.0.0.1:$PORT/stages-$v/index.html" --timeout 600 --step 'wait-text:#out=done'
      echo "$v $(loop_ms "$WORK/r.json")" >>"$WORK/stages.txt"
    done
  done
  echo "10,000 sequential calls (MicroPython main and worker), the bridge in stages, $RUNS rounds (renderer pinned: ${PIN_LOOM[*]:-no})"
  python3 - "$WORK/stages.txt" "${variants[@]}" <<'PYEOF2'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
times = {v: [float(r[1]) for r in rows if r[0] == v] for v in sys.argv[2:]}
plain = statistics.median(times["plain"])
for v, ms in times.items():
    print(f"  {v:<17} {' '.join(f'{m:.0f}' for m in ms)}  median {statistics.median(ms):.0f}, {(statistics.median(ms) - plain) / 10:+.1f} us a call")
PYEOF2
  unset QTWEBENGINE_CHROMIUM_FLAGS
  PIN_LOOM=()
}

# The same variants profiled in Debian's chromium once each: self time on the main thread by
# script and function (bench/profile_calls.mjs).
bench_calls_profile() {
  local v variants=(plain full dropped-on-main no-call-events)
  bridge_variants parts "${variants[@]}"
  BENCH_EVENTS_FILE=$WORK/events.txt serve_static "$WORK"
  for v in "${variants[@]}"; do
    echo "== $v"
    NODE_PATH=$REPO/node_modules node "$REPO/bench/profile_calls.mjs" "http://127.0.0.1:$PORT/parts-$v/index.html" '#out' done
  done
}

bench_model() {
  "$BUILD/bin/modelthroughput" --seconds "${MODEL_SECONDS:-3}" --profile
}

# A Pyodide worker with a package (tests/projects/packages-worker), time from navigation to its
# first result: with an empty cache (every package file fetched through Loom from the stand-in
# upstream of tests/packages/standin_upstream.py) against a cached run.
bench_packages() {
  local up=$WORK/upstream cache=$WORK/cache i cold=() warm=() port
  mkdir -p "$up"
  python3 "$REPO/tests/packages/standin_upstream.py" "$BUILD/share/loom/runtime" "$up" >"$up/port" &
  SERVER_PIDS+=($!)
  for i in $(seq 50); do [ -s "$up/port" ] && break; sleep 0.1; done
  port=$(head -1 "$up/port")
  result_ms() {
    LOOM_RUNTIME_DIR=$up/runtime LOOM_PYODIDE_PACKAGES_URL=http://127.0.0.1:$port/ LOOM_CACHE_DIR=$cache \
      run_loom "$WORK/p.json" "$REPO/tests/projects/packages-worker" --timeout 120 --step 'wait-text:#result=answer 42'
    last_step ms "$WORK/p.json"
  }
  for i in $(seq "$RUNS"); do
    rm -rf "$cache"; cold+=("$(result_ms)")
    warm+=("$(result_ms)")
  done
  echo "packages-worker navigation -> first result, $RUNS runs each (ms)"
  echo "  empty cache (fetched through Loom): ${cold[*]}  median $(median "${cold[@]}")"
  echo "  cached                            : ${warm[*]}  median $(median "${warm[@]}")"
}

# Debian's nginx, unpacked (not installed: its package starts a service), for bench_server.
nginx_binary() {
  local dir=$WORK/nginx-pkg
  if [ ! -x "$dir/usr/sbin/nginx" ]; then
    mkdir -p "$dir"
    (cd "$dir" && apt-get download nginx >/dev/null 2>&1 && dpkg -x nginx_*.deb .) \
      || { echo "cannot get Debian's nginx (apt-get download nginx)" >&2; return 1; }
  fi
  echo "$dir/usr/sbin/nginx"
}

bench_server() {
  # The same files at the same paths for all three: the runtime set under /__loom__/runtime/
  # (the 13 MB of a Pyodide + MicroPython page), and a small project file.
  local site=$WORK/server-site rt=$BUILD/share/loom/runtime files=() d f nginx port out
  mkdir -p "$site/__loom__"
  cp -rL "$rt" "$site/__loom__/runtime"
  cp "$REPO/samples/primes/main.py" "$site/main.py"
  # The URLs the runtime answers: each component's `files` in runtime.json (not its NOTICES.txt or
  # the compiled stdlib's own name, which Loom never serves as such).
  mapfile -t files < <(python3 -c 'import json, sys
for key in ("pyscript", "pyodide", "micropython"):
    c = json.load(open(sys.argv[1]))[key]
    for f in c["files"]:
        print("/__loom__/runtime/" + c["dir"] + "/" + f)' "$rt/runtime.json")
  measure() { python3 "$REPO/bench/server_bench.py" "http://127.0.0.1:$1/" /main.py "${files[@]}"; }
  echo "loopback serving (keep-alive median of 500 GETs of main.py; the runtime set x10 over 6 connections)"
  for i in $(seq "$RUNS"); do
    port=$((20000 + RANDOM % 12000))
    # npm's standard library, as the other two serve it: the same bytes moved by all three.
    "$LOOM" serve "$site" --port "$port" --upstream-stdlib >/dev/null 2>&1 &
    SERVER_PIDS+=($!)
    wait_port "$port"
    echo "  loom        : $(measure "$port")"
    kill "${SERVER_PIDS[-1]}"
    serve_static "$site"
    echo "  http.server : $(measure "$PORT")"
    kill "${SERVER_PIDS[-1]}"
    nginx=$(nginx_binary)
    port=$((20000 + RANDOM % 12000))
    mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
    cat >"$WORK/nginx/nginx.conf" <<EOF2
worker_processes 2;
user root;
error_log $WORK/nginx/logs/error.log;
pid $WORK/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp/body; proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi; uwsgi_temp_path $WORK/nginx/tmp/uwsgi; scgi_temp_path $WORK/nginx/tmp/scgi;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 100000;
  types { application/wasm wasm; text/javascript js mjs; application/json json; application/zip zip; }
  server {
    listen 127.0.0.1:$port;
    root $site;
    add_header Cross-Origin-Opener-Policy same-origin;
    add_header Cross-Origin-Embedder-Policy require-corp;
  }
}
EOF2
    "$nginx" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
    SERVER_PIDS+=($!)
    wait_port "$port"
    echo "  nginx       : $(measure "$port")"
    kill "${SERVER_PIDS[-1]}"
  done
}

# Loom's peak resident memory while a hostile page floods its bridge (bench/flood_bridge.py: 64 KiB
# lines from 64 worker ids, calls with 14 arguments of 64 KiB, for FLOOD_SECONDS, 15 by default:
# memory a thread's arena holds grows with what was posted, not with time), and the report it writes.
# RUNS rounds; OTHER_LOOM=path/to/another/loom measures that one too, alternating (an older build, say).
bench_flood() {
  local bin port i
  local seconds=${FLOOD_SECONDS:-15}
  echo "bridge flood ($seconds s of 64 KiB lines and calls) -> Loom's peak RSS and report size"
  for bin in $(for i in $(seq "$RUNS"); do echo ${OTHER_LOOM:-} "$LOOM"; done); do
    port=$((20000 + RANDOM % 12000))
    python3 "$REPO/bench/peak_rss.py" "$bin" run "$REPO/tests/projects/never-done" --headless --timeout $((seconds + 10)) --port "$port" \
      --step 'wait-text:#out=never' --report "$WORK/flood.json" >"$WORK/peak.json" &
    sleep 3
    local posted
    posted=$(python3 "$REPO/bench/flood_bridge.py" "http://127.0.0.1:$port/" "$seconds")
    wait
    echo "  $bin: posted $posted, $(cat "$WORK/peak.json"), report $(stat -c %s "$WORK/flood.json") bytes"
  done
}

# The end of a headless run: from its last step to Loom's exit (bench/run_end.py), RUNS each,
# alternating with OTHER_LOOM if set: a page whose worker is idle at the end, one whose worker is
# busy in a call with a burst's events still held, and the primes sample.
bench_run_end() {
  local looms=(${OTHER_LOOM:-} "$LOOM")
  echo "end of a headless run (RUNS=$RUNS)"
  echo " call-speed (10,000 calls, the worker idle at the end):"
  python3 "$REPO/bench/run_end.py" "$RUNS" "${looms[@]}" -- "$REPO/tests/projects/call-speed" --step 'wait-text:#out=done'
  echo " busy-at-end (200 calls held, the worker busy in an 8 s call at the end):"
  python3 "$REPO/bench/run_end.py" "$RUNS" "${looms[@]}" -- "$REPO/tests/projects/busy-at-end" --step 'wait-text:#out=done'
  echo " the primes sample:"
  python3 "$REPO/bench/run_end.py" "$RUNS" "${looms[@]}" -- --sample primes
}

# The cost of a debug run whose breakpoint is never reached (issue: debugger, "Measure"): the primes
# sample's sieve (pure Python, 1,000,000) in its Pyodide worker and in the same worker made a
# MicroPython one, Run against a debug run with a breakpoint on the worker's `raise` (never
# reached). The time is the page's own ("in 0.088 s": the worker's time for the sieve), RUNS each.
bench_debug_cost() {
  local worker project plain debug i seconds
  page_seconds() { last_step text "$1" | grep -oE ' in [0-9.]+ s' | head -1 | grep -oE '[0-9.]+'; }
  for worker in py mpy; do
    project=$WORK/debug-$worker
    rm -rf "$project"; cp -r "$REPO/samples/primes" "$project"
    if [ "$worker" = mpy ]; then
      # MicroPython's bytearray has no `*` and no extended slice assignment: the same sieve,
      # written with loops (in both runs).
      sed -i 's#<script type="py" worker#<script type="mpy" worker#' "$project/index.html"
      python3 - "$project/worker.py" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
loop = """def _sieve_python(limit):
    is_prime = bytearray(limit + 1)
    for i in range(2, limit + 1):
        is_prime[i] = 1
    n = 2
    while n * n <= limit:
        if is_prime[n]:
            for m in range(n * n, limit + 1, n):
                is_prime[m] = 0
        n += 1
    return [n for n in range(limit + 1) if is_prime[n]]
"""
text = re.sub(r"def _sieve_python\(limit\):\n(?:    .*\n)+", loop, text)
open(path, "w").write(text)
PY
    fi
    plain=(); debug=()
    for i in $(seq "$RUNS"); do
      run_loom "$WORK/d.json" "$project"; plain+=("$(page_seconds "$WORK/d.json")")
      run_loom "$WORK/d.json" "$project" --break "worker.py:$(grep -n 'raise ValueError' "$project/worker.py" | cut -d: -f1)"
      debug+=("$(page_seconds "$WORK/d.json")")
    done
    echo "primes sieve 1,000,000 in a $worker worker, page's seconds, $RUNS runs each"
    echo "  run:   ${plain[*]}  median $(median "${plain[@]}")"
    echo "  debug: ${debug[*]}  median $(median "${debug[@]}")"
    python3 -c 'import sys; print("  debug / run: %.2f" % (float(sys.argv[2]) / float(sys.argv[1])))' "$(median "${plain[@]}")" "$(median "${debug[@]}")"
  done
}

# `loom test samples` RUNS times in each way, interleaved: its wall time (this script's clock around
# the command), the sum of its test cases' times and its verdicts (from its JUnit XML).
bench_test() {
  local i v
  loom_test() { # NAME ARGS...: prints "wall sum passed failed projects"
    local name=$1 start end
    shift
    start=$(date +%s.%N)
    "$LOOM" test "$REPO/samples" --junit "$WORK/$name.xml" "$@" >"$WORK/$name.log" 2>&1 || true
    end=$(date +%s.%N)
    python3 - "$WORK/$name.xml" "$start" "$end" <<'PY'
import sys, xml.etree.ElementTree as ET
cases = ET.parse(sys.argv[1]).getroot().iter("testcase")
cases = [(c.get("name"), float(c.get("time")), c.find("failure") is None and c.find("error") is None) for c in cases]
print(f"{float(sys.argv[3]) - float(sys.argv[2]):.1f} {sum(t for _, t, _ in cases):.1f} "
      f"{sum(ok for *_, ok in cases)} {sum(not ok for *_, ok in cases)} {','.join(sorted(n for n, *_ in cases))}")
PY
  }
  declare -A wall=() work=() verdicts=() names=()
  local load started
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  started=$(date -u '+%Y-%m-%d %H:%M UTC')
  for i in $(seq "$RUNS"); do
    for v in j1 j2 shard1 shard2; do
      local args=(-j 1)
      case $v in
        j2) args=(-j 2) ;;
        shard1) args=(-j 1 --shard 1/2) ;;
        shard2) args=(-j 1 --shard 2/2) ;;
      esac
      read -r w s p f n < <(loom_test "$v" "${args[@]}")
      wall[$v]="${wall[$v]:-} $w"; work[$v]="${work[$v]:-} $s"; verdicts[$v]="$p passed, $f failed"; names[$v]=$n
    done
    wall[sharded]="${wall[sharded]:-} $(python3 -c "import sys; print(f'{float(sys.argv[1]) + float(sys.argv[2]):.1f}')" \
      "$(echo "${wall[shard1]}" | awk '{print $NF}')" "$(echo "${wall[shard2]}" | awk '{print $NF}')")"
  done
  echo "loom test samples, $RUNS runs each (s), from $started, $(nproc) cores; load average at start: $load, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  for v in j1 j2 shard1 shard2 sharded; do
    printf '  %-8s wall: %s  median %s' "$v" "${wall[$v]}" "$(median ${wall[$v]})"
    [ -n "${work[$v]:-}" ] && printf '; test cases summed: %s; %s' "$(median ${work[$v]})" "${verdicts[$v]}"
    echo
  done
  echo "  shard 1/2: ${names[shard1]}"
  echo "  shard 2/2: ${names[shard2]}"
  python3 -c "import sys; a, b = sorted(sys.argv[1].split(',') + sys.argv[2].split(',')), sorted(sys.argv[3].split(',')); print('  shards together = unsharded:', a == b)" \
    "${names[shard1]}" "${names[shard2]}" "${names[j1]}"
}

for mode in "${MODES[@]}"; do
  case "$mode" in
    primes) bench_primes ;;
    calls) bench_calls ;;
    calls-parts) bench_calls_parts ;;
    calls-profile) bench_calls_profile ;;
    calls-stages) bench_calls_stages ;;
    clock) bench_clock ;;
    post-cost) bench_post_cost ;;
    primes-preload) bench_primes_preload ;;
    model) bench_model ;;
    packages) bench_packages ;;
    server) bench_server ;;
    flood) bench_flood ;;
    run-end) bench_run_end ;;
    debug-cost) bench_debug_cost ;;
    test) bench_test ;;
    all) bench_primes; bench_calls; bench_model; bench_packages; bench_server; bench_flood ;;
    *) echo "usage: bench/run.sh BUILD_DIR [primes|primes-preload|calls|calls-parts|calls-profile|calls-stages|clock|post-cost|model|packages|server|flood|run-end|debug-cost|test|all]..." >&2; exit 2 ;;
  esac
done
