import { timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import type { Project } from '../project/types.js';
import { ANONYMOUS_ROLE, isLoopbackHttp, type OidcSettings } from './config.js';
import {
  auditLogin,
  WIJK_CODE,
  type AuditSink,
  type Identity,
  type LoginResult,
  type RefusalReason,
} from './identity.js';

/** How long a sign-in at the provider may take, start to callback (also the transaction cookie's Max-Age). */
export const OIDC_TRANSACTION_SECONDS = 600;

/**
 * What the app keeps between startLogin and finishLogin (server-side, behind a short-lived cookie:
 * SessionStore.putPending). Never send it to the browser as such: the PKCE verifier must stay secret.
 */
export interface OidcTransaction {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** the app path to return to after signing in (always a local path) */
  returnTo: string;
  createdAt: string;
}

export type OidcResult = LoginResult & { returnTo?: string };

export interface OidcOptions {
  project: Project;
  audit: AuditSink;
  /** roles that need a wijk scope (auth.wijk_roles) */
  wijkRoles: string[];
  /** where to read the client secret from; process.env by default */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

/** A local path to return to after sign-in; anything else (another host: an open redirect) becomes '/'. */
export function safeReturnTo(path: string | undefined): string {
  return path && /^\/(?![/\\])/.test(path) ? path : '/';
}

/** A claim by name, or by dotted path into nested objects (Keycloak's realm_access.roles). */
function claim(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path];
  return path
    .split('.')
    .reduce<unknown>(
      (v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
      claims,
    );
}

const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

const sameText = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * OpenID Connect sign-in (Entra ID, Keycloak, …) with the authorization code flow, PKCE (RFC 7636,
 * S256), state and nonce (OpenID Connect Core §3.1.2.1, §15.5.2), through openid-client, which also
 * checks the ID token's signature, issuer, audience, expiry and nonce and the RFC 9207 `iss`
 * parameter. Roles come from a claim through auth.oidc.role_map; a sign-in that maps to no role is
 * refused. Every outcome is written to the audit log.
 */
export class OidcLogin {
  private constructor(
    private readonly config: client.Configuration,
    private readonly settings: OidcSettings,
    private readonly opts: OidcOptions,
  ) {}

  /** Read the provider's metadata (/.well-known/openid-configuration) and set up the client. */
  static async discover(settings: OidcSettings, opts: OidcOptions): Promise<OidcLogin> {
    const env = opts.env ?? process.env;
    let auth = client.None();
    if (settings.client_secret_env) {
      const secret = env[settings.client_secret_env];
      if (!secret)
        throw new Error(
          `auth.oidc.client_secret_env names $${settings.client_secret_env}, which is not set; set it to the client secret`,
        );
      auth = client.ClientSecretBasic(secret);
    }
    const issuer = new URL(settings.issuer);
    const config = await client.discovery(
      issuer,
      settings.client_id,
      { redirect_uris: [settings.redirect_uri] },
      auth,
      // plain HTTP only to a provider on this machine (development, tests); the schema allows no other
      isLoopbackHttp(issuer) ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
    );
    return new OidcLogin(config, settings, opts);
  }

  /** The URL to send the browser to, and the transaction to keep until the callback. */
  async startLogin(o: { returnTo?: string } = {}): Promise<{ url: URL; transaction: OidcTransaction }> {
    const transaction: OidcTransaction = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      returnTo: safeReturnTo(o.returnTo),
      createdAt: this.now().toISOString(),
    };
    const url = client.buildAuthorizationUrl(this.config, {
      redirect_uri: this.settings.redirect_uri,
      response_type: 'code',
      scope: this.settings.scopes.join(' '),
      state: transaction.state,
      nonce: transaction.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(transaction.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, transaction };
  }

  /**
   * Complete the sign-in from the callback. `callbackUrl` is the URL the provider redirected to (or
   * just its query string): it is read against the configured redirect_uri, so a proxy in front of
   * the server does not change it. `transaction` is what startLogin returned (undefined when the
   * browser brought none, or it expired).
   */
  async finishLogin(
    callbackUrl: URL | string,
    transaction: OidcTransaction | undefined,
  ): Promise<OidcResult> {
    const resource = `oidc ${this.settings.issuer}`;
    const refuse = (
      reason: RefusalReason,
      message: string,
      detail: Record<string, unknown> = {},
    ): OidcResult => {
      const result: OidcResult = { ok: false, reason, message };
      auditLogin(this.opts.audit, { actor: String(detail['user'] ?? '(unknown)'), resource, result, detail });
      return result;
    };

    const received = new URL(callbackUrl, this.settings.redirect_uri);
    const error = received.searchParams.get('error');
    if (error) {
      // RFC 6749 §4.1.2.1: the error code is shown, its free text only logged (it is not ours to show)
      const code = /^[a-z_]{1,40}$/.test(error) ? error : 'error';
      const description = received.searchParams.get('error_description')?.slice(0, 200);
      return refuse('provider_error', `the sign-in provider refused the sign-in (${code})`, {
        error: code,
        ...(description ? { description } : {}),
      });
    }
    if (!transaction) return refuse('expired', 'the sign-in expired or was started elsewhere; sign in again');
    if (Date.parse(transaction.createdAt) + OIDC_TRANSACTION_SECONDS * 1000 <= this.now().getTime())
      return refuse('expired', 'the sign-in took too long; sign in again');
    // RFC 6749 §10.12: the callback must answer the request this browser started
    if (!sameText(received.searchParams.get('state') ?? '', transaction.state))
      return refuse('state_mismatch', 'this sign-in response does not belong to your sign-in; sign in again');

    const current = new URL(this.settings.redirect_uri);
    current.search = received.search;
    let claims: Record<string, unknown>;
    try {
      const tokens = await client.authorizationCodeGrant(
        this.config,
        current,
        {
          pkceCodeVerifier: transaction.codeVerifier,
          expectedState: transaction.state,
          expectedNonce: transaction.nonce,
          idTokenExpected: true,
        },
        { redirect_uri: this.settings.redirect_uri },
      );
      claims = { ...(tokens.claims() as Record<string, unknown>) };
      // Entra ID and Keycloak can put roles and groups in the ID token; otherwise ask userinfo
      const wanted = [this.settings.roles_claim, this.settings.user_claim, this.settings.wijken_claim];
      if (
        wanted.some((c) => c && claim(claims, c) === undefined) &&
        this.config.serverMetadata().userinfo_endpoint
      ) {
        const info = await client.fetchUserInfo(this.config, tokens.access_token, claims['sub'] as string);
        claims = { ...info, ...claims };
      }
    } catch (e) {
      return refuse('invalid_response', 'the sign-in response could not be verified; sign in again', {
        error: (e as Error).message,
      });
    }
    return this.identityFrom(claims, transaction.returnTo, refuse);
  }

  /** The user, their roles through role_map and their wijken, or a refusal that says what is missing. */
  private identityFrom(
    claims: Record<string, unknown>,
    returnTo: string,
    refuse: (reason: RefusalReason, message: string, detail?: Record<string, unknown>) => OidcResult,
  ): OidcResult {
    const s = this.settings;
    const sub = claims['sub'] as string;
    const iss = claims['iss'] as string;
    const user = strings(claim(claims, s.user_claim))[0] ?? sub;
    const values = strings(claim(claims, s.roles_claim));
    const known = new Set(this.opts.project.roles.map((r) => r.name));
    const roles = [
      ...new Set(
        values.flatMap((v) => s.role_map[v] ?? []).filter((r) => r !== ANONYMOUS_ROLE && known.has(r)),
      ),
    ];
    const detail = { user, sub, iss, claim_values: values };
    if (roles.length === 0)
      return refuse(
        'no_role',
        `your account has no role in Datapakhuis: none of its ${s.roles_claim} (${values.join(', ') || 'none'}) is mapped in auth.oidc.role_map`,
        detail,
      );
    const wijken = s.wijken_claim
      ? strings(claim(claims, s.wijken_claim)).map((w) => w.trim().toUpperCase())
      : [];
    const invalid = wijken.filter((w) => !WIJK_CODE.test(w));
    if (invalid.length > 0)
      return refuse(
        'no_wijken',
        `the claim ${s.wijken_claim} holds values that are not wijk codes: ${invalid.join(', ')}`,
        detail,
      );
    const scoped = roles.filter((r) => this.opts.wijkRoles.includes(r));
    if (scoped.length > 0 && wijken.length === 0)
      return refuse(
        'no_wijken',
        `the role ${scoped.join(', ')} sees only its own wijken, but the sign-in carries none (claim ${s.wijken_claim ?? 'auth.oidc.wijken_claim: not set'})`,
        detail,
      );
    const identity: Identity = {
      user,
      displayName: strings(claims['name'])[0] ?? user,
      roles,
      wijken: scoped.length > 0 ? wijken : [],
      method: 'oidc',
      subject: { iss, sub },
    };
    const result: OidcResult = { ok: true, identity, returnTo };
    auditLogin(this.opts.audit, { actor: user, resource: `oidc ${s.issuer}`, result, detail: { sub, iss } });
    return result;
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }
}
