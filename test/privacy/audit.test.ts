import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/state/audit.js';
import { tempDir } from '../helpers/project.js';

const KEY = Buffer.alloc(32, 7);

describe('audit log: append-only and tamper-evident', () => {
  let path: string;
  beforeEach(() => {
    path = join(tempDir(), 'audit.sqlite');
    const log = new AuditLog(path, KEY);
    for (let i = 1; i <= 6; i++)
      log.append({
        actor: `user${i}`,
        role: 'analist',
        purpose: 'beleidsinformatie',
        action: 'query',
        resource: `sources.t${i}`,
        rows: i * 10,
      });
    log.close();
  });

  const verify = (): ReturnType<AuditLog['verify']> => {
    const log = new AuditLog(path, KEY);
    try {
      return log.verify();
    } finally {
      log.close();
    }
  };
  const tamper = (sql: string, ...args: unknown[]): void => {
    const db = new Database(path);
    db.prepare(sql).run(...args);
    db.close();
  };

  it('verifies an untouched log', () => {
    expect(verify()).toEqual({ ok: true, entries: 6 });
  });

  it('detects a modified entry and names it', () => {
    tamper('UPDATE audit SET rows = 1 WHERE id = 3');
    expect(verify()).toMatchObject({ ok: false, first: { id: 3, kind: 'modified' } });
  });

  it('detects a deleted entry', () => {
    tamper('DELETE FROM audit WHERE id = 4');
    expect(verify()).toMatchObject({
      ok: false,
      first: { id: 5, kind: 'deleted', message: 'entry 4 is missing before entry 5' },
    });
  });

  it('detects a forged entry inserted in the middle', () => {
    const db = new Database(path);
    const rows = db.prepare('SELECT * FROM audit ORDER BY rowid').all() as Array<Record<string, unknown>>;
    db.prepare('DELETE FROM audit').run();
    const ins = db.prepare(
      'INSERT INTO audit (id, at, actor, role, purpose, action, resource, rows, detail, prev_hash, hash) VALUES (@id, @at, @actor, @role, @purpose, @action, @resource, @rows, @detail, @prev_hash, @hash)',
    );
    for (const r of rows) {
      ins.run(r);
      if (r['id'] === 3)
        ins.run({ ...r, id: 4, actor: 'intruder', prev_hash: r['hash'], hash: 'f'.repeat(64) });
    }
    db.close();
    expect(verify()).toMatchObject({ ok: false, first: { id: 4, kind: 'inserted' } });
  });

  it('detects a replayed copy of a genuine entry', () => {
    tamper('INSERT INTO audit SELECT * FROM audit WHERE id = 2');
    expect(verify()).toMatchObject({
      ok: false,
      first: { id: 2, kind: 'inserted', message: 'entry 2 appears again after entry 6: a copy was inserted' },
    });
  });

  it('detects reordered entries', () => {
    const db = new Database(path);
    const a = db.prepare('SELECT * FROM audit WHERE id = 2').get() as Record<string, unknown>;
    const b = db.prepare('SELECT * FROM audit WHERE id = 3').get() as Record<string, unknown>;
    db.prepare('DELETE FROM audit WHERE id IN (2, 3)').run();
    const ins = db.prepare(
      'INSERT INTO audit (id, at, actor, role, purpose, action, resource, rows, detail, prev_hash, hash) VALUES (@id, @at, @actor, @role, @purpose, @action, @resource, @rows, @detail, @prev_hash, @hash)',
    );
    ins.run(b);
    ins.run(a);
    db.close();
    // the order of writing is now 1, 4, 5, 6, 3, 2
    expect(verify()).toMatchObject({
      ok: false,
      first: {
        id: 4,
        kind: 'reordered',
        message: 'entry 4 stands where entry 2 belongs: the log was reordered',
      },
    });
  });
});
