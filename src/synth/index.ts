/**
 * The synthetic municipality: a deterministic, calibrated demo/test data set modelled on Den Helder
 * (GM0400). `synthesize` writes the exported source files and the planted truths; see CONTEXT.md.
 */
import { performance } from 'node:perf_hooks';
import { loadGemeente } from './areas.js';
import { buildBusinesses } from './business.js';
import { REF_DAY, fmtIso } from './dates.js';
import { DefectLog } from './defects.js';
import { writeFiles, type WrittenFile } from './files.js';
import { buildFinance } from './finance.js';
import { buildHousing } from './housing.js';
import { DEFAULT_PERSONS, buildPopulation } from './population.js';
import { Rng } from './random.js';
import { buildSafety } from './safety.js';
import { buildSocial } from './social.js';
import { writeTruth } from './truth.js';

export { DEFAULT_PERSONS, allocateWijkPopulation } from './population.js';
export { rdToWgs84, wgs84ToRd } from '../geo/rd.js';
export { isValidBsn } from './bsn.js';
export { FILES } from './files.js';
export type { WrittenFile } from './files.js';

export interface SynthOptions {
  /** Inhabitants on the reference date (default 56,432: Den Helder, CBS 2024). */
  persons?: number;
  /** Seed: the same seed and size give byte-identical files (default 1). */
  seed?: string | number;
  /** Output folder (created when missing; existing files with the same names are overwritten). */
  outDir: string;
  /** Called with a short description at the start of each step. */
  onProgress?: (step: string) => void;
  /** Folder with the area data (default: `data/areas` of this repository). */
  areasDir?: string;
}

export interface SynthSummary {
  seed: string;
  persons: number;
  referenceDate: string;
  outDir: string;
  /** Exported source files by path relative to outDir: data records (header excluded) and bytes. */
  files: Record<string, { rows: number; bytes: number }>;
  /** Truth files (truth/*.json) by path relative to outDir. */
  truth: Record<string, { rows: number; bytes: number }>;
  elapsedMs: number;
  /** Milliseconds per step. */
  steps: { step: string; ms: number }[];
}

export async function synthesize(opts: SynthOptions): Promise<SynthSummary> {
  const t0 = performance.now();
  const persons = opts.persons ?? DEFAULT_PERSONS;
  if (!Number.isInteger(persons) || persons < 100)
    throw new Error(`persons must be an integer ≥ 100 (got ${persons})`);
  const seed = String(opts.seed ?? 1);
  const steps: { step: string; ms: number }[] = [];
  let last = t0;
  let current = '';
  const progress = (step: string): void => {
    const now = performance.now();
    if (current) steps.push({ step: current, ms: Math.round(now - last) });
    last = now;
    current = step;
    opts.onProgress?.(step);
  };

  progress('areas');
  const gemeente = loadGemeente(opts.areasDir);
  const rng = new Rng(`datapakhuis-synth:${seed}`);
  progress('population and history');
  const world = buildPopulation({ persons, rng, gemeente });
  progress('social domain');
  const social = buildSocial(world);
  progress('energy and WOZ');
  const housing = buildHousing(world);
  progress('business register');
  const business = buildBusinesses(world);
  progress('incidents and reports');
  const extraRepeat = [
    ...world.overcrowded.slice(0, 1).map((d) => ({ dwelling: d, reason: 'overbewoning met overlast' })),
    ...business.ownerChanges
      .slice(0, 1)
      .map((s) => ({ dwelling: s.dwelling, reason: 'horeca/kapsalon met wisselende eigenaren en overlast' })),
  ];
  const safety = buildSafety(world, extraRepeat);
  const finance = buildFinance(world);
  const defects = new DefectLog();
  const files = writeFiles(opts.outDir, { world, social, housing, business, safety, finance }, defects, (s) =>
    progress(`write ${s}`),
  );
  progress('truth');
  const truth = writeTruth(opts.outDir, {
    world,
    social,
    housing,
    business,
    safety,
    defects,
    written: files,
  });
  progress('');
  return {
    seed,
    persons,
    referenceDate: fmtIso(REF_DAY),
    outDir: opts.outDir,
    files: byPath(files),
    truth: byPath(truth),
    elapsedMs: Math.round(performance.now() - t0),
    steps,
  };
}

function byPath(list: readonly WrittenFile[]): Record<string, { rows: number; bytes: number }> {
  const out: Record<string, { rows: number; bytes: number }> = {};
  for (const f of list) out[f.path] = { rows: f.rows, bytes: f.bytes };
  return out;
}
