import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAuthConfig, type OidcSettings } from '../../src/auth/config.js';
import { OidcLogin, safeReturnTo, type OidcTransaction } from '../../src/auth/oidc.js';
import { SessionStore } from '../../src/auth/sessions.js';
import { authConfig, authProject, testAudit, testClock } from './helpers.js';
import { browserSignIn, CLIENT, REDIRECT_URI, startProvider, type TestProvider } from './provider.js';

describe('OpenID Connect sign-in against a real provider', () => {
  let provider: TestProvider;
  let settings: OidcSettings;
  const project = authProject();
  const audit = testAudit();
  const discover = (s: OidcSettings, o: { now?: () => Date } = {}): Promise<OidcLogin> =>
    OidcLogin.discover(s, {
      project,
      audit,
      wijkRoles: ['wijkteam'],
      env: { [CLIENT.env]: CLIENT.secret },
      ...o,
    });

  beforeAll(async () => {
    provider = await startProvider();
    const config = authConfig({
      oidc: {
        issuer: provider.issuer,
        client_id: CLIENT.id,
        client_secret_env: CLIENT.env,
        redirect_uri: REDIRECT_URI,
        scopes: ['openid', 'profile', 'datapakhuis'],
        roles_claim: 'roles',
        role_map: {
          'pakhuis-analisten': 'analist',
          'pakhuis-wijkteam': 'wijkteam',
          'pakhuis-bestuur-en-fg': ['bestuur', 'fg'],
        },
        wijken_claim: 'wijken',
      },
    });
    settings = config.oidc as OidcSettings;
    expect(checkAuthConfig(config, project.roles)).toEqual([]);
  });
  afterAll(async () => {
    await provider.close();
    audit.close();
  });

  /** Start, sign in at the provider as a browser, and return the callback URL with the transaction. */
  const signIn = async (
    login: OidcLogin,
    user: string,
    returnTo?: string,
  ): Promise<{ callback: string; transaction: OidcTransaction; url: URL }> => {
    const { url, transaction } = await login.startLogin(returnTo ? { returnTo } : {});
    return { callback: await browserSignIn(url, user), transaction, url };
  };

  it('runs the code flow with PKCE, state and nonce, and maps the role claim', async () => {
    const login = await discover(settings);
    const { url, callback, transaction } = await signIn(login, 'alice', '/indicatoren?wijk=WK040001');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toBe(transaction.state);
    expect(url.searchParams.get('nonce')).toBe(transaction.nonce);
    expect(url.searchParams.get('code_challenge')).not.toBe(transaction.codeVerifier);
    expect(url.href).not.toContain(transaction.codeVerifier);
    expect(new URL(callback).searchParams.get('iss')).toBe(provider.issuer);

    const result = await login.finishLogin(callback, transaction);
    expect(result).toEqual({
      ok: true,
      identity: {
        user: 'alice',
        displayName: 'Alice Analist',
        roles: ['analist'],
        wijken: [],
        method: 'oidc',
        subject: { iss: provider.issuer, sub: 'alice' },
      },
      returnTo: '/indicatoren?wijk=WK040001',
    });
    const entry = audit.logins().at(-1);
    expect(entry).toMatchObject({ actor: 'alice', action: 'login', resource: `oidc ${provider.issuer}` });
    expect(JSON.parse(entry?.detail ?? '{}')).toMatchObject({
      outcome: 'success',
      method: 'oidc',
      roles: ['analist'],
    });
  });

  it('maps a claim value to several roles, and carries the wijken of a wijk-scoped role', async () => {
    const login = await discover(settings);
    const wim = await signIn(login, 'wim');
    expect(await login.finishLogin(wim.callback, wim.transaction)).toMatchObject({
      ok: true,
      identity: { user: 'wim', roles: ['wijkteam'], wijken: ['WK040001', 'WK040003'] },
    });
    const rita = await signIn(login, 'rita');
    expect(await login.finishLogin(rita.callback, rita.transaction)).toMatchObject({
      ok: true,
      identity: { user: 'rita', roles: ['bestuur', 'fg'], wijken: [] },
    });
  });

  it('refuses a sign-in whose claims map to no role, and audits why', async () => {
    const login = await discover(settings);
    const { callback, transaction } = await signIn(login, 'eve');
    const result = await login.finishLogin(callback, transaction);
    expect(result).toMatchObject({ ok: false, reason: 'no_role' });
    expect(!result.ok && result.message).toBe(
      'your account has no role in Datapakhuis: none of its roles (marketing) is mapped in auth.oidc.role_map',
    );
    const detail = JSON.parse(audit.logins().at(-1)?.detail ?? '{}') as Record<string, unknown>;
    expect(detail).toMatchObject({
      outcome: 'refused',
      reason: 'no_role',
      user: 'eve',
      claim_values: ['marketing'],
    });
  });

  it('refuses a wijk-scoped role without wijken', async () => {
    const login = await discover(settings);
    const { callback, transaction } = await signIn(login, 'nora');
    expect(await login.finishLogin(callback, transaction)).toMatchObject({ ok: false, reason: 'no_wijken' });
  });

  it('refuses a callback whose state does not match the transaction', async () => {
    const login = await discover(settings);
    const { callback, transaction } = await signIn(login, 'alice');
    const tampered = new URL(callback);
    tampered.searchParams.set('state', 'forged-state-value');
    expect(await login.finishLogin(tampered, transaction)).toMatchObject({
      ok: false,
      reason: 'state_mismatch',
    });
    // the transaction of another sign-in (an attacker's callback delivered into the victim's browser)
    const other = await login.startLogin();
    expect(await login.finishLogin(callback, other.transaction)).toMatchObject({ reason: 'state_mismatch' });
    expect(await login.finishLogin(callback, undefined)).toMatchObject({ reason: 'expired' });
    expect(JSON.parse(audit.logins().at(-2)?.detail ?? '{}')).toMatchObject({ reason: 'state_mismatch' });
  });

  it('refuses a replayed code and a code without its PKCE verifier', async () => {
    const login = await discover(settings);
    const { callback, transaction } = await signIn(login, 'alice');
    const wrongVerifier = { ...transaction, codeVerifier: 'x'.repeat(43) };
    expect(await login.finishLogin(callback, wrongVerifier)).toMatchObject({
      ok: false,
      reason: 'invalid_response',
    });
    expect(JSON.parse(audit.logins().at(-1)?.detail ?? '{}')).toMatchObject({ error: expect.any(String) });
    expect(await login.finishLogin(callback, transaction)).toMatchObject({ ok: true });
    // a code is used once (RFC 6749 §4.1.2): the same callback again is refused
    expect(await login.finishLogin(callback, transaction)).toMatchObject({
      ok: false,
      reason: 'invalid_response',
    });
  });

  it('refuses an error response from the provider and an expired transaction', async () => {
    const clock = testClock();
    const login = await discover(settings, { now: clock.now });
    const { transaction } = await login.startLogin();
    expect(
      await login.finishLogin(
        `?error=access_denied&error_description=End-User+aborted&state=${transaction.state}`,
        transaction,
      ),
    ).toMatchObject({
      ok: false,
      reason: 'provider_error',
      message: 'the sign-in provider refused the sign-in (access_denied)',
    });
    expect(JSON.parse(audit.logins().at(-1)?.detail ?? '{}')).toMatchObject({
      error: 'access_denied',
      description: 'End-User aborted',
    });
    // the provider's free text is never shown to the user
    expect(
      await login.finishLogin(
        '?error=Call+0800-FAKE+now&error_description=Your+account+is+blocked',
        transaction,
      ),
    ).toMatchObject({ message: 'the sign-in provider refused the sign-in (error)' });
    clock.advance(601_000);
    expect(await login.finishLogin(`?code=x&state=${transaction.state}`, transaction)).toMatchObject({
      reason: 'expired',
    });
  });

  it('keeps the transaction server-side behind a single-use handle', async () => {
    const login = await discover(settings);
    const sessions = new SessionStore(new Database(':memory:'), { idleMinutes: 30, absoluteHours: 8 });
    const { url, transaction } = await login.startLogin();
    const handle = sessions.putPending(transaction, 600);
    const callback = await browserSignIn(url, 'alice');
    const kept = sessions.takePending<OidcTransaction>(handle);
    expect(await login.finishLogin(callback, kept)).toMatchObject({ ok: true });
    expect(sessions.takePending(handle)).toBeUndefined();
  });

  it('reads roles from a nested claim (Keycloak realm_access.roles) and the user from another claim', async () => {
    const login = await discover({ ...settings, roles_claim: 'realm_access.roles', user_claim: 'name' });
    const { callback, transaction } = await signIn(login, 'alice');
    // the test provider has no realm_access claim: no role
    expect(await login.finishLogin(callback, transaction)).toMatchObject({
      ok: false,
      reason: 'no_role',
      message: expect.stringContaining('none of its realm_access.roles (none)'),
    });
    expect(audit.logins().at(-1)?.actor).toBe('Alice Analist');
  });

  it('needs the client secret from the environment', async () => {
    await expect(OidcLogin.discover(settings, { project, audit, wijkRoles: [], env: {} })).rejects.toThrow(
      'auth.oidc.client_secret_env names $TEST_OIDC_SECRET, which is not set',
    );
  });
});

describe('OIDC settings', () => {
  it('require TLS except on loopback, and openid in the scopes', () => {
    const base = { client_id: 'c', role_map: { a: 'analist' } };
    expect(() =>
      authConfig({
        oidc: { ...base, issuer: 'http://sso.example.nl', redirect_uri: 'https://app.example.nl/cb' },
      }),
    ).toThrow('use https://');
    expect(() =>
      authConfig({
        oidc: {
          ...base,
          issuer: 'https://sso.example.nl',
          redirect_uri: 'https://a.nl/cb',
          scopes: ['profile'],
        },
      }),
    ).toThrow('the scopes must include openid');
    const ok = authConfig({
      oidc: { ...base, issuer: 'https://sso.example.nl/realms/x', redirect_uri: 'http://localhost:3000/cb' },
    });
    expect(ok.oidc).toMatchObject({
      scopes: ['openid', 'profile'],
      roles_claim: 'roles',
      role_map: { a: ['analist'] },
    });
    expect(authConfig(ok)).toEqual(ok);
  });

  it('name roles of pakhuis.yaml, never the anonymous role', () => {
    const config = authConfig({
      oidc: {
        issuer: 'https://sso.example.nl',
        client_id: 'c',
        redirect_uri: 'https://a.nl/cb',
        role_map: { g1: 'analist', g2: ['onbekend'], g3: 'publiek' },
      },
    });
    expect(checkAuthConfig(config, authProject().roles)).toEqual([
      'auth.oidc.role_map.g2: unknown role "onbekend"; roles in pakhuis.yaml: beheerder, analist, domeinexpert, fg, wijkteam, bestuur',
      'auth.oidc.role_map.g3: publiek is the anonymous role; a sign-in cannot grant it',
    ]);
  });

  it('has secure defaults', () => {
    expect(authConfig()).toEqual({
      local: { enabled: true },
      session: { idle_minutes: 30, absolute_hours: 8, secure_cookies: true },
      lockout: {
        max_failures: 5,
        base_seconds: 60,
        max_seconds: 3600,
        reset_hours: 24,
        ip_max_failures: 20,
        ip_window_minutes: 15,
      },
      wijk_roles: ['wijkteam'],
    });
  });

  it('accepts only local return paths', () => {
    expect(safeReturnTo('/wijken/WK040001')).toBe('/wijken/WK040001');
    expect(safeReturnTo('//evil.example/x')).toBe('/');
    expect(safeReturnTo('/\\evil.example')).toBe('/');
    expect(safeReturnTo('https://evil.example')).toBe('/');
    expect(safeReturnTo(undefined)).toBe('/');
  });
});
