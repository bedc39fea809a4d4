import type { Dialect } from './dialect.js';

/** A value that can be bound as a query parameter. */
export type SqlValue = string | number | boolean | null | Date | bigint;
export type SqlParams = Record<string, SqlValue> | SqlValue[];
export type Row = Record<string, unknown>;

export interface QueryProgress {
  /** 0..100, or -1 when the engine cannot tell */
  percentage: number;
}

/**
 * The engine runs SQL; it never writes SQL from user input itself (that is the Dialect's job).
 * Two implementations are planned: DuckDB (embedded, default) and PostgreSQL (server).
 */
export interface Engine {
  readonly dialect: Dialect;
  /** run one or more statements; returns the number of rows changed by the last one */
  run(sql: string, params?: SqlParams): Promise<number>;
  /** run a query and return its rows as plain objects (bigint narrowed to number when safe) */
  query<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]>;
  /** column names and engine types of a query's result, without running it fully */
  describe(sql: string): Promise<Array<{ name: string; type: string }>>;
  /** `CREATE TABLE target AS select`; replaces an existing table atomically; returns the row count */
  createTableAs(schema: string, table: string, select: string): Promise<number>;
  /** atomically replace `schema.target` with `schema.staged` (the staged table disappears) */
  swapTable(schema: string, staged: string, target: string): Promise<void>;
  ensureSchema(schema: string): Promise<void>;
  tableExists(schema: string, table: string): Promise<boolean>;
  /** the tables (`schema.name`, or `name` when unqualified) and table functions a query reads */
  referencedTables(sql: string): Promise<{ tables: string[]; functions: string[]; ctes: string[] }>;
  /** is `sql` exactly one read-only SELECT statement? */
  isSingleSelect(sql: string): Promise<boolean>;
  /** the progress of the statement that is running now */
  progress(): QueryProgress;
  close(): Promise<void>;
}

/** Narrow engine values to what JSON and the CLI can show. */
export function plainValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  return v;
}
