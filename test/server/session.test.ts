import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfToken } from '../../src/auth/index.js';
import type { Project } from '../../src/project/types.js';
import {
  expectProblem,
  internalApp,
  internalConfig,
  internalProject,
  ORIGIN,
  signIn,
  signInRequest,
} from './internal-fixture.js';

let project: Project;
let app: FastifyInstance;

const get = (cookie?: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
  app.inject({
    method: 'GET',
    url: '/api/v1/session',
    headers: { ...(cookie ? { cookie } : {}), ...headers },
  });

beforeAll(async () => {
  ({ project } = await internalProject());
  // a short lockout so the test reaches it in a few attempts
  app = await internalApp(project, internalConfig({ lockout: { max_failures: 3, base_seconds: 120 } }));
});

afterAll(async () => {
  await app?.close();
});

describe('POST /api/v1/session', () => {
  it('signs in: an HttpOnly cookie, the identity and the CSRF token, never stored', async () => {
    const r = await signInRequest(app, 'Analist');
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(/^pakhuis_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    const token = cookie.split(';')[0]?.split('=')[1] as string;
    expect(r.json()).toEqual({
      user: 'analist',
      displayName: 'analist',
      roles: ['analist'],
      role: 'analist',
      roleDetails: [
        {
          name: 'analist',
          description: 'BI-team',
          purposes: ['beleidsinformatie', 'kadernota', 'gebiedsgericht_werken'],
          admin: false,
          audit: false,
        },
      ],
      wijken: [],
      method: 'password',
      expiresAt: expect.any(String),
      csrfToken: csrfToken(token),
      _links: { self: { href: '/api/v1/session' } },
    });
  });

  it('sets a Secure __Host- cookie when secure_cookies is on', async () => {
    const secure = await internalApp(project, internalConfig({ session: { secure_cookies: true } }));
    try {
      const r = await signInRequest(secure, 'domeinexpert');
      expect(r.statusCode).toBe(200);
      expect(String(r.headers['set-cookie'])).toMatch(/^__Host-pakhuis_session=.+; Secure$/);
    } finally {
      await secure.close();
    }
  });

  it('rotates: signing in again ends the session the browser brought', async () => {
    const first = await signIn(app, 'bestuur');
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { origin: ORIGIN, cookie: first.cookie },
      payload: { username: 'bestuur', password: 'correct horse battery staple' },
    });
    expect(again.statusCode).toBe(200);
    const second = String(again.headers['set-cookie']).split(';')[0] as string;
    expect(second).not.toBe(first.cookie);
    expectProblem(await get(first.cookie), 401, 'not_signed_in');
    expect((await get(second)).statusCode).toBe(200);
  });

  it('rejects a malformed body as problem+json naming each field', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { origin: ORIGIN },
      payload: { username: 'analist', extra: 1 },
    });
    const body = expectProblem(r, 400, 'invalid_parameters');
    expect(
      (body['invalidParams'] as Array<{ name: string; code: string }>).map((p) => [p.name, p.code]).sort(),
    ).toEqual([
      ['extra', 'unknown_parameter'],
      ['password', 'required'],
    ]);
  });

  it('refuses a sign-in from another origin, or without Origin and Referer (login CSRF)', async () => {
    expectProblem(
      await signInRequest(app, 'analist', undefined, { origin: 'https://evil.example' }),
      403,
      'cross_origin',
    );
    expectProblem(await signInRequest(app, 'analist', undefined, {}), 403, 'cross_origin');
    const referer = await signInRequest(app, 'analist', undefined, { referer: `${ORIGIN}/aanmelden` });
    expect(referer.statusCode).toBe(200);
  });

  it('gives a wrong password and an unknown user the same 401', async () => {
    const wrong = await signInRequest(app, 'fg', 'not the password at all');
    const unknown = await signInRequest(app, 'niemand', 'not the password at all');
    const a = expectProblem(wrong, 401, 'invalid_credentials');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.body).toBe(wrong.body);
    expect(a['detail']).toBe('Onbekende gebruikersnaam of verkeerd wachtwoord.');
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('locks a name after repeated failures: 429 with Retry-After, also for the right password', async () => {
    for (let i = 0; i < 3; i++)
      expectProblem(await signInRequest(app, 'vik', 'wrong password number'), 401, 'invalid_credentials');
    const locked = expectProblem(await signInRequest(app, 'vik'), 429, 'locked');
    expect(locked['detail']).toMatch(/later opnieuw/);
    const r = await signInRequest(app, 'vik');
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(60);
    // an unknown name locks exactly the same
    for (let i = 0; i < 3; i++) await signInRequest(app, 'bestaat.niet', 'wrong password number');
    const unknown = await signInRequest(app, 'bestaat.niet', 'wrong password number');
    expect(unknown.statusCode).toBe(429);
    expect(unknown.body).toBe(r.body);
  });
});

describe('GET and DELETE /api/v1/session', () => {
  it('GET gives the identity and the CSRF token, or 401', async () => {
    const s = await signIn(app, 'wijkteam');
    const r = await get(s.cookie);
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.json()).toMatchObject({
      user: 'wijkteam',
      role: 'wijkteam',
      wijken: ['WK999901'],
      csrfToken: s.csrf,
    });
    const anonymous = expectProblem(await get(), 401, 'not_signed_in');
    expect(anonymous['instance']).toBe('/api/v1/session');
    expectProblem(await get('pakhuis_session=verzonnen'), 401, 'not_signed_in');
  });

  it('acts in the role X-Role names, only one the user holds', async () => {
    const s = await signIn(app, 'tweerollen');
    expect((await get(s.cookie)).json()).toMatchObject({ roles: ['bestuur', 'fg'], role: 'bestuur' });
    expect((await get(s.cookie, { 'x-role': 'fg' })).json()).toMatchObject({ role: 'fg' });
    expectProblem(await get(s.cookie, { 'x-role': 'beheerder' }), 403, 'role_not_held');
  });

  it('DELETE needs the CSRF token, then ends the session and clears the cookie', async () => {
    const s = await signIn(app, 'domeinexpert');
    const del = (headers: Record<string, string>): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: s.cookie, ...headers } });
    expectProblem(await del({}), 403, 'csrf_failed');
    expectProblem(await del({ 'x-csrf-token': csrfToken('another session token') }), 403, 'csrf_failed');
    expect((await get(s.cookie)).statusCode).toBe(200);
    const r = await del({ 'x-csrf-token': s.csrf });
    expect(r.statusCode).toBe(204);
    expect(String(r.headers['set-cookie'])).toBe(
      'pakhuis_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
    );
    expectProblem(await get(s.cookie), 401, 'not_signed_in');
    expectProblem(
      await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { 'x-csrf-token': s.csrf } }),
      401,
      'not_signed_in',
    );
  });

  it('answers 405 with Allow for other methods', async () => {
    const r = await app.inject({ method: 'PUT', url: '/api/v1/session' });
    expectProblem(r, 405, 'method_not_allowed');
    expect(r.headers['allow']).toBe('GET, HEAD, POST, DELETE');
  });
});
