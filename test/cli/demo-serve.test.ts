import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/project.js';

const BIN = join(import.meta.dirname, '../../bin/pakhuis.js');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * `npm run demo` ends by serving the demo and printing a sign-in per role: a small demo, run as a
 * real process; sign in as the analist over HTTP, read the catalog, stop it with SIGTERM.
 */
describe('pakhuis demo serves what it built', () => {
  it('prints demo accounts, serves the API on the port, and a printed account signs in', async () => {
    const dir = join(tempDir('pakhuis-demo-serve-'), 'demo');
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [BIN, 'demo', '--dir', dir, '--persons', '1500', '--port', String(port)],
      {
        env: { ...process.env, FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 240_000;
      while (!out.includes('Stop with Ctrl+C') && Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`demo exited early:\n${out}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(out).toContain(`Serving the demo on http://localhost:${port}/`);
      expect(out).toContain(`public portal (no sign-in):   http://localhost:${port}/`);
      expect(out).toContain(`internal app (sign in):      http://localhost:${port}/app`);
      const analist = /^ {2}analist +(\S+)$/m.exec(out)?.[1];
      expect(analist).toBeTruthy();
      const base = `http://127.0.0.1:${port}/api/v1`;
      expect((await fetch(`${base}/indicators`)).status).toBe(200);
      const login = await fetch(`${base}/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${port}` },
        body: JSON.stringify({ username: 'analist', password: analist }),
      });
      expect(login.status).toBe(200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const catalog = await fetch(`${base}/internal/catalog`, { headers: { cookie } });
      expect(catalog.status).toBe(200);
      const wrong = await fetch(`${base}/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${port}` },
        body: JSON.stringify({ username: 'analist', password: 'not the password at all' }),
      });
      expect(wrong.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 300_000);
});
