import { createHmac } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openSqlite } from './sqlite.js';

export type AuditAction =
  | 'query'
  | 'export'
  | 'reveal'
  | 'login'
  | 'definition_change'
  | 'build'
  | 'retention'
  | 'register'
  | 'audit_read'
  | 'quality_read'
  | 'denied';

export interface AuditInput {
  actor: string;
  role: string | null;
  purpose: string | null;
  action: AuditAction;
  /** what was accessed: tables, a pseudonym, a definition file … */
  resource: string;
  rows: number | null;
  detail?: Record<string, unknown>;
}

export interface AuditEntry extends Omit<AuditInput, 'detail'> {
  id: number;
  at: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface AuditBreak {
  id: number;
  kind: 'modified' | 'deleted' | 'inserted' | 'reordered';
  message: string;
}

const GENESIS = '0'.repeat(64);

/**
 * The append-only, tamper-evident audit log. Each entry carries the hash of the previous one, and
 * every hash is an HMAC under the audit key (kept apart from the pseudonymisation key), so someone who can write
 * the database but does not hold the key cannot rebuild a consistent chain after a change.
 */
export class AuditLog {
  private readonly db: Database.Database;

  constructor(
    path: string,
    private readonly key: Buffer,
  ) {
    this.db = openSqlite(
      path,
      `CREATE TABLE IF NOT EXISTS audit (
      id INTEGER NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT, purpose TEXT,
      action TEXT NOT NULL, resource TEXT NOT NULL, rows INTEGER, detail TEXT NOT NULL,
      prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`,
    );
  }

  private seal(e: Omit<AuditEntry, 'hash'>): string {
    const canonical = JSON.stringify([
      e.id,
      e.at,
      e.actor,
      e.role,
      e.purpose,
      e.action,
      e.resource,
      e.rows,
      e.detail,
      e.prev_hash,
    ]);
    return createHmac('sha256', this.key).update(canonical).digest('hex');
  }

  append(input: AuditInput): AuditEntry {
    const tx = this.db.transaction((): AuditEntry => {
      const last = this.db
        .prepare<[], { id: number; hash: string }>('SELECT id, hash FROM audit ORDER BY rowid DESC LIMIT 1')
        .get();
      const base = {
        id: (last?.id ?? 0) + 1,
        at: new Date().toISOString(),
        actor: input.actor,
        role: input.role,
        purpose: input.purpose,
        action: input.action,
        resource: input.resource,
        rows: input.rows,
        detail: JSON.stringify(input.detail ?? {}),
        prev_hash: last?.hash ?? GENESIS,
      };
      const entry = { ...base, hash: this.seal(base) };
      this.db
        .prepare(
          'INSERT INTO audit (id, at, actor, role, purpose, action, resource, rows, detail, prev_hash, hash) VALUES (@id, @at, @actor, @role, @purpose, @action, @resource, @rows, @detail, @prev_hash, @hash)',
        )
        .run(entry);
      return entry;
    });
    return tx.immediate();
  }

  entries(opts: { limit?: number; action?: string } = {}): AuditEntry[] {
    const where = opts.action ? 'WHERE action = ?' : '';
    const args: unknown[] = opts.action ? [opts.action] : [];
    return this.db
      .prepare(
        `SELECT * FROM audit ${where} ORDER BY id DESC LIMIT ${Math.max(1, Math.floor(opts.limit ?? 1000))}`,
      )
      .all(...args) as AuditEntry[];
  }

  /**
   * Walk the entries in the order they were written; name the first one that breaks the chain, and
   * how: modified (its content no longer matches its seal), deleted (entries missing before it),
   * inserted (an entry that does not belong: forged, or a replayed copy) or reordered (a genuine
   * entry in the wrong place).
   */
  verify(): { ok: true; entries: number } | { ok: false; entries: number; first: AuditBreak } {
    const rows = this.db.prepare('SELECT * FROM audit ORDER BY rowid').all() as AuditEntry[];
    const byPrev = new Map<string, AuditEntry>();
    for (const r of rows) if (!byPrev.has(r.prev_hash)) byPrev.set(r.prev_hash, r);
    const broken = (e: AuditEntry, kind: AuditBreak['kind'], message: string) => ({
      ok: false as const,
      entries: rows.length,
      first: { id: e.id, kind, message },
    });
    let prev: AuditEntry | undefined;
    for (const [i, e] of rows.entries()) {
      const expectedId = (prev?.id ?? 0) + 1;
      const expectedPrev = prev?.hash ?? GENESIS;
      const sealOk = this.seal(e) === e.hash;
      const chainOk = e.prev_hash === expectedPrev && e.id === expectedId;
      if (sealOk && chainOk) {
        prev = e;
        continue;
      }
      const next = rows[i + 1];
      if (!sealOk && chainOk && next && next.prev_hash === expectedPrev && this.seal(next) === next.hash) {
        return broken(
          e,
          'inserted',
          `entry ${e.id} was not written by Datapakhuis: it was put before the genuine entry ${next.id}`,
        );
      }
      if (!sealOk && chainOk)
        return broken(
          e,
          'modified',
          `entry ${e.id} (${e.action} by ${e.actor} at ${e.at}) was changed after it was written`,
        );
      if (!sealOk)
        return broken(
          e,
          'inserted',
          `entry ${e.id} was not written by Datapakhuis: its seal is invalid and it does not follow entry ${prev?.id ?? 0}`,
        );
      const rightful = byPrev.get(expectedPrev);
      if (rightful && rightful !== e)
        return broken(
          e,
          'reordered',
          `entry ${e.id} stands where entry ${rightful.id} belongs: the log was reordered`,
        );
      if (e.id > expectedId)
        return broken(
          e,
          'deleted',
          `entr${e.id - expectedId > 1 ? `ies ${expectedId}–${e.id - 1} are` : `y ${expectedId} is`} missing before entry ${e.id}`,
        );
      return broken(
        e,
        'inserted',
        `entry ${e.id} appears again after entry ${prev?.id ?? 0}: a copy was inserted`,
      );
    }
    return { ok: true, entries: rows.length };
  }

  close(): void {
    this.db.close();
  }
}
