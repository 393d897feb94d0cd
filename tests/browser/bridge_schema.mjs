// Resources/bridge/events.schema.json is the page bridge's wire format, and the events
// instrument.js sends from a real page follow it. (tst_pageevent checks the other side: the
// parser accepts exactly what the schema describes.)
//
//   node bridge_schema.mjs PROJECT_DIR RUNTIME_DIR BRIDGE_DIR
//
// Debian's chromium (playwright-core) loads PROJECT_DIR/index.html from a plain static server with
// the isolation headers; the runtime's public URLs are answered from the vendored files, core.js
// with the bridge's import added as Loom's server adds it. Every batch the bridge POSTs is kept;
// each event must validate (Ajv, JSON Schema 2020-12), and the page must have sent every kind a
// page like it causes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import Ajv2020 from 'ajv/dist/2020.js';
import { check, runtimeFiles, runtimeResponse, startWithPort, stopChildren } from './support.mjs';

const [project, runtimeDir, bridgeDir] = process.argv.slice(2);
if (!project || !runtimeDir || !bridgeDir) {
  console.error('usage: node bridge_schema.mjs PROJECT_DIR RUNTIME_DIR BRIDGE_DIR');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'loom-bridge-schema-'));
const children = [];
let browser;
let failed = false;

const schema = JSON.parse(readFileSync(join(bridgeDir, 'events.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
const runtimeFile = runtimeFiles(runtimeDir);
const endpoint = '/__schema__/events';
const instrument = readFileSync(join(bridgeDir, 'instrument.js'), 'utf8').replace('__LOOM_ENDPOINT__', endpoint);

const must = (condition, message) => { if (!condition) throw new Error(`check failed: ${message}`); };

// A batch as the page POSTed it, and the events of its records, read here on their own from the
// layout events.schema.json describes ("records"), not with Loom's parser.
function readBatch({ body, type }) {
  if (type === 'application/json')
    return { batch: JSON.parse(body.toString('utf8')), held: [] };
  must(type === 'application/x-loom-batch', `a batch is application/json or application/x-loom-batch (${type})`);
  const newline = body.indexOf(10);
  const batch = JSON.parse(body.subarray(0, newline).toString('utf8'));
  const held = [];
  let at = newline + 1;
  for (const event of batch.events.filter(event => event.k === 'records')) {
    held.push(...readRecords(body.subarray(at, at + event.b), event.w, event.o, event.fns ?? []));
    at += event.b;
  }
  must(at === body.length, 'the records\' bytes add up to what the batch says');
  return { batch, held };
}

// The calls whose end a batch carried: a call-end (an event or a record), or a call of a burst in
// one event.
const endsOf = ({ batch, held }) => held.filter(event => event.k === 'call-end').length
  + (batch.events ?? []).filter(event => event.k === 'call-end' || event.k === 'call').length;

const recordsOf = new Map(); // a function's calls by the kind of record that started them
const noteRecord = (fn, kind) => recordsOf.set(fn, [...(recordsOf.get(fn) ?? []), kind]);

function readRecords(bytes, w, origin, fns) {
  let slot = 0;
  const number = () => bytes.readDoubleLE(8 * slot++);
  const characters = (n) => {
    const text = bytes.subarray(8 * slot, 8 * slot + 2 * n).toString('utf16le');
    slot += Math.ceil(n / 4);
    return text;
  };
  const value = () => {
    const tag = number(), n = number();
    return tag === 0 ? String(n) : characters(n);
  };
  const events = [];
  while (8 * slot < bytes.length) {
    const start = slot;
    const kind = bytes.readInt32LE(8 * slot), size = bytes.readInt32LE(8 * slot + 4);
    ++slot;
    if (kind === 1) {
      const id = number(), t = origin + number(), fn = value(), args = [];
      noteRecord(fn, 'call start');
      for (let i = number(); i > 0; --i) args.push(value());
      events.push({ k: 'call-start', t, w, id, fn, args });
    } else if (kind === 2) {
      const id = number(), t = origin + number(), ms = number(), ok = number() === 1, fn = value();
      events.push({ k: 'call-end', t, w, id, fn, ok, [ok ? 'result' : 'error']: value(), ms });
    } else if (kind === 4) {
      const id = bytes.readInt32LE(8 * slot), count = bytes.readUInt16LE(8 * slot + 4), fn = fns[bytes.readUInt16LE(8 * slot + 6)];
      ++slot;
      must(typeof fn === 'string', 'a call of numbers names one of the exports its batch lists');
      const at = number(), args = [];
      for (let i = 0; i < count; ++i) args.push(String(number()));
      events.push({ k: 'call-start', t: origin + at, w, id, fn, args });
      const returned = slot < start + size;
      if (returned) {
        must(start + size - slot === 2, 'a call of numbers that returned has its end\'s time and result');
        const end = number();
        events.push({ k: 'call-end', t: origin + end, w, id, fn, ok: true, result: String(number()), ms: end - at });
      }
      noteRecord(fn, returned ? 'call of numbers, returned' : 'call of numbers');
    } else {
      must(kind === 3, `a record's kind is 1 to 4 (${kind})`);
      events.push({ ...JSON.parse(value()), w });
    }
    must(slot <= start + size, `a record holds what its size says (kind ${kind})`);
    slot = start + size;
  }
  return events;
}

try {
  const headers = join(temp, '_headers');
  writeFileSync(headers, '/*\n  Cross-Origin-Opener-Policy: same-origin\n  Cross-Origin-Embedder-Policy: require-corp\n'
                         + '  Cross-Origin-Resource-Policy: cross-origin\n');
  const { port } = await startWithPort('python3', [join(here, 'static_server.py'), project, '--headers', headers], children);
  const origin = `http://127.0.0.1:${port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  const context = await browser.newContext();
  const batches = [];
  // The connection of the second batch fails after its body arrived, as Chromium's fetch now and
  // then does: the page must send that batch again, with the same id, and not count it dropped.
  await context.route(`${origin}${endpoint}`, route => {
    batches.push({ body: route.request().postDataBuffer(), type: route.request().headers()['content-type'] });
    return batches.length === 2 ? route.abort('connectionreset') : route.fulfill({ status: 204 });
  });
  await context.route(`${origin}/__bridge__/instrument.js`, route => route.fulfill(runtimeResponse('instrument.js', instrument)));
  await context.route(url => !url.href.startsWith(`${origin}/`), route => {
    const file = runtimeFile(route.request().url());
    if (!file)
      return route.abort('internetdisconnected');
    if (file.endsWith('/core.js')) // as Loom's server serves it: the bridge rides on core.js
      return route.fulfill(runtimeResponse(file, readFileSync(file, 'utf8') + `\nimport "${origin}/__bridge__/instrument.js";\n`));
    return route.fulfill(runtimeResponse(file));
  });
  const page = await context.newPage();
  await page.goto(`${origin}/index.html`);
  await page.waitForFunction(() => document.querySelector('#out')?.textContent.startsWith('done'), null, { timeout: 120_000 });
  check(await page.textContent('#out') === 'done 1275', 'the page ran: 50 calls in a burst, a failing call, a noisy one');
  // A responsiveness sample (every 250 ms), then the run's end as Loom asks for it: the bridge
  // cancels the event to say it listens, and sends what it still holds, then its last batch.
  await page.waitForTimeout(600);
  const notCanceled = await page.evaluate(() => document.dispatchEvent(new Event('loom:last-events', { cancelable: true })));
  check(!notCanceled, 'the bridge took the run\'s end (it canceled loom:last-events)');
  const isLast = ({ body, type }) => type === 'application/json' && JSON.parse(body.toString('utf8')).last === true;
  for (const deadline = Date.now() + 10_000; Date.now() < deadline && !batches.some(isLast);)
    await page.waitForTimeout(50);
  check(batches.filter(isLast).length === 1 && isLast(batches.at(-1)), 'one batch marked last, and it came last');

  const kinds = new Set();
  let events = 0;
  const invalid = [];
  const read = batches.map(readBatch);
  for (const { batch, held } of read) {
    for (const event of held) { // a worker's records, as the events Loom reads from them
      if (!validate({ events: [event] }))
        invalid.push(`record ${JSON.stringify(event).slice(0, 200)}: ${JSON.stringify(validate.errors.slice(0, 3))}`);
      kinds.add(`${event.k} (record)`);
      ++events;
    }
    if (!validate(batch)) {
      // Which event: validate them one by one for a readable message.
      for (const event of batch.events ?? []) {
        if (!validate({ events: [event] }))
          invalid.push(`${JSON.stringify(event).slice(0, 200)}: ${JSON.stringify(validate.errors.slice(0, 3))}`);
      }
      if (!invalid.length) invalid.push(`batch: ${JSON.stringify(validate.errors.slice(0, 3))}`);
    }
    for (const event of batch.events ?? []) {
      kinds.add(event.k);
      ++events;
    }
  }
  const ended = read.reduce((sum, read) => sum + endsOf(read), 0);
  const ids = read.map(({ batch }) => batch.id);
  check(batches.length > 2 && ids[1] && ids.indexOf(ids[1], 2) > 1 && batches[ids.indexOf(ids[1], 2)].body.equals(batches[1].body),
        `the batch whose connection failed (${ids[1]}) was sent again, the same`);
  check(new Set(ids).size === ids.length - 1, `every other batch has an id of its own (${ids.length} batches)`);
  const dropped = read.reduce((sum, { batch }) => sum + (batch.dropped ?? 0), 0);
  check(dropped === 0, `the page counted no event dropped (it counted ${dropped})`);
  check(ended === 52, `the end of each of the page's 52 calls reached the bridge once (${ended}, in ${events} events and ${batches.length} batches)`);
  check(invalid.length === 0, `every event follows events.schema.json${invalid.length ? ':\n  ' + invalid.slice(0, 10).join('\n  ') : ''}`);
  // worker-failed and worker-error need a worker that cannot start or crashes (a worker whose
  // top-level code raises still resolves ready in PyScript 0.7.31); their examples are checked
  // against the parser in tst_pageevent.
  const expected = ['page', 'main-ready', 'main-run', 'worker-created', 'worker-interpreter', 'export', 'worker-ready',
                    'worker-stopped', 'call-start', 'call-end', 'stdout', 'stderr', 'resp',
                    'records', 'call-start (record)', 'call-end (record)']; // the burst's calls
  // add(i, 1) takes and returns numbers: each call of it the worker held is one record.
  const adds = recordsOf.get('add') ?? [];
  check(adds.length > 0 && adds.every(kind => kind === 'call of numbers, returned'),
        `each held call of add is a call of numbers with its end (${adds.length} held: ${[...new Set(adds)].join(', ')})`);
  const missing = expected.filter(kind => !kinds.has(kind));
  check(missing.length === 0, `the page sent every kind it causes${missing.length ? " (missing: " + missing.join(", ") + "; seen: " + [...kinds].join(", ") + ")" : ""}`);
  const listed = schema.$defs.event.properties.k.enum;
  const unlisted = [...kinds].filter(kind => !listed.includes(kind.replace(' (record)', '')));
  check(unlisted.length === 0, `no kind outside the schema${unlisted.length ? ': ' + unlisted.join(', ') : ''}`);
} catch (error) {
  console.log(`not ok - ${error.message}`);
  failed = true;
} finally {
  await browser?.close();
  stopChildren(children);
  rmSync(temp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
