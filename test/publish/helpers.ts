/**
 * Builders for additive test tables (parents and totals are exact sums of their parts) and the
 * comparisons with the truth that the published tables must not give away.
 */
import type { AuditFinding } from '../../src/publish/auditor.js';
import type {
  AreaNode,
  CategorySet,
  DisclosureRules,
  InputCell,
  PrimaryReason,
  ProtectedCell,
  PublishedTable,
  StatTable,
} from '../../src/publish/disclosure.js';

export const GM = 'GM0400';
const pad = (n: number): string => String(n).padStart(2, '0');
export const wijk = (w: number): string => `WK0400${pad(w)}`;
export const buurt = (w: number, b: number): string => `BU0400${pad(w)}${pad(b)}`;

/** A gemeente with `buurten[w]` buurten in wijk w + 1. */
export function hierarchy(buurten: number[]): AreaNode[] {
  const areas: AreaNode[] = [{ code: GM, level: 'gemeente', parent: null }];
  buurten.forEach((n, i) => {
    areas.push({ code: wijk(i + 1), level: 'wijk', parent: GM });
    for (let b = 1; b <= n; b++) areas.push({ code: buurt(i + 1, b), level: 'buurt', parent: wijk(i + 1) });
  });
  return areas;
}

/** The units of one leaf cell (buurt × category member × period): their contributions. */
type Leaf = (buurt: string, category: string | undefined, period: string) => number[];

interface Spec {
  id: string;
  areas: AreaNode[];
  categories?: CategorySet;
  periods?: string[];
}

/** What a cell needs to know of the units below it: how many, their sum, the largest three. */
interface Units {
  count: number;
  sum: number;
  top: number[];
}

const summary = (units: number[]): Units => ({
  count: units.length,
  sum: units.reduce((s, x) => s + x, 0),
  top: [...units].sort((a, b) => b - a).slice(0, 3),
});

const merge = (list: Units[]): Units => ({
  count: list.reduce((s, u) => s + u.count, 0),
  sum: list.reduce((s, u) => s + u.sum, 0),
  top: list
    .flatMap((u) => u.top)
    .sort((a, b) => b - a)
    .slice(0, 3),
});

type Ref = Omit<InputCell, 'value' | 'count'>;

/** Every area × category × period, each with the units below it (parents and totals are exact sums). */
function aggregate(spec: Spec, leaf: Leaf): { ref: Ref; units: Units }[] {
  const periods = spec.periods ?? ['2024'];
  const kids = new Map<string, string[]>();
  for (const a of spec.areas) if (a.parent) kids.set(a.parent, [...(kids.get(a.parent) ?? []), a.code]);
  const members: (string | undefined)[] = spec.categories ? spec.categories.members : [undefined];
  const out: { ref: Ref; units: Units }[] = [];
  const memo = new Map<string, Units>();
  for (const period of periods) {
    const unitsOf = (area: string, cat: string | undefined): Units => {
      const k = `${area}|${cat ?? ''}|${period}`;
      let units = memo.get(k);
      if (!units) {
        const children = kids.get(area);
        units = children ? merge(children.map((c) => unitsOf(c, cat))) : summary(leaf(area, cat, period));
        memo.set(k, units);
      }
      return units;
    };
    for (const a of spec.areas) {
      const perMember = members.map((m) => unitsOf(a.code, m));
      members.forEach((m, i) => {
        const ref: Ref = { area: a.code, period };
        if (m !== undefined) ref.category = m;
        out.push({ ref, units: perMember[i] as Units });
      });
      if (spec.categories)
        out.push({ ref: { area: a.code, category: spec.categories.total, period }, units: merge(perMember) });
    }
  }
  return out;
}

/** A count table whose leaves hold `leaf(...)` units. */
export function countTable(
  spec: Spec,
  leaf: (buurt: string, category: string | undefined, period: string) => number,
): StatTable {
  const cells = aggregate(spec, (b, c, p) => new Array<number>(leaf(b, c, p)).fill(1)).map(
    ({ ref, units }): InputCell => ({ ...ref, value: units.count, count: units.count }),
  );
  return withCategories({ id: spec.id, measure: 'count', areas: spec.areas, cells }, spec);
}

/** A sum table (or mean table) whose leaves hold units with the given amounts. */
export function sumTable(spec: Spec, leaf: Leaf, measure: 'sum' | 'mean' = 'sum'): StatTable {
  const cells = aggregate(spec, leaf).map(({ ref, units: u }): InputCell => {
    if (measure === 'mean')
      return u.count === 0
        ? { ...ref, value: null, count: 0 }
        : { ...ref, value: u.sum / u.count, count: u.count, contributions: u.top };
    return { ...ref, value: u.sum, count: u.count, contributions: u.top };
  });
  return withCategories({ id: spec.id, measure, areas: spec.areas, cells }, spec);
}

/** A ratio table: each leaf unit is 1 (has the property) or 0; value = share, denominator = units. */
export function ratioTable(spec: Spec, leaf: Leaf): StatTable {
  const cells = aggregate(spec, leaf).map(({ ref, units: u }): InputCell =>
    u.count === 0
      ? { ...ref, value: null, count: 0 }
      : { ...ref, value: u.sum / u.count, count: u.count, numerator: u.sum, denominator: u.count },
  );
  return withCategories({ id: spec.id, measure: 'ratio', areas: spec.areas, cells }, spec);
}

function withCategories(t: StatTable, spec: Spec): StatTable {
  return spec.categories ? { ...t, categories: spec.categories } : t;
}

export const key = (c: { area: string; category?: string; period: string }): string =>
  `${c.area}|${c.category ?? ''}|${c.period}`;

/**
 * The naive release: only the primary cells suppressed (computed here, apart from `protect`; zeros
 * count as safe), every other number shown. What the auditor must catch.
 */
export function primaryOnly(
  t: StatTable,
  rules: Partial<DisclosureRules> = {},
): PublishedTable & { cells: ProtectedCell[] } {
  const k = rules.k ?? 5;
  const minDen = t.minDenominator ?? rules.minDenominator ?? 10;
  const dominance = rules.dominance ?? [
    { n: 1, p: 0.85 },
    { n: 2, p: 0.95 },
  ];
  const sensitive = (c: InputCell): PrimaryReason | null => {
    if (c.count > 0 && c.count < k) return 'below_k';
    if (t.measure === 'ratio' && (c.denominator ?? 0) < minDen) return 'small_denominator';
    if (t.measure === 'sum' || t.measure === 'mean') {
      const mass = t.measure === 'sum' ? (c.value as number) : (c.value as number) * c.count;
      const top = c.contributions ?? [];
      if (dominance.some(({ n, p }) => mass > 0 && top.slice(0, n).reduce((s, x) => s + x, 0) > p * mass))
        return 'dominance';
    }
    return null;
  };
  const out: PublishedTable & { cells: ProtectedCell[] } = {
    id: t.id,
    measure: t.measure,
    areas: t.areas,
    cells: t.cells.map((c) => {
      const base = {
        area: c.area,
        period: c.period,
        ...(c.category === undefined ? {} : { category: c.category }),
      };
      const ratio = t.measure === 'ratio';
      if (c.value === null)
        return {
          ...base,
          status: 'missing' as const,
          value: null,
          count: null,
          ...(ratio ? { denominator: null } : {}),
        };
      const reason = sensitive(c);
      if (reason)
        return {
          ...base,
          status: 'suppressed' as const,
          value: null,
          count: null,
          reason,
          ...(ratio ? { denominator: null } : {}),
        };
      return {
        ...base,
        status: 'published' as const,
        value: c.value,
        count: c.count,
        ...(ratio ? { denominator: c.denominator ?? null } : {}),
      };
    }),
  };
  if (t.categories) out.categories = t.categories;
  return out;
}

/** Every derivation the auditor reports must agree with the truth (contain it, for intervals). */
export function derivationsMatchTruth(findings: AuditFinding[], t: StatTable): string[] {
  const truth = new Map(t.cells.map((c) => [key(c), c]));
  const wrong: string[] = [];
  for (const f of findings) {
    if (!f.derived || !f.quantity) continue;
    const c = truth.get(key(f.cell));
    if (!c) {
      wrong.push(`no such cell ${key(f.cell)}`);
      continue;
    }
    const actual = f.quantity === 'count' ? c.count : f.quantity === 'denominator' ? c.denominator : c.value;
    const eps = 1e-6 * Math.max(1, Math.abs(actual ?? 0));
    if (
      f.kind === 'derivable' &&
      (actual === undefined ||
        actual === null ||
        actual < f.derived.low - eps ||
        actual > f.derived.high + eps)
    )
      wrong.push(`${f.detail}: truth is ${actual}`);
  }
  return wrong;
}
