import type { IndicatorDef } from '../project/types.js';
import type { ReadStatus, ValueRow } from './read.js';

export type Judgement = 'better' | 'worse' | 'same' | 'changed';

/** One indicator for one area and period, next to everything it is compared with. */
export interface Comparison {
  indicator: string;
  area: string;
  period: string;
  value: number | null;
  status: ReadStatus;
  /** the municipality's value in the same period */
  municipality: number | null;
  /** value − municipality */
  difference: number | null;
  previous: { period: string; value: number | null } | null;
  /** value − previous value */
  change: number | null;
  /** the change judged by the indicator's polarity ('changed' when it has none) */
  trend: Judgement | null;
  target: { value: number; met: boolean | null } | null;
  /** 1 = best by polarity (highest value for neutral); ties share a rank */
  rank: number | null;
  /** areas of this level with a value */
  of: number;
  /** the CBS figure for this area, and for the reference areas the CBS source holds (NL00, other GM…) */
  cbs: {
    value: number | null;
    period: string;
    references: Array<{ code: string; value: number | null }>;
  } | null;
}

/** Values indexed for lookups. */
export class ValueIndex {
  private readonly byKey = new Map<string, ValueRow>();
  private readonly periodsOf = new Map<string, string[]>();

  constructor(rows: ValueRow[]) {
    for (const r of rows) {
      this.byKey.set(`${r.indicator}\u0000${r.area}\u0000${r.period}`, r);
      const ps = this.periodsOf.get(r.indicator) ?? [];
      if (!ps.includes(r.period)) ps.push(r.period);
      this.periodsOf.set(r.indicator, ps);
    }
    for (const ps of this.periodsOf.values()) ps.sort();
  }

  get(indicator: string, area: string, period: string): ValueRow | undefined {
    return this.byKey.get(`${indicator}\u0000${area}\u0000${period}`);
  }

  periods(indicator: string): string[] {
    return this.periodsOf.get(indicator) ?? [];
  }

  /** the values of all areas of one level for an indicator and period */
  level(indicator: string, level: string, period: string): ValueRow[] {
    return [...this.byKey.values()].filter(
      (r) => r.indicator === indicator && r.level === level && r.period === period,
    );
  }
}

function judge(ind: IndicatorDef, delta: number): Judgement {
  if (delta === 0) return 'same';
  if (ind.polarity === 'neutral') return 'changed';
  return delta > 0 === (ind.polarity === 'higher_is_better') ? 'better' : 'worse';
}

/** Competition ranking by polarity among the values of one level. */
function rankOf(ind: IndicatorDef, value: number, peers: number[]): number {
  const better = (x: number): boolean => (ind.polarity === 'lower_is_better' ? x < value : x > value);
  return peers.filter(better).length + 1;
}

export function compare(
  ind: IndicatorDef,
  index: ValueIndex,
  area: { code: string; level: string },
  period: string,
  municipality: string,
  cbs?: Map<string, number | null>,
): Comparison {
  const row = index.get(ind.name, area.code, period);
  const value = row?.status === 'ok' ? row.value : null;
  const gm = index.get(ind.name, municipality, period);
  const gmValue = gm?.status === 'ok' ? gm.value : null;
  const periods = index.periods(ind.name);
  const prevPeriod = periods[periods.indexOf(period) - 1];
  const prev = prevPeriod ? index.get(ind.name, area.code, prevPeriod) : undefined;
  const prevValue = prev?.status === 'ok' ? prev.value : null;
  const change = value !== null && prevValue !== null ? value - prevValue : null;
  const peers = index
    .level(ind.name, area.level, period)
    .filter((r) => r.status === 'ok' && r.value !== null)
    .map((r) => r.value as number);
  const target = ind.target
    ? {
        value: ind.target.value,
        met:
          value === null || ind.polarity === 'neutral'
            ? null
            : ind.polarity === 'higher_is_better'
              ? value >= ind.target.value
              : value <= ind.target.value,
      }
    : null;
  const references = cbs
    ? [...cbs.entries()]
        .filter(([code]) => code === 'NL00' || (code.startsWith('GM') && code !== municipality))
        .map(([code, v]) => ({ code, value: v }))
    : [];
  return {
    indicator: ind.name,
    area: area.code,
    period,
    value,
    status: row?.status ?? 'missing',
    municipality: gmValue,
    difference: value !== null && gmValue !== null ? value - gmValue : null,
    previous: prevPeriod ? { period: prevPeriod, value: prevValue } : null,
    change,
    trend: change === null ? null : judge(ind, change),
    target,
    rank: value === null ? null : rankOf(ind, value, peers),
    of: peers.length,
    cbs:
      ind.cbs && cbs && ind.cbs.period === period
        ? { value: cbs.get(area.code) ?? null, period: ind.cbs.period, references }
        : null,
  };
}

/**
 * "Similar areas": the areas of the same level whose context indicators are closest, by Euclidean
 * distance between z-scores (each indicator standardised over the areas of that level and period),
 * over the context indicators both areas have a value for. Areas sharing fewer than half of them
 * are not compared.
 */
export function similarAreas(
  context: IndicatorDef[],
  index: ValueIndex,
  area: { code: string; level: string },
  period: string,
  n = 3,
): Array<{ area: string; distance: number }> {
  const z = new Map<string, Map<string, number>>(); // indicator → area → z
  for (const ind of context) {
    const rows = index
      .level(ind.name, area.level, period)
      .filter((r) => r.status === 'ok' && r.value !== null);
    if (rows.length < 2) continue;
    const xs = rows.map((r) => r.value as number);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    if (sd === 0) continue;
    z.set(ind.name, new Map(rows.map((r) => [r.area, ((r.value as number) - mean) / sd])));
  }
  const mine = [...z.entries()].filter(([, m]) => m.has(area.code));
  const candidates = new Set([...z.values()].flatMap((m) => [...m.keys()]));
  candidates.delete(area.code);
  const out: Array<{ area: string; distance: number }> = [];
  for (const other of candidates) {
    const shared = mine.filter(([, m]) => m.has(other));
    if (shared.length === 0 || shared.length < mine.length / 2) continue;
    const d2 = shared.reduce(
      (s, [, m]) => s + ((m.get(area.code) as number) - (m.get(other) as number)) ** 2,
      0,
    );
    out.push({ area: other, distance: Math.sqrt(d2 / shared.length) });
  }
  return out.sort((a, b) => a.distance - b.distance || (a.area < b.area ? -1 : 1)).slice(0, n);
}
