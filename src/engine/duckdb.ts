import { DuckDBInstance, StatementType, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { DuckDBDialect } from './duckdb-dialect.js';
import { plainValue, type Engine, type QueryProgress, type Row, type SqlParams } from './engine.js';

export interface DuckDBOptions {
  readOnly?: boolean;
  /** no access to files or the network beyond the database itself (for user queries) */
  sandbox?: boolean;
  /** DuckDB memory limit, e.g. '4GB' */
  memoryLimit?: string;
}

/** The embedded engine: one DuckDB database file (or ':memory:'). */
export class DuckDBEngine implements Engine {
  readonly dialect = new DuckDBDialect();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly path: string,
  ) {}

  static async open(path: string, opts: DuckDBOptions = {}): Promise<DuckDBEngine> {
    const config: Record<string, string> = {};
    if (opts.readOnly) config['access_mode'] = 'READ_ONLY';
    if (opts.sandbox) {
      config['enable_external_access'] = 'false';
      config['lock_configuration'] = 'true';
    }
    if (opts.memoryLimit) config['memory_limit'] = opts.memoryLimit;
    const instance = await DuckDBInstance.create(path, config);
    const connection = await instance.connect();
    if (!opts.sandbox)
      await connection.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false');
    return new DuckDBEngine(instance, connection, path);
  }

  async run(sql: string, params?: SqlParams): Promise<number> {
    const result = await this.connection.run(
      sql,
      params as DuckDBValue[] | Record<string, DuckDBValue> | undefined,
    );
    return Number(result.rowsChanged);
  }

  async query<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(
      sql,
      params as DuckDBValue[] | Record<string, DuckDBValue> | undefined,
    );
    return reader.getRowObjectsJS().map((row) => {
      const out: Row = {};
      for (const [k, v] of Object.entries(row)) out[k] = plainValue(v);
      return out as T;
    });
  }

  async describe(sql: string): Promise<Array<{ name: string; type: string }>> {
    const rows = await this.query<{ column_name: string; column_type: string }>(`DESCRIBE ${sql}`);
    return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
  }

  async createTableAs(schema: string, table: string, select: string): Promise<number> {
    await this.ensureSchema(schema);
    await this.run(`CREATE OR REPLACE TABLE ${this.dialect.qualify(schema, table)} AS ${select}`);
    const [row] = await this.query<{ n: number }>(
      `SELECT count(*) AS n FROM ${this.dialect.qualify(schema, table)}`,
    );
    return row?.n ?? 0;
  }

  async swapTable(schema: string, staged: string, target: string): Promise<void> {
    const d = this.dialect;
    await this.run('BEGIN TRANSACTION');
    try {
      await this.run(`DROP TABLE IF EXISTS ${d.qualify(schema, target)}`);
      await this.run(`ALTER TABLE ${d.qualify(schema, staged)} RENAME TO ${d.quoteIdentifier(target)}`);
      await this.run('COMMIT');
    } catch (e) {
      await this.run('ROLLBACK');
      throw e;
    }
  }

  async ensureSchema(schema: string): Promise<void> {
    await this.run(`CREATE SCHEMA IF NOT EXISTS ${this.dialect.quoteIdentifier(schema)}`);
  }

  async tableExists(schema: string, table: string): Promise<boolean> {
    const rows = await this.query(
      'SELECT 1 FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = $1 AND table_name = $2',
      [schema, table],
    );
    return rows.length > 0;
  }

  async referencedTables(sql: string): Promise<{ tables: string[]; functions: string[]; ctes: string[] }> {
    const [row] = await this.query<{ j: string }>(
      `SELECT json_serialize_sql(${this.dialect.quoteString(sql)}) AS j`,
    );
    const ast = JSON.parse(row?.j ?? '{}') as { error?: boolean; error_message?: string };
    if (ast.error) throw new Error(ast.error_message ?? 'the query does not parse');
    const tables = new Set<string>();
    const functions = new Set<string>();
    const ctes = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (node === null || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n['type'] === 'BASE_TABLE') {
        const schema = String(n['schema_name'] ?? '');
        const name = String(n['table_name'] ?? '');
        tables.add(schema ? `${schema}.${name}` : name);
      }
      if (n['type'] === 'TABLE_FUNCTION') {
        const fn = (n['function'] as Record<string, unknown> | undefined)?.['function_name'];
        functions.add(String(fn ?? 'unknown'));
      }
      const cteMap = (n['cte_map'] as { map?: Array<{ key: string }> } | undefined)?.map;
      for (const c of cteMap ?? []) ctes.add(c.key);
      for (const v of Object.values(n)) walk(v);
    };
    walk(ast);
    for (const c of ctes) tables.delete(c);
    return { tables: [...tables], functions: [...functions], ctes: [...ctes] };
  }

  async isSingleSelect(sql: string): Promise<boolean> {
    const extracted = await this.connection.extractStatements(sql);
    if (extracted.count !== 1) return false;
    const prepared = await extracted.prepare(0);
    return prepared.statementType === StatementType.SELECT;
  }

  progress(): QueryProgress {
    return { percentage: this.connection.progress.percentage };
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
