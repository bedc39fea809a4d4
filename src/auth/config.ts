import { z } from 'zod';
import { nodeNameSchema } from '../project/schema.js';
import type { Project } from '../project/types.js';

/** The anonymous role: whoever is not signed in. No account and no sign-in ever carries it. */
export const ANONYMOUS_ROLE = 'publiek';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for plain HTTP on this machine only (a development provider or the tests). */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && LOOPBACK.has(url.hostname);
}

/**
 * Endpoints of the sign-in flow must use TLS (RFC 6749 §3.1.2.1, OpenID Connect Core §3.1.2.1):
 * codes and tokens travel through them. Plain HTTP is accepted on the loopback interface only.
 */
const tlsUrl = z.url().refine((u) => {
  const url = new URL(u);
  return url.protocol === 'https:' || isLoopbackHttp(url);
}, 'use https:// (plain http:// only for localhost)');

const oidcSchema = z.strictObject({
  /** the issuer, e.g. https://login.microsoftonline.com/<tenant>/v2.0 or https://sso.example.nl/realms/<realm> */
  issuer: tlsUrl,
  client_id: z.string().min(1),
  /** the environment variable that holds the client secret (never the secret itself); none: a public client */
  client_secret_env: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name like PAKHUIS_OIDC_SECRET')
    .optional(),
  /** the callback of the web app, registered at the provider, e.g. https://pakhuis.example.nl/auth/callback */
  redirect_uri: tlsUrl,
  scopes: z
    .array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'a scope token (RFC 6749 §3.3)'))
    .default(['openid', 'profile'])
    .refine((s) => s.includes('openid'), 'the scopes must include openid'),
  /**
   * the claim that names the user in the audit log. OpenID Connect Core §5.7: only iss + sub are
   * guaranteed stable and unique; preferred_username is readable (the UPN in Entra ID, the user name
   * in Keycloak) and set by the provider's administrators. The subject is always logged beside it.
   */
  user_claim: z.string().min(1).default('preferred_username'),
  /** the claim with the user's groups or roles; a dotted path reaches into objects (realm_access.roles) */
  roles_claim: z.string().min(1).default('roles'),
  /** claim value → Datapakhuis role(s); values that are not listed grant nothing */
  role_map: z
    .record(z.string().min(1), z.union([nodeNameSchema, z.array(nodeNameSchema).min(1)]))
    .refine((m) => Object.keys(m).length > 0, 'map at least one claim value to a role')
    .transform((m) =>
      Object.fromEntries(Object.entries(m).map(([k, v]) => [k, typeof v === 'string' ? [v] : v])),
    ),
  /** the claim with the wijk codes (WK…) a wijk-scoped role is limited to */
  wijken_claim: z.string().min(1).optional(),
});

const lockoutSchema = z.strictObject({
  /** consecutive failed sign-ins on one user name before it is locked */
  max_failures: z.number().int().min(1).max(100).default(5),
  /** the first lock; every further failure doubles it (exponential backoff) */
  base_seconds: z.number().int().min(1).default(60),
  max_seconds: z.number().int().min(1).default(3600),
  /** failures older than this are forgotten */
  reset_hours: z.number().int().min(1).default(24),
  /** failed sign-ins from one address (IPv4, or an IPv6 /64) within the window before it is refused */
  ip_max_failures: z.number().int().min(1).default(20),
  ip_window_minutes: z.number().int().min(1).default(15),
});

/**
 * Sign-in settings: `auth:` in pakhuis.yaml. Every block may be left out. The defaults follow the
 * OWASP Session Management and Authentication cheat sheets: 30 minutes idle, 8 hours at most,
 * Secure cookies, lock after 5 failures.
 */
export const authConfigSchema = z.strictObject({
  local: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
  session: z
    .strictObject({
      idle_minutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .default(30),
      absolute_hours: z
        .number()
        .int()
        .min(1)
        .max(7 * 24)
        .default(8),
      /** Secure cookies with the __Host- prefix; off only for development over plain HTTP */
      secure_cookies: z.boolean().default(true),
    })
    .prefault({}),
  lockout: lockoutSchema.prefault({}),
  /** roles that see only their own wijken: an account or sign-in with one of them needs wijk codes */
  wijk_roles: z.array(nodeNameSchema).default(['wijkteam']),
  oidc: oidcSchema.optional(),
});

export type AuthConfig = z.output<typeof authConfigSchema>;
export type OidcSettings = NonNullable<AuthConfig['oidc']>;
export type LockoutPolicy = AuthConfig['lockout'];

/** The auth settings of a project (all defaults until pakhuis.yaml has an `auth:` block). */
export function authConfigOf(project: Project): AuthConfig {
  return authConfigSchema.parse((project as Project & { auth?: unknown }).auth ?? {});
}

/**
 * What the schema cannot see: the roles named in the settings must be roles of pakhuis.yaml, and
 * the anonymous role cannot be granted by a sign-in. Each message names its path in pakhuis.yaml.
 */
export function checkAuthConfig(config: AuthConfig, roles: ReadonlyArray<{ name: string }>): string[] {
  const known = new Set(roles.map((r) => r.name));
  const problems: string[] = [];
  const check = (role: string, path: string): void => {
    if (role === ANONYMOUS_ROLE)
      problems.push(`${path}: ${ANONYMOUS_ROLE} is the anonymous role; a sign-in cannot grant it`);
    else if (!known.has(role))
      problems.push(`${path}: unknown role "${role}"; roles in pakhuis.yaml: ${[...known].join(', ')}`);
  };
  for (const [value, targets] of Object.entries(config.oidc?.role_map ?? {}))
    for (const role of targets) check(role, `auth.oidc.role_map.${value}`);
  return problems;
}
