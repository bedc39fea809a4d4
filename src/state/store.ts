import type Database from 'better-sqlite3';
import { openSqlite } from './sqlite.js';

export type RunStatus = 'running' | 'success' | 'failed' | 'aborted';
export type StepStatus = 'success' | 'failed' | 'skipped' | 'reused';

export interface RunRecord {
  id: number;
  started_at: string;
  finished_at: string | null;
  status: RunStatus;
  command: string;
  pid: number;
  version: string | null;
  error: string | null;
}

export interface StepRecord {
  run_id: number;
  node: string;
  kind: 'source' | 'model' | 'publication';
  status: StepStatus;
  started_at: string;
  duration_ms: number;
  rows: number | null;
  error: string | null;
}

export interface LoadRecord {
  id: string;
  run_id: number;
  source: string;
  file: string;
  sha256: string;
  bytes: number;
  definition_hash: string;
  archived_as: string;
  rows_read: number;
  rows_loaded: number;
  rows_quarantined: number;
  dropped_columns: string;
  notes: string;
  status: 'success' | 'failed' | 'reused';
  error: string | null;
  duration_ms: number;
  loaded_at: string;
}

/**
 * Application state that outlives warehouse versions: the run and load history. Kept in SQLite
 * (one file, safe for several processes) so a server can read history while a build runs.
 */
export class StateStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = openSqlite(
      path,
      `
      CREATE TABLE IF NOT EXISTS runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL, finished_at TEXT,
        status TEXT NOT NULL, command TEXT NOT NULL, pid INTEGER NOT NULL, version TEXT, error TEXT);
      CREATE TABLE IF NOT EXISTS steps (
        run_id INTEGER NOT NULL REFERENCES runs(id), node TEXT NOT NULL, kind TEXT NOT NULL,
        status TEXT NOT NULL, started_at TEXT NOT NULL, duration_ms INTEGER NOT NULL, rows INTEGER, error TEXT);
      CREATE TABLE IF NOT EXISTS loads (
        id TEXT PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id), source TEXT NOT NULL, file TEXT NOT NULL,
        sha256 TEXT NOT NULL, bytes INTEGER NOT NULL, definition_hash TEXT NOT NULL, archived_as TEXT NOT NULL,
        rows_read INTEGER NOT NULL, rows_loaded INTEGER NOT NULL, rows_quarantined INTEGER NOT NULL,
        dropped_columns TEXT NOT NULL, notes TEXT NOT NULL, status TEXT NOT NULL, error TEXT,
        duration_ms INTEGER NOT NULL, loaded_at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS loads_source ON loads(source, loaded_at);
      CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
    );
  }

  /** Runs left 'running' by a process that no longer exists were killed: mark them aborted. */
  reapAbandoned(isAlive: (pid: number) => boolean = processAlive): number {
    const stale = this.db
      .prepare<[], { id: number; pid: number }>("SELECT id, pid FROM runs WHERE status = 'running'")
      .all();
    const mark = this.db.prepare(
      "UPDATE runs SET status = 'aborted', finished_at = ?, error = ? WHERE id = ?",
    );
    let n = 0;
    for (const r of stale) {
      if (r.pid !== process.pid && !isAlive(r.pid)) {
        mark.run(
          new Date().toISOString(),
          `process ${r.pid} ended before the run finished (killed or crashed); the previous version stayed current`,
          r.id,
        );
        n++;
      }
    }
    return n;
  }

  startRun(command: string): number {
    const info = this.db
      .prepare("INSERT INTO runs (started_at, status, command, pid) VALUES (?, 'running', ?, ?)")
      .run(new Date().toISOString(), command, process.pid);
    return Number(info.lastInsertRowid);
  }

  finishRun(
    id: number,
    status: Exclude<RunStatus, 'running'>,
    version: string | null,
    error: string | null,
  ): void {
    this.db
      .prepare('UPDATE runs SET finished_at = ?, status = ?, version = ?, error = ? WHERE id = ?')
      .run(new Date().toISOString(), status, version, error, id);
  }

  recordStep(step: StepRecord): void {
    this.db
      .prepare(
        'INSERT INTO steps (run_id, node, kind, status, started_at, duration_ms, rows, error) VALUES (@run_id, @node, @kind, @status, @started_at, @duration_ms, @rows, @error)',
      )
      .run(step);
  }

  recordLoad(load: LoadRecord): void {
    this.db
      .prepare(
        `INSERT INTO loads (id, run_id, source, file, sha256, bytes, definition_hash, archived_as, rows_read, rows_loaded,
          rows_quarantined, dropped_columns, notes, status, error, duration_ms, loaded_at)
         VALUES (@id, @run_id, @source, @file, @sha256, @bytes, @definition_hash, @archived_as, @rows_read, @rows_loaded,
          @rows_quarantined, @dropped_columns, @notes, @status, @error, @duration_ms, @loaded_at)`,
      )
      .run(load);
  }

  /** The load whose table is in the current version for this source. */
  lastLoadIn(version: string, source: string): LoadRecord | undefined {
    return this.db
      .prepare<[string, string], LoadRecord>(
        `SELECT l.* FROM loads l JOIN runs r ON r.id = l.run_id
         WHERE r.version = ? AND l.source = ? AND l.status IN ('success', 'reused') ORDER BY l.loaded_at DESC LIMIT 1`,
      )
      .get(version, source);
  }

  getSetting(key: string): string | undefined {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key)
      ?.value;
  }

  setSetting(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  runs(limit = 50): RunRecord[] {
    return this.db.prepare<[number], RunRecord>('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit);
  }

  run(id: number): RunRecord | undefined {
    return this.db.prepare<[number], RunRecord>('SELECT * FROM runs WHERE id = ?').get(id);
  }

  steps(runId: number): StepRecord[] {
    return this.db
      .prepare<[number], StepRecord>('SELECT * FROM steps WHERE run_id = ? ORDER BY rowid')
      .all(runId);
  }

  loads(runId?: number): LoadRecord[] {
    return runId === undefined
      ? this.db.prepare<[], LoadRecord>('SELECT * FROM loads ORDER BY loaded_at DESC').all()
      : this.db
          .prepare<[number], LoadRecord>('SELECT * FROM loads WHERE run_id = ? ORDER BY loaded_at')
          .all(runId);
  }

  close(): void {
    this.db.close();
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
