import type { Engine } from '../engine/engine.js';
import type { AreaModel } from '../geo/area-model.js';
import { SCHEMA, type IndicatorDef, type IndicatorSide } from '../project/types.js';

export interface Period {
  /** '2024', '2024-Q3', '2024-07' */
  label: string;
  start: string;
  end: string;
}

/**
 * missing: no data for the period at all; not_applicable: the value is undefined (a ratio or mean
 * over nobody); ok: a value (0 is a real zero). Suppression is a property of published values only.
 */
export type ValueStatus = 'ok' | 'missing' | 'not_applicable';

export interface IndicatorValue {
  indicator: string;
  area: string;
  level: string;
  period: string;
  value: number | null;
  /** count: units; sum/mean: Σ value and units; share/ratio: Σ numerator and Σ denominator */
  numerator: number | null;
  denominator: number | null;
  /** contributing units (rows) of the numerator, for disclosure control */
  units: number;
  /** the two largest contributions, for the dominance rule of sums and means */
  top: number[];
  status: ValueStatus;
}

const iso = (d: Date): string => d.toISOString().slice(0, 10);

/** The periods from `first` up to the one containing `reference`, at the indicator's grain. */
export function periodsFor(grain: 'year' | 'quarter' | 'month', first: string, reference: string): Period[] {
  const months = grain === 'year' ? 12 : grain === 'quarter' ? 3 : 1;
  const out: Period[] = [];
  const f = new Date(`${first}T00:00:00Z`);
  let y = f.getUTCFullYear();
  let m = Math.floor(f.getUTCMonth() / months) * months;
  for (;;) {
    const start = new Date(Date.UTC(y, m, 1));
    if (iso(start) > reference) break;
    const end = new Date(Date.UTC(y, m + months, 0));
    const label =
      grain === 'year'
        ? String(y)
        : grain === 'quarter'
          ? `${y}-Q${m / 3 + 1}`
          : `${y}-${String(m + 1).padStart(2, '0')}`;
    out.push({ label, start: iso(start), end: iso(end) });
    m += months;
    if (m >= 12) {
      y += Math.floor(m / 12);
      m %= 12;
    }
  }
  return out;
}

type SideRow = {
  area: string | null;
  period: string;
  n: number;
  v: number | null;
  top: number[] | null;
};

/** Rows of one side per (area, period): how many, the sum, and the largest contributions. */
async function sideRows(
  engine: Engine,
  ind: IndicatorDef,
  side: IndicatorSide,
  periods: Period[],
): Promise<SideRow[]> {
  const d = engine.dialect;
  const q = (c: string): string => `m.${d.quoteIdentifier(c)}`;
  const p = side.period;
  const values = periods
    .map((x) => `(${d.quoteString(x.label)}, DATE ${d.quoteString(x.start)}, DATE ${d.quoteString(x.end)})`)
    .join(', ');
  const join =
    p.kind === 'stock' && p.from
      ? `${q(p.from)} <= p.period_end AND (${p.to ? `${q(p.to)} IS NULL OR ${q(p.to)} > p.period_end` : 'TRUE'})`
      : `${q(p.date as string)} BETWEEN p.period_start AND p.period_end`;
  const summed = side.sum ?? (ind.type === 'mean' ? ind.value : undefined);
  const v = summed ? `CAST(${q(summed)} AS DOUBLE)` : 'NULL';
  // Every row of the model in the period makes a group (so a period with data but no matching row
  // has real zeros); only rows matching the side's filter count.
  return engine.query<SideRow>(
    `SELECT area, period, count(${summed ? 'v' : '*'}) FILTER (WHERE f) AS n, sum(v) FILTER (WHERE f) AS v,
        ${summed ? "list_slice(list_sort(list(v) FILTER (WHERE f AND v IS NOT NULL), 'DESC'), 1, 2)" : 'NULL'} AS top
     FROM (
       SELECT CAST(${q(ind.area)} AS VARCHAR) AS area, p.period, ${v} AS v,
         ${side.filter ? `coalesce((${side.filter}), FALSE)` : 'TRUE'} AS f
       FROM ${d.qualify(SCHEMA.models, side.model)} AS m
       JOIN (VALUES ${values}) AS p(period, period_start, period_end) ON ${join}
     ) AS r
     GROUP BY area, period`,
  );
}

/** The lowest level the rows are coded at: values exist for that level and the levels above. */
type DataLevel = 'gemeente' | 'wijk' | 'buurt';
const DEPTH: Record<string, number> = { gemeente: 0, wijk: 1, buurt: 2, custom: 2 };

interface Acc {
  n: number;
  v: number;
  top: number[];
}

const mergeTop = (a: number[], b: number[]): number[] => [...a, ...b].sort((x, y) => y - x).slice(0, 2);

/** Σ per (area, period) over every area a row's buurt (or wijk) belongs to. */
function aggregate(
  rows: SideRow[],
  areas: AreaModel,
): { acc: Map<string, Acc>; unassigned: number; level: DataLevel } {
  const containing = new Map<string, string[]>();
  for (const [area, buurten] of areas.members)
    for (const b of buurten) containing.set(b, [...(containing.get(b) ?? []), area]);
  const acc = new Map<string, Acc>();
  let unassigned = 0;
  let lowest: DataLevel = 'gemeente';
  for (const r of rows) {
    const code = r.area ? areas.recode(r.area) : null;
    const level = code ? areas.byCode.get(code)?.level : undefined;
    // a row coded at wijk level counts for the wijk and the gemeente, at gemeente level for the gemeente
    const targets =
      level === 'gemeente'
        ? [code as string]
        : level === 'wijk'
          ? [code as string, areas.byCode.get(code as string)?.parent as string]
          : code
            ? containing.get(code)
            : undefined;
    if (!targets) {
      unassigned += r.n;
      continue;
    }
    if (level === 'wijk' && lowest === 'gemeente') lowest = 'wijk';
    if (level !== 'gemeente' && level !== 'wijk') lowest = 'buurt';
    for (const t of targets) {
      const key = `${t}\u0000${r.period}`;
      const a = acc.get(key) ?? { n: 0, v: 0, top: [] };
      a.n += r.n;
      a.v += r.v ?? 0;
      a.top = mergeTop(a.top, r.top ?? []);
      acc.set(key, a);
    }
  }
  return { acc, unassigned, level: lowest };
}

/**
 * Compute an indicator for every area at every level and every period. Sums are taken over the
 * rows, never over lower-level values: a ratio at wijk level is Σ numerator / Σ denominator of its
 * rows, a mean is Σ value / Σ units.
 */
export async function computeIndicator(
  engine: Engine,
  ind: IndicatorDef,
  areas: AreaModel,
  referenceDate: string,
): Promise<{ values: IndicatorValue[]; periods: Period[]; unassigned: number }> {
  const periods = periodsFor(ind.period.grain, ind.period.first, referenceDate);
  const num = aggregate(await sideRows(engine, ind, ind.numerator, periods), areas);
  const den = ind.denominator
    ? aggregate(await sideRows(engine, ind, ind.denominator, periods), areas)
    : undefined;
  // A period has data when the rows it needs exist somewhere in the municipality: a ratio needs
  // both (independent) sides, a share its denominator (its numerator may rightly be empty), the
  // other types their rows. Without them the period is missing everywhere, not zero.
  const periodsIn = (acc: Map<string, Acc>): Set<string> =>
    new Set([...acc.keys()].map((k) => k.split('\u0000')[1] as string));
  const numPeriods = periodsIn(num.acc);
  const denPeriods = den ? periodsIn(den.acc) : numPeriods;
  const hasData = new Set(
    periods
      .map((p) => p.label)
      .filter((p) =>
        ind.type === 'ratio'
          ? numPeriods.has(p) && denPeriods.has(p)
          : ind.type === 'share'
            ? denPeriods.has(p)
            : numPeriods.has(p),
      ),
  );
  // areas below the data's level are absent, not missing: a wijk-level figure has no buurt values
  const depth = Math.min(DEPTH[num.level] as number, den ? (DEPTH[den.level] as number) : 2);
  const shown = areas.areas.filter((a) => (DEPTH[a.level] as number) <= depth);
  const values: IndicatorValue[] = [];
  for (const period of periods) {
    for (const area of shown) {
      const key = `${area.code}\u0000${period.label}`;
      const a = num.acc.get(key) ?? { n: 0, v: 0, top: [] };
      const b = den?.acc.get(key) ?? { n: 0, v: 0, top: [] };
      const base = { indicator: ind.name, area: area.code, level: area.level, period: period.label };
      if (!hasData.has(period.label)) {
        values.push({
          ...base,
          value: null,
          numerator: null,
          denominator: null,
          units: 0,
          top: [],
          status: 'missing',
        });
        continue;
      }
      const numerator = ind.numerator.sum || ind.type === 'sum' || ind.type === 'mean' ? a.v : a.n;
      const denominator = ind.denominator?.sum ? b.v : b.n;
      let value: number | null;
      switch (ind.type) {
        case 'count':
          value = a.n;
          break;
        case 'sum':
          value = a.v;
          break;
        case 'mean':
          value = a.n > 0 ? a.v / a.n : null;
          break;
        default:
          value = denominator > 0 ? (ind.scale * numerator) / denominator : null;
      }
      values.push({
        ...base,
        value,
        numerator: ind.type === 'count' ? a.n : numerator,
        denominator:
          ind.type === 'share' || ind.type === 'ratio' ? denominator : ind.type === 'mean' ? a.n : null,
        units: a.n,
        top: a.top,
        status: value === null ? 'not_applicable' : 'ok',
      });
    }
  }
  return { values, periods, unassigned: num.unassigned + (den?.unassigned ?? 0) };
}
