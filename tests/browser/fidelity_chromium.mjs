// A page gives the same outcome in Loom as in Debian's Chromium from a
// plain static server with the same runtime. For each page of tests/projects/fidelity:
//   reference  Debian's chromium (playwright-core), the project on tests/browser/static_server.py
//              with the isolation headers, and the runtime's public URLs (pyscript.net, jsDelivr,
//              unpkg) answered from Loom's vendored files by playwright's request routing; every
//              other request off 127.0.0.1 is refused, so the page is offline;
//   loom       `loom run DIR --headless`: the page as written, Loom's network layer, the bridge.
// Both must show the same text in the page, the same console lines in the same order on each
// thread (main, workers)
// and the same number of uncaught errors.
//
//   node fidelity_chromium.mjs LOOM_BINARY FIDELITY_DIR RUNTIME_DIR
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { check, runtimeFiles, runtimeResponse, startWithPort, stopChildren } from './support.mjs';

const [loom, fidelity, runtimeDir] = process.argv.slice(2);
if (!loom || !fidelity || !runtimeDir) {
  console.error('usage: node fidelity_chromium.mjs LOOM_BINARY FIDELITY_DIR RUNTIME_DIR');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'loom-fidelity-'));
const servers = [];
let browser;
let failed = false;


const runtimeFile = runtimeFiles(runtimeDir);

function serve(dir) {
  const headers = join(temp, `${Math.random().toString(36).slice(2)}_headers`);
  writeFileSync(headers, '/*\n  Cross-Origin-Opener-Policy: same-origin\n  Cross-Origin-Embedder-Policy: require-corp\n'
                         + '  Cross-Origin-Resource-Policy: cross-origin\n');
  return startWithPort('python3', [join(here, 'static_server.py'), dir, '--headers', headers], servers).then(started => started.port);
}

async function inChromium(project, selector, expected) {
  const port = await serve(join(fidelity, project));
  const context = await browser.newContext();
  const foreign = [];
  await context.route(url => !url.href.startsWith(`http://127.0.0.1:${port}/`), async route => {
    const file = runtimeFile(route.request().url());
    if (!file) {
      foreign.push(route.request().url());
      return route.abort('internetdisconnected');
    }
    return route.fulfill(runtimeResponse(file));
  });
  const page = await context.newPage();
  const console_ = [];
  let uncaught = 0;
  page.on('console', message => {
    if (!message.text().startsWith('Failed to load resource'))
      console_.push(`${message.worker() ? 'worker' : 'main'} ${message.text()}`);
  });
  // Playwright reports uncaught errors apart; the browser's console shows them as "Uncaught …".
  page.on('pageerror', error => { ++uncaught; console_.push(`main Uncaught ${error.name}: ${error.message}`); });
  await page.goto(`http://127.0.0.1:${port}/index.html`);
  await page.waitForFunction(([s, e]) => document.querySelector(s)?.innerText.includes(e), [selector, expected],
                             { timeout: 120_000 });
  await page.waitForTimeout(500); // the console lines that follow the result
  const text = await page.innerText(selector);
  await context.close();
  return { text, console: console_, uncaught, foreign };
}

function inLoom(project, selector, expected, extra) {
  const report = join(temp, `${project}.json`);
  try {
    execFileSync(loom, ['run', join(fidelity, project), '--headless', '--timeout', '120', '--report', report,
                        '--step', `wait-text:${selector}=${expected}`, ...extra], { stdio: 'pipe' });
  } catch (error) {
    console.log(error.stdout?.toString());
    throw new Error(`loom run ${project} failed`);
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  return { text: r.steps.at(-1).text, console: r.jsConsole.map(l => `${l.thread} ${l.text}`),
           uncaught: r.javaScriptErrors + r.pythonErrors, external: r.network.externalCount };
}

const pages = [
  ['core-inline-import', '#result', 'add 2 3 = 5'],
  ['core-dynamic-import', '#result', 'mean 3'],
  ['core-script-from-js', '#result', '4 words'],
  ['storage-import', '#result', 'stored'],
  ['pyworker-mpy', '#result', 'doubled: 42'],
  ['pyworker-py', '#result', 'doubled: 42'],
  ['config-url', '#result', 'config files'],
  ['other-version', '#result', 'older release ran'],
  ['provoked-error', '#caught', 'provoked on purpose', ['--allow-errors']],
  // Loom's Pyodide imports its standard library compiled, Chromium here npm's sources: the same
  // traceback, with its source lines, and the same source.
  ['stdlib-traceback', '#result', 'JSONDecodeError'],
  // Tracebacks the program caught and printed (to stderr, a line at a time): not uncaught errors.
  ['printed-traceback', '#result', 'parsed: None'],
];

try {
  check(existsSync('/usr/bin/chromium'), "Debian's chromium is installed");
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  for (const [project, selector, expected, extra = []] of pages) {
    const reference = await inChromium(project, selector, expected);
    const loomRun = inLoom(project, selector, expected, extra);
    check(reference.foreign.length === 0, `${project}: chromium asked nothing of the internet (${reference.foreign.join(', ')})`);
    check(loomRun.external === 0, `${project}: loom asked nothing of the internet`);
    check(loomRun.text === reference.text, `${project}: the same result ("${reference.text}" / "${loomRun.text}")`);
    // In order within each thread; a worker boots beside the main thread, so how their lines
    // interleave is the scheduler's, in any browser.
    const thread = (lines, name) => JSON.stringify(lines.filter(line => line.startsWith(`${name} `)));
    for (const name of ['main', 'worker']) {
      check(thread(loomRun.console, name) === thread(reference.console, name),
            `${project}: the same ${name}-thread console, in order\n    chromium: ${thread(reference.console, name)}\n    loom:     ${thread(loomRun.console, name)}`);
    }
    check(loomRun.uncaught === reference.uncaught, `${project}: the same uncaught errors (${reference.uncaught})`);
  }
} catch (error) {
  failed = true;
  console.error(`not ok - ${error.message}`);
} finally {
  await browser?.close();
  stopChildren(servers);
  rmSync(temp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
