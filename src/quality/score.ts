import { DIMENSIONS, type CheckResult, type Dimension } from './checks.js';

/** A quality score per dimension (0–100, null when nothing measured it) and overall. */
export type DimensionScores = Record<Dimension, number | null>;
export interface QualityScore extends DimensionScores {
  score: number | null;
}

/** Days between expected deliveries, per declared refresh. */
export const REFRESH_DAYS: Record<string, number | undefined> = {
  daily: 1,
  weekly: 7,
  monthly: 31,
  quarterly: 92,
  yearly: 366,
  'ad-hoc': undefined,
};

export interface ScoreFacts {
  /** rows the delivery had, and rows quarantined because a value could not be read (validity) */
  rowsRead?: number;
  rowsQuarantined?: number;
  /** days since the delivered content last changed, and the declared refresh (timeliness) */
  contentAgeDays?: number;
  refresh?: string;
}

const round = (x: number): number => Math.round(x * 10000) / 100;

/**
 * Score = the mean pass rate of the checks of each dimension: a row check passes for the share of
 * its rows that pass, a table check passes or not; a check that could not run counts as failed.
 * Rows quarantined at landing count for validity; a delivery older than its declared refresh
 * interval counts against timeliness. Overall = the mean of the measured dimensions.
 */
export function qualityScore(results: CheckResult[], facts: ScoreFacts = {}): QualityScore {
  const rates = new Map<Dimension, number[]>(DIMENSIONS.map((d) => [d, []]));
  for (const r of results) {
    const rate = r.status === 'error' ? 0 : r.evaluated === 0 ? 1 : 1 - r.failed / r.evaluated;
    rates.get(r.dimension)?.push(rate);
  }
  if (facts.rowsRead && facts.rowsRead > 0)
    rates.get('validity')?.push(1 - (facts.rowsQuarantined ?? 0) / facts.rowsRead);
  const interval = facts.refresh ? REFRESH_DAYS[facts.refresh] : undefined;
  if (interval !== undefined && facts.contentAgeDays !== undefined)
    rates.get('timeliness')?.push(facts.contentAgeDays <= interval ? 1 : 0);
  const dims = Object.fromEntries(
    DIMENSIONS.map((d) => {
      const xs = rates.get(d) ?? [];
      return [d, xs.length === 0 ? null : round(xs.reduce((a, b) => a + b, 0) / xs.length)];
    }),
  ) as DimensionScores;
  const measured = DIMENSIONS.map((d) => dims[d]).filter((x): x is number => x !== null);
  return {
    ...dims,
    score:
      measured.length === 0
        ? null
        : Math.round((100 * measured.reduce((a, b) => a + b, 0)) / measured.length) / 100,
  };
}
