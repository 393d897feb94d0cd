// A bundled export of a Pyodide worker with `packages` runs in Debian's chromium with no
// package upstream at all (headless, driven by playwright-core as export_primes.mjs is).
//
//   node export_packages.mjs LOOM_BINARY PROJECT_DIR RUNTIME_DIR
//
// 1. A stand-in for Pyodide's CDN folder (tests/packages/standin_upstream.py) builds the wheels
//    and a copy of the runtime whose lock lists them; `loom export` fetches them into an empty
//    package cache and ships them.
// 2. The stand-in is stopped. The site, served with its _headers, must install the package in the
//    Pyodide worker and show its result, every request staying on the site's server.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { check, startWithPort, stopChildren } from './support.mjs';

const [loom, project, runtime] = process.argv.slice(2);
if (!loom || !project || !runtime) {
  console.error('usage: node export_packages.mjs LOOM_BINARY PROJECT_DIR RUNTIME_DIR');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'loom-export-packages-'));
const site = join(temp, 'site');
const processes = [];
let browser;
let failed = false;

const start = (command, args) => startWithPort(command, args, processes);

try {
  const upstream = await start('python3', [join(here, '..', 'packages', 'standin_upstream.py'), runtime, temp]);
  const env = { ...process.env, LOOM_RUNTIME_DIR: join(temp, 'runtime'), LOOM_CACHE_DIR: join(temp, 'cache'),
                LOOM_PYODIDE_PACKAGES_URL: `http://127.0.0.1:${upstream.port}/` };
  const output = execFileSync(loom, ['export', project, site], { env, encoding: 'utf8' });
  process.stdout.write(output);
  for (const wheel of ['micropip-0.11.1-py3-none-any.whl', 'loomtest-1.0-py3-none-any.whl'])
    check(existsSync(join(site, 'pyscript', 'pyodide', wheel)), `the export ships ${wheel} beside pyodide.mjs`);
  const lock = JSON.parse(readFileSync(join(site, 'pyscript', 'pyodide', 'pyodide-lock.json'), 'utf8'));
  check(lock.packages.loomtest?.file_name === 'loomtest-1.0-py3-none-any.whl', "the export's lock lists the shipped wheel");

  upstream.child.removeAllListeners('exit');
  upstream.child.kill();
  const fetchedBefore = readFileSync(join(temp, 'requests.log'), 'utf8').trim().split('\n').length;

  const { port } = await start('python3', [join(here, 'static_server.py'), site, '--headers', join(site, '_headers')]);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const foreign = [];
  const missing = [];
  context.on('request', request => {
    const url = request.url();
    if (!url.startsWith(`http://127.0.0.1:${port}/`) && !url.startsWith('blob:') && !url.startsWith('data:'))
      foreign.push(url);
  });
  context.on('response', response => { if (response.status() >= 400) missing.push(`${response.status()} ${response.url()}`); });
  const page = await context.newPage();
  page.on('console', message => { if (message.type() === 'error') console.log(`  [console] ${message.text()}`); });
  await page.goto(`http://127.0.0.1:${port}/index.html`);
  await page.waitForFunction(() => document.querySelector('#result')?.textContent.includes('answer'), null, { timeout: 120_000 });
  check((await page.textContent('#result')) === 'answer 42', 'the worker installed loomtest from the site and answered 42');
  check(foreign.length === 0, `no request left the site's server (${foreign.join(', ')})`);
  check(missing.every(line => line.endsWith('/favicon.ico')), `every file the page asked for was there (${missing.join(', ')})`);
  const fetchedAfter = readFileSync(join(temp, 'requests.log'), 'utf8').trim().split('\n').length;
  check(fetchedAfter === fetchedBefore, 'the stopped upstream was not asked again');
} catch (error) {
  failed = true;
  console.error(`not ok - ${error.message}`);
} finally {
  await browser?.close();
  stopChildren(processes);
  rmSync(temp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
