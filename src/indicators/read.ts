import type { Engine } from '../engine/engine.js';
import { SCHEMA, type IndicatorDef, type Project } from '../project/types.js';

/**
 * A value as the faces see it. `restricted`: the values of the restricted zone (every value, for
 * roles whose purposes allow the indicator's sources); `public`: the disclosure-controlled values of
 * `public.<id>`, where a hidden value is `suppressed` and never a number.
 */
export type ReadStatus = 'ok' | 'missing' | 'not_applicable' | 'suppressed';

export type ValueRow = {
  indicator: string;
  area: string;
  level: string;
  period: string;
  value: number | null;
  status: ReadStatus;
};

export type Zone = 'restricted' | 'public';

/** The values of the given indicators in the open warehouse version. */
export async function readValues(
  engine: Engine,
  indicators: IndicatorDef[],
  zone: Zone,
): Promise<ValueRow[]> {
  const d = engine.dialect;
  if (indicators.length === 0) return [];
  if (zone === 'restricted') {
    return engine.query<ValueRow>(
      `SELECT indicator, area_code AS area, area_level AS level, period, value, status
       FROM ${d.qualify(SCHEMA.indicators, 'indicator_values')}
       WHERE indicator IN (SELECT unnest(from_json($1, '["VARCHAR"]')))
       ORDER BY indicator, period, area_code`,
      [JSON.stringify(indicators.map((i) => i.name))],
    );
  }
  const out: ValueRow[] = [];
  for (const ind of indicators) {
    if (!(await engine.tableExists(SCHEMA.public, ind.name))) continue;
    const rows = await engine.query<{
      area: string;
      level: string;
      period: string;
      value: number | null;
      status: string;
      reason: string | null;
    }>(
      `SELECT area_code AS area, area_level AS level, period, value, status, missing_reason AS reason FROM ${d.qualify(SCHEMA.public, ind.name)} ORDER BY period, area_code`,
    );
    for (const r of rows)
      out.push({
        indicator: ind.name,
        area: r.area,
        level: r.level,
        period: r.period,
        value: r.status === 'published' ? r.value : null,
        status: publicStatus(r.status, r.reason),
      });
  }
  return out;
}

/** A published cell's status as the faces read it: published, suppressed, or why there is no figure. */
export function publicStatus(status: string, missingReason: string | null): ReadStatus {
  if (status === 'published') return 'ok';
  if (status === 'suppressed') return 'suppressed';
  return missingReason === 'not_applicable' ? 'not_applicable' : 'missing';
}

/** CBS figures for an indicator's comparison: code → value, from the CBS source in the warehouse. */
export async function readCbsFigures(engine: Engine, ind: IndicatorDef): Promise<Map<string, number | null>> {
  if (!ind.cbs) return new Map();
  const d = engine.dialect;
  const rows = await engine.query<{ code: string; value: number | null }>(
    `SELECT trim(CAST(${d.quoteIdentifier(ind.cbs.code)} AS VARCHAR)) AS code, CAST(${d.quoteIdentifier(ind.cbs.value)} AS DOUBLE) AS value
     FROM ${d.qualify(SCHEMA.sources, ind.cbs.source)}`,
  );
  return new Map(rows.map((r) => [r.code, r.value]));
}

/** The indicators of a project by id. */
export function indicatorsById(project: Project): Map<string, IndicatorDef> {
  return new Map(project.indicators.map((i) => [i.name, i]));
}

/** A value rounded to its indicator's decimals, as every export and every API response shows it. */
export function roundValue(v: number | null, decimals: number): number | null {
  if (v === null) return null;
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}
