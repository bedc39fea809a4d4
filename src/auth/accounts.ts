import { isIPv4, isIPv6 } from 'node:net';
import type Database from 'better-sqlite3';
import { authorise, type Principal } from '../privacy/authorise.js';
import type { Project } from '../project/types.js';
import { ANONYMOUS_ROLE, type AuthConfig, type LockoutPolicy } from './config.js';
import {
  auditLogin,
  WIJK_CODE,
  type AuditSink,
  type Identity,
  type LoginResult,
  type RefusalReason,
} from './identity.js';
import { dummyHash, hashPassword, needsRehash, passwordProblem, verifyPassword } from './passwords.js';

/** A local account as listed to an administrator (never the hash). */
export interface Account {
  username: string;
  displayName: string;
  roles: string[];
  wijken: string[];
  disabled: boolean;
  failedAttempts: number;
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
  passwordChangedAt: string;
  lastLoginAt: string | null;
}

export interface NewAccount {
  username: string;
  password: string;
  roles: string[];
  wijken?: string[];
  displayName?: string;
}

export type AccountErrorCode = 'invalid' | 'exists' | 'not_found' | 'forbidden';

export class AccountError extends Error {
  constructor(
    message: string,
    readonly code: AccountErrorCode,
  ) {
    super(message);
  }
}

interface AccountRow {
  username: string;
  display_name: string;
  password_hash: string;
  roles: string;
  wijken: string;
  disabled: number;
  created_at: string;
  updated_at: string;
  password_changed_at: string;
  last_login_at: string | null;
}

interface ThrottleRow {
  failures: number;
  locked_until: string | null;
  last_failed_at: string;
}

/**
 * accounts: one row per local account. login_throttle: failed sign-ins per user name *tried*, also
 * for names without an account, so an unknown name locks exactly like a known one and lockout does
 * not reveal which names exist. ip_failures: failed sign-ins per client address, for the rate limit.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  username TEXT PRIMARY KEY, display_name TEXT NOT NULL, password_hash TEXT NOT NULL,
  roles TEXT NOT NULL, wijken TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, password_changed_at TEXT NOT NULL,
  last_login_at TEXT);
CREATE TABLE IF NOT EXISTS login_throttle (
  username TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until TEXT, last_failed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ip_failures (address TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ip_failures_address ON ip_failures(address, at);
`;

export const USERNAME = /^[a-z0-9][a-z0-9._@-]{1,63}$/;

/** User names compare case-insensitively and after Unicode normalisation: `Jan` and `jan` are one account. */
export function normaliseUsername(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}

/**
 * The key an address is rate limited under: an IPv4 address, or the /64 network of an IPv6 address
 * (one subscriber usually holds a whole /64, so per-address limits would not hold for IPv6).
 */
export function addressKey(ip: string): string {
  const plain = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped) return mapped[1] as string;
  if (isIPv4(plain) || !isIPv6(plain)) return plain;
  const [head = '', tail = ''] = plain.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.padStart(4, '0'))
    .join(':')}::/64`;
}

/**
 * Lockout with exponential backoff (OWASP Authentication Cheat Sheet, "Account Lockout"): after
 * `max_failures` consecutive failures a name is locked for base_seconds, then twice as long at
 * each further failure, up to max_seconds. Failures older than reset_hours are forgotten.
 */
export function nextThrottle(prev: ThrottleRow | undefined, policy: LockoutPolicy, now: Date): ThrottleRow {
  const fresh = prev && Date.parse(prev.last_failed_at) > now.getTime() - policy.reset_hours * 3_600_000;
  const failures = (fresh ? prev.failures : 0) + 1;
  const over = failures - policy.max_failures;
  const seconds = over < 0 ? 0 : Math.min(policy.max_seconds, policy.base_seconds * 2 ** over);
  return {
    failures,
    locked_until: seconds ? new Date(now.getTime() + seconds * 1000).toISOString() : null,
    last_failed_at: now.toISOString(),
  };
}

const secondsUntil = (iso: string | null, now: Date): number =>
  iso ? Math.max(0, Math.ceil((Date.parse(iso) - now.getTime()) / 1000)) : 0;

const minutes = (seconds: number): string => {
  const m = Math.ceil(seconds / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
};

/** Sessions to end when an account's credentials or grants change. */
export interface SessionRevoker {
  revokeUser(user: string, method?: Identity['method']): number;
}

export interface AccountStoreOptions {
  project: Project;
  config: AuthConfig;
  audit: AuditSink;
  sessions?: SessionRevoker;
  now?: () => Date;
}

/**
 * Local accounts in the project's auth database (`<state>/auth.sqlite`, see openAuth): argon2id
 * hashes, roles of pakhuis.yaml, wijk scope, lockout and the per-address rate limit. Every change is
 * authorised (manage_users) and audited; every sign-in attempt is audited as 'login'.
 */
export class AccountStore {
  private readonly now: () => Date;

  constructor(
    private readonly db: Database.Database,
    private readonly opts: AccountStoreOptions,
  ) {
    db.exec(SCHEMA);
    this.now = opts.now ?? (() => new Date());
  }

  private get policy(): LockoutPolicy {
    return this.opts.config.lockout;
  }

  // ── administration ────────────────────────────────────────────────────────────────────────────

  async addUser(by: Principal, input: NewAccount): Promise<Account> {
    const username = normaliseUsername(input.username);
    this.authorised(by, `account ${username}`);
    if (!USERNAME.test(username))
      throw new AccountError(
        `user name "${input.username}": use 2–64 lower-case letters, digits and . _ @ -, starting with a letter or digit`,
        'invalid',
      );
    const exists = new AccountError(`user "${username}" already exists`, 'exists');
    if (this.row(username)) throw exists;
    const { roles, wijken } = this.grants(input.roles, input.wijken ?? []);
    const hash = await this.newHash(input.password, username);
    const at = this.now().toISOString();
    const inserted = this.db
      .prepare(
        `INSERT INTO accounts (username, display_name, password_hash, roles, wijken, disabled, created_at,
          updated_at, password_changed_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(
        username,
        input.displayName?.trim() || username,
        hash,
        JSON.stringify(roles),
        JSON.stringify(wijken),
        at,
        at,
        at,
      ).changes;
    // the name may have been taken while the password was being hashed
    if (!inserted) throw exists;
    this.changed(by, username, 'add', { roles, wijken });
    return this.account(username);
  }

  /** A new password ends every session of the account and lifts a lockout. */
  async setPassword(by: Principal, username: string, password: string): Promise<void> {
    const name = this.existing(by, username);
    const hash = await this.newHash(password, name);
    const at = this.now().toISOString();
    this.db
      .prepare(
        'UPDATE accounts SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE username = ?',
      )
      .run(hash, at, at, name);
    this.clearThrottle(name);
    this.opts.sessions?.revokeUser(name, 'password');
    this.changed(by, name, 'password', {});
  }

  /** Disabling ends every session at once; enabling also lifts a lockout. */
  setDisabled(by: Principal, username: string, disabled: boolean): Account {
    const name = this.existing(by, username);
    this.db
      .prepare('UPDATE accounts SET disabled = ?, updated_at = ? WHERE username = ?')
      .run(disabled ? 1 : 0, this.now().toISOString(), name);
    if (disabled) this.opts.sessions?.revokeUser(name, 'password');
    else this.clearThrottle(name);
    this.changed(by, name, disabled ? 'disable' : 'enable', {});
    return this.account(name);
  }

  /** Lift a lockout (the failed attempts are forgotten); the account's sessions are untouched. */
  unlock(by: Principal, username: string): Account {
    const name = this.existing(by, username);
    this.clearThrottle(name);
    this.changed(by, name, 'unlock', {});
    return this.account(name);
  }

  /** One account, as list() shows it. */
  get(by: Principal, username: string): Account {
    return this.account(this.existing(by, username));
  }

  /** New roles (and wijken) take effect at the next sign-in: current sessions are ended. */
  setRoles(by: Principal, username: string, roles: string[], wijken: string[] = []): Account {
    const name = this.existing(by, username);
    const grants = this.grants(roles, wijken);
    this.db
      .prepare('UPDATE accounts SET roles = ?, wijken = ?, updated_at = ? WHERE username = ?')
      .run(JSON.stringify(grants.roles), JSON.stringify(grants.wijken), this.now().toISOString(), name);
    this.opts.sessions?.revokeUser(name, 'password');
    this.changed(by, name, 'roles', grants);
    return this.account(name);
  }

  list(by: Principal): Account[] {
    this.authorised(by, 'accounts');
    return this.db
      .prepare<[], { username: string }>('SELECT username FROM accounts ORDER BY username')
      .all()
      .map((r) => this.account(r.username));
  }

  // ── sign-in ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Check a user name and password. An unknown name and a wrong password give the same refusal and
   * cost the same (one argon2id verification either way); a locked name is refused without
   * verifying, whether it exists or not. A disabled account is named only after the right password.
   */
  async verifyLogin(username: string, password: string, ip: string): Promise<LoginResult> {
    const now = this.now();
    const name = normaliseUsername(username).slice(0, 64);
    const address = addressKey(ip);
    const refuse = (reason: RefusalReason, message: string, detail: object = {}, retryAfterSeconds = 0) =>
      this.audited(
        name,
        { ok: false, reason, message, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) },
        {
          ip,
          ...detail,
        },
      );

    if (!this.opts.config.local.enabled)
      return refuse(
        'method_disabled',
        'sign-in with a password is turned off; use your organisation account',
      );
    const addressWait = this.addressRetryAfter(address, now);
    if (addressWait > 0)
      return refuse(
        'rate_limited',
        `too many failed sign-ins from your address; try again in ${minutes(addressWait)}`,
        {},
        addressWait,
      );
    const nameWait = secondsUntil(this.throttle(name)?.locked_until ?? null, now);
    if (nameWait > 0) {
      this.countFailure(name, address, now, false);
      return refuse('locked', `too many failed sign-ins; try again in ${minutes(nameWait)}`, {}, nameWait);
    }

    // Counted as a failure before verifying, so guesses sent in parallel cannot outrun the lock;
    // forgiven below when the password is right.
    const attempt = this.countFailure(name, address, now, true);
    const row = this.row(name);
    const valid = await verifyPassword(row?.password_hash ?? (await dummyHash()), password);
    if (!row || !valid)
      return refuse('invalid_credentials', 'unknown user name or wrong password', {
        account: row ? 'exists' : 'unknown',
      });
    this.forgive(name, attempt);
    if (row.disabled) return refuse('disabled', 'this account is disabled; ask an administrator');

    const known = new Set(this.opts.project.roles.map((r) => r.name));
    const roles = (JSON.parse(row.roles) as string[]).filter((r) => known.has(r));
    if (roles.length === 0)
      return refuse('no_role', 'this account holds no role of this installation; ask an administrator');
    const at = now.toISOString();
    this.db.prepare('UPDATE accounts SET last_login_at = ? WHERE username = ?').run(at, name);
    // OWASP Password Storage Cheat Sheet, "Upgrading": rehash with the current parameters on sign-in
    if (needsRehash(row.password_hash))
      this.db
        .prepare('UPDATE accounts SET password_hash = ? WHERE username = ?')
        .run(await hashPassword(password), name);
    const identity: Identity = {
      user: name,
      displayName: row.display_name,
      roles,
      wijken: JSON.parse(row.wijken) as string[],
      method: 'password',
    };
    return this.audited(name, { ok: true, identity }, { ip });
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────────

  private audited<R extends LoginResult>(name: string, result: R, detail: Record<string, unknown>): R {
    auditLogin(this.opts.audit, { actor: name || '(empty)', resource: 'local account', result, detail });
    return result;
  }

  private authorised(by: Principal, resource: string): void {
    const decision = authorise(this.opts.project, by, 'manage_users');
    if (decision.allowed) return;
    this.opts.audit.append({
      actor: by.user,
      role: by.role.name,
      purpose: null,
      action: 'denied',
      resource,
      rows: null,
      detail: { reason: decision.reason },
    });
    throw new AccountError(decision.reason, 'forbidden');
  }

  private existing(by: Principal, username: string): string {
    const name = normaliseUsername(username);
    this.authorised(by, `account ${name}`);
    if (!this.row(name)) throw new AccountError(`no account "${name}"`, 'not_found');
    return name;
  }

  private changed(by: Principal, username: string, change: string, detail: Record<string, unknown>): void {
    this.opts.audit.append({
      actor: by.user,
      role: by.role.name,
      purpose: null,
      action: 'definition_change',
      resource: `account ${username}`,
      rows: null,
      detail: { change, ...detail },
    });
  }

  private async newHash(password: string, username: string): Promise<string> {
    const problem = passwordProblem(password, username);
    if (problem) throw new AccountError(problem, 'invalid');
    return hashPassword(password);
  }

  /** Roles must be roles of pakhuis.yaml; a wijk-scoped role needs wijk codes of this municipality. */
  private grants(roles: string[], wijken: string[]): { roles: string[]; wijken: string[] } {
    const unique = [...new Set(roles)];
    const known = this.opts.project.roles.map((r) => r.name);
    if (unique.length === 0) throw new AccountError('give the account at least one role', 'invalid');
    for (const role of unique) {
      if (role === ANONYMOUS_ROLE)
        throw new AccountError(
          `${ANONYMOUS_ROLE} is the role of anonymous visitors, not of an account`,
          'invalid',
        );
      if (!known.includes(role))
        throw new AccountError(
          `unknown role "${role}"; roles in pakhuis.yaml: ${known.join(', ') || '(none)'}`,
          'invalid',
        );
    }
    const codes = [...new Set(wijken.map((w) => w.trim().toUpperCase()))];
    const scoped = unique.filter((r) => this.opts.config.wijk_roles.includes(r));
    const prefix = `WK${this.opts.project.municipality.code.slice(2)}`;
    for (const code of codes)
      if (!WIJK_CODE.test(code) || !code.startsWith(prefix))
        throw new AccountError(
          `"${code}" is not a wijk of ${this.opts.project.municipality.name} (a code like ${prefix}01)`,
          'invalid',
        );
    if (scoped.length > 0 && codes.length === 0)
      throw new AccountError(
        `the role ${scoped.join(', ')} sees only its own wijken: give at least one wijk`,
        'invalid',
      );
    if (scoped.length === 0 && codes.length > 0)
      throw new AccountError(
        `wijken limit only the roles ${this.opts.config.wijk_roles.join(', ')}; this account has none of them`,
        'invalid',
      );
    return { roles: unique, wijken: codes };
  }

  private row(username: string): AccountRow | undefined {
    return this.db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE username = ?').get(username);
  }

  private account(username: string): Account {
    const r = this.row(username) as AccountRow;
    const t = this.throttle(username);
    return {
      username: r.username,
      displayName: r.display_name,
      roles: JSON.parse(r.roles) as string[],
      wijken: JSON.parse(r.wijken) as string[],
      disabled: r.disabled === 1,
      failedAttempts: t?.failures ?? 0,
      lockedUntil: secondsUntil(t?.locked_until ?? null, this.now()) > 0 ? (t?.locked_until ?? null) : null,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      passwordChangedAt: r.password_changed_at,
      lastLoginAt: r.last_login_at,
    };
  }

  private throttle(username: string): ThrottleRow | undefined {
    return this.db
      .prepare<[string], ThrottleRow>(
        'SELECT failures, locked_until, last_failed_at FROM login_throttle WHERE username = ?',
      )
      .get(username);
  }

  private clearThrottle(username: string): void {
    this.db.prepare('DELETE FROM login_throttle WHERE username = ?').run(username);
  }

  /**
   * Count a failed attempt against the address and (unless the name is already locked) the name;
   * returns the address entry, so a right password can take it back.
   */
  private countFailure(username: string, address: string, now: Date, countName: boolean): number {
    const at = now.toISOString();
    const windowStart = new Date(now.getTime() - this.policy.ip_window_minutes * 60_000).toISOString();
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM ip_failures WHERE at <= ?').run(windowStart);
      const entry = Number(
        this.db.prepare('INSERT INTO ip_failures (address, at) VALUES (?, ?)').run(address, at)
          .lastInsertRowid,
      );
      if (!countName) return entry;
      const next = nextThrottle(this.throttle(username), this.policy, now);
      this.db
        .prepare(
          `INSERT INTO login_throttle (username, failures, locked_until, last_failed_at)
           VALUES (@username, @failures, @locked_until, @last_failed_at)
           ON CONFLICT (username) DO UPDATE SET failures = excluded.failures,
             locked_until = excluded.locked_until, last_failed_at = excluded.last_failed_at`,
        )
        .run({ username, ...next });
      // names nobody has tried for reset_hours carry no lock any more
      const stale = new Date(now.getTime() - this.policy.reset_hours * 3_600_000).toISOString();
      this.db
        .prepare(
          'DELETE FROM login_throttle WHERE last_failed_at <= ? AND (locked_until IS NULL OR locked_until <= ?)',
        )
        .run(stale, at);
      return entry;
    })();
  }

  /** The right password: the attempt was no failure, and the name's earlier failures are forgotten. */
  private forgive(username: string, addressEntry: number): void {
    this.db.prepare('DELETE FROM ip_failures WHERE rowid = ?').run(addressEntry);
    this.clearThrottle(username);
  }

  /** Seconds until an address may try again: 0 while it has fewer than ip_max_failures in the window. */
  private addressRetryAfter(address: string, now: Date): number {
    const windowMs = this.policy.ip_window_minutes * 60_000;
    const since = new Date(now.getTime() - windowMs).toISOString();
    const failures = this.db
      .prepare<[string, string], { at: string }>(
        'SELECT at FROM ip_failures WHERE address = ? AND at > ? ORDER BY at',
      )
      .all(address, since);
    if (failures.length < this.policy.ip_max_failures) return 0;
    // the address may try again once enough of its failures have left the window
    const release = failures[failures.length - this.policy.ip_max_failures] as { at: string };
    return Math.max(1, Math.ceil((Date.parse(release.at) + windowMs - now.getTime()) / 1000));
  }
}
