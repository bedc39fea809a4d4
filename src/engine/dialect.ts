import type { ValidatorName, ValidatorOptions } from '../quality/validators.js';

/**
 * A Dialect writes SQL; an Engine runs it. Every identifier or literal that comes from a definition
 * or a user goes through one of these functions — nothing else in the code base may splice text into SQL.
 */
export type ColumnType = 'text' | 'integer' | 'decimal' | 'number' | 'date' | 'timestamp' | 'boolean';

export interface NumberFormat {
  /** decimal separator in the source text */
  decimal: ',' | '.';
  /** thousands separator in the source text, if any */
  thousands: '.' | ',' | ' ' | null;
}

export interface Dialect {
  readonly name: 'duckdb' | 'postgres';
  quoteIdentifier(name: string): string;
  quoteString(value: string): string;
  /** schema-qualified, quoted name */
  qualify(schema: string, name: string): string;
  /** the engine type for a declared column type */
  sqlType(type: ColumnType): string;
  /**
   * An expression that converts the text expression `text` to `type`, or yields NULL when it cannot.
   * `dateFormat` is a strftime pattern (see `toStrftime`).
   */
  tryConvert(
    text: string,
    type: ColumnType,
    opts: { number: NumberFormat; dateFormat: string; timestampFormat: string },
  ): string;
  /** a boolean expression: does `text` match the regular expression `pattern` */
  regexMatches(text: string, pattern: string): string;
  /** the normal form of an identifier before it is pseudonymised (BSN zero-padded, names folded, …) */
  normaliseIdentifier(kind: IdentifierKind, text: string): string;
  /**
   * The normal form of a Dutch address for geocoding: postcode without spaces in capitals | house
   * number | huisletter + toevoeging (letters and digits only, capitals). A house number may carry
   * its letter or toevoeging itself ("12A", "31-2"): what follows the digits counts as suffix.
   */
  addressKey(postcode: string, huisnummer: string, suffix: string[]): string;
  /**
   * HMAC-SHA-256 of `text` as 32 hex characters, from the key's inner and outer padded blocks given
   * as hex expressions (bound parameters, so the key never appears in SQL text).
   */
  pseudonymise(text: string, innerPadHex: string, outerPadHex: string): string;
  /** keep only part of a quasi-identifier; `today` is the reference date expression for ages */
  generalise(kind: Generalisation, value: string, today: string): string;
  /**
   * A relation over a CSV file: every column text, named `columns` in file order, header skipped;
   * structural errors go to `rejectsTable` (line, column, error type) instead of failing the read.
   */
  readCsv(
    path: string,
    o: { delimiter: string; quote: string; columns: string[]; rejectsTable: string },
  ): string;
  /** a relation over a JSON array or NDJSON file; with `columns`, only those keys, as text */
  readJson(path: string, o: { format: 'array' | 'ndjson'; columns?: string[] }): string;
  /** a relation over a Parquet file, typed, with its 0-based `file_row_number` */
  readParquet(path: string): string;
  /**
   * a boolean SQL expression, TRUE when the non-null text expression `text` is a valid value of this
   * kind (rules: src/quality/validators.ts); never NULL for a non-null input
   */
  validate(kind: ValidatorName, text: string, o?: ValidatorOptions): string;
}

export type IdentifierKind =
  'bsn' | 'name' | 'address' | 'bag_id' | 'postcode_huisnummer' | 'phone' | 'email' | 'kvk' | 'text';
export type Generalisation = 'year' | 'age_band' | 'month' | 'pc4';
/** `buurt` is not an expression on one value: landing geocodes a coordinate pair (see land.ts) */

export class UnsafeSqlError extends Error {}

function rejectControl(value: string, what: string): void {
  if (value.includes('\u0000'))
    throw new UnsafeSqlError(`${what} contains a NUL character, which no SQL engine accepts`);
}

/** Standard SQL quoting, shared by DuckDB and PostgreSQL (both use standard-conforming strings). */
export function quoteIdentifierStandard(name: string): string {
  if (name.length === 0) throw new UnsafeSqlError('an identifier cannot be empty');
  rejectControl(name, `identifier ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteStringStandard(value: string): string {
  rejectControl(value, 'string literal');
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Dutch-friendly date patterns (`dd-mm-jjjj`, `jjjj-mm-dd`, `dd-mm-jjjj uu:mm:ss`, `yyyy/mm/dd`) to
 * strftime (`%d-%m-%Y`). `mm` after an hour token means minutes. A pattern containing `%` is strftime already.
 */
export function toStrftime(pattern: string): string {
  if (pattern.includes('%')) return pattern;
  const tokens: Array<[RegExp, string]> = [
    [/^(jjjj|yyyy)/i, '%Y'],
    [/^(jj|yy)/i, '%y'],
    [/^(uu|hh)/i, '%H'],
    [/^ss/i, '%S'],
    [/^dd/i, '%d'],
    [/^mm/i, '%m'],
  ];
  let out = '';
  let afterHour = false;
  let rest = pattern;
  while (rest.length > 0) {
    const hit = tokens.find(([re]) => re.test(rest));
    if (!hit) {
      out += rest[0] === '%' ? '%%' : rest[0];
      rest = rest.slice(1);
      continue;
    }
    const [re, fmt] = hit;
    const len = (re.exec(rest) as RegExpExecArray)[0].length;
    out += fmt === '%m' && afterHour ? '%M' : fmt;
    if (fmt === '%H') afterHour = true;
    rest = rest.slice(len);
  }
  return out;
}
