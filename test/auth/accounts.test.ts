import { hash, parseOptions } from '@node-rs/argon2';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addressKey, AccountError, nextThrottle } from '../../src/auth/accounts.js';
import { authDatabasePath, openAuth, type AuthServices } from '../../src/auth/index.js';
import { hashPassword, passwordProblem, verifyPassword } from '../../src/auth/passwords.js';
import type { Principal } from '../../src/privacy/authorise.js';
import type { Project, RoleDef } from '../../src/project/types.js';
import { admin, authConfig, authProject, MINUTE, testAudit, testClock } from './helpers.js';

const PASSWORD = 'correct horse battery staple';
const WRONG = 'not the password at all';

describe('passwords', () => {
  it('are stored as argon2id with the OWASP parameters, salted, never plain', async () => {
    const a = await hashPassword(PASSWORD);
    const b = await hashPassword(PASSWORD);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toContain(PASSWORD);
    expect(a).not.toBe(b);
    expect(parseOptions(a)).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1, saltLen: 16 });
    expect(await verifyPassword(a, PASSWORD)).toBe(true);
    expect(await verifyPassword(a, WRONG)).toBe(false);
  });

  it('verify after Unicode normalisation (NFKC)', async () => {
    const composed = 'wachtwoord-café-1234';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(await verifyPassword(await hashPassword(composed), decomposed)).toBe(true);
  });

  it('need 12 characters, not the user name, not a common one', () => {
    expect(passwordProblem('kort-1234', 'jan')).toMatch(/at least 12/);
    expect(passwordProblem('x'.repeat(129), 'jan')).toMatch(/at most 128/);
    expect(passwordProblem('JANSEN-heeft-een-fiets', 'jansen')).toMatch(/user name/);
    expect(passwordProblem('Wachtwoord123', 'jan')).toMatch(/too common/);
    expect(passwordProblem('aaaaaaaaaaaaaaaa', 'jan')).toMatch(/too common/);
    expect(passwordProblem(PASSWORD, 'jan')).toBeUndefined();
  });
});

describe('account store', () => {
  let project: Project;
  let audit: ReturnType<typeof testAudit>;
  let clock: ReturnType<typeof testClock>;
  let auth: AuthServices;
  const open = (config = authConfig()): AuthServices => openAuth(project, { audit, config, now: clock.now });

  beforeEach(async () => {
    project = authProject();
    audit = testAudit();
    clock = testClock();
    auth = open(authConfig({ lockout: { max_failures: 3, ip_max_failures: 50 } }));
    await auth.accounts.addUser(admin(project), {
      username: 'Jan',
      password: PASSWORD,
      roles: ['analist'],
      displayName: 'Jan Jansen',
    });
  });
  afterEach(() => {
    auth.close();
    audit.close();
  });

  it('keeps accounts in <state>/auth.sqlite, readable by its owner only, without the password', async () => {
    const db = new Database(authDatabasePath(project), { readonly: true });
    const row = db.prepare('SELECT * FROM accounts').get() as Record<string, unknown>;
    db.close();
    expect(row).toMatchObject({
      username: 'jan',
      display_name: 'Jan Jansen',
      roles: '["analist"]',
      disabled: 0,
    });
    expect(String(row['password_hash'])).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
    const { statSync } = await import('node:fs');
    expect(statSync(authDatabasePath(project)).mode & 0o777).toBe(0o600);
  });

  it('signs in with the right password, case-insensitive user name, and audits it without the password', async () => {
    const r = await auth.accounts.verifyLogin('JAN', PASSWORD, '192.0.2.1');
    expect(r).toEqual({
      ok: true,
      identity: {
        user: 'jan',
        displayName: 'Jan Jansen',
        roles: ['analist'],
        wijken: [],
        method: 'password',
      },
    });
    expect(auth.accounts.list(admin(project))[0]?.lastLoginAt).toBe(clock.now().toISOString());
    const [entry] = audit.logins();
    expect(entry).toMatchObject({ actor: 'jan', action: 'login', resource: 'local account' });
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({
      outcome: 'success',
      method: 'password',
      roles: ['analist'],
      ip: '192.0.2.1',
    });
    expect(JSON.stringify(audit.entries())).not.toContain(PASSWORD);
  });

  it('gives the same answer, in similar time, for an unknown user and a wrong password', async () => {
    auth.close();
    auth = open(authConfig({ lockout: { max_failures: 100, ip_max_failures: 100 } }));
    const attempt = async (user: string): Promise<{ result: unknown; ms: number }> => {
      const t = performance.now();
      const result = await auth.accounts.verifyLogin(user, WRONG, '192.0.2.2');
      return { result, ms: performance.now() - t };
    };
    await attempt('warm-up'); // the dummy hash is made once per process
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 5; i++) {
      const u = await attempt('nobody');
      const w = await attempt('jan');
      expect(u.result).toEqual(w.result);
      expect(w.result).toEqual({
        ok: false,
        reason: 'invalid_credentials',
        message: 'unknown user name or wrong password',
      });
      unknown.push(u.ms);
      wrong.push(w.ms);
    }
    // both run one argon2id verification: the fastest of each (the least disturbed by other work on
    // the machine) are close, and far slower than a refusal that verifies nothing
    const [fastUnknown, fastWrong] = [Math.min(...unknown), Math.min(...wrong)];
    expect(Math.max(fastUnknown, fastWrong) / Math.min(fastUnknown, fastWrong)).toBeLessThan(2);
    expect(Math.min(fastUnknown, fastWrong)).toBeGreaterThan(5);
    const details = audit.logins().map((e) => JSON.parse(e.detail) as Record<string, unknown>);
    expect(details.slice(1, 3).map((d) => [d['reason'], d['account']])).toEqual([
      ['invalid_credentials', 'unknown'],
      ['invalid_credentials', 'exists'],
    ]);
    expect(JSON.stringify(audit.entries())).not.toContain(WRONG);
  });

  it('locks a name after N failures with exponential backoff, and the lock expires', async () => {
    for (let i = 0; i < 3; i++) await auth.accounts.verifyLogin('jan', WRONG, '192.0.2.3');
    // locked: even the right password is refused, without being checked
    expect(await auth.accounts.verifyLogin('jan', PASSWORD, '192.0.2.3')).toMatchObject({
      ok: false,
      reason: 'locked',
      retryAfterSeconds: 60,
    });
    expect(auth.accounts.list(admin(project))[0]).toMatchObject({
      failedAttempts: 3,
      lockedUntil: expect.any(String),
    });
    clock.advance(61_000);
    // one more failure after the lock doubles it
    await auth.accounts.verifyLogin('jan', WRONG, '192.0.2.3');
    expect(await auth.accounts.verifyLogin('jan', PASSWORD, '192.0.2.3')).toMatchObject({
      reason: 'locked',
      retryAfterSeconds: 120,
    });
    clock.advance(121_000);
    expect(await auth.accounts.verifyLogin('jan', PASSWORD, '192.0.2.3')).toMatchObject({ ok: true });
    // success resets the count
    expect(auth.accounts.list(admin(project))[0]).toMatchObject({ failedAttempts: 0, lockedUntil: null });
  });

  it('counts guesses sent in parallel before verifying them, so they cannot outrun the lock', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => auth.accounts.verifyLogin('jan', WRONG, '192.0.2.13')),
    );
    const reasons = results.map((r) => (r.ok ? 'ok' : r.reason));
    expect(reasons.filter((r) => r === 'invalid_credentials')).toHaveLength(3);
    expect(reasons.filter((r) => r === 'locked')).toHaveLength(7);
  });

  it('locks an unknown name exactly like a known one (lockout does not reveal accounts)', async () => {
    const attempt = (user: string) => auth.accounts.verifyLogin(user, WRONG, '192.0.2.4');
    for (let i = 0; i < 3; i++) {
      await attempt('jan');
      await attempt('nobody');
    }
    const known = await attempt('jan');
    expect(known).toMatchObject({ reason: 'locked' });
    expect(await attempt('nobody')).toEqual(known);
  });

  it('backoff doubles up to the maximum and failures are forgotten after reset_hours', () => {
    const policy = authConfig({ lockout: { max_failures: 2, base_seconds: 10, max_seconds: 35 } }).lockout;
    const now = new Date('2025-01-01T00:00:00Z');
    let t = nextThrottle(undefined, policy, now);
    expect(t).toMatchObject({ failures: 1, locked_until: null });
    const locks: Array<string | null> = [];
    for (let i = 0; i < 4; i++) {
      t = nextThrottle(t, policy, now);
      locks.push(t.locked_until);
    }
    expect(locks).toEqual([
      '2025-01-01T00:00:10.000Z',
      '2025-01-01T00:00:20.000Z',
      '2025-01-01T00:00:35.000Z',
      '2025-01-01T00:00:35.000Z',
    ]);
    expect(nextThrottle(t, policy, new Date('2025-01-02T00:00:01Z'))).toMatchObject({ failures: 1 });
  });

  it('rate limits an address over all names, per IPv4 address or IPv6 /64, until the window passes', async () => {
    auth.close();
    auth = open(authConfig({ lockout: { ip_max_failures: 3, ip_window_minutes: 15 } }));
    for (const user of ['a1', 'a2', 'a3']) await auth.accounts.verifyLogin(user, WRONG, '2001:db8:1:2::10');
    const limited = await auth.accounts.verifyLogin('jan', PASSWORD, '2001:db8:1:2:ffff::99');
    expect(limited).toMatchObject({ ok: false, reason: 'rate_limited', retryAfterSeconds: 900 });
    expect(await auth.accounts.verifyLogin('jan', PASSWORD, '192.0.2.5')).toMatchObject({ ok: true });
    clock.advance(15 * MINUTE + 1000);
    expect(await auth.accounts.verifyLogin('jan', PASSWORD, '2001:db8:1:2::10')).toMatchObject({ ok: true });
    expect(JSON.parse(audit.logins()[3]?.detail ?? '{}')).toMatchObject({ reason: 'rate_limited' });
  });

  it('keys addresses: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 by its /64', () => {
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('2001:db8::1')).toBe('2001:0db8:0000:0000::/64');
    expect(addressKey('2001:DB8:0:0:abcd::1%eth0')).toBe('2001:0db8:0000:0000::/64');
    expect(addressKey('::1')).toBe('0000:0000:0000:0000::/64');
  });

  it('refuses a disabled account only after the right password, and enabling restores it', async () => {
    const by = admin(project);
    auth.accounts.setDisabled(by, 'jan', true);
    expect(await auth.accounts.verifyLogin('jan', WRONG, '192.0.2.6')).toMatchObject({
      reason: 'invalid_credentials',
    });
    expect(await auth.accounts.verifyLogin('jan', PASSWORD, '192.0.2.6')).toMatchObject({
      reason: 'disabled',
    });
    auth.accounts.setDisabled(by, 'jan', false);
    expect(await auth.accounts.verifyLogin('jan', PASSWORD, '192.0.2.6')).toMatchObject({ ok: true });
  });

  it('ends sessions on a new password, on disable and on new roles; the old password stops working', async () => {
    const by = admin(project);
    const signIn = async (): Promise<string> => {
      const r = await auth.accounts.verifyLogin('jan', PASSWORD, '192.0.2.8');
      if (!r.ok) throw new Error(r.message);
      return auth.sessions.create(r.identity).token;
    };
    let token = await signIn();
    await auth.accounts.setPassword(by, 'jan', 'a brand new passphrase');
    expect(auth.sessions.get(token)).toBeUndefined();
    expect(await auth.accounts.verifyLogin('jan', PASSWORD, '192.0.2.8')).toMatchObject({ ok: false });
    await auth.accounts.setPassword(by, 'jan', PASSWORD);
    token = await signIn();
    auth.accounts.setRoles(by, 'jan', ['analist', 'bestuur']);
    expect(auth.sessions.get(token)).toBeUndefined();
    token = await signIn();
    auth.accounts.setDisabled(by, 'jan', true);
    expect(auth.sessions.get(token)).toBeUndefined();
  });

  it('validates roles against pakhuis.yaml and wijken against the municipality', async () => {
    const by = admin(project);
    const add = (roles: string[], wijken: string[] = []) =>
      auth.accounts.addUser(by, { username: 'piet', password: PASSWORD, roles, wijken });
    await expect(add(['hacker'])).rejects.toThrow(
      'unknown role "hacker"; roles in pakhuis.yaml: beheerder, analist',
    );
    await expect(add(['publiek'])).rejects.toThrow('publiek is the role of anonymous visitors');
    await expect(add([])).rejects.toThrow('at least one role');
    await expect(add(['wijkteam'])).rejects.toThrow('sees only its own wijken');
    await expect(add(['wijkteam'], ['WK036301'])).rejects.toThrow('"WK036301" is not a wijk of Den Helder');
    await expect(add(['analist'], ['WK040001'])).rejects.toThrow('wijken limit only the roles wijkteam');
    await expect(
      auth.accounts.addUser(by, { username: 'jan', password: PASSWORD, roles: ['analist'] }),
    ).rejects.toMatchObject({ code: 'exists' });
    await expect(
      auth.accounts.addUser(by, { username: 'piet', password: 'piet-is-de-beste', roles: ['analist'] }),
    ).rejects.toThrow('may not contain the user name');
    const piet = await add(['wijkteam', 'analist'], ['wk040001', 'WK040002']);
    expect(piet).toMatchObject({
      username: 'piet',
      roles: ['wijkteam', 'analist'],
      wijken: ['WK040001', 'WK040002'],
    });
    expect(await auth.accounts.verifyLogin('piet', PASSWORD, '192.0.2.9')).toMatchObject({
      identity: { roles: ['wijkteam', 'analist'], wijken: ['WK040001', 'WK040002'] },
    });
  });

  it('lets only an admin role manage accounts; a refusal is audited', async () => {
    const analist: Principal = {
      user: 'jan',
      role: project.roles.find((r) => r.name === 'analist') as RoleDef,
    };
    await expect(
      auth.accounts.addUser(analist, { username: 'mallory', password: PASSWORD, roles: ['beheerder'] }),
    ).rejects.toBeInstanceOf(AccountError);
    expect(() => auth.accounts.list(analist)).toThrow(
      'role analist may not manage users; it needs admin: true',
    );
    expect(audit.entries({ action: 'denied' })[0]).toMatchObject({ actor: 'jan', role: 'analist' });
  });

  it('upgrades a weaker stored hash at the next sign-in', async () => {
    const db = new Database(authDatabasePath(project));
    const weak = await hash(PASSWORD, { memoryCost: 4096, timeCost: 1, parallelism: 1 });
    db.prepare("UPDATE accounts SET password_hash = ? WHERE username = 'jan'").run(weak);
    expect(await auth.accounts.verifyLogin('jan', PASSWORD, '192.0.2.10')).toMatchObject({ ok: true });
    const stored = (
      db.prepare("SELECT password_hash FROM accounts WHERE username = 'jan'").get() as {
        password_hash: string;
      }
    ).password_hash;
    db.close();
    expect(parseOptions(stored)).toMatchObject({ memoryCost: 19456, timeCost: 2 });
  });

  it('refuses password sign-in when auth.local.enabled is false', async () => {
    auth.close();
    auth = open(authConfig({ local: { enabled: false } }));
    expect(await auth.accounts.verifyLogin('jan', PASSWORD, '192.0.2.11')).toMatchObject({
      reason: 'method_disabled',
    });
  });

  it('refuses an account whose roles were all removed from pakhuis.yaml', async () => {
    auth.close();
    project = { ...project, roles: project.roles.filter((r) => r.name !== 'analist') };
    auth = open();
    expect(await auth.accounts.verifyLogin('jan', PASSWORD, '192.0.2.12')).toMatchObject({
      reason: 'no_role',
    });
  });
});
