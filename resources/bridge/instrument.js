// Loom's page bridge. The dev server serves PyScript's core.js with one more import, this file,
// so it runs wherever a page loads PyScript (a tag, an inline or dynamic import, a script made by
// JavaScript), right after core's bundle has run and before any worker can start. It is never
// written into the user's files nor into an export. It observes through PyScript's public hooks
// (@pyscript/core src/hooks.js) and posts the events, batched, to Loom's server.
//
// It observes; it must never change what the page does. So: nothing PyScript calls is wrapped
// for the page's lifetime (no MessagePort patch, no proxy over xworker.sync while user code runs),
// values from other threads are never inspected on the main thread (a proxy of a worker object
// throws from its traps there: `instanceof` on one once left a worker waiting for ever), and
// every wrapper calls the original first and cannot throw into PyScript.
// Design and caveats: docs/internals.md ("The path of a page event"); the wire format:
// events.schema.json.
const { hooks } = globalThis[Symbol.for("@pyscript/core")];

// PyScript awaits each function of an async hook set in turn, so a bridge hook ahead of the
// page's own would delay them by a microtask and change the page's order of events. Loom's hooks
// therefore stay last in those sets: a hook added later (by the page or a plugin) goes before them.
// PyScript calls the onWorker hooks in a plain loop, so there Loom's goes first: the listener it
// puts on the worker object, for the one message of Loom's that crosses it, is then the first
// one (a listener the page's own onWorker hook adds must not see that message).
const keepFirst = (set, fn) => {
  const others = [...set];
  set.clear();
  set.add(fn);
  for (const other of others) set.add(other);
};
const keepLast = (set, fn) => {
  const add = set.add;
  add.call(set, fn);
  Object.defineProperty(set, "add", {
    configurable: true, writable: true,
    value(value) {
      const ours = value !== fn && this.has(fn);
      if (ours) this.delete(fn);
      const result = add.call(this, value);
      if (ours) add.call(this, fn);
      return result;
    },
  });
};

const ENDPOINT = "__LOOM_ENDPOINT__";        // /__loom__/bridge/<per-run secret>
// What may wait to be sent, sized by characters (about bytes), not by a count: a burst of 20,000
// small calls a second fits; a flood of long lines drops its oldest, counted.
const MAX_QUEUE_CHARS = 4 * 1024 * 1024;
const MAX_QUEUE = 100000;
// The queue leaves every 100 ms; in a burst (a thousand events waiting), every 500 ms: a POST
// costs the page's renderer about 1.5 ms even when empty (bench/run.sh post-cost), which in a
// burst of 15,000 calls a second was a third of a call's cost.
const FLUSH_MS = 100;
const BURST_EVENTS = 1000;
const BURST_FLUSH_MS = 500;
const FLUSH_EARLY_CHARS = 256 * 1024;        // a full batch's worth: send it now, not at the tick
const MAX_LINE = 16 * 1024;                  // characters of one console line

// `performance` is looked up once: on a global object it costs 0.25 µs a lookup, three times
// what now() itself costs (Chromium, a worker; BENCHMARKS.md).
const clock = performance;
const ORIGIN = clock.timeOrigin;
const now = () => ORIGIN + clock.now();
// The queue holds events, and what a worker held in a burst as the records of its log ({bin, w,
// o, n, t}: its bytes, the worker, its clock's origin, n records, when they came), which Loom
// reads: no event is made of them on this thread, in the page.
const charsOf = (event) => event.bin !== undefined ? event.bin.byteLength : 64 + (event.text ? event.text.length : 0)
  + (event.args ? event.args.reduce((sum, arg) => sum + String(arg).length + 4, 0) : 0);
const weightOf = (event) => event.bin !== undefined ? event.n : event.k === "call" ? 2 : 1;
let queue = [];
let head = 0;          // queue[head..] waits; dropping the oldest moves head (no O(n) shift)
let queuedChars = 0;
let queuedEvents = 0;  // as weightOf counts them
let lastFlush = 0;     // clock.now() of the last flush
let dropped = 0;
let flushSoon = false;
let ended = false;     // the run's end has flushed ("the run's end", below): nothing is queued after it
const emit = (event) => {
  if (ended) return;
  event.t ??= now();
  const chars = charsOf(event);
  while (head < queue.length && (queue.length - head >= MAX_QUEUE || queuedChars + chars > MAX_QUEUE_CHARS)) {
    const weight = weightOf(queue[head]);
    queuedChars -= charsOf(queue[head]);
    queuedEvents -= weight;
    dropped += weight;
    queue[head++] = undefined;
  }
  queue.push(event);
  queuedChars += chars;
  queuedEvents += weightOf(event);
  if (queuedChars >= FLUSH_EARLY_CHARS && !flushSoon) {
    flushSoon = true;
    setTimeout(() => { flushSoon = false; flush(); }, 0);
  }
};
// A batch must fit the server's 1 MiB body limit; a keepalive request (the last flush, as the
// page goes away) must fit Chromium's 64 KiB keepalive quota, or the browser refuses to send it.
const MAX_BODY = 900 * 1024;
const KEEPALIVE_BODY = 60 * 1024;
const MAX_BATCH_EVENTS = 12000;              // the server takes 15,000 a batch (weightOf: as it counts)
// Every batch has an id, and one that fails is sent again: Chromium now and then fails a fetch
// ("Failed to fetch") whose request the server did take, so a failure does not say the batch was
// lost. The server keeps the ids it has seen and takes a batch once; only a batch whose every
// attempt failed counts as dropped.
const SENDER = Math.random().toString(36).slice(2, 10);
const RETRY_MS = [50, 500];
let sent = 0;
const nextBatchId = () => `${SENDER}.${++sent}`;
let unanswered = 0;          // batches sent whose last attempt has no answer yet
let whenAnswered = [];       // called when none is left
const answered = () => {
  if (--unanswered > 0) return;
  const waiting = whenAnswered;
  whenAnswered = [];
  waiting.forEach((resolve) => resolve());
};
const send = (id, body, type, events, keepalive, attempt = 0) => {
  if (attempt === 0) ++unanswered;
  fetch(ENDPOINT, { method: "POST", body, keepalive, headers: { "Content-Type": type } })
    .then(answered, () => {
      if (keepalive || attempt >= RETRY_MS.length) {  // reported with the next batch
        dropped += events.reduce((n, event) => n + weightOf(event), 0);
        answered();
        return;
      }
      setTimeout(() => send(id, body, type, events, keepalive, attempt + 1), RETRY_MS[attempt]);
    });
};
// A batch with records: its JSON (each run of records as {"k": "records", t, w, o, b: its bytes}),
// a newline, then the records (runtime/bridge/pageevent.cpp, parseRecordBatch).
const utf8 = new TextEncoder();
const withRecords = (id, events) => {
  const head = utf8.encode(JSON.stringify({ id, dropped, events: events.map((event) => event.bin === undefined ? event
    : { k: "records", t: event.t, w: event.w, o: event.o, b: event.bin.byteLength, fns: event.fns }) }) + "\n");
  const body = new Uint8Array(events.reduce((size, event) => size + (event.bin ? event.bin.byteLength : 0), head.length));
  body.set(head);
  let at = head.length;
  for (const event of events) {
    if (event.bin === undefined) continue;
    body.set(new Uint8Array(event.bin), at);
    at += event.bin.byteLength;
  }
  return body;
};
const post = (events, keepalive) => {
  const id = nextBatchId();
  const weight = events.reduce((n, event) => n + weightOf(event), 0);
  const records = events.some((event) => event.bin !== undefined);
  const body = weight > MAX_BATCH_EVENTS ? "" : records ? withRecords(id, events) : JSON.stringify({ id, dropped, events });
  if ((!body || body.length > (keepalive ? KEEPALIVE_BODY : MAX_BODY)) && events.length > 1) {
    const half = events.length >> 1;
    post(events.slice(0, half), keepalive);
    post(events.slice(half), keepalive);
    return;
  }
  dropped = 0;
  send(id, body, records ? "application/x-loom-batch" : "application/json", events, keepalive);
};
const flush = (keepalive = false) => {
  if (head >= queue.length && !dropped) return;
  const events = head ? queue.slice(head) : queue;
  queue = [];
  head = 0;
  queuedChars = 0;
  queuedEvents = 0;
  lastFlush = clock.now();
  post(events, keepalive === true);
};
// Called by the one timer of this side (responsiveness, below), every 50 ms.
const flushDue = (t) => {
  if (t - lastFlush >= (queuedEvents >= BURST_EVENTS ? BURST_FLUSH_MS : FLUSH_MS)) flush();
};
// Going away: what workers still hold (recoverHeld, below) goes in the last batch.
addEventListener("pagehide", () => { for (const w of [...logs.keys()]) recoverHeld(w); flush(true); });


emit({ k: "page", url: location.href, isolated: self.crossOriginIsolated === true,
       sab: typeof SharedArrayBuffer === "function" });

// Line-assemble an io stream: MicroPython writes byte by byte (Uint8Array chunks). Only plain
// strings, typed arrays and Error objects made on this thread are read; anything else is shown
// by its type, never inspected (ArrayBuffer.isView and typeof run no proxy traps).
const lineWriter = (send) => {
  let pending = "";
  const decoder = new TextDecoder();
  return (chunk) => {
    if (!ArrayBuffer.isView(chunk)) { send(typeof chunk === "string" ? chunk : textOf(chunk)); return; }
    pending += decoder.decode(chunk, { stream: true });
    let nl;
    while ((nl = pending.indexOf("\n")) >= 0) { send(pending.slice(0, nl)); pending = pending.slice(nl + 1); }
  };
};
const textOf = (value) => {
  try { return String(value !== null && typeof value === "object" && typeof value.message === "string" ? value.message : value); }
  catch (_) { return `[${typeof value}]`; }
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
    io[stream] = function (chunk, ...rest) {
      try { return original.call(this, chunk, ...rest); }
      finally { try { write(chunk); } catch (_) {} }
    };
  }
};
const scriptInfo = (element) => element ? {
  id: element.id || "", src: element.getAttribute("src") || "", type: element.getAttribute("type") || "",
  name: element.getAttribute("name") || "", config: element.getAttribute("config") || "",
  index: Array.prototype.indexOf.call(document.scripts, element),
} : {};
keepLast(hooks.main.onReady, (wrap, element) => {
  wrapMainIo(wrap);
  emit({ k: "main-ready", type: wrap.type, script: scriptInfo(element) });
});
keepLast(hooks.main.onBeforeRun, (wrap, element) => emit({ k: "main-run", type: wrap.type, script: scriptInfo(element) }));
keepLast(hooks.main.onBeforeRunAsync, (wrap, element) => emit({ k: "main-run", type: wrap.type, script: scriptInfo(element) }));

// A worker in a burst of calls holds their events for one batch (see workerReady), as records in
// a log it shares with this thread until it posts the batch with a copy of them, which this side
// passes on for Loom to read (parseRecordBatch). It makes events of records only to show the call
// a worker is running, read from its log every 50 ms (a call that turns out long shows while it
// runs), and to take what a worker still held when it was terminated, or when the page goes away:
// it would be lost with the worker. The log: Int32 [0] generation (one more each time the worker
// posts its batch and empties the log), [1] slots used, [2] where the last record starts;
// Float64 [2] the worker's timeOrigin; records from byte 32 in 8-byte slots. A record's first
// slot is two Int32: its kind (1 a call's start, 2 its end, 3 an event as JSON text, 4 a call of
// numbers) and its size in slots; its fields follow, as doubles. A value takes two slots: 0 and a
// number, or 1 and a length, followed by that many UTF-16 characters, four a slot. A call of
// numbers, the common call of a burst, is one record in as few bytes as it can (it is most of
// what a burst sends): a slot of its id (Int32), the count of arguments and its export's index
// (Uint16 each: the worker's "export" events give the index its name, and a batch of records
// carries the names as `fns`), its time, the arguments as they are, and once the call has
// returned a number, two more: the end's time and the number (its ms is the difference of the
// two times). A call that ends otherwise has its end in a record of its own.
const LOG_BYTES = 256 * 1024;
const LOG_RECORDS = 32;      // bytes before the first record
const logs = new Map();      // worker -> { header, slots, origin, fns, receive, recover, seen }
const utf16 = new TextDecoder("utf-16le");
const CALL_START = 1, CALL_END = 2, EVENT = 3, CALL = 4;
// The exports a call of numbers can name by index, and their names' length (EventLimits in
// runtime/bridge/pageevent.h; the worker's copy in wrapExport): names past them travel inline.
const MAX_EXPORT_NAMES = 256, MAX_EXPORT_NAME = 128;
// The events of records (a Float64Array, not shared; a worker's clock starts at `origin`). A call
// whose end follows its start is one "call" event (its start and end: half the events for every
// stage after this one). A record that does not make sense ends the reading: the page wrote it.
const decodeLog = (slots, origin, fns) => {
  const ints = new Int32Array(slots.buffer, slots.byteOffset, slots.length * 2);
  const chars = new Uint16Array(slots.buffer, slots.byteOffset, slots.length * 4);
  const events = [];
  let at = 0;
  let end = 0;
  const text = (n) => {  // n characters from `at`
    const next = at + Math.ceil(n / 4);
    if (!Number.isInteger(n) || n < 0 || next > end) throw new RangeError("record");
    const from = at * 4;
    at = next;
    return n <= 64 ? String.fromCharCode(...chars.subarray(from, from + n)) : utf16.decode(chars.subarray(from, from + n));
  };
  const value = () => {
    if (at + 2 > end) throw new RangeError("record");
    const tag = slots[at], n = slots[at + 1];
    at += 2;
    if (tag === 0) return String(n);
    if (tag !== 1) throw new RangeError("record");
    return text(n);
  };
  try {
    while (at < slots.length) {
      const kind = ints[2 * at], size = ints[2 * at + 1];
      end = at + size;
      if (size < 1 || end > slots.length) break;
      if (kind === CALL) {
        const id = ints[2 * at + 2], count = chars[4 * at + 6], fn = fns[chars[4 * at + 7]], start = slots[at + 2];
        if (typeof fn !== "string" || (size !== 3 + count && size !== 5 + count)) break;
        at += 3;
        const event = { k: "call-start", id, fn, args: [], t: origin + start };
        for (let i = 0; i < count; ++i) event.args.push(String(slots[at++]));
        if (at < end) Object.assign(event, { k: "call", te: origin + slots[at], ok: true, result: String(slots[at + 1]), ms: slots[at] - start });
        events.push(event);
        at = end;
        continue;
      }
      at += 1;
      if (kind === CALL_START) {
        const id = slots[at], t = origin + slots[at + 1];
        at += 2;
        const fn = value();
        const count = slots[at++];
        const args = [];
        for (let i = 0; i < count && at < end; ++i) args.push(value());
        events.push({ k: "call-start", id, fn, args, t });
      } else if (kind === CALL_END) {
        const id = slots[at], t = origin + slots[at + 1], ms = slots[at + 2], ok = slots[at + 3] === 1;
        at += 4;
        const fn = value();
        const text = value();
        const start = events[events.length - 1];
        if (start && start.k === "call-start" && start.id === id) {
          start.k = "call";
          start.te = t;
          start.ok = ok;
          if (ok) start.result = text; else start.error = text;
          start.ms = ms;
        } else {
          events.push(ok ? { k: "call-end", id, fn, ok, result: text, ms, t } : { k: "call-end", id, fn, ok, error: text, ms, t });
        }
      } else if (kind === EVENT) {
        const event = parseLine(value());
        if (event !== null && typeof event === "object" && !Array.isArray(event)) events.push(event);
      }
      at = end;
    }
  } catch (_) {}
  return events;
};
// The log's records (lastOnly: its last record only), as a copy, or null if the worker kept
// emptying it while it was read: what it held was posted.
const readLog = (log, lastOnly = false) => {
  const { header, slots } = log;
  for (let attempt = 0; attempt < 3; ++attempt) {
    const generation = Atomics.load(header, 0);
    const last = lastOnly ? Atomics.load(header, 2) : 0;  // before `used`: the worker writes it first
    const used = Math.min(Atomics.load(header, 1), slots.length);
    const copy = slots.slice(Math.min(last, used), used);
    if (Atomics.load(header, 0) === generation) return { generation, used, slots: copy };
  }
  return null;
};
const parseLine = (line) => { try { return JSON.parse(line); } catch (_) { return null; } };
const showRunning = (log) => {
  if (`${Atomics.load(log.header, 0)}:${Atomics.load(log.header, 1)}` === log.seen) return;  // nothing new
  const read = readLog(log, true);
  if (!read) return;
  log.seen = `${read.generation}:${read.used}`;
  const [event] = decodeLog(read.slots, log.origin, log.fns);
  if (event && event.k === "call-start") { event.fromLog = true; log.receive(event); }
};
const watchLog = (w, sab, fns, receive, recover) => {
  if (typeof SharedArrayBuffer !== "function" || !(sab instanceof SharedArrayBuffer) || sab.byteLength !== LOG_BYTES) return null;
  const header = new Int32Array(sab, 0, 3);
  const origin = new Float64Array(sab, 16, 1)[0];
  const log = { header, slots: new Float64Array(sab, LOG_RECORDS), origin, fns, receive, recover, seen: "" };
  logs.set(w, log);  // read every 50 ms (the timer of the responsiveness, below)
  return log;
};
// What the worker held and had not posted: taken once, and its batch, if it arrives, is ignored.
const recoverHeld = (w) => {
  const log = logs.get(w);
  if (!log) return;
  logs.delete(w);
  const read = readLog(log);
  if (!read) return;
  log.recover(read.generation);
  for (const event of decodeLog(read.slots, log.origin, log.fns)) {
    event.held = true;
    log.receive(event);
  }
};

// Workers made by PyWorker()/MPWorker() have no <script>: they are named by type and ordinal.
const finishers = new Map();  // worker -> () => a promise, settled once its held events are queued
const ASK_MS = 200;           // (the run's end, below)
let nextWorker = 0;
let nextUnnamed = 0;
keepFirst(hooks.main.onWorker, (_, xworker) => {
  const w = ++nextWorker;
  queueMicrotask(() => {
    const element = [...document.querySelectorAll("script[worker]")].find((s) => s.xworker === xworker);
    emit({ k: "worker-created", w, script: element ? scriptInfo(element) : { name: `PyWorker ${++nextUnnamed}` } });
  });
  // A call's time as the main thread saw it runs from the worker starting it to its result
  // arriving here (both clocks are epoch-based); time spent queued in a busy worker is not in it.
  // Only a call-end the worker sent at once arrives with the result; one that waited in the
  // worker's batch (`held`: a burst of calls) has its worker time only.
  const started = new Map();  // worker call id -> worker's start stamp
  const shown = new Set();    // ids whose call-start was read from the worker's log
  let recovered = -1;         // the log generation taken at terminate: its batch is a repeat
  let log = null;
  let port = null;            // where this side asks the worker for what it holds (the run's end)
  let onFlushed = null;
  const fns = [];             // the worker's exports by index
  const receive = (data) => {
    data.w = w;
    if (data.k === "log") {
      port = data.port instanceof MessagePort ? data.port : null;
      log = watchLog(w, data.sab, fns, receive, (generation) => { recovered = generation; });
      return;
    }
    if (data.k === "flushed") { if (onFlushed) onFlushed(); return; }
    if (data.k === "export") {  // the records of a call of numbers name it by this index
      if (Number.isInteger(data.i) && data.i >= 0 && data.i < MAX_EXPORT_NAMES && typeof data.fn === "string"
          && data.fn.length <= MAX_EXPORT_NAME) fns[data.i] = data.fn;
      delete data.i;
    }
    if (data.k === "call-start") {
      if (shown.delete(data.id)) return;
      if (data.fromLog) shown.add(data.id);
      delete data.fromLog;
      started.set(data.id, data.t);
    }
    if (data.k === "call" && shown.delete(data.id)) {  // its start was shown from the log
      data.k = "call-end";
      data.t = data.te;
      delete data.te;
      delete data.args;
      data.held = true;
    }
    if (data.k === "call-end") {
      const t0 = started.get(data.id);
      started.delete(data.id);
      shown.delete(data.id);
      if (t0 !== undefined && !data.held) data.mainMs = Math.max(0, now() - t0);
      delete data.held;
    }
    emit(data);
  };
  // Loom's messages: the first, the log, arrives on the worker object with the port of the
  // channel all others take (workerReady); this listener then goes, and PyScript's own messages
  // are left alone.
  const isLoom = (data) => data !== null && typeof data === "object" && !Array.isArray(data) && "__loom__" in data;
  const first = (event) => {
    const data = event.data;
    if (!isLoom(data)) return;
    event.stopImmediatePropagation();
    xworker.removeEventListener("message", first);
    const hello = data.__loom__;
    if (hello !== null && typeof hello === "object" && hello.port instanceof MessagePort)
      hello.port.onmessage = (message) => loomMessage(message.data);
    loomMessage(data);
  };
  xworker.addEventListener("message", first);
  const loomMessage = (data) => {
    if (!isLoom(data)) return;
    if (data.g === recovered) return;
    const payload = data.__loom__;
    if (Array.isArray(payload)) payload.forEach(receive); else receive(payload);
    // Held events, the records of the worker's log: passed on as they are, but for the records
    // of a call shown running (its start from the log must not be sent twice), read here.
    if (data.records instanceof ArrayBuffer && log && data.records.byteLength % 8 === 0) {
      const slots = new Float64Array(data.records);
      // The events they hold (a call of numbers that ended holds two), as the worker counted them
      // (it only sizes batches here: Loom reads the records), unless some must be taken out.
      let n = Number.isInteger(data.n) ? Math.min(Math.max(data.n, 1), 2 * slots.length) : 0;
      let bin = data.records;
      if (shown.size || !n) {
        const ints = new Int32Array(data.records), halves = new Uint16Array(data.records);
        const ids = new Set(shown);  // as before this batch: receive() takes an id out of `shown`
        const kept = new Float64Array(slots.length);
        let keptSlots = 0;
        n = 0;
        for (let at = 0, size; at < slots.length && (size = ints[2 * at + 1]) >= 1; at += size) {
          const kind = ints[2 * at];
          if (ids.size && kind !== EVENT && ids.has(kind === CALL ? ints[2 * at + 2] : slots[at + 1])) {
            decodeLog(slots.subarray(at, at + size), log.origin, fns).forEach((event) => { event.held = true; receive(event); });
            continue;
          }
          n += kind === CALL && size === 5 + halves[4 * at + 2] ? 2 : 1;
          kept.set(slots.subarray(at, at + size), keptSlots);
          keptSlots += size;
        }
        bin = kept.slice(0, keptSlots).buffer;
      }
      if (n) emit({ bin, w, o: log.origin, n, fns });
    }
  };
  finishers.set(w, () => new Promise((resolve) => {
    if (!port) { resolve(); return; }  // not started: it holds nothing
    const timer = setTimeout(() => { recoverHeld(w); done(); }, ASK_MS);  // busy in a call
    const done = () => { clearTimeout(timer); onFlushed = null; resolve(); };
    onFlushed = done;
    try { port.postMessage(0); } catch (_) { recoverHeld(w); done(); }
  }));
  xworker.addEventListener("error", (event) => {
    let text = "error";
    try { text = String(event.message || (typeof event.error === "string" ? event.error : "") || "error"); } catch (_) {}
    emit({ k: "worker-error", w, text });
  });
  xworker.ready.then(() => emit({ k: "worker-ready", w }),
                     (error) => emit({ k: "worker-failed", w, text: textOf(error) }));
  const terminate = xworker.terminate;
  xworker.terminate = function (...args) {
    try { finishers.delete(w); recoverHeld(w); emit({ k: "worker-stopped", w }); } catch (_) {}
    return terminate.apply(this, args);
  };
});

// ---- the run's end ---------------------------------------------------------------------------
// A headless run ends with Loom asking for everything still held (this DOM event, dispatched from
// Loom's own world): each worker posts what it holds and answers on its port; one that does not
// answer within 200 ms (busy in a call) has its log read here, as when it is terminated. Then the
// queue is flushed, and once every batch has its answer, an empty batch marked `last` tells Loom
// it has all there is (app/headlessrun.cpp). Nothing is sent after it: the run is over.
let closing = false;
document.addEventListener("loom:last-events", async (event) => {
  event.preventDefault();  // tells Loom a bridge listens
  if (closing) return;
  closing = true;
  await Promise.all([...finishers.values()].map((finish) => finish()));
  flush();
  ended = true;
  while (unanswered > 0) await new Promise((resolve) => whenAnswered.push(resolve));
  const id = nextBatchId();
  send(id, JSON.stringify({ id, dropped, events: [], last: true }), "application/json", [], false);
});

// ---- responsiveness of the main thread, and this side's timer ------------------------------
// A timer that should fire every 50 ms: its lateness is time the main thread could not run. It
// is this side's only timer: it also reads the workers' logs (a call running shows) and sends
// the queue when due, since every timer task woke the main thread of a page in a burst of calls.
{
  const PERIOD = 50;
  let expected = clock.now() + PERIOD;
  let worst = 0;
  let longTasks = 0;
  let longest = 0;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) { ++longTasks; longest = Math.max(longest, entry.duration); }
    }).observe({ type: "longtask", buffered: true });
  } catch (_) {}
  let last = clock.now();
  setInterval(() => {
    const t = clock.now();
    worst = Math.max(worst, t - expected);
    expected = t + PERIOD;
    if (t - last >= 250) {
      emit({ k: "resp", lag: Math.max(0, Math.round(worst)), lt: longTasks, ltMax: Math.round(longest) });
      worst = 0; longTasks = 0; longest = 0; last = t;
    }
    logs.forEach(showRunning);
    flushDue(t);
  }, PERIOD);
}

// ---- worker side (stringified by PyScript: no closures, everything inline) -----------------
const workerReady = function loomWorkerReady(wrap, xworker) {
  const clock = performance;  // looked up once (the main side's `clock`)
  const origin = clock.timeOrigin;
  const stamp = () => origin + clock.now();
  // Loom's messages go to the main thread on a channel of their own, whose port the first one
  // (the log, below) hands over on the worker object: from then on, Loom's listener is off the
  // worker object (which carries the page's own messages: `xworker.postMessage` from Python,
  // PyScript's events), and the page's listeners never see Loom's messages.
  const channel = new MessageChannel();
  const toMain = channel.port1;
  const post = (data) => { try { toMain.postMessage({ __loom__: data }); } catch (_) {} };
  // Output lines and the events of a burst of calls are coalesced, so a loop that prints or calls
  // costs the main thread little (each message is a task there: two per call made its busy time
  // +63 µs a call, measured in bench/run.sh calls-parts). Held lines leave within 16 ms, the calls
  // of a burst within 100 ms or at 1,500 events held: a message every 16 ms cost a call 1.4 µs
  // more (BENCHMARKS.md), the log shows a running call meanwhile, and a headless run's end asks
  // for what is held (the port below). The first line after a pause still leaves at once
  // (a progress print before a long computation shows up live), so does a call that does not
  // follow another within 16 ms (the main side times it from its arrival), and state changes
  // (errors, exports) leave at once, in order.
  const LINES_MS = 16, CALLS_MS = 100, HOLD_EVENTS = 1500;
  let batch = [];              // what leaves with the next message, as objects
  // A burst's held events: where the page is cross-origin isolated, as records in a log shared
  // with the main thread; elsewhere, as objects (`held`: output lines only, see callStarted).
  let held = [];
  let heldEvents = 0;          // in `held` or the log
  let lastPost = -Infinity;
  let timer = 0;
  let due = 0;                 // when the timer posts, on performance.now()'s clock
  // The log (its layout: decodeLog on the main side). What is held there survives the worker
  // being terminated, and Loom makes the events of it: holding a call costs this thread a few
  // numbers written, not a line of JSON (the wrapper in node's V8: 0.2 µs a call, from 2.4).
  const LOG_BYTES = 256 * 1024;
  const CALL_START = 1, CALL_END = 2, EVENT = 3, CALL = 4;
  const log = typeof SharedArrayBuffer === "function" && self.crossOriginIsolated === true
    ? new SharedArrayBuffer(LOG_BYTES) : null;
  const logHeader = log && new Int32Array(log, 0, 3);
  const slots = log && new Float64Array(log, 32);
  const ints = log && new Int32Array(log, 32);
  const chars = log && new Uint16Array(log, 32);
  if (log) new Float64Array(log, 16, 1)[0] = origin;
  let used = 0;                // slots written, as in the header (only this thread writes them)
  let open = -1;               // where the record of a call of numbers that has not ended starts,
  let openEnd = -1;            // and ends, while it is the log's last
  const postBatch = () => {
    if (timer) { clearTimeout(timer); timer = 0; }
    if (!batch.length && !held.length && !used) return;
    const message = { __loom__: held.length ? batch.concat(held) : batch };
    const transfer = [];
    if (log) {  // emptied before the batch leaves: a log the main side reads is never posted yet
      message.g = Atomics.load(logHeader, 0);
      if (used) {
        transfer.push(message.records = slots.slice(0, used).buffer);
        message.n = heldEvents;
      }
      Atomics.store(logHeader, 1, 0);
      Atomics.store(logHeader, 0, message.g + 1);
      used = 0;
      open = openEnd = -1;
    }
    try { toMain.postMessage(message, transfer); } catch (_) {}
    batch = []; held = [];
    heldEvents = 0;
    lastPost = clock.now();
  };
  // One more event held at `at` (performance.now()), to leave within `ms`.
  const wait = (ms, at) => {
    if (++heldEvents >= HOLD_EVENTS) { postBatch(); return; }
    if (timer && due <= at + ms) return;
    if (timer) clearTimeout(timer);
    due = at + ms;
    timer = setTimeout(postBatch, ms);
  };
  // Slots for a text value, and for a value: a number as it is, anything else as its preview.
  const textSlots = (text) => 2 + Math.ceil(text.length / 4);
  const valueSlots = (value) => typeof value === "number" ? 2 : textSlots(value);
  const putValue = (at, value) => {
    if (typeof value === "number") { slots[at] = 0; slots[at + 1] = value; return at + 2; }
    slots[at] = 1;
    slots[at + 1] = value.length;
    const base = (at + 2) * 4;   // UTF-16 copied by hand: encodeInto refuses shared memory
    for (let i = 0; i < value.length; ++i) chars[base + i] = value.charCodeAt(i);
    return at + 2 + Math.ceil(value.length / 4);
  };
  // Where a record of `size` slots starts, the batch posted first if only then it fits; -1 if it
  // cannot fit at all (it then leaves at once, as an event).
  const place = (size) => {
    if (used + size > slots.length) postBatch();
    return size <= slots.length ? used : -1;
  };
  const placed = (start, end, ms, at) => {
    ints[2 * start + 1] = end - start;
    Atomics.store(logHeader, 2, start);  // before the end: the main side reads them in this order
    Atomics.store(logHeader, 1, end);
    used = end;
    wait(ms, at);
  };
  const hold = (event) => {  // a line, stamped by send()
    const at = event.t - origin;
    if (!log) { held.push(event); wait(LINES_MS, at); return; }
    const text = JSON.stringify(event);
    const start = place(1 + textSlots(text));
    if (start < 0) { sendNow(event); return; }
    ints[2 * start] = EVENT;
    placed(start, putValue(start + 1, text), LINES_MS, at);
  };
  const inBurst = () => clock.now() - lastPost < 16;
  let lastCallEnd = -Infinity;   // a call that starts within 16 ms of the previous one's end is in a burst
  const sendNow = (event) => { batch.push(event); postBatch(); };
  const send = (event) => {
    event.t = stamp();
    if (typeof event.text === "string" && event.text.length > 16384) event.text = event.text.slice(0, 16384) + "…";
    if (event.k !== "stdout" || !inBurst()) sendNow(event);     // errors too: they change state
    else hold(event);
  };
  // Where the main side asks, at the run's end, for what is held (finishers on the main side).
  toMain.onmessage = () => { postBatch(); post({ k: "flushed" }); };
  try { xworker.postMessage({ __loom__: { k: "log", sab: log, port: channel.port2 } }, [channel.port2]); } catch (_) {}
  // Both run inside the user's call: nothing they do may throw into it. A call of a burst is held
  // in the log: a call of numbers (the common call) as one record of a few stores, its end added
  // to it (as two records with previews, a small call cost 3-4 µs more: BENCHMARKS.md), any
  // other call as two records, its start and its end. `value`: a number, or a preview. `at`: the
  // caller's performance.now(), read once for the stamp, the burst and the call's time.
  // exported: { name, index, slots } of the function called (index: how a call of numbers names
  // it, or -1; slots: its name's as a value).
  const callStarted = (id, exported, args, at) => {
    try {
      const count = args.length;
      if (log && at - lastCallEnd < 16) {
        let numbers = true;
        for (let i = 0; i < count; ++i) if (typeof args[i] !== "number") { numbers = false; break; }
        if (numbers && exported.index >= 0 && count <= 0xffff && id <= 0x7fffffff && place(5 + count) >= 0) {
          const start = used, first = start + 3;
          ints[2 * start] = CALL;
          ints[2 * start + 2] = id;
          chars[4 * start + 6] = count;
          chars[4 * start + 7] = exported.index;
          slots[start + 2] = at;
          for (let i = 0; i < count; ++i) slots[first + i] = args[i];
          placed(open = start, openEnd = first + count, CALLS_MS, at);
          return true;
        }
      }
      const values = args.map((arg) => typeof arg === "number" ? arg : short(arg));
      // Without the log, a held call could not be shown while it runs: every call-start leaves at
      // once, as does one that does not follow another or that cannot fit the log.
      let start = -1;
      if (log && at - lastCallEnd < 16) {
        let size = 4 + exported.slots;
        for (const value of values) size += valueSlots(value);
        start = place(size);
      }
      if (start < 0) {
        sendNow({ k: "call-start", id, fn: exported.name, args: values.map(String), t: origin + at });
        return false;
      }
      ints[2 * start] = CALL_START;
      slots[start + 1] = id;
      slots[start + 2] = at;
      let end = putValue(start + 3, exported.name);
      slots[end++] = values.length;
      for (const value of values) end = putValue(end, value);
      placed(start, end, CALLS_MS, at);
      return true;
    } catch (_) { return false; }
  };
  const callEnded = (id, exported, heldStart, ok, value, ms, at) => {
    try {
      lastCallEnd = at;
      // Its record ends, if it is this call's and still the log's last (an async export's call
      // may end after others started).
      if (heldStart && used === openEnd && ints[2 * open + 2] === id && ok && typeof value === "number") {
        slots[used] = at;  // its ms is this time less its start's
        slots[used + 1] = value;
        ints[2 * open + 1] += 2;  // before the end: a reader that sees the new size sees the fields
        Atomics.store(logHeader, 1, used += 2);
        ++heldEvents;  // its end: the next wait() sees it
        open = openEnd = -1;
        return;
      }
      open = openEnd = -1;
      const start = heldStart ? place(5 + exported.slots + valueSlots(value)) : -1;
      if (start < 0) {
        const text = typeof value === "number" ? String(value) : value;
        sendNow(ok ? { k: "call-end", id, fn: exported.name, ok, result: text, ms, t: origin + at }
                   : { k: "call-end", id, fn: exported.name, ok, error: text, ms, t: origin + at });
        return;
      }
      ints[2 * start] = CALL_END;
      slots[start + 1] = id;
      slots[start + 2] = at;
      slots[start + 3] = ms;
      slots[start + 4] = ok ? 1 : 0;
      placed(start, putValue(putValue(start + 5, exported.name), value), CALLS_MS, at);
    } catch (_) {}
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
    const observe = (chunk) => {
      if (ArrayBuffer.isView(chunk)) {
        pending += decoder.decode(chunk, { stream: true });
        let nl;
        while ((nl = pending.indexOf("\n")) >= 0) { send({ k: stream, text: pending.slice(0, nl) }); pending = pending.slice(nl + 1); }
      } else {
        send({ k: stream, text: String(stream === "stderr" && chunk !== null && typeof chunk === "object"
                                       && typeof chunk.message === "string" ? chunk.message : chunk) });
      }
    };
    wrap.io[stream] = function (chunk, ...rest) {
      try { return original.call(this, chunk, ...rest); }
      finally { try { observe(chunk); } catch (_) {} }
    };
  }
  // A result that cannot be cloned fails after the function returned, inside coincident, as an
  // unhandled rejection in the worker; the caller then waits for ever. Report it on that call.
  const state = { send, short, callStarted, callEnded, seq: 0, exports: 0, lastCall: { id: 0, fn: "", ms: 0 } };
  addEventListener("unhandledrejection", (event) => {
    let text = "";
    try { text = String(event.reason?.message ?? event.reason); } catch (_) {}
    const last = state.lastCall;
    if (last.id && /DataCloneError|could not be cloned/.test(String(event.reason?.name) + text)) {
      send({ k: "call-end", id: last.id, fn: last.fn, ok: false, ms: last.ms, error: `DataCloneError: ${text}` });
    } else {
      send({ k: "worker-error", text });
    }
  });
  Object.defineProperty(globalThis, Symbol.for("loom.bridge"), { value: state });
};
keepLast(hooks.worker.onReady, workerReady);

// PyScript's __export__ step runs right after the worker's script (and so right after this
// hook): `xworker.sync.NAME = NAME` for each exported name. Only for that step is xworker.sync
// seen through a proxy that wraps each exported function to report its calls; the original
// object is back at the next microtask, so the script itself, and everything after, uses
// PyScript's own. A wrapper returns what the function returns, synchronously when it does.
const workerAfterRun = function loomWorkerAfterRun(wrap, xworker) {
  const state = globalThis[Symbol.for("loom.bridge")];
  if (!state || state.proxied) return;
  state.proxied = true;
  const { send, short, callStarted, callEnded } = state;
  const clock = performance;  // looked up once (see the main side's `clock`)
  const sync = xworker.sync;
  const restore = () => { if (xworker.sync !== sync) xworker.sync = sync; };
  // Nothing is made for each call but its id: what a call's end needs is passed, not closed over.
  const wrapExport = (name, index, fn) => {
    // index: how a record of a call of numbers names it (the main thread sends the names with
    // each batch of records), else -1: within the main side's MAX_EXPORT_NAMES and MAX_EXPORT_NAME.
    const exported = { name, index: index < 256 && name.length <= 128 ? index : -1, slots: 2 + Math.ceil(name.length / 4) };
    const returned = (id, held, started, value) => {
      const ended = clock.now();
      const ms = ended - started;
      state.lastCall.id = id;
      state.lastCall.fn = name;
      state.lastCall.ms = ms;
      callEnded(id, exported, held, true, typeof value === "number" ? value : short(value), ms, ended);
    };
    const failed = (id, held, started, error) => {
      let text = "";
      try { text = String(error?.message ?? error); } catch (_) { text = "error"; }
      const ended = clock.now();
      callEnded(id, exported, held, false, text, ended - started, ended);
      return error;
    };
    return function (...args) {
      const id = ++state.seq;
      const started = clock.now();
      const held = callStarted(id, exported, args, started);
      let result;
      // Reflect.apply: fn.apply would read "apply" from the export, a proxy of a Python function
      // whose get trap runs Python code; PyScript calls it directly.
      try { result = Reflect.apply(fn, this, args); } catch (error) { throw failed(id, held, started, error); }
      let thenable = false;
      try { thenable = result !== null && (typeof result === "object" || typeof result === "function") && typeof result.then === "function"; } catch (_) {}
      if (!thenable) {
        returned(id, held, started, result);
        return result;
      }
      // An async export: awaited once, as PyScript awaits it, to see how it ends.
      return Promise.resolve(result).then((value) => { returned(id, held, started, value); return value; },
                                          (error) => { throw failed(id, held, started, error); });
    };
  };
  xworker.sync = new Proxy(sync, {
    set(target, name, fn, receiver) {
      queueMicrotask(restore);
      if (typeof fn !== "function" || typeof name !== "string") return Reflect.set(target, name, fn);
      const index = state.exports++;
      send({ k: "export", fn: name, i: index });
      return Reflect.set(target, name, wrapExport(name, index, fn));
    },
  });
  setTimeout(restore, 0); // a worker that exports nothing
};
keepLast(hooks.worker.onAfterRun, workerAfterRun);
keepLast(hooks.worker.onAfterRunAsync, workerAfterRun);
