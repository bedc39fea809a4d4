import type { Engine } from '../engine/engine.js';
import type { Classification } from '../project/types.js';

/** What was measured of one column at one load. */
export interface ColumnProfile {
  column: string;
  type: string;
  classification: Classification;
  rows: number;
  nulls: number;
  /** HyperLogLog estimate; null where the column may not be profiled */
  distinct: number | null;
  min: string | null;
  max: string | null;
  mean: number | null;
  minLength: number | null;
  maxLength: number | null;
  /** the commonest shapes of text values: digits → 9, upper-case letters → A, lower-case → a */
  patterns: Array<{ pattern: string; count: number }>;
  /** the commonest values, only those held by at least `k` rows */
  topValues: Array<{ value: string; count: number }>;
  /** set when shapes and common values were counted in a sample of this many rows */
  sampled?: number;
}

export interface ProfileColumn {
  name: string;
  classification: Classification;
  /** generalised quasi-identifiers already hold only what may be kept */
  generalised?: boolean;
}

const TOP = 5;

/** Above this many rows, shapes and common values are read from a fixed random sample of this size. */
export const PROFILE_SAMPLE = 100_000;

/**
 * Profile a landed table. What may be shown follows the classification: identifiers, sensitive and
 * protected columns get only their null share (completeness), never values, lengths or shapes;
 * quasi-identifiers get counts, shapes and common values (held by ≥ k rows) but no minimum or
 * maximum (those are single records, e.g. the oldest inhabitant); other columns get everything.
 * One pass over the table for every column's counts and ranges; shapes and common values of large
 * tables come from a repeatable sample of 100,000 rows (`sampled` says so; counts are the sample's).
 */
export async function profileTable(
  engine: Engine,
  table: string,
  columns: ProfileColumn[],
  k: number,
): Promise<ColumnProfile[]> {
  const d = engine.dialect;
  const described = new Map(
    (await engine.describe(`SELECT * FROM ${table}`)).map((c) => [c.name, c.type] as const),
  );
  const present = columns.filter((c) => described.has(c.name));
  const kinds = present.map((col) => {
    const type = described.get(col.name) as string;
    const hidden = ['identifier', 'sensitive', 'protected'].includes(col.classification);
    const numeric = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|DOUBLE|FLOAT|REAL|DECIMAL)/.test(type);
    const text = type === 'VARCHAR';
    return {
      col,
      type,
      q: d.quoteIdentifier(col.name),
      hidden,
      open: col.classification === 'none',
      numeric,
      text,
      ordered: numeric || /^(DATE|TIMESTAMP)/.test(type) || text,
    };
  });
  // one pass: every column's aggregates, named by position
  const aggregates = kinds.flatMap((c, i) => [
    `count(*) FILTER (WHERE ${c.q} IS NULL) AS n${i}`,
    `${c.hidden ? 'NULL' : `approx_count_distinct(${c.q})`} AS d${i}`,
    `${c.open && c.ordered ? `CAST(min(${c.q}) AS VARCHAR)` : 'NULL'} AS lo${i}`,
    `${c.open && c.ordered ? `CAST(max(${c.q}) AS VARCHAR)` : 'NULL'} AS hi${i}`,
    `${c.open && c.numeric ? `CAST(avg(${c.q}) AS DOUBLE)` : 'NULL'} AS m${i}`,
    `${!c.hidden && c.text ? `min(length(${c.q}))` : 'NULL'} AS ll${i}`,
    `${!c.hidden && c.text ? `max(length(${c.q}))` : 'NULL'} AS lh${i}`,
  ]);
  const [stats] = await engine.query(`SELECT count(*) AS total, ${aggregates.join(', ')} FROM ${table}`);
  const s0 = stats ?? {};
  const rows = Number(s0['total'] ?? 0);
  const sampled = rows > 2 * PROFILE_SAMPLE;
  const source = sampled
    ? `(SELECT * FROM ${table} USING SAMPLE reservoir(${PROFILE_SAMPLE} ROWS) REPEATABLE (42))`
    : table;
  const out: ColumnProfile[] = [];
  for (const [i, c] of kinds.entries()) {
    const common = async (expr: string): Promise<Array<{ v: string; n: number }>> =>
      engine.query<{ v: string; n: number }>(
        `SELECT v, n FROM (SELECT ${expr} AS v, count(*) AS n FROM ${source} AS t WHERE ${c.q} IS NOT NULL GROUP BY 1) AS g
         WHERE n >= $1 ORDER BY n DESC, v LIMIT ${TOP}`,
        [k],
      );
    const patterns =
      !c.hidden && c.text
        ? await common(
            `regexp_replace(regexp_replace(regexp_replace(${c.q}, '[0-9]', '9', 'g'), '[A-Z]', 'A', 'g'), '[a-z]', 'a', 'g')`,
          )
        : [];
    const topValues = c.hidden ? [] : await common(`CAST(${c.q} AS VARCHAR)`);
    const num = (key: string): number | null =>
      s0[key] === null || s0[key] === undefined ? null : Number(s0[key]);
    const str = (key: string): string | null =>
      s0[key] === null || s0[key] === undefined ? null : String(s0[key]);
    out.push({
      column: c.col.name,
      type: c.type,
      classification: c.col.classification,
      rows,
      nulls: num(`n${i}`) ?? 0,
      distinct: num(`d${i}`),
      min: str(`lo${i}`),
      max: str(`hi${i}`),
      mean: num(`m${i}`),
      minLength: num(`ll${i}`),
      maxLength: num(`lh${i}`),
      patterns: patterns.map((p) => ({ pattern: p.v, count: p.n })),
      topValues: topValues.map((p) => ({ value: p.v, count: p.n })),
      ...(sampled ? { sampled: PROFILE_SAMPLE } : {}),
    });
  }
  return out;
}
