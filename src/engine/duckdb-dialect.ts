import {
  quoteIdentifierStandard,
  quoteStringStandard,
  type ColumnType,
  type Dialect,
  type Generalisation,
  type IdentifierKind,
  type NumberFormat,
} from './dialect.js';
import { duckdbValidate } from './duckdb-validators.js';
import type { ValidatorName, ValidatorOptions } from '../quality/validators.js';

const TYPES: Record<ColumnType, string> = {
  text: 'VARCHAR',
  integer: 'BIGINT',
  decimal: 'DECIMAL(18,4)',
  number: 'DOUBLE',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  boolean: 'BOOLEAN',
};

export class DuckDBDialect implements Dialect {
  readonly name = 'duckdb' as const;

  quoteIdentifier(name: string): string {
    return quoteIdentifierStandard(name);
  }

  quoteString(value: string): string {
    return quoteStringStandard(value);
  }

  qualify(schema: string, name: string): string {
    return `${this.quoteIdentifier(schema)}.${this.quoteIdentifier(name)}`;
  }

  sqlType(type: ColumnType): string {
    return TYPES[type];
  }

  private normaliseNumber(text: string, f: NumberFormat): string {
    let e = text;
    if (f.thousands) e = `replace(${e}, ${this.quoteString(f.thousands)}, '')`;
    if (f.decimal === ',') e = `replace(${e}, ',', '.')`;
    return e;
  }

  tryConvert(
    text: string,
    type: ColumnType,
    opts: { number: NumberFormat; dateFormat: string; timestampFormat: string },
  ): string {
    switch (type) {
      case 'text':
        return text;
      case 'integer': {
        // "1.234" with a thousands dot is an integer; "12,5" is not (DuckDB would round it).
        const n = this.normaliseNumber(text, opts.number);
        return `CASE WHEN NOT contains(${n}, '.') THEN TRY_CAST(${n} AS BIGINT) END`;
      }
      case 'decimal':
      case 'number':
        return `TRY_CAST(${this.normaliseNumber(text, opts.number)} AS ${TYPES[type]})`;
      case 'date':
        return `CAST(TRY_STRPTIME(${text}, ${this.quoteString(opts.dateFormat)}) AS DATE)`;
      case 'timestamp':
        return `TRY_STRPTIME(${text}, ${this.quoteString(opts.timestampFormat)})`;
      case 'boolean':
        return `CASE lower(${text}) WHEN 'ja' THEN true WHEN 'j' THEN true WHEN 'true' THEN true WHEN '1' THEN true WHEN 'yes' THEN true WHEN 'nee' THEN false WHEN 'n' THEN false WHEN 'false' THEN false WHEN '0' THEN false WHEN 'no' THEN false END`;
    }
  }

  regexMatches(text: string, pattern: string): string {
    return `regexp_full_match(${text}, ${this.quoteString(pattern)})`;
  }

  normaliseIdentifier(kind: IdentifierKind, text: string): string {
    const digits = (width: number): string =>
      `lpad(regexp_replace(${text}, '[^0-9]', '', 'g'), ${width}, '0')`;
    switch (kind) {
      case 'bsn':
        return digits(9);
      case 'kvk':
        return digits(8);
      case 'bag_id':
        return digits(16);
      case 'phone':
        return `regexp_replace(${text}, '[^0-9+]', '', 'g')`;
      case 'email':
        return `lower(trim(${text}))`;
      case 'postcode_huisnummer':
        return `upper(regexp_replace(${text}, '\\s', '', 'g'))`;
      case 'name':
      case 'address':
      case 'text':
        return `lower(strip_accents(regexp_replace(trim(${text}), '\\s+', ' ', 'g')))`;
    }
  }

  addressKey(postcode: string, huisnummer: string, suffix: string[]): string {
    const nr = `CAST(${huisnummer} AS VARCHAR)`;
    const rest = [`regexp_replace(${nr}, '^\\s*[0-9]+', '')`, ...suffix.map((s) => `CAST(${s} AS VARCHAR)`)]
      .map((x) => `coalesce(${x}, '')`)
      .join(' || ');
    return `upper(regexp_replace(${postcode}, '\\s', '', 'g')) || '|' || coalesce(CAST(TRY_CAST(regexp_extract(${nr}, '^\\s*([0-9]+)', 1) AS INTEGER) AS VARCHAR), '') || '|' || upper(regexp_replace(${rest}, '[^0-9A-Za-z]', '', 'g'))`;
  }

  pseudonymise(text: string, innerPadHex: string, outerPadHex: string): string {
    return `substr(sha256(unhex(${outerPadHex}) || unhex(sha256(unhex(${innerPadHex}) || encode(${text})))), 1, 32)`;
  }

  generalise(kind: Generalisation, value: string, today: string): string {
    switch (kind) {
      case 'year':
        return `CAST(extract(year FROM ${value}) AS BIGINT)`;
      case 'month':
        return `CAST(date_trunc('month', ${value}) AS DATE)`;
      case 'pc4':
        return `substr(upper(regexp_replace(${value}, '\\s', '', 'g')), 1, 4)`;
      case 'age_band': {
        const age = `(extract(year FROM ${today}) - extract(year FROM ${value}) - CASE WHEN strftime(${today}, '%m%d') < strftime(${value}, '%m%d') THEN 1 ELSE 0 END)`;
        const lo = `CAST(least(floor(${age} / 5) * 5, 90) AS BIGINT)`;
        return `CASE WHEN ${value} IS NULL THEN NULL WHEN ${lo} >= 90 THEN '90+' ELSE CAST(${lo} AS VARCHAR) || '-' || CAST(${lo} + 4 AS VARCHAR) END`;
      }
    }
  }

  readCsv(
    path: string,
    o: { delimiter: string; quote: string; columns: string[]; rejectsTable: string },
  ): string {
    const q = (v: string): string => this.quoteString(v);
    const columns = o.columns.map((c) => `${q(c)}: 'VARCHAR'`).join(', ');
    return (
      `read_csv(${q(path)}, delim = ${q(o.delimiter)}, quote = ${q(o.quote)}, escape = ${q(o.quote)}, header = true, ` +
      `auto_detect = false, columns = {${columns}}, null_padding = false, store_rejects = true, ` +
      `rejects_table = ${q(o.rejectsTable)}, rejects_scan = ${q(`${o.rejectsTable}_scan`)})`
    );
  }

  readJson(path: string, o: { format: 'array' | 'ndjson'; columns?: string[] }): string {
    const format = this.quoteString(o.format === 'array' ? 'array' : 'newline_delimited');
    if (!o.columns) return `read_json(${this.quoteString(path)}, format = ${format}, sample_size = -1)`;
    return `read_json(${this.quoteString(path)}, format = ${format}, columns = {${o.columns.map((k) => `${this.quoteString(k)}: 'VARCHAR'`).join(', ')}})`;
  }

  readParquet(path: string): string {
    return `read_parquet(${this.quoteString(path)}, file_row_number = true)`;
  }

  validate(kind: ValidatorName, text: string, o?: ValidatorOptions): string {
    return duckdbValidate(kind, text, o);
  }
}
