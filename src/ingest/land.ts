import type { Engine, SqlParams } from '../engine/engine.js';
import {
  SCHEMA,
  type BagRegister,
  type ColumnDef,
  type SourceDef,
  type TextOptions,
} from '../project/types.js';
import { IngestError } from './errors.js';
import type { Scan } from './scan.js';
import type { Edge } from '../geo/areas.js';
import { evaluateCheck, isRowCheck, needsRawValue, type CheckResult } from '../quality/checks.js';

export interface LandResult {
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  /** values that could not be read and landed empty (columns with invalid: empty), logged in quarantine */
  rowsEmptied: number;
  /** distinct pseudonyms made per identifier column (estimated when hashed inline) */
  pseudonyms: Record<string, number>;
  /** rows whose coordinates fell in a buurt, and rows with coordinates outside every buurt */
  geocoded?: { matched: number; unmatched: number };
  /** results of the source's row checks, with the file's row numbers of failing rows */
  checks: CheckResult[];
}

/** The source's row checks, run while landing: raw values and file row numbers are known only then. */
export interface LandChecks {
  /** ISO date for 'today' in date checks */
  referenceDate: string;
  /** a condition over the landed columns for rows that stay (retention); others are not checked */
  keep?: string;
  /** schema-qualified name of another node (relationships and sql checks run after landing) */
  resolve: (node: string) => string;
}

/** What landing needs to know for privacy: the pads of the source's domain key, and the vault. */
export interface LandPrivacy {
  /** HMAC pads (hex) of the linking domain's key; required when the source has identifiers */
  pads?: { inner: string; outer: string };
  /** called with the (pseudonym, normalised identifier) pairs of a column when the source keeps a vault */
  vault?: (column: string, pairs: Array<{ pseudonym: string; identifier: string }>) => void;
  /** declared links of the source's domain: the link table gets (this domain's, the other domain's) pseudonym */
  links?: Array<{ table: string; otherPads: { inner: string; outer: string }; thisIsFirst: boolean }>;
  /** the boundary edges of the buurten, in the source's coordinate system, for geocoding */
  buurtEdges?: Edge[];
  /** HMAC pads of the geocoding key: BAG ids and addresses are looked up by keyed hash, never in clear */
  geocodePads?: { inner: string; outer: string };
  /** set when this source is the project's BAG: its ids and addresses fill the geocoding lookup */
  bagRegister?: BagRegister;
}

/** The geocoding lookup: keyed hashes of BAG ids and addresses → buurt code, filled by the BAG source. */
export const BAG_LOOKUP = 'bag_geocode';
export const BAG_LOOKUP_DDL = (engine: Engine): string =>
  `CREATE TABLE IF NOT EXISTS ${engine.dialect.qualify(SCHEMA.system, BAG_LOOKUP)} (kind VARCHAR, key VARCHAR, buurt VARCHAR)`;

const FAIL = '__pakhuis_fail';
/** the reason code of a value that could not be read and landed empty: logged, but the row stays */
const EMPTIED = 'emptied';
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
      code: col.invalid === 'empty' ? EMPTIED : 'invalid_type',
      reason: col.invalid === 'empty' ? `not a valid ${col.type}: landed empty` : `not a valid ${col.type}`,
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
  const markers = [...new Set(text.nullValues.map((v) => v.trim()))];
  // the common case (only the empty string means "no value") needs one trim per value
  if (markers.length === 1 && markers[0] === '') return `nullif(trim(${expr}), '')`;
  const nulls = markers.map((v) => d.quoteString(v)).join(', ');
  return markers.length > 0
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

interface FailPart {
  check: Check;
  col: ColumnDef;
  /** the expression of the column's raw text */
  rawRef: string;
}

/** The list of failed checks of a row (NULL when it passes all), as quarantine wants them. */
function failExpression(engine: Engine, parts: FailPart[]): string {
  const d = engine.dialect;
  if (parts.length === 0)
    return 'CAST(NULL AS STRUCT(column_name VARCHAR, value VARCHAR, reason_code VARCHAR, reason VARCHAR)[])';
  const items = parts
    .map(
      ({ check, col, rawRef }) =>
        `CASE WHEN ${check.condition} THEN {'column_name': ${d.quoteString(col.name)}, 'value': ${valueMayBeKept(col) ? `CAST(${rawRef} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)'}, 'reason_code': ${d.quoteString(check.code)}, 'reason': ${d.quoteString(check.reason)}} END`,
    )
    .join(', ');
  return `CASE WHEN ${parts.map((f) => `(${f.check.condition})`).join(' OR ')} THEN list_filter([${items}], x -> x IS NOT NULL) END`;
}

/** Quarantine keeps a failing value only when it is no personal identifier and not more precise than what lands. */
function valueMayBeKept(col: ColumnDef): boolean {
  return (
    col.classification !== 'identifier' && !(col.classification === 'quasi_identifier' && col.generalise)
  );
}

/**
 * The one way data lands. Sources with identifiers or coordinates are read once into a temporary,
 * in-memory stage (raw values never reach a warehouse table); all others are read in a single pass.
 * Then one `CREATE TABLE … AS SELECT` converts every declared column to its type, replaces
 * identifiers by keyed pseudonyms (each distinct value hashed once, or inline when nearly every value
 * is new), generalises quasi-identifiers, and lists the checks each row fails. Failing rows move to
 * quarantine with their source row number, column and reason; the bad-row threshold is enforced.
 */
export async function land(
  engine: Engine,
  source: SourceDef,
  scan: Scan,
  loadId: string,
  label: string,
  privacy: LandPrivacy = {},
  quality?: LandChecks,
): Promise<LandResult> {
  const d = engine.dialect;
  const table = d.qualify(SCHEMA.sources, source.name);
  const stage = d.quoteIdentifier(`pakhuis_stage_${loadId}`);
  await engine.ensureSchema(SCHEMA.sources);
  await engine.ensureSchema(SCHEMA.system);
  await engine.run(QUARANTINE_DDL(engine));
  const raw = (c: ColumnDef): string => d.quoteIdentifier(`raw__${c.name}`);
  const identifiers = source.columns.filter((c) => c.classification === 'identifier');
  if (identifiers.length > 0 && !privacy.pads) {
    throw new IngestError(
      `${label}: source ${source.name} has identifier columns but no pseudonymisation key was given`,
      'build through `pakhuis build`, which loads the key',
    );
  }
  const temps: string[] = [stage];
  try {
    // 1. Read the file once. Identifiers and coordinates need a look at all values before the table
    // is written (distinct pseudonyms, geocoding), so those sources are read into an in-memory
    // stage; the others land in a single pass straight from the reader.
    const rowChecks = quality ? source.checks.filter(isRowCheck) : [];
    const columnOf = (name: string): ColumnDef | undefined => source.columns.find((c) => c.name === name);
    // columns whose delivered value a check must see (an identifier's or generalised value's format)
    const rawChecked = new Set(
      rowChecks.filter((c) => needsRawValue(c, columnOf(c.column ?? ''))).map((c) => c.column as string),
    );
    // columns whose delivered value geocoding by BAG id or address needs (here, or as the BAG itself)
    const bagGeo = source.geocodeBag;
    const reg = privacy.bagRegister;
    const geoColumns = new Set<string>([
      ...(bagGeo
        ? bagGeo.kind === 'bag_id'
          ? [bagGeo.column]
          : [bagGeo.postcode, bagGeo.huisnummer, ...bagGeo.suffix]
        : []),
      ...(reg ? [reg.id, reg.postcode, reg.huisnummer, ...reg.suffix] : []),
    ]);
    const staged =
      identifiers.length > 0 || source.geocode !== undefined || rawChecked.size > 0 || geoColumns.size > 0;
    const stageSelects = source.columns.map(
      (c) =>
        `${rawExpression(engine, scan.columns.get(c.name) as string, scan.typed ? undefined : scan.text)} AS ${raw(c)}`,
    );
    if (scan.rowNumber) stageSelects.push(`${scan.rowNumber} AS ${d.quoteIdentifier(ROW)}`);
    const readError = (e: unknown): IngestError =>
      new IngestError(
        `${label}: ${(e as Error).message.split('\n')[0]}`,
        'check that the file matches the connector options (delimiter, quote, encoding)',
      );
    // A column whose raw text the stage must keep: identifiers (hashed after the distinct pass) and
    // coordinates (geocoded). All other columns are converted and checked while the stage is read,
    // so the stage holds compact typed values, and the final pass only copies them.
    const keepsRaw = (c: ColumnDef): boolean =>
      c.classification === 'identifier' ||
      c.generalise === 'buurt' ||
      rawChecked.has(c.name) ||
      geoColumns.has(c.name);
    const fromRaw = `(SELECT ${stageSelects.join(', ')} FROM ${scan.relation}) AS s`;
    const early: FailPart[] = [];
    if (staged) {
      const outer: string[] = [];
      for (const col of source.columns) {
        if (keepsRaw(col)) {
          outer.push(`s.${raw(col)}`);
          continue;
        }
        const converted = convertExpression(engine, col, `s.${raw(col)}`, scan);
        outer.push(
          `${col.generalise && col.generalise !== 'buurt' ? d.generalise(col.generalise, converted, 'current_date') : converted} AS ${d.quoteIdentifier(col.name)}`,
        );
        for (const check of checksFor(engine, col, `s.${raw(col)}`, converted))
          early.push({ check, col, rawRef: `s.${raw(col)}` });
      }
      outer.push(`${failExpression(engine, early)} AS ${d.quoteIdentifier(FAIL)}`);
      if (scan.rowNumber) outer.push(`s.${d.quoteIdentifier(ROW)}`);
      try {
        await engine.run(`CREATE TEMPORARY TABLE ${stage} AS SELECT ${outer.join(', ')} FROM ${fromRaw}`);
      } catch (e) {
        throw readError(e);
      }
    }
    const from = staged ? `${stage} AS s` : fromRaw;

    // 2. Pseudonyms: normalise and hash each distinct raw value once; rows then join on the raw
    // value, so no per-row normalisation is needed. Spellings of one identifier ("12345672",
    // "012345672") normalise alike and so share a pseudonym.
    const params: SqlParams = privacy.pads ? { inner: privacy.pads.inner, outer: privacy.pads.outer } : {};
    const pseudonyms: Record<string, number> = {};
    // Nearly every value new (a file of one-off events): hashing inline beats a distinct pass and a
    // join. Judged on the first 100,000 values. The vault and declared links need the pairs, so
    // they always take the map.
    const inline = new Set<string>();
    for (const col of identifiers) {
      if (!source.privacy.vault && (privacy.links ?? []).length === 0) {
        const [est] = await engine.query<{ d: number; n: number }>(
          `SELECT approx_count_distinct(v) AS d, count(*) AS n FROM (SELECT ${raw(col)} AS v FROM ${stage} WHERE ${raw(col)} IS NOT NULL LIMIT 100000) AS sample`,
        );
        if (est && est.n > 0 && est.d > 0.9 * est.n) {
          inline.add(col.name);
          const [all] = await engine.query<{ d: number }>(
            `SELECT approx_count_distinct(${raw(col)}) AS d FROM ${stage}`,
          );
          pseudonyms[col.name] = all?.d ?? 0;
          continue;
        }
      }
      const map = d.quoteIdentifier(`pakhuis_map_${loadId}_${col.name}`);
      temps.push(map);
      await engine.run(
        `CREATE TEMPORARY TABLE ${map} AS SELECT r, k, CASE WHEN k <> '' THEN ${d.pseudonymise('k', '$inner', '$outer')} END AS p
         FROM (SELECT r, ${d.normaliseIdentifier(col.identifierKind as never, 'r')} AS k FROM (SELECT DISTINCT ${raw(col)} AS r FROM ${stage} WHERE ${raw(col)} IS NOT NULL) AS v) AS n`,
        params,
      );
      const [n] = await engine.query<{ n: number }>(`SELECT count(DISTINCT p) AS n FROM ${map}`);
      pseudonyms[col.name] = n?.n ?? 0;
      for (const link of privacy.links ?? []) {
        const other = d.pseudonymise('k', '$inner', '$outer');
        await engine.run(
          `INSERT INTO ${link.table} SELECT DISTINCT $source, $column, ${link.thisIsFirst ? `p, ${other}` : `${other}, p`} FROM ${map} WHERE p IS NOT NULL`,
          { inner: link.otherPads.inner, outer: link.otherPads.outer, source: source.name, column: col.name },
        );
      }
      if (source.privacy.vault && privacy.vault) {
        const pairs = await engine.query<{ p: string; k: string }>(
          `SELECT DISTINCT p, k FROM ${map} WHERE p IS NOT NULL`,
        );
        privacy.vault(
          col.name,
          pairs.map((r) => ({ pseudonym: r.p, identifier: r.k })),
        );
      }
    }

    // 3. Convert, pseudonymise, generalise and check: in one pass from the reader, or over the stage.
    const selects: string[] = [];
    const joins: string[] = [];
    const failParts: FailPart[] = [];
    source.columns.forEach((col, i) => {
      if (staged && !keepsRaw(col)) {
        // converted, generalised and checked while the stage was read
        selects.push(`s.${d.quoteIdentifier(col.name)}`);
        return;
      }
      const converted = convertExpression(engine, col, `s.${raw(col)}`, scan);
      let out = converted;
      if (col.classification === 'identifier' && inline.has(col.name)) {
        const normal = d.normaliseIdentifier(col.identifierKind as never, `s.${raw(col)}`);
        out = `CASE WHEN ${normal} <> '' THEN ${d.pseudonymise(normal, '$inner', '$outer')} END`;
      } else if (col.classification === 'identifier') {
        const alias = d.quoteIdentifier(`m${i}`);
        joins.push(
          `LEFT JOIN ${d.quoteIdentifier(`pakhuis_map_${loadId}_${col.name}`)} AS ${alias} ON ${alias}.r = s.${raw(col)}`,
        );
        out = `${alias}.p`;
      } else if (col.generalise === 'buurt') {
        out = '';
      } else if (col.generalise) {
        out = d.generalise(col.generalise, converted, 'current_date');
      }
      // geocoded coordinates are checked, but do not land: the buurt code lands instead
      if (out) selects.push(`${out} AS ${d.quoteIdentifier(col.name)}`);
      for (const check of checksFor(engine, col, `s.${raw(col)}`, converted))
        failParts.push({ check, col, rawRef: `s.${raw(col)}` });
    });
    let geocoded: { matched: number; unmatched: number } | undefined;
    if (source.geocode) {
      geocoded = await geocodeStage(engine, source, scan, stage, loadId, privacy, temps);
      joins.push(`LEFT JOIN ${d.quoteIdentifier(`pakhuis_geo_${loadId}`)} AS geo ON geo.r = s.rowid`);
      selects.push(`geo.area AS ${d.quoteIdentifier(source.geocode.to)}`);
    }
    if (bagGeo) {
      geocoded = await geocodeBag(engine, source, bagGeo, stage, loadId, privacy, temps);
      joins.push(`LEFT JOIN ${d.quoteIdentifier(`pakhuis_bag_${loadId}`)} AS bag ON bag.r = s.rowid`);
      selects.push(`bag.area AS ${d.quoteIdentifier(bagGeo.to)}`);
    }
    const late = failExpression(engine, failParts);
    const earlyFail = `s.${d.quoteIdentifier(FAIL)}`;
    const failExpr = !staged
      ? late
      : failParts.length === 0
        ? earlyFail
        : `CASE WHEN ${earlyFail} IS NULL THEN ${late} WHEN (${late}) IS NULL THEN ${earlyFail} ELSE list_concat(${earlyFail}, ${late}) END`;
    const anyChecks = failParts.length > 0 || early.length > 0;
    // the row's position: from the format, from the stage, or (single pass) the table's own rowid,
    // which follows the file because a CREATE TABLE AS preserves insertion order
    const rowExpr = scan.rowNumber ? `s.${d.quoteIdentifier(ROW)}` : staged ? 's.rowid' : undefined;
    try {
      await engine.run(
        `CREATE OR REPLACE TABLE ${table} AS SELECT ${selects.join(', ')}, ${failExpr} AS ${d.quoteIdentifier(FAIL)}${rowExpr ? `, ${rowExpr} AS ${d.quoteIdentifier(ROW)}` : ''} FROM ${from} ${joins.join(' ')}`,
        inline.size > 0 ? params : undefined,
      );
    } catch (e) {
      throw staged ? e : readError(e);
    }
    const position = rowExpr ? `t.${d.quoteIdentifier(ROW)}` : 't.rowid';
    // a row leaves for quarantine when one of its problems is more than a value landed empty
    const hardFail = (alias: string): string =>
      `coalesce(len(list_filter(${alias}.${d.quoteIdentifier(FAIL)}, x -> x.reason_code <> ${d.quoteString(EMPTIED)})) > 0, FALSE)`;

    // 4. Quarantine. Source row numbers come from the format when it has them; otherwise from the
    // row's position in the stage, corrected for the records the CSV reader rejected.
    const rejects =
      scan.rejectsTable && (await rejectsExist(engine, scan.rejectsTable))
        ? d.quoteIdentifier(scan.rejectsTable)
        : undefined;
    const gaps = rejects
      ? `(SELECT line - ${scan.firstRow} - (row_number() OVER (ORDER BY line) - 1) AS g FROM (SELECT DISTINCT line FROM ${rejects}) AS l)`
      : undefined;
    const rowNumber = scan.rowNumber
      ? position
      : `${position} + ${scan.firstRow}${gaps ? ` + (SELECT count(*) FROM ${gaps} AS gaps WHERE g <= ${position})` : ''}`;
    const q = d.qualify(SCHEMA.system, 'quarantine');
    if (anyChecks) {
      await engine.run(
        `INSERT INTO ${q} SELECT $1, $2, ${rowNumber}, f.column_name, f.value, f.reason_code, f.reason
         FROM (SELECT *, rowid FROM ${table} WHERE ${d.quoteIdentifier(FAIL)} IS NOT NULL) t, unnest(t.${d.quoteIdentifier(FAIL)}) AS u(f)`,
        [loadId, source.name],
      );
    }
    // The BAG fills the geocoding lookup from its delivered ids and addresses (keyed hashes only).
    if (reg)
      await fillBagLookup(
        engine,
        reg,
        table,
        stage,
        scan.rowNumber ? ROW : 'rowid',
        privacy,
        `NOT ${hardFail('t')}`,
      );

    // 5. Row checks, on the rows that landed (not quarantined, within retention), before the row
    // numbers are dropped; values that must be seen as delivered come from the stage.
    const checks: CheckResult[] = [];
    if (quality && rowChecks.length > 0) {
      // the stage side offers only the raw values a check needs, so column names never clash
      const stageKey = scan.rowNumber ? d.quoteIdentifier(ROW) : 'rowid';
      const rawCols = [...rawChecked].map((c) => d.quoteIdentifier(`raw__${c}`));
      const from = staged
        ? `${table} AS t JOIN (SELECT ${[`${stageKey} AS pakhuis_key`, ...rawCols].join(', ')} FROM ${stage}) AS s ON s.pakhuis_key = t.${d.quoteIdentifier(ROW)}`
        : `${table} AS t`;
      for (const check of rowChecks) {
        checks.push(
          await evaluateCheck(
            {
              engine,
              node: source.name,
              from,
              base: [`NOT ${hardFail('t')}`, ...(quality.keep ? [quality.keep] : [])].join(' AND '),
              value: (column, raw) => {
                const def = columnOf(column);
                return raw && def
                  ? convertExpression(engine, def, `s.${d.quoteIdentifier(`raw__${column}`)}`, scan)
                  : `t.${d.quoteIdentifier(column)}`;
              },
              rowNumber,
              columnDef: columnOf,
              referenceDate: quality.referenceDate,
              resolve: quality.resolve,
              self: table,
            },
            check,
          ),
        );
      }
    }

    let rejectedRows = 0;
    if (rejects) {
      // The raw line is kept only for sources without personal data; otherwise the archived file has it.
      const personal = source.columns.some((c) => c.classification !== 'none');
      await engine.run(
        `INSERT INTO ${q} SELECT $1, $2, line, column_name, ${personal ? 'NULL' : 'csv_line'}, lower(replace(error_type, ' ', '_')), error_message FROM ${rejects}`,
        [loadId, source.name],
      );
      const [r] = await engine.query<{ n: number }>(`SELECT count(DISTINCT line) AS n FROM ${rejects}`);
      rejectedRows = r?.n ?? 0;
    }
    const [bad] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM ${table} AS t WHERE ${hardFail('t')}`,
    );
    const failedRows = bad?.n ?? 0;
    if (failedRows > 0) await engine.run(`DELETE FROM ${table} AS t WHERE ${hardFail('t')}`);
    const [emptied] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM ${d.qualify(SCHEMA.system, 'quarantine')} WHERE load_id = $1 AND reason_code = $2`,
      [loadId, EMPTIED],
    );
    await engine.run(`ALTER TABLE ${table} DROP COLUMN ${d.quoteIdentifier(FAIL)}`);
    if (rowExpr) await engine.run(`ALTER TABLE ${table} DROP COLUMN ${d.quoteIdentifier(ROW)}`);
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
    return {
      rowsRead,
      rowsLoaded,
      rowsQuarantined,
      rowsEmptied: emptied?.n ?? 0,
      pseudonyms,
      ...(geocoded ? { geocoded } : {}),
      checks,
    };
  } finally {
    for (const t of temps) await engine.run(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
  }
}

/**
 * Coordinates → buurt code by ray casting in the engine: a point is inside a polygon when a ray to
 * its right crosses the boundary an odd number of times. Only edges whose y-range holds the point
 * are joined, so the work is small. Points in no buurt get NULL and are counted.
 */
async function geocodeStage(
  engine: Engine,
  source: SourceDef,
  scan: Scan,
  stage: string,
  loadId: string,
  privacy: LandPrivacy,
  temps: string[],
): Promise<{ matched: number; unmatched: number }> {
  const d = engine.dialect;
  const g = source.geocode as NonNullable<SourceDef['geocode']>;
  if (!privacy.buurtEdges)
    throw new IngestError(
      `${source.file}: geocode needs the buurt geometry`,
      'set areas.buurten in pakhuis.yaml to a GeoJSON file of the buurten (WGS84, statcode per feature)',
    );
  const edges = d.quoteIdentifier(`pakhuis_edges_${loadId}`);
  const geo = d.quoteIdentifier(`pakhuis_geo_${loadId}`);
  temps.push(edges, geo);
  await engine.run(
    `CREATE TEMPORARY TABLE ${edges} (area VARCHAR, x1 DOUBLE, y1 DOUBLE, x2 DOUBLE, y2 DOUBLE, ylo DOUBLE, yhi DOUBLE)`,
  );
  await engine.run(
    `INSERT INTO ${edges} SELECT e.area, e.x1, e.y1, e.x2, e.y2, least(e.y1, e.y2), greatest(e.y1, e.y2)
     FROM (SELECT unnest(from_json($1, '[{"area":"VARCHAR","x1":"DOUBLE","y1":"DOUBLE","x2":"DOUBLE","y2":"DOUBLE"}]'), recursive := true)) AS e`,
    [JSON.stringify(privacy.buurtEdges)],
  );
  const col = (name: string): ColumnDef => source.columns.find((c) => c.name === name) as ColumnDef;
  const px = `CAST(${convertExpression(engine, col(g.x), `s.${d.quoteIdentifier(`raw__${g.x}`)}`, scan)} AS DOUBLE)`;
  const py = `CAST(${convertExpression(engine, col(g.y), `s.${d.quoteIdentifier(`raw__${g.y}`)}`, scan)} AS DOUBLE)`;
  await engine.run(
    `CREATE TEMPORARY TABLE ${geo} AS
     SELECT r, min(area) AS area FROM (
       SELECT p.r, e.area, count(*) AS crossings
       FROM (SELECT s.rowid AS r, ${px} AS px, ${py} AS py FROM ${stage} AS s) AS p
       JOIN ${edges} AS e ON p.py >= e.ylo AND p.py < e.yhi
       WHERE p.px < (e.x2 - e.x1) * (p.py - e.y1) / (e.y2 - e.y1) + e.x1
       GROUP BY p.r, e.area
     ) AS c WHERE crossings % 2 = 1 GROUP BY r`,
  );
  const [m] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${geo}`);
  const [t] = await engine.query<{ n: number }>(
    `SELECT count(*) AS n FROM ${stage} AS s WHERE ${px} IS NOT NULL AND ${py} IS NOT NULL`,
  );
  return { matched: m?.n ?? 0, unmatched: (t?.n ?? 0) - (m?.n ?? 0) };
}

/** DuckDB keeps the reader's rejects in a temporary table, created by the scan that had any. */
async function rejectsExist(engine: Engine, table: string): Promise<boolean> {
  const rows = await engine.query('SELECT 1 FROM duckdb_tables() WHERE temporary AND table_name = $1', [
    table,
  ]);
  return rows.length > 0;
}

const rawRef = (engine: Engine, column: string, alias = 's'): string =>
  `${alias}.${engine.dialect.quoteIdentifier(`raw__${column}`)}`;

/** The keyed hash of a BAG id or an address key, as the lookup stores it. */
function geocodeKey(engine: Engine, normal: string): string {
  return engine.dialect.pseudonymise(normal, '$inner', '$outer');
}

async function fillBagLookup(
  engine: Engine,
  reg: BagRegister,
  table: string,
  stage: string,
  stageKey: string,
  privacy: LandPrivacy,
  /** the rows that land (not quarantined) */
  landed: string,
): Promise<void> {
  const d = engine.dialect;
  if (!privacy.geocodePads)
    throw new IngestError('the BAG lookup needs the geocoding key', 'build through `pakhuis build`');
  const lookup = d.qualify(SCHEMA.system, BAG_LOOKUP);
  const from = `${table} AS t JOIN ${stage} AS s ON s.${stageKey === 'rowid' ? 'rowid' : d.quoteIdentifier(stageKey)} = t.${d.quoteIdentifier(ROW)} WHERE ${landed}`;
  const buurt = `CAST(t.${d.quoteIdentifier(reg.buurt)} AS VARCHAR)`;
  const id = d.normaliseIdentifier('bag_id', `CAST(${rawRef(engine, reg.id)} AS VARCHAR)`);
  const address = d.addressKey(
    `CAST(${rawRef(engine, reg.postcode)} AS VARCHAR)`,
    rawRef(engine, reg.huisnummer),
    reg.suffix.map((c) => rawRef(engine, c)),
  );
  const params = { inner: privacy.geocodePads.inner, outer: privacy.geocodePads.outer };
  await engine.run(
    `INSERT INTO ${lookup} SELECT DISTINCT 'bag_id', ${geocodeKey(engine, 'k')}, b FROM (SELECT ${id} AS k, ${buurt} AS b FROM ${from}) AS x WHERE k IS NOT NULL AND b IS NOT NULL`,
    params,
  );
  await engine.run(
    `INSERT INTO ${lookup} SELECT DISTINCT 'address', ${geocodeKey(engine, 'k')}, b FROM (SELECT ${address} AS k, ${buurt} AS b FROM ${from}) AS x WHERE k IS NOT NULL AND b IS NOT NULL`,
    params,
  );
}

/**
 * BAG id or postcode + house number → buurt code, through the lookup the BAG source filled: both
 * sides hash their delivered values with the geocoding key, so no id or address is compared in
 * clear. Records without a match are counted, not dropped.
 */
async function geocodeBag(
  engine: Engine,
  source: SourceDef,
  g: NonNullable<SourceDef['geocodeBag']>,
  stage: string,
  loadId: string,
  privacy: LandPrivacy,
  temps: string[],
): Promise<{ matched: number; unmatched: number }> {
  const d = engine.dialect;
  if (!privacy.geocodePads)
    throw new IngestError(
      `${source.file}: geocode_bag needs the geocoding key`,
      'build through `pakhuis build`',
    );
  const geo = d.quoteIdentifier(`pakhuis_bag_${loadId}`);
  temps.push(geo);
  const key =
    g.kind === 'bag_id'
      ? d.normaliseIdentifier('bag_id', `CAST(${rawRef(engine, g.column)} AS VARCHAR)`)
      : d.addressKey(
          `CAST(${rawRef(engine, g.postcode)} AS VARCHAR)`,
          rawRef(engine, g.huisnummer),
          g.suffix.map((c) => rawRef(engine, c)),
        );
  const present =
    g.kind === 'bag_id'
      ? `${rawRef(engine, g.column)} IS NOT NULL`
      : `${rawRef(engine, g.postcode)} IS NOT NULL AND ${rawRef(engine, g.huisnummer)} IS NOT NULL`;
  await engine.run(
    `CREATE TEMPORARY TABLE ${geo} AS
     SELECT k.r, min(l.buurt) AS area
     FROM (SELECT s.rowid AS r, ${geocodeKey(engine, key)} AS h FROM ${stage} AS s WHERE ${present}) AS k
     JOIN ${d.qualify(SCHEMA.system, BAG_LOOKUP)} AS l ON l.kind = $kind AND l.key = k.h
     GROUP BY k.r`,
    { inner: privacy.geocodePads.inner, outer: privacy.geocodePads.outer, kind: g.kind },
  );
  const [m] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${geo}`);
  const [t] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${stage} AS s WHERE ${present}`);
  return { matched: m?.n ?? 0, unmatched: (t?.n ?? 0) - (m?.n ?? 0) };
}
