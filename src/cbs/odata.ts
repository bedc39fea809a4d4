import { z } from 'zod';
import { editDistance } from '../util/text.js';
import { CbsError, CbsShapeError } from './errors.js';

/**
 * What we know about a cell besides its value. CBS publishes symbols instead of numbers; the table
 * description of 85984NED ("Verklaring van symbolen") lists them, and OData v4 carries them in
 * `ValueAttribute`:
 * - `impossible`: blank in StatLine, "het cijfer kan op logische gronden niet voorkomen"
 *   (v4 `Impossible`, an empty string in the v3 UntypedDataSet);
 * - `unavailable`: ".", "het cijfer is onbekend, onvoldoende betrouwbaar of geheim" — CBS does not
 *   say which of the three, and the v3 TypedDataSet turns every symbol into `null`, so a null there
 *   is `unavailable` too;
 * - `confidential`: known to be secret (v4 `Confidential`; "x" in older v3 tables).
 * A value that is not `ok` is always `null`, never 0.
 */
export type CellStatus = 'ok' | 'impossible' | 'unavailable' | 'confidential';

/** A code of a dimension (WijkenEnBuurten, Perioden, …), trimmed, with the key exactly as served. */
export interface DimensionCode {
  /** trimmed: `GM0400` */
  key: string;
  /** as CBS serves it, e.g. `GM0400    ` (region keys are padded to 10 characters) */
  rawKey: string;
  title: string;
  description: string | null;
  /** every field as served */
  properties: Record<string, unknown>;
}

export type JsonObject = Record<string, unknown>;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An OData string literal (both v3 and v4 double a quote inside it). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function column(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new CbsError(
      `"${name}" is not an OData column name`,
      'use a key from DataProperties, MeasureCodes or Dimensions (letters, digits and _)',
    );
  }
  return name;
}

/**
 * `(Col eq 'a' or Col eq 'b')`. CBS compares codes with their padding: `WijkenEnBuurten eq 'GM0400'`
 * finds nothing, `'GM0400    '` does (the TableInfos DefaultSelection of 85984NED is written that
 * way). Pass keys as served (`DimensionCode.rawKey`), or use `exactCodes` to look them up.
 */
export function anyEq(name: string, values: string[]): string {
  return `(${values.map((v) => `${column(name)} eq ${literal(v)}`).join(' or ')})`;
}

/**
 * Substring tests, ORed: OData v3 `substringof('GM0400', Col)`, v4 `contains(Col,'GM0400')` (the
 * forms CBS's own R clients cbsodataR and cbsodata4 send). They need no padding. Region codes start
 * with their level (GM/WK/BU) and the gemeente number, so `WK0400` only occurs at the start.
 */
export function containsAny(version: 'v3' | 'v4', name: string, parts: string[]): string {
  const test = (part: string) =>
    version === 'v3'
      ? `substringof(${literal(part)}, ${column(name)})`
      : `contains(${column(name)},${literal(part)})`;
  return `(${parts.map(test).join(' or ')})`;
}

/** Filters joined with `and`; undefined when there are none. */
export function allOf(...filters: Array<string | undefined>): string | undefined {
  const present = filters.filter((f): f is string => f !== undefined && f.trim() !== '');
  if (present.length === 0) return undefined;
  return present.length === 1 ? present[0] : present.map((f) => `(${f})`).join(' and ');
}

/** The keys as CBS serves them (padded) for trimmed codes; fails on a code the dimension lacks. */
export function exactCodes(
  wanted: string[],
  served: Array<Pick<DimensionCode, 'key' | 'rawKey'>>,
  what: string,
): string[] {
  const byKey = new Map(served.map((c) => [c.key, c.rawKey]));
  return wanted.map((code) => {
    const raw = byKey.get(code.trim());
    if (raw !== undefined) return raw;
    const near = nearest(
      code,
      served.map((c) => c.key),
    );
    throw new CbsError(
      `${what} has no code "${code}"`,
      near.length > 0 ? `use one of its codes, e.g. ${near.join(', ')}` : `${what} has no codes at all`,
    );
  });
}

/** Up to `n` candidates closest to `word` (case-insensitive edit distance). */
export function nearest(word: string, candidates: Iterable<string>, n = 5): string[] {
  const w = word.toLowerCase();
  return [...new Set(candidates)]
    .map((c) => ({ c, d: editDistance(w, c.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, n)
    .map((x) => x.c);
}

/** Trim the key and title of dimension rows (v3 `Key`, v4 `Identifier`). */
export function toDimensionCodes(rows: JsonObject[], keyField: 'Key' | 'Identifier', url: string) {
  const parsed = expectShape(
    z.array(z.looseObject({ [keyField]: z.string(), Title: z.string().nullable().optional() })),
    rows,
    url,
    'dimension codes',
  );
  return parsed.map((row): DimensionCode => ({
    key: String(row[keyField]).trim(),
    rawKey: String(row[keyField]),
    title: (typeof row['Title'] === 'string' ? row['Title'] : '').trim(),
    description: typeof row['Description'] === 'string' ? row['Description'] : null,
    properties: row,
  }));
}

/** Validate JSON from CBS against what OData promises; a mismatch names the URL and the fields. */
export function expectShape<T extends z.ZodType>(
  schema: T,
  data: unknown,
  url: string,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((issue) => {
    const at = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
    return `${at}: ${issue.message}`;
  });
  const more = result.error.issues.length > 3 ? ` (and ${result.error.issues.length - 3} more)` : '';
  throw new CbsShapeError(
    `${url} did not return ${what} in the shape OData promises: ${issues.join('; ')}${more}`,
    'check that the URL names an OData entity set of this table; if it does, CBS changed the API: report it',
    url,
  );
}

/** One promise per key: concurrent and later callers share it; a failure is not remembered. */
export function memo<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let promise = cache.get(key);
  if (!promise) {
    promise = load();
    promise.catch(() => cache.delete(key));
    cache.set(key, promise);
  }
  return promise;
}
