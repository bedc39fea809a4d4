import type { Engine } from '../engine/engine.js';
import { SCHEMA, type Project, type PublicationDef } from '../project/types.js';
import {
  protect,
  toPublic,
  type AreaLevel,
  type AreaNode,
  type DisclosureRules,
  type InputCell,
  type PublishedTable,
  type StatTable,
} from './disclosure.js';
import { PublishError } from './errors.js';
import { verify, type AuditFinding } from './auditor.js';

const META = 'publications';

/** The CBS area code one level up: BU04000101 → WK040001 → GM0400. */
export function parentArea(code: string): { code: string; level: AreaLevel } | null {
  if (/^BU\d{8}$/.test(code)) return { code: `WK${code.slice(2, 8)}`, level: 'wijk' };
  if (/^WK\d{6}$/.test(code)) return { code: `GM${code.slice(2, 6)}`, level: 'gemeente' };
  return null;
}

function levelOf(code: string): AreaLevel {
  if (code.startsWith('BU')) return 'buurt';
  if (code.startsWith('WK')) return 'wijk';
  if (code.startsWith('GM')) return 'gemeente';
  throw new PublishError(
    `"${code}" is not a CBS area code (GM…, WK…, BU…)`,
    'the area column of a publication must hold CBS codes',
  );
}

interface Acc {
  count: number;
  value: number;
  numerator: number;
  denominator: number;
}

/**
 * Turn the rows of a model (at the lowest area level) into a disclosure-controlled table: add the
 * higher levels and category totals by summing, protect it (primary and secondary suppression), and
 * write only the public form to `public.<name>`. Nothing else reaches the public schema.
 */
export async function publish(
  engine: Engine,
  project: Project,
  pub: PublicationDef,
): Promise<{ cells: number; suppressed: number; findings: AuditFinding[] }> {
  const d = engine.dialect;
  const q = (c: string): string => d.quoteIdentifier(c);
  const cols = [
    `CAST(${q(pub.area)} AS VARCHAR) AS area`,
    // without a period column the figures are the current state
    pub.period ? `CAST(${q(pub.period)} AS VARCHAR) AS period` : `'actueel' AS period`,
    pub.category ? `CAST(${q(pub.category.column)} AS VARCHAR) AS category` : 'NULL AS category',
    `CAST(${q(pub.count)} AS DOUBLE) AS n`,
    pub.value ? `CAST(${q(pub.value)} AS DOUBLE) AS v` : 'NULL AS v',
    pub.numerator ? `CAST(${q(pub.numerator)} AS DOUBLE) AS num` : 'NULL AS num',
    pub.denominator ? `CAST(${q(pub.denominator)} AS DOUBLE) AS den` : 'NULL AS den',
  ];
  const rows = await engine.query<{
    area: string | null;
    period: string;
    category: string | null;
    n: number | null;
    v: number | null;
    num: number | null;
    den: number | null;
  }>(`SELECT ${cols.join(', ')} FROM ${d.qualify(SCHEMA.models, pub.model)}`);
  const acc = new Map<string, Acc>();
  const areas = new Map<string, AreaNode>();
  const categories = new Set<string>();
  const add = (area: string, period: string, category: string | undefined, r: Acc): void => {
    const key = JSON.stringify([area, period, category ?? null]);
    const a = acc.get(key) ?? { count: 0, value: 0, numerator: 0, denominator: 0 };
    a.count += r.count;
    a.value += r.value;
    a.numerator += r.numerator;
    a.denominator += r.denominator;
    acc.set(key, a);
  };
  for (const r of rows) {
    if (!r.area)
      throw new PublishError(
        `${pub.file}: a row of model ${pub.model} has no area code`,
        `every row needs ${pub.area}; assign unmatched records to an area or leave them out of the model, and report them`,
      );
    const base: Acc = {
      count: r.n ?? 0,
      value: pub.measure === 'count' ? (r.n ?? 0) : (r.v ?? 0),
      numerator: r.num ?? 0,
      denominator: r.den ?? 0,
    };
    let code: string | null = r.area;
    let level = levelOf(code);
    while (code) {
      areas.set(code, { code, level, parent: parentArea(code)?.code ?? null });
      const cats = pub.category ? [r.category ?? '', pub.category.total] : [undefined];
      for (const c of cats) add(code, r.period, c, base);
      const up = parentArea(code);
      code = up?.code ?? null;
      if (up) level = up.level;
    }
    if (pub.category && r.category !== null) categories.add(r.category);
  }
  const cells: InputCell[] = [...acc].map(([key, a]) => {
    const [area, period, category] = JSON.parse(key) as [string, string, string | null];
    const value =
      pub.measure === 'count'
        ? a.count
        : pub.measure === 'sum'
          ? a.value
          : a.denominator > 0
            ? (a.numerator / a.denominator) * pub.scale
            : null;
    return {
      area,
      period,
      ...(category !== null ? { category } : {}),
      value,
      count: value === null ? 0 : a.count,
      ...(pub.measure === 'ratio' ? { numerator: a.numerator, denominator: a.denominator } : {}),
    };
  });
  const table: StatTable = {
    id: pub.name,
    measure: pub.measure,
    cells,
    areas: [...areas.values()],
    ...(pub.category ? { categories: { total: pub.category.total, members: [...categories].sort() } } : {}),
    ...(pub.minDenominator ? { minDenominator: pub.minDenominator } : {}),
  };
  const rules = { k: pub.k ?? project.privacy.k, ...(pub.roundTo ? { roundTo: pub.roundTo } : {}) };
  return protectAndWrite(engine, pub, table, rules);
}

/**
 * The one way figures reach the public schema: protect the table (primary and secondary
 * suppression), write only its public form to `public.<name>` (registered for `publish --verify`),
 * and let the independent auditor attack what was written.
 */
export async function protectAndWrite(
  engine: Engine,
  pub: { name: string; title: string },
  table: StatTable,
  rules: Partial<DisclosureRules>,
  /** why a missing cell has no figure (no_data, not_applicable), by area and period; never for suppressed cells */
  missingReason?: (area: string, period: string) => string | undefined,
): Promise<{ cells: number; suppressed: number; findings: AuditFinding[] }> {
  const published = toPublic(protect(table, rules));
  await writePublished(engine, pub, published, rules as Record<string, unknown>, missingReason);
  const findings = verify(published, rules);
  return {
    cells: published.cells.length,
    suppressed: published.cells.filter((c) => c.status === 'suppressed').length,
    findings,
  };
}

async function writePublished(
  engine: Engine,
  pub: { name: string; title: string },
  t: PublishedTable,
  rules: Record<string, unknown>,
  missingReason?: (area: string, period: string) => string | undefined,
): Promise<void> {
  const d = engine.dialect;
  await engine.ensureSchema(SCHEMA.public);
  const target = d.qualify(SCHEMA.public, pub.name);
  await engine.run(
    `CREATE OR REPLACE TABLE ${target} (area_code VARCHAR, area_level VARCHAR, period VARCHAR, category VARCHAR, status VARCHAR, value DOUBLE, count BIGINT, denominator DOUBLE, marker VARCHAR, missing_reason VARCHAR)`,
  );
  const level = new Map(t.areas.map((a) => [a.code, a.level]));
  const json = JSON.stringify(
    t.cells.map((c) => ({
      area_code: c.area,
      area_level: level.get(c.area) ?? null,
      period: c.period,
      category: c.category ?? null,
      status: c.status,
      value: c.value,
      count: c.count,
      denominator: c.denominator ?? null,
      marker: c.status === 'suppressed' ? 'x' : c.status === 'missing' ? '.' : null,
      missing_reason: c.status === 'missing' ? (missingReason?.(c.area, c.period) ?? null) : null,
    })),
  );
  await engine.run(
    `INSERT INTO ${target} SELECT c.area_code, c.area_level, c.period, c.category, c.status, c.value, c.count, c.denominator, c.marker, c.missing_reason
     FROM (SELECT unnest(from_json($1, '[{"area_code":"VARCHAR","area_level":"VARCHAR","period":"VARCHAR","category":"VARCHAR","status":"VARCHAR","value":"DOUBLE","count":"BIGINT","denominator":"DOUBLE","marker":"VARCHAR","missing_reason":"VARCHAR"}]'), recursive := true)) AS c`,
    [json],
  );
  const meta = d.qualify(SCHEMA.system, META);
  await engine.run(
    `CREATE TABLE IF NOT EXISTS ${meta} (name VARCHAR, title VARCHAR, measure VARCHAR, areas VARCHAR, categories VARCHAR, rules VARCHAR)`,
  );
  await engine.run(`DELETE FROM ${meta} WHERE name = $1`, [pub.name]);
  await engine.run(`INSERT INTO ${meta} VALUES ($1, $2, $3, $4, $5, $6)`, [
    pub.name,
    pub.title,
    t.measure,
    JSON.stringify(t.areas),
    JSON.stringify(t.categories ?? null),
    JSON.stringify(rules),
  ]);
}

/**
 * The independent check of `pakhuis publish --verify`: read every public table back from the
 * warehouse (not from the suppression code's memory) and let the auditor attack it.
 */
export async function verifyPublished(
  engine: Engine,
): Promise<Array<{ table: string; cells: number; findings: AuditFinding[] }>> {
  const d = engine.dialect;
  if (!(await engine.tableExists(SCHEMA.system, META))) return [];
  const metas = await engine.query<{
    name: string;
    measure: string;
    areas: string;
    categories: string;
    rules: string;
  }>(`SELECT * FROM ${d.qualify(SCHEMA.system, META)} ORDER BY name`);
  const out = [];
  for (const m of metas) {
    const rows = await engine.query<{
      area_code: string;
      period: string;
      category: string | null;
      status: string;
      value: number | null;
      count: number | null;
      denominator: number | null;
    }>(
      `SELECT area_code, period, category, status, value, count, denominator FROM ${d.qualify(SCHEMA.public, m.name)}`,
    );
    const categories = JSON.parse(m.categories) as PublishedTable['categories'] | null;
    const rules = JSON.parse(m.rules) as { k: number; roundTo?: number };
    const table: PublishedTable = {
      id: m.name,
      measure: m.measure as PublishedTable['measure'],
      areas: JSON.parse(m.areas) as AreaNode[],
      ...(categories ? { categories } : {}),
      ...(rules.roundTo ? { roundedTo: rules.roundTo } : {}),
      cells: rows.map((r) => ({
        area: r.area_code,
        period: r.period,
        ...(r.category !== null ? { category: r.category } : {}),
        status: r.status as 'published' | 'suppressed' | 'missing',
        value: r.value,
        count: r.count,
        ...(m.measure === 'ratio' ? { denominator: r.denominator } : {}),
      })),
    };
    out.push({ table: m.name, cells: rows.length, findings: verify(table, rules) });
  }
  return out;
}
