/** The synthetic municipality at its default size (56,432 persons): CBS population, encoding, truths. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILES, rdToWgs84, synthesize } from '../../src/synth/index.js';
import {
  CBS,
  decodeWindows1252,
  key,
  nlToIso,
  personsPerWijk,
  pointInRing,
  readCsv,
  recountDefects,
  truth,
  wijkRings,
  type Defect,
} from './helpers.js';

let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'synth-full-'));
  await synthesize({ outDir: dir });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('population at the default size', () => {
  it('equals CBS 2024 per wijk, counted from the files', () => {
    const counts = personsPerWijk(dir);
    expect(Object.fromEntries(counts)).toEqual(CBS);
    const pop = truth<{ total_persons: number; wijken: { code: string; persons: number }[] }>(
      dir,
      'population.json',
    );
    expect(pop.total_persons).toBe(56430);
    for (const w of pop.wijken) expect(w.persons).toBe(CBS[w.code]);
  });

  it('keeps history: people who left have a Datum vertrek, current residents none', () => {
    const brp = readCsv(dir, FILES.brp, ';', 'cp1252');
    const out = brp.col('Datum vertrek');
    const left = brp.records.slice(1).filter((r) => r[out] !== '');
    expect(left.length).toBeGreaterThan(10000);
    for (const r of left.slice(0, 2000))
      expect(nlToIso(r[out] as string) >= '2019-01-01' && nlToIso(r[out] as string) <= '2024-12-31').toBe(
        true,
      );
  });
});

describe('brp/personen.csv encoding', () => {
  it('is Windows-1252 (ü = 0xFC), not UTF-8, with CRLF and without BOM', () => {
    const buf = readFileSync(join(dir, FILES.brp));
    expect(buf.includes(0xfc)).toBe(true);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(buf)).toThrow();
    expect(buf.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    const text = decodeWindows1252(buf);
    expect(text).toContain('ü');
    expect(text.split('\r\n').length).toBeGreaterThan(90000);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });
});

describe('quality defects at the default size', () => {
  it('truth/quality_defects.json matches a recount from the files; every class present and ≤ 0.5 %', async () => {
    const q = truth<{ defects: Defect[]; data_records_per_file: Record<string, number> }>(
      dir,
      'quality_defects.json',
    );
    const recount = await recountDefects(dir);
    const stated = new Map(
      q.defects.filter((d) => d.count > 0).map((d) => [key(d.file, d.column, d.defect), d.rows]),
    );
    expect(Object.fromEntries(recount)).toEqual(Object.fromEntries(stated));
    for (const d of q.defects) {
      expect(d.rows.length).toBe(d.count);
      expect(d.count, `${d.file} ${d.defect}`).toBeGreaterThan(0);
      expect(d.count / (q.data_records_per_file[d.file] ?? 1)).toBeLessThanOrEqual(0.005);
    }
    const kinds = new Set(q.defects.map((d) => d.defect));
    for (const k of [
      'invalid_bsn',
      'duplicate_row',
      'missing_postcode',
      'future_date',
      'mojibake',
      'unparseable_date',
      'unparseable_number',
    ]) {
      expect(kinds.has(k), k).toBe(true);
    }
    expect(
      q.defects.find((d) => d.file === FILES.brp && d.defect === 'duplicate_row')?.count,
    ).toBeGreaterThan(0);
  });
});

describe('coordinates at the default size', () => {
  it('every BAG object lies inside the 2024 polygon of its wijk', () => {
    const rings = wijkRings();
    const bag = readCsv(dir, FILES.bag, ',');
    const [ix, iy, ib] = [bag.col('x_rd'), bag.col('y_rd'), bag.col('buurtcode')];
    for (const r of bag.records.slice(1)) {
      const p = rdToWgs84(Number(r[ix]), Number(r[iy]));
      expect(
        pointInRing(p.lon, p.lat, rings.get(`WK${(r[ib] as string).slice(2, 8)}`) ?? []),
        `${r[0]}`,
      ).toBe(true);
    }
  });

  it('has leading zeros in SBI codes and ~5,000 KvK establishments', () => {
    const kvk = readCsv(dir, FILES.kvk, ';');
    expect(kvk.records.length).toBeGreaterThan(4000);
    expect(kvk.records.some((r) => (r[3] as string).startsWith('0'))).toBe(true);
  });
});

describe('planted truths', () => {
  interface Addr {
    verblijfsobject_id: string;
  }
  it('undermining patterns can be found in the files', () => {
    const u = truth<{
      overcrowded_addresses: { items: (Addr & { persons_registered: number; oppervlakte_m2: number })[] };
      vacant_high_electricity: { items: (Addr & { years: number[] })[] };
      business_owner_changes: { items: (Addr & { registrations: { kvk_nummer: string }[] })[] };
      repeated_incidents: { items: (Addr & { lon: number; lat: number; incidents: number })[] };
    }>(dir, 'undermining.json');
    const bag = readCsv(dir, FILES.bag, ',');
    const area = new Map(
      bag.records.slice(1).map((r) => [r[0] as string, Number(r[bag.col('oppervlakte')])]),
    );
    const brp = readCsv(dir, FILES.brp, ';', 'cp1252');
    const living = new Map<string, Set<string>>();
    for (const r of brp.records.slice(1)) {
      if (r[14] !== '') continue;
      const s = living.get(r[12] as string) ?? new Set<string>();
      s.add(r[0] as string);
      living.set(r[12] as string, s);
    }
    const crowded = [...living]
      .filter(([vbo, s]) => s.size >= 8 && (area.get(vbo) ?? 999) < 50)
      .map(([vbo]) => vbo)
      .sort();
    expect(crowded).toEqual(u.overcrowded_addresses.items.map((i) => i.verblijfsobject_id).sort());
    expect(crowded.length).toBeGreaterThanOrEqual(10);

    const energy = readCsv(dir, FILES.energy, ';');
    const kwh = new Map(energy.records.slice(1).map((r) => [`${r[0]}|${r[1]}`, Number(r[2])]));
    expect(u.vacant_high_electricity.items.length).toBeGreaterThanOrEqual(5);
    for (const g of u.vacant_high_electricity.items) {
      expect(living.has(g.verblijfsobject_id)).toBe(false);
      expect(g.years.length).toBeGreaterThan(0);
      for (const y of g.years) expect(kwh.get(`${g.verblijfsobject_id}|${y}`)).toBeGreaterThanOrEqual(16000);
    }

    const kvk = readCsv(dir, FILES.kvk, ';');
    for (const s of u.business_owner_changes.items) {
      const here = kvk.records.filter((r) => r[7] === s.verblijfsobject_id).map((r) => r[0]);
      expect(s.registrations.length).toBeGreaterThanOrEqual(3);
      for (const reg of s.registrations) expect(here).toContain(reg.kvk_nummer);
    }

    const inc = readCsv(dir, FILES.incidents, ';', 'cp1252');
    const at = new Map<string, number>();
    for (const r of inc.records.slice(1)) at.set(`${r[5]}|${r[6]}`, (at.get(`${r[5]}|${r[6]}`) ?? 0) + 1);
    for (const s of u.repeated_incidents.items) {
      const k = `${s.lon.toFixed(6).replace('.', ',')}|${s.lat.toFixed(6).replace('.', ',')}`;
      expect(at.get(k) ?? 0).toBeGreaterThanOrEqual(s.incidents);
      expect(s.incidents).toBeGreaterThanOrEqual(8);
    }
  });

  it('multi-problem households stack ≥ 3 domains and are 1–2 % of households', () => {
    const m = truth<{
      planted_share: number;
      households: { members_bsn: string[]; domains: string[] }[];
      background: { with_3_or_more_domains: number };
    }>(dir, 'multiproblem_households.json');
    expect(m.planted_share).toBeGreaterThanOrEqual(0.01);
    expect(m.planted_share).toBeLessThanOrEqual(0.02);
    const bij = new Set(
      (JSON.parse(readFileSync(join(dir, FILES.bijstand), 'utf8')) as { bsn: string }[]).map((b) => b.bsn),
    );
    for (const h of m.households) {
      expect(h.domains.length).toBeGreaterThanOrEqual(3);
      expect(h.domains).toContain('bijstand');
      expect(h.members_bsn.some((b) => bij.has(b))).toBe(true);
    }
    expect(m.background.with_3_or_more_domains).toBeGreaterThan(0);
  });

  it('the policy effect is visible in the signals of the chosen buurten', () => {
    const p = truth<{
      buurten: unknown[];
      effect: { relative: number };
      by_year: {
        year: number;
        treated_realised: number;
        treated_counterfactual_realised: number;
        control_realised: number;
        treated_expected_without_measure: number;
        treated_expected_with_measure: number;
      }[];
    }>(dir, 'policy_effect.json');
    expect(p.buurten.length).toBeGreaterThanOrEqual(3);
    expect(p.buurten.length).toBeLessThanOrEqual(5);
    const lines = readFileSync(join(dir, FILES.signals), 'utf8').trim().split('\n');
    expect(lines.length).toBe(p.by_year.reduce((s, y) => s + y.treated_realised + y.control_realised, 0));
    let cf = 0;
    let real = 0;
    for (const y of p.by_year) {
      if (y.year < 2022) expect(y.treated_realised).toBe(y.treated_counterfactual_realised);
      else {
        cf += y.treated_counterfactual_realised;
        real += y.treated_realised;
        expect(y.treated_expected_with_measure).toBeCloseTo(
          y.treated_expected_without_measure * (1 + p.effect.relative),
          0,
        );
      }
    }
    expect(real / cf).toBeGreaterThan(0.6);
    expect(real / cf).toBeLessThan(0.8);
  });
});
