/**
 * Property-based tests: random municipalities (1 gemeente, 2–8 wijken of 1–10 buurten), random
 * categories (none, or 2–5 members and a total), one or two periods, and counts with many small
 * values. Parents and totals are exact sums. The auditor, written apart from `protect`, must find
 * nothing in what `protect` releases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/publish/auditor.js';
import {
  protect,
  type DisclosureRules,
  type ProtectedTable,
  type StatTable,
} from '../../src/publish/disclosure.js';
import {
  countTable,
  derivationsMatchTruth,
  hierarchy,
  key,
  primaryOnly,
  ratioTable,
  sumTable,
} from './helpers.js';

const RUNS = { numRuns: 100 };

/** Mostly small: 30 % zeros, 40 % 1–4, 30 % 5–30. */
const skewed = fc.oneof(
  { arbitrary: fc.constant(0), weight: 3 },
  { arbitrary: fc.integer({ min: 1, max: 4 }), weight: 4 },
  { arbitrary: fc.integer({ min: 5, max: 30 }), weight: 3 },
);

const shape = fc.record({
  buurten: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 2, maxLength: 8 }),
  members: fc.oneof(fc.constant(0), fc.integer({ min: 2, max: 5 })),
  periods: fc.integer({ min: 1, max: 2 }),
  leaves: fc.array(skewed, { minLength: 101, maxLength: 101 }),
  /** Amounts for sum and mean tables: now and then one that dominates. */
  amounts: fc.array(
    fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 50 }), weight: 15 },
      { arbitrary: fc.integer({ min: 300, max: 3000 }), weight: 1 },
    ),
    { minLength: 37, maxLength: 37 },
  ),
});
type Shape = typeof shape extends fc.Arbitrary<infer T> ? T : never;

function spec(s: Shape, id: string) {
  const categories =
    s.members === 0
      ? undefined
      : { total: 'totaal', members: Array.from({ length: s.members }, (_, i) => `g${i + 1}`) };
  return {
    id,
    areas: hierarchy(s.buurten),
    periods: ['2023', '2024'].slice(0, s.periods),
    ...(categories ? { categories } : {}),
  };
}

/** The leaf values in order, reused cyclically (101 and 37 are prime: the cycles do not line up). */
function cycle(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] as number;
}

const counts = (s: Shape): StatTable => countTable(spec(s, 'aantallen'), cycle(s.leaves));

function units(s: Shape): () => number[] {
  const n = cycle(s.leaves);
  const amount = cycle(s.amounts);
  return () => Array.from({ length: n() }, amount);
}

/** Truth by key, for checks the published table cannot answer. */
const truthOf = (t: StatTable) => new Map(t.cells.map((c) => [key(c), c]));

/** No published cell below k, suppressed cells without numbers, missing exactly where the truth is. */
function basics(t: StatTable, p: ProtectedTable, k: number): void {
  const truth = truthOf(t);
  const wrong: string[] = [];
  for (const c of p.cells) {
    const real = truth.get(key(c));
    if (!real) wrong.push(`${key(c)}: not in the input`);
    else if (c.status === 'suppressed' && (c.value !== null || c.count !== null))
      wrong.push(`${key(c)}: suppressed with a number`);
    else if (c.status === 'published' && (c.value === null || (real.count > 0 && real.count < k)))
      wrong.push(`${key(c)}: published with count ${real.count}`);
    else if ((c.status === 'missing') !== (real.value === null))
      wrong.push(`${key(c)}: missing is ${c.status}`);
  }
  expect(wrong).toEqual([]);
}

describe('properties of protect, checked by the independent auditor', () => {
  it('count tables: the auditor finds nothing, no published cell is below k, suppressed cells are null', () => {
    fc.assert(
      fc.property(shape, (s) => {
        const t = counts(s);
        const p = protect(t);
        expect(verify(p)).toEqual([]);
        basics(t, p, 5);
      }),
      RUNS,
    );
  });

  it('protect is deterministic, whatever the order of the cells', () => {
    fc.assert(
      fc.property(shape, fc.integer({ min: 0, max: 1000 }), (s, rotate) => {
        const t = counts(s);
        const a = protect(t);
        expect(protect(t)).toEqual(a);
        const r = rotate % t.cells.length;
        const shuffled = [...t.cells.slice(r), ...t.cells.slice(0, r)].reverse();
        const b = protect({ ...t, cells: shuffled });
        expect(b.log).toEqual(a.log);
        const statuses = (x: ProtectedTable) => new Map(x.cells.map((c) => [key(c), c.reason ?? c.status]));
        expect(statuses(b)).toEqual(statuses(a));
      }),
      RUNS,
    );
  });

  it('other rules (k, rounding, zeros): the auditor, told the same rules, finds nothing', () => {
    const rules = fc.record({
      k: fc.constantFrom(3, 5, 10),
      zeroIsSafe: fc.boolean(),
      roundTo: fc.constantFrom(undefined, 2, 5, 10),
    });
    fc.assert(
      fc.property(shape, rules, (s, r) => {
        const given: Partial<DisclosureRules> = { k: r.k, zeroIsSafe: r.zeroIsSafe };
        if (r.roundTo !== undefined) given.roundTo = r.roundTo;
        const t = counts(s);
        const p = protect(t, given);
        expect(verify(p, given)).toEqual([]);
        const truth = truthOf(t);
        for (const c of p.cells) {
          if (c.status !== 'published') continue;
          const real = truth.get(key(c))?.count ?? -1;
          expect(real === 0 ? r.zeroIsSafe : real >= r.k).toBe(true);
          if (r.roundTo !== undefined) expect((c.count as number) % r.roundTo).toBe(0);
        }
      }),
      RUNS,
    );
  });

  it('sum and mean tables: the auditor finds nothing, and no published cell is dominated', () => {
    fc.assert(
      fc.property(shape, fc.constantFrom('sum' as const, 'mean' as const), (s, measure) => {
        const t = sumTable(spec(s, 'omzet'), units(s), measure);
        const p = protect(t);
        expect(verify(p)).toEqual([]);
        basics(t, p, 5);
        const truth = truthOf(t);
        for (const c of p.cells) {
          const real = truth.get(key(c));
          if (c.status !== 'published' || !real || real.count === 0) continue;
          const mass = measure === 'sum' ? (real.value as number) : (real.value as number) * real.count;
          const [a = 0, b = 0] = real.contributions ?? [];
          expect(a <= 0.85 * mass && a + b <= 0.95 * mass).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('ratio tables: the auditor finds nothing, and no published denominator is below the minimum', () => {
    fc.assert(
      fc.property(shape, fc.constantFrom(5, 10, 20), fc.boolean(), (s, minimum, perTable) => {
        const share = cycle([1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1]);
        const n = cycle(s.leaves);
        const base = ratioTable(spec(s, 'aandeel'), () => Array.from({ length: n() }, share));
        const t = perTable ? { ...base, minDenominator: minimum } : base;
        const rules = perTable ? {} : { minDenominator: minimum };
        const p = protect(t, rules);
        expect(verify(p, rules)).toEqual([]);
        basics(t, p, 5);
        for (const c of p.cells)
          if (c.status === 'published') expect(c.denominator).toBeGreaterThanOrEqual(minimum);
      }),
      RUNS,
    );
  });

  it('with combinedEquations off, single differencing still finds nothing', () => {
    fc.assert(
      fc.property(shape, (s) => {
        const p = protect(counts(s), { combinedEquations: false });
        expect(verify(p, { combinedEquations: false })).toEqual([]);
      }),
      RUNS,
    );
  });

  it('the auditor on naive releases: every derivation is true, every lone primary cell is caught', () => {
    fc.assert(
      fc.property(shape, (s) => {
        const t = counts(s);
        const naive = primaryOnly(t);
        const findings = verify(naive);
        expect(derivationsMatchTruth(findings, t)).toEqual([]);
        // Independent of the auditor's own equations: a primary cell whose buurt-level siblings (or
        // category siblings) are all published, under a published parent, must be reported.
        const status = new Map(naive.cells.map((c) => [key(c), c.status]));
        const parentOf = new Map(t.areas.map((a) => [a.code, a.parent]));
        const caught = new Set(
          findings.filter((f) => f.kind === 'derivable' && f.severity === 'error').map((f) => key(f.cell)),
        );
        for (const c of naive.cells) {
          if (c.status !== 'suppressed') continue;
          const parent = parentOf.get(c.area);
          if (!parent) continue;
          const siblings = t.areas.filter((a) => a.parent === parent && a.code !== c.area);
          const alone =
            status.get(key({ ...c, area: parent })) === 'published' &&
            siblings.every((a) => status.get(key({ ...c, area: a.code })) !== 'suppressed');
          if (alone) expect(caught.has(key(c))).toBe(true);
        }
      }),
      RUNS,
    );
  });
});
