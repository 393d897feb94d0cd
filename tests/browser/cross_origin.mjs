// A page of another origin (the user's everyday browser while Loom serves a project)
// can neither read nor embed the project's files; the runtime's public files stay readable.
//
//   node cross_origin.mjs LOOM_BINARY PROJECT_DIR
//
// `loom serve PROJECT_DIR` on one port, an "attacker" page on another (a plain static server), and
// Debian's chromium (headless, playwright-core) loads the attacker page, which tries.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { check, startWithPort, stopChildren } from './support.mjs';

const [loom, project] = process.argv.slice(2);
if (!loom || !project) {
  console.error('usage: node cross_origin.mjs LOOM_BINARY PROJECT_DIR');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'loom-cross-origin-'));
const children = [];
let browser;
let failed = false;

function serveProject() {
  return new Promise((resolve, reject) => {
    const child = spawn(loom, ['serve', project], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    child.on('error', reject);
    child.on('exit', code => reject(new Error(`loom serve exited (${code})`)));
    createInterface({ input: child.stdout }).on('line', line => {
      const match = / at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(line);
      if (match) resolve(match[1]);
    });
  });
}

try {
  const loomUrl = await serveProject();
  writeFileSync(join(temp, 'attack.html'), `<!DOCTYPE html><script type="module">
    const tryFetch = url => fetch(url).then(r => r.text()).then(t => 'read ' + t.length, e => 'blocked: ' + e.name);
    const tryScript = url => new Promise(done => {
      const s = document.createElement('script');
      s.src = url; s.onload = () => done('loaded'); s.onerror = () => done('blocked');
      document.head.append(s);
    });
    window.results = {
      page: await tryFetch('${loomUrl}index.html'),
      script: await tryScript('${loomUrl}main.py'),
      runtime: await tryFetch('${loomUrl}__loom__/runtime/pyscript-0.7.31/core.js'),
    };
  </script>`);
  const { port } = await startWithPort('python3', [join(here, 'static_server.py'), temp], children);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  const page = await browser.newPage();
  await page.goto(`http://localhost:${port}/attack.html`);
  await page.waitForFunction(() => window.results, null, { timeout: 30_000 });
  const results = await page.evaluate(() => window.results);
  check(results.page.startsWith('blocked'), `another origin cannot read the project's index.html (${results.page})`);
  check(results.script === 'blocked', `another origin cannot embed a project file as a script (${results.script})`);
  check(results.runtime.startsWith('read '), `the runtime's public files stay readable (${results.runtime})`);
} catch (error) {
  failed = true;
  console.error(`not ok - ${error.message}`);
} finally {
  await browser?.close();
  stopChildren(children);
  rmSync(temp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
