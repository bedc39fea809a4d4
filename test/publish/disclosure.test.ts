import { describe, expect, it } from 'vitest';
import { verify } from '../../src/publish/auditor.js';
import { protect, toPublic, type ProtectedTable, type StatTable } from '../../src/publish/disclosure.js';
import { PublishError } from '../../src/publish/errors.js';
import {
  buurt,
  countTable,
  derivationsMatchTruth,
  GM,
  hierarchy,
  key,
  primaryOnly,
  ratioTable,
  sumTable,
  wijk,
} from './helpers.js';

const statusOf = (p: ProtectedTable): Map<string, string> =>
  new Map(p.cells.map((c) => [key(c), c.reason ?? c.status]));
const suppressed = (p: ProtectedTable): string[] =>
  p.cells
    .filter((c) => c.status === 'suppressed')
    .map((c) => key(c))
    .sort();

describe('protect: one buurt below k', () => {
  // WK040001 = 3 + 40 + 20; WK040002 = 20 + 20.
  const counts: Record<string, number> = { [buurt(1, 1)]: 3, [buurt(1, 2)]: 40, [buurt(1, 3)]: 20 };
  const table = countTable({ id: 'inwoners', areas: hierarchy([3, 2]) }, (b) => counts[b] ?? 20);

  it('the naive release exposes the hidden buurt by differencing, and the auditor says how', () => {
    const findings = verify(primaryOnly(table));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      table: 'inwoners',
      kind: 'derivable',
      severity: 'error',
      rule: 'below_k',
      cell: { area: buurt(1, 1), period: '2024' },
      derived: { low: 3, high: 3 },
      detail: 'WK040001 2024: 63 − published buurten 40+20 = 3',
    });
    expect(derivationsMatchTruth(findings, table)).toEqual([]);
  });

  it('suppresses the smallest other buurt as complement, and the auditor finds nothing', () => {
    const p = protect(table);
    expect(suppressed(p)).toEqual([
      key({ area: buurt(1, 1), period: '2024' }),
      key({ area: buurt(1, 3), period: '2024' }),
    ]);
    expect(statusOf(p).get(key({ area: buurt(1, 3), period: '2024' }))).toBe('secondary');
    expect(p.log).toEqual([
      {
        cell: { area: buurt(1, 1), period: '2024' },
        action: 'primary',
        reason: 'below_k',
        detail: '3 units, below k = 5',
      },
      {
        cell: { area: buurt(1, 3), period: '2024' },
        action: 'secondary',
        reason: 'secondary',
        equation: 'WK040001 = Σ buurten (2024)',
        detail: 'complement for WK040001 = Σ buurten (2024): BU04000101 2024 was its only hidden cell',
      },
    ]);
    expect(verify(p)).toEqual([]);
    expect(verify(toPublic(p))).toEqual([]);
  });

  it('shows suppressed cells as null with the marker, never as 0', () => {
    const p = protect(table);
    for (const c of p.cells.filter((c) => c.status === 'suppressed')) {
      expect(c.value).toBeNull();
      expect(c.count).toBeNull();
    }
    const zeroed = toPublic(p);
    zeroed.cells = zeroed.cells.map((c) => (c.status === 'suppressed' ? { ...c, value: 0 } : c));
    const findings = verify(zeroed);
    expect(findings.map((f) => f.kind)).toEqual(['suppressed_not_marked', 'suppressed_not_marked']);
    expect(findings[0]?.detail).toBe(
      'BU04000101 2024 is suppressed but shows value 0 instead of only the marker',
    );
  });
});

describe('protect: two hidden buurten that together are still a small group', () => {
  const counts: Record<string, number> = {
    [buurt(1, 1)]: 1,
    [buurt(1, 2)]: 2,
    [buurt(1, 3)]: 30,
    [buurt(1, 4)]: 9,
  };
  const table = countTable({ id: 'bijstand', areas: hierarchy([4, 2]) }, (b) => counts[b] ?? 25);

  it('the auditor reports the group (no single buurt is derivable)', () => {
    const findings = verify(primaryOnly(table));
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'group_below_k',
        severity: 'error',
        cell: { area: wijk(1), period: '2024' },
        derived: { low: 3, high: 3 },
        detail:
          'WK040001 2024: 42 − known buurten 30+9 = 3 held by the hidden BU04000101 2024, BU04000102 2024 together (below k = 5)',
      }),
    ]);
  });

  it('protect adds a complement so that the hidden buurten hold at least k units', () => {
    const p = protect(table);
    expect(suppressed(p)).toEqual(
      [buurt(1, 1), buurt(1, 2), buurt(1, 4)].map((area) => key({ area, period: '2024' })),
    );
    expect(p.log[2]?.detail).toBe(
      'complement for WK040001 = Σ buurten (2024): its hidden parts BU04000101 2024, BU04000102 2024 together hold 3 units, below k = 5',
    );
    expect(verify(p)).toEqual([]);
  });
});

describe('protect: a complement in one dimension creates a singleton in the other', () => {
  // Ages within buurten (category equations) × buurten within the wijk (area equations).
  const categories = { total: 'totaal', members: ['0-14', '15-64', '65+'] };
  const leaf: Record<string, number> = {
    [`${buurt(1, 1)}|65+`]: 2,
    [`${buurt(1, 2)}|65+`]: 6,
    [`${buurt(1, 3)}|65+`]: 30,
    [`${buurt(1, 1)}|0-14`]: 7,
    [`${buurt(1, 2)}|0-14`]: 8,
  };
  const table = countTable(
    { id: 'leeftijd', areas: hierarchy([3, 2]), categories },
    (b, c) => leaf[`${b}|${c}`] ?? 40,
  );

  it('iterates to a fixed point: the four cells of a rectangle', () => {
    const p = protect(table);
    expect(suppressed(p)).toEqual(
      [
        { area: buurt(1, 1), category: '0-14', period: '2024' },
        { area: buurt(1, 1), category: '65+', period: '2024' },
        { area: buurt(1, 2), category: '0-14', period: '2024' },
        { area: buurt(1, 2), category: '65+', period: '2024' },
      ]
        .map(key)
        .sort(),
    );
    // The 65+ complement in the area equation left BU04000102 with one hidden age group,
    // which the category equation of BU04000102 then had to resolve.
    const equations = p.log.map((l) => l.equation);
    expect(equations).toEqual([
      undefined,
      'WK040001 = Σ buurten (65+, 2024)',
      'totaal = Σ categories (BU04000101, 2024)',
      'totaal = Σ categories (BU04000102, 2024)',
    ]);
    expect(verify(p)).toEqual([]);
    const naive = verify(primaryOnly(table));
    expect(naive.filter((f) => f.severity === 'error').map((f) => key(f.cell))).toContain(
      key({ area: buurt(1, 1), category: '65+', period: '2024' }),
    );
    expect(derivationsMatchTruth(naive, table)).toEqual([]);
  });
});

describe('protect: a suppressed parent', () => {
  // WK040002 = 4 + 0 is itself below k; its one non-zero buurt too.
  const counts: Record<string, number> = {
    [buurt(1, 1)]: 20,
    [buurt(1, 2)]: 30,
    [buurt(2, 1)]: 4,
    [buurt(2, 2)]: 0,
    [buurt(3, 1)]: 25,
    [buurt(3, 2)]: 35,
  };
  const table = countTable({ id: 'woz', areas: hierarchy([2, 2, 2]) }, (b) => counts[b] as number);

  it('the naive release gives the wijk away through the gemeente, then the buurt through the wijk', () => {
    const findings = verify(primaryOnly(table));
    expect(findings.map((f) => [f.cell.area, f.severity, f.detail])).toEqual([
      [wijk(2), 'error', 'GM0400 2024: 114 − published wijken 50+60 = 4'],
      [buurt(2, 1), 'error', 'WK040002 2024: 4 − published buurten 0 = 4'],
    ]);
  });

  it('parent and one child hidden is not enough when the parent is alone in its own parent equation', () => {
    const p = protect(table);
    const s = statusOf(p);
    expect(s.get(key({ area: wijk(2), period: '2024' }))).toBe('below_k');
    expect(s.get(key({ area: buurt(2, 1), period: '2024' }))).toBe('below_k');
    expect(s.get(key({ area: buurt(2, 2), period: '2024' }))).toBe('published');
    // The gemeente equation needs a second wijk, and that wijk's own equation then a buurt.
    expect(s.get(key({ area: wijk(1), period: '2024' }))).toBe('secondary');
    expect(s.get(key({ area: buurt(1, 1), period: '2024' }))).toBe('secondary');
    expect(s.get(key({ area: GM, period: '2024' }))).toBe('published');
    expect(suppressed(p)).toHaveLength(4);
    expect(verify(p)).toEqual([]);
  });
});

describe('protect: ratios with small denominators', () => {
  // Share of residents aged 65+: each unit 1 (65+) or 0.
  const sizes: Record<string, number> = {
    [buurt(1, 1)]: 8,
    [buurt(1, 2)]: 30,
    [buurt(1, 3)]: 12,
    [buurt(2, 1)]: 22,
  };
  const table = ratioTable({ id: 'aandeel-65plus', areas: hierarchy([3, 2]) }, (b) =>
    Array.from({ length: sizes[b] ?? 40 }, (_, i) => (i % 3 === 0 ? 1 : 0)),
  );

  it('suppresses a denominator below 10 (count 8 is above k) and a complement', () => {
    const p = protect(table);
    const s = statusOf(p);
    expect(s.get(key({ area: buurt(1, 1), period: '2024' }))).toBe('small_denominator');
    expect(s.get(key({ area: buurt(1, 3), period: '2024' }))).toBe('secondary');
    expect(p.log[0]?.detail).toBe('denominator 8 is below the minimum 10');
    const published = p.cells.find((c) => c.area === buurt(1, 2));
    expect(published).toMatchObject({ status: 'published', count: 30, denominator: 30 });
    expect(published?.value).toBeCloseTo(10 / 30);
    expect(p.cells.find((c) => c.area === buurt(1, 1))).toMatchObject({
      value: null,
      count: null,
      denominator: null,
    });
    expect(verify(p)).toEqual([]);
  });

  it('takes a per-table minimum and carries it to the auditor', () => {
    const p = protect({ ...table, minDenominator: 25 });
    expect(p.minDenominator).toBe(25);
    const s = statusOf(p);
    for (const b of [buurt(1, 1), buurt(1, 3), buurt(2, 1)])
      expect(s.get(key({ area: b, period: '2024' }))).toBe('small_denominator');
    expect(verify(p)).toEqual([]);
    // The same release checked against a table without its override would pass too; the auditor
    // flags a published denominator under the table's own minimum.
    const loose = toPublic(protect(table));
    expect(verify({ ...loose, minDenominator: 25 }).map((f) => [f.kind, f.rule, f.cell.area])).toEqual([
      ['published_sensitive', 'small_denominator', buurt(2, 1)],
      // BU04000101 and BU04000103, hidden together, have denominator 8 + 12 = 20.
      ['group_below_k', 'small_denominator', wijk(1)],
    ]);
  });

  it('the auditor derives a hidden denominator from the published ones', () => {
    const findings = verify(primaryOnly(table));
    expect(findings.find((f) => f.quantity === 'denominator')).toMatchObject({
      kind: 'derivable',
      severity: 'error',
      rule: 'small_denominator',
      cell: { area: buurt(1, 1) },
      detail: 'denominator: WK040001 2024: 50 − published buurten 30+12 = 8',
    });
    expect(derivationsMatchTruth(findings, table)).toEqual([]);
  });
});

describe('protect: dominance in sums', () => {
  // Turnover of the businesses in each buurt.
  const units: Record<string, number[]> = {
    [buurt(1, 1)]: [900, 40, 30, 20, 10], // one business holds 90%
    [buurt(1, 2)]: [500, 460, 10, 5, 5], // two hold 98%
    [buurt(1, 3)]: [10, 10, 10, 10, 10], // few units, small: the cheapest complement, but too small
    [buurt(1, 4)]: [200, 150, 100, 100, 100, 50],
  };
  const table = sumTable(
    { id: 'omzet', areas: hierarchy([4, 2]) },
    (b) => units[b] ?? [100, 90, 80, 70, 60, 50],
  );

  it('applies (1, 85%) and (2, 95%)', () => {
    const p = protect(table);
    expect(p.log.slice(0, 2)).toEqual([
      expect.objectContaining({
        cell: { area: buurt(1, 1), period: '2024' },
        reason: 'dominance',
        detail: 'the largest contribution is 90% of the total (rule n=1, p=0.85)',
      }),
      expect.objectContaining({
        cell: { area: buurt(1, 2), period: '2024' },
        reason: 'dominance',
        detail: 'the largest 2 contributions are 98% of the total (rule n=2, p=0.95)',
      }),
    ]);
    expect(verify(p)).toEqual([]);
  });

  it('picks a complement large enough that the hidden buurten together are not dominated', () => {
    const only = sumTable({ id: 'omzet', areas: hierarchy([4, 2]) }, (b) =>
      b === buurt(1, 2) ? [300, 250, 200, 150, 100, 50, 50] : (units[b] ?? [100, 90, 80, 70, 60, 50]),
    );
    const p = protect(only);
    const s = statusOf(p);
    expect(s.get(key({ area: buurt(1, 1), period: '2024' }))).toBe('dominance');
    // BU04000103 has the fewest units, but 900 would still be 85.7% of 1000 + 50; BU04000104 has
    // fewer units than BU04000102 and dilutes enough.
    expect(s.get(key({ area: buurt(1, 3), period: '2024' }))).toBe('published');
    expect(s.get(key({ area: buurt(1, 4), period: '2024' }))).toBe('secondary');
    expect(verify(p)).toEqual([]);
  });

  it('the auditor recovers a dominated sum from a naive release', () => {
    const only = sumTable({ id: 'omzet', areas: hierarchy([4, 2]) }, (b) =>
      b === buurt(1, 2) ? [300, 250, 200, 150, 100, 50, 50] : (units[b] ?? [100, 90, 80, 70, 60, 50]),
    );
    const findings = verify(primaryOnly(only));
    const value = findings.filter((f) => f.quantity === 'value');
    expect(value.length).toBeGreaterThan(0);
    expect(value.every((f) => f.rule === 'primary')).toBe(true);
    expect(derivationsMatchTruth(findings, only)).toEqual([]);
  });
});

describe('protect: rounding', () => {
  const counts: Record<string, number> = { [buurt(1, 1)]: 3, [buurt(1, 2)]: 41, [buurt(1, 3)]: 22 };
  const table = countTable({ id: 'inwoners', areas: hierarchy([3, 2]) }, (b) => counts[b] ?? 18);

  it('rounds published counts after suppression and declares it', () => {
    const p = protect(table, { roundTo: 5 });
    expect(p.roundedTo).toBe(5);
    for (const c of p.cells) {
      if (c.status === 'published') {
        expect((c.count as number) % 5).toBe(0);
        expect(c.value).toBe(c.count);
      } else expect(c.value).toBeNull();
    }
    // Suppression was decided on the exact numbers: the same cells as without rounding.
    expect(suppressed(p)).toEqual(suppressed(protect(table)));
    expect(p.cells.find((c) => c.area === buurt(1, 2))?.count).toBe(40);
    expect(verify(p, { roundTo: 5 })).toEqual([]);
    expect(verify(p)).toEqual([]);
  });

  it('the auditor reads rounded numbers as intervals', () => {
    // Naive release rounded to 5: the hidden buurt is only narrowed to 0..11 (truth 3).
    const naive = primaryOnly(table);
    const rounded = {
      ...naive,
      roundedTo: 5,
      cells: naive.cells.map((c) =>
        c.count === null
          ? c
          : { ...c, count: Math.round(c.count / 5) * 5, value: Math.round(c.count / 5) * 5 },
      ),
    };
    const findings = verify(rounded);
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'derivable',
        severity: 'warning',
        derived: { low: 0, high: 11 },
        detail: 'WK040001 2024: 63..67 − published buurten 38..42+18..22 = 0..11 (narrowed, not disclosed)',
      }),
    ]);
    expect(derivationsMatchTruth(findings, table)).toEqual([]);
  });

  it('a small rounding base can still disclose', () => {
    const t = countTable({ id: 'x', areas: hierarchy([2, 2]) }, (b) => (b === buurt(1, 1) ? 5 : 40));
    const naive = primaryOnly(t, { k: 10 });
    const rounded = {
      ...naive,
      roundedTo: 2,
      cells: naive.cells.map((c) =>
        c.count === null
          ? c
          : { ...c, count: Math.round(c.count / 2) * 2, value: Math.round(c.count / 2) * 2 },
      ),
    };
    // WK040001 = 45 → 46 stands for 45..46; BU04000102 = 40 stands for 39..40: the hidden buurt is 5..7.
    expect(verify(rounded, { k: 10, roundTo: 2 })).toEqual([
      expect.objectContaining({ severity: 'error', rule: 'below_k', derived: { low: 5, high: 7 } }),
    ]);
  });

  it('the auditor notices a table that should have been rounded', () => {
    const findings = verify(protect(table), { roundTo: 5 });
    expect(findings[0]).toMatchObject({ kind: 'inconsistent', severity: 'error' });
  });
});

describe('protect: missing is not suppressed', () => {
  // Mean income; BU04000103 has no households: the mean is not applicable there.
  const units: Record<string, number[]> = {
    [buurt(1, 1)]: [30, 31, 32],
    [buurt(1, 3)]: [],
  };
  const table = sumTable(
    { id: 'inkomen', areas: hierarchy([3, 2]) },
    (b) => units[b] ?? [20, 25, 30, 35, 40, 45, 50],
    'mean',
  );

  it('keeps missing cells missing, with neither a number nor a suppression reason', () => {
    const p = protect(table);
    const missing = p.cells.find((c) => c.area === buurt(1, 3));
    expect(missing).toEqual({
      area: buurt(1, 3),
      period: '2024',
      status: 'missing',
      value: null,
      count: null,
    });
    const hidden = p.cells.find((c) => c.area === buurt(1, 1));
    expect(hidden).toMatchObject({ status: 'suppressed', reason: 'below_k', value: null, count: null });
    // A missing buurt hides nothing: the complement has to be the other real buurt.
    expect(statusOf(p).get(key({ area: buurt(1, 2), period: '2024' }))).toBe('secondary');
    expect(verify(p)).toEqual([]);
  });

  it('the auditor counts a missing cell as known (empty), not as a second unknown', () => {
    const findings = verify(primaryOnly(table));
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'derivable',
        severity: 'error',
        cell: { area: buurt(1, 1), period: '2024' },
        detail: 'WK040001 2024: 10 − published buurten 7 = 3',
      }),
    ]);
  });
});

describe('protect: rules', () => {
  const table = countTable({ id: 'x', areas: hierarchy([3, 2]) }, (b) => (b === buurt(1, 1) ? 0 : 20));

  it('publishes zeros by default and suppresses them with zeroIsSafe: false', () => {
    expect(suppressed(protect(table))).toEqual([]);
    const p = protect(table, { zeroIsSafe: false });
    expect(p.log[0]).toMatchObject({ reason: 'below_k', detail: '0 units and zeroIsSafe is false' });
    expect(suppressed(p)).toHaveLength(2);
    expect(verify(p, { zeroIsSafe: false })).toEqual([]);
    expect(verify(toPublic(protect(table)), { zeroIsSafe: false })[0]).toMatchObject({
      kind: 'published_sensitive',
      rule: 'below_k',
    });
  });

  it('is deterministic and does not depend on the order of the cells', () => {
    const t = countTable(
      { id: 'x', areas: hierarchy([4, 3, 5]), categories: { total: 'T', members: ['a', 'b', 'c'] } },
      (b, c) => (b.charCodeAt(9) * 7 + (c ?? 'a').charCodeAt(0) * 3) % 11,
    );
    const a = protect(t);
    const b = protect({ ...t, cells: [...t.cells].reverse() });
    expect(b.log).toEqual(a.log);
    expect(statusOf(b)).toEqual(statusOf(a));
    expect(protect(t)).toEqual(a);
  });

  it('toPublic drops the reasons, the rules and the log', () => {
    const p = toPublic(protect(table, { zeroIsSafe: false }));
    expect(Object.keys(p).sort()).toEqual(['areas', 'cells', 'id', 'measure']);
    expect(p.cells.every((c) => !('reason' in c))).toBe(true);
  });
});

describe('protect: tables that skip a level', () => {
  const counts: Record<string, number> = { [buurt(1, 1)]: 3, [buurt(1, 2)]: 40, [buurt(2, 1)]: 22 };
  const full = countTable({ id: 'x', areas: hierarchy([2, 2]) }, (b) => counts[b] ?? 30);
  const withoutWijken = { ...full, cells: full.cells.filter((c) => !c.area.startsWith('WK')) };

  it('without wijk cells the gemeente is the sum of the buurten', () => {
    const findings = verify(primaryOnly(withoutWijken));
    expect(findings.map((f) => f.detail)).toEqual(['GM0400 2024: 95 − published buurten 40+22+30 = 3']);
    const p = protect(withoutWijken);
    expect(p.log[1]?.equation).toBe('GM0400 = Σ buurten (2024)');
    expect(suppressed(p)).toEqual([buurt(1, 1), buurt(2, 1)].map((area) => key({ area, period: '2024' })));
    expect(verify(p)).toEqual([]);
  });

  it('a table at wijk level has no buurt equations', () => {
    const wijken = countTable({ id: 'x', areas: hierarchy([2, 2]) }, (b) =>
      b.startsWith('BU040001') ? 2 : 30,
    );
    const t = { ...wijken, cells: wijken.cells.filter((c) => !c.area.startsWith('BU')) };
    const p = protect(t);
    expect(suppressed(p)).toEqual([wijk(1), wijk(2)].map((area) => key({ area, period: '2024' })));
    expect(verify(p)).toEqual([]);
  });

  it('refuses a sensitive total whose parts are all missing: its value follows from the structure', () => {
    const t = countTable({ id: 'x', areas: hierarchy([2, 2]) }, (b) => (b.startsWith('BU040001') ? 0 : 30));
    const emptied = {
      ...t,
      cells: t.cells.map((c) => (c.area.startsWith('BU040001') ? { ...c, value: null } : c)),
    };
    expect(() => protect(emptied, { zeroIsSafe: false })).toThrow(
      /cell WK040001 2024 is sensitive \(below_k\) but follows from the table's structure/,
    );
  });
});

describe('protect: input errors name the table, the cell and the fix', () => {
  const base = countTable({ id: 'x', areas: hierarchy([2, 2]) }, () => 10);
  const attempt = (t: StatTable, rules = {}): PublishError => {
    try {
      protect(t, rules);
    } catch (e) {
      if (e instanceof PublishError) return e;
      throw e;
    }
    throw new Error('expected a PublishError');
  };

  it.each([
    [
      'an unknown area',
      { ...base, cells: [...base.cells, { area: 'BU99', period: '2024', value: 1, count: 1 }] },
      'table "x": cell BU99 2024: area BU99 is not among the table\'s areas',
    ],
    [
      'a duplicate cell',
      { ...base, cells: [...base.cells, base.cells[0] as StatTable['cells'][number]] },
      'table "x": cell GM0400 2024: appears twice',
    ],
    [
      'a missing value with units',
      { ...base, cells: base.cells.map((c, i) => (i === 2 ? { ...c, value: null } : c)) },
      'table "x": cell BU04000101 2024: value is null (missing) but count is 10',
    ],
    [
      'a count table whose value is not its count',
      { ...base, cells: base.cells.map((c, i) => (i === 2 ? { ...c, value: 11 } : c)) },
      'table "x": cell BU04000101 2024: value 11 differs from count 10',
    ],
    [
      'a sum without contributions',
      { ...base, measure: 'sum' as const },
      'table "x": cell GM0400 2024: the dominance rule needs the largest 2 contributions, got 0',
    ],
    [
      'a ratio without denominator',
      { ...base, measure: 'ratio' as const },
      'table "x": cell GM0400 2024: ratio needs a denominator > 0, got undefined',
    ],
    [
      'a buurt hung under the gemeente',
      { ...base, areas: base.areas.map((a) => (a.code === buurt(1, 1) ? { ...a, parent: GM } : a)) },
      'table "x": buurt BU04000101 needs a wijk as parent, got GM0400',
    ],
    [
      'a category on a table without categories',
      { ...base, cells: base.cells.map((c, i) => (i === 2 ? { ...c, category: 'a' } : c)) },
      'table "x": cell BU04000101 a 2024: category "a", but the table declares no categories',
    ],
  ])('%s', (_, t, message) => {
    const e = attempt(t as StatTable);
    expect(e.message).toBe(message);
    expect(e.fix.length).toBeGreaterThan(0);
  });

  it('bad rules', () => {
    expect(attempt(base, { k: 0 }).message).toBe('disclosure rules: k must be a whole number ≥ 1, got 0');
    expect(attempt(base, { dominance: [{ n: 1, p: 1.5 }] }).message).toMatch(/dominance rule \(n=1, p=1.5\)/);
    expect(attempt(base, { roundTo: 2.5 }).message).toMatch(/roundTo must be a whole number/);
  });
});
