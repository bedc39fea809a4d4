import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/publish/auditor.js';
import { protect, type PublishedCell, type PublishedTable } from '../../src/publish/disclosure.js';
import { buurt, countTable, derivationsMatchTruth, hierarchy, key } from './helpers.js';

/** The published table with exactly `hidden` suppressed (keys as in helpers.key). */
function release(t: ReturnType<typeof countTable>, hidden: string[]): PublishedTable {
  const out: PublishedTable = {
    id: t.id,
    measure: t.measure,
    areas: t.areas,
    cells: t.cells.map((c): PublishedCell => {
      const base = {
        area: c.area,
        period: c.period,
        ...(c.category === undefined ? {} : { category: c.category }),
      };
      return hidden.includes(key(c))
        ? { ...base, status: 'suppressed', value: null, count: null }
        : { ...base, status: 'published', value: c.value, count: c.count };
    }),
  };
  if (t.categories) out.categories = t.categories;
  return out;
}

describe('verify: combined equations', () => {
  // Two rectangles of hidden cells joined by one more: every equation has 0 or ≥ 2 hidden cells,
  // yet rows b1 + b2 − columns c1 − c2 leave exactly the joining cell.
  const categories = { total: 'T', members: ['c1', 'c2', 'c3', 'c4'] };
  const t = countTable({ id: 'bridge', areas: hierarchy([4, 2]), categories }, (b, c) =>
    b === buurt(1, 1) && c === 'c3' ? 3 : 20,
  );
  const cell = (b: number, c: string): string => key({ area: buurt(1, b), category: c, period: '2024' });
  const hidden = [
    cell(1, 'c1'),
    cell(1, 'c2'),
    cell(2, 'c1'),
    cell(2, 'c2'),
    cell(3, 'c3'),
    cell(3, 'c4'),
    cell(4, 'c3'),
    cell(4, 'c4'),
    cell(1, 'c3'),
  ];

  it('single differencing finds nothing', () => {
    expect(verify(release(t, hidden), { combinedEquations: false })).toEqual([]);
  });

  it('exact elimination finds the joining cell, with the combination', () => {
    const findings = verify(release(t, hidden));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      kind: 'derivable',
      severity: 'error',
      rule: 'below_k',
      method: 'combination',
      cell: { area: buurt(1, 1), category: 'c3' },
      derived: { low: 3, high: 3 },
    });
    expect(findings[0]?.detail).toMatch(/^combining 4 equations .* gives BU04000101 c3 2024 = 3$/);
    expect(derivationsMatchTruth(findings, t)).toEqual([]);
  });
});

describe('protect guards against combined equations', () => {
  // Found by a search over small random tables: with single differencing alone, protect leaves a
  // pattern from which four equations together give BU04000201 c2 = 2.
  // prettier-ignore
  const leaves: Record<string, number> = {
    'BU04000101|c1': 1, 'BU04000102|c1': 2, 'BU04000103|c1': 0, 'BU04000104|c1': 0,
    'BU04000201|c1': 0, 'BU04000202|c1': 0, 'BU04000203|c1': 2, 'BU04000204|c1': 3,
    'BU04000101|c2': 12, 'BU04000102|c2': 4, 'BU04000103|c2': 0, 'BU04000104|c2': 3,
    'BU04000201|c2': 2, 'BU04000202|c2': 0, 'BU04000203|c2': 8, 'BU04000204|c2': 15,
    'BU04000101|c3': 4, 'BU04000102|c3': 0, 'BU04000103|c3': 12, 'BU04000104|c3': 16,
    'BU04000201|c3': 3, 'BU04000202|c3': 3, 'BU04000203|c3': 27, 'BU04000204|c3': 0,
  };
  const t = countTable(
    { id: 'small', areas: hierarchy([4, 4]), categories: { total: 'T', members: ['c1', 'c2', 'c3'] } },
    (b, c) => leaves[`${b}|${c}`] as number,
  );

  it('single differencing only: the auditor finds the combination', () => {
    const p = protect(t, { combinedEquations: false });
    expect(verify(p, { combinedEquations: false })).toEqual([]);
    const findings = verify(p);
    expect(findings.map((f) => f.detail)).toEqual([
      'combining 4 equations −1·[WK040002 = Σ buurten (T, 2024)] +1·[WK040002 = Σ buurten (c3, 2024)] ' +
        '−1·[T = Σ categories (BU04000201, 2024)] −1·[T = Σ categories (BU04000202, 2024)] gives BU04000201 c2 2024 = 2',
    ]);
    expect(derivationsMatchTruth(findings, t)).toEqual([]);
  });

  it('by default protect suppresses more until no combination works', () => {
    const p = protect(t);
    expect(p.log.some((l) => l.detail.includes('could be computed by combining the equations'))).toBe(true);
    expect(verify(p)).toEqual([]);
  });
});

describe('verify: reading the published table', () => {
  const t = countTable({ id: 'x', areas: hierarchy([3, 2]) }, (b) => (b === buurt(1, 1) ? 0 : 20));
  const base = release(t, []);
  const edit = (area: string, change: Partial<PublishedCell>): PublishedTable => ({
    ...base,
    cells: base.cells.map((c) => (c.area === area ? { ...c, ...change } : c)),
  });

  it('accepts a clean release and reports a published small count', () => {
    expect(verify(base)).toEqual([]);
    expect(verify(edit(buurt(1, 2), { value: 3, count: 3 }))).toContainEqual(
      expect.objectContaining({
        kind: 'published_sensitive',
        rule: 'below_k',
        detail: 'BU04000102 2024 is published with 3 units, below k = 5',
      }),
    );
  });

  it('derives hidden cells as 0 when the hidden parts of a known total hold nothing', () => {
    const t0 = countTable({ id: 'x', areas: hierarchy([3, 2]) }, (b) =>
      b === buurt(1, 3) ? 20 : b.startsWith('BU040001') ? 0 : 20,
    );
    const findings = verify(
      release(t0, [key({ area: buurt(1, 1), period: '2024' }), key({ area: buurt(1, 2), period: '2024' })]),
    );
    expect(findings.map((f) => [f.cell.area, f.method, f.severity, f.derived])).toEqual([
      [buurt(1, 1), 'nonnegative', 'warning', { low: 0, high: 0 }],
      [buurt(1, 2), 'nonnegative', 'warning', { low: 0, high: 0 }],
    ]);
  });

  it('explains a parent derived from its parts', () => {
    const findings = verify(
      release(
        t,
        ['WK040002', 'GM0400'].map((area) => key({ area, period: '2024' })),
      ),
    );
    expect(findings.map((f) => [f.severity, f.detail])).toEqual([
      [
        'warning',
        'WK040002 2024 = Σ published buurten 20+20 = 40 (recoverable, though not itself sensitive)',
      ],
      ['warning', 'GM0400 2024 = Σ known wijken 40+40 = 80 (recoverable, though not itself sensitive)'],
    ]);
  });

  it('reports what contradicts itself', () => {
    const kinds = (p: PublishedTable): string[] => verify(p).map((f) => `${f.kind}: ${f.detail}`);
    expect(kinds(edit(buurt(1, 2), { value: null }))).toContain(
      'inconsistent: BU04000102 2024: published without a value (use status missing)',
    );
    expect(kinds(edit(buurt(1, 2), { status: 'missing' }))).toContain(
      'inconsistent: BU04000102 2024: missing cell carries value 20 / count 20',
    );
    expect(
      kinds({
        ...base,
        cells: [...base.cells, { area: 'BU9', period: '2024', status: 'published', value: 9, count: 9 }],
      }),
    ).toContain("inconsistent: BU9 2024: area BU9 is not among the table's areas");
    expect(kinds({ ...base, cells: [...base.cells, base.cells[0] as PublishedCell] })).toContain(
      'inconsistent: GM0400 2024: appears more than once',
    );
    expect(kinds({ ...base, roundedTo: 5, cells: base.cells.map((c) => ({ ...c })) })).toEqual([]);
    expect(kinds({ ...edit(buurt(1, 2), { value: 21, count: 21 }), roundedTo: 5 })).toContain(
      'inconsistent: BU04000102 2024: count 21 is not a multiple of the rounding base 5',
    );
    const unbalanced = edit(buurt(1, 2), { status: 'suppressed', value: null, count: null });
    unbalanced.cells = unbalanced.cells.map((c) =>
      c.area === 'WK040001' ? { ...c, value: 10, count: 10 } : c,
    );
    expect(kinds(unbalanced)).toContain(
      'inconsistent: WK040001 = Σ buurten (2024) does not add up: WK040001 2024: 10 − published buurten 0+20 = -10 is negative',
    );
  });
});

describe('the auditor is independent of the suppression code', () => {
  it('imports nothing but types from disclosure.ts', () => {
    const source = readFileSync(new URL('../../src/publish/auditor.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)].map((m) => [
      m[1] ?? '',
      m[2],
    ]);
    expect(imports).toEqual([['type ', './disclosure.js']]);
  });
});
