import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuditKey } from '../../src/privacy/keys.js';
import type { Project } from '../../src/project/types.js';
import { AuditLog, type AuditEntry } from '../../src/state/audit.js';
import {
  expectProblem,
  getAs,
  internalApp,
  internalProject,
  signIn,
  type SignedIn,
} from './internal-fixture.js';

let project: Project;
let app: FastifyInstance;
const users = new Map<string, SignedIn>();

const get = (
  url: string,
  user?: string,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> => getAs(app, url, user ? users.get(user) : undefined, headers);

/** The newest audit entries, newest first. */
function audit(): AuditEntry[] {
  const log = new AuditLog(join(project.paths.state, 'audit.sqlite'), loadAuditKey(project));
  try {
    return log.entries({ limit: 20 });
  } finally {
    log.close();
  }
}

const VALUES = '/api/v1/internal/indicators/aandeel_uitkering/values';

beforeAll(async () => {
  ({ project } = await internalProject());
  app = await internalApp(project);
  for (const u of ['analist', 'vik', 'wijkteam', 'fg', 'beheerder']) users.set(u, await signIn(app, u));
});

afterAll(async () => {
  await app?.close();
});

describe('internal routes', () => {
  it('gives the restricted values for an allowed purpose, audited, never stored', async () => {
    const r = await get(`${VALUES}?level=buurt&period=2021`, 'analist', { 'x-purpose': 'beleidsinformatie' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const body = r.json<{ zone: string; values: Array<{ status: string; value: number | null }> }>();
    expect(body.zone).toBe('restricted');
    expect(body.values).toHaveLength(4);
    // the restricted zone has every value: no suppression
    expect(body.values.every((v) => v.status === 'ok' && typeof v.value === 'number')).toBe(true);
    expect(audit()[0]).toMatchObject({
      actor: 'analist',
      role: 'analist',
      purpose: 'beleidsinformatie',
      action: 'query',
      resource: 'indicators.aandeel_uitkering',
      rows: 4,
    });
    // the purpose as a query parameter works as well
    expect((await get(`${VALUES}?purpose=kadernota`, 'analist')).statusCode).toBe(200);
  });

  it('401 without a session, as problem+json and no-store', async () => {
    const r = await get(`${VALUES}?purpose=beleidsinformatie`);
    expectProblem(r, 401, 'not_signed_in');
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('403 for a purpose the role does not have, or its sources do not allow; audited as denied', async () => {
    const r = await get(VALUES, 'vik', { 'x-purpose': 'ondermijning' });
    expect(expectProblem(r, 403, 'forbidden')['detail']).toMatch(/ondermijning/);
    expect(audit()[0]).toMatchObject({
      actor: 'vik',
      role: 'vik',
      purpose: 'ondermijning',
      action: 'denied',
    });
    expectProblem(await get(VALUES, 'analist', { 'x-purpose': 'ondermijning' }), 403, 'forbidden');
  });

  it('400 without a purpose, or with bad parameters', async () => {
    expectProblem(await get(VALUES, 'analist'), 400, 'purpose_required');
    const bad = expectProblem(
      await get(`${VALUES}?level=provincie&perod=1`, 'analist', { 'x-purpose': 'kadernota' }),
      400,
      'invalid_parameters',
    );
    expect((bad['invalidParams'] as Array<{ name: string }>).map((p) => p.name).sort()).toEqual([
      'level',
      'perod',
    ]);
    expectProblem(
      await get(`${VALUES}?purpose=kadernota`, 'analist', { 'x-purpose': 'beleidsinformatie' }),
      400,
      'purpose_conflict',
    );
    expectProblem(
      await get('/api/v1/internal/indicators/bestaat_niet/values', 'analist', { 'x-purpose': 'kadernota' }),
      404,
      'indicator_not_found',
    );
  });

  it('a wijk-scoped role sees its own wijk, its buurten and the gemeente, and no other area', async () => {
    const own = await get('/api/v1/internal/areas/WK999901/profile?year=2021', 'wijkteam', {
      'x-purpose': 'vroegsignalering',
    });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json<{ similarAreas: unknown[] }>().similarAreas).toEqual([]);
    const other = await get('/api/v1/internal/areas/WK999902/profile?year=2021', 'wijkteam', {
      'x-purpose': 'vroegsignalering',
    });
    expectProblem(other, 403, 'forbidden');
    expect(audit()[0]).toMatchObject({ actor: 'wijkteam', action: 'denied' });
    // meldingen, the one indicator vroegsignalering allows, is shown for WK999901 (below): the scope refused WK999902
    const values = await get('/api/v1/internal/indicators/meldingen/values?period=2021', 'wijkteam', {
      'x-purpose': 'vroegsignalering',
    });
    expect(values.statusCode, values.body).toBe(200);
    const areas = values.json<{ values: Array<{ area: string }> }>().values.map((v) => v.area);
    expect(areas.sort()).toEqual(['BU99990101', 'BU99990102', 'GM9999', 'WK999901']);
    // an unscoped role sees every area
    const all = await get('/api/v1/internal/indicators/meldingen/values?period=2021', 'analist', {
      'x-purpose': 'beleidsinformatie',
    });
    expect(all.json<{ values: unknown[] }>().values.length).toBeGreaterThan(areas.length);
  });

  it('the restricted profile shows only the indicators the purpose allows', async () => {
    const r = await get('/api/v1/internal/areas/WK999901/profile?year=2021', 'wijkteam', {
      'x-purpose': 'vroegsignalering',
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json<{
      year: string;
      indicators: Array<{ id: string }>;
      notShown: Array<{ id: string }>;
    }>();
    expect(body.year).toBe('2021');
    expect(body.indicators.map((i) => i.id)).toEqual(['meldingen']);
    expect(body.notShown.map((i) => i.id).sort()).toEqual([
      'aandeel_uitkering',
      'aantal_inwoners',
      'gemiddeld_inkomen',
    ]);
    expect(audit()[0]).toMatchObject({
      actor: 'wijkteam',
      purpose: 'vroegsignalering',
      action: 'query',
      resource: 'profile WK999901 2021 (restricted)',
      rows: 1,
    });
    const all = (
      await get('/api/v1/internal/areas/WK999901/profile', 'analist', { 'x-purpose': 'kadernota' })
    ).json();
    expect(all.indicators).toHaveLength(4);
    expectProblem(
      await get('/api/v1/internal/areas/WK999901/profile', 'vik', { 'x-purpose': 'ondermijning' }),
      403,
      'forbidden',
    );
  });

  it('the catalog for every signed-in role; runs, audit log and register for audit and admin roles', async () => {
    const catalog = await get('/api/v1/internal/catalog', 'vik');
    expect(catalog.statusCode).toBe(200);
    expect(
      catalog
        .json()
        .sources.map((s: { name: string }) => s.name)
        .sort(),
    ).toEqual(['cbs', 'events', 'personen']);
    const runs = await get('/api/v1/internal/runs', 'beheerder');
    expect(runs.json().runs[0]).toMatchObject({ status: 'success' });
    expectProblem(await get('/api/v1/internal/runs', 'analist'), 403, 'forbidden');
    const log = await get('/api/v1/internal/audit?action=denied&limit=5', 'fg');
    expect(log.statusCode).toBe(200);
    expect(log.json().entries.every((e: { action: string }) => e.action === 'denied')).toBe(true);
    expect(audit()[0]).toMatchObject({
      actor: 'fg',
      role: 'fg',
      action: 'audit_read',
      resource: 'audit log',
    });
    expectProblem(await get('/api/v1/internal/audit', 'analist'), 403, 'forbidden');
    expect(audit()[0]).toMatchObject({ actor: 'analist', action: 'denied' });
    const register = await get('/api/v1/internal/register', 'fg');
    expect(register.json().processings.map((p: { purpose: string }) => p.purpose)).toContain(
      'beleidsinformatie',
    );
  });

  it('are not operations of the public OpenAPI document', async () => {
    const doc = (await get('/api/v1/openapi.json')).json<{ paths: Record<string, unknown> }>();
    expect(
      Object.keys(doc.paths).filter((p) => p.startsWith('/internal') || p.startsWith('/session')),
    ).toEqual([]);
  });
});
