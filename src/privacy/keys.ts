import { createHash, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Project } from '../project/types.js';

export class KeyError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

/** Expand `~/` and resolve a key file path. */
export function keyFilePath(file: string): string {
  return resolve(file.startsWith('~/') ? join(homedir(), file.slice(2)) : file);
}

function parseKey(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length < 32) {
    throw new KeyError(
      `the pseudonymisation key in ${where} is too short (${key.length} bytes)`,
      'use 32 random bytes, written as 64 hex characters: `openssl rand -hex 32`',
    );
  }
  return key;
}

/**
 * The master key for pseudonyms: from the environment variable, or else the key file. It must live
 * outside the project folder and the warehouse; without one, nothing with identifiers is built.
 */
export function loadMasterKey(project: Project): Buffer {
  const fromEnv = process.env[project.privacy.key.env];
  if (fromEnv) return parseKey(fromEnv, `$${project.privacy.key.env}`);
  const file = project.privacy.key.file ? keyFilePath(project.privacy.key.file) : undefined;
  if (file) {
    const rel = relative(project.root, file);
    if (!rel.startsWith('..') && !isAbsolute(rel)) {
      throw new KeyError(
        `the key file ${file} is inside the project folder`,
        'keep the key outside the project and the warehouse (e.g. ~/.config/datapakhuis/), so a copy of one is useless without the other',
      );
    }
    if (existsSync(file)) return parseKey(readFileSync(file, 'utf8'), file);
  }
  throw new KeyError(
    `no pseudonymisation key: set $${project.privacy.key.env}${file ? ` or create ${file}` : ''}`,
    `generate one with \`openssl rand -hex 32\` and keep it outside the project${file ? ` (e.g. \`pakhuis keys init\` writes ${file})` : ''}; the demo creates its own`,
  );
}

/**
 * The key that seals the audit log. It is separate from the pseudonymisation key, so rotating that
 * key does not break the chain: $<env>_AUDIT, or else `<key file>.audit`, created on first use.
 */
export function loadAuditKey(project: Project): Buffer {
  const env = `${project.privacy.key.env}_AUDIT`;
  const fromEnv = process.env[env];
  if (fromEnv) return parseKey(fromEnv, `$${env}`);
  if (project.privacy.key.file) return writeKeyFile(`${project.privacy.key.file}.audit`);
  throw new KeyError(
    `no audit key: set $${env}, or set privacy.key.file so the key can be kept beside it`,
    'generate one with `openssl rand -hex 32`, outside the project',
  );
}

/** Write a new random key file (mode 0600); refuses to overwrite unless asked. */
export function writeKeyFile(file: string, overwrite = false): Buffer {
  const path = keyFilePath(file);
  if (existsSync(path) && !overwrite) return parseKey(readFileSync(path, 'utf8'), path);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(path, key.toString('hex') + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
  return key;
}

/** Each linking domain has its own key, derived from the master key. */
export function domainKey(master: Buffer, domain: string): Buffer {
  return createHmac('sha256', master).update(`datapakhuis/pseudonym/v1/${domain}`).digest();
}

export function vaultKey(master: Buffer): Buffer {
  return createHmac('sha256', master).update('datapakhuis/vault/v1').digest();
}

/** HMAC's inner and outer padded keys, as hex, so the engine can compute HMAC-SHA-256 with two SHA-256 calls. */
export function hmacPads(key: Buffer): { inner: string; outer: string } {
  const block = Buffer.alloc(64);
  (key.length > 64 ? createHash('sha256').update(key).digest() : key).copy(block);
  const inner = Buffer.from(block.map((b) => b ^ 0x36));
  const outer = Buffer.from(block.map((b) => b ^ 0x5c));
  return { inner: inner.toString('hex'), outer: outer.toString('hex') };
}

/** The pseudonym of a normalised value, computed in Node (for tests and the vault). */
export function pseudonym(key: Buffer, normalised: string): string {
  return createHmac('sha256', key).update(normalised, 'utf8').digest('hex').slice(0, 32);
}
