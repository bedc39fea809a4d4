import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  anonymousPrincipal,
  authConfigOf,
  COOKIE_NAMES,
  openAuth,
  openOidc,
  principalAs,
  readCookie,
  verifyCsrf,
  type AuthConfig,
  type AuthServices,
  type Identity,
  type OidcLogin,
  type Session,
} from '../../auth/index.js';
import type { Principal } from '../../privacy/authorise.js';
import { loadAuditKey } from '../../privacy/keys.js';
import type { Project } from '../../project/types.js';
import { AuditLog, type AuditInput } from '../../state/audit.js';
import { ApiProblem } from '../problem.js';
import type { InternalOperation } from './route.js';
import { BASE_PATH } from '../version.js';

/** Sign-in for the HTTP server: `buildApp(project, { auth })`. */
export interface ServerAuthOptions {
  /** the auth settings (default: authConfigOf(project)); tests over plain HTTP set secure_cookies: false */
  config?: AuthConfig;
  /** a clock (tests) */
  now?: () => Date;
}

/** Where the routes that need a signed-in user get their services. */
export interface AuthContext {
  /** the project as currently served (its roles may change with a new build) */
  project: () => Project;
  config: AuthConfig;
  /** Secure cookies with the __Host- prefix */
  secure: boolean;
  /** the app's own origin for the sign-in Origin check: --public-url, else the request's own */
  origin: (request: FastifyRequest) => string;
  /** accounts and sessions (opened on first use, so an anonymous-only server never needs the keys) */
  auth(): AuthServices;
  /** the audit log of the project */
  audit(): AuditLog;
  /** the OIDC client, when auth.oidc is configured (discovered at the provider on first use) */
  oidc(): Promise<OidcLogin | undefined>;
  /** the declared signed-in routes (session and internal), for their OpenAPI document */
  operations: InternalOperation[];
}

/** Who is asking: resolved on every request. */
export interface RequestAuth {
  /** the session token from the cookie, when it names a live session */
  token?: string;
  session?: Session;
  identity?: Identity;
  /** the signed-in user in the chosen role, or anonymous (publiek) */
  principal: Principal;
  /** X-Role named a role the user does not hold: every route that needs the principal refuses */
  roleProblem?: ApiProblem;
}

declare module 'fastify' {
  interface FastifyRequest {
    who: RequestAuth;
  }
}

/** Responses of the session and internal routes are never stored by a browser or proxy. */
export const NO_STORE = 'no-store';

const PRIVATE_PREFIXES = [`${BASE_PATH}/internal`, `${BASE_PATH}/session`];

export function isPrivatePath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return PRIVATE_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Open the services lazily and resolve the principal of every request: the session cookie gives the
 * identity, `X-Role` the role to act in (one the identity holds; else its first role); without a
 * session the request is anonymous (publiek). Session and internal responses get `no-store`.
 */
export function installAuth(
  app: FastifyInstance,
  o: { project: () => Project; publicUrl: string; options?: ServerAuthOptions },
): AuthContext {
  const config = o.options?.config ?? authConfigOf(o.project());
  let services: AuthServices | undefined;
  let log: AuditLog | undefined;
  let oidc: Promise<OidcLogin | undefined> | undefined;
  const unavailable = (e: unknown): ApiProblem => {
    app.log.error({ err: e }, 'cannot open the sign-in database or the audit log');
    return new ApiProblem(503, 'sign_in_unavailable', 'Aanmelden is nu niet mogelijk; de fout is gelogd.');
  };
  const audit = (): AuditLog => {
    try {
      log ??= new AuditLog(join(o.project().paths.state, 'audit.sqlite'), loadAuditKey(o.project()));
    } catch (e) {
      throw unavailable(e);
    }
    return log;
  };
  const auth = (): AuthServices => {
    const sink = audit();
    try {
      services ??= openAuth(o.project(), {
        audit: sink,
        config,
        ...(o.options?.now ? { now: o.options.now } : {}),
      });
    } catch (e) {
      throw unavailable(e);
    }
    return services;
  };
  const actx: AuthContext = {
    project: o.project,
    config,
    secure: config.session.secure_cookies,
    origin: (request) => o.publicUrl || `${request.protocol}://${request.host}`,
    auth,
    audit,
    oidc: () => {
      oidc ??= openOidc(o.project(), {
        audit: audit(),
        config,
        ...(o.options?.now ? { now: o.options.now } : {}),
      }).catch((e: unknown) => {
        // the provider may be back on the next attempt
        oidc = undefined;
        app.log.error({ err: e }, 'cannot reach the OIDC provider');
        throw new ApiProblem(
          503,
          'oidc_unavailable',
          'De identiteitsprovider is nu niet bereikbaar; probeer het later opnieuw.',
        );
      });
      return oidc;
    },
    operations: [],
  };
  // installed before any route: the session routes and the internal routes declare themselves
  app.addHook('onRoute', (route) => {
    if (route.config?.internal && route.method !== 'HEAD') actx.operations.push(route.config.internal);
  });
  app.addHook('onClose', () => {
    services?.close();
    log?.close();
  });

  app.decorateRequest('who');
  app.addHook('onRequest', async (request, reply) => {
    if (isPrivatePath(request.url)) reply.header('Cache-Control', NO_STORE);
    const project = o.project();
    const token = readCookie(request.headers.cookie, COOKIE_NAMES.session, actx.secure);
    let session: Session | undefined;
    try {
      session = token ? auth().sessions.get(token) : undefined;
    } catch (e) {
      // public data needs no sign-in: only the routes that do are unavailable
      if (isPrivatePath(request.url)) throw e;
    }
    if (!token || !session) {
      request.who = { principal: anonymousPrincipal(project) };
      return;
    }
    const identity = session.identity;
    const asked = header(request, 'x-role');
    const role = asked ?? identity.roles.find((r) => project.roles.some((p) => p.name === r));
    const held =
      role !== undefined && identity.roles.includes(role) && project.roles.some((r) => r.name === role);
    request.who = {
      token,
      session,
      identity,
      principal: held ? principalAs(project, identity, role) : anonymousPrincipal(project),
      ...(held
        ? {}
        : {
            roleProblem: new ApiProblem(
              403,
              'role_not_held',
              asked
                ? `U hebt de rol "${asked}" niet; uw rollen: ${identity.roles.join(', ')}.`
                : 'Uw account heeft geen rol van deze installatie.',
            ),
          }),
    };
  });
  return actx;
}

export interface SignedIn {
  token: string;
  identity: Identity;
  principal: Principal;
}

/** The signed-in user in their chosen role: 401 without a session, 403 for a role they do not hold. */
export function requireSignedIn(request: FastifyRequest): SignedIn {
  const { token, identity, principal, roleProblem } = request.who;
  if (!token || !identity)
    throw new ApiProblem(401, 'not_signed_in', 'Meld u eerst aan (POST /api/v1/session).');
  if (roleProblem) throw roleProblem;
  return { token, identity, principal };
}

/** State-changing requests carry the session's CSRF token in X-CSRF-Token: 403 otherwise. */
export function requireCsrf(request: FastifyRequest, token: string): void {
  if (!verifyCsrf(token, header(request, 'x-csrf-token')))
    throw new ApiProblem(
      403,
      'csrf_failed',
      'Het CSRF-token ontbreekt of klopt niet; stuur het token van GET /api/v1/session mee in X-CSRF-Token.',
    );
}

/** Append to the audit log: who, in which role, for which purpose, what, how many rows. */
export function audited(actx: AuthContext, who: Principal, entry: Omit<AuditInput, 'actor' | 'role'>): void {
  actx.audit().append({ actor: who.user, role: who.role.name, ...entry });
}
