import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuditKey } from '../../src/privacy/keys.js';
import type { Project } from '../../src/project/types.js';
import { AuditLog, type AuditEntry } from '../../src/state/audit.js';
import {
  expectProblem,
  internalApp,
  internalConfig,
  internalProject,
  PASSWORD,
  signIn,
  signInRequest,
  type SignedIn,
} from './internal-fixture.js';

let project: Project;
let app: FastifyInstance;
let admin: SignedIn;
let analist: SignedIn;
const USERS = '/api/v1/internal/users';

const send = (
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  as: SignedIn | undefined,
  payload?: object,
  csrf = true,
): Promise<LightMyRequestResponse> =>
  app.inject({
    method,
    url,
    headers: {
      ...(as ? { cookie: as.cookie } : {}),
      ...(as && csrf ? { 'x-csrf-token': as.csrf } : {}),
    },
    ...(payload ? { payload } : {}),
  });

function audit(): AuditEntry[] {
  const log = new AuditLog(join(project.paths.state, 'audit.sqlite'), loadAuditKey(project));
  try {
    return log.entries({ limit: 10 });
  } finally {
    log.close();
  }
}

beforeAll(async () => {
  ({ project } = await internalProject());
  app = await internalApp(project, internalConfig({ lockout: { max_failures: 2, base_seconds: 600 } }));
  admin = await signIn(app, 'beheerder');
  analist = await signIn(app, 'analist');
});

afterAll(async () => {
  await app?.close();
});

describe('GET /internal/users', () => {
  it('lists the accounts for an admin, never a password hash', async () => {
    const r = await send('GET', USERS, admin);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const { users } = r.json<{ users: Array<Record<string, unknown>> }>();
    expect(users.find((u) => u.username === 'wijkteam')).toMatchObject({
      displayName: 'wijkteam',
      roles: ['wijkteam'],
      wijken: ['WK999901'],
      disabled: false,
      locked: false,
    });
    expect(users.find((u) => u.username === 'beheerder')?.lastLogin).toEqual(expect.any(String));
    expect(r.body).not.toMatch(/argon2|password_?hash/i);
    // the roles an account can get: every role of pakhuis.yaml, also those no account holds yet
    expect(r.json<{ roles: Array<{ name: string }> }>().roles.map((x) => x.name)).toEqual(
      project.roles.map((x) => x.name),
    );
  });

  it('401 without a session, 403 (audited as denied) for a role without admin', async () => {
    expectProblem(await send('GET', USERS, undefined), 401, 'not_signed_in');
    expectProblem(await send('GET', USERS, analist), 403, 'forbidden');
    expect(audit()[0]).toMatchObject({ actor: 'analist', action: 'denied' });
  });
});

describe('POST /internal/users', () => {
  it('adds an account: 201 with Location, audited as a definition change, and it can sign in', async () => {
    const r = await send('POST', USERS, admin, {
      username: 'Nieuw.Lid',
      password: PASSWORD,
      roles: ['analist'],
      displayName: 'Nieuw Lid',
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.headers['location']).toBe('/api/v1/internal/users/nieuw.lid');
    expect(r.json()).toMatchObject({ username: 'nieuw.lid', displayName: 'Nieuw Lid', roles: ['analist'] });
    expect(audit()[0]).toMatchObject({
      actor: 'beheerder',
      role: 'beheerder',
      action: 'definition_change',
      resource: 'account nieuw.lid',
    });
    expect((await signInRequest(app, 'nieuw.lid')).statusCode).toBe(200);
    expect((await send('GET', String(r.headers['location']), admin)).json()).toMatchObject({
      username: 'nieuw.lid',
    });
  });

  it('400 for a weak password with the reason, 400 for an unknown role, 409 when it exists', async () => {
    const weak = expectProblem(
      await send('POST', USERS, admin, { username: 'zwak', password: 'kort', roles: ['analist'] }),
      400,
      'weak_password',
    );
    expect(weak['detail']).toBe('Het wachtwoord moet minstens 12 tekens lang zijn.');
    expect(weak['invalidParams']).toEqual([
      { name: 'password', code: 'too_short', reason: expect.any(String) },
    ]);
    const common = expectProblem(
      await send('POST', USERS, admin, { username: 'zwak', password: 'wachtwoord123', roles: ['analist'] }),
      400,
      'weak_password',
    );
    expect(common['detail']).toMatch(/veelgebruikt/);
    const role = expectProblem(
      await send('POST', USERS, admin, { username: 'zwak', password: PASSWORD, roles: ['koning'] }),
      400,
      'unknown_role',
    );
    expect(role['detail']).toMatch(/koning/);
    expectProblem(
      await send('POST', USERS, admin, { username: 'publiekslid', password: PASSWORD, roles: ['publiek'] }),
      400,
      'unknown_role',
    );
    expectProblem(
      await send('POST', USERS, admin, { username: 'Analist', password: PASSWORD, roles: ['analist'] }),
      409,
      'account_exists',
    );
    // a wijk-scoped role needs its wijken
    expectProblem(
      await send('POST', USERS, admin, { username: 'wijk2', password: PASSWORD, roles: ['wijkteam'] }),
      400,
      'invalid_account',
    );
  });

  it('400 for a malformed body, naming each member', async () => {
    const r = expectProblem(
      await send('POST', USERS, admin, { username: 'x', roles: [], extra: 1 }),
      400,
      'invalid_parameters',
    );
    expect((r['invalidParams'] as Array<{ name: string }>).map((p) => p.name).sort()).toEqual(
      expect.arrayContaining(['extra', 'password']),
    );
  });

  it('needs the CSRF token; 401 and 403 come before any validation', async () => {
    const body = { username: 'zonder.token', password: PASSWORD, roles: ['analist'] };
    expectProblem(await send('POST', USERS, admin, body, false), 403, 'csrf_failed');
    expectProblem(await send('POST', USERS, undefined, { bad: 1 }), 401, 'not_signed_in');
    expectProblem(await send('POST', USERS, analist, { bad: 1 }), 403, 'forbidden');
    expect((await send('GET', `${USERS}/zonder.token`, admin)).statusCode).toBe(404);
  });
});

describe('PATCH /internal/users/{username}', () => {
  it('changes roles, disables and enables, sets a password and unlocks', async () => {
    await send('POST', USERS, admin, { username: 'wisselaar', password: PASSWORD, roles: ['analist'] });
    const roles = await send('PATCH', `${USERS}/wisselaar`, admin, { roles: ['bestuur', 'fg'] });
    expect(roles.statusCode, roles.body).toBe(200);
    expect(roles.json()).toMatchObject({ roles: ['bestuur', 'fg'] });

    const s = await signIn(app, 'wisselaar');
    expect((await send('PATCH', `${USERS}/wisselaar`, admin, { disabled: true })).json()).toMatchObject({
      disabled: true,
    });
    // disabling ends the account's sessions
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: s.cookie } }),
      401,
      'not_signed_in',
    );
    expect((await send('PATCH', `${USERS}/wisselaar`, admin, { disabled: false })).json()).toMatchObject({
      disabled: false,
    });

    // locked after two failures; unlock lifts it
    for (let i = 0; i < 2; i++) await signInRequest(app, 'wisselaar', 'a wrong password here');
    expect((await send('GET', `${USERS}/wisselaar`, admin)).json()).toMatchObject({ locked: true });
    expect((await signInRequest(app, 'wisselaar')).statusCode).toBe(429);
    expect((await send('PATCH', `${USERS}/wisselaar`, admin, { unlock: true })).json()).toMatchObject({
      locked: false,
    });
    expect(audit()[0]).toMatchObject({ action: 'definition_change', resource: 'account wisselaar' });
    expect((await signInRequest(app, 'wisselaar')).statusCode).toBe(200);

    const pw = await send('PATCH', `${USERS}/wisselaar`, admin, { password: 'een heel nieuw wachtwoord' });
    expect(pw.statusCode).toBe(200);
    expect((await signInRequest(app, 'wisselaar', 'een heel nieuw wachtwoord')).statusCode).toBe(200);
    expectProblem(
      await send('PATCH', `${USERS}/wisselaar`, admin, { password: 'wisselaar-wachtwoord' }),
      400,
      'weak_password',
    );
  });

  it('404 for an unknown account, 400 for an empty or unknown change, 403 without CSRF or admin', async () => {
    expectProblem(
      await send('PATCH', `${USERS}/bestaat.niet`, admin, { disabled: true }),
      404,
      'account_not_found',
    );
    expectProblem(await send('PATCH', `${USERS}/analist`, admin, {}), 400, 'invalid_parameters');
    expectProblem(await send('PATCH', `${USERS}/analist`, admin, { admin: true }), 400, 'invalid_parameters');
    expectProblem(await send('PATCH', `${USERS}/analist`, admin, { roles: ['koning'] }), 400, 'unknown_role');
    expectProblem(
      await send('PATCH', `${USERS}/analist`, admin, { disabled: true }, false),
      403,
      'csrf_failed',
    );
    expectProblem(await send('PATCH', `${USERS}/analist`, analist, { disabled: true }), 403, 'forbidden');
    expectProblem(
      await send('PATCH', `${USERS}/analist`, undefined, { disabled: true }),
      401,
      'not_signed_in',
    );
  });

  it('405 with Allow for other methods', async () => {
    const r = await app.inject({ method: 'DELETE', url: `${USERS}/analist` });
    expectProblem(r, 405, 'method_not_allowed');
    expect(r.headers['allow']).toBe('GET, HEAD, PATCH');
    expect((await app.inject({ method: 'PUT', url: USERS })).headers['allow']).toBe('GET, HEAD, POST');
  });
});
