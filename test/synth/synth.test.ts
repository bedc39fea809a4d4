/** The synthetic municipality at a small size: determinism, allocation, defects, coordinates, shapes. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGemeente } from '../../src/synth/areas.js';
import {
  DEFAULT_PERSONS,
  FILES,
  allocateWijkPopulation,
  rdToWgs84,
  synthesize,
} from '../../src/synth/index.js';
import {
  CBS,
  isNlDate,
  key,
  personsPerWijk,
  pointInRing,
  readCsv,
  readXlsx,
  recountDefects,
  truth,
  wijkRings,
  type Defect,
} from './helpers.js';

const SMALL = 2000;
const dirs: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };

beforeAll(async () => {
  for (const k of Object.keys(dirs) as (keyof typeof dirs)[])
    dirs[k] = mkdtempSync(join(tmpdir(), `synth-${k}-`));
  await synthesize({ persons: SMALL, seed: 7, outDir: dirs.a });
  await synthesize({ persons: SMALL, seed: 7, outDir: dirs.b });
  await synthesize({ persons: SMALL, seed: 8, outDir: dirs.c });
});

afterAll(() => {
  for (const d of Object.values(dirs)) if (d) rmSync(d, { recursive: true, force: true });
});

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return out;
}

describe('determinism', () => {
  it('same seed and size give byte-identical files (XLSX and truth included)', () => {
    const a = listFiles(dirs.a);
    expect(a).toEqual(listFiles(dirs.b));
    expect(a.length).toBe(Object.keys(FILES).length + 5);
    for (const f of a)
      expect(readFileSync(join(dirs.a, f)).equals(readFileSync(join(dirs.b, f))), f).toBe(true);
  });

  it('another seed gives different data in every file', () => {
    for (const f of Object.values(FILES)) {
      expect(readFileSync(join(dirs.a, f)).equals(readFileSync(join(dirs.c, f))), f).toBe(false);
    }
  });
});

describe('population allocation', () => {
  it('uses the CBS figures at the default size and largest remainders at other sizes', () => {
    const g = loadGemeente();
    expect(Object.fromEntries(allocateWijkPopulation(g, DEFAULT_PERSONS))).toEqual(CBS);
    for (const n of [SMALL, 12345, 564320]) {
      const a = allocateWijkPopulation(g, n);
      expect([...a.values()].reduce((s, x) => s + x, 0)).toBe(n);
      Object.values(CBS).forEach((x, i) =>
        expect(Math.abs(([...a.values()][i] as number) - (x * n) / 56430)).toBeLessThan(1),
      );
    }
  });

  it('puts exactly the allocated persons in each wijk, counted from the files', () => {
    const counts = personsPerWijk(dirs.a);
    expect(Object.fromEntries(counts)).toEqual(
      Object.fromEntries(allocateWijkPopulation(loadGemeente(), SMALL)),
    );
    const pop = truth<{ total_persons: number; buurten: { code: string; persons: number }[] }>(
      dirs.a,
      'population.json',
    );
    expect(pop.total_persons).toBe(SMALL);
    expect(pop.buurten.reduce((s, b) => s + b.persons, 0)).toBe(SMALL);
  });
});

describe('quality defects', () => {
  it('truth/quality_defects.json matches a recount from the files', async () => {
    const q = truth<{ defects: Defect[] }>(dirs.a, 'quality_defects.json');
    const recount = await recountDefects(dirs.a);
    const stated = new Map(
      q.defects.filter((d) => d.count > 0).map((d) => [key(d.file, d.column, d.defect), d.rows]),
    );
    expect(Object.fromEntries(recount)).toEqual(Object.fromEntries(stated));
    for (const d of q.defects) expect(d.rows.length).toBe(d.count);
  });
});

describe('coordinates', () => {
  it('BAG objects lie inside the 2024 polygon of their wijk; incidents and reports inside the gemeente', () => {
    const rings = wijkRings();
    const bag = readCsv(dirs.a, FILES.bag, ',');
    const [ix, iy, ib] = [bag.col('x_rd'), bag.col('y_rd'), bag.col('buurtcode')];
    for (const r of bag.records.slice(1)) {
      const p = rdToWgs84(Number(r[ix]), Number(r[iy]));
      const ring = rings.get(`WK${(r[ib] as string).slice(2, 8)}`) ?? [];
      expect(pointInRing(p.lon, p.lat, ring), `${r[0]}`).toBe(true);
    }
    const anyWijk = (lon: number, lat: number): boolean =>
      [...rings.values()].some((ring) => pointInRing(lon, lat, ring));
    const inc = readCsv(dirs.a, FILES.incidents, ';', 'cp1252');
    for (const r of inc.records.slice(1)) {
      expect(
        anyWijk(Number((r[5] as string).replace(',', '.')), Number((r[6] as string).replace(',', '.'))),
      ).toBe(true);
    }
    const mor = JSON.parse(readFileSync(join(dirs.a, FILES.meldingen), 'utf8')) as {
      x_rd: number;
      y_rd: number;
    }[];
    for (const m of mor) {
      const p = rdToWgs84(m.x_rd, m.y_rd);
      expect(anyWijk(p.lon, p.lat)).toBe(true);
    }
  });
});

describe('file shapes', () => {
  it('uses the declared encodings, separators and number formats', () => {
    const bagBuf = readFileSync(join(dirs.a, FILES.bag));
    expect([...bagBuf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    for (const f of [FILES.jeugd, FILES.schuld, FILES.kvk, FILES.energy, FILES.woz, FILES.verzuim]) {
      const b = readFileSync(join(dirs.a, f));
      expect(b[0], f).not.toBe(0xef);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(b)).not.toThrow();
    }
    const woz = readCsv(dirs.a, FILES.woz, ';');
    for (const r of woz.records.slice(1)) {
      expect(r[2]).toMatch(/^\d{1,3}(\.\d{3})+$/);
      expect(isNlDate(r[1] as string)).toBe(true);
    }
    const energy = readCsv(dirs.a, FILES.energy, ';');
    for (const r of energy.records.slice(1)) expect(r[3]).toMatch(/^(\d+,\d)?$/);
    const kvk = readCsv(dirs.a, FILES.kvk, ';');
    for (const r of kvk.records.slice(1)) {
      expect(r[0]).toMatch(/^\d{8}$/);
      expect(r[1]).toMatch(/^\d{12}$/);
      expect(r[3]).toMatch(/^\d{4}$/);
    }
    const inc = readCsv(dirs.a, FILES.incidents, ';', 'cp1252');
    expect(inc.header).toEqual([
      'incidentnummer',
      'datum',
      'tijd',
      'categorie',
      'omschrijving',
      'lon',
      'lat',
    ]);
    expect(inc.records.some((r) => (r[4] as string).includes('\n'))).toBe(true);
    expect(inc.records.some((r) => (r[4] as string).includes(';'))).toBe(true);
    for (const r of inc.records.slice(1)) expect(r).toHaveLength(7);
    const verzuim = readCsv(dirs.a, FILES.verzuim, ',');
    for (const r of verzuim.records.slice(1)) expect(r[4]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const signals = readFileSync(join(dirs.a, FILES.signals), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(new Set(signals.map((s) => s.partner_type))).toEqual(
      new Set(['woningcorporatie', 'energie', 'water', 'zorgverzekeraar']),
    );
    const bij = JSON.parse(readFileSync(join(dirs.a, FILES.bijstand), 'utf8')) as Record<string, unknown>[];
    expect(bij.every((b) => b.regeling === 'Participatiewet' && typeof b.bedrag_per_maand === 'number')).toBe(
      true,
    );
  });

  it('writes readable XLSX with Excel dates and taakveld codes as text', async () => {
    const q = truth<{ data_records_per_file: Record<string, number> }>(dirs.a, 'quality_defects.json');
    const wmo = await readXlsx(join(dirs.a, FILES.wmo), 'Voorzieningen');
    expect(wmo.header).toEqual(['BSN', 'Voorziening', 'Startdatum', 'Einddatum', 'Beschikkingsnummer']);
    expect(wmo.rows.length - 1).toBe(q.data_records_per_file[FILES.wmo]);
    expect(wmo.rows.slice(1).every((r) => r[2] instanceof Date && typeof r[0] === 'number')).toBe(true);
    expect(new Set(wmo.rows.slice(1).map((r) => r[1]))).toEqual(
      new Set(['Huishoudelijke hulp', 'Hulpmiddel', 'Woningaanpassing', 'Begeleiding', 'Vervoer']),
    );
    const iv3 = await readXlsx(join(dirs.a, FILES.iv3), 'Begroting en realisatie');
    expect(iv3.header).toEqual([
      'Jaar',
      'Taakveld',
      'Omschrijving',
      'Begroting (lasten)',
      'Realisatie (lasten)',
      'Baten',
    ]);
    const codes = new Set(iv3.rows.slice(1).map((r) => r[1]));
    for (const c of ['0.1', '0.10', '6.3', '6.71', '6.82', '8.3']) expect(codes.has(c), c).toBe(true);
    expect(iv3.rows.slice(1).every((r) => typeof r[1] === 'string' && typeof r[3] === 'number')).toBe(true);
    expect(new Set(iv3.rows.slice(1).map((r) => r[0]))).toEqual(
      new Set([2019, 2020, 2021, 2022, 2023, 2024]),
    );
  });
});
