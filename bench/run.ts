/**
 * Benchmark harness: `npm run bench [-- --only ingest|demo] [--rows N] [--scales 1,10]`.
 * Writes bench/results/<name>.json and prints a Markdown table for docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setupDemoProject } from '../src/cli/commands/demo.js';
import { benchIngest, type IngestVariant } from './ingest.js';

const ROOT = join(import.meta.dirname, '..');
const TMP = join(ROOT, 'bench/tmp');
const RESULTS = join(ROOT, 'bench/results');

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    rows: { type: 'string', default: '5000000' },
    scales: { type: 'string', default: '1,10' },
    repeats: { type: 'string', default: '3' },
    variants: { type: 'string', default: 'plain,pseudonymised-repeating,pseudonymised-unique' },
  },
});

const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};

function save(name: string, data: unknown): void {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    join(RESULTS, `${name}.json`),
    JSON.stringify({ machine, measuredAt: new Date().toISOString(), ...(data as object) }, null, 2) + '\n',
  );
}

/** Run the CLI in a child process; it reports its own peak RSS (DuckDB's native memory included). */
function timed(args: string[]): { seconds: number; peakMiB: number } {
  const rusage = join(TMP, 'rusage.json');
  rmSync(rusage, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/pakhuis.js'), ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PAKHUIS_RUSAGE_FILE: rusage },
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`pakhuis ${args.join(' ')} exited ${r.status}`);
  const { maxRSS } = JSON.parse(readFileSync(rusage, 'utf8')) as { maxRSS: number };
  return { seconds, peakMiB: Math.round(maxRSS / 1024) };
}

async function demo(scales: number[]): Promise<void> {
  const rows: unknown[] = [];
  for (const scale of scales) {
    const persons = 56432 * scale;
    const dir = join(TMP, `demo-${scale}x`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    setupDemoProject(dir);
    process.stderr.write(`demo ${scale}×: synth ${persons} persons\n`);
    const synth = timed(['synth', '--persons', String(persons), '--seed', '1', '--out', join(dir, 'data')]);
    process.stderr.write(`demo ${scale}×: build\n`);
    const build = timed(['build', '--json', '--project', dir]);
    rows.push({ scale, persons, synth, build });
    rmSync(dir, { recursive: true, force: true });
  }
  save('demo', { command: `npm run bench -- --only demo --scales ${scales.join(',')}`, results: rows });
  console.log(
    '| scale | persons | synth s | synth peak MiB | build s | build peak MiB |\n|---|---|---|---|---|---|',
  );
  for (const r of rows as Array<{
    scale: number;
    persons: number;
    synth: { seconds: number; peakMiB: number };
    build: { seconds: number; peakMiB: number };
  }>) {
    console.log(
      `| ${r.scale}× | ${r.persons.toLocaleString('en')} | ${r.synth.seconds.toFixed(1)} | ${r.synth.peakMiB} | ${r.build.seconds.toFixed(1)} | ${r.build.peakMiB} |`,
    );
  }
}

async function ingest(rows: number, repeats: number): Promise<void> {
  const results = [];
  for (const variant of (values.variants ?? '').split(',') as IngestVariant[]) {
    results.push(await benchIngest(variant, rows, join(TMP, 'ingest'), repeats));
  }
  save('ingest', { command: `npm run bench -- --only ingest --rows ${rows} --repeats ${repeats}`, results });
  console.log(
    '| variant | rows | distinct BSNs | file MB | raw DuckDB CTAS s (best / median) | connector + landing s (best / median) | ratio (best / median) | build step s (best) |\n|---|---|---|---|---|---|---|---|',
  );
  for (const r of results) {
    console.log(
      `| ${r.variant} | ${r.rows.toLocaleString('en')} | ${r.variant === 'plain' ? '—' : `≈${r.distinctIdentifiers.toLocaleString('en')}`} | ${(r.fileBytes / 1e6).toFixed(0)} | ${r.best.raw.toFixed(2)} / ${r.rawSeconds.toFixed(2)} | ${r.best.connector.toFixed(2)} / ${r.connectorSeconds.toFixed(2)} | ${r.best.ratioConnector.toFixed(2)} / ${r.ratioConnector.toFixed(2)} | ${r.best.step.toFixed(2)} |`,
    );
  }
  rmSync(join(TMP, 'ingest'), { recursive: true, force: true });
}

mkdirSync(TMP, { recursive: true });
if (!values.only || values.only === 'ingest') await ingest(Number(values.rows), Number(values.repeats));
if (!values.only || values.only === 'demo') await demo((values.scales ?? '1,10').split(',').map(Number));
