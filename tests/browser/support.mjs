// What the browser tests share: TAP-style checks, and child processes that print their port.
import { spawn } from 'node:child_process';
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
