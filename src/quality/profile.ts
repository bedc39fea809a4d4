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
}

export interface ProfileColumn {
  name: string;
  classification: Classification;
  /** generalised quasi-identifiers already hold only what may be kept */
  generalised?: boolean;
}

const TOP = 5;

/**
 * Profile a landed table. What may be shown follows the classification: identifiers, sensitive and
 * protected columns get only their null share (completeness), never values, lengths or shapes;
 * quasi-identifiers get counts, shapes and common values (held by ≥ k rows) but no minimum or
 * maximum (those are single records, e.g. the oldest inhabitant); other columns get everything.
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
  const out: ColumnProfile[] = [];
  const [total] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  const rows = total?.n ?? 0;
  for (const col of columns) {
    const type = described.get(col.name);
    if (!type) continue;
    const q = d.quoteIdentifier(col.name);
    const hidden = ['identifier', 'sensitive', 'protected'].includes(col.classification);
    const open = col.classification === 'none';
    const numeric = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|DOUBLE|FLOAT|REAL|DECIMAL)/.test(type);
    const text = type === 'VARCHAR';
    const ordered = numeric || /^(DATE|TIMESTAMP)/.test(type) || text;
    const [s] = await engine.query<{
      nulls: number;
      distinct: number | null;
      min: string | null;
      max: string | null;
      mean: number | null;
      minlen: number | null;
      maxlen: number | null;
    }>(
      `SELECT count(*) FILTER (WHERE ${q} IS NULL) AS nulls,
        ${hidden ? 'NULL' : `approx_count_distinct(${q})`} AS "distinct",
        ${open && ordered ? `CAST(min(${q}) AS VARCHAR)` : 'NULL'} AS min,
        ${open && ordered ? `CAST(max(${q}) AS VARCHAR)` : 'NULL'} AS max,
        ${open && numeric ? `CAST(avg(${q}) AS DOUBLE)` : 'NULL'} AS mean,
        ${!hidden && text ? `min(length(${q}))` : 'NULL'} AS minlen,
        ${!hidden && text ? `max(length(${q}))` : 'NULL'} AS maxlen
       FROM ${table}`,
    );
    const common = async (expr: string): Promise<Array<{ v: string; n: number }>> =>
      engine.query<{ v: string; n: number }>(
        `SELECT v, n FROM (SELECT ${expr} AS v, count(*) AS n FROM ${table} WHERE ${q} IS NOT NULL GROUP BY 1) AS g
         WHERE n >= $1 ORDER BY n DESC, v LIMIT ${TOP}`,
        [k],
      );
    const patterns =
      !hidden && text
        ? await common(
            `regexp_replace(regexp_replace(regexp_replace(${q}, '[0-9]', '9', 'g'), '[A-Z]', 'A', 'g'), '[a-z]', 'a', 'g')`,
          )
        : [];
    const topValues = hidden ? [] : await common(`CAST(${q} AS VARCHAR)`);
    out.push({
      column: col.name,
      type,
      classification: col.classification,
      rows,
      nulls: s?.nulls ?? 0,
      distinct: s?.distinct ?? null,
      min: s?.min ?? null,
      max: s?.max ?? null,
      mean: s?.mean ?? null,
      minLength: s?.minlen ?? null,
      maxLength: s?.maxlen ?? null,
      patterns: patterns.map((p) => ({ pattern: p.v, count: p.n })),
      topValues: topValues.map((p) => ({ value: p.v, count: p.n })),
    });
  }
  return out;
}
