import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Build } from '../src/build/build.js';
import { DuckDBEngine } from '../src/engine/duckdb.js';
import { loadProject } from '../src/project/load.js';
import type { SourceDef } from '../src/project/types.js';

export interface IngestBench {
  rows: number;
  fileBytes: number;
  rawSeconds: number;
  connectorSeconds: number;
  stepSeconds: number;
  ratioConnector: number;
  ratioStep: number;
}

const SOURCE = `title: Bench — gebeurtenissen
owner: Bench
connector:
  type: csv
  path: events.csv
  delimiter: ';'
  decimal: ','
  thousands: '.'
  date_format: dd-mm-jjjj
columns:
  bsn: { type: text, header: BSN }
  naam: { type: text, header: Naam }
  bedrag: { type: decimal, header: Bedrag }
  datum: { type: date, header: Datum }
  buurtcode: { type: text, header: Buurtcode }
  aantal: { type: integer, header: Aantal }
`;

/** A Dutch CSV: `;`, decimal comma with thousands dots, dd-mm-jjjj dates, ~56k distinct persons. */
async function writeCsv(path: string, rows: number): Promise<void> {
  const engine = await DuckDBEngine.open(':memory:');
  await engine.run(
    `COPY (SELECT lpad(CAST(100000000 + (i * 7919) % 56000 AS VARCHAR), 9, '0') AS "BSN",
                  'Persoon ' || ((i * 7919) % 56000) AS "Naam",
                  replace(replace(replace(format('{:,.2f}', ((i * 37) % 250000) / 100.0), ',', '_'), '.', ','), '_', '.') AS "Bedrag",
                  strftime(DATE '2019-01-01' + CAST(i % 2190 AS INTEGER), '%d-%m-%Y') AS "Datum",
                  'BU040001' || lpad(CAST(i % 65 AS VARCHAR), 2, '0') AS "Buurtcode",
                  CAST(i % 12 AS VARCHAR) AS "Aantal"
           FROM range(${rows}) t(i)) TO ${engine.dialect.quoteString(path)} (DELIMITER ';', HEADER)`,
  );
  await engine.close();
}

async function timeRaw(csv: string, db: string): Promise<number> {
  rmSync(db, { force: true });
  const engine = await DuckDBEngine.open(db);
  const t0 = performance.now();
  await engine.run(`CREATE TABLE raw AS SELECT * FROM read_csv(${engine.dialect.quoteString(csv)})`);
  await engine.run('CHECKPOINT');
  const s = (performance.now() - t0) / 1000;
  await engine.close();
  rmSync(db, { force: true });
  return s;
}

export async function benchIngest(rows: number, workDir: string, repeats = 3): Promise<IngestBench> {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(join(workDir, 'data'), { recursive: true });
  mkdirSync(join(workDir, 'sources'), { recursive: true });
  writeFileSync(
    join(workDir, 'pakhuis.yaml'),
    'version: 1\nmunicipality: { code: GM0400, name: Den Helder }\n',
  );
  writeFileSync(join(workDir, 'sources/events.yaml'), SOURCE);
  const csv = join(workDir, 'data/events.csv');
  process.stderr.write(`  writing ${rows.toLocaleString('en')} rows to ${csv}\n`);
  await writeCsv(csv, rows);
  const { project } = loadProject(workDir);
  if (!project) throw new Error('bench project does not load');

  const raws: number[] = [];
  const connectors: number[] = [];
  const steps: number[] = [];
  for (let r = 0; r < repeats; r++) {
    // alternate so neither side always gets the warm page cache
    raws.push(await timeRaw(csv, join(workDir, 'raw.duckdb')));
    const { ingestSource } = await import('../src/ingest/ingest.js');
    const build = await Build.start(project, { full: true, command: 'bench' });
    const t0 = performance.now();
    const outcome = await build.execute(build.steps[0] as SourceDef);
    steps.push((performance.now() - t0) / 1000);
    await build.finish();
    if (outcome.status !== 'success') throw new Error(`bench load failed: ${outcome.error}`);
    // the connector + landing alone (no checksum, no archive copy), in a fresh database
    const db = join(workDir, 'ours.duckdb');
    rmSync(db, { force: true });
    const engine = await DuckDBEngine.open(db);
    const t1 = performance.now();
    await ingestSource(engine, project.sources[0] as SourceDef, {
      loadId: `bench${r}`,
      tmpDir: join(workDir, 'tmp'),
      projectRoot: workDir,
    });
    await engine.run('CHECKPOINT');
    connectors.push((performance.now() - t1) / 1000);
    await engine.close();
    rmSync(db, { force: true });
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const raw = median(raws);
  return {
    rows,
    fileBytes: statSync(csv).size,
    rawSeconds: raw,
    connectorSeconds: median(connectors),
    stepSeconds: median(steps),
    ratioConnector: median(connectors) / raw,
    ratioStep: median(steps) / raw,
  };
}
