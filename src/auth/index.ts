import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Project } from '../project/types.js';
import { openSqlite } from '../state/sqlite.js';
import { AccountStore } from './accounts.js';
import { authConfigOf, type AuthConfig } from './config.js';
import type { AuditSink } from './identity.js';
import { OidcLogin } from './oidc.js';
import { SessionStore, sessionSettings } from './sessions.js';

export {
  AccountError,
  AccountStore,
  addressKey,
  normaliseUsername,
  USERNAME,
  type Account,
} from './accounts.js';
export {
  ANONYMOUS_ROLE,
  authConfigOf,
  authConfigSchema,
  checkAuthConfig,
  type AuthConfig,
} from './config.js';
export {
  anonymousPrincipal,
  principalAs,
  type AuditSink,
  type Identity,
  type LoginRefusal,
  type LoginResult,
} from './identity.js';
export { OIDC_TRANSACTION_SECONDS, OidcLogin, safeReturnTo, type OidcTransaction } from './oidc.js';
export {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  passwordIssue,
  passwordProblem,
  type PasswordIssue,
} from './passwords.js';
export {
  clearCookie,
  COOKIE_NAMES,
  cookieName,
  csrfToken,
  readCookie,
  sameOrigin,
  SessionStore,
  setCookie,
  verifyCsrf,
  type Session,
} from './sessions.js';

/** The file that holds accounts, sign-in throttling, sessions and pending sign-ins. */
export function authDatabasePath(project: Project): string {
  return join(project.paths.state, 'auth.sqlite');
}

/**
 * Accounts and sessions live in their own SQLite file, `<state>/auth.sqlite` (WAL, like the other
 * state files), not in state.sqlite: password hashes and session digests stay out of the history
 * that tools and backups read, and the file is readable by its owner only (0600).
 */
export function openAuthDatabase(path: string): Database.Database {
  const db = openSqlite(path, '');
  chmodSync(path, 0o600);
  return db;
}

export interface AuthServices {
  config: AuthConfig;
  accounts: AccountStore;
  sessions: SessionStore;
  close(): void;
}

/**
 * Everything a process needs for sign-in, on one database connection. The server keeps it open;
 * the CLI opens it per command. `audit` is PrivacyServices.audit.
 */
export function openAuth(
  project: Project,
  o: { audit: AuditSink; config?: AuthConfig; now?: () => Date },
): AuthServices {
  const config = o.config ?? authConfigOf(project);
  const db = openAuthDatabase(authDatabasePath(project));
  const sessions = new SessionStore(db, sessionSettings(config), o.now);
  const accounts = new AccountStore(db, {
    project,
    config,
    audit: o.audit,
    sessions,
    ...(o.now ? { now: o.now } : {}),
  });
  return { config, accounts, sessions, close: () => db.close() };
}

/** The OIDC client of a project, when auth.oidc is configured (contacts the provider once). */
export async function openOidc(
  project: Project,
  o: { audit: AuditSink; config?: AuthConfig; now?: () => Date },
): Promise<OidcLogin | undefined> {
  const config = o.config ?? authConfigOf(project);
  if (!config.oidc) return undefined;
  return OidcLogin.discover(config.oidc, {
    project,
    audit: o.audit,
    wijkRoles: config.wijk_roles,
    ...(o.now ? { now: o.now } : {}),
  });
}
