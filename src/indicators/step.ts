import type { Engine } from '../engine/engine.js';
import type { AreaModel } from '../geo/area-model.js';
import type { AuditFinding } from '../publish/auditor.js';
import type { AreaNode, InputCell, Measure, StatTable } from '../publish/disclosure.js';
import { protectAndWrite } from '../publish/publish.js';
import { SCHEMA, type IndicatorDef, type Project } from '../project/types.js';
import { computeIndicator, type IndicatorValue } from './compute.js';

const VALUES = 'indicator_values';
const DEFINITIONS = 'definitions';

/** The restricted-zone tables every build version has: all values, and the definitions they follow. */
export async function createIndicatorTables(engine: Engine): Promise<void> {
  const d = engine.dialect;
  await engine.ensureSchema(SCHEMA.indicators);
  await engine.run(
    `CREATE TABLE IF NOT EXISTS ${d.qualify(SCHEMA.indicators, VALUES)} (indicator VARCHAR, area_code VARCHAR, area_level VARCHAR, period VARCHAR, value DOUBLE, numerator DOUBLE, denominator DOUBLE, units BIGINT, status VARCHAR)`,
  );
  await engine.run(
    `CREATE TABLE IF NOT EXISTS ${d.qualify(SCHEMA.indicators, DEFINITIONS)} (indicator VARCHAR, definition VARCHAR)`,
  );
}

export const INDICATOR_VALUES = { schema: SCHEMA.indicators, table: VALUES, definitions: DEFINITIONS };

const MEASURE: Record<IndicatorDef['type'], Measure> = {
  count: 'count',
  sum: 'sum',
  mean: 'mean',
  share: 'ratio',
  ratio: 'ratio',
};

/**
 * One indicator into the version: every value (restricted zone: `indicators.indicator_values`) and
 * the disclosure-controlled public form (`public.<id>`: gemeente, wijken and buurten; custom areas
 * overlap the hierarchy, so they are never published — they could be differenced against it).
 */
export async function buildIndicator(
  engine: Engine,
  project: Project,
  ind: IndicatorDef,
  areas: AreaModel,
  referenceDate: string,
): Promise<{
  values: number;
  periods: number;
  unassigned: number;
  suppressed: number;
  findings: AuditFinding[];
}> {
  const d = engine.dialect;
  const { values, periods, unassigned } = await computeIndicator(engine, ind, areas, referenceDate);
  await engine.run(`DELETE FROM ${d.qualify(SCHEMA.indicators, VALUES)} WHERE indicator = $1`, [ind.name]);
  await engine.run(
    `INSERT INTO ${d.qualify(SCHEMA.indicators, VALUES)}
     SELECT v.indicator, v.area, v.level, v.period, v.value, v.numerator, v.denominator, v.units, v.status
     FROM (SELECT unnest(from_json($1, '[{"indicator":"VARCHAR","area":"VARCHAR","level":"VARCHAR","period":"VARCHAR","value":"DOUBLE","numerator":"DOUBLE","denominator":"DOUBLE","units":"BIGINT","status":"VARCHAR"}]'), recursive := true)) AS v`,
    [JSON.stringify(values)],
  );
  await engine.run(`DELETE FROM ${d.qualify(SCHEMA.indicators, DEFINITIONS)} WHERE indicator = $1`, [
    ind.name,
  ]);
  await engine.run(`INSERT INTO ${d.qualify(SCHEMA.indicators, DEFINITIONS)} VALUES ($1, $2)`, [
    ind.name,
    JSON.stringify({ ...ind, kind: undefined }),
  ]);
  const table = statTable(ind, values, areas);
  // a published cell without a figure says why when that is no secret: no data at all, or not
  // applicable (a ratio or mean over nobody); suppressed cells never say more than "suppressed"
  const status = new Map(values.map((v) => [`${v.area}\u0000${v.period}`, v.status]));
  const result = await protectAndWrite(
    engine,
    { name: ind.name, title: ind.label },
    table,
    {
      k: ind.k ?? project.privacy.k,
      ...(ind.minDenominator ? { minDenominator: ind.minDenominator } : {}),
    },
    (area, period) => {
      const s = status.get(`${area}\u0000${period}`);
      return s === 'missing' ? 'no_data' : s === 'not_applicable' ? 'not_applicable' : undefined;
    },
  );

  return {
    values: values.length,
    periods: periods.length,
    unassigned,
    suppressed: result.suppressed,
    findings: result.findings,
  };
}

function statTable(ind: IndicatorDef, values: IndicatorValue[], areas: AreaModel): StatTable {
  const measure = MEASURE[ind.type];
  const present = new Set(values.map((v) => v.area));
  const hierarchy: AreaNode[] = areas.areas
    .filter((a) => a.level !== 'custom' && present.has(a.code))
    .map((a) => ({ code: a.code, level: a.level as AreaNode['level'], parent: a.parent }));
  const inHierarchy = new Set(hierarchy.map((a) => a.code));
  const cells: InputCell[] = values
    .filter((v) => inHierarchy.has(v.area))
    .map((v) => {
      const cell = { area: v.area, period: v.period };
      if (v.status !== 'ok' || v.value === null) return { ...cell, value: null, count: 0 };
      switch (measure) {
        case 'count':
          return { ...cell, value: v.units, count: v.units };
        case 'ratio':
          return {
            ...cell,
            value: v.value,
            count: v.units,
            numerator: v.numerator ?? 0,
            denominator: v.denominator ?? 0,
          };
        default:
          return { ...cell, value: v.value, count: v.units, contributions: v.top };
      }
    });
  return {
    id: ind.name,
    measure,
    cells,
    areas: hierarchy,
    ...(ind.minDenominator ? { minDenominator: ind.minDenominator } : {}),
  };
}
