import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  clearCookie,
  COOKIE_NAMES,
  OIDC_TRANSACTION_SECONDS,
  readCookie,
  safeReturnTo,
  setCookie,
  type OidcLogin,
  type OidcTransaction,
} from '../../auth/index.js';
import type { AuthContext } from '../internal/auth.js';
import { ApiProblem } from '../problem.js';
import { allowOnlyGet } from '../route.js';
import { params } from '../schemas.js';
import { BASE_PATH } from '../version.js';

// not from session.ts, which imports this module
export const OIDC_URL = `${BASE_PATH}/session/oidc`;
export const OIDC_CALLBACK_URL = `${OIDC_URL}/callback`;

/** Where the browser goes after signing in when it did not say: the web app. */
export const DEFAULT_RETURN_TO = '/app/';

/**
 * Sign-in at the organisation's identity provider (OpenID Connect, authorization code flow with
 * PKCE): GET /session/oidc sends the browser to the provider and keeps the transaction server-side
 * behind a short-lived cookie; the provider sends it back to /session/oidc/callback (auth.oidc.redirect_uri
 * must be that URL), which completes the sign-in, sets the session cookie exactly as the password
 * sign-in does and redirects to the page the browser came from.
 */
export function oidcRoutes(app: FastifyInstance, actx: AuthContext): void {
  const login = async (): Promise<OidcLogin> => {
    const oidc = actx.config.oidc ? await actx.oidc() : undefined;
    if (!oidc)
      throw new ApiProblem(
        404,
        'oidc_not_configured',
        'Aanmelden via de identiteitsprovider is niet ingesteld (auth.oidc in pakhuis.yaml).',
      );
    return oidc;
  };
  const loginCookie = (reply: FastifyReply, value: string | undefined): FastifyReply =>
    reply.header(
      'Set-Cookie',
      value === undefined
        ? clearCookie(COOKIE_NAMES.login, actx.secure)
        : setCookie(COOKIE_NAMES.login, value, { secure: actx.secure, maxAge: OIDC_TRANSACTION_SECONDS }),
    );

  app.get<{ Querystring: { returnTo?: string } }>(
    OIDC_URL,
    {
      schema: {
        querystring: params({
          returnTo: {
            type: 'string',
            maxLength: 2000,
            description: 'Het pad in de webapplicatie om na het aanmelden naar terug te gaan.',
          },
        }),
      },
    },
    async (request, reply) => {
      const oidc = await login();
      const { url, transaction } = await oidc.startLogin({
        returnTo:
          request.query.returnTo === undefined ? DEFAULT_RETURN_TO : safeReturnTo(request.query.returnTo),
      });
      const handle = actx.auth().sessions.putPending(transaction, OIDC_TRANSACTION_SECONDS);
      return loginCookie(reply, handle).redirect(url.href, 302);
    },
  );
  allowOnlyGet(app, OIDC_URL);

  // the provider's parameters (code, state, iss, session_state, error, …) are its own: no schema
  app.get(OIDC_CALLBACK_URL, async (request, reply) => {
    const oidc = await login();
    const { sessions } = actx.auth();
    const transaction = sessions.takePending<OidcTransaction>(
      readCookie(request.headers.cookie, COOKIE_NAMES.login, actx.secure),
    );
    // the transaction is used up, whatever the outcome
    loginCookie(reply, undefined);
    const result = await oidc.finishLogin(`?${request.url.split('?')[1] ?? ''}`, transaction);
    // a refusal goes back to the sign-in page in the browser, which says why (`?aanmelden=<code>`)
    if (!result.ok) return reply.redirect(`/app?aanmelden=${encodeURIComponent(result.reason)}`, 302);
    // rotation as with a password: a token the browser brought is revoked, never adopted
    const { token } = sessions.create(result.identity, { replaces: request.who.token, ip: request.ip });
    reply.header('Set-Cookie', [
      String(reply.getHeader('Set-Cookie')),
      setCookie(COOKIE_NAMES.session, token, { secure: actx.secure }),
    ]);
    return reply.redirect(safeReturnTo(result.returnTo ?? DEFAULT_RETURN_TO), 302);
  });
  allowOnlyGet(app, OIDC_CALLBACK_URL);
}
