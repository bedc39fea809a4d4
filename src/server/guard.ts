import type { Engine, QueryProgress, Row, SqlParams } from '../engine/engine.js';
import { SCHEMA, type Project } from '../project/types.js';

/** A public route tried to read something that is not public. Always a programming error: a 500, logged. */
export class RestrictedTableError extends Error {}

/**
 * The tables an anonymous request may read: every `public.*` table (disclosure-controlled by the
 * build) and the sources the catalog declares `access: public` (open data such as CBS figures; the
 * loader only allows that for sources whose columns are all classified `none`). Nothing else —
 * not the restricted `indicators.*` values, not models, not the system schema.
 */
export function publicTables(project: Project): (schema: string, table: string) => boolean {
  const openSources = new Set(
    project.sources.filter((s) => s.catalog.access === 'public').map((s) => s.name),
  );
  return (schema, table) => schema === SCHEMA.public || (schema === SCHEMA.sources && openSources.has(table));
}

/**
 * The engine as the public API sees it: read-only, and every query is checked against DuckDB's own
 * parse tree before it runs, so a public route cannot reach a restricted table even by mistake
 * (the same mechanism `pakhuis query` uses to authorise). Queries run one at a time, since the
 * version's single DuckDB connection is shared by all requests.
 */
export class PublicEngine implements Engine {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly inner: Engine,
    private readonly allowed: (schema: string, table: string) => boolean,
  ) {}

  get dialect(): Engine['dialect'] {
    return this.inner.dialect;
  }

  /** run `fn` after everything queued before it (one statement at a time on the shared connection) */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async check(sql: string): Promise<void> {
    const { tables, functions } = await this.inner.referencedTables(sql);
    if (functions.length > 0)
      throw new RestrictedTableError(`public reads may not call table functions (${functions.join(', ')})`);
    for (const t of tables) {
      const [schema, name] = t.includes('.') ? (t.split('.', 2) as [string, string]) : ['', t];
      if (!this.allowed(schema, name))
        throw new RestrictedTableError(`${t} is not public; a public route may read only public.* tables`);
    }
  }

  query<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.serial(async () => {
      await this.check(sql);
      return this.inner.query<T>(sql, params);
    });
  }

  describe(sql: string): Promise<Array<{ name: string; type: string }>> {
    return this.serial(async () => {
      await this.check(sql);
      return this.inner.describe(sql);
    });
  }

  tableExists(schema: string, table: string): Promise<boolean> {
    if (!this.allowed(schema, table))
      return Promise.reject(new RestrictedTableError(`${schema}.${table} is not public`));
    return this.serial(() => this.inner.tableExists(schema, table));
  }

  referencedTables(sql: string): ReturnType<Engine['referencedTables']> {
    return this.serial(() => this.inner.referencedTables(sql));
  }

  isSingleSelect(sql: string): Promise<boolean> {
    return this.serial(() => this.inner.isSingleSelect(sql));
  }

  private refuse(what: string): Promise<never> {
    return Promise.reject(new RestrictedTableError(`the public read layer never writes (${what})`));
  }

  run(): Promise<number> {
    return this.refuse('run');
  }

  createTableAs(): Promise<number> {
    return this.refuse('createTableAs');
  }

  swapTable(): Promise<void> {
    return this.refuse('swapTable');
  }

  ensureSchema(): Promise<void> {
    return this.refuse('ensureSchema');
  }

  progress(): QueryProgress {
    return this.inner.progress();
  }

  /** close the underlying engine after the queued statements */
  close(): Promise<void> {
    return this.serial(() => this.inner.close());
  }
}
