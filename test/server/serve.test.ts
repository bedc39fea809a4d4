import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServe } from '../../src/cli/commands/serve.js';
import { CliError } from '../../src/cli/errors.js';
import { ApiProblem } from '../../src/server/problem.js';
import type { PublishedVersion } from '../../src/server/published.js';
import { serve, type RunningServer } from '../../src/server/serve.js';
import { API_VERSION } from '../../src/server/version.js';
import { build, mustLoad } from '../helpers/project.js';
import { builtServerProject, writeServerProject } from './fixture.js';

const ROOT = join(import.meta.dirname, '../..');

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('pakhuis serve: readiness, new versions, graceful close', () => {
  let dir: string;
  let server: RunningServer;

  beforeAll(async () => {
    dir = writeServerProject();
    server = await serve(mustLoad(dir), { port: 0, logLevel: 'silent', signals: false });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('is alive but not ready until a version is published, then serves it without a restart', async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('api-version')).toBe(API_VERSION);
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const data = await fetch(`${server.url}/api/v1/indicators`);
    expect(data.status).toBe(503);
    expect(data.headers.get('retry-after')).toBe('10');
    expect(await data.json()).toMatchObject({ status: 503, code: 'not_ready' });
    expect((await fetch(`${server.url}/api/v1/openapi.json`)).status).toBe(200);

    await build(dir);
    const body = await until('the first version', async () => {
      const r = await fetch(`${server.url}/ready`);
      return r.ok ? ((await r.json()) as { version: string }) : undefined;
    });
    expect(body.version).toBe('v000001');
    expect((await fetch(`${server.url}/api/v1/indicators`)).status).toBe(200);
  });

  it('opens a newly published version, changes the ETags and closes the old version', async () => {
    const url = `${server.url}/api/v1/indicators/aantal_inwoners/values?level=gemeente&period=2022`;
    const before = await fetch(url);
    const etag = before.headers.get('etag') as string;
    const old = server.app.published.current as PublishedVersion;
    appendFileSync(join(dir, 'data/personen.csv'), '\n41,BU99990101,2022-02-01,,99,0');
    await build(dir);
    await until('the second version', async () =>
      server.app.published.current?.pointer.version === 'v000002' ? true : undefined,
    );
    const after = await fetch(url, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(after.headers.get('etag')).toMatch(/^"v000002-/);
    const values = ((await after.json()) as { values: Array<{ value: number }> }).values;
    expect(values[0]?.value).toBe(
      ((await before.json()) as { values: Array<{ value: number }> }).values[0]!.value + 1,
    );
    // the old version's engine is closed once its reads are done
    await expect(old.read(async () => 1)).rejects.toBeInstanceOf(ApiProblem);
  });

  it('finishes the requests in progress when it closes, then refuses connections', async () => {
    // an area profile not computed yet: the slowest public request
    const inFlight = fetch(`${server.url}/api/v1/areas/BU99990202/profile?year=2020`);
    await new Promise((r) => setTimeout(r, 5));
    const closing = server.close('test');
    const r = await inFlight;
    expect(r.status).toBe(200);
    // it was answered while closing: its keep-alive connection is ended with the response
    expect(r.headers.get('connection')).toBe('close');
    expect(((await r.json()) as { year: string }).year).toBe('2020');
    await closing;
    await server.closed;
    expect(server.app.published.current).toBeNull();
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });
});

describe('the serve command', () => {
  let dir: string;

  beforeAll(async () => {
    ({ dir } = await builtServerProject());
  });

  it('rejects a bad port or public URL as a usage error', async () => {
    await expect(
      runServe({ project: dir, port: 'http', host: '127.0.0.1', logLevel: 'silent' }),
    ).rejects.toBeInstanceOf(CliError);
    await expect(
      runServe({
        project: dir,
        port: '0',
        host: '127.0.0.1',
        logLevel: 'silent',
        publicUrl: 'data.example/pad',
      }),
    ).rejects.toBeInstanceOf(CliError);
  });

  it('logs JSON lines, serves, and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/pakhuis.js'), 'serve', '--project', dir, '--port', '0', '--log-level', 'info'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } },
    );
    const lines: Array<Record<string, unknown>> = [];
    const listening = new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(String(entry['msg']));
        if (m) resolve(m[1] as string);
      });
      child.once('exit', (code) => reject(new Error(`pakhuis serve exited ${code}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await listening;
      expect((await fetch(`${url}/ready`)).status).toBe(200);
      const r = await fetch(`${url}/api/v1/indicators/meldingen`);
      expect(r.status).toBe(200);
      await r.arrayBuffer();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const messages = lines.map((l) => l['msg']);
    expect(messages).toContain('serving published version');
    expect(messages).toContain('shutting down: finishing the requests in progress');
    expect(messages).toContain('stopped');
    const completed = lines.find(
      (l) =>
        l['msg'] === 'request completed' &&
        (l['res'] as { statusCode?: number } | undefined)?.statusCode === 200,
    );
    expect(completed).toMatchObject({
      level: 30,
      reqId: expect.any(String),
      responseTime: expect.any(Number),
    });
    expect(typeof completed?.['time']).toBe('number');
  });
});
