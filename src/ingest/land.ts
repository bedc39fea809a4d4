import type { Engine } from '../engine/engine.js';
import { SCHEMA, type ColumnDef, type SourceDef, type TextOptions } from '../project/types.js';
import { IngestError } from './errors.js';
import type { Scan } from './scan.js';

export interface LandResult {
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
}

const FAIL = '__pakhuis_fail';
const ROW = '__pakhuis_row';

export const QUARANTINE_DDL = (engine: Engine): string =>
  `CREATE TABLE IF NOT EXISTS ${engine.dialect.qualify(SCHEMA.system, 'quarantine')} (
    load_id VARCHAR, source VARCHAR, row_number BIGINT, column_name VARCHAR,
    value VARCHAR, reason_code VARCHAR, reason VARCHAR)`;

interface Check {
  code: string;
  reason: string;
  condition: string;
}

/** The conditions under which a value of `col` sends its row to quarantine. */
function checksFor(engine: Engine, col: ColumnDef, raw: string, converted: string): Check[] {
  const d = engine.dialect;
  const checks: Check[] = [];
  if (col.type !== 'text') {
    checks.push({
      code: 'invalid_type',
      reason: `not a valid ${col.type}`,
      condition: `${raw} IS NOT NULL AND ${converted} IS NULL`,
    });
  }
  if (col.required)
    checks.push({ code: 'required', reason: 'required value is empty', condition: `${raw} IS NULL` });
  if (col.values) {
    const list = col.values.map((v) => (typeof v === 'number' ? String(v) : d.quoteString(v))).join(', ');
    checks.push({
      code: 'not_accepted',
      reason: `not one of the accepted values (${col.values.join(', ')})`,
      condition: `${converted} IS NOT NULL AND ${converted} NOT IN (${list})`,
    });
  }
  const bound = (v: number | string): string =>
    typeof v === 'number' ? String(v) : `CAST(${d.quoteString(v)} AS ${d.sqlType(col.type)})`;
  if (col.min !== undefined)
    checks.push({
      code: 'below_min',
      reason: `below the minimum ${col.min}`,
      condition: `${converted} < ${bound(col.min)}`,
    });
  if (col.max !== undefined)
    checks.push({
      code: 'above_max',
      reason: `above the maximum ${col.max}`,
      condition: `${converted} > ${bound(col.max)}`,
    });
  if (col.pattern) {
    checks.push({
      code: 'pattern',
      reason: `does not match the pattern ${col.pattern}`,
      condition: `${raw} IS NOT NULL AND NOT ${d.regexMatches(`CAST(${raw} AS VARCHAR)`, col.pattern)}`,
    });
  }
  return checks;
}

function rawExpression(engine: Engine, expr: string, text: TextOptions | undefined): string {
  if (!text) return expr;
  const d = engine.dialect;
  const nulls = text.nullValues.map((v) => d.quoteString(v.trim())).join(', ');
  return nulls.length > 0
    ? `CASE WHEN trim(${expr}) IN (${nulls}) THEN NULL ELSE trim(${expr}) END`
    : `trim(${expr})`;
}

function convertExpression(engine: Engine, col: ColumnDef, raw: string, scan: Scan): string {
  const d = engine.dialect;
  if (scan.typed || !scan.text)
    return col.type === 'text' ? `CAST(${raw} AS VARCHAR)` : `TRY_CAST(${raw} AS ${d.sqlType(col.type)})`;
  const t = scan.text;
  const converted = d.tryConvert(raw, col.type, {
    number: t.number,
    dateFormat: col.dateFormat ?? t.dateFormat,
    timestampFormat: t.timestampFormat,
  });
  // An ISO date is unambiguous, so it is accepted in any file (spreadsheets write dates that way).
  if (col.type === 'date') return `COALESCE(${converted}, TRY_CAST(${raw} AS DATE))`;
  if (col.type === 'timestamp') return `COALESCE(${converted}, TRY_CAST(${raw} AS TIMESTAMP))`;
  return converted;
}

/** DuckDB keeps the reader's rejects in a temporary table, created by the scan that had any. */
async function rejectsExist(engine: Engine, table: string): Promise<boolean> {
  const rows = await engine.query('SELECT 1 FROM duckdb_tables() WHERE temporary AND table_name = $1', [
    table,
  ]);
  return rows.length > 0;
}

/**
 * The one way data lands: declared columns only, converted to their declared types in the engine,
 * rows that fail a conversion or a declared constraint moved to quarantine with their source row
 * number, column and reason, and the source's bad-row threshold enforced.
 */
export async function land(
  engine: Engine,
  source: SourceDef,
  scan: Scan,
  loadId: string,
  label: string,
): Promise<LandResult> {
  const d = engine.dialect;
  const table = d.qualify(SCHEMA.sources, source.name);
  await engine.ensureSchema(SCHEMA.sources);
  await engine.ensureSchema(SCHEMA.system);
  await engine.run(QUARANTINE_DDL(engine));

  // inner query: each declared column's raw value (trimmed, null markers to NULL) as raw__<name>;
  // outer query: the converted value and the list of checks the row fails
  const selects: string[] = [];
  const failParts: Array<{ check: Check; col: ColumnDef; raw: string }> = [];
  for (const col of source.columns) {
    const rawAlias = d.quoteIdentifier(`raw__${col.name}`);
    const converted = convertExpression(engine, col, rawAlias, scan);
    selects.push(`${converted} AS ${d.quoteIdentifier(col.name)}`);
    for (const check of checksFor(engine, col, rawAlias, converted))
      failParts.push({ check, col, raw: rawAlias });
  }
  const rawSelects = source.columns.map(
    (c) =>
      `${rawExpression(engine, scan.columns.get(c.name) as string, scan.typed ? undefined : scan.text)} AS ${d.quoteIdentifier(`raw__${c.name}`)}`,
  );
  if (scan.rowNumber) rawSelects.push(`${scan.rowNumber} AS ${d.quoteIdentifier(ROW)}`);

  const failList = failParts
    .map(
      ({ check, col, raw }) =>
        `CASE WHEN ${check.condition} THEN {'column_name': ${d.quoteString(col.name)}, 'value': CAST(${raw} AS VARCHAR), 'reason_code': ${d.quoteString(check.code)}, 'reason': ${d.quoteString(check.reason)}} END`,
    )
    .join(', ');
  const failExpr =
    failParts.length > 0
      ? `CASE WHEN ${failParts.map((f) => `(${f.check.condition})`).join(' OR ')} THEN list_filter([${failList}], x -> x IS NOT NULL) END`
      : 'NULL';
  const select = `SELECT ${selects.join(', ')}, ${failExpr} AS ${d.quoteIdentifier(FAIL)}${scan.rowNumber ? `, ${d.quoteIdentifier(ROW)}` : ''} FROM (SELECT ${rawSelects.join(', ')} FROM ${scan.relation})`;
  try {
    await engine.run(`CREATE OR REPLACE TABLE ${table} AS ${select}`);
  } catch (e) {
    throw new IngestError(
      `${label}: ${(e as Error).message.split('\n')[0]}`,
      'check that the file matches the connector options (delimiter, quote, encoding)',
    );
  }

  // Source row numbers: from the format when it has them, else from the row's position corrected
  // for the records the reader rejected (rowid counts only the records that were read).
  const rejects =
    scan.rejectsTable && (await rejectsExist(engine, scan.rejectsTable))
      ? d.quoteIdentifier(scan.rejectsTable)
      : undefined;
  const gaps = rejects
    ? `(SELECT line - ${scan.firstRow} - (row_number() OVER (ORDER BY line) - 1) AS g FROM (SELECT DISTINCT line FROM ${rejects}))`
    : undefined;
  const rowNumber = scan.rowNumber
    ? `t.${d.quoteIdentifier(ROW)}`
    : `t.rowid + ${scan.firstRow}${gaps ? ` + (SELECT count(*) FROM ${gaps} WHERE g <= t.rowid)` : ''}`;
  const q = d.qualify(SCHEMA.system, 'quarantine');
  await engine.run(
    `INSERT INTO ${q} SELECT $1, $2, ${rowNumber}, f.column_name, f.value, f.reason_code, f.reason
     FROM (SELECT *, rowid FROM ${table} WHERE ${d.quoteIdentifier(FAIL)} IS NOT NULL) t, unnest(t.${d.quoteIdentifier(FAIL)}) AS u(f)`,
    [loadId, source.name],
  );
  let rejectedRows = 0;
  if (rejects) {
    await engine.run(
      `INSERT INTO ${q} SELECT $1, $2, line, column_name, csv_line, lower(replace(error_type, ' ', '_')), error_message FROM ${rejects}`,
      [loadId, source.name],
    );
    const [r] = await engine.query<{ n: number }>(`SELECT count(DISTINCT line) AS n FROM ${rejects}`);
    rejectedRows = r?.n ?? 0;
  }
  const [bad] = await engine.query<{ n: number }>(
    `SELECT count(*) AS n FROM ${table} WHERE ${d.quoteIdentifier(FAIL)} IS NOT NULL`,
  );
  const failedRows = bad?.n ?? 0;
  await engine.run(`DELETE FROM ${table} WHERE ${d.quoteIdentifier(FAIL)} IS NOT NULL`);
  await engine.run(`ALTER TABLE ${table} DROP COLUMN ${d.quoteIdentifier(FAIL)}`);
  if (scan.rowNumber) await engine.run(`ALTER TABLE ${table} DROP COLUMN ${d.quoteIdentifier(ROW)}`);
  const [loaded] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  const rowsLoaded = loaded?.n ?? 0;
  const rowsQuarantined = failedRows + rejectedRows;
  const rowsRead = rowsLoaded + rowsQuarantined;

  const limit = source.connector.maxBadRows;
  const allowed = limit.kind === 'count' ? limit.value : Math.floor(limit.value * rowsRead);
  if (rowsQuarantined > allowed) {
    const [example] = await engine.query<{
      row_number: number;
      column_name: string | null;
      reason: string;
      value: string | null;
    }>(
      `SELECT row_number, column_name, reason, value FROM ${q} WHERE load_id = $1 ORDER BY row_number LIMIT 1`,
      [loadId],
    );
    const share = rowsRead > 0 ? ((100 * rowsQuarantined) / rowsRead).toFixed(2) : '100';
    throw new IngestError(
      `${label}: ${rowsQuarantined} of ${rowsRead} rows (${share}%) failed, more than max_bad_rows allows (${limit.kind === 'count' ? limit.value : `${limit.value * 100}%`})` +
        (example
          ? `; first: row ${example.row_number}${example.column_name ? `, column ${example.column_name}` : ''}: ${example.reason}${example.value !== null ? ` (value ${JSON.stringify(example.value.slice(0, 60))})` : ''}`
          : ''),
      `fix the export, or correct the column types and formats in ${source.file}; raise max_bad_rows only if these rows may be left out`,
    );
  }
  return { rowsRead, rowsLoaded, rowsQuarantined };
}
