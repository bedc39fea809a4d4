import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Identity } from '../../src/auth/identity.js';
import {
  clearCookie,
  COOKIE_NAMES,
  csrfToken,
  readCookie,
  sameOrigin,
  SessionStore,
  setCookie,
  verifyCsrf,
} from '../../src/auth/sessions.js';
import { MINUTE, testClock } from './helpers.js';

const JAN: Identity = { user: 'jan', displayName: 'Jan', roles: ['analist'], wijken: [], method: 'password' };
const HOUR = 60 * MINUTE;

describe('sessions', () => {
  let db: Database.Database;
  let clock: ReturnType<typeof testClock>;
  let sessions: SessionStore;
  beforeEach(() => {
    db = new Database(':memory:');
    clock = testClock();
    sessions = new SessionStore(db, { idleMinutes: 30, absoluteHours: 8 }, clock.now);
  });

  it('issue a random 256-bit token and store only its SHA-256', () => {
    const { token, session } = sessions.create(JAN, { ip: '192.0.2.1' });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(sessions.create(JAN).token).not.toBe(token);
    const stored = db.prepare('SELECT token_hash FROM sessions').all() as Array<{ token_hash: string }>;
    expect(stored.map((r) => r.token_hash)).toContain(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(db.prepare('SELECT * FROM sessions').all())).not.toContain(token);
    expect(session).toMatchObject({ identity: JAN, expiresAt: '2025-03-01T09:30:00.000Z' });
    expect(sessions.get(token)?.identity).toEqual(JAN);
  });

  it('rotate at sign-in: the token the browser brought is revoked and never reused', () => {
    const before = sessions.create(JAN).token;
    const after = sessions.create({ ...JAN, roles: ['analist', 'bestuur'] }, { replaces: before });
    expect(after.token).not.toBe(before);
    expect(sessions.get(before)).toBeUndefined();
    expect(sessions.get(after.token)?.identity.roles).toEqual(['analist', 'bestuur']);
  });

  it('end after the idle timeout; use keeps them alive', () => {
    const { token } = sessions.create(JAN);
    clock.advance(29 * MINUTE);
    expect(sessions.get(token)?.expiresAt).toBe('2025-03-01T09:59:00.000Z');
    clock.advance(29 * MINUTE);
    expect(sessions.get(token)).toBeDefined();
    clock.advance(30 * MINUTE);
    expect(sessions.get(token)).toBeUndefined();
    // and it stays gone
    clock.advance(-10 * MINUTE);
    expect(sessions.get(token)).toBeUndefined();
  });

  it('end after the absolute timeout, however active', () => {
    const { token } = sessions.create(JAN);
    for (let t = 0; t < 7 * 60 + 40; t += 20) {
      expect(sessions.get(token), `at ${t} minutes`).toBeDefined();
      clock.advance(20 * MINUTE);
    }
    expect(sessions.get(token)?.expiresAt).toBe('2025-03-01T17:00:00.000Z');
    clock.advance(20 * MINUTE);
    expect(sessions.get(token)).toBeUndefined();
  });

  it('are revoked at sign-out, and per user (per method)', () => {
    const a = sessions.create(JAN).token;
    const b = sessions.create(JAN).token;
    const sso = sessions.create({ ...JAN, method: 'oidc' }).token;
    const other = sessions.create({ ...JAN, user: 'piet' }).token;
    sessions.revoke(a);
    expect(sessions.get(a)).toBeUndefined();
    expect(sessions.get(b)).toBeDefined();
    expect(sessions.revokeUser('jan', 'password')).toBe(1);
    expect(sessions.get(b)).toBeUndefined();
    expect(sessions.get(sso)).toBeDefined();
    expect(sessions.revokeUser('jan')).toBe(1);
    expect(sessions.get(other)).toBeDefined();
  });

  it('ignore tokens that are not tokens', () => {
    expect(sessions.get(undefined)).toBeUndefined();
    expect(sessions.get('')).toBeUndefined();
    expect(sessions.get("' OR 1=1 --")).toBeUndefined();
  });

  it('prune expired sessions and pending sign-ins', () => {
    sessions.create(JAN);
    sessions.putPending({ state: 'x' }, 60);
    clock.advance(31 * MINUTE);
    const live = sessions.create(JAN).token;
    expect(sessions.prune()).toBe(2);
    expect(sessions.get(live)).toBeDefined();
  });

  it('keep a pending sign-in once, until it expires', () => {
    const handle = sessions.putPending({ state: 's', nonce: 'n' }, 600);
    expect(sessions.takePending(handle)).toEqual({ state: 's', nonce: 'n' });
    expect(sessions.takePending(handle)).toBeUndefined();
    const late = sessions.putPending({ state: 's' }, 600);
    clock.advance(601_000);
    expect(sessions.takePending(late)).toBeUndefined();
  });

  it('expire after the absolute timeout also when the idle timeout is longer', () => {
    const long = new SessionStore(db, { idleMinutes: 600, absoluteHours: 1 }, clock.now);
    const { token, session } = long.create(JAN);
    expect(session.expiresAt).toBe(new Date(clock.now().getTime() + HOUR).toISOString());
    clock.advance(HOUR);
    expect(long.get(token)).toBeUndefined();
  });
});

describe('CSRF tokens', () => {
  const session = 'A'.repeat(43);
  const other = 'B'.repeat(43);

  it('are bound to the session and verify in constant time', () => {
    const token = csrfToken(session);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).toBe(csrfToken(session));
    expect(verifyCsrf(session, token)).toBe(true);
  });

  it('refuse a mismatch, another session, a truncated or missing token', () => {
    const token = csrfToken(session);
    expect(verifyCsrf(session, csrfToken(other))).toBe(false);
    expect(verifyCsrf(other, token)).toBe(false);
    expect(verifyCsrf(session, token.slice(0, -1))).toBe(false);
    expect(verifyCsrf(session, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(verifyCsrf(session, undefined)).toBe(false);
    expect(verifyCsrf(undefined, token)).toBe(false);
    expect(verifyCsrf(session, '')).toBe(false);
  });

  it('do not reveal the session token', () => {
    expect(csrfToken(session)).not.toContain(session.slice(0, 8));
  });

  it('origin check: own origin passes, another site, null or nothing does not', () => {
    const app = 'https://pakhuis.example.nl';
    expect(sameOrigin({ origin: 'https://pakhuis.example.nl' }, app)).toBe(true);
    expect(sameOrigin({ referer: 'https://pakhuis.example.nl/login?x=1' }, app)).toBe(true);
    expect(sameOrigin({ origin: 'https://evil.example' }, app)).toBe(false);
    expect(sameOrigin({ origin: 'null', referer: 'https://evil.example/' }, app)).toBe(false);
    expect(sameOrigin({ origin: 'http://pakhuis.example.nl' }, app)).toBe(false);
    expect(sameOrigin({}, app)).toBe(false);
    expect(sameOrigin({ referer: 'not a url' }, app)).toBe(false);
  });
});

describe('cookies', () => {
  it('behind TLS: __Host- prefix, Secure, HttpOnly, SameSite=Lax, Path=/, no Domain', () => {
    const c = setCookie(COOKIE_NAMES.session, 'tok', { secure: true });
    expect(c).toBe('__Host-pakhuis_session=tok; Path=/; HttpOnly; SameSite=Lax; Secure');
    expect(c).not.toMatch(/Domain|Max-Age|Expires/);
  });

  it('over plain HTTP (development): no prefix and no Secure', () => {
    expect(setCookie(COOKIE_NAMES.login, 'h', { secure: false, maxAge: 600 })).toBe(
      'pakhuis_login=h; Path=/; HttpOnly; SameSite=Lax; Max-Age=600',
    );
  });

  it('clear with Max-Age=0', () => {
    expect(clearCookie(COOKIE_NAMES.session, true)).toBe(
      '__Host-pakhuis_session=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0',
    );
  });

  it('read only the prefixed cookie when Secure: a planted unprefixed one is ignored', () => {
    const header = 'pakhuis_session=planted; __Host-pakhuis_session=real; other=1';
    expect(readCookie(header, COOKIE_NAMES.session, true)).toBe('real');
    expect(readCookie(header, COOKIE_NAMES.session, false)).toBe('planted');
    expect(readCookie('other=1', COOKIE_NAMES.session, true)).toBeUndefined();
    expect(readCookie(undefined, COOKIE_NAMES.session, true)).toBeUndefined();
  });
});
