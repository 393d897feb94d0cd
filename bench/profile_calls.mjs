// Where a page's main thread spends its time: Debian's chromium (playwright-core), the page at URL,
// V8's sampling profiler from navigation until SELECTOR shows TEXT; prints self time by function
// (the top 25) and by script. A diagnostic for the bench, not a test. With PROFILE=0, only the
// element's text (no profiler).
//
//   node bench/profile_calls.mjs URL SELECTOR TEXT
import { chromium } from 'playwright-core';

const [url, selector, text] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
const profiling = process.env.PROFILE !== '0';
const cdp = await page.context().newCDPSession(page);
if (profiling) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
}
await page.goto(url);
await page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent.includes(t), [selector, text],
                           { timeout: 600000, polling: 100 });
console.log(await page.textContent(selector));
if (!profiling) {
  await browser.close();
  process.exit(0);
}
const { profile } = await cdp.send('Profiler.stop');
const dt = [];
for (let i = 0; i < profile.timeDeltas.length; ++i) dt.push(profile.timeDeltas[i]);
const selfUs = new Map();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (dt[i + 1] ?? 0)));
const byFunction = new Map();
const byScript = new Map();
let total = 0;
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  total += us;
  const f = node.callFrame;
  const script = (f.url || '(native)').split('/').pop();
  const key = `${f.functionName || "(anonymous)"} ${script}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  byScript.set(script, (byScript.get(script) ?? 0) + us);
}
const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n)
  .map(([k, us]) => `  ${(us / 1000).toFixed(1).padStart(8)} ms  ${(100 * us / total).toFixed(1).padStart(5)} %  ${k}`).join('\n');
console.log(`main thread, ${(total / 1000).toFixed(0)} ms sampled\nby script:\n${top(byScript, 12)}\nby function:\n${top(byFunction, 25)}`);
await browser.close();
