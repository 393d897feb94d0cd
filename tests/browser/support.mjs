// What the browser tests share: TAP-style checks, and child processes that print their port.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';

export function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  console.log(`ok - ${message}`);
}

// Starts `command args` and resolves with { child, port } once it prints its port as its first
// line; the child is added to `children`, for stopChildren at the end.
export function startWithPort(command, args, children) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    child.on('error', reject);
    child.on('exit', code => reject(new Error(`${args[0] ?? command} exited (${code})`)));
    createInterface({ input: child.stdout }).once('line', line => resolve({ child, port: Number(line) }));
  });
}

export function stopChildren(children) {
  for (const child of children) {
    child.removeAllListeners('exit');
    child.kill();
  }
}

// The runtime's public URLs (pyscript.net, jsDelivr, unpkg), written out here independently of
// Loom's own table: runtimeFiles(RUNTIME_DIR) gives a function from such a URL to the vendored
// file (null for any other URL), for playwright's request routing.
export function runtimeFiles(runtimeDir) {
  const manifest = JSON.parse(readFileSync(join(runtimeDir, 'runtime.json'), 'utf8'));
  const jsdelivr = '(?:cdn|fastly)\\.jsdelivr\\.net';
  const routes = [
    ['pyscript', new RegExp('^https://pyscript\\.net/releases/[^/]+/(.+)$')],
    ['pyscript', new RegExp(`^https://${jsdelivr}/npm/@pyscript/core(?:@[^/]+)?/dist/(.+)$`)],
    ['pyscript', new RegExp('^https://unpkg\\.com/@pyscript/core(?:@[^/]+)?/dist/(.+)$')],
    ['pyodide', new RegExp(`^https://${jsdelivr}/pyodide/v[^/]+/full/(.+)$`)],
    ['micropython', new RegExp(`^https://${jsdelivr}/npm/@micropython/micropython-webassembly-pyscript(?:@[^/]+)?/(.+)$`)],
  ];
  return url => {
    for (const [key, pattern] of routes) {
      const match = pattern.exec(url.split(/[?#]/)[0]);
      if (match && manifest[key].files.includes(match[1])) return join(runtimeDir, manifest[key].dir, match[1]);
    }
    return null;
  };
}

const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm',
                '.json': 'application/json', '.zip': 'application/zip' };

// A vendored runtime file as a CDN would answer: its type, readable from any origin.
export function runtimeResponse(file, body) {
  return { ...(body === undefined ? { path: file } : { body }), contentType: types[extname(file)] ?? 'application/octet-stream',
           headers: { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' } };
}
