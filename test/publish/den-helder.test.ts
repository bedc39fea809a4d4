/**
 * The real area hierarchy of Den Helder (GM0400: 8 wijken, 65 buurten; Bron: CBS, CC BY 4.0) with
 * the real 2024 wijk populations spread over buurten and age groups, and a rare characteristic
 * (about 3 % of residents) that gives many small cells.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/publish/auditor.js';
import { protect, toPublic, type AreaNode, type StatTable } from '../../src/publish/disclosure.js';
import { countTable } from './helpers.js';

const root = new URL('../../data/areas/', import.meta.url);
const rows = (file: string): string[][] =>
  readFileSync(new URL(file, root), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));

const buurten = rows('den_helder_buurten_2014_labels.csv').map(([code, , wijk]) => ({
  code: code as string,
  wijk: wijk as string,
}));
const inwoners = new Map(
  rows('den_helder_kwb_2024_85984NED_gm_wk.csv').map((r) => [r[0] as string, Number(r[3])]),
);
const wijken = [...new Set(buurten.map((b) => b.wijk))].sort();
const areas: AreaNode[] = [
  { code: 'GM0400', level: 'gemeente', parent: null },
  ...wijken.map((code): AreaNode => ({ code, level: 'wijk', parent: 'GM0400' })),
  ...buurten.map(({ code, wijk }): AreaNode => ({ code, level: 'buurt', parent: wijk })),
];
const ages = { total: 'totaal', members: ['0-17', '18-26', '27-44', '45-66', '67+'] };
const ageShare = [0.19, 0.1, 0.22, 0.3, 0.19];

/** A fixed, uneven spread: buurt i of a wijk gets weight (i mod 4) + 1, some buurten almost empty. */
function residents(buurt: string, age: string | undefined, rate: number): number {
  const b = buurten.find((x) => x.code === buurt) as { code: string; wijk: string };
  const siblings = buurten.filter((x) => x.wijk === b.wijk);
  const weight = (i: number): number => (i % 5 === 4 ? 0.02 : (i % 4) + 1);
  const total = siblings.reduce((s, _, i) => s + weight(i), 0);
  const i = siblings.indexOf(b);
  const share = ageShare[ages.members.indexOf(age as string)] as number;
  return Math.round(((inwoners.get(b.wijk) ?? 0) * weight(i) * share * rate) / total);
}

const table = (id: string, rate: number): StatTable =>
  countTable({ id, areas, categories: ages, periods: ['2024'] }, (b, a) => residents(b, a, rate));

describe('Den Helder', () => {
  it('population by age: little to hide, the auditor finds nothing', () => {
    const t = table('inwoners-leeftijd', 1);
    expect(t.cells).toHaveLength(74 * 6);
    const p = protect(t);
    const primary = p.log.filter((l) => l.action === 'primary').length;
    const secondary = p.log.filter((l) => l.action === 'secondary').length;
    // The near-empty buurten (industrial, harbour) are primary in every age group; complements are few.
    expect(primary).toBeLessThan(p.cells.length * 0.15);
    expect(secondary).toBeLessThan(p.cells.length * 0.1);
    expect(verify(p)).toEqual([]);
    expect(verify(toPublic(p))).toEqual([]);
  });

  it('a rare characteristic by age: many small cells, still nothing derivable', () => {
    const t = table('bijstand-leeftijd', 0.03);
    for (const rules of [{}, { roundTo: 5 }, { k: 10 }]) {
      const p = protect(t, rules);
      expect(verify(p, rules)).toEqual([]);
      // Every primary cell is in the log, every complement says which equation needed it.
      for (const l of p.log) if (l.action === 'secondary') expect(l.detail).toMatch(/^complement/);
    }
  });
});
