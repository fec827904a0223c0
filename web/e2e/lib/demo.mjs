// A hub of its own for the demo community, which only appears on an empty
// store: the run's hub binary (HUB_BIN, from scripts/browser-test.sh) on
// embedded SQLite in a temporary directory, with the in-process broker. Its
// printed admin login is read from its output, as a newcomer would.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from './browser.mjs';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Starts the demo hub; returns {base, email, password, stop()}. */
export async function startDemoHub() {
  const bin = process.env.HUB_BIN;
  if (!bin) throw new Error('HUB_BIN is not set: run the browser tests through scripts/browser-test.sh');
  const dir = mkdtempSync(path.join(tmpdir(), 'quietroom-demo-'));
  const port = await freePort();
  const child = spawn(bin, ['serve'], {
    env: {
      PATH: process.env.PATH, HUB_ADDR: `127.0.0.1:${port}`, HUB_DATA_DIR: dir, HUB_DEMO: 'true',
      HUB_PASSWORD_MEMORY_KIB: '1024', HUB_LOG_LEVEL: 'warn', HUB_SHUTDOWN_TIMEOUT: '5s', HUB_INSTANCE_ID: 'demo',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b) => { out += b; });
  child.stderr.on('data', (b) => { out += b; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const base = `http://127.0.0.1:${port}`;
    const login = await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`the demo hub exited: ${out}`);
      const email = out.match(/email:\s+(\S+)/)?.[1];
      const password = out.match(/password:\s+(\S+)/)?.[1];
      if (!email || !password) throw new Error(`no login printed yet: ${out}`);
      const res = await fetch(`${base}/readyz`);
      if (res.status !== 200) throw new Error(`readyz ${res.status}`);
      return { email, password };
    }, { timeout: 120_000, interval: 250, message: 'the demo hub did not start' });
    return { base, ...login, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
