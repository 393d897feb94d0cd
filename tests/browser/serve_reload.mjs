// `loom serve --reload` in Debian's chromium (headless, playwright-core): a page open in the browser
// reloads once when a file of the project changes, and not otherwise.
//
//   node serve_reload.mjs LOOM_BINARY
//
// The project (written here, in a temporary folder): a page whose MicroPython script shows what
// main.py says, and which counts its own loads in sessionStorage. The test counts the page's
// loads from the browser's side too. Touching things that are not the project's files (a hidden
// file in it, a file beside it) and waiting reloads nothing; writing main.py reloads the page
// exactly once, and the page then shows the new text. A restarted server does not reload the page
// when it reconnects, and a change after that reloads it again.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { check } from './support.mjs';

const [loom] = process.argv.slice(2);
if (!loom) {
  console.error('usage: node serve_reload.mjs LOOM_BINARY');
  process.exit(2);
}
const temp = mkdtempSync(join(tmpdir(), 'loom-serve-reload-'));
const project = join(temp, 'project');
const servers = [];
let browser;
let failed = false;

// Longer than the watcher holds a burst of changes (at most a second) and than the page's stream
// takes to come back after a server restart: what "it did not reload" waits for.
const SETTLE_MS = 3000;

mkdirSync(project);
writeFileSync(join(project, 'index.html'), `<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <title>reload me</title>
  <script type="module" src="https://pyscript.net/releases/2026.7.3/core.js"></script>
</head>
<body>
  <p id="loads"></p>
  <p id="out">not yet</p>
  <script>
    const loads = Number(sessionStorage.getItem('loads') ?? 0) + 1;
    sessionStorage.setItem('loads', String(loads));
    document.querySelector('#loads').textContent = String(loads);
  </script>
  <script type="mpy" src="main.py"></script>
</body>
</html>
`);
const writeMain = text => writeFileSync(join(project, 'main.py'),
  `from pyscript import document\ndocument.querySelector("#out").innerText = "${text}"\n`);
writeMain('version 1');

// `loom serve PROJECT --reload [--port N]`; resolves with its base URL once it listens.
function serve(port) {
  return new Promise((resolve, reject) => {
    const args = ['serve', project, '--reload', ...(port ? ['--port', String(port)] : [])];
    const child = spawn(loom, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    servers.push(child);
    child.on('error', reject);
    child.on('exit', code => reject(new Error(`loom serve exited (${code})`)));
    createInterface({ input: child.stdout }).on('line', line => {
      console.log(`# loom: ${line}`);
      const match = / at (http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(line);
      if (match) resolve({ child, url: match[1], port: Number(match[2]) });
    });
  });
}

function stop(child) {
  return new Promise(resolve => {
    child.removeAllListeners('exit');
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

try {
  let server = await serve();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  const context = await browser.newContext();
  // Offline, as Loom is: nothing may leave this machine.
  await context.route(url => !url.toString().startsWith('http://127.0.0.1:'), route => route.abort());
  const page = await context.newPage();
  let loads = 0;
  page.on('load', () => { loads += 1; });
  const consoleLines = [];
  page.on('console', message => consoleLines.push(`${message.text()} (${message.location().url})`));
  // Resolves when the page (re)opens its live-reload stream and the server answers it.
  const streamOpened = () => page.waitForResponse(response => response.url().includes('/__loom__/reload/events')
                                                  && response.status() === 200, { timeout: 60_000 });
  const shows = (text, timeout = 60_000) => page.waitForFunction(
    t => document.querySelector('#out')?.innerText === t, text, { timeout });
  const counted = () => page.evaluate(() => Number(sessionStorage.getItem('loads')));

  let opened = streamOpened();
  await page.goto(server.url);
  await opened;
  await shows('version 1');
  check(loads === 1 && await counted() === 1, 'the page loaded once and its MicroPython script ran');

  // Not the project's files, or no change at all: no reload.
  writeFileSync(join(temp, 'beside.py'), 'print("beside the project")\n');
  writeFileSync(join(project, '.notes.md'), 'hidden: never served\n');
  mkdirSync(join(project, '.cache'));
  writeFileSync(join(project, '.cache', 'x.py'), 'x = 1\n');
  await page.waitForTimeout(SETTLE_MS);
  check(loads === 1 && await counted() === 1,
        `a hidden file, a file beside the project and waiting reload nothing (loads: ${loads})`);

  // A project file changes: exactly one reload, and the page shows the new text.
  opened = streamOpened();
  writeMain('version 2');
  await shows('version 2');
  await opened;
  await page.waitForTimeout(SETTLE_MS);
  check(loads === 2 && await counted() === 2, `writing main.py reloaded the page once (loads: ${loads})`);
  check(await page.innerText('#out') === 'version 2', 'the reloaded page runs the new main.py');

  // Nothing in the console comes from the script Loom adds or its stream (PyScript's own lines
  // are the page's).
  const ours = consoleLines.filter(line => /reload|EventSource/i.test(line));
  check(ours.length === 0, `the live-reload script logs nothing (${JSON.stringify(ours)})`);

  // The server restarts on the same port: the page reconnects, without reloading (while the
  // server is away, the browser itself may log its failed attempts to reconnect).
  await stop(server.child);
  opened = streamOpened();
  server = await serve(server.port);
  await opened;
  await page.waitForTimeout(SETTLE_MS);
  check(loads === 2 && await counted() === 2, `a restarted server does not reload the page (loads: ${loads})`);
  writeMain('version 3');
  await shows('version 3');
  await page.waitForTimeout(SETTLE_MS);
  check(loads === 3 && await counted() === 3, `after the restart, a change reloads the page once (loads: ${loads})`);
} catch (error) {
  failed = true;
  console.error(`not ok - ${error.stack ?? error.message}`);
} finally {
  await browser?.close();
  for (const child of servers) {
    child.removeAllListeners('exit');
    child.kill();
  }
  rmSync(temp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
