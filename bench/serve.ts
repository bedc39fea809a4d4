/**
 * Load test of `pakhuis serve`:
 * `npx tsx bench/serve.ts [--dir demo] [--seconds 30] [--connections 50] [--log-level info]`.
 *
 * Builds the demo into bench/tmp/serve-demo (or uses a built project given by --dir), starts the
 * server in its own process through the CLI, and runs autocannon against the public indicator values
 * endpoint and the public area profile endpoint. Prints requests/s and p50/p95/p99 latency, and
 * writes bench/results/serve.json. `benchServe()` and `measure()` are exported for bench/run.ts.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin/pakhuis.js');

/** The part of autocannon's API used here (it ships no types). */
interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  then: Promise<AutocannonResult>['then'];
}
interface AutocannonResult {
  requests: { average: number; total: number };
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (o: { url: string; connections: number; duration: number }) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadResult {
  url: string;
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  non2xx: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Run autocannon against one URL; latencies are recorded per response, so p95 is exact. */
export async function measure(url: string, o: { connections: number; seconds: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  const run = autocannon({ url, connections: o.connections, duration: o.seconds });
  run.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await run;
  latencies.sort((a, b) => a - b);
  const round = (v: number): number => Math.round(v * 100) / 100;
  return {
    url,
    connections: o.connections,
    seconds: o.seconds,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies[latencies.length - 1] ?? 0),
    },
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

async function waitReady(base: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`pakhuis serve exited with ${child.exitCode}`);
    const ok = await fetch(`${base}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`pakhuis serve was not ready within ${timeoutMs / 1000} s`);
}

async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`GET ${url}: ${r.status}`);
  return (await r.json()) as T;
}

export interface ServeBenchOptions {
  /** a built project; default: build the demo into bench/tmp/serve-demo */
  dir?: string;
  seconds?: number;
  connections?: number;
  /** the server's log level (default info, as `pakhuis serve` runs; its stdout goes to /dev/null) */
  logLevel?: string;
}

export async function benchServe(
  o: ServeBenchOptions = {},
): Promise<{ endpoints: LoadResult[]; logLevel: string }> {
  let dir = o.dir ? resolve(o.dir) : join(ROOT, 'bench/tmp/serve-demo');
  if (!o.dir) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    process.stderr.write(`building the demo into ${dir}\n`);
    const r = spawnSync(process.execPath, [CLI, 'demo', '--dir', dir, '--no-serve'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`pakhuis demo exited ${r.status}`);
  }
  dir = resolve(dir);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logLevel = o.logLevel ?? 'info';
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--project', dir, '--port', String(port), '--log-level', logLevel],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  try {
    await waitReady(base, child);
    const { indicators } = await getJson<{ indicators: Array<{ id: string }> }>(
      `${base}/api/v1/indicators?pageSize=1`,
    );
    const { areas } = await getJson<{ areas: Array<{ code: string }> }>(
      `${base}/api/v1/areas?level=wijk&pageSize=1`,
    );
    const indicator = indicators[0]?.id;
    const area = areas[0]?.code;
    if (!indicator || !area)
      throw new Error('the project publishes no indicator or has no wijk to benchmark');
    const urls = [`${base}/api/v1/indicators/${indicator}/values`, `${base}/api/v1/areas/${area}/profile`];
    const endpoints: LoadResult[] = [];
    for (const url of urls) {
      await getJson(url); // the first request computes the response; the benchmark measures the cache
      process.stderr.write(`autocannon ${url} (${o.connections ?? 50} connections, ${o.seconds ?? 30} s)\n`);
      endpoints.push(await measure(url, { connections: o.connections ?? 50, seconds: o.seconds ?? 30 }));
    }
    return { endpoints, logLevel };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
}

function report(endpoints: LoadResult[]): string {
  return [
    '| endpoint | requests/s | p50 ms | p95 ms | p99 ms | non-2xx | errors |',
    '|---|---|---|---|---|---|---|',
    ...endpoints.map(
      (e) =>
        `| ${new URL(e.url).pathname} | ${e.requestsPerSecond.toLocaleString('en')} | ${e.latencyMs.p50} | ${e.latencyMs.p95} | ${e.latencyMs.p99} | ${e.non2xx} | ${e.errors} |`,
    ),
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      seconds: { type: 'string', default: '30' },
      connections: { type: 'string', default: '50' },
      'log-level': { type: 'string', default: 'info' },
    },
  });
  const result = await benchServe({
    ...(values.dir ? { dir: values.dir } : {}),
    seconds: Number(values.seconds),
    connections: Number(values.connections),
    logLevel: values['log-level'] ?? 'info',
  });
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(
    join(ROOT, 'bench/results/serve.json'),
    JSON.stringify(
      {
        machine: {
          cpus: cpus().length,
          cpuModel: cpus()[0]?.model ?? 'unknown',
          memoryGiB: Math.round(totalmem() / 2 ** 30),
          node: process.version,
        },
        measuredAt: new Date().toISOString(),
        command: `npx tsx bench/serve.ts ${process.argv.slice(2).join(' ')}`.trim(),
        ...result,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(report(result.endpoints));
}
