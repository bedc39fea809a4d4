import { describe, expect, it } from 'vitest';
import { PointSampler, loadGemeente, pointInRing } from '../../src/synth/areas.js';
import { BsnFactory, formatBsn, isValidBsn } from '../../src/synth/bsn.js';
import { ageOn, civil, dayOf, fmtIso, fmtNl } from '../../src/synth/dates.js';
import { encodeCp1252, hasCleanMojibake, mojibake } from '../../src/synth/encoding.js';
import { isCp1252Encodable } from '../../src/synth/encoding.js';
import { ORIGIN_WEIGHTS, pickFirstNames, pickSurname } from '../../src/synth/names.js';
import { Rng, largestRemainder } from '../../src/synth/random.js';
import { rdToWgs84, wgs84ToRd } from '../../src/geo/rd.js';
import { nlAmount } from '../../src/synth/writers.js';
import { crc32, writeXlsx } from '../../src/synth/xlsx.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readXlsx } from './helpers.js';

describe('rd', () => {
  it('converts the Martinitoren and the Amersfoort origin', () => {
    const m = rdToWgs84(233883.131, 582065.167);
    expect(m.lat).toBeCloseTo(53.21938, 5);
    expect(m.lon).toBeCloseTo(6.5682, 4);
    expect(rdToWgs84(155000, 463000)).toEqual({ lat: 52.1551744, lon: 5.38720621 });
    const o = wgs84ToRd(5.38720621, 52.1551744);
    expect(o.x).toBeCloseTo(155000, 6);
    expect(o.y).toBeCloseTo(463000, 6);
  });

  it('round-trips within centimetres around Den Helder', () => {
    for (let lon = 4.7; lon < 4.82; lon += 0.01) {
      for (let lat = 52.87; lat < 52.97; lat += 0.01) {
        const p = wgs84ToRd(lon, lat);
        expect(p.x).toBeGreaterThan(105000);
        expect(p.x).toBeLessThan(120000);
        const back = rdToWgs84(p.x, p.y);
        const q = wgs84ToRd(back.lon, back.lat);
        expect(Math.hypot(q.x - p.x, q.y - p.y)).toBeLessThan(0.05);
      }
    }
  });
});

describe('bsn', () => {
  it('generates unique valid numbers, some with a leading zero, and invalid typos', () => {
    const f = new BsnFactory(new Rng('bsn-test'));
    const seen = new Set<number>();
    let zero = 0;
    for (let i = 0; i < 5000; i++) {
      const n = f.next();
      expect(isValidBsn(formatBsn(n))).toBe(true);
      expect(formatBsn(n)).toHaveLength(9);
      if (formatBsn(n).startsWith('0')) zero++;
      seen.add(n);
      expect(isValidBsn(formatBsn(f.corrupt(n)))).toBe(false);
    }
    expect(seen.size).toBe(5000);
    expect(zero).toBeGreaterThan(50);
    expect(isValidBsn('111222333')).toBe(true);
    expect(isValidBsn('123456789')).toBe(false);
  });
});

describe('random', () => {
  it('is reproducible per seed and label', () => {
    const a = new Rng('x').fork('y');
    const b = new Rng('x').fork('y');
    const c = new Rng('x').fork('z');
    const seqA = Array.from({ length: 20 }, () => a.nextU32());
    expect(seqA).toEqual(Array.from({ length: 20 }, () => b.nextU32()));
    expect(seqA).not.toEqual(Array.from({ length: 20 }, () => c.nextU32()));
  });

  it('apportions with largest remainders', () => {
    expect(largestRemainder(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(largestRemainder(7, [5, 0, 2])).toEqual([5, 0, 2]);
    expect(largestRemainder(100, [0.3, 0.3, 0.4]).reduce((s, x) => s + x, 0)).toBe(100);
  });
});

describe('dates and formats', () => {
  it('formats days', () => {
    const d = dayOf(2024, 2, 29);
    expect(fmtNl(d)).toBe('29-02-2024');
    expect(fmtIso(d)).toBe('2024-02-29');
    expect(civil(dayOf(1900, 3, 1))).toEqual({ year: 1900, month: 3, day: 1 });
    expect(ageOn(dayOf(2000, 12, 31), dayOf(2024, 12, 30))).toBe(23);
    expect(nlAmount(1234.5)).toBe('1.234,50');
    expect(nlAmount(234000, 0)).toBe('234.000');
    expect(nlAmount(1234567.891, 1, false)).toBe('1234567,9');
    expect(nlAmount(-12.3)).toBe('-12,30');
  });

  it('encodes Windows-1252 and makes mojibake', () => {
    expect([...encodeCp1252('€ü’')]).toEqual([0x80, 0xfc, 0x92]);
    expect(mojibake('Müller')).toBe('MÃ¼ller');
    expect(hasCleanMojibake('Çelik')).toBe(true);
    expect(hasCleanMojibake('Jansen')).toBe(false);
  });

  it('only uses names that Windows-1252 can encode', () => {
    const r = new Rng('names');
    for (let i = 0; i < 3000; i++) {
      const origin = r.weighted(ORIGIN_WEIGHTS);
      const s = pickSurname(r, origin);
      expect(isCp1252Encodable(`${s.voorvoegsel} ${s.geslachtsnaam}`)).toBe(true);
      expect(
        isCp1252Encodable(pickFirstNames(r, origin, r.chance(0.5) ? 'M' : 'V', r.intBetween(1930, 2024))),
      ).toBe(true);
    }
  });
});

describe('areas', () => {
  it('samples points inside the wijk for every buurt, also where the coarse buurt polygon is degenerate', () => {
    const g = loadGemeente();
    expect(g.wijken).toHaveLength(8);
    expect(g.buurten).toHaveLength(65);
    const r = new Rng('points');
    for (const b of g.buurten) {
      const s = new PointSampler(b);
      for (let i = 0; i < 50; i++) {
        const p = s.sample(r);
        expect(pointInRing(p.lon, p.lat, b.wijk.ring)).toBe(true);
        const back = rdToWgs84(p.x, p.y);
        expect(pointInRing(back.lon, back.lat, b.wijk.ring)).toBe(true);
      }
    }
  });
});

describe('xlsx', () => {
  it('writes identical bytes for identical content, readable by exceljs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xlsx-'));
    try {
      const spec = [
        {
          name: 'Blad 1',
          columns: [
            { header: 'Code', numFmt: '@' },
            { header: 'Datum', numFmt: 'dd-mm-yyyy' },
            { header: 'Bedrag', numFmt: '#,##0.00' },
          ],
          rows: [
            ['6.71', new Date(Date.UTC(2024, 11, 31)), 1234.5],
            ['0.10', null, -3],
            [' <&> ', new Date(Date.UTC(2019, 0, 1)), 0],
          ],
        },
      ];
      writeXlsx(join(dir, 'a.xlsx'), spec);
      writeXlsx(join(dir, 'b.xlsx'), spec);
      expect(readFileSync(join(dir, 'a.xlsx')).equals(readFileSync(join(dir, 'b.xlsx')))).toBe(true);
      const x = await readXlsx(join(dir, 'a.xlsx'), 'Blad 1');
      expect(x.header).toEqual(['Code', 'Datum', 'Bedrag']);
      expect(x.rows[1]).toEqual(['6.71', new Date(Date.UTC(2024, 11, 31)), 1234.5]);
      expect(x.rows[2]?.[0]).toBe('0.10');
      expect(x.rows[2]?.[1]).toBeNull();
      expect(x.rows[3]?.[0]).toBe(' <&> ');
      expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
