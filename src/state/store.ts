import type Database from 'better-sqlite3';
import { openSqlite } from './sqlite.js';
import type { CheckResult } from '../quality/checks.js';
import type { ColumnProfile } from '../quality/profile.js';
import type { QualityScore } from '../quality/score.js';

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
  kind: 'source' | 'model' | 'publication' | 'indicator';
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
      CREATE TABLE IF NOT EXISTS check_results (
        run_id INTEGER NOT NULL, load_id TEXT, node TEXT NOT NULL, check_id TEXT NOT NULL, type TEXT NOT NULL,
        column_name TEXT, dimension TEXT NOT NULL, severity TEXT NOT NULL, status TEXT NOT NULL,
        evaluated INTEGER NOT NULL, failed INTEGER NOT NULL, observed TEXT, message TEXT NOT NULL,
        examples TEXT NOT NULL, at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS check_results_node ON check_results(node, run_id);
      CREATE TABLE IF NOT EXISTS profiles (
        load_id TEXT NOT NULL, run_id INTEGER NOT NULL, source TEXT NOT NULL, column_name TEXT NOT NULL,
        profile TEXT NOT NULL, at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS profiles_source ON profiles(source, at);
      CREATE TABLE IF NOT EXISTS quality_scores (
        run_id INTEGER NOT NULL, load_id TEXT, node TEXT NOT NULL, completeness REAL, validity REAL,
        uniqueness REAL, timeliness REAL, consistency REAL, score REAL, at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS quality_scores_node ON quality_scores(node, run_id);
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

  recordChecks(runId: number, loadId: string | null, results: CheckResult[]): void {
    const insert = this.db.prepare(
      `INSERT INTO check_results (run_id, load_id, node, check_id, type, column_name, dimension, severity, status,
        evaluated, failed, observed, message, examples, at)
       VALUES (@run_id, @load_id, @node, @check, @type, @column, @dimension, @severity, @status, @evaluated, @failed,
        @observed, @message, @examples, @at)`,
    );
    const at = new Date().toISOString();
    this.db.transaction(() => {
      for (const r of results)
        insert.run({
          ...r,
          run_id: runId,
          load_id: loadId,
          observed: r.observed === null ? null : String(r.observed),
          examples: JSON.stringify(r.examples),
          at,
        });
    })();
  }

  /** the check results of one run (every node), or of one load */
  checkResults(where: { runId: number } | { loadId: string }): CheckResult[] {
    const rows =
      'runId' in where
        ? this.db
            .prepare<[number], CheckRow>('SELECT * FROM check_results WHERE run_id = ? ORDER BY rowid')
            .all(where.runId)
        : this.db
            .prepare<[string], CheckRow>('SELECT * FROM check_results WHERE load_id = ? ORDER BY rowid')
            .all(where.loadId);
    return rows.map(checkFromRow);
  }

  recordProfile(runId: number, loadId: string, source: string, profile: ColumnProfile[]): void {
    const insert = this.db.prepare(
      'INSERT INTO profiles (load_id, run_id, source, column_name, profile, at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const at = new Date().toISOString();
    this.db.transaction(() => {
      for (const p of profile) insert.run(loadId, runId, source, p.column, JSON.stringify(p), at);
    })();
  }

  /** the profile of one load, or the history of one column of a source (newest first) */
  profiles(
    where: { loadId: string } | { source: string; column: string; limit?: number },
  ): Array<ColumnProfile & { loadId: string; at: string }> {
    const rows =
      'loadId' in where
        ? this.db
            .prepare<[string], { load_id: string; profile: string; at: string }>(
              'SELECT load_id, profile, at FROM profiles WHERE load_id = ? ORDER BY rowid',
            )
            .all(where.loadId)
        : this.db
            .prepare<[string, string, number], { load_id: string; profile: string; at: string }>(
              'SELECT load_id, profile, at FROM profiles WHERE source = ? AND column_name = ? ORDER BY rowid DESC LIMIT ?',
            )
            .all(where.source, where.column, where.limit ?? 20);
    return rows.map((r) => ({ ...(JSON.parse(r.profile) as ColumnProfile), loadId: r.load_id, at: r.at }));
  }

  recordScore(runId: number, loadId: string | null, node: string, score: QualityScore): void {
    this.db
      .prepare(
        `INSERT INTO quality_scores (run_id, load_id, node, completeness, validity, uniqueness, timeliness, consistency, score, at)
         VALUES (@run_id, @load_id, @node, @completeness, @validity, @uniqueness, @timeliness, @consistency, @score, @at)`,
      )
      .run({ ...score, run_id: runId, load_id: loadId, node, at: new Date().toISOString() });
  }

  /** a node's scores, newest first */
  scores(
    node: string,
    limit = 20,
  ): Array<QualityScore & { run_id: number; load_id: string | null; at: string }> {
    return this.db
      .prepare<[string, number], QualityScore & { run_id: number; load_id: string | null; at: string }>(
        `SELECT run_id, load_id, completeness, validity, uniqueness, timeliness, consistency, score, at
         FROM quality_scores WHERE node = ? ORDER BY rowid DESC LIMIT ?`,
      )
      .all(node, limit);
  }

  /** the scores recorded in one run */
  runScores(runId: number): Array<{ node: string } & QualityScore> {
    return this.db
      .prepare<[number], { node: string } & QualityScore>(
        `SELECT node, completeness, validity, uniqueness, timeliness, consistency, score
         FROM quality_scores WHERE run_id = ? ORDER BY rowid`,
      )
      .all(runId);
  }

  /** the last successful or reused load of a source before this run */
  previousLoad(source: string, beforeRun: number): LoadRecord | undefined {
    return this.db
      .prepare<[string, number], LoadRecord>(
        `SELECT * FROM loads WHERE source = ? AND run_id < ? AND status IN ('success', 'reused') ORDER BY rowid DESC LIMIT 1`,
      )
      .get(source, beforeRun);
  }

  /** when the content with this checksum was first loaded */
  firstLoadOf(source: string, sha256: string): string | undefined {
    return (
      this.db
        .prepare<[string, string], { loaded_at: string }>(
          "SELECT min(loaded_at) AS loaded_at FROM loads WHERE source = ? AND sha256 = ? AND status IN ('success', 'reused')",
        )
        .get(source, sha256)?.loaded_at ?? undefined
    );
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

interface CheckRow {
  node: string;
  check_id: string;
  type: CheckResult['type'];
  column_name: string | null;
  dimension: CheckResult['dimension'];
  severity: CheckResult['severity'];
  status: CheckResult['status'];
  evaluated: number;
  failed: number;
  observed: string | null;
  message: string;
  examples: string;
}

function checkFromRow(r: CheckRow): CheckResult {
  return {
    node: r.node,
    check: r.check_id,
    type: r.type,
    column: r.column_name,
    dimension: r.dimension,
    severity: r.severity,
    status: r.status,
    evaluated: r.evaluated,
    failed: r.failed,
    observed: r.observed === null ? null : Number.isNaN(Number(r.observed)) ? r.observed : Number(r.observed),
    message: r.message,
    examples: JSON.parse(r.examples) as CheckResult['examples'],
  };
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
