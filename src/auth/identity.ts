import { AuthorisationError, type Principal } from '../privacy/authorise.js';
import type { Project, RoleDef } from '../project/types.js';
import type { AuditInput, AuditLog } from '../state/audit.js';
import { ANONYMOUS_ROLE, authConfigOf } from './config.js';

export type LoginMethod = 'password' | 'oidc';

/**
 * Who signed in, and what they may act as. For a signed-in user the grant of a role comes from the
 * account store or the provider's claims, not from `roles.<r>.members` in pakhuis.yaml (which names
 * the OS users of the CLI).
 */
export interface Identity {
  /** the account's user name, or the provider's user claim */
  user: string;
  displayName: string;
  /** roles of pakhuis.yaml this user may act in (they choose one per request) */
  roles: string[];
  /** for a wijk-scoped role: the wijk codes (WK……) the user may see; empty otherwise */
  wijken: string[];
  method: LoginMethod;
  /** OIDC only: issuer and subject, the stable identifier (OpenID Connect Core §5.7) */
  subject?: { iss: string; sub: string };
}

export type RefusalReason =
  | 'invalid_credentials'
  | 'locked'
  | 'rate_limited'
  | 'disabled'
  | 'method_disabled'
  | 'no_role'
  | 'no_wijken'
  | 'state_mismatch'
  | 'expired'
  | 'provider_error'
  | 'invalid_response';

/** A refused sign-in. `message` can be shown to the user: it never tells whether a user name exists. */
export interface LoginRefusal {
  ok: false;
  reason: RefusalReason;
  message: string;
  /** locked or rate limited: when to try again (for a Retry-After header) */
  retryAfterSeconds?: number;
}

export type LoginResult = { ok: true; identity: Identity } | LoginRefusal;

/** Where sign-ins are written: the audit log of PrivacyServices, or a stand-in in tests. */
export type AuditSink = Pick<AuditLog, 'append'>;

export const WIJK_CODE = /^WK\d{6}$/;

/** Write one 'login' entry: success or refusal with its reason (never a password or token). */
export function auditLogin(
  audit: AuditSink,
  entry: { actor: string; resource: string; result: LoginResult; detail?: Record<string, unknown> },
): void {
  const { result } = entry;
  const detail: AuditInput['detail'] = result.ok
    ? { outcome: 'success', method: result.identity.method, roles: result.identity.roles, ...entry.detail }
    : { outcome: 'refused', reason: result.reason, ...entry.detail };
  audit.append({
    actor: entry.actor,
    role: null,
    purpose: null,
    action: 'login',
    resource: entry.resource,
    rows: null,
    detail,
  });
}

/**
 * The principal for authorise(): the signed-in user acting in one of their roles. Throws
 * AuthorisationError when the user does not hold the role or pakhuis.yaml no longer has it.
 */
export function principalAs(project: Project, identity: Identity, roleName: string): Principal {
  const role = project.roles.find((r) => r.name === roleName);
  if (!role || !identity.roles.includes(roleName)) {
    throw new AuthorisationError(
      `user "${identity.user}" does not hold the role "${roleName}" (their roles: ${identity.roles.join(', ') || 'none'})`,
    );
  }
  // a wijk-scoped role (auth.wijk_roles, default wijkteam) sees only the figures of the user's wijken
  const scoped = authConfigOf(project).wijk_roles.includes(roleName);
  return { user: identity.user, role, ...(scoped ? { wijken: identity.wijken } : {}) };
}

/** The principal of someone who is not signed in: the `publiek` role, which reads only public.*. */
export function anonymousPrincipal(project: Project): Principal {
  const declared = project.roles.find((r) => r.name === ANONYMOUS_ROLE);
  // whatever pakhuis.yaml says, an anonymous visitor never administers, audits or re-identifies
  const role: RoleDef = {
    purposes: [],
    description: 'anonymous visitors',
    ...declared,
    name: ANONYMOUS_ROLE,
    reveal: [],
    audit: false,
    admin: false,
    members: ['*'],
  };
  return { user: 'anonymous', role };
}
