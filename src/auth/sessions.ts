import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AuthConfig } from './config.js';
import type { Identity } from './identity.js';

/**
 * sessions: one row per signed-in browser, keyed by the SHA-256 of its token (a leaked database
 * holds no usable session). pending_logins: OpenID Connect transactions between the redirect to the
 * provider and the callback, single use.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY, user TEXT NOT NULL, method TEXT NOT NULL, identity TEXT NOT NULL,
  created_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, ip TEXT);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user, method);
CREATE TABLE IF NOT EXISTS pending_logins (
  token_hash TEXT PRIMARY KEY, data TEXT NOT NULL, expires_at TEXT NOT NULL);
`;

/** 256 random bits, base64url: far beyond OWASP's 64-bit minimum of session id entropy. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The token is random and long, so a plain SHA-256 (no salt, no slow hash) protects it at rest. */
const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface Session {
  identity: Identity;
  createdAt: string;
  lastSeenAt: string;
  /** when the session ends unless used again (idle timeout), or at the latest (absolute timeout) */
  expiresAt: string;
}

interface SessionRow {
  token_hash: string;
  identity: string;
  created_at: string;
  last_seen_at: string;
}

export interface SessionSettings {
  idleMinutes: number;
  absoluteHours: number;
}

export function sessionSettings(config: AuthConfig): SessionSettings {
  return { idleMinutes: config.session.idle_minutes, absoluteHours: config.session.absolute_hours };
}

/**
 * Server-side sessions (OWASP Session Management Cheat Sheet): the browser holds only a random token;
 * the server keeps who it belongs to, ends it after an idle and an absolute timeout, issues a new
 * token at every sign-in (never adopting one the browser brought: session fixation), and revokes it
 * at sign-out and when the account's password, roles or status change.
 */
export class SessionStore {
  private readonly now: () => Date;

  constructor(
    private readonly db: Database.Database,
    private readonly settings: SessionSettings,
    now?: () => Date,
  ) {
    db.exec(SCHEMA);
    this.now = now ?? (() => new Date());
  }

  /**
   * Start a session after a successful sign-in. `replaces`: the token the browser presented before
   * signing in, if any; it is revoked, and the new session never reuses it.
   */
  create(
    identity: Identity,
    opts: { replaces?: string | undefined; ip?: string } = {},
  ): { token: string; session: Session } {
    if (opts.replaces) this.revoke(opts.replaces);
    const token = newToken();
    const at = this.now().toISOString();
    this.db
      .prepare(
        'INSERT INTO sessions (token_hash, user, method, identity, created_at, last_seen_at, ip) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(digest(token), identity.user, identity.method, JSON.stringify(identity), at, at, opts.ip ?? null);
    return {
      token,
      session: this.toSession({ identity: JSON.stringify(identity), created_at: at, last_seen_at: at }),
    };
  }

  /** The live session of a token, which counts as activity; undefined when unknown, expired or revoked. */
  get(token: string | undefined): Session | undefined {
    if (!token || !TOKEN.test(token)) return undefined;
    const row = this.db
      .prepare<[string], SessionRow>(
        'SELECT token_hash, identity, created_at, last_seen_at FROM sessions WHERE token_hash = ?',
      )
      .get(digest(token));
    if (!row) return undefined;
    const now = this.now();
    if (Date.parse(this.toSession(row).expiresAt) <= now.getTime()) {
      this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(row.token_hash);
      return undefined;
    }
    const seen = { ...row, last_seen_at: now.toISOString() };
    this.db
      .prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?')
      .run(seen.last_seen_at, row.token_hash);
    return this.toSession(seen);
  }

  /** Sign-out. */
  revoke(token: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(digest(token));
  }

  /** End every session of a user (of one sign-in method, when given); returns how many. */
  revokeUser(user: string, method?: Identity['method']): number {
    const sql = method
      ? 'DELETE FROM sessions WHERE user = ? AND method = ?'
      : 'DELETE FROM sessions WHERE user = ?';
    return this.db.prepare(sql).run(...(method ? [user, method] : [user])).changes;
  }

  /** Remove expired sessions and pending sign-ins (expired ones are refused anyway; this frees the rows). */
  prune(): number {
    const now = this.now().getTime();
    const idle = new Date(now - this.settings.idleMinutes * 60_000).toISOString();
    const absolute = new Date(now - this.settings.absoluteHours * 3_600_000).toISOString();
    return (
      this.db.prepare('DELETE FROM sessions WHERE last_seen_at <= ? OR created_at <= ?').run(idle, absolute)
        .changes +
      this.db.prepare('DELETE FROM pending_logins WHERE expires_at <= ?').run(new Date(now).toISOString())
        .changes
    );
  }

  /** Keep a sign-in transaction (e.g. OIDC state, nonce, PKCE verifier) server-side; returns its handle for a cookie. */
  putPending(data: object, ttlSeconds: number): string {
    const token = newToken();
    const expires = new Date(this.now().getTime() + ttlSeconds * 1000).toISOString();
    this.db
      .prepare('INSERT INTO pending_logins (token_hash, data, expires_at) VALUES (?, ?, ?)')
      .run(digest(token), JSON.stringify(data), expires);
    return token;
  }

  /** Take a pending transaction: once only (a replayed callback finds nothing), and only before it expires. */
  takePending<T>(token: string | undefined): T | undefined {
    if (!token || !TOKEN.test(token)) return undefined;
    const row = this.db
      .prepare<[string], { data: string; expires_at: string }>(
        'DELETE FROM pending_logins WHERE token_hash = ? RETURNING data, expires_at',
      )
      .get(digest(token));
    if (!row || Date.parse(row.expires_at) <= this.now().getTime()) return undefined;
    return JSON.parse(row.data) as T;
  }

  private toSession(row: Omit<SessionRow, 'token_hash'>): Session {
    const idleEnd = Date.parse(row.last_seen_at) + this.settings.idleMinutes * 60_000;
    const absoluteEnd = Date.parse(row.created_at) + this.settings.absoluteHours * 3_600_000;
    return {
      identity: JSON.parse(row.identity) as Identity,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      expiresAt: new Date(Math.min(idleEnd, absoluteEnd)).toISOString(),
    };
  }
}

// ── CSRF ──────────────────────────────────────────────────────────────────────────────────────────

const CSRF_LABEL = 'datapakhuis csrf v1';

/**
 * The CSRF token of a session: HMAC-SHA-256 keyed with the session token (OWASP CSRF Prevention
 * Cheat Sheet, synchronizer token pattern, in its HMAC-based form). It is bound to the session — a
 * new session (sign-in) means a new token — needs no storage, and cannot be computed without the
 * session token, which lives only in an HttpOnly cookie. It also reveals nothing about that token.
 * Send it to the page (a meta tag or GET /api/session) and expect it back in an X-CSRF-Token header
 * or form field on every state-changing request.
 */
export function csrfToken(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update(CSRF_LABEL).digest('base64url');
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function verifyCsrf(sessionToken: string | undefined, presented: string | undefined): boolean {
  if (!sessionToken || !presented) return false;
  const expected = Buffer.from(csrfToken(sessionToken));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Defence in depth for requests without a session yet (the sign-in form itself, "login CSRF"): the
 * Origin header, else the Referer, must be the app's own origin (OWASP CSRF Prevention Cheat Sheet,
 * "Verifying Origin With Standard Headers"). A request with neither is refused.
 */
export function sameOrigin(
  headers: { origin?: string | undefined; referer?: string | undefined },
  appOrigin: string,
): boolean {
  const expected = new URL(appOrigin).origin;
  const source = headers.origin && headers.origin !== 'null' ? headers.origin : headers.referer;
  if (!source) return false;
  try {
    return new URL(source).origin === expected;
  } catch {
    return false;
  }
}

// ── cookies ───────────────────────────────────────────────────────────────────────────────────────

export const COOKIE_NAMES = { session: 'pakhuis_session', login: 'pakhuis_login' } as const;

/**
 * A cookie name: with the `__Host-` prefix when Secure (RFC 6265bis §4.1.3.2), so the browser accepts
 * it only from this host, over TLS, for Path=/ and without Domain — no sibling subdomain can plant
 * or overwrite it (which also closes the cookie-tossing route to session fixation).
 */
export function cookieName(base: string, secure: boolean): string {
  return secure ? `__Host-${base}` : base;
}

export interface CookieOptions {
  /** behind TLS (auth.session.secure_cookies) */
  secure: boolean;
  /** seconds; absent: a session cookie that ends with the browser */
  maxAge?: number;
}

/**
 * Set-Cookie for our cookies: HttpOnly (no script can read them), Path=/, SameSite=Lax, Secure and
 * `__Host-` when behind TLS. Lax rather than Strict: the OIDC callback and links from mail or
 * Teams are top-level navigations from another site, and with Strict the browser would arrive
 * without its cookies (the user looks signed out, the sign-in transaction is lost). Lax still
 * withholds the cookies from cross-site POSTs, frames and fetches; every state-changing request
 * additionally carries the CSRF token, and GET never changes state.
 */
export function setCookie(base: string, value: string, o: CookieOptions): string {
  const parts = [`${cookieName(base, o.secure)}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (o.secure) parts.push('Secure');
  if (o.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(o.maxAge))}`);
  return parts.join('; ');
}

/** Set-Cookie that removes a cookie (sign-out, a used transaction). */
export function clearCookie(base: string, secure: boolean): string {
  return setCookie(base, '', { secure, maxAge: 0 });
}

/** One cookie's value from a Cookie request header. */
export function readCookie(header: string | undefined, base: string, secure: boolean): string | undefined {
  const name = cookieName(base, secure);
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
