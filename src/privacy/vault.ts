import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openSqlite } from '../state/sqlite.js';

/**
 * The re-identification vault: pseudonym → normalised identifier, per linking domain, kept outside
 * the warehouse (in the state folder) and encrypted at rest with AES-256-GCM. Only `reveal` (see
 * reveal.ts) reads it, after authorisation and with a written reason.
 */
export class Vault {
  private readonly db: Database.Database;

  constructor(
    path: string,
    private readonly key: Buffer,
  ) {
    this.db = openSqlite(
      path,
      `CREATE TABLE IF NOT EXISTS vault (
      domain TEXT NOT NULL, pseudonym TEXT NOT NULL, iv BLOB NOT NULL, ciphertext BLOB NOT NULL, tag BLOB NOT NULL,
      first_seen TEXT NOT NULL, PRIMARY KEY (domain, pseudonym))`,
    );
  }

  store(domain: string, pairs: Array<{ pseudonym: string; identifier: string }>): number {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO vault (domain, pseudonym, iv, ciphertext, tag, first_seen) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const now = new Date().toISOString();
    let added = 0;
    this.db.transaction(() => {
      for (const { pseudonym, identifier } of pairs) {
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', this.key, iv);
        cipher.setAAD(Buffer.from(`${domain}:${pseudonym}`));
        const ciphertext = Buffer.concat([cipher.update(identifier, 'utf8'), cipher.final()]);
        added += insert.run(domain, pseudonym, iv, ciphertext, cipher.getAuthTag(), now).changes;
      }
    })();
    return added;
  }

  /** Decrypt one entry; undefined when the vault does not know the pseudonym. */
  lookup(domain: string, pseudonym: string): string | undefined {
    const row = this.db
      .prepare<[string, string], { iv: Buffer; ciphertext: Buffer; tag: Buffer }>(
        'SELECT iv, ciphertext, tag FROM vault WHERE domain = ? AND pseudonym = ?',
      )
      .get(domain, pseudonym);
    if (!row) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', this.key, row.iv);
    decipher.setAAD(Buffer.from(`${domain}:${pseudonym}`));
    decipher.setAuthTag(row.tag);
    return Buffer.concat([decipher.update(row.ciphertext), decipher.final()]).toString('utf8');
  }

  /** After a key rotation the old pseudonyms mean nothing: start the domain afresh. */
  clear(domain?: string): void {
    if (domain) this.db.prepare('DELETE FROM vault WHERE domain = ?').run(domain);
    else this.db.exec('DELETE FROM vault');
  }

  count(domain: string): number {
    return (
      this.db
        .prepare<[string], { n: number }>('SELECT count(*) AS n FROM vault WHERE domain = ?')
        .get(domain) as { n: number }
    ).n;
  }

  close(): void {
    this.db.close();
  }
}
