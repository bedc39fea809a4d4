import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  clearCookie,
  COOKIE_NAMES,
  csrfToken,
  sameOrigin,
  setCookie,
  type LoginRefusal,
  type Session,
} from '../../auth/index.js';
import type { RoleDef } from '../../project/types.js';
import { requireCsrf, requireSignedIn, type AuthContext } from '../internal/auth.js';
import { ApiProblem, sendProblem } from '../problem.js';
import { oidcRoutes } from './oidc.js';
import { BASE_PATH } from '../version.js';

export const SESSION_URL = `${BASE_PATH}/session`;

/** The sign-in refusals as the API words them (Dutch); never says whether a user name exists. */
const REFUSAL_NL: Record<LoginRefusal['reason'], string> = {
  invalid_credentials: 'Onbekende gebruikersnaam of verkeerd wachtwoord.',
  locked: 'Te veel mislukte pogingen; probeer het later opnieuw.',
  rate_limited: 'Te veel mislukte pogingen vanaf uw adres; probeer het later opnieuw.',
  disabled: 'Dit account is uitgeschakeld; vraag een beheerder.',
  method_disabled: 'Aanmelden met een wachtwoord staat uit; gebruik uw organisatieaccount.',
  no_role: 'Dit account heeft geen rol in deze installatie; vraag een beheerder.',
  no_wijken: 'Dit account heeft geen wijken; vraag een beheerder.',
  state_mismatch: 'De aanmelding is niet geldig.',
  expired: 'De aanmelding is verlopen; probeer het opnieuw.',
  provider_error: 'De identiteitsprovider gaf een fout.',
  invalid_response: 'De identiteitsprovider gaf een ongeldig antwoord.',
};

export function refusalProblem(r: LoginRefusal): ApiProblem {
  const wait = r.reason === 'locked' || r.reason === 'rate_limited';
  return new ApiProblem(
    wait ? 429 : 401,
    r.reason,
    REFUSAL_NL[r.reason],
    undefined,
    wait ? { 'Retry-After': String(Math.max(1, r.retryAfterSeconds ?? 60)) } : {},
  );
}

/** What the web app needs about the signed-in user: identity, the active role and the CSRF token. */
function sessionJson(
  request: FastifyRequest,
  token: string,
  session: Session,
  role: string | undefined,
  roles: readonly RoleDef[],
): object {
  const { identity } = session;
  return {
    user: identity.user,
    displayName: identity.displayName,
    roles: identity.roles,
    role: role ?? null,
    // what the web app needs to offer: the purposes to choose from and the pages of the role
    roleDetails: identity.roles.flatMap((name) => {
      const r = roles.find((d) => d.name === name);
      return r
        ? [{ name, description: r.description ?? null, purposes: r.purposes, admin: r.admin, audit: r.audit }]
        : [];
    }),
    wijken: identity.wijken,
    method: identity.method,
    expiresAt: session.expiresAt,
    csrfToken: csrfToken(token),
    _links: { self: { href: request.url.split('?')[0] } },
  };
}

const credentials = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password'],
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 256 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
  },
};

/**
 * Sign-in with a local account (POST), the current session (GET) and sign-out (DELETE) at
 * /api/v1/session. The session lives server-side; the browser holds an HttpOnly cookie, and every
 * state-changing request carries the session's CSRF token. The sign-in itself has no session yet,
 * so it must come from the app's own origin (login CSRF).
 */
export function sessionRoutes(app: FastifyInstance, actx: AuthContext): void {
  const cookie = (reply: FastifyReply, value: string): FastifyReply =>
    reply.header('Set-Cookie', setCookie(COOKIE_NAMES.session, value, { secure: actx.secure }));

  app.post<{ Body: { username: string; password: string } }>(
    SESSION_URL,
    { schema: { body: credentials } },
    async (request, reply) => {
      if (!sameOrigin(request.headers, actx.origin(request)))
        throw new ApiProblem(
          403,
          'cross_origin',
          'Aanmelden kan alleen vanaf de eigen webapplicatie (Origin of Referer ontbreekt of is een andere).',
        );
      const { accounts, sessions } = actx.auth();
      const result = await accounts.verifyLogin(request.body.username, request.body.password, request.ip);
      if (!result.ok) return sendProblem(request, reply, refusalProblem(result));
      // rotation: a new token at every sign-in; a token the browser brought is revoked, never adopted
      const { token, session } = sessions.create(result.identity, {
        replaces: request.who.token,
        ip: request.ip,
      });
      const role = result.identity.roles.find((r) => actx.project().roles.some((p) => p.name === r));
      return cookie(reply, token).send(sessionJson(request, token, session, role, actx.project().roles));
    },
  );

  app.get(SESSION_URL, async (request, reply) => {
    if (!request.who.token || !request.who.identity)
      // the sign-in page asks here first: the 401 says which ways to sign in this installation offers
      throw new ApiProblem(
        401,
        'not_signed_in',
        'Meld u eerst aan (POST /api/v1/session).',
        undefined,
        {},
        {
          signInMethods: actx.config.oidc ? ['password', 'oidc'] : ['password'],
        },
      );
    const { token, principal } = requireSignedIn(request);
    return reply.send(
      sessionJson(request, token, request.who.session as Session, principal.role.name, actx.project().roles),
    );
  });

  app.delete(SESSION_URL, async (request, reply) => {
    const { token } = requireSignedIn(request);
    requireCsrf(request, token);
    actx.auth().sessions.revoke(token);
    return reply.header('Set-Cookie', clearCookie(COOKIE_NAMES.session, actx.secure)).code(204).send();
  });

  const refuse = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    sendProblem(
      request,
      reply.header('Allow', 'GET, HEAD, POST, DELETE'),
      new ApiProblem(
        405,
        'method_not_allowed',
        `${request.method} wordt niet ondersteund op ${SESSION_URL}.`,
      ),
    );
  app.route({ method: ['PUT', 'PATCH', 'OPTIONS'], url: SESSION_URL, onRequest: refuse, handler: refuse });
  oidcRoutes(app, actx);
}
