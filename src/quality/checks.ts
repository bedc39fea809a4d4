import type { Engine } from '../engine/engine.js';
import { compileRefs } from '../project/refs.js';
import { validatorNames, type ValidatorName } from './validators.js';
import type { CheckDef, CheckType, ColumnDef } from '../project/types.js';

/** The quality dimension a check measures (DAMA: completeness, validity, uniqueness, timeliness, consistency). */
export type Dimension = 'completeness' | 'validity' | 'uniqueness' | 'timeliness' | 'consistency';
export const DIMENSIONS: readonly Dimension[] = [
  'completeness',
  'validity',
  'uniqueness',
  'timeliness',
  'consistency',
];

const DIMENSION: Record<CheckType, Dimension> = {
  not_null: 'completeness',
  row_count: 'completeness',
  row_count_change: 'completeness',
  unique: 'uniqueness',
  accepted_values: 'validity',
  range: 'validity',
  regex: 'validity',
  length: 'validity',
  bsn: 'validity',
  postcode: 'validity',
  kvk: 'validity',
  iban: 'validity',
  bag_id: 'validity',
  cbs_area_code: 'validity',
  sbi: 'validity',
  encoding: 'validity',
  date_range: 'validity',
  freshness: 'timeliness',
  relationships: 'consistency',
  schema: 'consistency',
  aggregate: 'consistency',
  sql: 'consistency',
};

export function dimensionOf(type: CheckType): Dimension {
  return DIMENSION[type];
}

/** Checks that judge each row by its own values; the others judge the table as a whole or read other tables. */
const ROW_CHECKS = new Set<CheckType>([
  'not_null',
  'unique',
  'accepted_values',
  'range',
  'regex',
  'length',
  'date_range',
  ...validatorNames,
]);

export function isRowCheck(check: { type: CheckType }): boolean {
  return ROW_CHECKS.has(check.type);
}

/**
 * Row checks that must see the value as delivered, before it was pseudonymised or generalised: a
 * BSN's elfproef cannot be tested on its pseudonym, nor a postcode's format on its PC4. not_null and
 * unique hold for the landed value just as well (equal identifiers share a pseudonym).
 */
export function needsRawValue(check: CheckDef, column: ColumnDef | undefined): boolean {
  if (!column || check.type === 'not_null' || check.type === 'unique' || !isRowCheck(check)) return false;
  return column.classification === 'identifier' || column.generalise !== undefined;
}

export interface CheckExample {
  /** the record in the delivered file (sources only) */
  row?: number;
  /** the landed value: a pseudonym for identifiers, generalised for quasi-identifiers, hidden for sensitive data */
  value?: string | null;
}

export interface CheckResult {
  node: string;
  check: string;
  type: CheckType;
  column: string | null;
  dimension: Dimension;
  severity: 'warn' | 'error';
  /** pass; warn or fail when too many rows failed (by severity); error when the check could not run */
  status: 'pass' | 'warn' | 'fail' | 'error';
  /** rows checked (1 for a check on the whole table) */
  evaluated: number;
  /** rows that failed (0 or 1 for a check on the whole table) */
  failed: number;
  /** what was measured, for checks on the whole table (a count, an age in days, …) */
  observed: number | string | null;
  message: string;
  examples: CheckExample[];
}

/** Where and how a check reads the data. */
export interface CheckContext {
  engine: Engine;
  node: string;
  /** a FROM clause with the checked table as `t` (and, while landing, the stage as `s`) */
  from: string;
  /** a condition every checked row meets (e.g. not quarantined, within retention), or undefined */
  base?: string;
  /** the expression of a column's value: landed (`t.col`), or raw from the stage for `needsRawValue` checks */
  value: (column: string, raw: boolean) => string;
  /** the source row number expression, when known */
  rowNumber?: string;
  /** the column's classification, to decide what an example may show */
  columnDef?: (column: string) => ColumnDef | undefined;
  /** ISO date the data describes: 'today' in date checks and freshness */
  referenceDate: string;
  /** schema-qualified name of another node, for relationships and sql checks */
  resolve: (node: string) => string;
  /** the checked table, for `{{ this }}` in sql checks */
  self: string;
  /** table-level facts for row_count_change and schema */
  facts?: { previousRows?: number; deliveredColumns?: string[] };
}

const EXAMPLES = 5;

/** Evaluate one check; never throws for a broken check (status 'error' with the engine's message). */
export async function evaluateCheck(ctx: CheckContext, check: CheckDef): Promise<CheckResult> {
  const base: Omit<CheckResult, 'status' | 'evaluated' | 'failed' | 'observed' | 'message' | 'examples'> = {
    node: ctx.node,
    check: check.id,
    type: check.type,
    column: check.column ?? (check.columns ? check.columns.join(', ') : null),
    dimension: dimensionOf(check.type),
    severity: check.severity,
  };
  try {
    if (isRowCheck(check) || check.type === 'relationships' || check.type === 'sql')
      return { ...base, ...(await rowCheck(ctx, check)) };
    return { ...base, ...(await tableCheck(ctx, check)) };
  } catch (e) {
    return {
      ...base,
      status: 'error',
      evaluated: 0,
      failed: 0,
      observed: null,
      message: `could not run: ${(e as Error).message.split('\n')[0] ?? ''}`,
      examples: [],
    };
  }
}

type Outcome = Pick<CheckResult, 'status' | 'evaluated' | 'failed' | 'observed' | 'message' | 'examples'>;

function verdict(check: CheckDef, evaluated: number, failed: number): CheckResult['status'] {
  const ok = evaluated === 0 || failed <= Math.floor((1 - check.mostly) * evaluated + 1e-9);
  return ok ? 'pass' : check.severity === 'error' ? 'fail' : 'warn';
}

/** SQL for "this row fails" of a row check, over value expression `v`. */
function failCondition(ctx: CheckContext, check: CheckDef, v: string): string {
  const d = ctx.engine.dialect;
  const p = check.params;
  const text = `CAST(${v} AS VARCHAR)`;
  const lit = (x: unknown): string => (typeof x === 'number' ? String(x) : d.quoteString(String(x)));
  const between = (expr: string, min: unknown, max: unknown): string =>
    [
      ...(min !== undefined ? [`${expr} < ${min}`] : []),
      ...(max !== undefined ? [`${expr} > ${max}`] : []),
    ].join(' OR ');
  switch (check.type) {
    case 'not_null':
      return `${v} IS NULL`;
    case 'accepted_values':
      return `${v} IS NOT NULL AND ${text} NOT IN (${(p.values as unknown[]).map((x) => d.quoteString(String(x))).join(', ')})`;
    case 'range': {
      const bound = (x: unknown): string | undefined =>
        x === undefined ? undefined : typeof x === 'number' ? String(x) : `CAST(${lit(x)} AS DATE)`;
      return `${v} IS NOT NULL AND (${between(v, bound(p.min), bound(p.max))})`;
    }
    case 'regex':
      return `${v} IS NOT NULL AND NOT ${d.regexMatches(text, p.pattern as string)}`;
    case 'length':
      return `${v} IS NOT NULL AND (${between(`length(${text})`, p.min, p.max)})`;
    case 'date_range': {
      const bound = (x: unknown): string | undefined =>
        x === undefined ? undefined : dateBound(ctx, String(x));
      const min = bound(p.min);
      const max = bound(p.max ?? 'today');
      return `${v} IS NOT NULL AND (${between(`CAST(${v} AS DATE)`, min, max)})`;
    }
    case 'bsn':
    case 'postcode':
    case 'kvk':
    case 'iban':
    case 'sbi':
    case 'encoding':
    case 'bag_id':
    case 'cbs_area_code':
      return `${v} IS NOT NULL AND NOT ${d.validate(check.type as ValidatorName, text, {
        ...(p.level ? { level: p.level as 'buurt' } : {}),
        ...(p.object ? { object: p.object as 'pand' } : {}),
      })}`;
    default:
      throw new Error(`${check.type} is not a row check`);
  }
}

/** A date_range bound as SQL: an ISO date, 'today' (the reference date) or an offset from it. */
function dateBound(ctx: CheckContext, bound: string): string {
  const d = ctx.engine.dialect;
  const ref = `CAST(${d.quoteString(ctx.referenceDate)} AS DATE)`;
  if (bound === 'today') return ref;
  const m = /^([-+])(\d+) (day|month|year)s?$/.exec(bound);
  if (m) return `CAST(${ref} ${m[1]} INTERVAL ${Number(m[2])} ${(m[3] as string).toUpperCase()} AS DATE)`;
  return `CAST(${d.quoteString(bound)} AS DATE)`;
}

/** What an example may show of a column's value. */
function exampleValue(ctx: CheckContext, column: string | undefined): string {
  const def = column ? ctx.columnDef?.(column) : undefined;
  if (!column) return 'CAST(NULL AS VARCHAR)';
  if (def && (def.classification === 'sensitive' || def.classification === 'protected'))
    return 'CAST(NULL AS VARCHAR)';
  return `CAST(${ctx.value(column, false)} AS VARCHAR)`;
}

async function rowCheck(ctx: CheckContext, check: CheckDef): Promise<Outcome> {
  const d = ctx.engine.dialect;
  const filters = [ctx.base, check.where ? `(${check.where})` : undefined].filter(Boolean);
  const scope = filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : '';
  let failing: string;
  if (check.type === 'unique') {
    // A row fails when an earlier row (in file order) has the same key, empty parts counting as
    // equal (an exact copy of a record is a duplicate); a row whose key is wholly empty is not checked.
    const key = (check.columns as string[]).map((c) => ctx.value(c, false));
    failing = `SELECT *, ${key.map((k) => `${k} IS NOT NULL`).join(' OR ')} AS pk_complete,
        row_number() OVER (PARTITION BY ${key.join(', ')} ORDER BY pakhuis_rn) > 1 AS pk_repeat
      FROM (SELECT t.*, ${ctx.rowNumber ?? 'NULL'} AS pakhuis_rn, ${exampleValue(ctx, check.columns?.[0])} AS pakhuis_ex FROM ${ctx.from} ${scope}) AS t`;
    failing = `SELECT pakhuis_rn, pakhuis_ex, pk_complete AND pk_repeat AS pakhuis_failed, pk_complete AS pakhuis_checked FROM (${failing}) AS u`;
  } else if (check.type === 'relationships') {
    const field = d.quoteIdentifier((check.params.field as string | undefined) ?? (check.column as string));
    const v = ctx.value(check.column as string, false);
    failing = `SELECT ${ctx.rowNumber ?? 'NULL'} AS pakhuis_rn, ${exampleValue(ctx, check.column)} AS pakhuis_ex,
        ${v} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ctx.resolve(check.params.to as string)} AS r WHERE r.${field} = ${v}) AS pakhuis_failed,
        ${v} IS NOT NULL AS pakhuis_checked
      FROM ${ctx.from} ${scope}`;
  } else if (check.type === 'sql') {
    // the query returns the failing rows; evaluated = the rows of the checked table
    const sql = compileRefs(
      (check.params.sql as string).replace(/\{\{\s*this\s*\}\}/g, ctx.self),
      ctx.resolve,
    );
    if (!(await ctx.engine.isSingleSelect(sql)))
      throw new Error('the sql of a check must be exactly one SELECT statement');
    const [n] = await ctx.engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${ctx.from} ${scope}`);
    const [f] = await ctx.engine.query<{ n: number }>(`SELECT count(*) AS n FROM (${sql}) AS q`);
    const evaluated = n?.n ?? 0;
    const failed = f?.n ?? 0;
    return {
      status: verdict(check, evaluated, failed),
      evaluated,
      failed,
      observed: null,
      message: failed === 0 ? 'no rows returned' : `${failed} rows returned`,
      examples: [],
    };
  } else {
    const raw = needsRawValue(check, check.column ? ctx.columnDef?.(check.column) : undefined);
    const v = ctx.value(check.column as string, raw);
    // a value check judges the rows that have a value; an empty value is not_null's business
    const checked = check.type === 'not_null' ? 'TRUE' : `${v} IS NOT NULL`;
    failing = `SELECT ${ctx.rowNumber ?? 'NULL'} AS pakhuis_rn, ${exampleValue(ctx, check.column)} AS pakhuis_ex,
        coalesce(${failCondition(ctx, check, v)}, FALSE) AS pakhuis_failed, ${checked} AS pakhuis_checked
      FROM ${ctx.from} ${scope}`;
  }
  const [counts] = await ctx.engine.query<{ evaluated: number; failed: number }>(
    `SELECT count(*) FILTER (WHERE pakhuis_checked) AS evaluated, count(*) FILTER (WHERE pakhuis_failed) AS failed FROM (${failing}) AS c`,
  );
  const evaluated = counts?.evaluated ?? 0;
  const failed = counts?.failed ?? 0;
  const examples =
    failed === 0
      ? []
      : (
          await ctx.engine.query<{ rn: number | null; ex: string | null }>(
            `SELECT pakhuis_rn AS rn, pakhuis_ex AS ex FROM (${failing}) AS c WHERE pakhuis_failed ORDER BY pakhuis_rn NULLS LAST, pakhuis_ex LIMIT ${EXAMPLES}`,
          )
        ).map((r) => ({ ...(r.rn !== null ? { row: r.rn } : {}), value: r.ex }));
  const share = evaluated > 0 ? ((100 * failed) / evaluated).toFixed(2) : '0';
  return {
    status: verdict(check, evaluated, failed),
    evaluated,
    failed,
    observed: null,
    message: failed === 0 ? `all ${evaluated} rows pass` : `${failed} of ${evaluated} rows fail (${share}%)`,
    examples,
  };
}

/** Checks on the table as a whole: one verdict, with what was observed. */
async function tableCheck(ctx: CheckContext, check: CheckDef): Promise<Outcome> {
  const d = ctx.engine.dialect;
  const p = check.params;
  const filters = [ctx.base, check.where ? `(${check.where})` : undefined].filter(Boolean);
  const scope = filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : '';
  const one = (ok: boolean, observed: number | string | null, message: string): Outcome => ({
    status: ok ? 'pass' : check.severity === 'error' ? 'fail' : 'warn',
    evaluated: 1,
    failed: ok ? 0 : 1,
    observed,
    message,
    examples: [],
  });
  const scalar = async (expr: string): Promise<unknown> =>
    (await ctx.engine.query<{ v: unknown }>(`SELECT ${expr} AS v FROM ${ctx.from} ${scope}`))[0]?.v;
  switch (check.type) {
    case 'row_count': {
      const n = Number(await scalar('count(*)'));
      const ok =
        (p.min === undefined || n >= (p.min as number)) && (p.max === undefined || n <= (p.max as number));
      return one(ok, n, `${n} rows${ok ? '' : `, expected ${rangeText(p.min, p.max)}`}`);
    }
    case 'row_count_change': {
      const n = Number(await scalar('count(*)'));
      const before = ctx.facts?.previousRows;
      if (before === undefined || before === 0)
        return one(true, n, `${n} rows; no previous load to compare with`);
      const change = (n - before) / before;
      const pct = (s: unknown): number => Number(String(s).replace('%', '')) / 100;
      const ok =
        !(p.max_decrease !== undefined && -change > pct(p.max_decrease)) &&
        !(p.max_increase !== undefined && change > pct(p.max_increase));
      return one(
        ok,
        Number((100 * change).toFixed(2)),
        `${n} rows, ${change >= 0 ? '+' : ''}${(100 * change).toFixed(1)}% against the previous load (${before})`,
      );
    }
    case 'freshness': {
      const v = ctx.value(check.column as string, false);
      const age = await scalar(
        `date_diff('day', CAST(max(${v}) AS DATE), CAST(${d.quoteString(ctx.referenceDate)} AS DATE))`,
      );
      if (age === null || age === undefined) return one(false, null, 'no values: nothing is fresh');
      const days = Number(age);
      const ok = days <= (p.max_age_days as number);
      const when = days >= 0 ? `${days} days before` : `${-days} days after`;
      return one(
        ok,
        days,
        `newest value is ${when} ${ctx.referenceDate} (at most ${String(p.max_age_days)} days before allowed)`,
      );
    }
    case 'schema': {
      const have = ctx.facts?.deliveredColumns ?? [];
      const norm = (s: string): string => s.trim().toLowerCase();
      const missing = (p.required as string[]).filter((c) => !have.some((h) => norm(h) === norm(c)));
      const present = (p.forbidden as string[]).filter((c) => have.some((h) => norm(h) === norm(c)));
      const problems = [
        ...(missing.length > 0 ? [`missing: ${missing.join(', ')}`] : []),
        ...(present.length > 0 ? [`forbidden but present: ${present.join(', ')}`] : []),
      ];
      return one(
        problems.length === 0,
        have.length,
        problems.length === 0 ? 'columns as expected' : problems.join('; '),
      );
    }
    case 'aggregate': {
      if (!(await ctx.engine.isSingleSelect(`SELECT ${p.expression as string} FROM ${ctx.self}`)))
        throw new Error('the expression must be one SQL expression');
      const raw = await scalar(p.expression as string);
      const v = raw === null || raw === undefined ? null : Number(raw);
      const ok =
        v !== null &&
        (p.min === undefined || v >= (p.min as number)) &&
        (p.max === undefined || v <= (p.max as number));
      return one(
        ok,
        v,
        `${p.expression as string} = ${v ?? 'NULL'}${ok ? '' : `, expected ${rangeText(p.min, p.max)}`}`,
      );
    }
    default:
      throw new Error(`${check.type} is not a table check`);
  }
}

function rangeText(min: unknown, max: unknown): string {
  if (min !== undefined && max !== undefined) return `between ${String(min)} and ${String(max)}`;
  return min !== undefined ? `at least ${String(min)}` : `at most ${String(max)}`;
}
