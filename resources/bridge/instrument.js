// Loom's page bridge. The dev server injects it right before PyScript's core script; it is never
// written into the user's files nor into an export. It reports what workers do through PyScript's
// public hooks (@pyscript/core src/hooks.js) and posts the events, batched, to Loom's server.
// Design and caveats: ../shared/notes/pyscript-internals.md §3.5-3.6 and ARCHITECTURE.md.
import { hooks } from "__LOOM_CORE_URL__";

const ENDPOINT = "__LOOM_ENDPOINT__";        // /__loom__/bridge/<per-run secret>
const MAX_QUEUE = 2000;                      // events kept while waiting to send; older ones dropped
const FLUSH_MS = 100;
const PREVIEW = 300;                         // characters of an argument or result preview
const MAX_LINE = 16 * 1024;                  // characters of one console line

const now = () => performance.timeOrigin + performance.now();
let queue = [];
let dropped = 0;
const emit = (event) => {
  event.t ??= now();
  if (queue.length >= MAX_QUEUE) { queue.shift(); ++dropped; }
  queue.push(event);
};
// A batch must fit the server's 1 MiB body limit; a keepalive request (the last flush, as the
// page goes away) must fit Chromium's 64 KiB keepalive quota, or the browser refuses to send it.
const MAX_BODY = 900 * 1024;
const KEEPALIVE_BODY = 60 * 1024;
const post = (events, keepalive) => {
  const body = JSON.stringify({ dropped, events });
  if (body.length > (keepalive ? KEEPALIVE_BODY : MAX_BODY) && events.length > 1) {
    const half = events.length >> 1;
    post(events.slice(0, half), keepalive);
    post(events.slice(half), keepalive);
    return;
  }
  dropped = 0;
  fetch(ENDPOINT, { method: "POST", body, keepalive, headers: { "Content-Type": "application/json" } })
    .catch(() => { dropped += events.length; });   // reported with the next batch
};
const flush = (keepalive = false) => {
  if (!queue.length && !dropped) return;
  const events = queue;
  queue = [];
  post(events, keepalive === true);
};
setInterval(flush, FLUSH_MS);
addEventListener("pagehide", () => flush(true));

const preview = (value) => {
  let text;
  try { text = typeof value === "string" ? JSON.stringify(value) : String(value); } catch (_) { text = "?"; }
  try { if (value && typeof value === "object" && !("toJs" in value)) text = JSON.stringify(value); } catch (_) {}
  return text.length > PREVIEW ? text.slice(0, PREVIEW) + "…" : text;
};

emit({ k: "page", url: location.href, isolated: self.crossOriginIsolated === true,
       sab: typeof SharedArrayBuffer === "function" });

// Line-assemble an io stream: MicroPython writes byte by byte (Uint8Array chunks).
const lineWriter = (send) => {
  let pending = "";
  const decoder = new TextDecoder();
  return (chunk) => {
    const text = chunk instanceof Uint8Array ? decoder.decode(chunk, { stream: true }) : String(chunk);
    if (!(chunk instanceof Uint8Array)) { send(text); return; }
    pending += text;
    let nl;
    while ((nl = pending.indexOf("\n")) >= 0) { send(pending.slice(0, nl)); pending = pending.slice(nl + 1); }
  };
};

// ---- main thread ---------------------------------------------------------------------------
const wrappedIo = new WeakSet();
const wrapMainIo = (wrap) => {
  const io = wrap.io;
  const thread = `main:${wrap.type}`;
  if (wrappedIo.has(io)) return;
  wrappedIo.add(io);
  for (const stream of ["stdout", "stderr"]) {
    const original = io[stream];
    const write = lineWriter((text) => emit({ k: stream, thread,
                                              text: text.length > MAX_LINE ? text.slice(0, MAX_LINE) + "…" : text }));
    io[stream] = function (chunk, ...rest) { write(chunk?.message && stream === "stderr" ? chunk.message : chunk);
                                             return original.call(this, chunk, ...rest); };
  }
};
const scriptInfo = (element) => element ? {
  id: element.id || "", src: element.getAttribute("src") || "", type: element.getAttribute("type") || "",
  name: element.getAttribute("name") || "", config: element.getAttribute("config") || "",
  index: Array.prototype.indexOf.call(document.scripts, element),
} : {};
hooks.main.onReady.add((wrap, element) => {
  wrapMainIo(wrap);
  emit({ k: "main-ready", type: wrap.type, script: scriptInfo(element) });
});
hooks.main.onBeforeRun.add((wrap, element) => emit({ k: "main-run", type: wrap.type, script: scriptInfo(element) }));
hooks.main.onBeforeRunAsync.add((wrap, element) => emit({ k: "main-run", type: wrap.type, script: scriptInfo(element) }));

// Main-side call timing: coincident sends each call as [uid, name, args] over a MessagePort.
const pendingSends = [];   // {name, t, port}
const portWorker = new WeakMap();  // learned when a call on a port reaches a worker's wrapper
const originalPost = MessagePort.prototype.postMessage;
MessagePort.prototype.postMessage = function (data, ...rest) {
  if (Array.isArray(data) && data.length === 3 && typeof data[0] === "number" && typeof data[1] === "string"
      && Array.isArray(data[2])) {
    if (pendingSends.length > 1000) pendingSends.shift();
    pendingSends.push({ name: data[1], t: now(), port: this, args: data[2].map(preview) });
  }
  return originalPost.call(this, data, ...rest);
};
// A call that never reached the worker's wrapper: the name is not exported (coincident answers
// with a TypeError). Known once a later call on the same port did reach it, or after a second;
// never for a name the worker exports, which is only waiting (a busy or blocked worker).
const exportsOf = new Map(); // worker -> Set of exported names
const exported = (send) => exportsOf.get(portWorker.get(send.port))?.has(send.name) === true;
let missingId = 1e9;
const reportMissing = (send) => {
  const w = portWorker.get(send.port);
  const id = ++missingId;
  emit({ k: "call-start", w, id, fn: send.name, args: send.args, t: send.t });
  emit({ k: "call-end", w, id, fn: send.name, ok: false, ms: 0, mainMs: now() - send.t,
         error: `${send.name} is not a function: the worker has no export of that name` });
};
const takeSend = (name, w) => {
  const i = pendingSends.findIndex((s) => s.name === name);
  if (i < 0) return undefined;
  const [send] = pendingSends.splice(i, 1);
  portWorker.set(send.port, w);
  for (let j = pendingSends.length - 1; j >= 0; --j) {
    if (pendingSends[j].port === send.port && pendingSends[j].t < send.t && !exported(pendingSends[j]))
      reportMissing(pendingSends.splice(j, 1)[0]);
  }
  return send.t;
};
setInterval(() => {
  const old = now() - 1000;
  for (let j = pendingSends.length - 1; j >= 0; --j) {
    if (pendingSends[j].t < old && portWorker.has(pendingSends[j].port) && !exported(pendingSends[j]))
      reportMissing(pendingSends.splice(j, 1)[0]);
  }
}, 500);

let nextWorker = 0;
hooks.main.onWorker.add((_, xworker) => {
  const w = ++nextWorker;
  const calls = new Map();  // worker call id -> main send time
  queueMicrotask(() => {
    const element = [...document.querySelectorAll("script[worker]")].find((s) => s.xworker === xworker);
    emit({ k: "worker-created", w, script: scriptInfo(element) });
  });
  const receive = (data) => {
    data.w = w;
    if (data.k === "export") {
      if (!exportsOf.has(w)) exportsOf.set(w, new Set());
      exportsOf.get(w).add(data.fn);
    }
    if (data.k === "call-start") calls.set(data.id, takeSend(data.fn, w));
    if (data.k === "call-end") {
      const sent = calls.get(data.id);
      calls.delete(data.id);
      if (sent !== undefined) data.mainMs = now() - sent;
    }
    emit(data);
  };
  xworker.addEventListener("message", (event) => {
    const data = event.data?.__loom__;
    if (!data) return;
    event.stopImmediatePropagation();
    if (Array.isArray(data)) data.forEach(receive); else receive(data);
  });
  xworker.addEventListener("error", (event) => emit({ k: "worker-error", w, text: String(event.error?.message ?? event.message ?? event.error ?? "error") }));
  xworker.ready.then(() => emit({ k: "worker-ready", w }),
                     (error) => emit({ k: "worker-failed", w, text: String(error?.message ?? error) }));
  const terminate = xworker.terminate;
  xworker.terminate = function (...args) { emit({ k: "worker-stopped", w }); return terminate.apply(this, args); };
});

// ---- responsiveness of the main thread -----------------------------------------------------
// A timer that should fire every 50 ms: its lateness is time the main thread could not run.
{
  const PERIOD = 50;
  let expected = performance.now() + PERIOD;
  let worst = 0;
  let longTasks = 0;
  let longest = 0;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) { ++longTasks; longest = Math.max(longest, entry.duration); }
    }).observe({ type: "longtask", buffered: true });
  } catch (_) {}
  let last = performance.now();
  setInterval(() => {
    const t = performance.now();
    worst = Math.max(worst, t - expected);
    expected = t + PERIOD;
    if (t - last >= 250) {
      emit({ k: "resp", lag: Math.max(0, Math.round(worst)), lt: longTasks, ltMax: Math.round(longest) });
      worst = 0; longTasks = 0; longest = 0; last = t;
    }
  }, PERIOD);
}

// ---- worker side (stringified by PyScript: no closures, everything inline) -----------------
const workerReady = function loomWorkerReady(wrap, xworker) {
  const stamp = () => performance.timeOrigin + performance.now();
  const post = (data) => { try { xworker.postMessage({ __loom__: data }); } catch (_) {} };
  // Output lines are coalesced: one message per 16 ms at most while a loop prints, so a
  // flood costs the worker little. The first line after a pause still leaves at once (a
  // progress print before a long computation shows up live), and every other event leaves
  // at once, in order, so the main side times calls without delay.
  let lines = [];
  let lastLines = 0;
  let timer = 0;
  const postLines = () => {
    if (timer) { clearTimeout(timer); timer = 0; }
    if (!lines.length) return;
    post(lines);
    lines = [];
    lastLines = performance.now();
  };
  const send = (event) => {
    event.t = stamp();
    if (typeof event.text === "string" && event.text.length > 16384) event.text = event.text.slice(0, 16384) + "…";
    if (event.k !== "stdout") { postLines(); post(event); return; }   // errors too: they change state
    lines.push(event);
    if (performance.now() - lastLines >= 16 || lines.length >= 1000) postLines();
    else if (!timer) timer = setTimeout(postLines, 16);
  };
  // Python's own repr, for the proxies String() cannot print (MicroPython's dicts and lists).
  let builtins = null;
  const pyRepr = (value) => {
    try {
      builtins ??= wrap.interpreter.pyimport("builtins");
      const text = builtins.repr(value);
      return typeof text === "string" ? text : null;
    } catch (_) { return null; }
  };
  const short = (value) => {
    let text;
    try { text = typeof value === "string" ? JSON.stringify(value) : String(value); } catch (_) { text = pyRepr(value) ?? "?"; }
    try { if (value && typeof value === "object" && typeof value.toJs !== "function") text = JSON.stringify(value); } catch (_) {}
    return text.length > 300 ? text.slice(0, 300) + "…" : text;
  };
  send({ k: "worker-interpreter", type: wrap.type });
  for (const stream of ["stdout", "stderr"]) {
    const original = wrap.io[stream];
    let pending = "";
    const decoder = new TextDecoder();
    wrap.io[stream] = function (chunk, ...rest) {
      if (chunk instanceof Uint8Array) {
        pending += decoder.decode(chunk, { stream: true });
        let nl;
        while ((nl = pending.indexOf("\n")) >= 0) { send({ k: stream, text: pending.slice(0, nl) }); pending = pending.slice(nl + 1); }
      } else {
        send({ k: stream, text: String(chunk?.message && stream === "stderr" ? chunk.message : chunk) });
      }
      return original.call(this, chunk, ...rest);
    };
  }
  let seq = 0;
  let lastCall = null;
  // A result that cannot be cloned fails after the function returned, inside coincident, as an
  // unhandled rejection in the worker; the caller then waits for ever. Report it on that call.
  addEventListener("unhandledrejection", (event) => {
    const text = String(event.reason?.message ?? event.reason);
    if (lastCall && /DataCloneError|could not be cloned/.test(String(event.reason?.name) + text)) {
      send({ k: "call-end", id: lastCall.id, fn: lastCall.fn, ok: false, ms: lastCall.ms,
             error: `DataCloneError: ${text}` });
    } else {
      send({ k: "worker-error", text });
    }
  });
  const sync = xworker.sync;
  xworker.sync = new Proxy(sync, {
    set(target, name, fn) {
      if (typeof fn !== "function" || typeof name !== "string") { target[name] = fn; return true; }
      send({ k: "export", fn: name });
      target[name] = async function (...args) {
        const id = ++seq;
        send({ k: "call-start", id, fn: name, args: args.map(short) });
        const started = performance.now();
        try {
          const result = await fn.apply(this, args);
          const ms = performance.now() - started;
          lastCall = { id, fn: name, ms };
          send({ k: "call-end", id, fn: name, ok: true, result: short(result), ms });
          return result;
        } catch (error) {
          send({ k: "call-end", id, fn: name, ok: false, error: String(error?.message ?? error), ms: performance.now() - started });
          throw error;
        }
      };
      return true;
    },
  });
};
hooks.worker.onReady.add(workerReady);
