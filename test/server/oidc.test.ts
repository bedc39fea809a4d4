import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/project/types.js';
import { browserSignIn, CLIENT, startProvider, type TestProvider } from '../auth/provider.js';
import { expectProblem, internalApp, internalConfig, internalProject } from './internal-fixture.js';

/** A free port on the loopback interface: the provider must know the app's callback before the app starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** fetch without following redirects; the Set-Cookie headers as name → value. */
async function call(
  url: string,
  cookie = '',
): Promise<{ status: number; location: string | null; cookies: Map<string, string>; body: string }> {
  const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const cookies = new Map(
    res.headers.getSetCookie().map((c) => {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      return [pair.slice(0, eq), pair.slice(eq + 1)] as [string, string];
    }),
  );
  return { status: res.status, location: res.headers.get('location'), cookies, body: await res.text() };
}

describe('OIDC sign-in over HTTP against a real provider', () => {
  let provider: TestProvider;
  let project: Project;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    ({ project } = await internalProject());
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const redirect = `${base}/api/v1/session/oidc/callback`;
    provider = await startProvider({ redirectUris: [redirect] });
    process.env[CLIENT.env] = CLIENT.secret;
    app = await internalApp(
      project,
      internalConfig({
        oidc: {
          issuer: provider.issuer,
          client_id: CLIENT.id,
          client_secret_env: CLIENT.env,
          redirect_uri: redirect,
          scopes: ['openid', 'profile', 'datapakhuis'],
          roles_claim: 'roles',
          role_map: { 'pakhuis-analisten': 'analist', 'pakhuis-bestuur-en-fg': ['bestuur', 'fg'] },
        },
      }),
    );
    await app.listen({ port, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await app?.close();
    await provider?.close();
  });

  /** Start at the app, sign in at the provider as a browser, and come back to the app's callback. */
  async function signIn(login: string, returnTo?: string): Promise<ReturnType<typeof call>> {
    const start = await call(
      `${base}/api/v1/session/oidc${returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`}`,
    );
    expect(start.status, start.body).toBe(302);
    const authorization = new URL(start.location as string);
    expect(authorization.origin).toBe(provider.issuer);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    const transaction = start.cookies.get('pakhuis_login');
    expect(transaction).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const callback = await browserSignIn(authorization, login, `${base}/api/v1/session/oidc/callback`);
    return call(callback, `pakhuis_login=${transaction}`);
  }

  it('signs in with the roles the claims map to, sets the session cookie and returns to the page', async () => {
    const done = await signIn('rita', '/app/indicatoren?thema=zorg');
    expect(done.status, done.body).toBe(302);
    expect(done.location).toBe('/app/indicatoren?thema=zorg');
    expect(done.cookies.get('pakhuis_login')).toBe('');
    const session = done.cookies.get('pakhuis_session') as string;
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await call(`${base}/api/v1/session`, `pakhuis_session=${session}`);
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body)).toMatchObject({
      user: 'rita',
      displayName: 'Rita Raad',
      roles: ['bestuur', 'fg'],
      role: 'bestuur',
      method: 'oidc',
    });
    // the session works for the internal routes like a password session
    const catalog = await call(`${base}/api/v1/internal/catalog`, `pakhuis_session=${session}`);
    expect(catalog.status).toBe(200);
  });

  it('returns to /app/ by default, and never to another site', async () => {
    expect((await signIn('alice')).location).toBe('/app/');
    expect((await signIn('alice', 'https://evil.example/')).location).toBe('/');
    expect((await signIn('alice', '//evil.example/')).location).toBe('/');
  });

  it('refuses a sign-in whose claims map to no role, and a callback without its transaction', async () => {
    const eve = await signIn('eve');
    // back to the sign-in page, which says why
    expect(eve.status).toBe(302);
    expect(eve.location).toBe('/app?aanmelden=no_role');
    expect(eve.cookies.has('pakhuis_session')).toBe(false);

    const start = await call(`${base}/api/v1/session/oidc`);
    const callback = await browserSignIn(
      new URL(start.location as string),
      'alice',
      `${base}/api/v1/session/oidc/callback`,
    );
    // without the transaction cookie (another browser): refused; with it once; replayed: refused
    expect((await call(callback)).location).toBe('/app?aanmelden=expired');
    const cookie = `pakhuis_login=${start.cookies.get('pakhuis_login')}`;
    const once = await call(callback, cookie);
    expect(once.status).toBe(302);
    expect(once.cookies.has('pakhuis_session')).toBe(true);
    expect((await call(callback, cookie)).location).toBe('/app?aanmelden=expired');
  });

  it('400 for an unknown parameter; 404 oidc_not_configured without auth.oidc', async () => {
    expect((await call(`${base}/api/v1/session/oidc?return=/app/`)).status).toBe(400);
    // the sign-in page learns from the anonymous session's 401 whether to offer the provider
    expect(JSON.parse((await call(`${base}/api/v1/session`)).body)).toMatchObject({
      status: 401,
      code: 'not_signed_in',
      signInMethods: ['password', 'oidc'],
    });
    const plain = await internalApp(project);
    try {
      expect((await plain.inject('/api/v1/session')).json()).toMatchObject({
        code: 'not_signed_in',
        signInMethods: ['password'],
      });
      expectProblem(await plain.inject('/api/v1/session/oidc'), 404, 'oidc_not_configured');
      expectProblem(await plain.inject('/api/v1/session/oidc/callback?code=x'), 404, 'oidc_not_configured');
    } finally {
      await plain.close();
    }
  });
});
