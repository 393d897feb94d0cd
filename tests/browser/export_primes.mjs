// `loom export` of the primes sample, run in Debian's chromium (headless, driven by playwright-core
// over the DevTools protocol: `npx playwright install` cannot work offline).
//
//   node export_primes.mjs LOOM_BINARY PRIMES_DIR
//
// 1. A server that sends no isolation header (as GitHub Pages): mini-coi's service worker must
//    make the page cross-origin isolated (after one reload), then the Pyodide worker must count
//    the 78498 primes below one million.
// 2. A server that applies the exported _headers, service workers blocked: isolated by the
//    headers alone, the same count.
// 3. The same, for an export with --compiled-stdlib (Pyodide's standard library with each module
//    compiled, as Loom serves it): the same count, in a browser that is not Loom's.
// Every request must stay on 127.0.0.1: the bundled export works with no internet.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { check, startWithPort, stopChildren } from './support.mjs';

const [loom, primes] = process.argv.slice(2);
if (!loom || !primes) {
  console.error('usage: node export_primes.mjs LOOM_BINARY PRIMES_DIR');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'loom-export-'));
const site = join(temp, 'site');
const compiledSite = join(temp, 'site-compiled');
const servers = [];
let browser;
let failed = false;

async function serve(args, root = site) {
  return (await startWithPort('python3', [join(here, 'static_server.py'), root, ...args], servers)).port;
}

// The page reloads once when mini-coi's service worker takes control: poll across navigations.
async function waitIsolated(page, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if (await page.evaluate(() => self.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function'))
        return true;
    } catch (_) { /* the context went away with the reload */ }
    await page.waitForTimeout(200);
  }
  return false;
}

async function findPrimes(page, label) {
  await page.waitForSelector('#find:not([disabled])', { timeout: 120_000 });
  await page.fill('#limit', '1000000');
  await page.click('#find');
  await page.waitForFunction(() => document.querySelector('#output')?.textContent.includes('Found 78498 primes'),
                             null, { timeout: 120_000 });
  const text = await page.textContent('#output');
  check(text.includes('Found 78498 primes up to 1,000,000'), `${label}: the worker found 78498 primes`);
}

async function runCase(label, port, contextOptions) {
  const context = await browser.newContext(contextOptions);
  const foreign = [];
  context.on('request', request => {
    if (!request.url().startsWith(`http://127.0.0.1:${port}/`) && !request.url().startsWith('blob:')
        && !request.url().startsWith('data:'))
      foreign.push(request.url());
  });
  const missing = [];
  context.on('response', response => { if (response.status() >= 400) missing.push(`${response.status()} ${response.url()}`); });
  const page = await context.newPage();
  page.on('console', message => { if (message.type() === 'error') console.log(`  [${label} console] ${message.text()}`); });
  let navigations = 0;
  page.on('framenavigated', frame => { if (frame === page.mainFrame()) navigations += 1; });
  const response = await page.goto(`http://127.0.0.1:${port}/index.html`);
  const coop = response.headers()['cross-origin-opener-policy'];
  check(await waitIsolated(page, 60_000), `${label}: the page is cross-origin isolated`);
  await findPrimes(page, label);
  check(foreign.length === 0, `${label}: no request left 127.0.0.1 (${foreign.join(', ')})`);
  // The browser's own favicon probe is the only file a site may lack.
  check(missing.every(line => line.endsWith('/favicon.ico')), `${label}: every file the page asked for was there (${missing.join(', ')})`);
  await context.close();
  return { coop, navigations };
}

try {
  execFileSync(loom, ['export', primes, site], { stdio: 'inherit' });
  check(existsSync(join(site, 'mini-coi.js')) && existsSync(join(site, '_headers')), 'the bundled export was written');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });

  const plain = await runCase('no headers (mini-coi)', await serve([]), {});
  check(plain.coop === undefined, 'no headers (mini-coi): the server sent no COOP header');
  check(plain.navigations >= 2, `no headers (mini-coi): mini-coi reloaded the page once its worker took control (${plain.navigations} loads)`);

  const headed = await runCase('_headers', await serve(['--headers', join(site, '_headers')]), { serviceWorkers: 'block' });
  check(headed.coop === 'same-origin', '_headers: the server sent the exported headers');

  execFileSync(loom, ['export', primes, compiledSite, '--compiled-stdlib'], { stdio: 'inherit' });
  check(statSync(join(compiledSite, 'pyscript', 'pyodide', 'python_stdlib.zip')).size
        > statSync(join(site, 'pyscript', 'pyodide', 'python_stdlib.zip')).size, 'the compiled standard library was shipped');
  await runCase('--compiled-stdlib', await serve(['--headers', join(compiledSite, '_headers')], compiledSite),
                { serviceWorkers: 'block' });
} catch (error) {
  failed = true;
  console.error(`not ok - ${error.message}`);
} finally {
  await browser?.close();
  stopChildren(servers);
  rmSync(temp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
