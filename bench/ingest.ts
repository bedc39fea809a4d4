import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Build } from '../src/build/build.js';
import { DuckDBEngine } from '../src/engine/duckdb.js';
import { ingestSource } from '../src/ingest/ingest.js';
import { loadProject } from '../src/project/load.js';
import type { SourceDef } from '../src/project/types.js';
import { hmacPads, domainKey } from '../src/privacy/keys.js';

export type IngestVariant = 'plain' | 'pseudonymised-repeating' | 'pseudonymised-unique';

export interface IngestBench {
  variant: IngestVariant;
  rows: number;
  distinctIdentifiers: number;
  fileBytes: number;
  rawSeconds: number;
  connectorSeconds: number;
  stepSeconds: number;
  ratioConnector: number;
  ratioStep: number;
  /** best of N: noise on this shared machine only ever adds time, so the minimum is the steadiest figure */
  best: { raw: number; connector: number; step: number; ratioConnector: number; ratioStep: number };
  samples: { raw: number[]; connector: number[]; step: number[] };
}

const source = (identifier: boolean): string => `title: Bench — gebeurtenissen
owner: Bench
domain: sociaal
privacy:
  legal_basis: { ground: e, law: Benchmark }
  purposes: [bench]
  data_subjects: [synthetisch]
  retention: { keep: permanent, reason: benchmark }
connector:
  type: csv
  path: events.csv
  delimiter: ';'
  decimal: ','
  thousands: '.'
  date_format: dd-mm-jjjj
columns:
  bsn: { type: text, ${identifier ? 'classification: identifier, identifier: bsn' : 'classification: none'}, header: BSN }
  naam: { type: text, classification: none, header: Naam }
  bedrag: { type: decimal, classification: none, header: Bedrag }
  datum: { type: date, classification: none, header: Datum }
  buurtcode: { type: text, classification: none, header: Buurtcode }
  aantal: { type: integer, classification: none, header: Aantal }
`;

/** A Dutch CSV: `;`, decimal comma with thousands dots, dd-mm-jjjj dates; BSNs repeating (~56k) or all new. */
async function writeCsv(path: string, rows: number, unique: boolean): Promise<void> {
  const engine = await DuckDBEngine.open(':memory:');
  const person = unique ? 'i' : '(i * 7919) % 56000';
  await engine.run(
    `COPY (SELECT lpad(CAST(100000000 + ${person} AS VARCHAR), 9, '0') AS "BSN",
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

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * The "connector" figure includes the CHECKPOINT that writes the table to disk, like the raw one;
 * the "step" figure (checksum, archive copy, landing) does not: the build checkpoints once, at the end.
 *
 * Ingest through the connector vs a raw DuckDB `CREATE TABLE AS SELECT * FROM read_csv(...)` of the
 * same file, alternating, median of `repeats`. "connector" is scan + landing (incl. pseudonymisation);
 * "step" is the whole build step (checksum, archive copy, landing).
 */
export async function benchIngest(
  variant: IngestVariant,
  rows: number,
  workDir: string,
  repeats = 3,
): Promise<IngestBench> {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(join(workDir, 'data'), { recursive: true });
  mkdirSync(join(workDir, 'sources'), { recursive: true });
  writeFileSync(
    join(workDir, 'pakhuis.yaml'),
    'version: 1\nmunicipality: { code: GM0400, name: Den Helder }\nprivacy: { controller: Bench }\n',
  );
  writeFileSync(join(workDir, 'sources/events.yaml'), source(variant !== 'plain'));
  process.env['PAKHUIS_PSEUDONYM_KEY'] ??= 'be4c'.repeat(16);
  process.env['PAKHUIS_PSEUDONYM_KEY_AUDIT'] ??= 'be4d'.repeat(16);
  const csv = join(workDir, 'data/events.csv');
  process.stderr.write(`  ${variant}: writing ${rows.toLocaleString('en')} rows\n`);
  await writeCsv(csv, rows, variant === 'pseudonymised-unique');
  const { project } = loadProject(workDir);
  if (!project) throw new Error('bench project does not load');
  const src = project.sources[0] as SourceDef;
  const pads = hmacPads(
    domainKey(Buffer.from(process.env['PAKHUIS_PSEUDONYM_KEY'] as string, 'hex'), 'sociaal'),
  );

  const raws: number[] = [];
  const connectors: number[] = [];
  const steps: number[] = [];
  let distinct = 0;
  for (let r = 0; r < repeats; r++) {
    raws.push(await timeRaw(csv, join(workDir, 'raw.duckdb')));
    const db = join(workDir, 'ours.duckdb');
    rmSync(db, { force: true });
    const engine = await DuckDBEngine.open(db);
    const t1 = performance.now();
    const result = await ingestSource(engine, src, {
      loadId: `bench${r}`,
      tmpDir: join(workDir, 'tmp'),
      projectRoot: workDir,
      privacy: variant === 'plain' ? {} : { pads },
    });
    await engine.run('CHECKPOINT');
    connectors.push((performance.now() - t1) / 1000);
    distinct = result.pseudonyms['bsn'] ?? 0;
    await engine.close();
    rmSync(db, { force: true });

    const build = await Build.start(project, { full: true, command: 'bench' });
    const t0 = performance.now();
    const outcome = await build.execute(src);
    steps.push((performance.now() - t0) / 1000);
    await build.finish();
    if (outcome.status !== 'success') throw new Error(`bench load failed: ${outcome.error}`);
  }
  const raw = median(raws);
  return {
    variant,
    rows,
    distinctIdentifiers: distinct,
    fileBytes: statSync(csv).size,
    rawSeconds: raw,
    connectorSeconds: median(connectors),
    stepSeconds: median(steps),
    ratioConnector: median(connectors) / raw,
    ratioStep: median(steps) / raw,
    best: {
      raw: Math.min(...raws),
      connector: Math.min(...connectors),
      step: Math.min(...steps),
      ratioConnector: Math.min(...connectors) / Math.min(...raws),
      ratioStep: Math.min(...steps) / Math.min(...raws),
    },
    samples: { raw: raws, connector: connectors, step: steps },
  };
}
