import {
  quoteIdentifierStandard,
  quoteStringStandard,
  type ColumnType,
  type Dialect,
  type NumberFormat,
} from './dialect.js';

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
}
